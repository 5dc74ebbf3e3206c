//! Serves forwarded names (`domainforward/*`) on the HTTP listener: a
//! request whose `Host` is a forwarded domain or sub-domain is redirected
//! to its destination, or answered with a page that frames it (URL
//! masking), before any route of the API sees it.

use crate::AppState;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use reseller_core::forwarding::{self, Forward};
use std::net::IpAddr;

/// The address forwarded names point at: the host of the public URL when
/// it is an address, else the loopback one.
pub fn address(public_url: &str) -> String {
    let host = host_of(public_url);
    match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => "127.0.0.1".to_string(),
    }
}

/// The host of a URL or of a `Host` header, without scheme, port or path.
fn host_of(text: &str) -> String {
    let rest = text.split("://").nth(1).unwrap_or(text);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = if authority.starts_with('[') {
        authority
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default().to_string()
    };
    host.to_ascii_lowercase()
}

/// Whether a `Host` header may name a forwarded name: a dotted name that
/// is not an address and not the server's own. Looked at as bytes, since
/// every request asks it (an address is the usual answer).
fn may_be_forwarded(host_header: &[u8], own_host: &str) -> bool {
    let host = host_header.split(|b| *b == b':').next().unwrap_or_default();
    match host.first() {
        None | Some(b'0'..=b'9' | b'[') => false,
        Some(_) => host.contains(&b'.') && !host.eq_ignore_ascii_case(own_host.as_bytes()),
    }
}

/// The layer that answers forwarded names before any route; every other
/// request goes straight on, at the cost of a look at its `Host`.
#[derive(Clone)]
pub struct ForwardLayer {
    state: AppState,
    own_host: std::sync::Arc<str>,
}

impl ForwardLayer {
    pub fn new(state: AppState) -> ForwardLayer {
        let own_host = host_of(&state.public_url).into();
        ForwardLayer { state, own_host }
    }
}

impl<S> tower::Layer<S> for ForwardLayer {
    type Service = Forwarded<S>;
    fn layer(&self, inner: S) -> Forwarded<S> {
        Forwarded {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Forwarded<S> {
    inner: S,
    layer: ForwardLayer,
}

type Boxed = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response, std::convert::Infallible>> + Send>,
>;

impl<S> tower::Service<Request> for Forwarded<S>
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = Boxed;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let header = request
            .headers()
            .get(header::HOST)
            .map(|h| h.as_bytes())
            .unwrap_or_default();
        if !may_be_forwarded(header, &self.layer.own_host) {
            return Box::pin(self.inner.call(request));
        }
        // The service made ready is the one that answers; a clone waits.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let state = self.layer.state.clone();
        Box::pin(serve_forwarded(state, request, inner))
    }
}

/// Answers a request whose host may be forwarded: from its forwarding if
/// it has one, else by the routes as usual.
async fn serve_forwarded<S>(
    state: AppState,
    request: Request,
    mut inner: S,
) -> Result<Response, std::convert::Infallible>
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>,
{
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_of)
        .unwrap_or_default();
    let lookup = host.clone();
    let found = state
        .store
        .read(move |tx| forwarding::target(tx, &lookup))
        .await;
    match found {
        Ok(Some(forward)) => {
            let asked = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            Ok(answer(&host, &forward, &asked))
        }
        Ok(None) => inner.call(request).await,
        Err(error) => {
            tracing::error!(%error, "a forwarded name could not be looked up");
            Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// Where a request for `asked` (its path and query) goes.
fn destination(forward: &Forward, asked: &str) -> String {
    let to = forward.to.clone().unwrap_or_default();
    if !forward.path_forwarding || asked == "/" {
        return to;
    }
    format!("{}{}", to.trim_end_matches('/'), asked)
}

fn answer(host: &str, forward: &Forward, asked: &str) -> Response {
    let to = destination(forward, asked);
    if !forward.url_masking {
        let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
        if let Ok(location) = HeaderValue::from_str(&to) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    let page = maud::html! {
        (maud::DOCTYPE)
        html {
            head {
                meta charset="utf-8";
                title { (host) }
                (maud::PreEscaped(forward.meta_tags.as_str()))
            }
            frameset rows="100%" {
                frame src=(to) frameborder="0";
                noframes { (forward.noframes) }
            }
        }
    };
    let mut response = axum::response::Html(page.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; frame-src http: https:; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
