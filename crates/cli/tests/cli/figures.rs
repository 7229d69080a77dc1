//! `fika fidelity` and `fika outcomes` print exactly METRICS.md's shapes, on both backends:
//! the worked example in docs/ is imported with the real binary and its figures compared
//! with the JSON its README works out by hand.

use std::path::PathBuf;

use serde_json::Value;

use crate::{Database, fika_fails, fika_ok};

fn worked_example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example")
}

/// The JSON blocks of the worked example's README, in order.
fn readme_json() -> Vec<Value> {
    let text = std::fs::read_to_string(worked_example().join("README.md")).unwrap();
    text.split("```json")
        .skip(1)
        .map(|block| serde_json::from_str(block.split("```").next().unwrap()).unwrap())
        .collect()
}

fn import_worked_example(db: &Database) {
    fika_ok(&[
        "--db",
        &db.url,
        "import",
        worked_example().to_str().unwrap(),
    ]);
}

fn check_worked_example(db: &Database) {
    import_worked_example(db);
    let expected = readme_json();
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
    ]);
    // One object on one line, in the spec's layout.
    assert_eq!(fidelity.lines().count(), 1, "{fidelity}");
    assert!(
        fidelity.starts_with(
            r#"{"program": "P1", "at": "2025-06-30", "scale": "ips-25-2008", "rules": 1, "items": [{"id": "S1", "#
        ),
        "{fidelity}"
    );
    let got: Value = serde_json::from_str(&fidelity).unwrap();
    assert_eq!(got, expected[0]);
    let ids: Vec<&str> = got["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 25);
    assert_eq!(&ids[..4], ["S1", "S2", "S3", "O1"]);
    assert_eq!(ids[24], "V14");

    let outcomes = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q2",
        "--format",
        "json",
    ]);
    let got: Value = serde_json::from_str(&outcomes).unwrap();
    assert_eq!(got, expected[1]);

    // The readable table and CSV carry the same figures.
    let table = fika_ok(&[
        "--db",
        &db.url,
        "fidelity",
        "--program",
        "P1",
        "--at",
        "2025-06-30",
    ]);
    assert!(table.contains("Caseload size"), "{table}");
    let csv = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q2",
        "--format",
        "csv",
    ]);
    assert!(
        csv.starts_with("program,coach,quarter,served,working_competitive,employment_rate,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 2);
}

#[test]
fn worked_example_on_sqlite() {
    check_worked_example(&Database::sqlite());
}

#[test]
fn worked_example_on_postgres() {
    if let Some(db) = Database::postgres("worked_example_on_postgres") {
        check_worked_example(&db);
    }
}

#[test]
fn unknown_program_and_bad_arguments_are_explained() {
    let db = Database::sqlite();
    import_worked_example(&db);
    let db = db.url.as_str();
    fika_fails(
        &[
            "--db",
            db,
            "fidelity",
            "--program",
            "P9",
            "--at",
            "2025-06-30",
        ],
        "no program with program_id P9",
    );
    fika_fails(
        &[
            "--db",
            db,
            "outcomes",
            "--program",
            "P1",
            "--quarter",
            "2025Q5",
        ],
        "2025Q5",
    );
    fika_fails(
        &[
            "--db",
            db,
            "fidelity",
            "--program",
            "P1",
            "--at",
            "30/06/2025",
        ],
        "YYYY-MM-DD",
    );
    fika_fails(
        &[
            "--db",
            db,
            "outcomes",
            "--program",
            "P1",
            "--coach",
            "C9",
            "--quarter",
            "2025Q2",
        ],
        "no coach with coach_id C9",
    );
}

#[test]
fn a_series_and_a_group() {
    let db = Database::sqlite();
    import_worked_example(&db);
    let series = fika_ok(&[
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
    let lines: Vec<Value> = series
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["quarter"], "2025Q1");
    assert_eq!(lines[1], readme_json()[1]);
    // A group of every program (here one) has the same figures as the program.
    let all = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--all",
        "--quarter",
        "2025Q2",
        "--format",
        "json",
    ]);
    let all: Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all["programs"], serde_json::json!(["P1"]));
    for figure in [
        "served",
        "working_competitive",
        "employment_rate",
        "job_starts",
    ] {
        assert_eq!(all[figure], readme_json()[1][figure], "{figure}");
    }
}

/// `fidelity --all`: every program's report, each the one `--program` gives, in each
/// format; `outcomes --all --through`: every quarter of the series, the same when read back
/// from the figures the store kept.
fn every_program(db: &Database) {
    fika_ok(&[
        "--db",
        &db.url,
        "demo",
        "--today",
        "2025-06-30",
        "--no-serve",
    ]);
    let at = ["--at", "2025-06-30"];
    let run = |args: &[&str]| {
        let mut all = vec!["--db", db.url.as_str()];
        all.extend_from_slice(args);
        fika_ok(&all)
    };
    let json = run(&["fidelity", "--all", at[0], at[1], "--format", "json"]);
    let lines: Vec<&str> = json.lines().collect();
    assert_eq!(lines.len(), 3, "{json}");
    for (line, program) in lines.iter().zip(["P1", "P2", "P3"]) {
        let one = run(&[
            "fidelity",
            "--program",
            program,
            at[0],
            at[1],
            "--format",
            "json",
        ]);
        assert_eq!(*line, one.trim_end(), "{program}");
    }
    let csv = run(&["fidelity", "--all", at[0], at[1], "--format", "csv"]);
    assert_eq!(
        csv.lines().next(),
        Some("program,id,name,section,value,score,n")
    );
    assert_eq!(csv.lines().count(), 1 + 3 * 25, "{csv}");
    let one = run(&[
        "fidelity",
        "--program",
        "P2",
        at[0],
        at[1],
        "--format",
        "csv",
    ]);
    for row in one.lines().skip(1) {
        assert!(csv.contains(&format!("\nP2,{row}\n")), "{row} in {csv}");
    }
    let table = run(&["fidelity", "--all", at[0], at[1]]);
    assert!(
        table.contains("  S1   V4   V6   V8   V9  V10  V12  V13  total"),
        "{table}"
    );
    assert_eq!(
        table.lines().filter(|l| l.starts_with('P')).count(),
        3,
        "{table}"
    );

    let series = |extra: &[&str]| {
        let mut args = vec!["outcomes", "--quarter", "2024Q3", "--through", "2025Q2"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--format", "json"]);
        run(&args)
    };
    let all = series(&["--all"]);
    assert_eq!(all, series(&["--all"]), "read back from the kept figures");
    let lines: Vec<Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    let group = series(&["--program", "P1", "--program", "P2", "--program", "P3"]);
    for (l, g) in lines.iter().zip(group.lines()) {
        assert_eq!(l["programs"], serde_json::json!(["P1", "P2", "P3"]));
        assert_eq!(*l, serde_json::from_str::<Value>(g).unwrap());
    }
    // The served of the country is the sum of the programs' own.
    let served: u64 = ["P1", "P2", "P3"]
        .iter()
        .map(|p| {
            let one = run(&[
                "outcomes",
                "--program",
                p,
                "--quarter",
                "2025Q2",
                "--format",
                "json",
            ]);
            serde_json::from_str::<Value>(&one).unwrap()["served"]
                .as_u64()
                .unwrap()
        })
        .sum();
    assert_eq!(lines[3]["served"].as_u64(), Some(served));
}

#[test]
fn every_program_on_sqlite() {
    every_program(&Database::sqlite());
}

#[test]
fn every_program_on_postgres() {
    if let Some(db) = Database::postgres("every_program_on_postgres") {
        every_program(&db);
    }
}

/// `--format xlsx --out FILE` writes the workbook the web app downloads: its figures are
/// the JSON's, numbers as numbers, and it says the rules version.
#[test]
fn xlsx_holds_the_json_figures_as_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let db = Database::sqlite();
    import_worked_example(&db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("outcomes.xlsx");
    fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q2",
        "--format",
        "xlsx",
        "--out",
        file.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let sheet = book.worksheet_range("Quarterly outcomes").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 2);
    let expected = &readme_json()[1];
    let keys = ["program", "coach", "quarter"]
        .into_iter()
        .chain(fika_report::outcomes::FIGURES.iter().map(|f| f.0));
    for (i, key) in keys.enumerate().skip(3) {
        let want = &expected[key];
        match &rows[1][i] {
            Data::Float(v) => assert_eq!(want.as_f64(), Some(*v), "{key}"),
            Data::Empty => assert!(want.is_null(), "{key}"),
            other => panic!("{key} is {other:?}, not a number"),
        }
    }
    assert_eq!(rows[1][0], Data::String("P1".into()));
    assert!(book.sheet_names().contains(&"About".to_owned()));

    let file = dir.path().join("fidelity.xlsx");
    fika_ok(&[
        "--db",
        &db.url,
        "fidelity",
        "--program",
        "P1",
        "--at",
        "2025-06-30",
        "--format",
        "xlsx",
        "--lang",
        "sv",
        "--out",
        file.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    let sheet = book.worksheet_range("Programtrohet").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 26, "a header and the 25 items");
    let expected = &readme_json()[0]["items"];
    for (i, item) in expected.as_array().unwrap().iter().enumerate() {
        let row = &rows[i + 1];
        assert_eq!(row[0], Data::String(item["id"].as_str().unwrap().into()));
        for (col, key) in [(3, "value"), (4, "score"), (5, "n")] {
            match &row[col] {
                Data::Float(v) => assert_eq!(item[key].as_f64(), Some(*v), "{} {key}", item["id"]),
                Data::Empty => assert!(item[key].is_null(), "{} {key}", item["id"]),
                other => panic!("{key} is {other:?}"),
            }
        }
    }
    // Charts drawn from the evidence come with their numbers on their own sheets.
    assert!(
        book.sheet_names().contains(&"caseloads".to_owned()),
        "{:?}",
        book.sheet_names()
    );

    fika_fails(
        &[
            "--db",
            &db.url,
            "outcomes",
            "--program",
            "P1",
            "--quarter",
            "2025Q2",
            "--format",
            "xlsx",
        ],
        "--out",
    );
}

/// `--format csv` is meant for spreadsheets: an ID that reads as a formula is written with a
/// single quote in front, while the interchange export keeps it byte for byte.
#[test]
fn csv_for_spreadsheets_makes_formulas_harmless() {
    let db = Database::sqlite();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("programs.csv"),
        "program_id,name\n=1+2,Formelprogrammet\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("coaches.csv"),
        "coach_id,program_id,name,fte,started_on,ended_on\n@C1,=1+2,Åsa,,2025-01-01,\n",
    )
    .unwrap();
    fika_ok(&["--db", &db.url, "import", dir.path().to_str().unwrap()]);
    let csv = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "=1+2",
        "--coach",
        "@C1",
        "--quarter",
        "2025Q1",
        "--format",
        "csv",
    ]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("'=1+2,'@C1,2025Q1,"), "{csv}");
    let out = tempfile::tempdir().unwrap();
    let exported = out.path().join("x");
    fika_ok(&["--db", &db.url, "export", exported.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(exported.join("programs.csv")).unwrap(),
        "program_id,name,organisation,started_on\n=1+2,Formelprogrammet,,\n"
    );
}

/// One line of `fika outcomes --format json` with the arguments given.
fn outcome_line(db: &Database, extra: &[&str]) -> Value {
    let mut args = vec![
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q2",
        "--format",
        "json",
    ];
    args.extend(extra);
    serde_json::from_str(fika_ok(&args).lines().next().unwrap()).unwrap()
}

/// `--suppress`: 4 is under 5 and hidden, 5 is shown; a count that would reveal a hidden
/// one is hidden too; rates over hidden counts go; the note says so. On the demo region's
/// P1 in 2025Q2, whose figures the first assertions pin down.
#[test]
fn small_cells_are_suppressed_for_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let region = tmp.path().join("region");
    let region = region.to_str().unwrap();
    fika_ok(&["demo", "--out", region, "--today", "2025-06-30"]);
    let db = Database::sqlite();
    fika_ok(&["--db", &db.url, "import", region]);
    let raw = outcome_line(&db, &[]);
    // The figures the edges below rest on.
    assert_eq!(raw["job_starts"], 5);
    assert_eq!(raw["first_job_starts"], 4);
    assert_eq!(raw["enrolled"], 3);
    assert_eq!(raw["in_education"], 0);
    assert_eq!(
        raw["working_competitive"], raw["working_competitive_not_employed_at_entry"],
        "every competitive worker was without a job at entry: a remainder of 0"
    );
    assert!(raw["served"].as_u64().unwrap() >= 20);
    assert!(raw.get("note").is_none() && raw.get("suppress").is_none());

    // --suppress without a value: 5.
    let s = outcome_line(&db, &["--suppress"]);
    assert_eq!(s["suppress"], 5);
    assert_eq!(s["job_starts"], 5, "5 is shown");
    assert_eq!(s["first_job_starts"], "<5", "4 is not");
    assert_eq!(s["enrolled"], "<5");
    assert_eq!(s["in_education"], "<5", "nobody is a disclosure too");
    // working_competitive − working_competitive_not_employed_at_entry = 0 is under 5:
    // one of the two goes, as a complementary cell, not as "<5".
    assert_eq!(s["working_competitive_not_employed_at_entry"], "(hidden)");
    assert_eq!(s["employment_rate_not_employed_at_entry"], Value::Null);
    assert!(
        s["note"]
            .as_str()
            .unwrap()
            .starts_with("Counts under 5 are shown as <5")
    );
    assert_eq!(s["program"], "P1");
    assert_eq!(s["quarter"], "2025Q2");

    // --suppress 4: 4 is not under 4, but 5 − 4 = 1 job start that was not a first one
    // is, so the 4 goes as a complementary cell, never as "<4"; 3 is under 4.
    let s4 = outcome_line(&db, &["--suppress", "4"]);
    assert_eq!(s4["first_job_starts"], "(hidden)");
    assert_eq!(s4["job_starts"], 5);
    assert_eq!(s4["enrolled"], "<4");

    // The table says it in words; CSV carries the cells and the note on standard error.
    let table = fika_ok(&[
        "--db",
        &db.url,
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2025Q2",
        "--suppress",
    ]);
    assert!(table.contains("first_job_starts"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.trim_start().starts_with("first_job_starts") && l.ends_with(" <5")),
        "{table}"
    );
    assert!(table.contains("Counts under 5 are shown as <5"), "{table}");
    let csv = crate::fika(
        &[
            "--db",
            &db.url,
            "outcomes",
            "--program",
            "P1",
            "--quarter",
            "2025Q2",
            "--format",
            "csv",
            "--suppress",
            "5",
        ],
        None,
    );
    assert!(csv.status.success());
    let body = String::from_utf8(csv.stdout).unwrap();
    let row = body.lines().nth(1).unwrap();
    assert!(row.contains(",5,<5,<5,<5,"), "{row}");
    assert!(
        String::from_utf8_lossy(&csv.stderr).contains("Counts under 5"),
        "the note"
    );
    fika_fails(
        &[
            "--db",
            &db.url,
            "outcomes",
            "--program",
            "P1",
            "--quarter",
            "2025Q2",
            "--suppress",
            "0",
        ],
        "--suppress",
    );
}
