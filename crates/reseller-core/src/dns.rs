//! DNS hosting of a domain order: its zone (an SOA and the records the
//! customer adds through `dns/manage/*`), kept with the order, and the rules
//! a DNS operator holds records to. The server's DNS listener answers the
//! zones of Active domain orders from here.

use crate::domain::DomainName;
use crate::domains::PRODUCTS;
use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::model::{Order, OrderStatus};
use crate::orders;
use crate::time::{Epoch, civil_date};
use crate::tx::{ReadTx, WriteTx};
use serde::{Deserialize, Serialize};

/// A record's type, as the calls name it in their paths and in replies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordType {
    A,
    Aaaa,
    Cname,
    Mx,
    Ns,
    Txt,
    Srv,
}

impl RecordType {
    pub const ALL: [RecordType; 7] = [
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Cname,
        RecordType::Mx,
        RecordType::Ns,
        RecordType::Txt,
        RecordType::Srv,
    ];

    /// The type's name in DNS and in `search-records` (`A`, `AAAA`, ...).
    pub fn name(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Mx => "MX",
            RecordType::Ns => "NS",
            RecordType::Txt => "TXT",
            RecordType::Srv => "SRV",
        }
    }

    /// The word of its calls' paths (`add-ipv4-record`, `add-mx-record`).
    pub fn path_word(self) -> &'static str {
        match self {
            RecordType::A => "ipv4",
            RecordType::Aaaa => "ipv6",
            RecordType::Cname => "cname",
            RecordType::Mx => "mx",
            RecordType::Ns => "ns",
            RecordType::Txt => "txt",
            RecordType::Srv => "srv",
        }
    }

    pub fn from_name(name: &str) -> Option<RecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }
}

/// One record of a zone. `host` is relative to the zone: empty at its apex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub kind: RecordType,
    pub host: String,
    pub value: String,
    pub ttl: u32,
    /// MX and SRV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u16>,
    /// SRV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u16>,
}

impl Record {
    /// Whether this is the record a call names by type, host and value.
    fn is(&self, kind: RecordType, host: &str, value: &str) -> bool {
        self.kind == kind && self.host == host && self.value.eq_ignore_ascii_case(value)
    }
}

/// The zone's SOA, as `update-soa-record` sets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Soa {
    /// The mailbox of the person responsible, as an address.
    pub responsible_person: String,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    /// The SOA's own TTL, also the negative-answer TTL.
    pub ttl: u32,
}

/// A domain's hosted zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// Moves on every change: the date it changed and a count within it
    /// (`YYYYMMDDnn`), or one more than before when that is larger.
    pub serial: u32,
    pub soa: Soa,
    pub records: Vec<Record>,
}

/// TTL of a record added without one, in seconds (the vendor's default).
pub const DEFAULT_TTL: u32 = 14_400;
/// The lowest TTL taken: the vendor's (public clients refuse less).
pub const MIN_TTL: u32 = 7_200;
/// The highest TTL taken: a week.
pub const MAX_TTL: u32 = 604_800;
/// Priority of an MX record added without one.
pub const DEFAULT_MX_PRIORITY: u16 = 10;

impl Zone {
    fn new(now: Epoch) -> Zone {
        Zone {
            serial: serial_after(0, now),
            soa: Soa {
                responsible_person: "hostmaster@reseller.example".to_string(),
                refresh: 7_200,
                retry: 7_200,
                expire: 172_800,
                ttl: DEFAULT_TTL,
            },
            records: Vec::new(),
        }
    }

    fn changed(&mut self, now: Epoch) {
        self.serial = serial_after(self.serial, now);
    }
}

/// The serial after `serial` at `now`: today's first (`YYYYMMDD00`), or one
/// more than `serial` when that is later.
fn serial_after(serial: u32, now: Epoch) -> u32 {
    let (year, month, day) = civil_date(now);
    let today = u32::try_from(year).unwrap_or(0) * 1_000_000 + month * 10_000 + day * 100;
    today.max(serial.saturating_add(1))
}

/// What `dns/activate` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activated {
    pub order_id: OrderId,
    /// The zone's id: its order's (one zone a domain).
    pub zone_id: OrderId,
}

/// Starts DNS hosting of a domain order of the reseller's: an empty zone
/// with the platform's SOA. Activating an active zone changes nothing.
pub fn activate(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    now: Epoch,
) -> Result<Activated> {
    let mut order = active_domain(tx, reseller_id, order_id)?;
    let domain = order.attrs.domain.get_or_insert_with(Default::default);
    if domain.dns.is_none() {
        domain.dns = Some(Zone::new(now));
        tx.update_order(&order)?;
    }
    Ok(Activated {
        order_id,
        zone_id: order_id,
    })
}

/// An Active domain order of the reseller's, by id: what DNS hosting and
/// forwarding are started for.
pub fn active_domain(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Order> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    if order.status != OrderStatus::Active {
        return Err(RuleError::DnsOrderNotActive {
            order_id,
            status: order.status.as_str(),
        }
        .into());
    }
    Ok(order)
}

/// The id of the reseller's newest domain order of `name`, or `Website
/// doesn't exist for <name>`: how the calls that take `domain-name` find
/// their order.
pub fn domain_named(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    name: &DomainName,
) -> Result<OrderId> {
    let found = tx.order_id_by_description(reseller_id, PRODUCTS, name.as_str())?;
    Ok(found.ok_or_else(|| RuleError::NoWebsite(name.to_string()))?)
}

/// The hosted zone of the reseller's domain `name`.
pub fn zone(tx: &mut dyn ReadTx, reseller_id: ResellerId, name: &DomainName) -> Result<Zone> {
    let mut order = zone_order(tx, reseller_id, name)?;
    Ok(zone_mut(&mut order).clone())
}

/// The reseller's Active domain order of `name` with a hosted zone.
fn zone_order(tx: &mut dyn ReadTx, reseller_id: ResellerId, name: &DomainName) -> Result<Order> {
    let order_id = domain_named(tx, reseller_id, name)?;
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    let active = order.status == OrderStatus::Active;
    if !active
        || order
            .attrs
            .domain
            .as_ref()
            .and_then(|d| d.dns.as_ref())
            .is_none()
    {
        return Err(RuleError::DnsNotActive(name.to_string()).into());
    }
    Ok(order)
}

fn zone_mut(order: &mut Order) -> &mut Zone {
    order
        .attrs
        .domain
        .as_mut()
        .and_then(|d| d.dns.as_mut())
        .expect("zone_order found a zone")
}

/// Refuses a record the zone cannot hold beside its others: a duplicate, a
/// CNAME beside anything else of its host, or anything beside a CNAME.
fn check_fits(zone: &Zone, record: &Record, replacing: Option<usize>) -> Result<()> {
    let others = zone
        .records
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != replacing)
        .map(|(_, r)| r)
        .filter(|r| r.host == record.host);
    for other in others {
        if other.is(record.kind, &record.host, &record.value) {
            return Err(RuleError::DnsRecordExists {
                kind: record.kind.name(),
                host: shown_host(&record.host),
                value: record.value.clone(),
            }
            .into());
        }
        if record.kind == RecordType::Cname || other.kind == RecordType::Cname {
            return Err(RuleError::DnsCnameAlone(shown_host(&record.host)).into());
        }
    }
    Ok(())
}

/// A host as replies and refusals show it: `@` for the apex.
pub fn shown_host(host: &str) -> String {
    if host.is_empty() {
        "@".to_string()
    } else {
        host.to_string()
    }
}

/// Adds a record to the zone of the reseller's domain `name`.
pub fn add_record(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    name: &DomainName,
    record: &Record,
    now: Epoch,
) -> Result<()> {
    let mut order = zone_order(tx, reseller_id, name)?;
    if record.kind == RecordType::Cname && record.host.is_empty() {
        return Err(RuleError::DnsCnameAtApex.into());
    }
    let zone = zone_mut(&mut order);
    check_fits(zone, record, None)?;
    zone.records.push(record.clone());
    zone.changed(now);
    tx.update_order(&order)?;
    Ok(())
}

/// A record changed in place: which one (type, host and current value),
/// its new value, and the fields given; the others keep theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordUpdate {
    pub kind: RecordType,
    pub host: String,
    pub current_value: String,
    pub new_value: String,
    pub ttl: Option<u32>,
    pub priority: Option<u16>,
    pub port: Option<u16>,
    pub weight: Option<u16>,
}

/// Changes one record of the zone of the reseller's domain `name`.
pub fn update_record(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    name: &DomainName,
    update: &RecordUpdate,
    now: Epoch,
) -> Result<()> {
    let mut order = zone_order(tx, reseller_id, name)?;
    let zone = zone_mut(&mut order);
    let at = find(zone, update.kind, &update.host, &update.current_value)?;
    let old = &zone.records[at];
    let new = Record {
        value: update.new_value.clone(),
        ttl: update.ttl.unwrap_or(old.ttl),
        priority: update.priority.or(old.priority),
        port: update.port.or(old.port),
        weight: update.weight.or(old.weight),
        ..old.clone()
    };
    check_fits(zone, &new, Some(at))?;
    zone.records[at] = new;
    zone.changed(now);
    tx.update_order(&order)?;
    Ok(())
}

fn find(zone: &Zone, kind: RecordType, host: &str, value: &str) -> Result<usize> {
    zone.records
        .iter()
        .position(|r| r.is(kind, host, value))
        .ok_or_else(|| {
            RuleError::DnsRecordNotFound {
                kind: kind.name(),
                host: shown_host(host),
                value: value.to_string(),
            }
            .into()
        })
}

/// Deletes the records of a host with a value: of one type, or of any
/// (`dns/manage/delete-record`). None found is refused.
pub fn delete_record(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    name: &DomainName,
    kind: Option<RecordType>,
    host: &str,
    value: &str,
    now: Epoch,
) -> Result<()> {
    let mut order = zone_order(tx, reseller_id, name)?;
    let zone = zone_mut(&mut order);
    let before = zone.records.len();
    zone.records.retain(|r| {
        !(kind.is_none_or(|k| k == r.kind) && r.host == host && r.value.eq_ignore_ascii_case(value))
    });
    if zone.records.len() == before {
        return Err(RuleError::DnsRecordNotFound {
            kind: kind.map_or("DNS", RecordType::name),
            host: shown_host(host),
            value: value.to_string(),
        }
        .into());
    }
    zone.changed(now);
    tx.update_order(&order)?;
    Ok(())
}

/// Sets the zone's SOA fields.
pub fn update_soa(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    name: &DomainName,
    soa: &Soa,
    now: Epoch,
) -> Result<()> {
    let mut order = zone_order(tx, reseller_id, name)?;
    let zone = zone_mut(&mut order);
    zone.soa = soa.clone();
    zone.changed(now);
    tx.update_order(&order)?;
    Ok(())
}

/// The zone a DNS query for `name` falls in: the Active domain order whose
/// name is `name` or ends it, longest first, if it hosts its DNS here.
pub fn zone_for(tx: &mut dyn ReadTx, name: &str) -> Result<Option<(String, Zone)>> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let mut candidate = name.as_str();
    loop {
        let order_id = tx.live_order_named(crate::catalogue::Product::Domain, candidate)?;
        if let Some(order) = order_id.map(|id| tx.order(id)).transpose()?.flatten() {
            let zone = order.attrs.domain.and_then(|d| d.dns);
            if let (OrderStatus::Active, Some(zone)) = (order.status, zone) {
                return Ok(Some((candidate.to_string(), zone)));
            }
        }
        match candidate.split_once('.') {
            Some((_, rest)) if rest.contains('.') => candidate = rest,
            _ => return Ok(None),
        }
    }
}
