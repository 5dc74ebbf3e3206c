//! Domain orders: registering a name of a TLD the registry sells, and
//! renewing it with the expiry the caller saw, so that a retried renewal
//! renews nothing. A domain is one order on the shared engine, priced by
//! the year; its plan is its TLD (`catalogue::plan_of_tld`).

use crate::catalogue::{Product, plan_of_tld};
use crate::domain::DomainName;
use crate::error::{Result, RuleError, StoreError};
use crate::ids::{ContactId, CustomerId, OrderId, ResellerId};
use crate::links::{self, Links};
use crate::model::{
    ActionKind, ChildNameServer, ContactStatus, DomainAttrs, OrderAttrs, OrderStatus,
};
use crate::months::Months;
use crate::nixi::Nixi;
use crate::orders::{self, Billing, NewOrder, Receipt, Renewal};
use crate::time::{Epoch, add_months};
use crate::tlds::{self, Availability, TldSpec};
use crate::tx::{ReadTx, WriteTx};
use serde::{Deserialize, Serialize};

pub const PRODUCTS: &[Product] = &[Product::Domain];

/// A registration as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDomain {
    pub reseller_id: ResellerId,
    pub customer_id: CustomerId,
    pub name: DomainName,
    pub years: u32,
    pub setup: Setup,
    pub now: Epoch,
}

/// What a registration and a transfer in set up alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    pub ns: Vec<String>,
    /// Registrant, admin, tech, billing: None for `-1`.
    pub contacts: [Option<ContactId>; 4],
    /// Privacy protection bought with it.
    pub privacy: bool,
    /// Whether that protection is on from the start (`protect-privacy`).
    pub privacy_on: bool,
    pub auto_renew: bool,
    pub billing: Billing,
}

/// The contact roles as the wire names them.
pub const ROLES: [&str; 4] = [
    "reg-contact-id",
    "admin-contact-id",
    "tech-contact-id",
    "billing-contact-id",
];

/// The TLD a name is sold under.
pub fn tld_of(name: &DomainName) -> Result<&'static TldSpec> {
    tlds::split_name(name.as_str())
        .and_then(|(_, tld)| tlds::tld_spec(tld))
        .ok_or_else(|| RuleError::TldNotSold(name.to_string()).into())
}

fn ensure_years(spec: &'static TldSpec, years: u32) -> Result<()> {
    if !(spec.min_years..=spec.max_years).contains(&years) {
        return Err(RuleError::YearsOutOfRange {
            years,
            tld: spec.tld,
            min: spec.min_years,
            max: spec.max_years,
        }
        .into());
    }
    Ok(())
}

/// The email address of a domain's contact in `role`, which a mail about
/// the domain goes to; a domain without it, or a contact gone, is corrupt.
pub(crate) fn contact_email(
    tx: &mut dyn ReadTx,
    contact: Option<ContactId>,
    role: &str,
) -> Result<String> {
    let id =
        contact.ok_or_else(|| StoreError::corrupt(format!("a domain mail without its {role}")))?;
    let contact = tx
        .contact(id)?
        .ok_or_else(|| StoreError::corrupt(format!("a domain's {role} is missing")))?;
    Ok(contact.email)
}

/// The vendor's name of a contact role in its errors.
fn role_key(role: &str) -> &'static str {
    match role {
        "reg-contact-id" => "registrantcontactid",
        "admin-contact-id" => "admincontactid",
        "tech-contact-id" => "techcontactid",
        _ => "billingcontactid",
    }
}

/// Checks the four contacts against what the TLD takes and the customer holds.
pub(crate) fn check_roles(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    contacts: [Option<ContactId>; 4],
    spec: &'static TldSpec,
) -> Result<()> {
    let roles = spec.contacts;
    let takes = [roles.registrant, roles.admin, roles.tech, roles.billing];
    for ((role, taken), given) in ROLES.into_iter().zip(takes).zip(contacts) {
        match (taken, given) {
            (false, None) => {}
            (false, Some(_)) => {
                return Err(RuleError::ContactNotTaken {
                    role,
                    tld: spec.tld,
                }
                .into());
            }
            (true, None) => {
                return Err(RuleError::ContactRequired {
                    role,
                    tld: spec.tld,
                }
                .into());
            }
            (true, Some(id)) => {
                let fit = tx.contact(id)?.is_some_and(|c| {
                    c.reseller_id == reseller_id
                        && c.customer_id == customer_id
                        && c.status == ContactStatus::Active
                });
                if !fit {
                    let key = role_key(role);
                    return Err(RuleError::ContactNotFit { key }.into());
                }
            }
        }
    }
    Ok(())
}

/// Registers a name that is free: sold here, not held elsewhere by the
/// availability rule, and not registered on this platform by anyone; the
/// registrant's verification (NIXI, ICANN) is mailed with its link.
pub fn register(tx: &mut dyn WriteTx, links: &dyn Links, new: &NewDomain) -> Result<Receipt> {
    let spec = tld_of(&new.name)?;
    ensure_years(spec, new.years)?;
    let (sld, tld) = tlds::split_name(new.name.as_str()).expect("a name of a TLD sold");
    match tlds::availability(sld, tld) {
        Availability::Available => {}
        Availability::HeldElsewhere => {
            return Err(RuleError::DomainRegistered(new.name.to_string()).into());
        }
        Availability::Premium(_) => {
            return Err(RuleError::PremiumNotSold(new.name.to_string()).into());
        }
        Availability::Unknown => return Err(RuleError::TldNotSold(new.name.to_string()).into()),
    }
    if new.setup.privacy && !spec.privacy {
        return Err(RuleError::PrivacyNotOffered(spec.tld).into());
    }
    let customer = orders::ordering_customer(tx, new.reseller_id, new.customer_id)?;
    if spec.tld == "coop" && customer.extras.sponsors.is_empty() {
        return Err(RuleError::CoopSponsorMissing(customer.id).into());
    }
    if tx
        .live_order_named(Product::Domain, new.name.as_str())?
        .is_some()
    {
        return Err(RuleError::DomainRegistered(new.name.to_string()).into());
    }
    check_roles(
        tx,
        new.reseller_id,
        new.customer_id,
        new.setup.contacts,
        spec,
    )?;
    let plan_id = plan_of_tld(spec.tld).expect("every TLD sold has its plan");
    let [registrant, admin, tech, billing] = new.setup.contacts;
    let attrs = OrderAttrs {
        domain: Some(DomainAttrs {
            ns: new.setup.ns.clone(),
            registrant,
            admin,
            tech,
            billing,
            privacy_bought: new.setup.privacy,
            privacy_on: new.setup.privacy && new.setup.privacy_on,
            auth_code: String::new(),
            // A new name is locked against transfer away.
            transfer_lock: true,
            nixi: spec.nixi.then(|| Nixi::start(new.now)),
            raa: crate::raa::applies(spec).then(|| crate::raa::Raa::start(new.now)),
            ..DomainAttrs::default()
        }),
        ..OrderAttrs::default()
    };
    let receipt = orders::place_order(
        tx,
        &NewOrder {
            reseller_id: new.reseller_id,
            customer_id: new.customer_id,
            product: Product::Domain,
            plan_id,
            description: new.name.to_string(),
            months: Months::new(new.years * 12).expect("1 to 10 years"),
            units: 1,
            auto_renew: new.setup.auto_renew,
            attrs,
            billing: new.setup.billing,
            now: new.now,
        },
    )?;
    links::mail_started(tx, links, &receipt.order, None, new.now)?;
    Ok(receipt)
}

/// A renewal as asked: `exp_date` is the expiry the caller last saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRenewal {
    pub reseller_id: ResellerId,
    pub order_id: OrderId,
    pub years: u32,
    pub exp_date: Epoch,
    pub auto_renew: Option<bool>,
    /// Privacy protection bought with the renewal, and turned on
    /// (`purchase-privacy`), where the TLD offers it; `false` leaves it as
    /// it is.
    pub privacy: bool,
    pub billing: Billing,
    pub now: Epoch,
}

/// Renews for `years` from the current expiry, if it is still `exp_date`
/// (a retried renewal renews nothing) and the term ends within ten years.
pub fn renew(tx: &mut dyn WriteTx, renewal: &DomainRenewal) -> Result<Receipt> {
    let order = orders::order_of_product(tx, renewal.reseller_id, renewal.order_id, PRODUCTS)?;
    let name = DomainName::parse(&order.description)
        .ok_or_else(|| crate::error::StoreError::corrupt("a domain order without a domain name"))?;
    let spec = tld_of(&name)?;
    ensure_years(spec, renewal.years)?;
    if order.endtime != renewal.exp_date {
        return Err(RuleError::DomainAlreadyRenewed.into());
    }
    if add_months(order.endtime, renewal.years * 12) > add_months(renewal.now, 120) {
        return Err(RuleError::BeyondTenYears.into());
    }
    let mut receipt = orders::renew_order(
        tx,
        &Renewal {
            reseller_id: renewal.reseller_id,
            order_id: renewal.order_id,
            products: PRODUCTS.to_vec(),
            months: Months::new(renewal.years * 12).expect("1 to 10 years"),
            auto_renew: renewal.auto_renew,
            extra_units: 0,
            billing: renewal.billing,
            now: renewal.now,
        },
    )?;
    // Where privacy is not offered the renewal goes ahead without it, and
    // its reply says so (`privacydetails`, as recorded).
    if renewal.privacy && spec.privacy {
        // Privacy is free (`DomainChange::Privacy`).
        if let Some(domain) = receipt.order.attrs.domain.as_mut() {
            domain.privacy_bought = true;
            domain.privacy_on = true;
        }
        tx.update_order(&receipt.order)?;
    }
    Ok(receipt)
}

/// A change to a running domain, made at once as a free action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainChange {
    NameServers(Vec<String>),
    /// Registrant, admin, tech, billing; None for `-1`.
    /// A new registrant of a generic TLD waits for both registrants'
    /// approval (`irtp`); `lock` locks the domain for 60 days once changed.
    Contacts {
        contacts: [Option<ContactId>; 4],
        lock: bool,
        /// The caller approves as both registrants' Designated Agent
        /// (ICANN's transfer policy): a new registrant takes over at once,
        /// no approval mails.
        designated_agent: bool,
    },
    TransferLock(bool),
    Privacy(bool),
    AuthCode(String),
    Gdpr(bool),
    /// A child name server gains these addresses (a new host is added).
    AddChildNameServer {
        host: String,
        ips: Vec<String>,
    },
    RenameChildNameServer {
        old: String,
        new: String,
    },
    ChangeChildNameServerIp {
        host: String,
        old_ip: String,
        new_ip: String,
    },
    /// The address is removed; a host left without any is removed too.
    DeleteChildNameServerIp {
        host: String,
        ip: String,
    },
    /// DS records published at the registry (`add-dnssec`).
    AddDnssec(Vec<DsRecord>),
    /// DS records withdrawn (`del-dnssec`).
    DeleteDnssec(Vec<DsRecord>),
    /// The reseller's lock, with its reason; None removes it.
    ResellerLock(Option<ResellerLock>),
    /// Privacy protection bought for a domain registered without it
    /// (`purchase-privacy`); free here, and on once bought.
    PurchasePrivacy,
    /// A .tel registrant's WHOIS preference (`tel/modify-whois-pref`).
    TelWhois(TelWhois),
    /// A .uk domain released to another registrar's tag (`uk/release`):
    /// it leaves the platform, its zone and forwarding with it.
    ReleaseUk {
        tag: String,
    },
}

/// What WHOIS shows of a .tel registrant: a natural person may keep its
/// details out (`publish` false); a legal person's are always shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelWhois {
    pub natural: bool,
    pub publish: bool,
}

/// The TLDs whose registries take DS records here (the vendor's list).
pub const DNSSEC_TLDS: [&str; 5] = ["com", "in", "me", "net", "org"];

/// A Delegation Signer record of a domain at its registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DsRecord {
    pub keytag: u16,
    pub algorithm: u8,
    /// 1 (SHA-1), 2 (SHA-256), 3 (GOST, .com and .net only).
    pub digest_type: u8,
    /// Upper-case hex: 40 digits for type 1, 64 for types 2 and 3.
    pub digest: String,
}

/// A lock the reseller put on a domain: no change is made until it is
/// removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellerLock {
    pub reason: String,
    /// The reseller who placed it, and its name.
    pub locker_id: ResellerId,
    pub added_by: String,
    pub at: Epoch,
}

/// The first of `hosts` the registry does not know: a host under a name
/// of a TLD sold here that is registered neither here nor elsewhere (by
/// the availability rule). Hosts under other TLDs are taken on trust.
fn first_unknown_host(tx: &mut dyn ReadTx, hosts: &[String]) -> Result<Option<String>> {
    for host in hosts {
        let Some((_, parent)) = host.split_once('.') else {
            continue;
        };
        let Some((sld, tld)) = tlds::split_name(parent) else {
            continue;
        };
        let known = match tlds::availability(sld, tld) {
            Availability::HeldElsewhere | Availability::Unknown => true,
            Availability::Available | Availability::Premium(_) => tx
                .live_order_named(crate::catalogue::Product::Domain, parent)?
                .is_some(),
        };
        if !known {
            return Ok(Some(host.clone()));
        }
    }
    Ok(None)
}

/// Whether `host` is a name under `domain` (`ns1.shop.com` under `shop.com`).
fn under(host: &str, domain: &DomainName) -> bool {
    host.strip_suffix(domain.as_str())
        .is_some_and(|label| label.len() > 1 && label.ends_with('.'))
}

fn child<'a>(attrs: &'a mut DomainAttrs, host: &str) -> Result<&'a mut ChildNameServer> {
    attrs
        .cns
        .iter_mut()
        .find(|c| c.host == host)
        .ok_or_else(|| RuleError::NoChildNameServer.into())
}

/// The refusal of a new child name server outside `domain`: its parent
/// name is held on this platform, or it is not.
fn outside(tx: &mut dyn ReadTx, host: &str) -> Result<RuleError> {
    let parent = host.split_once('.').map_or(host, |(_, rest)| rest);
    Ok(
        match tx.live_order_named(crate::catalogue::Product::Domain, parent)? {
            Some(_) => RuleError::ChildNameServerParentNotYours,
            None => RuleError::ChildNameServerParentElsewhere,
        },
    )
}

/// Refuses DS records a TLD's registry does not take.
fn dnssec_taken(spec: &TldSpec, records: &[DsRecord]) -> Result<()> {
    if !DNSSEC_TLDS.contains(&spec.tld) {
        return Err(RuleError::DnssecNotSupported {
            tld: spec.tld.to_string(),
            allowed: DNSSEC_TLDS.map(|t| format!(".{t}")).join(", "),
        }
        .into());
    }
    let gost = matches!(spec.tld, "com" | "net");
    if let Some(record) = records.iter().find(|r| r.digest_type == 3 && !gost) {
        return Err(RuleError::DigestTypeNotTaken {
            digest_type: record.digest_type,
            tld: spec.tld.to_string(),
            allowed: "1 or 2",
        }
        .into());
    }
    Ok(())
}

/// Makes `change` to an Active domain of this reseller with no action
/// pending; a change that starts a verification or a registrant change's
/// approvals mails them with their links.
pub fn modify(
    tx: &mut dyn WriteTx,
    links: &dyn Links,
    reseller_id: ResellerId,
    order_id: OrderId,
    change: &DomainChange,
    now: Epoch,
) -> Result<Receipt> {
    let mut order = orders::order_to_change(tx, reseller_id, order_id, PRODUCTS)?;
    let before = order.clone();
    let name = DomainName::parse(&order.description)
        .ok_or_else(|| crate::error::StoreError::corrupt("a domain order without a domain name"))?;
    let spec = tld_of(&name)?;
    let mut attrs = order.attrs.domain.clone().unwrap_or_default();
    if let (Some(lock), false) = (
        &attrs.reseller_lock,
        matches!(change, DomainChange::ResellerLock(_)),
    ) {
        return Err(RuleError::ResellerLocked {
            order_id,
            reason: lock.reason.clone(),
        }
        .into());
    }
    // Whether this change starts a registrant change that waits for approval.
    let mut waits = false;
    let (kind, sentence) = match change {
        DomainChange::AddDnssec(records) => {
            dnssec_taken(spec, records)?;
            for record in records {
                if attrs.dnssec.iter().any(|r| r.keytag == record.keytag) {
                    return Err(RuleError::DsRecordExists(record.keytag).into());
                }
                attrs.dnssec.push(record.clone());
            }
            (
                ActionKind::AddDnssec,
                format!("Addition of DS records of {name}"),
            )
        }
        DomainChange::DeleteDnssec(records) => {
            for record in records {
                let before = attrs.dnssec.len();
                attrs.dnssec.retain(|r| r != record);
                if attrs.dnssec.len() == before {
                    return Err(RuleError::NoDsRecord(record.keytag).into());
                }
            }
            (
                ActionKind::DeleteDnssec,
                format!("Deletion of DS records of {name}"),
            )
        }
        DomainChange::ResellerLock(lock) => match (lock, &attrs.reseller_lock) {
            (Some(_), Some(_)) => return Err(RuleError::ResellerLockedAlready(order_id).into()),
            (None, None) => return Err(RuleError::NoResellerLock(order_id).into()),
            (Some(lock), None) => {
                attrs.reseller_lock = Some(lock.clone());
                (
                    ActionKind::AddResellerLock,
                    format!("Reseller lock of {name}: {}", lock.reason),
                )
            }
            (None, Some(_)) => {
                attrs.reseller_lock = None;
                (
                    ActionKind::RemoveResellerLock,
                    format!("Removal of the reseller lock of {name}"),
                )
            }
        },
        DomainChange::NameServers(ns) => {
            if *ns == attrs.ns {
                return Err(RuleError::SameNameServers.into());
            }
            let sentence = format!("Modification of name servers of {name}");
            if let Some(missing) = first_unknown_host(tx, ns)? {
                // Accepted, then refused by the registry, as the real
                // service does: the action fails and nothing changes.
                let reason = format!("{missing} is not a valid Nameserver");
                return orders::run_failed(
                    tx,
                    order,
                    ActionKind::ModifyNameServers,
                    sentence,
                    reason,
                    now,
                );
            }
            attrs.ns = ns.clone();
            (
                ActionKind::ModifyNameServers,
                format!("Modification of name servers of {name}"),
            )
        }
        DomainChange::Contacts {
            contacts,
            lock,
            designated_agent,
        } => {
            if attrs
                .irtp
                .as_ref()
                .is_some_and(|c| c.task_status(now) == "PENDING")
            {
                return Err(RuleError::RegistrantChangePending.into());
            }
            check_roles(tx, reseller_id, order.customer_id, *contacts, spec)?;
            let [mut registrant, mut admin, mut tech, mut billing] = *contacts;
            let irtp = registrant != attrs.registrant && crate::irtp::applies(spec.tld);
            if irtp && *designated_agent && *lock {
                // Approved already: the lock a completed change sets.
                attrs.transfer_lock = true;
                attrs.sixty_day_lock_until = Some(now + crate::irtp::LOCK_SECONDS);
            }
            if let Some(proposed) = registrant.filter(|_| irtp && !*designated_agent) {
                // The contacts change once both registrants approve.
                let others = [admin, tech, billing];
                attrs.irtp = Some(crate::irtp::Irtp::start(proposed, others, *lock, now));
                waits = true;
                (registrant, admin, tech, billing) =
                    (attrs.registrant, attrs.admin, attrs.tech, attrs.billing);
            }
            // A new registrant must verify afresh (NIXI, ICANN).
            if registrant != attrs.registrant {
                if spec.nixi {
                    attrs.nixi = Some(Nixi::start(now));
                }
                if crate::raa::applies(spec) {
                    attrs.raa = Some(crate::raa::Raa::start(now));
                }
            }
            (attrs.registrant, attrs.admin, attrs.tech, attrs.billing) =
                (registrant, admin, tech, billing);
            (
                ActionKind::ModifyContacts,
                format!("Modification of contacts of {name}"),
            )
        }
        DomainChange::TransferLock(on) => {
            attrs.transfer_lock = *on;
            let what = if *on { "Enabling" } else { "Disabling" };
            (
                ActionKind::ModifyTransferLock,
                format!("{what} theft protection of {name}"),
            )
        }
        DomainChange::Privacy(on) => {
            if !spec.privacy {
                return Err(RuleError::PrivacyNotOffered(spec.tld).into());
            }
            // Privacy is free: turning it on buys it (WWW-LogicBoxes' tests).
            attrs.privacy_bought |= *on;
            attrs.privacy_on = *on;
            let what = if *on { "Enabling" } else { "Disabling" };
            (
                ActionKind::ModifyPrivacy,
                format!("{what} privacy protection of {name}"),
            )
        }
        DomainChange::TelWhois(whois) => {
            if spec.tld != "tel" {
                return Err(RuleError::NotOfTld {
                    order_id,
                    tld: "tel",
                }
                .into());
            }
            attrs.tel_whois = Some(*whois);
            let shown = if whois.publish { "shown" } else { "withheld" };
            let person = if whois.natural { "natural" } else { "legal" };
            (
                ActionKind::ModifyTelWhois,
                format!("WHOIS preference of {name}: a {person} person, details {shown}"),
            )
        }
        DomainChange::ReleaseUk { tag } => {
            if !spec.tld.ends_with("uk") {
                return Err(RuleError::NotOfTld {
                    order_id,
                    tld: "uk",
                }
                .into());
            }
            attrs.dns = None;
            attrs.forwarding = None;
            (
                ActionKind::ReleaseDomain,
                format!("Release of {name} to registrar tag {tag}"),
            )
        }
        DomainChange::PurchasePrivacy => {
            if !spec.privacy {
                return Err(RuleError::PrivacyNotOffered(spec.tld).into());
            }
            if attrs.privacy_bought {
                return Err(RuleError::PrivacyBoughtAlready(order_id).into());
            }
            attrs.privacy_bought = true;
            attrs.privacy_on = true;
            (
                ActionKind::ModifyPrivacy,
                format!("Purchase of privacy protection for {name}"),
            )
        }
        DomainChange::AddChildNameServer { host, ips } => {
            if !under(host, &name) {
                return Err(RuleError::ChildNameServerOutside.into());
            }
            match attrs.cns.iter_mut().find(|c| c.host == *host) {
                Some(existing) => {
                    if ips.iter().any(|ip| existing.ips.contains(ip)) {
                        return Err(RuleError::IpAddressExists.into());
                    }
                    existing.ips.extend(ips.iter().cloned());
                }
                None => attrs.cns.push(ChildNameServer {
                    host: host.clone(),
                    ips: ips.clone(),
                }),
            }
            (
                ActionKind::AddChildNameServer,
                format!("Addition of child name server {host} of {name}"),
            )
        }
        DomainChange::RenameChildNameServer { old, new } => {
            if old == new {
                return Err(RuleError::SameChildNameServer.into());
            }
            let Some(renamed) = attrs.cns.iter().position(|c| c.host == *old) else {
                return Err(RuleError::NoOldChildNameServer.into());
            };
            if !under(new, &name) {
                return Err(outside(tx, new)?.into());
            }
            if attrs.cns.iter().any(|c| c.host == *new) {
                return Err(RuleError::ChildNameServerExists.into());
            }
            attrs.cns[renamed].host = new.clone();
            (
                ActionKind::ModifyChildNameServerName,
                format!("Renaming of child name server {old} to {new} of {name}"),
            )
        }
        DomainChange::ChangeChildNameServerIp {
            host,
            old_ip,
            new_ip,
        } => {
            if old_ip == new_ip {
                return Err(RuleError::SameIpAddress.into());
            }
            let cns = child(&mut attrs, host)?;
            if cns.ips.contains(new_ip) {
                return Err(RuleError::IpAddressExists.into());
            }
            let slot = cns
                .ips
                .iter_mut()
                .find(|ip| *ip == old_ip)
                .ok_or(RuleError::NoOldIpAddress)?;
            *slot = new_ip.clone();
            (
                ActionKind::ModifyChildNameServerIp,
                format!("Modification of the address of child name server {host} of {name}"),
            )
        }
        DomainChange::DeleteChildNameServerIp { host, ip } => {
            let cns = child(&mut attrs, host)?;
            let before = cns.ips.len();
            cns.ips.retain(|i| i != ip);
            if cns.ips.len() == before {
                return Err(RuleError::NoIpAddress(ip.clone()).into());
            }
            attrs.cns.retain(|c| !c.ips.is_empty());
            (
                ActionKind::DeleteChildNameServerIp,
                format!("Deletion of an address of child name server {host} of {name}"),
            )
        }
        DomainChange::Gdpr(on) => {
            attrs.gdpr_off = !*on;
            let what = if *on { "Enabling" } else { "Disabling" };
            (
                ActionKind::ModifyGdpr,
                format!("{what} GDPR protection of {name}"),
            )
        }
        DomainChange::AuthCode(code) => {
            attrs.auth_code = code.clone();
            (
                ActionKind::ModifyAuthCode,
                format!("Modification of the domain secret of {name}"),
            )
        }
    };
    order.attrs.domain = Some(attrs);
    let receipt = if waits {
        // The change waits for both registrants: its action says so, and
        // the change keeps which action the approvals or the expiry settle.
        let action = orders::insert_waiting(tx, &order, kind, sentence, crate::irtp::WAITING, now)?;
        if let Some(change) = order.attrs.domain.as_mut().and_then(|d| d.irtp.as_mut()) {
            change.action_id = Some(action.id);
        }
        tx.update_order(&order)?;
        Receipt {
            order,
            action,
            invoice: None,
        }
    } else {
        orders::run_free(tx, order, kind, sentence, None, now)?
    };
    links::mail_started(tx, links, &receipt.order, Some(&before), now)?;
    Ok(receipt)
}

/// How long a deleted domain may be restored: the registries' redemption
/// period.
pub const REDEMPTION_SECONDS: i64 = 30 * 86_400;

/// Deletes a domain at once, noting when: it may be restored for 30 days.
/// A transfer in progress is cancelled instead (`transfer_in::cancel`).
pub fn delete(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<Receipt> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    if order
        .attrs
        .domain
        .as_ref()
        .is_some_and(|d| d.transfer_in.is_some())
    {
        return Err(RuleError::TransferInProgress(order_id).into());
    }
    let mut receipt = orders::delete_order(tx, reseller_id, order_id, PRODUCTS, now)?;
    if let Some(domain) = receipt.order.attrs.domain.as_mut() {
        domain.deleted = Some(now);
        // Its zone and forwarding go with it: a restored domain activates
        // them afresh.
        domain.dns = None;
        domain.forwarding = None;
    }
    tx.update_order(&receipt.order)?;
    Ok(receipt)
}

/// A restore as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restoration {
    pub reseller_id: ResellerId,
    pub order_id: OrderId,
    pub billing: Billing,
    pub now: Epoch,
}

/// Brings back a domain deleted within its redemption period, at the TLD's
/// restore price, if nobody has registered the name since. It keeps what
/// is left of its term; a term that has run out gets a year from today.
/// Until the restore is paid the order is InActive, holding the name.
pub fn restore(tx: &mut dyn WriteTx, restoration: &Restoration) -> Result<Receipt> {
    let (reseller_id, order_id, now) = (
        restoration.reseller_id,
        restoration.order_id,
        restoration.now,
    );
    let mut order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    let deleted = order.attrs.domain.as_ref().and_then(|d| d.deleted);
    // Deleted by its reseller, or in redemption after expiry.
    let deleted = match (order.status, deleted) {
        (OrderStatus::Archived, _) => return Err(RuleError::RestorePeriodOver(order_id).into()),
        (OrderStatus::Deleted | OrderStatus::PendingDeleteRestorable, Some(at)) => at,
        _ => {
            return Err(RuleError::RestoreNotDeleted {
                order_id,
                status: order.status.as_str(),
            }
            .into());
        }
    };
    if now > deleted + REDEMPTION_SECONDS {
        return Err(RuleError::RestorePeriodOver(order_id).into());
    }
    let holder = tx.live_order_named(Product::Domain, &order.description)?;
    if holder.is_some_and(|id| id != order_id) {
        return Err(RuleError::DomainRegistered(order.description).into());
    }
    orders::ordering_customer(tx, reseller_id, order.customer_id)?;
    // The name is held again from now: InActive until the restore runs.
    order.status = OrderStatus::InActive;
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.deleted = None;
    }
    tx.update_order(&order)?;
    orders::restore_order(tx, order, restoration.billing, now)
}

/// The .de registry's check of a domain's name servers (`de/recheck-ns`):
/// at least two, each a host the registry knows. Answers the first
/// reason it fails, or None when the zone is taken.
pub fn recheck_de_name_servers(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Option<String>> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    let name = DomainName::parse(&order.description)
        .ok_or_else(|| StoreError::corrupt("a domain order without a domain name"))?;
    if tld_of(&name)?.tld != "de" {
        return Err(RuleError::NotOfTld {
            order_id,
            tld: "de",
        }
        .into());
    }
    let ns = order.attrs.domain.map(|d| d.ns).unwrap_or_default();
    if ns.len() < 2 {
        return Ok(Some(format!(
            "{} name server(s); the registry needs two",
            ns.len()
        )));
    }
    Ok(first_unknown_host(tx, &ns)?.map(|host| format!("{host} does not resolve")))
}

/// A .xxx domain's membership id in its sponsored community: set to
/// `association` when one is given; answers the id kept, if any.
pub fn xxx_association(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    association: Option<String>,
) -> Result<Option<String>> {
    let mut order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    if !order.description.ends_with(".xxx") {
        return Err(RuleError::NotOfTld {
            order_id,
            tld: "xxx",
        }
        .into());
    }
    let Some(association) = association else {
        return Ok(order.attrs.domain.and_then(|d| d.xxx_association));
    };
    orders::ensure_changeable(tx, &order)?;
    let domain = order.attrs.domain.get_or_insert_with(Default::default);
    domain.xxx_association = Some(association.clone());
    tx.update_order(&order)?;
    Ok(Some(association))
}
