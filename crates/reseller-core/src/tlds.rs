//! The registry a reseller registers against: the TLDs this platform sells,
//! each declared as data ([`TLDS`]), and what a name's availability is.
//!
//! Availability follows one documented, deterministic rule (docs/API.md),
//! so that tests and integrators can count on it: a name held on this
//! platform is `regthroughus`; a name of a few well-known second-level
//! labels, or of three characters or fewer, is held elsewhere
//! (`regthroughothers`); a name of exactly four letters is premium, at a
//! price made from its letters; every other name is `available`. A TLD the
//! platform does not sell is `unknown`.

use crate::money::Money;

/// Which contacts a TLD's registration takes (`-1` for those it does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactRoles {
    pub registrant: bool,
    pub admin: bool,
    pub tech: bool,
    pub billing: bool,
}

const ALL_ROLES: ContactRoles = ContactRoles {
    registrant: true,
    admin: true,
    tech: true,
    billing: true,
};

/// The registrant alone (the .eu, .de, .co.uk registries).
/// CIRA's .ca keeps no billing contact (WWW-LogicBoxes registers .ca
/// with `billing-contact-id=-1`).
const NO_BILLING: ContactRoles = ContactRoles {
    registrant: true,
    admin: true,
    tech: true,
    billing: false,
};

const REGISTRANT_ONLY: ContactRoles = ContactRoles {
    registrant: true,
    admin: false,
    tech: false,
    billing: false,
};

/// A TLD as this platform sells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TldSpec {
    /// Without the leading dot: `com`, `co.in`.
    pub tld: &'static str,
    /// The registry's product key, as availability and details show it.
    pub classkey: &'static str,
    pub min_years: u32,
    pub max_years: u32,
    pub contacts: ContactRoles,
    /// Registry attributes a registration must carry (`attr-nameN`).
    pub attributes: &'static [&'static str],
    /// Whether privacy protection is sold for it.
    pub privacy: bool,
    /// Whether NIXI verification applies (.in, its third levels, .bharat).
    pub nixi: bool,
    /// Demo selling prices of a year, in thousandths: register, renew,
    /// transfer, restore.
    pub yearly: [i64; 4],
}

const fn tld(
    tld: &'static str,
    classkey: &'static str,
    contacts: ContactRoles,
    attributes: &'static [&'static str],
    privacy: bool,
    nixi: bool,
    yearly: [i64; 4],
) -> TldSpec {
    TldSpec {
        tld,
        classkey,
        min_years: 1,
        max_years: 10,
        contacts,
        attributes,
        privacy,
        nixi,
        yearly,
    }
}

/// Every TLD the platform sells.
pub static TLDS: [TldSpec; 23] = [
    tld(
        "com",
        "domcno",
        ALL_ROLES,
        &[],
        true,
        false,
        [10_990, 12_990, 10_990, 80_000],
    ),
    tld(
        "net",
        "dotnet",
        ALL_ROLES,
        &[],
        true,
        false,
        [12_490, 14_490, 12_490, 80_000],
    ),
    tld(
        "org",
        "domorg",
        ALL_ROLES,
        &[],
        true,
        false,
        [11_490, 13_490, 11_490, 80_000],
    ),
    tld(
        "info",
        "dominfo",
        ALL_ROLES,
        &[],
        true,
        false,
        [3_990, 19_990, 14_990, 80_000],
    ),
    tld(
        "biz",
        "dombiz",
        ALL_ROLES,
        &[],
        true,
        false,
        [15_990, 17_990, 15_990, 80_000],
    ),
    tld(
        "co",
        "dotco",
        ALL_ROLES,
        &[],
        true,
        false,
        [24_990, 27_990, 24_990, 90_000],
    ),
    tld(
        "io",
        "dotio",
        ALL_ROLES,
        &[],
        true,
        false,
        [39_990, 44_990, 39_990, 120_000],
    ),
    tld(
        "us",
        "domus",
        ALL_ROLES,
        &["purpose", "category"],
        false,
        false,
        [7_990, 9_990, 7_990, 60_000],
    ),
    tld(
        "ca",
        "dotca",
        NO_BILLING,
        &["CPR", "AgreementVersion", "AgreementValue"],
        false,
        false,
        [13_990, 14_990, 13_990, 60_000],
    ),
    tld(
        "co.uk",
        "thirdleveldotuk",
        REGISTRANT_ONLY,
        &[],
        false,
        false,
        [8_990, 9_990, 0, 60_000],
    ),
    tld(
        "eu",
        "doteu",
        REGISTRANT_ONLY,
        &[],
        false,
        false,
        [7_990, 9_990, 7_990, 60_000],
    ),
    tld(
        "de",
        "dotde",
        REGISTRANT_ONLY,
        &[],
        false,
        false,
        [6_990, 7_990, 6_990, 60_000],
    ),
    tld(
        "in",
        "dotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [8_990, 10_990, 8_990, 60_000],
    ),
    tld(
        "co.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    tld(
        "net.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    tld(
        "org.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    tld(
        "firm.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    tld(
        "gen.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    tld(
        "ind.in",
        "thirdleveldotin",
        ALL_ROLES,
        &[],
        false,
        true,
        [5_990, 6_990, 5_990, 60_000],
    ),
    // Registered only with a cooperative's reference, a sponsor
    // (`contacts/coop/add-sponsor`).
    tld(
        "coop",
        "dotcoop",
        ALL_ROLES,
        &[],
        false,
        false,
        [99_990, 99_990, 99_990, 120_000],
    ),
    // Its registrant chooses how much of it WHOIS shows
    // (`domains/tel/modify-whois-pref`).
    tld(
        "tel",
        "dottel",
        ALL_ROLES,
        &[],
        false,
        false,
        [14_990, 14_990, 14_990, 60_000],
    ),
    // Its registrant may give its sponsored community's membership id
    // (`domains/dotxxx/association-details`).
    tld(
        "xxx",
        "dotxxx",
        ALL_ROLES,
        &[],
        false,
        false,
        [89_990, 89_990, 89_990, 120_000],
    ),
    tld(
        "bharat",
        "dotbharat",
        ALL_ROLES,
        &[],
        false,
        true,
        [7_990, 9_990, 7_990, 60_000],
    ),
];

/// The TLD the platform sells by its name, without the dot.
pub fn tld_spec(tld: &str) -> Option<&'static TldSpec> {
    TLDS.iter().find(|t| t.tld == tld)
}

/// A name's second-level label and TLD: the longest TLD the platform sells
/// that ends the name, else the last label.
pub fn split_name(name: &str) -> Option<(&str, &str)> {
    let best = TLDS
        .iter()
        .filter(|t| name.len() > t.tld.len() + 1 && name.ends_with(&format!(".{}", t.tld)))
        .max_by_key(|t| t.tld.len());
    match best {
        Some(t) => Some((&name[..name.len() - t.tld.len() - 1], t.tld)),
        None => name.rsplit_once('.'),
    }
}

/// Second-level labels held elsewhere, whatever the TLD (the recordings
/// show `google.com` and `github.net` taken).
pub const HELD_ELSEWHERE: [&str; 13] = [
    "google",
    "github",
    "facebook",
    "amazon",
    "microsoft",
    "apple",
    "wikipedia",
    "example",
    "youtube",
    "netflix",
    "yahoo",
    "twitter",
    "logicboxes",
];

/// What a name not held on this platform is, by the rule above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    Available,
    HeldElsewhere,
    /// Available at this price (a year, in the selling currency).
    Premium(Money),
    /// A TLD the platform does not sell.
    Unknown,
}

impl Availability {
    /// The status availability calls show.
    pub fn status(self) -> &'static str {
        match self {
            Availability::Available | Availability::Premium(_) => "available",
            Availability::HeldElsewhere => "regthroughothers",
            Availability::Unknown => "unknown",
        }
    }
}

/// The availability of `sld` under `tld`, for a name this platform does not hold.
pub fn availability(sld: &str, tld: &str) -> Availability {
    if tld_spec(tld).is_none() {
        return Availability::Unknown;
    }
    let last = sld.rsplit('.').next().unwrap_or(sld);
    if HELD_ELSEWHERE.contains(&last) || last.chars().count() <= 3 {
        return Availability::HeldElsewhere;
    }
    if last.len() == 4 && last.bytes().all(|b| b.is_ascii_lowercase()) || is_aftermarket(last) {
        return Availability::Premium(premium_price(last));
    }
    Availability::Available
}

/// Words that make a name an aftermarket (premium) name when a label ends
/// in one of them after at least one character: `domainspool`.
pub const PREMIUM_SUFFIXES: [&str; 6] = ["pool", "vault", "nest", "prime", "mint", "forge"];

fn is_aftermarket(label: &str) -> bool {
    PREMIUM_SUFFIXES
        .iter()
        .any(|word| label.len() > word.len() && label.ends_with(word))
}

/// A premium name's price: from 1,000.000 to 9,999.000, made from its letters.
pub fn premium_price(label: &str) -> Money {
    let made = label
        .bytes()
        .fold(0u32, |n, b| n.wrapping_mul(31).wrapping_add(u32::from(b)));
    Money::from_units(1_000 + i64::from(made % 9_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_the_documented_one() {
        assert_eq!(availability("google", "com"), Availability::HeldElsewhere);
        assert_eq!(availability("abc", "net"), Availability::HeldElsewhere);
        assert_eq!(availability("github", "co.in"), Availability::HeldElsewhere);
        assert!(matches!(
            availability("wxyz", "com"),
            Availability::Premium(_)
        ));
        assert_eq!(availability("my-new-shop", "com"), Availability::Available);
        assert!(matches!(
            availability("domainspool", "com"),
            Availability::Premium(_)
        ));
        assert!(matches!(
            availability("pool", "com"),
            Availability::Premium(_)
        ));
        assert_eq!(availability("spooler", "com"), Availability::Available);
        assert_eq!(availability("my-new-shop", "name"), Availability::Unknown);
        assert_eq!(premium_price("wxyz"), premium_price("wxyz"));
        assert!(premium_price("wxyz") >= Money::from_units(1_000));
        assert!(premium_price("wxyz") < Money::from_units(10_000));
    }

    #[test]
    fn a_name_splits_at_the_longest_tld_sold() {
        assert_eq!(split_name("shop.co.in"), Some(("shop", "co.in")));
        assert_eq!(split_name("shop.in"), Some(("shop", "in")));
        assert_eq!(split_name("a.b.example.com"), Some(("a.b.example", "com")));
        assert_eq!(split_name("domain.one.name"), Some(("domain.one", "name")));
    }

    #[test]
    fn every_tld_is_sold_for_one_to_ten_years_and_nixi_has_no_privacy() {
        for t in &TLDS {
            assert_eq!((t.min_years, t.max_years), (1, 10), "{}", t.tld);
            assert!(!(t.nixi && t.privacy), "{}", t.tld);
            assert!(t.yearly[0] > 0 && t.yearly[1] > 0, "{}", t.tld);
        }
    }
}
