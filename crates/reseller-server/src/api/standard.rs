//! The calls a product takes as they are, registered from its declaration
//! (`reseller_core::catalogue::PRODUCTS`): each [`StandardCall`] a spec
//! lists, below each of its URL prefixes. A new product needs nothing here.

use super::{
    BILLING, DETAILS, MONTHS, ORDER_SEARCH, PAGE, action_map, billing, domain_name, find_orders,
    order_details, order_record, order_with_price, search_page,
};
use crate::routes::{Call, Kind, Param, Routes, Shape, optional, required};
use crate::wire::ApiError;
use crate::wire::reply::Reply;
use reseller_core::OrderId;
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
                    StandardCall::Add => r
                        .post(&path("add"), move |c| Box::pin(add(c, spec)))
                        .takes(&[
                            required("domain-name", Kind::Text),
                            required("customer-id", Kind::Id),
                            MONTHS,
                            required("plan-id", Kind::Id),
                            optional("auto-renew", Kind::Flag),
                        ])
                        .takes(BILLING)
                        .answers(Shape::Action),
                    StandardCall::Renew => r
                        .post(&path("renew"), move |c| Box::pin(renew(c, spec)))
                        .takes(&order_params(spec))
                        .takes(&[MONTHS, optional("auto-renew", Kind::Flag)])
                        .takes(BILLING)
                        .answers(Shape::Action),
                    StandardCall::Details => r
                        .get(&path("details"), move |c| Box::pin(details(c, spec)))
                        .takes(&order_params(spec))
                        .answers(Shape::Fields(DETAILS)),
                    StandardCall::Search => r
                        .get(&path("search"), move |c| Box::pin(search(c, spec)))
                        .takes(PAGE)
                        .takes(ORDER_SEARCH)
                        .answers(Shape::Search),
                    StandardCall::Delete => r
                        .post(&path("delete"), move |c| Box::pin(delete(c, spec)))
                        .takes(&order_params(spec))
                        .answers(Shape::Action),
                    StandardCall::OrderId => r
                        .get(&path("orderid"), move |c| Box::pin(order_id(c, spec)))
                        .takes(&[required("domain-name", Kind::Text)])
                        .answers(Shape::Int),
                };
            }
        }
    }
}

/// The parameters naming the order a call acts on: the product's own,
/// and `order-id` too where the product's is another.
pub fn order_params(spec: &ProductSpec) -> Vec<Param> {
    let mut params = vec![required(spec.order_param, Kind::Id)];
    if spec.order_param != "order-id" {
        params.push(optional("order-id", Kind::Id));
    }
    params
}

/// The order a call names, by the product's own parameter; `order-id` is
/// taken too where the product's is another (the vendor's details example
/// for backups prints `order-id`).
pub fn order_param(call: &Call, spec: &ProductSpec) -> Result<OrderId, ApiError> {
    match call.params.optional_id(spec.order_param)? {
        Some(id) => Ok(id),
        None if spec.order_param != "order-id" => call
            .params
            .optional_id("order-id")?
            .ok_or(ApiError::MissingParam(spec.order_param)),
        None => Err(ApiError::MissingParam(spec.order_param)),
    }
}

async fn add(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
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
        product: spec.product,
        plan_id,
        description: description.into(),
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

async fn renew(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let order_id = order_param(&call, spec)?;
    super::renew(&call, order_id, spec.family, 0).await
}

async fn details(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let order_id = order_param(&call, spec)?;
    let (order, month) = order_with_price(&call, order_id, spec.family).await?;
    let mut map = order_details(&order, month.map(|(selling, _)| selling));
    map.text("domainname", order.description.clone());
    if let Some(backup) = order.attrs.backup_agent_of {
        map.id("backupagentorderid", backup);
    }
    Ok(map.build())
}

async fn search(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let found = find_orders(&call, &[spec.product]).await?;
    Ok(search_page(&found, order_record))
}

/// At once, no invoice, no refund.
async fn delete(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let order_id = order_param(&call, spec)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| orders::delete_order(tx, reseller_id, order_id, spec.family, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// The id of the newest order for a domain name, as a bare integer.
async fn order_id(call: Call, spec: &'static ProductSpec) -> Result<Reply, ApiError> {
    let name = domain_name(&call.params, "domain-name")?;
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
