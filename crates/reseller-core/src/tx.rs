//! The port through which the rules read and write state, inside one
//! transaction. `reseller-store` implements it for each backend; the rules
//! never see SQL, and the store never decides anything.
//!
//! It is three traits, so that the types say where each call may run:
//! [`ReadTx`] (lookups by key, which see a write's own changes) is part of
//! both [`SearchTx`], what a read transaction offers, and [`WriteTx`], what
//! a write transaction offers. A search is only in `SearchTx`: a write may
//! hold changes that a search would not see (PostgreSQL stages them until
//! the transaction ends), so a search inside a write does not compile.

use crate::catalogue::{Plan, Price, PriceAction, Product};
use crate::error::StoreError;
use crate::ids::{ActionId, ContactId, CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
use crate::model::{
    Account, Action, ActionKind, ActionStatus, Contact, ContactStatus, Customer, CustomerStatus,
    DefaultContacts, Invoice, Mail, Order, OrderStatus, Reseller, Token,
};
use crate::money::Money;
use crate::provisioning::Provisioning;
use crate::time::Epoch;

pub type StoreResult<T> = std::result::Result<T, StoreError>;

/// A window of search results: `no-of-records` and `page-no` on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub records: u32,
    pub number: u32,
}

impl Page {
    pub fn offset(self) -> u64 {
        u64::from(self.records) * u64::from(self.number.saturating_sub(1))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderSort {
    #[default]
    OrderId,
    OrderIdDesc,
    EndTime,
    EndTimeDesc,
    CreationTime,
    CreationTimeDesc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderQuery {
    pub reseller_id: ResellerId,
    pub products: Vec<Product>,
    pub order_ids: Vec<OrderId>,
    pub customer_ids: Vec<CustomerId>,
    pub statuses: Vec<OrderStatus>,
    /// Orders of these plans only (a domain's plan is its TLD).
    pub plan_ids: Vec<PlanId>,
    /// Exact order name (domain name or backup name).
    pub description: Option<String>,
    /// Domains whose privacy protection is on (or off).
    pub privacy_on: Option<bool>,
    pub created_from: Option<Epoch>,
    pub created_to: Option<Epoch>,
    pub ends_from: Option<Epoch>,
    pub ends_to: Option<Epoch>,
    pub sort: OrderSort,
    pub page: Page,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerQuery {
    pub reseller_id: ResellerId,
    pub customer_ids: Vec<CustomerId>,
    pub usernames: Vec<String>,
    /// Substring of the name, case-insensitive.
    pub name: Option<String>,
    pub company: Option<String>,
    /// The whole city or state, case-insensitive.
    pub city: Option<String>,
    pub state: Option<String>,
    pub created_from: Option<Epoch>,
    pub created_to: Option<Epoch>,
    /// Bounds of `totalreceipts`, inclusive.
    pub receipts_from: Option<Money>,
    pub receipts_to: Option<Money>,
    pub statuses: Vec<CustomerStatus>,
    pub page: Page,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionQuery {
    pub reseller_id: ResellerId,
    pub action_ids: Vec<ActionId>,
    pub order_ids: Vec<OrderId>,
    pub customer_ids: Vec<CustomerId>,
    pub statuses: Vec<ActionStatus>,
    pub kinds: Vec<ActionKind>,
    pub page: Page,
}

/// A contact search: a reseller's contacts, of some customers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactQuery {
    pub reseller_id: ResellerId,
    pub customer_ids: Vec<CustomerId>,
    pub contact_ids: Vec<ContactId>,
    pub statuses: Vec<ContactStatus>,
    /// Substrings, ignoring case.
    pub name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub kinds: Vec<String>,
    pub page: Page,
}

/// The ledger movements of some accounts, newest first unless sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferQuery {
    pub accounts: Accounts,
    /// Only movements of any of these types (none: every type).
    pub types: Vec<TransactionType>,
    /// Only movements made by hand (`Some(true)`) or by the system.
    pub by_hand: Option<bool>,
    pub at_from: Option<Epoch>,
    pub at_to: Option<Epoch>,
    /// Only these movements, by id (none: any).
    pub ids: Vec<i64>,
    /// Only movements whose memo contains this, ignoring case.
    pub memo: Option<String>,
    /// Bounds of the amount moved, inclusive.
    pub amount_from: Option<Money>,
    pub amount_to: Option<Money>,
    /// Sort keys, most significant first (none: newest first); ties go
    /// newest first.
    pub sort: Vec<TransferSort>,
    pub page: Page,
}

/// The vendor's transaction types, as a transactions search filters by
/// them: `credit` and `debit` are money into and out of the accounts
/// listed; `receipt` and `invoice` are funds received and invoices paid
/// (the kinds of [`TransferKind`] that are one or the other).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionType {
    Credit,
    Debit,
    Receipt,
    Invoice,
}

/// What a transfer search sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferSort {
    Id { descending: bool },
    At { descending: bool },
    Amount { descending: bool },
    Memo { descending: bool },
}

/// Why money moved. It tells the vendor's transaction types apart, and
/// what a reseller did by hand from what the platform did on its own
/// (`transaction-key`: `manually` or `systemgenerated`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferKind {
    /// Funds added to a customer's account by hand, as a receipt.
    Receipt,
    /// Funds added to a customer's account by hand, as a credit note.
    CreditNote,
    /// A customer charged by hand (`add-customer-debit-note`).
    DebitNote,
    /// An invoice paid from a customer's funds, or an action's cost
    /// charged to its reseller.
    Invoice,
    /// Money the platform gave back (a cancelled transfer).
    Refund,
    /// The funds a reseller starts with.
    Opening,
}

impl TransferKind {
    pub const ALL: [TransferKind; 6] = [
        TransferKind::Receipt,
        TransferKind::CreditNote,
        TransferKind::DebitNote,
        TransferKind::Invoice,
        TransferKind::Refund,
        TransferKind::Opening,
    ];

    /// The word the store keeps.
    pub fn key(self) -> &'static str {
        match self {
            TransferKind::Receipt => "receipt",
            TransferKind::CreditNote => "credit-note",
            TransferKind::DebitNote => "debit-note",
            TransferKind::Invoice => "invoice",
            TransferKind::Refund => "refund",
            TransferKind::Opening => "opening",
        }
    }

    pub fn from_key(key: &str) -> Option<TransferKind> {
        TransferKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether a person made it, not the platform.
    pub fn by_hand(self) -> bool {
        matches!(
            self,
            TransferKind::Receipt | TransferKind::CreditNote | TransferKind::DebitNote
        )
    }

    /// Whether a search for this type finds this kind, whatever the
    /// direction (`credit` and `debit` go by direction alone).
    pub fn is_of(self, wanted: TransactionType) -> bool {
        match wanted {
            TransactionType::Receipt => {
                matches!(self, TransferKind::Receipt | TransferKind::Opening)
            }
            TransactionType::Invoice => self == TransferKind::Invoice,
            TransactionType::Credit | TransactionType::Debit => false,
        }
    }
}

/// Whose movements a transfer search lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Accounts {
    These(Vec<Account>),
    /// Every customer of the reseller's.
    CustomersOf(ResellerId),
}

impl TransferQuery {
    /// A page of one account's movements, unfiltered.
    pub fn of(account: Account, page: Page) -> TransferQuery {
        TransferQuery {
            accounts: Accounts::These(vec![account]),
            types: Vec::new(),
            by_hand: None,
            at_from: None,
            at_to: None,
            ids: Vec::new(),
            memo: None,
            amount_from: None,
            amount_to: None,
            sort: Vec::new(),
            page,
        }
    }
}

/// One ledger movement: `amount` left `from` for `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub amount: Money,
    pub memo: String,
    pub at: Epoch,
    pub kind: TransferKind,
}

/// An action as a search shows it: with the name of its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRecord {
    pub action: Action,
    pub order_description: String,
}

/// One search answer: how many records match in all, and this page of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<T> {
    pub total: u64,
    pub records: Vec<T>,
}

/// Lookups by key inside one transaction, read or write. In a write they
/// see what the transaction has written so far.
pub trait ReadTx {
    fn reseller(&mut self, id: ResellerId) -> StoreResult<Option<Reseller>>;
    fn reseller_ids(&mut self) -> StoreResult<Vec<ResellerId>>;
    /// The reseller that signs in with this username (sub-resellers have one).
    fn reseller_by_username(&mut self, username: &str) -> StoreResult<Option<Reseller>>;
    /// The resellers `parent` signed up, by id.
    fn sub_resellers(&mut self, parent: ResellerId) -> StoreResult<Vec<Reseller>>;

    fn customer(&mut self, id: CustomerId) -> StoreResult<Option<Customer>>;
    fn customer_by_username(
        &mut self,
        reseller_id: ResellerId,
        username: &str,
    ) -> StoreResult<Option<Customer>>;

    fn plans(&mut self) -> StoreResult<Vec<Plan>>;
    fn plan(&mut self, plan_id: PlanId) -> StoreResult<Option<Plan>>;
    /// A reseller's whole price list.
    fn prices(&mut self, reseller_id: ResellerId) -> StoreResult<Vec<Price>>;
    fn price(
        &mut self,
        reseller_id: ResellerId,
        plan_id: PlanId,
        action: PriceAction,
        months: u32,
    ) -> StoreResult<Option<Price>>;

    fn order(&mut self, id: OrderId) -> StoreResult<Option<Order>>;
    /// The newest order of a product with this exact name, for `orderid`
    /// calls: a live one before a deleted or archived one.
    fn order_id_by_description(
        &mut self,
        reseller_id: ResellerId,
        products: &[Product],
        description: &str,
    ) -> StoreResult<Option<OrderId>>;

    fn action(&mut self, id: ActionId) -> StoreResult<Option<Action>>;
    /// The action of an order that waits for payment, if any.
    fn pending_action(&mut self, order_id: OrderId) -> StoreResult<Option<Action>>;
    /// How a reseller's paid actions are provisioned (instant unless set).
    fn provisioning(&mut self, reseller_id: ResellerId) -> StoreResult<Provisioning>;
    /// The action an invoice bills.
    fn action_by_invoice(&mut self, invoice_id: InvoiceId) -> StoreResult<Option<Action>>;

    fn invoice(&mut self, id: InvoiceId) -> StoreResult<Option<Invoice>>;

    fn balance(&mut self, account: Account) -> StoreResult<Money>;

    /// The live order of a product with this exact name, of any reseller:
    /// a domain is registered once on the whole platform.
    fn live_order_named(&mut self, product: Product, name: &str) -> StoreResult<Option<OrderId>>;

    /// The customer's orders that are not deleted or archived.
    fn live_orders_of(&mut self, customer_id: CustomerId) -> StoreResult<Vec<OrderId>>;

    /// The mails kept about an order, oldest first.
    fn mails_of_order(&mut self, order_id: OrderId) -> StoreResult<Vec<Mail>>;

    fn contact(&mut self, id: ContactId) -> StoreResult<Option<Contact>>;
    fn default_contacts(
        &mut self,
        customer_id: CustomerId,
        kind: &str,
    ) -> StoreResult<Option<DefaultContacts>>;

    /// A token by the digest of its text.
    fn token(&mut self, digest: &str) -> StoreResult<Option<Token>>;

    /// Whether the console session of this nonce was signed out.
    fn console_signed_out(&mut self, nonce: i64) -> StoreResult<bool>;
}

/// What a read transaction offers: lookups and searches over one snapshot.
pub trait SearchTx: ReadTx {
    fn search_customers(&mut self, query: &CustomerQuery) -> StoreResult<Found<Customer>>;
    fn search_orders(&mut self, query: &OrderQuery) -> StoreResult<Found<Order>>;
    fn search_transfers(&mut self, query: &TransferQuery) -> StoreResult<Found<Transfer>>;
    fn search_contacts(&mut self, query: &ContactQuery) -> StoreResult<Found<Contact>>;
    /// Actions with the names of their orders, which every record shows.
    fn search_actions(&mut self, query: &ActionQuery) -> StoreResult<Found<ActionRecord>>;
    /// Which of `names` are live orders of `product`, of any reseller.
    fn live_names(&mut self, product: Product, names: &[String]) -> StoreResult<Vec<String>>;
    /// The orders of every reseller whose next job (`lifecycle::next_due`)
    /// falls due at or before `until`, as their kept due times and ids, by
    /// due time then id, after `after` (a due time and id), at most `limit`.
    /// Only the orders of the resellers `scope` takes.
    fn orders_due_by(
        &mut self,
        until: Epoch,
        after: (Epoch, OrderId),
        limit: u32,
        scope: &DueScope,
    ) -> StoreResult<Vec<(Epoch, OrderId)>>;
    /// The mails the platform kept, newest first, at most `limit`, about
    /// one order if given (the sandbox outbox).
    fn outbox(&mut self, order_id: Option<OrderId>, limit: u32) -> StoreResult<Vec<Mail>>;
}

/// What a write transaction offers: lookups, and writes. Inserts take a
/// record with id 0 and return the id the store assigned.
pub trait WriteTx: ReadTx {
    fn insert_reseller(&mut self, reseller: &Reseller) -> StoreResult<ResellerId>;
    fn update_reseller(&mut self, reseller: &Reseller) -> StoreResult<()>;

    fn insert_customer(&mut self, customer: &Customer) -> StoreResult<CustomerId>;
    fn update_customer(&mut self, customer: &Customer) -> StoreResult<()>;

    /// Adds a plan unless one with its id exists.
    fn insert_plan(&mut self, plan: &Plan) -> StoreResult<()>;
    fn insert_price(&mut self, reseller_id: ResellerId, price: &Price) -> StoreResult<()>;

    fn insert_order(&mut self, order: &Order) -> StoreResult<OrderId>;
    fn update_order(&mut self, order: &Order) -> StoreResult<()>;

    fn insert_action(&mut self, action: &Action) -> StoreResult<ActionId>;
    fn update_action(&mut self, action: &Action) -> StoreResult<()>;
    fn set_provisioning(
        &mut self,
        reseller_id: ResellerId,
        provisioning: Provisioning,
    ) -> StoreResult<()>;

    fn insert_invoice(&mut self, invoice: &Invoice) -> StoreResult<InvoiceId>;
    fn update_invoice(&mut self, invoice: &Invoice) -> StoreResult<()>;

    /// Records a customer receipt under the caller's unique `transaction-key`;
    /// false when that key was used before by the same reseller.
    fn insert_receipt(
        &mut self,
        reseller_id: ResellerId,
        transaction_key: &str,
        customer_id: CustomerId,
        amount: Money,
        at: Epoch,
    ) -> StoreResult<bool>;

    fn insert_token(&mut self, token: &Token) -> StoreResult<()>;
    /// Ends the console session of `nonce` (valid until `expires`, real
    /// time), forgetting the sign-outs of sessions expired by `now`.
    fn sign_out_console(&mut self, nonce: i64, expires: i64, now: i64) -> StoreResult<()>;
    fn insert_contact(&mut self, contact: &Contact) -> StoreResult<ContactId>;
    fn update_contact(&mut self, contact: &Contact) -> StoreResult<()>;
    /// Sets a customer's default contacts of a kind, replacing any.
    fn set_default_contacts(&mut self, defaults: &DefaultContacts) -> StoreResult<()>;
    /// Keeps a mail the platform sent; answers its id.
    fn insert_mail(&mut self, mail: &Mail) -> StoreResult<i64>;

    /// Moves `amount` (more than zero) from one account to another: two
    /// ledger entries that sum to zero, and both cached balances updated.
    fn transfer(
        &mut self,
        from: Account,
        to: Account,
        amount: Money,
        kind: TransferKind,
        memo: &str,
        at: Epoch,
    ) -> StoreResult<()>;
}

/// Whose orders a sweep of due jobs reads: a tenant with a clock of its
/// own has its jobs run by its clock, so the global clock's sweep leaves
/// them out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DueScope {
    /// Every reseller's but these.
    Except(Vec<ResellerId>),
    /// These resellers' only.
    Only(Vec<ResellerId>),
}
