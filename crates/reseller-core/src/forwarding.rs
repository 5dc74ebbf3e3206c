//! Domain forwarding (`domainforward/*`): a domain order's web address sent
//! on to another URL, by redirect or inside a frame (URL masking), for the
//! domain itself and for sub-domains. Kept with the order; the server's HTTP
//! listener serves it to requests whose `Host` is a forwarded name.

use crate::domain::DomainName;
use crate::domains::PRODUCTS;
use crate::error::{Result, RuleError};
use crate::ids::{OrderId, ResellerId};
use crate::model::{Order, OrderStatus};
use crate::orders;
use crate::tx::{ReadTx, WriteTx};
use serde::{Deserialize, Serialize};

/// Where one name is forwarded, and how.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forward {
    /// The destination URL; none until `manage` sets one.
    #[serde(default)]
    pub to: Option<String>,
    /// Serve a page that frames the destination instead of redirecting.
    #[serde(default)]
    pub url_masking: bool,
    /// `<meta>` tags of the masking page.
    #[serde(default)]
    pub meta_tags: String,
    /// The masking page's text for browsers without frames.
    #[serde(default)]
    pub noframes: String,
    /// Keep the path (and query) asked for, after the destination's.
    #[serde(default)]
    pub path_forwarding: bool,
}

/// A domain's forwarding: its own, whether every sub-domain follows it,
/// and sub-domains forwarded elsewhere, in the order set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    pub domain: Forward,
    #[serde(default)]
    pub sub_domain_forwarding: bool,
    #[serde(default)]
    pub sub_domains: Vec<(String, Forward)>,
}

/// What `domainforward/manage` changes: each field given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    /// A sub-domain's record to set instead of the domain's own.
    pub sub_domain: Option<String>,
    pub to: Option<String>,
    pub url_masking: Option<bool>,
    pub meta_tags: Option<String>,
    pub noframes: Option<String>,
    pub path_forwarding: Option<bool>,
    pub sub_domain_forwarding: Option<bool>,
}

fn forwarding_of(order: &Order) -> Option<&Forwarding> {
    order
        .attrs
        .domain
        .as_ref()
        .and_then(|d| d.forwarding.as_ref())
}

fn not_active(order: &Order) -> RuleError {
    RuleError::ForwardingNotActive(order.description.clone())
}

/// Starts forwarding of an Active domain order of the reseller's (to no
/// destination yet). Activating again changes nothing.
pub fn activate(tx: &mut dyn WriteTx, reseller_id: ResellerId, order_id: OrderId) -> Result<Order> {
    let mut order = crate::dns::active_domain(tx, reseller_id, order_id)?;
    let domain = order.attrs.domain.get_or_insert_with(Default::default);
    if domain.forwarding.is_none() {
        domain.forwarding = Some(Forwarding::default());
        tx.update_order(&order)?;
    }
    Ok(order)
}

/// The reseller's Active domain order with forwarding on, by id.
pub fn forwarded_order(
    tx: &mut dyn ReadTx,
    reseller_id: ResellerId,
    order_id: OrderId,
) -> Result<Order> {
    let order = orders::order_of_product(tx, reseller_id, order_id, PRODUCTS)?;
    if order.status != OrderStatus::Active || forwarding_of(&order).is_none() {
        return Err(not_active(&order).into());
    }
    Ok(order)
}

fn forwarding_mut(order: &mut Order) -> &mut Forwarding {
    order
        .attrs
        .domain
        .as_mut()
        .and_then(|d| d.forwarding.as_mut())
        .expect("forwarded_order found forwarding")
}

/// Sets what `change` gives, on the domain or on one sub-domain (added if
/// new, starting from no destination).
pub fn manage(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    change: &Change,
) -> Result<()> {
    let mut order = forwarded_order(tx, reseller_id, order_id)?;
    let forwarding = forwarding_mut(&mut order);
    if let Some(on) = change.sub_domain_forwarding {
        forwarding.sub_domain_forwarding = on;
    }
    let forward = match &change.sub_domain {
        None => &mut forwarding.domain,
        Some(prefix) => {
            let at = match forwarding.sub_domains.iter().position(|(p, _)| p == prefix) {
                Some(at) => at,
                None => {
                    forwarding
                        .sub_domains
                        .push((prefix.clone(), Forward::default()));
                    forwarding.sub_domains.len() - 1
                }
            };
            &mut forwarding.sub_domains[at].1
        }
    };
    if let Some(to) = &change.to {
        forward.to = Some(to.clone());
    }
    if let Some(on) = change.url_masking {
        forward.url_masking = on;
    }
    if let Some(tags) = &change.meta_tags {
        forward.meta_tags = tags.clone();
    }
    if let Some(text) = &change.noframes {
        forward.noframes = text.clone();
    }
    if let Some(on) = change.path_forwarding {
        forward.path_forwarding = on;
    }
    tx.update_order(&order)?;
    Ok(())
}

/// Ends forwarding of the reseller's domain `name`.
pub fn delete(tx: &mut dyn WriteTx, reseller_id: ResellerId, name: &DomainName) -> Result<()> {
    let order_id = crate::dns::domain_named(tx, reseller_id, name)?;
    let mut order = forwarded_order(tx, reseller_id, order_id)?;
    if let Some(domain) = order.attrs.domain.as_mut() {
        domain.forwarding = None;
    }
    tx.update_order(&order)?;
    Ok(())
}

/// Removes one sub-domain's forwarding record.
pub fn delete_sub_domain(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    order_id: OrderId,
    prefix: &str,
) -> Result<()> {
    let mut order = forwarded_order(tx, reseller_id, order_id)?;
    let name = order.description.clone();
    let forwarding = forwarding_mut(&mut order);
    let before = forwarding.sub_domains.len();
    forwarding.sub_domains.retain(|(p, _)| p != prefix);
    if forwarding.sub_domains.len() == before {
        return Err(RuleError::NoSubDomainForward {
            prefix: prefix.to_string(),
            name,
        }
        .into());
    }
    tx.update_order(&order)?;
    Ok(())
}

/// Where a request for `host` (lower-case, no port) goes, if it is a
/// forwarded name of an Active domain order: the domain itself, one of its
/// sub-domains with a record of its own, or any sub-domain when
/// sub-domain forwarding is on. `None` when it is no such name or has no
/// destination yet.
pub fn target(tx: &mut dyn ReadTx, host: &str) -> Result<Option<Forward>> {
    let host = host.trim_end_matches('.');
    let live = |tx: &mut dyn ReadTx, name: &str| -> Result<Option<Forwarding>> {
        let Some(order_id) = tx.live_order_named(crate::catalogue::Product::Domain, name)? else {
            return Ok(None);
        };
        Ok(tx
            .order(order_id)?
            .filter(|o| o.status == OrderStatus::Active)
            .and_then(|o| o.attrs.domain.and_then(|d| d.forwarding)))
    };
    if let Some(forwarding) = live(tx, host)? {
        return Ok(Some(forwarding.domain).filter(|f| f.to.is_some()));
    }
    // A sub-domain: the longest domain of ours that ends the host.
    let mut rest = host;
    while let Some((_, parent)) = rest.split_once('.') {
        if !parent.contains('.') {
            break;
        }
        if let Some(forwarding) = live(tx, parent)? {
            let prefix = &host[..host.len() - parent.len() - 1];
            let own = forwarding
                .sub_domains
                .iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, f)| f.clone());
            let forward = match own {
                Some(forward) => Some(forward),
                None if forwarding.sub_domain_forwarding => Some(forwarding.domain),
                None => None,
            };
            return Ok(forward.filter(|f| f.to.is_some()));
        }
        rest = parent;
    }
    Ok(None)
}
