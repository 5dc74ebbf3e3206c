//! Transfers in on the wire: the approval mail the admin contact gets once
//! a transfer is paid for and has its auth code, the signed link it
//! carries, and the page that link opens (`reseller_core::transfer_in`
//! holds the rules).

use crate::AppState;
use crate::console::{LinkPurpose, TokenError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use reseller_core::transfer_in;
use reseller_core::tx::WriteTx;
use reseller_core::{OrderId, ResellerId};

/// Keeps a fresh approval mail for the transfer of `order_id` if one is
/// due: the transfer is paid for and waits for approval, and no mail was
/// sent yet unless `again`. Answers whether it was sent.
pub fn mail_if_due(
    tx: &mut dyn WriteTx,
    state: &AppState,
    reseller_id: ResellerId,
    order_id: OrderId,
    again: bool,
    now: i64,
) -> reseller_core::Result<bool> {
    let Some((order, transfer)) = transfer_in::awaiting_approval(tx, reseller_id, order_id)? else {
        return Ok(false);
    };
    if transfer.last_sent.is_some() && !again {
        return Ok(false);
    }
    let token = state.console.sign(
        LinkPurpose::TransferApproval,
        order.id,
        order.reseller_id,
        transfer_in::link_expires(now),
    );
    let link = format!("{}/transfer/approve/{token}", state.public_url);
    transfer_in::send_approval_mail(tx, order, &link, now)?;
    Ok(true)
}

fn page(status: StatusCode, message: &str) -> Response {
    let message = crate::console::escape(message);
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Transfer approval</title></head>\
         <body><h1>Transfer approval</h1><p>{message}</p></body></html>"
    );
    (status, Html(page)).into_response()
}

/// Opens an approval link: the transfer completes.
pub async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    let grant = match state
        .console
        .verify(LinkPurpose::TransferApproval, &token, now)
    {
        Ok(grant) => grant,
        Err(TokenError::Expired) => {
            return page(
                StatusCode::FORBIDDEN,
                "This approval link has expired. Ask for the transfer to be requested again.",
            );
        }
        Err(TokenError::Invalid) => {
            return page(StatusCode::FORBIDDEN, "This approval link is not valid.");
        }
    };
    let mail_state = state.clone();
    let approved = state
        .store
        .write(move |tx| {
            let order =
                transfer_in::approve(tx, grant.reseller_id, grant.order_id, grant.expires, now)?;
            crate::nixi::mail_if_started(tx, &mail_state, &order, None, now)?;
            Ok(order)
        })
        .await;
    match approved {
        Ok(order) => page(
            StatusCode::OK,
            &format!(
                "The transfer of {} is approved and complete.",
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
