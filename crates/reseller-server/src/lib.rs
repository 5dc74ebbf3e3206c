//! The HTTP server of the LogicBoxes reseller API: the wire layer, one
//! module per API category, the sandbox control plane under `/_reseller/`,
//! the OpenAPI description, the web console under `/console/` and the
//! pages the mailed links open.
//!
//! Every `/api/...` request goes through [`dispatch`]: find the call in the
//! route table, check the method, merge the parameters, authenticate,
//! refuse what the call does not declare, parse the call's type
//! (`reseller_api::calls`), run its handler, render JSON or XML.

pub mod api;
pub mod auth;
pub mod ca;
pub mod clock;
pub mod console;
pub mod control;
pub mod coverage;
pub mod dns_server;
pub mod forward;
pub mod jobs;
pub mod mail_delivery;
pub mod openapi;
pub mod routes;
pub mod sandbox;
pub mod tenants;
pub mod transfer;
pub mod verification;
// A console refusal is a whole page (`Response`), handed back as an `Err`.
#[allow(clippy::result_large_err)]
pub mod webconsole;
pub mod wire;

use crate::routes::{Call, RouteTable};
use crate::wire::{ApiError, Format, Params, reply};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Method, Request, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use reseller_core::{Money, ResellerId};
use reseller_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// The largest request body we read; longer ones are refused in the envelope.
pub const MAX_BODY: usize = 64 * 1024;

/// How the server protects itself from clients that misbehave; each is a
/// setting of `reseller serve` (README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Time a client has to send a request's headers.
    pub header_timeout: std::time::Duration,
    /// Time a client has to send a request's body once its headers are in.
    pub body_timeout: std::time::Duration,
    /// Failed authentications a client address may make in a minute; past
    /// it every request from that address gets the credentials error.
    pub auth_failures_per_minute: u32,
    /// The port the server fetches an SSL validation file from, at the
    /// domain's address: 80, as certificate authorities do, or another
    /// where a test serves it.
    pub validation_http_port: u16,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(30),
            auth_failures_per_minute: 30,
            validation_http_port: 80,
        }
    }
}

/// Everything a request may need, shared by all of them.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub clock: clock::Clock,
    pub keys: auth::KeyCache,
    pub console: console::Signer,
    /// The sandbox certificate authority, as the database keeps it.
    pub authority: ca::Authority,
    /// Base of the absolute URLs we hand out (auto-login links).
    pub public_url: String,
    pub limits: Limits,
    routes: RouteTable,
    /// The description of the API, made once from the route table.
    openapi: String,
    /// What opens the control plane; none until the server is given one.
    admin: std::sync::RwLock<Option<control::AdminToken>>,
    /// The faults injected into calls, and the journal of requests.
    pub sandbox: sandbox::Sandbox,
    /// The reset generation this instance's caches belong to.
    generation: std::sync::atomic::AtomicI64,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub async fn new(
        store: Store,
        public_url: String,
    ) -> Result<AppState, reseller_core::StoreError> {
        AppState::with_limits(store, public_url, Limits::default()).await
    }

    pub async fn with_limits(
        store: Store,
        public_url: String,
        limits: Limits,
    ) -> Result<AppState, reseller_core::StoreError> {
        let console_key = store.secret("console-signing-key").await?;
        let authority = ca::Authority::load(&store)
            .await
            .map_err(reseller_core::StoreError::fault)?;
        let keys = auth::KeyCache::default();
        keys.limit_failures(limits.auth_failures_per_minute);
        let clock = clock::Clock::open(store.clone()).await?;
        let generation = store.counter(reseller_store::RESET_GENERATION, 0).await?;
        let routes = routes::table();
        Ok(AppState(Arc::new(Inner {
            store,
            clock,
            keys,
            console: console::Signer::new(console_key.as_bytes()),
            authority,
            public_url: public_url.trim_end_matches('/').to_string(),
            limits,
            openapi: openapi::document(&routes).to_string(),
            routes,
            admin: std::sync::RwLock::new(None),
            sandbox: sandbox::Sandbox::default(),
            generation: std::sync::atomic::AtomicI64::new(generation),
        })))
    }

    /// The time a reseller's line sees, for pages no API call signs in
    /// (a link opened from a mail): its tenant's clock, or the global one.
    pub async fn now_of_reseller(&self, reseller: ResellerId) -> reseller_core::Result<i64> {
        if self.clock.tenant_clocks().is_empty() {
            return Ok(self.clock.now());
        }
        let top = self
            .store
            .read(move |tx| Ok(reseller_core::resellers::top_of(tx, reseller)?))
            .await?;
        Ok(self.clock.now_of(top))
    }

    /// Opens the control plane to `token` (`--admin-token`).
    pub fn set_admin_token(&self, token: &str) {
        let mut admin = self.admin.write().unwrap_or_else(|e| e.into_inner());
        *admin = Some(control::AdminToken::new(token));
    }

    pub fn admin_token(&self) -> Option<control::AdminToken> {
        *self.admin.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the reset generation the database holds: a reset elsewhere
    /// (or here) drops this instance's cached credentials, faults and
    /// journal.
    pub fn follow_reset(&self, generation: i64) {
        use std::sync::atomic::Ordering;
        if self.generation.swap(generation, Ordering::Relaxed) != generation {
            self.keys.forget_all();
            self.sandbox.clear();
        }
    }
}

pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_json))
        .route(
            "/openapi",
            get(|| async { axum::response::Html(openapi::PAGE) }),
        )
        .route(
            "/openapi.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], openapi::STYLE) }),
        )
        .route(
            "/openapi.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], openapi::SCRIPT) }),
        )
        .route("/console/backup/{token}", get(console::page))
        .route("/console/hosting/{token}", get(console::hosting_page))
        .route("/nixi/verify/{token}", get(verification::open_nixi))
        .route("/raa/verify/{token}", get(verification::open_raa))
        .route("/ssl/approve/{token}", get(verification::open_ssl))
        .route(
            "/irtp/gaining/{token}",
            get(verification::open_irtp_gaining),
        )
        .route("/irtp/losing/{token}", get(verification::open_irtp_losing))
        .route("/transfer/approve/{token}", get(transfer::open))
        .nest("/_reseller", control::routes(&state))
        .nest("/console", webconsole::routes())
        .route("/console/", get(webconsole::home))
        .fallback(dispatch)
        .layer(axum::middleware::map_response(page_headers))
        // Outermost: a forwarded name is answered before any route, with
        // headers of its own (its masking page frames another site).
        .layer(forward::ForwardLayer::new(state.clone()))
        .with_state(state)
}

/// What every page (the console, `/openapi`, the pages mailed links open)
/// is sent with: it loads nothing from elsewhere and runs nothing inline,
/// cannot be framed, sends no referrer, and its type is not guessed.
async fn page_headers(mut response: Response) -> Response {
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if page {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                 base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    response
}

async fn dispatch(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request<Body>,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let Some((call, format)) = split_api_path(uri.path()) else {
        return reply::render_error(Format::Json, &ApiError::UnknownCall(uri.path().to_string()));
    };
    let mut sent = Sent::default();
    let outcome = handle(&state, &method, call, peer, request, &mut sent).await;
    if matches!(outcome, Err(ApiError::Dropped)) {
        let mut response = Response::default();
        response.extensions_mut().insert(DropConnection);
        return response;
    }
    // Paths that are no call are counted together: any client can make them.
    let label = if matches!(outcome, Err(ApiError::UnknownCall(_))) {
        "unknown"
    } else {
        call
    };
    let excerpt = if sandbox::SECRET_REPLIES.contains(&call) {
        0
    } else {
        sandbox::EXCERPT_CHARS
    };
    let (response, reply) = match outcome {
        Ok(body) => reply::rendered(format, 200, &body, excerpt),
        Err(error) if call.starts_with("mail/") && error.in_mail_dialect() => {
            reply::rendered_mail_error(format, &error, excerpt)
        }
        Err(error) => reply::rendered_error(format, &error, excerpt),
    };
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    tracing::debug!(
        http.method = %method,
        api.call = call,
        http.status = status,
        duration_ms,
        "request"
    );
    state.sandbox.record(
        sandbox::Entry {
            time: state.clock.now(),
            method,
            call: call.to_string(),
            params: sandbox::redacted(&sent.query, &sent.body),
            status,
            reply,
            duration_ms,
        },
        label,
    );
    response
}

/// `GET /openapi.json`: the description of the API (`openapi`).
async fn openapi_json(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.clone(),
    )
        .into_response()
}

/// `GET /metrics`: this instance's counts in the Prometheus text format.
async fn metrics(State(state): State<AppState>) -> Response {
    let mut response = axum::response::IntoResponse::into_response(state.sandbox.metrics());
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// What a request sent, for the journal.
#[derive(Default)]
struct Sent {
    query: String,
    body: String,
}

/// Marks a response whose connection is to close unanswered (a fault).
#[derive(Clone, Copy)]
struct DropConnection;

/// `/api/backup/us/add.json` → (`backup/us/add`, JSON).
fn split_api_path(path: &str) -> Option<(&str, Format)> {
    let rest = path.strip_prefix("/api/")?;
    if let Some(call) = rest.strip_suffix(".json") {
        Some((call, Format::Json))
    } else {
        rest.strip_suffix(".xml").map(|call| (call, Format::Xml))
    }
}

async fn handle(
    state: &AppState,
    method: &Method,
    call: &str,
    peer: SocketAddr,
    request: Request<Body>,
    sent: &mut Sent,
) -> Result<wire::reply::Reply, ApiError> {
    let route = state
        .routes
        .get(call)
        .ok_or_else(|| ApiError::UnknownCall(format!("/api/{call}")))?;
    if !route.allows(method) {
        return Err(ApiError::WrongMethod {
            call: format!("/api/{call}"),
            allowed: route.method_name(),
            allow_header: route.allow_header(),
            used: method.to_string(),
        });
    }
    let query = request.uri().query().unwrap_or("").to_string();
    // A body is a form or nothing: JSON, multipart or text would land in
    // the parameters (and the journal) as one name holding the whole text.
    let form = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_none_or(|t| {
            let mime = t.split(';').next().unwrap_or_default().trim();
            mime.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    let body = request.into_body();
    // An empty body (a GET, say) needs no timer: there is nothing to wait for.
    let body = if axum::body::HttpBody::is_end_stream(&body) {
        Ok(axum::body::Bytes::new())
    } else {
        tokio::time::timeout(
            state.limits.body_timeout,
            axum::body::to_bytes(body, MAX_BODY),
        )
        .await
        .map_err(|_| ApiError::BodyTimeout)?
    };
    let body = body.map_err(|error| {
        let too_large = error
            .into_inner()
            .downcast_ref::<http_body_util::LengthLimitError>()
            .is_some();
        if too_large {
            ApiError::BodyTooLarge(MAX_BODY)
        } else {
            ApiError::BodyMalformed
        }
    })?;
    if std::str::from_utf8(&body).is_err() || (!form && !body.is_empty()) {
        return Err(ApiError::BodyNotForm);
    }
    let mut params = Params::parse(&query, &body);
    if !body.is_empty() {
        sent.body = String::from_utf8_lossy(&body).into_owned();
    }
    sent.query = query;
    let user_id = params
        .credential("auth-userid")?
        .ok_or(ApiError::MissingParam("auth-userid"))?;
    if let Some(hit) = state.sandbox.hit(call, user_id.parse().ok()) {
        if hit.latency_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(hit.latency_ms)).await;
        }
        if hit.drop {
            return Err(ApiError::Dropped);
        }
        if let Some((status, message)) = hit.status {
            return Err(ApiError::Simulated { status, message });
        }
    }
    let api_key = params
        .credential("api-key")?
        .ok_or(ApiError::MissingParam("api-key"))?;
    let signed = state
        .keys
        .authenticate(&state.store, user_id, api_key, peer.ip())
        .await?;
    params.declare(route.params.clone())?;
    let reply = (route.handler)(
        Call {
            state: state.clone(),
            reseller_id: signed.reseller,
            now: state.clock.now_of(signed.top),
        },
        &params,
    )
    .await?;
    debug_assert!(
        routes::fits(route.reply, &reply),
        "the reply of {call} is not the declared {:?}",
        route.reply
    );
    Ok(reply)
}

/// Opening balance of the demo reseller when `RESELLER_DEMO_FUNDS` is not set.
pub const DEMO_FUNDS: Money = Money(10_000_000);

/// What `serve` prints about the demo reseller on an empty database.
pub struct DemoReseller {
    pub auth_userid: ResellerId,
    pub api_key: String,
}

/// Creates the demo reseller and catalogue if the database has no reseller;
/// otherwise adds the catalogue's plans and prices an older release did not have.
pub async fn ensure_demo(
    store: &Store,
    api_key: Option<String>,
    funds: Money,
    now: i64,
) -> Result<Option<DemoReseller>, reseller_core::Error> {
    let api_key = match api_key {
        Some(key) => key,
        None => auth::new_api_key()?,
    };
    let hash = auth::hash_api_key(&api_key);
    let created = store
        .write(move |tx| {
            if tx.reseller(ResellerId(1))?.is_some() {
                reseller_core::accounts::ensure_catalogue(tx)?;
                reseller_core::accounts::ensure_price_lists(tx)?;
                return Ok(None);
            }
            reseller_core::accounts::create_reseller(tx, "Demo Reseller", &hash, funds, now)
                .map(Some)
        })
        .await?;
    Ok(created.map(|reseller| DemoReseller {
        auth_userid: reseller.id,
        api_key,
    }))
}

/// Takes the clock's offset from the database twice a second, so that an
/// advance on another instance reaches this one.
async fn keep_clock(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    loop {
        tick.tick().await;
        if let Err(error) = state.clock.refresh().await {
            tracing::warn!(%error, "cannot read the clock");
        }
        match state
            .store
            .counter(reseller_store::RESET_GENERATION, 0)
            .await
        {
            Ok(generation) => state.follow_reset(generation),
            Err(error) => tracing::warn!(%error, "cannot read the reset generation"),
        }
    }
}

/// Serves HTTP/1.1 on `listener` until `shutdown`, then lets the requests
/// in flight finish and closes the store. Each connection is hyper's, with a
/// timer, so that a client that never finishes its headers is cut off
/// after `Limits::header_timeout` (axum's own `serve` sets no timer).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::Service;
    let store = state.store.clone();
    let header_timeout = state.limits.header_timeout;
    let clock_keeper = tokio::spawn(keep_clock(state.clone()));
    let job_keeper = tokio::spawn(jobs::keep_running(state.clone()));
    let app = router(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors, say: wait a moment rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                let answered = app.clone().call(request);
                async move {
                    let Ok(response) = answered.await;
                    // An injected fault: the connection closes unanswered.
                    if response.extensions().get::<DropConnection>().is_some() {
                        return Err(std::io::Error::other("dropped by a sandbox fault"));
                    }
                    Ok(response)
                }
            });
        // A client may half-close after its request and still wait for
        // the answer; hyper would drop such a connection otherwise.
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .half_close(true)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended");
            }
        });
    }
    drop(listener);
    clock_keeper.abort();
    job_keeper.abort();
    graceful.shutdown().await;
    store.close();
    Ok(())
}
