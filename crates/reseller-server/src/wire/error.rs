//! The one error type at the boundary, and every wire-level error text.
//! Business texts come from `reseller_core::RuleError`; internal faults are
//! logged once here with a reference and never shown.

pub use reseller_api::Allowed;
use reseller_api::ParamError;
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

impl ApiError {
    /// A parameter whose value is not allowed; the value is echoed, shortened
    /// and stripped of control characters.
    pub fn invalid(name: &'static str, value: &str, allowed: Allowed<'_>) -> ApiError {
        ParamError::invalid(name, value, allowed).into()
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

impl ApiError {
    /// Whether the `mail/*` family answers this refusal in its own dialect:
    /// what a call's parameters or rules refuse. What the wire refuses
    /// before a call is found stays in the common envelope.
    pub fn in_mail_dialect(&self) -> bool {
        matches!(
            self,
            ApiError::MissingParam(_)
                | ApiError::InvalidParam { .. }
                | ApiError::UnsupportedParam { .. }
                | ApiError::RepeatedParam(_)
                | ApiError::Rule(_)
        )
    }

    /// The `errorCode` of a refusal in the `mail/*` dialect (the vendor's
    /// own codes where recorded, misspelling included).
    pub fn mail_error_code(&self) -> &'static str {
        match self {
            ApiError::Rule(RuleError::MailAccountNotFound(_)) => "emailaddress_does_not_exist",
            ApiError::Rule(RuleError::MailAddressTaken(_)) => "emailaddress_unique_key_voilation",
            ApiError::Rule(RuleError::MailboxLimit { .. }) => "account_limit_exceeded",
            ApiError::Rule(RuleError::MailAuthenticationFailed | RuleError::MailPasswordWrong) => {
                "authentication_failed"
            }
            ApiError::Rule(RuleError::MailingListNotFound(_)) => "mailinglist_does_not_exist",
            ApiError::Rule(
                RuleError::NotAllowed
                | RuleError::WrongProduct { .. }
                | RuleError::MailOrderNotActive { .. },
            ) => "order_not_active",
            ApiError::Rule(_) => "operation_not_allowed",
            _ => "invalid_parameter",
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

impl From<ParamError> for ApiError {
    fn from(refused: ParamError) -> ApiError {
        match refused {
            ParamError::Missing(name) => ApiError::MissingParam(name),
            ParamError::Repeated(name) => ApiError::RepeatedParam(name),
            ParamError::Invalid {
                name,
                value,
                allowed,
            } => ApiError::InvalidParam {
                name,
                value,
                allowed,
            },
        }
    }
}
