//! What fuzzing from outside found: malformed bodies, HEAD, repeated wrong
//! keys, clients that never finish a request. Each is sent over a raw TCP
//! connection where a client library would not send it.

use crate::common::{DEMO_KEY, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends `request` as given, half-closes, and reads the whole answer.
async fn raw(app: &TestApp, request: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connects");
    stream.write_all(request.as_bytes()).await.expect("sends");
    stream.shutdown().await.expect("half-closes");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn status(answer: &str) -> &str {
    answer.split(' ').nth(1).unwrap_or("")
}

#[tokio::test]
async fn a_body_shorter_than_its_length_or_with_bad_chunks_gets_400_in_the_envelope() {
    let app = TestApp::spawn().await;
    let before = app.counts();
    let path = format!("/api/customers/signup.json?auth-userid=1&api-key={DEMO_KEY}");
    let short = raw(
        &app,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=a"
        ),
    )
    .await;
    assert_eq!(status(&short), "400", "{short}");
    assert!(short.contains(r#""status":"ERROR""#), "{short}");
    assert!(
        short.contains("Request body is malformed or incomplete"),
        "{short}"
    );
    let chunks = raw(
        &app,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nusername=a\r\n0\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status(&chunks), "400", "{chunks}");
    assert!(
        chunks.contains("Request body is malformed or incomplete"),
        "{chunks}"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn head_is_answered_wherever_get_is_and_only_there() {
    let app = TestApp::spawn().await;
    let read = raw(
        &app,
        &format!(
            "HEAD /api/billing/reseller-balance.json?auth-userid=1&api-key={DEMO_KEY} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status(&read), "200", "{read}");
    let (_, body) = read.split_once("\r\n\r\n").expect("headers end");
    assert!(body.is_empty(), "HEAD has no body: {body}");
    let write = raw(
        &app,
        &format!(
            "HEAD /api/customers/signup.json?auth-userid=1&api-key={DEMO_KEY} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status(&write), "405", "{write}");
}

fn short_limits() -> reseller_server::Limits {
    reseller_server::Limits {
        header_timeout: std::time::Duration::from_secs(1),
        body_timeout: std::time::Duration::from_secs(1),
        auth_failures_per_minute: 5,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let app = TestApp::spawn_with_limits(short_limits()).await;
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connects");
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    // One header line every 300 ms, for up to 6 s: the server must end it.
    let mut closed = false;
    for n in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        if stream
            .write_all(format!("X-Slow-{n}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 1024];
        if let Ok(Ok(read)) = tokio::time::timeout(
            std::time::Duration::from_millis(1),
            stream.read(&mut buffer),
        )
        .await
        {
            answer.extend_from_slice(&buffer[..read]);
            closed = true;
            break;
        }
    }
    assert!(
        closed,
        "the connection stayed open for {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_body_that_does_not_arrive_gets_408_in_the_envelope() {
    let app = TestApp::spawn_with_limits(short_limits()).await;
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connects");
    stream
        .write_all(
            format!(
                "POST /api/customers/signup.json?auth-userid=1&api-key={DEMO_KEY} HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nusername="
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("an answer within the body timeout")
        .expect("reads");
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert_eq!(status(&answer), "408", "{answer}");
    assert!(
        answer.contains("Request body did not arrive in time"),
        "{answer}"
    );
}

#[tokio::test]
async fn repeated_wrong_keys_lock_the_address_out_with_the_credentials_error() {
    let app = TestApp::spawn_with_limits(short_limits()).await;
    let wrong = app.as_reseller(1, "not-the-key");
    for _ in 0..5 {
        let reply = wrong.get("billing/reseller-balance.json", &[]).await;
        assert_eq!(reply.error(), reseller_server::wire::error::BAD_CREDENTIALS);
    }
    // The right key, from the same address, within the minute.
    let right = app.get("billing/reseller-balance.json", &[]).await;
    assert_eq!(right.error(), reseller_server::wire::error::BAD_CREDENTIALS);
}

/// Ends every connection the server holds to its database, as a restart of
/// PostgreSQL does (SQLSTATE 57P01 on each stale connection).
fn terminate_connections(database_url: &str) -> u64 {
    let url = database_url.to_string();
    std::thread::spawn(move || {
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
        let row = admin
            .query_one(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .expect("terminates");
        row.get::<_, i64>(0) as u64
    })
    .join()
    .expect("no panic")
}

#[tokio::test]
async fn a_postgresql_restart_costs_no_request() {
    let app = TestApp::spawn_on(
        crate::common::Backend::Postgres,
        crate::common::money("10000"),
    )
    .await;
    let customer = app.signup("before@example.com").await;
    app.add_vps(customer, "before.example.com").await;
    assert!(app.get("billing/reseller-balance.json", &[]).await.status == 200);

    let ended = terminate_connections(&app.database_url);
    assert!(
        ended >= 2,
        "the writer's and a reader's connections: {ended}"
    );
    // The first write and the first read after the restart both succeed.
    let order = app.add_vps(customer, "after.example.com").await;
    let details = app
        .get(
            "vps/linux/us/details.json",
            &[("order-id", &order.to_string())],
        )
        .await;
    assert_eq!(details.ok().s("domainname"), "after.example.com");
    let search = app
        .get(
            "vps/linux/us/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(search.ok().s("recsindb"), "2");
}

/// A value no refusal may show: `marker` inside each kind of value a
/// parameter refuses.
fn bad_values(marker: &str) -> Vec<String> {
    vec![
        format!("{marker}\u{1}"),
        format!("{marker} with spaces"),
        format!("{marker}{}", "x".repeat(300)),
        format!("{marker}\u{7f}"),
    ]
}

#[tokio::test]
async fn a_secret_is_never_echoed_in_a_refusal_nor_kept_in_the_journal() {
    let app = TestApp::spawn().await;
    let customer = app.signup("secrets@example.com").await.to_string();
    let id = app.reseller_id.to_string();
    for value in bad_values("SeCrEt42") {
        let refusals = [
            app.raw(
                reqwest::Method::GET,
                "customers/details-by-id.json",
                &[
                    ("auth-userid", &id),
                    ("api-key", &value),
                    ("customer-id", &customer),
                ],
            )
            .await,
            app.post(
                "customers/change-password.json",
                &[("customer-id", &customer), ("new-passwd", &value)],
            )
            .await,
            app.get(
                "customers/generate-token.json",
                &[
                    ("username", "secrets@example.com"),
                    ("passwd", &value),
                    ("ip", "203.0.113.9"),
                ],
            )
            .await,
            app.post(
                "domains/modify-auth-code.json",
                &[("order-id", "1"), ("auth-code", &value)],
            )
            .await,
            app.post(
                "customers/modify.json",
                &[("customer-id", &customer), ("passwd", &value)],
            )
            .await,
        ];
        // Some of these are valid passwords; none is ever echoed.
        assert!(refusals.iter().any(|r| r.status != 200), "{value:?}");
        for answer in refusals {
            assert!(
                !answer.text.contains("SeCrEt42"),
                "the secret is echoed: {}",
                answer.text
            );
        }
    }
    let (_, journal) = app
        .control(reqwest::Method::GET, "requests?limit=100", None)
        .await;
    let kept = journal.to_string();
    assert!(
        kept.contains("modify-auth-code"),
        "the journal keeps the calls"
    );
    assert!(
        !kept.contains("SeCrEt42"),
        "the journal keeps a secret: {kept}"
    );
}

#[tokio::test]
async fn control_characters_are_refused_in_every_text_filter_on_both_backends() {
    let app = TestApp::spawn().await;
    for (call, name) in [
        ("customers/search.json", "username"),
        ("customers/search.json", "name"),
        ("contacts/search.json", "email"),
        ("backup/us/search.json", "domain-name"),
        ("domains/search.json", "domain-name"),
    ] {
        let mut params = vec![("no-of-records", "10"), ("page-no", "1"), (name, "a\u{0}b")];
        if call.starts_with("contacts") {
            params.push(("customer-id", "1"));
        }
        let refused = app.get(call, &params).await;
        assert_eq!(
            refused.error(),
            format!("Invalid {name}: ab. It may not contain control characters"),
            "{call}"
        );
    }
}

#[tokio::test]
async fn wrong_admin_tokens_count_against_the_address_as_wrong_keys_do() {
    let app = TestApp::spawn_with_limits(short_limits()).await;
    let clock = |token: &str| {
        app.client
            .get(format!("{}/_reseller/clock", app.base()))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    assert_eq!(
        clock(crate::common::ADMIN_TOKEN).await.unwrap().status(),
        200
    );
    for _ in 0..5 {
        assert_eq!(clock("wrong").await.unwrap().status(), 401);
    }
    // Past the limit the right token is refused too, and so are the API's
    // right keys from that address.
    assert_eq!(
        clock(crate::common::ADMIN_TOKEN).await.unwrap().status(),
        401
    );
    let api = app
        .get(
            "customers/search.json",
            &[("no-of-records", "10"), ("page-no", "1")],
        )
        .await;
    assert_eq!(api.error(), reseller_server::wire::error::BAD_CREDENTIALS);
}

#[tokio::test]
async fn wrong_admin_tokens_at_the_console_sign_in_count_too() {
    let app = TestApp::spawn_with_limits(short_limits()).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = |token: &'static str| {
        let client = client.clone();
        let base = app.base();
        async move {
            // The sign-in form's token comes with its cookie.
            let page = client.get(format!("{base}/console/")).send().await.unwrap();
            let cookie = page
                .headers()
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .unwrap()
                .to_string();
            let nonce = cookie.split_once('=').unwrap().1.to_string();
            client
                .post(format!("{base}/console/signin"))
                .header("cookie", cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("csrf={nonce}&admin-token={token}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(sign_in(crate::common::ADMIN_TOKEN).await, 303, "signed in");
    for _ in 0..5 {
        assert_eq!(sign_in("wrong").await, 200, "the form again");
    }
    assert_eq!(
        sign_in(crate::common::ADMIN_TOKEN).await,
        200,
        "locked out for the minute"
    );
}

#[tokio::test]
async fn the_bearer_scheme_is_taken_in_any_case() {
    let app = TestApp::spawn().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let answer = app
            .client
            .get(format!("{}/_reseller/clock", app.base()))
            .header(
                "authorization",
                format!("{scheme} {}", crate::common::ADMIN_TOKEN),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{scheme}");
    }
    let basic = app
        .client
        .get(format!("{}/_reseller/clock", app.base()))
        .header(
            "authorization",
            format!("Basic {}", crate::common::ADMIN_TOKEN),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn a_body_that_is_no_form_is_refused_and_no_secret_of_it_is_kept() {
    let app = TestApp::spawn().await;
    let secret = format!(
        r#"{{"auth-userid": "{}", "api-key": "{}", "passwd": "JsonSecret9"}}"#,
        app.reseller_id, app.api_key
    );
    for content_type in [
        Some("application/json"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut request = app
            .client
            .post(format!("{}/api/customers/signup.json", app.base()))
            .body(secret.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let answer = request.send().await.unwrap();
        assert_ne!(answer.status(), 200);
        let text = answer.text().await.unwrap();
        assert!(!text.contains("JsonSecret9"), "{content_type:?}: {text}");
    }
    // A secret sent under an escaped name is masked too.
    app.raw(
        reqwest::Method::GET,
        "customers/search.json",
        &[
            ("auth-userid", &app.reseller_id.to_string()),
            ("api%2Dkey", "EscapedSecret7"),
        ],
    )
    .await;
    let (_, journal) = app
        .control(reqwest::Method::GET, "requests?limit=20", None)
        .await;
    let kept = journal.to_string();
    assert!(
        kept.contains("customers/signup"),
        "the journal keeps the calls"
    );
    for secret in ["JsonSecret9", "EscapedSecret7"] {
        assert!(!kept.contains(secret), "the journal keeps {secret}: {kept}");
    }
}
