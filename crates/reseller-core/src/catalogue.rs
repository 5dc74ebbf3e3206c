//! The products the server sells, declared as data: each is one
//! [`ProductSpec`] in [`PRODUCTS`], from which follow its plans and demo
//! prices, how its price scales, the URL prefixes of its calls, the
//! standard calls the server answers for it (`reseller-server`'s
//! `api::standard`), and the actions its orders see. What a product does
//! beyond the shared order engine lives in its own rules module
//! (`backup`, `email`, `managed`) and its own API module.
//!
//! Prices are per month, per unit, for each tenure a plan offers; a
//! reseller has a cost price (what the platform charges the reseller) and a
//! selling price (what its customers pay).

use crate::ids::PlanId;
use crate::model::ActionKind;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A product the platform sells. Its facts are its [`ProductSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    VpsLinuxUs,
    DedicatedLinuxUs,
    BackupUs,
    BackupAsia,
    BusinessEmailUs,
    ManagedServerLinuxUs,
    /// A domain name of any TLD the registry sells (`tlds`): its plan is its TLD.
    Domain,
    SingleDomainHostingLinuxUs,
    SingleDomainHostingWindowsUs,
    MultiDomainHostingLinuxUs,
    MultiDomainHostingWindowsUs,
    ResellerHostingLinuxUs,
    ResellerHostingWindowsUs,
    /// The website builder (`webservices`).
    WebServices,
    /// SSL certificates, issued by the sandbox's own authority.
    SslCert,
}

/// How a product's price counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pricing {
    /// One unit an order.
    PerOrder,
    /// Gigabytes of storage (`storage-size-gb`).
    PerGb,
    /// Email accounts, in slabs: the plan of an order is the slab its
    /// account count falls in, and changes when the count does.
    PerAccountSlab,
    /// Years: a price is kept for a year (under a 12-month tenure) and a
    /// term of N years costs N of it.
    PerYear,
}

/// The calls every product may take from the shared handlers, below each
/// of its URL prefixes. A product lists those it takes as they are; it
/// serves the rest (and its special calls) from its own API module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StandardCall {
    /// `add`: `domain-name`, `customer-id`, `months`, `plan-id`, `auto-renew`, billing.
    Add,
    /// `renew`: the order, `months`, `auto-renew`, billing.
    Renew,
    /// `details`: the keys every order shows, its `domainname` and the backup agent it runs.
    Details,
    /// `search`: the order search filters and the dotted record keys.
    Search,
    /// `delete`: at once, no invoice, no refund.
    Delete,
    /// `orderid`: the newest order for a `domain-name`, as a bare integer.
    OrderId,
}

/// What a plan offers beyond its prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limits {
    Server {
        cpu_cores: u32,
        ram_gb: u32,
        disk_gb: u32,
    },
    Storage {
        min_gb: u32,
        max_gb: u32,
    },
    Accounts {
        min: u32,
        max: u32,
    },
    /// Web hosting: its disk space and how many domains it serves.
    Hosting {
        disk_gb: u32,
        domains: u32,
    },
    /// A certificate: how many names it covers.
    Certificate {
        names: u32,
    },
}

/// A plan as declared: id, name, limits, and the demo selling price of a
/// month of one unit, in thousandths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanSpec {
    pub id: PlanId,
    pub name: &'static str,
    pub limits: Limits,
    pub monthly: i64,
}

/// An add-on: its name on the wire, the plan that prices it (a month at a
/// time), and the demo selling price of a month, in thousandths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddonSpec {
    pub name: &'static str,
    pub plan_id: PlanId,
    pub monthly: i64,
}

/// Everything the platform knows of a product before any order exists.
#[derive(Debug)]
pub struct ProductSpec {
    pub product: Product,
    /// The product key the API uses in prices, plans and order details.
    pub key: &'static str,
    /// A human name, used in action descriptions and search records.
    pub name: &'static str,
    pub category: &'static str,
    /// `entitytypeid` in order details: the real service's for Business
    /// Email (283, recorded); ours for the others (docs/API.md).
    pub entity_type_id: u32,
    /// Where its calls live below `/api/`, in every spelling the vendor
    /// prints; the first is the canonical one.
    pub prefixes: &'static [&'static str],
    /// The parameter that names an order in its calls.
    pub order_param: &'static str,
    /// The products whose orders its calls on an existing order accept
    /// (the backup regions take each other's).
    pub family: &'static [Product],
    pub pricing: Pricing,
    pub plans: &'static [PlanSpec],
    pub addons: &'static [AddonSpec],
    /// Whether a backup may attach to its orders.
    pub backup_host: bool,
    /// The actions its calls create.
    pub actions: &'static [ActionKind],
    /// Which of them adds, renews and deletes an order.
    pub kinds: OrderKinds,
    pub standard: &'static [StandardCall],
}

const fn server(
    id: i64,
    name: &'static str,
    cpu: u32,
    ram: u32,
    disk: u32,
    monthly: i64,
) -> PlanSpec {
    PlanSpec {
        id: PlanId(id),
        name,
        limits: Limits::Server {
            cpu_cores: cpu,
            ram_gb: ram,
            disk_gb: disk,
        },
        monthly,
    }
}

const fn storage(id: i64, name: &'static str, min_gb: u32, max_gb: u32, monthly: i64) -> PlanSpec {
    PlanSpec {
        id: PlanId(id),
        name,
        limits: Limits::Storage { min_gb, max_gb },
        monthly,
    }
}

const fn hosting(
    id: i64,
    name: &'static str,
    disk_gb: u32,
    domains: u32,
    monthly: i64,
) -> PlanSpec {
    PlanSpec {
        id: PlanId(id),
        name,
        limits: Limits::Hosting { disk_gb, domains },
        monthly,
    }
}

const fn accounts(id: i64, name: &'static str, min: u32, max: u32, monthly: i64) -> PlanSpec {
    PlanSpec {
        id: PlanId(id),
        name,
        limits: Limits::Accounts { min, max },
        monthly,
    }
}

use ActionKind as A;
use StandardCall as S;

const BACKUPS: &[Product] = &[Product::BackupUs, Product::BackupAsia];
const BACKUP_ACTIONS: &[ActionKind] = &[A::Add, A::Renew, A::Delete, A::AddStorage];
const SERVER_CALLS: &[StandardCall] = &[
    S::Add,
    S::Renew,
    S::Details,
    S::Search,
    S::Delete,
    S::OrderId,
];

/// The kinds of the actions that add, renew and delete an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderKinds {
    pub add: ActionKind,
    pub renew: ActionKind,
    pub delete: ActionKind,
}

const HOSTING_KINDS: OrderKinds = OrderKinds {
    add: ActionKind::Add,
    renew: ActionKind::Renew,
    delete: ActionKind::Delete,
};

/// SSL for a hosting order's site (`enable-ssl`).
pub const HOSTING_SSL: AddonSpec = AddonSpec {
    name: "ssl",
    plan_id: PlanId(690),
    monthly: 2_000,
};
/// A dedicated IP address of a reseller hosting order (`add-dedicated-ip`).
pub const DEDICATED_IP: AddonSpec = AddonSpec {
    name: "dedicatedip",
    plan_id: PlanId(691),
    monthly: 3_000,
};
const WEB_ADDONS: &[AddonSpec] = &[HOSTING_SSL];
const RESELLER_ADDONS: &[AddonSpec] = &[HOSTING_SSL, DEDICATED_IP];

/// A web hosting product: the standard calls below its prefixes, plans of
/// disk space and domains, and its add-ons. (Its arguments are the
/// declaration's fields, in their order.)
#[allow(clippy::too_many_arguments)]
const fn web_hosting(
    product: Product,
    key: &'static str,
    name: &'static str,
    entity_type_id: u32,
    prefixes: &'static [&'static str],
    family: &'static [Product],
    plans: &'static [PlanSpec],
    addons: &'static [AddonSpec],
) -> ProductSpec {
    ProductSpec {
        product,
        key,
        name,
        category: "hosting",
        entity_type_id,
        prefixes,
        order_param: "order-id",
        family,
        pricing: Pricing::PerOrder,
        plans,
        addons,
        backup_host: false,
        actions: &[
            A::Add,
            A::Renew,
            A::Delete,
            A::Modify,
            A::AddAddon,
            A::DeleteAddon,
        ],
        kinds: HOSTING_KINDS,
        standard: SERVER_CALLS,
    }
}

/// The products, in the order of [`Product`]'s variants.
pub static PRODUCTS: [ProductSpec; 15] = [
    ProductSpec {
        product: Product::VpsLinuxUs,
        key: "vpslinuxus",
        name: "VPS Linux",
        category: "hosting",
        entity_type_id: 291,
        prefixes: &["vps/linux/us"],
        order_param: "order-id",
        family: &[Product::VpsLinuxUs],
        pricing: Pricing::PerOrder,
        plans: &[
            server(101, "VPS Linux Starter", 1, 2, 40, 10_000),
            server(102, "VPS Linux Business", 2, 4, 80, 20_000),
            server(103, "VPS Linux Pro", 4, 8, 160, 40_000),
        ],
        addons: &[],
        backup_host: true,
        actions: &[A::Add, A::Renew, A::Delete],
        kinds: HOSTING_KINDS,
        standard: SERVER_CALLS,
    },
    ProductSpec {
        product: Product::DedicatedLinuxUs,
        key: "dedicatedserverlinuxus",
        name: "Dedicated Server Linux",
        category: "hosting",
        entity_type_id: 292,
        prefixes: &["dedicatedserver/linux/us"],
        order_param: "order-id",
        family: &[Product::DedicatedLinuxUs],
        pricing: Pricing::PerOrder,
        plans: &[
            server(201, "Dedicated Linux Standard", 8, 32, 1000, 150_000),
            server(202, "Dedicated Linux Performance", 16, 64, 2000, 250_000),
        ],
        addons: &[],
        backup_host: true,
        actions: &[A::Add, A::Renew, A::Delete],
        kinds: HOSTING_KINDS,
        standard: SERVER_CALLS,
    },
    ProductSpec {
        product: Product::BackupUs,
        key: "acronisbackupus",
        name: "Acronis Backup",
        category: "backup",
        entity_type_id: 293,
        prefixes: &["backup/us", "backups/us"],
        order_param: "backup-order-id",
        family: BACKUPS,
        pricing: Pricing::PerGb,
        plans: &[
            storage(301, "Acronis Backup Starter", 10, 100, 100),
            storage(302, "Acronis Backup Business", 50, 1000, 80),
            storage(303, "Acronis Backup Enterprise", 500, 5000, 60),
        ],
        addons: &[],
        backup_host: false,
        actions: BACKUP_ACTIONS,
        kinds: HOSTING_KINDS,
        standard: &[S::Renew],
    },
    ProductSpec {
        product: Product::BackupAsia,
        key: "acronisbackupasia",
        name: "Acronis Backup",
        category: "backup",
        entity_type_id: 294,
        prefixes: &["backup/asia", "backups/asia"],
        order_param: "backup-order-id",
        family: BACKUPS,
        pricing: Pricing::PerGb,
        plans: &[
            storage(311, "Acronis Backup Starter Asia", 10, 100, 110),
            storage(312, "Acronis Backup Business Asia", 50, 1000, 90),
            storage(313, "Acronis Backup Enterprise Asia", 500, 5000, 70),
        ],
        addons: &[],
        backup_host: false,
        actions: BACKUP_ACTIONS,
        kinds: HOSTING_KINDS,
        standard: &[S::Renew],
    },
    ProductSpec {
        product: Product::BusinessEmailUs,
        key: "eeliteus",
        name: "Business Email",
        category: "hosting",
        entity_type_id: 283,
        prefixes: &["eelite/us"],
        order_param: "order-id",
        family: &[Product::BusinessEmailUs],
        pricing: Pricing::PerAccountSlab,
        plans: &[
            accounts(401, "Business Email 1-5 accounts", 1, 5, 1_000),
            accounts(402, "Business Email 6-25 accounts", 6, 25, 900),
            accounts(403, "Business Email 26-1000 accounts", 26, 1000, 800),
        ],
        addons: &[],
        backup_host: false,
        actions: &[
            A::Add,
            A::Renew,
            A::Delete,
            A::AddEmailAccount,
            A::DeleteEmailAccount,
        ],
        kinds: HOSTING_KINDS,
        standard: &[S::Search, S::Delete, S::OrderId],
    },
    ProductSpec {
        product: Product::ManagedServerLinuxUs,
        key: "managedserverlinuxus",
        name: "Managed Server Linux",
        category: "hosting",
        entity_type_id: 295,
        prefixes: &["managedserver/linux/us"],
        order_param: "order-id",
        family: &[Product::ManagedServerLinuxUs],
        pricing: Pricing::PerOrder,
        plans: &[
            server(501, "Managed Server Linux Standard", 4, 8, 160, 60_000),
            server(502, "Managed Server Linux Pro", 8, 16, 320, 100_000),
        ],
        addons: &[
            AddonSpec {
                name: "ipaddress",
                plan_id: PlanId(591),
                monthly: 3_000,
            },
            AddonSpec {
                name: "whmcs",
                plan_id: PlanId(592),
                monthly: 15_000,
            },
            AddonSpec {
                name: "storage_1",
                plan_id: PlanId(593),
                monthly: 5_000,
            },
            AddonSpec {
                name: "storage_2",
                plan_id: PlanId(594),
                monthly: 10_000,
            },
            AddonSpec {
                name: "storage_3",
                plan_id: PlanId(595),
                monthly: 15_000,
            },
            AddonSpec {
                name: "storage_4",
                plan_id: PlanId(596),
                monthly: 20_000,
            },
            AddonSpec {
                name: "storage_5",
                plan_id: PlanId(597),
                monthly: 25_000,
            },
        ],
        backup_host: true,
        actions: &[A::Add, A::Renew, A::Delete, A::AddAddon, A::DeleteAddon],
        kinds: HOSTING_KINDS,
        standard: &[S::Renew, S::Search, S::Delete, S::OrderId],
    },
    ProductSpec {
        product: Product::Domain,
        key: "domorder",
        name: "Domain",
        category: "domorder",
        entity_type_id: 3,
        prefixes: &["domains"],
        order_param: "order-id",
        family: &[Product::Domain],
        pricing: Pricing::PerYear,
        plans: &[],
        addons: &[],
        backup_host: false,
        actions: &[
            A::RegisterDomain,
            A::RenewDomain,
            A::DeleteDomain,
            A::TransferDomain,
            A::RestoreDomain,
            A::ModifyNameServers,
            A::ModifyContacts,
            A::ModifyTransferLock,
            A::ModifyPrivacy,
            A::ModifyAuthCode,
            A::AddChildNameServer,
            A::ModifyChildNameServerName,
            A::ModifyChildNameServerIp,
            A::DeleteChildNameServerIp,
            A::ModifyGdpr,
            A::AddDnssec,
            A::DeleteDnssec,
            A::AddResellerLock,
            A::RemoveResellerLock,
            A::ReleaseDomain,
            A::ModifyTelWhois,
        ],
        kinds: OrderKinds {
            add: A::RegisterDomain,
            renew: A::RenewDomain,
            delete: A::DeleteDomain,
        },
        standard: &[],
    },
    web_hosting(
        Product::SingleDomainHostingLinuxUs,
        "singledomainhostinglinuxus",
        "Single Domain Linux Hosting",
        295,
        &["singledomainhosting/linux/us"],
        &[Product::SingleDomainHostingLinuxUs],
        &[
            hosting(601, "Single Domain Linux Starter", 10, 1, 3_000),
            hosting(602, "Single Domain Linux Business", 50, 1, 5_000),
        ],
        WEB_ADDONS,
    ),
    web_hosting(
        Product::SingleDomainHostingWindowsUs,
        "singledomainhostingwindowsus",
        "Single Domain Windows Hosting",
        296,
        &["singledomainhosting/windows/us"],
        &[Product::SingleDomainHostingWindowsUs],
        &[
            hosting(611, "Single Domain Windows Starter", 10, 1, 4_000),
            hosting(612, "Single Domain Windows Business", 50, 1, 6_000),
        ],
        WEB_ADDONS,
    ),
    web_hosting(
        Product::MultiDomainHostingLinuxUs,
        "multidomainhostinglinuxus",
        "Multi Domain Linux Hosting",
        297,
        &["multidomainhosting/linux/us", "multidomainhosting"],
        &[Product::MultiDomainHostingLinuxUs],
        &[
            hosting(621, "Multi Domain Linux Business", 100, 10, 8_000),
            hosting(622, "Multi Domain Linux Pro", 300, 50, 12_000),
        ],
        WEB_ADDONS,
    ),
    web_hosting(
        Product::MultiDomainHostingWindowsUs,
        "multidomainhostingwindowsus",
        "Multi Domain Windows Hosting",
        298,
        &[
            "multidomainhosting/windows/us",
            "multidomainhosting/windows",
        ],
        &[Product::MultiDomainHostingWindowsUs],
        &[
            hosting(631, "Multi Domain Windows Business", 100, 10, 10_000),
            hosting(632, "Multi Domain Windows Pro", 300, 50, 15_000),
        ],
        WEB_ADDONS,
    ),
    web_hosting(
        Product::ResellerHostingLinuxUs,
        "resellerhostinglinuxus",
        "Reseller Linux Hosting",
        299,
        &["resellerhosting/linux/us", "resellerhosting"],
        &[Product::ResellerHostingLinuxUs],
        &[
            hosting(641, "Reseller Linux Bronze", 200, 40, 20_000),
            hosting(642, "Reseller Linux Gold", 600, 150, 35_000),
        ],
        RESELLER_ADDONS,
    ),
    web_hosting(
        Product::ResellerHostingWindowsUs,
        "resellerhostingwindowsus",
        "Reseller Windows Hosting",
        300,
        &["resellerhosting/windows/us"],
        &[Product::ResellerHostingWindowsUs],
        &[
            hosting(651, "Reseller Windows Bronze", 200, 40, 25_000),
            hosting(652, "Reseller Windows Gold", 600, 150, 40_000),
        ],
        RESELLER_ADDONS,
    ),
    web_hosting(
        Product::WebServices,
        "websitebuilder",
        "Website Builder",
        301,
        &["webservices"],
        &[Product::WebServices],
        &[
            hosting(661, "Website Builder Personal", 1, 1, 2_000),
            hosting(662, "Website Builder Business", 5, 1, 4_000),
        ],
        WEB_ADDONS,
    ),
    ProductSpec {
        product: Product::SslCert,
        key: "sslcert",
        name: "SSL Certificate",
        category: "ssl",
        entity_type_id: 302,
        prefixes: &["sslcert", "digitalcertificate"],
        order_param: "order-id",
        family: &[Product::SslCert],
        pricing: Pricing::PerOrder,
        plans: &[
            PlanSpec {
                id: PlanId(701),
                name: "Positive SSL",
                limits: Limits::Certificate { names: 1 },
                monthly: 1_000,
            },
            PlanSpec {
                id: PlanId(702),
                name: "Positive SSL Multi-Domain",
                limits: Limits::Certificate { names: 3 },
                monthly: 3_000,
            },
        ],
        addons: &[],
        backup_host: false,
        actions: &[A::Add, A::Renew, A::Delete],
        kinds: HOSTING_KINDS,
        standard: SERVER_CALLS,
    },
];

impl Product {
    pub const ALL: [Product; 15] = [
        Product::VpsLinuxUs,
        Product::DedicatedLinuxUs,
        Product::BackupUs,
        Product::BackupAsia,
        Product::BusinessEmailUs,
        Product::ManagedServerLinuxUs,
        Product::Domain,
        Product::SingleDomainHostingLinuxUs,
        Product::SingleDomainHostingWindowsUs,
        Product::MultiDomainHostingLinuxUs,
        Product::MultiDomainHostingWindowsUs,
        Product::ResellerHostingLinuxUs,
        Product::ResellerHostingWindowsUs,
        Product::WebServices,
        Product::SslCert,
    ];

    pub fn spec(self) -> &'static ProductSpec {
        &PRODUCTS[self as usize]
    }

    /// The product key the API uses in prices, plans and order details.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    pub fn from_key(key: &str) -> Option<Product> {
        PRODUCTS.iter().find(|p| p.key == key).map(|p| p.product)
    }

    /// A human name, used in action descriptions.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn category(self) -> &'static str {
        self.spec().category
    }

    /// Servers that an Acronis backup can attach to.
    pub fn is_backup_host(self) -> bool {
        self.spec().backup_host
    }

    pub fn pricing(self) -> Pricing {
        self.spec().pricing
    }
}

/// The web hosting products (their plans are hosting plans), in
/// [`PRODUCTS`]' order: what takes the hosting calls (`modify`, ...).
pub fn web_hosting_products() -> impl Iterator<Item = &'static ProductSpec> {
    PRODUCTS.iter().filter(|p| {
        p.plans
            .first()
            .is_some_and(|plan| matches!(plan.limits, Limits::Hosting { .. }))
    })
}

/// What `orders/suspend` and `orders/unsuspend` do to an order of any product.
pub const EVERY_PRODUCTS_ACTIONS: &[ActionKind] = &[ActionKind::Suspend, ActionKind::Unsuspend];

/// The action kinds the products' calls create, in `ActionKind::ALL`'s
/// order: the `action-type` values an action search takes.
pub fn action_kinds() -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|kind| {
            EVERY_PRODUCTS_ACTIONS.contains(kind)
                || PRODUCTS.iter().any(|p| p.actions.contains(kind))
        })
        .collect()
}

/// The first product that declares an add-on: its plan is that product's.
fn first_declaring(addon: &AddonSpec) -> Product {
    PRODUCTS
        .iter()
        .find(|p| p.addons.contains(addon))
        .map_or(Product::Domain, |p| p.product)
}

/// The add-on of any product by its name.
pub fn addon(name: &str) -> Option<&'static AddonSpec> {
    PRODUCTS
        .iter()
        .flat_map(|p| p.addons)
        .find(|a| a.name == name)
}

/// The most email accounts an order may hold.
pub const MAX_EMAIL_ACCOUNTS: u32 = 1000;

/// The plan an order of `product` has with `units` units: the slab of
/// that many accounts where the price counts accounts, else the plan it has.
pub fn plan_for_units(product: Product, plan_id: PlanId, units: u32) -> PlanId {
    if product.pricing() != Pricing::PerAccountSlab {
        return plan_id;
    }
    product
        .spec()
        .plans
        .iter()
        .find(|p| matches!(p.limits, Limits::Accounts { min, max } if (min..=max).contains(&units)))
        .map_or(plan_id, |p| p.id)
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
    /// Web hosting: how many domains a plan serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domains: Option<u32>,
    /// An add-on's name: the plan prices an add-on, and is no plan to order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addon: Option<String>,
    /// A domain plan's TLD, without the dot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tld: Option<String>,
}

impl PlanLimits {
    /// The limits that are numbers, by their wire names, in declaration order.
    pub fn numbers(&self) -> Vec<(&'static str, u32)> {
        [
            ("min_storage_gb", self.min_storage_gb),
            ("max_storage_gb", self.max_storage_gb),
            ("cpu_cores", self.cpu_cores),
            ("ram_gb", self.ram_gb),
            ("disk_gb", self.disk_gb),
            ("min_accounts", self.min_accounts),
            ("max_accounts", self.max_accounts),
            ("domains", self.domains),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub id: PlanId,
    pub product: Product,
    pub name: String,
    pub active: bool,
    pub limits: PlanLimits,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PriceAction {
    Add,
    Renew,
    /// A domain transferred in.
    Transfer,
    /// A domain restored from redemption.
    Restore,
}

impl PriceAction {
    pub const ALL: [PriceAction; 4] = [
        PriceAction::Add,
        PriceAction::Renew,
        PriceAction::Transfer,
        PriceAction::Restore,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PriceAction::Add => "add",
            PriceAction::Renew => "renew",
            PriceAction::Transfer => "transfer",
            PriceAction::Restore => "restore",
        }
    }

    pub fn from_key(key: &str) -> Option<PriceAction> {
        PriceAction::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One line of a reseller's price list: per month and per unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub plan_id: PlanId,
    pub action: PriceAction,
    pub months: u32,
    pub selling: Money,
    pub cost: Money,
}

/// A promotion the platform runs: a product's action sold at a lower
/// yearly price between two days (`resellers/promo-details`). Listed as
/// data: orders are priced by the price lists (docs/API.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Promotion {
    pub id: i64,
    /// The product key the vendor prints (`domcno` for .com).
    pub product_key: &'static str,
    pub action: PriceAction,
    /// The promotional price of a year.
    pub price: Money,
    /// The days it runs, as Unix seconds at midnight UTC.
    pub starts: i64,
    pub ends: i64,
}

/// The demo catalogue's promotions: .com and .net registrations, 2026 and 2027.
pub const PROMOTIONS: [Promotion; 2] = [
    Promotion {
        id: 1,
        product_key: "domcno",
        action: PriceAction::Add,
        price: Money(7_990),
        starts: 1_767_225_600,
        ends: 1_830_211_200,
    },
    Promotion {
        id: 2,
        product_key: "dotnet",
        action: PriceAction::Add,
        price: Money(8_990),
        starts: 1_767_225_600,
        ends: 1_830_211_200,
    },
];

/// The tenures every demo plan offers.
pub const DEMO_TENURES: [u32; 6] = [1, 3, 6, 12, 24, 36];

/// The demo catalogue: the plans of every product, and a plan for each add-on.
pub fn demo_plans() -> Vec<Plan> {
    let mut plans = Vec::new();
    for spec in &PRODUCTS {
        for plan in spec.plans {
            let limits = match plan.limits {
                Limits::Server {
                    cpu_cores,
                    ram_gb,
                    disk_gb,
                } => PlanLimits {
                    cpu_cores: Some(cpu_cores),
                    ram_gb: Some(ram_gb),
                    disk_gb: Some(disk_gb),
                    ..PlanLimits::default()
                },
                Limits::Storage { min_gb, max_gb } => PlanLimits {
                    min_storage_gb: Some(min_gb),
                    max_storage_gb: Some(max_gb),
                    ..PlanLimits::default()
                },
                Limits::Accounts { min, max } => PlanLimits {
                    min_accounts: Some(min),
                    max_accounts: Some(max),
                    ..PlanLimits::default()
                },
                Limits::Hosting { disk_gb, domains } => PlanLimits {
                    disk_gb: Some(disk_gb),
                    domains: Some(domains),
                    ..PlanLimits::default()
                },
                Limits::Certificate { names } => PlanLimits {
                    domains: Some(names),
                    ..PlanLimits::default()
                },
            };
            plans.push(Plan {
                id: plan.id,
                product: spec.product,
                name: plan.name.to_string(),
                active: true,
                limits,
            });
        }
        // An add-on several products take is one plan, the first's.
        for addon in spec
            .addons
            .iter()
            .filter(|a| first_declaring(a) == spec.product)
        {
            plans.push(Plan {
                id: addon.plan_id,
                product: spec.product,
                name: format!("{} add-on {}", spec.name, addon.name),
                active: true,
                limits: PlanLimits {
                    addon: Some(addon.name.to_string()),
                    ..PlanLimits::default()
                },
            });
        }
    }
    for (index, tld) in crate::tlds::TLDS.iter().enumerate() {
        plans.push(Plan {
            id: tld_plan(index),
            product: Product::Domain,
            name: format!("Domain .{}", tld.tld),
            active: true,
            limits: PlanLimits {
                tld: Some(tld.tld.to_string()),
                ..PlanLimits::default()
            },
        });
    }
    plans
}

/// The plan of the `index`th TLD of `tlds::TLDS`: 2001 for the first.
pub fn tld_plan(index: usize) -> PlanId {
    PlanId(2001 + index as i64)
}

/// The plan a domain under `tld` is ordered on.
pub fn plan_of_tld(tld: &str) -> Option<PlanId> {
    crate::tlds::TLDS
        .iter()
        .position(|t| t.tld == tld)
        .map(tld_plan)
}

/// The demo price list: each plan's monthly selling price (per unit),
/// cheaper per month for longer tenures; renewals cost the same as adds;
/// the reseller's cost is 70% of the selling price. Add-ons are priced by
/// the month; an order's tenure multiplies it.
pub fn demo_prices() -> Vec<Price> {
    let percent_for = |months: u32| match months {
        1 | 3 => 100,
        6 => 95,
        12 => 90,
        24 => 85,
        _ => 80,
    };
    let price = |plan_id, action, months, selling: i64| Price {
        plan_id,
        action,
        months,
        selling: Money(selling),
        cost: Money(selling * 70 / 100),
    };
    let mut prices = Vec::new();
    for spec in &PRODUCTS {
        for plan in spec.plans {
            for months in DEMO_TENURES {
                let selling = plan.monthly * percent_for(months) / 100;
                for action in [PriceAction::Add, PriceAction::Renew] {
                    prices.push(price(plan.id, action, months, selling));
                }
            }
        }
        for addon in spec
            .addons
            .iter()
            .filter(|a| first_declaring(a) == spec.product)
        {
            for action in [PriceAction::Add, PriceAction::Renew] {
                prices.push(price(addon.plan_id, action, 1, addon.monthly));
            }
        }
    }
    // A domain's prices are a year's, under the 12-month tenure.
    for (index, tld) in crate::tlds::TLDS.iter().enumerate() {
        for (action, yearly) in PriceAction::ALL.into_iter().zip(tld.yearly) {
            if yearly > 0 {
                prices.push(price(tld_plan(index), action, 12, yearly));
            }
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
            // Add-ons are priced a month, domains a year, the rest for every tenure.
            let tenures: &[u32] = if plan.limits.addon.is_some() {
                &[1]
            } else if plan.limits.tld.is_some() {
                &[12]
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
            let slabs = Product::BusinessEmailUs
                .spec()
                .plans
                .iter()
                .filter(|p| matches!(p.limits, Limits::Accounts { min, max } if (min..=max).contains(&accounts)))
                .count();
            assert_eq!(slabs, 1, "{accounts} accounts");
        }
        assert_eq!(
            plan_for_units(Product::BusinessEmailUs, PlanId(0), 5),
            PlanId(401)
        );
        assert_eq!(
            plan_for_units(Product::BusinessEmailUs, PlanId(0), 6),
            PlanId(402)
        );
        assert_eq!(
            plan_for_units(Product::BusinessEmailUs, PlanId(0), 1000),
            PlanId(403)
        );
        assert_eq!(
            plan_for_units(Product::VpsLinuxUs, PlanId(102), 6),
            PlanId(102)
        );
    }

    #[test]
    fn every_action_kind_is_some_products() {
        assert_eq!(action_kinds(), ActionKind::ALL.to_vec());
    }

    #[test]
    fn product_keys_round_trip() {
        for product in Product::ALL {
            assert_eq!(Product::from_key(product.key()), Some(product));
        }
    }

    #[test]
    fn every_spec_sits_at_its_products_place() {
        for product in Product::ALL {
            assert_eq!(product.spec().product, product);
        }
        assert_eq!(PRODUCTS.len(), Product::ALL.len());
    }

    #[test]
    fn plan_ids_and_url_prefixes_are_unique() {
        let mut ids: Vec<PlanId> = PRODUCTS
            .iter()
            .flat_map(|p| {
                p.plans.iter().map(|plan| plan.id).chain(
                    p.addons
                        .iter()
                        .filter(|a| first_declaring(a) == p.product)
                        .map(|a| a.plan_id),
                )
            })
            .collect();
        // An add-on's name names one plan, whoever declares it.
        for a in PRODUCTS.iter().flat_map(|p| p.addons) {
            assert_eq!(addon(a.name), Some(a), "{}", a.name);
        }
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all);
        let mut prefixes: Vec<&str> = PRODUCTS
            .iter()
            .flat_map(|p| p.prefixes.iter().copied())
            .collect();
        let all = prefixes.len();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), all);
    }
}
