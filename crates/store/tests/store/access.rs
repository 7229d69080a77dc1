//! The data subject's access extract: every row of the participant's in the export is in
//! the extract's JSON, nothing of anyone else's is, corrections show before and after, and
//! making it writes its audit row with the request's reference. Only a lead's reach (the
//! program) reaches it.

use fika_core::*;
use fika_interchange::fields::to_fields;
use fika_interchange::spec::columns;
use fika_store::access::{ACTION, AccessError, SCHEMA};
use fika_store::correct::Target;
use fika_store::{Actor, Reach};
use serde_json::{Map, Value, json};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    the_extract_holds_every_row_of_theirs_and_none_of_anyone_elses,
    corrections_show_what_changed_and_when,
    only_the_participants_program_reaches_the_extract,
);

fn lead() -> Actor {
    Actor {
        user: "lead-u".into(),
        at: "2024-06-03T10:00:00Z".into(),
    }
}

fn p1() -> Reach {
    Reach::Program(ProgramId::parse("P1").unwrap())
}

fn x1() -> ParticipantId {
    ParticipantId::parse("X1").unwrap()
}

/// A record as the extract writes it: an object of its interchange columns, as text.
fn as_json(row: &Row) -> Value {
    let mut m = Map::new();
    for (c, cell) in columns(row.file()).iter().zip(to_fields(row).iter()) {
        m.insert(
            c.name.to_owned(),
            cell.as_ref()
                .map_or(Value::Null, |v| Value::String(v.to_string())),
        );
    }
    Value::Object(m)
}

/// The extract's array that holds rows of `file`.
fn key(file: File) -> Option<&'static str> {
    Some(match file {
        File::Goals => "goals",
        File::Meetings => "meetings",
        File::NextSteps => "next_steps",
        File::EmployerContacts => "employer_contacts",
        File::Jobs => "jobs",
        File::BenefitsPlanning => "benefits_planning",
        File::CheckIns => "check_ins",
        _ => return None,
    })
}

fn the_extract_holds_every_row_of_theirs_and_none_of_anyone_elses(db: &TestDb) {
    db.import(&base()).unwrap();
    let extract = db
        .store
        .access_extract(&lead(), &p1(), &x1(), Some("  DSR-2024-17 "))
        .unwrap()
        .expect("X1 is in P1");
    let j = extract.to_json();
    assert_eq!(j["schema"], SCHEMA);
    assert_eq!(j["reference"], "DSR-2024-17");
    let mut theirs = 0;
    let mut others = 0;
    db.store
        .export(&mut |row| {
            let of_x1 = as_json(&row)["participant_id"].as_str().map(|p| p == "X1");
            match (&row, of_x1) {
                (Row::Participant(_), Some(true)) => {
                    assert_eq!(j["participant"], as_json(&row));
                    theirs += 1;
                }
                (_, Some(true)) => {
                    let k = key(row.file()).expect("a file of participant rows");
                    let list = j[k].as_array().unwrap();
                    assert!(
                        list.contains(&as_json(&row)),
                        "{k}: {row:?} not in {list:?}"
                    );
                    theirs += 1;
                }
                (_, Some(false)) | (_, None) if key(row.file()).is_some() => {
                    let list = j[key(row.file()).unwrap()].as_array().unwrap();
                    assert!(!list.contains(&as_json(&row)), "{row:?} is not theirs");
                    others += 1;
                }
                _ => {}
            }
            Ok(())
        })
        .unwrap();
    // base(): X1's participant row, G1, M1, S1, K1, K2, J1, two benefits, CI1, CI2.
    assert_eq!(theirs, 11);
    assert!(others >= 4, "M2, K3, J2, CI3 are checked too");
    // Exactly their rows: no array holds more than the export does of them.
    let total: usize = [
        "goals",
        "meetings",
        "next_steps",
        "employer_contacts",
        "jobs",
        "benefits_planning",
        "check_ins",
    ]
    .iter()
    .map(|k| j[*k].as_array().unwrap().len())
    .sum();
    assert_eq!(total, 10);
    // The check-in given "only counted" is theirs too: it is in the extract.
    assert!(
        j["check_ins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["sharing"] == "counted_only")
    );
    assert_eq!(j["program"]["program_id"], "P1");
    assert_eq!(
        j["coaches"],
        json!([{"coach_id": "C1", "name": "Åsa"}]),
        "names only, of the coaches in their records"
    );
    assert_eq!(
        j["employers"],
        json!([{"employer_id": "E1", "name": "Bageriet AB"}]),
        "the employer's name, not its org number"
    );
    // Nothing of anyone else: not X2, their name, program, coach, meeting or job.
    let text = j.to_string();
    for other in [
        "X2", "Ärla", "P2", "Malmö", "C2", "Örjan", "M2", "J2", "CI3", "K3",
    ] {
        assert!(!text.contains(other), "{other} in {text}");
    }
    assert!(!text.contains("556000-0000"), "no org number");
    // The audit row, with the reference; the extract's own log ends with it.
    let log = db.store.audit_log().unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, ACTION);
    assert_eq!(last.participant.as_deref(), Some("X1"));
    assert_eq!(last.detail, "DSR-2024-17");
    assert_eq!(last.who, "lead-u");
    let own = j["audit_log"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(own["action"], ACTION);
    assert_eq!(own["at"], "2024-06-03T10:00:00Z");
    assert_eq!(own["by"], json!({"name": "lead-u", "role": null}));
}

fn corrections_show_what_changed_and_when(db: &TestDb) {
    db.import(&base()).unwrap();
    let coach = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: parse_date("2024-06-03").unwrap(),
    };
    let at = |t: &str| Actor {
        user: "U1".into(),
        at: t.into(),
    };
    let m1 = MeetingId::parse("M1").unwrap();
    let meeting = db
        .store
        .participant(
            &at("2024-06-01T09:00:00Z"),
            &coach,
            &x1(),
            parse_date("2024-06-01").unwrap(),
        )
        .unwrap()
        .unwrap()
        .meetings
        .into_iter()
        .find(|m| m.id == m1)
        .unwrap();
    db.store
        .correct(
            &at("2024-06-01T09:05:00Z"),
            &coach,
            &x1(),
            &Target::Meeting(m1.clone()),
            &Row::Meeting(Meeting {
                place: Place::Office,
                ..meeting
            }),
            Some("wrong place"),
        )
        .unwrap();
    db.store
        .remove(
            &at("2024-06-01T09:10:00Z"),
            &coach,
            &x1(),
            &Target::Job(JobId::parse("J1").unwrap()),
            "entered for the wrong person",
        )
        .unwrap();
    let e = db
        .store
        .access_extract(&lead(), &p1(), &x1(), None)
        .unwrap()
        .unwrap();
    assert_eq!(e.corrections.len(), 2);
    let c = &e.corrections[0];
    assert_eq!(c.at, "2024-06-01T09:05:00Z");
    assert_eq!(c.action, "meeting.correct");
    assert_eq!(c.record(), "meeting");
    assert!(!c.removed());
    assert_eq!(
        c.changes(),
        vec![("place".into(), Some("cafe".into()), Some("office".into()))]
    );
    assert_eq!(c.reason.as_deref(), Some("wrong place"));
    let r = &e.corrections[1];
    assert_eq!(r.action, "job.remove");
    assert!(r.removed());
    assert_eq!(r.before["job_id"], "J1");
    assert_eq!(r.before["title"], "Bagare");
    assert_eq!(r.reason.as_deref(), Some("entered for the wrong person"));
    // The record as it is now: the meeting corrected, the job gone.
    assert_eq!(e.meetings[0].place, Place::Office);
    assert!(e.jobs.is_empty());
    let j = e.to_json();
    assert_eq!(j["corrections"][0]["before"]["place"], "cafe");
    assert_eq!(j["corrections"][0]["after"]["place"], "office");
    assert_eq!(j["corrections"][1]["after"], Value::Null);
    assert_eq!(j["corrections"][1]["record"], "job");
    // The log holds the reads and changes, oldest first, and no reference when none given.
    let actions: Vec<&str> = e.log.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["participant.read", "meeting.correct", "job.remove", ACTION]
    );
    assert_eq!(j["reference"], Value::Null);
}

fn only_the_participants_program_reaches_the_extract(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    let nobody = [
        (Reach::Program(ProgramId::parse("P2").unwrap()), x1()),
        (p1(), ParticipantId::parse("X2").unwrap()),
        (p1(), ParticipantId::parse("NOBODY").unwrap()),
        (
            Reach::Coach {
                coach: CoachId::parse("C1").unwrap(),
                on: parse_date("2024-06-03").unwrap(),
            },
            x1(),
        ),
        (Reach::Own(x1()), x1()),
    ];
    for (reach, who) in nobody {
        let got = db
            .store
            .access_extract(&lead(), &reach, &who, None)
            .unwrap();
        assert!(got.is_none(), "{reach:?} {who}");
    }
    for bad in ["x".repeat(201), "DSR\n17".into()] {
        assert!(matches!(
            db.store.access_extract(&lead(), &p1(), &x1(), Some(&bad)),
            Err(AccessError::BadReference)
        ));
    }
    // Nothing refused wrote an audit row.
    assert_eq!(db.store.audit_log().unwrap().len(), before);
    assert!(
        db.store
            .access_extract(&lead(), &p1(), &x1(), Some(&"x".repeat(200)))
            .unwrap()
            .is_some()
    );
    assert_eq!(db.store.audit_log().unwrap().len(), before + 1);
}
