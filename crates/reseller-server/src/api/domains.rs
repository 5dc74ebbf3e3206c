//! Domains (`domains/...`): so far the calls that read the registry, not an
//! order: availability and name suggestions, from the TLD catalogue
//! (`reseller_core::tlds`) and its documented availability rule.

use crate::routes::{Call, Routes};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_core::tlds::{self, Availability};

pub fn routes(r: &mut Routes) {
    r.get("domains/available", |c| Box::pin(available(c)))
        // Third-level names (`domain` under `one.name`) are the same question.
        .get("domains/thirdlevelname/available", |c| {
            Box::pin(available(c))
        })
        .get("domains/v5/suggest-names", |c| Box::pin(suggest_names(c)));
}

/// A second-level label: letters, digits and hyphens, 1 to 63, no hyphen
/// at either end; kept lowercased.
fn label(name: &'static str, value: &str) -> Result<String, ApiError> {
    let lower = value.to_ascii_lowercase();
    let ok = !lower.is_empty()
        && lower.len() <= 63
        && !lower.starts_with('-')
        && !lower.ends_with('-')
        && lower
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        return Err(ApiError::invalid(name, value, Allowed::DomainLabel));
    }
    Ok(lower)
}

/// A TLD as given (`com`, `co.in`), without the dot, lowercased.
fn tld(value: &str) -> Result<String, ApiError> {
    let lower = value.trim_start_matches('.').to_ascii_lowercase();
    let ok = !lower.is_empty()
        && lower.len() <= 63
        && lower
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !ok {
        return Err(ApiError::invalid("tlds", value, Allowed::Tld));
    }
    Ok(lower)
}

/// The registry's key for a TLD: the catalogue's, else `dot` and its last
/// label, as recorded (`domain.one.name` is `dotname`).
fn classkey(tld: &str) -> String {
    match tlds::tld_spec(tld) {
        Some(spec) => spec.classkey.to_string(),
        None => format!("dot{}", tld.rsplit('.').next().unwrap_or(tld)),
    }
}

/// `{"<name>":{"classkey":..,"status":..}}` for every `domain-name` under
/// every `tlds`; a premium name adds `costHash` with its yearly price.
async fn available(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    p.only(&["domain-name", "tlds"])?;
    let labels = p
        .all("domain-name")
        .into_iter()
        .map(|v| label("domain-name", v))
        .collect::<Result<Vec<_>, _>>()?;
    let tlds = p
        .all("tlds")
        .into_iter()
        .map(tld)
        .collect::<Result<Vec<_>, _>>()?;
    if labels.is_empty() {
        return Err(ApiError::MissingParam("domain-name"));
    }
    if tlds.is_empty() {
        return Err(ApiError::MissingParam("tlds"));
    }
    if labels.len() * tlds.len() > MAX_NAMES {
        return Err(ApiError::invalid(
            "domain-name",
            &(labels.len() * tlds.len()).to_string(),
            Allowed::NamesAtOnce(MAX_NAMES),
        ));
    }
    let mut map = MapReply::with_capacity(labels.len() * tlds.len());
    for label in &labels {
        for tld in &tlds {
            let availability = tlds::availability(label, tld);
            let mut entry = MapReply::with_capacity(3);
            entry
                .text("classkey", classkey(tld))
                .text("status", availability.status());
            if let Availability::Premium(price) = availability {
                let mut cost = MapReply::with_capacity(1);
                cost.money("create", price);
                entry.put("costHash", cost.build());
            }
            map.put(format!("{label}.{tld}"), entry.build());
        }
    }
    Ok(map.build())
}

/// Names one availability call checks at most.
const MAX_NAMES: usize = 100;

/// Words a suggestion puts before or after the keyword, best first.
const AROUND: [(&str, &str); 8] = [
    ("", ""),
    ("my", ""),
    ("get", ""),
    ("", "hq"),
    ("the", ""),
    ("", "online"),
    ("best", ""),
    ("", "24"),
];

/// Names made from `keyword` that are available by the rule, under the
/// `tld-only` TLDs or the common ones: `{"<name>":{"status","score","spin","in_ga"}}`.
/// `exact-match=true` keeps the keyword as it is.
async fn suggest_names(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    p.only(&["keyword", "tld-only", "exact-match", "adult"])?;
    let keyword = label("keyword", p.required("keyword")?)?;
    let exact = p.flag("exact-match", false)?;
    p.flag("adult", false)?;
    let mut tlds = p
        .all("tld-only")
        .into_iter()
        .map(tld)
        .collect::<Result<Vec<_>, _>>()?;
    if tlds.is_empty() {
        tlds = ["com", "net", "org", "co", "io", "info"]
            .map(String::from)
            .to_vec();
    }
    let mut map = MapReply::with_capacity(25);
    let mut count = 0;
    let around: &[(&str, &str)] = if exact { &AROUND[..1] } else { &AROUND };
    for (rank, (before, after)) in around.iter().enumerate() {
        let made = format!("{before}{keyword}{after}");
        for (place, tld) in tlds.iter().enumerate() {
            if count == 25 || !matches!(tlds::availability(&made, tld), Availability::Available) {
                continue;
            }
            // Scores fall with the word's rank and the TLD's place: 0.900, 0.880, ...
            let score = 900 - 40 * rank as i64 - 10 * place as i64;
            let mut entry = MapReply::with_capacity(4);
            entry
                .text("status", "available")
                .text("score", format!("0.{:03}", score.max(1)))
                .text("spin", if rank == 0 { "no" } else { "yes" })
                .text("in_ga", "true");
            map.put(format!("{made}.{tld}"), entry.build());
            count += 1;
        }
    }
    Ok(map.build())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_tld_has_its_classkey() {
        for t in &reseller_core::tlds::TLDS {
            assert_eq!(super::classkey(t.tld), t.classkey);
        }
        assert_eq!(super::classkey("name"), "dotname");
        assert_eq!(super::classkey("one.name"), "dotname");
    }
}
