//! A workbook written by fika, opened with calamine: numbers are numbers, dates are dates,
//! the About sheet says the rules version and date in both languages.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use fika_core::ProgramId;
use fika_core::outcomes::{Figures, OutcomeCounts, Quarter};
use fika_report::outcomes::{OutcomeLine, Subject};
use fika_report::{Cell, Column, Lang, Report, Table, outcomes, xlsx};

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("fika's workbook opens")
}

#[test]
fn outcome_figures_are_numbers_and_rates_are_fractions() {
    let figures = Figures::from_counts(OutcomeCounts {
        served: 40,
        working_competitive: 17,
        working_paid: 20,
        served_not_employed_at_entry: 30,
        working_competitive_not_employed_at_entry: 11,
        job_starts: 5,
        first_job_starts: 3,
        in_education: 2,
        enrolled: 6,
        exited: 4,
    });
    let lines = vec![OutcomeLine {
        subject: Subject::Program {
            id: ProgramId::parse("P1").unwrap(),
            name: Some("=Lund IPS".into()),
            organisation: Some("Region Skåne".into()),
        },
        quarter: Quarter::parse("2025Q2").unwrap(),
        figures,
    }];
    let report = outcomes::report("Outcomes 2025Q2", &lines, vec![], Lang::Sv);
    let mut book = open(xlsx::workbook(&report).unwrap());
    assert_eq!(
        book.sheet_names(),
        vec!["Kvartalsresultat".to_owned(), "About".to_owned()]
    );
    let range = book.worksheet_range("Kvartalsresultat").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        &header[..5],
        ["Program", "Namn", "Organisation", "Coach", "Kvartal"]
    );
    let row: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[0], &Data::String("P1".into()));
    // Text that looks like a formula stays text: a string cell, not a formula.
    assert_eq!(row[1], &Data::String("=Lund IPS".into()));
    assert_eq!(row[3], &Data::Empty);
    assert_eq!(row[5], &Data::Float(40.0), "served is a number");
    assert_eq!(
        row[7],
        &Data::Float(0.425),
        "the competitive rate is a fraction"
    );
    assert_eq!(row[9], &Data::Float(0.5));
    let formulas = book.worksheet_formula("Kvartalsresultat").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );

    let about = book.worksheet_range("About").unwrap();
    let cells: Vec<Vec<Data>> = about.rows().map(|r| r.to_vec()).collect();
    assert_eq!(cells[0][0], Data::String("English".into()));
    assert_eq!(cells[0][1], Data::String("Svenska".into()));
    assert_eq!(
        cells[2][0],
        Data::String("Rules version (METRICS.md)".into())
    );
    assert_eq!(
        cells[2][1],
        Data::String("Regelversion (METRICS.md)".into())
    );
    assert_eq!(
        cells[2][2],
        Data::Float(f64::from(fika_core::scale::RULES_VERSION))
    );
    match &cells[3][2] {
        Data::DateTime(d) => assert_eq!(
            d.as_datetime().unwrap().date(),
            NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
        ),
        other => panic!("the date is a date, not {other:?}"),
    }
}

#[test]
fn dates_are_dates_and_empty_cells_are_empty() {
    let mut t = Table::new(
        "Reviews",
        "Reviews",
        vec![
            Column::new("date", "Date", 12.0),
            Column::new("total", "Total", 8.0),
        ],
    );
    t.rows.push(vec![
        Cell::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
        Cell::Empty,
    ]);
    t.rows.push(vec![
        Cell::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        Cell::Int(101),
    ]);
    let report = Report {
        title: "Reviews".into(),
        lang: Lang::En,
        rules: 1,
        date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        notes: vec![],
        tables: vec![t],
        charts: vec![],
    };
    let mut book = open(xlsx::workbook(&report).unwrap());
    let range = book.worksheet_range("Reviews").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert!(matches!(rows[1][0], Data::DateTime(_)), "{:?}", rows[1][0]);
    assert_eq!(rows[1][1], Data::Empty);
    assert_eq!(rows[2][1], Data::Float(101.0));
}
