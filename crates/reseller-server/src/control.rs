//! The sandbox control plane under `/_reseller/`: what a developer testing
//! against this server needs and the real service cannot give: a clock
//! that moves on demand (kept in the database, so every instance agrees),
//! the outbox of mails the platform sent, injected faults and the request
//! journal (`sandbox`). JSON in and
//! out, opened by `Authorization: Bearer <admin token>` only: the API's
//! credentials never open it.

use crate::AppState;
use crate::routes::{Kind, Param};
use crate::sandbox::FaultRule;
use crate::tenants;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reseller_core::provisioning::Provisioning;
use reseller_core::{OrderId, ResellerId};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// The most mails one outbox call lists.
pub const OUTBOX_MOST: u32 = 1_000;

/// The admin token, kept as its SHA-256 digest and compared in constant time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdminToken([u8; 32]);

impl AdminToken {
    pub fn new(token: &str) -> AdminToken {
        AdminToken(Sha256::digest(token.as_bytes()).into())
    }

    pub(crate) fn opens(&self, offered: &str) -> bool {
        let offered: [u8; 32] = Sha256::digest(offered.as_bytes()).into();
        bool::from(offered.ct_eq(&self.0))
    }
}

/// A control plane endpoint as its description shows it (`openapi`);
/// `routes` serves each (a test calls every one).
pub struct Endpoint {
    /// Lower case, as OpenAPI names methods.
    pub method: &'static str,
    /// Below `/_reseller`, with `{name}` for a path parameter.
    pub path: &'static str,
    pub summary: &'static str,
    pub query: &'static [Param],
    body: Option<fn() -> Value>,
    /// A body it takes, shown in the description (and sent by its test).
    pub example: Option<&'static str>,
    /// The media type of its reply.
    pub media: &'static str,
    reply: fn() -> Value,
}

/// The media type of every control plane reply but the authority's root.
pub const JSON: &str = "application/json";
/// The authority's root certificate, as `openssl` and browsers read it.
pub const PEM: &str = "application/x-pem-file";

impl Endpoint {
    /// The JSON schema of the request body, if it takes one.
    pub fn body(&self) -> Option<Value> {
        self.body.map(|schema| schema())
    }

    /// The JSON schema of the reply.
    pub fn reply(&self) -> Value {
        (self.reply)()
    }
}

fn clock_schema() -> Value {
    json!({ "type": "object", "required": ["now", "offset_seconds"], "properties": {
        "now": { "type": "integer" }, "offset_seconds": { "type": "integer" } } })
}

/// What an advance takes, of the global clock or a tenant's.
fn advance_schema() -> Value {
    json!({ "type": "object", "additionalProperties": false,
        "minProperties": 1, "maxProperties": 1, "properties": {
        "days": { "type": "integer", "minimum": 1, "maximum": 36600 },
        "seconds": { "type": "integer", "minimum": 1, "maximum": 3_162_240_000_i64 } } })
}

fn object() -> Value {
    json!({ "type": "object" })
}

fn list() -> Value {
    json!({ "type": "array", "items": { "type": "object" } })
}

const LIMIT: Param = Param::optional(
    "limit",
    Kind::Count {
        min: 1,
        max: OUTBOX_MOST,
    },
);

/// Every endpoint `routes` serves.
pub const ENDPOINTS: [Endpoint; 26] = [
    Endpoint {
        method: "get",
        path: "/clock",
        summary: "The time every API call sees, and its offset from real time.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: clock_schema,
    },
    Endpoint {
        method: "post",
        path: "/clock/advance",
        summary: "Moves the clock forward and runs every job due by then, in time order.",
        query: &[],
        body: Some(advance_schema),
        example: Some(r#"{"days": 30}"#),
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "get",
        path: "/outbox",
        summary: "The mails the platform sent, newest first.",
        query: &[Param::optional("order-id", Kind::Id), LIMIT],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "get",
        path: "/faults",
        summary: "The fault rules in force, with the hits each has left.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "post",
        path: "/faults",
        summary: "Replaces the fault rules.",
        query: &[],
        body: Some(|| {
            json!({ "type": "array", "items": { "type": "object", "required": ["call"],
                "additionalProperties": false, "properties": {
                "call": { "type": "string" }, "reseller": { "type": "integer" },
                "probability": { "type": "number", "minimum": 0, "maximum": 1 },
                "count": { "type": "integer", "minimum": 1 },
                "status": { "type": "integer" }, "message": { "type": "string" },
                "latency_ms": { "type": "integer", "minimum": 0 },
                "drop": { "type": "boolean" } } } })
        }),
        example: Some(
            r#"[{"call": "domains/register", "status": 500, "message": "Registry timeout", "count": 1}]"#,
        ),
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "delete",
        path: "/faults",
        summary: "Clears every fault rule.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "get",
        path: "/requests",
        summary: "This instance's newest API requests, newest first, keys masked.",
        query: &[LIMIT],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "get",
        path: "/provisioning",
        summary: "How a reseller's paid actions complete: instant or realistic.",
        query: &[Param::required("reseller", Kind::Id)],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "post",
        path: "/provisioning",
        summary: "Sets how a reseller's paid actions complete.",
        query: &[],
        body: Some(|| {
            json!({ "type": "object", "required": ["reseller", "mode"],
                "additionalProperties": false, "properties": {
                "reseller": { "type": "integer", "minimum": 1 },
                "mode": { "enum": ["instant", "realistic"] } } })
        }),
        example: Some(r#"{"reseller": 1, "mode": "realistic"}"#),
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "post",
        path: "/reset",
        summary: "Back to a fresh demo state.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "get",
        path: "/snapshots",
        summary: "The snapshots kept, oldest first.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "post",
        path: "/snapshots/{name}",
        summary: "Keeps the data and the clock under a name.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "post",
        path: "/snapshots/{name}/restore",
        summary: "Puts back the data and the clock kept under a name.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "get",
        path: "/ca",
        summary: "The sandbox certificate authority's root, in PEM: what the certificates of SSL orders chain to.",
        query: &[],
        body: None,
        example: None,
        media: PEM,
        reply: || json!({ "type": "string" }),
    },
    Endpoint {
        method: "post",
        path: "/resellers/{id}/api-key",
        summary: "A fresh API key for a reseller (a sub-reseller has none until one is issued); the one before it stops working at once.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: || json!({ "type": "object", "required": ["auth-userid", "api-key"], "properties": { "auth-userid": { "type": "integer" }, "api-key": { "type": "string" } } }),
    },
    Endpoint {
        method: "get",
        path: "/ca/crl",
        summary: "The certificates the sandbox authority revoked (cancelled, reissued, or their orders deleted), as a CRL it signs, in PEM.",
        query: &[],
        body: None,
        example: None,
        media: PEM,
        reply: || json!({ "type": "string" }),
    },
    Endpoint {
        method: "post",
        path: "/tenants",
        summary: "A tenant for one test: a funded reseller with its key and the demo catalogue, with a clock of its own if asked (funds in USD; the demo reseller's when not given).",
        query: &[],
        body: Some(|| {
            json!({ "type": "object", "additionalProperties": false, "properties": {
                "funds": { "type": ["string", "number"] }, "clock": { "type": "boolean" },
                "name": { "type": "string", "minLength": 1, "maxLength": 100 } } })
        }),
        example: Some(r#"{"funds": "1000", "clock": true}"#),
        media: JSON,
        reply: || json!({ "type": "object", "required": ["id", "auth-userid", "api-key"], "properties": { "id": { "type": "integer" }, "auth-userid": { "type": "integer" }, "api-key": { "type": "string" } } }),
    },
    Endpoint {
        method: "get",
        path: "/tenants/{id}",
        summary: "A tenant: its opening funds and its clock (null when it sees the global clock).",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "get",
        path: "/tenants/{id}/clock",
        summary: "The time a tenant's calls see: its own clock's, or the global clock's (own false).",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: clock_schema,
    },
    Endpoint {
        method: "post",
        path: "/tenants/{id}/clock",
        summary: "Gives a tenant a clock of its own, starting where the global clock stands (a clock it has stays as it is).",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: clock_schema,
    },
    Endpoint {
        method: "post",
        path: "/tenants/{id}/clock/advance",
        summary: "Moves a tenant's own clock forward and runs its jobs due by then, in time order; no one else's time moves.",
        query: &[],
        body: Some(advance_schema),
        example: Some(r#"{"days": 30}"#),
        media: JSON,
        reply: clock_schema,
    },
    Endpoint {
        method: "get",
        path: "/tenants/{id}/snapshots",
        summary: "A tenant's snapshots, oldest first.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: list,
    },
    Endpoint {
        method: "post",
        path: "/tenants/{id}/snapshots/{name}",
        summary: "Keeps a tenant's state and clock under a name (replacing its snapshot of that name); no one else's state is kept or touched.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "post",
        path: "/tenants/{id}/snapshots/{name}/restore",
        summary: "Puts a tenant's state and clock back as its snapshot kept them; its key stays the one it has.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: clock_schema,
    },
    Endpoint {
        method: "post",
        path: "/tenants/{id}/reset",
        summary: "A tenant back to what it had when made: its data gone, its price list and opening funds given again, its own clock where the global one stands; its key and snapshots stay.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
    Endpoint {
        method: "delete",
        path: "/tenants/{id}",
        summary: "Removes a tenant and all it holds, its snapshots too.",
        query: &[],
        body: None,
        example: None,
        media: JSON,
        reply: object,
    },
];

/// The control plane's calls, below `/_reseller`, every one (and every
/// path that is none) behind the admin token.
pub fn routes(state: &AppState) -> axum::Router<AppState> {
    axum::Router::new()
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/outbox", get(outbox))
        .route("/faults", get(faults).post(set_faults).delete(clear_faults))
        .route("/requests", get(requests))
        .route("/provisioning", get(provisioning).post(set_provisioning))
        .route("/reset", post(reset))
        .route("/snapshots", get(snapshots))
        .route("/snapshots/{name}", post(take_snapshot))
        .route("/snapshots/{name}/restore", post(restore_snapshot))
        .route("/ca", get(ca))
        .route("/ca/crl", get(ca_crl))
        .route("/resellers/{id}/api-key", post(issue_api_key))
        .route("/tenants", post(tenants::post_tenant))
        .route(
            "/tenants/{id}",
            get(tenants::get_tenant).delete(tenants::delete_tenant),
        )
        .route(
            "/tenants/{id}/clock",
            get(tenants::get_clock).post(tenants::attach_clock),
        )
        .route("/tenants/{id}/clock/advance", post(tenants::advance_clock))
        .route("/tenants/{id}/reset", post(tenants::post_reset))
        .route("/tenants/{id}/snapshots", get(tenants::list_snapshots))
        .route(
            "/tenants/{id}/snapshots/{name}",
            post(tenants::take_snapshot),
        )
        .route(
            "/tenants/{id}/snapshots/{name}/restore",
            post(tenants::restore_snapshot),
        )
        .fallback(unknown)
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_admin,
        ))
}

/// Lets through only a request with the admin token. A wrong token counts
/// against the address's failures as a wrong API key does, and an address
/// past its limit is refused even with the right one until its minute is
/// over.
async fn require_admin(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let failures = state.keys.failures();
    let now = std::time::Instant::now();
    if peer.is_some_and(|peer| failures.blocked(peer, now)) {
        return refusal();
    }
    match authorize(&state, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refused) => {
            if let Some(peer) = peer {
                failures.failed(peer, now);
            }
            refused
        }
    }
}

/// A control plane call with a method it does not take; the `Allow`
/// header lists the ones it does (`ENDPOINTS`).
async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let path = uri.path().trim_start_matches("/_reseller");
    let allowed: Vec<String> = ENDPOINTS
        .iter()
        .filter(|e| {
            let (wanted, given): (Vec<_>, Vec<_>) =
                (e.path.split('/').collect(), path.split('/').collect());
            wanted.len() == given.len()
                && wanted
                    .iter()
                    .zip(&given)
                    .all(|(w, g)| w == g || *w == "{name}" || *w == "{id}")
        })
        .map(|e| e.method.to_uppercase())
        .collect();
    let mut response = refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "/_reseller{path} takes {}, not {method}",
            allowed.join(" or ")
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// A JSON reply with its status.
pub(crate) fn reply(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A refusal: `{"error": message}`.
pub(crate) fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    reply(status, json!({ "error": message.into() }))
}

/// Refuses a request without the admin token.
#[allow(clippy::result_large_err)]
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    // The scheme's name in any case, as HTTP says (RFC 9110, 11.1).
    let offered = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token);
    let opened = match (state.admin_token(), offered) {
        (Some(token), Some(offered)) => token.opens(offered.trim()),
        _ => false,
    };
    if opened { Ok(()) } else { Err(refusal()) }
}

/// The control plane's refusal of a request without the admin token.
fn refusal() -> Response {
    let mut response = refuse(
        StatusCode::UNAUTHORIZED,
        "The control plane needs Authorization: Bearer <admin token> (RESELLER_ADMIN_TOKEN)",
    );
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

pub(crate) fn internal(error: reseller_core::StoreError) -> Response {
    let error = crate::wire::ApiError::internal(error);
    refuse(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
}

/// A store read or write that failed: a fault of ours, or a rule's refusal.
pub(crate) fn failed(error: reseller_core::Error) -> Response {
    match error {
        reseller_core::Error::Store(error) => internal(error),
        reseller_core::Error::Rule(rule) => refuse(StatusCode::BAD_REQUEST, rule.to_string()),
    }
}

async fn unknown() -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        "Unknown control plane call: see docs/API.md, Sandbox control plane",
    )
}

fn clock_body(state: &AppState) -> Value {
    let offset = state.clock.offset();
    json!({ "now": state.clock.now(), "offset_seconds": offset })
}

/// The clock a tenant's calls see: its own, or the global one.
pub(crate) fn clock_json(state: &AppState, tenant: ResellerId) -> Value {
    let own = state.clock.tenant_offset(tenant);
    let offset = own.unwrap_or_else(|| state.clock.offset());
    json!({ "now": crate::clock::Clock::real_now() + offset, "offset_seconds": offset, "own": own.is_some() })
}

/// What an advance ran, added to its reply.
pub(crate) fn report_json(body: &mut Value, seconds: i64, report: &crate::jobs::Report) {
    body["advanced_seconds"] = json!(seconds);
    body["jobs_run"] = json!(report.count);
    body["ran"] = Value::Array(
        report
            .listed
            .iter()
            .map(|r| {
                json!({
                    "order_id": r.order_id.0,
                    "job": r.job.as_str(),
                    "at": r.at,
                    "outcome": r.outcome,
                })
            })
            .collect(),
    );
}

/// `GET /_reseller/clock`: the time every API call sees, and how far it
/// is from real time.
async fn clock(State(state): State<AppState>) -> Response {
    // Read from the database: another instance may have moved it.
    if let Err(error) = state.clock.refresh().await {
        return internal(error);
    }
    reply(StatusCode::OK, clock_body(&state))
}

/// What an advance asks: `{"days": n}` or `{"seconds": n}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    days: Option<i64>,
    seconds: Option<i64>,
}

/// The seconds an advance asks for: `{"days": n}` or `{"seconds": n}`,
/// whole and more than zero, one of the two.
pub(crate) fn seconds_asked(body: &[u8]) -> Result<i64, String> {
    const ALLOWED: &str =
        "It must be a JSON object with \"days\" or \"seconds\": a whole number more than 0";
    let asked: AdvanceBody =
        serde_json::from_slice(body).map_err(|e| format!("Invalid body: {e}. {ALLOWED}"))?;
    let positive = |name: &str, given: Option<i64>| match given {
        Some(n) if n <= 0 => Err(format!("Invalid {name}: {n}. {ALLOWED}")),
        given => Ok(given),
    };
    let seconds = match (
        positive("days", asked.days)?,
        positive("seconds", asked.seconds)?,
    ) {
        (Some(days), None) => days.checked_mul(86_400),
        (None, Some(seconds)) => Some(seconds),
        _ => {
            return Err(format!(
                "Give days or seconds, not both or neither. {ALLOWED}"
            ));
        }
    };
    // A hundred years is far enough for any test.
    seconds
        .filter(|s| *s <= 100 * 366 * 86_400)
        .ok_or_else(|| format!("Too far: at most 100 years at a time. {ALLOWED}"))
}

/// Why an action of the control plane (here or in the web console) did
/// not happen.
pub enum Refused {
    Fault(reseller_core::StoreError),
    Conflict(String),
    NotFound(String),
}

impl Refused {
    pub(crate) fn response(self) -> Response {
        match self {
            Refused::Fault(error) => internal(error),
            Refused::Conflict(message) => refuse(StatusCode::CONFLICT, message),
            Refused::NotFound(message) => refuse(StatusCode::NOT_FOUND, message),
        }
    }
}

impl From<reseller_core::Error> for Refused {
    fn from(error: reseller_core::Error) -> Refused {
        match error {
            reseller_core::Error::Store(fault) => Refused::Fault(fault),
            reseller_core::Error::Rule(rule) => Refused::Conflict(rule.to_string()),
        }
    }
}

/// Moves the clock forward by `seconds` for every instance and runs every
/// job that falls due by then, in time order.
pub async fn advance_by(state: &AppState, seconds: i64) -> Result<crate::jobs::Report, Refused> {
    // The window this advance owns, claimed by moving the clock in the
    // database first: racing advances get windows one after the other.
    let (window, advancing) = state.clock.claim(seconds).await.map_err(Refused::Fault)?;
    let ran =
        crate::jobs::run_between(state, window.from, window.to, crate::jobs::Whose::Global).await;
    drop(advancing);
    let report = ran?;
    state.sandbox.count_jobs(report.count);
    state.clock.reached(window);
    Ok(report)
}

/// Back to a fresh demo state (`POST /_reseller/reset`).
pub async fn reset_all(state: &AppState) -> Result<(), Refused> {
    let demo = reseller_core::ResellerId(1);
    let real_now = crate::clock::Clock::real_now();
    state
        .store
        .reset(demo, move |tx, opening| {
            reseller_core::accounts::restore_demo(tx, demo, opening, real_now)
        })
        .await?;
    state.clock.refresh().await.map_err(Refused::Fault)?;
    follow_generation(state).await
}

/// This instance drops what it cached once the database says a reset or
/// a restore happened (every other instance does at its next request).
async fn follow_generation(state: &AppState) -> Result<(), Refused> {
    let generation = state
        .store
        .counter(reseller_store::RESET_GENERATION, 0)
        .await
        .map_err(Refused::Fault)?;
    state.follow_reset(generation);
    Ok(())
}

/// The data and the clock as the snapshot `name` kept them, on every
/// instance.
pub async fn restore_named(state: &AppState, name: &str) -> Result<(), Refused> {
    match state.store.restore(name).await.map_err(Refused::Fault)? {
        true => {}
        false => {
            return Err(Refused::NotFound(format!(
                "No snapshot named {name}: see GET /_reseller/snapshots"
            )));
        }
    }
    state.clock.refresh().await.map_err(Refused::Fault)?;
    follow_generation(state).await
}

/// `POST /_reseller/clock/advance`: moves the clock forward for every
/// instance and runs every job that falls due by then, in time order;
/// answers when they have run, with the clock and what ran.
async fn advance(State(state): State<AppState>, body: Bytes) -> Response {
    let seconds = match seconds_asked(&body) {
        Ok(seconds) => seconds,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, message),
    };
    let report = match advance_by(&state, seconds).await {
        Ok(report) => report,
        Err(refused) => return refused.response(),
    };
    let mut body = clock_body(&state);
    report_json(&mut body, seconds, &report);
    reply(StatusCode::OK, body)
}

/// The `limit` of a listing (1 to `most`, default 100), refusing any
/// parameter but `accepted`.
#[allow(clippy::result_large_err)]
fn listing(
    query: &HashMap<String, String>,
    accepted: &[&str],
    most: usize,
) -> Result<usize, Response> {
    if let Some(key) = query.keys().find(|k| !accepted.contains(&k.as_str())) {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            format!(
                "Unknown parameter: {key}. This call takes {}",
                accepted.join(", ")
            ),
        ));
    }
    match query.get("limit").map(|v| v.parse::<usize>()) {
        None => Ok(100),
        Some(Ok(n)) if (1..=most).contains(&n) => Ok(n),
        Some(_) => Err(refuse(
            StatusCode::BAD_REQUEST,
            format!("Invalid limit: it must be a whole number from 1 to {most}"),
        )),
    }
}

/// The links a mail's body carries: every word that is a URL.
pub(crate) fn links_of(body: &str) -> Vec<&str> {
    body.split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect()
}

/// `GET /_reseller/outbox[?order-id=N][&limit=N]`: the mails the platform
/// sent, newest first.
async fn outbox(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let limit = match listing(&query, &["order-id", "limit"], OUTBOX_MOST as usize) {
        Ok(limit) => limit as u32,
        Err(refused) => return refused,
    };
    let order_id = match query.get("order-id").map(|v| v.parse::<i64>()) {
        None => None,
        Some(Ok(id)) if id > 0 => Some(OrderId(id)),
        Some(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "Invalid order-id: it must be an order id, a whole number more than 0",
            );
        }
    };
    let mails = state
        .store
        .read(move |tx| Ok(tx.outbox(order_id, limit)?))
        .await;
    let mails = match mails {
        Ok(mails) => mails,
        Err(error) => return failed(error),
    };
    let deliveries = match state
        .store
        .deliveries(mails.iter().map(|m| m.id).collect())
        .await
    {
        Ok(deliveries) => deliveries,
        Err(error) => return failed(error.into()),
    };
    let listed: Vec<Value> = mails
        .iter()
        .zip(&deliveries)
        .map(|(m, delivery)| {
            json!({
                "id": m.id,
                "time": m.created,
                "to": m.recipient,
                "kind": m.kind,
                "subject": m.subject,
                "body": m.body,
                "order_id": m.order_id.map(|id| id.0),
                "links": links_of(&m.body),
                "delivery": delivery_json(delivery),
            })
        })
        .collect();
    reply(StatusCode::OK, Value::Array(listed))
}

/// Where a mail's delivery over SMTP stands, as the outbox shows it.
fn delivery_json(delivery: &reseller_store::Delivery) -> Value {
    let mut shown = json!({ "state": delivery.as_str() });
    match delivery {
        reseller_store::Delivery::NotQueued => {}
        reseller_store::Delivery::Queued {
            attempts,
            last_error,
            due,
        } => {
            shown["attempts"] = json!(attempts);
            shown["last_error"] = json!(last_error);
            if *due != i64::MAX {
                shown["next_attempt_ms"] = json!(due);
            }
        }
        reseller_store::Delivery::Delivered { at, attempts } => {
            shown["attempts"] = json!(attempts);
            shown["delivered_ms"] = json!(at);
        }
    }
    shown
}

/// `GET /_reseller/ca`: the sandbox authority's root certificate, in PEM.
async fn ca(State(state): State<AppState>) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, PEM)],
        state.authority.cert_pem.clone(),
    )
        .into_response()
}

/// `GET /_reseller/ca/crl`: the certificates the authority revoked, as a
/// CRL it signs, in PEM.
async fn ca_crl(State(state): State<AppState>) -> Response {
    let revoked = match state
        .store
        .read(|tx| reseller_core::certificates::revoked(tx))
        .await
    {
        Ok(revoked) => revoked,
        Err(error) => return failed(error),
    };
    match state.authority.crl(&revoked, state.clock.now()) {
        Ok(pem) => ([(axum::http::header::CONTENT_TYPE, PEM)], pem).into_response(),
        Err(error) => internal(reseller_core::StoreError::fault(error)),
    }
}

/// `POST /_reseller/reset`: back to a fresh demo state. Every customer,
/// order, contact, invoice, mail and other reseller is gone; the demo
/// reseller (id 1) keeps its key and gets its price list and opening
/// funds back; the clock goes back to real time; every instance drops its
/// cached credentials, faults and journal.
async fn reset(State(state): State<AppState>) -> Response {
    if let Err(refused) = reset_all(&state).await {
        return refused.response();
    }
    let mut body = clock_body(&state);
    body["reset"] = json!(true);
    body["demo_auth_userid"] = json!(1);
    reply(StatusCode::OK, body)
}

/// A snapshot's name: 1 to 64 letters, digits, `-` and `_`.
#[allow(clippy::result_large_err)]
pub(crate) fn snapshot_name(name: &str) -> Result<&str, Response> {
    let fits = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(name)
    } else {
        Err(refuse(
            StatusCode::BAD_REQUEST,
            format!("Invalid snapshot name: {name}. It must be 1 to 64 letters, digits, - and _"),
        ))
    }
}

/// Snapshots as the control plane lists them: name, when taken, the
/// clock's offset then.
pub(crate) fn snapshots_json(kept: impl Iterator<Item = (String, i64, Option<i64>)>) -> Value {
    Value::Array(
        kept.map(|(name, created, offset)| {
            json!({"name": name, "created": created, "clock_offset_seconds": offset})
        })
        .collect(),
    )
}

/// `GET /_reseller/snapshots`: the snapshots kept, oldest first.
async fn snapshots(State(state): State<AppState>) -> Response {
    match state.store.snapshots().await {
        Ok(kept) => reply(
            StatusCode::OK,
            snapshots_json(kept.into_iter().map(|(n, c, o)| (n, c, Some(o)))),
        ),
        Err(error) => internal(error),
    }
}

/// A fresh API key for a reseller, which replaces the one before it at
/// once on every instance. Only its digest is kept; the key is answered
/// here and nowhere else. The console's sub-resellers page issues them too.
pub(crate) async fn replace_api_key(
    state: &AppState,
    reseller: ResellerId,
) -> Result<String, reseller_core::Error> {
    let key = crate::auth::new_api_key()?;
    let hash = crate::auth::hash_api_key(&key);
    state
        .store
        .write(move |tx| {
            let mut kept = tx
                .reseller(reseller)?
                .ok_or(reseller_core::RuleError::NotAllowed)?;
            kept.api_key_hash.clone_from(&hash);
            Ok(tx.update_reseller(&kept)?)
        })
        .await?;
    state.keys.forget(reseller);
    Ok(key)
}

/// `POST /_reseller/resellers/<id>/api-key`: a fresh API key for a
/// reseller (a sub-reseller has none until one is issued).
async fn issue_api_key(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let reseller = match named_reseller(&state, Some(&Value::String(id))).await {
        Ok(reseller) => reseller,
        Err(refused) => return refused,
    };
    match replace_api_key(&state, reseller).await {
        Ok(key) => reply(
            StatusCode::OK,
            json!({"auth-userid": reseller.0, "api-key": key}),
        ),
        Err(error) => failed(error),
    }
}

/// `POST /_reseller/snapshots/<name>`: keeps the data and the clock under
/// `name`, replacing a snapshot of that name.
async fn take_snapshot(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let name = match snapshot_name(&name) {
        Ok(name) => name.to_string(),
        Err(refused) => return refused,
    };
    match state.store.snapshot(&name, state.clock.now()).await {
        Ok(()) => reply(StatusCode::OK, json!({"name": name, "taken": true})),
        Err(error) => internal(error),
    }
}

/// `POST /_reseller/snapshots/<name>/restore`: the data and the clock as
/// the snapshot kept them, on every instance.
async fn restore_snapshot(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let name = match snapshot_name(&name) {
        Ok(name) => name.to_string(),
        Err(refused) => return refused,
    };
    if let Err(refused) = restore_named(&state, &name).await {
        return refused.response();
    }
    let mut body = clock_body(&state);
    body["restored"] = json!(name);
    reply(StatusCode::OK, body)
}

fn rules_json(state: &AppState) -> Value {
    serde_json::to_value(state.sandbox.faults()).unwrap_or_default()
}

/// `GET /_reseller/faults`: the rules in force, in order, with the hits
/// each has left.
async fn faults(State(state): State<AppState>) -> Response {
    reply(StatusCode::OK, rules_json(&state))
}

/// `POST /_reseller/faults`: replaces the rules with a JSON list of them;
/// the first rule that matches a call wins.
async fn set_faults(State(state): State<AppState>, body: Bytes) -> Response {
    let parsed: Result<Vec<_>, String> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                FaultRule::parse(item.clone()).map_err(|e| format!("Rule {}: {e}", i + 1))
            })
            .collect(),
        _ => Err("Invalid body. It must be a JSON list of rules, such as [{\"call\": \"backup/us/add\", \"count\": 1, \"status\": 500, \"message\": \"Simulated outage\"}]".into()),
    };
    match parsed {
        Ok(rules) => {
            state.sandbox.set_faults(rules);
            reply(StatusCode::OK, rules_json(&state))
        }
        Err(message) => refuse(StatusCode::BAD_REQUEST, message),
    }
}

/// What a provisioning change asks: `{"reseller": 1, "mode": "realistic"}`
/// (the reseller as a number or a string of digits).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvisioningBody {
    reseller: Option<Value>,
    mode: Option<String>,
}

/// A reseller's provisioning, as the control plane shows it.
fn provisioning_json(reseller: ResellerId, mode: Provisioning) -> Value {
    json!({
        "reseller": reseller.0,
        "mode": mode.as_str(),
        "start_seconds": reseller_core::provisioning::START_SECONDS,
        "complete_seconds": reseller_core::provisioning::COMPLETE_SECONDS,
    })
}

/// The reseller a provisioning call names, which must exist.
async fn named_reseller(state: &AppState, asked: Option<&Value>) -> Result<ResellerId, Response> {
    let Some(id) = asked.and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())) else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "Invalid reseller: it must be a reseller id, a whole number more than 0",
        ));
    };
    let reseller = ResellerId(id);
    match state.store.read(move |tx| Ok(tx.reseller(reseller)?)).await {
        Ok(Some(_)) => Ok(reseller),
        Ok(None) => Err(refuse(StatusCode::NOT_FOUND, format!("No reseller {id}"))),
        Err(error) => Err(failed(error)),
    }
}

/// `GET /_reseller/provisioning?reseller=N`: how a reseller's paid actions
/// are provisioned.
async fn provisioning(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(unknown) = query.keys().find(|k| *k != "reseller") {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("Unknown parameter {unknown}: only reseller is allowed"),
        );
    }
    let asked = query.get("reseller").map(|v| Value::String(v.clone()));
    let reseller = match named_reseller(&state, asked.as_ref()).await {
        Ok(reseller) => reseller,
        Err(refused) => return refused,
    };
    match state
        .store
        .read(move |tx| Ok(tx.provisioning(reseller)?))
        .await
    {
        Ok(mode) => reply(StatusCode::OK, provisioning_json(reseller, mode)),
        Err(error) => failed(error),
    }
}

/// `POST /_reseller/provisioning` with `{"reseller": N, "mode": "instant" |
/// "realistic"}`: sets how that reseller's paid actions are provisioned,
/// from now on.
async fn set_provisioning(State(state): State<AppState>, body: Bytes) -> Response {
    let asked: ProvisioningBody = match serde_json::from_slice(&body) {
        Ok(asked) => asked,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!(
                    "Invalid body: {error}. It must be a JSON object such as {{\"reseller\": 1, \"mode\": \"realistic\"}}"
                ),
            );
        }
    };
    let Some(mode) = asked.mode.as_deref().and_then(Provisioning::parse) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "Invalid mode: it must be instant or realistic",
        );
    };
    let reseller = match named_reseller(&state, asked.reseller.as_ref()).await {
        Ok(reseller) => reseller,
        Err(refused) => return refused,
    };
    match state
        .store
        .write(move |tx| Ok(tx.set_provisioning(reseller, mode)?))
        .await
    {
        Ok(()) => reply(StatusCode::OK, provisioning_json(reseller, mode)),
        Err(error) => failed(error),
    }
}

/// `DELETE /_reseller/faults`: no fault any more.
async fn clear_faults(State(state): State<AppState>) -> Response {
    state.sandbox.set_faults(Vec::new());
    reply(StatusCode::OK, rules_json(&state))
}

/// `GET /_reseller/requests?limit=N`: this instance's newest API requests,
/// newest first, their secrets hidden.
async fn requests(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let limit = match listing(&query, &["limit"], crate::sandbox::JOURNAL_SIZE) {
        Ok(limit) => limit,
        Err(refused) => return refused,
    };
    let entries = state.sandbox.journal(limit);
    reply(
        StatusCode::OK,
        Value::Array(entries.iter().map(|e| e.to_json()).collect()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advance_asks_days_or_seconds() {
        assert_eq!(seconds_asked(br#"{"days": 2}"#), Ok(172_800));
        assert_eq!(seconds_asked(br#"{"seconds": 5}"#), Ok(5));
        for bad in [
            &br#"{"days": 0}"#[..],
            br#"{"days": 1.5}"#,
            br#"{"days": 1, "seconds": 1}"#,
            br#"{}"#,
            br#"{"weeks": 1}"#,
            br#"[1]"#,
            b"days=1",
            br#"{"days": 40000}"#,
        ] {
            assert!(
                seconds_asked(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn a_token_opens_only_itself() {
        let token = AdminToken::new("s3cret");
        assert!(token.opens("s3cret"));
        assert!(!token.opens("s3cret "));
        assert!(!token.opens(""));
    }
}
