//! `Tx` on one PostgreSQL transaction. Statements are prepared once per
//! connection and kept in its cache, as on SQLite. Orders, actions,
//! invoices and transfers are staged in memory and written at the
//! transaction's end (`pg_stage`); everything else is written at once,
//! inside a savepoint that undoes it if the request fails. Searches see
//! what is stored, so no write request searches.

use crate::pg_stage::{Cache, Changes, Entry, IdPool, IdTable, Rows, Staged, Transfer, load};
use crate::records::{self, Cells};
use postgres::types::ToSql;
use postgres::{Row, Statement, Transaction};
use reseller_core::catalogue::{Plan, Price, PriceAction, Product};
use reseller_core::model::{
    Account, Action, ActionStatus, Customer, Invoice, Order, OrderStatus, Reseller,
};
use reseller_core::time::Epoch;
use reseller_core::tx::{ActionQuery, CustomerQuery, Found, OrderQuery, Page, StoreResult, Tx};
use reseller_core::{Money, StoreError};
use std::collections::HashMap;

/// A database error as a store fault; its SQLSTATE stays in the text so
/// that serialization failures can be told apart and retried.
pub(crate) fn fault(e: impl Into<PgFault>) -> StoreError {
    let PgFault(text) = e.into();
    StoreError(text)
}

pub(crate) struct PgFault(String);

impl From<postgres::Error> for PgFault {
    fn from(e: postgres::Error) -> PgFault {
        match e.code() {
            Some(code) => PgFault(format!("{e} (SQLSTATE {})", code.code())),
            None => PgFault(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for PgFault {
    fn from(e: serde_json::Error) -> PgFault {
        PgFault(e.to_string())
    }
}

impl From<std::num::TryFromIntError> for PgFault {
    fn from(e: std::num::TryFromIntError) -> PgFault {
        PgFault(e.to_string())
    }
}

pub(crate) type Statements = HashMap<String, Statement>;

/// One request's view of a transaction that may hold a group of requests.
pub struct PgTx<'t, 'c> {
    tx: &'t mut Transaction<'c>,
    statements: &'t mut Statements,
    ids: &'t mut IdPool,
    /// The transaction's: what its earlier requests changed, and what it read.
    staged: &'t mut Staged,
    /// This request's changes, which join `staged` if it succeeds.
    request: Changes,
    /// Whether this request wrote at once, inside a savepoint.
    savepoint: bool,
}

/// The cached prepared statement for `sql`, preparing it on first use.
pub(crate) fn prepared(
    tx: &mut Transaction,
    statements: &mut Statements,
    sql: &str,
) -> StoreResult<Statement> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = tx.prepare(sql).map_err(fault)?;
    statements.insert(sql.to_string(), statement.clone());
    Ok(statement)
}

/// The row as this transaction sees it: this request's version, else the group's.
fn seen<'a, T>(request: &'a Rows<T>, group: &'a Rows<T>, id: i64) -> Option<&'a Entry<T>> {
    request.get(&id).or_else(|| group.get(&id))
}

/// The rows this transaction sees that satisfy `wanted`, by id. Complete
/// only when every stored row that satisfies it has been loaded into `group`.
fn seen_where<T: Clone>(request: &Rows<T>, group: &Rows<T>, wanted: impl Fn(&T) -> bool) -> Vec<T> {
    let mut found: Vec<(i64, &T)> = request
        .iter()
        .chain(group.iter().filter(|(id, _)| !request.contains_key(id)))
        .filter(|(_, entry)| wanted(&entry.row))
        .map(|(id, entry)| (*id, &entry.row))
        .collect();
    found.sort_unstable_by_key(|(id, _)| *id);
    found.into_iter().map(|(_, row)| row.clone()).collect()
}

macro_rules! customer_columns { () => { "id, reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts" }; }
macro_rules! order_columns { () => { "id, reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs" }; }
macro_rules! action_columns { () => { "id, order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id, months, units, auto_renew, selling, discount, cost, created, executed, addons" }; }

fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, i: usize) -> StoreResult<T> {
    row.try_get(i).map_err(fault)
}

struct PgCells<'r>(&'r Row);

impl Cells for PgCells<'_> {
    fn int(&self, i: usize) -> StoreResult<i64> {
        get(self.0, i)
    }
    fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        get(self.0, i)
    }
    fn text(&self, i: usize) -> StoreResult<String> {
        get(self.0, i)
    }
    fn flag(&self, i: usize) -> StoreResult<bool> {
        get(self.0, i)
    }
    fn opt_flag(&self, i: usize) -> StoreResult<Option<bool>> {
        get(self.0, i)
    }
}

fn customer_from(row: &Row) -> StoreResult<Customer> {
    records::customer(&PgCells(row))
}

fn order_from(row: &Row) -> StoreResult<Order> {
    records::order(&PgCells(row))
}

fn action_from(row: &Row) -> StoreResult<Action> {
    records::action(&PgCells(row))
}

fn invoice_from(row: &Row) -> StoreResult<Invoice> {
    records::invoice(&PgCells(row))
}

fn plan_from(row: &Row) -> StoreResult<Plan> {
    records::plan(&PgCells(row))
}

fn price_from(row: &Row) -> StoreResult<Price> {
    records::price(&PgCells(row))
}

/// A WHERE clause built from optional filters, with its bound values.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    values: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Filter {
    fn placeholder(&mut self, value: Box<dyn ToSql + Sync + Send>) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn eq_i64(&mut self, column: &str, value: i64) {
        let p = self.placeholder(Box::new(value));
        self.clauses.push(format!("{column} = {p}"));
    }

    fn eq_text(&mut self, column: &str, value: String) {
        let p = self.placeholder(Box::new(value));
        self.clauses.push(format!("{column} = {p}"));
    }

    fn any_i64(&mut self, column: &str, values: &[i64]) {
        if !values.is_empty() {
            let p = self.placeholder(Box::new(values.to_vec()));
            self.clauses.push(format!("{column} = ANY({p})"));
        }
    }

    fn any_text(&mut self, column: &str, values: Vec<String>) {
        if !values.is_empty() {
            let p = self.placeholder(Box::new(values));
            self.clauses.push(format!("{column} = ANY({p})"));
        }
    }

    fn compare(&mut self, column: &str, op: &str, value: Option<i64>) {
        if let Some(value) = value {
            let p = self.placeholder(Box::new(value));
            self.clauses.push(format!("{column} {op} {p}"));
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values
            .iter()
            .map(|v| v.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

impl<'t, 'c> PgTx<'t, 'c> {
    pub(crate) fn new(
        tx: &'t mut Transaction<'c>,
        statements: &'t mut Statements,
        ids: &'t mut IdPool,
        staged: &'t mut Staged,
    ) -> PgTx<'t, 'c> {
        PgTx {
            tx,
            statements,
            ids,
            staged,
            request: Changes::default(),
            savepoint: false,
        }
    }

    /// Whether this request wrote at once, so that a failure can be undone.
    pub(crate) fn wrote_at_once(&self) -> bool {
        self.savepoint
    }

    /// Ends the request: its changes join the transaction's if it
    /// succeeded, and what it wrote at once is undone if it failed.
    pub(crate) fn end_request(self, succeeded: bool) -> StoreResult<()> {
        if self.savepoint {
            let sql = if succeeded {
                "RELEASE SAVEPOINT request"
            } else {
                // Rows read after its writes may have seen them.
                self.staged.cache = Cache::default();
                "ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request"
            };
            self.tx.batch_execute(sql).map_err(fault)?;
        }
        if succeeded {
            self.staged.changes.absorb(self.request);
        }
        Ok(())
    }

    /// Opens this request's savepoint before its first immediate write.
    fn write_at_once(&mut self) -> StoreResult<()> {
        if !self.savepoint {
            self.tx.batch_execute("SAVEPOINT request").map_err(fault)?;
            self.savepoint = true;
        }
        Ok(())
    }

    /// Refuses a search in a transaction holding staged changes, which the
    /// search would not see.
    fn ensure_nothing_staged(&self) -> StoreResult<()> {
        if self.request.is_clean() && self.staged.changes.is_clean() {
            Ok(())
        } else {
            Err(StoreError(
                "a search inside a write would miss its staged rows".to_string(),
            ))
        }
    }

    fn statement(&mut self, sql: &str) -> StoreResult<Statement> {
        prepared(self.tx, self.statements, sql)
    }

    fn one<T>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let statement = self.statement(sql)?;
        self.tx
            .query_opt(&statement, params)
            .map_err(fault)?
            .as_ref()
            .map(map)
            .transpose()
    }

    fn all<T>(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let statement = self.statement(sql)?;
        self.tx
            .query(&statement, params)
            .map_err(fault)?
            .iter()
            .map(map)
            .collect()
    }

    fn run(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
        let statement = self.statement(sql)?;
        self.tx.execute(&statement, params).map_err(fault)
    }

    fn insert(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<i64> {
        let statement = self.statement(sql)?;
        get(&self.tx.query_one(&statement, params).map_err(fault)?, 0)
    }

    fn search<T>(
        &mut self,
        table: &str,
        columns: &str,
        filter: &Filter,
        order_by: &str,
        page: Page,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Found<T>> {
        let total: i64 = {
            let sql = format!("SELECT COUNT(*) FROM {table} {}", filter.sql());
            let statement = self.statement(&sql)?;
            get(
                &self
                    .tx
                    .query_one(&statement, &filter.params())
                    .map_err(fault)?,
                0,
            )?
        };
        let records = self.page(table, columns, filter, order_by, page, map)?;
        Ok(Found {
            total: total as u64,
            records,
        })
    }

    fn page<T>(
        &mut self,
        table: &str,
        columns: &str,
        filter: &Filter,
        order_by: &str,
        page: Page,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let n = filter.values.len();
        let sql = format!(
            "SELECT {columns} FROM {table} {} ORDER BY {order_by} LIMIT ${} OFFSET ${}",
            filter.sql(),
            n + 1,
            n + 2
        );
        let limit = i64::from(page.records);
        let offset = i64::try_from(page.offset()).unwrap_or(i64::MAX);
        let mut params = filter.params();
        params.push(&limit);
        params.push(&offset);
        self.all(&sql, &params, map)
    }
}

fn reseller_from(row: &Row) -> StoreResult<Reseller> {
    let ips: String = get(row, 3)?;
    Ok(Reseller {
        id: get(row, 0)?,
        name: get(row, 1)?,
        api_key_hash: get(row, 2)?,
        allowed_ips: ips
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        active: get(row, 4)?,
        created: get(row, 5)?,
    })
}

impl Tx for PgTx<'_, '_> {
    fn reseller(&mut self, id: i64) -> StoreResult<Option<Reseller>> {
        if let Some(cached) = self.staged.cache.resellers.get(&id) {
            return Ok(cached.clone());
        }
        let found = self.one("SELECT id, name, api_key_hash, allowed_ips, active, created FROM resellers WHERE id = $1", &[&id], reseller_from)?;
        self.staged.cache.resellers.insert(id, found.clone());
        Ok(found)
    }

    fn reseller_ids(&mut self) -> StoreResult<Vec<i64>> {
        self.all("SELECT id FROM resellers ORDER BY id", &[], |r| get(r, 0))
    }

    fn insert_reseller(&mut self, r: &Reseller) -> StoreResult<i64> {
        self.write_at_once()?;
        self.staged.cache.resellers.clear();
        self.insert(
            "INSERT INTO resellers (name, api_key_hash, allowed_ips, active, created) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&r.name, &r.api_key_hash, &r.allowed_ips.join(","), &r.active, &r.created],
        )
    }
    fn update_reseller(&mut self, r: &Reseller) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.resellers.clear();
        self.run(
            "UPDATE resellers SET name = $2, api_key_hash = $3, allowed_ips = $4, active = $5 WHERE id = $1",
            &[&r.id, &r.name, &r.api_key_hash, &r.allowed_ips.join(","), &r.active],
        )?;
        Ok(())
    }
    fn customer(&mut self, id: i64) -> StoreResult<Option<Customer>> {
        if let Some(cached) = self.staged.cache.customers.get(&id) {
            return Ok(cached.clone());
        }
        // The customer's funds come along: an order reads them next.
        let found = self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                ", (SELECT balance FROM accounts WHERE key = $2) FROM customers WHERE id = $1"
            ),
            &[&id, &Account::Customer(id).key()],
            |row| Ok((customer_from(row)?, get::<Option<i64>>(row, 17)?)),
        )?;
        let customer = found.map(|(customer, balance)| {
            self.staged
                .cache
                .balances
                .entry(Account::Customer(id).key())
                .or_insert(balance.unwrap_or(0));
            customer
        });
        self.staged.cache.customers.insert(id, customer.clone());
        Ok(customer)
    }

    fn customer_by_username(
        &mut self,
        reseller_id: i64,
        username: &str,
    ) -> StoreResult<Option<Customer>> {
        self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                " FROM customers WHERE reseller_id = $1 AND username = $2"
            ),
            &[&reseller_id, &username],
            customer_from,
        )
    }
    fn insert_customer(&mut self, c: &Customer) -> StoreResult<i64> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        self.insert(
            "INSERT INTO customers (reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            &[&c.reseller_id, &c.username, &c.name, &c.company, &c.address1, &c.city, &c.state, &c.country, &c.zipcode, &c.phone_cc, &c.phone, &c.lang_pref, &c.password_hash, &c.status.as_str(), &c.created, &c.total_receipts.0],
        )
    }
    fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        self.run(
            "UPDATE customers SET username = $2, name = $3, company = $4, address1 = $5, city = $6, state = $7,
             country = $8, zipcode = $9, phone_cc = $10, phone = $11, lang_pref = $12, password_hash = $13,
             status = $14, total_receipts = $15 WHERE id = $1",
            &[&c.id, &c.username, &c.name, &c.company, &c.address1, &c.city, &c.state, &c.country, &c.zipcode, &c.phone_cc, &c.phone, &c.lang_pref, &c.password_hash, &c.status.as_str(), &c.total_receipts.0],
        )?;
        Ok(())
    }
    fn search_customers(&mut self, q: &CustomerQuery) -> StoreResult<Found<Customer>> {
        let mut f = Filter::default();
        f.eq_i64("reseller_id", q.reseller_id);
        f.any_i64("id", &q.customer_ids);
        f.any_text("username", q.usernames.clone());
        f.any_text(
            "status",
            q.statuses.iter().map(|s| s.as_str().to_string()).collect(),
        );
        if let Some(name) = &q.name {
            let p = f.placeholder(Box::new(name.to_lowercase()));
            f.clauses.push(format!("strpos(lower(name), {p}) > 0"));
        }
        if let Some(company) = &q.company {
            let p = f.placeholder(Box::new(company.to_lowercase()));
            f.clauses.push(format!("strpos(lower(company), {p}) > 0"));
        }
        self.search(
            "customers",
            customer_columns!(),
            &f,
            "id",
            q.page,
            customer_from,
        )
    }
    fn plans(&mut self) -> StoreResult<Vec<Plan>> {
        self.all(
            "SELECT id, product, name, active, limits FROM plans ORDER BY id",
            &[],
            plan_from,
        )
    }
    fn plan(&mut self, plan_id: i64) -> StoreResult<Option<Plan>> {
        if let Some(cached) = self.staged.cache.plans.get(&plan_id) {
            return Ok(cached.clone());
        }
        let found = self.one(
            "SELECT id, product, name, active, limits FROM plans WHERE id = $1",
            &[&plan_id],
            plan_from,
        )?;
        self.staged.cache.plans.insert(plan_id, found.clone());
        Ok(found)
    }

    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.plans.clear();
        let limits = serde_json::to_string(&plan.limits).map_err(fault)?;
        self.run(
            "INSERT INTO plans (id, product, name, active, limits) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
            &[&plan.id, &plan.product.key(), &plan.name, &plan.active, &limits],
        )?;
        Ok(())
    }

    fn prices(&mut self, reseller_id: i64) -> StoreResult<Vec<Price>> {
        self.all(
            "SELECT plan_id, action, months, selling, cost FROM prices WHERE reseller_id = $1 ORDER BY plan_id, action, months",
            &[&reseller_id],
            price_from,
        )
    }
    fn price(
        &mut self,
        reseller_id: i64,
        plan_id: i64,
        action: PriceAction,
        months: u32,
    ) -> StoreResult<Option<Price>> {
        let key = (reseller_id, plan_id, action.key(), months);
        if let Some(cached) = self.staged.cache.prices.get(&key) {
            return Ok(cached.clone());
        }
        let found = self.one(
            "SELECT plan_id, action, months, selling, cost FROM prices
             WHERE reseller_id = $1 AND plan_id = $2 AND action = $3 AND months = $4",
            &[&reseller_id, &plan_id, &action.key(), &i64::from(months)],
            price_from,
        )?;
        self.staged.cache.prices.insert(key, found.clone());
        Ok(found)
    }

    fn insert_price(&mut self, reseller_id: i64, p: &Price) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.prices.clear();
        self.run(
            "INSERT INTO prices (reseller_id, plan_id, action, months, selling, cost) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&reseller_id, &p.plan_id, &p.action.key(), &i64::from(p.months), &p.selling.0, &p.cost.0],
        )?;
        Ok(())
    }

    fn order(&mut self, id: i64) -> StoreResult<Option<Order>> {
        if let Some(entry) = seen(&self.request.orders, &self.staged.changes.orders, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.one(
            concat!("SELECT ", order_columns!(), " FROM orders WHERE id = $1"),
            &[&id],
            order_from,
        )?;
        load(&mut self.staged.changes.orders, stored.clone(), |o| o.id);
        Ok(stored)
    }

    fn insert_order(&mut self, o: &Order) -> StoreResult<i64> {
        let id = self.ids.next(self.tx, self.statements, IdTable::Orders)?;
        let row = Order { id, ..o.clone() };
        self.request.orders.insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_order(&mut self, o: &Order) -> StoreResult<()> {
        if self.order(o.id)?.is_none() {
            return Err(StoreError(format!("order {} vanished", o.id)));
        }
        let mut entry = seen(&self.request.orders, &self.staged.changes.orders, o.id)
            .cloned()
            .ok_or_else(|| StoreError(format!("order {} vanished", o.id)))?;
        let row = &mut entry.row;
        row.plan_id = o.plan_id;
        row.description.clone_from(&o.description);
        row.status = o.status;
        row.auto_renew = o.auto_renew;
        row.endtime = o.endtime;
        row.attrs = o.attrs.clone();
        self.request.orders.insert(o.id, entry);
        Ok(())
    }

    fn search_orders(&mut self, q: &OrderQuery) -> StoreResult<Found<Order>> {
        self.ensure_nothing_staged()?;
        let mut f = Filter::default();
        f.eq_i64("reseller_id", q.reseller_id);
        let products: Vec<String> = q.products.iter().map(|p| p.key().to_string()).collect();
        let statuses: Vec<String> = q.statuses.iter().map(|s| s.as_str().to_string()).collect();
        f.any_text("product", products.clone());
        f.any_i64("id", &q.order_ids);
        f.any_i64("customer_id", &q.customer_ids);
        f.any_text("status", statuses.clone());
        if let Some(description) = &q.description {
            f.eq_text("description", description.clone());
        }
        f.compare("created", ">=", q.created_from);
        f.compare("created", "<=", q.created_to);
        f.compare("endtime", ">=", q.ends_from);
        f.compare("endtime", "<=", q.ends_to);
        let order_by = records::order_by(q.sort);
        if !records::counts_suffice(q) {
            return self.search("orders", order_columns!(), &f, order_by, q.page, order_from);
        }
        let mut counted = Filter::default();
        counted.eq_i64("reseller_id", q.reseller_id);
        counted.any_text("product", products);
        counted.any_text("status", statuses);
        let total: i64 = {
            let sql = format!(
                "SELECT COALESCE(SUM(n), 0)::BIGINT FROM order_counts {}",
                counted.sql()
            );
            let statement = self.statement(&sql)?;
            get(
                &self
                    .tx
                    .query_one(&statement, &counted.params())
                    .map_err(fault)?,
                0,
            )?
        };
        let records = self.page("orders", order_columns!(), &f, order_by, q.page, order_from)?;
        Ok(Found {
            total: total as u64,
            records,
        })
    }
    fn order_id_by_description(
        &mut self,
        reseller_id: i64,
        products: &[Product],
        description: &str,
    ) -> StoreResult<Option<i64>> {
        let keys: Vec<String> = products.iter().map(|p| p.key().to_string()).collect();
        let best_stored = self.one(
            concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE reseller_id = $1 AND description = $2 AND product = ANY($3)
                 ORDER BY (status IN ('Deleted', 'Archived')), id DESC LIMIT 1"
            ),
            &[&reseller_id, &description, &keys],
            order_from,
        )?;
        // The best stored order is the answer unless staged orders beat it,
        // or this transaction changed it; then every stored one is weighed.
        let changed = best_stored.as_ref().is_some_and(|best| {
            seen(&self.request.orders, &self.staged.changes.orders, best.id)
                .is_some_and(|entry| entry.row != *best)
        });
        let stored = if changed {
            self.all(
                concat!(
                    "SELECT ",
                    order_columns!(),
                    " FROM orders WHERE reseller_id = $1 AND description = $2 AND product = ANY($3)"
                ),
                &[&reseller_id, &description, &keys],
                order_from,
            )?
        } else {
            best_stored.into_iter().collect()
        };
        load(&mut self.staged.changes.orders, stored, |o| o.id);
        let found = seen_where(&self.request.orders, &self.staged.changes.orders, |o| {
            o.reseller_id == reseller_id
                && o.description == description
                && products.contains(&o.product)
        });
        Ok(found
            .iter()
            .max_by_key(|o| {
                (
                    !matches!(o.status, OrderStatus::Deleted | OrderStatus::Archived),
                    o.id,
                )
            })
            .map(|o| o.id))
    }

    fn action(&mut self, id: i64) -> StoreResult<Option<Action>> {
        if let Some(entry) = seen(&self.request.actions, &self.staged.changes.actions, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.one(
            concat!("SELECT ", action_columns!(), " FROM actions WHERE id = $1"),
            &[&id],
            action_from,
        )?;
        load(&mut self.staged.changes.actions, stored.clone(), |a| a.id);
        Ok(stored)
    }

    fn pending_action(&mut self, order_id: i64) -> StoreResult<Option<Action>> {
        let stored = self.all(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE order_id = $1 AND status = 'PendingExecution'"
            ),
            &[&order_id],
            action_from,
        )?;
        load(&mut self.staged.changes.actions, stored, |a| a.id);
        Ok(
            seen_where(&self.request.actions, &self.staged.changes.actions, |a| {
                a.order_id == order_id && a.status == ActionStatus::PendingExecution
            })
            .into_iter()
            .next(),
        )
    }

    fn action_by_invoice(&mut self, invoice_id: i64) -> StoreResult<Option<Action>> {
        let stored = self.all(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE invoice_id = $1"
            ),
            &[&invoice_id],
            action_from,
        )?;
        load(&mut self.staged.changes.actions, stored, |a| a.id);
        let mut found = seen_where(&self.request.actions, &self.staged.changes.actions, |a| {
            a.invoice_id == Some(invoice_id)
        });
        if found.len() > 1 {
            return Err(StoreError(format!(
                "invoice {invoice_id} bills {} actions",
                found.len()
            )));
        }
        Ok(found.pop())
    }

    fn insert_action(&mut self, a: &Action) -> StoreResult<i64> {
        let id = self.ids.next(self.tx, self.statements, IdTable::Actions)?;
        let row = Action { id, ..a.clone() };
        self.request.actions.insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_action(&mut self, a: &Action) -> StoreResult<()> {
        if self.action(a.id)?.is_none() {
            return Err(StoreError(format!("action {} vanished", a.id)));
        }
        let mut entry = seen(&self.request.actions, &self.staged.changes.actions, a.id)
            .cloned()
            .ok_or_else(|| StoreError(format!("action {} vanished", a.id)))?;
        entry.row.status = a.status;
        entry.row.status_desc.clone_from(&a.status_desc);
        entry.row.executed = a.executed;
        self.request.actions.insert(a.id, entry);
        Ok(())
    }

    fn search_actions(&mut self, q: &ActionQuery) -> StoreResult<Found<Action>> {
        self.ensure_nothing_staged()?;
        let mut f = Filter::default();
        f.eq_i64("reseller_id", q.reseller_id);
        f.any_i64("id", &q.action_ids);
        f.any_i64("order_id", &q.order_ids);
        f.any_i64("customer_id", &q.customer_ids);
        f.any_text(
            "status",
            q.statuses.iter().map(|s| s.as_str().to_string()).collect(),
        );
        f.any_text(
            "kind",
            q.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        );
        self.search(
            "actions",
            action_columns!(),
            &f,
            "id DESC",
            q.page,
            action_from,
        )
    }
    fn invoice(&mut self, id: i64) -> StoreResult<Option<Invoice>> {
        if let Some(entry) = seen(&self.request.invoices, &self.staged.changes.invoices, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.one(
            "SELECT id, reseller_id, customer_id, order_id, amount, status, description, created FROM invoices WHERE id = $1",
            &[&id],
            invoice_from,
        )?;
        load(&mut self.staged.changes.invoices, stored.clone(), |i| i.id);
        Ok(stored)
    }

    fn insert_invoice(&mut self, i: &Invoice) -> StoreResult<i64> {
        let id = self.ids.next(self.tx, self.statements, IdTable::Invoices)?;
        let row = Invoice { id, ..i.clone() };
        self.request
            .invoices
            .insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_invoice(&mut self, i: &Invoice) -> StoreResult<()> {
        if self.invoice(i.id)?.is_none() {
            return Err(StoreError(format!("invoice {} vanished", i.id)));
        }
        let mut entry = seen(&self.request.invoices, &self.staged.changes.invoices, i.id)
            .cloned()
            .ok_or_else(|| StoreError(format!("invoice {} vanished", i.id)))?;
        entry.row.status = i.status;
        self.request.invoices.insert(i.id, entry);
        Ok(())
    }

    fn insert_receipt(
        &mut self,
        reseller_id: i64,
        key: &str,
        customer_id: i64,
        amount: Money,
        at: Epoch,
    ) -> StoreResult<bool> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        let inserted = self.run(
            "INSERT INTO receipts (reseller_id, transaction_key, customer_id, amount, created)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[&reseller_id, &key, &customer_id, &amount.0, &at],
        )?;
        Ok(inserted == 1)
    }
    fn balance(&mut self, account: Account) -> StoreResult<Money> {
        let key = account.key();
        let stored = match self.staged.cache.balances.get(&key) {
            Some(stored) => *stored,
            None => {
                let stored: Option<i64> = self.one(
                    "SELECT balance FROM accounts WHERE key = $1",
                    &[&key],
                    |r| get(r, 0),
                )?;
                let stored = stored.unwrap_or(0);
                self.staged.cache.balances.insert(key.clone(), stored);
                stored
            }
        };
        let staged = |c: &Changes| c.deltas.get(&key).copied().unwrap_or(0);
        Ok(Money(
            stored + staged(&self.staged.changes) + staged(&self.request),
        ))
    }

    fn transfer(
        &mut self,
        from: Account,
        to: Account,
        amount: Money,
        memo: &str,
        at: Epoch,
    ) -> StoreResult<()> {
        if amount <= Money::ZERO || from == to {
            return Err(StoreError(format!(
                "transfer of {amount} from {} to {}",
                from.key(),
                to.key()
            )));
        }
        let (from, to) = (from.key(), to.key());
        *self.request.deltas.entry(from.clone()).or_default() -= amount.0;
        *self.request.deltas.entry(to.clone()).or_default() += amount.0;
        self.request.transfers.push(Transfer {
            from,
            to,
            amount: amount.0,
            memo: memo.to_string(),
            at,
        });
        Ok(())
    }
}
