//! Money as the API writes it: a decimal string such as `"-90.540"` (or a
//! number, in a few places), kept exactly as whole thousandths, never as a
//! float.

use serde::{Deserialize, Deserializer, de};
use std::fmt;
use std::str::FromStr;

/// An amount of money, exact to the thousandth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount {
    /// Thousandths of the currency unit.
    pub thousandths: i64,
}

impl Amount {
    pub const fn from_thousandths(thousandths: i64) -> Amount {
        Amount { thousandths }
    }
}

impl fmt::Display for Amount {
    /// Three decimals, as the API writes money: `12.500`, `-0.250`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.thousandths < 0 { "-" } else { "" };
        let abs = self.thousandths.unsigned_abs();
        write!(f, "{sign}{}.{:03}", abs / 1000, abs % 1000)
    }
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an amount of money (at most three decimals): {0:?}")]
pub struct NotAnAmount(pub String);

impl FromStr for Amount {
    type Err = NotAnAmount;

    fn from_str(text: &str) -> Result<Amount, NotAnAmount> {
        let refuse = || NotAnAmount(text.to_string());
        let (negative, digits) = match text.trim().strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.trim()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 3 {
            return Err(refuse());
        }
        let whole: i64 = whole.parse().map_err(|_| refuse())?;
        let fraction: i64 = format!("{fraction:0<3}").parse().map_err(|_| refuse())?;
        let thousandths = whole
            .checked_mul(1000)
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(refuse)?;
        Ok(Amount {
            thousandths: if negative { -thousandths } else { thousandths },
        })
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => text.parse().map_err(de::Error::custom),
            serde_json::Value::Number(n) => n.to_string().parse().map_err(de::Error::custom),
            other => Err(de::Error::custom(format!("not an amount: {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_exactly_and_print_as_the_api_writes_them() {
        for (text, thousandths, shown) in [
            ("-90.540", -90_540, "-90.540"),
            ("0.0", 0, "0.000"),
            ("12.5", 12_500, "12.500"),
            ("1000", 1_000_000, "1000.000"),
            ("0.001", 1, "0.001"),
        ] {
            let amount: Amount = text.parse().unwrap();
            assert_eq!(amount.thousandths, thousandths, "{text}");
            assert_eq!(amount.to_string(), shown);
        }
        for bad in [
            "",
            "1.2345",
            "abc",
            "1.-2",
            "--1",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad}");
        }
        let from_number: Amount = serde_json::from_str("10.25").unwrap();
        assert_eq!(from_number.thousandths, 10_250);
    }
}
