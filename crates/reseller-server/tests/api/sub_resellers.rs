//! Sub-resellers on three levels: the demo reseller signs one up, which
//! signs up its own; each level's customer orders, renews, transfers a
//! domain in and cancels it, and each level's funds, earnings and the
//! ledger are exactly what its price list says. A parent manages what the
//! vendor lets it of its sub-resellers' accounts and reaches nothing of a
//! sibling's, its grandchild's or its parent's.

use crate::common::{TestApp, money, reseller_signup, sub_reseller_of};
use crate::domains::{a_contact, registration};
use reseller_core::model::{Account, InvoiceStatus};
use reseller_core::{Money, ResellerId};
use serde_json::Value;

async fn balance(app: &TestApp, account: Account) -> Money {
    app.store
        .read(move |tx| Ok(tx.balance(account)?))
        .await
        .unwrap()
}

/// A price of a price list reply: VPS plan 101's `action` for `months`.
fn vps_price(list: &Value, action: &str, months: &str) -> Money {
    money(
        list["vpslinuxus"]["plans"]["101"][action][months]
            .as_str()
            .unwrap(),
    )
}

/// Each level's funds and earnings.
async fn books(app: &TestApp, ids: &[i64]) -> Vec<(Money, Money)> {
    let mut books = Vec::new();
    for &id in ids {
        let r = ResellerId(id);
        books.push((
            balance(app, Account::Reseller(r)).await,
            balance(app, Account::Earnings(r)).await,
        ));
    }
    books
}

#[tokio::test]
async fn an_order_on_the_third_level_pays_every_level_above_it_exactly() {
    let top = TestApp::spawn().await;
    let middle = sub_reseller_of(&top, "middle@example.com", "800").await;
    let bottom = sub_reseller_of(&middle, "bottom@example.com", "500").await;
    let ids = [top.reseller_id, middle.reseller_id, bottom.reseller_id];
    // What each level pays for a VPS month, and what the bottom one sells it at.
    let mut cost = Vec::new();
    for level in [&top, &middle, &bottom] {
        let list = level.get("products/reseller-price.json", &[]).await;
        cost.push(vps_price(&list.ok().body, "add", "1"));
    }
    let selling = vps_price(
        &bottom.get("products/customer-price.json", &[]).await.body,
        "add",
        "1",
    );
    // A parent's selling price is its sub-reseller's cost.
    let top_selling = vps_price(
        &top.get("products/customer-price.json", &[]).await.body,
        "add",
        "1",
    );
    assert_eq!(cost[1], top_selling);
    assert!(cost[0] < cost[1] && cost[1] < cost[2] && cost[2] < selling);
    // The parent sees what its sub-reseller pays it.
    let seen = middle
        .get(
            "products/reseller-price.json",
            &[("reseller-id", &bottom.reseller_id.to_string())],
        )
        .await;
    assert_eq!(vps_price(&seen.ok().body, "add", "1"), cost[2]);

    let before = books(&top, &ids).await;
    let revenue_before = balance(&top, Account::PlatformRevenue).await;
    let customer = bottom.signup("buyer@example.com").await;
    bottom.fund(customer, "100").await;
    let placed = bottom
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "third.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    placed.ok();
    assert_eq!(placed.s("actionstatus"), "Success");
    let order = placed.s("entityid").to_string();
    let after = books(&top, &ids).await;
    // Each level pays its cost to the level above; the top one to the platform.
    assert_eq!(
        after[2].0,
        before[2].0 - cost[2],
        "the bottom level's funds"
    );
    assert_eq!(
        after[2].1,
        before[2].1 + selling,
        "the bottom level's earnings"
    );
    assert_eq!(
        after[1].0,
        before[1].0 - cost[1],
        "the middle level's funds"
    );
    assert_eq!(
        after[1].1,
        before[1].1 + cost[2],
        "the middle level's earnings"
    );
    assert_eq!(after[0].0, before[0].0 - cost[0], "the top level's funds");
    assert_eq!(
        after[0].1,
        before[0].1 + cost[1],
        "the top level's earnings"
    );
    assert_eq!(
        balance(&top, Account::PlatformRevenue).await,
        revenue_before + cost[0]
    );
    assert_eq!(
        bottom.customer_balance(customer).await,
        money("100") - selling
    );

    // A renewal for 3 months moves each level's 3-month renewal price.
    let mut renew = Vec::new();
    for level in [&top, &middle, &bottom] {
        let list = level.get("products/reseller-price.json", &[]).await;
        renew.push(vps_price(&list.body, "renew", "3").times(3));
    }
    let before = books(&top, &ids).await;
    bottom
        .post(
            "vps/linux/us/renew.json",
            &[
                ("order-id", &order),
                ("months", "3"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await
        .ok();
    let after = books(&top, &ids).await;
    for level in 0..3 {
        assert_eq!(
            after[level].0,
            before[level].0 - renew[level],
            "level {level}"
        );
    }
    assert_eq!(after[1].1, before[1].1 + renew[2]);
    assert_eq!(after[0].1, before[0].1 + renew[1]);

    // A suspension moves no money; the order stays the bottom level's.
    let before = books(&top, &ids).await;
    bottom
        .post(
            "orders/suspend.json",
            &[("order-id", &order), ("reason", "Abuse report")],
        )
        .await
        .ok();
    assert_eq!(books(&top, &ids).await, before);
    middle
        .refuses(
            "orders/unsuspend.json",
            &[("order-id", &order)],
            "You are not allowed to perform this action",
        )
        .await;

    // A transfer in, cancelled: every level gets back what it paid.
    let customer = customer.to_string();
    let contact = a_contact(&bottom, &customer).await;
    let mut params = registration("mv.com", &customer, &contact, "1", "NoInvoice");
    params.retain(|(key, _)| *key != "years");
    params.push(("auth-code", "Epp-Key-1"));
    let before = books(&top, &ids).await;
    let transfer = bottom.post("domains/transfer.json", &params).await;
    transfer.ok();
    let moved = transfer.s("entityid").to_string();
    let charged = books(&top, &ids).await;
    for level in 0..3 {
        assert!(charged[level].0 < before[level].0, "level {level} paid");
    }
    bottom
        .post("domains/cancel-transfer.json", &[("order-id", &moved)])
        .await
        .ok();
    assert_eq!(books(&top, &ids).await, before, "every level refunded");
    // The server's ledger check runs when `top` is dropped.
}

#[tokio::test]
async fn a_parent_that_cannot_pay_stops_its_sub_resellers_order_and_changes_nothing() {
    let top = TestApp::spawn_with_funds(money("0")).await;
    let middle = sub_reseller_of(&top, "middle@example.com", "800").await;
    let customer = middle.signup("buyer@example.com").await;
    let before = top.counts();
    let refused = middle
        .post(
            "vps/linux/us/add.json",
            &[
                ("domain-name", "third.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("plan-id", "101"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        refused.error(),
        "Insufficient funds in the parent reseller's account for this action; the parent reseller must add funds"
    );
    assert_eq!(top.counts(), before);
}

#[tokio::test]
async fn a_parent_manages_its_sub_resellers_and_reaches_no_one_elses() {
    let top = TestApp::spawn().await;
    let middle = sub_reseller_of(&top, "middle@example.com", "100").await;
    let sibling = sub_reseller_of(&top, "sibling@example.com", "100").await;
    let bottom = sub_reseller_of(&middle, "bottom@example.com", "50").await;
    let (m, s, b) = (
        middle.reseller_id.to_string(),
        sibling.reseller_id.to_string(),
        bottom.reseller_id.to_string(),
    );
    // Details, search, balance and modify of its own sub-resellers.
    let details = top
        .get("resellers/details.json", &[("reseller-id", &m)])
        .await;
    assert_eq!(details.ok().s("parentid"), top.reseller_id.to_string());
    assert_eq!(details.s("username"), "middle@example.com");
    assert_eq!(details.s("totalreceipts"), "100.000");
    let found = top
        .get(
            "resellers/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(found.ok().s("recsindb"), "2", "its two, not the grandchild");
    let named = top
        .get(
            "resellers/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("username", "sibling@example.com"),
            ],
        )
        .await;
    assert_eq!(named.ok().body["1"]["reseller.resellerid"], s.as_str());
    top.post(
        "resellers/modify-details.json",
        &[
            ("reseller-id", &m),
            ("username", "middle2@example.com"),
            ("lang-pref", "en"),
            ("address-line-1", "9 Lake Road"),
            ("city", "Kolkata"),
            ("state", "West Bengal"),
            ("zipcode", "700029"),
            ("phone-cc", "91"),
            ("phone", "9830054321"),
            ("brand-name", "Middle Brand"),
        ],
    )
    .await
    .ok();
    let changed = middle.get("resellers/details.json", &[]).await;
    assert_eq!(changed.ok().s("username"), "middle2@example.com");
    assert_eq!(changed.s("brandname"), "Middle Brand");
    assert_eq!(changed.s("address1"), "9 Lake Road");
    // A username another reseller has is refused.
    top.refuses(
        "resellers/modify-details.json",
        &[
            ("reseller-id", &m),
            ("username", "sibling@example.com"),
            ("lang-pref", "en"),
            ("address-line-1", "9 Lake Road"),
            ("city", "Kolkata"),
            ("state", "West Bengal"),
            ("zipcode", "700029"),
            ("phone-cc", "91"),
            ("phone", "9830054321"),
        ],
        "Reseller sibling@example.com already exists",
    )
    .await;
    top.refuses(
        "resellers/signup.json",
        &reseller_signup("sibling@example.com"),
        "Reseller sibling@example.com already exists",
    )
    .await;
    let mut bad_currency = reseller_signup("new@example.com");
    bad_currency.retain(|(k, _)| *k != "selling-currency-symbol");
    bad_currency.push(("selling-currency-symbol", "EUR"));
    let refused = top.post("resellers/signup.json", &bad_currency).await;
    assert!(
        refused.error().contains("selling-currency-symbol"),
        "{}",
        refused.text
    );
    // A debit note moves a sub-reseller's funds to its parent's earnings.
    let earned = balance(&top, Account::Earnings(ResellerId(top.reseller_id))).await;
    let noted = top
        .post(
            "billing/add-reseller-debit-note.json",
            &[
                ("reseller-id", &s),
                ("amount", "12.5"),
                ("description", "Setup"),
            ],
        )
        .await;
    assert_eq!(noted.ok().s("sellingcurrencybalance"), "87.500");
    assert_eq!(
        balance(&top, Account::Earnings(ResellerId(top.reseller_id))).await,
        earned + money("12.5")
    );
    top.refuses(
        "billing/add-reseller-debit-note.json",
        &[("reseller-id", &s), ("amount", "1000"), ("description", "Too much")],
        "Insufficient funds in the reseller account: the action costs 1000.000 USD and the available balance is 87.500 USD",
    )
    .await;
    // A transaction key is used once.
    top.refuses(
        "billing/add-reseller-fund.json",
        &[
            ("reseller-id", &s),
            ("amount", "5"),
            ("description", "Again"),
            ("transaction-type", "receipt"),
            ("transaction-key", &format!("open-{s}")),
        ],
        &format!("Invalid transaction-key: open-{s} was used before"),
    )
    .await;
    let sub_balance = top
        .get("billing/reseller-balance.json", &[("reseller-id", &s)])
        .await;
    assert_eq!(sub_balance.ok().s("sellingcurrencybalance"), "87.500");
    let listed = top
        .get("billing/reseller-transactions.json", &[("reseller-id", &s)])
        .await;
    assert_eq!(
        listed.ok().s("recsindb"),
        "2",
        "its funds and its debit note"
    );

    // Nothing of a sibling's, a grandchild's or a parent's.
    let no_sub = |id: &str| format!("Invalid reseller-id: {id}. No sub-reseller of yours has it");
    let before = top.counts();
    for (who, intruder, target) in [
        ("a sibling", &sibling, &m),
        ("a grandparent", &top, &b),
        ("a child", &middle, &top.reseller_id.to_string()),
        ("a grandchild", &bottom, &m),
    ] {
        for (call, params) in [
            (
                "resellers/details.json",
                vec![("reseller-id", target.as_str())],
            ),
            (
                "billing/reseller-balance.json",
                vec![("reseller-id", target.as_str())],
            ),
            (
                "billing/reseller-transactions.json",
                vec![("reseller-id", target.as_str())],
            ),
            (
                "products/reseller-price.json",
                vec![("reseller-id", target.as_str())],
            ),
            (
                "resellers/temp-password.json",
                vec![("reseller-id", target.as_str())],
            ),
            (
                "billing/add-reseller-fund.json",
                vec![
                    ("reseller-id", target.as_str()),
                    ("amount", "1"),
                    ("description", "x"),
                    ("transaction-type", "credit"),
                    ("transaction-key", "intruder"),
                ],
            ),
            (
                "billing/add-reseller-debit-note.json",
                vec![
                    ("reseller-id", target.as_str()),
                    ("amount", "1"),
                    ("description", "x"),
                ],
            ),
        ] {
            let reply = intruder.post(call, &params).await;
            assert_eq!(reply.error(), no_sub(target), "{who}: {call}");
        }
    }
    assert_eq!(top.counts(), before);
    // A token of one reseller signs in no one for a sibling.
    let token = middle
        .get("resellers/generate-token.json", &[("ip", "203.0.113.9")])
        .await;
    let token = token.ok().s("userLoginId").to_string();
    let own = middle
        .get("resellers/authenticate-token.json", &[("token", &token)])
        .await;
    assert_eq!(own.ok().s("resellerid"), m);
    let by_parent = top
        .get("resellers/authenticate-token.json", &[("token", &token)])
        .await;
    assert_eq!(by_parent.ok().s("resellerid"), m);
    let by_sibling = sibling
        .get("resellers/authenticate-token.json", &[("token", &token)])
        .await;
    assert!(by_sibling.error().contains("token"), "{}", by_sibling.text);
}

#[tokio::test]
async fn a_new_key_replaces_the_old_one_and_a_sub_reseller_has_none_before() {
    let top = TestApp::spawn().await;
    let signed = top
        .post(
            "resellers/signup.json",
            &reseller_signup("keyless@example.com"),
        )
        .await;
    let id = signed.body.as_i64().unwrap();
    // No key yet: nothing signs it in.
    let guessed = top.as_reseller(id, "any-key-at-all");
    let refused = guessed.get("resellers/details.json", &[]).await;
    assert!(
        refused.error().contains("Invalid credentials"),
        "{}",
        refused.text
    );
    let path = format!("resellers/{id}/api-key");
    let (_, first) = top.control(reqwest::Method::POST, &path, None).await;
    let first = first["api-key"].as_str().unwrap().to_string();
    let sub = top.as_reseller(id, &first);
    assert_eq!(
        sub.get("resellers/details.json", &[])
            .await
            .ok()
            .s("resellerid"),
        id.to_string()
    );
    let (_, second) = top.control(reqwest::Method::POST, &path, None).await;
    let second = second["api-key"].as_str().unwrap().to_string();
    assert_ne!(first, second);
    let old = sub.get("resellers/details.json", &[]).await;
    assert!(
        old.error().contains("Invalid credentials"),
        "the old key signs in no more: {}",
        old.text
    );
    let renewed = top.as_reseller(id, &second);
    renewed.get("resellers/details.json", &[]).await.ok();
    // The key is kept only as its digest.
    let kept = top
        .store
        .read(move |tx| Ok(tx.reseller(ResellerId(id))?))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.api_key_hash,
        reseller_server::auth::hash_api_key(&second)
    );
    let (status, missing) = top
        .control(reqwest::Method::POST, "resellers/999/api-key", None)
        .await;
    assert_eq!(status, 404, "{missing}");
}

/// A sub-reseller's misc invoice's parameters.
fn misc_invoice<'a>(
    order: &'a str,
    sub: &'a str,
    key: &'a str,
    amount: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("order-id", order),
        ("reseller-id", sub),
        ("selling-amount", amount),
        ("description", "Migration help"),
        ("invoice-date", "1764892800"),
        ("transaction-key", key),
        ("greedy", "true"),
    ]
}

#[tokio::test]
async fn a_sub_resellers_misc_invoice_is_paid_from_its_funds_when_greedy() {
    let top = TestApp::spawn().await;
    let sub = sub_reseller_of(&top, "invoiced@example.com", "300").await;
    let customer = sub.signup("buyer@example.com").await;
    let order = sub
        .add_vps(customer, "invoiced.example.com")
        .await
        .to_string();
    let s = sub.reseller_id.to_string();
    let funds_before = sub.reseller_balance().await;
    let top_id = ResellerId(top.reseller_id);
    let earned = balance(&top, Account::Earnings(top_id)).await;
    let paid = misc_invoice(&order, &s, "misc-1", "4.5");
    let reply = top
        .post("billing/add-reseller-misc-invoice.json", &paid)
        .await;
    let id = reply.ok().body.as_i64().expect("an invoice id");
    assert_eq!(top.invoice(id).await.status, InvoiceStatus::Paid);
    assert_eq!(sub.reseller_balance().await, funds_before - money("4.5"));
    assert_eq!(
        balance(&top, Account::Earnings(top_id)).await,
        earned + money("4.5")
    );
    // More than its funds: kept Unpaid, nothing moves, no customer pays it.
    let unpaid = misc_invoice(&order, &s, "misc-2", "4000");
    let reply = top
        .post("billing/add-reseller-misc-invoice.json", &unpaid)
        .await;
    let unpaid_id = reply.ok().body.as_i64().unwrap();
    assert_eq!(top.invoice(unpaid_id).await.status, InvoiceStatus::Unpaid);
    assert_eq!(sub.reseller_balance().await, funds_before - money("4.5"));
    top.refuses(
        "billing/customer-pay.json",
        &[("invoice-ids", &unpaid_id.to_string())],
        &format!(
            "Invalid invoice-ids: {unpaid_id}. It is a sub-reseller's invoice, which no customer pays"
        ),
    )
    .await;
    // A key once; an order that is not the sub-reseller's.
    top.refuses(
        "billing/add-reseller-misc-invoice.json",
        &paid,
        "Invalid transaction-key: misc-1 was used before",
    )
    .await;
    let own_customer = top.signup("own@example.com").await;
    let own_order = top
        .add_vps(own_customer, "own.example.com")
        .await
        .to_string();
    top.refuses(
        "billing/add-reseller-misc-invoice.json",
        &misc_invoice(&own_order, &s, "misc-3", "1"),
        "You are not allowed to perform this action",
    )
    .await;
}

#[tokio::test]
async fn a_suspended_middle_level_stops_what_is_charged_through_it() {
    let top = TestApp::spawn().await;
    let middle = sub_reseller_of(&top, "middle@example.com", "800").await;
    let bottom = sub_reseller_of(&middle, "bottom@example.com", "500").await;
    let customer = bottom.signup("buyer@example.com").await.to_string();
    let order = |name: &'static str| {
        vec![
            ("domain-name", name),
            ("customer-id", customer.as_str()),
            ("months", "1"),
            ("plan-id", "101"),
            ("invoice-option", "NoInvoice"),
        ]
    };
    let middle_id = ResellerId(middle.reseller_id);
    top.store
        .write(move |tx| reseller_core::resellers::set_active(tx, ResellerId(1), middle_id, false))
        .await
        .unwrap();
    let before = top.counts();
    bottom
        .refuses(
            "vps/linux/us/add.json",
            &order("held.example.com"),
            "The parent reseller's account is suspended; no action is charged through it until it is active again",
        )
        .await;
    assert_eq!(top.counts(), before);
    top.store
        .write(move |tx| reseller_core::resellers::set_active(tx, ResellerId(1), middle_id, true))
        .await
        .unwrap();
    let placed = bottom
        .post("vps/linux/us/add.json", &order("free.example.com"))
        .await;
    assert_eq!(placed.ok().s("actionstatus"), "Success");
}
