//! `domains/*`: availability and suggestions, registration, renewal,
//! details, searches, transfers in and every modify call of a domain order.

use super::{Billing, OrderFilters, Page};
use crate::{Allowed, Count, EpochSeconds, Field, Kind, Pairs, Param, ParamError, Params, Source};
use reseller_core::{ContactId, CustomerId, DomainName, Money, OrderId};
use std::net::IpAddr;

/// A second-level label: letters, digits and hyphens, 1 to 63, no hyphen
/// at either end; kept lowercased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label(pub String);

impl Field for Label {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let lower = value.to_ascii_lowercase();
        let ok = !lower.is_empty()
            && lower.len() <= 63
            && !lower.starts_with('-')
            && !lower.ends_with('-')
            && lower
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(ParamError::invalid(name, value, Allowed::DomainLabel));
        }
        Ok(Label(lower))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A TLD as given (`com`, `co.in`), without the dot, lowercased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tld(pub String);

impl Field for Tld {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let lower = value.trim_start_matches('.').to_ascii_lowercase();
        let ok = !lower.is_empty()
            && lower.len() <= 63
            && lower.split('.').all(|l| {
                !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !ok {
            return Err(ParamError::invalid(name, value, Allowed::Tld));
        }
        Ok(Tld(lower))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A host name (a name server, a child name server), kept lowercased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostName(pub String);

impl Field for HostName {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        DomainName::parse(value)
            .map(|host| HostName(host.into()))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::HostName))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// Name servers (`ns`): 1 to 13 host names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameServers(pub Vec<String>);

impl Params for NameServers {
    fn declare(out: &mut Vec<Param>) {
        out.push(Param {
            name: "ns",
            kind: Kind::Text,
            required: true,
            repeated: true,
            numbered: false,
        });
    }
    fn parse(source: &(impl Source + ?Sized)) -> Result<Self, ParamError> {
        let given = source.values("ns");
        if given.is_empty() {
            return Err(ParamError::Missing("ns"));
        }
        if given.len() > 13 {
            return Err(ParamError::invalid(
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
                    .ok_or_else(|| ParamError::invalid("ns", ns, Allowed::NameServers))
            })
            .collect::<Result<_, _>>()
            .map(NameServers)
    }
    fn encode(&self, out: &mut Pairs) {
        out.extend(self.0.iter().map(|ns| ("ns".to_string(), ns.clone())));
    }
}

/// A contact of a role: a contact's id, or `-1` where the TLD takes none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Role(pub Option<ContactId>);

impl Field for Role {
    const KIND: Kind = Kind::IdOrNone;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        if value == "-1" {
            return Ok(Role(None));
        }
        <ContactId as Field>::parse(name, value).map(|id| Role(Some(id)))
    }
    fn encode(&self) -> String {
        self.0.map_or("-1".to_string(), |id| id.0.to_string())
    }
}

crate::params! {
    /// The four contact roles of a domain, `-1` where the TLD takes none.
    pub struct Contacts {
        required registrant: Role = "reg-contact-id",
        required admin: Role = "admin-contact-id",
        required tech: Role = "tech-contact-id",
        required billing: Role = "billing-contact-id",
    }
}

impl Contacts {
    /// In the order of `reseller_core::domains::ROLES`.
    pub fn ids(&self) -> [Option<ContactId>; 4] {
        [self.registrant, self.admin, self.tech, self.billing].map(|role| role.0)
    }
}

/// A domain secret: 1 to 32 printable ASCII characters, no spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthCode(pub String);

impl std::fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthCode(hidden)")
    }
}

impl Field for AuthCode {
    const KIND: Kind = Kind::TextUpTo(32);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let fits = (1..=32).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic());
        if !fits {
            return Err(ParamError::invalid(name, value, Allowed::AuthCode));
        }
        Ok(AuthCode(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A keyword to make names of: a word or a phrase of words, each a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyword(pub Vec<String>);

impl Field for Keyword {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let invalid = || ParamError::invalid(name, value, Allowed::Keyword);
        let words = value
            .split_whitespace()
            .map(|word| Label::parse(name, word).map(|label| label.0))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid())?;
        if words.is_empty() || words.concat().len() > 63 {
            return Err(invalid());
        }
        Ok(Keyword(words))
    }
    fn encode(&self) -> String {
        self.0.join(" ")
    }
}

/// A label of an internationalized name as written, with its ASCII
/// (punycode) form as IDNA (UTS 46) maps it, which replies are keyed by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdnLabel {
    pub written: String,
    pub ascii: String,
}

impl Field for IdnLabel {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let invalid = || ParamError::invalid(name, value, Allowed::IdnLabel);
        if value.is_empty() || value.contains('.') {
            return Err(invalid());
        }
        let ascii = idna::domain_to_ascii_strict(value).map_err(|_| invalid())?;
        if ascii.len() > 63 || ascii.starts_with('-') || ascii.ends_with('-') {
            return Err(invalid());
        }
        Ok(IdnLabel {
            written: value.to_string(),
            ascii,
        })
    }
    fn encode(&self) -> String {
        self.written.clone()
    }
}

/// The language codes IDN checks take: every ISO 639-2 code, both the
/// bibliographic and the terminology forms (`fre` and `fra`), from
/// Debian's iso-codes, as the registries' language tags are.
pub const IDN_LANGUAGES: [&str; 506] = [
    "aar", "abk", "ace", "ach", "ada", "ady", "afa", "afh", "afr", "ain", "aka", "akk", "alb",
    "ale", "alg", "alt", "amh", "ang", "anp", "apa", "ara", "arc", "arg", "arm", "arn", "arp",
    "art", "arw", "asm", "ast", "ath", "aus", "ava", "ave", "awa", "aym", "aze", "bad", "bai",
    "bak", "bal", "bam", "ban", "baq", "bas", "bat", "bej", "bel", "bem", "ben", "ber", "bho",
    "bih", "bik", "bin", "bis", "bla", "bnt", "bod", "bos", "bra", "bre", "btk", "bua", "bug",
    "bul", "bur", "byn", "cad", "cai", "car", "cat", "cau", "ceb", "cel", "ces", "cha", "chb",
    "che", "chg", "chi", "chk", "chm", "chn", "cho", "chp", "chr", "chu", "chv", "chy", "cmc",
    "cnr", "cop", "cor", "cos", "cpe", "cpf", "cpp", "cre", "crh", "crp", "csb", "cus", "cym",
    "cze", "dak", "dan", "dar", "day", "del", "den", "deu", "dgr", "din", "div", "doi", "dra",
    "dsb", "dua", "dum", "dut", "dyu", "dzo", "efi", "egy", "eka", "ell", "elx", "eng", "enm",
    "epo", "est", "eus", "ewe", "ewo", "fan", "fao", "fas", "fat", "fij", "fil", "fin", "fiu",
    "fon", "fra", "fre", "frm", "fro", "frr", "frs", "fry", "ful", "fur", "gaa", "gay", "gba",
    "gem", "geo", "ger", "gez", "gil", "gla", "gle", "glg", "glv", "gmh", "goh", "gon", "gor",
    "got", "grb", "grc", "gre", "grn", "gsw", "guj", "gwi", "hai", "hat", "hau", "haw", "heb",
    "her", "hil", "him", "hin", "hit", "hmn", "hmo", "hrv", "hsb", "hun", "hup", "hye", "iba",
    "ibo", "ice", "ido", "iii", "ijo", "iku", "ile", "ilo", "ina", "inc", "ind", "ine", "inh",
    "ipk", "ira", "iro", "isl", "ita", "jav", "jbo", "jpn", "jpr", "jrb", "kaa", "kab", "kac",
    "kal", "kam", "kan", "kar", "kas", "kat", "kau", "kaw", "kaz", "kbd", "kha", "khi", "khm",
    "kho", "kik", "kin", "kir", "kmb", "kok", "kom", "kon", "kor", "kos", "kpe", "krc", "krl",
    "kro", "kru", "kua", "kum", "kur", "kut", "lad", "lah", "lam", "lao", "lat", "lav", "lez",
    "lim", "lin", "lit", "lol", "loz", "ltz", "lua", "lub", "lug", "lui", "lun", "luo", "lus",
    "mac", "mad", "mag", "mah", "mai", "mak", "mal", "man", "mao", "map", "mar", "mas", "may",
    "mdf", "mdr", "men", "mga", "mic", "min", "mis", "mkd", "mkh", "mlg", "mlt", "mnc", "mni",
    "mno", "moh", "mon", "mos", "mri", "msa", "mul", "mun", "mus", "mwl", "mwr", "mya", "myn",
    "myv", "nah", "nai", "nap", "nau", "nav", "nbl", "nde", "ndo", "nds", "nep", "new", "nia",
    "nic", "niu", "nld", "nno", "nob", "nog", "non", "nor", "nqo", "nso", "nub", "nwc", "nya",
    "nym", "nyn", "nyo", "nzi", "oci", "oji", "ori", "orm", "osa", "oss", "ota", "oto", "paa",
    "pag", "pal", "pam", "pan", "pap", "pau", "peo", "per", "phi", "phn", "pli", "pol", "pon",
    "por", "pra", "pro", "pus", "que", "raj", "rap", "rar", "roa", "roh", "rom", "ron", "rum",
    "run", "rup", "rus", "sad", "sag", "sah", "sai", "sal", "sam", "san", "sas", "sat", "scn",
    "sco", "sel", "sem", "sga", "sgn", "shn", "sid", "sin", "sio", "sit", "sla", "slk", "slo",
    "slv", "sma", "sme", "smi", "smj", "smn", "smo", "sms", "sna", "snd", "snk", "sog", "som",
    "son", "sot", "spa", "sqi", "srd", "srn", "srp", "srr", "ssa", "ssw", "suk", "sun", "sus",
    "sux", "swa", "swe", "syc", "syr", "tah", "tai", "tam", "tat", "tel", "tem", "ter", "tet",
    "tgk", "tgl", "tha", "tib", "tig", "tir", "tiv", "tkl", "tlh", "tli", "tmh", "tog", "ton",
    "tpi", "tsi", "tsn", "tso", "tuk", "tum", "tup", "tur", "tut", "tvl", "twi", "tyv", "udm",
    "uga", "uig", "ukr", "umb", "und", "urd", "uzb", "vai", "ven", "vie", "vol", "vot", "wak",
    "wal", "war", "was", "wel", "wen", "wln", "wol", "xal", "xho", "yao", "yap", "yid", "yor",
    "ypk", "zap", "zbl", "zen", "zgh", "zha", "zho", "znd", "zul", "zun", "zxx", "zza",
];

/// `idnLanguageCode`: a language of ISO 639-2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdnLanguage(pub &'static str);

impl Field for IdnLanguage {
    const KIND: Kind = Kind::OneOf(|| IDN_LANGUAGES.to_vec());
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        IDN_LANGUAGES
            .iter()
            .find(|code| **code == value)
            .map(|code| IdnLanguage(code))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::LanguageCode))
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

/// What `options` asks details to show.
pub const OPTIONS: [&str; 11] = [
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

text_word!(
    /// One part of a domain's details (`options`).
    DetailOption,
    OPTIONS
);

/// The registry keys of the TLDs, each once (`domcno`, `dotin`, ...).
pub fn product_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = reseller_core::tlds::TLDS
        .iter()
        .map(|spec| spec.classkey)
        .collect();
    keys.dedup();
    keys
}

/// A registry key of a TLD, as a domain search's `product-key` takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductKey(pub &'static str);

impl Field for ProductKey {
    const KIND: Kind = Kind::OneOf(product_keys);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let keys = product_keys();
        keys.iter()
            .find(|key| **key == value)
            .map(|key| ProductKey(key))
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&keys)))
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

/// The years a registration or renewal buys.
pub type Years = Count<1, 10>;

crate::params! {
    /// What a registration and a transfer in set up alike: name servers,
    /// privacy, auto-renewal, contacts and billing.
    pub struct Setup {
        group ns: NameServers,
        optional purchase_privacy: bool = "purchase-privacy",
        optional protect_privacy: bool = "protect-privacy",
        optional auto_renew: bool = "auto-renew",
        group contacts: Contacts,
        group billing: Billing,
    }
}

crate::call! {
    /// `domains/register`: a new domain order.
    POST "domains/register" => Action;
    pub struct Register {
        required domain_name: DomainName = "domain-name",
        required customer_id: CustomerId = "customer-id",
        required years: Years = "years",
        group setup: Setup,
        /// Premium DNS with it: not sold here, so only `false` is taken.
        optional purchase_premium_dns: bool = "purchase-premium-dns",
    }
}

crate::call! {
    /// `domains/renew`, from the expiry the caller saw (`exp-date`).
    POST "domains/renew" => Action;
    pub struct Renew {
        required order_id: OrderId = "order-id",
        required years: Years = "years",
        required exp_date: EpochSeconds = "exp-date",
        optional auto_renew: bool = "auto-renew",
        optional purchase_privacy: bool = "purchase-privacy",
        /// Premium DNS with it: not sold here, so only `false` is taken.
        optional purchase_premium_dns: bool = "purchase-premium-dns",
        group billing: Billing,
    }
}

/// The keys every domain's details reply has.
pub const DETAILS: &[&str] = &["orderid", "entityid", "domainname", "currentstatus"];

crate::call! {
    /// `domains/details`: what `options` asks of one order.
    GET "domains/details" => Fields(DETAILS), reads crate::replies::DomainDetails;
    pub struct Details {
        required order_id: OrderId = "order-id",
        one_or_more options: DetailOption = "options",
    }
}

crate::call! {
    /// `domains/details-by-name`.
    GET "domains/details-by-name" => Fields(DETAILS), reads crate::replies::DomainDetails;
    pub struct DetailsByName {
        required domain_name: DomainName = "domain-name",
        one_or_more options: DetailOption = "options",
    }
}

crate::call! {
    /// `domains/orderid`: the newest order of a name, as a bare integer.
    GET "domains/orderid" => Int;
    pub struct OrderIdOf {
        required domain_name: DomainName = "domain-name",
    }
}

crate::call! {
    /// `domains/search`: the order search, by TLD (`product-key`) and privacy too.
    GET "domains/search" => Search;
    pub struct Search {
        group page: Page,
        group filters: OrderFilters,
        repeated product_key: ProductKey = "product-key",
        optional privacy_enabled: bool = "privacy-enabled",
        /// The orders of the caller's sub-resellers' customers too: no
        /// reseller has sub-resellers here yet, so it adds none.
        optional show_child_orders: bool = "show-child-orders",
    }
}

/// A call that names only the order it acts on.
macro_rules! order_call {
    ($(#[$meta:meta])* $verb:ident $path:literal => $reply:expr; $name:ident) => {
        crate::call! {
            $(#[$meta])*
            $verb $path => $reply;
            pub struct $name {
                required order_id: OrderId = "order-id",
            }
        }
    };
}

order_call!(
    /// `domains/delete`.
    POST "domains/delete" => Action; Delete
);

crate::call! {
    /// `domains/restore`: a domain deleted within 30 days, billed.
    POST "domains/restore" => Action;
    pub struct Restore {
        required order_id: OrderId = "order-id",
        group billing: Billing,
    }
}

crate::call! {
    /// `domains/transfer`: a transfer in; `auth-code` may come later.
    POST "domains/transfer" => Action;
    pub struct Transfer {
        required domain_name: DomainName = "domain-name",
        required customer_id: CustomerId = "customer-id",
        optional auth_code: AuthCode = "auth-code",
        group setup: Setup,
    }
}

crate::call! {
    /// `domains/transfer/submit-auth-code`: a bare `Success`.
    POST "domains/transfer/submit-auth-code" => Word;
    pub struct SubmitAuthCode {
        required order_id: OrderId = "order-id",
        required auth_code: AuthCode = "auth-code",
    }
}

order_call!(
    /// `domains/resend-rfa`: a fresh approval mail, a bare `true`.
    POST "domains/resend-rfa" => Bool; ResendRfa
);
order_call!(
    /// `domains/cancel-transfer`: a bare `Success`.
    POST "domains/cancel-transfer" => Word; CancelTransfer
);

crate::call! {
    /// `domains/modify-ns`.
    POST "domains/modify-ns" => Action;
    pub struct ModifyNs {
        required order_id: OrderId = "order-id",
        group ns: NameServers,
    }
}

crate::call! {
    /// `domains/modify-contact`: all four roles, as at registration.
    POST "domains/modify-contact" => Action;
    pub struct ModifyContact {
        required order_id: OrderId = "order-id",
        group contacts: Contacts,
        optional sixty_day_lock_optout: bool = "sixty-day-lock-optout",
        /// The caller approves the change of registrant as both
        /// registrants' Designated Agent: no approval mails, at once.
        optional designated_agent: bool = "designated-agent",
    }
}

order_call!(
    /// `domains/enable-theft-protection`.
    POST "domains/enable-theft-protection" => Action; EnableTheftProtection
);
order_call!(
    /// `domains/disable-theft-protection`.
    POST "domains/disable-theft-protection" => Action; DisableTheftProtection
);
order_call!(
    /// `domains/locks`.
    GET "domains/locks" => Fields(&["transferlock", "customerlock"]); Locks
);

crate::call! {
    /// `domains/modify-privacy-protection`, with the reason for it.
    POST "domains/modify-privacy-protection" => Action;
    pub struct ModifyPrivacyProtection {
        required order_id: OrderId = "order-id",
        required protect_privacy: bool = "protect-privacy",
        required reason: String = "reason",
    }
}

crate::call! {
    /// `domains/modify-auth-code`.
    POST "domains/modify-auth-code" => Action;
    pub struct ModifyAuthCode {
        required order_id: OrderId = "order-id",
        required auth_code: AuthCode = "auth-code",
    }
}

crate::call! {
    /// `domains/customer-default-ns`: a customer's default name servers.
    GET "domains/customer-default-ns" => List;
    pub struct CustomerDefaultNs {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `domains/validate-transfer`: whether a name could be transferred in.
    GET "domains/validate-transfer" => Bool;
    pub struct ValidateTransfer {
        required domain_name: DomainName = "domain-name",
    }
}

order_call!(
    /// `domains/gdpr/enable`.
    POST "domains/gdpr/enable" => Action; GdprEnable
);
order_call!(
    /// `domains/gdpr/disable`.
    POST "domains/gdpr/disable" => Action; GdprDisable
);

crate::call! {
    /// `domains/add-cns`: a child name server, or more addresses for one.
    POST "domains/add-cns" => Action;
    pub struct AddCns {
        required order_id: OrderId = "order-id",
        required cns: HostName = "cns",
        one_or_more ip: IpAddr = "ip",
    }
}

crate::call! {
    /// `domains/modify-cns-name`.
    POST "domains/modify-cns-name" => Action;
    pub struct ModifyCnsName {
        required order_id: OrderId = "order-id",
        required old_cns: HostName = "old-cns",
        required new_cns: HostName = "new-cns",
    }
}

crate::call! {
    /// `domains/modify-cns-ip`.
    POST "domains/modify-cns-ip" => Action;
    pub struct ModifyCnsIp {
        required order_id: OrderId = "order-id",
        required cns: HostName = "cns",
        required old_ip: IpAddr = "old-ip",
        required new_ip: IpAddr = "new-ip",
    }
}

crate::call! {
    /// `domains/delete-cns-ip`.
    POST "domains/delete-cns-ip" => Action;
    pub struct DeleteCnsIp {
        required order_id: OrderId = "order-id",
        required cns: HostName = "cns",
        required ip: IpAddr = "ip",
    }
}

order_call!(
    /// `domains/nixi/verification/resend`: a fresh NIXI verification mail.
    POST "domains/nixi/verification/resend" => Fields(&["status", "message"]); ResendNixiVerification
);
order_call!(
    /// `domains/raa/resend-verification`: a fresh ICANN verification mail.
    POST "domains/raa/resend-verification" => Bool; ResendRaaVerification
);

crate::call! {
    /// `domains/available`: each name under each TLD, and with
    /// `suggest-alternative=true` names made from each under each TLD too.
    GET "domains/available" => Keyed;
    pub struct Available {
        one_or_more domain_name: Label = "domain-name",
        one_or_more tlds: Tld = "tlds",
        optional suggest_alternative: bool = "suggest-alternative",
    }
}

crate::call! {
    /// `domains/thirdlevelname/available`: `domain-name` `domain` under
    /// `tlds` `one.name`, or `domain.one` under `*.name`.
    GET "domains/thirdlevelname/available" => Keyed;
    pub struct ThirdLevelAvailable {
        one_or_more domain_name: String = "domain-name",
        one_or_more tlds: String = "tlds",
    }
}

crate::call! {
    /// `domains/v5/suggest-names`: names made from a keyword.
    GET "domains/v5/suggest-names" => Keyed;
    pub struct SuggestNames {
        required keyword: Keyword = "keyword",
        repeated tld_only: Tld = "tld-only",
        /// The TLDs to suggest under, as `tld-only` (the vendor's clients
        /// send either).
        repeated tld: Tld = "tld",
        optional exact_match: bool = "exact-match",
        optional adult: bool = "adult",
    }
}

crate::call! {
    /// `domains/premium/available`: premium names around a keyword.
    GET "domains/premium/available" => Keyed;
    pub struct PremiumAvailable {
        required key_word: Label = "key-word",
        one_or_more tlds: Tld = "tlds",
        optional price_low: Money = "price-low",
        optional price_high: Money = "price-high",
        optional no_of_results: Count<1, 100> = "no-of-results",
    }
}

crate::call! {
    /// `domains/idn-available`: internationalized names under one TLD.
    GET "domains/idn-available" => Keyed;
    pub struct IdnAvailable {
        one_or_more domain_name: IdnLabel = "domain-name",
        required tld: Tld = "tld",
        required idn_language_code: IdnLanguage = "idnLanguageCode",
    }
}

crate::call! {
    /// `domains/add-dnssec`: DS records at the registry, each given as
    /// `attr-nameN`/`attr-valueN` pairs `keytag`, `algorithm`,
    /// `digesttype`, `digest` (four per record).
    POST "domains/add-dnssec" => Action;
    pub struct AddDnssec {
        required order_id: OrderId = "order-id",
        group records: crate::calls::contacts::Attributes,
    }
}

crate::call! {
    /// `domains/del-dnssec`: DS records withdrawn, given as `add-dnssec`
    /// gives them.
    POST "domains/del-dnssec" => Action;
    pub struct DelDnssec {
        required order_id: OrderId = "order-id",
        group records: crate::calls::contacts::Attributes,
    }
}

crate::call! {
    /// `domains/reseller-lock/add`: no change to the domain until removed.
    /// The vendor's page says POST; digicatech sends it by GET.
    GET_OR_POST "domains/reseller-lock/add" => Action;
    pub struct ResellerLockAdd {
        required order_id: OrderId = "order-id",
        required reason: crate::field::Short<255> = "reason",
    }
}

order_call!(
    /// `domains/reseller-lock/remove`, by GET or POST as `add`.
    GET_OR_POST "domains/reseller-lock/remove" => Action; ResellerLockRemove
);

crate::call! {
    /// `domains/tld-info`: every TLD sold, with its phase and features.
    /// The vendor's page says POST; digicatech sends GET: both are taken.
    GET_OR_POST "domains/tld-info" => Keyed;
    pub struct TldInfo {}
}

crate::call! {
    /// `domains/premium-check`: whether a name is premium, with its prices.
    GET "domains/premium-check" => Fields(&["premium"]);
    pub struct PremiumCheck {
        required domain_name: DomainName = "domain-name",
    }
}

crate::call! {
    /// `domains/purchase-privacy`: privacy protection for a domain
    /// registered without it (free here: `invoice-option` has no effect).
    POST "domains/purchase-privacy" => Action;
    pub struct PurchasePrivacy {
        required order_id: OrderId = "order-id",
        optional invoice_option: reseller_core::model::InvoiceOption = "invoice-option",
    }
}

crate::call! {
    /// `domains/suggest-names`: the older suggestions, by label, each with
    /// its status under each TLD asked.
    GET "domains/suggest-names" => Keyed;
    pub struct SuggestNamesV1 {
        required keyword: Keyword = "keyword",
        repeated tlds: Tld = "tlds",
        optional no_of_results: crate::field::Count<0, 100> = "no-of-results",
        optional hyphen_allowed: bool = "hyphen-allowed",
        optional add_related: bool = "add-related",
    }
}

order_call!(
    /// `domains/de/recheck-ns`: the .de registry checks the name servers
    /// again; `{"status":"success"}` or `failed` with a description.
    POST "domains/de/recheck-ns" => Fields(&["status"]); DeRecheckNs
);

/// A .uk registrar's tag: capital letters, digits and hyphens, 3 to 16 of
/// them, or `#` and two (the vendor's spelling of a two-character tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrarTag(pub String);

impl Field for RegistrarTag {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let tag_char = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-';
        let ok = match value.strip_prefix('#') {
            Some(short) => short.len() == 2 && short.bytes().all(tag_char),
            None => (3..=16).contains(&value.len()) && value.bytes().all(tag_char),
        };
        if !ok {
            return Err(ParamError::invalid(name, value, Allowed::RegistrarTag));
        }
        Ok(RegistrarTag(value.trim_start_matches('#').to_string()))
    }
    fn encode(&self) -> String {
        if self.0.len() == 2 {
            format!("#{}", self.0)
        } else {
            self.0.clone()
        }
    }
}

crate::call! {
    /// `domains/uk/release`: the .uk domain goes to another registrar's
    /// tag, and leaves the platform.
    POST "domains/uk/release" => Action;
    pub struct UkRelease {
        required order_id: OrderId = "order-id",
        required new_tag: RegistrarTag = "new-tag",
    }
}

/// The launch phases `tlds-in-phase` takes.
pub const LAUNCH_PHASES: [&str; 2] = ["sunrise", "landrush"];
text_word!(
    /// One of [`LAUNCH_PHASES`].
    LaunchPhase,
    LAUNCH_PHASES
);

crate::call! {
    /// `domains/tlds-in-phase`: the TLDs in their sunrise or landrush.
    GET "domains/tlds-in-phase" => List;
    pub struct TldsInPhase {
        required phase: LaunchPhase = "phase",
    }
}

crate::call! {
    /// `domains/uk/available`: retired by the vendor when the .uk right of
    /// registration ended; it takes what it took, to refuse it with the
    /// vendor's own words.
    GET_OR_POST "domains/uk/available" => Text;
    pub struct UkAvailable {
        required domain_name: DomainName = "domain-name",
        required name: String = "name",
        required company: String = "company",
        required email: super::contacts::ContactEmail = "email",
        required address_line_1: crate::Short<64> = "address-line-1",
        optional address_line_2: crate::Short<64> = "address-line-2",
        optional address_line_3: crate::Short<64> = "address-line-3",
        required city: crate::Short<64> = "city",
        required state: crate::Short<64> = "state",
        required zipcode: crate::Short<16> = "zipcode",
        required country: super::customers::Country = "country",
        optional phone_cc: super::customers::PhoneCc = "phone-cc",
        optional phone: super::customers::Phone = "phone",
    }
}

crate::call! {
    /// `domains/preordering/add`: names on a customer's pre-order list.
    POST "domains/preordering/add" => Keyed;
    pub struct PreorderAdd {
        required customer_id: CustomerId = "customerid",
        one_or_more domain: DomainName = "domain",
    }
}

crate::call! {
    /// `domains/preordering/delete`: names off a customer's pre-order list.
    POST "domains/preordering/delete" => Keyed;
    pub struct PreorderDelete {
        required customer_id: CustomerId = "customerid",
        one_or_more domain: DomainName = "domain",
    }
}

crate::call! {
    /// `domains/preordering/fetch`: the names the reseller's customers
    /// pre-ordered.
    GET "domains/preordering/fetch" => Search;
    pub struct PreorderFetch {
        group page: Page,
        optional customer_id: CustomerId = "customerid",
        optional reseller_id: reseller_core::ResellerId = "resellerId",
        repeated domain: String = "domain",
        repeated tld: String = "tld",
        optional creation_date_start: EpochSeconds = "creation-date-start",
        optional creation_date_end: EpochSeconds = "creation-date-end",
    }
}

/// The vendor's categories of TLDs open for pre-order.
pub const PREORDER_CATEGORIES: [&str; 21] = [
    "adult",
    "arts and media",
    "beauty and fashion",
    "business and commerce",
    "education",
    "finance",
    "food and drink",
    "generic",
    "geo cultural",
    "government and politics",
    "health",
    "idn",
    "news and information",
    "novelty",
    "people and lifestyle",
    "real estate",
    "religion",
    "services",
    "sports and games",
    "technology",
    "travel",
];
text_word!(
    /// One of [`PREORDER_CATEGORIES`].
    PreorderCategory,
    PREORDER_CATEGORIES
);

crate::call! {
    /// `domains/preordering/fetchtldlist`: the TLDs of a category open for
    /// pre-order.
    GET "domains/preordering/fetchtldlist" => List;
    pub struct PreorderTlds {
        required category: PreorderCategory = "category",
    }
}

crate::call! {
    /// `domains/available-sunrise`: a name's availability to a trademark
    /// holder in a TLD's sunrise. The vendor's page names the label
    /// `domainname`; the public clients send `sld`: either is taken.
    GET "domains/available-sunrise" => Keyed;
    pub struct AvailableSunrise {
        optional domainname: Label = "domainname",
        optional sld: Label = "sld",
        one_or_more tld: Tld = "tld",
        required smd: String = "smd",
    }
}

crate::call! {
    /// `domains/get-tm-notice`: the trademark claims notice of a lookup key.
    GET "domains/get-tm-notice" => Keyed;
    pub struct GetTmNotice {
        required lookup_key: String = "lookup-key",
    }
}

crate::call! {
    /// `domains/eu/transfer`: the .eu transfer of the registry's old
    /// transfer process, taken to refuse it with what replaced it.
    POST "domains/eu/transfer" => Keyed;
    pub struct EuTransfer {
        required domain_name: DomainName = "domain-name",
        optional auth_code: AuthCode = "auth-code",
        optional customer_id: CustomerId = "customer-id",
        optional reg_contact_id: ContactId = "reg-contact-id",
        optional admin_contact_id: ContactId = "admin-contact-id",
        optional tech_contact_id: ContactId = "tech-contact-id",
        optional billing_contact_id: ContactId = "billing-contact-id",
        repeated ns: DomainName = "ns",
        optional invoice_option: reseller_core::model::InvoiceOption = "invoice-option",
    }
}

crate::call! {
    /// `domains/eu/trade`: the .eu change of registrant of the registry's
    /// old process, taken to refuse it with what replaced it.
    POST "domains/eu/trade" => Keyed;
    pub struct EuTrade {
        required order_id: OrderId = "order-id",
        optional reg_contact_id: ContactId = "reg-contact-id",
        optional auth_code: AuthCode = "auth-code",
        optional invoice_option: reseller_core::model::InvoiceOption = "invoice-option",
    }
}

crate::call! {
    /// `domains/uk/transfer`: the .uk transfer of the registry's old
    /// process, taken to refuse it with what replaced it.
    POST "domains/uk/transfer" => Keyed;
    pub struct UkTransfer {
        required domain_name: DomainName = "domain-name",
        optional customer_id: CustomerId = "customer-id",
        optional reg_contact_id: ContactId = "reg-contact-id",
        repeated ns: DomainName = "ns",
        optional invoice_option: reseller_core::model::InvoiceOption = "invoice-option",
    }
}

text_word!(
    /// Who a .tel registrant is, as its WHOIS preference says.
    TelWhoisType,
    ["Natural", "Legal"]
);

text_word!(
    /// Whether WHOIS shows a natural person's details.
    YesOrNo,
    ["y", "n"]
);

crate::call! {
    /// `domains/tel/modify-whois-pref`: what WHOIS shows of a .tel
    /// registrant; `publish` is required of a natural person.
    POST "domains/tel/modify-whois-pref" => Keyed;
    pub struct TelModifyWhoisPref {
        required order_id: OrderId = "order-id",
        required whois_type: TelWhoisType = "whois-type",
        optional publish: YesOrNo = "publish",
    }
}

crate::call! {
    /// `domains/tel/cth-details`: the login of Telnic's hosted .tel
    /// profile, which no .tel name has any longer; taken to refuse it.
    GET "domains/tel/cth-details" => Keyed;
    pub struct TelCthDetails {
        required order_id: OrderId = "order-id",
    }
}

crate::call! {
    /// `domains/dotxxx/association-details`: a .xxx domain's membership id
    /// in its sponsored community, set when `association-id` is given.
    POST "domains/dotxxx/association-details" => Keyed;
    pub struct XxxAssociation {
        required order_id: OrderId = "order-id",
        optional association_id: crate::Short<64> = "association-id",
    }
}
