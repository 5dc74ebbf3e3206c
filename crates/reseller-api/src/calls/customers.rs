//! `customers/*`: sign-up, details, search, modify, passwords and tokens.

use super::Page;
use crate::{Allowed, Digits, EpochSeconds, Field, Kind, ParamError};
use reseller_core::model::CustomerStatus;
use reseller_core::{CustomerId, Money, ResellerId};
use std::net::IpAddr;

/// A customer's username: an email address of at most 64 characters,
/// kept lowercased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(pub String);

impl Field for Username {
    const KIND: Kind = Kind::Email;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        email(name, value, 64).map(|address| Username(address.to_ascii_lowercase()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// An email address of at most `max` characters, as given.
pub fn email(name: &'static str, value: &str, max: usize) -> Result<String, ParamError> {
    let valid = value.len() <= max
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !value.chars().any(char::is_whitespace);
    if !valid {
        return Err(ParamError::invalid(name, value, Allowed::EmailAddress));
    }
    Ok(value.to_string())
}

/// A username looked up, lowercased: an email address, as every username
/// is (anything else is refused by name, as the description says).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsernameLookup(pub String);

impl Field for UsernameLookup {
    const KIND: Kind = Kind::Email;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        email(name, value, 64).map(|address| UsernameLookup(address.to_ascii_lowercase()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A new password: 8 to 64 characters with a letter and a digit; never
/// echoed, not even in a refusal.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(pub String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(hidden)")
    }
}

impl Field for NewPassword {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let length = value.chars().count();
        if !(8..=64).contains(&length)
            || !value.chars().any(|c| c.is_ascii_digit())
            || !value.chars().any(char::is_alphabetic)
        {
            return Err(ParamError::invalid(name, "(hidden)", Allowed::Password));
        }
        Ok(NewPassword(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A password given to sign in with, checked against the one kept.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(hidden)")
    }
}

impl Field for Password {
    const KIND: Kind = Kind::Text;
    fn parse(_: &'static str, value: &str) -> Result<Self, ParamError> {
        Ok(Password(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// The officially assigned alpha-2 codes of ISO 3166-1 (from Debian's
/// iso-codes, 2024): the countries a contact or a customer may name.
pub const COUNTRIES: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// A country by its ISO 3166-1 alpha-2 code, in any case; kept upper-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country(pub String);

impl Field for Country {
    const KIND: Kind = Kind::Country;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let upper = value.to_ascii_uppercase();
        if !COUNTRIES.contains(&upper.as_str()) {
            return Err(ParamError::invalid(name, value, Allowed::CountryCode));
        }
        Ok(Country(upper))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// A telephone country code.
pub type PhoneCc = Digits<1, 3>;
/// A telephone number without its country code.
pub type Phone = Digits<4, 12>;

crate::params! {
    /// The optional details a sign-up and a modify take alike.
    #[derive(Default)]
    pub struct Extras {
        optional address_line_2: String = "address-line-2",
        optional address_line_3: String = "address-line-3",
        optional other_state: String = "other-state",
        optional alt_phone_cc: PhoneCc = "alt-phone-cc",
        optional alt_phone: Phone = "alt-phone",
        optional fax_cc: PhoneCc = "fax-cc",
        optional fax: Phone = "fax",
        optional mobile_cc: PhoneCc = "mobile-cc",
        optional mobile: Phone = "mobile",
    }
}

crate::params! {
    /// What a sign-up takes.
    pub struct NewCustomer {
        required username: Username = "username",
        required passwd: NewPassword = "passwd",
        required name: String = "name",
        required company: String = "company",
        required address_line_1: String = "address-line-1",
        required city: String = "city",
        required state: String = "state",
        required country: Country = "country",
        required zipcode: String = "zipcode",
        required phone_cc: PhoneCc = "phone-cc",
        required phone: Phone = "phone",
        optional lang_pref: String = "lang-pref",
        optional vat_id: String = "vat-id",
        optional sms_consent: bool = "sms-consent",
        optional accept_policy: bool = "accept-policy",
        optional marketing_email_consent: bool = "marketing-email-consent",
        group extras: Extras,
    }
}

crate::call! {
    /// `customers/signup`: a new customer's id, a bare number.
    POST "customers/signup" => Int;
    pub struct Signup {
        group customer: NewCustomer,
    }
}

crate::call! {
    /// `customers/v2/signup`, the same as `customers/signup`.
    POST "customers/v2/signup" => Int;
    pub struct SignupV2 {
        group customer: NewCustomer,
    }
}

/// The keys every customer's details reply has.
pub const DETAILS: &[&str] = &["customerid", "username", "resellerid"];

crate::call! {
    /// `customers/details`, by username.
    GET "customers/details" => Fields(DETAILS), reads crate::replies::Customer;
    pub struct Details {
        required username: UsernameLookup = "username",
    }
}

crate::call! {
    /// `customers/details-by-id`.
    GET "customers/details-by-id" => Fields(DETAILS), reads crate::replies::Customer;
    pub struct DetailsById {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `customers/search`.
    GET "customers/search" => Search;
    pub struct Search {
        group page: Page,
        repeated customer_id: CustomerId = "customer-id",
        optional reseller_id: ResellerId = "reseller-id",
        repeated username: UsernameLookup = "username",
        optional name: String = "name",
        optional company: String = "company",
        optional city: String = "city",
        optional state: String = "state",
        repeated status: CustomerStatus = "status",
        optional creation_date_start: EpochSeconds = "creation-date-start",
        optional creation_date_end: EpochSeconds = "creation-date-end",
        optional total_receipt_start: Money = "total-receipt-start",
        optional total_receipt_end: Money = "total-receipt-end",
    }
}

crate::call! {
    /// `customers/modify`: changes the fields given, leaves the others.
    POST "customers/modify" => Bool;
    pub struct Modify {
        required customer_id: CustomerId = "customer-id",
        optional username: Username = "username",
        optional passwd: NewPassword = "passwd",
        optional name: String = "name",
        optional company: String = "company",
        optional address_line_1: String = "address-line-1",
        optional city: String = "city",
        optional state: String = "state",
        optional country: Country = "country",
        optional zipcode: String = "zipcode",
        optional phone_cc: PhoneCc = "phone-cc",
        optional phone: Phone = "phone",
        optional lang_pref: String = "lang-pref",
        group extras: Extras,
    }
}

crate::call! {
    /// `customers/delete`.
    POST "customers/delete" => Bool;
    pub struct Delete {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `customers/change-password`.
    POST "customers/change-password" => Bool;
    pub struct ChangePassword {
        required customer_id: CustomerId = "customer-id",
        required new_passwd: NewPassword = "new-passwd",
    }
}

crate::call! {
    /// `customers/generate-token`: signs a customer in, answers a token.
    GET_OR_POST "customers/generate-token" => Text;
    pub struct GenerateToken {
        required username: Username = "username",
        required passwd: Password = "passwd",
        required ip: IpAddr = "ip",
    }
}

crate::call! {
    /// `customers/authenticate-token`: the customer a token signs in.
    GET_OR_POST "customers/authenticate-token" => Fields(DETAILS), reads crate::replies::Customer;
    pub struct AuthenticateToken {
        required token: String = "token",
    }
}

crate::call! {
    /// `customers/authenticate-token-without-history`: as
    /// `authenticate-token` (no sign-in history is kept here at all).
    GET_OR_POST "customers/authenticate-token-without-history" => Fields(DETAILS), reads crate::replies::Customer;
    pub struct AuthenticateTokenWithoutHistory {
        required token: String = "token",
    }
}

crate::call! {
    /// `customers/authenticate`: the customer's details, if the password
    /// (or a live temporary one) is right. The vendor's page says POST;
    /// digicatech sends it by GET.
    GET_OR_POST "customers/authenticate" => Fields(DETAILS), reads crate::replies::Customer;
    pub struct Authenticate {
        required username: Username = "username",
        required passwd: Password = "passwd",
    }
}

crate::call! {
    /// `customers/temp-password`: a password that signs the customer in
    /// for three days beside its own, as a bare string.
    GET "customers/temp-password" => Text;
    pub struct TempPassword {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `customers/generate-login-token`: a token to sign in without a password.
    GET_OR_POST "customers/generate-login-token" => Text;
    pub struct GenerateLoginToken {
        required customer_id: CustomerId = "customer-id",
        required ip: IpAddr = "ip",
    }
}

crate::call! {
    /// `customers/forgot-password`: mails the customer; a bare `true`.
    GET_OR_POST "customers/forgot-password" => Bool;
    pub struct ForgotPassword {
        /// The customer's username; some clients send it as
        /// `forgot-password-username`, which is taken the same.
        optional username: Username = "username",
        optional forgot_password_username: Username = "forgot-password-username",
    }
}

crate::call! {
    /// `customers/authenticate/generate-otp`: a one-time code sent to the
    /// customer's phone.
    POST "customers/authenticate/generate-otp" => Bool;
    pub struct GenerateOtp {
        required customer_id: CustomerId = "customerid",
    }
}

text_word!(
    /// How a one-time code reaches the customer.
    OtpType,
    ["sms", "gauth"]
);

crate::call! {
    /// `customers/authenticate/verify-otp`: `true` if the code is the
    /// customer's live one; it verifies once.
    POST "customers/authenticate/verify-otp" => Bool;
    pub struct VerifyOtp {
        required customer_id: CustomerId = "customerid",
        required otp: crate::Digits<6, 6> = "otp",
        optional kind: OtpType = "type",
    }
}
