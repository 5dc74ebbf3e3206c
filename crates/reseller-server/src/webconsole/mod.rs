//! The web console under `/console/`: what the API and the sandbox did,
//! for people to look at. Pages are rendered here (maud escapes every
//! value), with one stylesheet and one script embedded in the binary.
//!
//! Signed in with the admin token (every reseller, and the sandbox's
//! clock, faults, journal, snapshots and tenants) or with a reseller's auth-userid
//! and api-key (its own data only). The session is a cookie signed with
//! the deployment's key (`console::Signer`), so every instance honours it;
//! it is `HttpOnly` and `SameSite=Strict`, and every form carries a token
//! derived from it (checked in constant time) against cross-site posts.
//! Signing out stores the session's nonce as ended (`console_sign_outs`,
//! not sandbox data), so a kept cookie opens nothing on any instance.

use crate::AppState;
use crate::control::{self, Refused};
use crate::sandbox::FaultRule;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use reseller_core::catalogue::Product;
use reseller_core::model::Account;
use reseller_core::time::format_utc;
use reseller_core::tx::{ActionQuery, CustomerQuery, OrderQuery, OrderSort, Page, TransferQuery};
use reseller_core::{InvoiceId, OrderId, ResellerId};
use std::net::SocketAddr;
use std::time::Duration;
use subtle::ConstantTimeEq;

mod accounts;
mod sandbox;
mod session;
mod signin;
mod tenants;

pub(crate) use signin::home;

use session::{
    Admin, AdminPost, Posted, Session, Who, cookie, form_of, random_id, session_token, set_cookie,
};

const SESSION_COOKIE: &str = "reseller_console";
const SIGNIN_COOKIE: &str = "reseller_console_signin";
/// How long a session lasts.
const SESSION_SECONDS: i64 = 12 * 3600;
const STYLE: &str = include_str!("console.css");
const SCRIPT: &str = include_str!("console.js");

/// The console's pages, below `/console`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(signin::home))
        .route("/signin", post(signin::sign_in))
        .route("/signout", post(signin::sign_out))
        .route("/customers", get(accounts::customers))
        .route("/orders", get(accounts::orders))
        .route("/orders/{id}", get(accounts::order))
        .route("/ledger", get(accounts::ledger))
        .route("/outbox", get(accounts::outbox))
        .route("/resellers", get(accounts::resellers))
        .route("/resellers/api-key", post(accounts::issue_key))
        .route("/resellers/status", post(accounts::set_status))
        .route("/clock", get(sandbox::clock).post(sandbox::advance))
        .route("/faults", get(sandbox::faults).post(sandbox::add_fault))
        .route("/faults/clear", post(sandbox::clear_faults))
        .route("/journal", get(sandbox::journal))
        .route("/journal/events", get(sandbox::journal_events))
        .route(
            "/snapshots",
            get(sandbox::snapshots).post(sandbox::take_snapshot),
        )
        .route("/snapshots/restore", post(sandbox::restore_snapshot))
        .route("/reset", post(sandbox::reset))
        .route("/tenants", get(tenants::tenants).post(tenants::make))
        .route("/tenants/reset", post(tenants::reset))
        .route("/tenants/delete", post(tenants::remove))
        .route(
            "/assets/console.css",
            get(|| async { asset("text/css", STYLE) }),
        )
        .route(
            "/assets/console.js",
            get(|| async { asset("text/javascript", SCRIPT) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

fn failure(message: &str) -> Response {
    refusal(StatusCode::INTERNAL_SERVER_ERROR, message)
}

fn refusal(status: StatusCode, message: &str) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { (head("Refused")) }
            body {
                main {
                    h1 { "Refused" }
                    p role="alert" { (message) }
                    p { a href="/console/" { "Back to the console" } }
                }
            }
        }
    };
    (status, Html(page.into_string())).into_response()
}

fn store_failure(error: impl std::fmt::Display) -> Response {
    let reference = crate::wire::ApiError::internal(error).to_string();
    failure(&reference)
}

fn head(title: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) " · reseller console" }
        link rel="stylesheet" href="/console/assets/console.css";
        script src="/console/assets/console.js" defer {}
    }
}

/// A page of the console with its navigation.
fn page(session: &Session, title: &str, reseller: ResellerId, body: Markup) -> Response {
    let admin = session.who == Who::Admin;
    let link = |path: &str, label: &str| {
        let href = if admin {
            format!("/console{path}?reseller={}", reseller.0)
        } else {
            format!("/console{path}")
        };
        html! { li { a href=(href) aria-current=[(label == title).then_some("page")] { (label) } } }
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title)) }
            body {
                a.skip href="#main" { "Skip to the content" }
                header {
                    p.brand { "reseller console" }
                    p.who {
                        @match session.who {
                            Who::Admin => { "Signed in with the admin token · reseller " (reseller.0) }
                            Who::Reseller(id) => { "Signed in as reseller " (id.0) }
                        }
                    }
                    form method="post" action="/console/signout" {
                        input type="hidden" name="csrf" value=(session.csrf);
                        button type="submit" { "Sign out" }
                    }
                }
                nav aria-label="Console" {
                    ul {
                        (link("/", "Overview"))
                        (link("/customers", "Customers"))
                        (link("/orders", "Orders"))
                        (link("/ledger", "Ledger"))
                        (link("/outbox", "Outbox"))
                        (link("/resellers", "Sub-resellers"))
                        @if admin {
                            (link("/clock", "Clock"))
                            (link("/faults", "Faults"))
                            (link("/journal", "Journal"))
                            (link("/snapshots", "Snapshots"))
                            (link("/tenants", "Tenants"))
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    Html(markup.into_string()).into_response()
}

/// A hidden field with the form token, and the reseller an admin looks at.
fn form_fields(session: &Session, reseller: ResellerId) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(session.csrf);
        @if session.who == Who::Admin {
            input type="hidden" name="reseller" value=(reseller.0);
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct Asked {
    reseller: Option<i64>,
    product: Option<String>,
    done: Option<String>,
}
