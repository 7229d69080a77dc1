//! The pseudonymised research export (`fika export --pseudonymise`), on both backends: no
//! name, no free text and no original ID in any cell; the same key gives the same
//! pseudonyms and another key unrelated ones; the export imports into fika and gives the
//! same fidelity and outcome figures, date for date.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::{Database, fika_fails, fika_ok};

/// Every file of a folder: its header and rows.
pub(crate) fn read_folder(dir: &Path) -> BTreeMap<String, (Vec<String>, Vec<Vec<String>>)> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut r = csv::Reader::from_path(&path).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect();
        out.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            (header, rows),
        );
    }
    out
}

/// The values of the columns named `cols` in every file.
fn values(
    folder: &BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>,
    wanted: impl Fn(&str, &str) -> bool,
) -> HashSet<String> {
    let mut out = HashSet::new();
    for (file, (header, rows)) in folder {
        for row in rows {
            for (col, cell) in header.iter().zip(row) {
                if wanted(file, col) && !cell.is_empty() {
                    out.insert(cell.clone());
                }
            }
        }
    }
    out
}

/// Removes the keys that name a program or a coach, everywhere in a JSON value.
fn without_ids(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            map.remove("program");
            map.remove("coach");
            map.remove("programs");
            for x in map.values_mut() {
                *x = without_ids(x.take());
            }
        }
        Value::Array(items) => {
            for x in items {
                *x = without_ids(x.take());
            }
        }
        _ => {}
    }
    v
}

fn fidelity(db: &str, program: &str, at: &str) -> Value {
    let out = fika_ok(&[
        "--db",
        db,
        "fidelity",
        "--program",
        program,
        "--at",
        at,
        "--format",
        "json",
    ]);
    without_ids(serde_json::from_str(&out).unwrap())
}

fn outcomes(db: &str, program: Option<&str>) -> Vec<Value> {
    let mut args = vec!["--db", db, "outcomes"];
    match program {
        Some(p) => args.extend(["--program", p]),
        None => args.push("--all"),
    }
    args.extend([
        "--quarter",
        "2023Q1",
        "--through",
        "2025Q2",
        "--format",
        "json",
    ]);
    fika_ok(&args)
        .lines()
        .map(|l| without_ids(serde_json::from_str(l).unwrap()))
        .collect()
}

fn research_export(source: &Database, target: &Database) {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_str().unwrap().to_owned();
    fika_ok(&["demo", "--out", &t("region"), "--today", "2025-06-30"]);
    fika_ok(&["--db", &source.url, "import", &t("region")]);
    let key_a = "the first study's secret key 0042";
    let key_b = "another study entirely, its own key";
    std::fs::write(t("a.key"), format!("{key_a}\n")).unwrap();
    std::fs::write(t("b.key"), key_b).unwrap();
    let export = |dir: &str, key: &str, extra: &[&str]| {
        let mut args = vec![
            "--db",
            &source.url,
            "export",
            dir,
            "--pseudonymise",
            "--key-file",
            key,
        ];
        args.extend(extra);
        let out = fika_ok(&args);
        assert!(!out.contains(key_a) && !out.contains(key_b), "{out}");
    };
    export(&t("a1"), &t("a.key"), &[]);
    export(&t("a2"), &t("a.key"), &[]);
    export(&t("b"), &t("b.key"), &[]);

    let original = read_folder(Path::new(&t("region")));
    let a1 = read_folder(Path::new(&t("a1")));
    let ids = values(&original, |_, col| {
        col.ends_with("_id") || col == "coach_id"
    });
    let names = values(&original, |file, col| {
        col == "name" || col == "org_number" || (file == "programs.csv" && col == "organisation")
    });
    let texts = values(&original, |file, col| {
        col == "note"
            || col == "title"
            || col == "sector"
            || ((file == "goals.csv" || file == "next_steps.csv") && col == "text")
    });
    assert!(ids.len() > 1000 && names.len() > 100 && texts.len() > 100);
    let mut cells = 0;
    for (file, (header, rows)) in &a1 {
        assert_eq!(header, &original[file].0, "{file}");
        assert_eq!(rows.len(), original[file].1.len(), "{file}");
        for row in rows {
            for cell in row {
                cells += 1;
                assert!(!ids.contains(cell), "{file}: an original ID {cell:?}");
                assert!(!names.contains(cell), "{file}: a name {cell:?}");
                assert!(!texts.contains(cell), "{file}: free text {cell:?}");
                for name in names.iter().filter(|n| n.chars().count() >= 4) {
                    assert!(
                        !cell.contains(name.as_str()),
                        "{file}: {name:?} in {cell:?}"
                    );
                }
                assert!(!cell.contains(key_a), "{file}: the key");
            }
        }
    }
    assert!(cells > 50_000, "{cells}");

    // The same key: the same files; another key: no pseudonym in common.
    for (file, content) in &a1 {
        assert_eq!(content, &read_folder(Path::new(&t("a2")))[file], "{file}");
    }
    let b = read_folder(Path::new(&t("b")));
    let id_cells = |f: &BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>| {
        values(f, |_, col| col.ends_with("_id"))
    };
    let (in_a, in_b) = (id_cells(&a1), id_cells(&b));
    assert_eq!(in_a.len(), in_b.len());
    assert!(in_a.is_disjoint(&in_b));

    // Imported, it gives the same figures as the original, date for date.
    fika_ok(&["--db", &target.url, "import", &t("a1")]);
    let programs = |f: &BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>| -> Vec<String> {
        f["programs.csv"].1.iter().map(|r| r[0].clone()).collect()
    };
    let (before, after) = (programs(&original), programs(&a1));
    assert_eq!(before.len(), 3);
    for (p, q) in before.iter().zip(&after) {
        for at in ["2024-03-31", "2024-12-31", "2025-06-30"] {
            assert_eq!(
                fidelity(&source.url, p, at),
                fidelity(&target.url, q, at),
                "{p} on {at}"
            );
        }
        assert_eq!(
            outcomes(&source.url, Some(p)),
            outcomes(&target.url, Some(q)),
            "{p}"
        );
    }
    assert_eq!(outcomes(&source.url, None), outcomes(&target.url, None));
}

#[test]
fn research_export_on_sqlite() {
    research_export(&Database::sqlite(), &Database::sqlite());
}

#[test]
fn research_export_on_postgres() {
    let (Some(source), Some(target)) = (
        Database::postgres("research_export_on_postgres"),
        Database::postgres("research_export_on_postgres (target)"),
    ) else {
        return;
    };
    research_export(&source, &target);
}

#[test]
fn months_and_kept_text() {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_str().unwrap().to_owned();
    let db = Database::sqlite();
    let worked = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example");
    fika_ok(&["--db", &db.url, "import", worked.to_str().unwrap()]);
    std::fs::write(t("k"), "0123456789abcdef0123456789abcdef").unwrap();
    fika_ok(&[
        "--db",
        &db.url,
        "export",
        &t("m"),
        "--pseudonymise",
        "--key-file",
        &t("k"),
        "--months",
        "--keep-text",
    ]);
    let m = read_folder(Path::new(&t("m")));
    let dates = values(&m, |_, col| col == "date" || col.ends_with("_on"));
    assert!(dates.len() > 3);
    for d in &dates {
        assert!(d.ends_with("-01"), "{d}");
    }
    // Notes kept with --keep-text; it still imports.
    let original = read_folder(&worked);
    assert_eq!(
        values(&m, |_, col| col == "note" || col == "title"),
        values(&original, |_, col| col == "note" || col == "title")
    );
    let other = Database::sqlite();
    fika_ok(&["--db", &other.url, "import", &t("m")]);

    // Refusals: no key file, a short key, a key file that is not there.
    fika_fails(
        &["--db", &db.url, "export", &t("x"), "--pseudonymise"],
        "--key-file",
    );
    fika_fails(
        &["--db", &db.url, "export", &t("x"), "--months"],
        "--pseudonymise",
    );
    std::fs::write(t("short"), "tiny\n").unwrap();
    fika_fails(
        &[
            "--db",
            &db.url,
            "export",
            &t("x"),
            "--pseudonymise",
            "--key-file",
            &t("short"),
        ],
        "at least 16",
    );
    fika_fails(
        &[
            "--db",
            &db.url,
            "export",
            &t("x"),
            "--pseudonymise",
            "--key-file",
            &t("none"),
        ],
        "cannot read the key file",
    );
    assert!(!Path::new(&t("x")).exists());
}

/// docs/privacy.md on check-ins: a shared one leaves pseudonymised, its words dropped; one
/// given "only counted" does not leave at all. The export still imports.
fn research_export_of_check_ins(source: &Database, target: &Database) {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_str().unwrap().to_owned();
    let worked = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example");
    std::fs::create_dir(t("folder")).unwrap();
    for entry in std::fs::read_dir(&worked).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            Path::new(&t("folder")).join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    std::fs::write(
        Path::new(&t("folder")).join("check_ins.csv"),
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
         CI-a,X1,C1,2025-01-10,1,8,9,7,8,coach_and_me,Anna ringde tillbaka direkt\n\
         CI-b,X1,C1,2025-02-10,1,2,3,2,2,counted_only,Jag vill byta coach\n\
         CI-c,X4,C2,2025-05-15,1,6,6,6,6,coach_and_me,\n",
    )
    .unwrap();
    fika_ok(&["--db", &source.url, "import", &t("folder")]);
    std::fs::write(t("k"), "0123456789abcdef0123456789abcdef").unwrap();
    let out = fika_ok(&[
        "--db",
        &source.url,
        "export",
        &t("r"),
        "--pseudonymise",
        "--key-file",
        &t("k"),
    ]);
    assert!(out.contains("3  check_ins.csv"), "{out}");
    assert!(
        out.contains("Left out: 1 check-in(s) given \"only counted\""),
        "{out}"
    );
    let r = read_folder(Path::new(&t("r")));
    let (header, rows) = &r["check_ins.csv"];
    assert_eq!(
        header.join(","),
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words"
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    let participants: HashSet<&str> = r["participants.csv"]
        .1
        .iter()
        .map(|p| p[0].as_str())
        .collect();
    for (row, (date, scores)) in rows
        .iter()
        .zip([("2025-01-10", "8,9,7,8"), ("2025-05-15", "6,6,6,6")])
    {
        assert!(row[0].starts_with("CI-") && row[0].len() == 23, "{row:?}");
        assert!(participants.contains(row[1].as_str()), "{row:?}");
        assert!(row[2].starts_with("K-"), "{row:?}");
        assert_eq!(
            (row[3].as_str(), row[5..9].join(",")),
            (date, scores.to_owned())
        );
        assert_eq!((row[9].as_str(), row[10].as_str()), ("coach_and_me", ""));
    }
    let all = std::fs::read_to_string(Path::new(&t("r")).join("check_ins.csv")).unwrap();
    for original in ["CI-a", "CI-b", "X1", "Anna", "byta", "counted_only"] {
        assert!(!all.contains(original), "{original} in {all}");
    }
    fika_ok(&["--db", &target.url, "import", &t("r")]);

    // The plain export is the program's own copy: every check-in, as it was.
    fika_ok(&["--db", &source.url, "export", &t("plain")]);
    let plain = std::fs::read_to_string(Path::new(&t("plain")).join("check_ins.csv")).unwrap();
    assert_eq!(
        plain,
        std::fs::read_to_string(Path::new(&t("folder")).join("check_ins.csv")).unwrap()
    );
}

#[test]
fn research_export_of_check_ins_on_sqlite() {
    research_export_of_check_ins(&Database::sqlite(), &Database::sqlite());
}

#[test]
fn research_export_of_check_ins_on_postgres() {
    let (Some(source), Some(target)) = (
        Database::postgres("research_export_of_check_ins_on_postgres"),
        Database::postgres("research_export_of_check_ins_on_postgres (target)"),
    ) else {
        return;
    };
    research_export_of_check_ins(&source, &target);
}

/// Runs SQL straight on a test database, past fika.
fn raw(db: &Database, sql: &str) {
    match db.url.strip_prefix("sqlite:") {
        Some(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap(),
        None => {
            let (base, schema) = db.url.split_once("?schema=").unwrap();
            let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
            c.batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                .unwrap();
        }
    }
}

fn audit_verify(db: &Database) {
    let worked = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example");
    fika_ok(&["--db", &db.url, "import", worked.to_str().unwrap()]);
    let out = fika_ok(&["--db", &db.url, "audit", "verify"]);
    assert!(out.contains("The audit log is empty."), "{out}");
    let mut rows = String::new();
    for i in 1..=5 {
        rows.push_str(&format!(
            "INSERT INTO audit (who, at, action, participant_id, detail) \
             VALUES ('U1', '2025-06-0{i}T08:00:00Z', 'participant.read', 'X1', '');"
        ));
    }
    raw(db, &rows);
    let out = fika_ok(&["--db", &db.url, "audit", "verify"]);
    assert!(out.contains("Sealed 5 audit row(s)"), "{out}");
    assert!(
        out.contains("5 audit row(s) in the chain; the last is row 5"),
        "{out}"
    );
    assert!(out.contains("The audit log is intact"), "{out}");
    let out = fika_ok(&["--db", &db.url, "audit", "seal"]);
    assert!(out.contains("Sealed 0 audit row(s)."), "{out}");

    let (off, on) = if db.url.starts_with("sqlite:") {
        (
            "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
            "",
        )
    } else {
        (
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only;",
            "ALTER TABLE audit ENABLE TRIGGER audit_append_only;",
        )
    };
    raw(
        db,
        &format!(
            "{off} UPDATE audit SET participant_id = 'X2' WHERE seq = 2; DELETE FROM audit WHERE seq = 4; {on}"
        ),
    );
    fika_fails(
        &["--db", &db.url, "audit", "verify"],
        "audit row 2 (chain position 2) was changed",
    );
    fika_fails(
        &["--db", &db.url, "audit", "verify"],
        "1 audit row(s) were removed between row 3 and row 5",
    );
}

#[test]
fn audit_verify_on_sqlite() {
    audit_verify(&Database::sqlite());
}

#[test]
fn audit_verify_on_postgres() {
    if let Some(db) = Database::postgres("audit_verify_on_postgres") {
        audit_verify(&db);
    }
}
