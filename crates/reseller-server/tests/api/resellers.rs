//! The reseller's own account and the catalogue's maps.

use crate::common::{TestApp, money};

#[tokio::test]
async fn a_reseller_sees_its_own_details_and_no_other() {
    let app = TestApp::spawn().await;
    let details = app.get("resellers/details.json", &[]).await;
    details.ok();
    assert_eq!(details.s("resellerid"), "1");
    assert_eq!(details.s("name"), "Demo Reseller");
    assert_eq!(details.s("resellerstatus"), "Active");
    let (other, key) = app.create_reseller("Other Hosting", money("10")).await;
    let theirs = app
        .as_reseller(other, &key)
        .get("resellers/details.json", &[])
        .await;
    assert_eq!(theirs.ok().s("name"), "Other Hosting");
    let foreign = app
        .as_reseller(other, &key)
        .get("resellers/details.json", &[("reseller-id", "1")])
        .await;
    assert_eq!(
        foreign.error(),
        "Invalid reseller-id: 1. No sub-reseller of yours has it"
    );
}

#[tokio::test]
async fn the_cost_price_is_the_resellers_price_and_categories_map_product_keys() {
    let app = TestApp::spawn().await;
    let cost = app.get("products/reseller-cost-price.json", &[]).await;
    let price = app.get("products/reseller-price.json", &[]).await;
    assert_eq!(cost.ok().body, price.ok().body);
    assert_eq!(cost.body["vpslinuxus"]["plans"]["101"]["add"]["1"], "7.000");
    let mapping = app.get("products/category-keys-mapping.json", &[]).await;
    mapping.ok();
    assert_eq!(
        mapping.body["backup"],
        serde_json::json!(["acronisbackupus", "acronisbackupasia"])
    );
    assert!(
        mapping.body["hosting"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("eeliteus"))
    );
}

#[tokio::test]
async fn another_reseller_reaches_none_of_this_resellers_customers_or_orders() {
    let app = TestApp::spawn().await;
    let customer = app.signup("mine@example.com").await;
    let c = customer.to_string();
    app.fund(customer, "20").await;
    let order = app.add_vps(customer, "mine.example.com").await.to_string();
    app.post(
        "orders/suspend.json",
        &[("order-id", &order), ("reason", "test")],
    )
    .await
    .ok();
    let (other, key) = app.create_reseller("other", money("10")).await;
    let other = app.as_reseller(other, &key);
    let before = app.counts();
    let not_allowed = "You are not allowed to perform this action";
    for (method, call, params, expected) in [
        (
            "POST",
            "customers/delete.json",
            vec![("customer-id", c.as_str())],
            not_allowed.to_string(),
        ),
        (
            "POST",
            "customers/change-password.json",
            vec![("customer-id", c.as_str()), ("new-passwd", "newsecret9")],
            not_allowed.to_string(),
        ),
        (
            "POST",
            "customers/generate-token.json",
            vec![
                ("username", "mine@example.com"),
                ("passwd", "secret123"),
                ("ip", "203.0.113.9"),
            ],
            "Customer mine@example.com not found".to_string(),
        ),
        (
            "GET",
            "customers/generate-login-token.json",
            vec![("customer-id", c.as_str()), ("ip", "203.0.113.9")],
            not_allowed.to_string(),
        ),
        (
            "POST",
            "customers/forgot-password.json",
            vec![("username", "mine@example.com")],
            "Customer mine@example.com not found".to_string(),
        ),
        (
            "POST",
            "orders/unsuspend.json",
            vec![("order-id", order.as_str())],
            not_allowed.to_string(),
        ),
        (
            "POST",
            "orders/suspend.json",
            vec![("order-id", order.as_str()), ("reason", "x")],
            not_allowed.to_string(),
        ),
        (
            "POST",
            "billing/add-customer-debit-note.json",
            vec![
                ("customer-id", c.as_str()),
                ("amount", "1"),
                ("description", "x"),
            ],
            not_allowed.to_string(),
        ),
        (
            "GET",
            "billing/customer-transactions/search.json",
            vec![
                ("customer-id", c.as_str()),
                ("no-of-records", "10"),
                ("page-no", "1"),
            ],
            not_allowed.to_string(),
        ),
    ] {
        let reply = if method == "GET" {
            other.get(call, &params).await
        } else {
            other.post(call, &params).await
        };
        assert_eq!(reply.error(), expected, "{call}");
    }
    // Searches answer only the caller's own.
    for call in [
        "actions/search-archived.json",
        "actions/search-current.json",
        "customers/search.json",
    ] {
        let reply = other
            .get(call, &[("no-of-records", "10"), ("page-no", "1")])
            .await;
        assert_eq!(reply.ok().s("recsindb"), "0", "{call}");
    }
    let theirs = other.get("billing/reseller-transactions.json", &[]).await;
    assert_eq!(theirs.ok().s("recsindb"), "1", "only its own opening funds");
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn legal_agreements_answer_each_type_asked_and_refuse_others_by_name() {
    let app = crate::common::TestApp::spawn().await;
    let agreements = app
        .get(
            "commons/legal-agreements.json",
            &[
                ("type", "customermasteragreement"),
                ("type", "registrarregistrantagreementv2"),
            ],
        )
        .await;
    let body = agreements.ok().body.as_object().unwrap().clone();
    assert_eq!(body.len(), 2);
    let master = &body["customermasteragreement"];
    assert_eq!(master["agreementflag"], "true");
    assert!(
        master["defaultagreement"]
            .as_str()
            .is_some_and(|t| t.contains("customer")),
        "{master}"
    );
    let registrant = &body["registrarregistrantagreementv2"];
    assert_eq!(registrant["registrar-name"], "Reseller Sandbox Registrar");
    let keys: Vec<&str> = registrant["productkeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"domcno") && keys.contains(&"thirdleveldotin"),
        "{keys:?}"
    );
    assert_eq!(
        keys.iter().filter(|k| **k == "thirdleveldotin").count(),
        1,
        "each key once"
    );
    let unknown = app
        .get(
            "commons/legal-agreements.json",
            &[("type", "privacypolicy")],
        )
        .await;
    assert!(
        unknown
            .error()
            .starts_with("Invalid type: privacypolicy. It must be one of resellermasteragreement"),
        "{}",
        unknown.text
    );
    let none = app.get("commons/legal-agreements.json", &[]).await;
    assert_eq!(none.error(), "Required parameter missing: type");
}

#[tokio::test]
async fn the_one_payment_gateway_is_listed_and_has_no_transactions() {
    let app = crate::common::TestApp::spawn().await;
    let customer = app.signup("gateway@example.com").await.to_string();
    for payment_type in ["AddFund", "Payment"] {
        let allowed = app
            .get(
                "pg/allowedlist-for-customer.json",
                &[("customer-id", &customer), ("payment-type", payment_type)],
            )
            .await;
        let gateway = &allowed.ok().body["1"];
        assert_eq!(gateway["paymenttypeid"], "1");
        assert_eq!(gateway["gatewaytype"], "SandboxCard");
        assert!(gateway.get("reselleraccesslevel").is_none());
    }
    let listed = app.get("pg/list-for-reseller.json", &[]).await;
    assert_eq!(
        listed.ok().body["1"]["resellerallowedpaymenttype"],
        "AddFund,Payment"
    );
    let page = [
        ("payment-type-id", "1"),
        ("transaction-type", "addfund"),
        ("no-of-records", "10"),
        ("page-no", "1"),
    ];
    let none = app.get("pg/customer-transactions.json", &page).await;
    assert_eq!(none.ok().s("recsindb"), "0");
    let mut other = page.to_vec();
    other[0] = ("payment-type-id", "7");
    let unknown = app.get("pg/customer-transactions.json", &other).await;
    assert_eq!(
        unknown.error(),
        "Invalid payment-type-id: 7. It must be 1, the sandbox's gateway"
    );
    let (stranger, key) = app.create_reseller("stranger", money("10")).await;
    let stranger = app.as_reseller(stranger, &key);
    let foreign = stranger
        .get(
            "pg/allowedlist-for-customer.json",
            &[("customer-id", &customer)],
        )
        .await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action"
    );
    let typo = app
        .get(
            "pg/allowedlist-for-customer.json",
            &[("customer-id", &customer), ("payment-type", "Refund")],
        )
        .await;
    assert_eq!(
        typo.error(),
        "Invalid payment-type: Refund. It must be one of AddFund, Payment"
    );
}

#[tokio::test]
async fn product_details_name_every_product_and_each_registrys_tlds() {
    let app = crate::common::TestApp::spawn().await;
    let details = app.get("products/details.json", &[]).await;
    let body = details.ok().body.clone();
    assert_eq!(body["vpslinuxus"]["name"], "VPS Linux");
    assert_eq!(body["domcno"]["tldlist"], serde_json::json!(["com"]));
    assert_eq!(body["domcno"]["registry"], "Verisign");
    assert_eq!(body["domcno"]["minregistrationyear"], "1");
    assert_eq!(body["domcno"]["maxregistrationyear"], "10");
    assert_eq!(body["domcno"]["dnssecdatasupported"], "true");
    // One registry key, every TLD it sells.
    let third_level: Vec<&str> = body["thirdleveldotin"]["tldlist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(third_level.contains(&"co.in") && third_level.contains(&"ind.in"));
    assert_eq!(
        body["doteu"]["admincontactgroup"], "",
        ".eu takes the registrant alone"
    );
    assert!(
        body.get("domorder").is_none(),
        "domains are listed by registry"
    );
    // Every key a price list names is here.
    let prices = app.get("products/customer-price.json", &[]).await;
    for key in prices.ok().body.as_object().unwrap().keys() {
        assert!(body.get(key).is_some(), "{key} has no details");
    }
}
