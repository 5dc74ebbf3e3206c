//! The admin's sandbox pages: the clock and the jobs an advance ran,
//! fault rules, the live request journal, snapshots and reset.

use super::accounts::order_href;
use super::*;

pub(super) async fn clock(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(asked): Query<Asked>,
) -> Response {
    clock_page(&state, &session, session.reseller(asked.reseller), None)
}

fn clock_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    ran: Option<crate::jobs::Report>,
) -> Response {
    let own = state.clock.tenant_offset(reseller);
    let offset = state.clock.offset_of(reseller);
    let body = html! {
        @if own.is_some() {
            p { "Reseller " (reseller.0) " is a tenant with a clock of its own: its calls see " strong #now { (format_utc(state.clock.now_of(reseller))) } ", " (offset / 86_400) " days ahead of real time. An advance here moves its clock alone." }
        } @else {
            p { "Every API call sees " strong #now { (format_utc(state.clock.now())) } ", " (offset / 86_400) " days ahead of real time." }
        }
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

pub(super) async fn advance(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
) -> Response {
    let days = match form.get("days").and_then(|d| d.trim().parse::<i64>().ok()) {
        Some(days) if (1..=36_600).contains(&days) => days,
        _ => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "Days must be a whole number from 1 to 36600.",
            );
        }
    };
    let advanced = match state.clock.tenant_offset(reseller) {
        Some(_) => crate::tenants::advance(&state, reseller, days * 86_400).await,
        None => control::advance_by(&state, days * 86_400).await,
    };
    match advanced {
        Ok(report) => clock_page(&state, &session, reseller, Some(report)),
        Err(refused) => control_refusal(refused),
    }
}

pub(super) fn control_refusal(refused: Refused) -> Response {
    match refused {
        Refused::Fault(error) => store_failure(error),
        Refused::Conflict(message) => refusal(StatusCode::CONFLICT, &message),
        Refused::NotFound(message) => refusal(StatusCode::NOT_FOUND, &message),
    }
}

pub(super) async fn faults(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(asked): Query<Asked>,
) -> Response {
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
                            @if let Some((status, message)) = r.answer() { "HTTP " (status) ": " (message) " " }
                            @if r.latency_ms > 0 { "waits " (r.latency_ms) " ms " }
                            @if r.drop { "drops the connection" }
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

pub(super) async fn add_fault(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
) -> Response {
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
    match FaultRule::parse(serde_json::Value::Object(rule)) {
        Ok(rule) => {
            let mut rules = state.sandbox.faults();
            rules.push(rule);
            state.sandbox.set_faults(rules);
            faults_page(&state, &session, reseller, None)
        }
        Err(message) => faults_page(&state, &session, reseller, Some(&message)),
    }
}

pub(super) async fn clear_faults(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller: _,
    }: AdminPost,
) -> Response {
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

pub(super) async fn journal(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(asked): Query<Asked>,
) -> Response {
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
pub(super) async fn journal_events(State(state): State<AppState>, _: Admin) -> Response {
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

pub(super) async fn snapshots(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(asked): Query<Asked>,
) -> Response {
    snapshots_page(
        &state,
        &session,
        session.reseller(asked.reseller),
        asked.done.as_deref(),
    )
    .await
}

pub(super) async fn snapshots_page(
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

pub(super) async fn take_snapshot(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
) -> Response {
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

pub(super) async fn restore_snapshot(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
) -> Response {
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

pub(super) async fn reset(
    State(state): State<AppState>,
    AdminPost {
        session,
        form: _,
        reseller: _,
    }: AdminPost,
) -> Response {
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
