//! The calls a product takes as they are, registered from its declaration
//! (`reseller_core::catalogue::PRODUCTS`): each [`StandardCall`] a spec
//! lists, below each of its URL prefixes. A new product needs nothing here.

use super::{
    action_map, charge, find_orders, order_details, order_record, order_with_price, search_page,
};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::orders::{
    Add, ByBackupOrderId, ByOrderId, Delete, Details, OrderIdOf, OrderParam, Renew, RenewBackup,
    Search,
};
use reseller_core::RuleError;
use reseller_core::catalogue::{PRODUCTS, ProductSpec, StandardCall};
use reseller_core::model::OrderAttrs;
use reseller_core::orders::{self, NewOrder};

pub fn routes(r: &mut Routes) {
    for spec in &PRODUCTS {
        for prefix in spec.prefixes {
            for call in spec.standard {
                let path = |name: &str| format!("{prefix}/{name}");
                match call {
                    StandardCall::Add => {
                        r.call_at::<Add, _, _>(&path("add"), move |c, r| add(c, r, spec))
                    }
                    StandardCall::Renew if spec.order_param == ByBackupOrderId::NAME => {
                        r.call_at::<RenewBackup, _, _>(&path("renew"), move |c, r: RenewBackup| {
                            let (order, months) = (r.order.order_id, r.months);
                            super::renew(c, order, spec.family, months, r.auto_renew, r.billing, 0)
                        })
                    }
                    StandardCall::Renew => {
                        by_order_id(spec);
                        r.call_at::<Renew, _, _>(&path("renew"), move |c, r: Renew| {
                            let (order, months) = (r.order.order_id, r.months);
                            super::renew(c, order, spec.family, months, r.auto_renew, r.billing, 0)
                        })
                    }
                    StandardCall::Details => {
                        by_order_id(spec);
                        r.call_at::<Details, _, _>(&path("details"), move |c, r| {
                            details(c, r, spec)
                        })
                    }
                    StandardCall::Search => {
                        r.call_at::<Search, _, _>(&path("search"), move |c, r| search(c, r, spec))
                    }
                    StandardCall::Delete => {
                        by_order_id(spec);
                        r.call_at::<Delete, _, _>(&path("delete"), move |c, r| delete(c, r, spec))
                    }
                    StandardCall::OrderId => r
                        .call_at::<OrderIdOf, _, _>(&path("orderid"), move |c, r| {
                            order_id(c, r, spec)
                        }),
                };
            }
        }
    }
}

/// A standard call other than `renew` names its order by `order-id`.
fn by_order_id(spec: &ProductSpec) {
    assert_eq!(
        spec.order_param,
        ByOrderId::NAME,
        "{} names its orders by {}, which only renew takes",
        spec.key,
        spec.order_param
    );
}

async fn add(call: Call, asked: Add, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let new = NewOrder {
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        product: spec.product,
        plan_id: asked.plan_id,
        description: asked.domain_name.into(),
        months: asked.months,
        units: 1,
        auto_renew: asked.auto_renew.unwrap_or(false),
        attrs: OrderAttrs::default(),
        billing,
        now: call.now,
    };
    let receipt = call
        .state
        .store
        .write(move |tx| orders::add_order(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn details(
    call: Call,
    asked: Details,
    spec: &'static ProductSpec,
) -> Result<Reply, ApiError> {
    let (order, month) = order_with_price(&call, asked.order_id, spec.family).await?;
    let mut map = order_details(&order, month.map(|(selling, _)| selling));
    map.text("domainname", order.description.clone());
    if let Some(backup) = order.attrs.backup_agent_of {
        map.id("backupagentorderid", backup);
    }
    if !order.attrs.addons.is_empty() {
        let addons = order
            .attrs
            .addons
            .iter()
            .map(|addon| {
                let mut map = MapReply::with_capacity(2);
                map.id("addonid", i64::from(addon.id))
                    .text("addonname", addon.name.clone());
                map.build()
            })
            .collect();
        map.put("addons", Reply::List(addons));
    }
    if let Some(key) = &order.attrs.license_key {
        map.text("licensekey", key.clone());
    }
    if order.attrs.maintenance {
        map.text("maintenancemode", "true");
    }
    Ok(map.build())
}

async fn search(call: Call, asked: Search, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let found = find_orders(&call, &asked, &[spec.product]).await?;
    Ok(search_page(&found, order_record))
}

/// At once, no invoice, no refund.
async fn delete(call: Call, asked: Delete, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| orders::delete_order(tx, reseller_id, order_id, spec.family, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// The id of the newest order for a domain name, as a bare integer.
async fn order_id(
    call: Call,
    asked: OrderIdOf,
    spec: &'static ProductSpec,
) -> Result<Reply, ApiError> {
    let name = asked.domain_name;
    let reseller_id = call.reseller_id;
    let lookup = name.clone();
    let found = call
        .state
        .store
        .read(move |tx| {
            Ok(tx.order_id_by_description(reseller_id, &[spec.product], lookup.as_str())?)
        })
        .await?;
    let id = found.ok_or(RuleError::OrderNameNotFound(name.into()))?;
    Ok(Reply::Int(id.0))
}
