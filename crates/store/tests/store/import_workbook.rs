//! A workbook imports under exactly the folder's rules (docs/interchange.md, "Workbooks"):
//! every case of `import_rules` is written as a workbook, once with every cell as text and
//! once with typed cells (dates as dates, numbers as numbers, booleans as booleans), and must
//! be refused with the same problem at the sheet, row, column and cell where it was broken,
//! writing nothing. What only a workbook can hold — a formula, merged cells, an error value —
//! is refused at its cell, and nothing is written.

use std::collections::HashMap;
use std::path::Path;

use fika_core::File;
use fika_interchange::spec::file_by_name;
use fika_interchange::workbook::{Kind, Refusal, WorkbookReader, kind};
use fika_store::ImportError;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::fixture::{Folder, TestDb, base};
use super::import_rules::{CASES, Case};
use crate::conformance;

conformance!(
    every_rule_is_reported_at_its_sheet_row_and_cell,
    a_valid_workbook_imports_as_its_folder_does,
    a_formula_or_merged_cells_are_refused_and_nothing_is_written,
    a_date_typed_as_text_in_another_form_is_refused_at_its_cell,
);

/// How the cells of a workbook made from a folder are written.
#[derive(Clone, Copy, Debug)]
pub enum Cells {
    /// Every cell as text, as a sheet pasted from the CSV file.
    Text,
    /// Each cell typed by its column when its text is that type's own form.
    Typed,
}

/// A folder written as a workbook; for each file, the CSV line where each row starts → the
/// workbook row that holds it. `None` when the folder cannot be a workbook (a CSV that is
/// not well formed, such as a row with a cell too few).
pub fn workbook_of(
    folder: &Folder,
    cells: Cells,
    path: &Path,
) -> Option<HashMap<(String, u64), u64>> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut lines = HashMap::new();
    let mut files: Vec<_> = folder.0.iter().collect();
    // The sheets in file order, unknown ones last, as a team would arrange them.
    files.sort_by_key(|(name, _)| {
        file_by_name(name).map_or(usize::MAX, |f| {
            File::FILE_ORDER.iter().position(|x| *x == f).unwrap()
        })
    });
    for (name, text) in files {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let sheet = book.add_worksheet();
        sheet.set_name(name.trim_end_matches(".csv")).unwrap();
        let file = file_by_name(name);
        let mut header = Vec::new();
        for (r, record) in csv.records().enumerate() {
            let record = record.ok()?;
            let line = record.position().unwrap().line();
            lines.insert((name.clone(), line), r as u64 + 1);
            for (c, text) in record.iter().enumerate() {
                if r == 0 {
                    header.push(text.to_owned());
                }
                let column_kind = match (file, header.get(c)) {
                    (Some(f), Some(h)) if r > 0 => kind(f, h),
                    _ => Kind::Text,
                };
                write(sheet, r as u32, c as u16, text, cells, column_kind, &date);
            }
        }
        if header.is_empty() {
            return None;
        }
    }
    book.save(path).unwrap();
    Some(lines)
}

fn write(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    text: &str,
    cells: Cells,
    kind: Kind,
    date: &Format,
) {
    if text.is_empty() {
        return;
    }
    if let Cells::Typed = cells {
        match kind {
            Kind::Date => {
                if let Ok(d) = fika_core::parse_date(text) {
                    sheet.write_date_with_format(r, c, d, date).unwrap();
                    return;
                }
            }
            Kind::Number => {
                // Only a number's own form: "7.0" or "+7" stay text, so that the rule that
                // refuses them is what is tested.
                if let Ok(n) = text.parse::<f64>()
                    && n.to_string() == text
                {
                    sheet.write_number(r, c, n).unwrap();
                    return;
                }
            }
            Kind::Boolean if text == "true" || text == "false" => {
                sheet.write_boolean(r, c, text == "true").unwrap();
                return;
            }
            _ => {}
        }
    }
    sheet.write_string(r, c, text).unwrap();
}

/// The letter of the column named `column` in the header of `file`'s CSV text.
fn letter_of(folder: &Folder, file: &str, column: &str) -> Option<char> {
    let header = folder
        .0
        .get(file)?
        .trim_start_matches('\u{feff}')
        .lines()
        .next()?
        .to_owned();
    let at = header.split(',').position(|c| c == column)?;
    Some((b'A' + at as u8) as char)
}

/// The cases of CSV text itself, which a workbook cannot hold: a row with a cell too few.
const CSV_ONLY: &[&str] = &["wrong number of cells"];

/// The folder of a case.
fn folder_of(c: &Case) -> Folder {
    let folder = base();
    match c.to {
        None => folder.without(c.file),
        Some(to) if !folder.0.contains_key(c.file) => folder.with(c.file, to),
        Some(to) => {
            let changed = folder.0[c.file].replacen(c.from, to, 1);
            folder.with(c.file, &changed)
        }
    }
}

fn every_rule_is_reported_at_its_sheet_row_and_cell(db: &TestDb) {
    db.import(&Folder::default().with("programs.csv", "program_id,name\nP0,Redan här\n"))
        .unwrap();
    let before = db.export();
    let counts = db.store.counts().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (n, c) in CASES.iter().enumerate() {
        if CSV_ONLY.contains(&c.name) {
            continue;
        }
        for cells in [Cells::Text, Cells::Typed] {
            let folder = folder_of(c);
            let path = tmp.path().join(format!("case{n}-{cells:?}.xlsx"));
            let Some(lines) = workbook_of(&folder, cells, &path) else {
                failures.push(format!("{}: no workbook", c.name));
                continue;
            };
            let (file, line, column, reason) = c.expect;
            let got = match WorkbookReader::open(&path) {
                Err(Refusal::Sheets(problems)) => problems,
                Err(e) => {
                    failures.push(format!("{} ({cells:?}): {e}", c.name));
                    continue;
                }
                Ok(mut reader) => match db.store.import(&mut reader) {
                    Ok(_) => {
                        failures.push(format!("{} ({cells:?}): imported", c.name));
                        continue;
                    }
                    Err(ImportError::Invalid { problems, .. }) => {
                        problems.iter().map(|p| reader.locate(p)).collect()
                    }
                    Err(e) => {
                        failures.push(format!("{} ({cells:?}): {e}", c.name));
                        continue;
                    }
                },
            };
            checked += 1;
            // The workbook's terms: the sheet of the file; the row that holds the CSV line;
            // the column by name and its cell.
            let (sheet, row, reason) = match (file, c.name) {
                (_, "unknown file") => ("diagnoses", 0, "is not a sheet of the interchange format"),
                (_, "missing programs.csv") => ("programs", 0, "the sheet is missing"),
                _ => (
                    file.trim_end_matches(".csv"),
                    if line <= 1 {
                        line
                    } else {
                        lines[&(file.to_owned(), line)]
                    },
                    reason,
                ),
            };
            // The header's reasons name the sheet where the folder's name the file.
            let reason = reason.replace(&format!("of {file}"), &format!("of the sheet {sheet}"));
            let cell = column
                .and_then(|col| letter_of(&folder, file, col))
                .filter(|_| row > 0)
                .map(|l| format!("{l}{row}"));
            let found = got.iter().any(|p| {
                p.sheet == sheet
                    && p.row == row
                    && p.column.as_deref() == column
                    && p.cell == cell
                    && p.reason.contains(&reason)
            });
            if !found {
                let got: Vec<String> = got.iter().map(ToString::to_string).collect();
                failures.push(format!(
                    "{} ({cells:?}): expected sheet {sheet} row {row} {column:?} {cell:?} {reason:?}, got {got:#?}",
                    c.name
                ));
            }
            if db.store.counts().unwrap() != counts {
                failures.push(format!("{} ({cells:?}): the database changed", c.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 2 * (CASES.len() - CSV_ONLY.len()));
    assert_eq!(db.export(), before, "nothing written");
}

/// Imports a workbook: its problems as the workbook's lines when it is refused.
fn import_workbook(db: &TestDb, path: &Path) -> Result<(), Vec<String>> {
    let mut reader = match WorkbookReader::open(path) {
        Ok(r) => r,
        Err(Refusal::Sheets(p)) => return Err(p.iter().map(ToString::to_string).collect()),
        Err(e) => return Err(vec![e.to_string()]),
    };
    match db.store.import(&mut reader) {
        Ok(_) => Ok(()),
        Err(ImportError::Invalid { problems, .. }) => Err(problems
            .iter()
            .map(|p| reader.locate(p).to_string())
            .collect()),
        Err(e) => Err(vec![e.to_string()]),
    }
}

fn a_valid_workbook_imports_as_its_folder_does(db: &TestDb) {
    let tmp = tempfile::tempdir().unwrap();
    let folder_db = db.fresh();
    folder_db.import(&base()).unwrap();
    let want = folder_db.export();
    for cells in [Cells::Text, Cells::Typed] {
        let fresh = db.fresh();
        let path = tmp.path().join(format!("{cells:?}.xlsx"));
        workbook_of(&base(), cells, &path).unwrap();
        import_workbook(&fresh, &path).unwrap();
        assert_eq!(fresh.export(), want, "{cells:?}");
    }
}

fn a_formula_or_merged_cells_are_refused_and_nothing_is_written(db: &TestDb) {
    let tmp = tempfile::tempdir().unwrap();
    let before = db.export();
    type Edit = fn(&mut Worksheet);
    let cases: [(&str, Edit, &str); 3] = [
        (
            "formula",
            |s| {
                s.write_formula(2, 4, "=30+15").unwrap();
            },
            "sheet meetings, row 3, column minutes (cell E3), value \"=30+15\": cell E3 holds a formula; fika imports values, not formulas",
        ),
        (
            "formula giving an error",
            |s| {
                s.write_formula(2, 6, "=1/0").unwrap();
            },
            "sheet meetings, row 3, column note (cell G3), value \"=1/0\": cell G3 holds a formula",
        ),
        (
            "merged",
            |s| {
                s.merge_range(1, 5, 1, 6, "cafe", &Format::new()).unwrap();
            },
            "sheet meetings, row 2, column place (cell F2): the cells F2:G2 are merged; fika reads one value per cell",
        ),
    ];
    for (name, edit, want) in cases {
        let path = tmp.path().join(format!("{name}.xlsx"));
        meetings_workbook(&path, edit);
        let got = import_workbook(db, &path).unwrap_err();
        assert!(got.iter().any(|p| p.starts_with(want)), "{name}: {got:#?}");
        assert_eq!(db.export(), before, "{name}: nothing written");
    }
}

/// A small valid workbook (a program, a coach, a participant, two meetings), changed by
/// `edit` on its meetings sheet.
fn meetings_workbook(path: &Path, edit: fn(&mut Worksheet)) {
    let mut book = Workbook::new();
    let rows: [(&str, &[&[&str]]); 4] = [
        (
            "programs",
            &[&["program_id", "name"], &["P1", "Göteborg IPS"]],
        ),
        (
            "coaches",
            &[
                &["coach_id", "program_id", "name", "started_on"],
                &["C1", "P1", "Åsa", "2024-01-01"],
            ],
        ),
        (
            "participants",
            &[
                &[
                    "participant_id",
                    "program_id",
                    "coach_id",
                    "name",
                    "referral_source",
                    "enrolled_on",
                ],
                &["X1", "P1", "C1", "Björn", "self", "2024-02-01"],
            ],
        ),
        (
            "meetings",
            &[
                &[
                    "meeting_id",
                    "participant_id",
                    "coach_id",
                    "date",
                    "minutes",
                    "place",
                    "note",
                ],
                &["M1", "X1", "C1", "2024-02-01", "45", "cafe", ""],
                &["M2", "X1", "C1", "2024-02-08", "30", "home", ""],
            ],
        ),
    ];
    for (name, rows) in rows {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    sheet.write_string(r as u32, c as u16, *text).unwrap();
                }
            }
        }
        if name == "meetings" {
            edit(sheet);
        }
    }
    book.save(path).unwrap();
}

fn a_date_typed_as_text_in_another_form_is_refused_at_its_cell(db: &TestDb) {
    let tmp = tempfile::tempdir().unwrap();
    let before = db.export();
    let path = tmp.path().join("text-date.xlsx");
    meetings_workbook(&path, |s| {
        s.write_string(2, 3, "08/02/2024").unwrap();
    });
    let got = import_workbook(db, &path).unwrap_err();
    assert_eq!(
        got,
        [
            "sheet meetings, row 3, column date (cell D3), value \"08/02/2024\": must be a date written YYYY-MM-DD, e.g. 2025-03-14"
        ],
        "{got:#?}"
    );
    assert_eq!(db.export(), before);
    // The same date typed as a date, or as text in the interchange's form, imports.
    for (name, edit) in [
        (
            "as a date",
            (|s: &mut Worksheet| {
                let d = fika_core::parse_date("2024-02-08").unwrap();
                s.write_date_with_format(2, 3, d, &Format::new().set_num_format("dd/mm/yyyy"))
                    .unwrap();
            }) as fn(&mut Worksheet),
        ),
        ("as text", |s: &mut Worksheet| {
            s.write_string(2, 3, "2024-02-08").unwrap();
        }),
    ] {
        let fresh = db.fresh();
        let path = tmp.path().join(format!("{name}.xlsx"));
        meetings_workbook(&path, edit);
        import_workbook(&fresh, &path).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert!(
            fresh.export()["meetings.csv"].contains("M2,X1,C1,2024-02-08,30,home,\n"),
            "{name}"
        );
    }
}
