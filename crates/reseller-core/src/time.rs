//! Time as Unix epoch seconds, and terms counted in calendar months.
//!
//! The rules never read the system clock: every operation is handed `now`
//! by its caller, so the sandbox can move time and tests are exact.

/// Seconds since the Unix epoch, as the wire shows times.
pub type Epoch = i64;

const DAY: i64 = 86_400;

/// Days since 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A time as people read it: `2026-11-24 10:22:05 UTC`.
pub fn format_utc(at: Epoch) -> String {
    let (days, seconds) = (at.div_euclid(86_400), at.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The civil date (year, month, day) of a time, in UTC.
pub fn civil_date(at: Epoch) -> (i64, u32, u32) {
    civil_from_days(at.div_euclid(DAY))
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// `at` moved forward by whole calendar months, the day clamped to the end of
/// a shorter month (Jan 31 + 1 month = Feb 28 or 29), the time of day kept.
pub fn add_months(at: Epoch, months: u32) -> Epoch {
    let days = at.div_euclid(DAY);
    let seconds = at.rem_euclid(DAY);
    let (year, month, day) = civil_from_days(days);
    let index = year * 12 + i64::from(month - 1) + i64::from(months);
    let (new_year, new_month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    let new_day = day.min(days_in_month(new_year, new_month));
    days_from_civil(new_year, new_month, new_day) * DAY + seconds
}

/// Whole calendar months still to run from `now` until `end`, a started
/// month counting as a whole one; zero when the term is over.
pub fn months_remaining(now: Epoch, end: Epoch) -> u32 {
    if end <= now {
        return 0;
    }
    let mut months = 0u32;
    while add_months(now, months) < end && months < 1200 {
        months += 1;
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_reads_as_its_utc_date_and_clock() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_518_506), "2026-11-24 11:08:26 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    const JAN_31_2025: Epoch = 1_738_281_600; // 2025-01-31T00:00:00Z

    #[test]
    fn a_month_after_january_31_is_the_last_day_of_february() {
        assert_eq!(add_months(JAN_31_2025, 1), 1_740_700_800); // 2025-02-28
        assert_eq!(add_months(JAN_31_2025, 13), 1_772_236_800); // 2026-02-28
    }

    #[test]
    fn twelve_months_is_one_year() {
        assert_eq!(add_months(0, 12), 365 * DAY);
        assert_eq!(add_months(0, 0), 0);
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-800_000, -1, 0, 59, 365, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn a_started_month_counts_whole() {
        let end = add_months(0, 3);
        assert_eq!(months_remaining(0, end), 3);
        assert_eq!(months_remaining(DAY, end), 3);
        assert_eq!(months_remaining(add_months(0, 2) + 1, end), 1);
        assert_eq!(months_remaining(end, end), 0);
    }

    proptest::proptest! {
        #[test]
        fn adding_months_moves_forward_by_28_to_31_days_each(at in 0i64..4_000_000_000, months in 1u32..60) {
            let end = add_months(at, months);
            let days = (end - at) / DAY;
            proptest::prop_assert!(days >= 28 * i64::from(months) && days <= 31 * i64::from(months));
            proptest::prop_assert_eq!((end - at) % DAY, 0);
            proptest::prop_assert_eq!(months_remaining(at, end), months);
        }
    }
}
