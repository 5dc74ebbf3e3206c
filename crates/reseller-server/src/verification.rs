//! Registrants on the wire: the signed links that NIXI (.in, .bharat) and
//! ICANN verification mails and registrant change approvals carry, the
//! pages those links open, and the mails kept whenever a round or a change
//! starts or is resent (`reseller_core::nixi`, `raa` and `irtp` hold the
//! rules). The page every mailed link opens is here too.

use crate::AppState;
use crate::console::{LinkPurpose, TokenError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use reseller_core::irtp::{self, Approved, Side};
use reseller_core::model::Order;
use reseller_core::nixi::{self, Nixi, Opened};
use reseller_core::raa::{self, Raa};
use reseller_core::tx::WriteTx;

/// The link of `order`'s current NIXI round, as its last mail carries it.
pub fn nixi_link(state: &AppState, order: &Order, round: &Nixi) -> String {
    let token = state.console.sign(
        LinkPurpose::NixiVerification,
        order.id,
        order.reseller_id,
        round.link_expires(),
    );
    format!("{}/nixi/verify/{token}", state.public_url)
}

/// The link of `order`'s current ICANN round, as its last mail carries it.
pub fn raa_link(state: &AppState, order: &Order, round: &Raa) -> String {
    let token = state.console.sign(
        LinkPurpose::RaaVerification,
        order.id,
        order.reseller_id,
        round.link_expires(),
    );
    format!("{}/raa/verify/{token}", state.public_url)
}

/// Keeps the verification mails of the rounds `order` has started since
/// `before` (None for a new domain): a registration, a transfer in or a
/// registrant change starts them.
pub fn mail_started(
    tx: &mut dyn WriteTx,
    state: &AppState,
    order: &Order,
    before: Option<&Order>,
    now: i64,
) -> reseller_core::Result<()> {
    let domain = |o: &Order| o.attrs.domain.clone().unwrap_or_default();
    let (after, before) = (domain(order), before.map(domain).unwrap_or_default());
    if let Some(round) = after
        .nixi
        .as_ref()
        .filter(|r| before.nixi.as_ref() != Some(r))
    {
        nixi::send_mail(tx, order, &nixi_link(state, order, round), now)?;
    }
    if let Some(round) = after
        .raa
        .as_ref()
        .filter(|r| before.raa.as_ref() != Some(r))
    {
        raa::send_mail(tx, order, &raa_link(state, order, round), now)?;
    }
    if let Some(change) = after
        .irtp
        .as_ref()
        .filter(|c| before.irtp.as_ref() != Some(c))
    {
        for (side, purpose, path) in [
            (Side::Losing, LinkPurpose::IrtpLosing, "losing"),
            (Side::Gaining, LinkPurpose::IrtpGaining, "gaining"),
        ] {
            let token = state
                .console
                .sign(purpose, order.id, order.reseller_id, change.expires());
            let link = format!("{}/irtp/{path}/{token}", state.public_url);
            irtp::send_mail(tx, order, side, &link, now)?;
        }
    }
    Ok(())
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

const REGISTRANT: &str = "Registrant verification";

/// Opens a NIXI link: the email is verified and eKYC submitted.
pub async fn open_nixi(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let now = state.clock.now();
    let grant = match state
        .console
        .verify(LinkPurpose::NixiVerification, &token, now)
    {
        Ok(grant) => grant,
        Err(error) => return bad_token(REGISTRANT, error),
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
    let now = state.clock.now();
    let grant = match state
        .console
        .verify(LinkPurpose::RaaVerification, &token, now)
    {
        Ok(grant) => grant,
        Err(error) => return bad_token(REGISTRANT, error),
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
    let now = state.clock.now();
    let purpose = match side {
        Side::Gaining => LinkPurpose::IrtpGaining,
        Side::Losing => LinkPurpose::IrtpLosing,
    };
    let grant = match state.console.verify(purpose, &token, now) {
        Ok(grant) => grant,
        Err(error) => return bad_token(CHANGE, error),
    };
    let mail_state = state.clone();
    let approved = state
        .store
        .write(move |tx| {
            let approved = irtp::approve(
                tx,
                grant.reseller_id,
                grant.order_id,
                side,
                grant.expires,
                now,
            )?;
            if let Approved::Changed { before, after } = &approved {
                mail_started(tx, &mail_state, after, Some(before), now)?;
            }
            Ok(approved)
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
