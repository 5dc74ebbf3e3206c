//! `orders/suspend` and `orders/unsuspend`: for an order of any product.
//! A Suspended order keeps its term and can be renewed or deleted; every
//! other change to it is refused until it is unsuspended.

use super::action_map;
use crate::routes::{Call, Kind, Routes, Shape, required};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::orders;

pub fn routes(r: &mut Routes) {
    let order = required("order-id", Kind::Id);
    r.post("orders/suspend", |c| Box::pin(suspend(c)))
        .takes(&[order, required("reason", Kind::Text)])
        .answers(Shape::Action)
        .post("orders/unsuspend", |c| Box::pin(unsuspend(c)))
        .takes(&[order])
        .answers(Shape::Action);
}

async fn suspend(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let reason = call.params.required("reason")?.to_string();
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| orders::suspend_order(tx, reseller_id, order_id, &reason, now))
        .await?;
    Ok(action_map(&receipt, false))
}

async fn unsuspend(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| orders::unsuspend_order(tx, reseller_id, order_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}
