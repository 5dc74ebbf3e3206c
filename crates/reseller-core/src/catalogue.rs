//! The products the server sells, their plans and the demo price list.
//!
//! A product is mostly data: its key, its category, how its price scales
//! (per order, per gigabyte of storage). Prices are per month, per unit, for
//! each tenure a plan offers; a reseller has a cost price (what the platform
//! charges the reseller) and a selling price (what its customers pay).

use crate::money::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    VpsLinuxUs,
    DedicatedLinuxUs,
    BackupUs,
    BackupAsia,
    BusinessEmailUs,
    ManagedServerLinuxUs,
}

impl Product {
    pub const ALL: [Product; 6] = [
        Product::VpsLinuxUs,
        Product::DedicatedLinuxUs,
        Product::BackupUs,
        Product::BackupAsia,
        Product::BusinessEmailUs,
        Product::ManagedServerLinuxUs,
    ];

    /// The product key the API uses in prices, plans and order details.
    pub fn key(self) -> &'static str {
        match self {
            Product::VpsLinuxUs => "vpslinuxus",
            Product::DedicatedLinuxUs => "dedicatedserverlinuxus",
            Product::BackupUs => "acronisbackupus",
            Product::BackupAsia => "acronisbackupasia",
            Product::BusinessEmailUs => "eeliteus",
            Product::ManagedServerLinuxUs => "managedserverlinuxus",
        }
    }

    pub fn from_key(key: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.key() == key)
    }

    /// A human name, used in action descriptions.
    pub fn name(self) -> &'static str {
        match self {
            Product::VpsLinuxUs => "VPS Linux",
            Product::DedicatedLinuxUs => "Dedicated Server Linux",
            Product::BackupUs | Product::BackupAsia => "Acronis Backup",
            Product::BusinessEmailUs => "Business Email",
            Product::ManagedServerLinuxUs => "Managed Server Linux",
        }
    }

    pub fn category(self) -> &'static str {
        match self {
            Product::BackupUs | Product::BackupAsia => "backup",
            _ => "hosting",
        }
    }

    /// Servers that an Acronis backup can attach to.
    pub fn is_backup_host(self) -> bool {
        matches!(
            self,
            Product::VpsLinuxUs | Product::DedicatedLinuxUs | Product::ManagedServerLinuxUs
        )
    }

    pub fn is_backup(self) -> bool {
        matches!(self, Product::BackupUs | Product::BackupAsia)
    }

    /// Whether the price counts gigabytes of storage.
    pub fn priced_per_gb(self) -> bool {
        self.is_backup()
    }

    /// Whether the price counts email accounts, in slabs.
    pub fn priced_per_account(self) -> bool {
        self == Product::BusinessEmailUs
    }
}

/// Business Email's plans are its price slabs: the plan of an order is the
/// slab its account count falls in, and changes when the count does.
pub const EMAIL_SLABS: [(i64, u32, u32); 3] = [(401, 1, 5), (402, 6, 25), (403, 26, 1000)];

/// Managed Server Linux's add-ons, each a plan of its own priced per month:
/// name, plan id, monthly selling price in thousandths.
pub const ADDONS: [(&str, i64, i64); 7] = [
    ("ipaddress", 591, 3_000),
    ("whmcs", 592, 15_000),
    ("storage_1", 593, 5_000),
    ("storage_2", 594, 10_000),
    ("storage_3", 595, 15_000),
    ("storage_4", 596, 20_000),
    ("storage_5", 597, 25_000),
];

/// The plan id of an add-on by its name.
pub fn addon_plan(name: &str) -> Option<i64> {
    ADDONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, id, _)| *id)
}

/// The most email accounts an order may hold.
pub const MAX_EMAIL_ACCOUNTS: u32 = 1000;

/// The plan an order of `product` has with `units` units: the slab of
/// that many accounts for Business Email, else the plan it has.
pub fn plan_for_units(product: Product, plan_id: i64, units: u32) -> i64 {
    if !product.priced_per_account() {
        return plan_id;
    }
    EMAIL_SLABS
        .iter()
        .find(|(_, min, max)| (*min..=*max).contains(&units))
        .map_or(plan_id, |(id, _, _)| *id)
}

/// What a plan offers beyond its prices. Fields a product does not use stay empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_storage_gb: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_storage_gb: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_cores: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_gb: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_gb: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_accounts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_accounts: Option<u32>,
    /// An add-on's name: the plan prices an add-on, and is no plan to order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addon: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: i64,
    pub product: Product,
    pub name: String,
    pub active: bool,
    pub limits: PlanLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PriceAction {
    Add,
    Renew,
}

impl PriceAction {
    pub fn key(self) -> &'static str {
        match self {
            PriceAction::Add => "add",
            PriceAction::Renew => "renew",
        }
    }

    pub fn from_key(key: &str) -> Option<PriceAction> {
        match key {
            "add" => Some(PriceAction::Add),
            "renew" => Some(PriceAction::Renew),
            _ => None,
        }
    }
}

/// One line of a reseller's price list: per month and per unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub plan_id: i64,
    pub action: PriceAction,
    pub months: u32,
    pub selling: Money,
    pub cost: Money,
}

/// The tenures every demo plan offers.
pub const DEMO_TENURES: [u32; 6] = [1, 3, 6, 12, 24, 36];

/// The demo catalogue: plans of every product the server offers.
pub fn demo_plans() -> Vec<Plan> {
    let server = |id, product, name: &str, cpu, ram, disk| Plan {
        id,
        product,
        name: name.to_string(),
        active: true,
        limits: PlanLimits {
            cpu_cores: Some(cpu),
            ram_gb: Some(ram),
            disk_gb: Some(disk),
            ..PlanLimits::default()
        },
    };
    let backup = |id, product, name: &str, min, max| Plan {
        id,
        product,
        name: name.to_string(),
        active: true,
        limits: PlanLimits {
            min_storage_gb: Some(min),
            max_storage_gb: Some(max),
            ..PlanLimits::default()
        },
    };
    let email = |(id, min, max): (i64, u32, u32)| Plan {
        id,
        product: Product::BusinessEmailUs,
        name: format!("Business Email {min}-{max} accounts"),
        active: true,
        limits: PlanLimits {
            min_accounts: Some(min),
            max_accounts: Some(max),
            ..PlanLimits::default()
        },
    };
    let mut plans = vec![
        server(101, Product::VpsLinuxUs, "VPS Linux Starter", 1, 2, 40),
        server(102, Product::VpsLinuxUs, "VPS Linux Business", 2, 4, 80),
        server(103, Product::VpsLinuxUs, "VPS Linux Pro", 4, 8, 160),
        server(
            201,
            Product::DedicatedLinuxUs,
            "Dedicated Linux Standard",
            8,
            32,
            1000,
        ),
        server(
            202,
            Product::DedicatedLinuxUs,
            "Dedicated Linux Performance",
            16,
            64,
            2000,
        ),
        backup(301, Product::BackupUs, "Acronis Backup Starter", 10, 100),
        backup(302, Product::BackupUs, "Acronis Backup Business", 50, 1000),
        backup(
            303,
            Product::BackupUs,
            "Acronis Backup Enterprise",
            500,
            5000,
        ),
        backup(
            311,
            Product::BackupAsia,
            "Acronis Backup Starter Asia",
            10,
            100,
        ),
        backup(
            312,
            Product::BackupAsia,
            "Acronis Backup Business Asia",
            50,
            1000,
        ),
        backup(
            313,
            Product::BackupAsia,
            "Acronis Backup Enterprise Asia",
            500,
            5000,
        ),
    ];
    plans.extend(EMAIL_SLABS.map(email));
    plans.push(server(
        501,
        Product::ManagedServerLinuxUs,
        "Managed Server Linux Standard",
        4,
        8,
        160,
    ));
    plans.push(server(
        502,
        Product::ManagedServerLinuxUs,
        "Managed Server Linux Pro",
        8,
        16,
        320,
    ));
    plans.extend(ADDONS.map(|(name, id, _)| Plan {
        id,
        product: Product::ManagedServerLinuxUs,
        name: format!("Managed Server Linux add-on {name}"),
        active: true,
        limits: PlanLimits {
            addon: Some(name.to_string()),
            ..PlanLimits::default()
        },
    }));
    plans
}

/// The demo price list: a monthly selling price per plan (per GB for
/// backups, per account for email), cheaper per month for longer tenures; renewals cost the same as
/// adds; the reseller's cost is 70% of the selling price.
pub fn demo_prices() -> Vec<Price> {
    let monthly: &[(i64, i64)] = &[
        (101, 10_000),
        (102, 20_000),
        (103, 40_000),
        (201, 150_000),
        (202, 250_000),
        (301, 100),
        (302, 80),
        (303, 60),
        (311, 110),
        (312, 90),
        (313, 70),
        (401, 1_000),
        (402, 900),
        (403, 800),
        (501, 60_000),
        (502, 100_000),
    ];
    let percent_for = |months: u32| match months {
        1 | 3 => 100,
        6 => 95,
        12 => 90,
        24 => 85,
        _ => 80,
    };
    let mut prices = Vec::new();
    for &(plan_id, base) in monthly {
        for months in DEMO_TENURES {
            let selling = base * percent_for(months) / 100;
            for action in [PriceAction::Add, PriceAction::Renew] {
                prices.push(Price {
                    plan_id,
                    action,
                    months,
                    selling: Money(selling),
                    cost: Money(selling * 70 / 100),
                });
            }
        }
    }
    // Add-ons are priced by the month; an order's tenure multiplies it.
    for (_, plan_id, monthly) in ADDONS {
        for action in [PriceAction::Add, PriceAction::Renew] {
            prices.push(Price {
                plan_id,
                action,
                months: 1,
                selling: Money(monthly),
                cost: Money(monthly * 70 / 100),
            });
        }
    }
    prices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_plan_has_a_price_for_every_tenure_and_action() {
        let prices = demo_prices();
        for plan in demo_plans() {
            let tenures: &[u32] = if plan.limits.addon.is_some() {
                &[1]
            } else {
                &DEMO_TENURES
            };
            for &months in tenures {
                for action in [PriceAction::Add, PriceAction::Renew] {
                    let price = prices
                        .iter()
                        .find(|p| p.plan_id == plan.id && p.months == months && p.action == action)
                        .unwrap_or_else(|| panic!("plan {} has no {months}-month price", plan.id));
                    assert!(price.cost < price.selling && price.cost > Money::ZERO);
                }
            }
        }
    }

    #[test]
    fn every_account_count_has_one_email_slab() {
        for accounts in 1..=MAX_EMAIL_ACCOUNTS {
            let slabs = EMAIL_SLABS
                .iter()
                .filter(|(_, min, max)| (*min..=*max).contains(&accounts))
                .count();
            assert_eq!(slabs, 1, "{accounts} accounts");
        }
        assert_eq!(plan_for_units(Product::BusinessEmailUs, 0, 5), 401);
        assert_eq!(plan_for_units(Product::BusinessEmailUs, 0, 6), 402);
        assert_eq!(plan_for_units(Product::BusinessEmailUs, 0, 1000), 403);
        assert_eq!(plan_for_units(Product::VpsLinuxUs, 102, 6), 102);
    }

    #[test]
    fn product_keys_round_trip() {
        for product in Product::ALL {
            assert_eq!(Product::from_key(product.key()), Some(product));
        }
    }
}
