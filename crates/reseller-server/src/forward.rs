//! Serves forwarded names (`domainforward/*`) on the HTTP listener: a
//! request whose `Host` is a forwarded domain or sub-domain is redirected
//! to its destination, or answered with a page that frames it (URL
//! masking), before any route of the API sees it.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
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

/// Whether a host may be a forwarded name: a dotted name that is not an
/// address and not the server's own.
fn may_be_forwarded(host: &str, public_url: &str) -> bool {
    host.contains('.')
        && host.trim_matches(['[', ']']).parse::<IpAddr>().is_err()
        && host != host_of(public_url)
}

/// The middleware: forwarded names are answered here, the rest go on.
pub async fn serve_forwarded(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(host_of)
        .unwrap_or_default();
    if !may_be_forwarded(&host, &state.public_url) {
        return next.run(request).await;
    }
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
            answer(&host, &forward, &asked)
        }
        Ok(None) => next.run(request).await,
        Err(error) => {
            tracing::error!(%error, "a forwarded name could not be looked up");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
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
