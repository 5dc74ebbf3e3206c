//! The replies the client reads, as types: each field is a key of the
//! reply with its wire type, read leniently as the API writes it (numbers
//! and booleans mostly as strings), and described from the same
//! definition in `/openapi.json`. [`reply!`] makes them.

use crate::Amount;
use reseller_core::CustomerId;
use serde_json::{Map, Value, json};

/// A reply that is not what the call answers: a key missing, or a value
/// of the wrong kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReplyError(pub String);

/// A value a reply carries.
pub trait ReplyValue: Sized {
    /// Reads it as the API writes it; None when it is not one.
    fn read(value: &Value) -> Option<Self>;
    /// What the description says it is.
    fn schema() -> Value;
}

impl ReplyValue for String {
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    fn schema() -> Value {
        json!({ "type": ["string", "number", "boolean"] })
    }
}

impl ReplyValue for i64 {
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }
    fn schema() -> Value {
        json!({ "type": ["integer", "string"], "pattern": "^-?[0-9]+$" })
    }
}

impl ReplyValue for bool {
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) => Some(s == "true"),
            _ => None,
        }
    }
    fn schema() -> Value {
        json!({ "type": ["boolean", "string"] })
    }
}

impl ReplyValue for Amount {
    fn read(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) => s.parse().ok(),
            Value::Number(n) => n.to_string().parse().ok(),
            _ => None,
        }
    }
    fn schema() -> Value {
        json!({ "type": ["string", "number"], "pattern": "^-?[0-9]+(\\.[0-9]{1,3})?$" })
    }
}

impl ReplyValue for CustomerId {
    fn read(value: &Value) -> Option<Self> {
        i64::read(value).map(CustomerId)
    }
    fn schema() -> Value {
        i64::schema()
    }
}

/// A reply read from its JSON, and described.
pub trait Reply: Sized {
    fn read(value: &Value) -> Result<Self, ReplyError>;
    /// Its JSON schema: the keys it reads, those it cannot do without
    /// required.
    fn schema() -> Value;
}

/// Reads the value of `key`.
pub fn required<T: ReplyValue>(reply: &Value, key: &str) -> Result<T, ReplyError> {
    let value = reply.get(key).ok_or_else(|| {
        let shown: String = reply.to_string().chars().take(300).collect();
        ReplyError(format!("no {key} in {shown}"))
    })?;
    T::read(value).ok_or_else(|| ReplyError(format!("{key} is not what it should be: {value}")))
}

/// Reads the value of `key`, if there.
pub fn optional<T: ReplyValue>(reply: &Value, key: &str) -> Result<Option<T>, ReplyError> {
    match reply.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required(reply, key).map(Some),
    }
}

/// Reads the value of `key`, its default if not there.
pub fn defaulted<T: ReplyValue + Default>(reply: &Value, key: &str) -> Result<T, ReplyError> {
    Ok(optional(reply, key)?.unwrap_or_default())
}

/// The values of `key1`, `key2`, ... up to the first not there.
pub fn numbered<T: ReplyValue>(reply: &Value, key: &str) -> Result<Vec<T>, ReplyError> {
    let mut values = Vec::new();
    for n in 1.. {
        match optional(reply, &format!("{key}{n}"))? {
            Some(value) => values.push(value),
            None => return Ok(values),
        }
    }
    Ok(values)
}

/// The schema of an object with `properties`, `required` of them needed.
pub fn object(properties: Map<String, Value>, required: Vec<&str>, more: Option<&str>) -> Value {
    let mut schema = json!({ "type": "object", "properties": properties, "required": required });
    if let Some(pattern) = more {
        schema["patternProperties"] = json!({ pattern: {} });
    }
    schema
}

#[doc(hidden)]
#[macro_export]
macro_rules! reply_slot {
    (required $t:ty) => { $t };
    (optional $t:ty) => { Option<$t> };
    (defaulted $t:ty) => { $t };
    (numbered $t:ty) => { Vec<$t> };
}

/// A reply type and its [`Reply`]: each field `how name: Type = "key"`,
/// where `how` is `required`, `optional`, `defaulted` (its default when
/// not there) or `numbered` (`ns1`, `ns2`, ...), and `Type` a
/// [`ReplyValue`].
#[macro_export]
macro_rules! reply {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $how:ident $field:ident : $ty:ty = $key:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $crate::reply_slot!($how $ty),
            )*
        }

        impl $crate::replies::Reply for $name {
            fn read(
                value: &$crate::serde_json::Value,
            ) -> Result<Self, $crate::replies::ReplyError> {
                Ok($name {
                    $($field: $crate::replies::$how::<$ty>(value, $key)?,)*
                })
            }

            fn schema() -> $crate::serde_json::Value {
                let mut properties = $crate::serde_json::Map::new();
                let mut required = Vec::new();
                let mut numbered = None;
                $(
                    match stringify!($how) {
                        "numbered" => numbered = Some(concat!("^", $key, "[0-9]+$")),
                        how => {
                            properties.insert(
                                $key.to_string(),
                                <$ty as $crate::replies::ReplyValue>::schema(),
                            );
                            if how == "required" {
                                required.push($key);
                            }
                        }
                    }
                )*
                $crate::replies::object(properties, required, numbered)
            }
        }

        impl $name {
            /// Reads the reply's JSON.
            pub fn from_reply(
                value: &$crate::serde_json::Value,
            ) -> Result<Self, $crate::replies::ReplyError> {
                <Self as $crate::replies::Reply>::read(value)
            }
        }
    };
}

reply! {
    /// What an add, renew, delete or change answers: the action it queued
    /// or ran (`eaqid`), on which order, in which state, and what it was
    /// billed.
    pub struct ActionReceipt {
        required order_id: i64 = "entityid",
        required action_id: i64 = "eaqid",
        /// `Add`, `Renew`, `RenewDomain`, `DeleteEmailAccount`, ...
        required action_type: String = "actiontype",
        /// `Success`, `InvoicePaid`, `ExecutionStarted`, `PendingExecution`, `Failed`.
        required action_status: String = "actionstatus",
        defaulted action_status_desc: String = "actionstatusdesc",
        /// The order's name, where the reply carries it.
        optional description: String = "description",
        /// The customer invoice, unless the call took `NoInvoice`.
        optional invoice_id: i64 = "invoiceid",
        /// What the customer was billed, signed as the API signs it (a
        /// charge is negative here and in most recordings).
        optional selling_amount: Amount = "sellingamount",
    }
}

reply! {
    /// An order as its product's `details` shows it.
    pub struct OrderDetails {
        required order_id: i64 = "orderid",
        required description: String = "description",
        /// `InActive`, `Active`, `Suspended`, `Pending Delete Restorable`,
        /// `Deleted`, `Archived`.
        required status: String = "currentstatus",
        required customer_id: CustomerId = "customerid",
        required created: i64 = "creationtime",
        required end_time: i64 = "endtime",
        /// Auto-renewal.
        required auto_renew: bool = "recurring",
        required product_key: String = "productkey",
    }
}

reply! {
    /// An order as a search lists it.
    pub struct OrderRecord {
        required order_id: i64 = "orders.orderid",
        required customer_id: CustomerId = "entity.customerid",
        required description: String = "entity.description",
        required status: String = "entity.currentstatus",
        required end_time: i64 = "orders.endtime",
        required product_key: String = "entitytype.entitytypekey",
    }
}

reply! {
    /// A domain order as `domains/details` shows it (`options=All`).
    pub struct DomainDetails {
        required order_id: i64 = "orderid",
        required name: String = "domainname",
        required status: String = "currentstatus",
        required customer_id: CustomerId = "customerid",
        /// None while it is not yet registered here (a transfer in progress).
        optional end_time: i64 = "endtime",
        numbered name_servers: String = "ns",
    }
}

reply! {
    /// A customer as `customers/details` and `customers/details-by-id` show it.
    pub struct Customer {
        required id: CustomerId = "customerid",
        required username: String = "username",
        required name: String = "name",
        required company: String = "company",
        required city: String = "city",
        required country: String = "country",
        /// `Active`, `Suspended` or `Deleted`.
        required status: String = "customerstatus",
        required created: i64 = "creationdt",
        required total_receipts: Amount = "totalreceipts",
    }
}

reply! {
    /// A customer as `customers/search` lists it.
    pub struct CustomerRecord {
        required id: CustomerId = "customer.customerid",
        required username: String = "customer.username",
        required name: String = "customer.name",
        required status: String = "customer.customerstatus",
        required total_receipts: Amount = "customer.totalreceipts",
    }
}

reply! {
    /// A balance as `billing/reseller-balance` and `billing/customer-balance` show it.
    pub struct Balance {
        required selling: Amount = "sellingcurrencybalance",
        defaulted locked: Amount = "sellingcurrencylockedbalance",
    }
}

reply! {
    /// A movement of funds as a transactions search lists it.
    pub struct Transaction {
        required transaction_id: i64 = "transaction.transactionid",
        /// `credit` (money in) or `debit`.
        required kind: String = "transaction.type",
        required at: i64 = "transaction.transactiondate",
        required description: String = "transaction.description",
        /// Signed: a debit is negative.
        required amount: Amount = "transaction.sellingamount",
    }
}

impl Transaction {
    /// Money in.
    pub fn credit(&self) -> bool {
        self.kind == "credit"
    }
}

reply! {
    /// A contact as `contacts/details` shows it.
    pub struct Contact {
        required id: i64 = "contactid",
        required name: String = "name",
        required company: String = "company",
        required email: String = "emailaddr",
        required country: String = "country",
        required kind: String = "type",
        required status: String = "currentstatus",
        required customer_id: CustomerId = "customerid",
    }
}

reply! {
    /// A contact as `contacts/search` lists it.
    pub struct ContactRecord {
        required id: i64 = "entity.entityid",
        required name: String = "contact.name",
        required email: String = "contact.emailaddr",
        required kind: String = "contact.type",
        required status: String = "entity.currentstatus",
    }
}

reply! {
    /// An action as a search lists it.
    pub struct ActionRecord {
        required action_id: i64 = "eaqid",
        required order_id: i64 = "entityid",
        required customer_id: CustomerId = "customerid",
        required action_type: String = "actiontype",
        required action_status: String = "actionstatus",
        required description: String = "actiontypedesc",
        required created: i64 = "creationtime",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reads_its_keys_leniently_and_describes_them() {
        let details = DomainDetails::from_reply(&json!({
            "orderid": "7", "domainname": "example.com", "currentstatus": "Active",
            "customerid": 3, "ns1": "a.example.net", "ns2": "b.example.net", "ns4": "x",
        }))
        .unwrap();
        assert_eq!(details.order_id, 7);
        assert_eq!(details.customer_id, CustomerId(3));
        assert_eq!(details.end_time, None);
        assert_eq!(details.name_servers, ["a.example.net", "b.example.net"]);
        let missing = DomainDetails::from_reply(&json!({"orderid": "7"})).unwrap_err();
        assert!(missing.0.starts_with("no domainname in"), "{missing}");
        let schema = DomainDetails::schema();
        assert_eq!(
            schema["required"],
            json!(["orderid", "domainname", "currentstatus", "customerid"])
        );
        assert!(schema["properties"]["endtime"].is_object());
        assert!(schema["patternProperties"]["^ns[0-9]+$"].is_object());
        let balance = Balance::from_reply(&json!({"sellingcurrencybalance": "-90.540"})).unwrap();
        assert_eq!(balance.selling, Amount::from_thousandths(-90_540));
        assert!(Balance::from_reply(&json!({"sellingcurrencybalance": "12.3456"})).is_err());
    }
}
