//! `actions/search-current` (every action of the reseller's orders) and
//! `actions/search-archived` (those that are over), newest first, with the
//! keys of the action map.

use super::{CURRENCY, action_fields, search_page};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_api::calls::actions::*;
use reseller_core::model::{ActionKind, ActionStatus};
use reseller_core::tx::ActionQuery;

pub fn routes(r: &mut Routes) {
    r.call::<SearchCurrent, _, _>(|c, r: SearchCurrent| {
        let query = Query {
            page: r.page,
            eaq_id: r.eaq_id,
            order_id: r.order_id,
            customer_id: r.customer_id,
            action_type: r.action_type,
        };
        search(c, query, r.action_status, &ActionStatus::ALL)
    })
    .call::<SearchArchived, _, _>(|c, r: SearchArchived| {
        let query = Query {
            page: r.page,
            eaq_id: r.eaq_id,
            order_id: r.order_id,
            customer_id: r.customer_id,
            action_type: r.action_type,
        };
        let wanted = r.action_status.into_iter().map(|s| s.0).collect();
        search(c, query, wanted, &FINISHED)
    });
}

/// What both searches take but the statuses.
struct Query {
    page: reseller_api::calls::Page,
    eaq_id: Vec<reseller_core::ActionId>,
    order_id: Vec<reseller_core::OrderId>,
    customer_id: Vec<reseller_core::CustomerId>,
    action_type: Vec<ActionKind>,
}

/// Actions of the `wanted` statuses, or of all `statuses` the call lists.
async fn search(
    call: Call,
    asked: Query,
    mut wanted: Vec<ActionStatus>,
    statuses: &[ActionStatus],
) -> Result<Reply, ApiError> {
    if wanted.is_empty() {
        wanted = statuses.to_vec();
    }
    let query = ActionQuery {
        reseller_id: call.reseller_id,
        action_ids: asked.eaq_id,
        order_ids: asked.order_id,
        customer_ids: asked.customer_id,
        statuses: wanted,
        kinds: asked.action_type,
        page: asked.page.of_store(),
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
