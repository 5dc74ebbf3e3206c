//! `sslcert/*`: an SSL certificate order's request, validation and
//! certificate. The standard calls (add, renew, details, search, orderid,
//! delete) come from its declaration; the rules are in
//! `reseller_core::certificates`, the authority that signs in `crate::ca`.

use crate::ca::read_request;
use crate::routes::{Call, Routes};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_api::Call as _;
use reseller_api::calls::ssl::*;
use reseller_core::catalogue::Product;
use reseller_core::certificates::{self, Certificate, DNS_AUTH_HOST, Method, State};
use reseller_core::model::Order;
use reseller_core::time::civil_date;

/// Registers the calls below every prefix of the product (`sslcert`, and
/// `digitalcertificate`, the older spelling WWW-LogicBoxes knows, where
/// `enroll` is also `enroll-for-thawtecertificate`).
pub fn routes(r: &mut Routes) {
    for prefix in Product::SslCert.spec().prefixes {
        let at = |path: &str| path.replacen("sslcert/", &format!("{prefix}/"), 1);
        r.call_at::<Enroll, _, _>(&at(Enroll::PATH), enroll)
            .call_at::<CheckStatus, _, _>(&at(CheckStatus::PATH), check_status)
            .call_at::<CertDetails, _, _>(&at(CertDetails::PATH), cert_details)
            .call_at::<ValidateCsr, _, _>(&at(ValidateCsr::PATH), validate_csr)
            .call_at::<Reissue, _, _>(&at(Reissue::PATH), reissue)
            .call_at::<Cancel, _, _>(&at(Cancel::PATH), cancel)
            .call_at::<ChangeVerificationEmail, _, _>(
                &at(ChangeVerificationEmail::PATH),
                |c, a: ChangeVerificationEmail| {
                    change_verification(c, a.order_id, None, Some(a.new_verification_email.0))
                },
            )
            .call_at::<ChangeVerificationMethod, _, _>(
                &at(ChangeVerificationMethod::PATH),
                |c, a: ChangeVerificationMethod| {
                    change_verification(
                        c,
                        a.order_id,
                        Some(a.verification_method),
                        a.verification_email.map(|e| e.0),
                    )
                },
            );
        if *prefix == "digitalcertificate" {
            r.call_at::<Enroll, _, _>("digitalcertificate/enroll-for-thawtecertificate", enroll);
        }
    }
}

async fn change_verification(
    call: Call,
    order_id: reseller_core::OrderId,
    method: Option<reseller_core::certificates::Method>,
    email: Option<String>,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let order = call
        .state
        .store
        .write(move |tx| {
            certificates::change_verification(
                tx,
                &links,
                reseller_id,
                order_id,
                method,
                email.clone(),
                now,
            )
        })
        .await?;
    let order = issue_if_validated(&call.state, order, call.now).await?;
    Ok(status_reply(&order))
}

/// The CSR read and checked, or refused naming `csr`.
fn request_of(csr: &str) -> Result<crate::ca::Request, ApiError> {
    read_request(csr).map_err(|refused| ApiError::InvalidParam {
        name: "csr",
        value: "(the request)".to_string(),
        allowed: Allowed::Csr(&refused.0).to_string(),
    })
}

async fn enroll(call: Call, asked: Enroll) -> Result<Reply, ApiError> {
    let certificate = new_request(
        &asked.csr.0,
        asked.verification_method,
        asked.verification_email.map(|e| e.0),
    )?;
    place(call, asked.order_id, certificate, certificates::enroll).await
}

async fn reissue(call: Call, asked: Reissue) -> Result<Reply, ApiError> {
    let certificate = new_request(
        &asked.csr.0,
        asked.verification_method,
        asked.verification_email.map(|e| e.0),
    )?;
    place(call, asked.order_id, certificate, certificates::reissue).await
}

/// A request kept by `rule` (enroll or reissue), answered as placed.
async fn place(
    call: Call,
    order_id: reseller_core::OrderId,
    certificate: Certificate,
    rule: certificates::Placing,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let method = certificate.method;
    let links = call.state.clone();
    let order = call
        .state
        .store
        .write(move |tx| rule(tx, &links, reseller_id, order_id, certificate.clone(), now))
        .await?;
    requested(&call, order, method).await
}

async fn cancel(call: Call, asked: Cancel) -> Result<Reply, ApiError> {
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.now);
    let order = call
        .state
        .store
        .write(move |tx| certificates::cancel(tx, reseller_id, order_id, now))
        .await?;
    Ok(status_reply(&order))
}

/// `{"status": "Success", "orderid", "certstatus"}`.
fn status_reply(order: &Order) -> Reply {
    let mut map = MapReply::with_capacity(3);
    map.text("status", "Success")
        .id("orderid", order.id)
        .text("certstatus", state_of(order));
    map.build()
}

/// A request as a CSR, a method and an address make it.
fn new_request(
    csr: &str,
    method: reseller_core::certificates::Method,
    email: Option<String>,
) -> Result<Certificate, ApiError> {
    let request = request_of(csr)?;
    // A random (version 4) UUID, as the vendor's tokens are.
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(ApiError::internal)?;
    let token = uuid::Builder::from_random_bytes(random)
        .into_uuid()
        .to_string();
    Ok(Certificate {
        csr: request.pem.clone(),
        names: request.names.clone(),
        method,
        verification_email: email,
        approved: false,
        token,
        state: State::AwaitingValidation,
        pem: None,
        serial: None,
        issued: None,
        revoked: Vec::new(),
        renewal_due: false,
    })
}

/// The reply to a request kept: issued at once if already validated.
async fn requested(
    call: &Call,
    order: Order,
    method: reseller_core::certificates::Method,
) -> Result<Reply, ApiError> {
    let order = issue_if_validated(&call.state, order, call.now).await?;
    let mut map = MapReply::with_capacity(4);
    map.text("status", "Success")
        .id("orderid", order.id)
        .text("verificationmethod", method.as_str())
        .text("certstatus", state_of(&order));
    Ok(map.build())
}

fn state_of(order: &Order) -> &'static str {
    order
        .attrs
        .ssl
        .as_ref()
        .map_or("NotEnrolled", |c| c.state.as_str())
}

/// Issues the order's certificate if it awaits validation and is validated
/// (its domain publishes the token or serves its file, or its approval
/// link was opened), or if the order renewed since it was issued (control
/// of the domain stands for the renewal).
pub(crate) async fn issue_if_validated(
    state: &crate::AppState,
    order: Order,
    now: i64,
) -> Result<Order, ApiError> {
    let due = order.attrs.ssl.as_ref().is_some_and(|c| match c.state {
        State::AwaitingValidation => true,
        State::Issued => c.renewal_due,
        State::Revoked => false,
    });
    if !due {
        return Ok(order);
    }
    let (reseller_id, order_id) = (order.reseller_id, order.id);
    let (order, validated, address) = state
        .store
        .read(move |tx| {
            let order = certificates::certificate_order(tx, reseller_id, order_id)?;
            let validated = certificates::validated(tx, &order)?;
            let by_file = order
                .attrs
                .ssl
                .as_ref()
                .is_some_and(|c| c.method == Method::Http);
            let address = match by_file {
                true => certificates::hosted_address(tx, &order)?,
                false => None,
            };
            Ok((order, validated, address))
        })
        .await?;
    let Some(request) = order.attrs.ssl.clone() else {
        return Ok(order);
    };
    let validated = match request.state {
        State::Issued => request.renewal_due,
        State::Revoked => false,
        State::AwaitingValidation if request.method == Method::Http => {
            let (path, content) = request.validation_file();
            let port = state.limits.validation_http_port;
            file_served(&order.description, address, port, &path, &content).await
        }
        State::AwaitingValidation => validated,
    };
    if !validated {
        return Ok(order);
    }
    let request = crate::ca::Request {
        names: request.names,
        pem: request.csr,
    };
    let (pem, serial) = state
        .authority
        .issue(
            &request,
            civil_date(now),
            civil_date(order.endtime.max(now + 86_400)),
        )
        .map_err(ApiError::internal)?;
    Ok(state
        .store
        .write(move |tx| {
            let order = certificates::certificate_order(tx, reseller_id, order_id)?;
            certificates::issue(tx, order, pem.clone(), serial.clone(), now)
        })
        .await?)
}

/// How long the server waits for a domain's web server to answer.
const FILE_FETCH_SECONDS: u64 = 5;

/// Whether `http://domain/path` answers 200 with `content` (surrounding
/// white space aside): fetched from the address of the domain's zone
/// hosted here, else from what the system's resolver says, on `port` (80
/// but in tests). Any failure to fetch is not validated, as with the
/// vendor, and the applicant tries again.
async fn file_served(
    domain: &str,
    address: Option<String>,
    port: u16,
    path: &str,
    content: &str,
) -> bool {
    let host = address.unwrap_or_else(|| domain.to_string());
    let fetch = async {
        let stream = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .ok()?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .ok()?;
        tokio::spawn(connection);
        let request = axum::http::Request::get(path)
            .header(axum::http::header::HOST, domain)
            .header(axum::http::header::USER_AGENT, "reseller-dcv")
            .body(http_body_util::Empty::<axum::body::Bytes>::new())
            .ok()?;
        let response = sender.send_request(request).await.ok()?;
        if response.status() != axum::http::StatusCode::OK {
            return None;
        }
        use http_body_util::BodyExt;
        let body = http_body_util::Limited::new(response.into_body(), 4096)
            .collect()
            .await
            .ok()?
            .to_bytes();
        Some(String::from_utf8_lossy(&body).trim() == content)
    };
    tokio::time::timeout(std::time::Duration::from_secs(FILE_FETCH_SECONDS), fetch)
        .await
        .ok()
        .flatten()
        .unwrap_or(false)
}

async fn check_status(call: Call, asked: CheckStatus) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .read(move |tx| certificates::certificate_order(tx, reseller_id, order_id))
        .await?;
    let order = issue_if_validated(&call.state, order, call.now).await?;
    let mut map = MapReply::with_capacity(2);
    map.id("orderid", order.id)
        .text("certstatus", state_of(&order));
    Ok(map.build())
}

async fn cert_details(call: Call, asked: CertDetails) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .read(move |tx| certificates::certificate_order(tx, reseller_id, order_id))
        .await?;
    let order = issue_if_validated(&call.state, order, call.now).await?;
    let mut map = MapReply::with_capacity(10);
    map.id("orderid", order.id)
        .text("certstatus", state_of(&order))
        .text("domainname", order.description.clone());
    if let Some(request) = &order.attrs.ssl {
        map.text("names", request.names.join(","))
            .text("verificationmethod", request.method.as_str());
        match request.method {
            Method::Dns => {
                map.text("dnsauthhost", DNS_AUTH_HOST)
                    .text("dnsauthvalue", request.token.clone());
            }
            Method::Cname => {
                let (host, target) = request.cname_record();
                map.text("cnamehost", host).text("cnamevalue", target);
            }
            Method::Http => {
                let (path, content) = request.validation_file();
                map.text("fileurl", format!("http://{}{path}", order.description))
                    .text("filecontent", content);
            }
            Method::Email => {
                if let Some(email) = &request.verification_email {
                    map.text("verificationemail", email.clone());
                }
            }
        }
        if let (Some(pem), Some(serial), Some(issued)) =
            (&request.pem, &request.serial, request.issued)
        {
            map.text("certificate", pem.clone())
                .text("serialnumber", serial.clone())
                .text("issuedon", issued.to_string());
        }
    }
    Ok(map.build())
}

async fn validate_csr(call: Call, asked: ValidateCsr) -> Result<Reply, ApiError> {
    let request = request_of(&asked.csr.0)?;
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let names = request.names.clone();
    call.state
        .store
        .read(move |tx| {
            let order = certificates::certificate_order(tx, reseller_id, order_id)?;
            certificates::check_names(tx, &order, &names)
        })
        .await?;
    if let Some(domain) = asked.domainname.map(|d| d.to_string())
        && !request.names.contains(&domain)
    {
        return Err(reseller_core::RuleError::CsrNamesOther {
            domain,
            names: request.names.join(", "),
        }
        .into());
    }
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success")
        .text("names", request.names.join(","));
    Ok(map.build())
}
