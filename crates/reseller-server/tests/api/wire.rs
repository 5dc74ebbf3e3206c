//! The wire layer as a new user meets it: both formats, both parameter
//! placements, methods, credentials, and bad input of every kind, which
//! always gets the envelope naming the parameter and changes nothing.

use crate::common::TestApp;
use reqwest::Method;

#[tokio::test]
async fn parameters_work_in_the_query_string_and_in_a_form_body() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await.to_string();

    let mut params = vec![
        ("domain-name", "body.example.com"),
        ("customer-id", &customer),
        ("months", "1"),
        ("plan-id", "101"),
        ("invoice-option", "NoInvoice"),
    ];
    let in_body = app.post_form("vps/linux/us/add.json", &params).await;
    assert_eq!(in_body.ok().s("actionstatus"), "Success");

    // A parameter the call does not take is refused by name, with what it
    // takes, and changes nothing; in the body as in the query.
    params[0].1 = "other.example.com";
    params.push(("some-unknown-parameter", "x"));
    let before = app.counts();
    let refused = app.post_form("vps/linux/us/add.json", &params).await;
    assert_eq!(
        refused.error(),
        "Unsupported parameter: some-unknown-parameter. This call takes domain-name, customer-id, months, plan-id, auto-renew, invoice-option, discount-amount"
    );
    let refused = app.post("vps/linux/us/add.json", &params).await;
    assert!(
        refused
            .error()
            .starts_with("Unsupported parameter: some-unknown-parameter.")
    );
    assert_eq!(app.counts(), before);

    let order = app
        .get(
            "vps/linux/us/orderid.json",
            &[("domain-name", "body.example.com")],
        )
        .await;
    assert_eq!(order.ok().body, serde_json::json!(in_body.id("entityid")));
    let xml = app
        .get(
            "vps/linux/us/orderid.xml",
            &[("domain-name", "body.example.com")],
        )
        .await;
    assert!(
        xml.text
            .ends_with(&format!("<int>{}</int>", in_body.id("entityid"))),
        "{}",
        xml.text
    );
}

#[tokio::test]
async fn bad_credentials_get_the_real_text() {
    let app = TestApp::spawn().await;
    for params in [
        vec![("auth-userid", "1"), ("api-key", "wrong")],
        vec![("auth-userid", "999"), ("api-key", "key")],
        vec![("auth-userid", "abc"), ("api-key", "key")],
        vec![("auth-userid", "-1"), ("api-key", "key")],
    ] {
        let reply = app
            .raw(Method::GET, "billing/reseller-balance.json", &params)
            .await;
        assert_eq!(
            reply.error(),
            "Invalid credentials, or your User account maybe Inactive or Suspended"
        );
    }
    let missing = app
        .raw(
            Method::GET,
            "billing/reseller-balance.json",
            &[("auth-userid", "1")],
        )
        .await;
    assert_eq!(missing.error(), "Required parameter missing: api-key");
    let missing = app
        .raw(
            Method::GET,
            "billing/reseller-balance.json",
            &[("api-key", "key")],
        )
        .await;
    assert_eq!(missing.error(), "Required parameter missing: auth-userid");
    let xml = app
        .raw(
            Method::GET,
            "billing/reseller-balance.xml",
            &[("auth-userid", "1"), ("api-key", "wrong")],
        )
        .await;
    assert_eq!(xml.status, 500);
    assert!(
        xml.text
            .contains("<entry><string>status</string><string>ERROR</string></entry>"),
        "{}",
        xml.text
    );
}

#[tokio::test]
async fn an_address_outside_the_allow_list_is_refused() {
    let app = TestApp::spawn().await;
    let (id, key) = app
        .create_reseller("fenced", crate::common::money("10"))
        .await;
    let fenced = app.as_reseller(id, &key);
    assert_eq!(
        fenced
            .get("billing/reseller-balance.json", &[])
            .await
            .status,
        200
    );
    app.store
        .write(move |tx| {
            let mut reseller = tx.reseller(id.into())?.expect("the reseller");
            reseller.allowed_ips = vec!["192.0.2.10".to_string()];
            Ok(tx.update_reseller(&reseller)?)
        })
        .await
        .unwrap();
    app.state.keys.forget(id.into());

    let refused = fenced.get("billing/reseller-balance.json", &[]).await;

    assert_eq!(
        refused.error(),
        "Access Denied. You are not authorized to perform this action."
    );
}

#[tokio::test]
async fn the_wrong_method_and_unknown_calls_are_refused_in_the_envelope() {
    let app = TestApp::spawn().await;
    let get_on_post = app.get("backup/us/add.json", &[]).await;
    assert_eq!(get_on_post.status, 405);
    assert_eq!(
        get_on_post.body["message"],
        "/api/backup/us/add must be called with POST, not GET"
    );
    // A read is answered by POST too, as the vendor's clients send some.
    let post_on_get = app.post("products/category-keys-mapping.json", &[]).await;
    assert_eq!(post_on_get.status, 200, "{}", post_on_get.text);
    assert!(post_on_get.body["backup"].is_array());
    let put_on_get = app
        .raw(
            reqwest::Method::PUT,
            "backup/us/details.json",
            &[
                ("auth-userid", &app.reseller_id.to_string()),
                ("api-key", &app.api_key),
            ],
        )
        .await;
    assert_eq!(put_on_get.status, 405);
    assert_eq!(
        put_on_get.body["message"],
        "/api/backup/us/details must be called with GET or POST, not PUT"
    );
    let unknown = app.get("backup/us/teleport.json", &[]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.body["message"],
        "Unknown API call: /api/backup/us/teleport"
    );
    assert_eq!(unknown.body["status"], "ERROR");
}

#[tokio::test]
async fn health_answers_without_credentials() {
    let app = TestApp::spawn().await;
    let reply = app
        .client
        .get(format!("{}/health", app.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
}

#[tokio::test]
async fn bad_input_names_the_parameter_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await.to_string();
    let vps = app
        .add_vps(customer.parse().unwrap(), "example.com")
        .await
        .to_string();
    app.fund(customer.parse().unwrap(), "50").await;
    let good = vec![
        ("storage-size-gb", "50"),
        ("customer-id", customer.as_str()),
        ("hosting-order-id", vps.as_str()),
        ("months", "1"),
        ("plan-id", "301"),
        ("invoice-option", "PayInvoice"),
        ("discount-amount", "0.00"),
    ];
    let with = |key: &'static str, value: &'static str| {
        let mut params: Vec<(&str, &str)> =
            good.iter().filter(|(k, _)| *k != key).cloned().collect();
        params.push((key, value));
        params
    };
    let without = |key: &'static str| -> Vec<(&str, &str)> {
        good.iter().filter(|(k, _)| *k != key).cloned().collect()
    };
    let twice = |key: &'static str| {
        let mut params = good.clone();
        let value = good.iter().find(|(k, _)| *k == key).unwrap().1;
        params.push((key, value));
        params
    };
    let huge = "9".repeat(30);
    let huge: &'static str = Box::leak(huge.into_boxed_str());
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            without("storage-size-gb"),
            "Required parameter missing: storage-size-gb",
        ),
        (
            without("customer-id"),
            "Required parameter missing: customer-id",
        ),
        (
            without("hosting-order-id"),
            "Required parameter missing: hosting-order-id",
        ),
        (without("months"), "Required parameter missing: months"),
        (without("plan-id"), "Required parameter missing: plan-id"),
        (
            without("invoice-option"),
            "Required parameter missing: invoice-option",
        ),
        (with("months", ""), "Required parameter missing: months"),
        (
            with("months", "0"),
            "Invalid months: 0. It must be a whole number from 1 to 120",
        ),
        (
            with("months", "-3"),
            "Invalid months: -3. It must be a whole number from 1 to 120",
        ),
        (
            with("months", "twelve"),
            "Invalid months: twelve. It must be a whole number from 1 to 120",
        ),
        (
            with("months", huge),
            "Invalid months: 999999999999999999999999999999. It must be a whole number from 1 to 120",
        ),
        (
            with("storage-size-gb", "1.5"),
            "Invalid storage-size-gb: 1.5. It must be a whole number from 1 to 100000",
        ),
        (
            with("customer-id", "0"),
            "Invalid customer-id: 0. It must be a whole number from 1 to 9223372036854775807",
        ),
        (
            with("customer-id", "-1"),
            "Invalid customer-id: -1. It must be a whole number from 1 to 9223372036854775807",
        ),
        (
            with("customer-id", huge),
            "Invalid customer-id: 999999999999999999999999999999. It must be a whole number from 1 to 9223372036854775807",
        ),
        (
            with("plan-id", "x"),
            "Invalid plan-id: x. It must be a whole number from 1 to 9223372036854775807",
        ),
        (
            with("invoice-option", "PayLater"),
            "Invalid invoice-option: PayLater. It must be one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd",
        ),
        (
            with("invoice-option", "payinvoice"),
            "Invalid invoice-option: payinvoice. It must be one of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd",
        ),
        (
            with("discount-amount", "-1"),
            "Invalid discount-amount: -1. It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
        ),
        (
            with("discount-amount", "1.2345"),
            "Invalid discount-amount: 1.2345. It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
        ),
        (
            with("discount-amount", "NaN"),
            "Invalid discount-amount: NaN. It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
        ),
        (
            with("discount-amount", huge),
            "Invalid discount-amount: 999999999999999999999999999999. It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
        ),
        (
            with("auto-renew", "yes"),
            "Invalid auto-renew: yes. It must be true or false (or 1 or 0)",
        ),
        (
            twice("months"),
            "Parameter months was given more than once; it takes a single value",
        ),
        (
            twice("invoice-option"),
            "Parameter invoice-option was given more than once; it takes a single value",
        ),
    ];
    let before = app.counts();
    for (params, expected) in cases {
        let reply = app.post("backup/us/add.json", &params).await;
        assert_eq!(reply.error(), expected, "for {params:?}");
        let reply = app.post_form("backup/us/add.json", &params).await;
        assert_eq!(reply.error(), expected, "for {params:?} in a form body");
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn an_over_long_body_or_value_is_refused_in_the_envelope() {
    let app = TestApp::spawn().await;
    let before = app.counts();
    let body = format!(
        "auth-userid=1&api-key=key&name={}",
        "a".repeat(reseller_server::MAX_BODY + 1)
    );
    let reply = app
        .client
        .post(format!("{}/api/customers/modify.json", app.base()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 413);
    let text = reply.text().await.unwrap();
    assert!(
        text.contains("Request body too large: at most 65536 bytes"),
        "{text}"
    );

    let long_name = "a".repeat(300);
    let reply = app
        .post(
            "customers/modify.json",
            &[("customer-id", "1"), ("name", &long_name)],
        )
        .await;
    assert_eq!(
        reply.error(),
        format!(
            "Invalid name: {}…. It may be at most 255 characters long",
            "a".repeat(40)
        )
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn search_paging_is_checked() {
    let app = TestApp::spawn().await;
    for (params, expected) in [
        (
            vec![("page-no", "1")],
            "Required parameter missing: no-of-records",
        ),
        (
            vec![("no-of-records", "10")],
            "Required parameter missing: page-no",
        ),
        (
            vec![("no-of-records", "9"), ("page-no", "1")],
            "Invalid no-of-records: 9. It must be a whole number from 10 to 500",
        ),
        (
            vec![("no-of-records", "501"), ("page-no", "1")],
            "Invalid no-of-records: 501. It must be a whole number from 10 to 500",
        ),
        (
            vec![("no-of-records", "10"), ("page-no", "0")],
            "Invalid page-no: 0. It must be a whole number from 1 to 1000000",
        ),
        (
            vec![
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("status", "Sleeping"),
            ],
            "Invalid status: Sleeping. It must be one of InActive, Active, Suspended, Pending Delete Restorable, Deleted, Archived",
        ),
        (
            vec![
                ("no-of-records", "10"),
                ("page-no", "1"),
                ("order-by", "price"),
            ],
            "Invalid order-by: price. It must be orderid, endtime or creationtime, optionally followed by asc or desc",
        ),
    ] {
        let reply = app.get("backup/us/search.json", &params).await;
        assert_eq!(reply.error(), expected);
    }
}

#[tokio::test]
async fn a_server_restarted_on_the_same_file_still_has_everything() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    app.fund(customer, "20").await;
    let backup = app.add_backup(customer, vps, 50, "PayInvoice").await;
    let pending = app.add_backup(customer, vps, 50, "OnlyAdd").await;
    let reseller_balance = app.reseller_balance().await;
    let counts = app.counts();

    let app = app.restart().await;

    assert_eq!(app.counts(), counts);
    assert_eq!(app.reseller_balance().await, reseller_balance);
    assert_eq!(
        app.customer_balance(customer).await,
        crate::common::money("15")
    );
    let details = app
        .get(
            "backup/us/details.json",
            &[("order-id", backup.s("entityid"))],
        )
        .await;
    assert_eq!(details.ok().s("currentstatus"), "Active");
    // The same key still works, and a pending action can still be paid.
    let paid = app
        .post(
            "billing/customer-pay.json",
            &[("invoice-ids", pending.s("invoiceid"))],
        )
        .await;
    assert_eq!(
        paid.ok().body[pending.s("invoiceid")]["actionstatus"],
        "Success"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_finishes_requests_in_flight_and_loses_none() {
    let app = TestApp::spawn().await;
    let customer = app.signup("buyer@example.com").await;
    let vps = app.add_vps(customer, "example.com").await;
    let replies = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut requests = Vec::new();
    for _ in 0..200 {
        let url = format!(
            "{}/api/backup/us/add.json?auth-userid=1&api-key=key&storage-size-gb=20&customer-id={customer}&hosting-order-id={vps}&months=1&plan-id=301&invoice-option=NoInvoice",
            app.base()
        );
        let client = app.client.clone();
        let replies = replies.clone();
        requests.push(tokio::spawn(async move {
            let response = client.post(url).send().await.ok()?;
            let text = response.text().await.ok()?;
            replies.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let body: serde_json::Value = serde_json::from_str(&text).ok()?;
            body["entityid"].as_str().map(str::to_string)
        }));
    }
    // Stop once the load is under way: some requests answered, others in flight.
    let waited = std::time::Instant::now();
    while replies.load(std::sync::atomic::Ordering::SeqCst) == 0 && waited.elapsed().as_secs() < 30
    {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }

    let app = app.restart().await;

    let mut answered = Vec::new();
    for request in requests {
        if let Some(order) = request.await.unwrap() {
            answered.push(order);
        }
    }
    assert!(
        !answered.is_empty(),
        "some requests were answered before the stop"
    );
    for order in &answered {
        let details = app
            .get("backup/us/details.json", &[("order-id", order)])
            .await;
        assert_eq!(
            details.ok().s("currentstatus"),
            "Active",
            "order {order} was answered but is lost"
        );
    }
}
