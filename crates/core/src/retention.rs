//! Retention (gallring): how long a participant's records are kept after their exit, and
//! when they are due to be erased (docs/privacy.md).
//!
//! A rule keeps records `years` whole years after the exit: through the day before the
//! exit's anniversary, so that they are due on the anniversary itself. An exit on 29
//! February has its anniversary on 28 February in a year without one. A participant who has
//! not left is never due: IPS support has no time limit, and neither has their record.

use crate::Date;

/// The fewest and the most years a rule may keep records.
pub const YEARS: std::ops::RangeInclusive<u32> = 1..=100;

/// The first day on which records of a participant who left on `exit` are no longer kept
/// under a rule of `years`: the exit's `years`-th anniversary.
pub fn due_on(exit: Date, years: u32) -> Date {
    exit.checked_add_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(Date::MAX)
}

/// Whether a rule of `years` still keeps the records of someone who left on `exit` (`None`:
/// has not left) on `today`.
pub fn kept_on(exit: Option<Date>, years: u32, today: Date) -> bool {
    match exit {
        None => true,
        Some(e) => today < due_on(e, years),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn due_on_the_anniversary_not_the_day_before() {
        let exit = Some(d("2020-03-15"));
        assert!(kept_on(exit, 5, d("2025-03-14")));
        assert!(!kept_on(exit, 5, d("2025-03-15")));
        assert!(!kept_on(exit, 5, d("2025-03-16")));
    }

    #[test]
    fn a_leap_day_exit_is_due_on_the_last_of_february() {
        assert_eq!(due_on(d("2024-02-29"), 1), d("2025-02-28"));
        assert_eq!(due_on(d("2024-02-29"), 4), d("2028-02-29"));
    }

    #[test]
    fn someone_who_has_not_left_is_always_kept() {
        assert!(kept_on(None, 1, d("2100-01-01")));
    }
}
