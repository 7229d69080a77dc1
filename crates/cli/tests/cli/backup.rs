//! `fika backup` and `fika restore` (docs/backup.md): the export before the backup and after
//! the restore are the same bytes, plain and encrypted with age; the refusals say what to
//! do; on PostgreSQL, pg_dump makes the backup and pg_restore brings it back.

use std::path::Path;

use age::secrecy::ExposeSecret;

use crate::{Database, fika, fika_fails, fika_ok};

/// Every file of an export folder, name → bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn export(db: &str, dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fika_ok(&["--db", db, "export", dir.to_str().unwrap()]);
    let got = files(dir);
    assert_eq!(got.len(), 11, "{:?}", got.keys());
    got
}

fn demo(db: &str) {
    fika_ok(&["--db", db, "demo", "--today", "2025-06-30", "--no-serve"]);
}

#[test]
fn sqlite_backup_and_restore_export_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::sqlite();
    demo(&db.url);
    let before = export(&db.url, &tmp.path().join("before"));

    let backup = tmp.path().join("fika-backup.db");
    let said = fika_ok(&["--db", &db.url, "backup", backup.to_str().unwrap()]);
    assert!(said.contains("SQLite database"), "{said}");
    assert!(
        std::fs::read(&backup)
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
    fika_fails(
        &["--db", &db.url, "backup", backup.to_str().unwrap()],
        "is there already",
    );

    let restored = tmp.path().join("restored.db");
    let restored_url = format!("sqlite:{}", restored.display());
    fika_ok(&["--db", &restored_url, "restore", backup.to_str().unwrap()]);
    assert_eq!(export(&restored_url, &tmp.path().join("after")), before);

    // Not again over records, and not with a key for a backup that has none.
    fika_fails(
        &["--db", &restored_url, "restore", backup.to_str().unwrap()],
        "is not empty",
    );
    let key = tmp.path().join("key.txt");
    std::fs::write(
        &key,
        age::x25519::Identity::generate()
            .to_string()
            .expose_secret(),
    )
    .unwrap();
    fika_fails(
        &[
            "--db",
            &format!("sqlite:{}", tmp.path().join("other.db").display()),
            "restore",
            backup.to_str().unwrap(),
            "--identity",
            key.to_str().unwrap(),
        ],
        "is not encrypted: leave out --identity",
    );
}

#[cfg(feature = "age")]
#[test]
fn sqlite_backup_encrypted_with_age_restores_with_the_key_only() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::sqlite();
    demo(&db.url);
    let before = export(&db.url, &tmp.path().join("before"));

    let identity = age::x25519::Identity::generate();
    let key = tmp.path().join("key.txt");
    std::fs::write(
        &key,
        format!(
            "# created: for the test\n# public key: {}\n{}\n",
            identity.to_public(),
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    let other_key = tmp.path().join("other-key.txt");
    std::fs::write(
        &other_key,
        age::x25519::Identity::generate()
            .to_string()
            .expose_secret(),
    )
    .unwrap();

    let backup = tmp.path().join("fika-backup.db.age");
    let public = identity.to_public().to_string();
    let said = fika_ok(&[
        "--db",
        &db.url,
        "backup",
        backup.to_str().unwrap(),
        "--recipient",
        &public,
    ]);
    assert!(said.contains("encrypted with age"), "{said}");
    let sealed = std::fs::read(&backup).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    assert!(
        !sealed.windows(15).any(|w| w == b"SQLite format 3"),
        "the backup is not readable without the key"
    );
    assert!(
        !sealed.windows(12).any(|w| w == "Göteborg".as_bytes()),
        "no record in the clear"
    );
    // No plain copy is left beside it.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".fika-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    let restored = format!("sqlite:{}", tmp.path().join("restored.db").display());
    let file = backup.to_str().unwrap();
    fika_fails(
        &["--db", &restored, "restore", file],
        "is encrypted with age: give the key that opens it with --identity FILE",
    );
    fika_fails(
        &[
            "--db",
            &restored,
            "restore",
            file,
            "--identity",
            other_key.to_str().unwrap(),
        ],
        "cannot decrypt",
    );
    assert!(
        !tmp.path().join("restored.db").exists() || {
            // A refused restore writes no records.
            let c = rusqlite::Connection::open(tmp.path().join("restored.db")).unwrap();
            c.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'participant'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
                == 0
        }
    );
    fika_ok(&[
        "--db",
        &restored,
        "restore",
        file,
        "--identity",
        key.to_str().unwrap(),
    ]);
    assert_eq!(export(&restored, &tmp.path().join("after")), before);

    // Recipients from a file, as age reads them; the second key opens it too.
    let recipients = tmp.path().join("recipients.txt");
    let second = age::x25519::Identity::generate();
    std::fs::write(
        &recipients,
        format!("# the operators\n{public}\n\n{}\n", second.to_public()),
    )
    .unwrap();
    std::fs::write(&other_key, second.to_string().expose_secret()).unwrap();
    let backup2 = tmp.path().join("second.db.age");
    fika_ok(&[
        "--db",
        &db.url,
        "backup",
        backup2.to_str().unwrap(),
        "--recipient-file",
        recipients.to_str().unwrap(),
    ]);
    let restored2 = format!("sqlite:{}", tmp.path().join("restored2.db").display());
    fika_ok(&[
        "--db",
        &restored2,
        "restore",
        backup2.to_str().unwrap(),
        "--identity",
        other_key.to_str().unwrap(),
    ]);
    assert_eq!(export(&restored2, &tmp.path().join("after2")), before);
}

#[cfg(feature = "age")]
#[test]
fn a_recipient_that_is_not_one_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::sqlite();
    let made = tempfile::tempdir().unwrap();
    export(&db.url, made.path());
    let backup = tmp.path().join("b.age");
    fika_fails(
        &[
            "--db",
            &db.url,
            "backup",
            backup.to_str().unwrap(),
            "--recipient",
            "age1notakey",
        ],
        "is not an age recipient",
    );
    assert!(!backup.exists());
    let empty = tmp.path().join("none.txt");
    std::fs::write(&empty, "# nobody yet\n").unwrap();
    fika_fails(
        &[
            "--db",
            &db.url,
            "backup",
            backup.to_str().unwrap(),
            "--recipient-file",
            empty.to_str().unwrap(),
        ],
        "holds no recipient",
    );
    assert!(!backup.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

/// pg_dump makes the backup; `fika restore` names the pg_restore command, and that command
/// brings it back into a new database, which exports the same bytes.
#[test]
fn postgres_backup_is_pg_dump_and_restore_is_pg_restore() {
    let Some(db) = Database::postgres("postgres_backup_is_pg_dump_and_restore_is_pg_restore")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    demo(&db.url);
    let before = export(&db.url, &tmp.path().join("before"));

    let backup = tmp.path().join("fika.dump");
    let said = fika_ok(&["--db", &db.url, "backup", backup.to_str().unwrap()]);
    assert!(said.contains("pg_dump archive"), "{said}");
    assert!(std::fs::read(&backup).unwrap().starts_with(b"PGDMP"));

    let o = fika(
        &["--db", &db.url, "restore", backup.to_str().unwrap()],
        None,
    );
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("pg_restore --exit-on-error"), "{stderr}");
    assert!(stderr.contains(backup.to_str().unwrap()), "{stderr}");

    // The command it names, into a new database.
    let base = std::env::var("FIKA_TEST_POSTGRES_URL").unwrap();
    let (server, _) = base.split('?').next().unwrap().rsplit_once('/').unwrap();
    let name = format!(
        "fika_restore_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let target = format!("{server}/{name}");
    let line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("pg_restore "))
        .unwrap();
    let args: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(|a| {
            if a.starts_with("--dbname=") {
                format!("--dbname={target}")
            } else {
                a.to_owned()
            }
        })
        .collect();
    let restored = std::process::Command::new("pg_restore")
        .args(&args)
        .output()
        .unwrap();
    let schema = db.url.split("schema=").nth(1).unwrap();
    let after = if restored.status.success() {
        Some(export(
            &format!("{target}?schema={schema}"),
            &tmp.path().join("after"),
        ))
    } else {
        None
    };
    admin
        .batch_execute(&format!("DROP DATABASE {name}"))
        .unwrap();
    assert!(
        restored.status.success(),
        "pg_restore {args:?}: {}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(after.unwrap(), before);
}

/// Without pg_dump on the PATH, the backup says what to install and the command to run,
/// with the URL's password hidden, and writes nothing. Needs no server: nothing connects.
#[test]
fn postgres_backup_without_pg_dump_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("fika.dump");
    let url = "postgres://fika:s3cret@127.0.0.1:1/fika?schema=region";
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_fika"))
        .args(["--db", url, "backup", file.to_str().unwrap()])
        .env_remove("FIKA_DATABASE_URL")
        .env("PATH", tmp.path())
        .output()
        .unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("pg_dump, which could not be run"),
        "{stderr}"
    );
    assert!(stderr.contains("postgresql-client"), "{stderr}");
    let command = format!(
        "pg_dump --format=custom --file={} --schema=region --dbname=postgres://fika:PASSWORD@127.0.0.1:1/fika",
        file.display()
    );
    assert!(stderr.contains(&command), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);

    // restore names pg_restore, and decrypting first when the backup is an age file.
    std::fs::write(&file, b"age-encryption.org/v1\n-> X25519 abc\n").unwrap();
    let o = fika(&["--db", url, "restore", file.to_str().unwrap()], None);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!(
            "age --decrypt --identity KEY_FILE --output fika.dump {}",
            file.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "pg_restore --exit-on-error --single-transaction --no-owner --dbname=postgres://fika:PASSWORD@127.0.0.1:1/fika fika.dump"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn sqlite_restore_refuses_a_database_a_server_is_serving() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::sqlite();
    demo(&db.url);
    let before = export(&db.url, &tmp.path().join("before"));
    let backup = tmp.path().join("fika-backup.db");
    fika_ok(&["--db", &db.url, "backup", backup.to_str().unwrap()]);

    // A server on a new database: its tables are made and hold no records, so only the
    // server tells it from one a restore may fill.
    let target = Database::sqlite();
    let server = crate::cli::serve::Server::start(&target, &[]);
    fika_fails(
        &["--db", &target.url, "restore", backup.to_str().unwrap()],
        "is being served by a running `fika serve`: stop the server",
    );
    server.signal("TERM");
    let (code, _) = server.wait(std::time::Duration::from_secs(30));
    assert_eq!(code, Some(0));

    // Stopped, the same database takes the restore, and its export is the original's.
    fika_ok(&["--db", &target.url, "restore", backup.to_str().unwrap()]);
    assert_eq!(export(&target.url, &tmp.path().join("after")), before);
}
