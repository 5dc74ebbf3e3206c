//! A write transaction that keeps in memory what it reads and most of what
//! it writes, until its end: [`StagedTx`], the port over [`SqlTx`]. A
//! group of requests shares one transaction whose snapshot never moves
//! (SERIALIZABLE on PostgreSQL), so a row read once stays true for the
//! whole group and is read once; and orders, actions, invoices, mails and
//! ledger transfers wait and go out at the end, one multi-row statement a table,
//! where a statement each would cost a round trip each. Deferring writes
//! inside one transaction is invisible outside it, and a request that
//! fails leaves nothing behind: its changes were never sent.
//!
//! Nothing here is PostgreSQL's: the backend supplies ids ahead of the
//! rows ([`Sequences`]) and writes the changes out at the end. SQLite does
//! not use it: its statements are calls into the same process that cost a
//! few microseconds, not round trips, and its single writer needs no
//! snapshot kept stable (docs/ARCHITECTURE.md).

use crate::sql::{Conn, SqlTx, one_action_per_invoice, transfer_accounts};
use reseller_core::catalogue::{Plan, Price, PriceAction, Product};
use reseller_core::model::{
    Account, Action, ActionStatus, Contact, Customer, DefaultContacts, Invoice, Mail, Order,
    OrderStatus, Reseller, Token,
};
use reseller_core::provisioning::Provisioning;
use reseller_core::time::Epoch;
use reseller_core::tx::{ReadTx, StoreResult, TransferKind, WriteTx};
use reseller_core::{
    ActionId, ContactId, CustomerId, InvoiceId, Money, OrderId, PlanId, ResellerId, StoreError,
};
use std::collections::HashMap;
use std::hash::Hash;

/// A row the transaction has read or written.
#[derive(Clone, Debug)]
pub(crate) struct Entry<T> {
    pub(crate) row: T,
    /// The row as stored when the transaction first read it; None when the
    /// transaction inserted it.
    pub(crate) stored: Option<T>,
}

impl<T: Clone> Entry<T> {
    /// A row as stored, unchanged so far.
    pub(crate) fn stored(row: T) -> Entry<T> {
        Entry {
            row: row.clone(),
            stored: Some(row),
        }
    }
}

impl<T: PartialEq> Entry<T> {
    pub(crate) fn changed(&self) -> bool {
        self.stored.as_ref() != Some(&self.row)
    }
}

pub(crate) type Rows<K, T> = HashMap<K, Entry<T>>;

/// Takes stored rows into the transaction's view, except those it holds
/// already (its own version wins).
pub(crate) fn load<K: Hash + Eq, T: Clone>(
    rows: &mut Rows<K, T>,
    stored: impl IntoIterator<Item = T>,
    id: fn(&T) -> K,
) {
    for row in stored {
        rows.entry(id(&row)).or_insert_with(|| Entry::stored(row));
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Transfer {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) amount: i64,
    pub(crate) kind: TransferKind,
    pub(crate) memo: String,
    pub(crate) at: i64,
}

/// Rows read and written, by one request or by the requests of a group
/// that have succeeded so far.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) orders: Rows<OrderId, Order>,
    pub(crate) actions: Rows<ActionId, Action>,
    pub(crate) invoices: Rows<InvoiceId, Invoice>,
    pub(crate) transfers: Vec<Transfer>,
    /// Mails kept, with their ids (nothing reads them back in a write).
    pub(crate) mails: Vec<Mail>,
    /// What the transfers add to each account's cached balance.
    pub(crate) deltas: HashMap<String, i64>,
}

impl Changes {
    /// Takes a succeeded request's changes into the group's.
    pub(crate) fn absorb(&mut self, request: Changes) {
        self.orders.extend(request.orders);
        self.actions.extend(request.actions);
        self.invoices.extend(request.invoices);
        self.transfers.extend(request.transfers);
        self.mails.extend(request.mails);
        for (account, delta) in request.deltas {
            *self.deltas.entry(account).or_default() += delta;
        }
    }
}

/// Rows that are written at once (they are rarely written, and some must
/// answer at once, like a taken username): kept only to save a second read.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    pub(crate) resellers: HashMap<ResellerId, Option<Reseller>>,
    pub(crate) customers: HashMap<CustomerId, Option<Customer>>,
    pub(crate) plans: HashMap<PlanId, Option<Plan>>,
    pub(crate) prices: HashMap<(ResellerId, PlanId, &'static str, u32), Option<Price>>,
    /// Account balances as stored when first read; `Changes::deltas` go on top.
    pub(crate) balances: HashMap<String, i64>,
}

/// A transaction's state in memory: what its succeeded requests changed, and what it read.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    pub(crate) changes: Changes,
    pub(crate) cache: Cache,
}

/// The tables whose ids a staged insert takes ahead of its row.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IdTable {
    Orders,
    Actions,
    Invoices,
    Mails,
}

/// A backend's source of ids for staged inserts.
pub(crate) trait Sequences {
    fn next_id(&mut self, table: IdTable) -> StoreResult<i64>;
}

/// One request's view of a transaction that may hold a group of requests.
pub(crate) struct StagedTx<'s, C> {
    sql: SqlTx<C>,
    /// The transaction's: what its earlier requests changed, and what it read.
    staged: &'s mut Staged,
    /// This request's changes, which join `staged` if it succeeds.
    request: Changes,
    /// Whether this request wrote at once, inside a savepoint.
    savepoint: bool,
}

/// The row as this transaction sees it: this request's version, else the group's.
fn seen<'a, K: Hash + Eq, T>(
    request: &'a Rows<K, T>,
    group: &'a Rows<K, T>,
    id: K,
) -> Option<&'a Entry<T>> {
    request.get(&id).or_else(|| group.get(&id))
}

/// The rows this transaction sees that satisfy `wanted`, by id. Complete
/// only when every stored row that satisfies it has been loaded into `group`.
fn seen_where<K: Hash + Eq + Ord + Copy, T: Clone>(
    request: &Rows<K, T>,
    group: &Rows<K, T>,
    wanted: impl Fn(&T) -> bool,
) -> Vec<T> {
    let mut found: Vec<(K, &T)> = request
        .iter()
        .chain(group.iter().filter(|(id, _)| !request.contains_key(id)))
        .filter(|(_, entry)| wanted(&entry.row))
        .map(|(id, entry)| (*id, &entry.row))
        .collect();
    found.sort_unstable_by_key(|(id, _)| *id);
    found.into_iter().map(|(_, row)| row.clone()).collect()
}

/// A row read from the cache, or read once and kept there.
fn cached<K, T: Clone>(
    cache: &mut HashMap<K, Option<T>>,
    key: K,
    read: impl FnOnce() -> StoreResult<Option<T>>,
) -> StoreResult<Option<T>>
where
    K: std::hash::Hash + Eq,
{
    if let Some(found) = cache.get(&key) {
        return Ok(found.clone());
    }
    let found = read()?;
    cache.insert(key, found.clone());
    Ok(found)
}

impl<'s, C: Conn + Sequences> StagedTx<'s, C> {
    pub(crate) fn new(conn: C, staged: &'s mut Staged) -> StagedTx<'s, C> {
        StagedTx {
            sql: SqlTx::new(conn),
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
    pub(crate) fn end_request(mut self, succeeded: bool) -> StoreResult<()> {
        if self.savepoint {
            let sql = if succeeded {
                "RELEASE SAVEPOINT request"
            } else {
                // Rows read after its writes may have seen them.
                self.staged.cache = Cache::default();
                "ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request"
            };
            self.sql.conn.batch(sql)?;
        }
        if succeeded {
            self.staged.changes.absorb(self.request);
        }
        Ok(())
    }

    /// Opens this request's savepoint before its first immediate write.
    fn write_at_once(&mut self) -> StoreResult<()> {
        if !self.savepoint {
            self.sql.conn.batch("SAVEPOINT request")?;
            self.savepoint = true;
        }
        Ok(())
    }

    /// Stages a changed row of `rows` after checking that it exists.
    fn changed_row<K: Hash + Eq + Copy + std::fmt::Display, T: Clone>(
        request: &mut Rows<K, T>,
        group: &Rows<K, T>,
        id: K,
        what: &str,
        change: impl FnOnce(&mut T),
    ) -> StoreResult<()> {
        let mut entry = seen(request, group, id)
            .cloned()
            .ok_or_else(|| StoreError::fault(format!("{what} {id} vanished")))?;
        change(&mut entry.row);
        request.insert(id, entry);
        Ok(())
    }
}

impl<C: Conn + Sequences> ReadTx for StagedTx<'_, C> {
    fn reseller(&mut self, id: ResellerId) -> StoreResult<Option<Reseller>> {
        let sql = &mut self.sql;
        cached(&mut self.staged.cache.resellers, id, || sql.reseller(id))
    }

    fn reseller_ids(&mut self) -> StoreResult<Vec<ResellerId>> {
        self.sql.reseller_ids()
    }

    fn reseller_by_username(&mut self, username: &str) -> StoreResult<Option<Reseller>> {
        self.sql.reseller_by_username(username)
    }

    fn sub_resellers(&mut self, parent: ResellerId) -> StoreResult<Vec<Reseller>> {
        self.sql.sub_resellers(parent)
    }

    fn customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>> {
        if let Some(cached) = self.staged.cache.customers.get(&id) {
            return Ok(cached.clone());
        }
        // The customer's funds come along: an order reads them next.
        let found = self.sql.customer_with_funds(id)?.map(|(customer, funds)| {
            self.staged
                .cache
                .balances
                .entry(Account::Customer(id).key())
                .or_insert(funds.0);
            customer
        });
        self.staged.cache.customers.insert(id, found.clone());
        Ok(found)
    }

    fn customer_by_username(
        &mut self,
        reseller_id: ResellerId,
        username: &str,
    ) -> StoreResult<Option<Customer>> {
        self.sql.customer_by_username(reseller_id, username)
    }

    fn plans(&mut self) -> StoreResult<Vec<Plan>> {
        self.sql.plans()
    }

    fn plan(&mut self, plan_id: PlanId) -> StoreResult<Option<Plan>> {
        let sql = &mut self.sql;
        cached(&mut self.staged.cache.plans, plan_id, || sql.plan(plan_id))
    }

    fn prices(&mut self, reseller_id: ResellerId) -> StoreResult<Vec<Price>> {
        self.sql.prices(reseller_id)
    }

    fn price(
        &mut self,
        reseller_id: ResellerId,
        plan_id: PlanId,
        action: PriceAction,
        months: u32,
    ) -> StoreResult<Option<Price>> {
        let sql = &mut self.sql;
        let key = (reseller_id, plan_id, action.key(), months);
        cached(&mut self.staged.cache.prices, key, || {
            sql.price(reseller_id, plan_id, action, months)
        })
    }

    fn order(&mut self, id: OrderId) -> StoreResult<Option<Order>> {
        if let Some(entry) = seen(&self.request.orders, &self.staged.changes.orders, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.sql.order(id)?;
        load(&mut self.staged.changes.orders, stored.clone(), |o| o.id);
        Ok(stored)
    }

    fn order_id_by_description(
        &mut self,
        reseller_id: ResellerId,
        products: &[Product],
        description: &str,
    ) -> StoreResult<Option<OrderId>> {
        let stored = self.sql.orders_named(reseller_id, products, description)?;
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

    fn action(&mut self, id: ActionId) -> StoreResult<Option<Action>> {
        if let Some(entry) = seen(&self.request.actions, &self.staged.changes.actions, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.sql.action(id)?;
        load(&mut self.staged.changes.actions, stored.clone(), |a| a.id);
        Ok(stored)
    }

    fn provisioning(&mut self, reseller_id: ResellerId) -> StoreResult<Provisioning> {
        self.sql.provisioning(reseller_id)
    }

    fn pending_action(&mut self, order_id: OrderId) -> StoreResult<Option<Action>> {
        let stored = self.sql.pending_actions(order_id)?;
        load(&mut self.staged.changes.actions, stored, |a| a.id);
        Ok(
            seen_where(&self.request.actions, &self.staged.changes.actions, |a| {
                a.order_id == order_id && a.status == ActionStatus::PendingExecution
            })
            .into_iter()
            .next(),
        )
    }

    fn action_by_invoice(&mut self, invoice_id: InvoiceId) -> StoreResult<Option<Action>> {
        let stored = self.sql.actions_of_invoice(invoice_id)?;
        load(&mut self.staged.changes.actions, stored, |a| a.id);
        let mut found = seen_where(&self.request.actions, &self.staged.changes.actions, |a| {
            a.invoice_id == Some(invoice_id)
        });
        one_action_per_invoice(invoice_id, &mut found)
    }

    fn invoice(&mut self, id: InvoiceId) -> StoreResult<Option<Invoice>> {
        if let Some(entry) = seen(&self.request.invoices, &self.staged.changes.invoices, id) {
            return Ok(Some(entry.row.clone()));
        }
        let stored = self.sql.invoice(id)?;
        load(&mut self.staged.changes.invoices, stored.clone(), |i| i.id);
        Ok(stored)
    }

    fn balance(&mut self, account: Account) -> StoreResult<Money> {
        let key = account.key();
        let stored = match self.staged.cache.balances.get(&key) {
            Some(stored) => *stored,
            None => {
                let stored = self.sql.stored_balance(&key)?;
                self.staged.cache.balances.insert(key.clone(), stored);
                stored
            }
        };
        let staged = |c: &Changes| c.deltas.get(&key).copied().unwrap_or(0);
        Ok(Money(
            stored + staged(&self.staged.changes) + staged(&self.request),
        ))
    }

    fn live_order_named(&mut self, product: Product, name: &str) -> StoreResult<Option<OrderId>> {
        let stored = self.sql.orders_named_anywhere(product, name)?;
        load(&mut self.staged.changes.orders, stored, |o| o.id);
        Ok(
            seen_where(&self.request.orders, &self.staged.changes.orders, |o| {
                o.product == product
                    && o.description == name
                    && !matches!(o.status, OrderStatus::Deleted | OrderStatus::Archived)
            })
            .first()
            .map(|o| o.id),
        )
    }

    fn mails_of_order(&mut self, order_id: OrderId) -> StoreResult<Vec<Mail>> {
        // Mails are only read outside the requests that send them.
        self.sql.mails_of_order(order_id)
    }

    fn live_orders_of(&mut self, customer_id: CustomerId) -> StoreResult<Vec<OrderId>> {
        for id in self.sql.live_orders_of(customer_id)? {
            self.order(id)?;
        }
        Ok(
            seen_where(&self.request.orders, &self.staged.changes.orders, |o| {
                o.customer_id == customer_id
                    && !matches!(o.status, OrderStatus::Deleted | OrderStatus::Archived)
            })
            .into_iter()
            .map(|o| o.id)
            .collect(),
        )
    }

    fn token(&mut self, digest: &str) -> StoreResult<Option<Token>> {
        self.sql.token(digest)
    }

    fn console_signed_out(&mut self, nonce: i64) -> StoreResult<bool> {
        self.sql.console_signed_out(nonce)
    }

    fn contact(&mut self, id: ContactId) -> StoreResult<Option<Contact>> {
        self.sql.contact(id)
    }

    fn default_contacts(
        &mut self,
        customer_id: CustomerId,
        kind: &str,
    ) -> StoreResult<Option<DefaultContacts>> {
        self.sql.default_contacts(customer_id, kind)
    }
}

impl<C: Conn + Sequences> WriteTx for StagedTx<'_, C> {
    fn insert_reseller(&mut self, r: &Reseller) -> StoreResult<ResellerId> {
        self.write_at_once()?;
        self.staged.cache.resellers.clear();
        self.sql.insert_reseller(r)
    }

    fn update_reseller(&mut self, r: &Reseller) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.resellers.clear();
        self.sql.update_reseller(r)
    }

    fn insert_customer(&mut self, c: &Customer) -> StoreResult<CustomerId> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        self.sql.insert_customer(c)
    }

    fn update_customer(&mut self, c: &Customer) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        self.sql.update_customer(c)
    }

    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.plans.clear();
        self.sql.insert_plan(plan)
    }

    fn insert_price(&mut self, reseller_id: ResellerId, p: &Price) -> StoreResult<()> {
        self.write_at_once()?;
        self.staged.cache.prices.clear();
        self.sql.insert_price(reseller_id, p)
    }

    fn insert_order(&mut self, o: &Order) -> StoreResult<OrderId> {
        let id = OrderId(self.sql.conn.next_id(IdTable::Orders)?);
        let row = Order { id, ..o.clone() };
        self.request.orders.insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_order(&mut self, o: &Order) -> StoreResult<()> {
        self.order(o.id)?;
        Self::changed_row(
            &mut self.request.orders,
            &self.staged.changes.orders,
            o.id,
            "order",
            |row| {
                row.customer_id = o.customer_id;
                row.plan_id = o.plan_id;
                row.description.clone_from(&o.description);
                row.status = o.status;
                row.auto_renew = o.auto_renew;
                row.endtime = o.endtime;
                row.attrs = o.attrs.clone();
            },
        )
    }

    fn insert_action(&mut self, a: &Action) -> StoreResult<ActionId> {
        let id = ActionId(self.sql.conn.next_id(IdTable::Actions)?);
        let row = Action { id, ..a.clone() };
        self.request.actions.insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_action(&mut self, a: &Action) -> StoreResult<()> {
        self.action(a.id)?;
        Self::changed_row(
            &mut self.request.actions,
            &self.staged.changes.actions,
            a.id,
            "action",
            |row| {
                row.status = a.status;
                row.status_desc.clone_from(&a.status_desc);
                row.executed = a.executed;
            },
        )
    }

    fn insert_invoice(&mut self, i: &Invoice) -> StoreResult<InvoiceId> {
        let id = InvoiceId(self.sql.conn.next_id(IdTable::Invoices)?);
        let row = Invoice { id, ..i.clone() };
        self.request
            .invoices
            .insert(id, Entry { row, stored: None });
        Ok(id)
    }

    fn update_invoice(&mut self, i: &Invoice) -> StoreResult<()> {
        self.invoice(i.id)?;
        Self::changed_row(
            &mut self.request.invoices,
            &self.staged.changes.invoices,
            i.id,
            "invoice",
            |row| row.status = i.status,
        )
    }

    fn insert_receipt(
        &mut self,
        reseller_id: ResellerId,
        key: &str,
        customer_id: CustomerId,
        amount: Money,
        at: Epoch,
    ) -> StoreResult<bool> {
        self.write_at_once()?;
        self.staged.cache.customers.clear();
        self.sql
            .insert_receipt(reseller_id, key, customer_id, amount, at)
    }

    fn insert_token(&mut self, token: &Token) -> StoreResult<()> {
        self.write_at_once()?;
        self.sql.insert_token(token)
    }

    fn sign_out_console(&mut self, nonce: i64, expires: i64, now: i64) -> StoreResult<()> {
        self.write_at_once()?;
        self.sql.sign_out_console(nonce, expires, now)
    }

    fn insert_contact(&mut self, contact: &Contact) -> StoreResult<ContactId> {
        self.write_at_once()?;
        self.sql.insert_contact(contact)
    }

    fn update_contact(&mut self, contact: &Contact) -> StoreResult<()> {
        self.write_at_once()?;
        self.sql.update_contact(contact)
    }

    fn set_default_contacts(&mut self, defaults: &DefaultContacts) -> StoreResult<()> {
        self.write_at_once()?;
        self.sql.set_default_contacts(defaults)
    }

    fn insert_mail(&mut self, mail: &Mail) -> StoreResult<i64> {
        let id = self.sql.conn.next_id(IdTable::Mails)?;
        self.request.mails.push(Mail { id, ..mail.clone() });
        Ok(id)
    }

    fn set_provisioning(
        &mut self,
        reseller_id: ResellerId,
        provisioning: Provisioning,
    ) -> StoreResult<()> {
        self.write_at_once()?;
        self.sql.set_provisioning(reseller_id, provisioning)
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
        *self.request.deltas.entry(from.clone()).or_default() -= amount.0;
        *self.request.deltas.entry(to.clone()).or_default() += amount.0;
        self.request.transfers.push(Transfer {
            from,
            to,
            amount: amount.0,
            kind,
            memo: memo.to_string(),
            at,
        });
        Ok(())
    }
}
