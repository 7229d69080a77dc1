//! Which records the computed items look at for a review date: METRICS.md's windows in one
//! place, so that a store can read only these records and still give the report that every
//! record gives, values and evidence alike.

use chrono::NaiveDate as Date;

use super::community::V13_WINDOW_DAYS;
use super::employer_contact::V6_WINDOW_DAYS;
use super::follow_along::{V12_FIRST_START_DAYS, V12_LAST_START_DAYS};
use super::jobs::V8_V9_WINDOW_DAYS;
use super::rapid_search::V4_COHORT_DAYS;
use super::{days_after, days_before};

/// The records that decide a program's computed items on review date `at`. Besides the
/// program, all its coaches and all its participants, the items read only:
///
/// - **Meetings** in person (not `phone`, `video` or `message`), and of those only
///   - held by one of the program's coaches in [`coach_meetings`](Self::coach_meetings)
///     (V13), or
///   - with one of the program's participants who has a paid job started in
///     [`followed_starts`](Self::followed_starts), dated in `[started_on, started_on +`
///     [`FOLLOW_ALONG_DAYS`](Self::FOLLOW_ALONG_DAYS)`]` of such a job (V12).
/// - **Employer contacts** face to face, and of those only
///   - made by one of the program's coaches in [`coach_contacts`](Self::coach_contacts) (V6), or
///   - for (or by) a participant enrolled in [`cohort`](Self::cohort), on the first day in
///     `[enrolled_on, at]` that has such a contact for them (V4 takes the first of that
///     day by ID).
/// - **Jobs** of the program's participants that are paid and either started in
///   [`job_starts`](Self::job_starts) (V8, V9, V12) or held on `at` (V10).
///
/// Every window is inclusive and lies within `[at − 365, at]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookback {
    pub at: Date,
    /// V13: `[at − 90, at]`.
    pub coach_meetings: (Date, Date),
    /// V6: `[at − 27, at]`.
    pub coach_contacts: (Date, Date),
    /// V4: `[at − 365, at]`, the enrolment dates of the cohort.
    pub cohort: (Date, Date),
    /// V8, V9: `[at − 365, at]`, the start dates of the jobs counted.
    pub job_starts: (Date, Date),
    /// V12: `[at − 365, at − 28]`, the start dates of the jobs followed.
    pub followed_starts: (Date, Date),
}

impl Lookback {
    /// V12 follows a job start for four weeks: the last period ends on `started_on + 28`.
    pub const FOLLOW_ALONG_DAYS: u64 = 28;

    pub fn at(at: Date) -> Lookback {
        Lookback {
            at,
            coach_meetings: (days_before(at, V13_WINDOW_DAYS), at),
            coach_contacts: (days_before(at, V6_WINDOW_DAYS), at),
            cohort: (days_before(at, V4_COHORT_DAYS), at),
            job_starts: (days_before(at, V8_V9_WINDOW_DAYS), at),
            followed_starts: (
                days_before(at, V12_FIRST_START_DAYS),
                days_before(at, V12_LAST_START_DAYS),
            ),
        }
    }

    /// The last day of the follow-along periods of a job started on `started_on`.
    pub fn follow_along_until(started_on: Date) -> Date {
        days_after(started_on, Self::FOLLOW_ALONG_DAYS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fidelity::follow_along_weeks;

    #[test]
    fn follow_along_ends_with_the_last_week() {
        let s = Date::from_ymd_opt(2025, 2, 20).unwrap();
        let last = follow_along_weeks(s, None, &[]).iter().map(|w| w.to).max();
        assert_eq!(last, Some(Lookback::follow_along_until(s)));
    }

    #[test]
    fn every_window_lies_within_the_year() {
        let at = Date::from_ymd_opt(2024, 3, 1).unwrap();
        let l = Lookback::at(at);
        let year = days_before(at, 365);
        for (from, to) in [
            l.coach_meetings,
            l.coach_contacts,
            l.cohort,
            l.job_starts,
            l.followed_starts,
        ] {
            assert!(year <= from && from <= to && to <= at);
        }
        assert!(Lookback::follow_along_until(l.followed_starts.1) <= at);
    }
}
