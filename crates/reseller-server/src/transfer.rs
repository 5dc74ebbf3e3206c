//! Transfers in on the wire: the page the approval link opens (the rules,
//! and the mail that carries the link, are `reseller_core::transfer_in`'s).

use crate::AppState;
use crate::console::LinkPurpose;
use crate::verification::{checked_link, page, refusal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_core::transfer_in;

const TITLE: &str = "Transfer approval";

/// Opens an approval link: the transfer completes.
pub async fn open(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (grant, now) =
        match checked_link(&state, LinkPurpose::TransferApproval, &token, TITLE).await {
            Ok(checked) => checked,
            Err(page) => return page,
        };
    let links = state.clone();
    let approved = state
        .store
        .write(move |tx| {
            transfer_in::approve(
                tx,
                &links,
                grant.reseller_id,
                grant.order_id,
                grant.expires,
                now,
            )
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
