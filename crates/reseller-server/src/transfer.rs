//! Transfers in on the wire: the approval mail the admin contact gets once
//! a transfer is paid for and has its auth code, the signed link it
//! carries, and the page that link opens (`reseller_core::transfer_in`
//! holds the rules).

use crate::AppState;
use crate::console::LinkPurpose;
use crate::verification::{bad_token, page, refusal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
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

const TITLE: &str = "Transfer approval";

/// Opens an approval link: the transfer completes.
pub async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    let grant = match state
        .console
        .verify(LinkPurpose::TransferApproval, &token, now)
    {
        Ok(grant) => grant,
        Err(error) => return bad_token(TITLE, error),
    };
    let mail_state = state.clone();
    let approved = state
        .store
        .write(move |tx| {
            let order =
                transfer_in::approve(tx, grant.reseller_id, grant.order_id, grant.expires, now)?;
            crate::verification::mail_started(tx, &mail_state, &order, None, now)?;
            Ok(order)
        })
        .await;
    match approved {
        Ok(order) => page(
            StatusCode::OK,
            TITLE,
            &format!(
                "The transfer of {} is approved and complete.",
                order.description
            ),
        ),
        Err(error) => refusal(TITLE, error),
    }
}
