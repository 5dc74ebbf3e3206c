//! The ids of the platform's records, one type each, from the wire to the
//! store: an order id cannot be passed where a customer id is wanted, and a
//! call taking three ids in a row says which is which. On the wire and in
//! the database each is the plain integer it wraps.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }
    };
}

id_type!(
    /// A reseller: `auth-userid`, `reseller-id`.
    ResellerId
);
id_type!(
    /// A customer: `customer-id`.
    CustomerId
);
id_type!(
    /// An order (`order-id`, `entityid`): of any product.
    OrderId
);
id_type!(
    /// An action on an order: `eaqid`.
    ActionId
);
id_type!(
    /// A customer invoice: `invoiceid`.
    InvoiceId
);
id_type!(
    /// A plan of the catalogue: `plan-id`.
    PlanId
);
id_type!(
    /// A domain contact: `contact-id`.
    ContactId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_shows_and_serializes_as_its_integer() {
        assert_eq!(OrderId(42).to_string(), "42");
        assert_eq!(serde_json::to_string(&OrderId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<OrderId>("42").unwrap(), OrderId(42));
        assert_eq!(i64::from(CustomerId(7)), 7);
    }
}
