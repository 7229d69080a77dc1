//! Test databases on both backends, and folders written from text.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use fika_interchange::{FolderReader, FolderWriter};
use fika_store::{ImportError, ImportSummary, Store};

/// A fresh, empty database, removed when dropped.
pub struct TestDb {
    pub store: Box<dyn Store>,
    /// Holds the SQLite file (removed with it).
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// The SQLite file, for tests of SQLite itself.
    pub fn sqlite_path(&self) -> std::path::PathBuf {
        self.dir.path().join("fika.db")
    }

    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fika.db");
        let store = fika_store::open(path.to_str().unwrap()).unwrap();
        TestDb {
            store,
            dir,
            postgres: None,
        }
    }

    /// A database in a fresh PostgreSQL schema, or `None` (after saying so) when
    /// `FIKA_TEST_POSTGRES_URL` is not set.
    pub fn postgres(test: &str) -> Option<TestDb> {
        let Ok(url) = std::env::var("FIKA_TEST_POSTGRES_URL") else {
            // Written past the test harness's capture, so that CI sees it in the log.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): {test}"
            );
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let schema = format!(
            "fika_test_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            nanos
        );
        let sep = if url.contains('?') { '&' } else { '?' };
        let store = fika_store::open(&format!("{url}{sep}schema={schema}")).unwrap();
        Some(TestDb {
            store,
            dir: tempfile::tempdir().unwrap(),
            postgres: Some((url, schema)),
        })
    }

    /// The same database opened again, as a new fika process would (migrations not yet
    /// applied are applied).
    pub fn reopen(&self) -> Box<dyn Store> {
        match &self.postgres {
            Some((url, schema)) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                fika_store::open(&format!("{url}{sep}schema={schema}")).unwrap()
            }
            None => fika_store::open(self.sqlite_path().to_str().unwrap()).unwrap(),
        }
    }

    /// Which backend: `"sqlite"` or `"postgres"`, as the folders of the migrations are named.
    pub fn backend_name(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// Another fresh, empty database on the same backend.
    pub fn fresh(&self) -> TestDb {
        match &self.postgres {
            Some(_) => TestDb::postgres("fresh").expect("configured, as for self"),
            None => TestDb::sqlite(),
        }
    }

    pub fn import_dir(&self, dir: &Path) -> Result<ImportSummary, ImportError> {
        let mut reader = FolderReader::open(dir).unwrap();
        self.store.import(&mut reader)
    }

    /// Imports a folder given as (file name, text) pairs.
    pub fn import(&self, files: &Folder) -> Result<ImportSummary, ImportError> {
        let dir = files.write();
        self.import_dir(dir.path())
    }

    /// Exports and returns the files' text by name.
    /// Runs SQL straight on the database, past the store (as someone with access to the
    /// database itself could): the error's text when it fails.
    pub fn raw(&self, sql: &str) -> Result<(), String> {
        match &self.postgres {
            Some((url, schema)) => {
                let url = url.split('?').next().unwrap();
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}"))
                    .map_err(|e| {
                        format!(
                            "{e}: {}",
                            e.as_db_error().map(|d| d.message()).unwrap_or("")
                        )
                    })
            }
            None => {
                let c = rusqlite::Connection::open(self.sqlite_path()).unwrap();
                c.execute_batch(sql).map_err(|e| e.to_string())
            }
        }
    }

    pub fn export(&self) -> BTreeMap<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWriter::create(dir.path()).unwrap();
        self.store.export(&mut |row| w.write(&row)).unwrap();
        w.finish().unwrap();
        read_dir(dir.path())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.postgres {
            let url = url.split('?').next().unwrap();
            if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
            }
        }
    }
}

pub fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        files.insert(
            e.file_name().to_string_lossy().into_owned(),
            std::fs::read_to_string(e.path()).unwrap(),
        );
    }
    files
}

/// A folder as text, file name → content.
#[derive(Clone, Default)]
pub struct Folder(pub BTreeMap<String, String>);

impl Folder {
    pub fn with(mut self, name: &str, text: &str) -> Folder {
        self.0.insert(name.to_owned(), text.to_owned());
        self
    }
    pub fn without(mut self, name: &str) -> Folder {
        self.0.remove(name);
        self
    }
    pub fn write(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in &self.0 {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }
}

/// A small valid folder touching every file, with the edge cases of free text.
pub fn base() -> Folder {
    Folder::default()
        .with(
            "programs.csv",
            "\u{feff}program_id,name,organisation,started_on\n\
             P1,Göteborg IPS,Göteborgs stad,2024-01-01\n\
             P2,Malmö IPS,,\n",
        )
        .with(
            "coaches.csv",
            "coach_id,program_id,name,fte,started_on,ended_on\n\
             C1,P1,Åsa,0.5,2024-01-01,\n\
             C2,P2,Örjan,,2024-01-01,2025-12-31\n",
        )
        .with(
            "participants.csv",
            "participant_id,program_id,coach_id,name,referral_source,referred_on,enrolled_on,employed_at_entry,exited_on,exit_reason\n\
             X1,P1,C1,\"Björn \"\"Bosse\"\", ÄÖ\",self,2024-01-20,2024-02-01,false,,\n\
             X2,P2,C2,Ärla,family,,2024-03-01,true,2025-01-31,moved\n",
        )
        .with(
            "goals.csv",
            "goal_id,participant_id,set_on,text,occupation_code,hours_per_week\n\
             G1,X1,2024-02-01,\"Jobba på ett café, gärna nära hem 😊\",5120,20\n",
        )
        .with(
            "meetings.csv",
            "meeting_id,participant_id,coach_id,date,minutes,place,note\n\
             M1,X1,C1,2024-02-01,45,cafe,\"Första fika,\nbra samtal ☕\"\n\
             M2,X2,C2,2025-01-31,30,phone,\n",
        )
        .with(
            "next_steps.csv",
            "step_id,participant_id,meeting_id,owner,text,agreed_on,due_on,done_on\n\
             S1,X1,M1,both,Ringa bageriet,2024-02-01,2024-02-08,2024-02-07\n",
        )
        .with(
            "employers.csv",
            "employer_id,name,org_number,sector\n\
             E1,Bageriet AB,556000-0000,food\n",
        )
        .with(
            "employer_contacts.csv",
            "contact_id,employer_id,date,made_by,coach_id,participant_id,face_to_face,purpose\n\
             K1,E1,2024-02-05,coach,C1,X1,true,present_candidate\n\
             K2,E1,2024-02-06,participant,,X1,false,\n\
             K3,E1,2024-02-07,coach,C1,,true,learn_needs\n",
        )
        .with(
            "jobs.csv",
            "job_id,participant_id,employer_id,kind,title,occupation_code,hours_per_week,hourly_wage,started_on,ended_on,end_reason\n\
             J1,X1,E1,competitive,Bagare,7512,20,135.5,2024-03-01,,\n\
             J2,X2,,placement,Praktik,,,,2024-04-01,2024-06-30,contract_ended\n",
        )
        .with(
            "benefits_planning.csv",
            "participant_id,date,status,trained_planner\n\
             X1,2024-02-10,offered,\n\
             X1,2024-02-20,completed,true\n",
        )
        .with(
            "check_ins.csv",
            "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
             CI1,X1,C1,2024-02-01,1,8,7,9,8,coach_and_me,\"Bra fika, \"\"riktigt\"\" bra.\nTack ☕\"\n\
             CI2,X1,C1,2024-03-01,1,4,5,6,5,counted_only,\n\
             CI3,X2,C2,2025-01-31,1,10,0,10,10,coach_and_me,\n",
        )
}

/// Runs each named test on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(&$crate::store::fixture::TestDb::sqlite()) })*
        }
        mod postgres {
            $(#[test] fn $name() {
                if let Some(db) = $crate::store::fixture::TestDb::postgres(
                    concat!(module_path!(), "::", stringify!($name))
                ) {
                    super::$name(&db)
                }
            })*
        }
    };
}
