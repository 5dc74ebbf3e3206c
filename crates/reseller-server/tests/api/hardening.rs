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
