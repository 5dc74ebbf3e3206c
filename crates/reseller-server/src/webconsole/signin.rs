//! Signing in and out, and the overview a session opens on.

use super::*;

/// `GET /console/`: the overview, or the sign-in form.
pub(crate) async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Response {
    let session = match session::current(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return sign_in_page(None),
        Err(failed) => return failed,
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
    // The reseller's own time: a tenant's clock, for it and below it.
    let now = match state.now_of_reseller(reseller).await {
        Ok(now) => now,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        p { "The clock reads " strong #clock-now { (format_utc(now)) } "." }
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

pub(super) async fn sign_in(
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
        // Wrong tokens count against the address as wrong API keys do.
        let (failures, now) = (state.keys.failures(), std::time::Instant::now());
        let blocked = failures.blocked(peer.ip(), now);
        match state.admin_token() {
            Some(admin) if !blocked && admin.opens(token) => Who::Admin,
            _ => {
                failures.failed(peer.ip(), now);
                return sign_in_page(Some("That admin token does not open this console."));
            }
        }
    } else if let (Some(user), Some(key)) = (field("auth-userid"), field("api-key")) {
        match state
            .keys
            .authenticate(&state.store, user, key, peer.ip())
            .await
        {
            Ok(signed) => Who::Reseller(signed.reseller),
            Err(error) => return sign_in_page(Some(&error.to_string())),
        }
    } else {
        return sign_in_page(Some(
            "Give an auth-userid and its api-key, or the admin token.",
        ));
    };
    let token = match session_token(&state, who, crate::clock::Clock::real_now()) {
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

/// Ends the session on the server too: its cookie and form token, kept
/// by anyone, open nothing afterwards.
pub(super) async fn sign_out(State(state): State<AppState>, posted: Posted) -> Response {
    let (nonce, expires) = (posted.session.nonce, posted.session.expires);
    let now = crate::clock::Clock::real_now();
    if state
        .store
        .write(move |tx| Ok(tx.sign_out_console(nonce, expires, now)?))
        .await
        .is_err()
    {
        return failure("The session could not be ended");
    }
    let mut response = Redirect::to("/console/").into_response();
    let (name, value) = set_cookie(SESSION_COOKIE, "", 0);
    response.headers_mut().append(name, value);
    response
}
