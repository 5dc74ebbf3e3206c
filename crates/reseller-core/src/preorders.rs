//! Pre-orders (`domains/preordering/*`): a customer's wish list of names
//! in TLDs that have not opened for registration, kept until they open.
//! No TLD sold here is waiting to open; the catalogue's upcoming TLDs
//! ([`UPCOMING_TLDS`]) are the ones a wish list may name.

use crate::domain::DomainName;
use crate::error::{Result, RuleError};
use crate::ids::{CustomerId, ResellerId};
use crate::model::Preorder;
use crate::time::Epoch;
use crate::tx::{CustomerQuery, Found, Page, SearchTx, WriteTx};

/// A TLD not yet open for registration, and the vendor's category for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpcomingTld {
    pub tld: &'static str,
    pub category: &'static str,
}

/// The TLDs a wish list may name: delegated to no registry that sells them
/// yet.
pub const UPCOMING_TLDS: [UpcomingTld; 1] = [UpcomingTld {
    tld: "web",
    category: "generic",
}];

/// The upcoming TLD of a name, if it is in one.
pub fn upcoming_tld(name: &DomainName) -> Option<&'static str> {
    let tld = name.as_str().rsplit('.').next()?;
    UPCOMING_TLDS.iter().find(|u| u.tld == tld).map(|u| u.tld)
}

/// Puts names on a customer's wish list; a name already there stays as it
/// was. Answers each name with what became of it.
pub fn add(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    names: &[DomainName],
    now: Epoch,
) -> Result<Vec<(String, &'static str)>> {
    let mut customer = crate::accounts::live_customer(tx, reseller_id, customer_id)?;
    for name in names {
        if upcoming_tld(name).is_none() {
            return Err(RuleError::NotPreorderable(name.as_str().to_string()).into());
        }
    }
    let mut outcome = Vec::with_capacity(names.len());
    for name in names {
        let list = &mut customer.extras.preorders;
        if list.iter().any(|p| p.domain == name.as_str()) {
            outcome.push((name.as_str().to_string(), "AlreadyAdded"));
        } else {
            list.push(Preorder {
                domain: name.as_str().to_string(),
                created: now,
            });
            outcome.push((name.as_str().to_string(), "Success"));
        }
    }
    tx.update_customer(&customer)?;
    Ok(outcome)
}

/// Takes names off a customer's wish list; a name not on it is refused,
/// and then nothing is taken off.
pub fn delete(
    tx: &mut dyn WriteTx,
    reseller_id: ResellerId,
    customer_id: CustomerId,
    names: &[DomainName],
) -> Result<()> {
    let mut customer = crate::accounts::live_customer(tx, reseller_id, customer_id)?;
    let list = &mut customer.extras.preorders;
    for name in names {
        if !list.iter().any(|p| p.domain == name.as_str()) {
            return Err(RuleError::NotPreordered {
                domain: name.as_str().to_string(),
                customer_id,
            }
            .into());
        }
    }
    list.retain(|p| !names.iter().any(|n| n.as_str() == p.domain));
    tx.update_customer(&customer)?;
    Ok(())
}

/// What `preordering/fetch` filters on; every filter given must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreorderQuery {
    pub reseller_id: ResellerId,
    pub customer_id: Option<CustomerId>,
    /// Second-level labels, whole.
    pub slds: Vec<String>,
    pub tlds: Vec<String>,
    pub created_from: Option<Epoch>,
    pub created_to: Option<Epoch>,
    pub page: Page,
}

/// The most customers a fetch reads.
const FETCHED_CUSTOMERS: u32 = 100_000;

/// The reseller's customers' wished names that match, by customer then
/// as they were added; a page of them.
pub fn fetch(tx: &mut dyn SearchTx, q: &PreorderQuery) -> Result<Found<(CustomerId, Preorder)>> {
    if let Some(customer_id) = q.customer_id {
        crate::orders::customer_of(tx, q.reseller_id, customer_id)?;
    }
    let customers = tx.search_customers(&CustomerQuery {
        reseller_id: q.reseller_id,
        customer_ids: q.customer_id.into_iter().collect(),
        usernames: Vec::new(),
        name: None,
        company: None,
        city: None,
        state: None,
        created_from: None,
        created_to: None,
        receipts_from: None,
        receipts_to: None,
        statuses: Vec::new(),
        page: Page {
            records: FETCHED_CUSTOMERS,
            number: 1,
        },
    })?;
    let mut matching: Vec<(CustomerId, Preorder)> = Vec::new();
    let mut customers = customers.records;
    customers.sort_by_key(|c| c.id);
    for customer in customers {
        for wish in &customer.extras.preorders {
            let (sld, tld) = wish.domain.split_once('.').unwrap_or((&wish.domain, ""));
            let fits = (q.slds.is_empty() || q.slds.iter().any(|s| s == sld))
                && (q.tlds.is_empty() || q.tlds.iter().any(|t| t == tld))
                && q.created_from.is_none_or(|t| wish.created >= t)
                && q.created_to.is_none_or(|t| wish.created <= t);
            if fits {
                matching.push((customer.id, wish.clone()));
            }
        }
    }
    let total = matching.len() as u64;
    let records = matching
        .into_iter()
        .skip(usize::try_from(q.page.offset()).unwrap_or(usize::MAX))
        .take(q.page.records as usize)
        .collect();
    Ok(Found { total, records })
}
