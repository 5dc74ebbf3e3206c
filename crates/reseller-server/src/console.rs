//! The small console page an Acronis auto-login link opens. The link carries
//! a token signed with this deployment's key (HMAC-SHA256) that names the
//! order, its reseller and an expiry; an altered or expired token opens
//! nothing.

use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hmac::{Hmac, Mac};
use reseller_core::model::Order;
use reseller_core::{OrderId, ResellerId};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub struct Signer {
    /// The deployment's signing key, shared by every instance through the store.
    key: Vec<u8>,
}

/// What a signed link opens; a token signed for one opens nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    BackupConsole,
    /// A web hosting order's control panel (`*/auto-login-details`).
    HostingConsole,
    NixiVerification,
    TransferApproval,
    RaaVerification,
    IrtpGaining,
    IrtpLosing,
    SslApproval,
    /// A web console session (`webconsole`).
    ConsoleSession,
    /// The form token of a web console session.
    ConsoleForm,
}

impl LinkPurpose {
    fn domain(self) -> &'static [u8] {
        match self {
            LinkPurpose::BackupConsole => b"backup-console:",
            LinkPurpose::HostingConsole => b"hosting-console:",
            LinkPurpose::NixiVerification => b"nixi-verification:",
            LinkPurpose::TransferApproval => b"transfer-approval:",
            LinkPurpose::RaaVerification => b"raa-verification:",
            LinkPurpose::IrtpGaining => b"irtp-gaining:",
            LinkPurpose::IrtpLosing => b"irtp-losing:",
            LinkPurpose::SslApproval => b"ssl-approval:",
            LinkPurpose::ConsoleSession => b"console-session:",
            LinkPurpose::ConsoleForm => b"console-form:",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Grant {
    pub order_id: OrderId,
    pub reseller_id: ResellerId,
    pub expires: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
}

impl Signer {
    pub fn new(key: &[u8]) -> Signer {
        Signer { key: key.to_vec() }
    }

    fn mac(&self, purpose: LinkPurpose, payload: &str) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(purpose.domain());
        mac.update(payload.as_bytes());
        mac
    }

    pub fn sign(
        &self,
        purpose: LinkPurpose,
        order_id: OrderId,
        reseller_id: ResellerId,
        expires: i64,
    ) -> String {
        let payload = format!("{order_id}.{reseller_id}.{expires}");
        let signature: String = self
            .mac(purpose, &payload)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{payload}.{signature}")
    }

    pub fn verify(&self, purpose: LinkPurpose, token: &str, now: i64) -> Result<Grant, TokenError> {
        let (payload, signature) = token.rsplit_once('.').ok_or(TokenError::Invalid)?;
        // Only the form `sign` writes: 64 lowercase hex digits. Any other
        // spelling of the same bytes is refused, so a link has one text.
        if signature.len() != 64
            || !signature
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(TokenError::Invalid);
        }
        let signature = (0..signature.len())
            .step_by(2)
            .map(|i| {
                signature
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or(TokenError::Invalid)?;
        self.mac(purpose, payload)
            .verify_slice(&signature)
            .map_err(|_| TokenError::Invalid)?;
        let mut parts = payload.split('.').map(str::parse::<i64>);
        let (Some(Ok(order_id)), Some(Ok(reseller_id)), Some(Ok(expires)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        if now > expires {
            return Err(TokenError::Expired);
        }
        Ok(Grant {
            order_id: OrderId(order_id),
            reseller_id: ResellerId(reseller_id),
            expires,
        })
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn refusal(status: StatusCode, message: &str) -> Response {
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Acronis Backup console</title></head>\
         <body><h1>Acronis Backup console</h1><p>{}</p></body></html>",
        escape(message)
    );
    (status, Html(page)).into_response()
}

/// The grant of an auto-login link for `purpose`, or the page refusing it.
fn granted(state: &AppState, purpose: LinkPurpose, token: &str) -> Result<Grant, Box<Response>> {
    match state.console.verify(purpose, token, state.clock.now()) {
        Ok(grant) => Ok(grant),
        Err(TokenError::Expired) => Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            "This login link has expired. Ask for a new one.",
        ))),
        Err(TokenError::Invalid) => Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            "This login link is not valid.",
        ))),
    }
}

/// The order a link opens, or the page saying it is gone (or our fault).
fn opened(order: reseller_core::Result<Order>, what: &str) -> Result<Order, Box<Response>> {
    match order {
        Ok(order) => Ok(order),
        Err(reseller_core::Error::Rule(_)) => Err(Box::new(refusal(
            StatusCode::NOT_FOUND,
            &format!("This {what} order is no longer available."),
        ))),
        Err(reseller_core::Error::Store(fault)) => {
            let error = crate::wire::ApiError::internal(fault);
            Err(Box::new(refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                &error.to_string(),
            )))
        }
    }
}

/// A console page: its title and a table of the order's facts.
fn console_page(title: &str, order: &Order, rows: &[(&str, String)]) -> Response {
    let table: String = rows
        .iter()
        .map(|(k, v)| format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v)))
        .collect();
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}: order {}</title></head>\
         <body><h1>{title}</h1><table>{table}</table></body></html>",
        order.id,
        title = escape(title),
    );
    Html(page).into_response()
}

pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let grant = match granted(&state, LinkPurpose::BackupConsole, &token) {
        Ok(grant) => grant,
        Err(refused) => return *refused,
    };
    let order = state
        .store
        .read(move |tx| reseller_core::backup::console_order(tx, grant.reseller_id, grant.order_id))
        .await;
    let order = match opened(order, "backup") {
        Ok(order) => order,
        Err(refused) => return *refused,
    };
    let agents: Vec<String> = order
        .attrs
        .agent_hosts
        .iter()
        .map(OrderId::to_string)
        .collect();
    let rows = [
        ("Order", order.id.to_string()),
        ("Server", order.description.clone()),
        ("Status", order.status.as_str().to_string()),
        ("Product", order.product.key().to_string()),
        ("Plan", order.plan_id.to_string()),
        (
            "Storage",
            format!("{} GB", order.attrs.storage_gb.unwrap_or(0)),
        ),
        ("Expires", order.endtime.to_string()),
        (
            "Agent installed on",
            if agents.is_empty() {
                "none".to_string()
            } else {
                agents.join(", ")
            },
        ),
    ];
    console_page("Acronis Backup console", &order, &rows)
}

/// A web hosting order's control panel, opened by its auto-login link.
pub async fn hosting_page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let grant = match granted(&state, LinkPurpose::HostingConsole, &token) {
        Ok(grant) => grant,
        Err(refused) => return *refused,
    };
    let order = state
        .store
        .read(move |tx| {
            let every: Vec<_> = reseller_core::catalogue::web_hosting_products()
                .map(|spec| spec.product)
                .collect();
            reseller_core::hosting::console_order(tx, grant.reseller_id, grant.order_id, &every)
        })
        .await;
    let order = match opened(order, "hosting") {
        Ok(order) => order,
        Err(refused) => return *refused,
    };
    let addons: Vec<String> = order.attrs.addons.iter().map(|a| a.name.clone()).collect();
    let rows = [
        ("Order", order.id.to_string()),
        ("Domain", order.description.clone()),
        ("Status", order.status.as_str().to_string()),
        ("Product", order.product.key().to_string()),
        ("Plan", order.plan_id.to_string()),
        ("Expires", order.endtime.to_string()),
        (
            "Add-ons",
            if addons.is_empty() {
                "none".to_string()
            } else {
                addons.join(", ")
            },
        ),
        (
            "Maintenance mode",
            if order.attrs.maintenance { "on" } else { "off" }.to_string(),
        ),
    ];
    console_page(
        &format!("{} control panel", order.product.name()),
        &order,
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(LinkPurpose::BackupConsole, OrderId(7), ResellerId(1), 100);
        assert_eq!(
            signer.verify(LinkPurpose::BackupConsole, &token, 100),
            Ok(Grant {
                order_id: OrderId(7),
                reseller_id: ResellerId(1),
                expires: 100
            })
        );
        assert_eq!(
            signer.verify(LinkPurpose::BackupConsole, &token, 101),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn only_the_canonical_spelling_of_a_signature_verifies() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(LinkPurpose::BackupConsole, OrderId(7), ResellerId(1), 100);
        let (payload, signature) = token.rsplit_once('.').unwrap();
        assert!(signer.verify(LinkPurpose::BackupConsole, &token, 0).is_ok());
        let upper = format!("{payload}.{}", signature.to_ascii_uppercase());
        assert_eq!(
            signer.verify(LinkPurpose::BackupConsole, &upper, 0),
            Err(TokenError::Invalid)
        );
        let longer = format!("{token}00");
        assert_eq!(
            signer.verify(LinkPurpose::BackupConsole, &longer, 0),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn an_altered_token_is_refused() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(LinkPurpose::BackupConsole, OrderId(7), ResellerId(1), 100);
        assert_eq!(
            signer.verify(
                LinkPurpose::BackupConsole,
                &token.replacen("7.", "8.", 1),
                0
            ),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            Signer::new(b"other").verify(LinkPurpose::BackupConsole, &token, 0),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            signer.verify(LinkPurpose::BackupConsole, "garbage", 0),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            signer.verify(LinkPurpose::NixiVerification, &token, 0),
            Err(TokenError::Invalid),
            "a token opens only what it was signed for"
        );
    }
}
