//! `pg/*`: the payment gateways customers pay through, as data. The
//! sandbox has one, and no payment ever goes through it (funds arrive by
//! `billing/add-customer-fund`).

use super::Page;
use reseller_core::CustomerId;

/// What a gateway is used for, by the vendor's words (`payment-type`).
pub const PAYMENT_TYPES: [&str; 2] = ["AddFund", "Payment"];
text_word!(
    /// One of [`PAYMENT_TYPES`].
    PaymentType,
    PAYMENT_TYPES
);

/// The kinds of gateway transaction (`transaction-type`).
pub const TRANSACTION_TYPES: [&str; 2] = ["addfund", "payment"];
text_word!(
    /// One of [`TRANSACTION_TYPES`].
    GatewayTransactionType,
    TRANSACTION_TYPES
);

/// A gateway transaction's status (`status`).
pub const GATEWAY_STATUSES: [&str; 7] = [
    "AuthCancelled",
    "AuthFailed",
    "AuthPending",
    "AuthStarted",
    "FailedByCron",
    "Refunded",
    "Settled",
];
text_word!(
    /// One of [`GATEWAY_STATUSES`].
    GatewayStatus,
    GATEWAY_STATUSES
);

crate::call! {
    /// `pg/allowedlist-for-customer`: the gateways the customer may use.
    GET "pg/allowedlist-for-customer" => Keyed;
    pub struct AllowedListForCustomer {
        required customer_id: CustomerId = "customer-id",
        optional payment_type: PaymentType = "payment-type",
    }
}

crate::call! {
    /// `pg/list-for-reseller`: the gateways, with who may use them for what.
    GET "pg/list-for-reseller" => Keyed;
    pub struct ListForReseller {}
}

crate::call! {
    /// `pg/customer-transactions`: a page of the customers' gateway
    /// transactions of one gateway.
    GET "pg/customer-transactions" => Search;
    pub struct CustomerTransactions {
        required payment_type_id: crate::field::Count<1, 1_000_000> = "payment-type-id",
        required transaction_type: GatewayTransactionType = "transaction-type",
        group page: Page,
        repeated transaction_ids: crate::field::Count<1, 2_000_000_000> = "transaction-ids",
        repeated customer_ids: CustomerId = "customer-ids",
        optional start_date: crate::EpochSeconds = "start-date",
        optional end_date: crate::EpochSeconds = "end-date",
        repeated status: GatewayStatus = "status",
    }
}
