//! Business Email end to end: the seed URL sent with curl as printed, every
//! call, every invoice option with balances to the thousandth, the slab
//! prices, the recorded reply shapes, and the rules a user would expect.

use crate::common::{Refusal, TestApp, curl, money, option_cases, seeded};
use reseller_core::PlanId;
use reseller_core::model::{InvoiceStatus, OrderStatus};

const ADD: &str = "eelite/us/add.json";

/// An add's parameters for `domain` with `accounts` for `months`.
fn add_params<'a>(
    customer: &'a str,
    domain: &'a str,
    accounts: &'a str,
    months: &'a str,
    option: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("domain-name", domain),
        ("customer-id", customer),
        ("months", months),
        ("no-of-accounts", accounts),
        ("invoice-option", option),
    ]
}

#[tokio::test]
async fn the_seed_url_works_with_curl_as_printed_in_json_and_xml() {
    let app = TestApp::spawn().await;
    let customer = app.signup("mail@example.com").await;
    let printed = "https://test.httpapi.com/api/eelite/us/add.json?auth-userid=0&api-key=key&domain-name=name&customer-id=0&months=0&no-of-accounts=15&invoice-option=NoInvoice";
    for format in ["json", "xml"] {
        let before = app.reseller_balance().await;
        let url = seeded(
            &app,
            printed,
            &[
                ("auth-userid", "1".to_string()),
                ("customer-id", customer.to_string()),
                ("months", "1".to_string()),
            ],
        )
        .replace(
            "domain-name=name",
            &format!("domain-name={format}.example.com"),
        )
        .replace(".json?", &format!(".{format}?"));
        let (status, body) = curl("POST", &url).await;
        assert_eq!(status, 200, "{url} answered {body}");
        let order_id: i64 = if format == "json" {
            let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(reply["actiontype"], "Add");
            assert_eq!(reply["actionstatus"], "Success");
            assert_eq!(reply["description"], "json.example.com");
            assert!(
                reply.get("invoiceid").is_none(),
                "NoInvoice has no invoice: {body}"
            );
            reply["entityid"].as_str().unwrap().parse().unwrap()
        } else {
            assert!(
                body.contains("<string>actionstatus</string><string>Success</string>"),
                "{body}"
            );
            assert!(!body.contains("invoiceid"), "{body}");
            let after = body
                .split("<string>entityid</string><string>")
                .nth(1)
                .unwrap();
            after.split('<').next().unwrap().parse().unwrap()
        };
        let order = app.order(order_id).await;
        assert_eq!(order.status, OrderStatus::Active);
        assert_eq!(order.attrs.email_accounts, Some(15));
        assert_eq!(
            order.plan_id,
            PlanId(402),
            "15 accounts fall in the 6-25 slab"
        );
        // The reseller pays its cost: 15 accounts at 0.630 for a month.
        assert_eq!(before - app.reseller_balance().await, money("9.450"));
    }
}

#[tokio::test]
async fn every_invoice_option_bills_the_slab_price_and_moves_money_exactly() {
    let app = TestApp::spawn().await;
    let rich = app.signup("rich@example.com").await;
    app.fund(rich, "100").await;
    let poor = app.signup("poor@example.com").await;
    // 7 accounts fall in the 6-25 slab: 0.900 a month each, cost 0.630.
    let (price, cost) = (money("18.900"), money("13.230"));
    for (n, case) in option_cases(rich, poor).iter().enumerate() {
        let domain = format!("option{n}.example.com");
        let customer = case.customer.to_string();
        let params = add_params(&customer, &domain, "7", "3", case.option);
        app.check_add_billing(case, ADD, &params, price, cost).await;
    }
}

#[tokio::test]
async fn accounts_move_the_order_between_slabs_and_are_billed_for_the_rest_of_the_term() {
    let app = TestApp::spawn().await;
    let customer = app.signup("grow@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "500").await;
    // 5 accounts for 12 months: the 1-5 slab at 0.900 a month for 12 months.
    let reply = app
        .post(
            ADD,
            &add_params(&c, "grow.example.com", "5", "12", "NoInvoice"),
        )
        .await;
    reply.ok();
    let order = reply.s("entityid").to_string();
    let o = order.as_str();
    let details = app.get("eelite/us/details.json", &[("order-id", o)]).await;
    details.ok();
    assert_eq!(
        details.body["emailaccounts"], 5,
        "a number: {}",
        details.text
    );
    assert_eq!(details.s("planid"), "401");
    assert_eq!(details.s("domainname"), "grow.example.com");
    assert_eq!(details.s("productkey"), "eeliteus");
    assert_eq!(details.s("productcategory"), "hosting");
    assert_eq!(details.s("customercost"), "5.000", "a month of 5 accounts");
    assert_eq!(details.s("resellercost"), "3.500");
    assert_eq!(details.s("moneybackperiod"), "30");

    // Three more with KeepInvoice: 8 accounts fall in the 6-25 slab, and
    // the three are billed at its one-month price for the 12 months left.
    let reseller_before = app.reseller_balance().await;
    let reply = app
        .post(
            "eelite/us/add-email-account.json",
            &[
                ("order-id", o),
                ("no-of-accounts", "3"),
                ("invoice-option", "KeepInvoice"),
            ],
        )
        .await;
    reply.ok();
    let map = reply.body.as_object().expect("a map");
    assert_eq!(
        map.len(),
        1,
        "the action under its invoice id: {}",
        reply.text
    );
    let (invoice_id, action) = map.iter().next().unwrap();
    assert_eq!(action["actiontype"], "AddEmailAccount");
    assert_eq!(action["actionstatus"], "Success");
    assert_eq!(action["invoiceid"], invoice_id.as_str());
    assert_eq!(action["sellingamount"], "-32.400");
    let invoice = app.invoice(invoice_id.parse().unwrap()).await;
    assert_eq!(
        (invoice.status, invoice.amount),
        (InvoiceStatus::Unpaid, money("32.400"))
    );
    assert_eq!(
        reseller_before - app.reseller_balance().await,
        money("22.680")
    );
    let order_now = app.order(o.parse().unwrap()).await;
    assert_eq!(
        (order_now.attrs.email_accounts, order_now.plan_id),
        (Some(8), PlanId(402))
    );

    // One more with OnlyAdd: the recorded short answer, and nothing runs yet.
    let reply = app
        .post(
            "eelite/us/add-email-account.json",
            &[
                ("order-id", o),
                ("no-of-accounts", "1"),
                ("invoice-option", "OnlyAdd"),
            ],
        )
        .await;
    reply.ok();
    let mut keys: Vec<&String> = reply.body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["customercost", "customerid", "eaqid", "invoiceid"]);
    assert_eq!(reply.s("customercost"), "10.800");
    assert_eq!(reply.id("customerid"), customer);
    let pending_invoice = reply.s("invoiceid").to_string();
    assert_eq!(
        app.order(o.parse().unwrap()).await.attrs.email_accounts,
        Some(8)
    );
    for (call, params) in [
        (
            "eelite/us/add-email-account.json",
            vec![
                ("order-id", o),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        ),
        (
            "eelite/us/delete-email-account.json",
            vec![("order-id", o), ("no-of-accounts", "1")],
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        ),
    ] {
        app.refuses(
            call,
            &params,
            "There is already an action pending on this Order.",
        )
        .await;
    }
    app.post(
        "billing/customer-pay.json",
        &[("invoice-ids", &pending_invoice)],
    )
    .await
    .ok();
    assert_eq!(
        app.order(o.parse().unwrap()).await.attrs.email_accounts,
        Some(9)
    );

    // Deleting accounts: no invoice, no refund, back to the 1-5 slab.
    let (reseller_before, customer_before) = (
        app.reseller_balance().await,
        app.customer_balance(customer).await,
    );
    let reply = app
        .post(
            "eelite/us/delete-email-account.json",
            &[("order-id", o), ("no-of-accounts", "8")],
        )
        .await;
    reply.ok();
    assert_eq!(reply.s("actiontype"), "DeleteEmailAccount");
    assert!(reply.body.get("invoiceid").is_none());
    let order_now = app.order(o.parse().unwrap()).await;
    assert_eq!(
        (order_now.attrs.email_accounts, order_now.plan_id),
        (Some(1), PlanId(401))
    );
    assert_eq!(app.reseller_balance().await, reseller_before);
    assert_eq!(app.customer_balance(customer).await, customer_before);
    app.refuses(
        "eelite/us/delete-email-account.json",
        &[("order-id", o), ("no-of-accounts", "1")],
        "You must have atleast ONE email account.",
    )
    .await;

    // Renewing with two extra accounts, paid from the customer's funds:
    // 3 accounts renewed for a month at 1.000, and the 2 new ones bought
    // for the 12 months left at 1.000 a month.
    let endtime = order_now.endtime;
    let (reseller_before, customer_before) = (
        app.reseller_balance().await,
        app.customer_balance(customer).await,
    );
    let reply = app
        .post(
            "eelite/us/renew.json",
            &[
                ("order-id", o),
                ("months", "1"),
                ("no-of-accounts", "2"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    reply.ok();
    assert_eq!(reply.s("actiontype"), "Renew");
    assert_eq!(reply.s("sellingamount"), "-27.000");
    assert_eq!(
        customer_before - app.customer_balance(customer).await,
        money("27.000")
    );
    assert_eq!(
        reseller_before - app.reseller_balance().await,
        money("18.900")
    );
    let order_now = app.order(o.parse().unwrap()).await;
    assert_eq!(order_now.attrs.email_accounts, Some(3));
    assert_eq!(
        order_now.endtime,
        reseller_core::time::add_months(endtime, 1)
    );
    let plain = app
        .post(
            "eelite/us/renew.json",
            &[
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "KeepInvoice"),
            ],
        )
        .await;
    plain.ok();
    assert_eq!(plain.s("sellingamount"), "-3.000", "3 accounts for a month");

    // Search and orderid find it; delete closes it, and the name is free again.
    let found = app
        .get(
            "eelite/us/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    found.ok();
    assert_eq!(found.s("recsindb"), "1");
    assert_eq!(found.body["1"]["orders.orderid"], o);
    let by_name = app
        .get(
            "eelite/us/orderid.json",
            &[("domain-name", "grow.example.com")],
        )
        .await;
    assert_eq!(by_name.ok().body.as_i64(), Some(o.parse().unwrap()));
    app.post("eelite/us/delete.json", &[("order-id", o)])
        .await
        .ok();
    assert_eq!(
        app.order(o.parse().unwrap()).await.status,
        OrderStatus::Deleted
    );
    for (call, params) in [
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        ),
        (
            "eelite/us/add-email-account.json",
            vec![
                ("order-id", o),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        ),
        ("eelite/us/delete.json", vec![("order-id", o)]),
    ] {
        app.refuses(
            call,
            &params,
            &format!("Order {o} is Deleted and cannot be changed"),
        )
        .await;
    }
    app.post(
        ADD,
        &add_params(&c, "grow.example.com", "1", "1", "NoInvoice"),
    )
    .await
    .ok();
}

#[tokio::test]
async fn rules_refuse_with_their_texts_and_change_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("rules@example.com").await;
    let c = customer.to_string();
    let vps = app
        .add_vps(customer, "server.example.com")
        .await
        .to_string();
    let full = app
        .post(
            ADD,
            &add_params(&c, "full.example.com", "1000", "1", "NoInvoice"),
        )
        .await;
    let full = full.ok().s("entityid").to_string();
    let taken = app
        .post(
            ADD,
            &add_params(&c, "taken.example.com", "2", "1", "NoInvoice"),
        )
        .await;
    let taken = taken.ok().s("entityid").to_string();
    let cases: Vec<Refusal<String>> = vec![
        (
            ADD,
            add_params(&c, "none.example.com", "0", "1", "NoInvoice"),
            "You must have atleast ONE email account.".to_string(),
        ),
        (
            ADD,
            add_params(&c, "taken.example.com", "3", "1", "NoInvoice"),
            format!("Business Email order {taken} already exists for taken.example.com"),
        ),
        (
            ADD,
            add_params(&c, "TAKEN.example.com", "3", "1", "NoInvoice"),
            format!("Business Email order {taken} already exists for taken.example.com"),
        ),
        (
            "eelite/us/add-email-account.json",
            vec![
                ("order-id", &full),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Invalid no-of-accounts: 1001. An order holds at most 1000 email accounts".to_string(),
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", &full),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Invalid no-of-accounts: 1001. An order holds at most 1000 email accounts".to_string(),
        ),
        (
            "eelite/us/add-email-account.json",
            vec![
                ("order-id", &vps),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            format!("Order {vps} is not a Business Email order"),
        ),
        (
            "eelite/us/delete.json",
            vec![("order-id", &vps)],
            format!("Order {vps} is not a Business Email order"),
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", "999999"),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "No Entity found for Entityid: 999999".to_string(),
        ),
        (
            ADD,
            add_params("999999", "ghost.example.com", "1", "1", "NoInvoice"),
            "Invalid customer-id: 999999".to_string(),
        ),
        (
            ADD,
            add_params(&c, "odd.example.com", "1", "5", "NoInvoice"),
            "Invalid months: 5. Plan 401 offers 1, 3, 6, 12, 24, 36 months".to_string(),
        ),
    ];
    for (call, params, text) in cases {
        app.refuses(call, &params, &text).await;
    }
    for (call, params, text) in [
        (
            "eelite/us/details.json",
            vec![("order-id", vps.as_str())],
            format!("Order {vps} is not a Business Email order"),
        ),
        (
            "eelite/us/orderid.json",
            vec![("domain-name", "nothing.example.com")],
            "No order found for nothing.example.com".to_string(),
        ),
    ] {
        assert_eq!(app.get(call, &params).await.error(), text, "{call}");
    }
    // Another reseller's order is not this reseller's to see or change.
    let (other, key) = app.create_reseller("other", money("100")).await;
    let stranger = app.as_reseller(other, &key);
    for reply in [
        stranger
            .get("eelite/us/details.json", &[("order-id", &taken)])
            .await,
        stranger
            .post("eelite/us/delete.json", &[("order-id", &taken)])
            .await,
    ] {
        assert_eq!(reply.error(), "You are not allowed to perform this action");
        assert!(!reply.text.contains("taken.example.com"), "{}", reply.text);
    }
}

#[tokio::test]
async fn bad_input_names_the_parameter_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("bad@example.com").await.to_string();
    let order = app
        .post(
            ADD,
            &add_params(&customer, "bad.example.com", "2", "1", "NoInvoice"),
        )
        .await;
    let order = order.ok().s("entityid").to_string();
    let o = order.as_str();
    let c = customer.as_str();
    let cases: Vec<Refusal<&str>> = vec![
        (
            ADD,
            vec![
                ("customer-id", c),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Required parameter missing: domain-name",
        ),
        (
            ADD,
            add_params(c, "not a domain", "1", "1", "NoInvoice"),
            "Invalid domain-name: not a domain. It must be a domain name such as example.com: letters, digits and hyphens in dot-separated labels",
        ),
        (
            ADD,
            vec![
                ("domain-name", "x.example.com"),
                ("customer-id", c),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Required parameter missing: no-of-accounts",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "two", "1", "NoInvoice"),
            "Invalid no-of-accounts: two. It must be a whole number from 0 to 1000",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "-1", "1", "NoInvoice"),
            "Invalid no-of-accounts: -1. It must be a whole number from 0 to 1000",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "1.5", "1", "NoInvoice"),
            "Invalid no-of-accounts: 1.5. It must be a whole number from 0 to 1000",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "1001", "1", "NoInvoice"),
            "Invalid no-of-accounts: 1001. It must be a whole number from 0 to 1000",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "1", "0", "NoInvoice"),
            "Invalid months: 0. It must be a whole number from 1 to 120",
        ),
        (
            ADD,
            add_params(c, "x.example.com", "1", "1", "Later"),
            "Invalid invoice-option: Later. It must be one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd",
        ),
        (
            "eelite/us/add-email-account.json",
            vec![
                ("order-id", o),
                ("no-of-accounts", "0"),
                ("invoice-option", "NoInvoice"),
            ],
            "Invalid no-of-accounts: 0. It must be a whole number from 1 to 1000",
        ),
        (
            "eelite/us/add-email-account.json",
            vec![("order-id", o), ("invoice-option", "NoInvoice")],
            "Required parameter missing: no-of-accounts",
        ),
        (
            "eelite/us/delete-email-account.json",
            vec![("order-id", o), ("no-of-accounts", "0")],
            "Invalid no-of-accounts: 0. It must be a whole number from 1 to 1000",
        ),
        (
            "eelite/us/delete-email-account.json",
            vec![("no-of-accounts", "1")],
            "Required parameter missing: order-id",
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", o),
                ("months", "1"),
                ("no-of-accounts", "x"),
                ("invoice-option", "NoInvoice"),
            ],
            "Invalid no-of-accounts: x. It must be a whole number from 0 to 1000",
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", "abc"),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Invalid order-id: abc. It must be a whole number from 1 to 9223372036854775807",
        ),
        (
            "eelite/us/renew.json",
            vec![
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
                ("discount-amount", "1e3"),
            ],
            "Invalid discount-amount: 1e3. It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
        ),
    ];
    for (call, params, text) in cases {
        app.refuses(call, &params, text).await;
    }
}

#[tokio::test]
async fn prices_and_plans_show_the_account_slabs() {
    let app = TestApp::spawn().await;
    let selling = app
        .get(
            "products/customer-price.json",
            &[("product-key", "eeliteus")],
        )
        .await;
    selling.ok();
    let slabs = &selling.body["eeliteus"]["email_account_ranges"];
    assert_eq!(slabs["1-5"]["add"]["1"], "1.000", "{}", selling.text);
    assert_eq!(slabs["6-25"]["renew"]["12"], "0.810");
    assert_eq!(slabs["26-1000"]["add"]["3"], "0.800");
    let cost = app
        .get(
            "products/reseller-price.json",
            &[("product-key", "eeliteus")],
        )
        .await;
    assert_eq!(
        cost.ok().body["eeliteus"]["email_account_ranges"]["1-5"]["add"]["1"],
        "0.700"
    );
    let plans = app.get("products/plan-details.json", &[]).await;
    plans.ok();
    assert_eq!(
        plans.body["eeliteus"]["402"]["min_accounts"], "6",
        "{}",
        plans.text
    );
    assert_eq!(plans.body["eeliteus"]["402"]["max_accounts"], "25");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_adds_for_one_domain_make_one_order() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let customer = app.signup("race@example.com").await.to_string();
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (app, customer) = (app.clone(), customer.clone());
        racers.spawn(async move {
            app.post(
                ADD,
                &add_params(&customer, "race.example.com", "1", "1", "NoInvoice"),
            )
            .await
        });
    }
    let (mut won, mut refused) = (Vec::new(), 0);
    while let Some(reply) = racers.join_next().await {
        let reply = reply.unwrap();
        if reply.status == 200 {
            won.push(reply.id("entityid"));
        } else {
            assert!(
                reply.error().starts_with("Business Email order "),
                "{}",
                reply.text
            );
            refused += 1;
        }
    }
    assert_eq!((won.len(), refused), (1, 19));
    let found = app
        .get(
            "eelite/us/search.json",
            &[("no-of-records", "50"), ("page-no", "1")],
        )
        .await;
    assert_eq!(found.ok().s("recsindb"), "1");
}

#[tokio::test]
async fn a_database_from_before_business_email_gains_it_on_restart_and_keeps_its_prices() {
    let app = TestApp::spawn().await;
    let customer = app.signup("old@example.com").await.to_string();
    // As an older release left it: no email plans, no email prices, and a
    // price of its own for the VPS plan.
    app.tamper(
        "DELETE FROM prices WHERE plan_id BETWEEN 401 AND 403;
         DELETE FROM plans WHERE id BETWEEN 401 AND 403;
         UPDATE prices SET selling = 12345 WHERE plan_id = 101 AND action = 'add' AND months = 1;",
    );
    let before_restart = app
        .post(
            ADD,
            &add_params(&customer, "old.example.com", "1", "1", "NoInvoice"),
        )
        .await;
    assert!(
        before_restart.error().starts_with("Invalid plan-id: 401"),
        "{}",
        before_restart.text
    );
    let app = app.restart().await;
    app.post(
        ADD,
        &add_params(&customer, "old.example.com", "1", "1", "NoInvoice"),
    )
    .await
    .ok();
    let prices = app.get("products/customer-price.json", &[]).await;
    prices.ok();
    assert_eq!(
        prices.body["vpslinuxus"]["plans"]["101"]["add"]["1"],
        "12.345"
    );
    assert_eq!(
        prices.body["eeliteus"]["email_account_ranges"]["1-5"]["add"]["1"],
        "1.000"
    );
}

#[tokio::test]
async fn add_email_account_bills_every_invoice_option_and_answers_as_recorded() {
    let app = TestApp::spawn().await;
    let rich = app.signup("rich@example.com").await;
    app.fund(rich, "100").await;
    let poor = app.signup("poor@example.com").await;
    for (n, case) in option_cases(rich, poor).iter().enumerate() {
        let customer = case.customer.to_string();
        let domain = format!("more{n}.example.com");
        let order = app
            .post(ADD, &add_params(&customer, &domain, "2", "1", "NoInvoice"))
            .await;
        let order = order.ok().s("entityid").to_string();
        // Two more on a one-month order: 2 x 1.000 for the month left.
        let params = [
            ("order-id", order.as_str()),
            ("no-of-accounts", "2"),
            ("invoice-option", case.option),
        ];
        let reply = app
            .check_change_billing(
                case,
                "eelite/us/add-email-account.json",
                &params,
                (money("2.000"), money("1.400")),
                |reply| {
                    let map = reply.body.as_object().unwrap();
                    match case.option {
                        "NoInvoice" => (reply.id("eaqid"), None),
                        "OnlyAdd" => (reply.id("eaqid"), Some(reply.id("invoiceid"))),
                        _ => {
                            assert_eq!(map.len(), 1, "under its invoice id: {}", reply.text);
                            let (invoice, action) = map.iter().next().unwrap();
                            let eaqid = action["eaqid"].as_str().unwrap().parse().unwrap();
                            (eaqid, Some(invoice.parse().unwrap()))
                        }
                    }
                },
            )
            .await;
        let accounts = app.order(order.parse().unwrap()).await.attrs.email_accounts;
        let expected = if case.executes { 4 } else { 2 };
        assert_eq!(accounts, Some(expected), "{}: {}", case.option, reply.text);
    }
}

#[tokio::test]
async fn renew_refuses_storage_blocks_by_name_rather_than_ignoring_them() {
    let app = TestApp::spawn().await;
    let customer = app.signup("blocks@example.com").await.to_string();
    let add = app
        .post(
            ADD,
            &add_params(&customer, "blocks.example.com", "2", "1", "NoInvoice"),
        )
        .await;
    let order = add.ok().s("entityid").to_string();
    let before = app.counts();
    let refused = app
        .post(
            "eelite/us/renew.json",
            &[
                ("order-id", &order),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
                ("no-of-storage5-blocks", "2"),
            ],
        )
        .await;
    assert_eq!(
        refused.error(),
        "Unsupported parameter: no-of-storage5-blocks. This call takes order-id, months, auto-renew, no-of-accounts, invoice-option, discount-amount"
    );
    assert_eq!(app.counts(), before);
}
