//! The web hosting products' own calls (`*/modify`, `*/modify-pricing`),
//! below each of their prefixes; the standard calls come from their
//! declarations (`api::standard`). The rules are in `reseller_core::hosting`.

use crate::api::{action_map, charge};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::hosting::*;
use reseller_core::catalogue::{Limits, PRODUCTS, Product};
use reseller_core::hosting;

/// The products whose plans are web hosting plans.
pub fn products() -> impl Iterator<Item = Product> {
    PRODUCTS
        .iter()
        .filter(|p| {
            p.plans
                .first()
                .is_some_and(|plan| matches!(plan.limits, Limits::Hosting { .. }))
        })
        .map(|p| p.product)
}

pub fn routes(r: &mut Routes) {
    for product in products() {
        for prefix in product.spec().prefixes {
            let path = |call: &str| format!("{prefix}/{call}");
            r.call_at::<Modify, _, _>(&path("modify"), move |c, a| modify(c, a, product))
                .call_at::<ModifyPricing, _, _>(&path("modify-pricing"), move |c, a| {
                    modify_pricing(c, a, product)
                });
        }
    }
}

async fn modify(call: Call, asked: Modify, product: Product) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let (order_id, plan, months) = (asked.order_id, asked.new_plan_id, asked.months);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            hosting::modify(
                tx,
                reseller_id,
                order_id,
                &[product],
                plan,
                months,
                billing,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn modify_pricing(
    call: Call,
    asked: ModifyPricing,
    product: Product,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let (order_id, plan, months) = (asked.order_id, asked.new_plan_id, asked.months);
    let quote = call
        .state
        .store
        .read(move |tx| {
            let order =
                reseller_core::orders::order_of_product(tx, reseller_id, order_id, &[product])?;
            hosting::quote(tx, &order, plan, months, now)
        })
        .await?;
    let mut map = MapReply::with_capacity(5);
    map.put("upgradecost", Reply::Number(quote.upgrade))
        .put("modifiedOrderPrice", Reply::Number(quote.modified))
        .text("endtime", quote.endtime.to_string())
        .put(
            "remainingmonths",
            Reply::Int(i64::from(quote.remaining_months)),
        )
        .put("currentOrderPrice", Reply::Number(quote.current));
    Ok(map.build())
}
