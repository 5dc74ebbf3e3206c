//! `Tx` on one PostgreSQL transaction. Statements are prepared once per
//! connection and kept in its cache, as on SQLite.

use crate::records::{self, Cells};
use postgres::types::ToSql;
use postgres::{Row, Statement, Transaction};
use reseller_core::catalogue::{Plan, Price, PriceAction, Product};
use reseller_core::model::{Account, Action, Customer, Invoice, Order, Reseller};
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

pub struct PgTx<'t, 'c> {
    pub(crate) tx: &'t mut Transaction<'c>,
    pub(crate) statements: &'t mut Statements,
}

macro_rules! customer_columns { () => { "id, reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts" }; }
macro_rules! order_columns { () => { "id, reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs" }; }
macro_rules! action_columns { () => { "id, order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id, months, storage_gb, auto_renew, selling, discount, cost, created, executed" }; }

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

impl PgTx<'_, '_> {
    fn statement(&mut self, sql: &str) -> StoreResult<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql).map_err(fault)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
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

    fn count_order(
        &mut self,
        reseller_id: i64,
        product: &str,
        status: &str,
        delta: i64,
    ) -> StoreResult<()> {
        self.run(
            "INSERT INTO order_counts (reseller_id, product, status, n) VALUES ($1, $2, $3, $4)
             ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = order_counts.n + excluded.n",
            &[&reseller_id, &product, &status, &delta],
        )?;
        Ok(())
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
        self.one("SELECT id, name, api_key_hash, allowed_ips, active, created FROM resellers WHERE id = $1", &[&id], reseller_from)
    }

    fn insert_reseller(&mut self, r: &Reseller) -> StoreResult<i64> {
        self.insert(
            "INSERT INTO resellers (name, api_key_hash, allowed_ips, active, created) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&r.name, &r.api_key_hash, &r.allowed_ips.join(","), &r.active, &r.created],
        )
    }

    fn update_reseller(&mut self, r: &Reseller) -> StoreResult<()> {
        self.run(
            "UPDATE resellers SET name = $2, api_key_hash = $3, allowed_ips = $4, active = $5 WHERE id = $1",
            &[&r.id, &r.name, &r.api_key_hash, &r.allowed_ips.join(","), &r.active],
        )?;
        Ok(())
    }

    fn customer(&mut self, id: i64) -> StoreResult<Option<Customer>> {
        self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                " FROM customers WHERE id = $1"
            ),
            &[&id],
            customer_from,
        )
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
        self.insert(
            "INSERT INTO customers (reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            &[&c.reseller_id, &c.username, &c.name, &c.company, &c.address1, &c.city, &c.state, &c.country, &c.zipcode, &c.phone_cc, &c.phone, &c.lang_pref, &c.password_hash, &c.status.as_str(), &c.created, &c.total_receipts.0],
        )
    }

    fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
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
        self.one(
            "SELECT id, product, name, active, limits FROM plans WHERE id = $1",
            &[&plan_id],
            plan_from,
        )
    }

    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()> {
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
        self.one(
            "SELECT plan_id, action, months, selling, cost FROM prices
             WHERE reseller_id = $1 AND plan_id = $2 AND action = $3 AND months = $4",
            &[&reseller_id, &plan_id, &action.key(), &i64::from(months)],
            price_from,
        )
    }

    fn insert_price(&mut self, reseller_id: i64, p: &Price) -> StoreResult<()> {
        self.run(
            "INSERT INTO prices (reseller_id, plan_id, action, months, selling, cost) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&reseller_id, &p.plan_id, &p.action.key(), &i64::from(p.months), &p.selling.0, &p.cost.0],
        )?;
        Ok(())
    }

    fn order(&mut self, id: i64) -> StoreResult<Option<Order>> {
        self.one(
            concat!("SELECT ", order_columns!(), " FROM orders WHERE id = $1"),
            &[&id],
            order_from,
        )
    }

    fn insert_order(&mut self, o: &Order) -> StoreResult<i64> {
        let attrs = serde_json::to_string(&o.attrs).map_err(fault)?;
        // One round trip: the order and its count.
        self.insert(
            "WITH counted AS (
                 INSERT INTO order_counts (reseller_id, product, status, n) VALUES ($1, $3, $6, 1)
                 ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = order_counts.n + 1
             )
             INSERT INTO orders (reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[&o.reseller_id, &o.customer_id, &o.product.key(), &o.plan_id, &o.description, &o.status.as_str(), &o.auto_renew, &o.created, &o.endtime, &attrs],
        )
    }

    fn update_order(&mut self, o: &Order) -> StoreResult<()> {
        let attrs = serde_json::to_string(&o.attrs).map_err(fault)?;
        let was: Option<String> =
            self.one("SELECT status FROM orders WHERE id = $1", &[&o.id], |r| {
                get(r, 0)
            })?;
        let was = was.ok_or_else(|| StoreError(format!("order {} vanished", o.id)))?;
        if was != o.status.as_str() {
            self.count_order(o.reseller_id, o.product.key(), &was, -1)?;
            self.count_order(o.reseller_id, o.product.key(), o.status.as_str(), 1)?;
        }
        self.run(
            "UPDATE orders SET plan_id = $2, description = $3, status = $4, auto_renew = $5, endtime = $6, attrs = $7 WHERE id = $1",
            &[&o.id, &o.plan_id, &o.description, &o.status.as_str(), &o.auto_renew, &o.endtime, &attrs],
        )?;
        Ok(())
    }

    fn search_orders(&mut self, q: &OrderQuery) -> StoreResult<Found<Order>> {
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
        self.one(
            "SELECT id FROM orders WHERE reseller_id = $1 AND description = $2 AND product = ANY($3)
             ORDER BY (status IN ('Deleted', 'Archived')), id DESC LIMIT 1",
            &[&reseller_id, &description, &keys],
            |r| get(r, 0),
        )
    }

    fn action(&mut self, id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!("SELECT ", action_columns!(), " FROM actions WHERE id = $1"),
            &[&id],
            action_from,
        )
    }

    fn pending_action(&mut self, order_id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE order_id = $1 AND status = 'PendingExecution' LIMIT 1"
            ),
            &[&order_id],
            action_from,
        )
    }

    fn action_by_invoice(&mut self, invoice_id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE invoice_id = $1"
            ),
            &[&invoice_id],
            action_from,
        )
    }

    fn insert_action(&mut self, a: &Action) -> StoreResult<i64> {
        let storage = a.storage_gb.map(i64::from);
        self.insert(
            "INSERT INTO actions (order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id,
             months, storage_gb, auto_renew, selling, discount, cost, created, executed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            &[&a.order_id, &a.reseller_id, &a.customer_id, &a.kind.as_str(), &a.description, &a.status.as_str(), &a.status_desc, &a.invoice_id, &i64::from(a.months), &storage, &a.auto_renew, &a.selling.0, &a.discount.0, &a.cost.0, &a.created, &a.executed],
        )
    }

    fn update_action(&mut self, a: &Action) -> StoreResult<()> {
        self.run(
            "UPDATE actions SET status = $2, status_desc = $3, executed = $4 WHERE id = $1",
            &[&a.id, &a.status.as_str(), &a.status_desc, &a.executed],
        )?;
        Ok(())
    }

    fn search_actions(&mut self, q: &ActionQuery) -> StoreResult<Found<Action>> {
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
        self.one(
            "SELECT id, reseller_id, customer_id, order_id, amount, status, description, created FROM invoices WHERE id = $1",
            &[&id],
            invoice_from,
        )
    }

    fn insert_invoice(&mut self, i: &Invoice) -> StoreResult<i64> {
        self.insert(
            "INSERT INTO invoices (reseller_id, customer_id, order_id, amount, status, description, created)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[&i.reseller_id, &i.customer_id, &i.order_id, &i.amount.0, &i.status.as_str(), &i.description, &i.created],
        )
    }

    fn update_invoice(&mut self, i: &Invoice) -> StoreResult<()> {
        self.run(
            "UPDATE invoices SET status = $2 WHERE id = $1",
            &[&i.id, &i.status.as_str()],
        )?;
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
        let inserted = self.run(
            "INSERT INTO receipts (reseller_id, transaction_key, customer_id, amount, created)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[&reseller_id, &key, &customer_id, &amount.0, &at],
        )?;
        Ok(inserted == 1)
    }

    fn balance(&mut self, account: Account) -> StoreResult<Money> {
        let balance: Option<i64> = self.one(
            "SELECT balance FROM accounts WHERE key = $1",
            &[&account.key()],
            |r| get(r, 0),
        )?;
        Ok(Money(balance.unwrap_or(0)))
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
        // One round trip: the double entry and both cached balances.
        self.run(
            "WITH entry AS (
                 INSERT INTO transfers (from_account, to_account, amount, memo, at) VALUES ($1, $2, $3, $4, $5)
             )
             INSERT INTO accounts (key, balance) VALUES ($1, -$3::BIGINT), ($2, $3::BIGINT)
             ON CONFLICT (key) DO UPDATE SET balance = accounts.balance + excluded.balance",
            &[&from, &to, &amount.0, &memo, &at],
        )?;
        Ok(())
    }
}
