//! NIXI verification on the wire: the signed link a verification mail
//! carries, the page that link opens, and the mail kept whenever a round
//! starts or is resent (`reseller_core::nixi` holds the rules).

use crate::AppState;
use crate::console::{LinkPurpose, TokenError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use reseller_core::model::Order;
use reseller_core::nixi::{self, Nixi, Opened};
use reseller_core::tx::WriteTx;

/// The link of `order`'s current round, as its last mail carries it.
pub fn link(state: &AppState, order: &Order, round: &Nixi) -> String {
    let token = state.console.sign(
        LinkPurpose::NixiVerification,
        order.id,
        order.reseller_id,
        round.link_expires(),
    );
    format!("{}/nixi/verify/{token}", state.public_url)
}

/// Keeps the verification mail when `order`'s round is not the one it had
/// (`before`): a registration or a registrant change started one.
pub fn mail_if_started(
    tx: &mut dyn WriteTx,
    state: &AppState,
    order: &Order,
    before: Option<&Nixi>,
    now: i64,
) -> reseller_core::Result<()> {
    let Some(round) = order.attrs.domain.as_ref().and_then(|d| d.nixi.as_ref()) else {
        return Ok(());
    };
    if before == Some(round) {
        return Ok(());
    }
    nixi::send_mail(tx, order, &link(state, order, round), now)
}

fn page(status: StatusCode, message: &str) -> Response {
    let message = crate::console::escape(message);
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Registrant verification</title></head>\
         <body><h1>Registrant verification</h1><p>{message}</p></body></html>"
    );
    (status, Html(page)).into_response()
}

/// Opens a verification link: the email is verified and eKYC submitted.
pub async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    let grant = match state
        .console
        .verify(LinkPurpose::NixiVerification, &token, now)
    {
        Ok(grant) => grant,
        Err(TokenError::Expired) => {
            return page(
                StatusCode::FORBIDDEN,
                "This verification link has expired. Ask your provider to send a new one.",
            );
        }
        Err(TokenError::Invalid) => {
            return page(
                StatusCode::FORBIDDEN,
                "This verification link is not valid.",
            );
        }
    };
    let opened = state
        .store
        .write(move |tx| nixi::open_link(tx, grant.reseller_id, grant.order_id, grant.expires, now))
        .await;
    match opened {
        Ok(Opened::Verified(order)) => page(
            StatusCode::OK,
            &format!(
                "The email address of the registrant of {} is verified and the eKYC is submitted; \
                 the eKYC partner confirms it within the hour.",
                order.description
            ),
        ),
        Ok(Opened::AlreadyVerified(order)) => page(
            StatusCode::OK,
            &format!(
                "The registrant of {} has already verified.",
                order.description
            ),
        ),
        Err(reseller_core::Error::Rule(rule)) => page(StatusCode::CONFLICT, &rule.to_string()),
        Err(reseller_core::Error::Store(fault)) => {
            let error = crate::wire::ApiError::internal(fault);
            page(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string())
        }
    }
}
