//! A term as an order takes it: whole calendar months, from 1 to
//! [`Months::MAX`]. Made at the edge from `months`; the rules take no other.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Months(u32);

impl Months {
    /// The longest term an order takes: ten years.
    pub const MAX: u32 = 120;

    /// `n` months, if it is a term an order may take.
    pub fn new(n: u32) -> Option<Months> {
        (1..=Months::MAX).contains(&n).then_some(Months(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Months {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_one_month_to_ten_years() {
        assert_eq!(Months::new(0), None);
        assert_eq!(Months::new(1).map(Months::get), Some(1));
        assert_eq!(Months::new(120).map(Months::get), Some(120));
        assert_eq!(Months::new(121), None);
    }
}
