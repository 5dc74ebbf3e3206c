//! Registrants on the wire: the signing of the links the rules mail
//! (`reseller_core::links::Links`: NIXI and ICANN verification, registrant
//! change approvals, transfer approvals), and the pages those links open
//! (`reseller_core::nixi`, `raa` and `irtp` hold the rules). The page every
//! mailed link opens is here too.

use crate::AppState;
use crate::console::{LinkPurpose, TokenError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use reseller_core::irtp::{self, Approved, Side};
use reseller_core::links::{LinkKind, Links};
use reseller_core::model::Order;
use reseller_core::nixi::{self, Opened};
use reseller_core::raa;

/// The server signs the links the rules mail: each for its one purpose,
/// with the deployment's key, below the public URL.
impl Links for AppState {
    fn link(&self, kind: LinkKind, order: &Order, expires: i64) -> String {
        let (purpose, path) = match kind {
            LinkKind::NixiVerification => (LinkPurpose::NixiVerification, "nixi/verify"),
            LinkKind::RaaVerification => (LinkPurpose::RaaVerification, "raa/verify"),
            LinkKind::IrtpLosing => (LinkPurpose::IrtpLosing, "irtp/losing"),
            LinkKind::IrtpGaining => (LinkPurpose::IrtpGaining, "irtp/gaining"),
            LinkKind::TransferApproval => (LinkPurpose::TransferApproval, "transfer/approve"),
            LinkKind::SslApproval => (LinkPurpose::SslApproval, "ssl/approve"),
        };
        let token = self
            .console
            .sign(purpose, order.id, order.reseller_id, expires);
        format!("{}/{path}/{token}", self.public_url)
    }
}

/// The page a mailed link opens: a title and one sentence.
pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let (title, message) = (
        crate::console::escape(title),
        crate::console::escape(message),
    );
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{message}</p></body></html>"
    );
    (status, Html(page)).into_response()
}

/// The page of a refused link, or of a fault.
pub fn refusal(title: &str, error: reseller_core::Error) -> Response {
    match error {
        reseller_core::Error::Rule(rule) => page(StatusCode::CONFLICT, title, &rule.to_string()),
        reseller_core::Error::Store(fault) => {
            let error = crate::wire::ApiError::internal(fault);
            page(StatusCode::INTERNAL_SERVER_ERROR, title, &error.to_string())
        }
    }
}

/// The page of a link whose token does not verify.
pub fn bad_token(title: &str, error: TokenError) -> Response {
    let message = match error {
        TokenError::Expired => "This link has expired. Ask your provider to send a new one.",
        TokenError::Invalid => "This link is not valid.",
    };
    page(StatusCode::FORBIDDEN, title, message)
}

/// A link's grant, checked at the time its reseller's line sees (its
/// tenant's clock, or the global one), with that time: the signature
/// first, which says whose link it is, then its expiry.
pub(crate) async fn checked_link(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
    title: &str,
) -> Result<(crate::console::Grant, i64), Response> {
    let whose = state
        .console
        .verify(purpose, token, i64::MIN)
        .map_err(|error| bad_token(title, error))?;
    let now = state
        .now_of_reseller(whose.reseller_id)
        .await
        .map_err(|error| refusal(title, error))?;
    let grant = state
        .console
        .verify(purpose, token, now)
        .map_err(|error| bad_token(title, error))?;
    Ok((grant, now))
}

const REGISTRANT: &str = "Registrant verification";

/// Opens a NIXI link: the email is verified and eKYC submitted.
pub async fn open_nixi(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (grant, now) =
        match checked_link(&state, LinkPurpose::NixiVerification, &token, REGISTRANT).await {
            Ok(checked) => checked,
            Err(page) => return page,
        };
    let opened = state
        .store
        .write(move |tx| nixi::open_link(tx, grant.reseller_id, grant.order_id, grant.expires, now))
        .await;
    match opened {
        Ok(Opened::Verified(order)) => page(
            StatusCode::OK,
            REGISTRANT,
            &format!(
                "The email address of the registrant of {} is verified and the eKYC is submitted; \
                 the eKYC partner confirms it within the hour.",
                order.description
            ),
        ),
        Ok(Opened::AlreadyVerified(order)) => page(
            StatusCode::OK,
            REGISTRANT,
            &format!(
                "The registrant of {} has already verified.",
                order.description
            ),
        ),
        Err(error) => refusal(REGISTRANT, error),
    }
}

/// Opens an ICANN link: the registrant's email is verified.
pub async fn open_raa(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (grant, now) =
        match checked_link(&state, LinkPurpose::RaaVerification, &token, REGISTRANT).await {
            Ok(checked) => checked,
            Err(page) => return page,
        };
    let opened = state
        .store
        .write(move |tx| raa::open_link(tx, grant.reseller_id, grant.order_id, grant.expires, now))
        .await;
    match opened {
        Ok((order, before)) => page(
            StatusCode::OK,
            REGISTRANT,
            &format!(
                "The email address of the registrant of {} is {}verified.",
                order.description,
                if before { "already " } else { "" }
            ),
        ),
        Err(error) => refusal(REGISTRANT, error),
    }
}

const CHANGE: &str = "Registrant change";

/// Opens the new registrant's approval link of a registrant change.
pub async fn open_irtp_gaining(state: State<AppState>, token: Path<String>) -> Response {
    open_irtp(state, token, Side::Gaining).await
}

/// Opens the current registrant's approval link of a registrant change.
pub async fn open_irtp_losing(state: State<AppState>, token: Path<String>) -> Response {
    open_irtp(state, token, Side::Losing).await
}

async fn open_irtp(
    State(state): State<AppState>,
    Path(token): Path<String>,
    side: Side,
) -> Response {
    let purpose = match side {
        Side::Gaining => LinkPurpose::IrtpGaining,
        Side::Losing => LinkPurpose::IrtpLosing,
    };
    let (grant, now) = match checked_link(&state, purpose, &token, CHANGE).await {
        Ok(checked) => checked,
        Err(page) => return page,
    };
    let links = state.clone();
    let approved = state
        .store
        .write(move |tx| {
            irtp::approve(
                tx,
                &links,
                grant.reseller_id,
                grant.order_id,
                side,
                grant.expires,
                now,
            )
        })
        .await;
    match approved {
        Ok(Approved::Waiting(order)) => page(
            StatusCode::OK,
            CHANGE,
            &format!(
                "Your approval of the change of registrant of {} is recorded; the other registrant has yet to approve.",
                order.description
            ),
        ),
        Ok(Approved::Changed { after, .. }) => page(
            StatusCode::OK,
            CHANGE,
            &format!(
                "Both registrants approved: the registrant of {} is changed.",
                after.description
            ),
        ),
        Err(error) => refusal(CHANGE, error),
    }
}

const CERTIFICATE: &str = "Certificate approval";

/// Opens an SSL approval link: the request is approved, and the sandbox
/// authority issues its certificate.
pub async fn open_ssl(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (grant, now) =
        match checked_link(&state, LinkPurpose::SslApproval, &token, CERTIFICATE).await {
            Ok(checked) => checked,
            Err(page) => return page,
        };
    let approved = state
        .store
        .write(move |tx| {
            reseller_core::certificates::approve(tx, grant.reseller_id, grant.order_id)
        })
        .await;
    let order = match approved {
        Ok(order) => order,
        Err(error) => return refusal(CERTIFICATE, error),
    };
    match crate::api::ssl::issue_if_validated(&state, order, now).await {
        Ok(order) => page(
            StatusCode::OK,
            CERTIFICATE,
            &format!(
                "The certificate for {} is approved and issued.",
                order.description
            ),
        ),
        Err(error) => {
            tracing::error!(%error, "a certificate could not be issued");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                CERTIFICATE,
                "The certificate could not be issued; try again later.",
            )
        }
    }
}
