//! Backups of a SQLite database (`fika backup`): a copy taken while others write is one
//! consistent database; restored into an empty database it exports the same bytes; the
//! refusals say why and leave the files as they were.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use fika_core::{CoachId, Meeting, MeetingId, Minutes, ParticipantId, Place, parse_date};
use fika_store::backup::{BackupError, backup_sqlite, restore_sqlite};
use fika_store::caseload::NewMeeting;
use fika_store::{Actor, Reach, StoreError};

use super::fixture::{TestDb, base};

fn export_of(path: &Path) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let store = fika_store::open(path.to_str().unwrap()).unwrap();
    let mut w = fika_interchange::FolderWriter::create(dir.path()).unwrap();
    store.export(&mut |row| w.write(&row)).unwrap();
    w.finish().unwrap();
    super::fixture::read_dir(dir.path())
}

fn count(c: &rusqlite::Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn meeting(id: &str) -> NewMeeting {
    NewMeeting {
        meeting: Meeting {
            id: MeetingId::parse(id).unwrap(),
            participant: ParticipantId::parse("X1").unwrap(),
            coach: CoachId::parse("C1").unwrap(),
            date: parse_date("2024-06-03").unwrap(),
            minutes: Minutes::new(30).unwrap(),
            place: Place::Cafe,
            note: None,
        },
        steps: Vec::new(),
        done: Vec::new(),
        next_meeting: None,
    }
}

/// Rows the raw writer adds in each of its transactions.
const BATCH: i64 = 50;

/// While the store records meetings (each with its audit row, as the web app does) and
/// another connection adds employers 50 to a transaction, backups are taken: each one
/// passes SQLite's integrity and reference checks, and holds each write whole or not at
/// all — a meeting with its audit row, and employers in whole transactions.
#[test]
fn backup_taken_while_others_write_is_consistent() {
    let db = TestDb::sqlite();
    db.import(&base()).unwrap();
    let path = db.sqlite_path();
    let out = tempfile::tempdir().unwrap();
    let stop = AtomicBool::new(false);
    let store = &*db.store;
    let copies = std::thread::scope(|s| {
        let recorder = s.spawn(|| {
            let reach = Reach::Coach {
                coach: CoachId::parse("C1").unwrap(),
                on: parse_date("2024-06-03").unwrap(),
            };
            let actor = Actor {
                user: "U1".to_owned(),
                at: "2024-06-03T10:00:00Z".to_owned(),
            };
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                store
                    .record_meeting(&actor, &reach, &meeting(&format!("W-{n}")))
                    .unwrap();
                n += 1;
            }
            n
        });
        let adder = s.spawn(|| {
            let mut c = rusqlite::Connection::open(&path).unwrap();
            c.busy_timeout(std::time::Duration::from_secs(30)).unwrap();
            let mut batches = 0i64;
            while !stop.load(Ordering::Relaxed) {
                let tx = c.transaction().unwrap();
                for i in 0..BATCH {
                    let seq = 1_000 + batches * BATCH + i;
                    tx.execute(
                        "INSERT INTO employer (seq, employer_id, name) VALUES (?1, ?2, 'Backup AB')",
                        rusqlite::params![seq, format!("EB{seq}")],
                    )
                    .unwrap();
                }
                tx.commit().unwrap();
                batches += 1;
            }
            batches
        });
        // The writers stop also when a backup fails, so that the failure is reported.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let stopping = Stop(&stop);
        let mut copies = Vec::new();
        for i in 0..6 {
            std::thread::sleep(std::time::Duration::from_millis(40));
            let copy = out.path().join(format!("copy{i}.db"));
            backup_sqlite(&path, &copy).unwrap();
            copies.push(copy);
        }
        drop(stopping);
        let (meetings, batches) = (recorder.join().unwrap(), adder.join().unwrap());
        assert!(
            meetings > 0 && batches > 0,
            "{meetings} meetings, {batches} batches"
        );
        copies
    });
    let mut seen = std::collections::BTreeSet::new();
    for copy in &copies {
        let c = rusqlite::Connection::open(copy).unwrap();
        let check: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "{}", copy.display());
        assert_eq!(
            count(&c, "SELECT COUNT(*) FROM pragma_foreign_key_check"),
            0
        );
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "a backup is one self-contained file");
        let meetings = count(
            &c,
            "SELECT COUNT(*) FROM meeting WHERE meeting_id LIKE 'W-%'",
        );
        let audited = count(
            &c,
            "SELECT COUNT(*) FROM audit WHERE action = 'meeting.record'",
        );
        assert_eq!(meetings, audited, "each meeting with its audit row");
        let added = count(&c, "SELECT COUNT(*) FROM employer WHERE seq >= 1000");
        assert_eq!(added % BATCH, 0, "{added} employers: a transaction cut");
        seen.insert((meetings, added));
        drop(c);
        // It is a fika database that opens and exports.
        let export = export_of(copy);
        assert!(export["programs.csv"].contains("Göteborg IPS"));
    }
    assert!(seen.len() > 1, "the copies were taken while writes went on");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copies[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "a backup is readable by its owner only");
    }
}

#[test]
fn restored_backup_exports_the_same_bytes() {
    let db = TestDb::sqlite();
    db.import(&base()).unwrap();
    let before = db.export();
    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("backup.db");
    backup_sqlite(&db.sqlite_path(), &copy).unwrap();

    // Into a file that is not there yet.
    let new = out.path().join("new.db");
    restore_sqlite(&copy, &new).unwrap();
    assert_eq!(export_of(&new), before);

    // Into the empty database a first `fika serve` leaves (migrations applied, no records).
    let fresh = out.path().join("fresh.db");
    drop(fika_store::open(fresh.to_str().unwrap()).unwrap());
    restore_sqlite(&copy, &fresh).unwrap();
    assert_eq!(export_of(&fresh), before);
}

#[test]
fn restore_refuses_a_database_with_records_and_leaves_it() {
    let db = TestDb::sqlite();
    db.import(&base()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("backup.db");
    backup_sqlite(&db.sqlite_path(), &copy).unwrap();

    let other = TestDb::sqlite();
    other
        .raw("INSERT INTO employer (seq, employer_id, name) VALUES (77, 'E77', 'Kept AB')")
        .unwrap();
    let before = other.export();
    let err = restore_sqlite(&copy, &other.sqlite_path()).unwrap_err();
    assert!(matches!(err, BackupError::NotEmpty { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("is not empty"), "{message}");
    assert!(message.contains("employer has records"), "{message}");
    assert!(
        message.contains("restore only into a new database"),
        "{message}"
    );
    assert_eq!(other.export(), before);
}

#[test]
fn backup_never_replaces_a_file() {
    let db = TestDb::sqlite();
    let out = tempfile::tempdir().unwrap();
    let there = out.path().join("there.db");
    std::fs::write(&there, b"keep me").unwrap();
    let err = backup_sqlite(&db.sqlite_path(), &there).unwrap_err();
    assert!(matches!(err, BackupError::Exists(_)), "{err:?}");
    assert_eq!(std::fs::read(&there).unwrap(), b"keep me");

    let missing = out.path().join("missing.db");
    let err = backup_sqlite(&missing, &out.path().join("b.db")).unwrap_err();
    assert!(err.to_string().contains("there is no database at"), "{err}");
    assert!(!out.path().join("b.db").exists());
}

#[test]
fn restore_refuses_a_backup_of_a_newer_fika_before_writing() {
    let db = TestDb::sqlite();
    db.import(&base()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("backup.db");
    backup_sqlite(&db.sqlite_path(), &copy).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (9000, '2031-01-01')",
            [],
        )
        .unwrap();
    let target = out.path().join("new.db");
    let err = restore_sqlite(&copy, &target).unwrap_err();
    assert!(
        matches!(
            err,
            BackupError::Store(StoreError::NewerSchema { found: 9000, .. })
        ),
        "{err:?}"
    );
    assert!(!target.exists(), "nothing was written");

    let not_fika = out.path().join("other.db");
    rusqlite::Connection::open(&not_fika)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let err = restore_sqlite(&not_fika, &target).unwrap_err();
    assert!(err.to_string().contains("is not a fika database"), "{err}");
    assert!(!target.exists());

    let err = restore_sqlite(&out.path().join("nowhere.db"), &target).unwrap_err();
    assert!(err.to_string().contains("there is no backup at"), "{err}");
    assert!(!target.exists());
}
