//! The web console under `/console/`: what the API and the sandbox did,
//! for people to look at. Pages are rendered here (maud escapes every
//! value), with one stylesheet and one script embedded in the binary.
//!
//! Signed in with the admin token (every reseller, and the sandbox's
//! clock, faults, journal and snapshots) or with a reseller's auth-userid
//! and api-key (its own data only). The session is a cookie signed with
//! the deployment's key (`console::Signer`), so every instance honours it;
//! it is `HttpOnly` and `SameSite=Strict`, and every form carries a token
//! derived from it (checked in constant time) against cross-site posts.

use crate::AppState;
use crate::console::LinkPurpose;
use crate::control::{self, Refused};
use crate::sandbox::FaultRule;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use reseller_core::catalogue::Product;
use reseller_core::model::Account;
use reseller_core::time::format_utc;
use reseller_core::tx::{ActionQuery, CustomerQuery, OrderQuery, OrderSort, Page, TransferQuery};
use reseller_core::{InvoiceId, OrderId, ResellerId};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;
use subtle::ConstantTimeEq;

const SESSION_COOKIE: &str = "reseller_console";
const SIGNIN_COOKIE: &str = "reseller_console_signin";
/// How long a session lasts.
const SESSION_SECONDS: i64 = 12 * 3600;
const STYLE: &str = include_str!("webconsole.css");
const SCRIPT: &str = include_str!("webconsole.js");

/// The console's pages, below `/console`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home))
        .route("/signin", post(sign_in))
        .route("/signout", post(sign_out))
        .route("/customers", get(customers))
        .route("/orders", get(orders))
        .route("/orders/{id}", get(order))
        .route("/ledger", get(ledger))
        .route("/outbox", get(outbox))
        .route("/clock", get(clock).post(advance))
        .route("/faults", get(faults).post(add_fault))
        .route("/faults/clear", post(clear_faults))
        .route("/journal", get(journal))
        .route("/journal/events", get(journal_events))
        .route("/snapshots", get(snapshots).post(take_snapshot))
        .route("/snapshots/restore", post(restore_snapshot))
        .route("/reset", post(reset))
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

/// Who a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    Reseller(ResellerId),
}

struct Session {
    who: Who,
    /// The token forms carry.
    csrf: String,
}

impl Session {
    /// The reseller a page shows: a reseller's own; for the admin, the one
    /// asked for (`?reseller=N`), the demo reseller by default.
    fn reseller(&self, asked: Option<i64>) -> ResellerId {
        match self.who {
            Who::Reseller(id) => id,
            Who::Admin => ResellerId(asked.unwrap_or(1)),
        }
    }
}

fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
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
fn session_token(state: &AppState, who: Who, now: i64) -> Result<String, Response> {
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

fn random_id() -> Result<i64, Response> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|_| failure("No randomness available"))?;
    Ok((u64::from_le_bytes(bytes) >> 1) as i64)
}

/// The form token of a session: a signature of its own, over the same
/// fields, which a page of another site cannot know.
fn csrf_of(state: &AppState, grant: &crate::console::Grant) -> String {
    let signed = state.console.sign(
        LinkPurpose::ConsoleForm,
        grant.order_id,
        grant.reseller_id,
        grant.expires,
    );
    signed.rsplit('.').next().unwrap_or_default().to_string()
}

fn session(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let token = cookie(headers, SESSION_COOKIE)?;
    let grant = state
        .console
        .verify(
            LinkPurpose::ConsoleSession,
            token,
            crate::clock::Clock::default().now(),
        )
        .ok()?;
    let who = match grant.reseller_id.0 {
        0 => Who::Admin,
        id => Who::Reseller(ResellerId(id)),
    };
    Some(Session {
        who,
        csrf: csrf_of(state, &grant),
    })
}

/// The session of a page, or the way to the sign-in page.
fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    session(state, headers).ok_or_else(|| Redirect::to("/console/").into_response())
}

/// The session of a form post whose token matches it.
fn posted(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Session, Response> {
    let session = signed_in(state, headers)?;
    let given = form.get("csrf").map(String::as_str).unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(session.csrf.as_bytes())) {
        return Err(refusal(
            StatusCode::FORBIDDEN,
            "This form is stale or not from this console: reload the page and try again.",
        ));
    }
    Ok(session)
}

/// The session of an admin page.
fn admin_session(state: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    let session = signed_in(state, headers)?;
    admin_only(&session)?;
    Ok(session)
}

/// An admin's form post: its session, its fields, and the reseller the
/// page was showing.
fn admin_post(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Session, HashMap<String, String>, ResellerId), Response> {
    let form = form_of(body);
    let session = posted(state, headers, &form)?;
    admin_only(&session)?;
    let reseller = session.reseller(form.get("reseller").and_then(|r| r.parse().ok()));
    Ok((session, form, reseller))
}

fn admin_only(session: &Session) -> Result<(), Response> {
    match session.who {
        Who::Admin => Ok(()),
        Who::Reseller(_) => Err(refusal(
            StatusCode::FORBIDDEN,
            "Only the admin token opens the sandbox's controls.",
        )),
    }
}

fn form_of(body: &Bytes) -> HashMap<String, String> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn set_cookie(name: &str, value: &str, max_age: i64) -> (header::HeaderName, HeaderValue) {
    let text =
        format!("{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
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
                        @if admin {
                            (link("/clock", "Clock"))
                            (link("/faults", "Faults"))
                            (link("/journal", "Journal"))
                            (link("/snapshots", "Snapshots"))
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

/// `GET /console/`: the overview, or the sign-in form.
pub(crate) async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let Some(session) = session(&state, &headers) else {
        return sign_in_page(None);
    };
    let reseller = session.reseller(asked.reseller);
    let who = session.who;
    let listed = state
        .store
        .read(move |tx| {
            let ids = match who {
                Who::Admin => tx.reseller_ids()?,
                Who::Reseller(id) => vec![id],
            };
            let mut rows = Vec::new();
            for id in ids {
                if let Some(r) = tx.reseller(id)? {
                    rows.push((r, tx.balance(Account::Reseller(id))?));
                }
            }
            Ok(rows)
        })
        .await;
    let rows = match listed {
        Ok(rows) => rows,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        p { "The clock reads " strong { (format_utc(state.clock.now())) } "." }
        table {
            caption { "Resellers and their funds" }
            thead { tr { th scope="col" { "Id" } th scope="col" { "Name" } th scope="col" { "Status" } th scope="col" { "Funds (USD)" } } }
            tbody {
                @for (r, funds) in &rows {
                    tr {
                        td {
                            @if session.who == Who::Admin {
                                a href={ "/console/?reseller=" (r.id.0) } { (r.id.0) }
                            } @else { (r.id.0) }
                        }
                        td { (r.name) }
                        td { @if r.active { "Active" } @else { "Inactive" } }
                        td.num { (funds) }
                    }
                }
            }
        }
    };
    page(&session, "Overview", reseller, body)
}

fn sign_in_page(message: Option<&str>) -> Response {
    let nonce = match random_id() {
        Ok(n) => format!("{n:x}"),
        Err(refused) => return refused,
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head { (head("Sign in")) }
            body {
                main #main.signin {
                    h1 { "Sign in to the reseller console" }
                    @if let Some(message) = message { p.error role="alert" { (message) } }
                    form method="post" action="/console/signin" {
                        input type="hidden" name="csrf" value=(nonce);
                        fieldset {
                            legend { "As a reseller" }
                            label for="auth-userid" { "auth-userid" }
                            input #auth-userid name="auth-userid" inputmode="numeric" autocomplete="username";
                            label for="api-key" { "api-key" }
                            input #api-key name="api-key" type="password" autocomplete="current-password";
                        }
                        fieldset {
                            legend { "Or as the admin (every reseller, and the sandbox)" }
                            label for="admin-token" { "Admin token" }
                            input #admin-token name="admin-token" type="password" autocomplete="off";
                        }
                        button type="submit" { "Sign in" }
                    }
                }
            }
        }
    };
    let mut response = Html(markup.into_string()).into_response();
    let (name, value) = set_cookie(SIGNIN_COOKIE, &nonce, 600);
    response.headers_mut().append(name, value);
    response
}

async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = form_of(&body);
    let expected = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    let given = form.get("csrf").map(String::as_str).unwrap_or_default();
    if expected.is_empty() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return refusal(
            StatusCode::FORBIDDEN,
            "This sign-in form is stale or not from this console: reload it and try again.",
        );
    }
    let field = |name: &str| form.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let who = if let Some(token) = field("admin-token") {
        match state.admin_token() {
            Some(admin) if admin.opens(token) => Who::Admin,
            _ => return sign_in_page(Some("That admin token does not open this console.")),
        }
    } else if let (Some(user), Some(key)) = (field("auth-userid"), field("api-key")) {
        match state
            .keys
            .authenticate(&state.store, user, key, peer.ip())
            .await
        {
            Ok(id) => Who::Reseller(id),
            Err(error) => return sign_in_page(Some(&error.to_string())),
        }
    } else {
        return sign_in_page(Some(
            "Give an auth-userid and its api-key, or the admin token.",
        ));
    };
    let token = match session_token(&state, who, crate::clock::Clock::default().now()) {
        Ok(token) => token,
        Err(refused) => return refused,
    };
    let mut response = Redirect::to("/console/").into_response();
    let (name, value) = set_cookie(SESSION_COOKIE, &token, SESSION_SECONDS);
    response.headers_mut().append(name, value);
    let (name, value) = set_cookie(SIGNIN_COOKIE, "", 0);
    response.headers_mut().append(name, value);
    response
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(refused) = posted(&state, &headers, &form_of(&body)) {
        return refused;
    }
    let mut response = Redirect::to("/console/").into_response();
    let (name, value) = set_cookie(SESSION_COOKIE, "", 0);
    response.headers_mut().append(name, value);
    response
}

async fn customers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match signed_in(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reseller = session.reseller(asked.reseller);
    let found = state
        .store
        .read(move |tx| {
            let found = tx.search_customers(&CustomerQuery {
                reseller_id: reseller,
                customer_ids: Vec::new(),
                usernames: Vec::new(),
                name: None,
                company: None,
                city: None,
                state: None,
                created_from: None,
                created_to: None,
                receipts_from: None,
                receipts_to: None,
                statuses: Vec::new(),
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?;
            let mut rows = Vec::new();
            for c in found.records {
                let funds = tx.balance(Account::Customer(c.id))?;
                rows.push((c, funds));
            }
            Ok((found.total, rows))
        })
        .await;
    let (total, rows) = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        p { (total) " customers" @if total > 500 { ", the first 500 shown" } "." }
        table {
            caption { "Customers of reseller " (reseller.0) }
            thead { tr { th scope="col" { "Id" } th scope="col" { "Username" } th scope="col" { "Name" } th scope="col" { "Company" } th scope="col" { "Status" } th scope="col" { "Funds (USD)" } } }
            tbody {
                @for (c, funds) in &rows {
                    tr {
                        td { (c.id.0) }
                        td { (c.username) }
                        td.name { (c.name) }
                        td { (c.company) }
                        td { (c.status.as_str()) }
                        td.num { (funds) }
                    }
                }
            }
        }
    };
    page(&session, "Customers", reseller, body)
}

async fn orders(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match signed_in(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reseller = session.reseller(asked.reseller);
    let chosen = asked
        .product
        .as_deref()
        .filter(|p| !p.is_empty())
        .and_then(Product::from_key);
    let products = chosen.map_or_else(|| Product::ALL.to_vec(), |p| vec![p]);
    let found = state
        .store
        .read(move |tx| {
            Ok(tx.search_orders(&OrderQuery {
                reseller_id: reseller,
                products: products.clone(),
                order_ids: Vec::new(),
                customer_ids: Vec::new(),
                statuses: Vec::new(),
                plan_ids: Vec::new(),
                description: None,
                privacy_on: None,
                created_from: None,
                created_to: None,
                ends_from: None,
                ends_to: None,
                sort: OrderSort::OrderIdDesc,
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?)
        })
        .await;
    let found = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        form method="get" action="/console/orders" .inline {
            @if session.who == Who::Admin { input type="hidden" name="reseller" value=(reseller.0); }
            label for="product" { "Product" }
            select #product name="product" {
                option value="" { "Every product" }
                @for p in Product::ALL {
                    option value=(p.key()) selected[chosen == Some(p)] { (p.name()) }
                }
            }
            button type="submit" { "Show" }
        }
        p { (found.total) " orders" @if found.total > 500 { ", the newest 500 shown" } "." }
        table {
            caption { "Orders, newest first" }
            thead { tr { th scope="col" { "Order" } th scope="col" { "Product" } th scope="col" { "Name" } th scope="col" { "Customer" } th scope="col" { "Status" } th scope="col" { "Ends" } } }
            tbody {
                @for o in &found.records {
                    tr {
                        td { a href=(order_href(&session, reseller, o.id)) { (o.id.0) } }
                        td { (o.product.name()) }
                        td { (o.description) }
                        td { (o.customer_id.0) }
                        td { (o.status.as_str()) }
                        td { (format_utc(o.endtime)) }
                    }
                }
            }
        }
    };
    page(&session, "Orders", reseller, body)
}

fn order_href(session: &Session, reseller: ResellerId, id: OrderId) -> String {
    match session.who {
        Who::Admin => format!("/console/orders/{}?reseller={}", id.0, reseller.0),
        Who::Reseller(_) => format!("/console/orders/{}", id.0),
    }
}

async fn order(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let session = match signed_in(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let who = session.who;
    let found = state
        .store
        .read(move |tx| {
            let Some(order) = tx.order(OrderId(id))? else {
                return Ok(None);
            };
            if let Who::Reseller(own) = who
                && own != order.reseller_id
            {
                return Ok(None);
            }
            let actions = tx.search_actions(&ActionQuery {
                reseller_id: order.reseller_id,
                action_ids: Vec::new(),
                order_ids: vec![order.id],
                customer_ids: Vec::new(),
                statuses: Vec::new(),
                kinds: Vec::new(),
                page: Page {
                    records: 500,
                    number: 1,
                },
            })?;
            let mut invoices = Vec::new();
            for record in &actions.records {
                if let Some(invoice) = record.action.invoice_id
                    && let Some(invoice) = tx.invoice(invoice)?
                {
                    invoices.push(invoice);
                }
            }
            Ok(Some((order, actions.records, invoices)))
        })
        .await;
    let Some((order, actions, invoices)) = (match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    }) else {
        return refusal(
            StatusCode::NOT_FOUND,
            "No such order among the ones you may see.",
        );
    };
    let reseller = match session.who {
        Who::Admin => order.reseller_id,
        Who::Reseller(id) => id,
    };
    let body = html! {
        dl {
            dt { "Product" } dd { (order.product.name()) }
            dt { "Name" } dd { (order.description) }
            dt { "Customer" } dd { (order.customer_id.0) }
            dt { "Status" } dd #status { (order.status.as_str()) }
            dt { "Created" } dd { (format_utc(order.created)) }
            dt { "Ends" } dd #endtime { (format_utc(order.endtime)) }
            dt { "Auto-renew" } dd { @if order.auto_renew { "on" } @else { "off" } }
        }
        table {
            caption { "Actions, newest first" }
            thead { tr { th scope="col" { "Action" } th scope="col" { "Type" } th scope="col" { "Status" } th scope="col" { "Description" } th scope="col" { "Invoice" } th scope="col" { "When" } } }
            tbody {
                @for r in &actions {
                    tr.action {
                        td { (r.action.id.0) }
                        td { (r.action.kind.as_str()) }
                        td { (r.action.status.as_str()) }
                        td { (r.action.description) }
                        td { @if let Some(InvoiceId(invoice)) = r.action.invoice_id { (invoice) } }
                        td { (format_utc(r.action.created)) }
                    }
                }
            }
        }
        table {
            caption { "Invoices" }
            thead { tr { th scope="col" { "Invoice" } th scope="col" { "Amount (USD)" } th scope="col" { "Status" } th scope="col" { "Description" } } }
            tbody {
                @for i in &invoices {
                    tr { td { (i.id.0) } td.num { (i.amount) } td { (i.status.as_str()) } td { (i.description) } }
                }
            }
        }
    };
    page(&session, &format!("Order {}", order.id.0), reseller, body)
}

async fn ledger(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match signed_in(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reseller = session.reseller(asked.reseller);
    let found = state
        .store
        .read(move |tx| {
            let account = Account::Reseller(reseller);
            let funds = tx.balance(account)?;
            let moves = tx.search_transfers(&TransferQuery {
                account,
                incoming: None,
                at_from: None,
                at_to: None,
                page: Page {
                    records: 200,
                    number: 1,
                },
            })?;
            Ok((funds, moves))
        })
        .await;
    let (funds, moves) = match found {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let key = Account::Reseller(reseller).key();
    let body = html! {
        p { "Funds: " strong #funds { (funds) " USD" } }
        table {
            caption { "Movements of the reseller's funds, newest first" }
            thead { tr { th scope="col" { "When" } th scope="col" { "In / out" } th scope="col" { "Amount (USD)" } th scope="col" { "What" } } }
            tbody {
                @for t in &moves.records {
                    tr {
                        td { (format_utc(t.at)) }
                        td { @if t.to == key { "in" } @else { "out" } }
                        td.num { (t.amount) }
                        td { (t.memo) }
                    }
                }
            }
        }
    };
    page(&session, "Ledger", reseller, body)
}

async fn outbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match signed_in(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let reseller = session.reseller(asked.reseller);
    let mails = match state.store.read(move |tx| Ok(tx.outbox(None, 1000)?)).await {
        Ok(mails) => mails,
        Err(error) => return store_failure(error),
    };
    let mails: Vec<_> = mails
        .into_iter()
        .filter(|m| m.reseller_id == reseller)
        .take(100)
        .collect();
    let body = html! {
        p { "The mails the platform sent for this reseller, newest first (at most 100). Their links work when clicked." }
        @for m in &mails {
            article.mail {
                h2 { (m.subject) }
                p.meta { (m.kind) " · to " (m.recipient) " · " (format_utc(m.created)) }
                pre { (m.body) }
                @let links = control::links_of(&m.body);
                @if !links.is_empty() {
                    ul.links { @for l in links { li { a href=(l) { (l) } } } }
                }
            }
        }
        @if mails.is_empty() { p { "No mail yet." } }
    };
    page(&session, "Outbox", reseller, body)
}

async fn clock(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match admin_session(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    clock_page(&state, &session, session.reseller(asked.reseller), None)
}

fn clock_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    ran: Option<crate::jobs::Report>,
) -> Response {
    let offset = state.clock.offset();
    let body = html! {
        p { "Every API call sees " strong #now { (format_utc(state.clock.now())) } ", " (offset / 86_400) " days ahead of real time." }
        form method="post" action="/console/clock" {
            (form_fields(session, reseller))
            label for="days" { "Days to advance" }
            input #days name="days" type="number" min="1" max="36600" value="1" required;
            button type="submit" { "Advance the clock" }
        }
        @if let Some(report) = &ran {
            section aria-live="polite" {
                h2 { "What ran: " (report.count) " jobs" }
                table {
                    caption { "Jobs in time order (the first 1,000)" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Order" } th scope="col" { "Job" } th scope="col" { "Outcome" } } }
                    tbody {
                        @for r in &report.listed {
                            tr.job { td { (format_utc(r.at)) } td { a href=(order_href(session, reseller, r.order_id)) { (r.order_id.0) } } td { (r.job.as_str()) } td { (r.outcome) } }
                        }
                    }
                }
            }
        }
    };
    page(session, "Clock", reseller, body)
}

async fn advance(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (session, form, reseller) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let days = match form.get("days").and_then(|d| d.trim().parse::<i64>().ok()) {
        Some(days) if (1..=36_600).contains(&days) => days,
        _ => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "Days must be a whole number from 1 to 36600.",
            );
        }
    };
    match control::advance_by(&state, days * 86_400).await {
        Ok(report) => clock_page(&state, &session, reseller, Some(report)),
        Err(refused) => control_refusal(refused),
    }
}

fn control_refusal(refused: Refused) -> Response {
    match refused {
        Refused::Fault(error) => store_failure(error),
        Refused::Conflict(message) => refusal(StatusCode::CONFLICT, &message),
        Refused::NotFound(message) => refusal(StatusCode::NOT_FOUND, &message),
    }
}

async fn faults(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match admin_session(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    faults_page(&state, &session, session.reseller(asked.reseller), None)
}

fn faults_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    error: Option<&str>,
) -> Response {
    let rules = state.sandbox.faults();
    let body = html! {
        p { "A rule makes matching API calls fail, wait or drop, before they run." }
        table {
            caption { "Rules in force, in order" }
            thead { tr { th scope="col" { "Call" } th scope="col" { "Reseller" } th scope="col" { "Hits left" } th scope="col" { "Effect" } } }
            tbody {
                @for r in &rules {
                    tr.rule {
                        td { (r.call) }
                        td { @if let Some(id) = r.reseller { (id) } @else { "any" } }
                        td { @if let Some(n) = r.count { (n) } @else { "no limit" } }
                        td {
                            @if let Some((status, message)) = &r.effect.status { "HTTP " (status) ": " (message) " " }
                            @if r.effect.latency_ms > 0 { "waits " (r.effect.latency_ms) " ms " }
                            @if r.effect.drop { "drops the connection" }
                        }
                    }
                }
            }
        }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action="/console/faults" {
            (form_fields(session, reseller))
            fieldset {
                legend { "Add a rule" }
                label for="call" { "Call (a path such as domains/register; * stands for any run of characters)" }
                input #call name="call" required;
                label for="status" { "HTTP status to answer" }
                input #status name="status" type="number" min="100" max="599";
                label for="message" { "Message in the envelope" }
                input #message name="message";
                label for="count" { "Hits (empty for no limit)" }
                input #count name="count" type="number" min="1";
                label for="latency_ms" { "Wait first, in milliseconds" }
                input #latency_ms name="latency_ms" type="number" min="0";
                div.check {
                    input #drop name="drop" type="checkbox" value="true";
                    label for="drop" { "Drop the connection without an answer" }
                }
            }
            button type="submit" { "Add the rule" }
        }
        form method="post" action="/console/faults/clear" {
            (form_fields(session, reseller))
            button type="submit" { "Clear every rule" }
        }
    };
    page(session, "Faults", reseller, body)
}

async fn add_fault(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (session, form, reseller) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let mut rule = serde_json::Map::new();
    for name in ["call", "message"] {
        if let Some(v) = form.get(name).filter(|v| !v.trim().is_empty()) {
            rule.insert(name.into(), serde_json::json!(v.trim()));
        }
    }
    for name in ["status", "count", "latency_ms"] {
        if let Some(v) = form.get(name).filter(|v| !v.trim().is_empty()) {
            match v.trim().parse::<u64>() {
                Ok(n) => {
                    rule.insert(name.into(), serde_json::json!(n));
                }
                Err(_) => {
                    return faults_page(
                        &state,
                        &session,
                        reseller,
                        Some(&format!("{name} must be a whole number")),
                    );
                }
            }
        }
    }
    if form.get("drop").is_some_and(|v| v == "true") {
        rule.insert("drop".into(), serde_json::json!(true));
    }
    match FaultRule::parse(&serde_json::Value::Object(rule)) {
        Ok(rule) => {
            let mut rules = state.sandbox.faults();
            rules.push(rule);
            state.sandbox.set_faults(rules);
            faults_page(&state, &session, reseller, None)
        }
        Err(message) => faults_page(&state, &session, reseller, Some(&message)),
    }
}

async fn clear_faults(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (session, form, _) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    state.sandbox.set_faults(Vec::new());
    let reseller = session.reseller(form.get("reseller").and_then(|r| r.parse().ok()));
    faults_page(&state, &session, reseller, None)
}

fn journal_row(e: &crate::sandbox::Entry) -> Markup {
    html! {
        tr.entry {
            td { (format_utc(e.time)) }
            td { (e.method.as_str()) }
            td { (e.call) }
            td { (e.status) }
            td.reply { (e.reply) }
        }
    }
}

async fn journal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match admin_session(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let entries = state.sandbox.journal(100);
    let body = html! {
        p { "This instance's newest API requests, newest first; new ones appear as they are answered. Keys are never shown." }
        p #live aria-live="polite" { "Connecting…" }
        table {
            caption { "Requests" }
            thead { tr { th scope="col" { "When" } th scope="col" { "Method" } th scope="col" { "Call" } th scope="col" { "Status" } th scope="col" { "Reply" } } }
            tbody #journal data-events="/console/journal/events" {
                @for e in &entries { (journal_row(e)) }
            }
        }
    };
    page(&session, "Journal", session.reseller(asked.reseller), body)
}

/// `GET /console/journal/events`: each request as it is kept, as
/// server-sent events (`data:` the row's fields in JSON).
async fn journal_events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = admin_session(&state, &headers) {
        return refused;
    }
    let (mut seen, _) = state.sandbox.journal_since(u64::MAX);
    let (sender, receiver) = tokio::sync::mpsc::channel(64);
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_millis(300));
        loop {
            ticker.tick().await;
            let (total, newer) = state.sandbox.journal_since(seen);
            seen = total;
            for e in newer {
                let data = serde_json::json!({
                    "time": format_utc(e.time),
                    "method": e.method.as_str(),
                    "call": e.call,
                    "status": e.status,
                    "reply": e.reply,
                });
                let event = Event::default().data(data.to_string());
                if sender.send(Ok(event)).await.is_err() {
                    return;
                }
            }
            if sender.is_closed() {
                return;
            }
        }
    });
    Sse::new(Feed(receiver))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// The events a task sends, until the page goes away.
struct Feed(tokio::sync::mpsc::Receiver<Result<Event, std::convert::Infallible>>);

impl futures_core::Stream for Feed {
    type Item = Result<Event, std::convert::Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

async fn snapshots(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match admin_session(&state, &headers) {
        Ok(s) => s,
        Err(r) => return r,
    };
    snapshots_page(
        &state,
        &session,
        session.reseller(asked.reseller),
        asked.done.as_deref(),
    )
    .await
}

async fn snapshots_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    done: Option<&str>,
) -> Response {
    let kept = match state.store.snapshots().await {
        Ok(kept) => kept,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        @if let Some(done) = done { p.done role="status" { (done) } }
        table {
            caption { "Snapshots kept" }
            thead { tr { th scope="col" { "Name" } th scope="col" { "Taken" } th scope="col" { "Clock offset (days)" } th scope="col" { "" } } }
            tbody {
                @for (name, created, offset) in &kept {
                    tr {
                        td { (name) }
                        td { (format_utc(*created)) }
                        td { (offset / 86_400) }
                        td {
                            form method="post" action="/console/snapshots/restore" {
                                (form_fields(session, reseller))
                                input type="hidden" name="name" value=(name);
                                button type="submit" aria-label={ "Restore " (name) } { "Restore" }
                            }
                        }
                    }
                }
            }
        }
        form method="post" action="/console/snapshots" {
            (form_fields(session, reseller))
            label for="name" { "Keep a snapshot named (letters, digits, - and _)" }
            input #name name="name" required pattern="[A-Za-z0-9_-]{1,64}";
            button type="submit" { "Take the snapshot" }
        }
        form method="post" action="/console/reset" data-confirm="Reset every reseller's data to a fresh demo state?" {
            (form_fields(session, reseller))
            button.danger type="submit" { "Reset to a fresh demo state" }
        }
    };
    page(session, "Snapshots", reseller, body)
}

async fn take_snapshot(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (session, form, reseller) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let name = form.get("name").map(|n| n.trim()).unwrap_or_default();
    if control::snapshot_name(name).is_err() {
        return refusal(
            StatusCode::BAD_REQUEST,
            "A snapshot's name is 1 to 64 letters, digits, - and _.",
        );
    }
    if let Err(error) = state.store.snapshot(name, state.clock.now()).await {
        return store_failure(error);
    }
    snapshots_page(
        &state,
        &session,
        reseller,
        Some(&format!("Snapshot {name} taken.")),
    )
    .await
}

async fn restore_snapshot(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (session, form, reseller) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    let name = form.get("name").map(|n| n.trim()).unwrap_or_default();
    if let Err(refused) = control::restore_named(&state, name).await {
        return control_refusal(refused);
    }
    snapshots_page(
        &state,
        &session,
        reseller,
        Some(&format!("Snapshot {name} restored.")),
    )
    .await
}

async fn reset(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (session, _, _) = match admin_post(&state, &headers, &body) {
        Ok(posted) => posted,
        Err(r) => return r,
    };
    if let Err(refused) = control::reset_all(&state).await {
        return control_refusal(refused);
    }
    snapshots_page(
        &state,
        &session,
        ResellerId(1),
        Some("Reset to a fresh demo state."),
    )
    .await
}
