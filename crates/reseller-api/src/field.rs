//! The wire types of parameter values: how each is read from its text,
//! written back for the client, and which [`Kind`] the description shows.
//! The value types themselves (ids, money, months, domain names) are
//! `reseller_core`'s; the wire's own are here.

use crate::{Allowed, Kind, ParamError};
use reseller_core::model::{ContactStatus, CustomerStatus, InvoiceOption, OrderStatus};
use reseller_core::{
    ActionId, ContactId, CustomerId, DomainName, InvoiceId, Money, Months, OrderId, PlanId,
    ResellerId,
};
use std::net::IpAddr;

/// The longest text value we take; longer ones are refused by name.
pub const MAX_TEXT: usize = 255;

/// A value a parameter carries.
pub trait Field: Sized {
    /// What the description says it takes.
    const KIND: Kind;
    /// Reads the value given for `name` (trimmed, not empty).
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError>;
    /// The text a client sends.
    fn encode(&self) -> String;
    /// A block of text (a PEM): up to [`MAX_BLOCK`] characters, lines
    /// allowed; any other value is at most [`MAX_TEXT`] on one line.
    const BLOCK: bool = false;
}

/// The longest block of text we take (a CSR in PEM).
pub const MAX_BLOCK: usize = 16_384;

/// The one value of a single-valued block parameter, if given: at most
/// [`MAX_BLOCK`] characters, no control character but line breaks and tabs.
pub fn single_block<'v>(
    name: &'static str,
    values: &[&'v str],
) -> Result<Option<&'v str>, ParamError> {
    match values {
        [] => Ok(None),
        [one] if one.chars().count() > MAX_BLOCK => {
            Err(ParamError::invalid(name, one, Allowed::TextUpTo(MAX_BLOCK)))
        }
        [one]
            if one
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Err(ParamError::invalid(name, one, Allowed::NoControlCharacters))
        }
        [one] => Ok(Some(one)),
        _ => Err(ParamError::Repeated(name)),
    }
}

/// The one value of a single-valued parameter, if given and not empty:
/// at most [`MAX_TEXT`] characters, none of them a control character.
pub fn single_value<'v>(
    name: &'static str,
    values: &[&'v str],
) -> Result<Option<&'v str>, ParamError> {
    match values {
        [] => Ok(None),
        [one] => text(name, one).map(Some),
        _ => Err(ParamError::Repeated(name)),
    }
}

/// A value as every parameter takes it: at most [`MAX_TEXT`] characters,
/// none of them a control character.
pub fn text<'v>(name: &'static str, value: &'v str) -> Result<&'v str, ParamError> {
    if value.chars().count() > MAX_TEXT {
        return Err(ParamError::invalid(
            name,
            value,
            Allowed::TextUpTo(MAX_TEXT),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ParamError::invalid(
            name,
            value,
            Allowed::NoControlCharacters,
        ));
    }
    Ok(value)
}

impl Field for String {
    const KIND: Kind = Kind::Text;
    fn parse(_: &'static str, value: &str) -> Result<Self, ParamError> {
        Ok(value.to_string())
    }
    fn encode(&self) -> String {
        self.clone()
    }
}

/// Text of at most `N` characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Short<const N: u16>(pub String);

impl<const N: u16> Field for Short<N> {
    const KIND: Kind = Kind::TextUpTo(N);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        if value.chars().count() > usize::from(N) {
            return Err(ParamError::invalid(
                name,
                value,
                Allowed::TextUpTo(usize::from(N)),
            ));
        }
        Ok(Short(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// `true` or `false` (any case), or `1` or `0` as PHP's clients send them.
impl Field for bool {
    const KIND: Kind = Kind::Flag;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        if value.eq_ignore_ascii_case("true") || value == "1" {
            Ok(true)
        } else if value.eq_ignore_ascii_case("false") || value == "0" {
            Ok(false)
        } else {
            Err(ParamError::invalid(name, value, Allowed::TrueOrFalse))
        }
    }
    fn encode(&self) -> String {
        self.to_string()
    }
}

/// A positive whole number naming a record.
pub fn parse_id(name: &'static str, value: &str) -> Result<i64, ParamError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ParamError::invalid(
                name,
                value,
                Allowed::WholeNumber {
                    min: 1,
                    max: i64::MAX as u64,
                },
            )
        })
}

macro_rules! id_fields {
    ($($id:ty),*) => {$(
        impl Field for $id {
            const KIND: Kind = Kind::Id;
            fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
                parse_id(name, value).map(<$id>::from)
            }
            fn encode(&self) -> String {
                self.0.to_string()
            }
        }
    )*};
}

/// A movement of funds by its id (`transaction-id`), as transactions
/// show it (`transaction.transactionid`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransactionId(pub i64);

impl From<i64> for TransactionId {
    fn from(id: i64) -> TransactionId {
        TransactionId(id)
    }
}

id_fields!(
    ResellerId,
    CustomerId,
    OrderId,
    ActionId,
    InvoiceId,
    PlanId,
    ContactId,
    TransactionId
);

/// A whole number from `MIN` to `MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count<const MIN: u32, const MAX: u32>(pub u32);

/// A whole number within `min..=max`, refused by name otherwise.
pub fn parse_count(name: &'static str, value: &str, min: u32, max: u32) -> Result<u32, ParamError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            ParamError::invalid(
                name,
                value,
                Allowed::WholeNumber {
                    min: u64::from(min),
                    max: u64::from(max),
                },
            )
        })
}

impl<const MIN: u32, const MAX: u32> Field for Count<MIN, MAX> {
    const KIND: Kind = Kind::Count { min: MIN, max: MAX };
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        parse_count(name, value, MIN, MAX).map(Count)
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

impl Field for Months {
    const KIND: Kind = Kind::Count {
        min: 1,
        max: Months::MAX,
    };
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let months = parse_count(name, value, 1, Months::MAX)?;
        Ok(Months::new(months).expect("counted within the range"))
    }
    fn encode(&self) -> String {
        self.get().to_string()
    }
}

/// An amount of money, zero or more.
impl Field for Money {
    const KIND: Kind = Kind::Money;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        match Money::parse(value) {
            Ok(money) if !money.is_negative() => Ok(money),
            _ => Err(ParamError::invalid(name, value, Allowed::Amount)),
        }
    }
    fn encode(&self) -> String {
        self.to_string()
    }
}

/// A time in seconds since the epoch, up to the end of year 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EpochSeconds(pub i64);

impl Field for EpochSeconds {
    const KIND: Kind = Kind::Time;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        value
            .parse::<i64>()
            .ok()
            .filter(|t| (0..=253_402_300_799).contains(t))
            .map(EpochSeconds)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::EpochSeconds))
    }
    fn encode(&self) -> String {
        self.0.to_string()
    }
}

/// Digits only, `MIN` to `MAX` of them (a phone number, its country code).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digits<const MIN: u8, const MAX: u8>(pub String);

impl<const MIN: u8, const MAX: u8> Field for Digits<MIN, MAX> {
    const KIND: Kind = Kind::Digits { min: MIN, max: MAX };
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        let (min, max) = (usize::from(MIN), usize::from(MAX));
        if !(min..=max).contains(&value.len()) || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParamError::invalid(
                name,
                value,
                Allowed::Digits { min, max },
            ));
        }
        Ok(Digits(value.to_string()))
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

impl Field for IpAddr {
    const KIND: Kind = Kind::Ip;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        value
            .parse()
            .map_err(|_| ParamError::invalid(name, value, Allowed::IpAddress))
    }
    fn encode(&self) -> String {
        self.to_string()
    }
}

/// A domain name as order names take it.
impl Field for DomainName {
    const KIND: Kind = Kind::Text;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        DomainName::parse(value)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::DomainName))
    }
    fn encode(&self) -> String {
        self.as_str().to_string()
    }
}

/// A value that is one word of a fixed list.
pub trait Word: Copy + 'static {
    const ALL: &'static [Self];
    fn text(self) -> &'static str;
}

/// The words of a list, as a refusal and the description list them.
pub fn words_of<W: Word>() -> Vec<&'static str> {
    W::ALL.iter().map(|w| w.text()).collect()
}

/// Reads one word of `W`'s list.
pub fn parse_word<W: Word>(name: &'static str, value: &str) -> Result<W, ParamError> {
    W::ALL
        .iter()
        .copied()
        .find(|w| w.text() == value)
        .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&words_of::<W>())))
}

/// Implements [`Word`] and [`Field`] for enums with `ALL` and `as_str`.
#[macro_export]
macro_rules! words {
    ($($word:ty),* $(,)?) => {$(
        impl $crate::Word for $word {
            const ALL: &'static [Self] = &<$word>::ALL;
            fn text(self) -> &'static str {
                self.as_str()
            }
        }
        impl $crate::Field for $word {
            const KIND: $crate::Kind = $crate::Kind::OneOf($crate::words_of::<$word>);
            fn parse(name: &'static str, value: &str) -> Result<Self, $crate::ParamError> {
                $crate::field::parse_word(name, value)
            }
            fn encode(&self) -> String {
                self.as_str().to_string()
            }
        }
    )*};
}

words!(InvoiceOption, OrderStatus, CustomerStatus, ContactStatus);

/// Any list of words given in a parameter, each one of `W`'s.
pub type Words<W> = Vec<W>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pairs;
    use crate::params::{Optional, Required, Slot};

    fn given(text: &str) -> Pairs {
        text.split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn required<T: Field>(name: &'static str, text: &str) -> Result<T, ParamError> {
        Required::<T>::parse(name, given(text).as_slice())
    }

    #[test]
    fn an_empty_required_value_counts_as_missing() {
        assert_eq!(
            required::<Months>("months", "months=")
                .unwrap_err()
                .to_string(),
            "Required parameter missing: months"
        );
    }

    #[test]
    fn numbers_out_of_range_name_the_parameter_and_the_range() {
        assert_eq!(
            required::<Months>("months", "months=-1")
                .unwrap_err()
                .to_string(),
            "Invalid months: -1. It must be a whole number from 1 to 120"
        );
        assert!(
            required::<CustomerId>("customer-id", "customer-id=abc")
                .unwrap_err()
                .to_string()
                .starts_with("Invalid customer-id: abc.")
        );
        assert!(
            required::<Count<10, 500>>("no-of-records", "no-of-records=5")
                .unwrap_err()
                .to_string()
                .starts_with("Invalid no-of-records: 5.")
        );
    }

    #[test]
    fn flags_and_invoice_options_take_only_their_words() {
        assert!(required::<bool>("auto-renew", "auto-renew=yes").is_err());
        assert_eq!(required::<bool>("auto-renew", "auto-renew=1"), Ok(true));
        assert_eq!(
            required::<bool>("auto-renew", "auto-renew=FALSE"),
            Ok(false)
        );
        assert!(
            required::<InvoiceOption>("invoice-option", "invoice-option=Pay")
                .unwrap_err()
                .to_string()
                .contains("NoInvoice, PayInvoice, KeepInvoice, OnlyAdd")
        );
        assert_eq!(
            Optional::<bool>::parse("auto-renew", given("").as_slice()),
            Ok(None)
        );
    }

    #[test]
    fn money_is_exact_and_never_negative() {
        assert_eq!(
            required::<Money>("discount-amount", "discount-amount=1.25"),
            Ok(Money(1_250))
        );
        assert!(required::<Money>("amount", "amount=-1").is_err());
    }

    #[test]
    fn a_long_or_control_value_is_refused_and_shortened_in_the_refusal() {
        let long = format!("name={}", "x".repeat(300));
        let refused = required::<String>("name", &long).unwrap_err().to_string();
        assert!(refused.starts_with(&format!("Invalid name: {}…", "x".repeat(40))));
        assert!(refused.ends_with("It may be at most 255 characters long"));
        assert!(required::<String>("name", "name=a\u{7}b").is_err());
    }

    #[test]
    fn every_value_reads_back_what_it_encodes() {
        fn round<T: Field + PartialEq + std::fmt::Debug>(text: &str) {
            let value = T::parse("p", text).unwrap();
            assert_eq!(T::parse("p", &value.encode()).unwrap(), value);
        }
        round::<Money>("12.5");
        round::<Months>("12");
        round::<EpochSeconds>("1700000000");
        round::<Digits<1, 3>>("91");
        round::<IpAddr>("2001:db8::1");
        round::<DomainName>("Example.COM");
        round::<Short<8>>("short");
        round::<OrderStatus>("Active");
    }
}
