//! What an import reports: a located problem a person can act on.

use std::fmt;

use fika_core::{File, Row};

/// One thing wrong with an interchange folder, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: File,
    /// The physical line where the record starts (the header is line 1); 0 when the problem
    /// concerns the file as a whole (a missing or unexpected file).
    pub line: u64,
    /// The column concerned, when there is one.
    pub column: Option<String>,
    /// The offending text, when there is one (an empty cell is `Some("")`).
    pub value: Option<String>,
    /// What is wrong and, where it helps, what to do.
    pub reason: String,
}

impl Problem {
    /// A problem with a cell of a row.
    pub fn cell(
        file: File,
        line: u64,
        column: &str,
        value: &str,
        reason: impl Into<String>,
    ) -> Self {
        Problem {
            file,
            line,
            column: Some(column.to_owned()),
            value: Some(value.to_owned()),
            reason: reason.into(),
        }
    }

    /// A problem with a file as a whole (line 0) or its header (line 1): the rows of such a
    /// file were not read, so checks that refer to it would only repeat it.
    pub fn is_whole_file(&self) -> bool {
        self.line <= 1
    }

    /// The order in which problems are reported: file order, then line.
    pub fn sort_key(&self) -> (File, u64) {
        (self.file, self.line)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file.file_name())?;
        if self.line > 0 {
            write!(f, " line {}", self.line)?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
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

/// What a source of rows yields, in [`File::FILE_ORDER`] and, within a file, in line order.
#[derive(Debug, Clone, PartialEq)]
pub enum Sourced {
    /// A valid record and the line where it starts.
    Row { line: u64, row: Row },
    /// Something wrong with the folder, a file or a row.
    Problem(Problem),
}
