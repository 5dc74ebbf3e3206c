//! `domainforward/*`: a domain's forwarding through the API. The rules are
//! in `reseller_core::forwarding`; the HTTP listener (`crate::forward`)
//! serves what these calls set.

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::forwarding::*;
use reseller_core::forwarding::{self, Change, Forward};

pub fn routes(r: &mut Routes) {
    r.call::<Activate, _, _>(activate)
        .call::<Manage, _, _>(manage)
        .call::<Details, _, _>(details)
        .call::<DnsRecords, _, _>(dns_records)
        .call::<Delete, _, _>(delete)
        .call::<DeleteSubDomain, _, _>(delete_sub_domain);
}

fn done(message: String) -> Reply {
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success").text("message", message);
    map.build()
}

async fn activate(call: Call, asked: Activate) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .write(move |tx| forwarding::activate(tx, reseller_id, order_id))
        .await?;
    Ok(done(format!(
        "Domain forwarding activated for {}",
        order.description
    )))
}

async fn manage(call: Call, asked: Manage) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let change = Change {
        sub_domain: asked.sub_domain_prefix.map(|p| p.0),
        to: asked.forward_to.map(|u| u.0),
        url_masking: asked.url_masking,
        meta_tags: asked.meta_tags.map(|m| m.0),
        noframes: asked.noframes.map(|n| n.0),
        path_forwarding: asked.path_forwarding,
        sub_domain_forwarding: asked.sub_domain_forwarding,
    };
    let what = match &change.sub_domain {
        Some(prefix) => format!("sub-domain {prefix} of order {order_id}"),
        None => format!("order {order_id}"),
    };
    call.state
        .store
        .write(move |tx| forwarding::manage(tx, reseller_id, order_id, &change))
        .await?;
    Ok(done(format!("Domain forwarding of {what} updated")))
}

/// One name's forwarding as details show it.
fn forward_map(map: &mut MapReply, forward: &Forward) {
    map.text("forward", forward.to.clone().unwrap_or_default())
        .text("urlmasking", forward.url_masking.to_string())
        .text("pathforwarding", forward.path_forwarding.to_string())
        .text("metatags", forward.meta_tags.clone())
        .text("noframes", forward.noframes.clone());
}

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let order = call
        .state
        .store
        .read(move |tx| forwarding::forwarded_order(tx, reseller_id, order_id))
        .await?;
    let forwarding = order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.forwarding.clone())
        .unwrap_or_default();
    let mut map = MapReply::with_capacity(10);
    map.id("orderid", order.id)
        .text("domainname", order.description.clone())
        .text("ipaddress", crate::forward::address(&call.state.public_url))
        .text(
            "subdomainforwarding",
            forwarding.sub_domain_forwarding.to_string(),
        );
    forward_map(&mut map, &forwarding.domain);
    if asked.include_subdomain == Some(true) {
        let mut subs = MapReply::with_capacity(forwarding.sub_domains.len());
        for (prefix, forward) in &forwarding.sub_domains {
            let mut sub = MapReply::with_capacity(5);
            forward_map(&mut sub, forward);
            subs.put(prefix.clone(), sub.build());
        }
        map.put("subdomains", subs.build());
    }
    Ok(map.build())
}

/// The records that point a domain at the forwarding service: the
/// domain's own address, every sub-domain's when they follow it, and each
/// sub-domain forwarded on its own.
async fn dns_records(call: Call, asked: DnsRecords) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let name = asked.domain_name;
    let order = call
        .state
        .store
        .read(move |tx| {
            let order_id = reseller_core::dns::domain_named(tx, reseller_id, &name)?;
            forwarding::forwarded_order(tx, reseller_id, order_id)
        })
        .await?;
    let forwarding = order
        .attrs
        .domain
        .and_then(|d| d.forwarding)
        .unwrap_or_default();
    let address = crate::forward::address(&call.state.public_url);
    let mut hosts = vec!["@".to_string()];
    if forwarding.sub_domain_forwarding {
        hosts.push("*".to_string());
    }
    hosts.extend(forwarding.sub_domains.iter().map(|(p, _)| p.clone()));
    let records = hosts
        .into_iter()
        .map(|host| {
            let mut record = MapReply::with_capacity(4);
            record
                .text("timetolive", "14400")
                .text("type", "A")
                .text("host", host)
                .text("value", address.clone());
            record.build()
        })
        .collect();
    Ok(Reply::List(records))
}

async fn delete(call: Call, asked: Delete) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let name = asked.domain_name;
    call.state
        .store
        .write(move |tx| forwarding::delete(tx, reseller_id, &name))
        .await?;
    Ok(Reply::Bool(true))
}

async fn delete_sub_domain(call: Call, asked: DeleteSubDomain) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let prefix = asked.sub_domain_prefix.0;
    call.state
        .store
        .write(move |tx| forwarding::delete_sub_domain(tx, reseller_id, order_id, &prefix))
        .await?;
    Ok(Reply::Bool(true))
}
