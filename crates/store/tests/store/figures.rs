//! The narrow reads of the figures give what every record gives, on the demo region: a
//! fidelity report from `fidelity_data` equals, values and evidence, the report from all the
//! records of the database, at review dates across its history and at the edges; outcomes
//! from `outcomes_data` equal those from every participant and job, quarter by quarter.

use fika_core::fidelity::{ProgramRecords, fidelity};
use fika_core::outcomes::{Quarter, outcome_series, outcomes_by_program, outcomes_by_program_of};
use fika_core::*;
use fika_demo::{DemoConfig, generate};
use fika_interchange::FolderWriter;

use super::fixture::TestDb;
use crate::conformance;

conformance!(
    fidelity_from_the_narrow_read_equals_fidelity_from_every_record,
    outcomes_from_the_narrow_read_equal_outcomes_from_every_record,
);

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

const TODAY: &str = "2025-06-30";

/// The demo region, ending on [`TODAY`], imported into `db`; all its records.
fn demo(db: &TestDb) -> All {
    let dir = tempfile::tempdir().unwrap();
    let mut w = FolderWriter::create(dir.path()).unwrap();
    let today = parse_date(TODAY).unwrap();
    generate(&DemoConfig::region(today), |row| w.write(&row)).unwrap();
    w.finish().unwrap();
    db.import_dir(dir.path()).unwrap();
    everything(db)
}

fn fidelity_from_the_narrow_read_equals_fidelity_from_every_record(db: &TestDb) {
    let today = parse_date(TODAY).unwrap();
    let all = demo(db);
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

fn outcomes_from_the_narrow_read_equal_outcomes_from_every_record(db: &TestDb) {
    let all = demo(db);
    let q = |s: &str| Quarter::parse(s).unwrap();
    let first = Quarter::of(
        all.participants
            .iter()
            .map(|p| p.enrolled_on)
            .min()
            .unwrap(),
    );
    let now = Quarter::of(parse_date(TODAY).unwrap());
    // Before any record, the first quarter, across the history, the current one and after.
    let mut ranges = vec![
        (q("2019Q1"), q("2019Q4")),
        (first, first),
        (now, now.next()),
    ];
    let mut quarter = first;
    while quarter <= now {
        ranges.push((quarter, quarter));
        quarter = quarter.next();
    }
    ranges.push((first, now));
    let mut served = 0;
    for (from, to) in ranges {
        let quarters = from.through(to);
        let data = db.store.outcomes_data(None, from, to).unwrap();
        assert_eq!(
            data.programs, all.programs,
            "every program has participants"
        );
        for &quarter in &quarters {
            let expected = outcomes_by_program(&all.participants, &all.jobs, quarter);
            let got =
                outcomes_by_program_of(&data.programs, &data.participants, &data.jobs, quarter);
            assert_eq!(got, expected, "every program, {quarter}");
            served += expected.values().map(|o| o.figures.served).sum::<u32>();
        }
        for program in &all.programs {
            let one = db.store.outcomes_data(Some(program), from, to).unwrap();
            let records = ProgramRecords::people_and_jobs(program, &one.participants, &one.jobs);
            let every = ProgramRecords::people_and_jobs(program, &all.participants, &all.jobs);
            assert_eq!(
                outcome_series(&records, &quarters),
                outcome_series(&every, &quarters),
                "{program}, {from} to {to}"
            );
            assert!(one.participants.iter().all(|p| &p.program == program));
        }
        // Narrow: a quarter long ago or ahead reads nobody.
        if to < first {
            assert!(data.participants.is_empty() && data.jobs.is_empty());
        }
    }
    assert!(served > 100, "the quarters must reach records: {served}");
}
