//! Domains (`domains/...`): the calls that read the registry (availability
//! and suggestions, from the TLD catalogue and its documented rule), and
//! domain orders: register, renew with `exp-date`, details with `options`,
//! details by name, orderid, search, delete and restore; transfers in
//! with their companions (`transfer_in` holds their rules).

use super::{
    BILLING, CURRENCY, ORDER_SEARCH, PAGE, PLATFORM_KEY, action_map, billing, domain_name,
    order_record, search_page,
};
use crate::routes::{Call, Kind, Param, Routes, Shape, one_or_more, optional, repeated, required};
use crate::wire::params::ip_address;
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError, Params};
use reseller_core::catalogue::{Product, plan_of_tld};
use reseller_core::domains::{self, DomainChange, DomainRenewal, NewDomain, ROLES, Restoration};
use reseller_core::model::{Action, Contact, DomainAttrs, Order};
use reseller_core::tlds::{self, Availability};
use reseller_core::transfer_in::{self, NewTransfer};
use reseller_core::{ContactId, DomainName, Money, OrderId, RuleError, orders};

pub fn routes(r: &mut Routes) {
    let order = [required("order-id", Kind::Id)];
    let roles = ROLES.map(|role| required(role, Kind::IdOrNone));
    let years = required("years", Kind::Count { min: 1, max: 10 });
    let ns = one_or_more("ns", Kind::Text);
    let ip = required("ip", Kind::Ip);
    let order_of = |name| [required("order-id", Kind::Id), required(name, Kind::Text)];
    r.post("domains/register", |c| Box::pin(register(c)))
        .takes(&[
            required("domain-name", Kind::Text),
            required("customer-id", Kind::Id),
            years,
            ns,
            optional("purchase-privacy", Kind::Flag),
            optional("protect-privacy", Kind::Flag),
            optional("auto-renew", Kind::Flag),
        ])
        .takes(&roles)
        .takes(BILLING)
        .answers(Shape::Action)
        .post("domains/renew", |c| Box::pin(renew(c)))
        .takes(&order)
        .takes(&[
            years,
            required("exp-date", Kind::Time),
            optional("auto-renew", Kind::Flag),
            optional("purchase-privacy", Kind::Flag),
        ])
        .takes(BILLING)
        .answers(Shape::Action)
        .get("domains/details", |c| Box::pin(details(c)))
        .takes(&order)
        .takes(&[DETAIL_OPTIONS])
        .answers(Shape::Fields(DETAILS))
        .get("domains/details-by-name", |c| Box::pin(details_by_name(c)))
        .takes(&[required("domain-name", Kind::Text), DETAIL_OPTIONS])
        .answers(Shape::Fields(DETAILS))
        .get("domains/orderid", |c| Box::pin(order_id(c)))
        .takes(&[required("domain-name", Kind::Text)])
        .answers(Shape::Int)
        .get("domains/search", |c| Box::pin(search(c)))
        .takes(PAGE)
        .takes(ORDER_SEARCH)
        .takes(&[
            repeated("product-key", Kind::OneOf(product_keys)),
            optional("privacy-enabled", Kind::Flag),
        ])
        .answers(Shape::Search)
        .post("domains/delete", |c| Box::pin(delete(c)))
        .takes(&order)
        .answers(Shape::Action)
        .post("domains/restore", |c| Box::pin(restore(c)))
        .takes(&order)
        .takes(BILLING)
        .answers(Shape::Action)
        .post("domains/transfer", |c| Box::pin(transfer(c)))
        .takes(&[
            required("domain-name", Kind::Text),
            required("customer-id", Kind::Id),
            optional("auth-code", Kind::TextUpTo(32)),
            ns,
            optional("purchase-privacy", Kind::Flag),
            optional("protect-privacy", Kind::Flag),
            optional("auto-renew", Kind::Flag),
        ])
        .takes(&roles)
        .takes(BILLING)
        .answers(Shape::Action)
        .post("domains/transfer/submit-auth-code", |c| {
            Box::pin(submit_auth_code(c))
        })
        .takes(&[
            required("order-id", Kind::Id),
            required("auth-code", Kind::TextUpTo(32)),
        ])
        .answers(Shape::Word)
        .post("domains/resend-rfa", |c| Box::pin(resend_rfa(c)))
        .takes(&order)
        .answers(Shape::Bool)
        .post("domains/cancel-transfer", |c| Box::pin(cancel_transfer(c)))
        .takes(&order)
        .answers(Shape::Word)
        .post("domains/modify-ns", |c| Box::pin(modify_ns(c)))
        .takes(&order)
        .takes(&[ns])
        .answers(Shape::Action)
        .post("domains/modify-contact", |c| Box::pin(modify_contact(c)))
        .takes(&order)
        .takes(&roles)
        .takes(&[optional("sixty-day-lock-optout", Kind::Flag)])
        .answers(Shape::Action)
        .post("domains/enable-theft-protection", |c| {
            Box::pin(theft_protection(c, true))
        })
        .takes(&order)
        .answers(Shape::Action)
        .post("domains/disable-theft-protection", |c| {
            Box::pin(theft_protection(c, false))
        })
        .takes(&order)
        .answers(Shape::Action)
        .get("domains/locks", |c| Box::pin(locks(c)))
        .takes(&order)
        .answers(Shape::Fields(&["transferlock", "customerlock"]))
        .post("domains/modify-privacy-protection", |c| {
            Box::pin(modify_privacy(c))
        })
        .takes(&order)
        .takes(&[
            required("protect-privacy", Kind::Flag),
            required("reason", Kind::Text),
        ])
        .answers(Shape::Action)
        .post("domains/modify-auth-code", |c| {
            Box::pin(modify_auth_code(c))
        })
        .takes(&[
            required("order-id", Kind::Id),
            required("auth-code", Kind::TextUpTo(32)),
        ])
        .answers(Shape::Action)
        .get("domains/customer-default-ns", |c| {
            Box::pin(customer_default_ns(c))
        })
        .takes(&[required("customer-id", Kind::Id)])
        .answers(Shape::List)
        .get("domains/validate-transfer", |c| {
            Box::pin(validate_transfer(c))
        })
        .takes(&[required("domain-name", Kind::Text)])
        .answers(Shape::Bool)
        .post("domains/gdpr/enable", |c| Box::pin(gdpr(c, true)))
        .takes(&order)
        .answers(Shape::Action)
        .post("domains/gdpr/disable", |c| Box::pin(gdpr(c, false)))
        .takes(&order)
        .answers(Shape::Action)
        .post("domains/add-cns", |c| Box::pin(add_cns(c)))
        .takes(&order_of("cns"))
        .takes(&[one_or_more("ip", Kind::Ip)])
        .answers(Shape::Action)
        .post("domains/modify-cns-name", |c| Box::pin(modify_cns_name(c)))
        .takes(&order_of("old-cns"))
        .takes(&[required("new-cns", Kind::Text)])
        .answers(Shape::Action)
        .post("domains/modify-cns-ip", |c| Box::pin(modify_cns_ip(c)))
        .takes(&order_of("cns"))
        .takes(&[required("old-ip", Kind::Ip), required("new-ip", Kind::Ip)])
        .answers(Shape::Action)
        .post("domains/delete-cns-ip", |c| Box::pin(delete_cns_ip(c)))
        .takes(&order_of("cns"))
        .takes(&[ip])
        .answers(Shape::Action)
        .post("domains/nixi/verification/resend", |c| {
            Box::pin(resend_verification(c))
        })
        .takes(&order)
        .answers(Shape::Fields(&["status", "message"]))
        .post("domains/raa/resend-verification", |c| {
            Box::pin(resend_raa_verification(c))
        })
        .takes(&order)
        .answers(Shape::Bool);
    let names = [
        one_or_more("domain-name", Kind::Text),
        one_or_more("tlds", Kind::Text),
    ];
    r.get("domains/available", |c| Box::pin(available(c)))
        .takes(&names)
        .answers(Shape::Keyed)
        // Third-level names (`domain` under `one.name`) are the same question.
        .get("domains/thirdlevelname/available", |c| {
            Box::pin(third_level_available(c))
        })
        .takes(&names)
        .answers(Shape::Keyed)
        .get("domains/v5/suggest-names", |c| Box::pin(suggest_names(c)))
        .takes(&[
            required("keyword", Kind::Text),
            repeated("tld-only", Kind::Text),
            optional("exact-match", Kind::Flag),
            optional("adult", Kind::Flag),
        ])
        .answers(Shape::Keyed)
        .get("domains/premium/available", |c| {
            Box::pin(premium_available(c))
        })
        .takes(&[
            required("key-word", Kind::Text),
            one_or_more("tlds", Kind::Text),
            optional("price-low", Kind::Money),
            optional("price-high", Kind::Money),
            optional("no-of-results", Kind::Count { min: 1, max: 100 }),
        ])
        .answers(Shape::Keyed)
        .get("domains/idn-available", |c| Box::pin(idn_available(c)))
        .takes(&[
            one_or_more("domain-name", Kind::Text),
            required("tld", Kind::Text),
            required("idnLanguageCode", Kind::OneOf(|| IDN_LANGUAGES.to_vec())),
        ])
        .answers(Shape::Keyed);
}

/// `options`, what a domain's details show (`OPTIONS`).
const DETAIL_OPTIONS: Param = repeated("options", Kind::OneOf(|| OPTIONS.to_vec()));

/// The keys every domain's details reply has.
const DETAILS: &[&str] = &["orderid", "entityid", "domainname", "currentstatus"];

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

/// The registry keys a domain search takes as `product-key`, each once.
fn product_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = tlds::TLDS.iter().map(|spec| spec.classkey).collect();
    keys.dedup();
    keys
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
/// Which of `names` are registered on this platform, by any reseller.
async fn held_here(
    call: &Call,
    names: Vec<String>,
) -> Result<std::collections::HashSet<String>, ApiError> {
    Ok(call
        .state
        .store
        .read(move |tx| {
            Ok(tx
                .live_names(Product::Domain, &names)?
                .into_iter()
                .collect())
        })
        .await?)
}

async fn available(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
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
    let names = labels
        .iter()
        .flat_map(|label| tlds.iter().map(move |tld| (label.clone(), tld.clone())))
        .collect();
    availability_map(&call, names).await
}

/// Third-level names under .name: `domain-name` `domain` with `tlds`
/// `one.name`, or, as clients send it, `domain-name` `domain.one` with
/// `tlds` `*.name`; both ask after `domain.one.name`.
async fn third_level_available(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    if p.all("tlds") != ["*.name"] {
        return available(call).await;
    }
    let mut names = Vec::new();
    for given in p.all("domain-name") {
        let invalid = || ApiError::invalid("domain-name", given, Allowed::ThirdLevelName);
        let (third, second) = given.split_once('.').ok_or_else(invalid)?;
        let third = label("domain-name", third).map_err(|_| invalid())?;
        let second = label("domain-name", second).map_err(|_| invalid())?;
        names.push((third, format!("{second}.name")));
    }
    if names.is_empty() {
        return Err(ApiError::MissingParam("domain-name"));
    }
    availability_map(&call, names).await
}

/// The availability of each (label, TLD), keyed by the whole name.
async fn availability_map(call: &Call, asked: Vec<(String, String)>) -> Result<Reply, ApiError> {
    if asked.len() > MAX_NAMES {
        return Err(ApiError::invalid(
            "domain-name",
            &asked.len().to_string(),
            Allowed::NamesAtOnce(MAX_NAMES),
        ));
    }
    let names: Vec<String> = asked
        .iter()
        .map(|(label, tld)| format!("{label}.{tld}"))
        .collect();
    let held_here = held_here(call, names.clone()).await?;
    let mut map = MapReply::with_capacity(asked.len());
    for ((label, tld), name) in asked.iter().zip(names) {
        let availability = tlds::availability(label, tld);
        let held = held_here.contains(&name);
        let status = if held {
            "regthroughus"
        } else {
            availability.status()
        };
        let mut entry = MapReply::with_capacity(3);
        entry.text("classkey", classkey(tld)).text("status", status);
        if let (Availability::Premium(price), false) = (availability, held) {
            let mut cost = MapReply::with_capacity(1);
            cost.money("create", price);
            entry.put("costHash", cost.build());
        }
        map.put(name, entry.build());
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

/// The second-level names a suggestion makes from `words`, best first.
/// Each holds every word, in order (joined, then hyphenated); unless
/// `exact`, names made of some of the words follow (pairs in order, then
/// single words); then all of them again with each of the words of
/// `AROUND` before or after.
fn suggestions(words: &[String], exact: bool) -> Vec<String> {
    let mut bases = vec![words.concat()];
    if words.len() > 1 {
        bases.push(words.join("-"));
    }
    if !exact {
        for (i, first) in words.iter().enumerate() {
            for second in &words[i + 1..] {
                bases.push(format!("{first}{second}"));
            }
        }
        if words.len() > 1 {
            bases.extend(words.iter().cloned());
        }
    }
    let mut made: Vec<String> = Vec::new();
    for (before, after) in AROUND {
        for base in &bases {
            let name = format!("{before}{base}{after}");
            if name.len() <= 63 && !made.contains(&name) {
                made.push(name);
            }
        }
    }
    made
}

/// Names made from `keyword` (a word or a phrase of words: letters,
/// digits and hyphens) that are available by the rule, under the
/// `tld-only` TLDs or the common ones, at most 25:
/// `{"<name>":{"status","score","spin","in_ga"}}`. `exact-match=true`
/// keeps every word of the keyword in every name.
async fn suggest_names(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let keyword = p.required("keyword")?;
    let words = keyword
        .split_whitespace()
        .map(|word| label("keyword", word))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ApiError::invalid("keyword", keyword, Allowed::Keyword))?;
    if words.is_empty() || words.concat().len() > 63 {
        return Err(ApiError::invalid("keyword", keyword, Allowed::Keyword));
    }
    // WWW-LogicBoxes sends Perl's `!$related`: `1`, or empty (not given).
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
    for (rank, made) in suggestions(&words, exact).iter().enumerate() {
        for (place, tld) in tlds.iter().enumerate() {
            if count == 25 || !matches!(tlds::availability(made, tld), Availability::Available) {
                continue;
            }
            // Scores fall with the name's rank and the TLD's place: 0.900, 0.880, ...
            let score = 900 - 20 * rank as i64 - 5 * place as i64;
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

/// Premium names made from `key-word`: each run of four of its letters is
/// a premium name by the availability rule, under each of `tlds`; answers
/// `{name: price}` for those within `price-low`..`price-high` (whole units
/// of the selling currency), at most `no-of-results` (1-100, default 10).
async fn premium_available(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let keyword = label("key-word", p.required("key-word")?)?;
    let tlds = p
        .all("tlds")
        .into_iter()
        .map(tld)
        .collect::<Result<Vec<_>, _>>()?;
    if tlds.is_empty() {
        return Err(ApiError::MissingParam("tlds"));
    }
    let low = p.optional_money("price-low")?.unwrap_or(Money::ZERO);
    let high = p.optional_money("price-high")?;
    let wanted = match p.optional("no-of-results")? {
        None => 10,
        Some(_) => p.required_count("no-of-results", 1, 100)? as usize,
    };
    let letters: Vec<char> = keyword.chars().filter(char::is_ascii_lowercase).collect();
    let mut runs: Vec<String> = Vec::new();
    for window in letters.windows(4) {
        let run: String = window.iter().collect();
        if !runs.contains(&run) {
            runs.push(run);
        }
    }
    let mut map = MapReply::with_capacity(wanted);
    let mut found = 0;
    for run in &runs {
        for tld in &tlds {
            let Availability::Premium(price) = tlds::availability(run, tld) else {
                continue;
            };
            let name = format!("{run}.{tld}");
            if found == wanted || price < low || high.is_some_and(|h| price > h) {
                continue;
            }
            // As recorded: a price without trailing zeros ("9722.74", "13378.5").
            let shown = price.to_string();
            let shown = shown.trim_end_matches('0').trim_end_matches('.');
            map.text(name, shown.to_string());
            found += 1;
        }
    }
    Ok(map.build())
}

/// Whether a name could be transferred in: a bare `true` when it is
/// registered elsewhere (by the availability rule) and not on this
/// platform, `false` otherwise.
async fn validate_transfer(call: Call) -> Result<Reply, ApiError> {
    let name = domain_name(&call.params, "domain-name")?;
    let elsewhere = tlds::split_name(name.as_str())
        .is_some_and(|(sld, tld)| tlds::availability(sld, tld) == Availability::HeldElsewhere);
    let here = held_here(&call, vec![name.to_string()]).await?;
    Ok(Reply::Bool(elsewhere && here.is_empty()))
}

/// A label of an internationalized name, as IDNA (UTS 46) maps it:
/// answers its ASCII (punycode) form, which replies are keyed by.
fn idn_label(value: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::invalid("domain-name", value, Allowed::IdnLabel);
    if value.is_empty() || value.contains('.') {
        return Err(invalid());
    }
    let ascii = idna::domain_to_ascii_strict(value).map_err(|_| invalid())?;
    if ascii.len() > 63 || ascii.starts_with('-') || ascii.ends_with('-') {
        return Err(invalid());
    }
    Ok(ascii)
}

/// The language codes IDN checks take (ISO 639-2, as the vendor's).
const IDN_LANGUAGES: [&str; 12] = [
    "ara", "chi", "fre", "ger", "gre", "hin", "ita", "jpn", "kor", "por", "rus", "spa",
];

/// Availability of internationalized names under one `tld`, with the
/// `idnLanguageCode` they are written in; the same rule as `available`.
async fn idn_available(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let given = p.all("domain-name");
    let labels = given
        .iter()
        .map(|v| idn_label(v))
        .collect::<Result<Vec<_>, _>>()?;
    if labels.is_empty() {
        return Err(ApiError::MissingParam("domain-name"));
    }
    let tld = tld(p.required("tld")?)?;
    let language = p.required("idnLanguageCode")?;
    if !IDN_LANGUAGES.contains(&language) {
        return Err(ApiError::invalid(
            "idnLanguageCode",
            language,
            Allowed::OneOf(&IDN_LANGUAGES),
        ));
    }
    if labels.len() > MAX_NAMES {
        return Err(ApiError::invalid(
            "domain-name",
            &labels.len().to_string(),
            Allowed::NamesAtOnce(MAX_NAMES),
        ));
    }
    let names: Vec<String> = labels.iter().map(|l| format!("{l}.{tld}")).collect();
    let held_here = held_here(&call, names.clone()).await?;
    let mut map = MapReply::with_capacity(labels.len());
    // The rule reads each name as written: its length in characters.
    for (name, written) in names.into_iter().zip(&given) {
        let status = if held_here.contains(&name) {
            "regthroughus"
        } else {
            tlds::availability(&written.to_lowercase(), &tld).status()
        };
        let mut entry = MapReply::with_capacity(2);
        entry
            .text("classkey", classkey(&tld))
            .text("status", status);
        map.put(name, entry.build());
    }
    Ok(map.build())
}

/// Name servers: 1 to 13 host names, each a valid domain name.
fn name_servers(p: &Params) -> Result<Vec<String>, ApiError> {
    let given = p.all("ns");
    if given.is_empty() {
        return Err(ApiError::MissingParam("ns"));
    }
    if given.len() > 13 {
        return Err(ApiError::invalid(
            "ns",
            &given.len().to_string(),
            Allowed::NameServers,
        ));
    }
    given
        .into_iter()
        .map(|ns| {
            DomainName::parse(ns)
                .map(String::from)
                .ok_or_else(|| ApiError::invalid("ns", ns, Allowed::NameServers))
        })
        .collect()
}

/// `purchase-privacy` (bought with the name), and `protect-privacy`
/// (on from the start; it is when bought, unless given `false`).
fn privacy(p: &Params) -> Result<(bool, bool), ApiError> {
    let bought = p.flag("purchase-privacy", false)?;
    match p.optional_flag("protect-privacy")? {
        Some(true) if !bought => Err(ApiError::invalid(
            "protect-privacy",
            "true",
            Allowed::OnlyWith("purchase-privacy"),
        )),
        protected => Ok((bought, protected.unwrap_or(bought))),
    }
}

/// A contact id of a role: a contact's id, or `-1` where the TLD takes none.
fn contact_role(p: &Params, name: &'static str) -> Result<Option<ContactId>, ApiError> {
    let value = p.required(name)?;
    if value == "-1" {
        return Ok(None);
    }
    p.required_id::<ContactId>(name).map(Some)
}

async fn register(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let (bought, protected) = privacy(p)?;
    let (billing, with_discount) = billing(p)?;
    let contacts = contact_roles(p)?;
    let new = NewDomain {
        reseller_id: call.reseller_id,
        customer_id: p.required_id("customer-id")?,
        name: domain_name(p, "domain-name")?,
        years: p.required_count("years", 1, 10)?,
        ns: name_servers(p)?,
        contacts,
        privacy: bought,
        privacy_on: protected,
        auto_renew: p.flag("auto-renew", false)?,
        billing,
        now: call.state.clock.now(),
    };
    let state = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| {
            let receipt = domains::register(tx, &new)?;
            crate::verification::mail_started(tx, &state, &receipt.order, None, new.now)?;
            Ok(receipt)
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// Renews from the expiry the caller saw (`exp-date`, required): a retried
/// renewal finds it moved and renews nothing.
async fn renew(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let (billing, with_discount) = billing(p)?;
    let exp_date = p
        .optional_time("exp-date")?
        .ok_or(ApiError::MissingParam("exp-date"))?;
    let renewal = DomainRenewal {
        reseller_id: call.reseller_id,
        order_id: p.required_id("order-id")?,
        years: p.required_count("years", 1, 10)?,
        exp_date,
        auto_renew: p.optional_flag("auto-renew")?,
        privacy: p.flag("purchase-privacy", false)?,
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| domains::renew(tx, &renewal))
        .await?;
    let reply = action_map(&receipt, with_discount);
    let offers_privacy = tlds::split_name(&receipt.order.description)
        .and_then(|(_, tld)| tlds::tld_spec(tld))
        .is_some_and(|spec| spec.privacy);
    if offers_privacy {
        return Ok(reply);
    }
    // As recorded for a .co.in renewal: the privacy part of the answer.
    let Reply::Map(mut entries) = reply else {
        return Err(ApiError::internal("an action map is not a map"));
    };
    let mut privacy = MapReply::with_capacity(3);
    privacy
        .id("entityid", receipt.order.id)
        .text("status", "error")
        .text("error", "Privacy Protection Service not available.");
    entries.push(("privacydetails".into(), privacy.build()));
    Ok(Reply::Map(entries))
}

async fn delete(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let receipt = call
        .state
        .store
        .write(move |tx| domains::delete(tx, reseller_id, order_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// Restores a domain deleted within 30 days, billed as `invoice-option` says.
async fn restore(call: Call) -> Result<Reply, ApiError> {
    let (billing, with_discount) = billing(&call.params)?;
    let restoration = Restoration {
        reseller_id: call.reseller_id,
        order_id: call.params.required_id("order-id")?,
        billing,
        now: call.state.clock.now(),
    };
    let receipt = call
        .state
        .store
        .write(move |tx| domains::restore(tx, &restoration))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// The four contact roles, `-1` where the TLD takes none.
fn contact_roles(p: &Params) -> Result<[Option<ContactId>; 4], ApiError> {
    let mut contacts = [None; 4];
    for (slot, role) in contacts.iter_mut().zip(ROLES) {
        *slot = contact_role(p, role)?;
    }
    Ok(contacts)
}

/// An auth code (domain secret): 1 to 32 printable ASCII characters, no spaces.
fn auth_code(name: &'static str, code: &str) -> Result<String, ApiError> {
    let fits = (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_graphic());
    if !fits {
        return Err(ApiError::invalid(name, code, Allowed::AuthCode));
    }
    Ok(code.to_string())
}

/// Transfers in a name another registrar holds: register's parameters
/// without `years` (a transfer adds one year), and `auth-code`, which may
/// come later by `transfer/submit-auth-code`.
async fn transfer(call: Call) -> Result<Reply, ApiError> {
    let p = &call.params;
    let (bought, protected) = privacy(p)?;
    let (billing, with_discount) = billing(p)?;
    let new = NewTransfer {
        reseller_id: call.reseller_id,
        customer_id: p.required_id("customer-id")?,
        name: domain_name(p, "domain-name")?,
        ns: name_servers(p)?,
        contacts: contact_roles(p)?,
        auth_code: p
            .optional("auth-code")?
            .map(|code| auth_code("auth-code", code))
            .transpose()?,
        privacy: bought,
        privacy_on: protected,
        auto_renew: p.flag("auto-renew", false)?,
        billing,
        now: call.state.clock.now(),
    };
    let state = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| {
            let receipt = transfer_in::request(tx, &new)?;
            let order_id = receipt.order.id;
            crate::transfer::mail_if_due(tx, &state, new.reseller_id, order_id, false, new.now)?;
            Ok(receipt)
        })
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// Gives a transfer its auth code; the admin contact is then asked to
/// approve. Answers a bare `Success`.
async fn submit_auth_code(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let code = auth_code("auth-code", call.params.required("auth-code")?)?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    call.state
        .store
        .write(move |tx| {
            transfer_in::submit_auth_code(tx, reseller_id, order_id, &code)?;
            crate::transfer::mail_if_due(tx, &state, reseller_id, order_id, true, now)
        })
        .await?;
    Ok(Reply::Word("Success"))
}

/// Sends the admin contact a fresh approval mail; answers a bare `true`.
async fn resend_rfa(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    let sent = call
        .state
        .store
        .write(move |tx| {
            transfer_in::ensure_resendable(tx, reseller_id, order_id)?;
            crate::transfer::mail_if_due(tx, &state, reseller_id, order_id, true, now)
        })
        .await?;
    Ok(Reply::Bool(sent))
}

/// Cancels a transfer in progress; answers a bare `Success`.
async fn cancel_transfer(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    call.state
        .store
        .write(move |tx| transfer_in::cancel(tx, reseller_id, order_id, now))
        .await?;
    Ok(Reply::Word("Success"))
}

/// Makes a free change to a running domain; the reply is the action's, with
/// `currentaction` naming it as the modify calls of the real service do.
async fn modify(call: Call, change: DomainChange) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| {
            let before = tx.order(order_id)?;
            let receipt = domains::modify(tx, reseller_id, order_id, &change, now)?;
            crate::verification::mail_started(tx, &state, &receipt.order, before.as_ref(), now)?;
            Ok(receipt)
        })
        .await?;
    let Reply::Map(mut entries) = action_map(&receipt, false) else {
        return Err(ApiError::internal("an action map is not a map"));
    };
    entries.push(("currentaction".into(), Reply::Id(receipt.action.id.0)));
    Ok(Reply::Map(entries))
}

async fn modify_ns(call: Call) -> Result<Reply, ApiError> {
    let ns = name_servers(&call.params)?;
    modify(call, DomainChange::NameServers(ns)).await
}

/// All four roles, as at registration (`-1` where the TLD takes none).
async fn modify_contact(call: Call) -> Result<Reply, ApiError> {
    let contacts = contact_roles(&call.params)?;
    // Our flag says whether to lock; the vendor's says whether not to.
    let lock = !call.params.flag("sixty-day-lock-optout", false)?;
    modify(call, DomainChange::Contacts { contacts, lock }).await
}

async fn gdpr(call: Call, on: bool) -> Result<Reply, ApiError> {
    modify(call, DomainChange::Gdpr(on)).await
}

async fn theft_protection(call: Call, on: bool) -> Result<Reply, ApiError> {
    modify(call, DomainChange::TransferLock(on)).await
}

/// `protect-privacy` and the `reason` for the change, both required.
async fn modify_privacy(call: Call) -> Result<Reply, ApiError> {
    let on = call
        .params
        .optional_flag("protect-privacy")?
        .ok_or(ApiError::MissingParam("protect-privacy"))?;
    call.params.required("reason")?;
    modify(call, DomainChange::Privacy(on)).await
}

/// The domain secret: 1 to 32 printable ASCII characters, no spaces.
async fn modify_auth_code(call: Call) -> Result<Reply, ApiError> {
    let code = auth_code("auth-code", call.params.required("auth-code")?)?;
    modify(call, DomainChange::AuthCode(code)).await
}

/// An address as the registry keeps it: IPv4 dotted, IPv6 as eight groups
/// without `::` (`2001:4860:4860:0:0:0:0:8888`), the vendor's Java
/// spelling, which WWW-LogicBoxes' tests read back; either spelling given
/// is the same address.
fn registry_ip(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => v6
            .segments()
            .iter()
            .map(|group| format!("{group:x}"))
            .collect::<Vec<_>>()
            .join(":"),
    }
}

/// A host name parameter, kept lowercased.
fn host(p: &Params, name: &'static str) -> Result<String, ApiError> {
    let value = p.required(name)?;
    DomainName::parse(value)
        .map(String::from)
        .ok_or_else(|| ApiError::invalid(name, value, Allowed::HostName))
}

/// `cns` and one or more `ip`: a new child name server, or more addresses
/// for one that exists.
async fn add_cns(call: Call) -> Result<Reply, ApiError> {
    let host = host(&call.params, "cns")?;
    let given = call.params.all("ip");
    if given.is_empty() {
        return Err(ApiError::MissingParam("ip"));
    }
    let mut ips = Vec::with_capacity(given.len());
    for value in given {
        // Kept in its canonical spelling.
        let ip = registry_ip(ip_address("ip", value)?);
        if ips.contains(&ip) {
            return Err(ApiError::invalid("ip", value, Allowed::Distinct));
        }
        ips.push(ip);
    }
    modify(call, DomainChange::AddChildNameServer { host, ips }).await
}

async fn modify_cns_name(call: Call) -> Result<Reply, ApiError> {
    let old = host(&call.params, "old-cns")?;
    let new = host(&call.params, "new-cns")?;
    modify(call, DomainChange::RenameChildNameServer { old, new }).await
}

async fn modify_cns_ip(call: Call) -> Result<Reply, ApiError> {
    let host = host(&call.params, "cns")?;
    let old_ip = registry_ip(call.params.required_ip("old-ip")?);
    let new_ip = registry_ip(call.params.required_ip("new-ip")?);
    let change = DomainChange::ChangeChildNameServerIp {
        host,
        old_ip,
        new_ip,
    };
    modify(call, change).await
}

async fn delete_cns_ip(call: Call) -> Result<Reply, ApiError> {
    let host = host(&call.params, "cns")?;
    let ip = registry_ip(call.params.required_ip("ip")?);
    modify(call, DomainChange::DeleteChildNameServerIp { host, ip }).await
}

/// The locks on a domain: the transfer lock set by theft protection; no
/// customer lock or reseller lock is ever set here.
async fn locks(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let reseller_id = call.reseller_id;
    let order = call
        .state
        .store
        .read(move |tx| orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS))
        .await?;
    let transfer_lock = order.attrs.domain.is_some_and(|d| d.transfer_lock);
    let mut map = MapReply::with_capacity(2);
    map.put("transferlock", Reply::Bool(transfer_lock))
        .put("customerlock", Reply::Bool(false));
    Ok(map.build())
}

/// The name servers a new domain of this platform is given by default.
pub const DEFAULT_NAME_SERVERS: [&str; 2] = ["dns1.reseller.example", "dns2.reseller.example"];

/// A customer's default name servers: the platform's, as no call sets others.
async fn customer_default_ns(call: Call) -> Result<Reply, ApiError> {
    let customer_id = call.params.required_id("customer-id")?;
    let reseller_id = call.reseller_id;
    call.state
        .store
        .read(move |tx| orders::customer_of(tx, reseller_id, customer_id))
        .await?;
    Ok(Reply::List(
        DEFAULT_NAME_SERVERS
            .iter()
            .map(|ns| Reply::Text((*ns).into()))
            .collect(),
    ))
}

/// Sends the registrant of a .in, third-level .in or .bharat domain a
/// fresh verification mail (seed 002).
async fn resend_verification(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    call.state
        .store
        .write(move |tx| {
            let (order, round) = reseller_core::nixi::resend(tx, reseller_id, order_id, now)?;
            let link = crate::verification::nixi_link(&state, &order, &round);
            reseller_core::nixi::send_mail(tx, &order, &link, now)
        })
        .await?;
    let mut map = MapReply::with_capacity(2);
    map.text("status", "Success").text(
        "message",
        "Verification email has been sent to the Registrant contact",
    );
    Ok(map.build())
}

/// Sends the registrant of a generic domain a fresh verification mail:
/// bare `true`, or `false` when there is nothing to verify (verified
/// already, or a TLD outside ICANN's agreement).
async fn resend_raa_verification(call: Call) -> Result<Reply, ApiError> {
    let order_id = call.params.required_id("order-id")?;
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    let state = call.state.clone();
    let sent = call
        .state
        .store
        .write(move |tx| {
            let Some((order, round)) = reseller_core::raa::resend(tx, reseller_id, order_id, now)?
            else {
                return Ok(false);
            };
            let link = crate::verification::raa_link(&state, &order, &round);
            reseller_core::raa::send_mail(tx, &order, &link, now)?;
            Ok(true)
        })
        .await?;
    Ok(Reply::Bool(sent))
}

/// What `options` asks details to show.
const OPTIONS: [&str; 11] = [
    "All",
    "OrderDetails",
    "ContactIds",
    "RegistrantContactDetails",
    "AdminContactDetails",
    "TechContactDetails",
    "BillingContactDetails",
    "NsDetails",
    "DomainStatus",
    "DNSSECDetails",
    "StatusDetails",
];

/// A domain order with what its details need: a year's price and its contacts.
struct Shown {
    order: Order,
    year: Option<(Money, Money)>,
    contacts: [Option<Contact>; 4],
    /// The action under way: a transfer in progress, or an action waiting
    /// for payment. Details show it as the real service shows an action
    /// not yet completed.
    under_way: Option<Action>,
    /// The clock's time, which NIXI statuses are read at.
    now: i64,
}

async fn shown(call: &Call, order_id: OrderId) -> Result<Shown, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.state.clock.now());
    Ok(call
        .state
        .store
        .read(move |tx| {
            let order = orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS)?;
            let year = orders::month_price(tx, &order)?;
            let attrs = order.attrs.domain.clone().unwrap_or_default();
            let mut contacts: [Option<Contact>; 4] = Default::default();
            for (slot, id) in
                contacts
                    .iter_mut()
                    .zip([attrs.registrant, attrs.admin, attrs.tech, attrs.billing])
            {
                if let Some(id) = id {
                    *slot = tx.contact(id)?;
                }
            }
            let under_way = match attrs.transfer_in {
                Some(transfer) => tx.action(transfer.action_id)?,
                None => tx.pending_action(order.id)?,
            };
            Ok(Shown {
                order,
                year,
                contacts,
                under_way,
                now,
            })
        })
        .await?)
}

fn options(p: &Params) -> Result<Vec<&'static str>, ApiError> {
    let wanted = p.all_of("options", &OPTIONS, |o| o)?;
    if wanted.is_empty() {
        return Err(ApiError::MissingParam("options"));
    }
    Ok(wanted)
}

async fn details(call: Call) -> Result<Reply, ApiError> {
    let wanted = options(&call.params)?;
    let order_id = call.params.required_id("order-id")?;
    let shown = shown(&call, order_id).await?;
    Ok(details_map(&shown, &wanted).build())
}

async fn details_by_name(call: Call) -> Result<Reply, ApiError> {
    let wanted = options(&call.params)?;
    let name = domain_name(&call.params, "domain-name")?;
    let reseller_id = call.reseller_id;
    let lookup = name.clone();
    let found = call
        .state
        .store
        .read(move |tx| {
            Ok(tx.order_id_by_description(reseller_id, domains::PRODUCTS, lookup.as_str())?)
        })
        .await?;
    let order_id = found.ok_or_else(|| RuleError::NoWebsite(name.to_string()))?;
    let shown = shown(&call, order_id).await?;
    Ok(details_map(&shown, &wanted).build())
}

/// The id of the caller's newest order of a domain name, as a bare integer.
async fn order_id(call: Call) -> Result<Reply, ApiError> {
    let name = domain_name(&call.params, "domain-name")?;
    let reseller_id = call.reseller_id;
    let lookup = name.clone();
    let found = call
        .state
        .store
        .read(move |tx| {
            Ok(tx.order_id_by_description(reseller_id, domains::PRODUCTS, lookup.as_str())?)
        })
        .await?;
    let id = found.ok_or(RuleError::OrderNameNotFound(name.into()))?;
    Ok(Reply::Int(id.0))
}

/// The order search, with the lock keys domain records carry.
/// The order search, plus `product-key` (repeated): the registry keys of
/// the TLDs to search (`domcno`, `dotin`, `thirdleveldotin`, ...).
async fn search(call: Call) -> Result<Reply, ApiError> {
    let keys = call.params.all("product-key");
    let mut plan_ids = Vec::new();
    for key in &keys {
        let of_key: Vec<_> = tlds::TLDS
            .iter()
            .filter(|spec| spec.classkey == *key)
            .filter_map(|spec| plan_of_tld(spec.tld))
            .collect();
        if of_key.is_empty() {
            return Err(ApiError::invalid(
                "product-key",
                key,
                Allowed::OneOf(&product_keys()),
            ));
        }
        plan_ids.extend(of_key);
    }
    let privacy_on = call.params.optional_flag("privacy-enabled")?;
    let params = call.params.without(&["product-key", "privacy-enabled"]);
    let mut query = super::order_query(&params, call.reseller_id, domains::PRODUCTS)?;
    query.plan_ids = plan_ids;
    query.privacy_on = privacy_on;
    let found = call
        .state
        .store
        .read(move |tx| Ok(tx.search_orders(&query)?))
        .await?;
    Ok(search_page(&found, |order| {
        let mut record = order_record(order);
        record
            .id("orders.creationdt", order.created)
            .id("orders.timestamp", order.created)
            .id(
                "entity.entitytypeid",
                i64::from(order.product.spec().entity_type_id),
            )
            .flag("orders.resellerlock", false)
            .flag("orders.customerlock", false)
            .flag(
                "orders.transferlock",
                order.attrs.domain.as_ref().is_some_and(|d| d.transfer_lock),
            );
        record
    }))
}

/// A registrant change waiting for approval, in the keys WWW-LogicBoxes
/// reads (`irtp_status`).
fn irtp_status(change: &reseller_core::irtp::Irtp, now: i64) -> MapReply {
    use reseller_core::irtp::Side;
    let mut gaining = MapReply::with_capacity(1);
    gaining.id("id", change.proposed);
    let mut map = MapReply::with_capacity(6);
    map.flag("sixty-day-lock-status", change.lock)
        .id("expiry", change.expires())
        .text("gaining-foa-status", change.foa_status(Side::Gaining))
        .text("losing-foa-status", change.foa_status(Side::Losing))
        .text("task-status", change.task_status(now))
        .put("gaining-contact-info", gaining.build());
    map
}

/// The recorded keys of a domain's details (`shared/recorded/domains-orders`),
/// by section as `options` asks.
fn details_map(shown: &Shown, wanted: &[&str]) -> MapReply {
    let all = wanted.contains(&"All");
    let with = |option: &str| all || wanted.contains(&option);
    let order = &shown.order;
    let attrs: DomainAttrs = order.attrs.domain.clone().unwrap_or_default();
    let spec = tlds::split_name(&order.description).and_then(|(_, tld)| tlds::tld_spec(tld));
    let classkey = spec.map_or("domorder", |s| s.classkey);
    let mut map = MapReply::with_capacity(48);
    map.id("orderid", order.id)
        .id("entityid", order.id)
        .text("description", order.description.clone())
        .text("domainname", order.description.clone())
        .text("currentstatus", order.status.as_str())
        .id("customerid", order.customer_id)
        .id(
            "entitytypeid",
            i64::from(order.product.spec().entity_type_id),
        );
    if with("OrderDetails") {
        let (selling, cost) = shown.year.unwrap_or((Money::ZERO, Money::ZERO));
        map.text("productcategory", "domorder")
            .text("productkey", classkey)
            .text("classkey", classkey)
            .text(
                "classname",
                format!("com.logicboxes.foundation.sfnb.order.domorder.{classkey}"),
            )
            .text("parentkey", format!("{PLATFORM_KEY}_{}", order.reseller_id))
            .text("isImmediateReseller", "true")
            .id("creationtime", order.created)
            .id("endtime", order.endtime)
            .flag("recurring", order.auto_renew)
            .id("moneybackperiod", super::MONEY_BACK_DAYS)
            .flag("isOrderSuspendedUponExpiry", false)
            .flag("orderSuspendedByParent", false)
            .flag("allowdeletion", true)
            .flag("paused", false)
            .flag("privacyprotectedallowed", spec.is_some_and(|s| s.privacy))
            .flag("isprivacyprotected", attrs.privacy_on)
            .put("gdpr", {
                let mut gdpr = MapReply::with_capacity(2);
                gdpr.flag("enabled", !attrs.gdpr_off).flag("eligible", true);
                gdpr.build()
            })
            .text("domsecret", attrs.auth_code.clone())
            .flag("bulkwhoisoptout", false)
            .flag("multilingualflag", false)
            .money("customercost", selling)
            .money("resellercost", cost)
            .text("sellingcurrencysymbol", CURRENCY)
            .id("actioncompleted", 0);
        match &shown.under_way {
            Some(action) => {
                map.id("eaqid", action.id)
                    .text("actiontype", action.kind.as_str())
                    .text("actiontypedesc", action.description.clone())
                    .text("actionstatus", action.status.as_str())
                    .text("actionstatusdesc", action.status_desc.clone());
            }
            None => {
                map.id("eaqid", 0);
            }
        }
        map.put("jumpConditions", Reply::List(Vec::new()));
    }
    if with("DomainStatus") || with("StatusDetails") || with("OrderDetails") {
        let locks = if attrs.transfer_lock {
            vec![Reply::Text("transferlock".into())]
        } else {
            Vec::new()
        };
        // `NA` where ICANN's verification does not apply, as recorded for
        // a transfer in progress.
        let raa = attrs.raa.as_ref().map_or("NA", |r| r.status(shown.now));
        map.text("raaVerificationStatus", raa);
        let mut holds = Vec::new();
        if attrs
            .sixty_day_lock_until
            .is_some_and(|until| shown.now < until)
        {
            holds.push(Reply::Text("sixtydaylock".into()));
        }
        if let Some(change) = &attrs.irtp {
            map.put("irtp_status", irtp_status(change, shown.now).build());
        }
        if let Some(round) = &attrs.nixi {
            map.text(
                "eKYCVerificationStatus",
                round.ekyc_status(shown.now).as_str(),
            )
            .text(
                "registrantEmailVerificationStatus",
                round.email_status().as_str(),
            );
            if round.on_hold(shown.now) {
                holds.push(Reply::Text("nixihold".into()));
            }
        }
        map.put("orderstatus", Reply::List(locks))
            .put("domainstatus", Reply::List(holds));
    }
    if with("NsDetails") {
        map.id("noOfNameServers", attrs.ns.len() as i64);
        for (n, ns) in attrs.ns.iter().enumerate() {
            map.text(format!("ns{}", n + 1), ns.clone());
        }
        let mut cns = MapReply::with_capacity(attrs.cns.len());
        for child in &attrs.cns {
            cns.put(
                child.host.clone(),
                Reply::List(
                    child
                        .ips
                        .iter()
                        .map(|ip| Reply::Text(ip.clone().into()))
                        .collect(),
                ),
            );
        }
        map.put("cns", cns.build());
    }
    let roles = [
        ("registrant", attrs.registrant),
        ("admin", attrs.admin),
        ("tech", attrs.tech),
        ("billing", attrs.billing),
    ];
    if with("ContactIds") {
        for (role, id) in roles {
            map.id(format!("{role}contactid"), id.map_or(-1, |id| id.0));
        }
    }
    for ((role, option), contact) in [
        ("registrant", "RegistrantContactDetails"),
        ("admin", "AdminContactDetails"),
        ("tech", "TechContactDetails"),
        ("billing", "BillingContactDetails"),
    ]
    .into_iter()
    .zip(&shown.contacts)
    {
        if with(option)
            && let Some(contact) = contact
        {
            map.put(
                format!("{role}contact"),
                super::contacts::details_map(contact).build(),
            );
        }
    }
    if with("DNSSECDetails") {
        map.put("dnssec", Reply::List(Vec::new()));
    }
    map
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
