//! Bulk seeding for benchmarks and demos: many customers, each with a VPS
//! order and backup orders attached to it, written straight to the tables in
//! one transaction. The state is what the API would have built with
//! `NoInvoice` adds: every order has its executed `Add` action, and the
//! ledger records the reseller's funding and its costs, so it balances.

use crate::sqlite::fault;
use reseller_core::catalogue::Product;
use reseller_core::model::Account;
use reseller_core::time::add_months;
use reseller_core::tx::TransferKind;
use reseller_core::{ResellerId, StoreError};
use rusqlite::{Connection, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPlan {
    pub reseller_id: i64,
    pub customers: u64,
    /// Backup orders in all, spread evenly over the customers.
    pub backup_orders: u64,
    pub now: i64,
}

/// What a seeding run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seeded {
    pub customers: u64,
    pub orders: u64,
}

const VPS_PLAN: i64 = 101;
const BACKUP_PLAN: i64 = 301;

pub(crate) fn seed(
    conn: &Connection,
    plan: &SeedPlan,
    progress: &mut dyn FnMut(u64),
) -> Result<Seeded, StoreError> {
    let price = |plan_id: i64| -> Result<i64, StoreError> {
        conn.query_row(
            "SELECT cost FROM prices WHERE reseller_id = ?1 AND plan_id = ?2 AND action = 'add' AND months = 1",
            params![plan.reseller_id, plan_id],
            |r| r.get(0),
        )
        .map_err(|e| StoreError::corrupt(format!("no 1-month price for plan {plan_id}: {e}")))
    };
    let (vps_cost, gb_cost) = (price(VPS_PLAN)?, price(BACKUP_PLAN)?);
    let end = add_months(plan.now, 1);
    let mut customer_insert = conn
        .prepare(
            "INSERT INTO customers (reseller_id, username, name, company, address1, city, state, country, zipcode,
             phone_cc, phone, lang_pref, password_hash, status, created, total_receipts)
             VALUES (?1, ?2, ?3, 'Seeded Co', '1 Main St', 'Springfield', 'IL', 'US', '62701', '1', '5550100', 'en', '', 'Active', ?4, 0)",
        )
        .map_err(fault)?;
    let mut order_insert = conn
        .prepare(
            "INSERT INTO orders (reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs, next_due)
             VALUES (?1, ?2, ?3, ?4, ?5, 'Active', 0, ?6, ?7, ?8, ?7)",
        )
        .map_err(fault)?;
    let mut action_insert = conn
        .prepare(
            "INSERT INTO actions (order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id,
             months, units, auto_renew, selling, discount, cost, created, executed)
             VALUES (?1, ?2, ?3, 'Add', ?4, 'Success', 'Order added successfully', NULL, 1, NULL, 0, 0, 0, ?5, ?6, ?6)",
        )
        .map_err(fault)?;
    let mut seeded = Seeded::default();
    let mut total_cost = 0i64;
    let per_customer = plan.backup_orders / plan.customers.max(1);
    let extra = plan.backup_orders % plan.customers.max(1);
    for n in 0..plan.customers {
        customer_insert
            .execute(params![
                plan.reseller_id,
                format!("seed{n}@example.com"),
                format!("Seeded Customer {n}"),
                plan.now
            ])
            .map_err(fault)?;
        let customer_id = conn.last_insert_rowid();
        let domain = format!("seed{n}.example.com");
        order_insert
            .execute(params![
                plan.reseller_id,
                customer_id,
                Product::VpsLinuxUs.key(),
                VPS_PLAN,
                domain,
                plan.now,
                end,
                "{}"
            ])
            .map_err(fault)?;
        let host = conn.last_insert_rowid();
        action_insert
            .execute(params![
                host,
                plan.reseller_id,
                customer_id,
                format!("Addition of VPS Linux for {domain} for 1 month"),
                vps_cost,
                plan.now
            ])
            .map_err(fault)?;
        total_cost += vps_cost;
        let backups = per_customer + u64::from(n < extra);
        for b in 0..backups {
            let gb = 10 + (b % 10) as i64 * 10;
            let attrs = format!("{{\"storage_gb\":{gb},\"hosting_order_id\":{host}}}");
            order_insert
                .execute(params![
                    plan.reseller_id,
                    customer_id,
                    Product::BackupUs.key(),
                    BACKUP_PLAN,
                    domain,
                    plan.now,
                    end,
                    attrs
                ])
                .map_err(fault)?;
            let order = conn.last_insert_rowid();
            action_insert
                .execute(params![
                    order,
                    plan.reseller_id,
                    customer_id,
                    format!("Addition of Acronis Backup for {domain} for 1 month"),
                    gb_cost * gb,
                    plan.now
                ])
                .map_err(fault)?;
            total_cost += gb_cost * gb;
            seeded.orders += 1;
            if seeded.orders % 10_000 == 0 {
                progress(seeded.orders);
            }
        }
        seeded.orders += 1;
        seeded.customers += 1;
    }
    progress(seeded.orders);
    conn.execute(
        "DELETE FROM order_counts WHERE reseller_id = ?1",
        [plan.reseller_id],
    )
    .map_err(fault)?;
    conn.execute(
        "INSERT INTO order_counts (reseller_id, product, status, n)
         SELECT reseller_id, product, status, COUNT(*) FROM orders WHERE reseller_id = ?1 GROUP BY 1, 2, 3",
        [plan.reseller_id],
    )
    .map_err(fault)?;
    let adjust = |key: String, delta: i64| {
        conn.execute(
            "INSERT INTO accounts (key, balance) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET balance = balance + excluded.balance",
            params![key, delta],
        )
        .map_err(fault)
    };
    if total_cost > 0 {
        let reseller = Account::Reseller(ResellerId(plan.reseller_id)).key();
        for (from, to, kind, memo) in [
            (
                Account::External.key(),
                reseller.clone(),
                TransferKind::Opening,
                "Seeded funds",
            ),
            (
                reseller.clone(),
                Account::PlatformRevenue.key(),
                TransferKind::Invoice,
                "Seeded orders",
            ),
        ] {
            conn.execute(
                "INSERT INTO transfers (from_account, to_account, amount, memo, at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![from, to, total_cost, memo, plan.now, kind.key()],
            )
            .map_err(fault)?;
            adjust(from, -total_cost)?;
            adjust(to, total_cost)?;
        }
    }
    Ok(seeded)
}
