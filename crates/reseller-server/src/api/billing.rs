//! Funds, balances and invoice payment: `add-customer-fund`,
//! `customer-balance`, `reseller-balance`, `customer-pay`,
//! `execute-order-without-payment`.

use super::{CURRENCY, PAGE, action_fields, search_page};
use crate::AppState;
use crate::routes::{Call, Kind, Routes, Shape, optional, repeated, required};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_core::accounts::{self, DebitNote, Receipt};
use reseller_core::model::Account;
use reseller_core::model::ActionKind;
use reseller_core::orders::{Settled, customer_of, execute_without_payment, pay_invoices};
use reseller_core::tx::WriteTx;
use reseller_core::tx::{Page, TransferQuery};
use reseller_core::{CustomerId, Money};
use reseller_core::{InvoiceId, ResellerId};

pub fn routes(r: &mut Routes) {
    let customer = required("customer-id", Kind::Id);
    let reseller = optional("reseller-id", Kind::Id);
    let period = [
        optional("transaction-type", Kind::OneOf(|| vec!["credit", "debit"])),
        optional("transaction-date-start", Kind::Time),
        optional("transaction-date-end", Kind::Time),
    ];
    r.post("billing/add-customer-fund", |c| {
        Box::pin(add_customer_fund(c))
    })
    .takes(&[
        customer,
        required("amount", Kind::Money),
        required("description", Kind::Text),
        required(
            "transaction-type",
            Kind::OneOf(|| vec!["receipt", "credit"]),
        ),
        required("transaction-key", Kind::Text),
        optional("update-total-receipt", Kind::Flag),
    ])
    .answers(Shape::Fields(BALANCE))
    .get("billing/customer-balance", |c| {
        Box::pin(customer_balance(c))
    })
    .takes(&[customer])
    .answers(Shape::Fields(BALANCE))
    .get("billing/reseller-balance", |c| {
        Box::pin(reseller_balance(c))
    })
    .takes(&[reseller])
    .answers(Shape::Fields(BALANCE))
    .post("billing/customer-pay", |c| Box::pin(customer_pay(c)))
    .takes(&[repeated("invoice-ids", Kind::Id)])
    .answers(Shape::Keyed)
    .post("billing/execute-order-without-payment", |c| {
        Box::pin(execute_order_without_payment(c))
    })
    .takes(&[
        repeated("invoice-ids", Kind::Id),
        optional("cancel-invoice", Kind::Flag),
    ])
    .answers(Shape::Keyed)
    .post("billing/add-customer-debit-note", |c| {
        Box::pin(debit_note(c))
    })
    .takes(&[
        customer,
        required("amount", Kind::Money),
        required("description", Kind::Text),
    ])
    .answers(Shape::Fields(BALANCE))
    .get("billing/customer-transactions", |c| {
        Box::pin(transactions(c, Ledger::Customer, false))
    })
    .takes(&[customer])
    .takes(&period)
    .answers(Shape::Search)
    .get("billing/customer-transactions/search", |c| {
        Box::pin(transactions(c, Ledger::Customer, true))
    })
    .takes(&[customer])
    .takes(&period)
    .takes(PAGE)
    .answers(Shape::Search)
    .get("billing/reseller-transactions", |c| {
        Box::pin(transactions(c, Ledger::Reseller, false))
    })
    .takes(&[reseller])
    .takes(&period)
    .answers(Shape::Search)
    .get("billing/reseller-transactions/search", |c| {
        Box::pin(transactions(c, Ledger::Reseller, true))
    })
    .takes(&[reseller])
    .takes(&period)
    .takes(PAGE)
    .answers(Shape::Search);
}

/// The keys every balance reply has.
const BALANCE: &[&str] = &["sellingcurrencysymbol", "sellingcurrencybalance"];

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

async fn add_customer_fund(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let customer_id = p.required_id("customer-id")?;
    let amount = p.required_money("amount")?;
    let description = p.required("description")?.to_string();
    let transaction_type = p.required("transaction-type")?;
    if !["receipt", "credit"].contains(&transaction_type.to_ascii_lowercase().as_str()) {
        return Err(ApiError::invalid(
            "transaction-type",
            transaction_type,
            Allowed::ReceiptOrCredit,
        ));
    }
    let counts_as_receipt = p.flag("update-total-receipt", true)?;
    let receipt = Receipt {
        reseller_id: call.reseller_id,
        customer_id,
        amount,
        transaction_key: p.required("transaction-key")?.to_string(),
        description,
        counts_as_receipt,
        now: call.state.clock.now(),
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

async fn customer_balance(call: Call) -> Result<Reply, ApiError> {
    let customer_id = call.params.required_id("customer-id")?;
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

async fn reseller_balance(call: Call) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    call.params.own_reseller(reseller_id)?;
    let balance = call
        .state
        .store
        .read(move |tx| Ok(tx.balance(Account::Reseller(reseller_id))?))
        .await?;
    let mut map = balance_map(balance);
    map.id("resellerid", reseller_id);
    Ok(map.build())
}

/// The most invoices one call pays or executes.
const MAX_INVOICES_AT_ONCE: usize = 100;

fn invoice_ids(call: &Call) -> Result<Vec<InvoiceId>, ApiError> {
    let ids = call.params.ids("invoice-ids")?;
    if ids.is_empty() {
        return Err(ApiError::MissingParam("invoice-ids"));
    }
    if ids.len() > MAX_INVOICES_AT_ONCE {
        return Err(ApiError::invalid(
            "invoice-ids",
            &ids.len().to_string(),
            Allowed::InvoicesAtOnce(MAX_INVOICES_AT_ONCE),
        ));
    }
    Ok(ids)
}

/// Asks for the approval of each transfer in that a settlement started.
fn mail_started_transfers(
    tx: &mut dyn WriteTx,
    state: &AppState,
    reseller_id: ResellerId,
    settled: &[Settled],
    now: i64,
) -> reseller_core::Result<()> {
    for (action, _) in settled.iter().filter_map(|s| s.billed.as_ref()) {
        if action.kind == ActionKind::TransferDomain {
            crate::transfer::mail_if_due(tx, state, reseller_id, action.order_id, false, now)?;
        }
    }
    Ok(())
}

/// Pays invoices from customer funds; answers each invoice with the action it ran.
async fn customer_pay(call: Call) -> Result<Reply, ApiError> {
    let ids = invoice_ids(&call)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    let paid = call
        .state
        .store
        .write(move |tx| {
            let paid = pay_invoices(tx, reseller_id, &ids, now)?;
            mail_started_transfers(tx, &state, reseller_id, &paid, now)?;
            Ok(paid)
        })
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
async fn execute_order_without_payment(call: Call) -> Result<Reply, ApiError> {
    let ids = invoice_ids(&call)?;
    let cancel = call.params.flag("cancel-invoice", false)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    let executed = call
        .state
        .store
        .write(move |tx| {
            let executed = execute_without_payment(tx, reseller_id, &ids, cancel, now)?;
            mail_started_transfers(tx, &state, reseller_id, &executed, now)?;
            Ok(executed)
        })
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
#[derive(Clone, Copy)]
enum Ledger {
    /// A customer's funds (`customer-id`).
    Customer,
    /// The calling reseller's funds with the platform.
    Reseller,
}

/// The movements of a customer's or the reseller's funds, newest first: each
/// a credit (money in) or a debit (money out) with its description. The
/// plain form takes no paging and answers the newest 500.
async fn transactions(call: Call, ledger: Ledger, search: bool) -> Result<Reply, ApiError> {
    let p = &call.params;
    let reseller_id = call.reseller_id;
    let account = match ledger {
        Ledger::Customer => {
            let customer_id: CustomerId = p.required_id("customer-id")?;
            call.state
                .store
                .read(move |tx| customer_of(tx, reseller_id, customer_id))
                .await?;
            Account::Customer(customer_id)
        }
        Ledger::Reseller => {
            p.own_reseller(reseller_id)?;
            Account::Reseller(reseller_id)
        }
    };
    let incoming = match p.optional("transaction-type")? {
        None => None,
        Some("credit") => Some(true),
        Some("debit") => Some(false),
        Some(other) => {
            return Err(ApiError::invalid(
                "transaction-type",
                other,
                Allowed::OneOf(&["credit", "debit"]),
            ));
        }
    };
    let page = if search {
        p.page()?
    } else {
        Page {
            records: 500,
            number: 1,
        }
    };
    let query = TransferQuery {
        account,
        incoming,
        at_from: p.optional_time("transaction-date-start")?,
        at_to: p.optional_time("transaction-date-end")?,
        page,
    };
    let key = account.key();
    let found = call
        .state
        .store
        .read(move |tx| Ok(tx.search_transfers(&query)?))
        .await?;
    Ok(search_page(&found, |t| {
        let credit = t.to == key;
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

/// Charges the customer's funds at once (docs/API.md); answers the balance
/// after it, as `add-customer-fund` does, with the debit note's invoice.
async fn debit_note(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let note = DebitNote {
        reseller_id: call.reseller_id,
        customer_id: p.required_id("customer-id")?,
        amount: p.required_money("amount")?,
        description: p.required("description")?.to_string(),
        now: call.state.clock.now(),
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
