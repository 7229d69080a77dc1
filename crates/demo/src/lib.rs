//! fika-demo: a made-up but believable history of Swedish IPS programs, as interchange rows.
//!
//! Two sizes:
//! - [`Scale::Region`] (what `fika demo` loads): three programs — Göteborg Nordost, Uppsala,
//!   Östersund — with two to four coaches each, 8–20 active participants per coach, two years
//!   of meetings, next steps, goals, employer contacts, jobs and benefits planning, ending on
//!   the day given as `today`. It is meant to feel real to a coach, a team lead and an
//!   evaluator, and to give fidelity figures (METRICS.md) of a good but imperfect program.
//! - [`Scale::National`]: 1,250 programs, over 200,000 participants and over 10 million
//!   meetings, for benchmarks of import, the store and the figures.
//!
//! The generator is pure: it hands [`Row`]s to a sink and keeps nothing but the program it
//! is working on, so memory does not grow with the size. Rows of different files are
//! interleaved, but every reference points at a row handed over earlier (program → coaches
//! → participants → their meetings → the next steps agreed there; employers come first in
//! each program). The same seed and the same `today` give the same rows on every platform.
//!
//! Choices a reader of the data should know:
//! - **"By next meeting"**: a next step due by the next meeting has `due_on` = the date of
//!   the next planned meeting, so it shows as due (and, if not done, as overdue) like any
//!   other dated step. Some steps have no due date, some a date of their own.
//! - **A coach who leaves**: `participants.csv` holds one designated coach per enrolment, so
//!   when a coach leaves, each of their participants is handed over as the interchange
//!   allows: the enrolment ends on the coach's last day (`exit_reason = other`, the last
//!   meeting noted "Överlämning till ny coach") and a new enrolment with the replacement
//!   starts the next day, under a new participant ID with the same name and goal
//!   (`referral_source = other`).
//! - No exit is for missed appointments or a time limit (IPS never ends support for those),
//!   and nobody in the demo dies.

mod dice;
mod person;
mod program;
mod words;

use chrono::Datelike;
use fika_core::{Date, File, ProgramId, Row};

/// The seed `fika demo` uses unless told otherwise: the last year of the Swedish national
/// IPS pilot.
pub const DEFAULT_SEED: u64 = 2013;

/// How much history to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Three programs of a Swedish region: the data set for trying fika.
    Region,
    /// A country-sized data set for benchmarks: 1,250 programs.
    National,
}

impl Scale {
    /// Number of programs at this scale.
    pub const fn programs(self) -> u32 {
        match self {
            Scale::Region => 3,
            Scale::National => 1_250,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    pub scale: Scale,
    /// The last day of the history: the CLI passes the real date, tests a fixed one.
    pub today: Date,
    /// Generate only the first this many programs of the scale (the rows of those programs
    /// are exactly those of the full run).
    pub max_programs: Option<u32>,
}

impl DemoConfig {
    /// The default demo: the region, with [`DEFAULT_SEED`], ending on `today`.
    pub fn region(today: Date) -> Self {
        DemoConfig {
            seed: DEFAULT_SEED,
            scale: Scale::Region,
            today,
            max_programs: None,
        }
    }

    /// The national benchmark set, with [`DEFAULT_SEED`], ending on `today`.
    pub fn national(today: Date) -> Self {
        DemoConfig {
            scale: Scale::National,
            ..Self::region(today)
        }
    }

    /// Number of programs this configuration generates.
    pub fn program_count(&self) -> u32 {
        let all = self.scale.programs();
        self.max_programs.map_or(all, |m| m.min(all))
    }
}

/// Row counts per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts([u64; File::FILE_ORDER.len()]);

impl Counts {
    pub fn get(&self, file: File) -> u64 {
        self.0[file as usize]
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// `(file, count)` in [`File::FILE_ORDER`].
    pub fn iter(&self) -> impl Iterator<Item = (File, u64)> + '_ {
        File::FILE_ORDER.iter().map(|&f| (f, self.get(f)))
    }

    fn add(&mut self, file: File) {
        self.0[file as usize] += 1;
    }

    fn add_all(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

/// What one program of the demo holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramSummary {
    pub id: ProgramId,
    pub name: String,
    /// Coaches in post on `today`.
    pub coaches_in_post: u32,
    /// Participants active on `today`.
    pub active_participants: u32,
    pub rows: Counts,
}

/// What the demo generated: for the CLI to print.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSummary {
    pub rows: Counts,
    pub programs: Vec<ProgramSummary>,
}

/// Generates the demo, handing each row to `sink` as soon as it is made. Stops at the
/// sink's first error and returns it.
pub fn generate<E>(
    config: &DemoConfig,
    mut sink: impl FnMut(Row) -> Result<(), E>,
) -> Result<DemoSummary, E> {
    let mut out = Out {
        sink: &mut sink,
        rows: Counts::default(),
    };
    let mut numbers = Numbers::default();
    let mut summary = DemoSummary {
        rows: Counts::default(),
        programs: Vec::new(),
    };
    let today = day(config.today);
    for index in 0..config.program_count() {
        out.rows = Counts::default();
        let mut p = program::Program::plan(config, index, today);
        let mut program = p.generate(&mut out, &mut numbers)?;
        program.rows = out.rows;
        summary.rows.add_all(&out.rows);
        summary.programs.push(program);
    }
    Ok(summary)
}

/// Counts rows per file on their way to the sink.
pub(crate) struct Out<'a, E> {
    sink: &'a mut dyn FnMut(Row) -> Result<(), E>,
    rows: Counts,
}

impl<E> Out<'_, E> {
    pub(crate) fn emit(&mut self, row: Row) -> Result<(), E> {
        self.rows.add(row.file());
        (self.sink)(row)
    }
}

/// Running numbers for the IDs that are unique across the whole data set (`M000123`…).
/// They run on from program to program, so a subset of programs has the same IDs as the
/// full run.
#[derive(Debug, Default)]
pub(crate) struct Numbers {
    pub(crate) goal: u64,
    pub(crate) meeting: u64,
    pub(crate) step: u64,
    pub(crate) contact: u64,
    pub(crate) job: u64,
}

impl Numbers {
    pub(crate) fn next(counter: &mut u64) -> u64 {
        *counter += 1;
        *counter
    }
}

/// `prefix` and `n` with at least `width` digits: `numbered("M", 123, 6)` is `M000123`.
/// Written out by hand because the national set makes tens of millions of IDs and the
/// general formatting machinery is a large share of the time.
pub(crate) fn numbered(prefix: &str, n: u64, width: usize) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut rest = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let len = digits.len() - i;
    let mut s = String::with_capacity(prefix.len() + width.max(len));
    s.push_str(prefix);
    s.extend(std::iter::repeat_n('0', width.saturating_sub(len)));
    s.extend(digits[i..].iter().map(|&b| char::from(b)));
    s
}

/// Days are handled as whole numbers (days since the common era) inside the generator.
pub(crate) type Day = i32;

pub(crate) fn day(d: Date) -> Day {
    d.num_days_from_ce()
}

pub(crate) fn date(d: Day) -> Date {
    Date::from_num_days_from_ce_opt(d).expect("demo dates stay within the calendar")
}

/// 0 = Monday … 6 = Sunday (day 1 of the common era was a Monday).
pub(crate) fn weekday(d: Day) -> i32 {
    (d - 1).rem_euclid(7)
}

/// Moves a weekend day to the nearest working day: Saturday back to Friday, Sunday on to
/// Monday.
pub(crate) fn working_day(d: Day) -> Day {
    match weekday(d) {
        5 => d - 1,
        6 => d + 1,
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_ids() {
        assert_eq!(numbered("M", 123, 6), "M000123");
        assert_eq!(numbered("M", 1_234_567, 6), "M1234567");
        assert_eq!(numbered("P1-X", 7, 3), "P1-X007");
        assert_eq!(numbered("S", 0, 1), "S0");
    }

    #[test]
    fn weekdays() {
        let monday = day(Date::from_ymd_opt(2025, 3, 10).unwrap());
        assert_eq!(weekday(monday), 0);
        assert_eq!(weekday(monday + 6), 6);
        assert_eq!(working_day(monday + 5), monday + 4);
        assert_eq!(working_day(monday + 6), monday + 7);
        assert_eq!(date(monday), Date::from_ymd_opt(2025, 3, 10).unwrap());
    }
}
