//! The servers a backup attaches to: VPS Linux US (`vps/linux/us`) and
//! Dedicated Server Linux US (`dedicatedserver/linux/us`), on the shared
//! order engine.

use super::{action_map, billing, domain_name, order_details};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::catalogue::Product;
use reseller_core::model::OrderAttrs;
use reseller_core::orders::{self, NewOrder};

pub fn routes(r: &mut Routes) {
    r.post("vps/linux/us/add", |c| {
        Box::pin(add(c, Product::VpsLinuxUs))
    })
    .post("vps/linux/us/renew", |c| {
        Box::pin(renew(c, Product::VpsLinuxUs))
    })
    .get("vps/linux/us/details", |c| {
        Box::pin(details(c, Product::VpsLinuxUs))
    })
    .get("vps/linux/us/search", |c| {
        Box::pin(super::search(c, Product::VpsLinuxUs))
    })
    .post("vps/linux/us/delete", |c| {
        Box::pin(super::delete(c, Product::VpsLinuxUs))
    })
    .get("vps/linux/us/orderid", |c| {
        Box::pin(super::order_id(c, Product::VpsLinuxUs))
    })
    .post("dedicatedserver/linux/us/add", |c| {
        Box::pin(add(c, Product::DedicatedLinuxUs))
    })
    .post("dedicatedserver/linux/us/renew", |c| {
        Box::pin(renew(c, Product::DedicatedLinuxUs))
    })
    .get("dedicatedserver/linux/us/details", |c| {
        Box::pin(details(c, Product::DedicatedLinuxUs))
    })
    .get("dedicatedserver/linux/us/search", |c| {
        Box::pin(super::search(c, Product::DedicatedLinuxUs))
    })
    .post("dedicatedserver/linux/us/delete", |c| {
        Box::pin(super::delete(c, Product::DedicatedLinuxUs))
    })
    .get("dedicatedserver/linux/us/orderid", |c| {
        Box::pin(super::order_id(c, Product::DedicatedLinuxUs))
    });
}

async fn add(call: Call, product: Product) -> Result<Reply, ApiError> {
    let p = &call.params;
    let description = domain_name(p, "domain-name")?;
    let customer_id = p.required_id("customer-id")?;
    let months = p.months()?;
    let plan_id = p.required_id("plan-id")?;
    let auto_renew = p.flag("auto-renew", false)?;
    let (billing, with_discount) = billing(p)?;
    let new = NewOrder {
        reseller_id: call.reseller_id,
        customer_id,
        product,
        plan_id,
        description,
        months,
        units: 1,
        auto_renew,
        attrs: OrderAttrs::default(),
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| orders::add_order(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn renew(call: Call, product: Product) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    super::renew(&call, order_id, &[product], 0).await
}

async fn details(call: Call, product: Product) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let reseller_id = call.reseller_id;
    let order = call
        .state
        .store
        .read(move |tx| orders::order_of_product(tx, reseller_id, order_id, &[product]))
        .await?;
    let mut map = order_details(&order);
    map.text("domainname", order.description.clone());
    if let Some(backup) = order.attrs.backup_agent_of {
        map.id("backupagentorderid", backup);
    }
    Ok(map.build())
}
