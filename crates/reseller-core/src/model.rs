//! The records the platform keeps: resellers, customers, orders, actions,
//! invoices and ledger accounts, with the enums their fields take.

use crate::catalogue::{Pricing, Product};
use crate::ids::{ActionId, ContactId, CustomerId, InvoiceId, OrderId, PlanId, ResellerId};
use crate::money::Money;
use crate::time::Epoch;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reseller {
    pub id: ResellerId,
    pub name: String,
    /// SHA-256 of the API key, hex; the key itself is never stored.
    pub api_key_hash: String,
    /// Addresses allowed to call the API; empty allows every address.
    pub allowed_ips: Vec<String>,
    pub active: bool,
    pub created: Epoch,
    /// The reseller that signed this one up (`resellers/signup`); `None`
    /// for a reseller of the platform itself.
    pub parent: Option<ResellerId>,
    /// A sub-reseller's control-panel sign-in, an email address; empty for
    /// a reseller an administrator made.
    pub username: String,
    /// Salted hash of a sub-reseller's password; empty when it has none.
    pub password_hash: String,
    pub profile: ResellerProfile,
}

/// What a sub-reseller gives of itself at sign-up and may change later
/// (`resellers/modify-details`). Kept as one JSON column, so a new field
/// needs no schema change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellerProfile {
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub address1: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub zipcode: String,
    #[serde(default)]
    pub phone_cc: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub lang_pref: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub brand_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website_url: String,
    /// The parent's sales contact the sub-reseller was signed up by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_contact_id: Option<i64>,
    /// Tax ids given, by the vendor's parameter name (`vat-id`,
    /// `indian-gst-id`, ...).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tax_ids: std::collections::BTreeMap<String, String>,
    /// Funds its parent added with `update-total-receipt`, in thousandths.
    #[serde(default)]
    pub total_receipts: i64,
    #[serde(default)]
    pub extras: CustomerExtras,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub reseller_id: ResellerId,
    pub username: String,
    pub name: String,
    pub company: String,
    pub address1: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub zipcode: String,
    pub phone_cc: String,
    pub phone: String,
    pub lang_pref: String,
    /// Salted hash of the customer's control-panel password.
    pub password_hash: String,
    pub status: CustomerStatus,
    pub created: Epoch,
    /// Sum of funds ever added (`totalreceipts`).
    pub total_receipts: Money,
    /// The four digits the customer gives the reseller's support to prove
    /// who it is (`pin`).
    pub pin: String,
    pub extras: CustomerExtras,
}

/// What a customer may give beyond the required fields; each is shown in
/// its details only when given. Kept as one JSON column, so a new field
/// needs no schema change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerExtras {
    /// Names the customer wishes to register when their TLD opens
    /// (`domains/preordering/*`), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preorders: Vec<Preorder>,
    /// The customer's .coop sponsors (`contacts/coop/add-sponsor`): the
    /// cooperatives that vouch for it, numbered from 1 within the customer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sponsors: Vec<Sponsor>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address2: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address3: String,
    /// A state outside the country's list (`other-state`); `other_state`
    /// in details shows the state when it is empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub other_state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt_phone_cc: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt_phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fax_cc: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fax: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mobile_cc: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mobile: String,
    /// What the customer gave at sign-up: an EU VAT id, and their answers
    /// (`true`/`false`, empty when not asked) on renewal SMSes, the terms
    /// and marketing mails.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vat_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sms_consent: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub accept_policy: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub marketing_consent: String,
}

/// A cooperative vouching for a customer's .coop registrations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sponsor {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub email: String,
    pub address1: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address2: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address3: String,
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    pub country: String,
    pub zipcode: String,
    pub phone_cc: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fax_cc: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fax: String,
}

/// A name on a customer's pre-order list, and when it was put there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preorder {
    pub domain: String,
    pub created: Epoch,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CustomerStatus {
    #[default]
    Active,
    Suspended,
    Deleted,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 3] = [
        CustomerStatus::Active,
        CustomerStatus::Suspended,
        CustomerStatus::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Active => "Active",
            CustomerStatus::Suspended => "Suspended",
            CustomerStatus::Deleted => "Deleted",
        }
    }

    pub fn parse(text: &str) -> Option<CustomerStatus> {
        CustomerStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    InActive,
    Active,
    Suspended,
    PendingDeleteRestorable,
    Deleted,
    Archived,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::InActive,
        OrderStatus::Active,
        OrderStatus::Suspended,
        OrderStatus::PendingDeleteRestorable,
        OrderStatus::Deleted,
        OrderStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::InActive => "InActive",
            OrderStatus::Active => "Active",
            OrderStatus::Suspended => "Suspended",
            OrderStatus::PendingDeleteRestorable => "Pending Delete Restorable",
            OrderStatus::Deleted => "Deleted",
            OrderStatus::Archived => "Archived",
        }
    }

    pub fn parse(text: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Per-product facts of an order, kept as one JSON column so a new product
/// needs no schema change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAttrs {
    /// Backup: gigabytes of storage bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<u32>,
    /// Backup: the server order it was bought for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosting_order_id: Option<OrderId>,
    /// Backup: server orders its agent is installed on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agent_hosts: Vec<OrderId>,
    /// Server: the backup order whose agent is installed on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_agent_of: Option<OrderId>,
    /// Business Email: the accounts the order holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_accounts: Option<u32>,
    /// Business Email: its mailboxes, lists and mail domain settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<crate::mailboxes::MailDomain>,
    /// Managed Server: its add-ons, each with an id of its own in the order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<OrderAddon>,
    /// Domain: its name servers, contacts and protections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<DomainAttrs>,
    /// The months of the term last bought: what auto-renewal buys again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_months: Option<u32>,
    /// What time has done to the current term (`lifecycle`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<crate::lifecycle::Lifecycle>,
    /// When the order was deleted: it is Archived 30 days later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<crate::time::Epoch>,
    /// SSL certificate: its request and, once issued, the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl: Option<crate::certificates::Certificate>,
    /// Reseller hosting: its WHM license key, once generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_key: Option<String>,
    /// Hosting: its site is in maintenance mode (`enable-maintenance`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub maintenance: bool,
    /// Hosting: the plan a pending `modify` moves the order to when it executes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_plan: Option<PlanId>,
    /// The action being provisioned, under realistic provisioning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning: Option<crate::provisioning::InProgress>,
}

/// A host name under a domain that the registry publishes with its addresses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildNameServer {
    pub host: String,
    pub ips: Vec<String>,
}

/// What a domain order holds beyond its name and term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainAttrs {
    pub ns: Vec<String>,
    /// The contacts of its four roles; None where its TLD takes none (`-1`).
    pub registrant: Option<ContactId>,
    pub admin: Option<ContactId>,
    pub tech: Option<ContactId>,
    pub billing: Option<ContactId>,
    /// Whether privacy protection was bought, and whether it is on.
    #[serde(default)]
    pub privacy_bought: bool,
    #[serde(default)]
    pub privacy_on: bool,
    /// The transfer secret (`domsecret`).
    #[serde(default)]
    pub auth_code: String,
    /// Theft protection: the registry refuses to transfer the name away.
    #[serde(default)]
    pub transfer_lock: bool,
    /// The NIXI verification round of .in, third-level .in and .bharat.
    #[serde(default)]
    pub nixi: Option<crate::nixi::Nixi>,
    /// Child name servers: host names under the domain, each with its
    /// addresses, in the order added.
    #[serde(default)]
    pub cns: Vec<ChildNameServer>,
    /// GDPR protection of the contacts' details in WHOIS: on unless turned
    /// off (`domains/gdpr/disable`). Stored as its negation so that orders
    /// kept before it existed read as protected.
    #[serde(default)]
    pub gdpr_off: bool,
    /// A transfer in from another registrar, while it is in progress.
    #[serde(default)]
    pub transfer_in: Option<crate::transfer_in::TransferIn>,
    /// ICANN's verification of the registrant of a generic TLD.
    #[serde(default)]
    pub raa: Option<crate::raa::Raa>,
    /// A change of registrant waiting for both registrants' approval.
    #[serde(default)]
    pub irtp: Option<crate::irtp::Irtp>,
    /// Locked against transfer until then after a registrant change.
    #[serde(default)]
    pub sixty_day_lock_until: Option<Epoch>,
    /// When the domain was deleted: it may be restored for 30 days.
    #[serde(default)]
    pub deleted: Option<Epoch>,
    /// Its zone, while its DNS is hosted here (`dns/activate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<crate::dns::Zone>,
    /// Its web forwarding, while on (`domainforward/activate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<crate::forwarding::Forwarding>,
    /// A .tel registrant's WHOIS preference (`tel/modify-whois-pref`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tel_whois: Option<crate::domains::TelWhois>,
    /// A .xxx registrant's membership id in the sponsored community
    /// (`dotxxx/association-details`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xxx_association: Option<String>,
    /// Its DS records at the registry (`add-dnssec`), in the order added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dnssec: Vec<crate::domains::DsRecord>,
    /// The reseller's lock (`reseller-lock/add`): no change until removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller_lock: Option<crate::domains::ResellerLock>,
}

/// An add-on of an order: `addon-id` and its name, such as `whmcs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAddon {
    pub id: u32,
    pub name: String,
}

impl OrderAttrs {
    /// Adds add-ons by name, each with the next free id.
    pub fn add_addons(&mut self, names: &[String]) {
        for name in names {
            let id = self.addons.iter().map(|a| a.id).max().unwrap_or(0) + 1;
            self.addons.push(OrderAddon {
                id,
                name: name.clone(),
            });
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub product: Product,
    pub plan_id: PlanId,
    /// The order name: a domain name, or the backup's name.
    pub description: String,
    pub status: OrderStatus,
    pub auto_renew: bool,
    pub created: Epoch,
    /// When the paid term ends; equal to `created` until the add executes.
    pub endtime: Epoch,
    pub attrs: OrderAttrs,
}

impl Order {
    /// What the order's price counts: gigabytes of a backup, accounts of a
    /// Business Email order, else one.
    pub fn units(&self) -> u32 {
        match self.product.pricing() {
            Pricing::PerGb => self.attrs.storage_gb.unwrap_or(1),
            Pricing::PerAccountSlab => self.attrs.email_accounts.unwrap_or(1),
            Pricing::PerOrder | Pricing::PerYear => 1,
        }
    }

    /// Sets the units, and the plan that goes with them (an email slab).
    pub fn set_units(&mut self, units: u32) {
        match self.product.pricing() {
            Pricing::PerGb => self.attrs.storage_gb = Some(units),
            Pricing::PerAccountSlab => self.attrs.email_accounts = Some(units),
            Pricing::PerOrder | Pricing::PerYear => {}
        }
        self.plan_id = crate::catalogue::plan_for_units(self.product, self.plan_id, units);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Add,
    Renew,
    Delete,
    AddStorage,
    AddEmailAccount,
    DeleteEmailAccount,
    AddAddon,
    DeleteAddon,
    Suspend,
    Unsuspend,
    ModifyNameServers,
    ModifyContacts,
    ModifyTransferLock,
    ModifyPrivacy,
    ModifyAuthCode,
    AddChildNameServer,
    ModifyChildNameServerName,
    ModifyChildNameServerIp,
    DeleteChildNameServerIp,
    ModifyGdpr,
    /// A domain's own names for adding, renewing and deleting its order,
    /// as the vendor's replies spell them (`AddNewDomain`, ...).
    RegisterDomain,
    RenewDomain,
    DeleteDomain,
    /// A domain brought in from another registrar.
    TransferDomain,
    /// A deleted domain brought back within its redemption period.
    RestoreDomain,
    /// A hosting order moved to another plan (`modify`).
    Modify,
    AddDnssec,
    DeleteDnssec,
    AddResellerLock,
    RemoveResellerLock,
    /// A .uk domain released to another registrar's tag (`uk/release`).
    ReleaseDomain,
    /// A .tel registrant's WHOIS preference changed.
    ModifyTelWhois,
}

impl ActionKind {
    pub const ALL: [ActionKind; 32] = [
        ActionKind::Add,
        ActionKind::Renew,
        ActionKind::Delete,
        ActionKind::AddStorage,
        ActionKind::AddEmailAccount,
        ActionKind::DeleteEmailAccount,
        ActionKind::AddAddon,
        ActionKind::DeleteAddon,
        ActionKind::Suspend,
        ActionKind::Unsuspend,
        ActionKind::ModifyNameServers,
        ActionKind::ModifyContacts,
        ActionKind::ModifyTransferLock,
        ActionKind::ModifyPrivacy,
        ActionKind::ModifyAuthCode,
        ActionKind::AddChildNameServer,
        ActionKind::ModifyChildNameServerName,
        ActionKind::ModifyChildNameServerIp,
        ActionKind::DeleteChildNameServerIp,
        ActionKind::ModifyGdpr,
        ActionKind::RegisterDomain,
        ActionKind::RenewDomain,
        ActionKind::DeleteDomain,
        ActionKind::TransferDomain,
        ActionKind::RestoreDomain,
        ActionKind::Modify,
        ActionKind::AddDnssec,
        ActionKind::DeleteDnssec,
        ActionKind::AddResellerLock,
        ActionKind::RemoveResellerLock,
        ActionKind::ReleaseDomain,
        ActionKind::ModifyTelWhois,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Add => "Add",
            ActionKind::Renew => "Renew",
            ActionKind::Delete => "Delete",
            ActionKind::AddStorage => "AddStorage",
            ActionKind::AddEmailAccount => "AddEmailAccount",
            ActionKind::DeleteEmailAccount => "DeleteEmailAccount",
            ActionKind::AddAddon => "AddAddon",
            ActionKind::DeleteAddon => "DeleteAddon",
            ActionKind::Suspend => "Suspend",
            ActionKind::Unsuspend => "Unsuspend",
            ActionKind::ModifyNameServers => "ModNS",
            ActionKind::ModifyContacts => "ModContact",
            ActionKind::ModifyTransferLock => "ModTransferLock",
            ActionKind::ModifyPrivacy => "ModPrivacyProtection",
            ActionKind::ModifyAuthCode => "ModDomainSecret",
            ActionKind::AddChildNameServer => "AddCNS",
            ActionKind::ModifyChildNameServerName => "ModCNSName",
            ActionKind::ModifyChildNameServerIp => "ModCNSIp",
            ActionKind::DeleteChildNameServerIp => "DelCNSIp",
            ActionKind::ModifyGdpr => "ModGDPRProtection",
            ActionKind::RegisterDomain => "AddNewDomain",
            ActionKind::RenewDomain => "RenewDomain",
            ActionKind::DeleteDomain => "DelDomain",
            ActionKind::TransferDomain => "AddTransferDomain",
            ActionKind::RestoreDomain => "RestoreDomain",
            ActionKind::Modify => "Modify",
            ActionKind::AddDnssec => "AddDNSSEC",
            ActionKind::DeleteDnssec => "DelDNSSEC",
            ActionKind::AddResellerLock => "AddResellerLock",
            ActionKind::RemoveResellerLock => "RemoveResellerLock",
            ActionKind::ReleaseDomain => "ReleaseDomain",
            ActionKind::ModifyTelWhois => "ModTelWhoisPref",
        }
    }

    pub fn parse(text: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    /// Waiting for its invoice to be paid (or for a forced execution).
    PendingExecution,
    /// Paid, and waiting for provisioning to start (`provisioning`).
    InvoicePaid,
    /// Paid and under way at the registry: a transfer in, until it
    /// completes or is cancelled; or being provisioned (`provisioning`).
    ExecutionStarted,
    Success,
    Failed,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::PendingExecution,
        ActionStatus::InvoicePaid,
        ActionStatus::ExecutionStarted,
        ActionStatus::Success,
        ActionStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::PendingExecution => "PendingExecution",
            ActionStatus::InvoicePaid => "InvoicePaid",
            ActionStatus::ExecutionStarted => "ExecutionStarted",
            ActionStatus::Success => "Success",
            ActionStatus::Failed => "Failed",
        }
    }

    pub fn parse(text: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// The action id (`eaqid`).
    pub id: ActionId,
    pub order_id: OrderId,
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub kind: ActionKind,
    /// A sentence such as `Addition of Acronis Backup for ... for 12 months`.
    pub description: String,
    pub status: ActionStatus,
    pub status_desc: String,
    pub invoice_id: Option<InvoiceId>,
    pub months: u32,
    /// The order's units when the action has executed, where it changes
    /// them: gigabytes of a backup, accounts of a Business Email order.
    pub units: Option<u32>,
    /// Add-ons the action adds to the order when it executes, by name.
    pub addons: Vec<String>,
    /// The auto-renew setting the action applies when it executes.
    pub auto_renew: Option<bool>,
    /// What the customer is billed, after the discount.
    pub selling: Money,
    pub discount: Money,
    /// What the reseller is charged when the action executes.
    pub cost: Money,
    /// What each reseller above it is charged with it, from its parent up
    /// (`costs::Costs`): each pays the one above it, the top one the platform.
    pub upstream: Vec<(ResellerId, Money)>,
    pub created: Epoch,
    pub executed: Option<Epoch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceStatus {
    Unpaid,
    Paid,
    Cancelled,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Unpaid => "Unpaid",
            InvoiceStatus::Paid => "Paid",
            InvoiceStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceStatus> {
        [
            InvoiceStatus::Unpaid,
            InvoiceStatus::Paid,
            InvoiceStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub order_id: OrderId,
    pub amount: Money,
    pub status: InvoiceStatus,
    pub description: String,
    pub created: Epoch,
}

/// A ledger account. Reseller and customer accounts hold money that belongs
/// to them and may never go below zero; the others are the platform's books.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Account {
    /// The reseller's prepaid funds with the platform.
    Reseller(ResellerId),
    /// A customer's funds held by its reseller.
    Customer(CustomerId),
    /// What a reseller's customers have paid it through invoices.
    Earnings(ResellerId),
    /// What the platform has charged resellers for executed actions.
    PlatformRevenue,
    /// Money that came in from outside (reseller top-ups, customer receipts).
    External,
}

impl Account {
    /// What every customer account's key starts with, before its id.
    pub const CUSTOMER_PREFIX: &'static str = "customer:";

    pub fn key(self) -> String {
        match self {
            Account::Reseller(id) => format!("reseller:{id}"),
            Account::Customer(id) => format!("{}{id}", Account::CUSTOMER_PREFIX),
            Account::Earnings(id) => format!("earnings:{id}"),
            Account::PlatformRevenue => "platform:revenue".to_string(),
            Account::External => "external".to_string(),
        }
    }

    /// Whether the ledger may never show this account below zero.
    pub fn must_stay_non_negative(key: &str) -> bool {
        key.starts_with("reseller:") || key.starts_with(Account::CUSTOMER_PREFIX)
    }
}

/// A customer token of `customers/generate-token` (a login with the
/// customer's password) or `generate-login-token` (issued by the reseller).
/// Only the token's digest is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// SHA-256 of the token, hex.
    pub digest: String,
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub kind: TokenKind,
    pub created: Epoch,
    pub expires: Epoch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// From `generate-token`: the customer proved its password.
    Session,
    /// From `generate-login-token`: the reseller signs its customer in.
    Login,
    /// From `temp-password`: a password that signs the customer in for
    /// three days (its digest names the customer too), never a token.
    TempPassword,
    /// From `resellers/generate-token`: a reseller's own session (the
    /// token's customer is none, 0).
    ResellerSession,
    /// From `resellers/temp-password`: a sub-reseller's password for
    /// three days, kept as `TempPassword` is.
    ResellerTempPassword,
    /// From `customers/authenticate/generate-otp`: a one-time code sent to
    /// the customer, its digest naming the customer.
    Otp,
    /// A one-time code used up by `verify-otp` (its digest made from the
    /// code's), so that it verifies once.
    OtpUsed,
}

impl TokenKind {
    pub const ALL: [TokenKind; 7] = [
        TokenKind::Session,
        TokenKind::Login,
        TokenKind::TempPassword,
        TokenKind::ResellerSession,
        TokenKind::ResellerTempPassword,
        TokenKind::Otp,
        TokenKind::OtpUsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Session => "session",
            TokenKind::Login => "login",
            TokenKind::TempPassword => "temp-password",
            TokenKind::ResellerSession => "reseller-session",
            TokenKind::ResellerTempPassword => "reseller-temp-password",
            TokenKind::Otp => "otp",
            TokenKind::OtpUsed => "otp-used",
        }
    }

    pub fn parse(text: &str) -> Option<TokenKind> {
        TokenKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether a token of this kind signs a customer in.
    pub fn signs_in_customer(self) -> bool {
        matches!(self, TokenKind::Session | TokenKind::Login)
    }
}

/// A domain contact of a customer: the registrant, admin, tech or billing
/// party of its domains. A deleted contact stays, `Deleted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    /// `Contact`, or a registry's own kind such as `UkContact`.
    pub kind: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub address1: String,
    pub address2: String,
    pub address3: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub zip: String,
    pub phone_cc: String,
    pub phone: String,
    pub fax_cc: String,
    pub fax: String,
    /// Registry attributes (`attr-nameN`/`attr-valueN`), in order.
    pub attributes: Vec<(String, String)>,
    pub status: ContactStatus,
    pub created: Epoch,
}

/// A customer's default contacts of one kind: what `contacts/default`
/// answers and `contacts/modDefault` sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultContacts {
    pub customer_id: CustomerId,
    pub kind: String,
    pub registrant: ContactId,
    pub admin: ContactId,
    pub tech: ContactId,
    pub billing: ContactId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactStatus {
    Active,
    Deleted,
}

impl ContactStatus {
    pub const ALL: [ContactStatus; 2] = [ContactStatus::Active, ContactStatus::Deleted];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactStatus::Active => "Active",
            ContactStatus::Deleted => "Deleted",
        }
    }

    pub fn parse(text: &str) -> Option<ContactStatus> {
        ContactStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A mail the platform sent, kept so that the sandbox can show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub id: i64,
    pub reseller_id: ResellerId,
    pub customer_id: Option<CustomerId>,
    pub order_id: Option<OrderId>,
    pub recipient: String,
    /// What it is about, such as `forgot-password`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created: Epoch,
}

impl Mail {
    /// A mail to `recipient` about `order`, from its reseller to its customer.
    pub fn about_order(
        order: &Order,
        recipient: String,
        kind: &str,
        subject: String,
        body: String,
        now: Epoch,
    ) -> Mail {
        Mail {
            id: 0,
            reseller_id: order.reseller_id,
            customer_id: Some(order.customer_id),
            order_id: Some(order.id),
            recipient,
            kind: kind.to_string(),
            subject,
            body,
            created: now,
        }
    }
}

/// How a customer invoice is handled for an action (API-NOTES §3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InvoiceOption {
    /// No invoice: the reseller pays, the customer is not billed.
    #[default]
    NoInvoice,
    /// Paid at once from the customer's funds, or refused.
    PayInvoice,
    /// Invoiced; the action runs, the invoice waits.
    KeepInvoice,
    /// Invoiced; the action waits for the invoice to be paid.
    OnlyAdd,
}

impl InvoiceOption {
    pub const ALL: [InvoiceOption; 4] = [
        InvoiceOption::NoInvoice,
        InvoiceOption::PayInvoice,
        InvoiceOption::KeepInvoice,
        InvoiceOption::OnlyAdd,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceOption::NoInvoice => "NoInvoice",
            InvoiceOption::PayInvoice => "PayInvoice",
            InvoiceOption::KeepInvoice => "KeepInvoice",
            InvoiceOption::OnlyAdd => "OnlyAdd",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceOption> {
        InvoiceOption::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

impl std::str::FromStr for InvoiceOption {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<InvoiceOption, String> {
        InvoiceOption::parse(text).ok_or_else(|| {
            format!("{text:?} is none of NoInvoice, PayInvoice, KeepInvoice, OnlyAdd")
        })
    }
}
