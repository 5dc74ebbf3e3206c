//! VPS Linux US and Dedicated Server Linux US on the shared order engine.

use crate::common::{TestApp, money};

#[tokio::test]
async fn each_server_product_adds_renews_finds_and_deletes() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await.to_string();
    app.fund(customer.parse().unwrap(), "1000").await;
    for (path, plan, key, monthly) in [
        ("vps/linux/us", "102", "vpslinuxus", "20.000"),
        (
            "dedicatedserver/linux/us",
            "201",
            "dedicatedserverlinuxus",
            "150.000",
        ),
    ] {
        let domain = format!("{}.example.com", key);
        let add = app
            .post(
                &format!("{path}/add.json"),
                &[
                    ("domain-name", &domain),
                    ("customer-id", &customer),
                    ("months", "1"),
                    ("plan-id", plan),
                    ("auto-renew", "true"),
                    ("invoice-option", "PayInvoice"),
                ],
            )
            .await;
        add.ok();
        assert_eq!(add.s("actionstatus"), "Success");
        assert_eq!(add.s("sellingamount"), format!("-{monthly}"));
        let order = add.s("entityid").to_string();

        let details = app
            .get(&format!("{path}/details.json"), &[("order-id", &order)])
            .await;
        details.ok();
        assert_eq!(details.s("productkey"), key);
        assert_eq!(details.s("domainname"), domain);
        assert_eq!(details.s("recurring"), "true");
        assert_eq!(details.s("planid"), plan);
        let xml = app
            .get(&format!("{path}/details.xml"), &[("order-id", &order)])
            .await;
        assert!(xml.text.contains(&format!(
            "<entry><string>productkey</string><string>{key}</string></entry>"
        )));

        let id = app
            .get(&format!("{path}/orderid.json"), &[("domain-name", &domain)])
            .await;
        assert_eq!(
            id.ok().body,
            serde_json::json!(order.parse::<i64>().unwrap())
        );

        let renew = app
            .post(
                &format!("{path}/renew.json"),
                &[
                    ("order-id", &order),
                    ("months", "3"),
                    ("invoice-option", "KeepInvoice"),
                    ("discount-amount", "1"),
                ],
            )
            .await;
        renew.ok();
        assert_eq!(renew.s("actiontype"), "Renew");
        assert_eq!(renew.s("discount-amount"), "1.000");
        assert_eq!(
            money(renew.s("sellingamount")),
            -(money(monthly).times(3) - money("1"))
        );

        let search = app
            .get(
                &format!("{path}/search.json"),
                &[
                    ("no-of-records", "10"),
                    ("page-no", "1"),
                    ("domain-name", &domain),
                ],
            )
            .await;
        assert_eq!(search.ok().s("recsindb"), "1");
        assert_eq!(search.body["1"]["entitytype.entitytypekey"], key);

        let delete = app
            .post(&format!("{path}/delete.json"), &[("order-id", &order)])
            .await;
        delete.ok();
        assert_eq!(delete.s("actiontype"), "Delete");
        assert!(delete.body.get("invoiceid").is_none());
        let gone = app
            .get(&format!("{path}/details.json"), &[("order-id", &order)])
            .await;
        assert_eq!(gone.s("currentstatus"), "Deleted");
    }
}

#[tokio::test]
async fn a_call_on_another_products_order_is_refused() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await.to_string();

    let reply = app
        .get(
            "dedicatedserver/linux/us/details.json",
            &[("order-id", &vps)],
        )
        .await;
    assert_eq!(
        reply.error(),
        format!("Order {vps} is not a Dedicated Server Linux order")
    );
    let missing = app
        .get("vps/linux/us/details.json", &[("order-id", "777")])
        .await;
    assert_eq!(missing.error(), "No Entity found for Entityid: 777");
    let no_name = app
        .get(
            "vps/linux/us/orderid.json",
            &[("domain-name", "nothing.example.com")],
        )
        .await;
    assert_eq!(no_name.error(), "No order found for nothing.example.com");
    let bad_name = app
        .get(
            "vps/linux/us/orderid.json",
            &[("domain-name", "not a domain")],
        )
        .await;
    assert!(
        bad_name
            .error()
            .starts_with("Invalid domain-name: not a domain.")
    );
}

#[tokio::test]
async fn plans_and_prices_list_every_product() {
    let app = TestApp::spawn().await;
    let plans = app.get("products/plan-details.json", &[]).await;
    plans.ok();
    for key in [
        "vpslinuxus",
        "dedicatedserverlinuxus",
        "acronisbackupus",
        "acronisbackupasia",
    ] {
        assert!(plans.body[key].is_object(), "plan-details lacks {key}");
    }
    assert_eq!(
        plans.body["acronisbackupus"]["301"]["plan_status"],
        "Active"
    );
    assert_eq!(
        plans.body["acronisbackupasia"]["311"]["max_storage_gb"],
        "100"
    );

    let selling = app.get("products/customer-price.json", &[]).await;
    let cost = app.get("products/reseller-price.json", &[]).await;
    assert_eq!(
        selling.ok().body["vpslinuxus"]["plans"]["101"]["add"]["1"],
        "10.000"
    );
    assert_eq!(
        cost.ok().body["vpslinuxus"]["plans"]["101"]["add"]["1"],
        "7.000"
    );
    assert_eq!(
        selling.body["acronisbackupus"]["plans"]["301"]["renew"]["12"],
        "0.090"
    );
    let only = app
        .get(
            "products/customer-price.json",
            &[("product-key", "acronisbackupasia")],
        )
        .await;
    assert_eq!(only.ok().body.as_object().unwrap().len(), 1);
    let bad = app
        .get("products/customer-price.json", &[("product-key", "nope")])
        .await;
    assert!(
        bad.error()
            .starts_with("Invalid product-key: nope. It must be one of vpslinuxus")
    );
}

#[tokio::test]
async fn renew_keeps_auto_renew_unless_told() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await.to_string();
    let renew = |auto: Option<&'static str>| {
        let mut params = vec![
            ("order-id", vps.clone()),
            ("months", "1".to_string()),
            ("invoice-option", "NoInvoice".to_string()),
        ];
        if let Some(auto) = auto {
            params.push(("auto-renew", auto.to_string()));
        }
        params
    };
    for (auto, expected) in [
        (Some("true"), "true"),
        (None, "true"),
        (Some("false"), "false"),
        (None, "false"),
    ] {
        let params = renew(auto);
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post("vps/linux/us/renew.json", &params).await.ok();
        let details = app
            .get("vps/linux/us/details.json", &[("order-id", &vps)])
            .await;
        assert_eq!(
            details.s("recurring"),
            expected,
            "after renew with auto-renew {auto:?}"
        );
    }
}
