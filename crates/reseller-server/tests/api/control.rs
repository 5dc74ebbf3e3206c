//! The sandbox control plane: opened by the admin token only; the clock,
//! kept in the database so that a restart and every instance agree; the
//! outbox of mails with their links.

use crate::common::{ADMIN_TOKEN, TestApp, now};
use crate::domains::{a_contact, registration};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_control_plane_opens_to_the_admin_token_only() {
    let app = TestApp::spawn().await;
    let url = format!("{}/_reseller/clock", app.base());
    let bare = app.client.get(&url).send().await.unwrap();
    assert_eq!(bare.status(), 401);
    assert_eq!(bare.headers()["www-authenticate"], "Bearer");
    let body: serde_json::Value = serde_json::from_str(&bare.text().await.unwrap()).unwrap();
    assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // The API's own credentials open nothing here.
    let with_key = app
        .client
        .get(format!("{url}?auth-userid=1&api-key=key"))
        .bearer_auth("key")
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 401);
    let advance = app
        .client
        .post(format!("{url}/advance"))
        .body(r#"{"days": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(advance.status(), 401);
    let (status, body) = app.control(Method::GET, "clock", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["offset_seconds"], 0, "nothing moved the clock");
    let (unknown, body) = app.control(Method::GET, "nothing-here", None).await;
    assert_eq!(unknown, 404, "{body}");
    let hidden = app
        .client
        .get(format!("{}/_reseller/nothing-here", app.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 401, "no path is told without the token");
    assert_ne!(ADMIN_TOKEN, "key");
}

#[tokio::test]
async fn the_clock_moves_for_every_call_and_survives_a_restart() {
    let app = TestApp::spawn().await;
    let (_, before) = app.control(Method::GET, "clock", None).await;
    let real = now();
    assert!((real - 2..=real + 2).contains(&before["now"].as_i64().unwrap()));
    let (status, moved) = app
        .control(Method::POST, "clock/advance", Some(json!({"days": 2})))
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["advanced_seconds"], 172_800);
    assert_eq!(moved["offset_seconds"], 172_800);
    assert_eq!(moved["ran"], json!([]));
    let after = moved["now"].as_i64().unwrap();
    assert!(after - before["now"].as_i64().unwrap() >= 172_800);
    // The API sees the moved time: a customer signed up now is two days ahead.
    let customer = app.signup("later@example.com").await;
    let details = app
        .get(
            "customers/details-by-id.json",
            &[("customer-id", &customer.to_string())],
        )
        .await;
    let created: i64 = details.ok().s("creationdt").parse().unwrap();
    assert!(created >= real + 172_800, "{created} vs {real}");
    app.advance(30).await;
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], 172_830, "advances add up");

    // Bad asks are refused by name and move nothing.
    for (body, says) in [
        (json!({"days": 0}), "Invalid days"),
        (json!({"seconds": -5}), "Invalid seconds"),
        (json!({"days": 1, "seconds": 1}), "not both"),
        (json!({"weeks": 1}), "unknown field `weeks`"),
        (json!({}), "not both or neither"),
    ] {
        let (status, refused) = app
            .control(Method::POST, "clock/advance", Some(body.clone()))
            .await;
        assert_eq!(status, 400, "{body}");
        let message = refused["error"].as_str().unwrap();
        assert!(message.contains(says), "{body}: {message}");
    }
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], 172_830);

    // Kept in the database: another instance agrees, and a restart keeps it.
    if app.is_postgres() {
        let second = app.second_instance().await;
        let (_, there) = second.control(Method::GET, "clock", None).await;
        assert_eq!(there["offset_seconds"], 172_830);
        second.advance(70).await;
        // This instance takes the offset from the database within a second.
        let mut seen = 0;
        for _ in 0..40 {
            seen = app.state.clock.offset();
            if seen == 172_900 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            seen, 172_900,
            "the first instance sees the second's advance"
        );
    }
    let expected = app.state.clock.offset();
    let app = app.restart().await;
    assert_eq!(app.state.clock.offset(), expected);
    let (_, clock) = app.control(Method::GET, "clock", None).await;
    assert_eq!(clock["offset_seconds"], expected);
}

#[tokio::test]
async fn the_outbox_lists_the_mails_sent_with_their_links() {
    let app = TestApp::spawn().await;
    let customer = app.signup("outbox@example.com").await.to_string();
    let contact = a_contact(&app, &customer).await;
    let mut orders = Vec::new();
    for name in ["outbox-shop.in", "outbox-shop.com"] {
        let placed = app
            .post(
                "domains/register.json",
                &registration(name, &customer, &contact, "1", "NoInvoice"),
            )
            .await;
        orders.push(placed.ok().s("entityid").to_string());
    }
    let (status, all) = app.control(Method::GET, "outbox", None).await;
    assert_eq!(status, 200, "{all}");
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0]["kind"], "raa-verification", "newest first");
    assert_eq!(all[1]["kind"], "nixi-verification");
    let nixi = &all[1];
    assert_eq!(nixi["to"], "ravi@example.com");
    assert_eq!(nixi["order_id"], orders[0].parse::<i64>().unwrap());
    assert!(nixi["subject"].as_str().unwrap().contains("outbox-shop.in"));
    let links = nixi["links"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    let link = links[0].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/nixi/verify/", app.base())),
        "{link}"
    );
    // The link verifies when opened.
    let page = app.client.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let details = app
        .get(
            "domains/details.json",
            &[("order-id", &orders[0]), ("options", "DomainStatus")],
        )
        .await;
    assert_eq!(
        details.ok().s("registrantEmailVerificationStatus"),
        "Verified"
    );

    let (_, one) = app
        .control(Method::GET, &format!("outbox?order-id={}", orders[1]), None)
        .await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["kind"], "raa-verification");
    let (_, newest) = app.control(Method::GET, "outbox?limit=1", None).await;
    assert_eq!(newest.as_array().unwrap().len(), 1);
    for (query, says) in [
        ("outbox?order-id=abc", "Invalid order-id"),
        ("outbox?limit=0", "Invalid limit"),
        ("outbox?limit=5000", "Invalid limit"),
        ("outbox?kind=x", "Unknown parameter: kind"),
    ] {
        let (status, refused) = app.control(Method::GET, query, None).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            refused["error"].as_str().unwrap().contains(says),
            "{query}: {refused}"
        );
    }
}

#[tokio::test]
async fn faults_answer_errors_add_latency_and_drop_connections_as_configured() {
    let app = TestApp::spawn().await;
    let customer = app.signup("faults@example.com").await;
    let rules = json!([
        {"call": "billing/reseller-balance", "count": 1, "status": 500, "message": "Simulated outage"},
        {"call": "billing/*", "reseller": 2, "status": 503},
        {"call": "customers/details-by-id", "latency_ms": 300, "count": 1},
        {"call": "customers/search", "drop": true, "count": 1},
        {"call": "*", "probability": 0, "status": 502},
    ]);
    let (status, set) = app.control(Method::POST, "faults", Some(rules)).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set.as_array().unwrap().len(), 5);

    let before = app.counts();
    let failed = app.get("billing/reseller-balance.json", &[]).await;
    assert_eq!(failed.status, 500);
    assert_eq!(
        failed.body,
        json!({"status": "ERROR", "message": "Simulated outage"})
    );
    // Spent: the next call goes through, and the other reseller's rule
    // does not touch this one.
    app.get("billing/reseller-balance.json", &[]).await.ok();
    let (_, left) = app.control(Method::GET, "faults", None).await;
    assert_eq!(left[0]["count"], 0);

    let started = std::time::Instant::now();
    app.get(
        "customers/details-by-id.json",
        &[("customer-id", &customer.to_string())],
    )
    .await
    .ok();
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));

    let dropped = app
        .client
        .get(format!(
            "{}/api/customers/search.json?auth-userid=1&api-key=key&no-of-records=10&page-no=1",
            app.base()
        ))
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection closes unanswered: {dropped:?}"
    );
    app.get(
        "customers/search.json",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await
    .ok();
    assert_eq!(app.counts(), before, "faults change nothing");

    // Bad rules are refused by their place and change nothing.
    for (rules, says) in [
        (json!([{"call": "x"}]), "Rule 1: A rule needs an effect"),
        (
            json!([{"call": "x", "status": 200}]),
            "Rule 1: Invalid status: 200",
        ),
        (
            json!([{"call": "x", "latency_ms": 5}, {"call": "y", "probability": 3, "drop": true}]),
            "Rule 2: Invalid probability",
        ),
        (
            json!([{"call": "x", "drop": true, "color": 1}]),
            "unknown field `color`",
        ),
        (json!({"call": "x"}), "It must be a JSON list"),
    ] {
        let (status, refused) = app.control(Method::POST, "faults", Some(rules)).await;
        assert_eq!(status, 400);
        let message = refused["error"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    let (_, kept) = app.control(Method::GET, "faults", None).await;
    assert_eq!(kept.as_array().unwrap().len(), 5);
    let (status, cleared) = app.control(Method::DELETE, "faults", None).await;
    assert_eq!((status, cleared), (200, json!([])));
}

#[tokio::test]
async fn the_journal_shows_recent_requests_and_never_a_secret() {
    let app = TestApp::spawn().await;
    let customer = app.signup("journal@example.com").await;
    app.post(
        "customers/change-password.json",
        &[
            ("customer-id", &customer.to_string()),
            ("new-passwd", "N3wSecretPass"),
        ],
    )
    .await;
    let refused = app
        .get("customers/details-by-id.json", &[("customer-id", "999999")])
        .await;
    let (status, journal) = app.control(Method::GET, "requests?limit=3", None).await;
    assert_eq!(status, 200, "{journal}");
    let entries = journal.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries[0]["call"], "customers/details-by-id",
        "newest first"
    );
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["status"], refused.status);
    assert!(
        entries[0]["reply"].as_str().unwrap().contains("ERROR"),
        "{}",
        entries[0]
    );
    assert_eq!(entries[0]["params"]["customer-id"], "999999");
    assert_eq!(entries[0]["params"]["api-key"], "***");
    assert_eq!(entries[1]["call"], "customers/change-password");
    assert_eq!(entries[1]["params"]["new-passwd"], "***");
    assert!(entries[0]["duration_ms"].as_f64().unwrap() >= 0.0);
    // Replies that carry a secret are kept without it.
    let token = app
        .get(
            "customers/generate-token.json",
            &[
                ("username", "journal@example.com"),
                ("passwd", "N3wSecretPass"),
                ("ip", "203.0.113.9"),
            ],
        )
        .await;
    let token = token.ok().body.as_str().unwrap().to_string();
    let mail = app
        .post(
            "eelite/us/add.json",
            &[
                ("domain-name", "journal.example.com"),
                ("customer-id", &customer.to_string()),
                ("months", "1"),
                ("no-of-accounts", "1"),
                ("invoice-option", "NoInvoice"),
            ],
        )
        .await;
    let order = mail.ok().s("entityid").to_string();
    let account = [
        ("order-id", order.as_str()),
        ("email", "j@journal.example.com"),
    ];
    app.post(
        "mail/user/add.json",
        &[account[0], account[1], ("passwd", "Mailbox123")],
    )
    .await;
    let reset = app.post("mail/user/reset-password.json", &account).await;
    let fresh = reset.body["response"]["data"].as_str().unwrap().to_string();
    // A reseller's session token, a sub-reseller's temporary password and
    // a customer's one-time code are secrets too.
    let session = app
        .get("resellers/generate-token.json", &[("ip", "203.0.113.9")])
        .await;
    let session = session.ok().s("userLoginId").to_string();
    let mut signup = crate::common::reseller_signup("journal-sub@example.com");
    signup.retain(|(k, _)| *k != "passwd");
    signup.push(("passwd", "SubSecret123"));
    let sub = app.post("resellers/signup.json", &signup).await;
    let sub = sub.ok().text.clone();
    let temporary = app
        .get("resellers/temp-password.json", &[("reseller-id", &sub)])
        .await;
    let temporary = temporary.ok().body.as_str().unwrap().to_string();
    app.post(
        "customers/authenticate/generate-otp.json",
        &[("customerid", &customer.to_string())],
    )
    .await
    .ok();
    let code = crate::common::otp_sent(&app).await;
    app.post(
        "customers/authenticate/verify-otp.json",
        &[("customerid", &customer.to_string()), ("otp", &code)],
    )
    .await
    .ok();
    let otp_param = format!("\"otp\":\"{code}\"");
    let (_, everything) = app.control(Method::GET, "requests?limit=1000", None).await;
    let text = everything.to_string();
    for secret in [
        "N3wSecretPass",
        "\"key\"",
        &token,
        "Mailbox123",
        &fresh,
        &session,
        "SubSecret123",
        &temporary,
        &otp_param,
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    for query in ["requests?limit=0", "requests?limit=1001", "requests?call=x"] {
        let (status, _) = app.control(Method::GET, query, None).await;
        assert_eq!(status, 400, "{query}");
    }
}

/// The samples of a Prometheus text exposition, checked line by line:
/// `name{labels} value`, with only HELP and TYPE comments.
fn samples(text: &str) -> Vec<(String, f64)> {
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            assert!(
                comment.starts_with("HELP reseller_")
                    || comment.starts_with("TYPE reseller_")
                        && (comment.ends_with(" counter") || comment.ends_with(" histogram")),
                "{line}"
            );
            continue;
        }
        let (name, value) = line.rsplit_once(' ').expect("a sample has a value");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
        let plain = name.split('{').next().unwrap();
        assert!(
            plain.starts_with("reseller_")
                && plain
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "{line}"
        );
        if let Some(labels) = name.strip_prefix(plain)
            && !labels.is_empty()
        {
            assert!(labels.starts_with('{') && labels.ends_with('}'), "{line}");
        }
        samples.push((name.to_string(), value));
    }
    samples
}

#[tokio::test]
async fn metrics_count_requests_latency_and_write_groups_in_the_prometheus_format() {
    let app = TestApp::spawn().await;
    app.signup("metrics@example.com").await;
    app.get("billing/reseller-balance.json", &[]).await.ok();
    let unknown = app.get("no/such/call.json", &[]).await;
    assert_eq!(unknown.status, 404);
    let response = app
        .client
        .get(format!("{}/metrics", app.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    let samples = samples(&text);
    let value = |name: &str| {
        samples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("{name} in {text}"))
    };
    assert_eq!(
        value(r#"reseller_requests_total{call="customers/signup",status="200"}"#),
        1.0
    );
    assert_eq!(
        value(r#"reseller_requests_total{call="billing/reseller-balance",status="200"}"#),
        1.0
    );
    assert_eq!(
        value(r#"reseller_requests_total{call="unknown",status="404"}"#),
        1.0
    );
    let answered: f64 = samples
        .iter()
        .filter(|(n, _)| n.starts_with("reseller_requests_total"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        value(r#"reseller_request_duration_seconds_bucket{le="+Inf"}"#),
        answered
    );
    assert_eq!(value("reseller_request_duration_seconds_count"), answered);
    assert!(value(r#"reseller_write_group_size_bucket{le="+Inf"}"#) >= 1.0);
    assert_eq!(value("reseller_jobs_run_total"), 0.0);
}

#[tokio::test]
async fn reset_brings_back_a_fresh_demo_state_on_every_instance() {
    let app = TestApp::spawn().await;
    let opening = app.reseller_balance().await;
    let second = if app.is_postgres() {
        Some(app.second_instance().await)
    } else {
        None
    };
    let customer = app.signup("before-reset@example.com").await;
    app.fund(customer, "50").await;
    let contact = a_contact(&app, &customer.to_string()).await;
    app.post(
        "domains/register.json",
        &registration(
            "before-reset.in",
            &customer.to_string(),
            &contact,
            "1",
            "NoInvoice",
        ),
    )
    .await
    .ok();
    let (other, key) = app
        .create_reseller("other", crate::common::money("10"))
        .await;
    let outsider = app.as_reseller(other, &key);
    outsider
        .get("billing/reseller-balance.json", &[])
        .await
        .ok();
    if let Some(second) = &second {
        second
            .as_reseller(other, &key)
            .get("billing/reseller-balance.json", &[])
            .await
            .ok();
    }
    app.control(
        Method::POST,
        "faults",
        Some(json!([{"call": "customers/search", "status": 500}])),
    )
    .await;
    app.advance(10 * 86_400).await;
    assert_ne!(app.reseller_balance().await, opening);

    let (status, reset) = app.control(Method::POST, "reset", None).await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(reset["offset_seconds"], 0, "the clock is back to real time");
    assert_eq!(reset["demo_auth_userid"], 1);
    let counts = app.counts();
    for table in [
        "customers",
        "orders",
        "actions",
        "invoices",
        "mails",
        "resellers",
    ] {
        let n = counts.tables.iter().find(|(t, _)| t == table).unwrap().1;
        let expected = i64::from(table == "resellers");
        assert_eq!(n, expected, "{table}");
    }
    // The demo reseller keeps its key and gets its opening funds back.
    assert_eq!(app.reseller_balance().await, opening);
    let (_, faults) = app.control(Method::GET, "faults", None).await;
    assert_eq!(faults, json!([]));
    app.get(
        "customers/search.json",
        &[("no-of-records", "10"), ("page-no", "1")],
    )
    .await
    .ok();
    let (_, outbox) = app.control(Method::GET, "outbox", None).await;
    assert_eq!(outbox, json!([]));
    // The other reseller is gone, on this instance and on every other.
    let gone = outsider.get("billing/reseller-balance.json", &[]).await;
    assert_eq!(gone.status, 500, "{}", gone.text);
    if let Some(second) = &second {
        let mut refused = false;
        for _ in 0..40 {
            let reply = second
                .as_reseller(other, &key)
                .get("billing/reseller-balance.json", &[])
                .await;
            if reply.status != 200 {
                refused = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(refused, "the second instance dropped its cached key");
        assert_eq!(second.state.clock.offset(), 0);
    }
    // A fresh start works as one: the demo reseller orders again.
    let again = app.signup("after-reset@example.com").await;
    assert!(again > 0);
}

#[tokio::test]
async fn a_snapshot_brings_back_the_data_and_the_clock_it_kept() {
    let app = TestApp::spawn().await;
    let kept = app.signup("kept@example.com").await;
    app.fund(kept, "25").await;
    app.advance(86_400).await;
    let (status, taken) = app
        .control(Method::POST, "snapshots/before-tests", None)
        .await;
    assert_eq!(status, 200, "{taken}");
    let counts = app.counts();
    let balance = app.customer_balance(kept).await;

    // Changes after the snapshot: a customer, funds, an order, time.
    let later = app.signup("later@example.com").await;
    app.fund(kept, "10").await;
    let contact = a_contact(&app, &later.to_string()).await;
    app.post(
        "domains/register.json",
        &registration(
            "after-snapshot.com",
            &later.to_string(),
            &contact,
            "1",
            "NoInvoice",
        ),
    )
    .await
    .ok();
    app.advance(5 * 86_400).await;
    assert_ne!(app.counts(), counts);

    let (status, restored) = app
        .control(Method::POST, "snapshots/before-tests/restore", None)
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["offset_seconds"], 86_400, "the clock as kept");
    assert_eq!(app.counts(), counts, "every row and balance as kept");
    assert_eq!(app.customer_balance(kept).await, balance);
    let gone = app
        .get(
            "customers/details-by-id.json",
            &[("customer-id", &later.to_string())],
        )
        .await;
    assert_eq!(gone.status, 500);
    // The name is free again, and the platform keeps working.
    let again = app
        .post(
            "domains/register.json",
            &registration(
                "after-snapshot.com",
                &kept.to_string(),
                &a_contact(&app, &kept.to_string()).await,
                "1",
                "NoInvoice",
            ),
        )
        .await;
    again.ok();

    let (_, list) = app.control(Method::GET, "snapshots", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "before-tests");
    assert_eq!(list[0]["clock_offset_seconds"], 86_400);
    // Taken again under the same name, it is replaced.
    app.control(Method::POST, "snapshots/before-tests", None)
        .await;
    let (_, list) = app.control(Method::GET, "snapshots", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (missing, _) = app
        .control(Method::POST, "snapshots/nothing/restore", None)
        .await;
    assert_eq!(missing, 404);
    let (bad, refused) = app
        .control(Method::POST, "snapshots/no%20spaces", None)
        .await;
    assert_eq!(bad, 400, "{refused}");
}

#[tokio::test]
async fn a_wrong_method_on_the_control_plane_is_refused_in_its_shape_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path, allow) in [
        (Method::PUT, "faults", "GET, POST, DELETE"),
        (Method::GET, "reset", "POST"),
        (Method::DELETE, "snapshots/kept/restore", "POST"),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}/_reseller/{path}", app.base()))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(
            body["error"],
            format!(
                "/_reseller/{path} takes {}, not {method}",
                allow.replace(", ", " or ")
            ),
        );
    }
    // Without the token it says nothing of what is there.
    let status = app
        .client
        .put(format!("{}/_reseller/faults", app.base()))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
}

/// Runs `sql` on the app's database directly, as an older version's
/// schema would have left it.
fn raw_sql(app: &TestApp, sql: &str) {
    if app.is_postgres() {
        // The synchronous client runs a runtime of its own: off this one.
        let (url, sql) = (app.database_url.clone(), sql.to_string());
        std::thread::spawn(move || {
            let mut client =
                postgres::Client::connect(&url, postgres::NoTls).expect("a connection");
            client.batch_execute(&sql).expect("the statement runs");
        })
        .join()
        .expect("the statement ran");
    } else {
        let path = app
            .database_url
            .strip_prefix("sqlite://")
            .expect("a SQLite URL");
        let conn = rusqlite::Connection::open(path).expect("the file opens");
        conn.execute_batch(sql).expect("the statement runs");
    }
}

#[tokio::test]
async fn a_snapshot_kept_before_a_migration_added_a_column_still_restores() {
    let app = TestApp::spawn().await;
    let customer = app.signup("older@example.com").await;
    app.fund(customer, "25").await;
    let (status, _) = app.control(Method::POST, "snapshots/older", None).await;
    assert_eq!(status, 200);
    let counts = app.counts();
    let balance = app.customer_balance(customer).await;
    // As a snapshot taken before movements had a kind would be.
    raw_sql(&app, "ALTER TABLE snap_1_transfers DROP COLUMN kind");
    app.signup("newer@example.com").await;
    let (status, restored) = app
        .control(Method::POST, "snapshots/older/restore", None)
        .await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(app.counts(), counts, "every row and balance as kept");
    assert_eq!(app.customer_balance(customer).await, balance);
}
