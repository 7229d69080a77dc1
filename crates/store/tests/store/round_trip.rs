//! INTERCHANGE.md: exporting, importing into an empty database and exporting again gives
//! byte-identical files.

use fika_core::check_in::{Score, Sharing};
use fika_core::{File, ProgramId, parse_date};
use fika_store::participant_view::{NewCheckIn, TrendOf};
use fika_store::{Actor, ImportError};

use super::fixture::{Folder, TestDb, base};
use crate::conformance;

conformance!(
    round_trip_is_byte_identical,
    canonical_files_come_back_unchanged,
    header_only_and_absent_files,
    absent_optional_columns_get_their_defaults,
    second_import_is_refused_and_changes_nothing,
    program_data_holds_one_programs_records,
    check_ins_come_back_byte_identical_on_the_same_backend,
    a_folder_without_check_ins_imports_as_before,
    check_ins_of_an_older_database_are_kept_by_migration_0016,
);

fn round_trip_is_byte_identical(db: &TestDb) {
    db.import(&base()).unwrap();
    let first = db.export();
    assert_eq!(first.len(), 11);

    let again = TestDb::sqlite();
    again.import(&Folder(first.clone())).unwrap();
    assert_eq!(again.export(), first, "SQLite after a round trip");
    assert_eq!(db.export(), first, "exporting twice");
}

fn canonical_files_come_back_unchanged(db: &TestDb) {
    let folder = base();
    db.import(&folder).unwrap();
    let out = db.export();
    // Files already written the canonical way (all columns, defaults spelled out) come
    // back byte for byte, quoting, line breaks in notes, åäö and emoji included.
    for name in [
        "meetings.csv",
        "goals.csv",
        "next_steps.csv",
        "employers.csv",
        "check_ins.csv",
    ] {
        assert_eq!(out[name], folder.0[name], "{name}");
    }
    assert!(out["participants.csv"].contains("\"Björn \"\"Bosse\"\", ÄÖ\""));
    assert!(!out["programs.csv"].starts_with('\u{feff}'));
}

fn header_only_and_absent_files(db: &TestDb) {
    let folder = Folder::default()
        .with("programs.csv", "program_id,name\nP1,Ett program\n")
        .with("coaches.csv", "coach_id,program_id,name,started_on\n");
    let summary = db.import(&folder).unwrap();
    assert_eq!(summary.rows.get(File::Programs), 1);
    assert_eq!(summary.rows.total(), 1);
    let out = db.export();
    assert_eq!(
        out["programs.csv"],
        "program_id,name,organisation,started_on\nP1,Ett program,,\n"
    );
    assert_eq!(
        out["meetings.csv"],
        "meeting_id,participant_id,coach_id,date,minutes,place,note\n"
    );
    // check_ins.csv, fika's own file, is written even when there is none.
    assert_eq!(
        out["check_ins.csv"],
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n"
    );
}

fn absent_optional_columns_get_their_defaults(db: &TestDb) {
    let folder = Folder::default()
        .with("programs.csv", "name,program_id\nEtt,P1\n")
        .with(
            "coaches.csv",
            "started_on,coach_id,program_id,name\n2024-01-01,C1,P1,Åsa\n",
        )
        .with("benefits_planning.csv", "participant_id,date,status\n");
    db.import(&folder).unwrap();
    let out = db.export();
    assert_eq!(
        out["coaches.csv"],
        "coach_id,program_id,name,fte,started_on,ended_on\nC1,P1,Åsa,1,2024-01-01,\n"
    );
}

fn second_import_is_refused_and_changes_nothing(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.export();
    let Err(ImportError::Invalid { problems, total }) = db.import(&base()) else {
        panic!("a second import must be refused");
    };
    assert!(total >= 10, "every ID is a duplicate: {total}");
    let first = problems[0].to_string();
    assert!(
        first.starts_with(
            "programs.csv line 2, column program_id, value \"P1\": is already in the database"
        ),
        "{first}"
    );
    assert_eq!(db.export(), before);
}

fn program_data_holds_one_programs_records(db: &TestDb) {
    db.import(&base()).unwrap();
    let d = |s| parse_date(s).unwrap();
    let data = db
        .store
        .program_data(
            &ProgramId::parse("P1").unwrap(),
            d("2024-01-01"),
            d("2024-12-31"),
        )
        .unwrap()
        .unwrap();
    assert_eq!(data.program.name, "Göteborg IPS");
    assert_eq!(data.coaches.len(), 1);
    assert_eq!(data.participants.len(), 1);
    assert_eq!(data.meetings.len(), 1);
    assert_eq!(data.employer_contacts.len(), 3);
    assert_eq!(data.jobs.len(), 1);
    assert_eq!(data.benefits_planning.len(), 2);
    let none = db
        .store
        .program_data(
            &ProgramId::parse("P9").unwrap(),
            d("2024-01-01"),
            d("2024-12-31"),
        )
        .unwrap();
    assert!(none.is_none());
    let early = db
        .store
        .program_data(
            &ProgramId::parse("P1").unwrap(),
            d("2024-01-01"),
            d("2024-01-31"),
        )
        .unwrap()
        .unwrap();
    assert!(early.meetings.is_empty());
}

/// Check-ins given in the web app and imported ones: export, import into a fresh database of
/// the same backend, export again — the same bytes, and the same figures.
fn check_ins_come_back_byte_identical_on_the_same_backend(db: &TestDb) {
    db.import(&base()).unwrap();
    let actor = Actor {
        user: "U-x1".into(),
        at: "2024-05-02T10:00:00Z".into(),
    };
    for (id, on, words, sharing) in [
        (
            "CI-0a1b2c3d4e5f",
            "2024-05-02",
            Some("Som en människa,\n\"inte\" ett ärende 🙂"),
            Sharing::CoachAndMe,
        ),
        ("CI-0a1b2c3d4e60", "2024-05-03", None, Sharing::CountedOnly),
    ] {
        db.store
            .add_check_in(
                &actor,
                &NewCheckIn {
                    id: id.parse().unwrap(),
                    participant: "X1".parse().unwrap(),
                    on: parse_date(on).unwrap(),
                    scores: [3, 10, 0, 7].map(|s| Score::new(s).unwrap()),
                    words: words.map(str::to_owned),
                    sharing,
                },
            )
            .unwrap();
    }
    let first = db.export();
    let lines = first["check_ins.csv"].lines().count();
    // The header, CI1 (two lines), CI2, CI3, the first new one (two lines), the second.
    assert_eq!(lines, 1 + 2 + 1 + 1 + 2 + 1, "{}", first["check_ins.csv"]);
    assert!(first["check_ins.csv"].ends_with(
        "CI-0a1b2c3d4e5f,X1,C1,2024-05-02,1,3,10,0,7,coach_and_me,\"Som en människa,\n\"\"inte\"\" ett ärende 🙂\"\n\
         CI-0a1b2c3d4e60,X1,C1,2024-05-03,1,3,10,0,7,counted_only,\n"
    ));
    let again = db.fresh();
    let summary = again.import(&Folder(first.clone())).unwrap();
    assert_eq!(summary.rows.get(File::CheckIns), 5);
    assert_eq!(again.export(), first);
    let trend = |d: &TestDb| {
        d.store
            .check_in_trend(&TrendOf::Program(ProgramId::parse("P1").unwrap()))
            .unwrap()
    };
    assert_eq!(trend(db), trend(&again));
}

/// A folder made to the shared spec, without check_ins.csv (the worked example), imports
/// exactly as before, with no check-ins; its export has the file with its header only.
fn a_folder_without_check_ins_imports_as_before(db: &TestDb) {
    let worked = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example");
    assert!(!worked.join("check_ins.csv").exists());
    let summary = db.import_dir(&worked).unwrap();
    assert_eq!(summary.rows.get(File::CheckIns), 0);
    let out = db.export();
    for file in File::FILE_ORDER {
        let name = file.file_name();
        let source = std::fs::read_to_string(worked.join(name)).unwrap_or_default();
        let rows_in = source.lines().skip(1).count() as u64;
        assert_eq!(summary.rows.get(file), rows_in, "{name}");
    }
    assert_eq!(out["check_ins.csv"].lines().count(), 1);
}

/// A database made before migration 0016 keeps its check-ins: the table of 0011, with its
/// rows, becomes the table of `check_ins.csv`, and they export as the file's rows.
fn check_ins_of_an_older_database_are_kept_by_migration_0016(db: &TestDb) {
    db.import(&base().without("check_ins.csv")).unwrap();
    let migration = std::fs::read_to_string(format!(
        "{}/migrations/{}/0011_participant_view.sql",
        env!("CARGO_MANIFEST_DIR"),
        db.backend_name()
    ))
    .unwrap();
    let start = migration.find("CREATE TABLE check_in (").unwrap();
    let end = migration[start..]
        .find("CREATE INDEX check_in_by_coach")
        .unwrap();
    let end = start + end + migration[start + end..].find(';').unwrap() + 1;
    db.raw(&format!(
        "DROP TABLE check_in; {} \
         INSERT INTO check_in (check_in_id, participant_id, coach_id, on_date, version, \
           score1, score2, score3, score4, words, sharing) VALUES \
           ('CI-old1', 'X1', 'C1', '2024-02-03', 1, 9, 8, 7, 6, 'Som förr, \"tack\"', 'coach_and_me'), \
           ('CI-old2', 'X2', 'C2', '2024-05-06', 1, 0, 1, 2, 10, NULL, 'counted_only'); \
         DELETE FROM schema_version WHERE version = 16;",
        &migration[start..end]
    ))
    .unwrap();
    let store = db.reopen();
    let dir = tempfile::tempdir().unwrap();
    let mut w = fika_interchange::FolderWriter::create(dir.path()).unwrap();
    store.export(&mut |row| w.write(&row)).unwrap();
    w.finish().unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("check_ins.csv")).unwrap(),
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
         CI-old1,X1,C1,2024-02-03,1,9,8,7,6,coach_and_me,\"Som förr, \"\"tack\"\"\"\n\
         CI-old2,X2,C2,2024-05-06,1,0,1,2,10,counted_only,\n"
    );
    // A new check-in takes the next place after them.
    store
        .add_check_in(
            &Actor {
                user: "U-x1".into(),
                at: "2024-06-01T10:00:00Z".into(),
            },
            &NewCheckIn {
                id: "CI-new".parse().unwrap(),
                participant: "X1".parse().unwrap(),
                on: parse_date("2024-06-01").unwrap(),
                scores: [5, 5, 5, 5].map(|s| Score::new(s).unwrap()),
                words: None,
                sharing: Sharing::CoachAndMe,
            },
        )
        .unwrap();
    let again = db.export();
    assert!(
        again["check_ins.csv"].ends_with("CI-old2,X2,C2,2024-05-06,1,0,1,2,10,counted_only,\nCI-new,X1,C1,2024-06-01,1,5,5,5,5,coach_and_me,\n"),
        "{}",
        again["check_ins.csv"]
    );
}
