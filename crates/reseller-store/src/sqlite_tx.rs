//! `Tx` on one SQLite connection inside an open transaction. Statements are
//! prepared once per connection and cached, since the same few run for
//! every order.

use crate::records::{self, Cells};
use reseller_core::catalogue::{Plan, Price, PriceAction, Product};
use reseller_core::model::{Account, Action, Customer, Invoice, Order, Reseller};
use reseller_core::time::Epoch;
use reseller_core::tx::{ActionQuery, CustomerQuery, Found, OrderQuery, Page, StoreResult, Tx};
use reseller_core::{Money, StoreError};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

pub(crate) fn fault(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

pub struct SqliteTx<'c> {
    pub(crate) conn: &'c Connection,
}

// Column lists as macros, so that the hot queries are literals built at
// compile time rather than strings formatted on every call.
macro_rules! customer_columns { () => { "id, reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts" }; }
macro_rules! order_columns { () => { "id, reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs" }; }
macro_rules! action_columns { () => { "id, order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id, months, units, auto_renew, selling, discount, cost, created, executed, addons" }; }

struct SqliteCells<'a, 'r>(&'a Row<'r>);

impl Cells for SqliteCells<'_, '_> {
    fn int(&self, i: usize) -> StoreResult<i64> {
        self.0.get(i).map_err(fault)
    }
    fn opt_int(&self, i: usize) -> StoreResult<Option<i64>> {
        self.0.get(i).map_err(fault)
    }
    fn text(&self, i: usize) -> StoreResult<String> {
        self.0.get(i).map_err(fault)
    }
    fn flag(&self, i: usize) -> StoreResult<bool> {
        self.0.get(i).map_err(fault)
    }
    fn opt_flag(&self, i: usize) -> StoreResult<Option<bool>> {
        self.0.get(i).map_err(fault)
    }
}

/// A shared decoder as rusqlite's row mapper; a refused value becomes a
/// conversion error that the caller reports as a store fault.
fn decode<T>(row: &Row<'_>, decoder: fn(&dyn Cells) -> StoreResult<T>) -> rusqlite::Result<T> {
    decoder(&SqliteCells(row)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.0.into())
    })
}

fn customer_from(row: &Row<'_>) -> rusqlite::Result<Customer> {
    decode(row, records::customer)
}

fn order_from(row: &Row<'_>) -> rusqlite::Result<Order> {
    decode(row, records::order)
}

fn action_from(row: &Row<'_>) -> rusqlite::Result<Action> {
    decode(row, records::action)
}

fn invoice_from(row: &Row<'_>) -> rusqlite::Result<Invoice> {
    decode(row, records::invoice)
}

fn plan_from(row: &Row<'_>) -> rusqlite::Result<Plan> {
    decode(row, records::plan)
}

fn price_from(row: &Row<'_>) -> rusqlite::Result<Price> {
    decode(row, records::price)
}

/// A WHERE clause built from optional filters, with its bound values.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Filter {
    fn eq(&mut self, column: &str, value: impl Into<Value>) {
        self.clauses.push(format!("{column} = ?"));
        self.values.push(value.into());
    }

    fn any_of<T: Clone + Into<Value>>(&mut self, column: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        let marks = vec!["?"; values.len()].join(", ");
        self.clauses.push(format!("{column} IN ({marks})"));
        self.values.extend(values.iter().cloned().map(Into::into));
    }

    fn compare(&mut self, column: &str, op: &str, value: Option<i64>) {
        if let Some(value) = value {
            self.clauses.push(format!("{column} {op} ?"));
            self.values.push(value.into());
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

impl SqliteTx<'_> {
    fn search<T>(
        &self,
        table: &str,
        columns: &str,
        filter: &Filter,
        order_by: &str,
        page: Page,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Found<T>> {
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM {table} {}", filter.sql()))
            .and_then(|mut s| s.query_row(params_from_iter(filter.values.iter()), |r| r.get(0)))
            .map_err(fault)?;
        let records = self.page(table, columns, filter, order_by, page, map)?;
        Ok(Found {
            total: total as u64,
            records,
        })
    }

    /// One page of the matching records.
    fn page<T>(
        &self,
        table: &str,
        columns: &str,
        filter: &Filter,
        order_by: &str,
        page: Page,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Vec<T>> {
        // The page's ids come from the index alone, so that the rows an
        // offset skips are never read; then those ids' rows. Limit and offset
        // are bound, not formatted in: one prepared statement serves every page.
        let sql = format!(
            "SELECT {columns} FROM {table} WHERE id IN
               (SELECT id FROM {table} {} ORDER BY {order_by} LIMIT ? OFFSET ?)
             ORDER BY {order_by}",
            filter.sql()
        );
        let values = filter.values.iter().cloned().chain([
            Value::Integer(i64::from(page.records)),
            Value::Integer(i64::try_from(page.offset()).unwrap_or(i64::MAX)),
        ]);
        let mut statement = self.conn.prepare_cached(&sql).map_err(fault)?;
        statement
            .query_map(params_from_iter(values), map)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<T>>>())
            .map_err(fault)
    }

    fn one<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> StoreResult<Option<T>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.query_row(params, map).optional())
            .map_err(fault)
    }

    fn run(&self, sql: &str, params: impl rusqlite::Params) -> StoreResult<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .map_err(fault)
    }

    fn count_order(
        &self,
        reseller_id: i64,
        product: &str,
        status: &str,
        delta: i64,
    ) -> StoreResult<()> {
        self.run(
            "INSERT INTO order_counts (reseller_id, product, status, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (reseller_id, product, status) DO UPDATE SET n = n + excluded.n",
            params![reseller_id, product, status, delta],
        )?;
        Ok(())
    }

    fn add_to_balance(&self, account: &str, delta: i64) -> StoreResult<()> {
        self.run(
            "INSERT INTO accounts (key, balance) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET balance = balance + excluded.balance",
            params![account, delta],
        )?;
        Ok(())
    }
}

impl Tx for SqliteTx<'_> {
    fn reseller(&mut self, id: i64) -> StoreResult<Option<Reseller>> {
        self.one(
            "SELECT id, name, api_key_hash, allowed_ips, active, created FROM resellers WHERE id = ?1",
            [id],
            |row| {
                let ips: String = row.get(3)?;
                Ok(Reseller {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    api_key_hash: row.get(2)?,
                    allowed_ips: ips.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                    active: row.get(4)?,
                    created: row.get(5)?,
                })
            },
        )
    }

    fn reseller_ids(&mut self) -> StoreResult<Vec<i64>> {
        let mut s = self
            .conn
            .prepare_cached("SELECT id FROM resellers ORDER BY id")
            .map_err(fault)?;
        s.query_map([], |r| r.get(0))
            .and_then(|r| r.collect())
            .map_err(fault)
    }

    fn insert_reseller(&mut self, reseller: &Reseller) -> StoreResult<i64> {
        self.run(
            "INSERT INTO resellers (name, api_key_hash, allowed_ips, active, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                reseller.name,
                reseller.api_key_hash,
                reseller.allowed_ips.join(","),
                reseller.active,
                reseller.created
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_reseller(&mut self, r: &Reseller) -> StoreResult<()> {
        self.run(
            "UPDATE resellers SET name = ?2, api_key_hash = ?3, allowed_ips = ?4, active = ?5 WHERE id = ?1",
            params![r.id, r.name, r.api_key_hash, r.allowed_ips.join(","), r.active],
        )?;
        Ok(())
    }

    fn customer(&mut self, id: i64) -> StoreResult<Option<Customer>> {
        self.one(
            concat!(
                "SELECT ",
                customer_columns!(),
                " FROM customers WHERE id = ?1"
            ),
            [id],
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
                " FROM customers WHERE reseller_id = ?1 AND username = ?2"
            ),
            params![reseller_id, username],
            customer_from,
        )
    }

    fn insert_customer(&mut self, c: &Customer) -> StoreResult<i64> {
        self.run(
            "INSERT INTO customers (reseller_id, username, name, company, address1, city, state, country, zipcode, phone_cc, phone, lang_pref, password_hash, status, created, total_receipts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                c.reseller_id, c.username, c.name, c.company, c.address1, c.city, c.state, c.country,
                c.zipcode, c.phone_cc, c.phone, c.lang_pref, c.password_hash, c.status.as_str(),
                c.created, c.total_receipts.0
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
        self.run(
            "UPDATE customers SET username = ?2, name = ?3, company = ?4, address1 = ?5, city = ?6, state = ?7,
             country = ?8, zipcode = ?9, phone_cc = ?10, phone = ?11, lang_pref = ?12, password_hash = ?13,
             status = ?14, total_receipts = ?15 WHERE id = ?1",
            params![
                c.id, c.username, c.name, c.company, c.address1, c.city, c.state, c.country, c.zipcode,
                c.phone_cc, c.phone, c.lang_pref, c.password_hash, c.status.as_str(), c.total_receipts.0
            ],
        )?;
        Ok(())
    }

    fn search_customers(&mut self, q: &CustomerQuery) -> StoreResult<Found<Customer>> {
        let mut f = Filter::default();
        f.eq("reseller_id", q.reseller_id);
        f.any_of("id", &q.customer_ids);
        f.any_of("username", &q.usernames);
        let statuses: Vec<String> = q.statuses.iter().map(|s| s.as_str().to_string()).collect();
        f.any_of("status", &statuses);
        if let Some(name) = &q.name {
            f.clauses
                .push("instr(lower(name), lower(?)) > 0".to_string());
            f.values.push(name.clone().into());
        }
        if let Some(company) = &q.company {
            f.clauses
                .push("instr(lower(company), lower(?)) > 0".to_string());
            f.values.push(company.clone().into());
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
        let mut s = self
            .conn
            .prepare_cached("SELECT id, product, name, active, limits FROM plans ORDER BY id")
            .map_err(fault)?;
        s.query_map([], plan_from)
            .and_then(|r| r.collect())
            .map_err(fault)
    }

    fn plan(&mut self, plan_id: i64) -> StoreResult<Option<Plan>> {
        self.one(
            "SELECT id, product, name, active, limits FROM plans WHERE id = ?1",
            [plan_id],
            plan_from,
        )
    }

    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()> {
        let limits = serde_json::to_string(&plan.limits).map_err(fault)?;
        self.run(
            "INSERT INTO plans (id, product, name, active, limits) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![plan.id, plan.product.key(), plan.name, plan.active, limits],
        )?;
        Ok(())
    }

    fn prices(&mut self, reseller_id: i64) -> StoreResult<Vec<Price>> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT plan_id, action, months, selling, cost FROM prices WHERE reseller_id = ?1
                 ORDER BY plan_id, action, months",
            )
            .map_err(fault)?;
        s.query_map([reseller_id], price_from)
            .and_then(|r| r.collect())
            .map_err(fault)
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
             WHERE reseller_id = ?1 AND plan_id = ?2 AND action = ?3 AND months = ?4",
            params![reseller_id, plan_id, action.key(), months],
            price_from,
        )
    }

    fn insert_price(&mut self, reseller_id: i64, p: &Price) -> StoreResult<()> {
        self.run(
            "INSERT INTO prices (reseller_id, plan_id, action, months, selling, cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![reseller_id, p.plan_id, p.action.key(), p.months, p.selling.0, p.cost.0],
        )?;
        Ok(())
    }

    fn order(&mut self, id: i64) -> StoreResult<Option<Order>> {
        self.one(
            concat!("SELECT ", order_columns!(), " FROM orders WHERE id = ?1"),
            [id],
            order_from,
        )
    }

    fn insert_order(&mut self, o: &Order) -> StoreResult<i64> {
        let attrs = serde_json::to_string(&o.attrs).map_err(fault)?;
        self.run(
            "INSERT INTO orders (reseller_id, customer_id, product, plan_id, description, status, auto_renew, created, endtime, attrs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                o.reseller_id, o.customer_id, o.product.key(), o.plan_id, o.description,
                o.status.as_str(), o.auto_renew, o.created, o.endtime, attrs
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.count_order(o.reseller_id, o.product.key(), o.status.as_str(), 1)?;
        Ok(id)
    }

    fn update_order(&mut self, o: &Order) -> StoreResult<()> {
        let attrs = serde_json::to_string(&o.attrs).map_err(fault)?;
        let was: Option<String> =
            self.one("SELECT status FROM orders WHERE id = ?1", [o.id], |r| {
                r.get(0)
            })?;
        let was = was.ok_or_else(|| StoreError(format!("order {} vanished", o.id)))?;
        if was != o.status.as_str() {
            self.count_order(o.reseller_id, o.product.key(), &was, -1)?;
            self.count_order(o.reseller_id, o.product.key(), o.status.as_str(), 1)?;
        }
        self.run(
            "UPDATE orders SET plan_id = ?2, description = ?3, status = ?4, auto_renew = ?5, endtime = ?6, attrs = ?7
             WHERE id = ?1",
            params![o.id, o.plan_id, o.description, o.status.as_str(), o.auto_renew, o.endtime, attrs],
        )?;
        Ok(())
    }

    fn search_orders(&mut self, q: &OrderQuery) -> StoreResult<Found<Order>> {
        let mut f = Filter::default();
        f.eq("reseller_id", q.reseller_id);
        let products: Vec<String> = q.products.iter().map(|p| p.key().to_string()).collect();
        f.any_of("product", &products);
        f.any_of("id", &q.order_ids);
        f.any_of("customer_id", &q.customer_ids);
        let statuses: Vec<String> = q.statuses.iter().map(|s| s.as_str().to_string()).collect();
        f.any_of("status", &statuses);
        if let Some(description) = &q.description {
            f.eq("description", description.clone());
        }
        f.compare("created", ">=", q.created_from);
        f.compare("created", "<=", q.created_to);
        f.compare("endtime", ">=", q.ends_from);
        f.compare("endtime", "<=", q.ends_to);
        let order_by = records::order_by(q.sort);
        if !records::counts_suffice(q) {
            return self.search("orders", order_columns!(), &f, order_by, q.page, order_from);
        }
        // Only reseller, product and status: the kept counts give the total.
        let mut counted = Filter::default();
        counted.eq("reseller_id", q.reseller_id);
        counted.any_of("product", &products);
        counted.any_of("status", &statuses);
        let total: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT COALESCE(SUM(n), 0) FROM order_counts {}",
                counted.sql()
            ))
            .and_then(|mut s| s.query_row(params_from_iter(counted.values.iter()), |r| r.get(0)))
            .map_err(fault)?;
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
        let mut f = Filter::default();
        f.eq("reseller_id", reseller_id);
        f.eq("description", description.to_string());
        let keys: Vec<String> = products.iter().map(|p| p.key().to_string()).collect();
        f.any_of("product", &keys);
        let sql = format!(
            "SELECT id FROM orders {} ORDER BY (status IN ('Deleted', 'Archived')), id DESC LIMIT 1",
            f.sql()
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(params_from_iter(f.values.iter()), |r| r.get(0))
                    .optional()
            })
            .map_err(fault)
    }

    fn action(&mut self, id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!("SELECT ", action_columns!(), " FROM actions WHERE id = ?1"),
            [id],
            action_from,
        )
    }

    fn pending_action(&mut self, order_id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE order_id = ?1 AND status = 'PendingExecution' LIMIT 1"
            ),
            [order_id],
            action_from,
        )
    }

    fn action_by_invoice(&mut self, invoice_id: i64) -> StoreResult<Option<Action>> {
        self.one(
            concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE invoice_id = ?1"
            ),
            [invoice_id],
            action_from,
        )
    }

    fn insert_action(&mut self, a: &Action) -> StoreResult<i64> {
        self.run(
            "INSERT INTO actions (order_id, reseller_id, customer_id, kind, description, status, status_desc, invoice_id,
             months, units, auto_renew, selling, discount, cost, created, executed, addons)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                a.order_id, a.reseller_id, a.customer_id, a.kind.as_str(), a.description, a.status.as_str(),
                a.status_desc, a.invoice_id, a.months, a.units, a.auto_renew, a.selling.0, a.discount.0,
                a.cost.0, a.created, a.executed, records::addons_text(&a.addons)?
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_action(&mut self, a: &Action) -> StoreResult<()> {
        self.run(
            "UPDATE actions SET status = ?2, status_desc = ?3, executed = ?4 WHERE id = ?1",
            params![a.id, a.status.as_str(), a.status_desc, a.executed],
        )?;
        Ok(())
    }

    fn search_actions(&mut self, q: &ActionQuery) -> StoreResult<Found<Action>> {
        let mut f = Filter::default();
        f.eq("reseller_id", q.reseller_id);
        f.any_of("id", &q.action_ids);
        f.any_of("order_id", &q.order_ids);
        f.any_of("customer_id", &q.customer_ids);
        let statuses: Vec<String> = q.statuses.iter().map(|s| s.as_str().to_string()).collect();
        f.any_of("status", &statuses);
        let kinds: Vec<String> = q.kinds.iter().map(|k| k.as_str().to_string()).collect();
        f.any_of("kind", &kinds);
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
            "SELECT id, reseller_id, customer_id, order_id, amount, status, description, created FROM invoices WHERE id = ?1",
            [id],
            invoice_from,
        )
    }

    fn insert_invoice(&mut self, i: &Invoice) -> StoreResult<i64> {
        self.run(
            "INSERT INTO invoices (reseller_id, customer_id, order_id, amount, status, description, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![i.reseller_id, i.customer_id, i.order_id, i.amount.0, i.status.as_str(), i.description, i.created],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn update_invoice(&mut self, i: &Invoice) -> StoreResult<()> {
        self.run(
            "UPDATE invoices SET status = ?2 WHERE id = ?1",
            params![i.id, i.status.as_str()],
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
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![reseller_id, key, customer_id, amount.0, at],
        )?;
        Ok(inserted == 1)
    }

    fn balance(&mut self, account: Account) -> StoreResult<Money> {
        let balance: Option<i64> = self.one(
            "SELECT balance FROM accounts WHERE key = ?1",
            [account.key()],
            |r| r.get(0),
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
        if amount <= Money::ZERO {
            return Err(StoreError(format!(
                "transfer of a non-positive amount {amount}"
            )));
        }
        let (from, to) = (from.key(), to.key());
        self.run(
            "INSERT INTO transfers (from_account, to_account, amount, memo, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![from, to, amount.0, memo, at],
        )?;
        self.add_to_balance(&from, -amount.0)?;
        self.add_to_balance(&to, amount.0)?;
        Ok(())
    }
}
