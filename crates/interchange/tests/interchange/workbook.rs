//! The interchange folder as a workbook: the template's sheets, header rows and drop-down
//! lists; the export's typed cells; the sheets a workbook must and must not have; header rows.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use fika_core::{File, Row};
use fika_interchange::spec::columns;
use fika_interchange::workbook::{
    Kind, Refusal, WorkbookReader, WorkbookWriter, kind, sheet_name, template,
};
use fika_interchange::{FolderReader, Sourced};
use rust_xlsxwriter::Workbook;

fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap()
}

/// The text of a part of the workbook's zip archive.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_template_has_every_sheet_its_header_and_the_drop_down_lists() {
    let bytes = template().unwrap();
    let mut book = open(bytes.clone());
    let names: Vec<String> = File::FILE_ORDER
        .iter()
        .map(|&f| sheet_name(f).to_owned())
        .collect();
    assert_eq!(book.sheet_names(), names);
    for (n, file) in File::FILE_ORDER.into_iter().enumerate() {
        let range = book.worksheet_range(sheet_name(file)).unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let want: Vec<&str> = columns(file).iter().map(|c| c.name).collect();
        assert_eq!(header, want, "{file:?}");
        assert_eq!(range.height(), 1, "{file:?}: only the header row");
        // calamine reads no data validation: the sheet's own XML says them.
        let xml = part(&bytes, &format!("xl/worksheets/sheet{}.xml", n + 1));
        for (c, column) in columns(file).iter().enumerate() {
            let letter = (b'A' + c as u8) as char;
            let sqref = format!("sqref=\"{letter}2:{letter}1048576\"");
            let words = match kind(file, column.name) {
                Kind::Choice(words) => Some(words.join(",")),
                Kind::Boolean => Some("true,false".to_owned()),
                _ => None,
            };
            match words {
                Some(words) => {
                    let at = xml.find(&sqref).unwrap_or_else(|| {
                        panic!("{file:?} {}: no validation in {xml}", column.name)
                    });
                    let tag_start = xml[..at].rfind("<dataValidation ").unwrap();
                    let tag_end = at + xml[at..].find("</dataValidation>").unwrap();
                    let tag = &xml[tag_start..tag_end];
                    assert!(tag.contains("type=\"list\""), "{tag}");
                    assert!(
                        tag.contains(&format!("<formula1>\"{words}\"</formula1>")),
                        "{tag}"
                    );
                }
                None if matches!(
                    column.name,
                    "person" | "heard" | "goal" | "overall" | "minutes"
                ) =>
                {
                    assert!(xml.contains(&sqref), "{file:?} {}", column.name);
                }
                None => assert!(!xml.contains(&sqref), "{file:?} {}", column.name),
            }
        }
    }
    // The vocabularies named in the issue, from the core's enums.
    let xml = part(&bytes, "xl/worksheets/sheet3.xml");
    assert!(
        xml.contains("\"self,mental_health_team,social_services,employment_service,family,other\"")
    );
    assert!(xml.contains("\"participant_choice,stepped_down,moved,deceased,other\""));
    let xml = part(&bytes, "xl/worksheets/sheet5.xml");
    assert!(xml.contains("\"office,cafe,home,workplace,employer,community,phone,video,message\""));
    let xml = part(&bytes, "xl/worksheets/sheet9.xml");
    assert!(xml.contains("\"competitive,subsidized,transitional,placement,education,volunteer\""));
}

#[test]
fn the_empty_template_reads_as_no_rows_and_no_problem() {
    // Empty: the programs sheet is there with its header, so the workbook reads as no rows.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, template().unwrap()).unwrap();
    let items: Vec<Sourced> = WorkbookReader::open(&path).unwrap().collect();
    assert!(items.is_empty(), "{items:?}");
}

/// Reads the rows of a folder written from text.
fn rows_of(files: &[(&str, &str)]) -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    FolderReader::open(dir.path())
        .unwrap()
        .map(|s| match s {
            Sourced::Row { row, .. } => row,
            Sourced::Problem(p) => panic!("{p}"),
        })
        .collect()
}

const FOLDER: &[(&str, &str)] = &[
    (
        "programs.csv",
        "program_id,name,organisation,started_on\nP1,Göteborg IPS,,2024-01-01\n",
    ),
    (
        "coaches.csv",
        "coach_id,program_id,name,fte,started_on,ended_on\nC1,P1,Åsa,0.5,2024-01-01,\n",
    ),
    (
        "participants.csv",
        "participant_id,program_id,coach_id,name,referral_source,referred_on,enrolled_on,employed_at_entry,exited_on,exit_reason\n\
         X1,P1,C1,Björn,self,,2024-02-01,true,,\n",
    ),
    (
        "jobs.csv",
        "job_id,participant_id,employer_id,kind,title,occupation_code,hours_per_week,hourly_wage,started_on,ended_on,end_reason\n\
         J1,X1,,placement,Praktik,0110,37.5,135.25,2024-03-01,,\n",
    ),
];

#[test]
fn the_export_writes_numbers_as_numbers_dates_as_dates_and_reads_back_the_same_rows() {
    let rows = rows_of(FOLDER);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let mut w = WorkbookWriter::create(&path);
    for r in &rows {
        w.write(r).unwrap();
    }
    w.finish().unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names: Vec<String> = File::FILE_ORDER
        .iter()
        .map(|&f| sheet_name(f).to_owned())
        .collect();
    assert_eq!(
        book.sheet_names(),
        names,
        "every sheet, also those without rows"
    );
    let coaches = book.worksheet_range("coaches").unwrap();
    assert_eq!(coaches.get((1, 3)), Some(&Data::Float(0.5)));
    assert!(matches!(coaches.get((1, 4)), Some(Data::DateTime(d)) if d.is_datetime()));
    let participants = book.worksheet_range("participants").unwrap();
    assert_eq!(participants.get((1, 7)), Some(&Data::Bool(true)));
    let jobs = book.worksheet_range("jobs").unwrap();
    assert_eq!(
        jobs.get((1, 5)),
        Some(&Data::String("0110".into())),
        "a code stays text"
    );
    assert_eq!(jobs.get((1, 6)), Some(&Data::Float(37.5)));
    assert_eq!(jobs.get((1, 7)), Some(&Data::Float(135.25)));
    let goals = book.worksheet_range("goals").unwrap();
    assert_eq!(goals.height(), 1, "its header row alone");
    // Read back: the same records.
    let back: Vec<Row> = WorkbookReader::open(&path)
        .unwrap()
        .map(|s| match s {
            Sourced::Row { row, .. } => row,
            Sourced::Problem(p) => panic!("{p}"),
        })
        .collect();
    assert_eq!(back, rows);
}

fn save(book: &mut Workbook, dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    book.save(&path).unwrap();
    path
}

#[test]
fn an_extra_sheet_or_a_missing_programs_sheet_is_refused_before_any_row_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("programs")
        .unwrap()
        .write(0, 0, "program_id")
        .unwrap();
    book.add_worksheet().set_name("diagnoses").unwrap();
    book.add_worksheet().set_name("Meetings").unwrap();
    let path = save(&mut book, &dir, "extra.xlsx");
    let Err(Refusal::Sheets(problems)) = WorkbookReader::open(&path) else {
        panic!("must be refused");
    };
    let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let expected = "programs, coaches, participants, goals, meetings, next_steps, employers, employer_contacts, jobs, benefits_planning, check_ins";
    assert_eq!(
        got,
        [
            format!(
                "sheet diagnoses: is not a sheet of the interchange format; data is never dropped silently, so remove the sheet or rename it to one of {expected}"
            ),
            format!(
                "sheet Meetings: is not a sheet of the interchange format; data is never dropped silently, so remove the sheet or rename it to one of {expected}"
            ),
        ]
    );

    let mut book = Workbook::new();
    book.add_worksheet().set_name("coaches").unwrap();
    let path = save(&mut book, &dir, "missing.xlsx");
    let Err(Refusal::Sheets(problems)) = WorkbookReader::open(&path) else {
        panic!("must be refused");
    };
    assert_eq!(
        problems[0].to_string(),
        "sheet programs: the sheet is missing; every workbook needs it, with at least its header row"
    );

    std::fs::write(dir.path().join("not.xlsx"), "program_id,name\n").unwrap();
    assert!(matches!(
        WorkbookReader::open(dir.path().join("not.xlsx")),
        Err(Refusal::Unreadable(e)) if e.contains("cannot be read as an Excel workbook")
    ));
}

#[test]
fn a_wrong_header_row_is_said_at_its_cells_and_its_rows_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("programs").unwrap();
    for (c, h) in ["program_id", "name", "diagnosis", "name"]
        .iter()
        .enumerate()
    {
        s.write(0, c as u16, *h).unwrap();
    }
    s.write(1, 0, "P1").unwrap();
    s.write(1, 1, "Göteborg IPS").unwrap();
    let s = book.add_worksheet().set_name("coaches").unwrap();
    s.write(0, 0, "coach_id").unwrap();
    let path = save(&mut book, &dir, "header.xlsx");
    let mut reader = WorkbookReader::open(&path).unwrap();
    let problems: Vec<_> = reader.by_ref().collect();
    let got: Vec<String> = problems
        .iter()
        .map(|s| match s {
            Sourced::Problem(p) => reader.locate(p).to_string(),
            Sourced::Row { row, .. } => panic!("read a row: {row:?}"),
        })
        .collect();
    assert_eq!(
        got,
        [
            "sheet programs, row 1, column diagnosis (cell C1), value \"diagnosis\": is not a column of the sheet programs; remove it or rename it to one of program_id, name, organisation, started_on",
            "sheet programs, row 1, column name (cell B1), value \"name\": the column appears twice in the header; keep one",
            "sheet coaches, row 1, column program_id: the required column is missing from the header",
            "sheet coaches, row 1, column name: the required column is missing from the header",
            "sheet coaches, row 1, column started_on: the required column is missing from the header",
        ]
    );
}

#[test]
fn empty_rows_are_skipped_and_a_value_without_a_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("programs").unwrap();
    s.write(0, 0, "program_id").unwrap();
    s.write(0, 2, "name").unwrap();
    s.write(1, 0, "P1").unwrap();
    s.write(1, 2, "Göteborg IPS").unwrap();
    // Row 3 emptied (a blank string left behind), row 4 a value beside the columns.
    s.write(2, 0, "").unwrap();
    s.write(3, 0, "P2").unwrap();
    s.write(3, 1, "Malmö").unwrap();
    s.write(3, 2, "Malmö IPS").unwrap();
    s.write(5, 0, 3).unwrap();
    s.write(5, 2, "Lund IPS").unwrap();
    let path = save(&mut book, &dir, "rows.xlsx");
    let mut reader = WorkbookReader::open(&path).unwrap();
    let items: Vec<_> = reader.by_ref().collect();
    let lines: Vec<String> = items
        .iter()
        .map(|s| match s {
            Sourced::Row {
                line,
                row: Row::Program(p),
            } => format!("{line}: {} {}", p.id.as_str(), p.name),
            Sourced::Row { .. } => unreachable!(),
            Sourced::Problem(p) => reader.locate(p).to_string(),
        })
        .collect();
    assert_eq!(
        lines,
        [
            "2: P1 Göteborg IPS",
            "sheet programs, row 4, value \"Malmö\": cell B4 holds a value in a column without a name in the header row; name the column or clear the cell",
            "6: 3 Lund IPS",
        ]
    );
}

/// A workbook whose cell reference has more letters than a column can have (found by the
/// fuzz target xlsx_workbook; calamine 0.38 overflows on it in builds with overflow checks):
/// the sheet is reported as unreadable, and the import does not crash.
#[test]
fn a_damaged_sheet_is_a_problem_not_a_crash() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/damaged-cell-reference.xlsx");
    let mut reader = WorkbookReader::open(&path).unwrap();
    let problems: Vec<String> = reader
        .by_ref()
        .filter_map(|s| match s {
            Sourced::Problem(p) => Some(p),
            Sourced::Row { .. } => None,
        })
        .collect::<Vec<_>>()
        .iter()
        .map(|p| reader.locate(p).to_string())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the sheet cannot be read")),
        "{problems:#?}"
    );
}
