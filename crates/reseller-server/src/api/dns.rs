//! `dns/*`: a domain's hosted zone through the API. The rules are in
//! `reseller_core::dns`; the DNS listener (`crate::dns_server`) answers
//! what these calls change.

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::dns::*;
use reseller_core::DomainName;
use reseller_core::dns::{
    self, DEFAULT_MX_PRIORITY, DEFAULT_TTL, Record, RecordType, RecordUpdate, Soa,
};
use reseller_core::tx::Found;

pub fn routes(r: &mut Routes) {
    r.call::<Activate, _, _>(activate)
        .call::<AddIpv4, _, _>(|c, a: AddIpv4| {
            add(
                c,
                a.domain_name,
                plain(RecordType::A, a.host, a.value.0.to_string(), a.ttl),
            )
        })
        .call::<AddIpv6, _, _>(|c, a: AddIpv6| {
            add(
                c,
                a.domain_name,
                plain(RecordType::Aaaa, a.host, a.value.0.to_string(), a.ttl),
            )
        })
        .call::<AddCname, _, _>(|c, a: AddCname| {
            add(
                c,
                a.domain_name,
                plain(RecordType::Cname, a.host, a.value.0, a.ttl),
            )
        })
        .call::<AddNs, _, _>(|c, a: AddNs| {
            add(
                c,
                a.domain_name,
                plain(RecordType::Ns, a.host, a.value.0, a.ttl),
            )
        })
        .call::<AddTxt, _, _>(|c, a: AddTxt| {
            add(
                c,
                a.domain_name,
                plain(RecordType::Txt, a.host, a.value.0, a.ttl),
            )
        })
        .call::<AddMx, _, _>(|c, a: AddMx| {
            let mut record = plain(RecordType::Mx, a.host, a.value.0, a.ttl);
            record.priority = Some(a.priority.map_or(DEFAULT_MX_PRIORITY, short));
            add(c, a.domain_name, record)
        })
        .call::<AddSrv, _, _>(|c, a: AddSrv| {
            let mut record = plain(
                RecordType::Srv,
                Some(RecordHost(a.host.0)),
                a.value.0,
                a.ttl,
            );
            record.priority = Some(short(a.priority));
            record.port = Some(short(a.port));
            record.weight = Some(short(a.weight));
            add(c, a.domain_name, record)
        })
        .call::<UpdateIpv4, _, _>(|c, a: UpdateIpv4| {
            let (current, new) = (a.current_value.0.to_string(), a.new_value.0.to_string());
            update(
                c,
                a.domain_name,
                RecordType::A,
                a.host,
                current,
                new,
                a.ttl,
                Extra::default(),
            )
        })
        .call::<UpdateIpv6, _, _>(|c, a: UpdateIpv6| {
            let (current, new) = (a.current_value.0.to_string(), a.new_value.0.to_string());
            update(
                c,
                a.domain_name,
                RecordType::Aaaa,
                a.host,
                current,
                new,
                a.ttl,
                Extra::default(),
            )
        })
        .call::<UpdateCname, _, _>(|c, a: UpdateCname| {
            let (current, new) = (a.current_value.0, a.new_value.0);
            update(
                c,
                a.domain_name,
                RecordType::Cname,
                a.host,
                current,
                new,
                a.ttl,
                Extra::default(),
            )
        })
        .call::<UpdateNs, _, _>(|c, a: UpdateNs| {
            let (current, new) = (a.current_value.0, a.new_value.0);
            update(
                c,
                a.domain_name,
                RecordType::Ns,
                a.host,
                current,
                new,
                a.ttl,
                Extra::default(),
            )
        })
        .call::<UpdateTxt, _, _>(|c, a: UpdateTxt| {
            let (current, new) = (a.current_value.0, a.new_value.0);
            update(
                c,
                a.domain_name,
                RecordType::Txt,
                a.host,
                current,
                new,
                a.ttl,
                Extra::default(),
            )
        })
        .call::<UpdateMx, _, _>(|c, a: UpdateMx| {
            let (current, new) = (a.current_value.0, a.new_value.0);
            let extra = Extra {
                priority: a.priority.map(short),
                ..Extra::default()
            };
            update(
                c,
                a.domain_name,
                RecordType::Mx,
                a.host,
                current,
                new,
                a.ttl,
                extra,
            )
        })
        .call::<UpdateSrv, _, _>(|c, a: UpdateSrv| {
            let (current, new) = (a.current_value.0, a.new_value.0);
            let extra = Extra {
                priority: a.priority.map(short),
                port: a.port.map(short),
                weight: a.weight.map(short),
            };
            let host = Some(RecordHost(a.host.0));
            update(
                c,
                a.domain_name,
                RecordType::Srv,
                host,
                current,
                new,
                a.ttl,
                extra,
            )
        })
        .call::<DeleteIpv4, _, _>(|c, a: DeleteIpv4| {
            delete(
                c,
                a.domain_name,
                Some(RecordType::A),
                a.host,
                a.value.0.to_string(),
            )
        })
        .call::<DeleteIpv6, _, _>(|c, a: DeleteIpv6| {
            delete(
                c,
                a.domain_name,
                Some(RecordType::Aaaa),
                a.host,
                a.value.0.to_string(),
            )
        })
        .call::<DeleteCname, _, _>(|c, a: DeleteCname| {
            delete(c, a.domain_name, Some(RecordType::Cname), a.host, a.value.0)
        })
        .call::<DeleteNs, _, _>(|c, a: DeleteNs| {
            delete(c, a.domain_name, Some(RecordType::Ns), a.host, a.value.0)
        })
        .call::<DeleteTxt, _, _>(|c, a: DeleteTxt| {
            delete(c, a.domain_name, Some(RecordType::Txt), a.host, a.value.0)
        })
        .call::<DeleteMx, _, _>(|c, a: DeleteMx| {
            delete(c, a.domain_name, Some(RecordType::Mx), a.host, a.value.0)
        })
        .call::<DeleteSrv, _, _>(|c, a: DeleteSrv| {
            let host = Some(RecordHost(a.host.0));
            delete(c, a.domain_name, Some(RecordType::Srv), host, a.value.0)
        })
        .call::<DeleteRecord, _, _>(|c, a: DeleteRecord| {
            delete(
                c,
                a.domain_name,
                a.record_type.map(|t| t.0),
                a.host,
                a.value,
            )
        })
        .call::<UpdateSoa, _, _>(update_soa)
        .call::<SearchRecords, _, _>(search_records);
}

fn short(count: Short16) -> u16 {
    u16::try_from(count.0).unwrap_or(u16::MAX)
}

/// A record of a type whose value is one field.
fn plain(kind: RecordType, host: Option<RecordHost>, value: String, ttl: Option<Ttl>) -> Record {
    Record {
        kind,
        host: host.map(|h| h.0).unwrap_or_default(),
        value,
        ttl: ttl.map_or(DEFAULT_TTL, |t| t.0),
        priority: None,
        port: None,
        weight: None,
    }
}

/// What an MX or SRV update sets beside the value; unset fields keep theirs.
#[derive(Clone, Copy, Default)]
struct Extra {
    priority: Option<u16>,
    port: Option<u16>,
    weight: Option<u16>,
}

fn done(message: String) -> Reply {
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success").text("msg", message);
    map.build()
}

async fn activate(call: Call, asked: Activate) -> Result<Reply, ApiError> {
    let (reseller_id, order_id, now) = (call.reseller_id, asked.order_id, call.now);
    let activated = call
        .state
        .store
        .write(move |tx| dns::activate(tx, reseller_id, order_id, now))
        .await?;
    let mut map = MapReply::with_capacity(4);
    map.text("status", "Success")
        .text("msg", "DNS service activated")
        .id("zoneid", activated.zone_id)
        .id("orderid", activated.order_id);
    Ok(map.build())
}

async fn add(call: Call, name: DomainName, record: Record) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let message = format!(
        "{} record {} added to {}",
        record.kind.name(),
        dns::shown_host(&record.host),
        name
    );
    call.state
        .store
        .write(move |tx| dns::add_record(tx, reseller_id, &name, &record, now))
        .await?;
    Ok(done(message))
}

/// Changes a record: its value, and its TTL and MX or SRV fields where given.
#[allow(clippy::too_many_arguments)]
async fn update(
    call: Call,
    name: DomainName,
    kind: RecordType,
    host: Option<RecordHost>,
    current_value: String,
    new_value: String,
    ttl: Option<Ttl>,
    extra: Extra,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let host = host.map(|h| h.0).unwrap_or_default();
    let message = format!(
        "{} record {} of {} updated",
        kind.name(),
        dns::shown_host(&host),
        name
    );
    let update = RecordUpdate {
        kind,
        host,
        current_value,
        new_value,
        ttl: ttl.map(|t| t.0),
        priority: extra.priority,
        port: extra.port,
        weight: extra.weight,
    };
    call.state
        .store
        .write(move |tx| dns::update_record(tx, reseller_id, &name, &update, now))
        .await?;
    Ok(done(message))
}

async fn delete(
    call: Call,
    name: DomainName,
    kind: Option<RecordType>,
    host: Option<RecordHost>,
    value: String,
) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let host = host.map(|h| h.0).unwrap_or_default();
    let message = format!(
        "{} record {} of {} deleted",
        kind.map_or("DNS", RecordType::name),
        dns::shown_host(&host),
        name
    );
    call.state
        .store
        .write(move |tx| dns::delete_record(tx, reseller_id, &name, kind, &host, &value, now))
        .await?;
    Ok(done(message))
}

async fn update_soa(call: Call, asked: UpdateSoa) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let name = asked.domain_name;
    let message = format!("SOA record of {name} updated");
    let soa = Soa {
        responsible_person: asked.responsible_person.0,
        refresh: asked.refresh.0,
        retry: asked.retry.0,
        expire: asked.expire.0,
        ttl: asked.ttl.0,
    };
    call.state
        .store
        .write(move |tx| dns::update_soa(tx, reseller_id, &name, &soa, now))
        .await?;
    Ok(done(message))
}

/// A page of the zone's records of one type, optionally of one host and
/// with a value containing the one given (ignoring case), in the order added.
async fn search_records(call: Call, asked: SearchRecords) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let name = asked.domain_name;
    let zone = call
        .state
        .store
        .read(move |tx| dns::zone(tx, reseller_id, &name))
        .await?;
    let kind = asked.record_type.0;
    let wanted_value = asked.value.map(|v| v.to_ascii_lowercase());
    let matching: Vec<&Record> = zone
        .records
        .iter()
        .filter(|r| r.kind == kind)
        .filter(|r| asked.host.as_ref().is_none_or(|h| h.0 == r.host))
        .filter(|r| {
            wanted_value
                .as_ref()
                .is_none_or(|v| r.value.to_ascii_lowercase().contains(v.as_str()))
        })
        .collect();
    let page = asked.page.of_store();
    let records: Vec<&Record> = matching
        .iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(page.records as usize)
        .copied()
        .collect();
    let found = Found {
        total: matching.len() as u64,
        records,
    };
    Ok(super::search_page(&found, |r| {
        let mut map = MapReply::with_capacity(8);
        map.text("timetolive", r.ttl.to_string())
            .text("status", "Active")
            .text("type", r.kind.name())
            .text("host", dns::shown_host(&r.host))
            .text("value", r.value.clone());
        if let Some(priority) = r.priority {
            map.text("priority", priority.to_string());
        }
        if let Some(port) = r.port {
            map.text("port", port.to_string());
        }
        if let Some(weight) = r.weight {
            map.text("weight", weight.to_string());
        }
        map
    }))
}
