//! The built `fika` binary: import, export and the database URL from the environment.

use std::path::Path;
use std::process::{Command, Output};

mod cli {
    pub mod access;
    pub mod backup;
    pub mod demo;
    pub mod erasure;
    pub mod figures;
    pub mod participant;
    pub mod privacy;
    pub mod qual;
    pub mod questionnaire;
    pub mod review;
    pub mod serve;
    pub mod workbook;
}

/// A fresh database for one test: a SQLite file, or a PostgreSQL schema dropped afterwards.
pub struct Database {
    pub url: String,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl Database {
    pub fn sqlite() -> Database {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("fika.db").display());
        Database {
            url,
            _dir: dir,
            postgres: None,
        }
    }

    /// `None`, after saying so, when `FIKA_TEST_POSTGRES_URL` is not set.
    pub fn postgres(test: &str) -> Option<Database> {
        let Ok(base) = std::env::var("FIKA_TEST_POSTGRES_URL") else {
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
        let schema = format!("fika_cli_{}_{nanos}", std::process::id());
        let sep = if base.contains('?') { '&' } else { '?' };
        Some(Database {
            url: format!("{base}{sep}schema={schema}"),
            _dir: tempfile::tempdir().unwrap(),
            postgres: Some((base, schema)),
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.postgres
            && let Ok(mut client) = postgres::Client::connect(base, postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Runs fika, expects it to fail with `says` in its error output.
pub fn fika_fails(args: &[&str], says: &str) {
    let o = fika(args, None);
    assert!(!o.status.success(), "{args:?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(says), "{args:?}: {stderr}");
}

/// Runs fika, expects success, returns stdout.
pub fn fika_ok(args: &[&str]) -> String {
    let o = fika(args, None);
    assert!(
        o.status.success(),
        "fika {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

pub fn fika(args: &[&str], env_db: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fika"));
    cmd.args(args).env_remove("FIKA_DATABASE_URL");
    if let Some(db) = env_db {
        cmd.env("FIKA_DATABASE_URL", db);
    }
    cmd.output().unwrap()
}

fn write_folder(dir: &Path, meetings_place: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let files = [
        ("programs.csv", "program_id,name\nP1,Göteborg IPS\n".to_owned()),
        ("coaches.csv", "coach_id,program_id,name,started_on\nC1,P1,Åsa,2024-01-01\n".to_owned()),
        (
            "participants.csv",
            "participant_id,program_id,coach_id,name,referral_source,enrolled_on\nX1,P1,C1,Björn,self,2024-02-01\n".to_owned(),
        ),
        (
            "meetings.csv",
            format!("meeting_id,participant_id,coach_id,date,minutes,place,note\nM1,X1,C1,2024-02-01,45,{meetings_place},\"fika, ☕\"\n"),
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn import_then_export_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, out1, out2) = (
        tmp.path().join("src"),
        tmp.path().join("out1"),
        tmp.path().join("out2"),
    );
    write_folder(&src, "cafe");
    let db1 = format!("sqlite:{}", tmp.path().join("one.db").display());
    let db2 = tmp.path().join("two.db").display().to_string();

    let o = fika(&["--db", &db1, "import", src.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(summary.contains("1  meetings.csv"), "{summary}");

    assert!(
        fika(&["--db", &db1, "export", out1.to_str().unwrap()], None)
            .status
            .success()
    );
    assert!(
        fika(&["--db", &db2, "import", out1.to_str().unwrap()], None)
            .status
            .success()
    );
    assert!(
        fika(&["--db", &db2, "export", out2.to_str().unwrap()], None)
            .status
            .success()
    );
    for name in [
        "programs.csv",
        "coaches.csv",
        "participants.csv",
        "meetings.csv",
        "jobs.csv",
    ] {
        let a = std::fs::read(out1.join(name)).unwrap();
        let b = std::fs::read(out2.join(name)).unwrap();
        assert_eq!(a, b, "{name}");
    }
    let meetings = std::fs::read_to_string(out1.join("meetings.csv")).unwrap();
    assert!(meetings.ends_with("M1,X1,C1,2024-02-01,45,cafe,\"fika, ☕\"\n"));
}

#[test]
fn database_url_from_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    write_folder(&src, "cafe");
    let db = tmp.path().join("env.db").display().to_string();
    let o = fika(&["import", src.to_str().unwrap()], Some(&db));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(Path::new(&db).exists());
    // The same folder again: refused, exit status 1.
    let o = fika(&["import", src.to_str().unwrap()], Some(&db));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is already in the database"));
}

#[test]
fn invalid_folder_prints_every_problem_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    write_folder(&src, "Cafe");
    let db = tmp.path().join("bad.db").display().to_string();
    let o = fika(&["--db", &db, "import", src.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let first = stderr.lines().next().unwrap();
    assert!(
        first.starts_with(
            "meetings.csv line 2, column place, value \"Cafe\": must be one of office, cafe"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"));
}
