//! Upgrades: a database made by the first release opens, is migrated and exports the same
//! records; a database made by a newer fika is refused, and left exactly as it was.
//!
//! The first release's databases are `fixtures/upgrade/{sqlite,postgres}_v1.sql` (schema
//! and rows as commit 60be8fa made them; see the README there), and what they must export
//! is `fixtures/upgrade/export/`.

use std::path::{Path, PathBuf};

use fika_interchange::FolderWriter;
use fika_store::{Store, StoreError};

use super::fixture::read_dir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// Every record of `store` as an interchange folder, file name → text.
fn export(store: &dyn Store) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let mut w = FolderWriter::create(dir.path()).unwrap();
    store.export(&mut |row| w.write(&row)).unwrap();
    w.finish().unwrap();
    read_dir(dir.path())
}

/// The export of the upgraded database equals the one checked in, file by file, byte for
/// byte; the upgraded database has every migration this fika knows.
fn assert_exports_expected(store: &dyn Store) {
    let expected = read_dir(&fixtures().join("export"));
    let got = export(store);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the export's files"
    );
    for (name, text) in &expected {
        assert_eq!(&got[name], text, "{name} after the upgrade");
    }
}

/// The upgraded database takes new records: an import that adds to tables the first
/// release made (whose IDs are kept unique by their inline constraints, not the indexes of
/// today's 0001) and to one a later migration made.
fn assert_takes_new_records(store: &dyn Store) {
    let folder = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("programs.csv", "program_id,name\nP3,Lund IPS\n"),
        (
            "coaches.csv",
            "coach_id,program_id,name,started_on\nC3,P3,Eva,2024-01-01\n",
        ),
        (
            "participants.csv",
            "participant_id,program_id,coach_id,name,referral_source,enrolled_on\nX3,P3,C3,Bo,self,2024-02-01\n",
        ),
        (
            "check_ins.csv",
            "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\nCI9,X3,C3,2024-03-01,1,8,7,9,8,coach_and_me,\n",
        ),
    ] {
        std::fs::write(folder.path().join(name), text).unwrap();
    }
    let mut reader = fika_interchange::FolderReader::open(folder.path()).unwrap();
    store.import(&mut reader).unwrap();
    let got = export(store);
    assert!(got["programs.csv"].ends_with("P3,Lund IPS,,\n"));
    assert!(got["check_ins.csv"].contains("CI9,X3,C3"));
    // An ID the first release stored is still unique.
    std::fs::write(
        folder.path().join("programs.csv"),
        "program_id,name\nP1,Again\n",
    )
    .unwrap();
    for name in ["coaches.csv", "participants.csv", "check_ins.csv"] {
        std::fs::remove_file(folder.path().join(name)).unwrap();
    }
    let mut reader = fika_interchange::FolderReader::open(folder.path()).unwrap();
    assert!(store.import(&mut reader).is_err(), "P1 twice");
}

/// The expected export is what today's fika makes of these records: imported into a new
/// database and exported, it comes back byte for byte.
#[test]
fn expected_export_is_todays_export_of_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let store = fika_store::open(dir.path().join("fika.db").to_str().unwrap()).unwrap();
    let mut reader = fika_interchange::FolderReader::open(fixtures().join("export")).unwrap();
    store.import(&mut reader).unwrap();
    assert_exports_expected(&*store);
}

/// A PostgreSQL schema of its own, dropped afterwards, or `None` (said) without a server.
struct PgSchema {
    url: String,
    schema: String,
}

impl PgSchema {
    fn new(test: &str) -> Option<PgSchema> {
        let Ok(url) = std::env::var("FIKA_TEST_POSTGRES_URL") else {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): {test}"
            );
            return None;
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!("fika_upgrade_{}_{test}_{nanos}", std::process::id());
        let pg = PgSchema { url, schema };
        pg.client()
            .batch_execute(&format!("CREATE SCHEMA \"{}\"", pg.schema))
            .unwrap();
        Some(pg)
    }

    fn client(&self) -> postgres::Client {
        let url = self.url.split('?').next().unwrap();
        postgres::Client::connect(url, postgres::NoTls).unwrap()
    }

    /// Runs `sql` in the schema, past the store.
    fn run(&self, sql: &str) {
        self.client()
            .batch_execute(&format!("SET search_path TO \"{}\"; {sql}", self.schema))
            .unwrap();
    }

    fn store_url(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}schema={}", self.url, self.schema)
    }

    /// Every table of the schema with its rows as text, in order: what "unchanged" means.
    fn snapshot(&self) -> Vec<(String, Vec<String>)> {
        let mut c = self.client();
        let tables: Vec<String> = c
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = $1 ORDER BY table_name",
                &[&self.schema],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        tables
            .into_iter()
            .map(|t| {
                let rows = c
                    .query(
                        &format!(
                            "SELECT CAST(r AS TEXT) FROM \"{}\".\"{t}\" r ORDER BY 1",
                            self.schema
                        ),
                        &[],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect();
                (t, rows)
            })
            .collect()
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = self.client().batch_execute(&format!(
            "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
            self.schema
        ));
    }
}

#[test]
fn sqlite_first_release_database_upgrades_and_exports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fika.db");
    let sql = std::fs::read_to_string(fixtures().join("sqlite_v1.sql")).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();

    let store = fika_store::open(path.to_str().unwrap()).unwrap();
    assert_exports_expected(&*store);
    drop(store);

    // Opened again, nothing is left to migrate and the records are the same.
    let store = fika_store::open(path.to_str().unwrap()).unwrap();
    assert_exports_expected(&*store);
    let c = rusqlite::Connection::open(&path).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let broken: i64 = c
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0, "references after the upgrade");
    drop(c);
    assert_takes_new_records(&*store);
}

#[test]
fn postgres_first_release_database_upgrades_and_exports_the_same() {
    let Some(pg) = PgSchema::new("first_release") else {
        return;
    };
    pg.run(&std::fs::read_to_string(fixtures().join("postgres_v1.sql")).unwrap());

    let store = fika_store::open(&pg.store_url()).unwrap();
    assert_exports_expected(&*store);
    drop(store);
    let store = fika_store::open(&pg.store_url()).unwrap();
    assert_exports_expected(&*store);
    assert_takes_new_records(&*store);
}

/// A version no fika has yet: far above any migration this one could know.
const FUTURE: i64 = 9_000;

fn assert_refused_as_newer(result: Result<Box<dyn Store>, StoreError>) {
    let err = match result {
        Ok(_) => panic!("a database of a newer fika was opened"),
        Err(e) => e,
    };
    assert!(
        matches!(err, StoreError::NewerSchema { found: FUTURE, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    for part in [
        "made by a newer fika",
        "schema version 9000",
        "knows up to",
        env!("CARGO_PKG_VERSION"),
        "not changed",
    ] {
        assert!(message.contains(part), "{part:?} in {message:?}");
    }
}

#[test]
fn sqlite_newer_database_is_refused_and_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fika.db");
    drop(fika_store::open(path.to_str().unwrap()).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        // A newer fika's migration: its version and a table this fika does not know.
        c.execute_batch(&format!(
            "INSERT INTO schema_version (version, applied_at) VALUES ({FUTURE}, '2031-01-01 00:00:00');
             CREATE TABLE from_the_future (x TEXT);
             PRAGMA wal_checkpoint(TRUNCATE);"
        ))
        .unwrap();
    }
    // A database in the rollback journal mode would be switched to WAL by fika's own
    // connection settings: the check must come before them.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
    let before = std::fs::read(&path).unwrap();

    assert_refused_as_newer(fika_store::open(path.to_str().unwrap()));
    assert_refused_as_newer(fika_store::open(&format!("sqlite:{}", path.display())));

    assert!(
        std::fs::read(&path).unwrap() == before,
        "the database file changed"
    );
    let wal = dir.path().join("fika.db-wal");
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "something was written to the write-ahead log"
    );
}

#[test]
fn postgres_newer_database_is_refused_and_not_modified() {
    let Some(pg) = PgSchema::new("newer") else {
        return;
    };
    drop(fika_store::open(&pg.store_url()).unwrap());
    pg.run(&format!(
        "INSERT INTO schema_version (version, applied_at) VALUES ({FUTURE}, now());
         CREATE TABLE from_the_future (x TEXT)"
    ));
    let before = pg.snapshot();
    assert!(before.iter().any(|(t, _)| t == "schema_version"));

    assert_refused_as_newer(fika_store::open(&pg.store_url()));

    assert_eq!(pg.snapshot(), before, "the database changed");
}

/// A database that has only an unknown version (a newer fika's first migration renumbered)
/// is refused too, even though every known migration is missing.
#[test]
fn sqlite_unknown_version_alone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fika.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_version VALUES ({FUTURE}, '2031-01-01 00:00:00');"
        ))
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert_refused_as_newer(fika_store::open(path.to_str().unwrap()));
    assert!(std::fs::read(&path).unwrap() == before);
    let c = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = c
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "no migration was applied");
}
