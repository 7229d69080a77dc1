//! Workbooks in and out (docs/interchange.md, "Workbooks"), with the real binary, on both
//! backends: `fika template --xlsx` filled in and imported gives the figures of the same
//! records imported as CSV; `fika export --format xlsx` imports back to the same database;
//! a formula, merged cells, a date typed as text in another form and an extra sheet are
//! refused, and nothing is written.

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::{Database, fika, fika_ok};

fn worked_example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example")
}

fn run_on_both(test: &str, f: fn(&dyn Fn() -> Database)) {
    f(&Database::sqlite);
    if Database::postgres(test).is_some() {
        f(&|| Database::postgres(test).unwrap());
    }
}

/// The template's sheets and header rows, as calamine reads them.
fn template_sheets(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let header = range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(|c| c.to_string())
                .collect();
            (name, header)
        })
        .collect()
}

/// Fills the template's sheets from the CSV files of `folder` (the columns in the template's
/// order, dates as dates, numbers as numbers, booleans as booleans), as a team would type
/// them in, and saves the workbook.
fn fill_template(template: &Path, folder: &Path, out: &Path) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut book = Workbook::new();
    for (sheet_name, header) in template_sheets(template) {
        let sheet = book.add_worksheet();
        sheet.set_name(&sheet_name).unwrap();
        for (c, name) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, name).unwrap();
        }
        let Ok(text) = std::fs::read_to_string(folder.join(format!("{sheet_name}.csv"))) else {
            continue;
        };
        let mut csv = csv::Reader::from_reader(text.as_bytes());
        let names: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
        for (r, record) in csv.records().enumerate() {
            let record = record.unwrap();
            for (name, value) in names.iter().zip(record.iter()) {
                let c = header.iter().position(|h| h == name).unwrap() as u16;
                typed(sheet, r as u32 + 1, c, name, value, &date);
            }
        }
    }
    book.save(out).unwrap();
}

fn typed(sheet: &mut Worksheet, r: u32, c: u16, column: &str, value: &str, date: &Format) {
    if value.is_empty() {
        return;
    }
    let is_date = column == "date" || column.ends_with("_on");
    if is_date && let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        sheet.write_date_with_format(r, c, d, date).unwrap();
    } else if !column.ends_with("_id")
        && column != "occupation_code"
        && let Ok(n) = value.parse::<f64>()
    {
        sheet.write_number(r, c, n).unwrap();
    } else if value == "true" || value == "false" {
        sheet.write_boolean(r, c, value == "true").unwrap();
    } else {
        sheet.write_string(r, c, value).unwrap();
    }
}

fn figures(db: &Database) -> (String, String) {
    let fidelity = fika_ok(&[
        "--db",
        &db.url,
        "fidelity",
        "--program",
        "P1",
        "--at",
        "2025-06-30",
        "--format",
        "json",
        "--evidence",
    ]);
    let outcomes = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q1",
        "--through",
        "2025Q2",
        "--format",
        "json",
    ]);
    (fidelity, outcomes)
}

fn export_csv(db: &Database, dir: &Path) -> Vec<(String, Vec<u8>)> {
    fika_ok(&["--db", &db.url, "export", dir.to_str().unwrap()]);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_filled_in_template_gives_the_figures_of_the_same_records_as_csv() {
    run_on_both(
        "a_filled_in_template_gives_the_figures_of_the_same_records_as_csv",
        |db| {
            let tmp = tempfile::tempdir().unwrap();
            let template = tmp.path().join("template.xlsx");
            let out = fika_ok(&["template", "--xlsx", template.to_str().unwrap()]);
            assert!(out.contains("drop-down lists"), "{out}");
            // Never over a workbook that is there.
            let o = fika(&["template", "--xlsx", template.to_str().unwrap()], None);
            assert!(!o.status.success());
            assert!(String::from_utf8_lossy(&o.stderr).contains("is already there"));

            let filled = tmp.path().join("filled.xlsx");
            fill_template(&template, &worked_example(), &filled);
            let (from_csv, from_xlsx) = (db(), db());
            fika_ok(&[
                "--db",
                &from_csv.url,
                "import",
                worked_example().to_str().unwrap(),
            ]);
            let out = fika_ok(&["--db", &from_xlsx.url, "import", filled.to_str().unwrap()]);
            assert!(out.contains("meetings.csv"), "{out}");
            assert_eq!(figures(&from_xlsx), figures(&from_csv));
            assert_eq!(
                export_csv(&from_xlsx, &tmp.path().join("a")),
                export_csv(&from_csv, &tmp.path().join("b"))
            );
        },
    );
}

#[test]
fn an_exported_workbook_imports_back_to_the_same_database() {
    run_on_both(
        "an_exported_workbook_imports_back_to_the_same_database",
        |db| {
            let tmp = tempfile::tempdir().unwrap();
            let (first, second) = (db(), db());
            fika_ok(&[
                "--db",
                &first.url,
                "demo",
                "--today",
                "2025-06-30",
                "--no-serve",
            ]);
            let book = tmp.path().join("export.xlsx");
            let out = fika_ok(&[
                "--db",
                &first.url,
                "export",
                book.to_str().unwrap(),
                "--format",
                "xlsx",
            ]);
            assert!(out.contains("meetings.csv"), "{out}");
            // Numbers as numbers, dates as dates.
            let mut xlsx: Xlsx<_> = calamine::open_workbook(&book).unwrap();
            let meetings = xlsx.worksheet_range("meetings").unwrap();
            assert!(matches!(
                meetings.get((1, 3)),
                Some(calamine::Data::DateTime(_))
            ));
            assert!(matches!(
                meetings.get((1, 4)),
                Some(calamine::Data::Float(_))
            ));
            fika_ok(&["--db", &second.url, "import", book.to_str().unwrap()]);
            assert_eq!(
                export_csv(&second, &tmp.path().join("second")),
                export_csv(&first, &tmp.path().join("first"))
            );
            // A path that names a workbook without --format xlsx is not made a folder.
            let o = fika(
                &[
                    "--db",
                    &first.url,
                    "export",
                    tmp.path().join("x.xlsx").to_str().unwrap(),
                ],
                None,
            );
            assert!(!o.status.success());
            assert!(String::from_utf8_lossy(&o.stderr).contains("add --format xlsx"));
        },
    );
}

/// A workbook of one program, coach, participant and two meetings, changed by `edit`.
fn small_workbook(path: &Path, edit: fn(&mut Workbook)) {
    let mut book = Workbook::new();
    let sheets: [(&str, &[&[&str]]); 4] = [
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
                ],
                &["M1", "X1", "C1", "2024-02-01", "45", "cafe"],
                &["M2", "X1", "C1", "2024-02-08", "30", "home"],
            ],
        ),
    ];
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    edit(&mut book);
    book.save(path).unwrap();
}

fn meetings(book: &mut Workbook) -> &mut Worksheet {
    book.worksheet_from_name("meetings").unwrap()
}

#[test]
fn a_formula_merged_cells_a_text_date_or_an_extra_sheet_get_a_clear_answer_and_nothing_is_written()
{
    run_on_both(
        "a_formula_merged_cells_a_text_date_or_an_extra_sheet_get_a_clear_answer_and_nothing_is_written",
        |db| {
            let tmp = tempfile::tempdir().unwrap();
            type Edit = fn(&mut Workbook);
            let cases: [(&str, Edit, &str); 4] = [
                (
                    "formula",
                    |b| {
                        meetings(b).write_formula(2, 4, "=15*2").unwrap();
                    },
                    "sheet meetings, row 3, column minutes (cell E3), value \"=15*2\": cell E3 holds a formula; fika imports values, not formulas: copy the cells and paste them as values (Paste Special → Values), then import again",
                ),
                (
                    "merged",
                    |b| {
                        meetings(b)
                            .merge_range(2, 0, 2, 1, "M2", &Format::new())
                            .unwrap();
                    },
                    "sheet meetings, row 3, column meeting_id (cell A3): the cells A3:B3 are merged; fika reads one value per cell: unmerge them, give each cell its value, and import again",
                ),
                (
                    "text date",
                    |b| {
                        meetings(b).write_string(2, 3, "8.2.2024").unwrap();
                    },
                    "sheet meetings, row 3, column date (cell D3), value \"8.2.2024\": must be a date written YYYY-MM-DD, e.g. 2025-03-14",
                ),
                (
                    "extra sheet",
                    |b| {
                        b.add_worksheet().set_name("Sheet1").unwrap();
                    },
                    "sheet Sheet1: is not a sheet of the interchange format; data is never dropped silently, so remove the sheet or rename it to one of programs, coaches, participants, goals, meetings, next_steps, employers, employer_contacts, jobs, benefits_planning, check_ins",
                ),
            ];
            let empty = db();
            let nothing = export_csv(&empty, &tmp.path().join("empty"));
            for (name, edit, want) in cases {
                let target = db();
                let path = tmp.path().join(format!("{name}.xlsx"));
                small_workbook(&path, edit);
                let o = fika(
                    &["--db", &target.url, "import", path.to_str().unwrap()],
                    None,
                );
                assert_eq!(o.status.code(), Some(1), "{name}");
                let stderr = String::from_utf8_lossy(&o.stderr);
                assert!(stderr.lines().any(|l| l == want), "{name}: {stderr}");
                assert!(stderr.contains("nothing was imported"), "{name}: {stderr}");
                assert_eq!(
                    export_csv(&target, &tmp.path().join(format!("{name}-after"))),
                    nothing,
                    "{name}: nothing written"
                );
            }
            // A spreadsheet fika does not read is not taken for a folder.
            let ods = tmp.path().join("records.ods");
            std::fs::write(&ods, "").unwrap();
            let o = fika(&["--db", &empty.url, "import", ods.to_str().unwrap()], None);
            assert!(!o.status.success());
            assert!(
                String::from_utf8_lossy(&o.stderr).contains("save it as an .xlsx workbook"),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            // Unchanged, the same workbook imports.
            let target = db();
            let path = tmp.path().join("plain.xlsx");
            small_workbook(&path, |_| {});
            fika_ok(&["--db", &target.url, "import", path.to_str().unwrap()]);
        },
    );
}
