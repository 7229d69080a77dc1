//! fika-core: the IPS rules.
//!
//! Records of the interchange format (INTERCHANGE.md) as typed values, parsed once at the
//! edge and trusted everywhere after; the fidelity and outcome figures of METRICS.md.
//!
//! Code map: `id`, `values`, `records` — the records; `check_in` — the participant's check-in
//! items, prompt and small-cell rules; `scale` — the 25-item fidelity scale
//! as versioned data; `fidelity` — the computed items with their evidence; `outcomes` —
//! quarterly outcomes for a program, a coach's caseload, a group of programs or a country;
//! `review` — fidelity reviews scored by reviewers; `questionnaire` — questionnaires to
//! programs, their answers and the figures that fill them in; `round` — how figures are
//! rounded; `text` — the length and characters of every free text; `spreadsheet` — cells
//! of CSV files for spreadsheets, with formulas made harmless.
//!
//! Invariant: nothing in this crate does I/O, talks SQL or HTTP, or is async. It can only
//! fail on bad input it was given, and then says which value was wrong and why.

pub mod check_in;
mod fast_hash;
pub mod fidelity;
pub mod id;
pub mod outcomes;
pub mod questionnaire;
pub mod records;
pub mod retention;
pub mod review;
pub mod round;
pub mod scale;
pub mod spreadsheet;
pub mod suppress;
pub mod text;
pub mod values;

pub use chrono::NaiveDate as Date;
pub use id::*;
pub use records::*;
pub use values::*;
