//! Delivery of the platform's own mail (verification and approval links,
//! renewal notices, invoices, forgotten passwords) over SMTP, to the relay
//! developers already run (`--smtp-relay host:port`). The outbox keeps
//! every mail as before; an instance with a relay also queues each one in
//! the store (`reseller_store::Delivery`), and sends from that queue, so a
//! relay that is down loses nothing: the mail is tried again, later and
//! later, until the relay takes it. lettre speaks the protocol.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, Message};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Tokio1Executor};
use reseller_core::model::Mail;
use reseller_store::Store;
use std::time::Duration;

/// Who the platform's mail is from.
pub const FROM: &str = "Reseller <no-reply@reseller.example>";
/// How often the queue is read for mail due.
const POLL: Duration = Duration::from_millis(200);
/// How long an instance holds a mail it is sending before another may.
const LEASE_MS: i64 = 60_000;
/// The longest wait between two attempts.
const MOST_BACKOFF_MS: i64 = 30_000;
/// The due time of a mail given up on: its address can never be sent to.
pub const GIVEN_UP: i64 = i64::MAX;

/// A relay as `host:port`.
pub fn parse_relay(text: &str) -> Result<(String, u16), String> {
    let refused =
        || format!("invalid SMTP relay {text:?}: expected host:port, such as 127.0.0.1:1025");
    let (host, port) = text.rsplit_once(':').ok_or_else(refused)?;
    let port: u16 = port.parse().map_err(|_| refused())?;
    if host.is_empty() || port == 0 {
        return Err(refused());
    }
    Ok((host.trim_matches(['[', ']']).to_string(), port))
}

/// Real time in milliseconds.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The wait after the `attempts`-th failure: 1 s, 2 s, 4 s, ... up to 30 s.
fn backoff_ms(attempts: u32) -> i64 {
    (1_000i64 << attempts.saturating_sub(1).min(5)).min(MOST_BACKOFF_MS)
}

/// Queues this instance's mail from now on and delivers the queue to
/// `host:port` until the runtime stops.
pub fn start(store: Store, host: String, port: u16) {
    store.queue_mail();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    tokio::spawn(async move {
        loop {
            if let Err(error) = deliver_due(&store, &transport).await {
                tracing::error!(%error, "mail delivery: the queue could not be read");
            }
            tokio::time::sleep(POLL).await;
        }
    });
}

/// Sends every mail due now that no other instance took first.
async fn deliver_due(
    store: &Store,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<(), reseller_core::StoreError> {
    loop {
        let now = now_ms();
        let due = store.mails_due(now, 20).await?;
        if due.is_empty() {
            return Ok(());
        }
        for reseller_store::Due {
            mail,
            due,
            attempts,
        } in due
        {
            if !store.claim_mail(mail.id, due, now + LEASE_MS).await? {
                continue;
            }
            match message(&mail) {
                Err(error) => {
                    store.mail_failed(mail.id, GIVEN_UP, &error).await?;
                    tracing::warn!(mail.id, %error, "mail delivery: given up");
                }
                Ok(message) => match transport.send(message).await {
                    Ok(_) => store.mail_delivered(mail.id, now_ms()).await?,
                    Err(error) => {
                        let error = error.to_string();
                        let next = now_ms() + backoff_ms(attempts + 1);
                        store.mail_failed(mail.id, next, &error).await?;
                        tracing::warn!(mail.id, attempts = attempts + 1, %error, "mail delivery: will try again");
                    }
                },
            }
        }
    }
}

/// The mail as a message: plain text, from the platform to its recipient.
fn message(mail: &Mail) -> Result<Message, String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.recipient))?;
    // Plain ASCII in lines within SMTP's 998 characters goes as it is
    // (7bit), so every link stays whole in the message as a reader's tools
    // find it; lettre would wrap lines over 76 characters. Anything else is
    // encoded as lettre sees fit.
    let plain = mail.body.is_ascii()
        && !mail.body.contains('\0')
        && mail.body.lines().all(|l| l.len() <= 998);
    let body = if plain {
        let crlf = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::SevenBit)
    } else {
        Body::new(mail.body.clone())
    };
    Message::builder()
        .from(FROM.parse().map_err(|e| format!("sender: {e}"))?)
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relay_is_a_host_and_a_port() {
        assert_eq!(
            parse_relay("127.0.0.1:1025"),
            Ok(("127.0.0.1".to_string(), 1025))
        );
        assert_eq!(
            parse_relay("mail.example.net:25"),
            Ok(("mail.example.net".to_string(), 25))
        );
        assert_eq!(parse_relay("[::1]:2525"), Ok(("::1".to_string(), 2525)));
        for bad in ["localhost", "localhost:", ":25", "host:0", "host:99999"] {
            assert!(parse_relay(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn attempts_wait_longer_up_to_half_a_minute() {
        let waits: Vec<i64> = (1..=8).map(backoff_ms).collect();
        assert_eq!(
            waits,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
    }
}
