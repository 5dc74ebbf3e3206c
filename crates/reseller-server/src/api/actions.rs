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
        search(c, r.of, r.action_type, r.action_status, &ActionStatus::ALL)
    })
    .call::<SearchArchived, _, _>(|c, r: SearchArchived| {
        let wanted = r.action_status.into_iter().map(|s| s.0).collect();
        search(c, r.of, r.action_type, wanted, &FINISHED)
    });
}

/// Actions of the `wanted` statuses, or of all `statuses` the call lists.
async fn search(
    call: Call,
    of: ActionsOf,
    kinds: Vec<ActionKind>,
    mut wanted: Vec<ActionStatus>,
    statuses: &[ActionStatus],
) -> Result<Reply, ApiError> {
    if wanted.is_empty() {
        wanted = statuses.to_vec();
    }
    let query = ActionQuery {
        reseller_id: call.reseller_id,
        action_ids: of.eaq_id,
        order_ids: of.order_id,
        customer_ids: of.customer_id,
        statuses: wanted,
        kinds,
        page: of.page.of_store(),
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
