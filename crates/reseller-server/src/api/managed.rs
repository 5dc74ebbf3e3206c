//! Managed Server Linux (`managedserver/linux/us`, product key
//! `managedserverlinuxus`): a server with add-ons, on the shared order engine.

use super::{
    BILLING, DETAILS, MONTHS, action_map, billing, domain_name, order_details, order_with_price,
};
use crate::routes::{Call, Kind, Routes, Shape, optional, repeated, required};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_core::catalogue::{AddonSpec, Product};
use reseller_core::managed::{self, NewManaged};
use reseller_core::model::Order;

const PRODUCT: Product = Product::ManagedServerLinuxUs;
/// The operating system every managed server runs here.
const OS_NAME: &str = "AlmaLinux 9";

/// Its own calls; `renew`, `search`, `delete` and `orderid` are standard (`standard`).
pub fn routes(r: &mut Routes) {
    let order = required("order-id", Kind::Id);
    let addon = repeated(
        "addon",
        Kind::OneOf(|| PRODUCT.spec().addons.iter().map(|a| a.name).collect()),
    );
    for prefix in PRODUCT.spec().prefixes {
        let path = |call: &str| format!("{prefix}/{call}");
        r.post(&path("add"), |c| Box::pin(add(c)))
            .takes(&[
                required("domain-name", Kind::Text),
                required("customer-id", Kind::Id),
                MONTHS,
                required("plan-id", Kind::Id),
                addon,
                optional("auto-renew", Kind::Flag),
            ])
            .takes(BILLING)
            .answers(Shape::Action)
            .get(&path("details"), |c| Box::pin(details(c)))
            .takes(&[order])
            .answers(Shape::Fields(DETAILS))
            .post(&path("addon/add"), |c| Box::pin(add_addons(c)))
            .takes(&[order, addon])
            .takes(BILLING)
            .answers(Shape::Action)
            .post(&path("addon/delete"), |c| Box::pin(delete_addon(c)))
            .takes(&[
                order,
                required(
                    "addon-id",
                    Kind::Count {
                        min: 1,
                        max: u32::MAX,
                    },
                ),
            ])
            .answers(Shape::Action);
    }
}

/// Every `addon` given, each one of the product's add-ons.
fn addons(call: &Call) -> Result<Vec<&'static AddonSpec>, ApiError> {
    let known = PRODUCT.spec().addons;
    call.params
        .all("addon")
        .into_iter()
        .map(|name| {
            known
                .iter()
                .find(|addon| addon.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = known.iter().map(|addon| addon.name).collect();
                    ApiError::invalid("addon", name, Allowed::OneOf(&names))
                })
        })
        .collect()
}

async fn add(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let (billing, with_discount) = billing(p)?;
    let new = NewManaged {
        reseller_id: call.reseller_id,
        domain: domain_name(p, "domain-name")?,
        customer_id: p.required_id("customer-id")?,
        months: p.months()?,
        plan_id: p.required_id("plan-id")?,
        addons: addons(&call)?,
        auto_renew: p.flag("auto-renew", false)?,
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| managed::add_managed(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// A sandbox address for the server, fixed by its order id.
fn ip_address(order: &Order) -> String {
    let id = order.id.0;
    format!("10.{}.{}.{}", (id >> 16) & 255, (id >> 8) & 255, id & 255)
}

async fn details(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (order, month) = order_with_price(&call, order_id, &[PRODUCT]).await?;
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
    let mut map = order_details(&order, month.map(|(selling, _)| selling));
    map.text("domainname", order.description.clone())
        .text("ipaddress", ip_address(&order))
        .text("os_name", OS_NAME)
        .text("siteadminusername", format!("admin{}", order.id))
        .put("addons", Reply::List(addons));
    if let Some(backup) = order.attrs.backup_agent_of {
        map.id("backupagentorderid", backup);
    }
    Ok(map.build())
}

async fn add_addons(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let order_id = p.required_id("order-id")?;
    let names = addons(&call)?;
    if names.is_empty() {
        return Err(ApiError::MissingParam("addon"));
    }
    let (billing, with_discount) = billing(p)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| managed::add_addons(tx, reseller_id, order_id, &names, billing, now))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn delete_addon(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let order_id = p.required_id("order-id")?;
    let addon_id = p.required_count("addon-id", 1, u32::MAX)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| managed::delete_addon(tx, reseller_id, order_id, addon_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}
