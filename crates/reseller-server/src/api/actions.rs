//! `actions/search-current`: the actions of the reseller's orders, newest
//! first, with the keys of the action map.

use super::{CURRENCY, action_fields, search_page};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::model::{ActionKind, ActionStatus};
use reseller_core::tx::ActionQuery;

pub fn routes(r: &mut Routes) {
    r.get("actions/search-current", |c| Box::pin(search_current(c)));
}

async fn search_current(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let statuses = p
        .all("action-status")
        .into_iter()
        .map(|s| {
            ActionStatus::parse(s).ok_or_else(|| {
                ApiError::invalid(
                    "action-status",
                    s,
                    "It must be one of PendingExecution, Success, Failed",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let kinds = p
        .all("action-type")
        .into_iter()
        .map(|s| {
            ActionKind::parse(s).ok_or_else(|| {
                ApiError::invalid(
                    "action-type",
                    s,
                    "It must be one of Add, Renew, Delete, AddStorage",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let query = ActionQuery {
        reseller_id: call.reseller_id,
        action_ids: p.ids("eaq-id")?,
        order_ids: p.ids("order-id")?,
        customer_ids: p.ids("customer-id")?,
        statuses,
        kinds,
        page: p.page()?,
    };
    let found = call
        .state
        .store
        .read(move |tx| {
            let found = tx.search_actions(&query)?;
            let mut records = Vec::with_capacity(found.records.len());
            for action in found.records {
                let description = tx
                    .order(action.order_id)?
                    .map(|o| o.description)
                    .unwrap_or_default();
                records.push((action, description));
            }
            Ok(reseller_core::tx::Found {
                total: found.total,
                records,
            })
        })
        .await?;
    Ok(search_page(&found, |(action, description)| {
        let mut map = action_fields(action, description);
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
