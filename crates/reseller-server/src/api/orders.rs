//! `orders/suspend` and `orders/unsuspend`: for an order of any product.
//! A Suspended order keeps its term and can be renewed or deleted; every
//! other change to it is refused until it is unsuspended.

use super::action_map;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_api::calls::orders::*;
use reseller_core::orders;

pub fn routes(r: &mut Routes) {
    r.call::<Suspend, _, _>(suspend)
        .call::<Unsuspend, _, _>(unsuspend);
}

async fn suspend(call: Call, asked: Suspend) -> Result<Reply, ApiError> {
    let (order_id, reason) = (asked.order_id, asked.reason);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| orders::suspend_order(tx, reseller_id, order_id, &reason, now))
        .await?;
    Ok(action_map(&receipt, false))
}

async fn unsuspend(call: Call, asked: Unsuspend) -> Result<Reply, ApiError> {
    let (order_id, reason) = (asked.order_id, asked.reason);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| orders::unsuspend_order(tx, reseller_id, order_id, reason.as_deref(), now))
        .await?;
    Ok(action_map(&receipt, false))
}
