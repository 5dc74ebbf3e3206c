//! Parameters the vendor documents for calls served here, which its
//! clients send: each is taken and does what it says.

use crate::common::TestApp;

#[tokio::test]
async fn forgot_password_takes_the_username_under_either_name() {
    let app = TestApp::spawn().await;
    app.signup("forgot@example.com").await;
    for name in ["username", "forgot-password-username"] {
        let sent = app
            .get(
                "customers/forgot-password.json",
                &[(name, "forgot@example.com")],
            )
            .await;
        assert_eq!(sent.ok().body, serde_json::json!(true), "{name}");
    }
    let (_, outbox) = app
        .control(reqwest::Method::GET, "outbox?limit=10", None)
        .await;
    assert_eq!(
        outbox.to_string().matches("forgot-password").count(),
        2,
        "{outbox}"
    );
    let missing = app.get("customers/forgot-password.json", &[]).await;
    assert_eq!(missing.error(), "Required parameter missing: username");
}

#[tokio::test]
async fn unsuspend_takes_the_reason_and_its_action_says_it() {
    let app = TestApp::spawn().await;
    let customer = app.signup("unheld@example.com").await;
    let order = app
        .add_vps(customer, "unheld.example.com")
        .await
        .to_string();
    app.post(
        "orders/suspend.json",
        &[("order-id", &order), ("reason", "Abuse report 42")],
    )
    .await
    .ok();
    let back = app
        .post(
            "orders/unsuspend.json",
            &[
                ("order-id", &order),
                ("reason", "Resolved with the customer"),
            ],
        )
        .await;
    assert_eq!(
        back.ok().s("actiontypedesc"),
        "Unsuspension of VPS Linux for unheld.example.com: Resolved with the customer"
    );
}

#[tokio::test]
async fn plan_details_takes_a_product_key() {
    let app = TestApp::spawn().await;
    let all = app.get("products/plan-details.json", &[]).await;
    assert!(all.ok().body.as_object().unwrap().len() > 1);
    let one = app
        .get(
            "products/plan-details.json",
            &[("product-key", "vpslinuxus")],
        )
        .await;
    let keys: Vec<&String> = one.ok().body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["vpslinuxus"]);
    let unknown = app
        .get("products/plan-details.json", &[("product-key", "nosuch")])
        .await;
    assert!(unknown.error().starts_with("Invalid product-key: nosuch."));
}

/// The price list shows each registry's domains under its own key
/// (`domcno`, `dotin`); the plan and price calls take those keys as
/// `product-key` as well as the products' own.
#[tokio::test]
async fn plan_and_price_calls_take_the_registry_keys_the_price_list_shows() {
    let app = TestApp::spawn().await;
    let keys_of = |reply: &crate::common::Reply| -> Vec<String> {
        reply.body.as_object().unwrap().keys().cloned().collect()
    };
    for call in [
        "products/customer-price.json",
        "products/reseller-price.json",
        "products/reseller-cost-price.json",
    ] {
        let listed = app.get(call, &[]).await;
        assert!(listed.ok().body["domcno"].is_object(), "{call}");
        for key in ["domcno", "dotin"] {
            let one = app.get(call, &[("product-key", key)]).await;
            assert_eq!(keys_of(one.ok()), [key], "{call} {key}");
            assert_eq!(one.body[key], listed.body[key], "{call} {key}");
        }
    }
    let com = app
        .get("products/plan-details.json", &[("product-key", "domcno")])
        .await;
    let plans = com.ok().body["domorder"].as_object().unwrap().clone();
    let names: Vec<&str> = plans
        .values()
        .map(|plan| plan["plan_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Domain .com"]);
    let refused = app
        .get(
            "products/customer-price.json",
            &[("product-key", "dotnope")],
        )
        .await;
    let text = refused.error();
    assert!(
        text.starts_with("Invalid product-key: dotnope. It must be one of vpslinuxus,")
            && text.contains(", domorder, ")
            && text.contains(", sslcert, domcno, ")
            && text.contains("dotin"),
        "{text}"
    );
}

#[tokio::test]
async fn reseller_cost_price_takes_the_resellers_id_not_a_customers() {
    let app = TestApp::spawn().await;
    let own = app.reseller_id.to_string();
    let mine = app
        .get(
            "products/reseller-cost-price.json",
            &[("reseller-id", &own), ("product-key", "vpslinuxus")],
        )
        .await;
    assert!(mine.ok().body["vpslinuxus"].is_object());
    let other = app
        .get(
            "products/reseller-cost-price.json",
            &[("reseller-id", "999")],
        )
        .await;
    assert_eq!(other.error(), "You are not allowed to perform this action");
    let customer = app
        .get("products/reseller-cost-price.json", &[("customer-id", "1")])
        .await;
    assert!(customer.error().starts_with(
        "Unsupported parameter: customer-id. This call takes reseller-id, product-key"
    ));
}

#[tokio::test]
async fn suggestions_take_their_tlds_as_tld_too() {
    let app = TestApp::spawn().await;
    let made = app
        .get(
            "domains/v5/suggest-names.json",
            &[("keyword", "harbour lights"), ("tld", "net")],
        )
        .await;
    let names: Vec<&String> = made.ok().body.as_object().unwrap().keys().collect();
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.ends_with(".net")), "{names:?}");
}

#[tokio::test]
async fn a_domain_search_takes_show_child_orders() {
    let app = TestApp::spawn().await;
    let page = [("no-of-records", "10"), ("page-no", "1")];
    let plain = app.get("domains/search.json", &page).await;
    let mut with = page.to_vec();
    with.push(("show-child-orders", "true"));
    let children = app.get("domains/search.json", &with).await;
    assert_eq!(
        children.ok().body,
        plain.ok().body,
        "no sub-resellers, no other orders"
    );
}

#[tokio::test]
async fn a_customer_without_a_mobile_shows_the_phone_as_mobile() {
    let app = TestApp::spawn().await;
    let id = app.signup("nomobile@example.com").await.to_string();
    let details = app
        .get("customers/details-by-id.json", &[("customer-id", &id)])
        .await;
    details.ok();
    assert_eq!(details.s("mobileno"), details.s("telno"));
    assert_eq!(details.s("mobilenocc"), details.s("telnocc"));
}

#[tokio::test]
async fn premium_dns_is_taken_as_false_and_refused_as_true() {
    let app = TestApp::spawn().await;
    let customer = app.signup("premiumdns@example.com").await.to_string();
    let contact = crate::domains::a_contact(&app, &customer).await;
    let mut without =
        crate::domains::registration("plain-dns.com", &customer, &contact, "1", "NoInvoice");
    without.push(("purchase-premium-dns", "false"));
    let placed = app.post("domains/register.json", &without).await;
    let order = placed.ok().s("entityid").to_string();
    let before = app.counts();
    let mut with =
        crate::domains::registration("premium-dns.com", &customer, &contact, "1", "NoInvoice");
    with.push(("purchase-premium-dns", "true"));
    assert_eq!(
        app.post("domains/register.json", &with).await.error(),
        "Invalid purchase-premium-dns: true. It must be false: premium DNS is not sold here"
    );
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order.as_str()), ("options", "OrderDetails")],
        )
        .await;
    let end = details.ok().s("endtime").to_string();
    let renewal = app
        .post(
            "domains/renew.json",
            &[
                ("order-id", order.as_str()),
                ("years", "1"),
                ("exp-date", end.as_str()),
                ("invoice-option", "NoInvoice"),
                ("purchase-premium-dns", "true"),
            ],
        )
        .await;
    assert!(
        renewal
            .error()
            .starts_with("Invalid purchase-premium-dns: true.")
    );
    assert_eq!(app.counts(), before, "refused, nothing changed");
}

#[tokio::test]
async fn a_domain_search_record_shows_the_registry_product_and_privacy_as_details_do() {
    let app = TestApp::spawn().await;
    let customer = app.signup("records@example.com").await.to_string();
    let contact = crate::domains::a_contact(&app, &customer).await;
    let mut private =
        crate::domains::registration("quiet-harbour.com", &customer, &contact, "1", "NoInvoice");
    private.push(("purchase-privacy", "true"));
    private.push(("protect-privacy", "true"));
    let order = app
        .post("domains/register.json", &private)
        .await
        .ok()
        .s("entityid")
        .to_string();
    let open =
        crate::domains::registration("open-harbour.net", &customer, &contact, "1", "NoInvoice");
    app.post("domains/register.json", &open).await.ok();

    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order.as_str()), ("options", "OrderDetails")],
        )
        .await;
    let key = details.ok().s("productkey").to_string();
    let page = app
        .get(
            "domains/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-by", "orderid"),
            ],
        )
        .await;
    let page = page.ok();
    let records: Vec<&serde_json::Value> = ["1", "2"].iter().map(|i| &page.body[*i]).collect();
    let private = records
        .iter()
        .find(|r| r["entity.description"] == "quiet-harbour.com")
        .unwrap();
    assert_eq!(private["entitytype.entitytypekey"], key.as_str());
    assert_eq!(private["entitytype.entitytypekey"], "domcno");
    assert_eq!(private["entitytype.entitytypename"], ".COM Domain Name");
    assert_eq!(private["orders.privacyprotection"], "true");
    let open = records
        .iter()
        .find(|r| r["entity.description"] == "open-harbour.net")
        .unwrap();
    assert_eq!(open["entitytype.entitytypename"], ".NET Domain Name");
    assert_eq!(open["orders.privacyprotection"], "false");
    let text = page.body.to_string();
    assert_eq!(
        text.matches("entitytype.entitytypekey").count(),
        2,
        "each key once: {text}"
    );

    // The key a record shows finds it again.
    let by_key = app
        .get(
            "domains/search.json",
            &[
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("product-key", &key),
            ],
        )
        .await;
    let by_key = by_key.ok();
    assert_eq!(by_key.s("recsindb"), "1");
    assert_eq!(by_key.body["1"]["entity.description"], "quiet-harbour.com");
}

#[tokio::test]
async fn availability_answers_alternatives_when_asked() {
    let app = TestApp::spawn().await;
    let asked = [
        ("domain-name", "harbourlights"),
        ("tlds", "com"),
        ("tlds", "net"),
    ];
    let plain = app.get("domains/available.json", &asked).await;
    let plain = plain.ok().body.as_object().unwrap().clone();
    assert_eq!(plain.len(), 2, "{plain:?}");
    let mut with = asked.to_vec();
    with.push(("suggest-alternative", "true"));
    let suggested = app.get("domains/available.json", &with).await;
    let suggested = suggested.ok().body.as_object().unwrap().clone();
    assert_eq!(
        suggested.len(),
        8,
        "the asked names and 3 alternatives under each TLD"
    );
    for (name, entry) in &plain {
        assert_eq!(&suggested[name], entry, "the asked names answered alike");
    }
    for (name, entry) in &suggested {
        assert!(name.contains("harbourlights"), "{name}");
        assert_eq!(entry["status"], "available", "{name}");
        let tld = name.rsplit('.').next().unwrap();
        assert_eq!(
            entry["classkey"],
            if tld == "com" { "domcno" } else { "dotnet" }
        );
    }
    assert!(
        suggested.contains_key("myharbourlights.com"),
        "{suggested:?}"
    );
    let mut without = asked.to_vec();
    without.push(("suggest-alternative", "false"));
    let off = app.get("domains/available.json", &without).await;
    assert_eq!(off.ok().body.as_object().unwrap().len(), 2);
    let mut typo = asked.to_vec();
    typo.push(("suggest-alternative", "maybe"));
    assert!(
        app.get("domains/available.json", &typo)
            .await
            .error()
            .starts_with("Invalid suggest-alternative: maybe"),
    );
}

#[tokio::test]
async fn buying_privacy_with_a_registration_or_renewal_says_so_in_privacydetails() {
    let app = TestApp::spawn().await;
    let customer = app.signup("privacydetails@example.com").await.to_string();
    let contact = crate::domains::a_contact(&app, &customer).await;
    let plain =
        crate::domains::registration("plain-lights.com", &customer, &contact, "1", "NoInvoice");
    let placed = app.post("domains/register.json", &plain).await;
    let placed = placed.ok();
    assert!(placed.body.get("privacydetails").is_none(), "none bought");
    let order = placed.s("entityid").to_string();

    let mut private =
        crate::domains::registration("private-lights.com", &customer, &contact, "1", "NoInvoice");
    private.push(("purchase-privacy", "true"));
    let bought = app.post("domains/register.json", &private).await;
    let bought = bought.ok();
    assert_eq!(bought.body["privacydetails"]["status"], "Success");
    assert_eq!(
        bought.body["privacydetails"]["entityid"],
        bought.body["entityid"]
    );

    let renew = |order: String, end: String, purchase: &'static str| {
        let app = &app;
        async move {
            app.post(
                "domains/renew.json",
                &[
                    ("order-id", order.as_str()),
                    ("years", "1"),
                    ("exp-date", end.as_str()),
                    ("invoice-option", "NoInvoice"),
                    ("purchase-privacy", purchase),
                ],
            )
            .await
        }
    };
    let end_of = |order: String| {
        let app = &app;
        async move {
            let details = app
                .get(
                    "domains/details.json",
                    &[("order-id", order.as_str()), ("options", "OrderDetails")],
                )
                .await;
            details.ok().s("endtime").to_string()
        }
    };
    let without = renew(order.clone(), end_of(order.clone()).await, "false").await;
    assert!(without.ok().body.get("privacydetails").is_none());
    let with = renew(order.clone(), end_of(order.clone()).await, "true").await;
    let with = with.ok();
    assert_eq!(with.body["privacydetails"]["status"], "Success");
    assert_eq!(with.body["privacydetails"]["entityid"], order.as_str());
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", order.as_str()), ("options", "OrderDetails")],
        )
        .await;
    assert_eq!(details.ok().body["isprivacyprotected"], "true");
}

#[tokio::test]
async fn customer_transactions_search_takes_the_documented_filters() {
    let app = TestApp::spawn().await;
    let first = app.signup("first-payer@example.com").await;
    let second = app.signup("second-payer@example.com").await;
    app.fund(first, "10").await;
    app.fund(second, "25").await;
    let (other, other_key) = app
        .create_reseller("elsewhere", crate::common::money("10"))
        .await;
    let theirs = app.as_reseller(other, &other_key);
    let stranger = theirs.signup("stranger@example.com").await;
    theirs.fund(stranger, "99").await;

    let search = |extra: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let mut asked: Vec<(&str, String)> =
                vec![("no-of-records", "10".into()), ("page-no", "1".into())];
            asked.extend(extra);
            let asked: Vec<(&str, &str)> = asked.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.get("billing/customer-transactions/search.json", &asked)
                .await
        }
    };
    let count = |reply: &crate::common::Reply| reply.s("recsindb").to_string();

    let every = search(vec![]).await;
    assert_eq!(
        count(every.ok()),
        "2",
        "every customer's, none of another reseller's: {}",
        every.text
    );
    let first_id = |reply: &crate::common::Reply| {
        reply.body["1"]["transaction.transactionid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let by_name = search(vec![("username", "first-payer@example.com".into())]).await;
    assert_eq!(count(by_name.ok()), "1");
    assert_eq!(by_name.body["1"]["transaction.sellingamount"], "10.000");
    assert_eq!(by_name.body["1"]["transaction.type"], "credit");
    let both = search(vec![
        ("customer-id", first.to_string()),
        ("customer-id", second.to_string()),
    ])
    .await;
    assert_eq!(count(both.ok()), "2");
    let one = search(vec![("transaction-id", first_id(&by_name))]).await;
    assert_eq!(count(one.ok()), "1");
    assert_eq!(first_id(&one), first_id(&by_name));
    let large = search(vec![("amt-range-start", "20".into())]).await;
    assert_eq!(count(large.ok()), "1");
    assert_eq!(large.body["1"]["transaction.sellingamount"], "25.000");
    let small = search(vec![("amt-range-end", "20".into())]).await;
    assert_eq!(small.ok().body["1"]["transaction.sellingamount"], "10.000");
    let memo = every.body["1"]["transaction.description"]
        .as_str()
        .unwrap()
        .to_string();
    let described = search(vec![("transaction-description", memo.to_uppercase())]).await;
    assert_eq!(
        count(described.ok()),
        "2",
        "contained, ignoring case: {memo}"
    );
    let missing = search(vec![("transaction-description", "no such words".into())]).await;
    assert_eq!(count(missing.ok()), "0");
    let balanced = search(vec![("balance-type", "onlybalanced".into())]).await;
    assert_eq!(count(balanced.ok()), "2");
    let unbalanced = search(vec![("balance-type", "onlyunbalanced".into())]).await;
    assert_eq!(
        count(unbalanced.ok()),
        "0",
        "every movement is settled as made"
    );
    let nobody = search(vec![("username", "nobody@example.com".into())]).await;
    assert_eq!(count(nobody.ok()), "0");
    let foreign = search(vec![("customer-id", stranger.to_string())]).await;
    assert_eq!(
        foreign.error(),
        "You are not allowed to perform this action",
        "another reseller's customer, as for one customer"
    );
    let typo = search(vec![("balance-type", "balanced".into())]).await;
    assert!(
        typo.error().starts_with("Invalid balance-type: balanced"),
        "{}",
        typo.text
    );
}
