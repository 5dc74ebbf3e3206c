//! A change of a generic domain's registrant under ICANN's transfer
//! policy: both registrants approve by mail within 2 days, then the
//! change is made and the domain locked for 60 days unless opted out.

use crate::common::{TestApp, curl, link_in};
use crate::domains::{a_contact, a_contact_at, registration};
use reseller_core::model::Mail;

async fn change_mails(app: &TestApp, order: &str) -> Vec<Mail> {
    app.mails(order, "irtp-").await
}

fn link_of(mail: &Mail) -> String {
    link_in(mail, "/irtp/")
}

/// Opens the newest approval link of each side of `order`'s change.
pub(crate) async fn approve_both(app: &TestApp, order: &str) {
    let mails = change_mails(app, order).await;
    for kind in ["irtp-losing", "irtp-gaining"] {
        let mail = mails
            .iter()
            .rev()
            .find(|m| m.kind == kind)
            .expect("a mail of each side");
        let (status, page) = curl("GET", &link_of(mail)).await;
        assert_eq!(status, 200, "{page}");
    }
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

async fn change_registrant(app: &TestApp, order: &str, to: &str, keep: &str, optout: bool) {
    let optout = if optout { "true" } else { "false" };
    app.post(
        "domains/modify-contact.json",
        &[
            ("order-id", order),
            ("reg-contact-id", to),
            ("admin-contact-id", keep),
            ("tech-contact-id", keep),
            ("billing-contact-id", keep),
            ("sixty-day-lock-optout", optout),
        ],
    )
    .await
    .ok();
}

#[tokio::test]
async fn a_registrant_change_waits_for_both_registrants_then_locks_the_domain() {
    let app = TestApp::spawn().await;
    let customer = app.signup("irtp@example.com").await.to_string();
    let old = a_contact(&app, &customer).await;
    let new = a_contact_at(&app, &customer, "meera@example.com").await;
    let placed = app
        .post(
            "domains/register.json",
            &registration("owner-change.com", &customer, &old, "1", "NoInvoice"),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    let asked_at = app.state.clock.now();
    change_registrant(&app, &order, &new, &old, false).await;
    let shown = details(&app, &order).await;
    assert_eq!(
        shown.s("registrantcontactid"),
        old,
        "unchanged until approved"
    );
    let irtp = &shown.body["irtp_status"];
    assert_eq!(irtp["task-status"], "PENDING");
    assert_eq!(irtp["gaining-foa-status"], "PENDING");
    assert_eq!(irtp["losing-foa-status"], "PENDING");
    assert_eq!(irtp["sixty-day-lock-status"], "true");
    assert_eq!(irtp["gaining-contact-info"]["id"], new.as_str());
    let expiry: i64 = irtp["expiry"].as_str().unwrap().parse().unwrap();
    assert!((asked_at + 2 * 86_400..=asked_at + 2 * 86_400 + 5).contains(&expiry));
    let mails = change_mails(&app, &order).await;
    let to: Vec<(&str, &str)> = mails
        .iter()
        .map(|m| (m.kind.as_str(), m.recipient.as_str()))
        .collect();
    assert_eq!(
        to,
        [
            ("irtp-losing", "ravi@example.com"),
            ("irtp-gaining", "meera@example.com")
        ]
    );
    // A link of one side does not open the other's page.
    let losing = link_of(&mails[0]);
    let (crossed, _) = curl("GET", &losing.replace("/losing/", "/gaining/")).await;
    assert_eq!(crossed, 403);
    let (status, page) = curl("GET", &losing).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("the other registrant has yet to approve"),
        "{page}"
    );
    let shown = details(&app, &order).await;
    assert_eq!(shown.body["irtp_status"]["losing-foa-status"], "APPROVED");
    assert_eq!(shown.s("registrantcontactid"), old);
    let (status, page) = curl("GET", &link_of(&mails[1])).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("owner-change.com is changed"), "{page}");
    let shown = details(&app, &order).await;
    assert_eq!(shown.s("registrantcontactid"), new);
    assert!(shown.body.get("irtp_status").is_none(), "{}", shown.text);
    assert_eq!(
        shown.body["domainstatus"],
        serde_json::json!(["sixtydaylock"])
    );
    app.advance(60 * 86_400 + 5).await;
    assert_eq!(
        details(&app, &order).await.body["domainstatus"],
        serde_json::json!([])
    );
    // An opened link of a finished change opens nothing.
    let (stale, _) = curl("GET", &losing).await;
    assert_eq!(stale, 403, "expired by now");
}

#[tokio::test]
async fn an_unapproved_change_expires_and_an_opted_out_one_does_not_lock() {
    let app = TestApp::spawn().await;
    let customer = app.signup("irtp-late@example.com").await.to_string();
    let old = a_contact(&app, &customer).await;
    let new = a_contact(&app, &customer).await;
    let placed = app
        .post(
            "domains/register.json",
            &registration("slow-change.net", &customer, &old, "1", "NoInvoice"),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    change_registrant(&app, &order, &new, &old, true).await;
    app.advance(2 * 86_400 + 1).await;
    let shown = details(&app, &order).await;
    assert_eq!(shown.body["irtp_status"]["task-status"], "EXPIRED");
    let mails = change_mails(&app, &order).await;
    let (expired, _) = curl("GET", &link_of(&mails[0])).await;
    assert_eq!(expired, 403);
    assert_eq!(shown.s("registrantcontactid"), old);

    // Asked again, approved, opted out of the lock.
    change_registrant(&app, &order, &new, &old, true).await;
    approve_both(&app, &order).await;
    let shown = details(&app, &order).await;
    assert_eq!(shown.s("registrantcontactid"), new);
    assert_eq!(shown.body["domainstatus"], serde_json::json!([]));

    // ccTLDs change at once.
    let uk = app
        .post(
            "domains/register.json",
            &registration("quick-change.io", &customer, &old, "1", "NoInvoice"),
        )
        .await;
    let uk = uk.ok().s("entityid").to_string();
    change_registrant(&app, &uk, &new, &old, false).await;
    let shown = details(&app, &uk).await;
    assert_eq!(shown.s("registrantcontactid"), new);
    assert!(change_mails(&app, &uk).await.is_empty());
}

#[tokio::test]
async fn a_designated_agent_changes_the_registrant_at_once_without_approval_mails() {
    let app = TestApp::spawn().await;
    let customer = app.signup("agent@example.com").await.to_string();
    let old = a_contact(&app, &customer).await;
    let new = a_contact_at(&app, &customer, "agent-new@example.com").await;
    let placed = app
        .post(
            "domains/register.json",
            &registration("agent-change.com", &customer, &old, "1", "NoInvoice"),
        )
        .await;
    let order = placed.ok().s("entityid").to_string();
    app.post(
        "domains/modify-contact.json",
        &[
            ("order-id", order.as_str()),
            ("reg-contact-id", new.as_str()),
            ("admin-contact-id", old.as_str()),
            ("tech-contact-id", old.as_str()),
            ("billing-contact-id", old.as_str()),
            ("designated-agent", "true"),
        ],
    )
    .await
    .ok();
    let shown = details(&app, &order).await;
    assert_eq!(shown.s("registrantcontactid"), new, "changed at once");
    assert!(shown.body.get("irtp_status").is_none(), "{}", shown.text);
    assert_eq!(
        shown.body["domainstatus"],
        serde_json::json!(["sixtydaylock"]),
        "locked as a completed change is"
    );
    assert!(
        change_mails(&app, &order).await.is_empty(),
        "no approval asked"
    );
}

/// Asks for a change of registrant; answers the action map.
async fn ask_change(app: &TestApp, order: &str, to: &str, keep: &str) -> crate::common::Reply {
    let reply = app
        .post(
            "domains/modify-contact.json",
            &[
                ("order-id", order),
                ("reg-contact-id", to),
                ("admin-contact-id", keep),
                ("tech-contact-id", keep),
                ("billing-contact-id", keep),
            ],
        )
        .await;
    reply.ok();
    reply
}

#[tokio::test]
async fn a_waiting_change_says_so_in_its_action_until_approved_or_expired() {
    use reseller_core::model::ActionStatus;
    let app = TestApp::spawn().await;
    let customer = app.signup("irtp-action@example.com").await.to_string();
    let old = a_contact(&app, &customer).await;
    let new = a_contact_at(&app, &customer, "meera@example.com").await;
    let mut orders = Vec::new();
    for name in ["waits-then-changes.com", "waits-then-expires.org"] {
        let placed = app
            .post(
                "domains/register.json",
                &registration(name, &customer, &old, "1", "NoInvoice"),
            )
            .await;
        orders.push(placed.ok().s("entityid").to_string());
    }

    let asked = ask_change(&app, &orders[0], &new, &old).await;
    assert_eq!(asked.s("actiontype"), "ModContact");
    assert_eq!(asked.s("actionstatus"), "ExecutionStarted");
    assert!(
        asked.s("actionstatusdesc").starts_with("Waiting for"),
        "not done before anything changed: {}",
        asked.text
    );
    let action: i64 = asked.s("eaqid").parse().unwrap();
    assert!(action > 0);
    let shown = details(&app, &orders[0]).await;
    assert_eq!(
        shown.s("eaqid"),
        action.to_string(),
        "details show it under way"
    );
    assert_eq!(shown.s("actionstatus"), "ExecutionStarted");
    approve_both(&app, &orders[0]).await;
    let done = app.action(action).await;
    assert_eq!(done.status, ActionStatus::Success);
    assert_eq!(done.status_desc, "Contacts modified successfully");
    assert!(done.executed.is_some());
    assert_eq!(details(&app, &orders[0]).await.s("eaqid"), "0");

    let asked = ask_change(&app, &orders[1], &new, &old).await;
    let action: i64 = asked.s("eaqid").parse().unwrap();
    app.advance(86_400).await;
    assert_eq!(
        app.action(action).await.status,
        ActionStatus::ExecutionStarted
    );
    app.advance(86_400 + 5).await;
    let expired = app.action(action).await;
    assert_eq!(expired.status, ActionStatus::Failed);
    assert!(
        expired.status_desc.contains("not approved"),
        "{}",
        expired.status_desc
    );
    let shown = details(&app, &orders[1]).await;
    assert_eq!(shown.s("registrantcontactid"), old, "nothing changed");
    assert_eq!(shown.s("eaqid"), "0");
}
