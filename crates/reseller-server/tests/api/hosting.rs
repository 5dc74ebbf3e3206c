//! Web hosting (single-domain, multi-domain and reseller hosting, Linux and
//! Windows, and the website builder) on the shared order engine: each is
//! nothing but its declaration, and takes the standard calls below every
//! prefix the vendor prints, billed at its plan's price, with its limits
//! in the plan details.

use crate::common::TestApp;
use reseller_core::catalogue::web_hosting_products;

#[tokio::test]
async fn each_hosting_product_adds_renews_finds_and_deletes_under_every_prefix() {
    let app = TestApp::spawn().await;
    let customer = app.signup("host@example.com").await.to_string();
    app.fund(customer.parse().unwrap(), "5000").await;
    let products: Vec<_> = web_hosting_products().collect();
    assert_eq!(products.len(), 7, "the hosting products declared");
    for spec in products {
        let plan = spec.plans[1];
        let monthly = reseller_core::Money(plan.monthly).to_string();
        for prefix in spec.prefixes {
            let domain = format!("{}.example.com", prefix.replace('/', "-"));
            let add = app
                .post(
                    &format!("{prefix}/add.json"),
                    &[
                        ("domain-name", &domain),
                        ("customer-id", &customer),
                        ("months", "1"),
                        ("plan-id", &plan.id.0.to_string()),
                        ("invoice-option", "PayInvoice"),
                    ],
                )
                .await;
            add.ok();
            assert_eq!(add.s("actionstatus"), "Success", "{prefix}");
            assert_eq!(add.s("sellingamount"), format!("-{monthly}"), "{prefix}");
            let order = add.s("entityid").to_string();
            let details = app
                .get(&format!("{prefix}/details.json"), &[("order-id", &order)])
                .await;
            details.ok();
            assert_eq!(details.s("productkey"), spec.key);
            assert_eq!(details.s("productcategory"), "hosting");
            assert_eq!(details.s("planid"), plan.id.0.to_string());
            assert_eq!(details.s("domainname"), domain);
            assert_eq!(details.s("entitytypeid"), spec.entity_type_id.to_string());
            let id = app
                .get(
                    &format!("{prefix}/orderid.json"),
                    &[("domain-name", &domain)],
                )
                .await;
            assert_eq!(
                id.ok().body,
                serde_json::json!(order.parse::<i64>().unwrap())
            );
            let renewed = app
                .post(
                    &format!("{prefix}/renew.json"),
                    &[
                        ("order-id", &order),
                        ("months", "3"),
                        ("invoice-option", "PayInvoice"),
                    ],
                )
                .await;
            assert_eq!(renewed.ok().s("actiontype"), "Renew");
            let found = app
                .get(
                    &format!("{prefix}/search.json"),
                    &[("no-of-records", "50"), ("page-no", "1")],
                )
                .await;
            let records: Vec<&serde_json::Value> = found
                .ok()
                .body
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.parse::<u32>().is_ok())
                .map(|(_, v)| v)
                .collect();
            assert!(
                !records.is_empty()
                    && records
                        .iter()
                        .all(|r| r["entitytype.entitytypekey"] == spec.key),
                "only this product's orders: {}",
                found.text
            );
            // Another product's order is not this one's to touch.
            let vps = app
                .post(
                    "vps/linux/us/add.json",
                    &[
                        ("domain-name", &format!("vps-{domain}")),
                        ("customer-id", &customer),
                        ("months", "1"),
                        ("plan-id", "101"),
                        ("invoice-option", "NoInvoice"),
                    ],
                )
                .await;
            let vps = vps.ok().s("entityid").to_string();
            let refused = app
                .post(&format!("{prefix}/delete.json"), &[("order-id", &vps)])
                .await;
            assert!(
                refused.error().contains(spec.name),
                "{prefix}: {}",
                refused.text
            );
            let deleted = app
                .post(&format!("{prefix}/delete.json"), &[("order-id", &order)])
                .await;
            assert_eq!(deleted.ok().s("actiontype"), "Delete");
        }
    }
}

#[tokio::test]
async fn hosting_plans_show_their_disk_and_domains_and_prices() {
    let app = TestApp::spawn().await;
    let plans = app
        .get(
            "products/plan-details.json",
            &[("product-key", "multidomainhostinglinuxus")],
        )
        .await;
    let plans = plans.ok().body["multidomainhostinglinuxus"].clone();
    let pro = &plans["622"];
    assert_eq!(pro["plan_name"], "Multi Domain Linux Pro", "{plans}");
    assert_eq!(pro["disk_gb"], "300", "{plans}");
    assert_eq!(pro["domains"], "50", "{plans}");
    let prices = app
        .get(
            "products/customer-price.json",
            &[("product-key", "resellerhostingwindowsus")],
        )
        .await;
    let prices = prices.ok().body["resellerhostingwindowsus"].clone();
    assert_eq!(prices["plans"]["651"]["add"]["1"], "25.000", "{prices}");
    let customer = app.signup("builder@example.com").await.to_string();
    let unknown = app
        .post(
            "webservices/add.json",
            &[
                ("domain-name", "builder.example.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("plan-id", "601"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert!(unknown.error().contains("601"), "{}", unknown.text);
}

#[tokio::test]
async fn a_modify_buys_the_new_plan_less_what_is_left_of_the_current_term() {
    let app = TestApp::spawn().await;
    let customer = app.signup("modify@example.com").await.to_string();
    app.fund(customer.parse().unwrap(), "500").await;
    let prefix = "multidomainhosting/linux/us";
    let added = app
        .post(
            &format!("{prefix}/add.json"),
            &[
                ("domain-name", "modify.example.com"),
                ("customer-id", &customer),
                ("months", "3"),
                ("plan-id", "621"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let change = [
        ("order-id", order.as_str()),
        ("new-plan-id", "622"),
        ("months", "12"),
    ];
    // Three months left at 8.000 (plan 621's one-month renewal price); twelve
    // months of plan 622 at its 12-month add price, 12.000 less 10%.
    let quote = app
        .get(&format!("{prefix}/modify-pricing.json"), &change)
        .await;
    quote.ok();
    assert_eq!(quote.body["remainingmonths"], 3, "{}", quote.text);
    assert_eq!(quote.body["currentOrderPrice"], 24.0, "{}", quote.text);
    assert_eq!(quote.body["modifiedOrderPrice"], 129.6, "{}", quote.text);
    assert_eq!(quote.body["upgradecost"], 105.6, "{}", quote.text);

    async fn balance(app: &TestApp, customer: &str) -> String {
        app.get(
            "billing/customer-balance.json",
            &[("customer-id", customer)],
        )
        .await
        .s("sellingcurrencybalance")
        .to_string()
    }
    assert_eq!(balance(&app, &customer).await, "500.000");
    let modified = app
        .post(
            &format!("{prefix}/modify.json"),
            &[
                change[0],
                change[1],
                change[2],
                ("invoice-option", "PayInvoice"),
            ],
        )
        .await;
    modified.ok();
    assert_eq!(modified.s("actiontype"), "Modify");
    assert_eq!(modified.s("actionstatus"), "Success");
    assert_eq!(balance(&app, &customer).await, "394.400", "105.600 paid");
    let details = app
        .get(&format!("{prefix}/details.json"), &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("planid"), "622");

    // Back down: cheaper than what is left, so free, and nothing comes back.
    let down = app
        .get(
            &format!("{prefix}/modify-pricing.json"),
            &[
                ("order-id", &order),
                ("new-plan-id", "621"),
                ("months", "1"),
            ],
        )
        .await;
    assert_eq!(down.ok().body["upgradecost"], 0.0, "{}", down.text);
    let same = app
        .post(
            &format!("{prefix}/modify.json"),
            &[
                ("order-id", &order),
                ("new-plan-id", "622"),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert_eq!(
        same.error(),
        format!("Invalid new-plan-id: 622. Order {order} is on that plan already")
    );
    let other_product = app
        .post(
            &format!("{prefix}/modify.json"),
            &[
                ("order-id", &order),
                ("new-plan-id", "641"),
                ("months", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert!(
        other_product.error().contains("641"),
        "{}",
        other_product.text
    );
    let odd_tenure = app
        .post(
            &format!("{prefix}/modify.json"),
            &[
                ("order-id", &order),
                ("new-plan-id", "621"),
                ("months", "5"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    assert!(odd_tenure.error().contains("5"), "{}", odd_tenure.text);
    assert_eq!(
        balance(&app, &customer).await,
        "394.400",
        "refusals charge nothing"
    );
}

#[tokio::test]
async fn ssl_dedicated_ips_and_license_keys_are_the_orders_own() {
    let app = TestApp::spawn().await;
    let customer = app.signup("extras@example.com").await.to_string();
    app.fund(customer.parse().unwrap(), "500").await;
    let prefix = "resellerhosting/linux/us";
    let added = app
        .post(
            &format!("{prefix}/add.json"),
            &[
                ("domain-name", "extras.example.com"),
                ("customer-id", &customer),
                ("months", "3"),
                ("plan-id", "641"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let billed = [
        ("order-id", order.as_str()),
        ("invoice-option", "PayInvoice"),
    ];
    // SSL for the three months left at 2.000 a month.
    let ssl = app
        .post(&format!("{prefix}/enable-ssl.json"), &billed)
        .await;
    assert_eq!(ssl.ok().s("actiontype"), "AddAddon");
    assert_eq!(ssl.s("sellingamount"), "-6.000", "{}", ssl.text);
    let again = app
        .post(&format!("{prefix}/enable-ssl.json"), &billed)
        .await;
    assert_eq!(
        again.error(),
        format!("Invalid addon: ssl. Order {order} has it already")
    );
    let none = app
        .post(
            &format!("{prefix}/delete-dedicated-ip.json"),
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(none.error(), format!("Order {order} has no dedicatedip"));
    let ip = app
        .post(&format!("{prefix}/add-dedicated-ip.json"), &billed)
        .await;
    assert_eq!(ip.ok().s("sellingamount"), "-9.000", "{}", ip.text);

    async fn key(app: &TestApp, prefix: &str, order: &str) -> String {
        let reply = app
            .post(
                &format!("{prefix}/generate-license-key.json"),
                &[("order-id", order)],
            )
            .await;
        reply.ok().s("licensekey").to_string()
    }
    let first = key(&app, prefix, &order).await;
    assert_eq!(first.len(), 24, "{first}");
    assert_eq!(
        key(&app, prefix, &order).await,
        first,
        "made once, answered again"
    );
    let details = app
        .get(&format!("{prefix}/details.json"), &[("order-id", &order)])
        .await;
    details.ok();
    assert_eq!(details.s("licensekey"), first);
    let names: Vec<&str> = details.body["addons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["addonname"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ssl", "dedicatedip"]);
    let gone = app
        .post(
            &format!("{prefix}/delete-dedicated-ip.json"),
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(gone.ok().s("actiontype"), "DeleteAddon");
    let details = app
        .get(&format!("{prefix}/details.json"), &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().body["addons"].as_array().unwrap().len(), 1);

    // Only reseller hosting has dedicated IPs and license keys.
    let elsewhere = app
        .post("multidomainhosting/linux/us/add-dedicated-ip.json", &billed)
        .await;
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.text);
}

#[tokio::test]
async fn a_site_goes_into_maintenance_and_the_website_builder_shows_its_plans_and_costs() {
    let app = TestApp::spawn().await;
    let customer = app.signup("builder@example.com").await.to_string();
    let added = app
        .post(
            "webservices/add.json",
            &[
                ("domain-name", "builder.example.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("plan-id", "661"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    let details = app
        .get("webservices/details.json", &[("order-id", &order)])
        .await;
    assert!(details.ok().body.get("maintenancemode").is_none());
    for _ in 0..2 {
        let enabled = app
            .post(
                "webservices/enable-maintenance.json",
                &[("order-id", &order)],
            )
            .await;
        assert_eq!(enabled.ok().s("status"), "Success");
        assert_eq!(enabled.s("orderid"), order);
    }
    let details = app
        .get("webservices/details.json", &[("order-id", &order)])
        .await;
    assert_eq!(details.ok().s("maintenancemode"), "true");
    // Another product's order, a deleted one and a typo are refused.
    let hosting = app
        .post(
            "multidomainhosting/add.json",
            &[
                ("domain-name", "other.example.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("plan-id", "621"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let other = hosting.ok().s("entityid").to_string();
    let wrong = app
        .post(
            "webservices/enable-maintenance.json",
            &[("order-id", &other)],
        )
        .await;
    assert!(wrong.error().contains(&other), "{}", wrong.text);
    let typo = app
        .post(
            "webservices/enable-maintenance.json",
            &[("order-id", &order), ("enable", "true")],
        )
        .await;
    assert!(typo.error().contains("enable"), "{}", typo.text);
    app.post("multidomainhosting/delete.json", &[("order-id", &other)])
        .await
        .ok();
    let deleted = app
        .post(
            "multidomainhosting/enable-maintenance.json",
            &[("order-id", &other)],
        )
        .await;
    assert!(deleted.error().contains(&other), "{}", deleted.text);
    let details = app
        .get("multidomainhosting/details.json", &[("order-id", &other)])
        .await;
    assert!(
        details.ok().body.get("maintenancemode").is_none(),
        "nothing changed"
    );

    let categories = app
        .get("webservices/active-plan-categories.json", &[])
        .await;
    let listed: Vec<(String, String)> = categories
        .ok()
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["planid"].as_str().unwrap().to_string(),
                p["category"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("661".to_string(), "personal".to_string()),
            ("662".to_string(), "business".to_string())
        ]
    );
    let mock = app
        .get("webservices/mock/products/reseller-price.json", &[])
        .await;
    let all = app
        .get(
            "products/reseller-price.json",
            &[("product-key", "websitebuilder")],
        )
        .await;
    assert_eq!(mock.ok().body, all.ok().body);
    assert_eq!(
        mock.body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["websitebuilder"]
    );
}

#[tokio::test]
async fn the_auto_login_link_opens_the_orders_control_panel_for_a_while() {
    let app = TestApp::spawn().await;
    let customer = app.signup("panel@example.com").await.to_string();
    let added = app
        .post(
            "singledomainhosting/linux/us/add.json",
            &[
                ("domain-name", "panel.example.com"),
                ("customer-id", &customer),
                ("months", "1"),
                ("plan-id", "601"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = added.ok().s("entityid").to_string();
    app.post(
        "singledomainhosting/linux/us/enable-maintenance.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
    let login = app
        .get(
            "singledomainhosting/linux/us/auto-login-details.json",
            &[("order-id", &order)],
        )
        .await;
    assert_eq!(login.ok().s("status"), "Success");
    assert_eq!(login.s("orderid"), order);
    let url = login.s("autoLoginUrl").to_string();
    assert!(
        url.starts_with(&format!("{}/console/hosting/", app.base())),
        "{url}"
    );
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("order {order}"))
            && html.contains("panel.example.com")
            && html.contains("Single Domain Linux Hosting control panel")
            && html.contains("<th>Maintenance mode</th><td>on</td>"),
        "{html}"
    );
    // A backup's console link opens no hosting panel, and the other way.
    let forged = url.replace("/console/hosting/", "/console/backup/");
    let page = app.client.get(&forged).send().await.unwrap();
    assert_eq!(page.status(), 403);
    // Another product's order has no hosting panel.
    let other = app
        .get(
            "multidomainhosting/auto-login-details.json",
            &[("order-id", &order)],
        )
        .await;
    assert!(other.error().contains(&order), "{}", other.text);

    app.advance(reseller_server::api::backup::AUTO_LOGIN_TTL + 1)
        .await;
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("expired"));
    let fresh = app
        .get(
            "singledomainhosting/linux/us/auto-login-details.json",
            &[("order-id", &order)],
        )
        .await;
    let fresh = fresh.ok().s("autoLoginUrl").to_string();
    app.post(
        "singledomainhosting/linux/us/delete.json",
        &[("order-id", &order)],
    )
    .await
    .ok();
    let page = app.client.get(&fresh).send().await.unwrap();
    assert_eq!(page.status(), 404, "a deleted order has no panel");
    let refused = app
        .get(
            "singledomainhosting/linux/us/auto-login-details.json",
            &[("order-id", &order)],
        )
        .await;
    assert!(refused.error().contains(&order), "{}", refused.text);
}

#[tokio::test]
async fn hosting_orders_lapse_suspend_and_are_deleted_as_servers_are() {
    let app = TestApp::spawn().await;
    let poor = app.signup("lapsing-sites@example.com").await.to_string();
    let mut lapsing = Vec::new();
    for spec in reseller_core::catalogue::web_hosting_products() {
        let prefix = spec.prefixes[0];
        let added = app
            .post(
                &format!("{prefix}/add.json"),
                &[
                    ("domain-name", &format!("{}.example.com", spec.key)),
                    ("customer-id", &poor),
                    ("months", "1"),
                    ("plan-id", &spec.plans[0].id.0.to_string()),
                    ("auto-renew", "true"),
                    ("invoice-option", "NoInvoice"),
                ],
            )
            .await;
        lapsing.push((prefix, added.ok().s("entityid").to_string()));
    }
    // Suspended by the reseller: its own calls refuse it, details show it.
    let (prefix, suspended) = lapsing[0].clone();
    app.post(
        "orders/suspend.json",
        &[("order-id", suspended.as_str()), ("reason", "unpaid")],
    )
    .await
    .ok();
    let details = app
        .get(
            &format!("{prefix}/details.json"),
            &[("order-id", suspended.as_str())],
        )
        .await;
    assert_eq!(details.ok().s("currentstatus"), "Suspended");
    let refused = app
        .post(
            &format!("{prefix}/enable-maintenance.json"),
            &[("order-id", suspended.as_str())],
        )
        .await;
    assert!(refused.error().contains("Suspended"), "{}", refused.text);
    app.post("orders/unsuspend.json", &[("order-id", suspended.as_str())])
        .await
        .ok();

    // No funds for the renewal: each expires, then is deleted.
    let (status, moved) = app
        .control(
            reqwest::Method::POST,
            "clock/advance",
            Some(serde_json::json!({"days": 50})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    for (prefix, order) in &lapsing {
        let jobs: Vec<&str> = moved["ran"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["order_id"].as_i64() == order.parse().ok())
            .map(|r| r["job"].as_str().unwrap())
            .collect();
        assert!(
            jobs.contains(&"expiry") && jobs.contains(&"deletion"),
            "{prefix}: {jobs:?}"
        );
        let details = app
            .get(
                &format!("{prefix}/details.json"),
                &[("order-id", order.as_str())],
            )
            .await;
        assert_eq!(details.ok().s("currentstatus"), "Deleted", "{prefix}");
    }
}
