//! PostgreSQL's own part of staging (`stage`): ids drawn from the tables'
//! sequences ahead of the rows, and the end of a group's transaction, where
//! its staged changes go out as one multi-row `unnest` statement a table.

use crate::pg::{PgConn, Statements, fault, prepared};
use crate::stage::{Changes, Entry, IdTable, Rows, Transfer};
use postgres::Transaction;
use reseller_core::model::{Action, Invoice, Mail, Order};
use reseller_core::tx::StoreResult;
use reseller_core::{ActionId, InvoiceId, OrderId, StoreError};
use std::collections::{BTreeMap, HashMap};

/// Ids taken from the tables' sequences ahead of use, so that an insert
/// needs no round trip for its id. A retried group leaves gaps, as a rolled
/// back insert does.
#[derive(Debug, Default)]
pub(crate) struct IdPool {
    orders: Vec<i64>,
    actions: Vec<i64>,
    invoices: Vec<i64>,
    mails: Vec<i64>,
}

/// Ids fetched from a sequence at once.
const IDS_AT_ONCE: i64 = 128;

impl IdPool {
    pub(crate) fn next(
        &mut self,
        tx: &mut Transaction,
        statements: &mut Statements,
        table: IdTable,
    ) -> StoreResult<i64> {
        let (pool, name) = match table {
            IdTable::Orders => (&mut self.orders, "orders"),
            IdTable::Actions => (&mut self.actions, "actions"),
            IdTable::Invoices => (&mut self.invoices, "invoices"),
            IdTable::Mails => (&mut self.mails, "mails"),
        };
        if pool.is_empty() {
            let statement = prepared(
                tx,
                statements,
                "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2::BIGINT)",
            )?;
            let rows = tx
                .query(&statement, &[&name, &IDS_AT_ONCE])
                .map_err(fault)?;
            let mut ids = rows
                .iter()
                .map(|row| row.try_get::<_, i64>(0).map_err(fault))
                .collect::<StoreResult<Vec<i64>>>()?;
            ids.sort_unstable_by(|a, b| b.cmp(a));
            *pool = ids;
        }
        pool.pop()
            .ok_or_else(|| StoreError::fault(format!("the {name} sequence gave no id")))
    }
}

/// Writes a transaction's changes: a statement a table, rows in key order
/// so that concurrent groups take row locks in the same order; the mails
/// queued for delivery too when `queue_mail`.
pub(crate) fn flush(conn: &mut PgConn, changes: &Changes, queue_mail: bool) -> StoreResult<()> {
    let mut run = |sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| {
        conn.execute_typed(sql, params)
    };
    flush_orders(&mut run, &changes.orders)?;
    flush_invoices(&mut run, &changes.invoices)?;
    flush_actions(&mut run, &changes.actions)?;
    flush_mails(&mut run, &changes.mails, queue_mail)?;
    flush_ledger(&mut run, &changes.transfers, &changes.deltas)
}

type Run<'a> = dyn FnMut(&str, &[&(dyn postgres::types::ToSql + Sync)]) -> StoreResult<u64> + 'a;

/// The changed rows, inserted ones and updated ones apart, in id order.
fn split<K: Ord + Copy, T: PartialEq>(rows: &Rows<K, T>) -> (Vec<&T>, Vec<&T>) {
    let sorted: BTreeMap<K, &Entry<T>> = rows
        .iter()
        .filter(|(_, entry)| entry.changed())
        .map(|(id, entry)| (*id, entry))
        .collect();
    let inserted = sorted
        .values()
        .filter(|e| e.stored.is_none())
        .map(|e| &e.row)
        .collect();
    let updated = sorted
        .values()
        .filter(|e| e.stored.is_some())
        .map(|e| &e.row)
        .collect();
    (inserted, updated)
}

fn expect_all(updated: u64, wanted: usize, table: &str) -> StoreResult<()> {
    if updated as usize != wanted {
        return Err(StoreError::fault(format!(
            "{table}: {wanted} rows to update, {updated} found"
        )));
    }
    Ok(())
}

fn flush_orders(run: &mut Run, orders: &Rows<OrderId, Order>) -> StoreResult<()> {
    let (inserted, updated) = split(orders);
    // What the orders add to and take from order_counts.
    let mut counts: BTreeMap<(i64, &'static str, &'static str), i64> = BTreeMap::new();
    for entry in orders.values().filter(|e| e.changed()) {
        let row = &entry.row;
        if let Some(stored) = &entry.stored {
            if stored.status == row.status {
                continue;
            }
            *counts
                .entry((
                    stored.reseller_id.0,
                    stored.product.key(),
                    stored.status.as_str(),
                ))
                .or_default() -= 1;
        }
        *counts
            .entry((row.reseller_id.0, row.product.key(), row.status.as_str()))
            .or_default() += 1;
    }
    if !inserted.is_empty() {
        let attrs = inserted
            .iter()
            .map(|o| serde_json::to_string(&o.attrs))
            .collect::<Result<Vec<String>, _>>()
            .map_err(StoreError::fault)?;
        run(
            "INSERT INTO orders (id, reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs, next_due)
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::TEXT[], $5::BIGINT[], $6::TEXT[], $7::TEXT[], $8::BOOLEAN[], $9::BIGINT[], $10::BIGINT[], $11::TEXT[], $12::BIGINT[])",
            &[
                &column(&inserted, |o| o.id.0),
                &column(&inserted, |o| o.reseller_id.0),
                &column(&inserted, |o| o.customer_id.0),
                &column(&inserted, |o| o.product.key()),
                &column(&inserted, |o| o.plan_id.0),
                &column(&inserted, |o| o.description.as_str()),
                &column(&inserted, |o| o.status.as_str()),
                &column(&inserted, |o| o.auto_renew),
                &column(&inserted, |o| o.created),
                &column(&inserted, |o| o.endtime),
                &attrs,
                &column(&inserted, reseller_core::lifecycle::next_due),
            ],
        )?;
    }
    if !updated.is_empty() {
        let attrs = updated
            .iter()
            .map(|o| serde_json::to_string(&o.attrs))
            .collect::<Result<Vec<String>, _>>()
            .map_err(StoreError::fault)?;
        let n = run(
            "UPDATE orders AS o SET plan_id = n.plan_id, description = n.description, status = n.status,
                 auto_renew = n.auto_renew, endtime = n.endtime, attrs = n.attrs, next_due = n.next_due,
                 customer_id = n.customer_id
             FROM unnest($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::BOOLEAN[], $6::BIGINT[], $7::TEXT[], $8::BIGINT[], $9::BIGINT[])
                 AS n(id, plan_id, description, status, auto_renew, endtime, attrs, next_due, customer_id)
             WHERE o.id = n.id",
            &[
                &column(&updated, |o| o.id.0),
                &column(&updated, |o| o.plan_id.0),
                &column(&updated, |o| o.description.as_str()),
                &column(&updated, |o| o.status.as_str()),
                &column(&updated, |o| o.auto_renew),
                &column(&updated, |o| o.endtime),
                &attrs,
                &column(&updated, reseller_core::lifecycle::next_due),
                &column(&updated, |o| o.customer_id.0),
            ],
        )?;
        expect_all(n, updated.len(), "orders")?;
    }
    counts.retain(|_, n| *n != 0);
    if !counts.is_empty() {
        let keys: Vec<_> = counts.keys().collect();
        run(
            "INSERT INTO order_counts (reseller_id, product, status, n)
             SELECT * FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[])
             ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = order_counts.n + excluded.n",
            &[
                &column(&keys, |k| k.0),
                &column(&keys, |k| k.1),
                &column(&keys, |k| k.2),
                &counts.values().copied().collect::<Vec<i64>>(),
            ],
        )?;
    }
    Ok(())
}

fn flush_mails(run: &mut Run, mails: &[Mail], queue_mail: bool) -> StoreResult<()> {
    if mails.is_empty() {
        return Ok(());
    }
    let mails: Vec<&Mail> = mails.iter().collect();
    run(
        "INSERT INTO mails (id, reseller_id, customer_id, order_id, recipient, kind, subject, body, created)
         SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::BIGINT[])",
        &[
            &column(&mails, |m| m.id),
            &column(&mails, |m| m.reseller_id.0),
            &column(&mails, |m| m.customer_id.map(|c| c.0)),
            &column(&mails, |m| m.order_id.map(|o| o.0)),
            &column(&mails, |m| m.recipient.as_str()),
            &column(&mails, |m| m.kind.as_str()),
            &column(&mails, |m| m.subject.as_str()),
            &column(&mails, |m| m.body.as_str()),
            &column(&mails, |m| m.created),
        ],
    )?;
    if queue_mail {
        run(
            "INSERT INTO mail_queue (mail_id, due) SELECT unnest($1::BIGINT[]), 0",
            &[&column(&mails, |m| m.id)],
        )?;
    }
    Ok(())
}

fn flush_invoices(run: &mut Run, invoices: &Rows<InvoiceId, Invoice>) -> StoreResult<()> {
    let (inserted, updated) = split(invoices);
    if !inserted.is_empty() {
        run(
            "INSERT INTO invoices (id, reseller_id, customer_id, order_id, amount, status, description, created)
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::BIGINT[], $6::TEXT[], $7::TEXT[], $8::BIGINT[])",
            &[
                &column(&inserted, |i| i.id.0),
                &column(&inserted, |i| i.reseller_id.0),
                &column(&inserted, |i| i.customer_id.0),
                &column(&inserted, |i| i.order_id.0),
                &column(&inserted, |i| i.amount.0),
                &column(&inserted, |i| i.status.as_str()),
                &column(&inserted, |i| i.description.as_str()),
                &column(&inserted, |i| i.created),
            ],
        )?;
    }
    if !updated.is_empty() {
        let n = run(
            "UPDATE invoices AS i SET status = n.status
             FROM unnest($1::BIGINT[], $2::TEXT[]) AS n(id, status) WHERE i.id = n.id",
            &[
                &column(&updated, |i| i.id.0),
                &column(&updated, |i| i.status.as_str()),
            ],
        )?;
        expect_all(n, updated.len(), "invoices")?;
    }
    Ok(())
}

fn flush_actions(run: &mut Run, actions: &Rows<ActionId, Action>) -> StoreResult<()> {
    let (inserted, updated) = split(actions);
    if !inserted.is_empty() {
        run(
            "INSERT INTO actions (id, order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id,
                 months, units, auto_renew, selling, discount, cost, created, executed, addons, upstream)
             SELECT * FROM unnest($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[],
                 $9::BIGINT[], $10::BIGINT[], $11::BIGINT[], $12::BOOLEAN[], $13::BIGINT[], $14::BIGINT[], $15::BIGINT[], $16::BIGINT[], $17::BIGINT[], $18::TEXT[], $19::TEXT[])",
            &[
                &column(&inserted, |a| a.id.0),
                &column(&inserted, |a| a.order_id.0),
                &column(&inserted, |a| a.reseller_id.0),
                &column(&inserted, |a| a.customer_id.0),
                &column(&inserted, |a| a.kind.as_str()),
                &column(&inserted, |a| a.description.as_str()),
                &column(&inserted, |a| a.status.as_str()),
                &column(&inserted, |a| a.status_desc.as_str()),
                &column(&inserted, |a| a.invoice_id.map(|i| i.0)),
                &column(&inserted, |a| i64::from(a.months)),
                &column(&inserted, |a| a.units.map(i64::from)),
                &column(&inserted, |a| a.auto_renew),
                &column(&inserted, |a| a.selling.0),
                &column(&inserted, |a| a.discount.0),
                &column(&inserted, |a| a.cost.0),
                &column(&inserted, |a| a.created),
                &column(&inserted, |a| a.executed),
                &inserted
                    .iter()
                    .map(|a| crate::records::addons_text(&a.addons))
                    .collect::<StoreResult<Vec<String>>>()?,
                &inserted
                    .iter()
                    .map(|a| crate::records::upstream_text(&a.upstream))
                    .collect::<StoreResult<Vec<String>>>()?,
            ],
        )?;
    }
    if !updated.is_empty() {
        let n = run(
            "UPDATE actions AS a SET status = n.status, status_desc = n.status_desc, executed = n.executed
             FROM unnest($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[]) AS n(id, status, status_desc, executed)
             WHERE a.id = n.id",
            &[
                &column(&updated, |a| a.id.0),
                &column(&updated, |a| a.status.as_str()),
                &column(&updated, |a| a.status_desc.as_str()),
                &column(&updated, |a| a.executed),
            ],
        )?;
        expect_all(n, updated.len(), "actions")?;
    }
    Ok(())
}

fn flush_ledger(
    run: &mut Run,
    transfers: &[Transfer],
    deltas: &HashMap<String, i64>,
) -> StoreResult<()> {
    if transfers.is_empty() {
        return Ok(());
    }
    let transfers: Vec<&Transfer> = transfers.iter().collect();
    run(
        "INSERT INTO transfers (from_account, to_account, amount, memo, at, kind)
         SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::BIGINT[], $6::TEXT[])",
        &[
            &column(&transfers, |t| t.from.as_str()),
            &column(&transfers, |t| t.to.as_str()),
            &column(&transfers, |t| t.amount),
            &column(&transfers, |t| t.memo.as_str()),
            &column(&transfers, |t| t.at),
            &column(&transfers, |t| t.kind.key()),
        ],
    )?;
    // Every account a transfer touched gets a row, even when its entries
    // cancel out within the group.
    let deltas: BTreeMap<&str, i64> = deltas.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    run(
        "INSERT INTO accounts (key, balance) SELECT * FROM unnest($1::TEXT[], $2::BIGINT[])
         ON CONFLICT (key) DO UPDATE SET balance = accounts.balance + excluded.balance",
        &[
            &deltas.keys().copied().collect::<Vec<&str>>(),
            &deltas.values().copied().collect::<Vec<i64>>(),
        ],
    )?;
    Ok(())
}

/// One column of rows, as an array parameter.
fn column<'r, R, T>(rows: &[&'r R], value: impl Fn(&'r R) -> T) -> Vec<T> {
    rows.iter().map(|row| value(*row)).collect()
}
