//! The web hosting products' own calls, below each of their prefixes:
//! moving an order to another plan and its price.

use super::Billing;
use reseller_core::{Months, OrderId, PlanId};

crate::call! {
    /// `*/modify`: the order moved to `new-plan-id` for `months` from now.
    POST "*/modify" => Action;
    pub struct Modify {
        required order_id: OrderId = "order-id",
        required new_plan_id: PlanId = "new-plan-id",
        required months: Months = "months",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/modify-pricing`: what that modify costs.
    GET "*/modify-pricing" => Fields(&["upgradecost", "modifiedOrderPrice", "endtime", "remainingmonths", "currentOrderPrice"]);
    pub struct ModifyPricing {
        required order_id: OrderId = "order-id",
        required new_plan_id: PlanId = "new-plan-id",
        required months: Months = "months",
    }
}
