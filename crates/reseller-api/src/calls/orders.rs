//! `orders/*` (suspension, for an order of any product), and the calls
//! every product takes as they are, below each of its prefixes (`*/`).

use super::{Billing, OrderFilters, Page};
use crate::{Kind, Pairs, Param, ParamError, Params, Source};
use reseller_core::{CustomerId, DomainName, Months, OrderId, PlanId};
use std::marker::PhantomData;

crate::call! {
    /// `orders/suspend`, with the reason.
    POST "orders/suspend" => Action;
    pub struct Suspend {
        required order_id: OrderId = "order-id",
        required reason: String = "reason",
    }
}

crate::call! {
    /// `orders/unsuspend`.
    POST "orders/unsuspend" => Action;
    pub struct Unsuspend {
        required order_id: OrderId = "order-id",
        /// Why, as the vendor's clients send it; the action's description
        /// says it.
        optional reason: String = "reason",
    }
}

/// The parameter that names a product's orders in its calls.
pub trait OrderParam {
    const NAME: &'static str;
}

/// `order-id`, as most products name their orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByOrderId;

impl OrderParam for ByOrderId {
    const NAME: &'static str = "order-id";
}

/// `backup-order-id`, as the backups name theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByBackupOrderId;

impl OrderParam for ByBackupOrderId {
    const NAME: &'static str = "backup-order-id";
}

/// The order a product's call acts on, named by the product's own
/// parameter; where that is another, `order-id` is taken too (the
/// vendor's details example for backups prints `order-id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderOf<P> {
    pub order_id: OrderId,
    by: PhantomData<P>,
}

impl<P> OrderOf<P> {
    pub fn new(order_id: OrderId) -> Self {
        OrderOf {
            order_id,
            by: PhantomData,
        }
    }
}

impl<P: OrderParam> Params for OrderOf<P> {
    fn declare(out: &mut Vec<Param>) {
        let param = Param {
            name: P::NAME,
            kind: Kind::Id,
            required: true,
            repeated: false,
            numbered: false,
        };
        out.push(param);
        if P::NAME != ByOrderId::NAME {
            out.push(Param {
                name: ByOrderId::NAME,
                required: false,
                ..param
            });
        }
    }
    fn parse(source: &(impl Source + ?Sized)) -> Result<Self, ParamError> {
        let own = crate::params::Optional::<OrderId>::parse_named(P::NAME, source)?;
        let order_id = match own {
            Some(id) => id,
            None if P::NAME != ByOrderId::NAME => {
                crate::params::Optional::<OrderId>::parse_named(ByOrderId::NAME, source)?
                    .ok_or(ParamError::Missing(P::NAME))?
            }
            None => return Err(ParamError::Missing(P::NAME)),
        };
        Ok(OrderOf::new(order_id))
    }
    fn encode(&self, out: &mut Pairs) {
        out.push((P::NAME.to_string(), self.order_id.0.to_string()));
    }
}

crate::call! {
    /// `*/add`: a new order of a product.
    POST "*/add" => Action;
    pub struct Add {
        required domain_name: DomainName = "domain-name",
        required customer_id: CustomerId = "customer-id",
        required months: Months = "months",
        required plan_id: PlanId = "plan-id",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/renew`: more months; `auto-renew` left out keeps the order's setting.
    POST "*/renew" => Action;
    pub struct Renew {
        group order: OrderOf<ByOrderId>,
        required months: Months = "months",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/renew` of a backup.
    POST "*/renew" => Action;
    pub struct RenewBackup {
        group order: OrderOf<ByBackupOrderId>,
        required months: Months = "months",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

/// The keys every order's details reply has.
pub const DETAILS: &[&str] = &["orderid", "entityid", "currentstatus", "productkey"];

crate::call! {
    /// `*/details`.
    GET "*/details" => Fields(DETAILS), reads crate::replies::OrderDetails;
    pub struct Details {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `*/search`: a product's orders.
    GET "*/search" => Search;
    pub struct Search {
        group page: Page,
        group filters: OrderFilters,
    }
}

crate::call! {
    /// `*/delete`: at once, no invoice, no refund.
    POST "*/delete" => Action;
    pub struct Delete {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `*/orderid`: the newest order of a name, as a bare integer.
    GET "*/orderid" => Int;
    pub struct OrderIdOf {
        required domain_name: DomainName = "domain-name",
    }
}
