//! A typed async client of the LogicBoxes reseller HTTP API: the API behind
//! ResellerClub and its white labels, and the one `reseller` serves. The
//! real API has no machine-readable description and its quirks (bare
//! bodies, strings for numbers, two error shapes, errors sent with HTTP
//! 500) are learnt by every client anew; this crate knows them once.
//!
//! ```no_run
//! # async fn example() -> Result<(), reseller_client::Error> {
//! use reseller_client::{Client, NewCustomer};
//!
//! let client = Client::new("http://127.0.0.1:8080", "1", "demo-key");
//! let id = client
//!     .customers()
//!     .signup(&NewCustomer {
//!         username: "ada@example.com".into(),
//!         password: "s3cret-pass".into(),
//!         name: "Ada".into(),
//!         company: "Analytical".into(),
//!         address_line_1: "1 Engine Road".into(),
//!         city: "London".into(),
//!         state: "London".into(),
//!         country: "GB".into(),
//!         zipcode: "N1".into(),
//!         phone_cc: "44".into(),
//!         phone: "2070000000".into(),
//!     })
//!     .await?;
//! let customer = client.customers().details_by_id(id).await?;
//! assert_eq!(customer.username, "ada@example.com");
//! # Ok(())
//! # }
//! ```
//!
//! Every call is a type of `reseller_api::calls` (the same the server
//! parses), sent by [`Client::call`] (or [`Client::product_call`] for a
//! product's call below its path), which answers the reply's JSON; the
//! categories above add typed replies. [`Client::get`] and
//! [`Client::post`] send anything else. Reads (GET) are retried on a
//! failed connection; writes never are, since the first may have landed.

mod actions;
mod billing;
mod customers;
mod dns;
mod domains;
mod hosting;
mod mail;
mod orders;
mod products;
mod resellers;
mod sandbox;
mod ssl;

pub use actions::{ActionSearch, Actions};
pub use billing::{Billing, PaidInvoice};
pub use customers::{CustomerChanges, Customers, NewCustomer};
pub use dns::{Dns, DnsRecord, RecordType};
pub use domains::{
    Availability, Contacts, DomainRegistration, DomainRenewal, DomainTransfer, Domains, Locks,
    NewContact, Suggestion, availability, premium, suggestions,
};
pub use hosting::{Hosting, ModifyQuote};
pub use mail::{Mail, MailAccount, NewMailbox};
pub use orders::{Charge, NewOrder, OrderSearch, Orders, Page, Renewal, actions_by_invoice};
pub use products::{Backups, Email, ManagedServers, NewBackup, NewEmail, Products, Region};
/// The replies the typed calls answer: the types `reseller-api` reads and
/// describes.
pub use reseller_api::replies::{
    ActionReceipt, ActionRecord, Balance, Contact, ContactRecord, Customer, CustomerRecord,
    DomainDetails, OrderDetails, OrderRecord, Transaction,
};
pub use reseller_api::{Amount, NotAnAmount};
pub use reseller_core::CustomerId;
/// How an action that costs money is billed (`invoice-option`).
pub use reseller_core::model::InvoiceOption;
pub use resellers::{Reseller, Resellers};
pub use sandbox::{NewTenant, Sandbox, Tenant, TenantClock};
pub use ssl::{CertificateDetails, Ssl, Verification};

use serde_json::Value;
use std::time::Duration;

/// The real service's hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// `https://httpapi.com`: live orders, real money.
    Live,
    /// `https://test.httpapi.com`: the vendor's sandbox.
    Test,
}

impl Host {
    pub fn base_url(self) -> &'static str {
        match self {
            Host::Live => "https://httpapi.com",
            Host::Test => "https://test.httpapi.com",
        }
    }
}

/// What a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API refused the call, with its message (`{"status":"ERROR",
    /// "message":...}`, `{"status":"error","error":...}`, or the `mail/*`
    /// family's `{"response":{"status":"FAILURE","message":...}}`).
    #[error("{message}")]
    Api { status: u16, message: String },
    /// The server answered something that is not the API's: a body that
    /// is neither a reply nor the error envelope, or a reply whose fields
    /// are not what the call answers.
    #[error("unexpected reply (HTTP {status}): {detail}")]
    Reply { status: u16, detail: String },
    /// The request did not get an answer (connection, timeout, TLS).
    #[error("no answer: {0}")]
    Http(#[from] reqwest::Error),
    /// A value the call does not take, refused before sending, in the
    /// words the server would use.
    #[error(transparent)]
    Invalid(#[from] reseller_api::ParamError),
}

impl From<reseller_api::replies::ReplyError> for Error {
    fn from(error: reseller_api::replies::ReplyError) -> Error {
        Error::Reply {
            status: 200,
            detail: error.0,
        }
    }
}

/// Makes rustls with ring the TLS of every reqwest client of the program
/// (the real hosts are HTTPS): reqwest is built without a provider of its
/// own, so that none builds a large C library. A provider the program
/// installed first is kept. [`Client::new`] calls it; a program that
/// builds reqwest clients of its own calls it first.
pub fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A reply's JSON read as its type.
pub(crate) fn read<T: reseller_api::replies::Reply>(reply: &Value) -> Result<T> {
    Ok(T::read(reply)?)
}

pub type Result<T> = std::result::Result<T, Error>;

/// Times a read is tried when its connection fails.
const READ_TRIES: u32 = 3;

/// A client of one account: a base URL, the reseller's `auth-userid` and
/// its `api-key` (sent with every call, never shown: `Debug` hides it).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    auth_userid: String,
    api_key: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("auth_userid", &self.auth_userid)
            .field("api_key", &"***")
            .finish()
    }
}

impl Client {
    /// A client of the server at `base_url` (`http://127.0.0.1:8080`, or a
    /// host's [`Host::base_url`]).
    pub fn new(base_url: &str, auth_userid: &str, api_key: &str) -> Client {
        install_tls();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default();
        Client {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            auth_userid: auth_userid.to_string(),
            api_key: api_key.to_string(),
        }
    }

    /// A client of one of the real service's hosts.
    pub fn of(host: Host, auth_userid: &str, api_key: &str) -> Client {
        Client::new(host.base_url(), auth_userid, api_key)
    }

    pub fn customers(&self) -> Customers<'_> {
        Customers { client: self }
    }

    pub fn billing(&self) -> Billing<'_> {
        Billing { client: self }
    }

    pub fn domains(&self) -> Domains<'_> {
        Domains { client: self }
    }

    pub fn dns(&self) -> Dns<'_> {
        Dns { client: self }
    }

    /// The mail accounts inside Business Email orders.
    pub fn mail(&self) -> Mail<'_> {
        Mail { client: self }
    }

    /// A web hosting product's own calls, below one of its prefixes.
    pub fn hosting(&self, prefix: &str) -> Hosting<'_> {
        Hosting {
            client: self,
            prefix: prefix.trim_matches('/').to_string(),
        }
    }

    /// SSL certificate orders' requests and certificates.
    pub fn ssl(&self) -> Ssl<'_> {
        Ssl { client: self }
    }

    pub fn resellers(&self) -> Resellers<'_> {
        Resellers { client: self }
    }

    pub fn contacts(&self) -> Contacts<'_> {
        Contacts { client: self }
    }

    pub fn actions(&self) -> Actions<'_> {
        Actions { client: self }
    }

    pub fn products(&self) -> Products<'_> {
        Products { client: self }
    }

    pub fn backups(&self, region: Region) -> Backups<'_> {
        Backups {
            client: self,
            region,
        }
    }

    pub fn email(&self) -> Email<'_> {
        Email { client: self }
    }

    pub fn managed_servers(&self) -> ManagedServers<'_> {
        ManagedServers { client: self }
    }

    /// The orders of one product, by its path: `backup/us`, `vps/linux/us`,
    /// `eelite/us`, `domains`, ...
    pub fn orders(&self, product: &str) -> Orders<'_> {
        Orders {
            client: self,
            product: product.trim_matches('/').to_string(),
        }
    }

    /// Any call, by its type: its path, method and parameters come from
    /// it, as the server reads them.
    pub async fn call<C: reseller_api::Call>(&self, request: &C) -> Result<Value> {
        self.call_at(C::PATH, request).await
    }

    /// A product's call (`*/add`) below the product's path
    /// (`vps/linux/us`).
    pub async fn product_call<C: reseller_api::Call>(
        &self,
        product: &str,
        request: &C,
    ) -> Result<Value> {
        let name = C::PATH.strip_prefix("*/").unwrap_or(C::PATH);
        let path = format!("{}/{name}", product.trim_matches('/'));
        self.call_at(&path, request).await
    }

    async fn call_at<C: reseller_api::Call>(&self, path: &str, request: &C) -> Result<Value> {
        let mut pairs = reseller_api::Pairs::new();
        request.encode(&mut pairs);
        let params: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match C::VERB {
            reseller_api::Verb::Post => self.post(path, &params).await,
            reseller_api::Verb::Get | reseller_api::Verb::GetOrPost => {
                self.get(path, &params).await
            }
        }
    }

    /// A read: `GET /api/<call>.json` with `params` (a key may repeat).
    /// Retried when the connection fails.
    pub async fn get(&self, call: &str, params: &[(&str, &str)]) -> Result<Value> {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.send(reqwest::Method::GET, call, params).await {
                Err(Error::Http(e)) if tries < READ_TRIES && (e.is_connect() || e.is_timeout()) => {
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(tries))).await;
                }
                outcome => return outcome,
            }
        }
    }

    /// A write: `POST /api/<call>.json` with `params`. Never retried.
    pub async fn post(&self, call: &str, params: &[(&str, &str)]) -> Result<Value> {
        self.send(reqwest::Method::POST, call, params).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        call: &str,
        params: &[(&str, &str)],
    ) -> Result<Value> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("auth-userid", &self.auth_userid);
        query.append_pair("api-key", &self.api_key);
        query.extend_pairs(params);
        let url = format!(
            "{}/api/{}.json?{}",
            self.base,
            call.trim_matches('/'),
            query.finish()
        );
        let response = self.http.request(method, url).send().await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        read_reply(status, &text)
    }
}

/// A reply's JSON, or the API's refusal in either of its shapes. A bare
/// word outside JSON (`Success`, as `domains/cancel-transfer` answers) is
/// read as a string.
fn read_reply(status: u16, text: &str) -> Result<Value> {
    let word = text.trim();
    if status == 200 && !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic()) {
        if let Ok(body) = serde_json::from_str::<Value>(word) {
            return Ok(body);
        }
        return Ok(Value::String(word.to_string()));
    }
    let body: Value = serde_json::from_str(text).map_err(|_| Error::Reply {
        status,
        detail: excerpt(text),
    })?;
    let refusal = match (&body["status"], &body["message"], &body["error"]) {
        (Value::String(s), Value::String(message), _) if s.eq_ignore_ascii_case("error") => {
            Some(message.clone())
        }
        (Value::String(s), _, Value::String(message)) if s.eq_ignore_ascii_case("error") => {
            Some(message.clone())
        }
        // The `mail/*` family's own: `{"response": {"status": "FAILURE", ...}}`.
        _ => match (&body["response"]["status"], &body["response"]["message"]) {
            (Value::String(s), Value::String(message)) if s == "FAILURE" => Some(message.clone()),
            _ => None,
        },
    };
    match refusal {
        Some(message) => Err(Error::Api { status, message }),
        None if status == 200 => Ok(body),
        None => Err(Error::Reply {
            status,
            detail: excerpt(text),
        }),
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(300).collect()
}

/// A field of a reply that the API sends as a string (most are), or as a
/// number.
pub(crate) fn text_of(reply: &Value, key: &str) -> Result<String> {
    match &reply[key] {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Error::Reply {
            status: 200,
            detail: format!("no {key} in {}", excerpt(&reply.to_string())),
        }),
    }
}

/// A value the caller gave as text, read as the call's wire type: refused
/// here, in the server's words, when the call would refuse it.
pub(crate) fn wire<T: reseller_api::Field>(name: &'static str, value: &str) -> Result<T> {
    Ok(T::parse(name, value)?)
}

/// A whole number sent as a string or a number.
pub(crate) fn int_of(reply: &Value, key: &str) -> Result<i64> {
    let text = text_of(reply, key)?;
    text.parse().map_err(|_| Error::Reply {
        status: 200,
        detail: format!("{key} is not a whole number: {text}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_error_shapes_are_refusals_with_their_message() {
        let refused = read_reply(500, r#"{"status":"ERROR","message":"Invalid customer-id"}"#);
        assert!(
            matches!(refused, Err(Error::Api { status: 500, ref message }) if message == "Invalid customer-id")
        );
        let nested = read_reply(200, r#"{"status":"error","error":"No entity found"}"#);
        assert!(
            matches!(nested, Err(Error::Api { ref message, .. }) if message == "No entity found")
        );
        let mail = read_reply(
            200,
            r#"{"response":{"status":"FAILURE","message":"Email address a@b.com does not exist","errorCode":"emailaddress_does_not_exist"}}"#,
        );
        assert!(
            matches!(mail, Err(Error::Api { status: 200, ref message }) if message == "Email address a@b.com does not exist")
        );
        let fine = read_reply(200, r#"{"response":{"status":"SUCCESS"}}"#);
        assert!(fine.is_ok());
    }

    #[test]
    fn a_body_that_is_not_the_api_is_no_refusal() {
        assert!(matches!(
            read_reply(502, "<html>Bad gateway</html>"),
            Err(Error::Reply { status: 502, .. })
        ));
        assert!(matches!(
            read_reply(500, r#"{"unexpected":true}"#),
            Err(Error::Reply { status: 500, .. })
        ));
        // Bare bodies are replies.
        assert_eq!(
            read_reply(200, "30930235").unwrap(),
            serde_json::json!(30930235)
        );
        assert_eq!(read_reply(200, "true").unwrap(), serde_json::json!(true));
        assert_eq!(
            read_reply(200, "Success").unwrap(),
            serde_json::json!("Success")
        );
        assert!(matches!(
            read_reply(500, "Success"),
            Err(Error::Reply { .. })
        ));
    }

    #[tokio::test]
    async fn https_goes_through_rustls_with_ring() {
        let client = Client::new("https://127.0.0.1:1", "1", "key");
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
        // No TLS server there: refused as no answer, not a panic.
        let refused = client.post("resellers/details", &[]).await;
        assert!(matches!(refused, Err(Error::Http(_))), "{refused:?}");
    }

    #[test]
    fn the_key_is_never_shown() {
        let client = Client::new("http://127.0.0.1:1", "1", "very-secret");
        assert!(!format!("{client:?}").contains("very-secret"));
    }
}
