//! The narrow reads of the figures give what every record gives: a fidelity report from
//! `fidelity_data` equals, values and evidence, the report from all the records of the
//! database, on the demo region at review dates across its history and at the edges; and
//! `fidelity_data_all`, every program's read at once, gives each program the same records.

use fika_core::fidelity::{ProgramRecords, fidelity};
use fika_core::*;
use fika_demo::{DemoConfig, generate};
use fika_interchange::FolderWriter;

use super::fixture::TestDb;
use crate::conformance;

conformance!(fidelity_from_the_narrow_read_equals_fidelity_from_every_record);

/// Every record of the database, by kind.
#[derive(Default)]
struct All {
    coaches: Vec<Coach>,
    participants: Vec<Participant>,
    meetings: Vec<Meeting>,
    contacts: Vec<EmployerContact>,
    jobs: Vec<Job>,
    programs: Vec<ProgramId>,
}

fn everything(db: &TestDb) -> All {
    let mut all = All::default();
    db.store
        .export(&mut |row| {
            match row.clone() {
                Row::Program(x) => all.programs.push(x.id),
                Row::Coach(x) => all.coaches.push(x),
                Row::Participant(x) => all.participants.push(x),
                Row::Meeting(x) => all.meetings.push(x),
                Row::EmployerContact(x) => all.contacts.push(x),
                Row::Job(x) => all.jobs.push(x),
                _ => {}
            }
            Ok(())
        })
        .unwrap();
    all
}

fn fidelity_from_the_narrow_read_equals_fidelity_from_every_record(db: &TestDb) {
    let today = parse_date("2025-06-30").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut w = FolderWriter::create(dir.path()).unwrap();
    generate(&DemoConfig::region(today), |row| w.write(&row)).unwrap();
    w.finish().unwrap();
    db.import_dir(dir.path()).unwrap();
    let all = everything(db);
    assert_eq!(all.programs.len(), 3);

    let first_day = all
        .participants
        .iter()
        .map(|p| p.enrolled_on)
        .min()
        .unwrap();
    let days = |mut d: Date, n: i64| {
        for _ in 0..n.abs() {
            d = if n < 0 { d.pred_opt() } else { d.succ_opt() }.unwrap();
        }
        d
    };
    // Before any record, the first day, within the first year, across the history, the
    // last day, and after it (every window then ends in the past or is empty).
    let mut dates = vec![
        days(first_day, -1),
        first_day,
        days(first_day, 27),
        days(first_day, 90),
        days(first_day, 365),
        days(first_day, 366),
        parse_date("2024-02-29").unwrap(),
        parse_date("2024-12-31").unwrap(),
        days(today, -28),
        days(today, -1),
        today,
        days(today, 28),
        days(today, 91),
        days(today, 366),
    ];
    dates.sort();
    dates.dedup();

    let mut counted = 0;
    for at in dates {
        // Every program's read at once gives each program what its own read gives.
        let every = db.store.fidelity_data_all(at).unwrap();
        assert_eq!(
            every
                .iter()
                .map(|d| d.program.id.clone())
                .collect::<Vec<_>>(),
            all.programs,
            "every program, in the order of programs.csv, at {at}"
        );
        for (program, data) in all.programs.iter().zip(&every) {
            assert_eq!(
                Some(data),
                db.store.fidelity_data(program, at).unwrap().as_ref(),
                "{program} at {at}: every program's read"
            );
        }
        for program in &all.programs {
            let full = fidelity(
                &ProgramRecords {
                    program,
                    coaches: &all.coaches,
                    participants: &all.participants,
                    meetings: &all.meetings,
                    contacts: &all.contacts,
                    jobs: &all.jobs,
                },
                at,
            );
            let data = db.store.fidelity_data(program, at).unwrap().unwrap();
            assert_eq!(fidelity(&data.records(), at), full, "{program} at {at}");
            counted += full.items.iter().filter_map(|i| i.n).sum::<u32>();
            // The read is narrow: a quarter of a year's meetings at most.
            assert!(data.meetings.len() * 4 <= all.meetings.len().max(4));
        }
    }
    assert!(counted > 1000, "the dates must reach records: {counted}");
    assert!(
        db.store
            .fidelity_data(&ProgramId::parse("P9").unwrap(), today)
            .unwrap()
            .is_none()
    );
}
