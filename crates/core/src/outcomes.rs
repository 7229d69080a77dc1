//! Quarterly outcomes (METRICS.md "Quarterly outcomes"), the figures IPS learning
//! communities report: who was served, who worked, job starts, enrolments and exits.
//!
//! Readings of METRICS.md chosen here:
//! - `job_starts` counts paid jobs of the program's participants started in the quarter,
//!   whether or not the participant was served in it (a job starts on or after enrolment,
//!   so in valid data they were).
//! - `first_job_starts`: a paid job started in the quarter with no paid job of the same
//!   participant started on an *earlier day*. Two paid jobs started on the participant's
//!   first day of work are both first job starts.
//! - `in_education` counts served participants with an `education` step held on a day of
//!   the quarter.
//!
//! Built for a whole country at once: [`outcomes_by_program`] walks all participants and
//! jobs once and returns every program's figures, instead of one scan per program.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Add, AddAssign};

use chrono::{Datelike, NaiveDate as Date};
use serde::{Deserialize, Serialize};

use crate::fast_hash::FastMap;
use crate::fidelity::ProgramRecords;
use crate::id::*;
use crate::records::*;
use crate::round::round_decimal;
use crate::values::JobKind;

/// The version of the rules above. Figures a store keeps (per program and quarter) under
/// another version are computed again; a change of any rule here must raise it.
pub const RULES: u32 = 1;

/// A calendar quarter, written `YYYYQn`: Q1 = Jan 1–Mar 31, Q2 = Apr 1–Jun 30,
/// Q3 = Jul 1–Sep 30, Q4 = Oct 1–Dec 31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quarter {
    year: i32,
    q: u8,
}

/// Why a text is not a quarter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a quarter: write the year and the quarter 1–4 as YYYYQn, e.g. 2025Q2")]
pub struct QuarterError(pub String);

impl Quarter {
    /// A quarter from its year and number 1–4.
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        let ok = (1..=4).contains(&q) && (1..=9999).contains(&year);
        ok.then_some(Quarter { year, q })
    }

    /// Parses `YYYYQn`, e.g. `2025Q2`. Exactly four digits, `Q` (capital), one digit 1–4.
    pub fn parse(s: &str) -> Result<Quarter, QuarterError> {
        let b = s.as_bytes();
        let shaped = b.len() == 6 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'Q';
        if shaped
            && let (Ok(year), Some(q)) = (s[..4].parse::<i32>(), (b[5] as char).to_digit(10))
            && let Some(quarter) = Quarter::new(year, q as u8)
        {
            return Ok(quarter);
        }
        Err(QuarterError(s.to_owned()))
    }

    /// The quarter that holds a date.
    pub fn of(d: Date) -> Quarter {
        Quarter {
            year: d.year(),
            q: (d.month0() / 3 + 1) as u8,
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1–4.
    pub fn number(self) -> u8 {
        self.q
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd_opt(self.year, u32::from(self.q) * 3 - 2, 1)
            .expect("a quarter's first day exists")
    }

    /// The last day (inclusive, as every end date in fika).
    pub fn last_day(self) -> Date {
        self.next()
            .first_day()
            .pred_opt()
            .expect("the day before a quarter exists")
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// The quarters from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Quarter) -> Vec<Quarter> {
        let mut out = Vec::new();
        let mut q = self;
        while q <= last {
            out.push(q);
            q = q.next();
        }
        out
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}Q{}", self.year, self.q)
    }
}

impl std::str::FromStr for Quarter {
    type Err = QuarterError;
    fn from_str(s: &str) -> Result<Self, QuarterError> {
        Quarter::parse(s)
    }
}

impl TryFrom<String> for Quarter {
    type Error = QuarterError;
    fn try_from(s: String) -> Result<Self, QuarterError> {
        Quarter::parse(&s)
    }
}

impl From<Quarter> for String {
    fn from(q: Quarter) -> String {
        q.to_string()
    }
}

/// The counts behind the quarterly figures. Counts of several programs or quarters add up;
/// rates never do, so they are recomputed from summed counts ([`Figures::from_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    pub served: u32,
    pub working_competitive: u32,
    pub working_paid: u32,
    pub served_not_employed_at_entry: u32,
    pub working_competitive_not_employed_at_entry: u32,
    pub job_starts: u32,
    pub first_job_starts: u32,
    pub in_education: u32,
    pub enrolled: u32,
    pub exited: u32,
}

impl AddAssign for OutcomeCounts {
    fn add_assign(&mut self, o: Self) {
        self.served += o.served;
        self.working_competitive += o.working_competitive;
        self.working_paid += o.working_paid;
        self.served_not_employed_at_entry += o.served_not_employed_at_entry;
        self.working_competitive_not_employed_at_entry +=
            o.working_competitive_not_employed_at_entry;
        self.job_starts += o.job_starts;
        self.first_job_starts += o.first_job_starts;
        self.in_education += o.in_education;
        self.enrolled += o.enrolled;
        self.exited += o.exited;
    }
}

impl Add for OutcomeCounts {
    type Output = Self;
    fn add(mut self, o: Self) -> Self {
        self += o;
        self
    }
}

/// Every figure of METRICS.md by its name, in its order: counts and the rates made from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub served: u32,
    pub working_competitive: u32,
    pub employment_rate: Option<f64>,
    pub working_paid: u32,
    pub paid_employment_rate: Option<f64>,
    pub served_not_employed_at_entry: u32,
    pub working_competitive_not_employed_at_entry: u32,
    pub employment_rate_not_employed_at_entry: Option<f64>,
    pub job_starts: u32,
    pub first_job_starts: u32,
    pub in_education: u32,
    pub enrolled: u32,
    pub exited: u32,
}

/// A fraction 0–1 rounded to 4 decimals; `None` when the denominator is 0.
pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| round_decimal(f64::from(part) / f64::from(whole), 4))
}

impl Figures {
    pub fn from_counts(c: OutcomeCounts) -> Figures {
        Figures {
            served: c.served,
            working_competitive: c.working_competitive,
            employment_rate: rate(c.working_competitive, c.served),
            working_paid: c.working_paid,
            paid_employment_rate: rate(c.working_paid, c.served),
            served_not_employed_at_entry: c.served_not_employed_at_entry,
            working_competitive_not_employed_at_entry: c.working_competitive_not_employed_at_entry,
            employment_rate_not_employed_at_entry: rate(
                c.working_competitive_not_employed_at_entry,
                c.served_not_employed_at_entry,
            ),
            job_starts: c.job_starts,
            first_job_starts: c.first_job_starts,
            in_education: c.in_education,
            enrolled: c.enrolled,
            exited: c.exited,
        }
    }

    pub fn counts(&self) -> OutcomeCounts {
        OutcomeCounts {
            served: self.served,
            working_competitive: self.working_competitive,
            working_paid: self.working_paid,
            served_not_employed_at_entry: self.served_not_employed_at_entry,
            working_competitive_not_employed_at_entry: self
                .working_competitive_not_employed_at_entry,
            job_starts: self.job_starts,
            first_job_starts: self.first_job_starts,
            in_education: self.in_education,
            enrolled: self.enrolled,
            exited: self.exited,
        }
    }
}

/// One program's outcomes in one quarter: METRICS.md's `outcomes --format json` object,
/// `{"program", "quarter", "served", …, "exited"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcomes {
    pub program: ProgramId,
    pub quarter: Quarter,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The outcomes of one coach's caseload: participants whose designated coach is this coach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoachOutcomes {
    pub program: ProgramId,
    pub coach: CoachId,
    pub quarter: Quarter,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The outcomes of a group of programs (a region, a country): counts summed, rates
/// recomputed from the sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupOutcomes {
    pub programs: Vec<ProgramId>,
    pub quarter: Quarter,
    #[serde(flatten)]
    pub figures: Figures,
}

/// What one participant's jobs add to the figures of a quarter `[a, b]`, gathered one job
/// at a time in any order, so that a national run can fold a million jobs straight into
/// it without grouping them first.
#[derive(Debug, Clone, Copy, Default)]
struct JobsInQuarter {
    competitive_held: bool,
    paid_held: bool,
    education_held: bool,
    paid_starts: u32,
    /// The day the participant's earliest paid job started (over all time).
    first_paid_start: Option<Date>,
    /// Paid jobs started in the quarter on `first_paid_start`.
    first_starts: u32,
}

impl JobsInQuarter {
    fn add(&mut self, j: &Job, a: Date, b: Date) {
        let held = j.held_during(a, b);
        self.competitive_held |= held && j.kind == JobKind::Competitive;
        self.paid_held |= held && j.kind.is_paid();
        self.education_held |= held && j.kind == JobKind::Education;
        if !j.kind.is_paid() {
            return;
        }
        let starts_in_quarter = a <= j.started_on && j.started_on <= b;
        self.paid_starts += u32::from(starts_in_quarter);
        // METRICS.md: a first job start is one with no paid job of theirs started earlier.
        match self.first_paid_start {
            Some(first) if first < j.started_on => {}
            Some(first) if first == j.started_on => {
                self.first_starts += u32::from(starts_in_quarter)
            }
            _ => {
                self.first_paid_start = Some(j.started_on);
                self.first_starts = u32::from(starts_in_quarter);
            }
        }
    }

    /// The participant's counts in the quarter, with these jobs.
    fn counts(&self, p: &Participant, a: Date, b: Date) -> OutcomeCounts {
        let mut c = OutcomeCounts {
            job_starts: self.paid_starts,
            first_job_starts: self.first_starts,
            enrolled: u32::from(a <= p.enrolled_on && p.enrolled_on <= b),
            exited: u32::from(p.exited_on().is_some_and(|e| a <= e && e <= b)),
            ..OutcomeCounts::default()
        };
        if p.is_active_during(a, b) {
            c.served = 1;
            c.working_competitive = u32::from(self.competitive_held);
            c.working_paid = u32::from(self.paid_held);
            c.in_education = u32::from(self.education_held);
            if !p.employed_at_entry {
                c.served_not_employed_at_entry = 1;
                c.working_competitive_not_employed_at_entry = u32::from(self.competitive_held);
            }
        }
        c
    }
}

/// Each participant's jobs folded into each quarter `bounds[k]`, in one walk over the jobs:
/// entry `i * bounds.len() + k` is participant `i` in quarter `k`. Jobs of other people
/// are skipped.
fn fold_jobs(
    participants: &[&Participant],
    jobs: &[Job],
    bounds: &[(Date, Date)],
) -> Vec<JobsInQuarter> {
    let mut pos: FastMap<&ParticipantId, usize> = FastMap::default();
    pos.reserve(participants.len());
    for (i, p) in participants.iter().enumerate() {
        pos.insert(&p.id, i);
    }
    let mut acc = vec![JobsInQuarter::default(); participants.len() * bounds.len()];
    for j in jobs {
        if let Some(&i) = pos.get(&j.participant) {
            for (k, &(a, b)) in bounds.iter().enumerate() {
                acc[i * bounds.len() + k].add(j, a, b);
            }
        }
    }
    acc
}

/// Counts over some participants for each quarter.
fn counts_for(
    participants: &[&Participant],
    jobs: &[Job],
    quarters: &[Quarter],
) -> Vec<OutcomeCounts> {
    let bounds: Vec<(Date, Date)> = quarters
        .iter()
        .map(|q| (q.first_day(), q.last_day()))
        .collect();
    let acc = fold_jobs(participants, jobs, &bounds);
    let mut out = vec![OutcomeCounts::default(); quarters.len()];
    for (i, p) in participants.iter().enumerate() {
        for (k, &(a, b)) in bounds.iter().enumerate() {
            out[k] += acc[i * bounds.len() + k].counts(p, a, b);
        }
    }
    out
}

/// A program's outcomes in one quarter. Uses the participants of `records.program` and
/// their jobs; other records are ignored.
pub fn outcomes(records: &ProgramRecords<'_>, quarter: Quarter) -> Outcomes {
    outcome_series(records, &[quarter])
        .pop()
        .expect("one quarter in, one out")
}

/// A program's outcomes for each of several quarters (a time series), in the order given.
pub fn outcome_series(records: &ProgramRecords<'_>, quarters: &[Quarter]) -> Vec<Outcomes> {
    let participants: Vec<&Participant> = records
        .participants
        .iter()
        .filter(|p| &p.program == records.program)
        .collect();
    counts_for(&participants, records.jobs, quarters)
        .into_iter()
        .zip(quarters)
        .map(|(c, q)| Outcomes {
            program: records.program.clone(),
            quarter: *q,
            figures: Figures::from_counts(c),
        })
        .collect()
}

/// The outcomes of one coach's caseload in a program: participants whose designated coach
/// is `coach`.
pub fn coach_outcomes(
    records: &ProgramRecords<'_>,
    coach: &CoachId,
    quarter: Quarter,
) -> CoachOutcomes {
    let participants: Vec<&Participant> = records
        .participants
        .iter()
        .filter(|p| &p.program == records.program && &p.coach == coach)
        .collect();
    let c = counts_for(&participants, records.jobs, &[quarter])[0];
    CoachOutcomes {
        program: records.program.clone(),
        coach: coach.clone(),
        quarter,
        figures: Figures::from_counts(c),
    }
}

/// Every program's outcomes in one quarter, in one walk over all participants and jobs (a
/// whole country at once). Programs without participants do not appear.
pub fn outcomes_by_program(
    participants: &[Participant],
    jobs: &[Job],
    quarter: Quarter,
) -> BTreeMap<ProgramId, Outcomes> {
    let all: Vec<&Participant> = participants.iter().collect();
    let (a, b) = (quarter.first_day(), quarter.last_day());
    let acc = fold_jobs(&all, jobs, &[(a, b)]);
    let mut counts: FastMap<&ProgramId, OutcomeCounts> = FastMap::default();
    for (p, jobs) in all.iter().zip(&acc) {
        *counts.entry(&p.program).or_default() += jobs.counts(p, a, b);
    }
    counts
        .into_iter()
        .map(|(program, c)| {
            (
                program.clone(),
                Outcomes {
                    program: program.clone(),
                    quarter,
                    figures: Figures::from_counts(c),
                },
            )
        })
        .collect()
}

/// The outcomes of a group of programs in one quarter: counts summed, rates recomputed.
/// Outcomes of other quarters than `quarter` are ignored.
pub fn group_outcomes<'a>(
    quarter: Quarter,
    parts: impl IntoIterator<Item = &'a Outcomes>,
) -> GroupOutcomes {
    let mut programs = Vec::new();
    let mut sum = OutcomeCounts::default();
    for o in parts.into_iter().filter(|o| o.quarter == quarter) {
        programs.push(o.program.clone());
        sum += o.figures.counts();
    }
    programs.sort();
    programs.dedup();
    GroupOutcomes {
        programs,
        quarter,
        figures: Figures::from_counts(sum),
    }
}

/// Reference points for the competitive employment rate from the IPS learning communities.
pub mod reference {
    use serde::{Deserialize, Serialize};

    pub const MINIMAL: f64 = 0.31;
    pub const AVERAGE: f64 = 0.41;
    pub const EXCELLENT: f64 = 0.50;

    /// Where a rate stands among the reference points.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Level {
        /// Below 31 %.
        BelowMinimal,
        /// 31 % up to 41 %.
        Minimal,
        /// 41 % up to 50 %.
        Average,
        /// 50 % and above.
        Excellent,
    }

    /// A rate 0–1 placed among the reference points; each point belongs to its own level
    /// (exactly 0.41 is average).
    pub fn place(rate: f64) -> Level {
        if rate >= EXCELLENT {
            Level::Excellent
        } else if rate >= AVERAGE {
            Level::Average
        } else if rate >= MINIMAL {
            Level::Minimal
        } else {
            Level::BelowMinimal
        }
    }
}
