//! Tenants: top-level resellers the sandbox makes for one test each, so
//! that tests running in parallel against one server never share state.
//! A tenant may have a clock of its own (an offset from real time kept in
//! its `tenants` row, so every instance agrees), and its state can be kept,
//! put back and emptied without touching anyone else's: every row of
//! business data belongs to one reseller, and a tenant's rows are those of
//! its reseller and the sub-resellers below it. A tenant's snapshots live
//! in `tenant_snap_<table>` tables, one row per kept row, marked with the
//! snapshot's id, so that keeping one is a copy of its rows and no schema
//! change.

use crate::sql::{Conn, SqlTx, Value};
use reseller_core::catalogue::Product;
use reseller_core::model::Account;
use reseller_core::tx::StoreResult;
use reseller_core::{Money, ResellerId, StoreError};

/// The tables holding a tenant's rows, in the order they are emptied:
/// the ledger and what is found through customers before the customers,
/// the queue before the mails it delivers, the resellers last.
pub(crate) const TENANT_TABLES: [&str; 15] = [
    "transfers",
    "accounts",
    "default_contacts",
    "actions",
    "contacts",
    "invoices",
    "mails",
    "order_counts",
    "orders",
    "prices",
    "provisioning",
    "receipts",
    "tokens",
    "customers",
    "resellers",
];

/// The accounts outside every tenant: money enters and leaves a tenant
/// only through them.
const OUTSIDE: [Account; 2] = [Account::External, Account::PlatformRevenue];

/// A tenant as the sandbox keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub id: ResellerId,
    /// Its opening funds, in thousandths: what a reset gives back.
    pub funds: i64,
    /// Its clock's offset from real time, if it has a clock of its own.
    pub clock_offset: Option<i64>,
    pub created: i64,
}

/// A kept snapshot of one tenant: name, when taken, its clock's offset.
pub type TenantSnapshot = (String, i64, Option<i64>);

/// The migration that makes the tenants' tables: `tenants`, their
/// snapshots, and one `tenant_snap_<table>` per table of [`TENANT_TABLES`]
/// with the table's columns and the snapshot's id.
pub(crate) fn migration(id: &str) -> String {
    let mut sql = format!(
        "CREATE TABLE tenants (
             reseller_id  BIGINT PRIMARY KEY,
             funds        BIGINT NOT NULL,
             clock_offset BIGINT,
             created      BIGINT NOT NULL
         );
         CREATE TABLE tenant_snapshots (
             id           {id},
             reseller_id  BIGINT NOT NULL,
             name         TEXT NOT NULL,
             created      BIGINT NOT NULL,
             clock_offset BIGINT,
             UNIQUE (reseller_id, name)
         );"
    );
    for table in TENANT_TABLES {
        sql.push_str(&format!(
            "CREATE TABLE tenant_snap_{table} AS
                 SELECT CAST(0 AS BIGINT) AS snapshot_id, {table}.* FROM {table} WHERE 1 = 0;
             CREATE INDEX tenant_snap_{table}_by_snapshot ON tenant_snap_{table} (snapshot_id);"
        ));
    }
    sql
}

/// A `tenants` row, its columns in the order every query reads them.
fn tenant_row(r: &dyn crate::sql::Cells) -> StoreResult<Tenant> {
    Ok(Tenant {
        id: ResellerId(r.int(0)?),
        funds: r.int(1)?,
        clock_offset: r.opt_int(2)?,
        created: r.int(3)?,
    })
}

/// The ids of a list, as SQL: they are numbers, never text.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which rows of `table` belong to the resellers `members` (a SQL list).
fn owned_by(table: &str, members: &str, reseller_keys: &str) -> String {
    let customers = format!("SELECT id FROM customers WHERE reseller_id IN ({members})");
    let keys = format!(
        "SELECT CAST('{prefix}' || CAST(id AS TEXT) AS TEXT) FROM customers WHERE reseller_id IN ({members})",
        prefix = Account::CUSTOMER_PREFIX
    );
    match table {
        "resellers" => format!("id IN ({members})"),
        "default_contacts" => format!("customer_id IN ({customers})"),
        "accounts" => format!("key IN ({reseller_keys}) OR key IN ({keys})"),
        "transfers" => format!(
            "from_account IN ({reseller_keys}) OR to_account IN ({reseller_keys})
             OR from_account IN ({keys}) OR to_account IN ({keys})"
        ),
        _ => format!("reseller_id IN ({members})"),
    }
}

impl<C: Conn> SqlTx<C> {
    /// A tenant, if `id` is one.
    pub(crate) fn tenant(&mut self, id: ResellerId) -> StoreResult<Option<Tenant>> {
        self.one(
            "SELECT reseller_id, funds, clock_offset, created FROM tenants WHERE reseller_id = ?1",
            &[id.into()],
            tenant_row,
        )
    }

    pub(crate) fn insert_tenant(&mut self, tenant: &Tenant) -> StoreResult<()> {
        self.run(
            "INSERT INTO tenants (reseller_id, funds, clock_offset, created) VALUES (?1, ?2, ?3, ?4)",
            &[
                tenant.id.into(),
                tenant.funds.into(),
                tenant.clock_offset.into(),
                tenant.created.into(),
            ],
        )?;
        Ok(())
    }

    /// Every tenant clock: the tenant and its offset.
    pub(crate) fn tenant_clocks(&mut self) -> StoreResult<Vec<(ResellerId, i64)>> {
        self.all(
            "SELECT reseller_id, clock_offset FROM tenants WHERE clock_offset IS NOT NULL
             ORDER BY reseller_id",
            &[],
            |r| Ok((ResellerId(r.int(0)?), r.int(1)?)),
        )
    }

    /// Moves a tenant's clock by `delta` seconds in the database itself
    /// (so concurrent moves add up), or sets it to `set` when given; its
    /// offset after, None when the tenant has no clock.
    pub(crate) fn move_tenant_clock(
        &mut self,
        id: ResellerId,
        delta: i64,
        set: Option<i64>,
    ) -> StoreResult<Option<i64>> {
        match set {
            Some(offset) => self.run(
                "UPDATE tenants SET clock_offset = ?2 WHERE reseller_id = ?1",
                &[id.into(), offset.into()],
            )?,
            None => self.run(
                "UPDATE tenants SET clock_offset = clock_offset + ?2
                 WHERE reseller_id = ?1 AND clock_offset IS NOT NULL",
                &[id.into(), delta.into()],
            )?,
        };
        Ok(self.tenant(id)?.and_then(|t| t.clock_offset))
    }

    /// The resellers that see a tenant's clock: each with its tenant
    /// (every tenant with a clock, and the sub-resellers below it).
    pub(crate) fn clocked_members(&mut self) -> StoreResult<Vec<(ResellerId, ResellerId)>> {
        self.all(
            "WITH RECURSIVE members (id, tenant) AS (
                 SELECT reseller_id, reseller_id FROM tenants WHERE clock_offset IS NOT NULL
                 UNION ALL
                 SELECT r.id, m.tenant FROM resellers r JOIN members m ON r.parent_id = m.id
             )
             SELECT id, tenant FROM members ORDER BY id",
            &[],
            |r| Ok((ResellerId(r.int(0)?), ResellerId(r.int(1)?))),
        )
    }

    /// A tenant's reseller and every sub-reseller below it.
    fn members(&mut self, tenant: ResellerId) -> StoreResult<Vec<i64>> {
        self.all(
            "WITH RECURSIVE members (id) AS (
                 SELECT id FROM resellers WHERE id = ?1
                 UNION ALL
                 SELECT r.id FROM resellers r JOIN members m ON r.parent_id = m.id
             )
             SELECT id FROM members",
            &[tenant.into()],
            |r| r.int(0),
        )
    }

    /// What each table's rows of a tenant are: (table, SQL condition).
    fn tenant_rows(&mut self, tenant: ResellerId) -> StoreResult<Vec<(&'static str, String)>> {
        let members = self.members(tenant)?;
        if members.is_empty() {
            return Err(StoreError::fault("a tenant without its reseller row"));
        }
        let list = id_list(&members);
        let reseller_keys = members
            .iter()
            .flat_map(|id| {
                [
                    Account::Reseller(ResellerId(*id)).key(),
                    Account::Earnings(ResellerId(*id)).key(),
                ]
            })
            .map(|key| format!("'{key}'"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(TENANT_TABLES
            .iter()
            .map(|table| (*table, owned_by(table, &list, &reseller_keys)))
            .collect())
    }

    /// The columns a table and its snapshot table share, as a SQL list.
    fn kept_columns(&mut self, table: &str) -> StoreResult<String> {
        let kept = self.columns(&format!("tenant_snap_{table}"))?;
        Ok(self
            .columns(table)?
            .into_iter()
            .filter(|c| kept.contains(c))
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// What money the transfers `source WHERE condition` moved into each
    /// account outside the tenants (negative: out of it).
    fn outside_flows(
        &mut self,
        source: &str,
        condition: &str,
        params: &[Value<'_>],
    ) -> StoreResult<Vec<(String, i64)>> {
        let outside = OUTSIDE
            .iter()
            .map(|a| format!("'{}'", a.key()))
            .collect::<Vec<_>>()
            .join(", ");
        let moved: Vec<(String, String, i64)> = self.all(
            &format!(
                "SELECT from_account, to_account, CAST(SUM(amount) AS BIGINT) FROM {source}
                 WHERE ({condition}) AND (from_account IN ({outside}) OR to_account IN ({outside}))
                 GROUP BY from_account, to_account"
            ),
            params,
            |r| Ok((r.text(0)?, r.text(1)?, r.int(2)?)),
        )?;
        let mut flows: Vec<(String, i64)> = Vec::new();
        let mut add = |key: &str, amount: i64| match flows.iter_mut().find(|(k, _)| k == key) {
            Some((_, sum)) => *sum += amount,
            None => flows.push((key.to_string(), amount)),
        };
        for (from, to, amount) in moved {
            if OUTSIDE.iter().any(|a| a.key() == to) {
                add(&to, amount);
            }
            if OUTSIDE.iter().any(|a| a.key() == from) {
                add(&from, -amount);
            }
        }
        Ok(flows)
    }

    /// Adds `sign` times each flow to its account's cached balance.
    fn apply_flows(&mut self, flows: &[(String, i64)], sign: i64) -> StoreResult<()> {
        for (key, amount) in flows {
            self.run(
                "INSERT INTO accounts (key, balance) VALUES (?1, 0) ON CONFLICT DO NOTHING",
                &[key.into()],
            )?;
            self.run(
                "UPDATE accounts SET balance = balance + ?2 WHERE key = ?1",
                &[key.into(), (sign * amount).into()],
            )?;
        }
        Ok(())
    }

    /// Deletes every row of a tenant but, when `keep_own_row`, its own
    /// reseller row (with its key); the accounts outside the tenants lose
    /// what its movements had brought them, so the ledger still balances.
    fn clear_tenant(&mut self, tenant: ResellerId, keep_own_row: bool) -> StoreResult<()> {
        let rows = self.tenant_rows(tenant)?;
        let (_, transfers) = rows
            .iter()
            .find(|(table, _)| *table == "transfers")
            .ok_or_else(|| StoreError::fault("no transfers among a tenant's tables"))?;
        let flows = self.outside_flows("transfers", transfers, &[])?;
        self.apply_flows(&flows, -1)?;
        for (table, condition) in &rows {
            if *table == "mails" {
                self.run(
                    &format!("DELETE FROM mail_queue WHERE mail_id IN (SELECT id FROM mails WHERE {condition})"),
                    &[],
                )?;
            }
            let condition = if *table == "resellers" && keep_own_row {
                format!("({condition}) AND id <> {}", tenant.0)
            } else {
                condition.clone()
            };
            self.run(&format!("DELETE FROM {table} WHERE {condition}"), &[])?;
        }
        Ok(())
    }

    /// A tenant emptied to its reseller row (its key kept), for the
    /// caller to give it its fresh state.
    pub(crate) fn empty_tenant(&mut self, tenant: ResellerId) -> StoreResult<()> {
        self.clear_tenant(tenant, true)
    }

    /// Removes a tenant and all it holds, its snapshots too.
    pub(crate) fn delete_tenant(&mut self, tenant: ResellerId) -> StoreResult<bool> {
        if self.tenant(tenant)?.is_none() {
            return Ok(false);
        }
        self.clear_tenant(tenant, false)?;
        let snapshots: Vec<i64> = self.all(
            "SELECT id FROM tenant_snapshots WHERE reseller_id = ?1",
            &[tenant.into()],
            |r| r.int(0),
        )?;
        for id in snapshots {
            self.drop_tenant_snapshot(id)?;
        }
        self.run(
            "DELETE FROM tenants WHERE reseller_id = ?1",
            &[tenant.into()],
        )?;
        Ok(true)
    }

    fn tenant_snapshot_id(&mut self, tenant: ResellerId, name: &str) -> StoreResult<Option<i64>> {
        self.one(
            "SELECT id FROM tenant_snapshots WHERE reseller_id = ?1 AND name = ?2",
            &[tenant.into(), name.into()],
            |r| r.int(0),
        )
    }

    fn drop_tenant_snapshot(&mut self, id: i64) -> StoreResult<()> {
        for table in TENANT_TABLES {
            self.run(
                &format!("DELETE FROM tenant_snap_{table} WHERE snapshot_id = ?1"),
                &[id.into()],
            )?;
        }
        self.run("DELETE FROM tenant_snapshots WHERE id = ?1", &[id.into()])?;
        Ok(())
    }

    /// Keeps a copy of a tenant's rows and clock under `name`, replacing
    /// its snapshot of that name.
    pub(crate) fn tenant_snapshot(
        &mut self,
        tenant: &Tenant,
        name: &str,
        now: i64,
    ) -> StoreResult<()> {
        if let Some(id) = self.tenant_snapshot_id(tenant.id, name)? {
            self.drop_tenant_snapshot(id)?;
        }
        self.run(
            "INSERT INTO tenant_snapshots (reseller_id, name, created, clock_offset)
             VALUES (?1, ?2, ?3, ?4)",
            &[
                tenant.id.into(),
                name.into(),
                now.into(),
                tenant.clock_offset.into(),
            ],
        )?;
        let id = self
            .tenant_snapshot_id(tenant.id, name)?
            .ok_or_else(|| StoreError::fault("a tenant's snapshot vanished as it was made"))?;
        for (table, condition) in self.tenant_rows(tenant.id)? {
            let columns = self.kept_columns(table)?;
            self.run(
                &format!(
                    "INSERT INTO tenant_snap_{table} (snapshot_id, {columns})
                     SELECT CAST(?1 AS BIGINT), {columns} FROM {table} WHERE {condition}"
                ),
                &[id.into()],
            )?;
        }
        Ok(())
    }

    /// Puts a tenant's rows and clock back as its snapshot `name` kept
    /// them; its key stays the one it has now. False when it has no such
    /// snapshot.
    pub(crate) fn tenant_restore(
        &mut self,
        tenant: &Tenant,
        name: &str,
    ) -> StoreResult<Result<(), TenantRefusal>> {
        let Some(id) = self.tenant_snapshot_id(tenant.id, name)? else {
            return Ok(Err(TenantRefusal::Snapshot));
        };
        // A domain name is registered once on the whole platform: a
        // snapshot's live name that another reseller registered since
        // stops the restore before anything changes.
        let members = id_list(&self.members(tenant.id)?);
        let taken: Vec<String> = self.all(
            &format!(
                "SELECT DISTINCT s.description FROM tenant_snap_orders s
                 JOIN orders o ON o.description = s.description AND o.product = s.product
                 WHERE s.snapshot_id = ?1 AND s.product = ?2
                   AND s.status NOT IN ('Deleted', 'Archived')
                   AND o.status NOT IN ('Deleted', 'Archived')
                   AND o.reseller_id NOT IN ({members})
                 ORDER BY s.description"
            ),
            &[id.into(), Product::Domain.key().into()],
            |r| r.text(0),
        )?;
        if !taken.is_empty() {
            return Ok(Err(TenantRefusal::NamesTaken(taken)));
        }
        let key: Option<String> = self.one(
            "SELECT api_key_hash FROM resellers WHERE id = ?1",
            &[tenant.id.into()],
            |r| r.text(0),
        )?;
        self.clear_tenant(tenant.id, false)?;
        for table in TENANT_TABLES.iter().rev() {
            let columns = self.kept_columns(table)?;
            self.run(
                &format!(
                    "INSERT INTO {table} ({columns})
                     SELECT {columns} FROM tenant_snap_{table} WHERE snapshot_id = ?1"
                ),
                &[id.into()],
            )?;
        }
        let flows =
            self.outside_flows("tenant_snap_transfers", "snapshot_id = ?1", &[id.into()])?;
        self.apply_flows(&flows, 1)?;
        if let Some(key) = key {
            self.run(
                "UPDATE resellers SET api_key_hash = ?2 WHERE id = ?1",
                &[tenant.id.into(), key.into()],
            )?;
        }
        let kept_clock: Option<Option<i64>> = self.one(
            "SELECT clock_offset FROM tenant_snapshots WHERE id = ?1",
            &[id.into()],
            |r| r.opt_int(0),
        )?;
        if let (Some(Some(offset)), Some(_)) = (kept_clock, tenant.clock_offset) {
            self.move_tenant_clock(tenant.id, 0, Some(offset))?;
        }
        Ok(Ok(()))
    }

    /// A tenant's snapshots, oldest first.
    pub(crate) fn tenant_snapshots(
        &mut self,
        tenant: ResellerId,
    ) -> StoreResult<Vec<TenantSnapshot>> {
        self.all(
            "SELECT name, created, clock_offset FROM tenant_snapshots WHERE reseller_id = ?1
             ORDER BY id",
            &[tenant.into()],
            |r| Ok((r.text(0)?, r.int(1)?, r.opt_int(2)?)),
        )
    }
}

/// Runs `$body` with `$tx`, a `SqlTx` of the backend, in one transaction:
/// on SQLite in the writer's group, on PostgreSQL on a connection of its own.
macro_rules! in_transaction {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.backend {
            crate::Backend::Sqlite(db) => db.in_transaction(move |$tx| $body).await,
            crate::Backend::Postgres(db) => {
                db.submit(move |conn| crate::pg::in_transaction(conn, |$tx| $body))
                    .await?
            }
        }
    };
}

/// Runs `$body` with `$tx`, a `SqlTx` of the backend, in a read
/// transaction: on SQLite on a reader, never the writer (the clocks are
/// read twice a second and must not cost a group commit), on PostgreSQL
/// on a reading worker.
macro_rules! in_read {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.backend {
            crate::Backend::Sqlite(db) => db.with_reader(|conn| {
                let $tx = &mut SqlTx::new(crate::sqlite::SqliteConn(conn));
                $body
            }),
            crate::Backend::Postgres(db) => {
                db.submit(move |conn| crate::pg::read_sql(conn, &|$tx| $body))
                    .await?
            }
        }
    };
}

/// A rule's error where only the store's are expected: the tenant's
/// fresh state is the demo's, which the rules never refuse.
fn as_store(error: reseller_core::Error) -> StoreError {
    match error {
        reseller_core::Error::Store(fault) => fault,
        reseller_core::Error::Rule(rule) => {
            StoreError::fault(format!("a tenant's fresh state: {rule}"))
        }
    }
}

/// Why a tenant's call did nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantRefusal {
    /// No tenant has the id.
    Tenant,
    /// The tenant has no snapshot of the name.
    Snapshot,
    /// The snapshot holds live domain names another reseller has
    /// registered since.
    NamesTaken(Vec<String>),
}

impl crate::Store {
    /// A tenant: a top-level reseller with the demo price list, `funds`
    /// from outside and the key whose digest is `api_key_hash`; with a
    /// clock of its own when `clock`, which starts where the global clock
    /// stands.
    pub async fn create_tenant(
        &self,
        name: String,
        api_key_hash: String,
        funds: Money,
        clock: bool,
        now: i64,
    ) -> StoreResult<Tenant> {
        in_transaction!(self, |tx| {
            let reseller =
                reseller_core::accounts::create_reseller(tx, &name, &api_key_hash, funds, now)
                    .map_err(as_store)?;
            let offset = tx.counter(crate::CLOCK_OFFSET, 0)?;
            let tenant = Tenant {
                id: reseller.id,
                funds: funds.0,
                clock_offset: clock.then_some(offset),
                created: now,
            };
            tx.insert_tenant(&tenant)?;
            Ok(tenant)
        })
    }

    /// The tenant `id`, if it is one.
    pub async fn tenant(&self, id: ResellerId) -> StoreResult<Option<Tenant>> {
        in_read!(self, |tx| tx.tenant(id))
    }

    /// Every tenant clock, with its offset.
    pub async fn tenant_clocks(&self) -> StoreResult<Vec<(ResellerId, i64)>> {
        in_read!(self, |tx| tx.tenant_clocks())
    }

    /// The resellers that see a tenant's clock, each with its tenant.
    pub async fn clocked_members(&self) -> StoreResult<Vec<(ResellerId, ResellerId)>> {
        in_read!(self, |tx| tx.clocked_members())
    }

    /// Moves a tenant's clock by `seconds` in the database; its offset
    /// after, None when it is no tenant or has no clock.
    pub async fn move_tenant_clock(
        &self,
        id: ResellerId,
        seconds: i64,
    ) -> StoreResult<Option<i64>> {
        in_transaction!(self, |tx| tx.move_tenant_clock(id, seconds, None))
    }

    /// Gives a tenant a clock of its own, starting where the global clock
    /// stands, unless it has one; the tenant as it is after.
    pub async fn attach_tenant_clock(&self, id: ResellerId) -> StoreResult<Option<Tenant>> {
        in_transaction!(self, |tx| {
            let Some(tenant) = tx.tenant(id)? else {
                return Ok(None);
            };
            if tenant.clock_offset.is_none() {
                let offset = tx.counter(crate::CLOCK_OFFSET, 0)?;
                tx.move_tenant_clock(id, 0, Some(offset))?;
            }
            tx.tenant(id)
        })
    }

    /// A tenant back to what it had when made: its rows deleted but its
    /// reseller's (its key stays), the demo price list and its opening
    /// funds given again, its clock (if it has one) where the global
    /// clock stands. Its snapshots stay.
    pub async fn reset_tenant(&self, id: ResellerId, now: i64) -> StoreResult<Option<Tenant>> {
        in_transaction!(self, |tx| {
            let Some(tenant) = tx.tenant(id)? else {
                return Ok(None);
            };
            tx.empty_tenant(id)?;
            reseller_core::accounts::restore_demo(tx, id, Money(tenant.funds), now)
                .map_err(as_store)?;
            if tenant.clock_offset.is_some() {
                let offset = tx.counter(crate::CLOCK_OFFSET, 0)?;
                tx.move_tenant_clock(id, 0, Some(offset))?;
            }
            tx.tenant(id)
        })
    }

    /// Removes a tenant, all it holds and its snapshots; false when `id`
    /// is no tenant.
    pub async fn delete_tenant(&self, id: ResellerId) -> StoreResult<bool> {
        in_transaction!(self, |tx| tx.delete_tenant(id))
    }

    /// Keeps a tenant's rows and clock under `name`.
    pub async fn tenant_snapshot(
        &self,
        id: ResellerId,
        name: String,
        now: i64,
    ) -> StoreResult<Result<(), TenantRefusal>> {
        in_transaction!(self, |tx| {
            let Some(tenant) = tx.tenant(id)? else {
                return Ok(Err(TenantRefusal::Tenant));
            };
            tx.tenant_snapshot(&tenant, &name, now)?;
            Ok(Ok(()))
        })
    }

    /// Puts a tenant's rows and clock back as its snapshot `name` kept
    /// them; the tenant after.
    pub async fn tenant_restore(
        &self,
        id: ResellerId,
        name: String,
    ) -> StoreResult<Result<Tenant, TenantRefusal>> {
        in_transaction!(self, |tx| {
            let Some(tenant) = tx.tenant(id)? else {
                return Ok(Err(TenantRefusal::Tenant));
            };
            if let Err(refused) = tx.tenant_restore(&tenant, &name)? {
                return Ok(Err(refused));
            }
            Ok(tx.tenant(id)?.ok_or(TenantRefusal::Tenant))
        })
    }

    /// A tenant's snapshots, oldest first; None when `id` is no tenant.
    pub async fn tenant_snapshots(
        &self,
        id: ResellerId,
    ) -> StoreResult<Option<Vec<TenantSnapshot>>> {
        in_read!(self, |tx| match tx.tenant(id)? {
            None => Ok(None),
            Some(_) => tx.tenant_snapshots(id).map(Some),
        })
    }
}

impl crate::Store {
    /// Every tenant, by id.
    pub async fn tenants(&self) -> StoreResult<Vec<Tenant>> {
        in_read!(self, |tx| tx.all_tenants())
    }
}

impl<C: Conn> SqlTx<C> {
    fn all_tenants(&mut self) -> StoreResult<Vec<Tenant>> {
        self.all(
            "SELECT reseller_id, funds, clock_offset, created FROM tenants ORDER BY reseller_id",
            &[],
            tenant_row,
        )
    }
}
