//! Domains (`domains/...`): the calls that read the registry (availability
//! and suggestions, from the TLD catalogue and its documented rule), and
//! domain orders: register, renew with `exp-date`, details with `options`,
//! details by name, orderid, search, delete and restore; transfers in
//! with their companions (`transfer_in` holds their rules).

use super::{CURRENCY, PLATFORM_KEY, action_map, charge, order_record, search_page};
use crate::routes::{Call, Routes};
use crate::wire::reply::{MapReply, Reply};
use crate::wire::{Allowed, ApiError};
use reseller_api::Field;
use reseller_api::calls::domains as calls;
use reseller_api::calls::domains::*;
use reseller_core::catalogue::{Product, plan_of_tld};
use reseller_core::domains::{self, DomainChange, DomainRenewal, NewDomain, Restoration, Setup};
use reseller_core::model::{Action, Contact, DomainAttrs, Order};
use reseller_core::tlds::{self, Availability};
use reseller_core::transfer_in::{self, NewTransfer};
use reseller_core::{Money, OrderId, RuleError, orders};

pub fn routes(r: &mut Routes) {
    r.call::<Register, _, _>(register)
        .call::<Renew, _, _>(renew)
        .call::<Details, _, _>(details)
        .call::<DetailsByName, _, _>(details_by_name)
        .call::<OrderIdOf, _, _>(order_id)
        .call::<Search, _, _>(search)
        .call::<Delete, _, _>(delete)
        .call::<Restore, _, _>(restore)
        .call::<Transfer, _, _>(transfer)
        .call::<SubmitAuthCode, _, _>(submit_auth_code)
        .call::<ResendRfa, _, _>(resend_rfa)
        .call::<CancelTransfer, _, _>(cancel_transfer)
        .call::<ModifyNs, _, _>(|c, r: ModifyNs| {
            modify(c, r.order_id, DomainChange::NameServers(r.ns.0))
        })
        .call::<ModifyContact, _, _>(modify_contact)
        .call::<EnableTheftProtection, _, _>(|c, r: EnableTheftProtection| {
            modify(c, r.order_id, DomainChange::TransferLock(true))
        })
        .call::<DisableTheftProtection, _, _>(|c, r: DisableTheftProtection| {
            modify(c, r.order_id, DomainChange::TransferLock(false))
        })
        .call::<Locks, _, _>(locks)
        .call::<ModifyPrivacyProtection, _, _>(|c, r: ModifyPrivacyProtection| {
            modify(c, r.order_id, DomainChange::Privacy(r.protect_privacy))
        })
        .call::<ModifyAuthCode, _, _>(|c, r: ModifyAuthCode| {
            modify(c, r.order_id, DomainChange::AuthCode(r.auth_code.0))
        })
        .call::<CustomerDefaultNs, _, _>(customer_default_ns)
        .call::<ValidateTransfer, _, _>(validate_transfer)
        .call::<AddDnssec, _, _>(|c, r: AddDnssec| async move {
            let records = ds_records(&r.records)?;
            modify(c, r.order_id, DomainChange::AddDnssec(records)).await
        })
        .call::<DelDnssec, _, _>(|c, r: DelDnssec| async move {
            let records = ds_records(&r.records)?;
            modify(c, r.order_id, DomainChange::DeleteDnssec(records)).await
        })
        .call::<ResellerLockAdd, _, _>(reseller_lock_add)
        .call::<TldInfo, _, _>(|_, _| async { Ok(tld_info()) })
        .call::<SuggestNamesV1, _, _>(suggest_names_v1)
        .call::<DeRecheckNs, _, _>(de_recheck_ns)
        .call::<UkAvailable, _, _>(|_, _: UkAvailable| async {
            Err(RuleError::UkAvailableDeprecated.into())
        })
        // Every TLD sold here is in general availability (`tld-info`).
        .call::<TldsInPhase, _, _>(|_, _: TldsInPhase| async { Ok(Reply::List(Vec::new())) })
        .call::<AvailableSunrise, _, _>(|_, asked: AvailableSunrise| async move {
            if asked.domainname.is_none() && asked.sld.is_none() {
                return Err(ApiError::MissingParam("domainname"));
            }
            Err(RuleError::NotInSunrise(asked.tld[0].0.clone()).into())
        })
        .call::<GetTmNotice, _, _>(|_, asked: GetTmNotice| async move {
            Err(RuleError::NoTrademarkClaim(asked.lookup_key).into())
        })
        .call::<EuTransfer, _, _>(|_, _: EuTransfer| async {
            Err(RuleError::Retired(
                "a .eu name is transferred in with domains/transfer and its auth code, as any name is",
            )
            .into())
        })
        .call::<EuTrade, _, _>(|_, _: EuTrade| async {
            Err(RuleError::Retired(
                "a .eu name's registrant is changed with domains/modify-contact, as any name's is",
            )
            .into())
        })
        .call::<TelModifyWhoisPref, _, _>(|c, r: TelModifyWhoisPref| async move {
            let natural = r.whois_type.0 == "Natural";
            let publish = match (natural, r.publish) {
                (_, Some(answer)) => answer.0 == "y",
                // A legal person's details are always shown.
                (false, None) => true,
                (true, None) => return Err(ApiError::MissingParam("publish")),
            };
            if !natural && !publish {
                return Err(RuleError::LegalPersonPublished.into());
            }
            let whois = reseller_core::domains::TelWhois { natural, publish };
            modify(c, r.order_id, DomainChange::TelWhois(whois)).await
        })
        .call::<TelCthDetails, _, _>(|_, _: TelCthDetails| async {
            Err(RuleError::Retired(
                ".tel names no longer come with Telnic's hosted profile; a .tel name's records are hosted as any name's are (dns/*)",
            )
            .into())
        })
        .call::<XxxAssociation, _, _>(xxx_association)
        .call::<UkTransfer, _, _>(|_, _: UkTransfer| async {
            Err(RuleError::Retired(
                "a .uk name is transferred in with domains/transfer, and completes when its registrar tag is changed",
            )
            .into())
        })
        .call::<UkRelease, _, _>(|c, r: UkRelease| {
            modify(c, r.order_id, DomainChange::ReleaseUk { tag: r.new_tag.0 })
        })
        .call::<PurchasePrivacy, _, _>(|c, r: PurchasePrivacy| {
            modify(c, r.order_id, DomainChange::PurchasePrivacy)
        })
        .call::<PremiumCheck, _, _>(premium_check)
        .call::<ResellerLockRemove, _, _>(|c, r: ResellerLockRemove| {
            modify(c, r.order_id, DomainChange::ResellerLock(None))
        })
        .call::<GdprEnable, _, _>(|c, r: GdprEnable| {
            modify(c, r.order_id, DomainChange::Gdpr(true))
        })
        .call::<GdprDisable, _, _>(|c, r: GdprDisable| {
            modify(c, r.order_id, DomainChange::Gdpr(false))
        })
        .call::<AddCns, _, _>(add_cns)
        .call::<ModifyCnsName, _, _>(|c, r: ModifyCnsName| {
            let change = DomainChange::RenameChildNameServer {
                old: r.old_cns.0,
                new: r.new_cns.0,
            };
            modify(c, r.order_id, change)
        })
        .call::<ModifyCnsIp, _, _>(|c, r: ModifyCnsIp| {
            let change = DomainChange::ChangeChildNameServerIp {
                host: r.cns.0,
                old_ip: registry_ip(r.old_ip),
                new_ip: registry_ip(r.new_ip),
            };
            modify(c, r.order_id, change)
        })
        .call::<DeleteCnsIp, _, _>(|c, r: DeleteCnsIp| {
            let change = DomainChange::DeleteChildNameServerIp {
                host: r.cns.0,
                ip: registry_ip(r.ip),
            };
            modify(c, r.order_id, change)
        })
        .call::<ResendNixiVerification, _, _>(resend_verification)
        .call::<ResendRaaVerification, _, _>(resend_raa_verification)
        .call::<Available, _, _>(available)
        // Third-level names (`domain` under `one.name`) are the same question.
        .call::<ThirdLevelAvailable, _, _>(third_level_available)
        .call::<SuggestNames, _, _>(suggest_names)
        .call::<PremiumAvailable, _, _>(premium_available)
        .call::<IdnAvailable, _, _>(idn_available);
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

async fn available(call: Call, asked: Available) -> Result<Reply, ApiError> {
    let under_each = |label: String| {
        asked
            .tlds
            .iter()
            .map(move |tld| (label.clone(), tld.0.clone()))
    };
    let mut names: Vec<(String, String)> = asked
        .domain_name
        .iter()
        .flat_map(|label| under_each(label.0.clone()))
        .collect();
    if asked.suggest_alternative == Some(true) && names.len() <= MAX_NAMES {
        // The first names the suggestions make of each label, each
        // under every TLD asked, while the call's limit allows.
        for label in &asked.domain_name {
            let made = suggestions(std::slice::from_ref(&label.0), false);
            for alternative in made.into_iter().skip(1).take(ALTERNATIVES) {
                for pair in under_each(alternative) {
                    if names.len() < MAX_NAMES && !names.contains(&pair) {
                        names.push(pair);
                    }
                }
            }
        }
    }
    availability_map(&call, names).await
}

/// Alternatives `suggest-alternative` adds for each label.
const ALTERNATIVES: usize = 3;

/// Third-level names under .name: `domain-name` `domain` with `tlds`
/// `one.name`, or, as clients send it, `domain-name` `domain.one` with
/// `tlds` `*.name`; both ask after `domain.one.name`.
async fn third_level_available(call: Call, asked: ThirdLevelAvailable) -> Result<Reply, ApiError> {
    let label = |given: &str| Label::parse("domain-name", given).map(|label| label.0);
    if asked.tlds != ["*.name"] {
        let labels = asked
            .domain_name
            .iter()
            .map(|given| label(given))
            .collect::<Result<Vec<_>, _>>()?;
        let tlds = asked
            .tlds
            .iter()
            .map(|given| Tld::parse("tlds", given).map(|tld| tld.0))
            .collect::<Result<Vec<_>, _>>()?;
        let names = labels
            .iter()
            .flat_map(|label| tlds.iter().map(move |tld| (label.clone(), tld.clone())))
            .collect();
        return availability_map(&call, names).await;
    }
    let mut names = Vec::new();
    for given in &asked.domain_name {
        let invalid = || ApiError::invalid("domain-name", given, Allowed::ThirdLevelName);
        let (third, second) = given.split_once('.').ok_or_else(invalid)?;
        let third = label(third).map_err(|_| invalid())?;
        let second = label(second).map_err(|_| invalid())?;
        names.push((third, format!("{second}.name")));
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
/// First those made of the words alone: every word, in order (joined,
/// then hyphenated), then some of them (pairs in order, then single
/// words); unless `exact`, all of them again with each of the words of
/// `AROUND` before or after. So an exact match of one word is that word.
fn suggestions(words: &[String], exact: bool) -> Vec<String> {
    let mut bases = vec![words.concat()];
    if words.len() > 1 {
        bases.push(words.join("-"));
    }
    for (i, first) in words.iter().enumerate() {
        for second in &words[i + 1..] {
            bases.push(format!("{first}{second}"));
        }
    }
    if words.len() > 1 {
        bases.extend(words.iter().cloned());
    }
    let around = if exact { &AROUND[..1] } else { &AROUND[..] };
    let mut made: Vec<String> = Vec::new();
    for (before, after) in around {
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
async fn suggest_names(_call: Call, asked: SuggestNames) -> Result<Reply, ApiError> {
    let words = asked.keyword.0;
    // WWW-LogicBoxes sends Perl's `!$related`: `1`, or empty (not given).
    let exact = asked.exact_match.unwrap_or(false);
    let mut tlds: Vec<String> = asked
        .tld_only
        .into_iter()
        .chain(asked.tld)
        .map(|tld| tld.0)
        .collect();
    tlds.dedup();
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

/// The vendor's two answers: the zone taken, or not with its description.
async fn de_recheck_ns(call: Call, asked: DeRecheckNs) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let failed = call
        .state
        .store
        .read(move |tx| domains::recheck_de_name_servers(tx, reseller_id, order_id))
        .await?;
    let mut map = MapReply::with_capacity(3);
    match failed {
        None => {
            map.text("status", "success");
        }
        Some(reason) => {
            map.text("status", "failed")
                .text(
                    "description",
                    "Invalid Name Servers or Zone records. Please re-check your settings",
                )
                .text("reason", reason);
        }
    }
    Ok(map.build())
}

/// The older suggestions: labels made from `keyword` (related ones too
/// with `add-related=true`, without hyphens unless `hyphen-allowed=true`),
/// at most `no-of-results` labels (0 or absent: 10), each with its status
/// under every TLD asked: `{"<label>":{"<tld>":"available",...}}`. A
/// label is listed when it is available under at least one of them.
async fn suggest_names_v1(_call: Call, asked: SuggestNamesV1) -> Result<Reply, ApiError> {
    if asked.tlds.is_empty() {
        return Err(ApiError::MissingParam("tlds"));
    }
    let related = asked.add_related.unwrap_or(false);
    let hyphens = asked.hyphen_allowed.unwrap_or(false);
    let wanted = match asked.no_of_results.map_or(0, |n| n.0) {
        0 => 10,
        n => n as usize,
    };
    let mut tlds: Vec<String> = asked.tlds.into_iter().map(|t| t.0).collect();
    tlds.dedup();
    let mut map = MapReply::with_capacity(wanted);
    let mut listed = 0;
    for label in suggestions(&asked.keyword.0, !related) {
        if listed == wanted || (!hyphens && label.contains('-')) {
            continue;
        }
        let statuses: Vec<(String, &'static str)> = tlds
            .iter()
            .map(|tld| {
                let status = match tlds::availability(&label, tld) {
                    Availability::Available => "available",
                    Availability::Premium(_) => "premium",
                    Availability::HeldElsewhere => "regthroughothers",
                    Availability::Unknown => "unknown",
                };
                (tld.clone(), status)
            })
            .collect();
        if !statuses.iter().any(|(_, s)| *s == "available") {
            continue;
        }
        let mut entry = MapReply::with_capacity(statuses.len());
        for (tld, status) in statuses {
            entry.text(tld, status);
        }
        map.put(label, entry.build());
        listed += 1;
    }
    Ok(map.build())
}

/// Premium names made from `key-word`: the keyword, where the rule makes
/// it premium, and the keyword before each aftermarket word
/// (`domainspool`), under each of `tlds`; answers
/// `{name: price}` for those within `price-low`..`price-high` (whole units
/// of the selling currency), at most `no-of-results` (1-100, default 10).
async fn premium_available(_call: Call, asked: PremiumAvailable) -> Result<Reply, ApiError> {
    let keyword = asked.key_word.0;
    let tlds: Vec<String> = asked.tlds.into_iter().map(|tld| tld.0).collect();
    let low = asked.price_low.unwrap_or(Money::ZERO);
    let high = asked.price_high;
    let wanted = asked.no_of_results.map_or(10, |n| n.0 as usize);
    // The keyword itself where the rule makes it premium, then the
    // keyword before each aftermarket word: every name contains it.
    let made: Vec<String> = std::iter::once(keyword.clone())
        .chain(
            tlds::PREMIUM_SUFFIXES
                .iter()
                .map(|word| format!("{keyword}{word}")),
        )
        .filter(|label| label.len() <= 63)
        .collect();
    let mut map = MapReply::with_capacity(wanted);
    let mut found = 0;
    for label in &made {
        for tld in &tlds {
            let Availability::Premium(price) = tlds::availability(label, tld) else {
                continue;
            };
            let name = format!("{label}.{tld}");
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
async fn validate_transfer(call: Call, asked: ValidateTransfer) -> Result<Reply, ApiError> {
    let name = asked.domain_name;
    let elsewhere = tlds::split_name(name.as_str())
        .is_some_and(|(sld, tld)| tlds::availability(sld, tld) == Availability::HeldElsewhere);
    let here = held_here(&call, vec![name.to_string()]).await?;
    Ok(Reply::Bool(elsewhere && here.is_empty()))
}

/// Availability of internationalized names under one `tld`, with the
/// `idnLanguageCode` they are written in; the same rule as `available`.
async fn idn_available(call: Call, asked: IdnAvailable) -> Result<Reply, ApiError> {
    let labels = asked.domain_name;
    let tld = asked.tld.0;
    if labels.len() > MAX_NAMES {
        return Err(ApiError::invalid(
            "domain-name",
            &labels.len().to_string(),
            Allowed::NamesAtOnce(MAX_NAMES),
        ));
    }
    let names: Vec<String> = labels
        .iter()
        .map(|l| format!("{}.{tld}", l.ascii))
        .collect();
    let held_here = held_here(&call, names.clone()).await?;
    let mut map = MapReply::with_capacity(labels.len());
    // The rule reads each name as written: its length in characters.
    for (name, label) in names.into_iter().zip(&labels) {
        let written = &label.written;
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

/// `purchase-privacy` (bought with the name), and `protect-privacy`
/// (on from the start; it is when bought, unless given `false`).
fn privacy(purchase: Option<bool>, protect: Option<bool>) -> Result<(bool, bool), ApiError> {
    let bought = purchase.unwrap_or(false);
    match protect {
        Some(true) if !bought => Err(ApiError::invalid(
            "protect-privacy",
            "true",
            Allowed::OnlyWith("purchase-privacy"),
        )),
        protected => Ok((bought, protected.unwrap_or(bought))),
    }
}

/// What a registration or a transfer sets up, and whether a discount
/// was given.
fn setup(given: calls::Setup) -> Result<(Setup, bool), ApiError> {
    let (bought, protected) = privacy(given.purchase_privacy, given.protect_privacy)?;
    let (billing, with_discount) = charge(&given.billing);
    let setup = Setup {
        ns: given.ns.0,
        contacts: given.contacts.ids(),
        privacy: bought,
        privacy_on: protected,
        auto_renew: given.auto_renew.unwrap_or(false),
        billing,
    };
    Ok((setup, with_discount))
}

/// Premium DNS is not sold: `purchase-premium-dns` is taken as `false`.
fn no_premium_dns(asked: Option<bool>) -> Result<(), ApiError> {
    match asked {
        Some(true) => Err(ApiError::invalid(
            "purchase-premium-dns",
            "true",
            Allowed::NotSold("premium DNS"),
        )),
        _ => Ok(()),
    }
}

async fn register(call: Call, asked: Register) -> Result<Reply, ApiError> {
    no_premium_dns(asked.purchase_premium_dns)?;
    let (setup, with_discount) = setup(asked.setup)?;
    let new = NewDomain {
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        name: asked.domain_name,
        years: asked.years.0,
        setup,
        now: call.now,
    };
    let bought = new.setup.privacy;
    let links = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| domains::register(tx, &links, &new))
        .await?;
    let reply = action_map(&receipt, with_discount);
    if !bought {
        return Ok(reply);
    }
    with_privacy_details(reply, receipt.order.id, None)
}

/// The privacy part of a registration's or renewal's answer, as recorded
/// for a .co.in renewal: `{"entityid","status":"error","error"}` where the
/// TLD offers no privacy (`refused`), `{"entityid","status":"Success"}`
/// where privacy was bought with it.
fn with_privacy_details(
    reply: Reply,
    order_id: OrderId,
    refused: Option<&str>,
) -> Result<Reply, ApiError> {
    let Reply::Map(mut entries) = reply else {
        return Err(ApiError::internal("an action map is not a map"));
    };
    let mut privacy = MapReply::with_capacity(3);
    privacy.id("entityid", order_id);
    match refused {
        Some(error) => privacy
            .text("status", "error")
            .text("error", error.to_string()),
        None => privacy.text("status", "Success"),
    };
    entries.push(("privacydetails".into(), privacy.build()));
    Ok(Reply::Map(entries))
}

/// Renews from the expiry the caller saw (`exp-date`, required): a retried
/// renewal finds it moved and renews nothing.
async fn renew(call: Call, asked: Renew) -> Result<Reply, ApiError> {
    no_premium_dns(asked.purchase_premium_dns)?;
    let (billing, with_discount) = charge(&asked.billing);
    let renewal = DomainRenewal {
        reseller_id: call.reseller_id,
        order_id: asked.order_id,
        years: asked.years.0,
        exp_date: asked.exp_date.0,
        auto_renew: asked.auto_renew,
        privacy: asked.purchase_privacy.unwrap_or(false),
        billing,
        now: call.now,
    };
    let bought = renewal.privacy;
    let receipt = call
        .state
        .store
        .write(move |tx| domains::renew(tx, &renewal))
        .await?;
    let reply = action_map(&receipt, with_discount);
    let offers_privacy = tlds::split_name(&receipt.order.description)
        .and_then(|(_, tld)| tlds::tld_spec(tld))
        .is_some_and(|spec| spec.privacy);
    let order_id = receipt.order.id;
    match (offers_privacy, bought) {
        (false, _) => with_privacy_details(
            reply,
            order_id,
            Some("Privacy Protection Service not available."),
        ),
        (true, true) => with_privacy_details(reply, order_id, None),
        (true, false) => Ok(reply),
    }
}

async fn delete(call: Call, asked: Delete) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let receipt = call
        .state
        .store
        .write(move |tx| domains::delete(tx, reseller_id, order_id, now))
        .await?;
    Ok(action_map(&receipt, false))
}

/// Restores a domain deleted within 30 days, billed as `invoice-option` says.
async fn restore(call: Call, asked: Restore) -> Result<Reply, ApiError> {
    let (billing, with_discount) = charge(&asked.billing);
    let restoration = Restoration {
        reseller_id: call.reseller_id,
        order_id: asked.order_id,
        billing,
        now: call.now,
    };
    let receipt = call
        .state
        .store
        .write(move |tx| domains::restore(tx, &restoration))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// Transfers in a name another registrar holds: register's parameters
/// without `years` (a transfer adds one year), and `auth-code`, which may
/// come later by `transfer/submit-auth-code`.
async fn transfer(call: Call, asked: Transfer) -> Result<Reply, ApiError> {
    let (setup, with_discount) = setup(asked.setup)?;
    let new = NewTransfer {
        reseller_id: call.reseller_id,
        customer_id: asked.customer_id,
        name: asked.domain_name,
        auth_code: asked.auth_code.map(|code| code.0),
        setup,
        now: call.now,
    };
    let links = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| transfer_in::request(tx, &links, &new))
        .await?;
    Ok(action_map(&receipt, with_discount))
}

/// Gives a transfer its auth code; the admin contact is then asked to
/// approve. Answers a bare `Success`.
async fn submit_auth_code(call: Call, asked: SubmitAuthCode) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let code = asked.auth_code.0;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    call.state
        .store
        .write(move |tx| {
            transfer_in::submit_auth_code(tx, &links, reseller_id, order_id, &code, now)
        })
        .await?;
    Ok(Reply::Word("Success"))
}

/// Sends the admin contact a fresh approval mail; answers a bare `true`.
async fn resend_rfa(call: Call, asked: ResendRfa) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let sent = call
        .state
        .store
        .write(move |tx| transfer_in::resend_approval(tx, &links, reseller_id, order_id, now))
        .await?;
    Ok(Reply::Bool(sent))
}

/// Cancels a transfer in progress; answers a bare `Success`.
async fn cancel_transfer(call: Call, asked: CancelTransfer) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    call.state
        .store
        .write(move |tx| transfer_in::cancel(tx, reseller_id, order_id, now))
        .await?;
    Ok(Reply::Word("Success"))
}

/// Makes a free change to a running domain; the reply is the action's, with
/// `currentaction` naming it as the modify calls of the real service do.
async fn modify(call: Call, order_id: OrderId, change: DomainChange) -> Result<Reply, ApiError> {
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let receipt = call
        .state
        .store
        .write(move |tx| domains::modify(tx, &links, reseller_id, order_id, &change, now))
        .await?;
    let Reply::Map(mut entries) = action_map(&receipt, false) else {
        return Err(ApiError::internal("an action map is not a map"));
    };
    entries.push(("currentaction".into(), Reply::Id(receipt.action.id.0)));
    Ok(Reply::Map(entries))
}

/// A .xxx domain's membership id, set first when one is given:
/// `{"orderid", "domainname", "associationid"}` (empty when none is kept).
async fn xxx_association(call: Call, asked: XxxAssociation) -> Result<Reply, ApiError> {
    let (reseller_id, order_id) = (call.reseller_id, asked.order_id);
    let given = asked.association_id.map(|a| a.0);
    let (kept, name) = call
        .state
        .store
        .write(move |tx| {
            let kept = domains::xxx_association(tx, reseller_id, order_id, given.clone())?;
            let name = tx
                .order(order_id)?
                .map(|o| o.description)
                .unwrap_or_default();
            Ok((kept, name))
        })
        .await?;
    let mut map = MapReply::with_capacity(3);
    map.id("orderid", order_id)
        .text("domainname", name)
        .text("associationid", kept.unwrap_or_default());
    Ok(map.build())
}

/// The registry that runs a TLD, as `tld-info` names it.
pub(crate) fn registry_of(tld: &str) -> &'static str {
    match tld {
        "com" | "net" => "Verisign",
        "org" => "Public Interest Registry",
        "info" | "io" => "Identity Digital",
        "biz" | "us" => "GoDaddy Registry",
        "co" => ".CO Internet",
        "ca" => "CIRA",
        "co.uk" => "Nominet",
        "eu" => "EURid",
        "de" => "DENIC",
        "coop" => "DotCooperation",
        "tel" => "Telnic",
        "xxx" => "ICM Registry",
        _ => "NIXI",
    }
}

/// `{"<tld>":{"locking_available","registry","type","privacy_available",
/// "dnssec_available","phases"}}` for every TLD sold; every one is in
/// general availability here.
fn tld_info() -> Reply {
    let mut all = MapReply::with_capacity(reseller_core::tlds::TLDS.len());
    for spec in &reseller_core::tlds::TLDS {
        let country_code = spec.tld.rsplit('.').next().is_some_and(|l| l.len() == 2);
        let mut phase = MapReply::with_capacity(1);
        phase.text("phase", "GA");
        let mut info = MapReply::with_capacity(6);
        info.flag("locking_available", true)
            .text("registry", registry_of(spec.tld))
            .text("type", if country_code { "ccTLD" } else { "gTLD" })
            .flag("privacy_available", spec.privacy)
            .flag("dnssec_available", domains::DNSSEC_TLDS.contains(&spec.tld))
            .put("phases", Reply::List(vec![phase.build()]));
        all.put(spec.tld, info.build());
    }
    all.build()
}

/// Whether a name is premium (by the availability rule), with its yearly
/// price to the customer and to the reseller for each action.
async fn premium_check(call: Call, asked: PremiumCheck) -> Result<Reply, ApiError> {
    let name = asked.domain_name;
    let (sld, tld) = reseller_core::tlds::split_name(name.as_str())
        .filter(|(_, tld)| reseller_core::tlds::tld_spec(tld).is_some())
        .ok_or_else(|| RuleError::TldNotSold(name.to_string()))?;
    let lookup = name.to_string();
    let held = call
        .state
        .store
        .read(
            move |tx| Ok(tx.live_order_named(reseller_core::catalogue::Product::Domain, &lookup)?),
        )
        .await?
        .is_some();
    let mut map = MapReply::with_capacity(4);
    match reseller_core::tlds::availability(sld, tld) {
        reseller_core::tlds::Availability::Premium(price) if !held => {
            let prices = |amount: reseller_core::Money| {
                let mut hash = MapReply::with_capacity(3);
                hash.money("create", amount)
                    .money("renew", amount)
                    .money("transfer", amount);
                hash.build()
            };
            map.flag("premium", true)
                .put("costHash", prices(price))
                .text("sellingCurrencySymbol", super::CURRENCY)
                // The demo catalogue's rule for every price: the reseller
                // pays 70% of what its customers pay.
                .put(
                    "resellerCostPriceHash",
                    prices(reseller_core::Money(price.0 * 70 / 100)),
                );
        }
        _ => {
            map.flag("premium", false);
        }
    }
    Ok(map.build())
}

/// The DS records of `attr-nameN`/`attr-valueN`: four names a record,
/// `keytag` first; each value checked and refused by its parameter's name.
fn ds_records(
    given: &reseller_api::calls::contacts::Attributes,
) -> Result<Vec<domains::DsRecord>, ApiError> {
    const NAMES: [&str; 4] = ["keytag", "algorithm", "digesttype", "digest"];
    let refuse =
        |n: usize, param: &'static str, value: &str, what: String| ApiError::InvalidParam {
            name: param,
            value: value.to_string(),
            allowed: format!("It must be {what} ({param}{n})"),
        };
    if given.0.is_empty() {
        return Err(ApiError::from(reseller_api::ParamError::Missing(
            "attr-nameN",
        )));
    }
    if !given.0.len().is_multiple_of(4) {
        return Err(refuse(
            given.0.len(),
            "attr-name",
            &given.0.len().to_string(),
            "four pairs a record: keytag, algorithm, digesttype and digest".into(),
        ));
    }
    let mut records = Vec::new();
    for (i, chunk) in given.0.chunks(4).enumerate() {
        let mut values: [Option<&str>; 4] = [None; 4];
        for (j, (name, value)) in chunk.iter().enumerate() {
            let n = i * 4 + j + 1;
            let Some(at) = NAMES.iter().position(|known| known == name) else {
                return Err(refuse(
                    n,
                    "attr-name",
                    name,
                    format!("one of {}", NAMES.join(", ")),
                ));
            };
            if values[at].replace(value).is_some() {
                return Err(refuse(
                    n,
                    "attr-name",
                    name,
                    "each name once a record".into(),
                ));
            }
        }
        let [
            Some(keytag),
            Some(algorithm),
            Some(digest_type),
            Some(digest),
        ] = values
        else {
            unreachable!("four distinct names of four");
        };
        let n = i * 4 + 1;
        let keytag: u16 = keytag
            .parse()
            .map_err(|_| refuse(n, "attr-value", keytag, "a keytag from 0 to 65535".into()))?;
        let algorithm: u8 = algorithm.parse().map_err(|_| {
            refuse(
                n,
                "attr-value",
                algorithm,
                "an algorithm from 0 to 255".into(),
            )
        })?;
        let digest_type: u8 = match digest_type {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            other => {
                return Err(refuse(
                    n,
                    "attr-value",
                    other,
                    "a digesttype of 1, 2 or 3".into(),
                ));
            }
        };
        let length = if digest_type == 1 { 40 } else { 64 };
        if digest.len() != length || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(refuse(
                n,
                "attr-value",
                digest,
                format!("a digest of {length} hex digits for digesttype {digest_type}"),
            ));
        }
        records.push(domains::DsRecord {
            keytag,
            algorithm,
            digest_type,
            digest: digest.to_ascii_uppercase(),
        });
    }
    Ok(records)
}

async fn reseller_lock_add(call: Call, asked: ResellerLockAdd) -> Result<Reply, ApiError> {
    let reseller_id = call.reseller_id;
    let reseller = call
        .state
        .store
        .read(move |tx| Ok(tx.reseller(reseller_id)?))
        .await?;
    let lock = domains::ResellerLock {
        reason: asked.reason.0,
        locker_id: reseller_id,
        added_by: reseller.map(|r| r.name).unwrap_or_default(),
        at: call.now,
    };
    modify(call, asked.order_id, DomainChange::ResellerLock(Some(lock))).await
}

/// All four roles, as at registration (`-1` where the TLD takes none).
async fn modify_contact(call: Call, asked: ModifyContact) -> Result<Reply, ApiError> {
    // Our flag says whether to lock; the vendor's says whether not to.
    let lock = !asked.sixty_day_lock_optout.unwrap_or(false);
    let change = DomainChange::Contacts {
        contacts: asked.contacts.ids(),
        lock,
        designated_agent: asked.designated_agent.unwrap_or(false),
    };
    modify(call, asked.order_id, change).await
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

/// `cns` and one or more `ip`: a new child name server, or more addresses
/// for one that exists.
async fn add_cns(call: Call, asked: AddCns) -> Result<Reply, ApiError> {
    let mut ips = Vec::with_capacity(asked.ip.len());
    for given in asked.ip {
        // Kept in its canonical spelling.
        let ip = registry_ip(given);
        if ips.contains(&ip) {
            return Err(ApiError::invalid(
                "ip",
                &given.to_string(),
                Allowed::Distinct,
            ));
        }
        ips.push(ip);
    }
    let change = DomainChange::AddChildNameServer {
        host: asked.cns.0,
        ips,
    };
    modify(call, asked.order_id, change).await
}

/// The locks on a domain: the transfer lock set by theft protection; no
/// customer lock or reseller lock is ever set here.
async fn locks(call: Call, asked: Locks) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let reseller_id = call.reseller_id;
    let order = call
        .state
        .store
        .read(move |tx| orders::order_of_product(tx, reseller_id, order_id, domains::PRODUCTS))
        .await?;
    let domain = order.attrs.domain.unwrap_or_default();
    let mut map = MapReply::with_capacity(3);
    map.put("transferlock", Reply::Bool(domain.transfer_lock))
        .put("customerlock", Reply::Bool(false));
    if let Some(lock) = domain.reseller_lock {
        let mut held = MapReply::with_capacity(4);
        held.id("lockerid", lock.locker_id.0)
            .text("addedby", lock.added_by)
            .text("reason", lock.reason)
            .id("creationdt", lock.at);
        map.put("resellerlock", held.build());
    }
    Ok(map.build())
}

/// The name servers a new domain of this platform is given by default.
pub const DEFAULT_NAME_SERVERS: [&str; 2] = ["dns1.reseller.example", "dns2.reseller.example"];

/// A customer's default name servers: the platform's, as no call sets others.
async fn customer_default_ns(call: Call, asked: CustomerDefaultNs) -> Result<Reply, ApiError> {
    let customer_id = asked.customer_id;
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
async fn resend_verification(call: Call, asked: ResendNixiVerification) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    call.state
        .store
        .write(move |tx| reseller_core::nixi::resend(tx, &links, reseller_id, order_id, now))
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
async fn resend_raa_verification(
    call: Call,
    asked: ResendRaaVerification,
) -> Result<Reply, ApiError> {
    let order_id = asked.order_id;
    let (reseller_id, now) = (call.reseller_id, call.now);
    let links = call.state.clone();
    let sent = call
        .state
        .store
        .write(move |tx| reseller_core::raa::resend(tx, &links, reseller_id, order_id, now))
        .await?;
    Ok(Reply::Bool(sent))
}

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
    let (reseller_id, now) = (call.reseller_id, call.now);
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
            let waiting_change = attrs.irtp.as_ref().and_then(|change| change.action_id);
            let under_way = match (attrs.transfer_in, waiting_change) {
                (Some(transfer), _) => tx.action(transfer.action_id)?,
                (None, Some(change)) => tx.action(change)?,
                (None, None) => tx.pending_action(order.id)?,
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

fn options(asked: &[DetailOption]) -> Vec<&'static str> {
    asked.iter().map(|option| option.0).collect()
}

async fn details(call: Call, asked: Details) -> Result<Reply, ApiError> {
    let wanted = options(&asked.options);
    let order_id = asked.order_id;
    let shown = shown(&call, order_id).await?;
    Ok(details_map(&shown, &wanted).build())
}

async fn details_by_name(call: Call, asked: DetailsByName) -> Result<Reply, ApiError> {
    let wanted = options(&asked.options);
    let name = asked.domain_name;
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
async fn order_id(call: Call, asked: OrderIdOf) -> Result<Reply, ApiError> {
    let name = asked.domain_name;
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
async fn search(call: Call, asked: Search) -> Result<Reply, ApiError> {
    let plan_ids = asked
        .product_key
        .iter()
        .flat_map(|key| {
            tlds::TLDS
                .iter()
                .filter(move |spec| spec.classkey == key.0)
                .filter_map(|spec| plan_of_tld(spec.tld))
        })
        .collect();
    let mut query = super::order_query_of(
        &asked.page,
        &asked.filters,
        call.reseller_id,
        domains::PRODUCTS,
    )?;
    query.plan_ids = plan_ids;
    query.privacy_on = asked.privacy_enabled;
    let found = call
        .state
        .store
        .read(move |tx| Ok(tx.search_orders(&query)?))
        .await?;
    Ok(search_page(&found, |order| {
        let mut record = order_record(order);
        // The registry's product, as details show it (`domcno`, `.COM
        // Domain Name`), where the order records keep the product's.
        if let Some((_, tld)) = tlds::split_name(&order.description) {
            let classkey = tlds::tld_spec(tld).map_or("domorder", |s| s.classkey);
            let name = format!(".{} Domain Name", tld.to_uppercase());
            record
                .replace("entitytype.entitytypekey", Reply::Text(classkey.into()))
                .replace("entitytype.entitytypename", Reply::Text(name.into()));
        }
        record
            .flag(
                "orders.privacyprotection",
                order.attrs.domain.as_ref().is_some_and(|d| d.privacy_on),
            )
            .id("orders.creationdt", order.created)
            .id("orders.timestamp", order.created)
            .id(
                "entity.entitytypeid",
                i64::from(order.product.spec().entity_type_id),
            )
            .flag(
                "orders.resellerlock",
                order
                    .attrs
                    .domain
                    .as_ref()
                    .is_some_and(|d| d.reseller_lock.is_some()),
            )
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
        let records = order
            .attrs
            .domain
            .as_ref()
            .map(|d| d.dnssec.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let mut record = MapReply::with_capacity(4);
                record
                    .text("keytag", r.keytag.to_string())
                    .text("algorithm", r.algorithm.to_string())
                    .text("digesttype", r.digest_type.to_string())
                    .text("digest", r.digest.clone());
                record.build()
            })
            .collect();
        map.put("dnssec", Reply::List(records));
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
