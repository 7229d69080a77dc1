//! The interchange folder as one workbook: a sheet per file, named as the file without
//! `.csv` (`programs`, `coaches`, …), with the same header row and columns
//! (docs/interchange.md, "Workbooks").
//!
//! Reading ([`WorkbookReader`]) turns each cell into the exact text the CSV file would hold
//! and hands the rows to [`crate::fields::from_fields`], so a workbook imports under every
//! rule a folder does, through the same store import; [`WorkbookReader::locate`] says a
//! problem as sheet, row, column and cell. Writing ([`WorkbookWriter`]) gives the export as
//! typed cells (numbers as numbers, dates as dates), and [`template`] an empty workbook with
//! drop-down lists for every closed vocabulary.

mod read;
mod write;

use std::fmt;

use fika_core::File;
use fika_core::check_in::Sharing;
use fika_core::values::{
    BenefitsStatus, ContactMaker, ContactPurpose, EndReason, ExitReason, JobKind, Place,
    ReferralSource, StepOwner,
};

pub use read::{Refusal, WorkbookReader};
pub use write::{WorkbookWriter, template};

/// The most rows a worksheet holds (Excel's limit), the header included.
pub const MAX_ROWS: u32 = 1_048_576;

/// The sheet that holds `file`: its name without `.csv`.
pub fn sheet_name(file: File) -> &'static str {
    let name = file.file_name();
    name.strip_suffix(".csv").unwrap_or(name)
}

/// The file a sheet named `name` holds.
pub fn file_by_sheet(name: &str) -> Option<File> {
    File::FILE_ORDER
        .into_iter()
        .find(|&f| sheet_name(f) == name)
}

/// What a column holds, for the cells the export writes and the template's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Number,
    Boolean,
    /// One word of a closed vocabulary.
    Choice(&'static [&'static str]),
}

/// The words of each closed vocabulary, from the core's enums.
macro_rules! words {
    ($ty:ty) => {{
        const N: usize = <$ty>::ALL.len();
        const WORDS: [&str; N] = {
            let mut words = [""; N];
            let mut i = 0;
            while i < N {
                words[i] = <$ty>::ALL[i].as_str();
                i += 1;
            }
            words
        };
        &WORDS
    }};
}

const BOOLEAN_WORDS: &[&str] = &["true", "false"];

/// What the column `column` of `file` holds (INTERCHANGE.md's tables).
pub fn kind(file: File, column: &str) -> Kind {
    match (file, column) {
        (_, "date") => Kind::Date,
        (_, c) if c.ends_with("_on") => Kind::Date,
        (_, "employed_at_entry" | "face_to_face" | "trained_planner") => Kind::Boolean,
        (_, "fte" | "minutes" | "hours_per_week" | "hourly_wage" | "items_version") => Kind::Number,
        (File::CheckIns, "person" | "heard" | "goal" | "overall") => Kind::Number,
        (_, "referral_source") => Kind::Choice(words!(ReferralSource)),
        (_, "exit_reason") => Kind::Choice(words!(ExitReason)),
        (_, "place") => Kind::Choice(words!(Place)),
        (File::NextSteps, "owner") => Kind::Choice(words!(StepOwner)),
        (_, "made_by") => Kind::Choice(words!(ContactMaker)),
        (_, "purpose") => Kind::Choice(words!(ContactPurpose)),
        (File::Jobs, "kind") => Kind::Choice(words!(JobKind)),
        (_, "end_reason") => Kind::Choice(words!(EndReason)),
        (File::BenefitsPlanning, "status") => Kind::Choice(words!(BenefitsStatus)),
        (File::CheckIns, "sharing") => Kind::Choice(words!(Sharing)),
        _ => Kind::Text,
    }
}

/// The words a boolean column's drop-down offers.
pub const fn boolean_words() -> &'static [&'static str] {
    BOOLEAN_WORDS
}

/// The letters of a column, as a spreadsheet shows them: 0 → `A`, 26 → `AA`.
pub fn column_letters(mut at: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (at % 26) as u8);
        if at < 26 {
            break;
        }
        at = at / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// A problem with a workbook, said as a person finds it in the workbook: the sheet, the row
/// a spreadsheet shows (the header is row 1), the column by its header name and the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub sheet: String,
    /// 0 when the problem concerns the sheet as a whole.
    pub row: u64,
    /// The column by its name in the header row, when there is one.
    pub column: Option<String>,
    /// The cell, such as `D4`, when the column is in the sheet.
    pub cell: Option<String>,
    /// The cell's value as the import read it (an empty cell is `Some("")`).
    pub value: Option<String>,
    pub reason: String,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sheet {}", self.sheet)?;
        if self.row > 0 {
            write!(f, ", row {}", self.row)?;
        }
        match (&self.column, &self.cell) {
            (Some(column), Some(cell)) => write!(f, ", column {column} (cell {cell})")?,
            (Some(column), None) => write!(f, ", column {column}")?,
            (None, Some(cell)) => write!(f, ", cell {cell}")?,
            (None, None) => {}
        }
        if let Some(value) = &self.value {
            // Long free text is cut so that one problem stays one readable line.
            let shown: String = value.chars().take(80).collect();
            let cut = if shown.len() < value.len() { "…" } else { "" };
            write!(f, ", value {:?}", format!("{shown}{cut}"))?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_those_a_spreadsheet_shows() {
        for (at, want) in [
            (0, "A"),
            (3, "D"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(at), want);
        }
    }

    #[test]
    fn every_file_has_a_sheet_and_back() {
        for file in File::FILE_ORDER {
            assert_eq!(file_by_sheet(sheet_name(file)), Some(file));
            // Excel's limit on a sheet's name.
            assert!(sheet_name(file).len() <= 31);
        }
        assert_eq!(sheet_name(File::EmployerContacts), "employer_contacts");
    }

    #[test]
    fn the_vocabularies_are_the_cores() {
        assert_eq!(
            kind(File::Meetings, "place"),
            Kind::Choice(&[
                "office",
                "cafe",
                "home",
                "workplace",
                "employer",
                "community",
                "phone",
                "video",
                "message"
            ])
        );
        assert_eq!(kind(File::Meetings, "date"), Kind::Date);
        assert_eq!(kind(File::Participants, "enrolled_on"), Kind::Date);
        assert_eq!(kind(File::Goals, "text"), Kind::Text);
        assert_eq!(kind(File::Goals, "occupation_code"), Kind::Text);
        assert_eq!(kind(File::CheckIns, "goal"), Kind::Number);
    }
}
