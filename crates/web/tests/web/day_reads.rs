//! The day view reads only what its rules ask about (recent meetings, each participant's
//! last meeting, one face-to-face employer contact each): the day it shows must equal the
//! day computed from every meeting and contact of the caseload.

use std::collections::HashSet;

use fika_core::{CoachId, EmployerContact, Meeting, Row, parse_date};
use fika_demo::{DemoConfig, generate};
use fika_interchange::{FolderReader, FolderWriter, Sourced};
use fika_store::caseload::Caseload;
use fika_store::{Actor, Reach, Store};
use fika_web::day;

fn check(store: &dyn Store, meetings: &[Meeting], contacts: &[EmployerContact]) {
    let coaches: Vec<CoachId> = {
        let mut seen = HashSet::new();
        meetings
            .iter()
            .map(|m| m.coach.clone())
            .filter(|c| seen.insert(c.clone()))
            .collect()
    };
    assert!(coaches.len() >= 6, "the demo region has coaches");
    let (mut quiet, mut no_contact, mut follow) = (0, 0, 0);
    for on in [
        "2024-08-20",
        "2024-11-02",
        "2025-01-13",
        "2025-03-15",
        "2025-05-07",
        "2025-06-30",
        "2025-08-01",
    ] {
        let today = parse_date(on).unwrap();
        for coach in &coaches {
            let actor = Actor {
                user: "U-test".into(),
                at: format!("{on}T09:00:00Z"),
            };
            let reach = Reach::Coach {
                coach: coach.clone(),
                on: today,
            };
            let since = day::week_start(today) - chrono::Duration::days(7);
            let narrow = store.caseload(&actor, &reach, today, since).unwrap();
            let ids: HashSet<_> = narrow.participants.iter().map(|p| p.id.clone()).collect();
            let full = Caseload {
                meetings: meetings
                    .iter()
                    .filter(|m| ids.contains(&m.participant))
                    .cloned()
                    .collect(),
                last_met: Vec::new(),
                employer_contacts: contacts
                    .iter()
                    .filter(|e| e.by.participant().is_some_and(|p| ids.contains(p)))
                    .cloned()
                    .collect(),
                ..narrow.clone()
            };
            assert!(narrow.meetings.len() <= full.meetings.len());
            let got = day::compute(&narrow, coach, today);
            let want = day::compute(&full, coach, today);
            assert_eq!(got, want, "coach {coach} on {on}");
            quiet += got.quiet.len();
            no_contact += got.no_employer_contact.len();
            follow += got.follow_along.len();
        }
    }
    // The comparison means something only if every rule fired somewhere.
    assert!(
        quiet > 0 && no_contact > 0 && follow > 0,
        "{quiet} {no_contact} {follow}"
    );
}

#[test]
fn the_day_from_the_narrow_read_equals_the_day_from_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("demo");
    let mut writer = FolderWriter::create(&folder).unwrap();
    generate(
        &DemoConfig::region(parse_date("2025-06-30").unwrap()),
        |row| writer.write(&row),
    )
    .unwrap();
    writer.finish().unwrap();

    let (mut meetings, mut contacts) = (Vec::new(), Vec::new());
    for item in FolderReader::open(&folder).unwrap() {
        match item {
            Sourced::Row {
                row: Row::Meeting(m),
                ..
            } => meetings.push(m),
            Sourced::Row {
                row: Row::EmployerContact(e),
                ..
            } => contacts.push(e),
            Sourced::Row { .. } => {}
            Sourced::Problem(p) => panic!("{p}"),
        }
    }

    let sqlite = fika_store::open(dir.path().join("fika.db").to_str().unwrap()).unwrap();
    sqlite
        .import(&mut FolderReader::open(&folder).unwrap())
        .unwrap();
    check(&*sqlite, &meetings, &contacts);

    match std::env::var("FIKA_TEST_POSTGRES_URL") {
        Ok(url) => {
            let schema = format!("fika_test_day_{}", std::process::id());
            let sep = if url.contains('?') { '&' } else { '?' };
            let pg = fika_store::open(&format!("{url}{sep}schema={schema}")).unwrap();
            pg.import(&mut FolderReader::open(&folder).unwrap())
                .unwrap();
            check(&*pg, &meetings, &contacts);
            drop(pg);
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .unwrap();
        }
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): the day from the narrow read, on PostgreSQL"
            );
        }
    }
}
