//! The calls, one module per API category, and the groups of parameters
//! several calls take.

/// One word of a fixed list of texts.
macro_rules! text_word {
    ($(#[$meta:meta])* $name:ident, $list:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(pub &'static str);

        impl $crate::Field for $name {
            const KIND: $crate::Kind = $crate::Kind::OneOf(|| $list.to_vec());
            fn parse(name: &'static str, value: &str) -> Result<Self, $crate::ParamError> {
                let list = $list;
                list.iter()
                    .find(|word| **word == value)
                    .map(|word| $name(word))
                    .ok_or_else(|| $crate::ParamError::invalid(name, value, $crate::Allowed::OneOf(&list)))
            }
            fn encode(&self) -> String {
                self.0.to_string()
            }
        }
    };
}

pub mod actions;
pub mod backup;
pub mod billing;
pub mod commons;
pub mod contacts;
pub mod customers;
pub mod dns;
pub mod domains;
pub mod email;
pub mod forwarding;
pub mod hosting;
pub mod mail;
pub mod managed;
pub mod orders;
pub mod pg;
pub mod products;
pub mod resellers;
pub mod ssl;

use crate::{Allowed, Count, EpochSeconds, Field, Kind, ParamError};
use reseller_core::model::{InvoiceOption, OrderStatus};
use reseller_core::tx::OrderSort;
use reseller_core::{CustomerId, Money, OrderId, ResellerId};

crate::params! {
    /// `invoice-option` and `discount-amount`, which every paid action takes.
    pub struct Billing {
        required invoice_option: InvoiceOption = "invoice-option",
        optional discount_amount: Money = "discount-amount",
    }
}

crate::params! {
    /// `no-of-records` and `page-no`, which every search takes.
    pub struct Page {
        required no_of_records: Count<10, 500> = "no-of-records",
        required page_no: Count<1, 1_000_000> = "page-no",
    }
}

impl Page {
    /// The page the store reads.
    pub fn of_store(&self) -> reseller_core::tx::Page {
        reseller_core::tx::Page {
            records: self.no_of_records.0,
            number: self.page_no.0,
        }
    }
}

crate::params! {
    /// The filters every product's `search` takes, beyond [`Page`].
    pub struct OrderFilters {
        repeated order_id: OrderId = "order-id",
        repeated customer_id: CustomerId = "customer-id",
        optional reseller_id: ResellerId = "reseller-id",
        repeated status: OrderStatus = "status",
        optional domain_name: String = "domain-name",
        optional creation_date_start: EpochSeconds = "creation-date-start",
        optional creation_date_end: EpochSeconds = "creation-date-end",
        optional expiry_date_start: EpochSeconds = "expiry-date-start",
        optional expiry_date_end: EpochSeconds = "expiry-date-end",
        optional order_by: Sort = "order-by",
    }
}

/// How `order-by` sorts a search, each word as written after folding case
/// and spacing (`endtime desc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort(pub OrderSort);

/// The words `order-by` takes.
const SORTS: [(&str, OrderSort); 9] = [
    ("orderid", OrderSort::OrderId),
    ("orderid asc", OrderSort::OrderId),
    ("orderid desc", OrderSort::OrderIdDesc),
    ("endtime", OrderSort::EndTime),
    ("endtime asc", OrderSort::EndTime),
    ("endtime desc", OrderSort::EndTimeDesc),
    ("creationtime", OrderSort::CreationTime),
    ("creationtime asc", OrderSort::CreationTime),
    ("creationtime desc", OrderSort::CreationTimeDesc),
];

fn sort_words() -> Vec<&'static str> {
    SORTS.iter().map(|(words, _)| *words).collect()
}

impl Field for Sort {
    const KIND: Kind = Kind::OneOf(sort_words);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let folded = value
            .to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        SORTS
            .iter()
            .find(|(words, _)| *words == folded)
            .map(|(_, sort)| Sort(*sort))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OrderSort))
    }
    fn encode(&self) -> String {
        SORTS
            .iter()
            .find(|(_, sort)| *sort == self.0)
            .map(|(words, _)| (*words).to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pairs, Params, declaration};

    /// Every key a group sends is one it declares, every parameter it
    /// declares is sent when the value has it, and it reads back its own.
    fn declared_sent_and_read_back<P: Params + PartialEq + std::fmt::Debug>(value: &P) {
        let mut sent = Pairs::new();
        value.encode(&mut sent);
        let declared = declaration::<P>();
        for (key, _) in &sent {
            assert!(
                declared.iter().any(|p| p.names(key)),
                "{key} is sent but not declared"
            );
        }
        for param in &declared {
            assert!(
                sent.iter().any(|(key, _)| param.names(key)) || !param.required,
                "{} is declared but not sent",
                param.name
            );
        }
        assert_eq!(&P::parse(sent.as_slice()).unwrap(), value);
    }

    #[test]
    fn the_hand_written_groups_declare_what_they_read_and_send() {
        declared_sent_and_read_back(&domains::NameServers(vec![
            "ns1.example.com".into(),
            "ns2.example.com".into(),
        ]));
        declared_sent_and_read_back(&contacts::Attributes(vec![
            ("purpose".into(), "P1".into()),
            ("category".into(), "C11".into()),
        ]));
        declared_sent_and_read_back(&orders::OrderOf::<orders::ByBackupOrderId>::new(OrderId(7)));
        declared_sent_and_read_back(&orders::OrderOf::<orders::ByOrderId>::new(OrderId(7)));
    }

    #[test]
    fn a_backup_order_is_also_named_by_order_id() {
        let given: Pairs = vec![("order-id".into(), "9".into())];
        let order = orders::OrderOf::<orders::ByBackupOrderId>::parse(given.as_slice()).unwrap();
        assert_eq!(order.order_id, OrderId(9));
        let none: Pairs = Vec::new();
        assert_eq!(
            orders::OrderOf::<orders::ByBackupOrderId>::parse(none.as_slice())
                .unwrap_err()
                .to_string(),
            "Required parameter missing: backup-order-id"
        );
    }

    #[test]
    fn name_servers_are_one_to_thirteen_host_names() {
        let many: Pairs = (0..14)
            .map(|n| ("ns".into(), format!("ns{n}.example.com")))
            .collect();
        assert!(
            domains::NameServers::parse(many.as_slice())
                .unwrap_err()
                .to_string()
                .starts_with("Invalid ns: 14.")
        );
        let bad: Pairs = vec![("ns".into(), "not a host".into())];
        assert!(domains::NameServers::parse(bad.as_slice()).is_err());
    }
}
