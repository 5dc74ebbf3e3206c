//! Request parameters: merged from the query string and a form body, keys
//! repeated for arrays (`order-id=1&order-id=2`, also `order-id[0]=1`), and
//! parsed into typed values at the edge with errors that name the parameter.

use super::error::{Allowed, ApiError};
use crate::routes::Param;
use reseller_core::Money;
use reseller_core::model::InvoiceOption;
use reseller_core::tx::Page;
use reseller_core::{Months, ResellerId};
use std::sync::Arc;

/// The longest text value we take; longer ones are refused by name.
const MAX_TEXT: usize = 255;

#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
    /// What the call declares it takes, once the wire layer has checked
    /// the parameters against it.
    declared: Option<Arc<[Param]>>,
}

/// The credentials every call takes.
const CREDENTIALS: [&str; 2] = ["auth-userid", "api-key"];

pub(crate) use reseller_api::params::key_is;

/// A typed call reads its fields from here ([`reseller_api::Params::parse`]).
impl reseller_api::Source for Params {
    fn values(&self, name: &str) -> Vec<&str> {
        self.check_declared(name);
        self.pairs.as_slice().values(name)
    }
}

/// An IPv4 or IPv6 address given as `name`.
pub fn ip_address(name: &'static str, value: &str) -> Result<std::net::IpAddr, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::invalid(name, value, Allowed::IpAddress))
}

impl Params {
    /// A required IPv4 or IPv6 address.
    pub fn required_ip(&self, name: &'static str) -> Result<std::net::IpAddr, ApiError> {
        ip_address(name, self.required(name)?)
    }

    pub fn parse(query: &str, body: &[u8]) -> Params {
        let pairs = form_urlencoded::parse(query.as_bytes())
            .chain(form_urlencoded::parse(body))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params {
            pairs,
            declared: None,
        }
    }

    /// These parameters without `names` (in any array form): for a call
    /// that reads some itself and hands the rest to a shared parser.
    pub fn without(&self, names: &[&str]) -> Params {
        Params {
            declared: self.declared.clone(),
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| !names.iter().any(|name| key_is(k, name)))
                .cloned()
                .collect(),
        }
    }

    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.check_declared(name);
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value given for `name`, in order, empty ones left out.
    pub fn all(&self, name: &str) -> Vec<&str> {
        reseller_api::Source::values(self, name)
    }

    /// Refuses any parameter the call does not declare (beyond the
    /// credentials), so that a filter it does not know is never silently
    /// ignored; then holds the declaration, against which every read is
    /// checked in debug builds.
    pub fn declare(&mut self, declared: Arc<[Param]>) -> Result<(), ApiError> {
        let known = |key: &str| {
            CREDENTIALS.iter().any(|name| key_is(key, name))
                || declared.iter().any(|param| param.names(key))
        };
        if let Some((key, _)) = self.pairs.iter().find(|(key, _)| !known(key)) {
            let names: Vec<String> = declared
                .iter()
                .map(|p| {
                    if p.numbered {
                        format!("{}N", p.name)
                    } else {
                        p.name.to_string()
                    }
                })
                .collect();
            return Err(ApiError::UnsupportedParam {
                name: key.chars().filter(|c| !c.is_control()).take(40).collect(),
                allowed: if names.is_empty() {
                    "none beyond auth-userid and api-key".to_string()
                } else {
                    names.join(", ")
                },
            });
        }
        self.declared = Some(declared);
        Ok(())
    }

    /// Every read names a declared parameter: a read of one that is not
    /// declared could never be given, as the wire layer refuses it.
    fn check_declared(&self, name: &str) {
        if let Some(declared) = &self.declared {
            debug_assert!(
                CREDENTIALS.contains(&name) || declared.iter().any(|p| p.names(name)),
                "parameter {name} is read but not declared"
            );
        }
    }

    /// The single value of `name`, if given and not empty.
    pub fn optional(&self, name: &'static str) -> Result<Option<&str>, ApiError> {
        let values = self.all(name);
        match values.as_slice() {
            [] => Ok(None),
            [one] => {
                if one.chars().count() > MAX_TEXT {
                    return Err(ApiError::invalid(name, one, Allowed::TextUpTo(MAX_TEXT)));
                }
                if one.chars().any(char::is_control) {
                    return Err(ApiError::invalid(name, one, Allowed::NoControlCharacters));
                }
                Ok(Some(one))
            }
            _ => Err(ApiError::RepeatedParam(name)),
        }
    }

    pub fn required(&self, name: &'static str) -> Result<&str, ApiError> {
        self.optional(name)?.ok_or(ApiError::MissingParam(name))
    }

    /// An id of the type the caller wants (`OrderId`, `CustomerId`, ...).
    pub fn required_id<Id: From<i64>>(&self, name: &'static str) -> Result<Id, ApiError> {
        parse_id(name, self.required(name)?).map(Id::from)
    }

    pub fn optional_id<Id: From<i64>>(&self, name: &'static str) -> Result<Option<Id>, ApiError> {
        self.optional(name)?
            .map(|v| parse_id(name, v).map(Id::from))
            .transpose()
    }

    /// Every id given for a repeated parameter.
    pub fn ids<Id: From<i64>>(&self, name: &'static str) -> Result<Vec<Id>, ApiError> {
        self.all(name)
            .into_iter()
            .map(|v| parse_id(name, v).map(Id::from))
            .collect()
    }

    /// Every value given for a repeated parameter that takes one of
    /// `values`, each known by its wire text.
    pub fn all_of<T: Copy>(
        &self,
        name: &'static str,
        values: &[T],
        text: fn(T) -> &'static str,
    ) -> Result<Vec<T>, ApiError> {
        self.all(name)
            .into_iter()
            .map(|given| {
                values
                    .iter()
                    .copied()
                    .find(|v| text(*v) == given)
                    .ok_or_else(|| {
                        let texts: Vec<&str> = values.iter().map(|v| text(*v)).collect();
                        ApiError::invalid(name, given, Allowed::OneOf(&texts))
                    })
            })
            .collect()
    }

    /// `reseller-id`, when given, must be the caller's own.
    pub fn own_reseller(&self, caller: ResellerId) -> Result<(), ApiError> {
        match self.optional_id::<ResellerId>("reseller-id")? {
            Some(id) if id != caller => Err(reseller_core::RuleError::NotAllowed.into()),
            _ => Ok(()),
        }
    }

    /// Digits only, `min` to `max` of them (a phone number or its country code).
    pub fn optional_digits(
        &self,
        name: &'static str,
        min: usize,
        max: usize,
    ) -> Result<Option<String>, ApiError> {
        let Some(value) = self.optional(name)? else {
            return Ok(None);
        };
        if !(min..=max).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid(name, value, Allowed::Digits { min, max }));
        }
        Ok(Some(value.to_string()))
    }

    /// A two-letter ISO 3166 country code, upper-cased.
    pub fn optional_country(&self, name: &'static str) -> Result<Option<String>, ApiError> {
        let Some(value) = self.optional(name)? else {
            return Ok(None);
        };
        if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ApiError::invalid(name, value, Allowed::CountryCode));
        }
        Ok(Some(value.to_ascii_uppercase()))
    }

    /// An email address of at most `max` characters, as given.
    pub fn email_address(&self, name: &'static str, max: usize) -> Result<String, ApiError> {
        let value = self.required(name)?;
        let valid = value.len() <= max
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !value.chars().any(char::is_whitespace);
        if !valid {
            return Err(ApiError::invalid(name, value, Allowed::EmailAddress));
        }
        Ok(value.to_string())
    }

    /// A whole number within `min..=max`.
    pub fn required_count(&self, name: &'static str, min: u32, max: u32) -> Result<u32, ApiError> {
        let value = self.required(name)?;
        value
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    name,
                    value,
                    Allowed::WholeNumber {
                        min: u64::from(min),
                        max: u64::from(max),
                    },
                )
            })
    }

    pub fn months(&self) -> Result<Months, ApiError> {
        let months = self.required_count("months", 1, Months::MAX)?;
        Ok(Months::new(months).expect("counted within the range"))
    }

    /// `true` or `false`; `default` when not given.
    pub fn flag(&self, name: &'static str, default: bool) -> Result<bool, ApiError> {
        Ok(self.optional_flag(name)?.unwrap_or(default))
    }

    /// `true` or `false` (any case), or `1` or `0` as PHP's clients send
    /// booleans, if given.
    pub fn optional_flag(&self, name: &'static str) -> Result<Option<bool>, ApiError> {
        match self.optional(name)? {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") || v == "1" => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") || v == "0" => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid(name, v, Allowed::TrueOrFalse)),
        }
    }

    pub fn invoice_option(&self) -> Result<InvoiceOption, ApiError> {
        let value = self.required("invoice-option")?;
        InvoiceOption::parse(value).ok_or_else(|| {
            let options: Vec<&str> = InvoiceOption::ALL.iter().map(|o| o.as_str()).collect();
            ApiError::invalid("invoice-option", value, Allowed::OneOf(&options))
        })
    }

    /// An amount of money, zero or more.
    pub fn optional_money(&self, name: &'static str) -> Result<Option<Money>, ApiError> {
        let Some(value) = self.optional(name)? else {
            return Ok(None);
        };
        match Money::parse(value) {
            Ok(money) if !money.is_negative() => Ok(Some(money)),
            _ => Err(ApiError::invalid(name, value, Allowed::Amount)),
        }
    }

    pub fn required_money(&self, name: &'static str) -> Result<Money, ApiError> {
        self.optional_money(name)?
            .ok_or(ApiError::MissingParam(name))
    }

    /// `no-of-records` (10 to 500) and `page-no` (from 1), both required.
    pub fn page(&self) -> Result<Page, ApiError> {
        Ok(Page {
            records: self.required_count("no-of-records", 10, 500)?,
            number: self.required_count("page-no", 1, 1_000_000)?,
        })
    }

    /// An optional epoch-seconds time.
    pub fn optional_time(&self, name: &'static str) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.optional(name)? else {
            return Ok(None);
        };
        value
            .parse::<i64>()
            .ok()
            .filter(|t| (0..=253_402_300_799).contains(t))
            .map(Some)
            .ok_or_else(|| ApiError::invalid(name, value, Allowed::EpochSeconds))
    }
}

fn parse_id(name: &'static str, value: &str) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::invalid(
                name,
                value,
                Allowed::WholeNumber {
                    min: 1,
                    max: i64::MAX as u64,
                },
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_body_merge_and_keys_repeat() {
        let p = Params::parse("order-id=1&months=3", b"order-id=2&order-id%5B0%5D=3");
        assert_eq!(p.ids::<i64>("order-id").unwrap(), vec![1, 2, 3]);
        assert_eq!(p.months().unwrap().get(), 3);
    }

    #[test]
    fn a_single_value_parameter_given_twice_is_refused_by_name() {
        let p = Params::parse("months=1&months=2", b"");
        assert_eq!(
            p.months().unwrap_err().to_string(),
            "Parameter months was given more than once; it takes a single value"
        );
    }

    #[test]
    fn an_empty_required_value_counts_as_missing() {
        let p = Params::parse("months=", b"");
        assert_eq!(
            p.months().unwrap_err().to_string(),
            "Required parameter missing: months"
        );
    }

    #[test]
    fn numbers_out_of_range_name_the_parameter_and_the_range() {
        let p = Params::parse("months=-1&customer-id=abc&no-of-records=5&page-no=1", b"");
        assert_eq!(
            p.months().unwrap_err().to_string(),
            "Invalid months: -1. It must be a whole number from 1 to 120"
        );
        assert!(
            p.required_id::<i64>("customer-id")
                .unwrap_err()
                .to_string()
                .starts_with("Invalid customer-id: abc.")
        );
        assert!(
            p.page()
                .unwrap_err()
                .to_string()
                .starts_with("Invalid no-of-records: 5.")
        );
    }

    #[test]
    fn flags_and_invoice_options_take_only_their_words() {
        let p = Params::parse("auto-renew=yes&invoice-option=Pay", b"");
        assert!(p.flag("auto-renew", false).is_err());
        let numbers = Params::parse("auto-renew=1&purchase-privacy=0", b"");
        assert_eq!(numbers.optional_flag("auto-renew").unwrap(), Some(true));
        assert_eq!(
            numbers.optional_flag("purchase-privacy").unwrap(),
            Some(false)
        );
        assert!(
            p.invoice_option()
                .unwrap_err()
                .to_string()
                .contains("NoInvoice, PayInvoice, KeepInvoice, OnlyAdd")
        );
        assert!(!Params::default().flag("auto-renew", false).unwrap());
    }

    #[test]
    fn money_is_exact_and_never_negative() {
        let p = Params::parse("discount-amount=1.25&amount=-1", b"");
        assert_eq!(
            p.optional_money("discount-amount").unwrap(),
            Some(Money(1_250))
        );
        assert!(p.optional_money("amount").is_err());
    }
}
