//! Managed Server Linux (`managedserver/linux/us`, product key
//! `managedserverlinuxus`): a server with add-ons, on the shared order engine.

use super::{action_map, charge, order_details, order_with_price};
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::managed::*;
use reseller_api::calls::orders::Details;
use reseller_core::catalogue::{AddonSpec, Product};
use reseller_core::managed::{self, NewManaged};
use reseller_core::model::Order;

const PRODUCT: Product = Product::ManagedServerLinuxUs;
/// The operating system every managed server runs here.
const OS_NAME: &str = "AlmaLinux 9";

/// Its own calls; `renew`, `search`, `delete` and `orderid` are standard (`standard`).
pub fn routes(r: &mut Routes) {
    for prefix in PRODUCT.spec().prefixes {
        let path = |call: &str| format!("{prefix}/{call}");
        r.call_at::<Add, _, _>(&path("add"), add)
            .call_at::<Details, _, _>(&path("details"), details)
            .call_at::<AddAddons, _, _>(&path("addon/add"), add_addons)
            .call_at::<DeleteAddon, _, _>(&path("addon/delete"), delete_addon);
    }
}

/// The add-ons' declarations.
fn specs(addons: Vec<Addon>) -> Vec<&'static AddonSpec> {
    addons.into_iter().map(|addon| addon.0).collect()
}

async fn add(call: Call, asked: Add) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let new = NewManaged {
        reseller_id: call.reseller_id,
        domain: asked.domain_name,
        customer_id: asked.customer_id,
        months: asked.months,
        plan_id: asked.plan_id,
        addons: specs(asked.addon),
        auto_renew: asked.auto_renew.unwrap_or(false),
        billing,
        now: call.now,
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

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
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

async fn add_addons(call: Call, asked: AddAddons) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let names = specs(asked.addon);
    let (billing, with_discount) = charge(&asked.billing);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            reseller_core::addons::add_addons(
                tx,
                reseller_id,
                order_id,
                &[PRODUCT],
                &names,
                billing,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn delete_addon(call: Call, asked: DeleteAddon) -> Result<Reply, ApiError> {
    let (order_id, addon_id) = (asked.order_id, asked.addon_id.0);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            reseller_core::addons::delete_addon(
                tx,
                reseller_id,
                order_id,
                &[PRODUCT],
                addon_id,
                now,
            )
        })
        .await?;
    Ok(action_map(&receipt, false))
}
