//! What is Managed Server Linux's own: add-ons (`ipaddress`, `whmcs`,
//! `storage_1`..`storage_5`), each at most once an order, bought with the
//! order or later for the rest of its term (`addons`), renewed with it,
//! removed without refund. The server itself bills through the shared
//! order engine and is a host a backup may attach to.

use crate::catalogue::AddonSpec;
use crate::catalogue::Product;
use crate::domain::DomainName;
use crate::error::Result;
use crate::ids::{CustomerId, PlanId, ResellerId};
use crate::model::OrderAttrs;
use crate::months::Months;
use crate::orders::{self, Billing, NewOrder, Receipt};
use crate::time::Epoch;
use crate::tx::WriteTx;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewManaged {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub domain: DomainName,
    pub plan_id: PlanId,
    pub months: Months,
    pub addons: Vec<&'static AddonSpec>,
    pub auto_renew: bool,
    pub billing: Billing,
    pub now: Epoch,
}

pub fn add_managed(tx: &mut dyn WriteTx, new: &NewManaged) -> Result<Receipt> {
    let names = crate::addons::names_of(&new.addons);
    crate::addons::ensure_distinct(&names)?;
    orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    orders::plan_of(tx, Product::ManagedServerLinuxUs, new.plan_id)?;
    let mut attrs = OrderAttrs::default();
    attrs.add_addons(&names);
    orders::place_order(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: Product::ManagedServerLinuxUs,
            plan_id: new.plan_id,
            description: new.domain.to_string(),
            months: new.months,
            units: 1,
            auto_renew: new.auto_renew,
            attrs,
            billing: new.billing,
            now: new.now,
        },
    )
}
