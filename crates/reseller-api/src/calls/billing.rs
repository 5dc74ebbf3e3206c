//! `billing/*`: funds, balances, debit notes, paying and executing
//! invoices, and the transactions of a customer's or the reseller's funds.

use super::Page;
use crate::{Allowed, EpochSeconds, Field, Kind, ParamError};
use reseller_core::tx::{TransactionType, TransferSort};
use reseller_core::{CustomerId, InvoiceId, Money, ResellerId};

/// What `add-customer-fund` records: a `receipt` (money the customer
/// paid) or a `credit`, in any case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundKind {
    Receipt,
    Credit,
}

impl FundKind {
    /// Why the funds moved, as the ledger keeps it.
    pub fn transfer_kind(self) -> reseller_core::tx::TransferKind {
        match self {
            FundKind::Receipt => reseller_core::tx::TransferKind::Receipt,
            FundKind::Credit => reseller_core::tx::TransferKind::CreditNote,
        }
    }
}

impl Field for FundKind {
    const KIND: Kind = Kind::OneOf(|| vec!["receipt", "credit"]);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        match value.to_ascii_lowercase().as_str() {
            "receipt" => Ok(FundKind::Receipt),
            "credit" => Ok(FundKind::Credit),
            _ => Err(ParamError::invalid(name, value, Allowed::ReceiptOrCredit)),
        }
    }
    fn encode(&self) -> String {
        match self {
            FundKind::Receipt => "receipt",
            FundKind::Credit => "credit",
        }
        .to_string()
    }
}

/// Which movements a transactions call lists (`transaction-type`): the
/// vendor's four words, `credit` and `debit` (money in and out), `receipt`
/// (funds received) and `invoice` (invoices paid, actions charged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeOfTransaction(pub TransactionType);

const TRANSACTION_TYPES: [(&str, TransactionType); 4] = [
    ("credit", TransactionType::Credit),
    ("debit", TransactionType::Debit),
    ("receipt", TransactionType::Receipt),
    ("invoice", TransactionType::Invoice),
];

impl Field for TypeOfTransaction {
    const KIND: Kind = Kind::OneOf(|| TRANSACTION_TYPES.iter().map(|(w, _)| *w).collect());
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let words: Vec<&str> = TRANSACTION_TYPES.iter().map(|(w, _)| *w).collect();
        TRANSACTION_TYPES
            .iter()
            .find(|(word, _)| word.eq_ignore_ascii_case(value))
            .map(|(_, t)| TypeOfTransaction(*t))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&words)))
    }
    fn encode(&self) -> String {
        TRANSACTION_TYPES
            .iter()
            .find(|(_, t)| *t == self.0)
            .map(|(w, _)| (*w).to_string())
            .unwrap_or_default()
    }
}

text_word!(
    /// Whether a search lists movements made by hand (`manually`: funds
    /// added, debit notes) or by the platform (`systemgenerated`).
    TransactionKey,
    ["manually", "systemgenerated"]
);

/// One sort key of a transactions search (`order-by`), with `asc` or
/// `desc` after it if given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransactionOrder(pub TransferSort);

const TRANSACTION_ORDERS: [(&str, TransferSort); 12] = [
    ("transactionid", TransferSort::Id { descending: false }),
    ("transactionid asc", TransferSort::Id { descending: false }),
    ("transactionid desc", TransferSort::Id { descending: true }),
    ("transactiondate", TransferSort::At { descending: false }),
    (
        "transactiondate asc",
        TransferSort::At { descending: false },
    ),
    (
        "transactiondate desc",
        TransferSort::At { descending: true },
    ),
    ("sellingamount", TransferSort::Amount { descending: false }),
    (
        "sellingamount asc",
        TransferSort::Amount { descending: false },
    ),
    (
        "sellingamount desc",
        TransferSort::Amount { descending: true },
    ),
    ("description", TransferSort::Memo { descending: false }),
    ("description asc", TransferSort::Memo { descending: false }),
    ("description desc", TransferSort::Memo { descending: true }),
];

impl Field for TransactionOrder {
    const KIND: Kind = Kind::OneOf(|| TRANSACTION_ORDERS.iter().map(|(w, _)| *w).collect());
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let folded = value
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = TRANSACTION_ORDERS.iter().map(|(w, _)| *w).collect();
        TRANSACTION_ORDERS
            .iter()
            .find(|(word, _)| *word == folded)
            .map(|(_, sort)| TransactionOrder(*sort))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&words)))
    }
    fn encode(&self) -> String {
        TRANSACTION_ORDERS
            .iter()
            .find(|(_, sort)| *sort == self.0)
            .map(|(w, _)| (*w).to_string())
            .unwrap_or_default()
    }
}

/// The keys every balance reply has.
pub const BALANCE: &[&str] = &["sellingcurrencysymbol", "sellingcurrencybalance"];

crate::call! {
    /// `billing/add-customer-fund`: money in, kept once per `transaction-key`.
    POST "billing/add-customer-fund" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct AddCustomerFund {
        required customer_id: CustomerId = "customer-id",
        required amount: Money = "amount",
        required description: String = "description",
        required transaction_type: FundKind = "transaction-type",
        required transaction_key: String = "transaction-key",
        optional update_total_receipt: bool = "update-total-receipt",
    }
}

crate::call! {
    /// `billing/add-reseller-fund`: money into a sub-reseller's account,
    /// kept once per `transaction-key` of the caller.
    POST "billing/add-reseller-fund" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct AddResellerFund {
        required reseller_id: ResellerId = "reseller-id",
        required amount: Money = "amount",
        required description: String = "description",
        required transaction_type: FundKind = "transaction-type",
        required transaction_key: String = "transaction-key",
        optional update_total_receipt: bool = "update-total-receipt",
    }
}

crate::call! {
    /// `billing/add-reseller-misc-invoice`: an invoice against one of a
    /// sub-reseller's orders, once per `transaction-key`; answers its id.
    POST "billing/add-reseller-misc-invoice" => Int;
    pub struct AddResellerMiscInvoice {
        required reseller_id: ResellerId = "reseller-id",
        group terms: MiscInvoiceTerms,
    }
}

crate::call! {
    /// `billing/add-reseller-debit-note`: charges a sub-reseller's funds.
    POST "billing/add-reseller-debit-note" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct AddResellerDebitNote {
        required reseller_id: ResellerId = "reseller-id",
        required amount: Money = "amount",
        required description: String = "description",
    }
}

crate::call! {
    /// `billing/customer-balance`.
    GET "billing/customer-balance" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct CustomerBalance {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `billing/reseller-balance`: the caller's own, or a sub-reseller's.
    GET "billing/reseller-balance" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct ResellerBalance {
        optional reseller_id: ResellerId = "reseller-id",
    }
}

crate::call! {
    /// `billing/customer-pay`: pays invoices from the customer's funds.
    POST "billing/customer-pay" => Keyed;
    pub struct CustomerPay {
        one_or_more invoice_ids: InvoiceId = "invoice-ids",
    }
}

crate::call! {
    /// `billing/execute-order-without-payment`.
    POST "billing/execute-order-without-payment" => Keyed;
    pub struct ExecuteOrderWithoutPayment {
        one_or_more invoice_ids: InvoiceId = "invoice-ids",
        optional cancel_invoice: bool = "cancel-invoice",
    }
}

crate::call! {
    /// `billing/add-customer-debit-note`: charges the customer's funds.
    POST "billing/add-customer-debit-note" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct AddCustomerDebitNote {
        required customer_id: CustomerId = "customer-id",
        required amount: Money = "amount",
        required description: String = "description",
    }
}

crate::params! {
    /// Which movements a transactions call lists.
    pub struct Period {
        repeated transaction_type: TypeOfTransaction = "transaction-type",
        optional transaction_date_start: EpochSeconds = "transaction-date-start",
        optional transaction_date_end: EpochSeconds = "transaction-date-end",
    }
}

crate::call! {
    /// `billing/customer-transactions`: the newest 500.
    GET "billing/customer-transactions" => Search;
    pub struct CustomerTransactions {
        required customer_id: CustomerId = "customer-id",
        group period: Period,
    }
}

text_word!(
    /// Whether a search lists movements that are paid for
    /// (`onlybalanced`) or yet to be (`onlyunbalanced`).
    BalanceType,
    ["onlybalanced", "onlyunbalanced"]
);

crate::params! {
    /// What a search of customers' transactions takes.
    pub struct CustomerTransactionFilters {
        repeated customer_id: CustomerId = "customer-id",
        repeated username: crate::calls::customers::UsernameLookup = "username",
        group period: Period,
        repeated transaction_id: crate::field::TransactionId = "transaction-id",
        optional transaction_description: String = "transaction-description",
        optional balance_type: BalanceType = "balance-type",
        optional amt_range_start: Money = "amt-range-start",
        optional amt_range_end: Money = "amt-range-end",
        optional transaction_key: TransactionKey = "transaction-key",
        repeated order_by: TransactionOrder = "order-by",
        group page: Page,
    }
}

crate::call! {
    /// `billing/customer-transactions/search`: paged, of the customers
    /// named by id or username (every customer when neither is given).
    GET "billing/customer-transactions/search" => Search;
    pub struct CustomerTransactionsSearch {
        group filters: CustomerTransactionFilters,
    }
}

crate::call! {
    /// `billing/customer-archived-transactions/search`: as
    /// `customer-transactions/search`, over movements more than a year old.
    GET "billing/customer-archived-transactions/search" => Search;
    pub struct CustomerArchivedTransactionsSearch {
        group filters: CustomerTransactionFilters,
    }
}

crate::call! {
    /// `billing/customer-greedy-transactions`: the customer's receipts and
    /// credits with a part not yet spent.
    GET "billing/customer-greedy-transactions" => Keyed;
    pub struct CustomerGreedyTransactions {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `billing/customer-balanced-transactions`: the customer's movements
    /// wholly settled.
    GET "billing/customer-balanced-transactions" => Keyed;
    pub struct CustomerBalancedTransactions {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `billing/reseller-greedy-transactions`: the caller's (or a
    /// sub-reseller's) credits with a part not yet spent.
    GET "billing/reseller-greedy-transactions" => Keyed;
    pub struct ResellerGreedyTransactions {
        optional reseller_id: ResellerId = "reseller-id",
    }
}

crate::call! {
    /// `billing/reseller-transactions`: the newest 500.
    GET "billing/reseller-transactions" => Search;
    pub struct ResellerTransactions {
        optional reseller_id: ResellerId = "reseller-id",
        group period: Period,
    }
}

crate::call! {
    /// `billing/reseller-transactions/search`: paged.
    GET "billing/reseller-transactions/search" => Search;
    pub struct ResellerTransactionsSearch {
        optional reseller_id: ResellerId = "reseller-id",
        group period: Period,
        group page: Page,
    }
}

crate::params! {
    /// What a miscellaneous invoice takes, whoever it bills.
    pub struct MiscInvoiceTerms {
        required order_id: reseller_core::OrderId = "order-id",
        required selling_amount: Money = "selling-amount",
        required description: String = "description",
        required invoice_date: EpochSeconds = "invoice-date",
        required transaction_key: String = "transaction-key",
        optional invoice_due_date: EpochSeconds = "invoice-due-date",
        optional invoice_deletion_date: EpochSeconds = "invoice-deletion-date",
        /// In the one currency here, the selling amount; taken, no effect.
        optional accounting_amount: Money = "accounting-amount",
        optional conversion_rate: Money = "conversion-rate",
        optional payment_reminder_days: crate::field::Count<0, 365> = "payment-reminder-days",
        optional greedy: bool = "greedy",
    }
}

crate::call! {
    /// `billing/add-customer-misc-invoice`: an invoice against one of the
    /// customer's orders, once per `transaction-key`; answers its id.
    POST "billing/add-customer-misc-invoice" => Int;
    pub struct AddCustomerMiscInvoice {
        required customer_id: CustomerId = "customer-id",
        group terms: MiscInvoiceTerms,
        optional apply_indian_gst: bool = "applyIndianGst",
    }
}
