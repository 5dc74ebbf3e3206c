//! The ledger invariants, checked over the whole database: every cached
//! balance equals the sum of its entries, the money the platform holds sums
//! to zero, no reseller or customer is below zero, earnings equal the paid
//! invoices and what sub-resellers paid, platform revenue equals what the
//! top reseller of each executed action paid for it, and the
//! kept order counts equal the orders. The queries are portable SQL that
//! every backend runs, over its [`Conn`].

use crate::sql::Conn;
use reseller_core::StoreError;
use reseller_core::model::Account;

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

/// Row counts of every table, fingerprints of their contents, and every
/// account balance: for checking that a refused request changed nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub tables: Vec<(String, i64)>,
    pub balances: Vec<(String, i64)>,
}

/// A query's rows, every cell as text.
fn rows(db: &mut dyn Conn, sql: &str) -> Result<Vec<Vec<Option<String>>>, StoreError> {
    let mut found = Vec::new();
    db.query(sql, &[], &mut |row| {
        found.push(
            (0..row.width())
                .map(|i| row.as_text(i))
                .collect::<Result<_, _>>()?,
        );
        Ok(())
    })?;
    Ok(found)
}

fn int(cell: &Option<String>) -> i64 {
    cell.as_deref().and_then(|c| c.parse().ok()).unwrap_or(0)
}

fn scalar(db: &mut dyn Conn, sql: &str) -> Result<i64, StoreError> {
    Ok(rows(db, sql)?
        .first()
        .and_then(|r| r.first())
        .map(int)
        .unwrap_or(0))
}

pub(crate) fn check(db: &mut dyn Conn) -> Result<LedgerReport, StoreError> {
    let mut report = LedgerReport {
        accounts: scalar(db, "SELECT CAST(COUNT(*) AS TEXT) FROM accounts")? as u64,
        transfers: scalar(db, "SELECT CAST(COUNT(*) AS TEXT) FROM transfers")? as u64,
        violations: Vec::new(),
    };
    let total = scalar(
        db,
        "SELECT CAST(COALESCE(SUM(balance), 0) AS TEXT) FROM accounts",
    )?;
    if total != 0 {
        report
            .violations
            .push(format!("account balances sum to {total}, not 0"));
    }
    let accounts = rows(db,
        "WITH entries AS (
             SELECT to_account AS key, amount FROM transfers
             UNION ALL SELECT from_account, -amount FROM transfers),
         sums AS (SELECT key, SUM(amount) AS total FROM entries GROUP BY key)
         SELECT a.key, CAST(a.balance AS TEXT), CAST(COALESCE(s.total, 0) AS TEXT)
           FROM accounts a LEFT JOIN sums s ON s.key = a.key
         UNION ALL
         SELECT s.key, NULL, CAST(s.total AS TEXT) FROM sums s WHERE s.key NOT IN (SELECT key FROM accounts)",
    )?;
    for row in accounts {
        let key = row[0].clone().unwrap_or_default();
        let entries = int(&row[2]);
        match row[1].as_deref().map(|c| c.parse::<i64>().unwrap_or(0)) {
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
    // What sub-resellers' actions paid each reseller above them, and what
    // their top levels paid the platform (`orders::payments`).
    let mut from_subs: std::collections::HashMap<i64, i64> = Default::default();
    let mut platform_from_subs = 0;
    let chained = rows(
        db,
        "SELECT CAST(reseller_id AS TEXT), CAST(cost AS TEXT), upstream FROM actions
         WHERE upstream <> '[]' AND status IN ('Success', 'ExecutionStarted', 'InvoicePaid')",
    )?;
    for row in chained {
        let upstream = crate::records::upstream(row[2].as_deref().unwrap_or("[]"))?;
        let mut paid = int(&row[1]);
        for (payee, cost) in upstream {
            *from_subs.entry(payee.0).or_default() += paid;
            paid = cost.0;
        }
        platform_from_subs += paid;
    }
    // A sub-reseller's debit notes are its parent's earnings too.
    let debit_notes = rows(
        db,
        "SELECT to_account, CAST(SUM(amount) AS TEXT) FROM transfers
         WHERE kind = 'debit-note' AND from_account LIKE 'reseller:%' GROUP BY to_account",
    )?;
    for row in debit_notes {
        let key = row[0].clone().unwrap_or_default();
        if let Some(id) = key.strip_prefix("earnings:").and_then(|id| id.parse().ok()) {
            *from_subs.entry(id).or_default() += int(&row[1]);
        }
    }
    let earnings = rows(db,
        "SELECT CAST(r.id AS TEXT),
                CAST(COALESCE((SELECT balance FROM accounts WHERE key = 'earnings:' || CAST(r.id AS TEXT)), 0) AS TEXT),
                CAST(COALESCE((SELECT SUM(amount) FROM invoices WHERE reseller_id = r.id AND status = 'Paid'), 0) AS TEXT)
         FROM resellers r",
    )?;
    for row in earnings {
        let (reseller, earned, paid) = (int(&row[0]), int(&row[1]), int(&row[2]));
        let subs = from_subs.get(&reseller).copied().unwrap_or(0);
        if earned != paid + subs {
            report.violations.push(format!(
                "reseller {reseller} earned {earned} but its paid invoices total {paid} and its sub-resellers paid it {subs}"
            ));
        }
    }
    let counts = rows(db,
        "WITH actual AS (SELECT reseller_id, product, status, COUNT(*) AS n FROM orders GROUP BY reseller_id, product, status)
         SELECT CAST(a.reseller_id AS TEXT), a.product, a.status, CAST(a.n AS TEXT), CAST(COALESCE(c.n, 0) AS TEXT)
           FROM actual a LEFT JOIN order_counts c
             ON c.reseller_id = a.reseller_id AND c.product = a.product AND c.status = a.status
         UNION ALL
         SELECT CAST(c.reseller_id AS TEXT), c.product, c.status, '0', CAST(c.n AS TEXT) FROM order_counts c
           WHERE c.n <> 0 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.reseller_id = c.reseller_id
             AND o.product = c.product AND o.status = c.status)",
    )?;
    for row in counts {
        let (actual, counted) = (int(&row[3]), int(&row[4]));
        if actual != counted {
            report.violations.push(format!(
                "reseller {} has {actual} {} {} orders but counts {counted}",
                int(&row[0]),
                row[2].clone().unwrap_or_default(),
                row[1].clone().unwrap_or_default()
            ));
        }
    }
    let revenue = scalar(
        db,
        "SELECT CAST(COALESCE((SELECT balance FROM accounts WHERE key = 'platform:revenue'), 0) AS TEXT)",
    )?;
    let costs = scalar(
        db,
        // A transfer in is charged when it starts, and a provisioned action
        // when it is paid, before either succeeds.
        "SELECT CAST(COALESCE(SUM(cost), 0) AS TEXT) FROM actions
         WHERE upstream = '[]' AND status IN ('Success', 'ExecutionStarted', 'InvoicePaid')",
    )? + platform_from_subs;
    if revenue != costs {
        report.violations.push(format!(
            "platform revenue is {revenue} but executed actions cost {costs}"
        ));
    }
    Ok(report)
}

pub(crate) fn counts(db: &mut dyn Conn) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for table in [
        "resellers",
        "customers",
        "orders",
        "actions",
        "invoices",
        "receipts",
        "transfers",
        "tokens",
        "mails",
    ] {
        let n = scalar(db, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))?;
        counts.tables.push((table.to_string(), n));
    }
    for (name, table, row) in [
        (
            "orders.fingerprint",
            "orders",
            "CAST(id AS TEXT) || status || CAST(endtime AS TEXT) || CAST(auto_renew AS TEXT) || CAST(plan_id AS TEXT) || attrs",
        ),
        (
            "customers.fingerprint",
            "customers",
            "CAST(id AS TEXT) || username || name || company || address1 || city || state || country || zipcode || phone_cc || phone || lang_pref || password_hash || status || CAST(total_receipts AS TEXT) || pin || extras",
        ),
        (
            "invoices.fingerprint",
            "invoices",
            "CAST(id AS TEXT) || status",
        ),
        (
            "actions.fingerprint",
            "actions",
            "CAST(id AS TEXT) || status",
        ),
        (
            "resellers.fingerprint",
            "resellers",
            "CAST(id AS TEXT) || api_key_hash || allowed_ips || CAST(active AS TEXT)",
        ),
    ] {
        let rows = rows(db, &format!("SELECT {row} FROM {table} ORDER BY id"))?;
        let digest = rows
            .iter()
            .flat_map(|r| r[0].as_deref().unwrap_or("").bytes().chain([b';']))
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        counts.tables.push((name.to_string(), digest as i64));
    }
    for row in rows(
        db,
        "SELECT key, CAST(balance AS TEXT) FROM accounts ORDER BY key",
    )? {
        counts
            .balances
            .push((row[0].clone().unwrap_or_default(), int(&row[1])));
    }
    Ok(counts)
}
