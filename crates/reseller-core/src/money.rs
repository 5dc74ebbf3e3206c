//! Money as an integer count of thousandths of the currency unit.
//!
//! The wire shows three decimals (`"-90.540"`) and clients send decimal
//! strings (`0.00`, `12.5`). Parsing and printing live here and nowhere else,
//! so no float ever touches an amount.

use std::fmt;
use std::ops::{Add, Neg, Sub};

/// An amount in thousandths (1.000 USD is `Money(1000)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

/// The largest amount we accept on the wire: a billion units. Keeps every sum
/// of a few amounts far from i64 overflow.
pub const MAX_WIRE: Money = Money(1_000_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a decimal amount")]
    NotDecimal,
    #[error("more than three decimals")]
    TooPrecise,
    #[error("too large")]
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_units(units: i64) -> Money {
        Money(units * 1000)
    }

    pub fn thousandths(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Multiplies by a whole count (months, accounts, gigabytes), saturating
    /// instead of overflowing; callers bound their inputs far below that.
    pub fn times(self, count: i64) -> Money {
        Money(self.0.saturating_mul(count))
    }

    /// Parses a wire amount: optional sign, digits, optional point and up to
    /// three decimals. `"12"`, `"12.5"`, `"0.00"`, `"-3.125"`.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(MoneyError::NotDecimal);
        }
        if fraction.len() > 3 && fraction[3..].bytes().any(|b| b != b'0') {
            return Err(MoneyError::TooPrecise);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(MoneyError::TooLarge);
        }
        let units: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::TooLarge)?
        };
        let mut thousandths = 0i64;
        for (i, b) in fraction.bytes().take(3).enumerate() {
            thousandths += i64::from(b - b'0') * [100, 10, 1][i];
        }
        let value = Money(units * 1000 + thousandths);
        if value > MAX_WIRE {
            return Err(MoneyError::TooLarge);
        }
        Ok(if negative { -value } else { value })
    }
}

impl fmt::Display for Money {
    /// Three decimals, as the wire shows money: `12.500`, `-0.250`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:03}", abs / 1000, abs % 1000)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_clients_send() {
        assert_eq!(Money::parse("0.00"), Ok(Money(0)));
        assert_eq!(Money::parse("12"), Ok(Money(12_000)));
        assert_eq!(Money::parse("12.5"), Ok(Money(12_500)));
        assert_eq!(Money::parse("-3.125"), Ok(Money(-3_125)));
        assert_eq!(Money::parse(".5"), Ok(Money(500)));
        assert_eq!(Money::parse("1.2500"), Ok(Money(1_250)));
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        assert_eq!(Money::parse(""), Err(MoneyError::NotDecimal));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotDecimal));
        assert_eq!(Money::parse("1e3"), Err(MoneyError::NotDecimal));
        assert_eq!(Money::parse("1.2345"), Err(MoneyError::TooPrecise));
        assert_eq!(
            Money::parse("99999999999999999999"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Money::parse("1000000001"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn prints_three_decimals() {
        assert_eq!(Money(-90_540).to_string(), "-90.540");
        assert_eq!(Money(5).to_string(), "0.005");
        assert_eq!(Money(-250).to_string(), "-0.250");
        assert_eq!(Money::from_units(10_000).to_string(), "10000.000");
    }

    #[test]
    fn printing_then_parsing_gives_the_same_amount() {
        for v in [-1_000_000_007i64, -1, 0, 1, 999, 1000, 123_456_789] {
            assert_eq!(Money::parse(&Money(v).to_string()), Ok(Money(v)));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_amount_prints_and_parses_back(thousandths in -MAX_WIRE.0..=MAX_WIRE.0) {
            proptest::prop_assert_eq!(Money::parse(&Money(thousandths).to_string()), Ok(Money(thousandths)));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = Money::parse(&text);
        }
    }
}
