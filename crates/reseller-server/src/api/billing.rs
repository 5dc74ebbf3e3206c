//! Funds, balances and invoice payment: `add-customer-fund`,
//! `add-reseller-fund` and `add-reseller-debit-note` (of a sub-reseller),
//! `customer-balance`, `reseller-balance`, `customer-pay`,
//! `execute-order-without-payment`.

use super::{CURRENCY, action_fields, search_page};
use crate::routes::{Call, Routes};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_api::calls::billing::*;
use reseller_core::accounts::{self, DebitNote, Receipt};
use reseller_core::model::Account;
use reseller_core::orders::{Settled, customer_of, execute_without_payment, pay_invoices};
use reseller_core::resellers::{self, ResellerReceipt};
use reseller_core::tx::{Accounts, Found, Page, TransferQuery, TransferSort};
use reseller_core::{CustomerId, Money};
use reseller_core::{InvoiceId, ResellerId};

pub fn routes(r: &mut Routes) {
    r.call::<AddCustomerFund, _, _>(add_customer_fund)
        .call::<AddResellerFund, _, _>(add_reseller_fund)
        .call::<AddResellerDebitNote, _, _>(reseller_debit_note)
        .call::<CustomerBalance, _, _>(customer_balance)
        .call::<ResellerBalance, _, _>(reseller_balance)
        .call::<CustomerPay, _, _>(customer_pay)
        .call::<ExecuteOrderWithoutPayment, _, _>(execute_order_without_payment)
        .call::<AddCustomerDebitNote, _, _>(debit_note)
        .call::<AddCustomerMiscInvoice, _, _>(misc_invoice)
        .call::<AddResellerMiscInvoice, _, _>(reseller_misc_invoice)
        .call::<CustomerTransactions, _, _>(|c, r: CustomerTransactions| {
            let ledger = Ledger::Customers {
                ids: vec![r.customer_id],
                usernames: Vec::new(),
            };
            transactions(c, ledger, r.period, Filters::default(), None)
        })
        .call::<CustomerTransactionsSearch, _, _>(|c, r: CustomerTransactionsSearch| {
            search_customer_transactions(c, r.filters, None)
        })
        .call::<CustomerArchivedTransactionsSearch, _, _>(
            |c, r: CustomerArchivedTransactionsSearch| {
                let archived_by = c.now - ARCHIVED_AFTER;
                search_customer_transactions(c, r.filters, Some(archived_by))
            },
        )
        .call::<CustomerGreedyTransactions, _, _>(|c, r: CustomerGreedyTransactions| {
            settled_report(c, Holder::Customer(r.customer_id), Report::Greedy)
        })
        .call::<CustomerBalancedTransactions, _, _>(|c, r: CustomerBalancedTransactions| {
            settled_report(c, Holder::Customer(r.customer_id), Report::Balanced)
        })
        .call::<ResellerGreedyTransactions, _, _>(|c, r: ResellerGreedyTransactions| {
            settled_report(c, Holder::Reseller(r.reseller_id), Report::Greedy)
        })
        .call::<ResellerTransactions, _, _>(|c, r: ResellerTransactions| {
            let ledger = Ledger::Reseller(r.reseller_id);
            transactions(c, ledger, r.period, Filters::default(), None)
        })
        .call::<ResellerTransactionsSearch, _, _>(|c, r: ResellerTransactionsSearch| {
            let page = Some(r.page.of_store());
            let ledger = Ledger::Reseller(r.reseller_id);
            transactions(c, ledger, r.period, Filters::default(), page)
        });
}

/// How old a movement is when it is archived: a year, on the sandbox clock.
const ARCHIVED_AFTER: i64 = 365 * 86_400;

/// A search of customers' transactions; `archived_by`, if given, lists only
/// movements made by then.
async fn search_customer_transactions(
    call: Call,
    r: CustomerTransactionFilters,
    archived_by: Option<i64>,
) -> Result<Reply, ApiError> {
    let page = Some(r.page.of_store());
    let ledger = Ledger::Customers {
        ids: r.customer_id,
        usernames: r.username.into_iter().map(|u| u.0).collect(),
    };
    let filters = Filters {
        ids: r.transaction_id.iter().map(|id| id.0).collect(),
        memo: r.transaction_description,
        amount_from: r.amt_range_start,
        amount_to: r.amt_range_end,
        // Every movement here is settled as it is made.
        none: r.balance_type.is_some_and(|b| b.0 == "onlyunbalanced"),
        by_hand: r.transaction_key.map(|k| k.0 == "manually"),
        sort: r.order_by.into_iter().map(|o| o.0).collect(),
    };
    let mut period = r.period;
    if let Some(by) = archived_by {
        let end = period.transaction_date_end.map_or(by, |end| end.0.min(by));
        period.transaction_date_end = Some(reseller_api::EpochSeconds(end));
    }
    transactions(call, ledger, period, filters, page).await
}

/// Whose funds a report of settled transactions is about.
enum Holder {
    Customer(CustomerId),
    /// The caller, or a sub-reseller it names.
    Reseller(Option<ResellerId>),
}

/// Which credits a report lists: those with a part not yet spent
/// (greedy), or every movement wholly settled (balanced).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Greedy,
    Balanced,
}

/// The greedy or balanced transactions of a customer's or a reseller's
/// funds, oldest first, keyed from 1 (docs/API.md).
async fn settled_report(call: Call, holder: Holder, report: Report) -> Result<Reply, ApiError> {
    let caller = call.reseller_id;
    let (account, prefix, holder_key, holder_id) = match holder {
        Holder::Customer(customer_id) => {
            call.state
                .store
                .read(move |tx| customer_of(tx, caller, customer_id))
                .await?;
            (
                Account::Customer(customer_id),
                "customer_transaction",
                "customerid",
                customer_id.0,
            )
        }
        Holder::Reseller(asked) => {
            let id = call
                .state
                .store
                .read(move |tx| resellers::viewed(tx, caller, asked))
                .await?;
            (
                Account::Reseller(id),
                "reseller_transaction",
                "resellerid",
                id.0,
            )
        }
    };
    let query = TransferQuery {
        accounts: Accounts::These(vec![account]),
        types: Vec::new(),
        by_hand: None,
        at_from: None,
        at_to: None,
        ids: Vec::new(),
        memo: None,
        amount_from: None,
        amount_to: None,
        sort: vec![TransferSort::Id { descending: false }],
        page: Page {
            records: REPORTED_MOVEMENTS,
            number: 1,
        },
    };
    let movements = call
        .state
        .store
        .read(move |tx| Ok(tx.search_transfers(&query)?))
        .await?
        .records;
    let key = account.key();
    let credits = accounts::unspent_credits(&movements, &key);
    let mut rows: Vec<(&reseller_core::tx::Transfer, Money, bool)> = Vec::new();
    for t in &movements {
        let credit = t.to == key;
        let unspent = credits
            .iter()
            .find(|(c, _)| c.id == t.id)
            .map_or(Money::ZERO, |(_, left)| *left);
        let listed = match report {
            Report::Greedy => credit && unspent > Money::ZERO,
            Report::Balanced => unspent == Money::ZERO,
        };
        if listed {
            rows.push((t, unspent, credit));
        }
    }
    let mut map = MapReply::with_capacity(rows.len());
    for (n, (t, unspent, credit)) in rows.into_iter().enumerate() {
        let amount = if credit { t.amount } else { -t.amount };
        let mut entry = MapReply::with_capacity(12);
        entry
            .id(format!("{prefix}.transid"), t.id)
            .id(format!("{prefix}.transactiondate"), t.at)
            .text(
                format!("{prefix}.type"),
                if credit { t.kind.key() } else { "debit" },
            )
            .text(format!("{prefix}.description"), t.memo.clone())
            .flag("greedy", report == Report::Greedy)
            .id(format!("{prefix}.{holder_key}"), holder_id)
            .text(format!("{prefix}.sellingcurrencysymbol"), CURRENCY)
            .money(format!("{prefix}.sellingamount"), amount)
            .money(format!("{prefix}.unutilisedsellingamount"), unspent)
            .text(format!("{prefix}.accountingcurrencysymbol"), CURRENCY)
            .money(format!("{prefix}.accountingamount"), amount)
            .money(format!("{prefix}.unutilisedaccountingamount"), unspent);
        map.put((n + 1).to_string(), entry.build());
    }
    Ok(map.build())
}

/// The most movements of one account a greedy or balanced report reads.
const REPORTED_MOVEMENTS: u32 = 100_000;

/// The balance keys of both balance calls.
fn balance_map(balance: Money) -> MapReply {
    let mut map = MapReply::with_capacity(9);
    map.text("sellingcurrencysymbol", CURRENCY)
        .money("sellingcurrencybalance", balance)
        .money("sellingcurrencylockedbalance", Money::ZERO)
        .text("accountingcurrencysymbol", CURRENCY)
        .money("accountingcurrencybalance", balance)
        .money("accountingcurrencylockedbalance", Money::ZERO);
    map
}

async fn add_customer_fund(call: Call, asked: AddCustomerFund) -> Result<Reply, ApiError> {
    let (customer_id, amount) = (asked.customer_id, asked.amount);
    let counts_as_receipt = asked.update_total_receipt.unwrap_or(true);
    let receipt = Receipt {
        reseller_id: call.reseller_id,
        customer_id,
        amount,
        transaction_key: asked.transaction_key,
        description: asked.description,
        counts_as_receipt,
        kind: asked.transaction_type.transfer_kind(),
        now: call.now,
    };
    let balance = call
        .state
        .store
        .write(move |tx| accounts::add_customer_funds(tx, &receipt))
        .await?;
    let mut map = balance_map(balance);
    map.text("status", "Success")
        .id("customerid", customer_id)
        .money("amount", amount);
    Ok(map.build())
}

async fn customer_balance(call: Call, asked: CustomerBalance) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
    let reseller_id = call.reseller_id;
    let (customer, balance) = call
        .state
        .store
        .read(move |tx| {
            let customer = customer_of(tx, reseller_id, customer_id)?;
            let balance = tx.balance(Account::Customer(customer_id))?;
            Ok((customer, balance))
        })
        .await?;
    let mut map = balance_map(balance);
    map.id("customerid", customer.id)
        .money("totalreceipts", customer.total_receipts);
    Ok(map.build())
}

/// The caller's balance, or a sub-reseller's it names.
async fn reseller_balance(call: Call, asked: ResellerBalance) -> Result<Reply, ApiError> {
    let caller = call.reseller_id;
    let (reseller_id, balance) = call
        .state
        .store
        .read(move |tx| {
            let id = resellers::viewed(tx, caller, asked.reseller_id)?;
            Ok((id, tx.balance(Account::Reseller(id))?))
        })
        .await?;
    let mut map = balance_map(balance);
    map.id("resellerid", reseller_id);
    Ok(map.build())
}

/// Funds into a sub-reseller's account, once per `transaction-key`.
async fn add_reseller_fund(call: Call, asked: AddResellerFund) -> Result<Reply, ApiError> {
    let (reseller_id, amount) = (asked.reseller_id, asked.amount);
    let receipt = ResellerReceipt {
        parent: call.reseller_id,
        reseller_id,
        amount,
        transaction_key: asked.transaction_key,
        description: asked.description,
        counts_as_receipt: asked.update_total_receipt.unwrap_or(true),
        kind: asked.transaction_type.transfer_kind(),
        now: call.now,
    };
    let balance = call
        .state
        .store
        .write(move |tx| resellers::add_funds(tx, &receipt))
        .await?;
    let mut map = balance_map(balance);
    map.text("status", "Success")
        .id("resellerid", reseller_id)
        .money("amount", amount);
    Ok(map.build())
}

/// Charges a sub-reseller's funds to the caller's earnings.
async fn reseller_debit_note(call: Call, asked: AddResellerDebitNote) -> Result<Reply, ApiError> {
    let (parent, reseller_id, now) = (call.reseller_id, asked.reseller_id, call.now);
    let (amount, description) = (asked.amount, asked.description);
    let balance = call
        .state
        .store
        .write(move |tx| {
            resellers::add_debit_note(tx, parent, reseller_id, amount, &description, now)
        })
        .await?;
    let mut map = balance_map(balance);
    map.text("status", "Success").id("resellerid", reseller_id);
    Ok(map.build())
}

/// The most invoices one call pays or executes.
const MAX_INVOICES_AT_ONCE: usize = 100;

fn at_most_enough(ids: Vec<InvoiceId>) -> Result<Vec<InvoiceId>, ApiError> {
    if ids.len() > MAX_INVOICES_AT_ONCE {
        return Err(ApiError::invalid(
            "invoice-ids",
            &ids.len().to_string(),
            Allowed::InvoicesAtOnce(MAX_INVOICES_AT_ONCE),
        ));
    }
    Ok(ids)
}

/// Pays invoices from customer funds; answers each invoice with the action it ran.
async fn customer_pay(call: Call, asked: CustomerPay) -> Result<Reply, ApiError> {
    let ids = at_most_enough(asked.invoice_ids)?;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let paid = call
        .state
        .store
        .write(move |tx| pay_invoices(tx, &links, reseller_id, &ids, now))
        .await?;
    let mut map = MapReply::default();
    for Settled { invoice, billed } in paid {
        let mut entry = match &billed {
            Some((action, description)) => action_fields(action, description),
            None => MapReply::default(),
        };
        entry
            .id("invoiceid", invoice.id)
            .text("invoicestatus", invoice.status.as_str())
            .text("sellingcurrencysymbol", CURRENCY)
            .money("sellingamount", -invoice.amount)
            .id("customerid", invoice.customer_id);
        map.put(invoice.id.to_string(), entry.build());
    }
    Ok(map.build())
}

/// Runs the actions unpaid invoices hold; `cancel-invoice` cancels them too.
async fn execute_order_without_payment(
    call: Call,
    asked: ExecuteOrderWithoutPayment,
) -> Result<Reply, ApiError> {
    let ids = at_most_enough(asked.invoice_ids)?;
    let cancel = asked.cancel_invoice.unwrap_or(false);
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let executed = call
        .state
        .store
        .write(move |tx| execute_without_payment(tx, &links, reseller_id, &ids, cancel, now))
        .await?;
    let mut map = MapReply::default();
    for Settled { invoice, billed } in executed {
        let mut entry = match &billed {
            Some((action, description)) => action_fields(action, description),
            None => MapReply::default(),
        };
        entry
            .text("invoiceid", invoice.id.to_string())
            .text("invoicestatus", invoice.status.as_str());
        map.put(invoice.id.to_string(), entry.build());
    }
    Ok(map.build())
}

/// Whose ledger movements a transactions call lists.
enum Ledger {
    /// The funds of the customers named by id or username, every
    /// customer's when none is named.
    Customers {
        ids: Vec<CustomerId>,
        usernames: Vec<String>,
    },
    /// The calling reseller's funds with the platform (`reseller-id`, if
    /// given, must be the caller's).
    Reseller(Option<ResellerId>),
}

/// What a transactions search narrows its movements to, beyond whose and
/// when.
#[derive(Default)]
struct Filters {
    ids: Vec<i64>,
    /// Contained in the description, ignoring case.
    memo: Option<String>,
    amount_from: Option<Money>,
    amount_to: Option<Money>,
    /// Nothing matches (`balance-type=onlyunbalanced`).
    none: bool,
    /// Only movements made by hand, or only the platform's
    /// (`transaction-key`).
    by_hand: Option<bool>,
    /// Sort keys (`order-by`); none: newest first.
    sort: Vec<TransferSort>,
}

/// The movements of a customer's or the reseller's funds, newest first: each
/// a credit (money in) or a debit (money out) with its description. The
/// plain form takes no paging and answers the newest 500.
async fn transactions(
    call: Call,
    ledger: Ledger,
    period: Period,
    filters: Filters,
    page: Option<Page>,
) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let accounts = match ledger {
        Ledger::Customers { ids, usernames } if ids.is_empty() && usernames.is_empty() => {
            Accounts::CustomersOf(reseller_id)
        }
        Ledger::Customers { ids, usernames } => {
            let named = call
                .state
                .store
                .read(move |tx| {
                    let mut accounts = Vec::with_capacity(ids.len() + usernames.len());
                    for &id in &ids {
                        customer_of(tx, reseller_id, id)?;
                        accounts.push(Account::Customer(id));
                    }
                    // A username no customer has matches nothing.
                    for username in &usernames {
                        if let Some(customer) = tx.customer_by_username(reseller_id, username)? {
                            accounts.push(Account::Customer(customer.id));
                        }
                    }
                    Ok(accounts)
                })
                .await?;
            Accounts::These(named)
        }
        Ledger::Reseller(given) => {
            let viewed = call
                .state
                .store
                .read(move |tx| resellers::viewed(tx, reseller_id, given))
                .await?;
            Accounts::These(vec![Account::Reseller(viewed)])
        }
    };
    // Money into one of the accounts listed (into any customer's, for
    // every customer) is a credit.
    let listed: Option<Vec<String>> = match &accounts {
        Accounts::These(listed) => Some(listed.iter().map(|a| a.key()).collect()),
        Accounts::CustomersOf(_) => None,
    };
    let credit_to = move |to: &str| match &listed {
        Some(keys) => keys.iter().any(|k| k == to),
        None => to.starts_with(Account::CUSTOMER_PREFIX),
    };
    let query = TransferQuery {
        accounts,
        types: period.transaction_type.into_iter().map(|t| t.0).collect(),
        by_hand: filters.by_hand,
        at_from: period.transaction_date_start.map(|t| t.0),
        at_to: period.transaction_date_end.map(|t| t.0),
        ids: filters.ids,
        memo: filters.memo,
        amount_from: filters.amount_from,
        amount_to: filters.amount_to,
        sort: filters.sort,
        page: page.unwrap_or(Page {
            records: 500,
            number: 1,
        }),
    };
    let found = if filters.none {
        Found {
            total: 0,
            records: Vec::new(),
        }
    } else {
        call.state
            .store
            .read(move |tx| Ok(tx.search_transfers(&query)?))
            .await?
    };
    Ok(search_page(&found, |t| {
        let credit = credit_to(&t.to);
        let mut map = MapReply::with_capacity(6);
        map.id("transaction.transactionid", t.id)
            .text("transaction.type", if credit { "credit" } else { "debit" })
            .id("transaction.transactiondate", t.at)
            .text("transaction.description", t.memo.clone())
            .text("transaction.sellingcurrencysymbol", CURRENCY)
            .money(
                "transaction.sellingamount",
                if credit { t.amount } else { -t.amount },
            );
        map
    }))
}

/// An invoice against one of a customer's orders; answers its id.
async fn misc_invoice(call: Call, asked: AddCustomerMiscInvoice) -> Result<Reply, ApiError> {
    let billed = accounts::Billed::Customer(asked.customer_id);
    raise_misc_invoice(call, billed, asked.terms).await
}

/// An invoice against a sub-reseller's order; answers its id.
async fn reseller_misc_invoice(
    call: Call,
    asked: AddResellerMiscInvoice,
) -> Result<Reply, ApiError> {
    let billed = accounts::Billed::SubReseller(asked.reseller_id);
    raise_misc_invoice(call, billed, asked.terms).await
}

/// Raises a miscellaneous invoice against an order of the billed customer
/// or sub-reseller; answers the new invoice's id, a bare number.
async fn raise_misc_invoice(
    call: Call,
    billed: accounts::Billed,
    terms: MiscInvoiceTerms,
) -> Result<Reply, ApiError> {
    let invoice = accounts::MiscInvoice {
        reseller_id: call.reseller_id,
        billed,
        order_id: terms.order_id,
        amount: terms.selling_amount,
        description: terms.description,
        dated: terms.invoice_date.0,
        transaction_key: terms.transaction_key,
        greedy: terms.greedy.unwrap_or(false),
        now: call.now,
    };
    let invoice = call
        .state
        .store
        .write(move |tx| accounts::add_misc_invoice(tx, &invoice))
        .await?;
    Ok(Reply::Int(invoice.id.0))
}

/// Charges the customer's funds at once (docs/API.md); answers the balance
/// after it, as `add-customer-fund` does, with the debit note's invoice.
async fn debit_note(call: Call, asked: AddCustomerDebitNote) -> Result<Reply, ApiError> {
    let note = DebitNote {
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        amount: asked.amount,
        description: asked.description,
        now: call.now,
    };
    let (customer_id, amount) = (note.customer_id, note.amount);
    let (invoice_id, balance) = call
        .state
        .store
        .write(move |tx| accounts::add_debit_note(tx, &note))
        .await?;
    let mut map = balance_map(balance);
    map.text("status", "Success")
        .id("customerid", customer_id)
        .money("amount", amount)
        .id("invoiceid", invoice_id);
    Ok(map.build())
}
