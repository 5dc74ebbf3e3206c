//! The platform's mail delivered over SMTP: a small SMTP server in the test
//! (a sink that keeps each message it accepts) receives the mails the
//! outbox keeps, links intact; with the sink stopped, mails wait in the
//! queue and are delivered once it is back, each exactly once.

use crate::common::TestApp;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// The messages a sink accepted, as sent after `DATA`.
type Received = Arc<Mutex<Vec<String>>>;

/// An SMTP server on `port` (0 for any) that accepts every message; it
/// stops when the task is aborted.
async fn sink(port: u16, received: Received) -> (u16, tokio::task::JoinHandle<()>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket
        .bind(format!("127.0.0.1:{port}").parse().unwrap())
        .unwrap();
    let listener: TcpListener = socket.listen(16).unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = received.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(message) = data.as_mut() {
                        if line == "." {
                            received.lock().unwrap().push(data.take().unwrap());
                            let _ = write.write_all(b"250 accepted\r\n").await;
                        } else {
                            message.push_str(line.strip_prefix('.').unwrap_or(&line));
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(answer).await;
                }
            });
        }
    });
    (port, task)
}

/// Waits up to `seconds` for `ready`.
async fn eventually(seconds: u64, mut ready: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    while tokio::time::Instant::now() < deadline {
        if ready().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn outbox(app: &TestApp) -> Vec<Value> {
    let (status, body) = app
        .control(reqwest::Method::GET, "outbox?limit=50", None)
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

/// Registers `name` for the customer: its registrant is mailed a link to
/// verify (ICANN's verification).
async fn register(app: &TestApp, customer: &str, contact: &str, name: &str) {
    app.post(
        "domains/register.json",
        &crate::domains::registration(name, customer, contact, "1", "NoInvoice"),
    )
    .await
    .ok();
}

#[tokio::test]
async fn the_platforms_mail_reaches_the_relay_and_waits_for_it_when_down() {
    let app = TestApp::spawn().await;
    let customer = app.signup("reader@example.com").await.to_string();
    let contact = crate::domains::a_contact(&app, &customer).await;
    // Kept before the relay was set: never sent.
    register(&app, &customer, &contact, "before-relay.com").await;
    let received: Received = Arc::default();
    let (port, running) = sink(0, received.clone()).await;
    reseller_server::mail_delivery::start(app.store.clone(), "127.0.0.1".to_string(), port);

    register(&app, &customer, &contact, "first-mail.com").await;
    let arrived = eventually(10, async || received.lock().unwrap().len() == 1).await;
    assert!(arrived, "delivered none: {:?}", outbox(&app).await);
    let kept = outbox(&app).await;
    let newest = &kept[0];
    let message = received.lock().unwrap()[0].clone();
    let to = newest["to"].as_str().unwrap();
    assert!(message.contains(&format!("To: {to}")), "{message}");
    assert!(
        message.contains("From: Reseller <no-reply@reseller.example>"),
        "{message}"
    );
    assert!(
        message.contains(&format!("Subject: {}", newest["subject"].as_str().unwrap())),
        "{message}"
    );
    let link = newest["links"][0].as_str().unwrap();
    assert!(
        message.contains(link),
        "the link intact: {link} in {message}"
    );
    assert!(
        eventually(5, async || outbox(&app).await[0]["delivery"]["state"]
            == "delivered")
        .await
    );
    assert_eq!(kept[1]["delivery"]["state"], "not-queued", "{}", kept[1]);

    // The relay goes down: mails wait, retried, and lose nothing.
    running.abort();
    let _ = running.await;
    register(&app, &customer, &contact, "while-down-1.com").await;
    register(&app, &customer, &contact, "while-down-2.com").await;
    assert!(
        eventually(10, async || {
            outbox(&app).await[..2]
                .iter()
                .all(|m| m["delivery"]["state"] == "retrying")
        })
        .await,
        "{:?}",
        outbox(&app).await
    );
    let waiting = outbox(&app).await;
    assert!(
        waiting[0]["delivery"]["last_error"].as_str().unwrap() != "",
        "{}",
        waiting[0]
    );
    assert_eq!(received.lock().unwrap().len(), 1);

    // Back up on the same port: each waiting mail arrives once.
    let (_, _back) = sink(port, received.clone()).await;
    assert!(
        eventually(40, async || received.lock().unwrap().len() >= 3).await,
        "{:?}",
        outbox(&app).await
    );
    assert!(
        eventually(5, async || {
            outbox(&app).await[..3]
                .iter()
                .all(|m| m["delivery"]["state"] == "delivered")
        })
        .await
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let all = received.lock().unwrap().clone();
    assert_eq!(all.len(), 3, "exactly once each: {all:?}");
    let kept = outbox(&app).await;
    for mail in &kept[..2] {
        let link = mail["links"][0].as_str().unwrap();
        let copies = all.iter().filter(|m| m.contains(link)).count();
        assert_eq!(copies, 1, "{link} arrived {copies} times");
        assert!(
            mail["delivery"]["attempts"].as_u64().unwrap() >= 2,
            "{mail}"
        );
    }
}

#[test]
fn a_relay_setting_that_is_no_host_and_port_is_refused() {
    let refused = reseller_server::mail_delivery::parse_relay("mailpit").unwrap_err();
    assert_eq!(
        refused,
        "invalid SMTP relay \"mailpit\": expected host:port, such as 127.0.0.1:1025"
    );
}
