//! `sslcert/*`: an SSL certificate order's request, validation and
//! certificate. The standard calls (add, renew, details, search, orderid,
//! delete) come from its declaration; the rules are in
//! `reseller_core::certificates`, the authority that signs in `crate::ca`.

use crate::ca::read_request;
use crate::routes::{Call, Routes};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_api::calls::ssl::*;
use reseller_core::certificates::{self, Certificate, DNS_AUTH_HOST, State};
use reseller_core::model::Order;
use reseller_core::time::civil_date;

pub fn routes(r: &mut Routes) {
    r.call::<Enroll, _, _>(enroll)
        .call::<CheckStatus, _, _>(check_status)
        .call::<CertDetails, _, _>(cert_details)
        .call::<ValidateCsr, _, _>(validate_csr)
        .call::<Reissue, _, _>(reissue)
        .call::<Cancel, _, _>(cancel)
        .call::<ChangeVerificationEmail, _, _>(|c, a: ChangeVerificationEmail| {
            change_verification(c, a.order_id, None, Some(a.new_verification_email.0))
        })
        .call::<ChangeVerificationMethod, _, _>(|c, a: ChangeVerificationMethod| {
            change_verification(
                c,
                a.order_id,
                Some(a.verification_method),
                a.verification_email.map(|e| e.0),
            )
        });
}

async fn change_verification(
    call: Call,
    order_id: reseller_core::OrderId,
    method: Option<reseller_core::certificates::Method>,
    email: Option<String>,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
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
    let order = issue_if_validated(&call.state, order).await?;
    let mut map = MapReply::with_capacity(3);
    map.text("status", "Success")
        .id("orderid", order.id)
        .text("certstatus", state_of(&order));
    Ok(map.build())
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
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.state.clock.now());
    let links = call.state.clone();
    let order = call
        .state
        .store
        .write(move |tx| {
            certificates::enroll(tx, &links, reseller_id, order_id, certificate.clone(), now)
        })
        .await?;
    requested(&call, order, asked.verification_method).await
}

async fn reissue(call: Call, asked: Reissue) -> Result<Reply, ApiError> {
    let certificate = new_request(
        &asked.csr.0,
        asked.verification_method,
        asked.verification_email.map(|e| e.0),
    )?;
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.state.clock.now());
    let links = call.state.clone();
    let order = call
        .state
        .store
        .write(move |tx| {
            certificates::reissue(tx, &links, reseller_id, order_id, certificate.clone(), now)
        })
        .await?;
    requested(&call, order, asked.verification_method).await
}

async fn cancel(call: Call, asked: Cancel) -> Result<Reply, ApiError> {
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.state.clock.now());
    let order = call
        .state
        .store
        .write(move |tx| certificates::cancel(tx, reseller_id, order_id, now))
        .await?;
    let mut map = MapReply::with_capacity(3);
    map.text("status", "Success")
        .id("orderid", order.id)
        .text("certstatus", state_of(&order));
    Ok(map.build())
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
    })
}

/// The reply to a request kept: issued at once if already validated.
async fn requested(
    call: &Call,
    order: Order,
    method: reseller_core::certificates::Method,
) -> Result<Reply, ApiError> {
    let order = issue_if_validated(&call.state, order).await?;
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
/// (its domain publishes the token, or its approval link was opened).
pub(crate) async fn issue_if_validated(
    state: &crate::AppState,
    order: Order,
) -> Result<Order, ApiError> {
    let awaiting = order
        .attrs
        .ssl
        .as_ref()
        .is_some_and(|c| c.state == State::AwaitingValidation);
    if !awaiting {
        return Ok(order);
    }
    let (reseller_id, order_id) = (order.reseller_id, order.id);
    let (order, validated) = state
        .store
        .read(move |tx| {
            let order = certificates::certificate_order(tx, reseller_id, order_id)?;
            let validated = certificates::validated(tx, &order)?;
            Ok((order, validated))
        })
        .await?;
    if !validated {
        return Ok(order);
    }
    let request = order.attrs.ssl.as_ref().map(|c| crate::ca::Request {
        names: c.names.clone(),
        pem: c.csr.clone(),
    });
    let Some(request) = request else {
        return Ok(order);
    };
    let now = state.clock.now();
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

async fn check_status(call: Call, asked: CheckStatus) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .read(move |tx| certificates::certificate_order(tx, reseller_id, order_id))
        .await?;
    let order = issue_if_validated(&call.state, order).await?;
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
    let mut map = MapReply::with_capacity(10);
    map.id("orderid", order.id)
        .text("certstatus", state_of(&order))
        .text("domainname", order.description.clone());
    if let Some(request) = &order.attrs.ssl {
        map.text("names", request.names.join(","))
            .text("verificationmethod", request.method.as_str())
            .text("dnsauthhost", DNS_AUTH_HOST)
            .text("dnsauthvalue", request.token.clone());
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
