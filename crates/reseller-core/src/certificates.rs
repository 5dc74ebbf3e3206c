//! What an SSL certificate order holds beyond its term: the request
//! (`enroll`: a CSR, read and checked by the server), how its names are
//! validated, and the certificate the sandbox's authority issues once they
//! are. Kept with the order (`OrderAttrs::ssl`), so snapshots carry it.
//!
//! Validation by DNS: the order's domain publishes a TXT record
//! `_dnsauth` holding the request's token (`dns`), or a CNAME record named
//! for the token (`cname`, the vendor's word); the server looks for them in
//! its own zones (DNS hosting), where the applicant adds them through the
//! API. Validation by file (`http`): the domain's web server serves the
//! token at a path named for it, which the server fetches
//! (`reseller_server::api::ssl`). Validation by email: an approval mail goes
//! to one of the domain's administrative addresses, and its signed link
//! approves the request.
//!
//! A renewal issues a certificate for the new term by itself: control of
//! the domain, once shown, stands for it (`Certificate::renewal_due`).

use crate::catalogue::Product;
use crate::domain::DomainName;
use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::model::Order;
use crate::orders;
use crate::time::Epoch;
use crate::tx::{ReadTx, WriteTx};
use serde::{Deserialize, Serialize};

const PRODUCTS: &[Product] = &[Product::SslCert];

/// The host of the TXT record that proves control of a domain.
pub const DNS_AUTH_HOST: &str = "_dnsauth";

/// How an applicant proves control of the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// A TXT record `_dnsauth` holding the token.
    Dns,
    Email,
    /// A CNAME record `_<token>` to `<token>.`[`CNAME_TARGET_ZONE`].
    Cname,
    /// A file at `/.well-known/pki-validation/<token>.txt` holding the token.
    Http,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Dns, Method::Email, Method::Cname, Method::Http];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Dns => "dns",
            Method::Email => "email",
            Method::Cname => "cname",
            Method::Http => "http",
        }
    }
}

/// The zone the CNAME of a validation points into: a name of the reserved
/// `.invalid` domain, since nothing resolves it; only its presence counts.
pub const CNAME_TARGET_ZONE: &str = "dcv.reseller.invalid";

/// The directory of a validation file below the domain's web root.
pub const FILE_DIRECTORY: &str = "/.well-known/pki-validation";

/// The mailboxes of a domain that may approve a certificate for it.
pub const APPROVERS: [&str; 5] = [
    "admin",
    "administrator",
    "hostmaster",
    "postmaster",
    "webmaster",
];

/// How long an approval link opens the request, in seconds: 30 days.
pub const APPROVAL_LINK_SECONDS: Epoch = 30 * 86_400;

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    AwaitingValidation,
    Issued,
    /// Cancelled, or its order deleted: its certificate is revoked.
    Revoked,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::AwaitingValidation => "Pending",
            State::Issued => "Issued",
            State::Revoked => "Revoked",
        }
    }
}

/// A certificate the authority revoked: its serial, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    pub serial: String,
    pub at: Epoch,
}

/// A request and, once issued, its certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The CSR as sent, in PEM.
    pub csr: String,
    /// The names it asks for: the common name first, then the others.
    pub names: Vec<String>,
    pub method: Method,
    /// Where the approval mail goes (validation by email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_email: Option<String>,
    /// The approval mail's link was opened (validation by email).
    #[serde(default)]
    pub approved: bool,
    /// What the `_dnsauth` TXT record must hold.
    pub token: String,
    pub state: State,
    /// The issued certificate, in PEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pem: Option<String>,
    /// Its serial number, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Epoch>,
    /// The order's certificates revoked so far (reissued, cancelled,
    /// deleted), oldest first: what the authority's CRL lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked: Vec<Revoked>,
    /// The order renewed while its certificate was issued: a certificate
    /// for the new term is to be issued, for the same request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub renewal_due: bool,
}

impl Certificate {
    /// The token as a DNS label and a file name: its hex digits.
    fn token_label(&self) -> String {
        self.token.replace('-', "")
    }

    /// The CNAME record that validates the request (`cname`): its host
    /// below the domain, and its target.
    pub fn cname_record(&self) -> (String, String) {
        let label = self.token_label();
        (format!("_{label}"), format!("{label}.{CNAME_TARGET_ZONE}"))
    }

    /// The file that validates the request (`http`): its path on the
    /// domain's web server, and what it must hold.
    pub fn validation_file(&self) -> (String, String) {
        (
            format!("{FILE_DIRECTORY}/{}.txt", self.token_label()),
            self.token.clone(),
        )
    }

    /// Revokes the issued certificate, if there is one.
    pub fn revoke(&mut self, now: Epoch) {
        if self.state == State::Issued
            && let Some(serial) = self.serial.take()
        {
            self.revoked.push(Revoked { serial, at: now });
            self.state = State::Revoked;
            self.pem = None;
        }
    }
}

/// The reseller's Active certificate order.
pub fn certificate_order(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Order> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    orders::ensure_active(&order)?;
    Ok(order)
}

/// A rule that keeps a new request for an order: [`enroll`] or [`reissue`].
pub type Placing = fn(
    &mut dyn WriteTx,
    &dyn crate::links::Links,
    ResellerId,
    OrderId,
    Certificate,
    Epoch,
) -> Result<Order>;

/// Keeps a request for the order: its names must be the order's domain
/// and at most as many as its plan covers. Enrolling again replaces a
/// request not yet issued.
pub fn enroll(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    request: Certificate,
    now: Epoch,
) -> Result<Order> {
    let order = certificate_order(tx, reseller_id, order_id)?;
    if order
        .attrs
        .ssl
        .as_ref()
        .is_some_and(|c| c.state == State::Issued)
    {
        return Err(RuleError::CertificateIssued(order_id).into());
    }
    place_request(tx, links, order, request, now)
}

/// Replaces an issued certificate: the new request is kept as `enroll`
/// keeps one, and the old certificate is revoked.
pub fn reissue(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    request: Certificate,
    now: Epoch,
) -> Result<Order> {
    let mut order = certificate_order(tx, reseller_id, order_id)?;
    let current = issued_mut(&mut order)?;
    current.revoke(now);
    // Control of the domain, once shown, stands for the reissue: the same
    // token, and an approval by the same method.
    let revoked = current.revoked.clone();
    let token = current.token.clone();
    let approved = current.approved && current.method == request.method;
    let request = Certificate {
        revoked,
        token,
        approved,
        ..request
    };
    place_request(tx, links, order, request, now)
}

/// Revokes the order's issued certificate (`sslcert/cancel`).
pub fn cancel(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<Order> {
    let mut order = certificate_order(tx, reseller_id, order_id)?;
    issued_mut(&mut order)?.revoke(now);
    tx.update_order(&order)?;
    Ok(order)
}

/// The order's issued certificate, or the refusal that it has none.
fn issued_mut(order: &mut Order) -> Result<&mut Certificate> {
    let order_id = order.id;
    order
        .attrs
        .ssl
        .as_mut()
        .filter(|c| c.state == State::Issued)
        .ok_or_else(|| RuleError::CertificateNotIssued(order_id).into())
}

/// Refuses names a certificate of the order cannot have: the order's
/// domain must be among them, every one must be it or below it, and the
/// plan covers so many.
pub fn check_names(tx: &mut dyn ReadTx, order: &Order, names: &[String]) -> Result<()> {
    let domain = &order.description;
    let of_domain = |name: &str| name == domain || name.ends_with(&format!(".{domain}"));
    if !names.contains(domain) {
        return Err(RuleError::CsrNamesOther {
            domain: domain.clone(),
            names: names.join(", "),
        }
        .into());
    }
    if let Some(other) = names.iter().find(|n| !of_domain(n)) {
        return Err(RuleError::CsrNamesOther {
            domain: domain.clone(),
            names: other.clone(),
        }
        .into());
    }
    let plan = orders::plan_of(tx, Product::SslCert, order.plan_id)?;
    let covers = plan.limits.domains.unwrap_or(1) as usize;
    if names.len() > covers {
        return Err(RuleError::CsrTooManyNames {
            names: names.len(),
            covers,
        }
        .into());
    }
    Ok(())
}

/// Checks a request's names and approver, keeps it (with the certificates
/// revoked before), and mails its approval when validated by email.
fn place_request(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    mut order: Order,
    mut request: Certificate,
    now: Epoch,
) -> Result<Order> {
    if request.revoked.is_empty()
        && let Some(before) = &order.attrs.ssl
    {
        request.revoked = before.revoked.clone();
    }
    check_names(tx, &order, &request.names)?;
    let domain = order.description.clone();
    if request.method == Method::Email {
        let email = request.verification_email.clone().unwrap_or_default();
        let approver = APPROVERS
            .iter()
            .any(|local| email == format!("{local}@{domain}"));
        if !approver {
            return Err(RuleError::NotAnApprover {
                email,
                domain,
                allowed: APPROVERS.join(", "),
            }
            .into());
        }
    }
    order.attrs.ssl = Some(request.clone());
    tx.update_order(&order)?;
    if let (Method::Email, Some(email), false) =
        (request.method, request.verification_email, request.approved)
    {
        let link = links.link(
            crate::links::LinkKind::SslApproval,
            &order,
            now + APPROVAL_LINK_SECONDS,
        );
        let body = format!(
            "A certificate is asked for {names}. If you ask for it, approve it by opening {link} within 30 days.",
            names = request.names.join(", ")
        );
        let mail = crate::model::Mail::about_order(
            &order,
            email,
            "ssl-approval",
            format!("Approve the certificate for {}", order.description),
            body,
            now,
        );
        tx.insert_mail(&mail)?;
    }
    Ok(order)
}

/// The approval link was opened: the request is approved (once; opening
/// it again changes nothing). Answers the order.
pub fn approve(tx: &mut dyn WriteTx, reseller_id: ResellerId, order_id: OrderId) -> Result<Order> {
    let mut order = certificate_order(tx, reseller_id, order_id)?;
    let request = order
        .attrs
        .ssl
        .as_mut()
        .filter(|c| c.method == Method::Email)
        .ok_or(RuleError::CertificateNotEnrolled(order_id))?;
    if !request.approved {
        request.approved = true;
        tx.update_order(&order)?;
    }
    Ok(order)
}

/// Whether the request is validated: approved by its mail's link, or its
/// token published by the order's domain in a zone hosted here.
pub fn validated(tx: &mut dyn ReadTx, order: &Order) -> Result<bool> {
    let Some(request) = &order.attrs.ssl else {
        return Ok(false);
    };
    match request.method {
        Method::Email => return Ok(request.approved),
        // Fetched by the server, outside any transaction.
        Method::Http => return Ok(false),
        Method::Dns | Method::Cname => {}
    }
    let Some(zone) = hosted_zone(tx, order)? else {
        return Ok(false);
    };
    let (cname_host, cname_target) = request.cname_record();
    Ok(zone.records.iter().any(|r| match request.method {
        Method::Cname => {
            r.kind == crate::dns::RecordType::Cname
                && r.host == cname_host
                && r.value.trim_end_matches('.') == cname_target
        }
        _ => {
            r.kind == crate::dns::RecordType::Txt
                && r.host == DNS_AUTH_HOST
                && r.value.trim_matches('"') == request.token
        }
    }))
}

/// Where the domain's web site is, when its zone is hosted here: the
/// address of its apex A record (else the server asks the system's
/// resolver).
pub fn hosted_address(tx: &mut dyn ReadTx, order: &Order) -> Result<Option<String>> {
    Ok(hosted_zone(tx, order)?.and_then(|zone| {
        zone.records
            .into_iter()
            .find(|r| r.kind == crate::dns::RecordType::A && (r.host.is_empty() || r.host == "@"))
            .map(|r| r.value)
    }))
}

/// The zone of the order's domain, when it is hosted here.
fn hosted_zone(tx: &mut dyn ReadTx, order: &Order) -> Result<Option<crate::dns::Zone>> {
    let Some(name) = DomainName::parse(&order.description) else {
        return Ok(None);
    };
    match crate::dns::zone(tx, order.reseller_id, &name) {
        Ok(zone) => Ok(Some(zone)),
        Err(crate::error::Error::Rule(_)) => Ok(None),
        Err(fault) => Err(fault),
    }
}

/// Keeps the issued certificate.
pub fn issue(
    tx: &mut dyn WriteTx,
    mut order: Order,
    pem: String,
    serial: String,
    now: Epoch,
) -> Result<Order> {
    orders::ensure_active(&order)?;
    let request = order
        .attrs
        .ssl
        .as_mut()
        .ok_or(RuleError::CertificateNotEnrolled(order.id))?;
    request.state = State::Issued;
    request.renewal_due = false;
    request.pem = Some(pem);
    request.serial = Some(serial);
    request.issued = Some(now);
    tx.update_order(&order)?;
    Ok(order)
}

/// Every certificate the authority revoked, of every reseller's orders,
/// oldest first: what its CRL lists.
pub fn revoked(tx: &mut dyn crate::tx::SearchTx) -> Result<Vec<Revoked>> {
    let mut all = Vec::new();
    for reseller_id in tx.reseller_ids()? {
        let mut number = 1;
        loop {
            let found = tx.search_orders(&crate::tx::OrderQuery {
                reseller_id,
                products: PRODUCTS.to_vec(),
                order_ids: Vec::new(),
                customer_ids: Vec::new(),
                statuses: Vec::new(),
                plan_ids: Vec::new(),
                description: None,
                privacy_on: None,
                created_from: None,
                created_to: None,
                ends_from: None,
                ends_to: None,
                sort: crate::tx::OrderSort::OrderId,
                page: crate::tx::Page {
                    records: 500,
                    number,
                },
            })?;
            let done = found.records.len() < 500;
            for order in found.records {
                if let Some(certificate) = order.attrs.ssl {
                    all.extend(certificate.revoked);
                }
            }
            if done {
                break;
            }
            number += 1;
        }
    }
    all.sort_by_key(|r| r.at);
    Ok(all)
}

/// Changes how a pending request is validated (and by whom, by email):
/// the request is kept again as `enroll` keeps one, so a new approver gets
/// a new mail.
pub fn change_verification(
    tx: &mut dyn WriteTx,
    links: &dyn crate::links::Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    method: Option<Method>,
    email: Option<String>,
    now: Epoch,
) -> Result<Order> {
    let order = certificate_order(tx, reseller_id, order_id)?;
    let Some(current) = order
        .attrs
        .ssl
        .clone()
        .filter(|c| c.state == State::AwaitingValidation)
    else {
        return Err(RuleError::CertificateNotPending(order_id).into());
    };
    let method = method.unwrap_or(current.method);
    let request = Certificate {
        method,
        verification_email: email.or(current.verification_email.clone()),
        approved: false,
        ..current
    };
    place_request(tx, links, order, request, now)
}
