//! `billing/*`: funds, balances, debit notes, paying and executing
//! invoices, and the transactions of a customer's or the reseller's funds.

use super::Page;
use crate::{Allowed, EpochSeconds, Field, Kind, ParamError};
use reseller_core::{CustomerId, InvoiceId, Money, ResellerId};

/// What `add-customer-fund` records: a `receipt` (money the customer
/// paid) or a `credit`, in any case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FundKind {
    Receipt,
    Credit,
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

/// Which movements a transactions call lists: `credit` (money in) or
/// `debit` (money out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Credit,
    Debit,
}

const DIRECTIONS: [&str; 2] = ["credit", "debit"];

impl Field for Direction {
    const KIND: Kind = Kind::OneOf(|| DIRECTIONS.to_vec());
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        match value {
            "credit" => Ok(Direction::Credit),
            "debit" => Ok(Direction::Debit),
            _ => Err(ParamError::invalid(
                name,
                value,
                Allowed::OneOf(&DIRECTIONS),
            )),
        }
    }
    fn encode(&self) -> String {
        match self {
            Direction::Credit => "credit",
            Direction::Debit => "debit",
        }
        .to_string()
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
    /// `billing/customer-balance`.
    GET "billing/customer-balance" => Fields(BALANCE), reads crate::replies::Balance;
    pub struct CustomerBalance {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `billing/reseller-balance`: the caller's own.
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
        optional transaction_type: Direction = "transaction-type",
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

crate::call! {
    /// `billing/customer-transactions/search`: paged, of the customers
    /// named by id or username (every customer when neither is given).
    GET "billing/customer-transactions/search" => Search;
    pub struct CustomerTransactionsSearch {
        repeated customer_id: CustomerId = "customer-id",
        repeated username: crate::calls::customers::UsernameLookup = "username",
        group period: Period,
        repeated transaction_id: crate::field::TransactionId = "transaction-id",
        optional transaction_description: String = "transaction-description",
        optional balance_type: BalanceType = "balance-type",
        optional amt_range_start: Money = "amt-range-start",
        optional amt_range_end: Money = "amt-range-end",
        group page: Page,
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
