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
        used: String,
    },
    #[error("Request body too large: at most {0} bytes")]
    BodyTooLarge(usize),
    #[error("Request body is not form-encoded UTF-8 (application/x-www-form-urlencoded)")]
    BodyNotForm,
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A fault of ours; the text is for the log only.
    #[error("Internal error, reference {reference}")]
    Internal { reference: String, detail: String },
}

impl ApiError {
    /// A parameter whose value is not allowed; the value is echoed, shortened
    /// and stripped of control characters.
    pub fn invalid(name: &'static str, value: &str, allowed: impl Into<String>) -> ApiError {
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
            allowed: allowed.into(),
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
