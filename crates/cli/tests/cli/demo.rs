//! `fika demo`: on a fresh database it stores a region that `fika export` writes out and
//! `fika import` accepts into an empty database, with byte-identical files again.

use std::path::Path;

use crate::{Database, fika_ok};

/// Every file of folder `a` has the same bytes in folder `b`.
fn same_files(a: &Path, b: &Path) {
    for entry in std::fs::read_dir(a).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
            "{name:?}"
        );
    }
}

fn demo_exports_and_imports(first: &Database, second: &Database) {
    let out = fika_ok(&["--db", &first.url, "demo", "--today", "2025-06-30"]);
    assert!(out.contains("IPS Göteborg Nordost"), "{out}");
    // A second run leaves the data as it is.
    let again = fika_ok(&["--db", &first.url, "demo", "--today", "2025-06-30"]);
    assert!(again.contains("already holds records"), "{again}");

    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    fika_ok(&["--db", &first.url, "export", a.to_str().unwrap()]);
    fika_ok(&["--db", &second.url, "import", a.to_str().unwrap()]);
    fika_ok(&["--db", &second.url, "export", b.to_str().unwrap()]);
    same_files(&a, &b);
    let meetings = std::fs::read_to_string(a.join("meetings.csv")).unwrap();
    assert!(meetings.lines().count() > 5_000);
}

#[test]
fn demo_on_sqlite_exports_and_imports() {
    demo_exports_and_imports(&Database::sqlite(), &Database::sqlite());
}

#[test]
fn demo_on_postgres_exports_and_imports() {
    let (Some(first), Some(second)) = (
        Database::postgres("demo_on_postgres_exports_and_imports"),
        Database::postgres("demo_on_postgres_exports_and_imports (second)"),
    ) else {
        return;
    };
    demo_exports_and_imports(&first, &second);
}

#[test]
fn demo_folder_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        fika_ok(&[
            "demo",
            "--seed",
            "7",
            "--today",
            "2025-06-30",
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    let db = Database::sqlite();
    fika_ok(&["--db", &db.url, "import", a.to_str().unwrap()]);
    same_files(&a, &b);
}
