//! `eelite/us/*`: Business Email orders, priced by account slabs.

use super::Billing;
use crate::{Count, Field, Kind, ParamError};
use reseller_core::catalogue::MAX_EMAIL_ACCOUNTS;
use reseller_core::{CustomerId, DomainName, Months, OrderId};

/// Accounts to add or remove, at least one. Zero passes the wire so that
/// an order added without accounts gets the rule's own refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accounts(pub u32);

impl Field for Accounts {
    const KIND: Kind = Kind::Count {
        min: 1,
        max: MAX_EMAIL_ACCOUNTS,
    };
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        crate::field::parse_count(name, value, 0, MAX_EMAIL_ACCOUNTS).map(Accounts)
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

crate::call! {
    /// `*/add`: email accounts for a domain name.
    POST "*/add" => Action;
    pub struct Add {
        required domain_name: DomainName = "domain-name",
        required customer_id: CustomerId = "customer-id",
        required months: Months = "months",
        required no_of_accounts: Accounts = "no-of-accounts",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/renew`: more months, and accounts added with them.
    POST "*/renew" => Action;
    pub struct Renew {
        required order_id: OrderId = "order-id",
        required months: Months = "months",
        optional auto_renew: bool = "auto-renew",
        optional no_of_accounts: Count<0, MAX_EMAIL_ACCOUNTS> = "no-of-accounts",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/add-email-account`.
    POST "*/add-email-account" => Keyed;
    pub struct AddEmailAccount {
        required order_id: OrderId = "order-id",
        required no_of_accounts: Count<1, MAX_EMAIL_ACCOUNTS> = "no-of-accounts",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/delete-email-account`.
    POST "*/delete-email-account" => Action;
    pub struct DeleteEmailAccount {
        required order_id: OrderId = "order-id",
        required no_of_accounts: Count<1, MAX_EMAIL_ACCOUNTS> = "no-of-accounts",
    }
}
