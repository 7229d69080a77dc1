//! docs/worked-example: the folder's records give exactly the figures its README works out
//! by hand, so the document cannot drift from the code.
//!
//! The CSV reader here is deliberately tiny (std only, no quoting): the example's cells hold
//! no commas or quotes. The real import, with RFC 4180 quoting, lives elsewhere.

use std::collections::HashMap;
use std::path::PathBuf;

use fika_core::fidelity::{ProgramRecords, fidelity};
use fika_core::outcomes::{Quarter, outcomes};
use fika_core::*;

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/worked-example")
}

/// The rows of a CSV file as maps from column name to cell; empty cells are absent.
fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(folder().join(file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{file}: {l}");
            header
                .iter()
                .zip(cells)
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn get<'r>(row: &'r HashMap<String, String>, col: &str) -> &'r str {
    row.get(col)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("{col} missing in {row:?}"))
}
fn opt<'r>(row: &'r HashMap<String, String>, col: &str) -> Option<&'r str> {
    row.get(col).map(String::as_str)
}
fn date(row: &HashMap<String, String>, col: &str) -> Date {
    parse_date(get(row, col)).unwrap()
}
fn opt_date(row: &HashMap<String, String>, col: &str) -> Option<Date> {
    opt(row, col).map(|s| parse_date(s).unwrap())
}

struct Example {
    program: ProgramId,
    coaches: Vec<Coach>,
    participants: Vec<Participant>,
    meetings: Vec<Meeting>,
    contacts: Vec<EmployerContact>,
    jobs: Vec<Job>,
}

fn load() -> Example {
    let program = ProgramId::parse(get(&rows("programs.csv")[0], "program_id")).unwrap();
    let coaches = rows("coaches.csv")
        .iter()
        .map(|r| Coach {
            id: CoachId::parse(get(r, "coach_id")).unwrap(),
            program: ProgramId::parse(get(r, "program_id")).unwrap(),
            name: get(r, "name").into(),
            fte: opt(r, "fte").map_or(Fte::default(), |s| Fte::parse(s).unwrap()),
            started_on: date(r, "started_on"),
            ended_on: opt_date(r, "ended_on"),
        })
        .collect();
    let participants = rows("participants.csv")
        .iter()
        .map(|r| Participant {
            id: ParticipantId::parse(get(r, "participant_id")).unwrap(),
            program: ProgramId::parse(get(r, "program_id")).unwrap(),
            coach: CoachId::parse(get(r, "coach_id")).unwrap(),
            name: get(r, "name").into(),
            referral_source: ReferralSource::parse(get(r, "referral_source")).unwrap(),
            referred_on: opt_date(r, "referred_on"),
            enrolled_on: date(r, "enrolled_on"),
            employed_at_entry: opt(r, "employed_at_entry").is_some_and(|s| parse_bool(s).unwrap()),
            exit: opt_date(r, "exited_on").map(|on| Exit {
                on,
                reason: ExitReason::parse(get(r, "exit_reason")).unwrap(),
            }),
        })
        .collect();
    let meetings = rows("meetings.csv")
        .iter()
        .map(|r| Meeting {
            id: MeetingId::parse(get(r, "meeting_id")).unwrap(),
            participant: ParticipantId::parse(get(r, "participant_id")).unwrap(),
            coach: CoachId::parse(get(r, "coach_id")).unwrap(),
            date: date(r, "date"),
            minutes: Minutes::parse(get(r, "minutes")).unwrap(),
            place: Place::parse(get(r, "place")).unwrap(),
            note: opt(r, "note").map(str::to_owned),
        })
        .collect();
    let contacts = rows("employer_contacts.csv")
        .iter()
        .map(|r| EmployerContact {
            id: ContactId::parse(get(r, "contact_id")).unwrap(),
            employer: EmployerId::parse(get(r, "employer_id")).unwrap(),
            date: date(r, "date"),
            by: match get(r, "made_by") {
                "coach" => ContactBy::Coach {
                    coach: CoachId::parse(get(r, "coach_id")).unwrap(),
                    participant: opt(r, "participant_id").map(|p| ParticipantId::parse(p).unwrap()),
                },
                _ => ContactBy::Participant {
                    participant: ParticipantId::parse(get(r, "participant_id")).unwrap(),
                },
            },
            face_to_face: parse_bool(get(r, "face_to_face")).unwrap(),
            purpose: opt(r, "purpose").map(|p| ContactPurpose::parse(p).unwrap()),
        })
        .collect();
    let jobs = rows("jobs.csv")
        .iter()
        .map(|r| Job {
            id: JobId::parse(get(r, "job_id")).unwrap(),
            participant: ParticipantId::parse(get(r, "participant_id")).unwrap(),
            employer: opt(r, "employer_id").map(|e| EmployerId::parse(e).unwrap()),
            kind: JobKind::parse(get(r, "kind")).unwrap(),
            title: get(r, "title").into(),
            occupation_code: opt(r, "occupation_code").map(|c| OccupationCode::parse(c).unwrap()),
            hours_per_week: opt(r, "hours_per_week").map(|h| HoursPerWeek::parse(h).unwrap()),
            hourly_wage: opt(r, "hourly_wage").map(|h| HourlyWage::parse(h).unwrap()),
            started_on: date(r, "started_on"),
            ended_on: opt_date(r, "ended_on"),
            end_reason: opt(r, "end_reason").map(|e| EndReason::parse(e).unwrap()),
        })
        .collect();
    Example {
        program,
        coaches,
        participants,
        meetings,
        contacts,
        jobs,
    }
}

/// The ```json blocks of the README, in order.
fn readme_json() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(folder().join("README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```json") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(serde_json::from_str(block).unwrap_or_else(|e| panic!("{e}: {block}")));
                current = None;
            }
            (Some(block), l) => {
                block.push_str(l);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn worked_example_gives_the_figures_of_its_readme() {
    let ex = load();
    let records = ProgramRecords {
        program: &ex.program,
        coaches: &ex.coaches,
        participants: &ex.participants,
        meetings: &ex.meetings,
        contacts: &ex.contacts,
        jobs: &ex.jobs,
    };
    for r in ex.coaches.iter() {
        assert!(r.violations().is_empty());
    }
    for j in ex.jobs.iter() {
        assert!(j.violations().is_empty(), "{j:?}");
    }
    let report = fidelity(&records, parse_date("2025-06-30").unwrap());
    let quarter = Quarter::parse("2025Q2").unwrap();
    let out = outcomes(&records, quarter);
    let blocks = readme_json();
    assert_eq!(
        blocks.len(),
        2,
        "the README has a fidelity and an outcomes JSON block"
    );
    assert_eq!(
        serde_json::to_value(report.summary()).unwrap(),
        blocks[0],
        "fidelity"
    );
    assert_eq!(serde_json::to_value(&out).unwrap(), blocks[1], "outcomes");
    // The evidence says what the README says, line by line, for V4.
    let fika_core::fidelity::Evidence::RapidJobSearch(lines) =
        &report.item(fika_core::scale::ItemId::V4).evidence
    else {
        panic!("V4 evidence")
    };
    let days: Vec<(&str, Option<i64>)> = lines
        .iter()
        .map(|l| (l.participant.as_str(), l.line.days()))
        .collect();
    assert_eq!(
        days,
        [
            ("X1", Some(18)),
            ("X2", Some(21)),
            ("X3", None),
            ("X5", Some(60)),
            ("X6", Some(77))
        ]
    );
    // The full report, evidence and all, is a plain value that round-trips through JSON.
    let back: fika_core::fidelity::FidelityReport =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(back, report);
    let rate = out.figures.employment_rate.unwrap();
    assert_eq!(
        fika_core::outcomes::reference::place(rate),
        fika_core::outcomes::reference::Level::Minimal
    );
}
