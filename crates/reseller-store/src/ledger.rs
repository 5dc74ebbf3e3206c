//! The ledger invariants, checked over the whole database: every cached
//! balance equals the sum of its entries, the money the platform holds sums
//! to zero, no reseller or customer is below zero, earnings equal the paid
//! invoices and platform revenue equals the cost of executed actions.

use reseller_core::StoreError;
use reseller_core::model::Account;
use rusqlite::Connection;

use crate::sqlite_tx::fault;

/// What the check found: `violations` is empty when the ledger balances.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    pub accounts: u64,
    pub transfers: u64,
    pub violations: Vec<String>,
}

impl LedgerReport {
    pub fn is_balanced(&self) -> bool {
        self.violations.is_empty()
    }
}

pub(crate) fn check(conn: &Connection) -> Result<LedgerReport, StoreError> {
    let mut report = LedgerReport::default();
    let scalar = |sql: &str| -> Result<i64, StoreError> {
        conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
            .map(|v| v.unwrap_or(0))
            .map_err(fault)
    };
    report.accounts = scalar("SELECT COUNT(*) FROM accounts")? as u64;
    report.transfers = scalar("SELECT COUNT(*) FROM transfers")? as u64;

    let total = scalar("SELECT SUM(balance) FROM accounts")?;
    if total != 0 {
        report
            .violations
            .push(format!("account balances sum to {total}, not 0"));
    }

    let mut statement = conn
        .prepare(
            "WITH entries AS (
                 SELECT to_account AS key, amount FROM transfers
                 UNION ALL SELECT from_account, -amount FROM transfers),
             sums AS (SELECT key, SUM(amount) AS total FROM entries GROUP BY key)
             SELECT a.key, a.balance, COALESCE(s.total, 0) FROM accounts a LEFT JOIN sums s USING (key)
             UNION ALL
             SELECT s.key, NULL, s.total FROM sums s WHERE s.key NOT IN (SELECT key FROM accounts)",
        )
        .map_err(fault)?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(fault)?;
    for (key, cached, entries) in rows {
        match cached {
            None => report.violations.push(format!(
                "{key} has entries summing to {entries} but no balance"
            )),
            Some(cached) if cached != entries => report.violations.push(format!(
                "{key} shows {cached} but its entries sum to {entries}"
            )),
            Some(cached) if cached < 0 && Account::must_stay_non_negative(&key) => report
                .violations
                .push(format!("{key} is below zero: {cached}")),
            _ => {}
        }
    }

    let mut statement = conn
        .prepare(
            "SELECT r.id,
                    COALESCE((SELECT balance FROM accounts WHERE key = 'earnings:' || r.id), 0),
                    COALESCE((SELECT SUM(amount) FROM invoices WHERE reseller_id = r.id AND status = 'Paid'), 0)
             FROM resellers r",
        )
        .map_err(fault)?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(fault)?;
    for (reseller, earnings, paid) in rows {
        if earnings != paid {
            report.violations.push(format!(
                "reseller {reseller} earned {earnings} but its paid invoices total {paid}"
            ));
        }
    }

    let mut statement = conn
        .prepare(
            "WITH actual AS (SELECT reseller_id, product, status, COUNT(*) AS n FROM orders GROUP BY 1, 2, 3)
             SELECT a.reseller_id, a.product, a.status, a.n, COALESCE(c.n, 0) FROM actual a
               LEFT JOIN order_counts c USING (reseller_id, product, status)
             UNION ALL
             SELECT c.reseller_id, c.product, c.status, 0, c.n FROM order_counts c
               WHERE c.n != 0 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.reseller_id = c.reseller_id
                 AND o.product = c.product AND o.status = c.status)",
        )
        .map_err(fault)?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(fault)?;
    for (reseller, product, status, actual, counted) in rows {
        if actual != counted {
            report.violations.push(format!(
                "reseller {reseller} has {actual} {status} {product} orders but counts {counted}"
            ));
        }
    }

    let revenue = scalar("SELECT (SELECT balance FROM accounts WHERE key = 'platform:revenue')")?;
    let costs = scalar("SELECT SUM(cost) FROM actions WHERE status = 'Success'")?;
    if revenue != costs {
        report.violations.push(format!(
            "platform revenue is {revenue} but executed actions cost {costs}"
        ));
    }
    Ok(report)
}

/// Row counts of every table and every account balance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub tables: Vec<(String, i64)>,
    pub balances: Vec<(String, i64)>,
}

pub(crate) fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for table in [
        "resellers",
        "customers",
        "orders",
        "actions",
        "invoices",
        "receipts",
        "transfers",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(fault)?;
        counts.tables.push((table.to_string(), n));
    }
    for (name, sql) in [
        (
            "orders.fingerprint",
            "SELECT group_concat(id || status || endtime || auto_renew || plan_id || attrs, ';') FROM (SELECT * FROM orders ORDER BY id)",
        ),
        (
            "customers.fingerprint",
            "SELECT group_concat(id || username || name || company || address1 || city || state || country || zipcode || phone_cc || phone || lang_pref || password_hash || status || total_receipts, ';') FROM (SELECT * FROM customers ORDER BY id)",
        ),
        (
            "invoices.fingerprint",
            "SELECT group_concat(id || status, ';') FROM (SELECT * FROM invoices ORDER BY id)",
        ),
        (
            "actions.fingerprint",
            "SELECT group_concat(id || status, ';') FROM (SELECT * FROM actions ORDER BY id)",
        ),
        (
            "resellers.fingerprint",
            "SELECT group_concat(id || api_key_hash || allowed_ips || active, ';') FROM resellers",
        ),
    ] {
        let text: Option<String> = conn.query_row(sql, [], |r| r.get(0)).map_err(fault)?;
        let digest = text
            .unwrap_or_default()
            .bytes()
            .fold(0xcbf29ce484222325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
            });
        counts.tables.push((name.to_string(), digest as i64));
    }
    let mut statement = conn
        .prepare("SELECT key, balance FROM accounts ORDER BY key")
        .map_err(fault)?;
    counts.balances = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(fault)?;
    Ok(counts)
}
