//! Reading a workbook as the stream of rows and problems a folder gives.
//!
//! Sheets are read one after another in [`File::FILE_ORDER`], each in one pass over its cells
//! (values and formulas together), so references point at sheets already checked, as in a
//! folder. As for a folder ([`crate::FolderReader`]), the reading runs on a thread of its own,
//! a bounded number of rows ahead of the import: memory does not grow with the sheets. A cell becomes the text its CSV file would hold ([`cell_text`]); what a workbook
//! can hold and a CSV file cannot — a formula, merged cells, an error value — is a problem at
//! its cell, and the store then writes nothing.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};

use calamine::{DataRef, Reader, Xlsx};
use fika_core::File;

use super::{CellProblem, column_letters, file_by_sheet, sheet_name};
use crate::batches::{BATCH, Batches};
use crate::fields::from_fields;
use crate::problem::{Problem, Sourced};
use crate::spec::{column_index, columns, is_required, match_header};

type Book = Xlsx<BufReader<fs::File>>;

/// Per file read, each header name and the column where it stands.
type Headers = HashMap<File, HashMap<String, u32>>;

/// Why a workbook is refused before any of its rows is read.
#[derive(Debug)]
pub enum Refusal {
    /// The file is not a workbook fika can read.
    Unreadable(String),
    /// Its sheets are not those of the interchange format: an extra sheet, a missing one.
    Sheets(Vec<CellProblem>),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Unreadable(reason) => f.write_str(reason),
            Refusal::Sheets(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
        }
    }
}

/// An interchange workbook read as a stream of [`Sourced`] rows and problems, sheet by sheet
/// in [`File::FILE_ORDER`]; rows are numbered as a spreadsheet numbers them (the header is
/// row 1). After the import, [`WorkbookReader::locate`] says each problem in the workbook's
/// terms.
pub struct WorkbookReader {
    rows: Batches,
    /// Filled in by the reading thread as it reads each sheet's header row.
    headers: Arc<Mutex<Headers>>,
}

impl WorkbookReader {
    /// Opens a workbook and checks its sheets: every sheet must hold an interchange file, and
    /// the `programs` sheet must be there.
    pub fn open(path: impl AsRef<Path>) -> Result<WorkbookReader, Refusal> {
        let path = path.as_ref();
        let unreadable = |why: String| {
            Refusal::Unreadable(format!(
                "{} cannot be read as an Excel workbook (.xlsx): {why}",
                path.display()
            ))
        };
        // As for a sheet (read_next_sheet): a damaged workbook is refused, never a crash.
        let book: Book = std::panic::catch_unwind(|| calamine::open_workbook::<Book, _>(path))
            .map_err(|_| unreadable("its XML is damaged".to_owned()))?
            .map_err(|e| unreadable(e.to_string()))?;
        let names = book.sheet_names();
        let mut problems = Vec::new();
        let expected = File::FILE_ORDER.map(sheet_name).join(", ");
        let mut sheets = Vec::new();
        for name in &names {
            match file_by_sheet(name) {
                Some(file) => sheets.push((file, name.clone())),
                None => problems.push(CellProblem {
                    sheet: name.clone(),
                    row: 0,
                    column: None,
                    cell: None,
                    value: None,
                    reason: format!(
                        "is not a sheet of the interchange format; data is never dropped silently, \
                         so remove the sheet or rename it to one of {expected}"
                    ),
                }),
            }
        }
        for file in File::FILE_ORDER {
            if is_required(file) && !sheets.iter().any(|(f, _)| *f == file) {
                problems.push(CellProblem {
                    sheet: sheet_name(file).to_owned(),
                    row: 0,
                    column: None,
                    cell: None,
                    value: None,
                    reason: "the sheet is missing; every workbook needs it, with at least its header row"
                        .to_owned(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(Refusal::Sheets(problems));
        }
        sheets.sort_by_key(|(file, _)| File::FILE_ORDER.iter().position(|f| f == file));
        let headers = Arc::new(Mutex::new(HashMap::new()));
        let filled = Arc::clone(&headers);
        let rows = Batches::spawn("fika-read-xlsx", move |sender| {
            send_all(book, sheets, &sender, &filled)
        })
        .map_err(|e| unreadable(e.to_string()))?;
        Ok(WorkbookReader { rows, headers })
    }

    /// A problem of the import, in the workbook's terms: sheet, row, column and cell.
    pub fn locate(&self, problem: &Problem) -> CellProblem {
        let headers = self.headers.lock().unwrap_or_else(|e| e.into_inner());
        let at = problem
            .column
            .as_ref()
            .and_then(|column| headers.get(&problem.file).and_then(|h| h.get(column)));
        CellProblem {
            sheet: sheet_name(problem.file).to_owned(),
            row: problem.line,
            column: problem.column.clone(),
            cell: at
                .filter(|_| problem.line > 0)
                .map(|&at| format!("{}{}", column_letters(at), problem.line)),
            value: problem.value.clone(),
            reason: problem.reason.clone(),
        }
    }
}

/// Reads every sheet, in file order, handing rows and problems over in batches; stops early
/// when the receiver is gone.
fn send_all(
    mut book: Book,
    sheets: Vec<(File, String)>,
    sender: &SyncSender<Vec<Sourced>>,
    headers: &Mutex<Headers>,
) {
    for (file, name) in sheets {
        let mut sheet = Sheet::new(file, sender.clone());
        // calamine 0.38 can panic on a damaged sheet (an arithmetic overflow on a cell
        // reference of many letters, in builds with overflow checks): the sheet is then
        // reported as unreadable, never a crash of the import.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_sheet(&mut book, &name, &mut sheet)
        }));
        match read {
            Ok(Ok(())) => {}
            Ok(Err(e)) => sheet.unreadable(&e.to_string()),
            Err(_) => sheet.unreadable("its XML is damaged"),
        }
        headers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file, std::mem::take(&mut sheet.names));
        sheet.flush(true);
        if sheet.stopped {
            return;
        }
    }
}

/// Reads one sheet's cells, values and formulas in one pass, then its merged cells.
fn read_sheet(book: &mut Book, name: &str, sheet: &mut Sheet) -> Result<(), calamine::XlsxError> {
    let mut cells = book.worksheet_cells_reader(name)?;
    while let Some(cell) = cells.next_cell_with_formula()? {
        if !sheet.cell(cell.pos, &cell.value, cell.formula.as_deref()) {
            break;
        }
    }
    drop(cells);
    sheet.end_row();
    sheet.end_header();
    if sheet.positions.is_some() {
        for region in book.merge_cells_by_sheet_name(name)? {
            sheet.merged(region.start, region.end);
        }
    }
    Ok(())
}

impl Iterator for WorkbookReader {
    type Item = Sourced;

    fn next(&mut self) -> Option<Sourced> {
        self.rows.next()
    }
}

/// One sheet being read.
struct Sheet {
    file: File,
    /// The header row's cells, by column, until the first row below it.
    header: Vec<(u32, String)>,
    /// Each header name and its column.
    names: HashMap<String, u32>,
    /// Once the header is read and right: for each column of the sheet, the spec column it
    /// holds. `None` while the header is read, and for good when it is wrong.
    positions: Option<HashMap<u32, usize>>,
    header_done: bool,
    /// The row being gathered (0-based), its cells by spec column, and its problems.
    row: Option<u32>,
    cells: Vec<Option<String>>,
    problems: Vec<Problem>,
    out: Vec<Sourced>,
    sender: SyncSender<Vec<Sourced>>,
    /// The receiver is gone: nothing more is read.
    stopped: bool,
}

impl Sheet {
    fn new(file: File, sender: SyncSender<Vec<Sourced>>) -> Sheet {
        Sheet {
            file,
            header: Vec::new(),
            names: HashMap::new(),
            positions: None,
            header_done: false,
            row: None,
            cells: vec![None; columns(file).len()],
            problems: Vec::new(),
            out: Vec::new(),
            sender,
            stopped: false,
        }
    }

    /// Hands a full batch over (or, with `all`, whatever there is).
    fn flush(&mut self, all: bool) {
        if self.stopped || self.out.is_empty() || (!all && self.out.len() < BATCH) {
            return;
        }
        let batch = std::mem::replace(&mut self.out, Vec::with_capacity(BATCH));
        if self.sender.send(batch).is_err() {
            self.stopped = true;
        }
    }

    /// Takes one cell; false when the rest of the sheet is not to be read (a wrong header).
    fn cell(&mut self, (row, col): (u32, u32), value: &DataRef<'_>, formula: Option<&str>) -> bool {
        let line = u64::from(row) + 1;
        if row == 0 {
            if let Some(formula) = formula.filter(|f| !f.is_empty()) {
                self.out.push(Sourced::Problem(formula_problem(
                    self.file, line, col, None, formula,
                )));
            }
            match cell_text(value) {
                Ok(Some(name)) => self.header.push((col, name)),
                Ok(None) => {}
                Err(reason) => self.out.push(Sourced::Problem(Problem {
                    file: self.file,
                    line,
                    column: None,
                    value: None,
                    reason: format!("cell {}{line} {reason}", column_letters(col)),
                })),
            }
            return true;
        }
        if !self.header_done {
            self.end_header();
        }
        if self.positions.is_none() {
            return false;
        }
        if self.row != Some(row) {
            self.end_row();
            self.flush(false);
            if self.stopped {
                return false;
            }
            self.row = Some(row);
        }
        let at = self.positions.as_ref().and_then(|p| p.get(&col).copied());
        let column = at.map(|i| columns(self.file)[i].name);
        if let Some(formula) = formula.filter(|f| !f.is_empty()) {
            self.problems
                .push(formula_problem(self.file, line, col, column, formula));
            return true;
        }
        match (cell_text(value), at) {
            (Ok(None), _) => {}
            (Ok(Some(text)), Some(i)) => self.cells[i] = Some(text),
            (Ok(Some(text)), None) => self.problems.push(Problem {
                file: self.file,
                line,
                column: None,
                value: Some(text),
                reason: format!(
                    "cell {}{line} holds a value in a column without a name in the header row; \
                     name the column or clear the cell",
                    column_letters(col)
                ),
            }),
            (Err(reason), _) => self.problems.push(Problem {
                file: self.file,
                line,
                column: column.map(str::to_owned),
                value: None,
                reason: match column {
                    Some(_) => reason,
                    None => format!("cell {}{line} {reason}", column_letters(col)),
                },
            }),
        }
        true
    }

    /// Checks the header row once it is complete.
    fn end_header(&mut self) {
        if self.header_done {
            return;
        }
        self.header_done = true;
        for (col, name) in &self.header {
            self.names.entry(name.clone()).or_insert(*col);
        }
        let names = self
            .header
            .iter()
            .map(|(col, name)| (*col as usize, name.as_str()));
        let place = format!("the sheet {}", sheet_name(self.file));
        match match_header(self.file, names, &place) {
            Ok(positions) => {
                self.positions = Some(
                    positions
                        .iter()
                        .enumerate()
                        .filter_map(|(i, at)| at.map(|at| (at as u32, i)))
                        .collect(),
                );
            }
            Err(problems) => self.out.extend(problems.into_iter().map(Sourced::Problem)),
        }
    }

    /// Turns the gathered row into a record or its problems. A row with no value is skipped,
    /// as a spreadsheet keeps rows that were emptied.
    fn end_row(&mut self) {
        let Some(row) = self.row.take() else {
            return;
        };
        let line = u64::from(row) + 1;
        let cells = std::mem::replace(&mut self.cells, vec![None; columns(self.file).len()]);
        if !self.problems.is_empty() {
            // A formula or an error value: the row is not what its cells show, so it is not
            // read until they hold values.
            self.out
                .extend(self.problems.drain(..).map(Sourced::Problem));
            return;
        }
        if cells.iter().all(Option::is_none) {
            return;
        }
        let values: Vec<Option<&str>> = cells.iter().map(Option::as_deref).collect();
        match from_fields(self.file, &values) {
            Ok(row) => self.out.push(Sourced::Row { line, row }),
            Err(errors) => {
                for e in errors {
                    let i = column_index(self.file, e.column).expect("column of this file");
                    let value = values[i].unwrap_or("");
                    self.out.push(Sourced::Problem(Problem::cell(
                        self.file, line, e.column, value, e.reason,
                    )));
                }
            }
        }
    }

    /// Merged cells are refused: a value shown across several cells belongs to one of them
    /// only, and the others read as empty.
    fn merged(&mut self, start: (u32, u32), end: (u32, u32)) {
        let range = format!(
            "{}{}:{}{}",
            column_letters(start.1),
            start.0 + 1,
            column_letters(end.1),
            end.0 + 1
        );
        let column = self
            .positions
            .as_ref()
            .and_then(|p| p.get(&start.1))
            .map(|&i| columns(self.file)[i].name.to_owned());
        self.out.push(Sourced::Problem(Problem {
            file: self.file,
            line: u64::from(start.0) + 1,
            column,
            value: None,
            reason: format!(
                "the cells {range} are merged; fika reads one value per cell: unmerge them, \
                 give each cell its value, and import again"
            ),
        }));
    }

    fn unreadable(&mut self, why: &str) {
        self.out.push(Sourced::Problem(Problem {
            file: self.file,
            line: 0,
            column: None,
            value: None,
            reason: format!(
                "the sheet cannot be read: {why}; open the workbook in Excel, save it again and import that"
            ),
        }));
    }
}

fn formula_problem(
    file: File,
    line: u64,
    col: u32,
    column: Option<&str>,
    formula: &str,
) -> Problem {
    Problem {
        file,
        line,
        column: column.map(str::to_owned),
        value: Some(format!("={formula}")),
        reason: format!(
            "cell {}{line} holds a formula; fika imports values, not formulas: copy the cells \
             and paste them as values (Paste Special → Values), then import again",
            column_letters(col)
        ),
    }
}

/// The text a cell's CSV file would hold: what the import's rules then read. Dates as
/// `YYYY-MM-DD` (a date with a time of day keeps it, and the date rule says so), whole numbers
/// without `.0`, booleans as `true`/`false`, text as it is; an empty cell or empty text is no
/// value. An error value (`#DIV/0!`) is refused.
pub(crate) fn cell_text(value: &DataRef<'_>) -> Result<Option<String>, String> {
    let text = match value {
        DataRef::Empty => return Ok(None),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "true" } else { "false" }.to_owned(),
        DataRef::DateTime(dt) => {
            if dt.is_duration() {
                number_text(dt.as_f64())
            } else {
                let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                if (h, mi, s, ms) == (0, 0, 0, 0) {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }
            }
        }
        DataRef::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => {
            return Err(format!(
                "holds the error value {e}; give the cell a value, or clear it"
            ));
        }
    };
    Ok((!text.is_empty()).then_some(text))
}

/// A number as the interchange writes it: `45`, `0.5`, `37.5`; never `45.0` or `1e3`.
fn number_text(f: f64) -> String {
    if f == 0.0 {
        // Also -0.
        return "0".to_owned();
    }
    // Rust writes the shortest text that reads back as the same number, without exponent.
    f.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_a_csv_holds_them() {
        for (f, want) in [
            (45.0, "45"),
            (0.5, "0.5"),
            (37.5, "37.5"),
            (-0.0, "0"),
            (1e21, "1000000000000000000000"),
            (0.1, "0.1"),
        ] {
            assert_eq!(number_text(f), want);
        }
    }

    #[test]
    fn cells_become_the_text_of_the_csv() {
        let date =
            calamine::ExcelDateTime::new(45730.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&DataRef::DateTime(date)).unwrap().as_deref(),
            Some("2025-03-14")
        );
        let noon =
            calamine::ExcelDateTime::new(45730.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&DataRef::DateTime(noon)).unwrap().as_deref(),
            Some("2025-03-14 12:00:00")
        );
        assert_eq!(
            cell_text(&DataRef::Bool(true)).unwrap().as_deref(),
            Some("true")
        );
        assert_eq!(cell_text(&DataRef::Int(7)).unwrap().as_deref(), Some("7"));
        assert_eq!(cell_text(&DataRef::String(String::new())).unwrap(), None);
        assert_eq!(cell_text(&DataRef::Empty).unwrap(), None);
        assert!(
            cell_text(&DataRef::Error(calamine::CellErrorType::Div0))
                .unwrap_err()
                .contains("#DIV/0!")
        );
    }
}
