//! Writing the interchange files as one workbook: the export, and the empty template.

use std::io;
use std::path::{Path, PathBuf};

use fika_core::{File, Row};
use rust_xlsxwriter::{
    ColNum, DataValidation, DataValidationRule, Format, Workbook, Worksheet, XlsxError,
};

use super::{Kind, MAX_ROWS, boolean_words, kind, sheet_name};
use crate::fields::to_fields;
use crate::spec::columns;

/// The date format of every date cell: the interchange's own, whatever the reader's locale.
const DATE_FORMAT: &str = "yyyy-mm-dd";

/// Writes every record as a row of its file's sheet, all eleven sheets always there (a file
/// without rows is its header row alone), in [`File::FILE_ORDER`] and every column in the
/// order of [`columns`]: numbers as numbers, dates as dates, booleans as booleans, the rest
/// as text. Rows must come file by file in that order, as the store's export gives them;
/// each sheet is written out as soon as the next begins, so memory stays flat.
pub struct WorkbookWriter {
    path: PathBuf,
    book: Workbook,
    /// How many sheets have been added, in file order.
    sheets: usize,
    /// The next row to write on the last sheet added.
    next_row: u32,
    header: Format,
    date: Format,
}

impl WorkbookWriter {
    /// A writer that saves to `path` on [`WorkbookWriter::finish`] (replacing a file there).
    pub fn create(path: impl AsRef<Path>) -> WorkbookWriter {
        WorkbookWriter {
            path: path.as_ref().to_path_buf(),
            book: Workbook::new(),
            sheets: 0,
            next_row: 1,
            header: Format::new().set_bold(),
            date: Format::new().set_num_format(DATE_FORMAT),
        }
    }

    /// Writes one record.
    pub fn write(&mut self, row: &Row) -> io::Result<()> {
        let file = row.file();
        let at = file_position(file);
        if at + 1 < self.sheets {
            return Err(io::Error::other(format!(
                "a row of {} came after later files; rows must come in file order",
                file.file_name()
            )));
        }
        while self.sheets <= at {
            self.add_sheet()?;
        }
        if self.next_row >= MAX_ROWS {
            return Err(io::Error::other(format!(
                "the sheet {} would hold more than {} rows, more than a worksheet holds; \
                 export a folder of CSV files instead",
                sheet_name(file),
                MAX_ROWS - 1
            )));
        }
        let (r, date) = (self.next_row, self.date.clone());
        let sheet = self.book.worksheet_from_index(at).map_err(xlsx_error)?;
        for ((column, cell), c) in columns(file).iter().zip(to_fields(row)).zip(0..) {
            let Some(text) = cell else { continue };
            write_cell(sheet, r, c, kind(file, column.name), &text, &date).map_err(xlsx_error)?;
        }
        self.next_row += 1;
        Ok(())
    }

    /// Adds the sheets of the files without rows and saves the workbook.
    pub fn finish(mut self) -> io::Result<()> {
        while self.sheets < File::FILE_ORDER.len() {
            self.add_sheet()?;
        }
        self.book.save(&self.path).map_err(xlsx_error)
    }

    /// Adds the next file's sheet, with its header row.
    fn add_sheet(&mut self) -> io::Result<()> {
        let file = File::FILE_ORDER[self.sheets];
        let header = self.header.clone();
        let sheet = self
            .book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        start_sheet(sheet, file, &header).map_err(xlsx_error)?;
        self.sheets += 1;
        self.next_row = 1;
        Ok(())
    }
}

fn file_position(file: File) -> usize {
    File::FILE_ORDER
        .iter()
        .position(|&f| f == file)
        .expect("every file is in the file order")
}

/// Names the sheet, writes the header row, freezes it and sets the column widths.
fn start_sheet(sheet: &mut Worksheet, file: File, header: &Format) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(file))?;
    for (column, c) in columns(file).iter().zip(0..) {
        sheet.write_string_with_format(0, c, column.name, header)?;
        let width: f64 = match kind(file, column.name) {
            Kind::Date => 12.0,
            Kind::Text if matches!(column.name, "note" | "text" | "words" | "name" | "title") => {
                30.0
            }
            _ => 14.0,
        };
        sheet.set_column_width(c, width.max(column.name.len() as f64 + 2.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// One cell, typed by its column. The text is what the CSV file holds, so it always parses;
/// should it not, it is written as text rather than lost.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: ColNum,
    kind: Kind,
    text: &str,
    date: &Format,
) -> Result<(), XlsxError> {
    match kind {
        Kind::Date => {
            if let Ok(d) = fika_core::values::parse_date(text) {
                sheet.write_date_with_format(row, col, d, date)?;
                return Ok(());
            }
        }
        Kind::Number => {
            if let Ok(n) = text.parse::<f64>() {
                sheet.write_number(row, col, n)?;
                return Ok(());
            }
        }
        Kind::Boolean => {
            if let Some(b) = match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            } {
                sheet.write_boolean(row, col, b)?;
                return Ok(());
            }
        }
        Kind::Text | Kind::Choice(_) => {}
    }
    sheet.write_string(row, col, text)?;
    Ok(())
}

fn xlsx_error(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// An empty interchange workbook, to start keeping records in a spreadsheet: every sheet with
/// its header row (frozen), date columns shown as `yyyy-mm-dd`, ID and code columns as text
/// (so that `0110` keeps its zero), and on every row below the header a drop-down list for
/// each closed vocabulary and boolean, and whole numbers within their bounds for the minutes
/// and the check-in scores. Returns the workbook's bytes.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format(DATE_FORMAT);
    let text = Format::new().set_num_format("@");
    let last = MAX_ROWS - 1;
    for file in File::FILE_ORDER {
        let sheet = book.add_worksheet();
        start_sheet(sheet, file, &header)?;
        for (column, c) in columns(file).iter().zip(0..) {
            let name = column.name;
            let validation = match kind(file, name) {
                Kind::Date => {
                    sheet.set_column_format(c, &date)?;
                    None
                }
                Kind::Choice(words) => Some(
                    DataValidation::new()
                        .allow_list_strings(words)?
                        .set_error_title("Not a word fika knows")?
                        .set_error_message(format!("{name}: one of {}", words.join(", ")))?,
                ),
                Kind::Boolean => Some(
                    DataValidation::new()
                        .allow_list_strings(boolean_words())?
                        .set_error_message(format!("{name}: true or false"))?,
                ),
                Kind::Number if matches!(name, "person" | "heard" | "goal" | "overall") => Some(
                    DataValidation::new()
                        .allow_whole_number(DataValidationRule::Between(0, 10))
                        .set_error_message(format!("{name}: a whole number from 0 to 10"))?,
                ),
                Kind::Number if name == "minutes" => Some(
                    DataValidation::new()
                        .allow_whole_number(DataValidationRule::Between(1, 1440))
                        .set_error_message("minutes: a whole number from 1 to 1440")?,
                ),
                Kind::Text
                    if name.ends_with("_id") || name.ends_with("_code") || name == "org_number" =>
                {
                    sheet.set_column_format(c, &text)?;
                    None
                }
                _ => None,
            };
            if let Some(v) = validation {
                sheet.add_data_validation(1, c, last, c, &v)?;
            }
        }
    }
    book.save_to_buffer()
}
