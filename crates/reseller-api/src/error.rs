//! Why a parameter is refused: missing, given twice, or a value it does
//! not allow, in the words the API's envelope carries. Every "what is
//! allowed" text is one variant of [`Allowed`], written once.

/// A parameter a request cannot be parsed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamError {
    /// `Required parameter missing: <name>`.
    Missing(&'static str),
    /// Given more than once where it takes a single value.
    Repeated(&'static str),
    /// `Invalid <name>: <value>. <allowed>`, the value shortened and
    /// stripped of control characters.
    Invalid {
        name: &'static str,
        value: String,
        allowed: String,
    },
}

/// Parameters whose values never leave the server: not in a refusal, not
/// in the journal.
pub const SECRETS: [&str; 8] = [
    "api-key",
    "passwd",
    "new-passwd",
    "old-passwd",
    "password",
    "auth-code",
    "token",
    "otp",
];

impl ParamError {
    /// A parameter whose value is not allowed; the value is echoed, shortened
    /// and stripped of control characters, unless it is a secret
    /// ([`SECRETS`]), which shows as `(hidden)`.
    pub fn invalid(name: &'static str, value: &str, allowed: Allowed<'_>) -> ParamError {
        if SECRETS.contains(&name) {
            return ParamError::Invalid {
                name,
                value: "(hidden)".to_string(),
                allowed: allowed.to_string(),
            };
        }
        let mut shown: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
        if value.chars().count() > 40 {
            shown.push('…');
        }
        if shown.is_empty() {
            shown = "(empty)".to_string();
        }
        ParamError::Invalid {
            name,
            value: shown,
            allowed: allowed.to_string(),
        }
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamError::Missing(name) => write!(f, "Required parameter missing: {name}"),
            ParamError::Repeated(name) => write!(
                f,
                "Parameter {name} was given more than once; it takes a single value"
            ),
            ParamError::Invalid {
                name,
                value,
                allowed,
            } => write!(f, "Invalid {name}: {value}. {allowed}"),
        }
    }
}

impl std::error::Error for ParamError {}

/// What a parameter allows, in the words its refusal uses: the end of
/// `Invalid <name>: <value>. <allowed>`. Every such text is here, once.
#[derive(Clone, Copy, Debug)]
pub enum Allowed<'a> {
    OneOf(&'a [&'a str]),
    WholeNumber {
        min: u64,
        max: u64,
    },
    Digits {
        min: usize,
        max: usize,
    },
    TrueOrFalse,
    /// `transaction-type`.
    ReceiptOrCredit,
    /// How many invoices one call pays.
    InvoicesAtOnce(usize),
    /// `order-by`.
    OrderSort,
    DomainName,
    EmailAddress,
    Password,
    CountryCode,
    TextUpTo(usize),
    NoControlCharacters,
    Amount,
    EpochSeconds,
    IpAddress,
    /// A second-level label of a domain name.
    DomainLabel,
    Keyword,
    Tld,
    /// Names one availability call checks.
    NamesAtOnce(usize),
    NameServers,
    AuthCode,
    HostName,
    /// A DNS record's host within its zone.
    RecordHost,
    SrvHost,
    Ipv4Address,
    Ipv6Address,
    TxtValue,
    ForwardUrl,
    SubDomainPrefix,
    MetaTags,
    ThirdLevelName,
    IdnLabel,
    /// A repeated parameter whose values must differ.
    Distinct,
    /// A flag that may be true only where another flag is true.
    OnlyWith(&'static str),
    /// A language of ISO 639-2.
    LanguageCode,
    /// A flag that buys what is not sold here.
    NotSold(&'static str),
    /// Comma-separated email addresses.
    EmailAddresses,
    /// A day written `dd/mm/yyyy`.
    DayMonthYear,
    /// A .uk registrar's tag (`new-tag`).
    RegistrarTag,
    /// A certificate request, refused for the reason given.
    Csr(&'a str),
}

impl std::fmt::Display for Allowed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Allowed::OneOf(values) => write!(f, "It must be one of {}", values.join(", ")),
            Allowed::WholeNumber { min, max } => {
                write!(f, "It must be a whole number from {min} to {max}")
            }
            Allowed::Digits { min, max } => write!(f, "It must be {min} to {max} digits"),
            Allowed::TrueOrFalse => f.write_str("It must be true or false (or 1 or 0)"),
            Allowed::ReceiptOrCredit => f.write_str("It must be receipt or credit"),
            Allowed::InvoicesAtOnce(n) => write!(f, "At most {n} invoices are paid at once"),
            Allowed::OrderSort => f.write_str(
                "It must be orderid, endtime or creationtime, optionally followed by asc or desc",
            ),
            Allowed::DomainName => f.write_str(
                "It must be a domain name such as example.com: letters, digits and hyphens in dot-separated labels",
            ),
            Allowed::EmailAddress => {
                f.write_str("It must be an email address of at most 64 characters")
            }
            Allowed::Password => f.write_str(
                "It must be 8 to 64 characters long with at least one letter and one digit",
            ),
            Allowed::CountryCode => {
                f.write_str("It must be a two-letter ISO 3166 country code such as US")
            }
            Allowed::TextUpTo(n) => write!(f, "It may be at most {n} characters long"),
            Allowed::NoControlCharacters => f.write_str("It may not contain control characters"),
            Allowed::Amount => f.write_str(
                "It must be an amount from 0 to 1000000000 with at most three decimals, such as 12.50",
            ),
            Allowed::EpochSeconds => f.write_str("It must be a time in Unix epoch seconds"),
            Allowed::IpAddress => f.write_str("It must be an IPv4 or IPv6 address"),
            Allowed::DomainLabel => f.write_str(
                "It must be a name without its TLD: letters, digits and hyphens, 1 to 63, no hyphen at either end",
            ),
            Allowed::Keyword => f.write_str(
                "It must be a word or words separated by spaces, each of letters, digits and hyphens with no hyphen at either end, 63 letters in all at most",
            ),
            Allowed::Tld => f.write_str("It must be a TLD such as com or co.in, without the dot"),
            Allowed::NameServers => f.write_str(
                "It must be 1 to 13 name servers, each a host name such as ns1.example.com",
            ),
            Allowed::IdnLabel => f.write_str(
                "It must be an internationalized name without its TLD, valid under IDNA, at most 63 characters in its ASCII form",
            ),
            Allowed::ThirdLevelName => f.write_str(
                "With tlds *.name it must be the third and second level of a .name name, such as domain.one",
            ),
            Allowed::HostName => f.write_str("It must be a host name such as ns1.example.com"),
            Allowed::RecordHost => f.write_str(
                "It must be @ (or empty) for the domain itself, or a host under it such as www or mail.eu: labels of letters, digits, hyphens and underscores, the first of which may be *",
            ),
            Allowed::SrvHost => f.write_str(
                "It must be _service._proto, such as _sip._tcp (proto one of _tcp, _udp, _tls, _sctp), optionally followed by a host under the domain",
            ),
            Allowed::Ipv4Address => f.write_str("It must be an IPv4 address such as 192.0.2.1"),
            Allowed::Ipv6Address => f.write_str("It must be an IPv6 address such as 2001:db8::1"),
            Allowed::TxtValue => f.write_str("It must be 1 to 1024 characters"),
            Allowed::ForwardUrl => f.write_str(
                "It must be an http or https URL with a host, such as https://example.net/page, at most 2048 characters without spaces or quotes",
            ),
            Allowed::SubDomainPrefix => f.write_str(
                "It must be a host under the domain, such as blog or eu.shop: labels of letters, digits, hyphens and underscores",
            ),
            Allowed::MetaTags => f.write_str(
                "It must be <meta ...> tags and nothing else, at most 2048 characters",
            ),
            Allowed::Distinct => f.write_str("Each value may be given once"),
            Allowed::OnlyWith(other) => write!(f, "It may be true only where {other} is true"),
            Allowed::NotSold(what) => write!(f, "It must be false: {what} is not sold here"),
            Allowed::EmailAddresses => f.write_str(
                "It must be one or more email addresses separated by commas, at most 50",
            ),
            Allowed::DayMonthYear => f.write_str("It must be a day written dd/mm/yyyy, such as 01/01/2027"),
            Allowed::RegistrarTag => f.write_str(
                "It must be a registrar's tag: 3 to 16 capital letters, digits or hyphens, or # and 2 of them (#VI)",
            ),
            Allowed::Csr(why) => write!(f, "It must be a PKCS#10 request in PEM for the order's domain: {why}"),
            Allowed::LanguageCode => {
                f.write_str("It must be an ISO 639-2 language code such as hin or aze")
            }
            Allowed::AuthCode => {
                f.write_str("It must be 1 to 32 printable characters without spaces")
            }
            Allowed::NamesAtOnce(n) => {
                write!(f, "At most {n} names (domain-name times tlds) are checked at once")
            }
        }
    }
}
