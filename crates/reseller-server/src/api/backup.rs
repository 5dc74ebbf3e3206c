//! Acronis Backup, US and Asia. Every URL spelling the seeds print works:
//! `backup/us/...`, `backups/us/...`, and `backup/install-agent` for the US.
//! Calls on an existing order accept an order of either region (the seeds
//! label an Asia example with a `us` URL); `add` and `search` take their
//! region from the path.

use super::standard::order_params;
use super::{
    BILLING, DETAILS, MONTHS, ORDER_SEARCH, PAGE, action_map, billing, find_orders, order_details,
    order_record, order_with_price, search_page,
};
use crate::console::LinkPurpose;
use crate::routes::{Call, Kind, Routes, Shape, optional, required};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_core::OrderId;
use reseller_core::backup::{self, NewBackup};
use reseller_core::catalogue::Product;
use reseller_core::orders::{self};

const BACKUPS: [Product; 2] = [Product::BackupUs, Product::BackupAsia];

/// How long an auto-login link stays valid, in seconds.
pub const AUTO_LOGIN_TTL: i64 = 15 * 60;

/// Its own calls, below each region's prefixes; `renew` is standard (`standard`).
pub fn routes(r: &mut Routes) {
    let spec = Product::BackupUs.spec();
    let storage = required(
        "storage-size-gb",
        Kind::Count {
            min: 1,
            max: 100_000,
        },
    );
    let host = required("hosting-order-id", Kind::Id);
    for product in BACKUPS {
        for prefix in product.spec().prefixes {
            let path = |call: &str| format!("{prefix}/{call}");
            r.post(&path("add"), move |c| Box::pin(add(c, product)))
                .takes(&[
                    required("customer-id", Kind::Id),
                    host,
                    MONTHS,
                    required("plan-id", Kind::Id),
                    storage,
                    optional("auto-renew", Kind::Flag),
                ])
                .takes(BILLING)
                .answers(Shape::Action)
                .get(&path("search"), move |c| Box::pin(search(c, product)))
                .takes(PAGE)
                .takes(ORDER_SEARCH)
                .answers(Shape::Search)
                .post(&path("add-storage"), |c| Box::pin(add_storage(c)))
                .takes(&order_params(spec))
                .takes(&[storage])
                .takes(BILLING)
                .answers(Shape::Action)
                .get(&path("details"), |c| Box::pin(details(c)))
                .takes(&order_params(spec))
                .answers(Shape::Fields(DETAILS))
                .post(&path("delete"), |c| Box::pin(delete(c)))
                .takes(&order_params(spec))
                .answers(Shape::Action)
                .get(&path("auto-login-details"), |c| {
                    Box::pin(auto_login_details(c))
                })
                .takes(&order_params(spec))
                .answers(Shape::Fields(&["status", "autoLoginUrl"]))
                .post(&path("install-agent"), |c| Box::pin(install_agent(c)))
                .takes(&order_params(spec))
                .takes(&[host])
                .answers(Shape::Fields(INSTALLED));
        }
    }
    // The seeds also print the install call without a region.
    for prefix in ["backup", "backups"] {
        r.post(&format!("{prefix}/install-agent"), |c| {
            Box::pin(install_agent(c))
        })
        .takes(&order_params(spec))
        .takes(&[host])
        .answers(Shape::Fields(INSTALLED));
    }
}

/// The keys an agent installation answers.
const INSTALLED: &[&str] = &["status", "backuporderid", "hostingorderid"];

/// Gigabytes of storage: whole, from 1 to 100,000 (the plan narrows it).
fn storage_gb(call: &Call) -> Result<u32, ApiError> {
    call.params.required_count("storage-size-gb", 1, 100_000)
}

/// The backup order a call names (`backup-order-id`, or `order-id`).
fn backup_order_id(call: &Call) -> Result<OrderId, ApiError> {
    super::standard::order_param(call, Product::BackupUs.spec())
}

async fn add(call: Call, product: Product) -> Result<Reply, ApiError> {
    let p = &call.params;
    let storage_gb = storage_gb(&call)?;
    let customer_id = p.required_id("customer-id")?;
    let hosting_order_id = p.required_id("hosting-order-id")?;
    let months = p.months()?;
    let plan_id = p.required_id("plan-id")?;
    let auto_renew = p.flag("auto-renew", false)?;
    let (billing, with_discount) = billing(p)?;
    let new = NewBackup {
        reseller_id: call.reseller_id,
        product,
        customer_id,
        hosting_order_id,
        plan_id,
        storage_gb,
        months,
        auto_renew,
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| backup::add_backup(tx, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn add_storage(call: Call) -> Result<Reply, ApiError> {
    let order_id = backup_order_id(&call)?;
    let new_total = storage_gb(&call)?;
    let (billing, with_discount) = billing(&call.params)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| {
            orders::add_storage(tx, reseller_id, order_id, &BACKUPS, new_total, billing, now)
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

async fn details(call: Call) -> Result<Reply, ApiError> {
    let order_id = backup_order_id(&call)?;
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
async fn search(call: Call, product: Product) -> Result<Reply, ApiError> {
    let found = find_orders(&call, &[product]).await?;
    Ok(search_page(&found, |order| {
        let mut record = order_record(order);
        if let Some(gb) = order.attrs.storage_gb {
            record.id("orders.storagesizegb", i64::from(gb));
        }
        record
    }))
}

async fn delete(call: Call) -> Result<Reply, ApiError> {
    let order_id = backup_order_id(&call)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| backup::delete_backup(tx, reseller_id, order_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}

async fn auto_login_details(call: Call) -> Result<Reply, ApiError> {
    let order_id = backup_order_id(&call)?;
    let reseller_id = call.reseller_id;
    let order = call
        .state
        .store
        .read(move |tx| backup::console_order(tx, reseller_id, order_id))
        .await?;
    let expires = call.state.clock.now() + AUTO_LOGIN_TTL;
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

async fn install_agent(call: Call) -> Result<Reply, ApiError> {
    let backup_order_id = backup_order_id(&call)?;
    let hosting_order_id = call.params.required_id("hosting-order-id")?;
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
