//! Who a console request is: the signed session cookie, read once by the
//! extractors a page's handler takes ([`Session`], [`Admin`], and for
//! form posts [`Posted`] and [`AdminPost`], which check the form token).

use super::{SESSION_COOKIE, SESSION_SECONDS, failure, refusal};
use crate::AppState;
use crate::console::LinkPurpose;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use reseller_core::{OrderId, ResellerId};
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// Who a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who {
    Admin,
    Reseller(ResellerId),
}

pub(super) struct Session {
    pub who: Who,
    /// The token forms carry.
    pub csrf: String,
    /// The session's own number, by which signing out ends it.
    pub nonce: i64,
    /// When it ends by itself (real time).
    pub expires: i64,
}

impl Session {
    /// The reseller a page shows: a reseller's own; for the admin, the one
    /// asked for (`?reseller=N`), the demo reseller by default.
    pub(super) fn reseller(&self, asked: Option<i64>) -> ResellerId {
        match self.who {
            Who::Reseller(id) => id,
            Who::Admin => ResellerId(asked.unwrap_or(1)),
        }
    }
}

pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A session token: `nonce.reseller.expires.signature`, reseller 0 for
/// the admin.
pub(super) fn session_token(state: &AppState, who: Who, now: i64) -> Result<String, Response> {
    let nonce = random_id()?;
    let reseller = match who {
        Who::Admin => ResellerId(0),
        Who::Reseller(id) => id,
    };
    Ok(state.console.sign(
        LinkPurpose::ConsoleSession,
        OrderId(nonce),
        reseller,
        now + SESSION_SECONDS,
    ))
}

pub(super) fn random_id() -> Result<i64, Response> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|_| failure("No randomness available"))?;
    Ok((u64::from_le_bytes(bytes) >> 1) as i64)
}

/// The form token of a session: a signature of its own, over the same
/// fields, which a page of another site cannot know.
pub(super) fn csrf_of(state: &AppState, grant: &crate::console::Grant) -> String {
    let signed = state.console.sign(
        LinkPurpose::ConsoleForm,
        grant.order_id,
        grant.reseller_id,
        grant.expires,
    );
    signed.rsplit('.').next().unwrap_or_default().to_string()
}

/// The session of a request: none without a valid cookie, or when the
/// session was signed out (on any instance: the sign-out is stored).
pub(super) async fn current(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Session>, Response> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Ok(grant) = state.console.verify(
        LinkPurpose::ConsoleSession,
        token,
        crate::clock::Clock::real_now(),
    ) else {
        return Ok(None);
    };
    let nonce = grant.order_id.0;
    let signed_out = state
        .store
        .read(move |tx| Ok(tx.console_signed_out(nonce)?))
        .await
        .map_err(|_| failure("The session could not be read"))?;
    if signed_out {
        return Ok(None);
    }
    let who = match grant.reseller_id.0 {
        0 => Who::Admin,
        id => Who::Reseller(ResellerId(id)),
    };
    Ok(Some(Session {
        who,
        csrf: csrf_of(state, &grant),
        nonce,
        expires: grant.expires,
    }))
}

/// A page's session: a handler that takes one is not run without it, and
/// the visitor goes to the sign-in page instead.
impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        current(state, &parts.headers)
            .await?
            .ok_or_else(|| Redirect::to("/console/").into_response())
    }
}

/// The session of an admin page.
pub(super) struct Admin(pub Session);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = Session::from_request_parts(parts, state).await?;
        admin_only(&session)?;
        Ok(Admin(session))
    }
}

/// A form post of a session, whose form token matches it.
pub(super) struct Posted {
    pub session: Session,
    pub form: HashMap<String, String>,
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let session = Session::from_request_parts(&mut parts, state).await?;
        let body = axum::body::to_bytes(body, MAX_FORM)
            .await
            .map_err(|_| refusal(StatusCode::BAD_REQUEST, "This form could not be read."))?;
        let form = form_of(&body);
        let given = form.get("csrf").map(String::as_str).unwrap_or_default();
        if !bool::from(given.as_bytes().ct_eq(session.csrf.as_bytes())) {
            return Err(refusal(
                StatusCode::FORBIDDEN,
                "This form is stale or not from this console: reload the page and try again.",
            ));
        }
        Ok(Posted { session, form })
    }
}

/// An admin's form post: its session, its fields, and the reseller the
/// page was showing.
pub(super) struct AdminPost {
    pub session: Session,
    pub form: HashMap<String, String>,
    pub reseller: ResellerId,
}

impl FromRequest<AppState> for AdminPost {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let Posted { session, form } = Posted::from_request(request, state).await?;
        admin_only(&session)?;
        let reseller = session.reseller(form.get("reseller").and_then(|r| r.parse().ok()));
        Ok(AdminPost {
            session,
            form,
            reseller,
        })
    }
}

/// The largest form the console takes.
const MAX_FORM: usize = 64 * 1024;

pub(super) fn admin_only(session: &Session) -> Result<(), Response> {
    match session.who {
        Who::Admin => Ok(()),
        Who::Reseller(_) => Err(refusal(
            StatusCode::FORBIDDEN,
            "Only the admin token opens the sandbox's controls.",
        )),
    }
}

pub(super) fn form_of(body: &Bytes) -> HashMap<String, String> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub(super) fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
) -> (header::HeaderName, HeaderValue) {
    let text =
        format!("{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}
