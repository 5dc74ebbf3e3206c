//! Acronis Backup, US and Asia. Every URL spelling the seeds print works:
//! `backup/us/...`, `backups/us/...`, and `backup/install-agent` for the US.
//! Calls on an existing order accept an order of either region (the seeds
//! label an Asia example with a `us` URL); `add` and `search` take their
//! region from the path.

use super::{
    action_map, charge, find_orders, order_details, order_record, order_with_price, search_page,
};
use crate::console::LinkPurpose;
use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::backup::*;
use reseller_api::calls::orders::Search;
use reseller_core::backup::{self, NewBackup};
use reseller_core::catalogue::Product;
use reseller_core::orders::{self};

const BACKUPS: [Product; 2] = [Product::BackupUs, Product::BackupAsia];

/// How long an auto-login link stays valid, in seconds.
pub const AUTO_LOGIN_TTL: i64 = 15 * 60;

/// Its own calls, below each region's prefixes; `renew` is standard (`standard`).
pub fn routes(r: &mut Routes) {
    for product in BACKUPS {
        for prefix in product.spec().prefixes {
            let path = |call: &str| format!("{prefix}/{call}");
            r.call_at::<Add, _, _>(&path("add"), move |c, r| add(c, r, product))
                .call_at::<Search, _, _>(&path("search"), move |c, r| search(c, r, product))
                .call_at::<AddStorage, _, _>(&path("add-storage"), add_storage)
                .call_at::<Details, _, _>(&path("details"), details)
                .call_at::<Delete, _, _>(&path("delete"), delete)
                .call_at::<AutoLoginDetails, _, _>(&path("auto-login-details"), auto_login_details)
                .call_at::<InstallAgent, _, _>(&path("install-agent"), install_agent);
        }
    }
    // The seeds also print the install call without a region.
    for prefix in ["backup", "backups"] {
        r.call_at::<InstallAgent, _, _>(&format!("{prefix}/install-agent"), install_agent);
    }
}

async fn add(call: Call, asked: Add, product: Product) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let new = NewBackup {
        reseller_id: call.reseller_id,
        product,
        customer_id: asked.customer_id,
        hosting_order_id: asked.hosting_order_id,
        plan_id: asked.plan_id,
        storage_gb: asked.storage_size_gb.0,
        months: asked.months,
        auto_renew: asked.auto_renew.unwrap_or(false),
        billing,
        now: call.now,
    };
    let receipt = call
        .state
        .store
        .write(move |tx| backup::add_backup(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn add_storage(call: Call, asked: AddStorage) -> Result<Reply, ApiError> {
    let order_id = asked.order.order_id;
    let new_total = asked.storage_size_gb.0;
    let (billing, with_discount) = charge(&asked.billing);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| {
            orders::add_storage(tx, reseller_id, order_id, &BACKUPS, new_total, billing, now)
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let order_id = asked.order.order_id;
    let (order, month) = order_with_price(&call, order_id, &BACKUPS).await?;
    let mut map = order_details(&order, month.map(|(selling, _)| selling));
    if let Some(gb) = order.attrs.storage_gb {
        map.id("storagesizegb", i64::from(gb));
    }
    if let Some(host) = order.attrs.hosting_order_id {
        map.id("hostingorderid", host);
    }
    map.put(
        "agentinstalledon",
        Reply::List(
            order
                .attrs
                .agent_hosts
                .iter()
                .map(|&h| Reply::Id(h.0))
                .collect(),
        ),
    );
    Ok(map.build())
}

/// Lists the backups of the path's region, as each location's endpoint does.
async fn search(call: Call, asked: Search, product: Product) -> Result<Reply, ApiError> {
    let found = find_orders(&call, &asked, &[product]).await?;
    Ok(search_page(&found, |order| {
        let mut record = order_record(order);
        if let Some(gb) = order.attrs.storage_gb {
            record.id("orders.storagesizegb", i64::from(gb));
        }
        record
    }))
}

async fn delete(call: Call, asked: Delete) -> Result<Reply, ApiError> {
    let order_id = asked.order.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| backup::delete_backup(tx, reseller_id, order_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}

async fn auto_login_details(call: Call, asked: AutoLoginDetails) -> Result<Reply, ApiError> {
    let order_id = asked.order.order_id;
    let reseller_id = call.reseller_id;
    let order = call
        .state
        .store
        .read(move |tx| backup::console_order(tx, reseller_id, order_id))
        .await?;
    let expires = call.now + AUTO_LOGIN_TTL;
    let token = call
        .state
        .console
        .sign(LinkPurpose::BackupConsole, order.id, reseller_id, expires);
    let mut map = MapReply::with_capacity(3);
    map.text("status", "Success")
        .text(
            "autoLoginUrl",
            format!("{}/console/backup/{token}", call.state.public_url),
        )
        .id("orderid", order.id);
    Ok(map.build())
}

async fn install_agent(call: Call, asked: InstallAgent) -> Result<Reply, ApiError> {
    let backup_order_id = asked.order.order_id;
    let hosting_order_id = asked.hosting_order_id;
    let reseller_id = call.reseller_id;
    let (backup, host) = call
        .state
        .store
        .write(move |tx| backup::install_agent(tx, reseller_id, backup_order_id, hosting_order_id))
        .await?;
    let mut map = MapReply::with_capacity(4);
    map.text("status", "Success")
        .text(
            "message",
            format!(
                "The backup agent of order {} is installed on order {}",
                backup.id, host.id
            ),
        )
        .id("backuporderid", backup.id)
        .id("hostingorderid", host.id);
    Ok(map.build())
}
