//! The rules of the reseller platform: money, time, catalogue, orders,
//! actions, invoices and the ledger. No I/O: state is read and written
//! through the [`tx`] port, and `now` is always handed in.

pub mod accounts;
pub mod addons;
pub mod backup;
pub mod catalogue;
pub mod certificates;
pub mod contacts;
pub mod costs;
pub mod dns;
pub mod domain;
pub mod domains;
pub mod email;
pub mod error;
pub mod forwarding;
pub mod hosting;
pub mod ids;
pub mod irtp;
pub mod lifecycle;
pub mod links;
pub mod mailboxes;
pub mod managed;
pub mod model;
pub mod money;
pub mod months;
pub mod moves;
pub mod nixi;
pub mod orders;
pub mod preorders;
pub mod provisioning;
pub mod raa;
pub mod resellers;
pub mod time;
pub mod tlds;
pub mod transfer_in;
pub mod tx;

pub use domain::DomainName;
pub use error::{Error, Result, RuleError, StoreError};
pub use ids::{ActionId, ContactId, CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
pub use money::Money;
pub use months::Months;
