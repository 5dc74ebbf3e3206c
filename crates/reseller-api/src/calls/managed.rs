//! `managedserver/linux/us/*`: Managed Server Linux orders with add-ons.

use super::Billing;
use crate::{Allowed, Count, Field, Kind, ParamError};
use reseller_core::catalogue::{AddonSpec, Product};
use reseller_core::{CustomerId, DomainName, Months, OrderId, PlanId};

fn addon_names() -> Vec<&'static str> {
    Product::ManagedServerLinuxUs
        .spec()
        .addons
        .iter()
        .map(|a| a.name)
        .collect()
}

/// An add-on of a managed server, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addon(pub &'static AddonSpec);

impl Field for Addon {
    const KIND: Kind = Kind::OneOf(addon_names);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        Product::ManagedServerLinuxUs
            .spec()
            .addons
            .iter()
            .find(|addon| addon.name == value)
            .map(Addon)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&addon_names())))
    }
    fn encode(&self) -> String {
        self.0.name.to_string()
    }
}

crate::call! {
    /// `*/add`: a managed server with its add-ons.
    POST "*/add" => Action;
    pub struct Add {
        required domain_name: DomainName = "domain-name",
        required customer_id: CustomerId = "customer-id",
        required months: Months = "months",
        required plan_id: PlanId = "plan-id",
        repeated addon: Addon = "addon",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/addon/add`: more add-ons.
    POST "*/addon/add" => Action;
    pub struct AddAddons {
        required order_id: OrderId = "order-id",
        one_or_more addon: Addon = "addon",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/addon/delete`: one add-on, by the id details show.
    POST "*/addon/delete" => Action;
    pub struct DeleteAddon {
        required order_id: OrderId = "order-id",
        required addon_id: Count<1, { u32::MAX }> = "addon-id",
    }
}
