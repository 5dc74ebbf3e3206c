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

crate::call! {
    /// `*/enable-ssl`: SSL for the order's site, an add-on billed for the
    /// rest of its term.
    POST "*/enable-ssl" => Action;
    pub struct EnableSsl {
        required order_id: OrderId = "order-id",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/add-dedicated-ip`: reseller hosting's dedicated IP, an add-on
    /// billed for the rest of its term.
    POST "*/add-dedicated-ip" => Action;
    pub struct AddDedicatedIp {
        required order_id: OrderId = "order-id",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/delete-dedicated-ip`: at once, without refund.
    POST "*/delete-dedicated-ip" => Action;
    pub struct DeleteDedicatedIp {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `*/generate-license-key`: the order's WHM license key, made once.
    POST "*/generate-license-key" => Fields(&["status", "licensekey"]);
    pub struct GenerateLicenseKey {
        required order_id: OrderId = "order-id",
        optional invoice_option: reseller_core::model::InvoiceOption = "invoice-option",
    }
}

crate::call! {
    /// `*/enable-maintenance`: the order's site is in maintenance mode,
    /// shown in its details (the vendor's catalogue has no call that ends
    /// it).
    POST "*/enable-maintenance" => Fields(&["status", "orderid"]);
    pub struct EnableMaintenance {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `webservices/active-plan-categories`: the website builder's plans
    /// the reseller sells, each with its category.
    GET "webservices/active-plan-categories" => List;
    pub struct ActivePlanCategories {}
}

crate::call! {
    /// `webservices/mock/products/reseller-price`: what the reseller pays
    /// for the website builder, as `products/reseller-price` shows it.
    GET "webservices/mock/products/reseller-price" => Keyed;
    pub struct WebServicesResellerPrice {}
}

crate::call! {
    /// `*/auto-login-details`: a signed link to the order's control panel,
    /// valid 15 minutes, as a backup's console link is.
    GET "*/auto-login-details" => Fields(&["status", "autoLoginUrl", "orderid"]);
    pub struct AutoLogin {
        required order_id: OrderId = "order-id",
    }
}
