//! Managed Server Linux end to end: the seed URL sent with curl as printed,
//! every call, every invoice option with balances to the thousandth,
//! add-ons bought with the order, later and at renewal, and the rules a
//! user would expect.

use crate::common::{Refusal, TestApp, curl, money, option_cases, seeded};
use reseller_core::model::{InvoiceStatus, OrderStatus};

const ADD: &str = "managedserver/linux/us/add.json";
const ADDON_ADD: &str = "managedserver/linux/us/addon/add.json";
const ADDON_DELETE: &str = "managedserver/linux/us/addon/delete.json";
const RENEW: &str = "managedserver/linux/us/renew.json";

/// An add's parameters: plan 501 for `domain`, with `addons`.
fn add_params<'a>(
    customer: &'a str,
    domain: &'a str,
    months: &'a str,
    addons: &[&'a str],
    option: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut params = vec![
        ("domain-name", domain),
        ("customer-id", customer),
        ("months", months),
        ("plan-id", "501"),
        ("invoice-option", option),
    ];
    params.extend(addons.iter().map(|addon| ("addon", *addon)));
    params
}

/// An Active managed server with `addons`, added with NoInvoice.
async fn managed(app: &TestApp, customer: i64, domain: &str, addons: &[&str]) -> String {
    let customer = customer.to_string();
    let reply = app
        .post(
            ADD,
            &add_params(&customer, domain, "12", addons, "NoInvoice"),
        )
        .await;
    reply.ok().s("entityid").to_string()
}

#[tokio::test]
async fn the_seed_url_works_with_curl_as_printed_in_json_and_xml() {
    let app = TestApp::spawn().await;
    let customer = app.signup("managed@example.com").await;
    let order = managed(&app, customer, "seed.example.com", &["whmcs"]).await;
    let printed = "https://test.httpapi.com/api/managedserver/linux/us/renew.json?auth-userid=0&api-key=key&order-id=0&months=0&invoice-option=NoInvoice&discount-amount=0.00";
    for format in ["json", "xml"] {
        let before = app.reseller_balance().await;
        let endtime = app.order(order.parse().unwrap()).await.endtime;
        let url = seeded(
            &app,
            printed,
            &[
                ("auth-userid", "1".to_string()),
                ("order-id", order.clone()),
                ("months", "1".to_string()),
            ],
        )
        .replace(".json?", &format!(".{format}?"));
        let (status, body) = curl("POST", &url).await;
        assert_eq!(status, 200, "{url} answered {body}");
        if format == "json" {
            let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(reply["actiontype"], "Renew");
            assert_eq!(reply["actionstatus"], "Success");
            assert_eq!(reply["entityid"], order.as_str());
            assert_eq!(reply["discount-amount"], "0.000");
        } else {
            assert!(
                body.contains("<string>actiontype</string><string>Renew</string>"),
                "{body}"
            );
        }
        // A month of the server (42.000 to the reseller) and of its WHMCS add-on (10.500).
        assert_eq!(before - app.reseller_balance().await, money("52.500"));
        let order = app.order(order.parse().unwrap()).await;
        assert_eq!(order.endtime, reseller_core::time::add_months(endtime, 1));
    }
}

#[tokio::test]
async fn every_invoice_option_bills_the_server_and_its_addons_exactly() {
    let app = TestApp::spawn().await;
    let rich = app.signup("rich@example.com").await;
    app.fund(rich, "1000").await;
    let poor = app.signup("poor@example.com").await;
    // Three months of plan 501 (60.000 a month) with WHMCS (15.000) and
    // storage_2 (10.000); the reseller's cost is 70% of each.
    let (price, cost) = (money("255.000"), money("178.500"));
    for (n, case) in option_cases(rich, poor).iter().enumerate() {
        let domain = format!("option{n}.example.com");
        let customer = case.customer.to_string();
        let params = add_params(
            &customer,
            &domain,
            "3",
            &["whmcs", "storage_2"],
            case.option,
        );
        let reply = app.check_add_billing(case, ADD, &params, price, cost).await;
        let order = app.order(reply.id("entityid")).await;
        let names: Vec<&str> = order.attrs.addons.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["whmcs", "storage_2"], "{}", case.option);
    }
}

#[tokio::test]
async fn addons_are_billed_for_the_rest_of_the_term_and_renew_with_the_server() {
    let app = TestApp::spawn().await;
    let customer = app.signup("addons@example.com").await;
    app.fund(customer, "2000").await;
    let order = managed(&app, customer, "addons.example.com", &["whmcs"]).await;
    let o = order.as_str();
    let details = app
        .get("managedserver/linux/us/details.json", &[("order-id", o)])
        .await;
    details.ok();
    assert_eq!(details.s("planid"), "501");
    assert_eq!(details.s("productkey"), "managedserverlinuxus");
    assert_eq!(details.s("domainname"), "addons.example.com");
    assert_eq!(details.s("os_name"), "AlmaLinux 9");
    assert_eq!(details.s("siteadminusername"), format!("admin{o}"));
    assert!(
        details.s("ipaddress").starts_with("10."),
        "{}",
        details.text
    );
    assert_eq!(
        details.body["addons"],
        serde_json::json!([{"addonid": "1", "addonname": "whmcs"}])
    );
    assert!(!details.text.contains("password"), "{}", details.text);

    // Two add-ons with KeepInvoice: 13.000 a month for the 12 months left.
    let reseller_before = app.reseller_balance().await;
    let reply = app
        .post(
            ADDON_ADD,
            &[
                ("order-id", o),
                ("addon", "ipaddress"),
                ("addon", "storage_2"),
                ("invoice-option", "KeepInvoice"),
            ],
        )
        .await;
    reply.ok();
    assert_eq!(reply.s("actiontype"), "AddAddon");
    assert_eq!(reply.s("sellingamount"), "-156.000");
    let invoice = app.invoice(reply.id("invoiceid")).await;
    assert_eq!(
        (invoice.status, invoice.amount),
        (InvoiceStatus::Unpaid, money("156.000"))
    );
    assert_eq!(
        reseller_before - app.reseller_balance().await,
        money("109.200")
    );
    let ids: Vec<(u32, String)> = app
        .order(o.parse().unwrap())
        .await
        .attrs
        .addons
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    assert_eq!(
        ids,
        [
            (1, "whmcs".to_string()),
            (2, "ipaddress".to_string()),
            (3, "storage_2".to_string())
        ]
    );

    // OnlyAdd leaves the add-on pending, and the order waits for it.
    let pending = app
        .post(
            ADDON_ADD,
            &[
                ("order-id", o),
                ("addon", "storage_1"),
                ("invoice-option", "OnlyAdd"),
            ],
        )
        .await;
    pending.ok();
    assert_eq!(app.order(o.parse().unwrap()).await.attrs.addons.len(), 3);
    let waits = "There is already an action pending on this Order.";
    app.refuses(
        ADDON_ADD,
        &[
            ("order-id", o),
            ("addon", "storage_3"),
            ("invoice-option", "NoInvoice"),
        ],
        waits,
    )
    .await;
    app.refuses(ADDON_DELETE, &[("order-id", o), ("addon-id", "2")], waits)
        .await;
    app.refuses(
        RENEW,
        &[
            ("order-id", o),
            ("months", "1"),
            ("invoice-option", "NoInvoice"),
        ],
        waits,
    )
    .await;
    app.post(
        "billing/customer-pay.json",
        &[("invoice-ids", pending.s("invoiceid"))],
    )
    .await
    .ok();
    let addons = app.order(o.parse().unwrap()).await.attrs.addons;
    assert_eq!((addons[3].id, addons[3].name.as_str()), (4, "storage_1"));

    // Removing one: at once, no invoice, no refund; its id is gone.
    let (reseller_before, customer_before) = (
        app.reseller_balance().await,
        app.customer_balance(customer).await,
    );
    let reply = app
        .post(ADDON_DELETE, &[("order-id", o), ("addon-id", "2")])
        .await;
    reply.ok();
    assert_eq!(reply.s("actiontype"), "DeleteAddon");
    assert!(reply.body.get("invoiceid").is_none());
    assert_eq!(app.reseller_balance().await, reseller_before);
    assert_eq!(app.customer_balance(customer).await, customer_before);
    app.refuses(
        ADDON_DELETE,
        &[("order-id", o), ("addon-id", "2")],
        &format!("Invalid addon-id: 2. Order {o} has no such add-on"),
    )
    .await;

    // Renewing a month: the server (60.000) and its add-ons whmcs,
    // storage_2 and storage_1 (15.000 + 10.000 + 5.000), from the customer's funds.
    let reply = app
        .post(
            RENEW,
            &[
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    reply.ok();
    assert_eq!(reply.s("sellingamount"), "-90.000");
    assert_eq!(
        customer_before - app.customer_balance(customer).await,
        money("90.000")
    );
    assert_eq!(
        reseller_before - app.reseller_balance().await,
        money("63.000")
    );

    // Search, orderid, then delete; a deleted order takes nothing more.
    let found = app
        .get(
            "managedserver/linux/us/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(found.ok().s("recsindb"), "1");
    let by_name = app
        .get(
            "managedserver/linux/us/orderid.json",
            &[("domain-name", "addons.example.com")],
        )
        .await;
    assert_eq!(by_name.ok().body.as_i64(), Some(o.parse().unwrap()));
    app.post("managedserver/linux/us/delete.json", &[("order-id", o)])
        .await
        .ok();
    assert_eq!(
        app.order(o.parse().unwrap()).await.status,
        OrderStatus::Deleted
    );
    let closed = format!("Order {o} is Deleted and cannot be changed");
    app.refuses(
        RENEW,
        &[
            ("order-id", o),
            ("months", "1"),
            ("invoice-option", "NoInvoice"),
        ],
        &closed,
    )
    .await;
    app.refuses(
        ADDON_ADD,
        &[
            ("order-id", o),
            ("addon", "storage_3"),
            ("invoice-option", "NoInvoice"),
        ],
        &closed,
    )
    .await;
}

#[tokio::test]
async fn a_backup_attaches_to_a_managed_server() {
    let app = TestApp::spawn().await;
    let customer = app.signup("backed@example.com").await;
    let order = managed(&app, customer, "backed.example.com", &[]).await;
    let backup = app
        .add_backup(customer, order.parse().unwrap(), 20, "NoInvoice")
        .await;
    backup.ok();
    assert_eq!(backup.s("description"), "backed.example.com");
    app.post(
        "backup/us/install-agent.json",
        &[
            ("backup-order-id", backup.s("entityid")),
            ("hosting-order-id", &order),
        ],
    )
    .await
    .ok();
    let details = app
        .get(
            "managedserver/linux/us/details.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(details.ok().s("backupagentorderid"), backup.s("entityid"));
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
    let order = managed(&app, customer, "rules.example.com", &["whmcs"]).await;
    let o = order.as_str();
    let plans = "Invalid plan-id: 101. Plans of managedserverlinuxus: 501, 502";
    let mut with_plan = add_params(&c, "new.example.com", "1", &[], "NoInvoice");
    with_plan.retain(|(k, _)| *k != "plan-id");
    let mut vps_plan = with_plan.clone();
    vps_plan.push(("plan-id", "101"));
    let mut addon_plan = with_plan.clone();
    addon_plan.push(("plan-id", "592"));
    let cases: Vec<Refusal<String>> = vec![
        (ADD, vps_plan, plans.to_string()),
        (ADD, addon_plan, plans.replace("101", "592")),
        (
            ADD,
            add_params(&c, "new.example.com", "5", &[], "NoInvoice"),
            "Invalid months: 5. Plan 501 offers 1, 3, 6, 12, 24, 36 months".to_string(),
        ),
        (
            ADD,
            add_params(&c, "new.example.com", "1", &["whmcs", "whmcs"], "NoInvoice"),
            "Invalid addon: whmcs. It is given more than once".to_string(),
        ),
        (
            ADD,
            add_params(&c, "new.example.com", "1", &["cpanel"], "NoInvoice"),
            "Invalid addon: cpanel. It must be one of ipaddress, whmcs, storage_1, storage_2, storage_3, storage_4, storage_5".to_string(),
        ),
        (
            ADDON_ADD,
            vec![("order-id", o), ("addon", "whmcs"), ("invoice-option", "NoInvoice")],
            format!("Invalid addon: whmcs. Order {o} has it already"),
        ),
        (
            ADDON_ADD,
            vec![("order-id", o), ("addon", "storage_4"), ("addon", "storage_4"), ("invoice-option", "NoInvoice")],
            "Invalid addon: storage_4. It is given more than once".to_string(),
        ),
        (
            ADDON_ADD,
            vec![("order-id", &vps), ("addon", "whmcs"), ("invoice-option", "NoInvoice")],
            format!("Order {vps} is not a Managed Server Linux order"),
        ),
        (
            ADDON_DELETE,
            vec![("order-id", o), ("addon-id", "9")],
            format!("Invalid addon-id: 9. Order {o} has no such add-on"),
        ),
        (
            RENEW,
            vec![("order-id", &vps), ("months", "1"), ("invoice-option", "NoInvoice")],
            format!("Order {vps} is not a Managed Server Linux order"),
        ),
        (
            RENEW,
            vec![("order-id", o), ("months", "1"), ("invoice-option", "NoInvoice"), ("discount-amount", "1000")],
            "Invalid discount-amount: 1000.000 is more than the price 75.000".to_string(),
        ),
    ];
    for (call, params, text) in cases {
        app.refuses(call, &params, &text).await;
    }
    let details = app
        .get("managedserver/linux/us/details.json", &[("order-id", &vps)])
        .await;
    assert_eq!(
        details.error(),
        format!("Order {vps} is not a Managed Server Linux order")
    );
    let (other, key) = app.create_reseller("other", money("100")).await;
    let stranger = app.as_reseller(other, &key);
    for reply in [
        stranger
            .get("managedserver/linux/us/details.json", &[("order-id", o)])
            .await,
        stranger
            .post(ADDON_DELETE, &[("order-id", o), ("addon-id", "1")])
            .await,
    ] {
        assert_eq!(reply.error(), "You are not allowed to perform this action");
        assert!(!reply.text.contains("rules.example.com"), "{}", reply.text);
    }
}

#[tokio::test]
async fn bad_input_names_the_parameter_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("bad@example.com").await;
    let c = customer.to_string();
    let order = managed(&app, customer, "bad.example.com", &[]).await;
    let o = order.as_str();
    let cases: Vec<Refusal<&str>> = vec![
        (
            ADD,
            add_params(&c, "not a domain", "1", &[], "NoInvoice"),
            "Invalid domain-name: not a domain. It must be a domain name such as example.com: letters, digits and hyphens in dot-separated labels",
        ),
        (
            ADD,
            vec![
                ("domain-name", "x.example.com"),
                ("customer-id", &c),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
            "Required parameter missing: plan-id",
        ),
        (
            ADD,
            add_params(&c, "x.example.com", "twelve", &[], "NoInvoice"),
            "Invalid months: twelve. It must be a whole number from 1 to 120",
        ),
        (
            ADD,
            add_params(&c, "x.example.com", "1", &["WHMCS"], "NoInvoice"),
            "Invalid addon: WHMCS. It must be one of ipaddress, whmcs, storage_1, storage_2, storage_3, storage_4, storage_5",
        ),
        (
            ADD,
            add_params(&c, "x.example.com", "1", &[], "Maybe"),
            "Invalid invoice-option: Maybe. It must be one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd",
        ),
        (
            ADDON_ADD,
            vec![("order-id", o), ("invoice-option", "NoInvoice")],
            "Required parameter missing: addon",
        ),
        (
            ADDON_ADD,
            vec![("order-id", o), ("addon", "whmcs")],
            "Required parameter missing: invoice-option",
        ),
        (
            ADDON_DELETE,
            vec![("order-id", o)],
            "Required parameter missing: addon-id",
        ),
        (
            ADDON_DELETE,
            vec![("order-id", o), ("addon-id", "one")],
            "Invalid addon-id: one. It must be a whole number from 1 to 4294967295",
        ),
        (
            ADDON_DELETE,
            vec![("order-id", o), ("addon-id", "-1")],
            "Invalid addon-id: -1. It must be a whole number from 1 to 4294967295",
        ),
        (
            RENEW,
            vec![("order-id", o), ("invoice-option", "NoInvoice")],
            "Required parameter missing: months",
        ),
        (
            RENEW,
            vec![
                ("order-id", o),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
                ("auto-renew", "yes"),
            ],
            "Invalid auto-renew: yes. It must be true or false (or 1 or 0)",
        ),
    ];
    for (call, params, text) in cases {
        app.refuses(call, &params, text).await;
    }
}

#[tokio::test]
async fn prices_list_plans_and_addons_and_plan_details_only_plans() {
    let app = TestApp::spawn().await;
    let selling = app
        .get(
            "products/customer-price.json",
            &[("product-key", "managedserverlinuxus")],
        )
        .await;
    selling.ok();
    let product = &selling.body["managedserverlinuxus"];
    assert_eq!(
        product["plans"]["501"]["add"]["1"], "60.000",
        "{}",
        selling.text
    );
    assert_eq!(product["plans"]["502"]["renew"]["12"], "90.000");
    assert_eq!(product["addons"]["whmcs"]["add"]["1"], "15.000");
    assert_eq!(product["addons"]["storage_5"]["renew"]["1"], "25.000");
    assert!(product["plans"].get("592").is_none());
    let cost = app
        .get(
            "products/reseller-price.json",
            &[("product-key", "managedserverlinuxus")],
        )
        .await;
    assert_eq!(
        cost.ok().body["managedserverlinuxus"]["addons"]["whmcs"]["add"]["1"],
        "10.500"
    );
    let plans = app.get("products/plan-details.json", &[]).await;
    plans.ok();
    let managed = plans.body["managedserverlinuxus"].as_object().unwrap();
    let mut ids: Vec<&String> = managed.keys().collect();
    ids.sort();
    assert_eq!(ids, ["501", "502"]);
}

#[tokio::test]
async fn addon_add_bills_every_invoice_option() {
    let app = TestApp::spawn().await;
    let rich = app.signup("rich@example.com").await;
    app.fund(rich, "1000").await;
    let poor = app.signup("poor@example.com").await;
    for (n, case) in option_cases(rich, poor).iter().enumerate() {
        let order = managed(&app, case.customer, &format!("more{n}.example.com"), &[]).await;
        // WHMCS for the 12 months left: 12 x 15.000, cost 12 x 10.500.
        let params = [
            ("order-id", order.as_str()),
            ("addon", "whmcs"),
            ("invoice-option", case.option),
        ];
        app.check_change_billing(
            case,
            ADDON_ADD,
            &params,
            (money("180.000"), money("126.000")),
            |reply| {
                let invoice = reply.body.get("invoiceid").map(|_| reply.id("invoiceid"));
                (reply.id("eaqid"), invoice)
            },
        )
        .await;
        let addons = app.order(order.parse().unwrap()).await.attrs.addons;
        assert_eq!(addons.len(), usize::from(case.executes), "{}", case.option);
    }
}
