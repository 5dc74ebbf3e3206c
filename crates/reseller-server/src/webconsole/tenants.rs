//! The admin's tenants page: the tenants tests made (`crate::tenants`),
//! their funds and clocks; one made by hand (its key shown once), one
//! reset or removed.

use super::*;
use reseller_core::Money;

pub(super) async fn tenants(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(asked): Query<Asked>,
) -> Response {
    tenants_page(&state, &session, session.reseller(asked.reseller), None).await
}

/// What a post did, shown above the list.
enum Done {
    Made { id: ResellerId, key: String },
    Said(String),
}

async fn tenants_page(
    state: &AppState,
    session: &Session,
    reseller: ResellerId,
    done: Option<Done>,
) -> Response {
    let tenants = match state.store.tenants().await {
        Ok(tenants) => tenants,
        Err(error) => return store_failure(error),
    };
    let body = html! {
        p { "A tenant is a reseller a test makes for itself (" code { "POST /_reseller/tenants" } "), with a clock of its own if it moves time: its reset, snapshots and clock touch no one else." }
        @match &done {
            Some(Done::Made { id, key }) => p role="status" {
                "Tenant " (id.0) " made. Its key, shown this once: " code #tenant-key { (key) }
            },
            Some(Done::Said(said)) => p role="status" { (said) },
            None => {},
        }
        table {
            caption { "Tenants" }
            thead { tr { th scope="col" { "Tenant" } th scope="col" { "Opening funds" } th scope="col" { "Its calls see" } th scope="col" { "Reset or remove" } } }
            tbody {
                @for tenant in &tenants {
                    tr.tenant {
                        td { a href=(format!("/console/clock?reseller={}", tenant.id.0)) { (tenant.id.0) } }
                        td { (Money(tenant.funds)) " USD" }
                        td {
                            (format_utc(state.clock.now_of(tenant.id)))
                            @if tenant.clock_offset.is_some() { " (its own clock)" } @else { " (the global clock)" }
                        }
                        td {
                            form method="post" action="/console/tenants/reset" data-confirm="Reset this tenant to what it had when made?" {
                                (form_fields(session, reseller))
                                input type="hidden" name="tenant" value=(tenant.id.0);
                                button type="submit" { "Reset " (tenant.id.0) }
                            }
                            form method="post" action="/console/tenants/delete" data-confirm="Remove this tenant and all it holds?" {
                                (form_fields(session, reseller))
                                input type="hidden" name="tenant" value=(tenant.id.0);
                                button.danger type="submit" { "Remove " (tenant.id.0) }
                            }
                        }
                    }
                }
            }
        }
        form method="post" action="/console/tenants" {
            (form_fields(session, reseller))
            fieldset {
                legend { "Make a tenant" }
                label for="funds" { "Opening funds (USD)" }
                input #funds name="funds" inputmode="decimal" value="10000" required;
                label for="clock" { "A clock of its own" }
                input #clock name="clock" type="checkbox" value="true";
                button type="submit" { "Make the tenant" }
            }
        }
    };
    page(session, "Tenants", reseller, body)
}

pub(super) async fn make(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
) -> Response {
    let funds = form
        .get("funds")
        .and_then(|f| Money::parse(f).ok())
        .filter(|f| *f >= Money::ZERO && *f <= reseller_core::money::MAX_WIRE);
    let Some(funds) = funds else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "Opening funds must be an amount in USD, 0 to 1000000000, with at most three decimals.",
        );
    };
    let clock = form.get("clock").is_some_and(|c| c == "true");
    match crate::tenants::create(&state, "Test tenant".to_string(), funds, clock).await {
        Ok((tenant, key)) => {
            tenants_page(
                &state,
                &session,
                reseller,
                Some(Done::Made { id: tenant.id, key }),
            )
            .await
        }
        Err(error) => store_failure(error),
    }
}

/// The tenant a form names.
fn named(form: &std::collections::HashMap<String, String>) -> Option<ResellerId> {
    form.get("tenant")
        .and_then(|t| t.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .map(ResellerId)
}

/// What the admin does to one tenant from the list.
enum Act {
    Reset,
    Remove,
}

pub(super) async fn reset(state: State<AppState>, post: AdminPost) -> Response {
    act(state, post, Act::Reset).await
}

pub(super) async fn remove(state: State<AppState>, post: AdminPost) -> Response {
    act(state, post, Act::Remove).await
}

async fn act(
    State(state): State<AppState>,
    AdminPost {
        session,
        form,
        reseller,
    }: AdminPost,
    act: Act,
) -> Response {
    let Some(tenant) = named(&form) else {
        return refusal(StatusCode::BAD_REQUEST, "Name a tenant by its id.");
    };
    let done = match act {
        Act::Reset => crate::tenants::reset(&state, tenant).await.map(|_| "reset"),
        Act::Remove => crate::tenants::remove(&state, tenant)
            .await
            .map(|()| "removed"),
    };
    match done {
        Ok(done) => {
            let said = format!("Tenant {} {done}.", tenant.0);
            tenants_page(&state, &session, reseller, Some(Done::Said(said))).await
        }
        Err(refused) => super::sandbox::control_refusal(refused),
    }
}
