//! Tenants on the control plane (`/_reseller/tenants`): a test running
//! beside others makes its own reseller in one call, with a clock of its
//! own if it moves time, and keeps, puts back and resets its state
//! without touching anyone else's (the store's `tenants`). The console
//! calls the same functions.

use crate::AppState;
use crate::control::{
    Refused, clock_json, failed, internal, refuse, reply, seconds_asked, snapshot_name,
    snapshots_json,
};
use crate::jobs::{Report, Whose};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use reseller_core::{Money, ResellerId};
use reseller_store::{Tenant, TenantRefusal};
use serde_json::{Value, json};

/// What `POST /_reseller/tenants` takes.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    /// Opening funds in USD, as a decimal string or a number.
    funds: Option<Value>,
    /// Whether it gets a clock of its own.
    #[serde(default)]
    clock: bool,
    name: Option<String>,
}

const NEW_TENANT: &str = "It must be a JSON object with any of \"funds\" (a decimal amount in USD, 0 to 1000000000, as a string or a number), \"clock\" (true or false) and \"name\" (1 to 100 characters)";

/// A new tenant's terms from its body (an empty body takes the defaults:
/// the demo reseller's funds, the global clock).
fn new_tenant(body: &[u8]) -> Result<(String, Money, bool), String> {
    let asked: NewTenant = if body.iter().all(u8::is_ascii_whitespace) {
        NewTenant::default()
    } else {
        serde_json::from_slice(body).map_err(|e| format!("Invalid body: {e}. {NEW_TENANT}"))?
    };
    let funds = match &asked.funds {
        None => crate::DEMO_FUNDS,
        Some(Value::String(text)) => {
            Money::parse(text).map_err(|e| format!("Invalid funds: {text} ({e}). {NEW_TENANT}"))?
        }
        Some(Value::Number(number)) => Money::parse(&number.to_string())
            .map_err(|e| format!("Invalid funds: {number} ({e}). {NEW_TENANT}"))?,
        Some(other) => return Err(format!("Invalid funds: {other}. {NEW_TENANT}")),
    };
    if funds < Money::ZERO || funds > reseller_core::money::MAX_WIRE {
        return Err(format!("Invalid funds: {funds}. {NEW_TENANT}"));
    }
    let name = asked.name.unwrap_or_else(|| "Test tenant".to_string());
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(format!("Invalid name: {name}. {NEW_TENANT}"));
    }
    Ok((name, funds, asked.clock))
}

/// What a tenant call names: a tenant's id.
#[allow(clippy::result_large_err)]
fn tenant_id(id: &str) -> Result<ResellerId, Response> {
    id.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(ResellerId)
        .ok_or_else(|| {
            refuse(
                StatusCode::BAD_REQUEST,
                format!("Invalid tenant id: {id}. It must be a whole number more than 0"),
            )
        })
}

/// What a tenant's snapshot call names: the tenant and the snapshot.
#[allow(clippy::result_large_err)]
fn tenant_snapshot(id: &str, name: &str) -> Result<(ResellerId, String), Response> {
    Ok((tenant_id(id)?, snapshot_name(name)?.to_string()))
}

fn no_tenant(id: ResellerId) -> Refused {
    Refused::NotFound(format!(
        "No tenant has id {}: make one with POST /_reseller/tenants",
        id.0
    ))
}

/// A new tenant, its key answered once (only its digest is kept).
pub async fn create(
    state: &AppState,
    name: String,
    funds: Money,
    clock: bool,
) -> Result<(Tenant, String), reseller_core::Error> {
    let key = crate::auth::new_api_key()?;
    let hash = crate::auth::hash_api_key(&key);
    let now = state.clock.now();
    let tenant = state
        .store
        .create_tenant(name, hash, funds, clock, now)
        .await?;
    state.clock.set_tenant(tenant.id, tenant.clock_offset);
    Ok((tenant, key))
}

/// Moves a tenant's clock forward by `seconds` on every instance and runs
/// its jobs due by then, in time order; no one else's time moves.
pub async fn advance(state: &AppState, id: ResellerId, seconds: i64) -> Result<Report, Refused> {
    let Some((window, advancing)) = state
        .clock
        .claim_tenant(id, seconds)
        .await
        .map_err(Refused::Fault)?
    else {
        return Err(
            match state.store.tenant(id).await.map_err(Refused::Fault)? {
                Some(_) => Refused::Conflict(format!(
                    "Tenant {} has no clock of its own: give it one with POST /_reseller/tenants/{}/clock",
                    id.0, id.0
                )),
                None => no_tenant(id),
            },
        );
    };
    let ran = crate::jobs::run_between(state, window.from, window.to, Whose::Tenant(id)).await;
    drop(advancing);
    let report = ran?;
    state.sandbox.count_jobs(report.count);
    state.clock.tenant_reached(id, window);
    Ok(report)
}

/// A tenant back to what it had when made (its key kept).
pub async fn reset(state: &AppState, id: ResellerId) -> Result<Tenant, Refused> {
    let tenant = state
        .store
        .reset_tenant(id, state.clock.now())
        .await
        .map_err(Refused::Fault)?
        .ok_or_else(|| no_tenant(id))?;
    follow(state, &tenant).await;
    Ok(tenant)
}

/// A tenant's state as its snapshot `name` kept it.
pub async fn restore(state: &AppState, id: ResellerId, name: &str) -> Result<Tenant, Refused> {
    match state
        .store
        .tenant_restore(id, name.to_string())
        .await
        .map_err(Refused::Fault)?
    {
        Ok(tenant) => {
            follow(state, &tenant).await;
            Ok(tenant)
        }
        Err(TenantRefusal::Tenant) => Err(no_tenant(id)),
        Err(TenantRefusal::Snapshot) => Err(Refused::NotFound(format!(
            "Tenant {} has no snapshot named {name}: see GET /_reseller/tenants/{}/snapshots",
            id.0, id.0
        ))),
        Err(TenantRefusal::NamesTaken(names)) => Err(Refused::Conflict(format!(
            "Tenant {}'s snapshot {name} holds domain names another reseller has registered since: {}. A name is registered once on the whole platform; nothing was restored",
            id.0,
            names.join(", ")
        ))),
    }
}

/// Removes a tenant and all it holds.
pub async fn remove(state: &AppState, id: ResellerId) -> Result<(), Refused> {
    match state
        .store
        .delete_tenant(id)
        .await
        .map_err(Refused::Fault)?
    {
        true => {
            state.clock.set_tenant(id, None);
            state.keys.forget_all();
            Ok(())
        }
        false => Err(no_tenant(id)),
    }
}

/// This instance takes a tenant's clock as it now is, and forgets the
/// credentials of resellers a reset or a restore removed (others do so
/// within `auth`'s two seconds).
async fn follow(state: &AppState, tenant: &Tenant) {
    state.clock.set_tenant(tenant.id, tenant.clock_offset);
    state.keys.forget_all();
}

/// A tenant as the control plane shows it.
fn tenant_json(state: &AppState, tenant: &Tenant) -> Value {
    json!({
        "id": tenant.id.0,
        "auth-userid": tenant.id.0,
        "funds": Money(tenant.funds).to_string(),
        "clock": tenant.clock_offset.map(|_| clock_json(state, tenant.id)),
        "created": tenant.created,
    })
}

/// `POST /_reseller/tenants`: a funded reseller with its key and the
/// demo catalogue, and a clock of its own if asked.
pub(crate) async fn post_tenant(State(state): State<AppState>, body: Bytes) -> Response {
    let (name, funds, clock) = match new_tenant(&body) {
        Ok(terms) => terms,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, message),
    };
    match create(&state, name, funds, clock).await {
        Ok((tenant, key)) => {
            let mut body = tenant_json(&state, &tenant);
            body["api-key"] = json!(key);
            reply(StatusCode::OK, body)
        }
        Err(error) => failed(error),
    }
}

/// `GET /_reseller/tenants/<id>`: a tenant, its clock and its funds.
pub(crate) async fn get_tenant(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    match state.store.tenant(id).await {
        Ok(Some(tenant)) => reply(StatusCode::OK, tenant_json(&state, &tenant)),
        Ok(None) => no_tenant(id).response(),
        Err(error) => internal(error),
    }
}

/// `DELETE /_reseller/tenants/<id>`: the tenant and all it holds are gone.
pub(crate) async fn delete_tenant(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    match remove(&state, id).await {
        Ok(()) => reply(StatusCode::OK, json!({"id": id.0, "deleted": true})),
        Err(refused) => refused.response(),
    }
}

/// `GET /_reseller/tenants/<id>/clock`: the time the tenant's calls see.
pub(crate) async fn get_clock(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    answer_clock(&state, id, state.store.tenant(id).await)
}

/// `POST /_reseller/tenants/<id>/clock`: gives the tenant a clock of its
/// own, starting where the global clock stands (a clock it has stays).
pub(crate) async fn attach_clock(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    answer_clock(&state, id, state.store.attach_tenant_clock(id).await)
}

/// A tenant's clock as the database holds it, taken by this instance and
/// answered.
fn answer_clock(
    state: &AppState,
    id: ResellerId,
    found: Result<Option<Tenant>, reseller_core::StoreError>,
) -> Response {
    match found {
        Ok(Some(tenant)) => {
            state.clock.set_tenant(id, tenant.clock_offset);
            reply(StatusCode::OK, clock_json(state, id))
        }
        Ok(None) => no_tenant(id).response(),
        Err(error) => internal(error),
    }
}

/// `POST /_reseller/tenants/<id>/clock/advance`: moves the tenant's clock
/// and runs its jobs due by then; answers when they have run.
pub(crate) async fn advance_clock(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    let seconds = match seconds_asked(&body) {
        Ok(seconds) => seconds,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, message),
    };
    match advance(&state, id, seconds).await {
        Ok(report) => {
            let mut body = clock_json(&state, id);
            crate::control::report_json(&mut body, seconds, &report);
            reply(StatusCode::OK, body)
        }
        Err(refused) => refused.response(),
    }
}

/// `POST /_reseller/tenants/<id>/reset`: the tenant as it was made.
pub(crate) async fn post_reset(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    match reset(&state, id).await {
        Ok(tenant) => {
            let mut body = tenant_json(&state, &tenant);
            body["reset"] = json!(true);
            reply(StatusCode::OK, body)
        }
        Err(refused) => refused.response(),
    }
}

/// `GET /_reseller/tenants/<id>/snapshots`: its snapshots, oldest first.
pub(crate) async fn list_snapshots(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    let id = match tenant_id(&id) {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    match state.store.tenant_snapshots(id).await {
        Ok(Some(kept)) => reply(StatusCode::OK, snapshots_json(kept.into_iter())),
        Ok(None) => no_tenant(id).response(),
        Err(error) => internal(error),
    }
}

/// `POST /_reseller/tenants/<id>/snapshots/<name>`: keeps the tenant's
/// state and clock under `name`, replacing its snapshot of that name.
pub(crate) async fn take_snapshot(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    let (id, name) = match tenant_snapshot(&id, &name) {
        Ok(named) => named,
        Err(refused) => return refused,
    };
    let now = state.clock.now_of(id);
    match state.store.tenant_snapshot(id, name.clone(), now).await {
        Ok(Ok(())) => reply(
            StatusCode::OK,
            json!({"id": id.0, "name": name, "taken": true}),
        ),
        Ok(Err(_)) => no_tenant(id).response(),
        Err(error) => internal(error),
    }
}

/// `POST /_reseller/tenants/<id>/snapshots/<name>/restore`: the tenant's
/// state and clock as its snapshot kept them.
pub(crate) async fn restore_snapshot(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    let (id, name) = match tenant_snapshot(&id, &name) {
        Ok(named) => named,
        Err(refused) => return refused,
    };
    match restore(&state, id, &name).await {
        Ok(_) => {
            let mut body = clock_json(&state, id);
            body["id"] = json!(id.0);
            body["restored"] = json!(name);
            reply(StatusCode::OK, body)
        }
        Err(refused) => refused.response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_tenant_takes_funds_as_text_or_number_and_refuses_the_rest() {
        assert_eq!(
            new_tenant(b"").unwrap(),
            ("Test tenant".into(), crate::DEMO_FUNDS, false)
        );
        assert_eq!(
            new_tenant(br#"{"funds": "1000", "clock": true}"#).unwrap(),
            ("Test tenant".into(), Money(1_000_000), true)
        );
        assert_eq!(new_tenant(br#"{"funds": 12.5}"#).unwrap().1, Money(12_500));
        for bad in [
            r#"{"funds": "-1"}"#,
            r#"{"funds": "1.0001"}"#,
            r#"{"funds": true}"#,
            r#"{"fund": "1"}"#,
            r#"{"clock": "yes"}"#,
            r#"{"name": ""}"#,
            "[]",
        ] {
            let refused = new_tenant(bad.as_bytes()).unwrap_err();
            assert!(
                refused.contains("It must be a JSON object"),
                "{bad}: {refused}"
            );
        }
    }
}
