//! `fika questionnaire`: a REDCap data dictionary in, a round sent, answers out, on both
//! backends.

use crate::{Database, fika_fails, fika_ok};

const DICTIONARY: &str = "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\
\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,\
Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),\
Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,\
Field Annotation
coaches,survey,Staff,text,\"Number of job coaches
(people, not posts)\",,,integer,0,,,,y,,,,,@FIKA-PREFILL=coaches
team,survey,,radio,Integrated with a treatment team?,\"1, Yes | 0, No\",,,,,,,y,,,,,
why,survey,,notes,Why not?,,,,,,,[team] = '0',,,,,,
";

fn the_questionnaire_journey(db: &Database) {
    let url = db.url.as_str();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/worked-example");
    fika_ok(&["--db", url, "import", example]);
    let tmp = tempfile::tempdir().unwrap();
    let dict = tmp.path().join("programs_2025.csv");
    std::fs::write(&dict, DICTIONARY).unwrap();
    let out = fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "import",
        dict.to_str().unwrap(),
    ]);
    assert_eq!(out.lines().last(), Some("QN1"), "{out}");
    let list = fika_ok(&["--db", url, "questionnaire", "list"]);
    assert!(
        list.contains("QN1\tprograms_2025\t3 questions\tdraft"),
        "{list}"
    );

    // The way back gives the same dictionary, and the JSON reads back in as the same.
    let back = tmp.path().join("back.csv");
    fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "export",
        "QN1",
        back.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), DICTIONARY);
    let json = tmp.path().join("q.json");
    fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "export",
        "QN1",
        json.to_str().unwrap(),
    ]);
    let again = fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "import",
        json.to_str().unwrap(),
    ]);
    assert_eq!(again.lines().last(), Some("QN2"));

    let sent = fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "send",
        "QN1",
        "--all",
        "--at",
        "2025-06-30",
        "--deadline",
        "2025-08-31",
    ]);
    assert_eq!(sent.lines().last(), Some("QR1"), "{sent}");
    let status = fika_ok(&["--db", url, "questionnaire", "status", "QR1"]);
    assert!(status.contains("P1\t"), "{status}");
    // Nothing answered yet: the long format still carries the computed figure.
    let long = fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "results",
        "QR1",
        "--layout",
        "long",
    ]);
    let mut lines = long.lines();
    assert_eq!(
        lines.next(),
        Some("program_id,question,answer,computed,comment")
    );
    assert!(
        long.lines().any(|l| l.starts_with("P1,coaches,,")),
        "{long}"
    );
    let wide = fika_ok(&["--db", url, "questionnaire", "results", "QR1"]);
    assert_eq!(wide.lines().next(), Some("program_id,coaches,team,why"));
    let book = tmp.path().join("results.xlsx");
    let wrote = fika_ok(&[
        "--db",
        url,
        "questionnaire",
        "results",
        "QR1",
        "--out",
        book.to_str().unwrap(),
        "--lang",
        "sv",
    ]);
    assert!(wrote.contains("results.xlsx"), "{wrote}");
    assert_eq!(
        &std::fs::read(&book).unwrap()[..2],
        b"PK",
        "an XLSX file is a zip archive"
    );

    // Frozen once sent: the dictionary cannot be changed, the round refuses nonsense.
    fika_fails(
        &[
            "--db",
            url,
            "questionnaire",
            "send",
            "QN1",
            "--program",
            "P9",
            "--at",
            "2025-06-30",
            "--deadline",
            "2025-08-31",
        ],
        "there is no program P9",
    );
    fika_fails(
        &[
            "--db",
            url,
            "questionnaire",
            "send",
            "QN7",
            "--all",
            "--at",
            "2025-06-30",
            "--deadline",
            "2025-08-31",
        ],
        "there is no questionnaire QN7",
    );
}

fn a_dictionary_fika_cannot_hold_is_refused_with_its_line(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let dict = tmp.path().join("bad.csv");
    let bad = DICTIONARY.replace(
        "why,survey,,notes,Why not?,,,,,,,[team] = '0',,,,,,",
        "total,survey,,calc,Total,[coaches] * 2,,,,,,,,,,,,",
    );
    std::fs::write(&dict, bad).unwrap();
    fika_fails(
        &[
            "--db",
            url,
            "questionnaire",
            "import",
            dict.to_str().unwrap(),
        ],
        "bad.csv: line 5, column \"Field Type\", value \"calc\"",
    );
    assert_eq!(fika_ok(&["--db", url, "questionnaire", "list"]), "");
    let other = tmp.path().join("q.txt");
    std::fs::write(&other, "x").unwrap();
    fika_fails(
        &[
            "--db",
            url,
            "questionnaire",
            "import",
            other.to_str().unwrap(),
        ],
        "give a .csv file",
    );
}

#[test]
fn questionnaires_on_sqlite() {
    let db = Database::sqlite();
    the_questionnaire_journey(&db);
    a_dictionary_fika_cannot_hold_is_refused_with_its_line(&Database::sqlite());
}

#[test]
fn questionnaires_on_postgres() {
    if let Some(db) = Database::postgres("questionnaires_on_postgres") {
        the_questionnaire_journey(&db);
    }
    if let Some(db) = Database::postgres("questionnaires_on_postgres (refusals)") {
        a_dictionary_fika_cannot_hold_is_refused_with_its_line(&db);
    }
}
