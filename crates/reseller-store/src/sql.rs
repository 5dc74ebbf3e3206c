//! Every query of the store, written once for both databases. A backend
//! gives a [`Conn`]: run a statement with [`Value`] parameters and hand
//! back rows as [`Cells`]. The SQL is the portable subset both engines
//! speak (numbered `?N` parameters, `RETURNING`, `ON CONFLICT`, `LIKE`,
//! `CAST`); the one thing they spell differently, a parameter list, is the
//! [`Dialect`]'s. [`SqlTx`] implements the whole port over any `Conn`.

use crate::read_cache::CacheUse;
use crate::records;
use reseller_core::catalogue::{Plan, Price, PriceAction, Product};
use reseller_core::lifecycle;
use reseller_core::model::{
    Account, Action, Contact, Customer, DefaultContacts, Invoice, Mail, Order, OrderStatus,
    Reseller, Token,
};
use reseller_core::provisioning::Provisioning;
use reseller_core::time::Epoch;
use reseller_core::tx::{
    Accounts, ActionQuery, ActionRecord, ContactQuery, CustomerQuery, DueScope, Found, OrderQuery,
    Page, ReadTx, SearchTx, StoreResult, TransactionType, Transfer, TransferKind, TransferQuery,
    TransferSort, WriteTx,
};
use reseller_core::{
    ActionId, ContactId, CustomerId, InvoiceId, Money, OrderId, PlanId, ResellerId, StoreError,
};
use std::borrow::Cow;

/// A statement parameter.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(Cow<'a, str>),
    /// A list, bound as one array parameter (PostgreSQL only; SQLite binds
    /// each element, see [`Dialect::any_of`]).
    Ints(Vec<i64>),
    Texts(Vec<String>),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

macro_rules! id_values {
    ($($id:ty),*) => {
        $(impl From<$id> for Value<'_> {
            fn from(id: $id) -> Self {
                Value::Int(id.0)
            }
        })*
    };
}

id_values!(
    ResellerId, CustomerId, OrderId, ActionId, InvoiceId, PlanId, ContactId
);

impl From<u32> for Value<'_> {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Value<'_> {
    fn from(v: String) -> Self {
        Value::Text(Cow::Owned(v))
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One cell of a result row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
}

/// The cells of one result row, by column position.
pub(crate) trait Cells {
    fn cell(&self, i: usize) -> StoreResult<Cell>;
    /// How many cells the row has.
    fn width(&self) -> usize;
}

impl dyn Cells + '_ {
    pub(crate) fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(v)),
            other => Err(mismatch(i, "an integer", &other)),
        }
    }

    pub(crate) fn int(&self, i: usize) -> StoreResult<i64> {
        self.opt_int(i)?
            .ok_or_else(|| StoreError::corrupt(format!("column {i} is NULL")))
    }

    pub(crate) fn text(&self, i: usize) -> StoreResult<String> {
        match self.cell(i)? {
            Cell::Text(v) => Ok(v),
            other => Err(mismatch(i, "text", &other)),
        }
    }

    /// A flag: SQLite keeps it as 0 or 1, PostgreSQL as a boolean.
    pub(crate) fn opt_flag(&self, i: usize) -> StoreResult<Option<bool>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Bool(v) => Ok(Some(v)),
            Cell::Int(v) => Ok(Some(v != 0)),
            other => Err(mismatch(i, "a flag", &other)),
        }
    }

    pub(crate) fn flag(&self, i: usize) -> StoreResult<bool> {
        self.opt_flag(i)?
            .ok_or_else(|| StoreError::corrupt(format!("column {i} is NULL")))
    }

    /// The cell as text, whatever it holds; for the ledger check's queries.
    pub(crate) fn as_text(&self, i: usize) -> StoreResult<Option<String>> {
        Ok(match self.cell(i)? {
            Cell::Null => None,
            Cell::Int(v) => Some(v.to_string()),
            Cell::Bool(v) => Some(v.to_string()),
            Cell::Text(v) => Some(v),
        })
    }
}

fn mismatch(i: usize, wanted: &str, found: &Cell) -> StoreError {
    StoreError::corrupt(format!("column {i}: expected {wanted}, found {found:?}"))
}

/// What differs in the SQL the two engines take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `column` is one of `values`. PostgreSQL binds the list as one array
    /// (`= ANY(?N)`, one statement for any length); SQLite has no arrays,
    /// so each value is bound (`IN (?N, ?M)`), which its planner turns into
    /// index lookups.
    fn any_of<'a>(self, filter: &mut Filter<'a>, column: &str, values: Vec<Value<'a>>) {
        match self {
            Dialect::Postgres => {
                let list = match values.first() {
                    Some(Value::Int(_)) => Value::Ints(
                        values
                            .iter()
                            .filter_map(|v| match v {
                                Value::Int(i) => Some(*i),
                                _ => None,
                            })
                            .collect(),
                    ),
                    _ => Value::Texts(
                        values
                            .iter()
                            .filter_map(|v| match v {
                                Value::Text(t) => Some(t.to_string()),
                                _ => None,
                            })
                            .collect(),
                    ),
                };
                let mark = filter.mark(list);
                filter.clauses.push(format!("{column} = ANY({mark})"));
            }
            Dialect::Sqlite => {
                let marks: Vec<String> = values.into_iter().map(|v| filter.mark(v)).collect();
                filter
                    .clauses
                    .push(format!("{column} IN ({})", marks.join(", ")));
            }
        }
    }
}

/// What a query hands each row to.
pub(crate) type EachRow<'a> = &'a mut dyn FnMut(&dyn Cells) -> StoreResult<()>;

/// A connection inside an open transaction, as the queries need it.
pub(crate) trait Conn {
    fn dialect(&self) -> Dialect;
    /// Runs a query and hands each row to `each`.
    fn query(&mut self, sql: &str, params: &[Value], each: EachRow) -> StoreResult<()>;
    /// Runs a statement; answers how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<u64>;
    /// Runs statements without parameters (savepoints).
    fn batch(&mut self, sql: &str) -> StoreResult<()>;
    /// The cache of the database's version this read started under, where
    /// the connection reads with one (`read_cache`).
    fn cache(&mut self) -> Option<&mut CacheUse> {
        None
    }
}

/// A WHERE clause built from optional filters, with its bound values.
pub(crate) struct Filter<'a> {
    dialect: Dialect,
    clauses: Vec<String>,
    values: Vec<Value<'a>>,
}

/// `text` with LIKE's wildcards and escape character escaped by `\\`.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl<'a> Filter<'a> {
    pub(crate) fn new(dialect: Dialect) -> Filter<'a> {
        Filter {
            dialect,
            clauses: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Binds a value and answers its placeholder.
    fn mark(&mut self, value: Value<'a>) -> String {
        self.values.push(value);
        format!("?{}", self.values.len())
    }

    fn eq(&mut self, column: &str, value: impl Into<Value<'a>>) {
        let mark = self.mark(value.into());
        self.clauses.push(format!("{column} = {mark}"));
    }

    fn any_of<T: Into<Value<'a>> + Clone>(&mut self, column: &str, values: &[T]) {
        if !values.is_empty() {
            let values = values.iter().cloned().map(Into::into).collect();
            self.dialect.any_of(self, column, values);
        }
    }

    fn compare(&mut self, column: &str, op: &str, value: Option<i64>) {
        if let Some(value) = value {
            let mark = self.mark(value.into());
            self.clauses.push(format!("{column} {op} {mark}"));
        }
    }

    /// `column` is `value`, ignoring case.
    fn equals_ignoring_case(&mut self, column: &str, value: &str) {
        let mark = self.mark(value.to_lowercase().into());
        self.clauses.push(format!("lower({column}) = {mark}"));
    }

    /// `column` contains `needle`, ignoring case.
    fn contains(&mut self, column: &str, needle: &str) {
        let mark = self.mark(format!("%{}%", like_escaped(&needle.to_lowercase())).into());
        self.clauses
            .push(format!("lower({column}) LIKE {mark} ESCAPE '\\'"));
    }

    /// `column` holds `fragment` exactly (`present`), or does not.
    fn holds(&mut self, column: &str, fragment: &str, present: bool) {
        let mark = self.mark(format!("%{}%", like_escaped(fragment)).into());
        let like = if present { "LIKE" } else { "NOT LIKE" };
        self.clauses
            .push(format!("{column} {like} {mark} ESCAPE '\\'"));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

// Column lists as macros, so that the hot queries are literals built at
// compile time rather than strings formatted on every call.
macro_rules! reseller_columns {
    () => {
        "id, name, api_key_hash, allowed_ips, active, created, parent_id, username, password_hash, profile"
    };
}
macro_rules! customer_columns { () => { "id, reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts, pin, extras" }; }
macro_rules! plan_columns {
    () => {
        "id, product, name, active, limits"
    };
}
macro_rules! price_columns {
    () => {
        "plan_id, action, months, selling, cost"
    };
}
macro_rules! order_columns { () => { "id, reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs" }; }
macro_rules! action_columns { () => { "id, order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id, months, units, auto_renew, selling, discount, cost, created, executed, addons, upstream" }; }
macro_rules! contact_columns { () => { "id, reseller_id, customer_id, kind, name, company, email, address1, address2, address3, city, state, country, zip, phone_cc, phone, fax_cc, fax, attributes, status, created" }; }
macro_rules! invoice_columns {
    () => {
        "id, reseller_id, customer_id, order_id, amount, status, description, created"
    };
}

type Decode<T> = fn(&dyn Cells) -> StoreResult<T>;

/// The port over one connection in an open transaction: every query, once.
pub(crate) struct SqlTx<C> {
    pub(crate) conn: C,
    /// Whether the order and customer last read or written are kept
    /// (`last_order`, `last_customer`).
    keeps_last_rows: bool,
    /// The order last read or written, as stored: `update_order` compares
    /// against it rather than reading it again (a job reads its order,
    /// then writes it). Kept only where nothing rolls back part of the
    /// transaction under it (a write request on SQLite runs whole or not).
    last_order: Option<Order>,
    /// The customer last read or written, as stored: a page of the clock's
    /// jobs mails the same customer's orders one after another.
    last_customer: Option<Customer>,
    /// Whether each mail kept is queued for delivery over SMTP too
    /// (`Store::queue_mail`).
    queues_mail: bool,
}

impl<C: Conn> SqlTx<C> {
    pub(crate) fn new(conn: C) -> SqlTx<C> {
        SqlTx {
            conn,
            keeps_last_rows: false,
            last_order: None,
            last_customer: None,
            queues_mail: false,
        }
    }

    /// The same transaction, queueing each mail it keeps for delivery when
    /// `on`.
    pub(crate) fn queuing_mail(mut self, on: bool) -> SqlTx<C> {
        self.queues_mail = on;
        self
    }

    /// A transaction that keeps the order and customer last read or written.
    pub(crate) fn keeping_last_rows(conn: C) -> SqlTx<C> {
        SqlTx {
            keeps_last_rows: true,
            ..SqlTx::new(conn)
        }
    }

    pub(crate) fn all<T>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        decode: Decode<T>,
    ) -> StoreResult<Vec<T>> {
        let mut found = Vec::new();
        self.conn.query(sql, params, &mut |row| {
            found.push(decode(row)?);
            Ok(())
        })?;
        Ok(found)
    }

    pub(crate) fn one<T>(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        decode: Decode<T>,
    ) -> StoreResult<Option<T>> {
        let mut found = None;
        self.conn.query(sql, params, &mut |row| {
            if found.is_none() {
                found = Some(decode(row)?);
            }
            Ok(())
        })?;
        Ok(found)
    }

    fn scalar(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<i64> {
        self.one(sql, params, |row| row.int(0))?
            .ok_or_else(|| StoreError::fault(format!("no row from {sql}")))
    }

    /// Runs an `INSERT ... RETURNING id`.
    fn insert<Id: From<i64>>(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<Id> {
        Ok(Id::from(self.scalar(sql, params)?))
    }

    pub(crate) fn run(&mut self, sql: &str, params: &[Value<'_>]) -> StoreResult<u64> {
        self.conn.execute(sql, params)
    }

    fn search<T>(
        &mut self,
        table: &str,
        columns: &str,
        filter: Filter<'_>,
        order_by: &str,
        page: Page,
        decode: Decode<T>,
    ) -> StoreResult<Found<T>> {
        let total = self.scalar(
            &format!("SELECT COUNT(*) FROM {table} {}", filter.sql()),
            &filter.values,
        )?;
        let records = self.page(table, columns, filter, order_by, page, decode)?;
        Ok(Found {
            total: total as u64,
            records,
        })
    }

    /// One page of the matching records. The page's ids come from the index
    /// alone, so that the rows an offset skips are never read; then those
    /// ids' rows. Limit and offset are bound, not formatted in: one prepared
    /// statement serves every page.
    fn page<T>(
        &mut self,
        table: &str,
        columns: &str,
        mut filter: Filter<'_>,
        order_by: &str,
        page: Page,
        decode: Decode<T>,
    ) -> StoreResult<Vec<T>> {
        let condition = filter.sql();
        let limit = filter.mark(Value::Int(i64::from(page.records)));
        let offset = filter.mark(Value::Int(i64::try_from(page.offset()).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {columns} FROM {table} WHERE id IN
               (SELECT id FROM {table} {condition} ORDER BY {order_by} LIMIT {limit} OFFSET {offset})
             ORDER BY {order_by}"
        );
        self.all(&sql, &filter.values, decode)
    }

    fn count_order(&mut self, order: &Order, status: &str, delta: i64) -> StoreResult<()> {
        self.run(
            "INSERT INTO order_counts (reseller_id, product, status, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = order_counts.n + excluded.n",
            &[
                order.reseller_id.into(),
                order.product.key().into(),
                status.into(),
                delta.into(),
            ],
        )?;
        Ok(())
    }

    /// Moves an order from its old status's count to its new one's, in
    /// one statement.
    fn recount_order(&mut self, was: &Order, now: &Order) -> StoreResult<()> {
        self.run(
            "INSERT INTO order_counts (reseller_id, product, status, n) VALUES (?1, ?2, ?3, -1), (?4, ?5, ?6, 1)
             ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = order_counts.n + excluded.n",
            &[
                was.reseller_id.into(),
                was.product.key().into(),
                was.status.as_str().into(),
                now.reseller_id.into(),
                now.product.key().into(),
                now.status.as_str().into(),
            ],
        )?;
        Ok(())
    }

    fn add_to_balance(&mut self, account: &str, delta: i64) -> StoreResult<()> {
        self.run(
            "INSERT INTO accounts (key, balance) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET balance = accounts.balance + excluded.balance",
            &[account.into(), delta.into()],
        )?;
        Ok(())
    }

    /// A customer with its funds, in one query: an order reads both.
    pub(crate) fn customer_with_funds(
        &mut self,
        id: CustomerId,
    ) -> StoreResult<Option<(Customer, Money)>> {
        self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                ", (SELECT balance FROM accounts WHERE key = ?2) FROM customers WHERE id = ?1"
            ),
            &[id.into(), Account::Customer(id).key().into()],
            |row| {
                let funds = row.opt_int(19)?.unwrap_or(0);
                Ok((records::customer(row)?, Money(funds)))
            },
        )
    }

    /// Every stored order of these products with this name.
    pub(crate) fn orders_named(
        &mut self,
        reseller_id: ResellerId,
        products: &[Product],
        description: &str,
    ) -> StoreResult<Vec<Order>> {
        let mut f = Filter::new(self.conn.dialect());
        f.eq("reseller_id", reseller_id);
        f.eq("description", description);
        f.any_of("product", &product_keys(products));
        let sql = format!(
            concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders {} ORDER BY (status IN ('Deleted', 'Archived')), id DESC"
            ),
            f.sql()
        );
        self.all(&sql, &f.values, records::order)
    }

    /// Every stored order of a product with this name, of any reseller.
    pub(crate) fn orders_named_anywhere(
        &mut self,
        product: Product,
        name: &str,
    ) -> StoreResult<Vec<Order>> {
        self.all(
            concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE description = ?1 AND product = ?2 ORDER BY id"
            ),
            &[name.into(), product.key().into()],
            records::order,
        )
    }

    /// Every stored action of an order that waits for payment.
    pub(crate) fn pending_actions(&mut self, order_id: OrderId) -> StoreResult<Vec<Action>> {
        self.all(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE order_id = ?1 AND status = 'PendingExecution'"
            ),
            &[order_id.into()],
            records::action,
        )
    }

    /// Every stored action an invoice bills (one, unless the data is corrupt).
    pub(crate) fn actions_of_invoice(&mut self, invoice_id: InvoiceId) -> StoreResult<Vec<Action>> {
        self.all(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE invoice_id = ?1"
            ),
            &[invoice_id.into()],
            records::action,
        )
    }

    /// A stored balance, as kept in `accounts`.
    pub(crate) fn stored_balance(&mut self, key: &str) -> StoreResult<i64> {
        Ok(self
            .one(
                "SELECT balance FROM accounts WHERE key = ?1",
                &[key.into()],
                |r| r.int(0),
            )?
            .unwrap_or(0))
    }

    /// Keeps a copy of every table of business data under `name`,
    /// replacing a snapshot of that name, with the clock's offset.
    pub(crate) fn snapshot(&mut self, name: &str, now: i64) -> StoreResult<()> {
        if let Some(id) = self.snapshot_id(name)? {
            self.drop_snapshot(id)?;
        }
        let offset = self.counter(crate::CLOCK_OFFSET, 0)?;
        self.run(
            "INSERT INTO snapshots (name, created, clock_offset) VALUES (?1, ?2, ?3)",
            &[name.into(), now.into(), offset.into()],
        )?;
        let id = self
            .snapshot_id(name)?
            .ok_or_else(|| StoreError::fault("a snapshot vanished as it was made"))?;
        for table in DATA_TABLES {
            self.run(
                &format!("CREATE TABLE snap_{id}_{table} AS SELECT * FROM {table}"),
                &[],
            )?;
        }
        Ok(())
    }

    fn snapshot_id(&mut self, name: &str) -> StoreResult<Option<i64>> {
        self.one(
            "SELECT id FROM snapshots WHERE name = ?1",
            &[name.into()],
            |r| r.int(0),
        )
    }

    fn drop_snapshot(&mut self, id: i64) -> StoreResult<()> {
        for table in DATA_TABLES {
            self.run(&format!("DROP TABLE IF EXISTS snap_{id}_{table}"), &[])?;
        }
        self.run("DELETE FROM snapshots WHERE id = ?1", &[id.into()])?;
        Ok(())
    }

    /// Puts every table of business data back as snapshot `name` kept it,
    /// with its clock, and moves the reset generation. False when there
    /// is no such snapshot.
    pub(crate) fn restore(&mut self, name: &str) -> StoreResult<bool> {
        let Some(id) = self.snapshot_id(name)? else {
            return Ok(false);
        };
        for table in DATA_TABLES {
            // The columns both have: a snapshot kept before a migration
            // added a column lacks it, and the column's default fills it.
            let kept = self.columns(&format!("snap_{id}_{table}"))?;
            let shared: Vec<String> = self
                .columns(table)?
                .into_iter()
                .filter(|c| kept.contains(c))
                .collect();
            let shared = shared.join(", ");
            self.run(&format!("DELETE FROM {table}"), &[])?;
            self.run(
                &format!("INSERT INTO {table} ({shared}) SELECT {shared} FROM snap_{id}_{table}"),
                &[],
            )?;
        }
        self.run("DELETE FROM mail_queue", &[])?;
        let offset = self
            .one(
                "SELECT clock_offset FROM snapshots WHERE id = ?1",
                &[id.into()],
                |r| r.int(0),
            )?
            .unwrap_or(0);
        let now = self.counter(crate::CLOCK_OFFSET, 0)?;
        self.counter(crate::CLOCK_OFFSET, offset - now)?;
        self.counter(crate::RESET_GENERATION, 1)?;
        Ok(true)
    }

    /// A table's columns, in their order.
    pub(crate) fn columns(&mut self, table: &str) -> StoreResult<Vec<String>> {
        let sql = match self.conn.dialect() {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Dialect::Postgres => {
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1
                 ORDER BY ordinal_position"
            }
        };
        self.all(sql, &[table.into()], |r| r.text(0))
    }

    /// The snapshots kept: name, when made, clock offset, oldest first.
    pub(crate) fn snapshots(&mut self) -> StoreResult<Vec<(String, i64, i64)>> {
        self.all(
            "SELECT name, created, clock_offset FROM snapshots ORDER BY id",
            &[],
            |r| Ok((r.text(0)?, r.int(1)?, r.int(2)?)),
        )
    }

    /// Empties every table of business data but for the reseller `keep`,
    /// whose row (with its key) stays; the catalogue and the secrets stay
    /// too, the clock goes back to real time, and the reset generation
    /// moves (`Store::reset`). Answers `keep`'s opening funds, in
    /// thousandths (its first funds from outside), for the caller to give
    /// back.
    pub(crate) fn reset(&mut self, keep: i64) -> StoreResult<i64> {
        let opening = self
            .one(
                "SELECT amount FROM transfers WHERE from_account = 'external' AND to_account = ?1
                 ORDER BY id LIMIT 1",
                &[format!("reseller:{keep}").into()],
                |r| r.int(0),
            )?
            .unwrap_or(0);
        for table in DATA_TABLES
            .iter()
            .filter(|t| !matches!(**t, "resellers" | "plans"))
        {
            self.run(&format!("DELETE FROM {table}"), &[])?;
        }
        self.run("DELETE FROM resellers WHERE id <> ?1", &[keep.into()])?;
        self.run("DELETE FROM mail_queue", &[])?;
        self.run(
            "DELETE FROM meta WHERE key = ?1",
            &[crate::CLOCK_OFFSET.into()],
        )?;
        self.counter(crate::RESET_GENERATION, 1)?;
        Ok(opening)
    }

    /// A whole number kept under a meta key (0 until first moved), moved
    /// by `delta` in the database itself, so that concurrent moves add up.
    pub(crate) fn counter(&mut self, name: &str, delta: i64) -> StoreResult<i64> {
        if delta != 0 {
            self.run(
                "INSERT INTO meta (key, value) VALUES (?1, '0') ON CONFLICT DO NOTHING",
                &[name.into()],
            )?;
            self.run(
                "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + ?2 AS TEXT) WHERE key = ?1",
                &[name.into(), delta.into()],
            )?;
        }
        Ok(self
            .one(
                "SELECT CAST(value AS BIGINT) FROM meta WHERE key = ?1",
                &[name.into()],
                |r| r.int(0),
            )?
            .unwrap_or(0))
    }

    /// The value of a meta key, set to `fresh` if it has none yet.
    pub(crate) fn secret(&mut self, name: &str, fresh: &str) -> StoreResult<String> {
        self.run(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[name.into(), fresh.into()],
        )?;
        self.one(
            "SELECT value FROM meta WHERE key = ?1",
            &[name.into()],
            |r| r.text(0),
        )?
        .ok_or_else(|| StoreError::fault(format!("meta key {name} vanished")))
    }
}

/// The tables of business data: what a snapshot keeps and a reset
/// empties (the catalogue's `plans` only by snapshots; `resellers` but the
/// demo one by resets).
const DATA_TABLES: [&str; 33] = [
    "accounts",
    "actions",
    "contacts",
    "customers",
    "default_contacts",
    "invoices",
    "mails",
    "order_counts",
    "orders",
    "plans",
    "prices",
    "provisioning",
    "receipts",
    "resellers",
    "tokens",
    "transfers",
    "tenants",
    "tenant_snapshots",
    "tenant_snap_transfers",
    "tenant_snap_accounts",
    "tenant_snap_default_contacts",
    "tenant_snap_actions",
    "tenant_snap_contacts",
    "tenant_snap_invoices",
    "tenant_snap_mails",
    "tenant_snap_order_counts",
    "tenant_snap_orders",
    "tenant_snap_prices",
    "tenant_snap_provisioning",
    "tenant_snap_receipts",
    "tenant_snap_tokens",
    "tenant_snap_customers",
    "tenant_snap_resellers",
];

fn product_keys(products: &[Product]) -> Vec<&'static str> {
    products.iter().map(|p| p.key()).collect()
}

/// A customer's fields that may change, in the order both the insert and
/// the update bind them.
fn customer_fields(c: &Customer) -> StoreResult<[Value<'_>; 16]> {
    Ok([
        (&c.pin).into(),
        serde_json::to_string(&c.extras)
            .map_err(StoreError::fault)?
            .into(),
        (&c.username).into(),
        (&c.name).into(),
        (&c.company).into(),
        (&c.address1).into(),
        (&c.city).into(),
        (&c.state).into(),
        (&c.country).into(),
        (&c.zipcode).into(),
        (&c.phone_cc).into(),
        (&c.phone).into(),
        (&c.lang_pref).into(),
        (&c.password_hash).into(),
        c.status.as_str().into(),
        c.total_receipts.0.into(),
    ])
}

/// A contact's fields that may change, in the order both the insert and
/// the update bind them.
fn contact_fields(c: &Contact) -> StoreResult<[Value<'_>; 17]> {
    Ok([
        (&c.kind).into(),
        (&c.name).into(),
        (&c.company).into(),
        (&c.email).into(),
        (&c.address1).into(),
        (&c.address2).into(),
        (&c.address3).into(),
        (&c.city).into(),
        (&c.state).into(),
        (&c.country).into(),
        (&c.zip).into(),
        (&c.phone_cc).into(),
        (&c.phone).into(),
        (&c.fax_cc).into(),
        (&c.fax).into(),
        serde_json::to_string(&c.attributes)
            .map_err(StoreError::fault)?
            .into(),
        c.status.as_str().into(),
    ])
}

/// A reseller's columns after its id and creation, in their order.
fn reseller_fields(r: &Reseller) -> StoreResult<Vec<Value<'_>>> {
    Ok(vec![
        (&r.name).into(),
        (&r.api_key_hash).into(),
        r.allowed_ips.join(",").into(),
        r.active.into(),
        r.parent.map(|p| p.0).into(),
        (&r.username).into(),
        (&r.password_hash).into(),
        serde_json::to_string(&r.profile)
            .map_err(StoreError::fault)?
            .into(),
    ])
}

fn attrs_text(order: &Order) -> StoreResult<String> {
    serde_json::to_string(&order.attrs).map_err(StoreError::fault)
}

impl<C: Conn> ReadTx for SqlTx<C> {
    fn reseller(&mut self, id: ResellerId) -> StoreResult<Option<Reseller>> {
        self.one(
            concat!(
                "SELECT ",
                reseller_columns!(),
                " FROM resellers WHERE id = ?1"
            ),
            &[id.into()],
            records::reseller,
        )
    }

    fn reseller_ids(&mut self) -> StoreResult<Vec<ResellerId>> {
        self.all("SELECT id FROM resellers ORDER BY id", &[], |r| {
            Ok(ResellerId(r.int(0)?))
        })
    }

    fn reseller_by_username(&mut self, username: &str) -> StoreResult<Option<Reseller>> {
        self.one(
            concat!(
                "SELECT ",
                reseller_columns!(),
                " FROM resellers WHERE username = ?1"
            ),
            &[username.into()],
            records::reseller,
        )
    }

    fn sub_resellers(&mut self, parent: ResellerId) -> StoreResult<Vec<Reseller>> {
        self.all(
            concat!(
                "SELECT ",
                reseller_columns!(),
                " FROM resellers WHERE parent_id = ?1 ORDER BY id"
            ),
            &[parent.into()],
            records::reseller,
        )
    }

    fn customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        if let Some(kept) = self.last_customer.as_ref().filter(|c| c.id == id) {
            return Ok(Some(kept.clone()));
        }
        let found = self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                " FROM customers WHERE id = ?1"
            ),
            &[id.into()],
            records::customer,
        )?;
        if self.keeps_last_rows {
            self.last_customer = found.clone();
        }
        Ok(found)
    }

    fn customer_by_username(
        &mut self,
        reseller_id: ResellerId,
        username: &str,
    ) -> StoreResult<Option<Customer>> {
        self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                " FROM customers WHERE reseller_id = ?1 AND username = ?2"
            ),
            &[reseller_id.into(), username.into()],
            records::customer,
        )
    }

    fn plans(&mut self) -> StoreResult<Vec<Plan>> {
        self.all(
            concat!("SELECT ", plan_columns!(), " FROM plans ORDER BY id"),
            &[],
            records::plan,
        )
    }

    fn plan(&mut self, plan_id: PlanId) -> StoreResult<Option<Plan>> {
        self.one(
            concat!("SELECT ", plan_columns!(), " FROM plans WHERE id = ?1"),
            &[plan_id.into()],
            records::plan,
        )
    }

    fn prices(&mut self, reseller_id: ResellerId) -> StoreResult<Vec<Price>> {
        self.all(
            concat!(
                "SELECT ",
                price_columns!(),
                " FROM prices WHERE reseller_id = ?1 ORDER BY plan_id, action, months"
            ),
            &[reseller_id.into()],
            records::price,
        )
    }

    fn price(
        &mut self,
        reseller_id: ResellerId,
        plan_id: PlanId,
        action: PriceAction,
        months: u32,
    ) -> StoreResult<Option<Price>> {
        let key = (reseller_id, plan_id, action, months);
        if let Some(hit) = self.conn.cache().and_then(|c| c.price(&key)) {
            return Ok(hit);
        }
        let found = self.one(
            concat!(
                "SELECT ",
                price_columns!(),
                " FROM prices WHERE reseller_id = ?1 AND plan_id = ?2 AND action = ?3 AND months = ?4"
            ),
            &[
                reseller_id.into(),
                plan_id.into(),
                action.key().into(),
                months.into(),
            ],
            records::price,
        )?;
        if let Some(cache) = self.conn.cache() {
            cache.found.prices.push((key, found.clone()));
        }
        Ok(found)
    }

    fn order(&mut self, id: OrderId) -> StoreResult<Option<Order>> {
        if let Some(hit) = self.conn.cache().and_then(|c| c.order(id)) {
            return Ok(hit);
        }
        let found = self.one(
            concat!("SELECT ", order_columns!(), " FROM orders WHERE id = ?1"),
            &[id.into()],
            records::order,
        )?;
        if let Some(cache) = self.conn.cache() {
            cache.found.orders.push((id, found.clone()));
        }
        if self.keeps_last_rows {
            self.last_order = found.clone();
        }
        Ok(found)
    }

    fn order_id_by_description(
        &mut self,
        reseller_id: ResellerId,
        products: &[Product],
        description: &str,
    ) -> StoreResult<Option<OrderId>> {
        Ok(self
            .orders_named(reseller_id, products, description)?
            .first()
            .map(|o| o.id))
    }

    fn action(&mut self, id: ActionId) -> StoreResult<Option<Action>> {
        self.one(
            concat!("SELECT ", action_columns!(), " FROM actions WHERE id = ?1"),
            &[id.into()],
            records::action,
        )
    }

    fn pending_action(&mut self, order_id: OrderId) -> StoreResult<Option<Action>> {
        Ok(self.pending_actions(order_id)?.into_iter().next())
    }

    fn provisioning(&mut self, reseller_id: ResellerId) -> StoreResult<Provisioning> {
        let mode = self.one(
            "SELECT mode FROM provisioning WHERE reseller_id = ?1",
            &[reseller_id.into()],
            |r| r.text(0),
        )?;
        match mode {
            None => Ok(Provisioning::Instant),
            Some(mode) => Provisioning::parse(&mode)
                .ok_or_else(|| StoreError::corrupt(format!("a provisioning mode {mode:?}"))),
        }
    }

    fn action_by_invoice(&mut self, invoice_id: InvoiceId) -> StoreResult<Option<Action>> {
        let mut found = self.actions_of_invoice(invoice_id)?;
        one_action_per_invoice(invoice_id, &mut found)
    }

    fn invoice(&mut self, id: InvoiceId) -> StoreResult<Option<Invoice>> {
        self.one(
            concat!(
                "SELECT ",
                invoice_columns!(),
                " FROM invoices WHERE id = ?1"
            ),
            &[id.into()],
            records::invoice,
        )
    }

    fn balance(&mut self, account: Account) -> StoreResult<Money> {
        Ok(Money(self.stored_balance(&account.key())?))
    }

    fn live_order_named(&mut self, product: Product, name: &str) -> StoreResult<Option<OrderId>> {
        let key = (product, name.to_string());
        if let Some(hit) = self.conn.cache().and_then(|c| c.name(&key)) {
            return Ok(hit);
        }
        let found = self
            .orders_named_anywhere(product, name)?
            .into_iter()
            .find(|o| !matches!(o.status, OrderStatus::Deleted | OrderStatus::Archived))
            .map(|o| o.id);
        if let Some(cache) = self.conn.cache() {
            cache.found.names.push((key, found));
        }
        Ok(found)
    }

    fn live_orders_of(&mut self, customer_id: CustomerId) -> StoreResult<Vec<OrderId>> {
        self.all(
            "SELECT id FROM orders WHERE customer_id = ?1 AND status NOT IN ('Deleted', 'Archived')
             ORDER BY id",
            &[customer_id.into()],
            |r| Ok(OrderId(r.int(0)?)),
        )
    }

    fn mails_of_order(&mut self, order_id: OrderId) -> StoreResult<Vec<Mail>> {
        self.all(
            "SELECT id, reseller_id, customer_id, order_id, recipient, kind, subject, body, created
             FROM mails WHERE order_id = ?1 ORDER BY created, id",
            &[order_id.into()],
            records::mail,
        )
    }

    fn contact(&mut self, id: ContactId) -> StoreResult<Option<Contact>> {
        self.one(
            concat!(
                "SELECT ",
                contact_columns!(),
                " FROM contacts WHERE id = ?1"
            ),
            &[id.into()],
            records::contact,
        )
    }

    fn default_contacts(
        &mut self,
        customer_id: CustomerId,
        kind: &str,
    ) -> StoreResult<Option<DefaultContacts>> {
        self.one(
            "SELECT customer_id, kind, registrant, admin, tech, billing FROM default_contacts
             WHERE customer_id = ?1 AND kind = ?2",
            &[customer_id.into(), kind.into()],
            |row| {
                Ok(DefaultContacts {
                    customer_id: row.int(0)?.into(),
                    kind: row.text(1)?,
                    registrant: row.int(2)?.into(),
                    admin: row.int(3)?.into(),
                    tech: row.int(4)?.into(),
                    billing: row.int(5)?.into(),
                })
            },
        )
    }

    fn token(&mut self, digest: &str) -> StoreResult<Option<Token>> {
        self.one(
            "SELECT digest, reseller_id, customer_id, kind, created, expires FROM tokens WHERE digest = ?1",
            &[digest.into()],
            records::token,
        )
    }

    fn console_signed_out(&mut self, nonce: i64) -> StoreResult<bool> {
        Ok(self
            .one(
                "SELECT nonce FROM console_sign_outs WHERE nonce = ?1",
                &[nonce.into()],
                |row| row.int(0),
            )?
            .is_some())
    }
}

/// The one action an invoice bills; more than one is corrupt data.
pub(crate) fn one_action_per_invoice(
    invoice_id: InvoiceId,
    found: &mut Vec<Action>,
) -> StoreResult<Option<Action>> {
    if found.len() > 1 {
        return Err(StoreError::corrupt(format!(
            "invoice {invoice_id} bills {} actions",
            found.len()
        )));
    }
    Ok(found.pop())
}

impl<C: Conn> SearchTx for SqlTx<C> {
    fn search_customers(&mut self, q: &CustomerQuery) -> StoreResult<Found<Customer>> {
        let mut f = Filter::new(self.conn.dialect());
        f.eq("reseller_id", q.reseller_id);
        f.any_of("id", &q.customer_ids);
        f.any_of("username", &q.usernames);
        let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
        f.any_of("status", &statuses);
        if let Some(name) = &q.name {
            f.contains("name", name);
        }
        if let Some(company) = &q.company {
            f.contains("company", company);
        }
        if let Some(city) = &q.city {
            f.equals_ignoring_case("city", city);
        }
        if let Some(state) = &q.state {
            f.equals_ignoring_case("state", state);
        }
        f.compare("created", ">=", q.created_from);
        f.compare("created", "<=", q.created_to);
        f.compare("total_receipts", ">=", q.receipts_from.map(|m| m.0));
        f.compare("total_receipts", "<=", q.receipts_to.map(|m| m.0));
        self.search(
            "customers",
            customer_columns!(),
            f,
            "id",
            q.page,
            records::customer,
        )
    }

    fn live_names(&mut self, product: Product, names: &[String]) -> StoreResult<Vec<String>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut f = Filter::new(self.conn.dialect());
        f.eq("product", product.key());
        f.any_of("description", names);
        let sql = format!(
            "SELECT DISTINCT description FROM orders {} AND status NOT IN ('Deleted', 'Archived')",
            f.sql()
        );
        self.all(&sql, &f.values, |r| r.text(0))
    }

    fn orders_due_by(
        &mut self,
        until: i64,
        after: (i64, OrderId),
        limit: u32,
        scope: &DueScope,
    ) -> StoreResult<Vec<(i64, OrderId)>> {
        // Keyset paging along the due-time index, read from the index
        // alone while no tenant has a clock: each page starts where the
        // last one ended, and finding nothing due costs one probe. The
        // resellers are numbers, written into the statement.
        let ids = |ids: &[ResellerId]| {
            ids.iter()
                .map(|id| id.0.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let whose = match scope {
            DueScope::Except(none) if none.is_empty() => String::new(),
            DueScope::Except(these) => format!("AND reseller_id NOT IN ({})", ids(these)),
            DueScope::Only(these) if these.is_empty() => return Ok(Vec::new()),
            DueScope::Only(these) => format!("AND reseller_id IN ({})", ids(these)),
        };
        self.all(
            &format!(
                "SELECT next_due, id FROM orders WHERE next_due <= ?1 AND (next_due, id) > (?2, ?3)
                 {whose} ORDER BY next_due, id LIMIT ?4"
            ),
            &[
                until.into(),
                after.0.into(),
                after.1.into(),
                i64::from(limit).into(),
            ],
            |row| Ok((row.int(0)?, OrderId(row.int(1)?))),
        )
    }

    fn outbox(&mut self, order_id: Option<OrderId>, limit: u32) -> StoreResult<Vec<Mail>> {
        // Newest first by the clock that sent them: ids come from each
        // instance's own block, so on several instances they are not in
        // time order.
        let mut f = Filter::new(self.conn.dialect());
        if let Some(order_id) = order_id {
            f.eq("order_id", order_id);
        }
        let mark = f.mark(i64::from(limit).into());
        let sql = format!(
            "SELECT id, reseller_id, customer_id, order_id, recipient, kind, subject, body, created
             FROM mails {} ORDER BY created DESC, id DESC LIMIT {mark}",
            f.sql()
        );
        self.all(&sql, &f.values, records::mail)
    }

    fn search_orders(&mut self, q: &OrderQuery) -> StoreResult<Found<Order>> {
        let dialect = self.conn.dialect();
        let products = product_keys(&q.products);
        let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
        let mut f = Filter::new(dialect);
        f.eq("reseller_id", q.reseller_id);
        f.any_of("product", &products);
        f.any_of("id", &q.order_ids);
        f.any_of("customer_id", &q.customer_ids);
        f.any_of("status", &statuses);
        f.any_of("plan_id", &q.plan_ids);
        if let Some(description) = &q.description {
            f.eq("description", description.as_str());
        }
        f.compare("created", ">=", q.created_from);
        f.compare("created", "<=", q.created_to);
        f.compare("endtime", ">=", q.ends_from);
        f.compare("endtime", "<=", q.ends_to);
        if let Some(on) = q.privacy_on {
            // Order attributes are stored as serde's compact JSON, which
            // spells the flag one way only (`records::order`).
            f.holds("attrs", r#""privacy_on":true"#, on);
        }
        let order_by = records::order_by(q.sort);
        if !records::counts_suffice(q) {
            return self.search(
                "orders",
                order_columns!(),
                f,
                order_by,
                q.page,
                records::order,
            );
        }
        // Only reseller, product and status: the kept counts give the total.
        let mut counted = Filter::new(dialect);
        counted.eq("reseller_id", q.reseller_id);
        counted.any_of("product", &products);
        counted.any_of("status", &statuses);
        let total = self.scalar(
            &format!(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM order_counts {}",
                counted.sql()
            ),
            &counted.values,
        )?;
        let records = self.page(
            "orders",
            order_columns!(),
            f,
            order_by,
            q.page,
            records::order,
        )?;
        Ok(Found {
            total: total as u64,
            records,
        })
    }

    fn search_transfers(&mut self, q: &TransferQuery) -> StoreResult<Found<Transfer>> {
        let mut f = Filter::new(self.conn.dialect());
        // The accounts as a list the query can test a column against.
        let set = match &q.accounts {
            Accounts::These(accounts) if accounts.is_empty() => {
                return Ok(Found {
                    records: Vec::new(),
                    total: 0,
                });
            }
            Accounts::These(accounts) => {
                let marks: Vec<String> = accounts
                    .iter()
                    .map(|a| f.mark(Value::from(a.key())))
                    .collect();
                marks.join(", ")
            }
            Accounts::CustomersOf(reseller_id) => {
                let mark = f.mark(Value::from(*reseller_id));
                let prefix = Account::CUSTOMER_PREFIX;
                format!("SELECT '{prefix}' || id FROM customers WHERE reseller_id = {mark}")
            }
        };
        f.clauses.push(format!(
            "(from_account IN ({set}) OR to_account IN ({set}))"
        ));
        // Any of the types asked for: a direction, or kinds of movement.
        let types: Vec<String> = q
            .types
            .iter()
            .map(|&wanted| match wanted {
                TransactionType::Credit => format!("to_account IN ({set})"),
                TransactionType::Debit => format!("from_account IN ({set})"),
                TransactionType::Receipt | TransactionType::Invoice => {
                    kinds_in(TransferKind::ALL.into_iter().filter(|k| k.is_of(wanted)))
                }
            })
            .collect();
        if !types.is_empty() {
            f.clauses.push(format!("({})", types.join(" OR ")));
        }
        if let Some(by_hand) = q.by_hand {
            f.clauses.push(kinds_in(
                TransferKind::ALL
                    .into_iter()
                    .filter(|k| k.by_hand() == by_hand),
            ));
        }
        f.compare("at", ">=", q.at_from);
        f.compare("at", "<=", q.at_to);
        f.any_of("id", &q.ids);
        if let Some(memo) = &q.memo {
            f.contains("memo", memo);
        }
        f.compare("amount", ">=", q.amount_from.map(|m| m.0));
        f.compare("amount", "<=", q.amount_to.map(|m| m.0));
        let order_by = transfers_order_by(&q.sort);
        self.search(
            "transfers",
            "id, from_account, to_account, amount, memo, at, kind",
            f,
            &order_by,
            q.page,
            |row| {
                let kind = row.text(6)?;
                Ok(Transfer {
                    id: row.int(0)?,
                    from: row.text(1)?,
                    to: row.text(2)?,
                    amount: Money(row.int(3)?),
                    memo: row.text(4)?,
                    at: row.int(5)?,
                    kind: TransferKind::from_key(&kind)
                        .ok_or_else(|| StoreError::corrupt("a transfer's kind is unknown"))?,
                })
            },
        )
    }

    fn search_contacts(&mut self, q: &ContactQuery) -> StoreResult<Found<Contact>> {
        let mut f = Filter::new(self.conn.dialect());
        f.eq("reseller_id", q.reseller_id);
        f.any_of("customer_id", &q.customer_ids);
        f.any_of("id", &q.contact_ids);
        let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
        f.any_of("status", &statuses);
        f.any_of("kind", &q.kinds);
        for (column, value) in [
            ("name", &q.name),
            ("company", &q.company),
            ("email", &q.email),
        ] {
            if let Some(value) = value {
                f.contains(column, value);
            }
        }
        self.search(
            "contacts",
            contact_columns!(),
            f,
            "id",
            q.page,
            records::contact,
        )
    }

    fn search_actions(&mut self, q: &ActionQuery) -> StoreResult<Found<ActionRecord>> {
        let mut f = Filter::new(self.conn.dialect());
        f.eq("reseller_id", q.reseller_id);
        f.any_of("id", &q.action_ids);
        f.any_of("order_id", &q.order_ids);
        f.any_of("customer_id", &q.customer_ids);
        let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
        f.any_of("status", &statuses);
        let kinds: Vec<&str> = q.kinds.iter().map(|k| k.as_str()).collect();
        f.any_of("kind", &kinds);
        let found = self.search(
            "actions",
            action_columns!(),
            f,
            "id DESC",
            q.page,
            records::action,
        )?;
        // The page's orders' names, in one query.
        let mut order_ids: Vec<OrderId> = found.records.iter().map(|a| a.order_id).collect();
        order_ids.sort_unstable();
        order_ids.dedup();
        let mut names = std::collections::HashMap::new();
        if !order_ids.is_empty() {
            let mut of = Filter::new(self.conn.dialect());
            of.any_of("id", &order_ids);
            let sql = format!("SELECT id, description FROM orders {}", of.sql());
            for (id, name) in
                self.all(&sql, &of.values, |r| Ok((OrderId(r.int(0)?), r.text(1)?)))?
            {
                names.insert(id, name);
            }
        }
        Ok(Found {
            total: found.total,
            records: found
                .records
                .into_iter()
                .map(|action| ActionRecord {
                    order_description: names.get(&action.order_id).cloned().unwrap_or_default(),
                    action,
                })
                .collect(),
        })
    }
}

impl<C: Conn> WriteTx for SqlTx<C> {
    fn insert_reseller(&mut self, r: &Reseller) -> StoreResult<ResellerId> {
        let mut params = vec![r.created.into()];
        params.extend(reseller_fields(r)?);
        self.insert(
            "INSERT INTO resellers (created, name, api_key_hash, allowed_ips, active, parent_id, username, password_hash, profile)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
            &params,
        )
    }

    fn update_reseller(&mut self, r: &Reseller) -> StoreResult<()> {
        let mut params = vec![r.id.into()];
        params.extend(reseller_fields(r)?);
        self.run(
            "UPDATE resellers SET name = ?2, api_key_hash = ?3, allowed_ips = ?4, active = ?5,
                 parent_id = ?6, username = ?7, password_hash = ?8, profile = ?9 WHERE id = ?1",
            &params,
        )?;
        Ok(())
    }

    fn insert_customer(&mut self, c: &Customer) -> StoreResult<CustomerId> {
        let mut params = vec![c.reseller_id.into(), c.created.into()];
        params.extend(customer_fields(c)?);
        self.insert(
            "INSERT INTO customers (reseller_id, created, pin, extras, username, name, company, address1,
                 city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, total_receipts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
             RETURNING id",
            &params,
        )
    }

    fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
        if self.keeps_last_rows {
            self.last_customer = Some(c.clone());
        }
        let mut params = vec![c.id.into()];
        params.extend(customer_fields(c)?);
        self.run(
            "UPDATE customers SET pin = ?2, extras = ?3, username = ?4, name = ?5, company = ?6,
             address1 = ?7, city = ?8, state = ?9, country = ?10, zipcode = ?11, phone_cc = ?12, phone = ?13,
             lang_pref = ?14, password_hash = ?15, status = ?16, total_receipts = ?17 WHERE id = ?1",
            &params,
        )?;
        Ok(())
    }

    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()> {
        let limits = serde_json::to_string(&plan.limits).map_err(StoreError::fault)?;
        self.run(
            "INSERT INTO plans (id, product, name, active, limits) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO NOTHING",
            &[
                plan.id.into(),
                plan.product.key().into(),
                (&plan.name).into(),
                plan.active.into(),
                limits.into(),
            ],
        )?;
        Ok(())
    }

    fn insert_price(&mut self, reseller_id: ResellerId, p: &Price) -> StoreResult<()> {
        self.run(
            "INSERT INTO prices (reseller_id, plan_id, action, months, selling, cost)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                reseller_id.into(),
                p.plan_id.into(),
                p.action.key().into(),
                p.months.into(),
                p.selling.0.into(),
                p.cost.0.into(),
            ],
        )?;
        Ok(())
    }

    fn insert_order(&mut self, o: &Order) -> StoreResult<OrderId> {
        let id = self.insert(
            "INSERT INTO orders (reseller_id, customer_id, product, plan_id, description, status, auto_renew,
                 created, endtime, attrs, next_due)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            &[
                o.reseller_id.into(),
                o.customer_id.into(),
                o.product.key().into(),
                o.plan_id.into(),
                (&o.description).into(),
                o.status.as_str().into(),
                o.auto_renew.into(),
                o.created.into(),
                o.endtime.into(),
                attrs_text(o)?.into(),
                lifecycle::next_due(o).into(),
            ],
        )?;
        self.count_order(o, o.status.as_str(), 1)?;
        Ok(id)
    }

    fn update_order(&mut self, o: &Order) -> StoreResult<()> {
        let was = match self.last_order.take().filter(|kept| kept.id == o.id) {
            Some(kept) => kept,
            None => self
                .order(o.id)?
                .ok_or_else(|| StoreError::fault(format!("order {} vanished", o.id)))?,
        };
        if self.keeps_last_rows {
            self.last_order = Some(o.clone());
        }
        if was.status != o.status {
            self.recount_order(&was, o)?;
        }
        // Only the columns that changed are written, so that an index on a
        // column left alone (the names, say) is not rewritten: most updates
        // (the clock's jobs) change the status and attributes only.
        let mut sets = Vec::new();
        let mut values: Vec<Value<'_>> = vec![o.id.into()];
        let mut set = |column: &str, value: Value<'static>| {
            values.push(value);
            sets.push(format!("{column} = ?{}", values.len()));
        };
        if was.customer_id != o.customer_id {
            set("customer_id", o.customer_id.into());
        }
        if was.plan_id != o.plan_id {
            set("plan_id", o.plan_id.into());
        }
        if was.description != o.description {
            set("description", o.description.clone().into());
        }
        if was.status != o.status {
            set("status", o.status.as_str().into());
        }
        if was.auto_renew != o.auto_renew {
            set("auto_renew", o.auto_renew.into());
        }
        if was.endtime != o.endtime {
            set("endtime", o.endtime.into());
        }
        if o.attrs != was.attrs {
            set("attrs", attrs_text(o)?.into());
        }
        // Always written: the kept one may be a bound (kept before due
        // times were), and the sweep writes the exact one back.
        set("next_due", lifecycle::next_due(o).into());
        self.run(
            &format!("UPDATE orders SET {} WHERE id = ?1", sets.join(", ")),
            &values,
        )?;
        Ok(())
    }

    fn insert_action(&mut self, a: &Action) -> StoreResult<ActionId> {
        self.insert(
            "INSERT INTO actions (order_id, reseller_id, customer_id, kind, description, status, status_desc,
                 invoice_id, months, units, auto_renew, selling, discount, cost, created, executed, addons, upstream)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id",
            &[
                a.order_id.into(),
                a.reseller_id.into(),
                a.customer_id.into(),
                a.kind.as_str().into(),
                (&a.description).into(),
                a.status.as_str().into(),
                (&a.status_desc).into(),
                a.invoice_id.into(),
                a.months.into(),
                a.units.into(),
                a.auto_renew.into(),
                a.selling.0.into(),
                a.discount.0.into(),
                a.cost.0.into(),
                a.created.into(),
                a.executed.into(),
                records::addons_text(&a.addons)?.into(),
                records::upstream_text(&a.upstream)?.into(),
            ],
        )
    }

    fn set_provisioning(
        &mut self,
        reseller_id: ResellerId,
        provisioning: Provisioning,
    ) -> StoreResult<()> {
        self.run(
            "DELETE FROM provisioning WHERE reseller_id = ?1",
            &[reseller_id.into()],
        )?;
        if provisioning != Provisioning::Instant {
            self.run(
                "INSERT INTO provisioning (reseller_id, mode) VALUES (?1, ?2)",
                &[reseller_id.into(), provisioning.as_str().into()],
            )?;
        }
        Ok(())
    }

    fn update_action(&mut self, a: &Action) -> StoreResult<()> {
        self.run(
            "UPDATE actions SET status = ?2, status_desc = ?3, executed = ?4 WHERE id = ?1",
            &[
                a.id.into(),
                a.status.as_str().into(),
                (&a.status_desc).into(),
                a.executed.into(),
            ],
        )?;
        Ok(())
    }

    fn insert_invoice(&mut self, i: &Invoice) -> StoreResult<InvoiceId> {
        self.insert(
            "INSERT INTO invoices (reseller_id, customer_id, order_id, amount, status, description, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            &[
                i.reseller_id.into(),
                i.customer_id.into(),
                i.order_id.into(),
                i.amount.0.into(),
                i.status.as_str().into(),
                (&i.description).into(),
                i.created.into(),
            ],
        )
    }

    fn update_invoice(&mut self, i: &Invoice) -> StoreResult<()> {
        self.run(
            "UPDATE invoices SET status = ?2 WHERE id = ?1",
            &[i.id.into(), i.status.as_str().into()],
        )?;
        Ok(())
    }

    fn insert_receipt(
        &mut self,
        reseller_id: ResellerId,
        key: &str,
        customer_id: CustomerId,
        amount: Money,
        at: Epoch,
    ) -> StoreResult<bool> {
        let inserted = self.run(
            "INSERT INTO receipts (reseller_id, transaction_key, customer_id, amount, created)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            &[
                reseller_id.into(),
                key.into(),
                customer_id.into(),
                amount.0.into(),
                at.into(),
            ],
        )?;
        Ok(inserted == 1)
    }

    fn insert_token(&mut self, t: &Token) -> StoreResult<()> {
        self.run(
            "INSERT INTO tokens (digest, reseller_id, customer_id, kind, created, expires)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                (&t.digest).into(),
                t.reseller_id.into(),
                t.customer_id.into(),
                t.kind.as_str().into(),
                t.created.into(),
                t.expires.into(),
            ],
        )?;
        Ok(())
    }

    fn sign_out_console(&mut self, nonce: i64, expires: i64, now: i64) -> StoreResult<()> {
        self.run(
            "DELETE FROM console_sign_outs WHERE expires < ?1",
            &[now.into()],
        )?;
        self.run(
            "INSERT INTO console_sign_outs (nonce, expires) VALUES (?1, ?2)
             ON CONFLICT (nonce) DO NOTHING",
            &[nonce.into(), expires.into()],
        )?;
        Ok(())
    }

    fn insert_contact(&mut self, c: &Contact) -> StoreResult<ContactId> {
        let mut params = vec![c.reseller_id.into(), c.customer_id.into(), c.created.into()];
        params.extend(contact_fields(c)?);
        self.insert(
            "INSERT INTO contacts (reseller_id, customer_id, created, kind, name, company, email, address1,
                 address2, address3, city, state, country, zip, phone_cc, phone, fax_cc, fax, attributes, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
             RETURNING id",
            &params,
        )
    }

    fn update_contact(&mut self, c: &Contact) -> StoreResult<()> {
        let mut params = vec![c.id.into()];
        params.extend(contact_fields(c)?);
        self.run(
            "UPDATE contacts SET kind = ?2, name = ?3, company = ?4, email = ?5, address1 = ?6, address2 = ?7,
                 address3 = ?8, city = ?9, state = ?10, country = ?11, zip = ?12, phone_cc = ?13, phone = ?14,
                 fax_cc = ?15, fax = ?16, attributes = ?17, status = ?18 WHERE id = ?1",
            &params,
        )?;
        Ok(())
    }

    fn set_default_contacts(&mut self, d: &DefaultContacts) -> StoreResult<()> {
        self.run(
            "INSERT INTO default_contacts (customer_id, kind, registrant, admin, tech, billing)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (customer_id, kind) DO UPDATE SET registrant = excluded.registrant,
                 admin = excluded.admin, tech = excluded.tech, billing = excluded.billing",
            &[
                d.customer_id.into(),
                (&d.kind).into(),
                d.registrant.into(),
                d.admin.into(),
                d.tech.into(),
                d.billing.into(),
            ],
        )?;
        Ok(())
    }

    fn insert_mail(&mut self, m: &Mail) -> StoreResult<i64> {
        let id: i64 = self.insert(
            "INSERT INTO mails (reseller_id, customer_id, order_id, recipient, kind, subject, body, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            &[
                m.reseller_id.into(),
                m.customer_id.into(),
                m.order_id.into(),
                (&m.recipient).into(),
                (&m.kind).into(),
                (&m.subject).into(),
                (&m.body).into(),
                m.created.into(),
            ],
        )?;
        if self.queues_mail {
            self.run(
                "INSERT INTO mail_queue (mail_id, due) VALUES (?1, 0)",
                &[id.into()],
            )?;
        }
        Ok(id)
    }

    fn transfer(
        &mut self,
        from: Account,
        to: Account,
        amount: Money,
        kind: TransferKind,
        memo: &str,
        at: Epoch,
    ) -> StoreResult<()> {
        let (from, to) = transfer_accounts(from, to, amount)?;
        self.run(
            "INSERT INTO transfers (from_account, to_account, amount, memo, at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                (&from).into(),
                (&to).into(),
                amount.0.into(),
                memo.into(),
                at.into(),
                kind.key().into(),
            ],
        )?;
        self.add_to_balance(&from, -amount.0)?;
        self.add_to_balance(&to, amount.0)?;
        Ok(())
    }
}

/// A test that a transfer is of one of some kinds (the words are the
/// store's own, so they go in the text).
fn kinds_in(kinds: impl Iterator<Item = TransferKind>) -> String {
    let words: Vec<String> = kinds.map(|k| format!("'{}'", k.key())).collect();
    format!("kind IN ({})", words.join(", "))
}

/// The ORDER BY clause of a transfer search: its keys, then newest first.
fn transfers_order_by(sort: &[TransferSort]) -> String {
    let mut keys: Vec<String> = sort
        .iter()
        .map(|s| {
            let (column, descending) = match *s {
                TransferSort::Id { descending } => ("id", descending),
                TransferSort::At { descending } => ("at", descending),
                TransferSort::Amount { descending } => ("amount", descending),
                TransferSort::Memo { descending } => ("memo", descending),
            };
            format!("{column}{}", if descending { " DESC" } else { "" })
        })
        .collect();
    if !sort.iter().any(|s| matches!(s, TransferSort::Id { .. })) {
        keys.push("id DESC".to_string());
    }
    keys.join(", ")
}

/// The keys of a transfer's accounts, refusing what the ledger never holds:
/// an amount that is not positive, or money moved to where it is.
pub(crate) fn transfer_accounts(
    from: Account,
    to: Account,
    amount: Money,
) -> StoreResult<(String, String)> {
    if amount <= Money::ZERO || from == to {
        return Err(StoreError::fault(format!(
            "transfer of {amount} from {} to {}",
            from.key(),
            to.key()
        )));
    }
    Ok((from.key(), to.key()))
}
