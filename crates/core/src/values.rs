//! The small typed values records are made of: closed vocabularies (place, kind, owner…)
//! and bounded numbers (fte, minutes…). Each parses from the exact text of INTERCHANGE.md
//! and prints back to the same text, so import → export is lossless.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A value that is not one of the words a vocabulary allows, or a number out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order INTERCHANGE.md lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in files, the database and URLs.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<Self, ValueError> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(ValueError(format!(
                        "must be one of {}",
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// How a participant came to the program. IPS has zero exclusion: any source is welcome.
    ReferralSource {
        SelfReferral = "self",
        MentalHealthTeam = "mental_health_team",
        SocialServices = "social_services",
        EmploymentService = "employment_service",
        Family = "family",
        Other = "other",
    }
);

vocabulary!(
    /// Why a participant left the caseload. There is deliberately no reason for missed
    /// appointments or a time limit: IPS never ends support for those.
    ExitReason {
        ParticipantChoice = "participant_choice",
        SteppedDown = "stepped_down",
        Moved = "moved",
        Deceased = "deceased",
        Other = "other",
    }
);

vocabulary!(
    /// Where a meeting happened (BRIEF theme 2: encounters in many places).
    Place {
        Office = "office",
        Cafe = "cafe",
        Home = "home",
        Workplace = "workplace",
        Employer = "employer",
        Community = "community",
        Phone = "phone",
        Video = "video",
        Message = "message",
    }
);

impl Place {
    /// METRICS.md: a meeting is in person when its place is not phone, video or message.
    pub const fn is_in_person(self) -> bool {
        !matches!(self, Place::Phone | Place::Video | Place::Message)
    }

    /// METRICS.md: in the community when it is in person and not at the office.
    pub const fn is_in_community(self) -> bool {
        self.is_in_person() && !matches!(self, Place::Office)
    }
}

vocabulary!(
    /// Who takes a next step.
    StepOwner {
        Coach = "coach",
        Participant = "participant",
        Both = "both",
        Other = "other",
    }
);

vocabulary!(
    /// Who made an employer contact.
    ContactMaker {
        Coach = "coach",
        Participant = "participant",
    }
);

vocabulary!(
    /// What an employer contact was for.
    ContactPurpose {
        LearnNeeds = "learn_needs",
        PresentCandidate = "present_candidate",
        FollowUp = "follow_up",
        Other = "other",
    }
);

vocabulary!(
    /// Jobs and other steps toward work (BRIEF theme 5).
    JobKind {
        /// Open to anyone, ordinary wage, no time limit set by a service.
        Competitive = "competitive",
        /// Wage subsidy, e.g. lönebidrag.
        Subsidized = "subsidized",
        /// Time-limited or set-aside job.
        Transitional = "transitional",
        /// Work experience (praktik), unpaid.
        Placement = "placement",
        Education = "education",
        Volunteer = "volunteer",
    }
);

impl JobKind {
    /// METRICS.md: paid jobs are kinds competitive, subsidized, transitional.
    pub const fn is_paid(self) -> bool {
        matches!(
            self,
            JobKind::Competitive | JobKind::Subsidized | JobKind::Transitional
        )
    }
}

vocabulary!(
    /// Why a job ended.
    EndReason {
        Quit = "quit",
        Fired = "fired",
        ContractEnded = "contract_ended",
        BetterJob = "better_job",
        Other = "other",
    }
);

vocabulary!(
    /// Work-incentives planning (benefits counselling).
    BenefitsStatus {
        Offered = "offered",
        Completed = "completed",
    }
);

/// Parses a number the interchange way: `.` as decimal separator, finite, nothing else.
fn parse_number(s: &str) -> Result<f64, ValueError> {
    // Rust's parser accepts "inf", "NaN" and "1e3"; a spreadsheet user means none of them.
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && s.chars().any(|c| c.is_ascii_digit());
    match s.parse::<f64>() {
        Ok(v) if plain && v.is_finite() => Ok(v),
        _ => Err(ValueError(
            "must be a number with '.' as decimal separator, e.g. 0.5".into(),
        )),
    }
}

macro_rules! bounded_number {
    ($(#[$doc:meta])* $name:ident, $check:expr, $rule:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
        #[serde(try_from = "f64", into = "f64")]
        pub struct $name(f64);

        impl $name {
            pub fn new(v: f64) -> Result<Self, ValueError> {
                let ok: fn(f64) -> bool = $check;
                if v.is_finite() && ok(v) {
                    Ok(Self(v))
                } else {
                    Err(ValueError(concat!("must be ", $rule).into()))
                }
            }
            pub fn parse(s: &str) -> Result<Self, ValueError> {
                parse_number(s)
                    .map_err(|_| ValueError(concat!("must be a number (", $rule, ") with '.' as decimal separator").into()))
                    .and_then(Self::new)
            }
            pub const fn get(self) -> f64 {
                self.0
            }
        }

        impl TryFrom<f64> for $name {
            type Error = ValueError;
            fn try_from(v: f64) -> Result<Self, ValueError> {
                Self::new(v)
            }
        }

        impl From<$name> for f64 {
            fn from(v: $name) -> f64 {
                v.0
            }
        }

        /// Prints the shortest text that parses back to the same number, so that export →
        /// import → export is byte-identical.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

bounded_number!(
    /// Share of full time spent as an IPS coach: 0 < fte ≤ 1, default 1.
    Fte,
    |v| v > 0.0 && v <= 1.0,
    "more than 0 and at most 1"
);

impl Default for Fte {
    fn default() -> Self {
        Fte(1.0)
    }
}

bounded_number!(
    /// Hours per week of a goal or a job: a number > 0 (at most the 168 hours of a week).
    HoursPerWeek,
    |v| v > 0.0 && v <= 168.0,
    "more than 0 and at most 168"
);

bounded_number!(
    /// Hourly wage in local currency: a number ≥ 0.
    HourlyWage,
    |v| v >= 0.0,
    "0 or more"
);

/// Length of a meeting in whole minutes, 1 to 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Minutes(u16);

impl Minutes {
    pub fn new(v: u32) -> Result<Self, ValueError> {
        if (1..=1440).contains(&v) {
            Ok(Self(v as u16))
        } else {
            Err(ValueError(
                "must be a whole number of minutes from 1 to 1440".into(),
            ))
        }
    }
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError(
                "must be a whole number of minutes from 1 to 1440".into(),
            ));
        }
        s.parse::<u32>()
            .map_err(|_| ValueError("must be a whole number of minutes from 1 to 1440".into()))
            .and_then(Self::new)
    }
    pub const fn get(self) -> u32 {
        self.0 as u32
    }
}

impl TryFrom<u32> for Minutes {
    type Error = ValueError;
    fn try_from(v: u32) -> Result<Self, ValueError> {
        Self::new(v)
    }
}

impl From<Minutes> for u32 {
    fn from(m: Minutes) -> u32 {
        m.get()
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An ISCO-08 or SSYK 2012 unit group: exactly 4 digits (leading zeros kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OccupationCode([u8; 4]);

impl OccupationCode {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let b = s.as_bytes();
        if b.len() == 4 && b.iter().all(u8::is_ascii_digit) {
            Ok(Self([b[0], b[1], b[2], b[3]]))
        } else {
            Err(ValueError(
                "must be a 4-digit ISCO-08 or SSYK 2012 unit group, e.g. 5120".into(),
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("0000")
    }
}

impl TryFrom<String> for OccupationCode {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::parse(&s)
    }
}

impl From<OccupationCode> for String {
    fn from(c: OccupationCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes a date as [`parse_date`] reads it: the text of `NaiveDate`'s Display
/// (`2025-03-14`), written without a format string for the years a cell can hold.
pub fn format_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return d.to_string();
    }
    let y = y as u32;
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        m / 10,
        m % 10,
        day / 10,
        day % 10,
    ];
    let mut text = String::with_capacity(10);
    for (i, digit) in digits.into_iter().enumerate() {
        if i == 4 || i == 6 {
            text.push('-');
        }
        text.push(char::from(b'0' + digit as u8));
    }
    text
}

/// Parses an ISO 8601 calendar date, `2025-03-14`, and nothing looser.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, ValueError> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped {
        // Every byte is an ASCII digit where one is read.
        let n = |from: usize, to: usize| {
            s.as_bytes()[from..to]
                .iter()
                .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
        };
        let year = n(0, 4) as i32;
        if let Some(d) = chrono::NaiveDate::from_ymd_opt(year, n(5, 7), n(8, 10)) {
            return Ok(d);
        }
    }
    Err(ValueError(
        "must be a date written YYYY-MM-DD, e.g. 2025-03-14".into(),
    ))
}

/// Parses `true` / `false`, exactly.
pub fn parse_bool(s: &str) -> Result<bool, ValueError> {
    match s {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ValueError("must be true or false".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip() {
        for p in Place::ALL {
            assert_eq!(Place::parse(p.as_str()), Ok(*p));
        }
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Ok(*k));
        }
        assert!(Place::parse("Cafe").is_err());
        assert!(Place::parse("café").is_err());
        assert!(
            ExitReason::parse("missed_appointments")
                .unwrap_err()
                .0
                .contains("participant_choice")
        );
    }

    #[test]
    fn place_classes() {
        assert!(Place::Cafe.is_in_community());
        assert!(Place::Office.is_in_person());
        assert!(!Place::Office.is_in_community());
        assert!(!Place::Phone.is_in_person());
        assert!(!Place::Message.is_in_community());
    }

    #[test]
    fn paid_kinds() {
        let paid: Vec<_> = JobKind::ALL.iter().filter(|k| k.is_paid()).collect();
        assert_eq!(
            paid,
            [
                &JobKind::Competitive,
                &JobKind::Subsidized,
                &JobKind::Transitional
            ]
        );
    }

    #[test]
    fn fte_bounds() {
        assert!(Fte::parse("0").is_err());
        assert!(Fte::parse("0.01").is_ok());
        assert!(Fte::parse("1").is_ok());
        assert!(Fte::parse("1.01").is_err());
        assert!(Fte::parse("0,5").is_err());
        assert!(Fte::parse("NaN").is_err());
        assert!(Fte::parse("inf").is_err());
        assert_eq!(Fte::parse("0.5").unwrap().to_string(), "0.5");
        assert_eq!(Fte::parse("1.0").unwrap().to_string(), "1");
    }

    #[test]
    fn minutes_bounds() {
        assert!(Minutes::parse("0").is_err());
        assert!(Minutes::parse("1").is_ok());
        assert!(Minutes::parse("1440").is_ok());
        assert!(Minutes::parse("1441").is_err());
        assert!(Minutes::parse("30.5").is_err());
        assert!(Minutes::parse("+30").is_err());
    }

    #[test]
    fn numbers() {
        assert!(HoursPerWeek::parse("0").is_err());
        assert!(HoursPerWeek::parse("0.5").is_ok());
        assert!(HourlyWage::parse("0").is_ok());
        assert!(HourlyWage::parse("-1").is_err());
        assert!(HourlyWage::parse("1e3").is_err());
        assert!(HourlyWage::parse("135.50").is_ok());
    }

    #[test]
    fn occupation_codes() {
        assert_eq!(OccupationCode::parse("0110").unwrap().as_str(), "0110");
        assert!(OccupationCode::parse("511").is_err());
        assert!(OccupationCode::parse("51201").is_err());
        assert!(OccupationCode::parse("51a0").is_err());
    }

    #[test]
    fn dates_and_booleans() {
        assert!(parse_date("2025-03-14").is_ok());
        assert!(parse_date("2025-02-29").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2025-3-14").is_err());
        assert!(parse_date("14/03/2025").is_err());
        assert!(parse_date(" 2025-03-14").is_err());
        assert_eq!(parse_bool("true"), Ok(true));
        assert!(parse_bool("TRUE").is_err());
        assert!(parse_bool("1").is_err());
    }

    #[test]
    fn dates_are_written_as_display_writes_them_and_read_back() {
        for (y, m, d) in [
            (2025, 3, 14),
            (1, 1, 1),
            (0, 12, 31),
            (999, 10, 9),
            (9999, 12, 31),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let text = format_date(date);
            assert_eq!(text, date.to_string());
            assert_eq!(parse_date(&text), Ok(date));
        }
        let far = chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(format_date(far), far.to_string());
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("2025-00-10").is_err());
        assert!(parse_date("2025-01-32").is_err());
    }
}
