//! The one error type at the boundary, and every wire-level error text.
//! Business texts come from `reseller_core::RuleError`; internal faults are
//! logged once here with a reference and never shown.

use reseller_core::{Error, RuleError};

/// The bad-credentials text, exactly as the real service says it.
pub const BAD_CREDENTIALS: &str =
    "Invalid credentials, or your User account maybe Inactive or Suspended";
/// The text the real service gives an address outside the allow-list.
pub const IP_NOT_ALLOWED: &str = "Access Denied. You are not authorized to perform this action.";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Required parameter missing: {0}")]
    MissingParam(&'static str),
    #[error("Invalid {name}: {value}. {allowed}")]
    InvalidParam {
        name: &'static str,
        value: String,
        allowed: String,
    },
    #[error("Unsupported parameter: {name}. This call takes {allowed}")]
    UnsupportedParam { name: String, allowed: String },
    #[error("Parameter {0} was given more than once; it takes a single value")]
    RepeatedParam(&'static str),
    #[error("{BAD_CREDENTIALS}")]
    BadCredentials,
    #[error("{IP_NOT_ALLOWED}")]
    IpNotAllowed,
    #[error("Unknown API call: {0}")]
    UnknownCall(String),
    #[error("{call} must be called with {allowed}, not {used}")]
    WrongMethod {
        call: String,
        allowed: &'static str,
        /// The methods as the `Allow` header lists them.
        allow_header: &'static str,
        used: String,
    },
    #[error("Request body too large: at most {0} bytes")]
    BodyTooLarge(usize),
    #[error(
        "Request body is malformed or incomplete: it ended before its declared length, or its chunks were not valid"
    )]
    BodyMalformed,
    #[error("Request body did not arrive in time")]
    BodyTimeout,
    #[error("Request body is not form-encoded UTF-8 (application/x-www-form-urlencoded)")]
    BodyNotForm,
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A connection the sandbox was told to drop unanswered.
    #[error("Dropped")]
    Dropped,
    /// A fault the sandbox was told to inject (`/_reseller/faults`).
    #[error("{message}")]
    Simulated { status: u16, message: String },
    /// A fault of ours; the text is for the log only.
    #[error("Internal error, reference {reference}")]
    Internal { reference: String, detail: String },
}

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
    ThirdLevelName,
    IdnLabel,
    /// A repeated parameter whose values must differ.
    Distinct,
    /// A flag that may be true only where another flag is true.
    OnlyWith(&'static str),
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
            Allowed::Distinct => f.write_str("Each value may be given once"),
            Allowed::OnlyWith(other) => write!(f, "It may be true only where {other} is true"),
            Allowed::AuthCode => {
                f.write_str("It must be 1 to 32 printable characters without spaces")
            }
            Allowed::NamesAtOnce(n) => {
                write!(f, "At most {n} names (domain-name times tlds) are checked at once")
            }
        }
    }
}

impl ApiError {
    /// A parameter whose value is not allowed; the value is echoed, shortened
    /// and stripped of control characters.
    pub fn invalid(name: &'static str, value: &str, allowed: Allowed<'_>) -> ApiError {
        let mut shown: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
        if value.chars().count() > 40 {
            shown.push('…');
        }
        if shown.is_empty() {
            shown = "(empty)".to_string();
        }
        ApiError::InvalidParam {
            name,
            value: shown,
            allowed: allowed.to_string(),
        }
    }

    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        let reference = reseller_store::random_hex(6).unwrap_or_else(|_| "unknown".to_string());
        let detail = detail.to_string();
        tracing::error!(error.reference = %reference, error.detail = %detail, "internal error");
        ApiError::Internal { reference, detail }
    }

    /// The HTTP status: 500 for every error the API reports in its envelope,
    /// as the real service does; protocol errors get their own status.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::UnknownCall(_) => 404,
            ApiError::WrongMethod { .. } => 405,
            ApiError::BodyTooLarge(_) => 413,
            ApiError::BodyMalformed => 400,
            ApiError::BodyTimeout => 408,
            ApiError::Simulated { status, .. } => *status,
            _ => 500,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        match error {
            Error::Rule(rule) => ApiError::Rule(rule),
            Error::Store(fault) => ApiError::internal(fault),
        }
    }
}
