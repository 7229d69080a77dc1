//! Writes that arrive together (the web server's threads): each one is kept whole or not at
//! all, with its audit row, whatever the others do. On SQLite they share one commit.

use std::collections::BTreeSet;

use fika_core::{
    CoachId, Meeting, MeetingId, Minutes, ParticipantId, Place, ProgramId, parse_date,
};
use fika_store::caseload::NewMeeting;
use fika_store::{Actor, Reach, WriteError};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(concurrent_writes_are_each_kept_whole_or_not_at_all);

const THREADS: usize = 8;
const EACH: usize = 12;

fn meeting(id: &str, participant: &str, coach: &str) -> NewMeeting {
    NewMeeting {
        meeting: Meeting {
            id: MeetingId::parse(id).unwrap(),
            participant: ParticipantId::parse(participant).unwrap(),
            coach: CoachId::parse(coach).unwrap(),
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

fn concurrent_writes_are_each_kept_whole_or_not_at_all(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    let own = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: parse_date("2024-06-03").unwrap(),
    };
    let other_program = Reach::Program(ProgramId::parse("P2").unwrap());
    let store = &*db.store;
    // Every third write is refused: X1 is out of a P2 lead's reach. Every fourth reuses the
    // ID of a meeting already kept, which the database refuses.
    let outcomes: Vec<(String, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (own, other) = (&own, &other_program);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for i in 0..EACH {
                        let id = if i % 4 == 3 {
                            "M1".to_owned()
                        } else {
                            format!("T{t}-{i}")
                        };
                        let reach = if i % 3 == 2 { other } else { own };
                        let actor = Actor {
                            user: format!("U{t}"),
                            at: "2024-06-03T10:00:00Z".to_owned(),
                        };
                        let r = store.record_meeting(&actor, reach, &meeting(&id, "X1", "C1"));
                        match &r {
                            Ok(()) => {}
                            Err(WriteError::NotFound) => assert_eq!(i % 3, 2, "{id}"),
                            Err(e) => assert_eq!(i % 4, 3, "{id}: {e:?}"),
                        }
                        out.push((id, r.is_ok()));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    let kept: BTreeSet<String> = outcomes
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(id, _)| id.clone())
        .collect();
    let expected: BTreeSet<String> = (0..THREADS)
        .flat_map(|t| {
            (0..EACH)
                .filter(|i| i % 3 != 2 && i % 4 != 3)
                .map(move |i| format!("T{t}-{i}"))
        })
        .collect();
    assert_eq!(kept, expected);

    let meetings = &db.export()["meetings.csv"];
    let stored: BTreeSet<String> = meetings
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|id| id.starts_with('T'))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        stored, expected,
        "exactly the writes reported as kept are stored"
    );

    let audit = db.store.audit_log().unwrap();
    let audited: Vec<&str> = audit[before..]
        .iter()
        .filter(|a| a.action == "meeting.record")
        .map(|a| a.detail.trim_start_matches("meeting "))
        .collect();
    assert_eq!(
        audited.len(),
        expected.len(),
        "one audit row per kept write: {audited:?}"
    );
    assert_eq!(
        audited
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>(),
        expected,
        "no audit row for a refused write"
    );
    assert_eq!(audit.len() - before, expected.len());
}

/// SQLite: the shared commit leaves the write-ahead log to checkpoints run outside it; the
/// log must still be copied back into the database as writes go on, not grow for ever.
#[test]
fn sqlite_log_is_checkpointed_as_writes_go_on() {
    let db = TestDb::sqlite();
    db.import(&base()).unwrap();
    let own = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: parse_date("2024-06-03").unwrap(),
    };
    let actor = Actor {
        user: "U1".to_owned(),
        at: "2024-06-03T10:00:00Z".to_owned(),
    };
    let wal = db.sqlite_path().with_extension("db-wal");
    let mut largest = 0;
    for i in 0..1_500 {
        db.store
            .record_meeting(&actor, &own, &meeting(&format!("W{i}"), "X1", "C1"))
            .unwrap();
        largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
    }
    // Each write adds a few pages of 4 KiB; 1,500 of them never checkpointed would make a
    // log of more than 18 MB.
    assert!(largest < 12 << 20, "the log grew to {largest} bytes");
    assert!(db.export()["meetings.csv"].contains("W1499,"));
}
