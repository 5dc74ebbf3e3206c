//! Domains transferred in and domains restored: a transfer through its
//! states (auth code, the admin contact's approval by a mailed link),
//! billed under every invoice option and cancelled with what was paid
//! given back; a deleted domain restored within its 30 days.

use crate::common::{TestApp, curl, link_in, money};
use crate::domains::{a_contact, a_contact_at, registration};
use reseller_core::model::{ActionStatus, InvoiceStatus, Mail, OrderStatus};

async fn mails(app: &TestApp, order: &str) -> Vec<Mail> {
    app.mails(order, "").await
}

async fn approval_mails(app: &TestApp, order: &str) -> Vec<Mail> {
    app.mails(order, "transfer-approval").await
}

fn link_of(mail: &Mail) -> String {
    link_in(mail, "/transfer/approve/")
}

/// A transfer's parameters: a registration's without `years`.
fn transfer<'a>(
    name: &'a str,
    customer: &'a str,
    contact: &'a str,
    option: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut params = registration(name, customer, contact, "1", option);
    params.retain(|(key, _)| *key != "years");
    params
}

async fn details(app: &TestApp, order: &str) -> crate::common::Reply {
    let reply = app
        .get(
            "domains/details.json",
            &[("order-id", order), ("options", "All")],
        )
        .await;
    reply.ok();
    reply
}

#[tokio::test]
async fn a_transfer_waits_for_its_auth_code_then_for_the_admins_approval_and_completes() {
    let app = TestApp::spawn().await;
    let customer = app.signup("mover@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let admin = a_contact_at(&app, &customer, "admin@example.com").await;
    let mut params = transfer("ab.com", &customer, &contact, "NoInvoice");
    for (key, value) in params.iter_mut() {
        if *key == "admin-contact-id" {
            *value = &admin;
        }
    }
    let placed = app.post("domains/transfer.json", &params).await;
    placed.ok();
    assert_eq!(placed.s("actiontype"), "AddTransferDomain");
    assert_eq!(
        placed.s("actiontypedesc"),
        "Transfer of ab.com from old Registrar along with 1 year Renewal"
    );
    assert_eq!(placed.s("actionstatus"), "ExecutionStarted");
    assert_eq!(
        placed.s("actionstatusdesc"),
        "Transfer waiting for Auth Code"
    );
    let order = placed.s("entityid").to_string();
    let o = order.as_str();
    let shown = details(&app, o).await;
    assert_eq!(shown.s("currentstatus"), "InActive");
    assert_eq!(shown.s("actiontype"), "AddTransferDomain");
    assert_eq!(
        shown.s("actionstatusdesc"),
        "Transfer waiting for Auth Code"
    );
    assert_eq!(shown.s("raaVerificationStatus"), "NA");
    assert!(approval_mails(&app, o).await.is_empty());
    app.refuses(
        "domains/resend-rfa.json",
        &[("order-id", o)],
        &format!(
            "The current status of Transfer action for the domain name does not allow this operation: order {o} waits for an Auth Code"
        ),
    )
    .await;
    // A name in transfer is not the customer's yet: nothing changes it.
    app.refuses(
        "domains/delete.json",
        &[("order-id", o)],
        &format!("Order {o} is being transferred in; cancel the transfer instead"),
    )
    .await;

    let submitted = app
        .post(
            "domains/transfer/submit-auth-code.json",
            &[("order-id", o), ("auth-code", "Epp-Key-1")],
        )
        .await;
    assert_eq!(submitted.ok().text, "Success");
    let shown = details(&app, o).await;
    assert_eq!(
        shown.s("actionstatusdesc"),
        "Transfer waiting for Admin Contact Approval"
    );
    assert_eq!(shown.s("domsecret"), "Epp-Key-1");
    let sent = approval_mails(&app, o).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "admin@example.com", "the admin approves");
    let first_link = link_of(&sent[0]);

    app.advance(1).await;
    let resent = app
        .post("domains/resend-rfa.json", &[("order-id", o)])
        .await;
    assert_eq!(resent.ok().body, true);
    let sent = approval_mails(&app, o).await;
    assert_eq!(sent.len(), 2);
    // Only the newest mail's link approves.
    let (stale, page) = curl("GET", &first_link).await;
    assert_eq!(stale, 409, "{page}");
    assert!(page.contains("no longer valid"), "{page}");
    let link = link_of(&sent[1]);
    let (forged, _) = curl("GET", &link.replace("/approve/", "/approve/x")).await;
    assert_eq!(forged, 403);
    assert_eq!(details(&app, o).await.s("currentstatus"), "InActive");

    let approved_at = app.state.clock.now();
    let (status, page) = curl("GET", &link).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ab.com is approved"), "{page}");
    let shown = details(&app, o).await;
    assert_eq!(shown.s("currentstatus"), "Active");
    assert!(shown.body.get("actiontype").is_none(), "{}", shown.text);
    assert_eq!(
        shown.s("raaVerificationStatus"),
        "Pending",
        "the registrant verifies on arrival"
    );
    let kinds: Vec<String> = mails(&app, o).await.into_iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        ["transfer-approval", "transfer-approval", "raa-verification"]
    );
    assert_eq!(
        shown.body["orderstatus"],
        serde_json::json!(["transferlock"])
    );
    let endtime = shown.id("endtime");
    assert!(
        (approved_at + 365 * 86_400..=approved_at + 366 * 86_400 + 5).contains(&endtime),
        "a year from the approval: {endtime}"
    );
    let action = app.action(placed.id("eaqid")).await;
    assert_eq!(action.status, ActionStatus::Success);
    assert_eq!(action.status_desc, "Domain transferred successfully");
    let (again, page) = curl("GET", &link).await;
    assert_eq!(again, 409, "{page}");
    // It is an ordinary domain now.
    app.post(
        "domains/modify-ns.json",
        &[("order-id", o), ("ns", "ns9.example.org")],
    )
    .await
    .ok();
    for (call, extra) in [
        ("domains/cancel-transfer.json", None),
        ("domains/resend-rfa.json", None),
        (
            "domains/transfer/submit-auth-code.json",
            Some(("auth-code", "Epp-Key-2")),
        ),
    ] {
        let mut params = vec![("order-id", o)];
        params.extend(extra);
        app.refuses(
            call,
            &params,
            &format!(
                "Invalid action status/action type for this operation: order {o} has no transfer in progress"
            ),
        )
        .await;
    }
}

#[tokio::test]
async fn a_transfer_is_billed_under_every_invoice_option_and_cancelling_gives_back_what_was_paid() {
    let app = TestApp::spawn().await;
    let rich = app.signup("rich-mover@example.com").await;
    let poor = app.signup("poor-mover@example.com").await;
    app.fund(rich, "1000").await;
    let (price, cost) = (money("10.990"), money("7.693"));
    for (n, case) in crate::common::option_cases(rich, poor).iter().enumerate() {
        let option = case.option;
        let customer = case.customer.to_string();
        let contact = a_contact(&app, &customer).await;
        let name = format!("t{n}.com");
        let mut params = transfer(&name, &customer, &contact, option);
        params.push(("auth-code", "Epp-Key-1"));
        let reseller_before = app.reseller_balance().await;
        let customer_before = app.customer_balance(case.customer).await;
        let placed = app.post("domains/transfer.json", &params).await;
        placed.ok();
        let order = placed.s("entityid").to_string();
        let action = app.action(placed.id("eaqid")).await;
        assert_eq!(action.selling, price, "{option}");
        assert_eq!(action.cost, cost, "{option}");
        let (status, charge) = if case.executes {
            (ActionStatus::ExecutionStarted, cost)
        } else {
            (ActionStatus::PendingExecution, money("0"))
        };
        assert_eq!(action.status, status, "{option}");
        assert_eq!(
            reseller_before - app.reseller_balance().await,
            charge,
            "{option}"
        );
        let paid = if case.customer_pays {
            price
        } else {
            money("0")
        };
        assert_eq!(
            customer_before - app.customer_balance(case.customer).await,
            paid,
            "{option}"
        );
        let invoice = action.invoice_id.map(|id| id.0);
        match (case.invoice, invoice) {
            (None, None) => {}
            (Some(status), Some(id)) => assert_eq!(app.invoice(id).await.status, status),
            other => panic!("{option}: {other:?}"),
        }
        // The approval is asked for once the transfer is paid for.
        let mailed = approval_mails(&app, &order).await.len();
        assert_eq!(mailed, usize::from(case.executes), "{option}");
        if !case.executes {
            let shown = details(&app, &order).await;
            assert_eq!(shown.s("actionstatus"), "PendingExecution", "{option}");
            app.refuses(
                "domains/resend-rfa.json",
                &[("order-id", &order)],
                &format!(
                    "The current status of Transfer action for the domain name does not allow this operation: order {order} awaits payment of its invoice"
                ),
            )
            .await;
        }

        let cancelled = app
            .post("domains/cancel-transfer.json", &[("order-id", &order)])
            .await;
        assert_eq!(cancelled.ok().text, "Success", "{option}");
        assert_eq!(
            app.reseller_balance().await,
            reseller_before,
            "{option}: the reseller's cost is given back"
        );
        assert_eq!(
            app.customer_balance(case.customer).await,
            customer_before,
            "{option}: the customer's payment is given back"
        );
        let order_now = app.order(placed.id("entityid")).await;
        assert_eq!(order_now.status, OrderStatus::Deleted, "{option}");
        let action = app.action(placed.id("eaqid")).await;
        assert_eq!(action.status, ActionStatus::Failed, "{option}");
        assert_eq!(action.status_desc, "Transfer cancelled", "{option}");
        if let Some(id) = invoice {
            let status = app.invoice(id).await.status;
            assert_eq!(status, InvoiceStatus::Cancelled, "{option}");
        }
        // The name may be transferred again.
        app.post("domains/transfer.json", &params).await.ok();
    }
}

#[tokio::test]
async fn a_transfer_paid_later_asks_for_approval_when_its_invoice_is_paid() {
    let app = TestApp::spawn().await;
    let customer = app.signup("later@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    let mut params = transfer("xy.net", &c, &contact, "OnlyAdd");
    params.push(("auth-code", "Epp-Key-1"));
    let placed = app.post("domains/transfer.json", &params).await;
    placed.ok();
    let order = placed.s("entityid").to_string();
    assert!(approval_mails(&app, &order).await.is_empty());
    app.fund(customer, "50").await;
    let invoice = placed.s("invoiceid").to_string();
    app.post("billing/customer-pay.json", &[("invoice-ids", &invoice)])
        .await
        .ok();
    let shown = details(&app, &order).await;
    assert_eq!(shown.s("actionstatus"), "ExecutionStarted");
    assert_eq!(
        shown.s("actionstatusdesc"),
        "Transfer waiting for Admin Contact Approval"
    );
    let sent = approval_mails(&app, &order).await;
    assert_eq!(sent.len(), 1);
    let (status, page) = curl("GET", &link_of(&sent[0])).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(details(&app, &order).await.s("currentstatus"), "Active");
    // A cancelled transfer's invoice cannot be paid afterwards.
    let mut second = transfer("xz.net", &c, &contact, "OnlyAdd");
    second.push(("auth-code", "Epp-Key-1"));
    let placed = app.post("domains/transfer.json", &second).await;
    let order = placed.ok().s("entityid").to_string();
    app.post("domains/cancel-transfer.json", &[("order-id", &order)])
        .await
        .ok();
    let invoice = placed.s("invoiceid").to_string();
    let refused = app
        .post("billing/customer-pay.json", &[("invoice-ids", &invoice)])
        .await;
    assert!(refused.error().contains("Cancelled"), "{}", refused.text);
}

#[tokio::test]
async fn a_transferred_in_domain_starts_nixi_verification() {
    let app = TestApp::spawn().await;
    let customer = app.signup("nixi-mover@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let mut params = transfer("ab.co.in", &customer, &contact, "NoInvoice");
    params.push(("auth-code", "Epp-Key-1"));
    let placed = app.post("domains/transfer.json", &params).await;
    let order = placed.ok().s("entityid").to_string();
    let shown = details(&app, &order).await;
    assert!(shown.body.get("eKYCVerificationStatus").is_none());
    let sent = approval_mails(&app, &order).await;
    let (status, _) = curl("GET", &link_of(&sent[0])).await;
    assert_eq!(status, 200);
    let shown = details(&app, &order).await;
    assert_eq!(shown.s("eKYCVerificationStatus"), "Pending");
    assert_eq!(shown.s("registrantEmailVerificationStatus"), "Pending");
    let kinds: Vec<String> = mails(&app, &order)
        .await
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, ["transfer-approval", "nixi-verification"]);
    app.post(
        "domains/nixi/verification/resend.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
}

#[tokio::test]
async fn transfers_refuse_free_names_names_held_here_and_bad_input_changing_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("refused-mover@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let stranger = app.signup("stranger@example.com").await.to_string();
    let strangers = a_contact(&app, &stranger).await;
    app.post(
        "domains/register.json",
        &registration("mine-here.com", &customer, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
    let available = "It is available for registration as new domain";
    app.refuses(
        "domains/transfer.json",
        &transfer("free-name-here.com", &customer, &contact, "NoInvoice"),
        available,
    )
    .await;
    // A premium name is free to register, too.
    app.refuses(
        "domains/transfer.json",
        &transfer("wxyz.com", &customer, &contact, "NoInvoice"),
        available,
    )
    .await;
    app.refuses(
        "domains/transfer.json",
        &transfer("mine-here.com", &customer, &contact, "NoInvoice"),
        "Domain mine-here.com is already registered with us; it cannot be transferred in",
    )
    .await;
    app.refuses(
        "domains/transfer.json",
        &transfer("ab.zz", &customer, &contact, "NoInvoice"),
        "Invalid domain-name: ab.zz. Its TLD is not sold here",
    )
    .await;
    app.refuses(
        "domains/transfer.json",
        &transfer("ab.org", &customer, &strangers, "NoInvoice"),
        "{registrantcontactid=registrantcontactid is invalid}",
    )
    .await;
    let mut spaced = transfer("ab.org", &customer, &contact, "NoInvoice");
    spaced.push(("auth-code", "two words"));
    app.refuses(
        "domains/transfer.json",
        &spaced,
        "Invalid auth-code: (hidden). It must be 1 to 32 printable characters without spaces",
    )
    .await;
    let mut private = transfer("ab.in", &customer, &contact, "NoInvoice");
    private.push(("purchase-privacy", "true"));
    app.refuses(
        "domains/transfer.json",
        &private,
        "Invalid purchase-privacy: privacy protection is not offered for .in",
    )
    .await;
    let placed = app
        .post(
            "domains/transfer.json",
            &transfer("ab.org", &customer, &contact, "NoInvoice"),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    // One transfer of a name at a time, platform-wide.
    app.refuses(
        "domains/transfer.json",
        &transfer("ab.org", &customer, &contact, "NoInvoice"),
        "Domain ab.org is already registered with us; it cannot be transferred in",
    )
    .await;
    app.refuses(
        "domains/transfer/submit-auth-code.json",
        &[("order-id", &order), ("auth-code", "x y")],
        "Invalid auth-code: (hidden). It must be 1 to 32 printable characters without spaces",
    )
    .await;

    // Another reseller can do nothing with it.
    let (other, key) = app.create_reseller("other", money("100")).await;
    let outsider = app.as_reseller(other, &key);
    for (call, extra) in [
        (
            "domains/transfer/submit-auth-code.json",
            Some(("auth-code", "Epp-Key-1")),
        ),
        ("domains/resend-rfa.json", None),
        ("domains/cancel-transfer.json", None),
        (
            "domains/restore.json",
            Some(("invoice-option", "NoInvoice")),
        ),
    ] {
        let mut params = vec![("order-id", order.as_str())];
        params.extend(extra);
        outsider
            .refuses(call, &params, "You are not allowed to perform this action")
            .await;
    }
    outsider
        .refuses(
            "domains/transfer.json",
            &transfer("ab.net", &customer, &contact, "NoInvoice"),
            "You are not allowed to perform this action",
        )
        .await;
    let peek = outsider
        .get(
            "domains/details.json",
            &[("order-id", &order), ("options", "All")],
        )
        .await;
    assert_eq!(peek.error(), "You are not allowed to perform this action");
}

#[tokio::test]
async fn a_deleted_domain_is_restored_within_30_days_at_the_restore_price() {
    let app = TestApp::spawn().await;
    let customer = app.signup("restorer@example.com").await;
    let c = customer.to_string();
    let contact = a_contact(&app, &c).await;
    app.fund(customer, "500").await;
    let placed = app
        .post(
            "domains/register.json",
            &registration("come-back.com", &c, &contact, "2", "NoInvoice"),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    let o = order.as_str();
    let endtime = details(&app, o).await.id("endtime");
    app.refuses(
        "domains/restore.json",
        &[("order-id", o), ("invoice-option", "NoInvoice")],
        &format!("Order {o} cannot be restored: it is Active, not Deleted"),
    )
    .await;
    app.post("domains/delete.json", &[("order-id", o)])
        .await
        .ok();
    app.advance(29 * 86_400).await;
    let reseller_before = app.reseller_balance().await;
    let customer_before = app.customer_balance(customer).await;
    let restored = app
        .post(
            "domains/restore.json",
            &[("order-id", o), ("invoice-option", "PayInvoice")],
        )
        .await;
    restored.ok();
    assert_eq!(restored.s("actiontype"), "RestoreDomain");
    assert_eq!(restored.s("actionstatus"), "Success");
    assert_eq!(restored.s("sellingamount"), "-80.000");
    assert_eq!(
        reseller_before - app.reseller_balance().await,
        money("56.000")
    );
    assert_eq!(
        customer_before - app.customer_balance(customer).await,
        money("80.000")
    );
    let shown = details(&app, o).await;
    assert_eq!(shown.s("currentstatus"), "Active");
    assert_eq!(shown.id("endtime"), endtime, "the term left is kept");

    // Past its 30 days a deleted domain stays deleted.
    app.post("domains/delete.json", &[("order-id", o)])
        .await
        .ok();
    app.advance(30 * 86_400 + 1).await;
    app.refuses(
        "domains/restore.json",
        &[("order-id", o), ("invoice-option", "NoInvoice")],
        &format!("Order {o} cannot be restored: its redemption period of 30 days has ended"),
    )
    .await;

    // A name registered by someone else since cannot come back.
    let taken = app
        .post(
            "domains/register.json",
            &registration("taken-over.net", &c, &contact, "1", "NoInvoice"),
        )
        .await;
    let taken = taken.ok().s("entityid").to_string();
    app.post("domains/delete.json", &[("order-id", &taken)])
        .await
        .ok();
    app.post(
        "domains/register.json",
        &registration("taken-over.net", &c, &contact, "1", "NoInvoice"),
    )
    .await
    .ok();
    app.refuses(
        "domains/restore.json",
        &[("order-id", &taken), ("invoice-option", "NoInvoice")],
        "Domain taken-over.net already registered",
    )
    .await;

    // A restore waiting for payment holds the name.
    let held = app
        .post(
            "domains/register.json",
            &registration("held-back.org", &c, &contact, "1", "NoInvoice"),
        )
        .await;
    let held = held.ok().s("entityid").to_string();
    app.advance(360 * 86_400).await;
    app.post("domains/delete.json", &[("order-id", &held)])
        .await
        .ok();
    app.advance(10 * 86_400).await;
    let pending = app
        .post(
            "domains/restore.json",
            &[("order-id", &held), ("invoice-option", "OnlyAdd")],
        )
        .await;
    pending.ok();
    assert_eq!(details(&app, &held).await.s("currentstatus"), "InActive");
    app.refuses(
        "domains/register.json",
        &registration("held-back.org", &c, &contact, "1", "NoInvoice"),
        "Domain held-back.org already registered",
    )
    .await;
    let invoice = pending.s("invoiceid").to_string();
    app.post("billing/customer-pay.json", &[("invoice-ids", &invoice)])
        .await
        .ok();
    let shown = details(&app, &held).await;
    assert_eq!(shown.s("currentstatus"), "Active");
    assert!(
        shown.id("endtime") > app.state.clock.now(),
        "a term that has run out gets a year: {}",
        shown.text
    );
}
