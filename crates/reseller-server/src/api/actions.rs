//! `actions/search-current` (every action of the reseller's orders) and
//! `actions/search-archived` (those that are over), newest first, with the
//! keys of the action map.

use super::{CURRENCY, PAGE, action_fields, search_page};
use crate::routes::{Call, Kind, Param, Routes, Shape, repeated};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::catalogue::action_kinds;
use reseller_core::model::{ActionKind, ActionStatus};
use reseller_core::tx::ActionQuery;

pub fn routes(r: &mut Routes) {
    r.get("actions/search-current", |c| Box::pin(search_current(c)))
        .takes(PAGE)
        .takes(&filters(|| {
            ActionStatus::ALL.iter().map(|s| s.as_str()).collect()
        }))
        .answers(Shape::Search)
        .get("actions/search-archived", |c| Box::pin(search_archived(c)))
        .takes(PAGE)
        .takes(&filters(|| FINISHED.iter().map(|s| s.as_str()).collect()))
        .answers(Shape::Search);
}

/// The filters of an action search, whose statuses are `statuses`.
fn filters(statuses: fn() -> Vec<&'static str>) -> [Param; 5] {
    [
        repeated("eaq-id", Kind::Id),
        repeated("order-id", Kind::Id),
        repeated("customer-id", Kind::Id),
        repeated("action-status", Kind::OneOf(statuses)),
        repeated(
            "action-type",
            Kind::OneOf(|| action_kinds().iter().map(|k| k.as_str()).collect()),
        ),
    ]
}

/// The statuses of an action that is over, which `search-archived` lists.
const FINISHED: [ActionStatus; 2] = [ActionStatus::Success, ActionStatus::Failed];

async fn search_current(call: Call) -> Result<Reply, ApiError> {
    search(call, &ActionStatus::ALL).await
}

/// The actions that are over (Success or Failed); `action-status` takes only those.
async fn search_archived(call: Call) -> Result<Reply, ApiError> {
    search(call, &FINISHED).await
}

/// An action search over actions of `statuses`.
async fn search(call: Call, statuses: &[ActionStatus]) -> Result<Reply, ApiError> {
    let p = &call.params;
    let mut wanted = p.all_of("action-status", statuses, ActionStatus::as_str)?;
    if wanted.is_empty() {
        wanted = statuses.to_vec();
    }
    let kinds = p.all_of("action-type", &action_kinds(), ActionKind::as_str)?;
    let query = ActionQuery {
        reseller_id: call.reseller_id,
        action_ids: p.ids("eaq-id")?,
        order_ids: p.ids("order-id")?,
        customer_ids: p.ids("customer-id")?,
        statuses: wanted,
        kinds,
        page: p.page()?,
    };
    let found = call
        .state
        .store
        .read(move |tx| Ok(tx.search_actions(&query)?))
        .await?;
    Ok(search_page(&found, |record| {
        let action = &record.action;
        let mut map = action_fields(action, &record.order_description);
        map.id("customerid", action.customer_id)
            .id("creationtime", action.created);
        if let Some(invoice) = action.invoice_id {
            map.id("invoiceid", invoice)
                .text("sellingcurrencysymbol", CURRENCY)
                .money("sellingamount", -action.selling);
        }
        map
    }))
}
