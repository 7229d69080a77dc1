//! `fika privacy access`: the access extract of one participant of the demo region, on both
//! backends. Every row of theirs in the export is in extract.json, no other participant's
//! ID or name is anywhere in the folder, making it is audited with the reference, and the
//! page prints to PDF in headless Chromium with their goals in it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};

use super::privacy::read_folder;
use crate::{Database, fika_fails, fika_ok};

type Folder = BTreeMap<String, (Vec<String>, Vec<Vec<String>>)>;

/// A row as the extract writes it: an object of its columns, empty cells as `null`.
fn as_json(header: &[String], row: &[String]) -> Value {
    let mut m = Map::new();
    for (c, v) in header.iter().zip(row) {
        m.insert(
            c.clone(),
            if v.is_empty() {
                Value::Null
            } else {
                Value::String(v.clone())
            },
        );
    }
    Value::Object(m)
}

/// The extract's array for the rows of a file.
fn key(file: &str) -> Option<&'static str> {
    Some(match file {
        "goals.csv" => "goals",
        "meetings.csv" => "meetings",
        "next_steps.csv" => "next_steps",
        "employer_contacts.csv" => "employer_contacts",
        "jobs.csv" => "jobs",
        "benefits_planning.csv" => "benefits_planning",
        "check_ins.csv" => "check_ins",
        _ => return None,
    })
}

/// The participant with the most meetings.
fn busiest(folder: &Folder) -> String {
    let (header, rows) = &folder["meetings.csv"];
    let col = header.iter().position(|c| c == "participant_id").unwrap();
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        *n.entry(r[col].as_str()).or_default() += 1;
    }
    n.into_iter()
        .max_by_key(|(id, n)| (*n, std::cmp::Reverse(*id)))
        .unwrap()
        .0
        .to_owned()
}

fn access(db: &Database) {
    let tmp = tempfile::tempdir().unwrap();
    let t = |name: &str| tmp.path().join(name).to_str().unwrap().to_owned();
    fika_ok(&["demo", "--out", &t("region"), "--today", "2025-06-30"]);
    fika_ok(&["--db", &db.url, "import", &t("region")]);
    fika_ok(&["--db", &db.url, "export", &t("export")]);
    let export = read_folder(Path::new(&t("export")));
    let who = busiest(&export);
    let out = fika_ok(&[
        "--db",
        &db.url,
        "privacy",
        "access",
        &who,
        "--out",
        &t("extract"),
        "--reference",
        "KS 2025/0417",
        "--lang",
        "sv",
    ]);
    assert!(out.contains("extract.html and extract.json"), "{out}");
    let json_text = std::fs::read_to_string(t("extract/extract.json")).unwrap();
    let html = std::fs::read_to_string(t("extract/extract.html")).unwrap();
    let j: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(j["schema"], "fika-access-extract/1");
    assert_eq!(j["reference"], "KS 2025/0417");

    // Every row of theirs, in every file, and no more than those.
    let (p_header, p_rows) = &export["participants.csv"];
    let mine = p_rows.iter().find(|r| r[0] == who).unwrap();
    assert_eq!(j["participant"], as_json(p_header, mine));
    let mut theirs = 0;
    for (file, (header, rows)) in &export {
        let Some(k) = key(file) else { continue };
        let col = header.iter().position(|c| c == "participant_id").unwrap();
        let list = j[k].as_array().unwrap();
        let of_them: Vec<Value> = rows
            .iter()
            .filter(|r| r[col] == who)
            .map(|r| as_json(header, r))
            .collect();
        assert_eq!(list.len(), of_them.len(), "{file}");
        for row in &of_them {
            assert!(list.contains(row), "{file}: {row} is missing");
        }
        theirs += of_them.len();
    }
    assert!(theirs > 20, "a long history: {theirs} rows");
    let goals = j["goals"].as_array().unwrap();
    assert!(!goals.is_empty());

    // Nobody else: no other participant's ID or name in either file.
    let coach_and_employer_names: Vec<&String> = ["coaches.csv", "employers.csv"]
        .iter()
        .flat_map(|f| {
            let (h, rows) = &export[*f];
            let c = h.iter().position(|c| c == "name").unwrap();
            rows.iter().map(move |r| &r[c])
        })
        .collect();
    let mut checked = 0;
    for r in p_rows.iter().filter(|r| r[0] != who) {
        for text in [&json_text, &html] {
            assert!(!text.contains(&r[0]), "another participant's ID {}", r[0]);
            // A name shared with them or with a coach or employer of theirs says nothing.
            if r[3] != mine[3] && !coach_and_employer_names.contains(&&r[3]) {
                assert!(!text.contains(&r[3]), "another participant's name {}", r[3]);
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
    // Of employers, names only (no org number); of the staff, no login secret.
    let (h, rows) = &export["employers.csv"];
    let org = h.iter().position(|x| x == "org_number").unwrap();
    for r in rows.iter().filter(|r| !r[org].is_empty()) {
        assert!(!json_text.contains(&r[org]), "org number {}", r[org]);
    }
    assert!(!json_text.contains("argon2") && !json_text.contains("password"));

    // Audited, with the reference; a second extract lists the first.
    fika_ok(&[
        "--db",
        &db.url,
        "privacy",
        "access",
        &who,
        "--out",
        &t("again"),
    ]);
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(t("again/extract.json")).unwrap()).unwrap();
    let made: Vec<&Value> = again["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "participant.access_extract")
        .collect();
    assert_eq!(made.len(), 2);
    assert_eq!(again["reference"], Value::Null);

    // The page is in Swedish, holds their goals, and prints.
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Dina mål"), "Swedish headings");
    for g in goals {
        let text = g["text"].as_str().unwrap();
        assert!(html.contains(&escape(text)), "goal {text:?} on the page");
    }
    print_to_pdf(&t("extract/extract.html"), &t("extract.pdf"), goals);

    fika_fails(
        &[
            "--db",
            &db.url,
            "privacy",
            "access",
            "NOBODY",
            "--out",
            &t("x"),
        ],
        "there is no participant with ID NOBODY",
    );
    fika_fails(
        &[
            "--db",
            &db.url,
            "privacy",
            "access",
            &who,
            "--out",
            &t("x"),
            "--reference",
            &"x".repeat(201),
        ],
        "--reference: the request's reference is longer than 200 characters",
    );
    assert!(!Path::new(&t("x")).exists(), "nothing written when refused");
}

/// The page's text as askama escapes it.
fn escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Prints the page with headless Chromium and finds every goal in the PDF's text.
fn print_to_pdf(html: &str, pdf: &str, goals: &[Value]) {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let (Some(chromium), true) = (chromium, Path::new("/usr/bin/pdftotext").exists()) else {
        eprintln!("SKIPPED (no chromium or pdftotext): the extract printed to PDF");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--print-to-pdf={pdf}"),
            &format!("file://{html}"),
        ])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let text = Command::new("/usr/bin/pdftotext")
        .args([pdf, "-"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed = words(&String::from_utf8_lossy(&text.stdout));
    assert!(printed.contains("Allt fika har om"), "{printed}");
    for g in goals {
        let goal = words(g["text"].as_str().unwrap());
        assert!(
            printed.contains(&goal),
            "goal {goal:?} not in the PDF: {printed}"
        );
    }
}

#[test]
fn access_extract_on_sqlite() {
    access(&Database::sqlite());
}

#[test]
fn access_extract_on_postgres() {
    if let Some(db) = Database::postgres("access_extract_on_postgres") {
        access(&db);
    }
}
