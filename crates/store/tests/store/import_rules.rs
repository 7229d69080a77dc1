//! Every validation rule of INTERCHANGE.md: one case each. Each case changes one thing in
//! the valid base folder and expects a problem naming file, line, column and reason, and
//! the database unchanged afterwards.

use fika_store::{ImportError, MAX_PROBLEMS};

use super::fixture::{Folder, TestDb, base};
use crate::conformance;

conformance!(
    every_rule_is_reported_where_it_is_broken,
    more_than_a_thousand_problems,
    duplicate_id_against_the_database,
    check_in_problems_name_file_line_column_and_value,
    a_check_in_already_in_the_database_is_refused,
);

/// An edit of the base folder: in `file`, replace `from` by `to` (`to` = None: remove the file).
pub struct Case {
    pub name: &'static str,
    pub file: &'static str,
    pub from: &'static str,
    pub to: Option<&'static str>,
    /// The expected problem: file, line, column, a part of the reason.
    pub expect: (&'static str, u64, Option<&'static str>, &'static str),
}

const fn case(
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    expect: (&'static str, u64, Option<&'static str>, &'static str),
) -> Case {
    Case {
        name,
        file,
        from,
        to: Some(to),
        expect,
    }
}

const P: &str = "programs.csv";
const C: &str = "coaches.csv";
const X: &str = "participants.csv";
const G: &str = "goals.csv";
const M: &str = "meetings.csv";
const S: &str = "next_steps.csv";
const E: &str = "employers.csv";
const K: &str = "employer_contacts.csv";
const J: &str = "jobs.csv";
const B: &str = "benefits_planning.csv";
const CI: &str = "check_ins.csv";

pub const CASES: &[Case] = &[
    // The shape of a file.
    case(
        "unknown column",
        E,
        "org_number,sector",
        "org_number,sector,diagnosis",
        (E, 1, Some("diagnosis"), "is not a column of employers.csv"),
    ),
    case(
        "missing required column",
        C,
        "coach_id,program_id,name,",
        "coach_id,program_id,",
        (C, 1, Some("name"), "required column is missing"),
    ),
    case(
        "duplicate header",
        E,
        "org_number,sector",
        "org_number,name",
        (E, 1, Some("name"), "appears twice"),
    ),
    case(
        "wrong number of cells",
        E,
        "E1,Bageriet AB,556000-0000,food",
        "E1,Bageriet AB,556000-0000",
        (E, 2, None, "has 3 cells but the header has 4"),
    ),
    Case {
        name: "missing programs.csv",
        file: P,
        from: "",
        to: None,
        expect: (P, 0, None, "the file is missing"),
    },
    case(
        "unknown file",
        "diagnoses.csv",
        "",
        "id\n",
        (P, 0, None, "is not a file of the interchange format"),
    ),
    // Cells.
    case(
        "required cell empty",
        E,
        "E1,Bageriet AB",
        "E1,",
        (E, 2, Some("name"), "is required"),
    ),
    case(
        "bad ID (padded)",
        E,
        "E1,Bageriet",
        " E9,Bageriet",
        (
            E,
            2,
            Some("employer_id"),
            "cannot start or end with a space",
        ),
    ),
    case(
        "bad ID (too long)",
        E,
        "E1,Bageriet",
        "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE,Bageriet",
        (E, 2, Some("employer_id"), "at most 64"),
    ),
    case(
        "bad date",
        C,
        "C1,P1,Åsa,0.5,2024-01-01",
        "C1,P1,Åsa,0.5,2024-13-01",
        (C, 2, Some("started_on"), "YYYY-MM-DD"),
    ),
    case(
        "bad boolean",
        K,
        "X1,true,present",
        "X1,yes,present",
        (K, 2, Some("face_to_face"), "true or false"),
    ),
    case(
        "bad referral_source",
        X,
        "self,2024",
        "doctor,2024",
        (X, 2, Some("referral_source"), "must be one of self"),
    ),
    case(
        "bad exit_reason",
        X,
        "2025-01-31,moved",
        "2025-01-31,missed_appointments",
        (
            X,
            3,
            Some("exit_reason"),
            "must be one of participant_choice",
        ),
    ),
    case(
        "bad place",
        M,
        "45,cafe",
        "45,Cafe",
        (M, 2, Some("place"), "must be one of office, cafe"),
    ),
    case(
        "bad owner",
        S,
        "M1,both",
        "M1,everyone",
        (S, 2, Some("owner"), "must be one of coach"),
    ),
    case(
        "bad made_by",
        K,
        "2024-02-05,coach",
        "2024-02-05,team",
        (K, 2, Some("made_by"), "must be one of coach, participant"),
    ),
    case(
        "bad purpose",
        K,
        "present_candidate",
        "lunch",
        (K, 2, Some("purpose"), "must be one of learn_needs"),
    ),
    case(
        "bad kind",
        J,
        "E1,competitive",
        "E1,permanent",
        (J, 2, Some("kind"), "must be one of competitive"),
    ),
    case(
        "bad end_reason",
        J,
        "contract_ended",
        "ended",
        (J, 3, Some("end_reason"), "must be one of quit"),
    ),
    case(
        "bad status",
        B,
        "offered",
        "planned",
        (B, 2, Some("status"), "must be one of offered"),
    ),
    case(
        "fte 0",
        C,
        "Åsa,0.5,",
        "Åsa,0,",
        (C, 2, Some("fte"), "more than 0 and at most 1"),
    ),
    case(
        "fte 1.5",
        C,
        "Åsa,0.5,",
        "Åsa,1.5,",
        (C, 2, Some("fte"), "more than 0 and at most 1"),
    ),
    case(
        "minutes 0",
        M,
        "2024-02-01,45,",
        "2024-02-01,0,",
        (M, 2, Some("minutes"), "1 to 1440"),
    ),
    case(
        "minutes 1441",
        M,
        "2024-02-01,45,",
        "2024-02-01,1441,",
        (M, 2, Some("minutes"), "1 to 1440"),
    ),
    case(
        "hours_per_week 0",
        G,
        "5120,20",
        "5120,0",
        (G, 2, Some("hours_per_week"), "more than 0"),
    ),
    case(
        "occupation code of 3 digits",
        G,
        "5120,20",
        "512,20",
        (G, 2, Some("occupation_code"), "4-digit"),
    ),
    case(
        "negative hourly_wage",
        J,
        "135.5",
        "-1",
        (J, 2, Some("hourly_wage"), "0 or more"),
    ),
    // Rules within a record.
    case(
        "coach ended_on before started_on",
        C,
        "2024-01-01,2025-12-31",
        "2024-01-01,2023-12-31",
        (C, 3, Some("ended_on"), "on or after started_on"),
    ),
    case(
        "referred_on after enrolled_on",
        X,
        "2024-01-20,2024-02-01",
        "2024-02-20,2024-02-01",
        (X, 2, Some("referred_on"), "on or before enrolled_on"),
    ),
    case(
        "exited_on before enrolled_on",
        X,
        "2024-03-01,true,2025-01-31",
        "2024-03-01,true,2024-01-31",
        (X, 3, Some("exited_on"), "on or after enrolled_on"),
    ),
    case(
        "exited_on without exit_reason",
        X,
        "2025-01-31,moved",
        "2025-01-31,",
        (
            X,
            3,
            Some("exit_reason"),
            "is required when exited_on is given",
        ),
    ),
    case(
        "exit_reason without exited_on",
        X,
        "false,,",
        "false,,moved",
        (X, 2, Some("exit_reason"), "exited_on is empty"),
    ),
    case(
        "due_on before agreed_on",
        S,
        "2024-02-01,2024-02-08",
        "2024-02-01,2024-01-08",
        (S, 2, Some("due_on"), "on or after agreed_on"),
    ),
    case(
        "done_on before agreed_on",
        S,
        "2024-02-08,2024-02-07",
        "2024-02-08,2024-01-07",
        (S, 2, Some("done_on"), "on or after agreed_on"),
    ),
    case(
        "made_by coach without coach_id",
        K,
        "coach,C1,X1",
        "coach,,X1",
        (K, 2, Some("coach_id"), "required when made_by is coach"),
    ),
    case(
        "made_by participant without participant_id",
        K,
        "participant,,X1",
        "participant,,",
        (
            K,
            3,
            Some("participant_id"),
            "required when made_by is participant",
        ),
    ),
    case(
        "made_by participant with coach_id",
        K,
        "participant,,X1",
        "participant,C1,X1",
        (
            K,
            3,
            Some("coach_id"),
            "must be empty when made_by is participant",
        ),
    ),
    case(
        "paid job without employer",
        J,
        "J1,X1,E1,",
        "J1,X1,,",
        (J, 2, Some("employer_id"), "required for a competitive job"),
    ),
    case(
        "job ended_on before started_on",
        J,
        "2024-04-01,2024-06-30",
        "2024-04-01,2024-03-30",
        (J, 3, Some("ended_on"), "on or after started_on"),
    ),
    case(
        "end_reason without ended_on",
        J,
        "2024-04-01,2024-06-30,",
        "2024-04-01,,",
        (J, 3, Some("end_reason"), "ended_on is empty"),
    ),
    // Uniqueness within a file.
    case(
        "duplicate program_id",
        P,
        "P2,Malmö",
        "P1,Malmö",
        (P, 3, Some("program_id"), "already used at line 2"),
    ),
    case(
        "duplicate meeting_id",
        M,
        "M2,X2",
        "M1,X2",
        (M, 4, Some("meeting_id"), "already used at line 2"),
    ),
    case(
        "duplicate contact_id",
        K,
        "K3,E1",
        "K1,E1",
        (K, 4, Some("contact_id"), "already used at line 2"),
    ),
    // References, of every kind.
    case(
        "coach of an unknown program",
        C,
        "C2,P2",
        "C2,P9",
        (C, 3, Some("program_id"), "no program with this ID"),
    ),
    case(
        "participant of an unknown program",
        X,
        "X2,P2,C2",
        "X2,P9,C2",
        (X, 3, Some("program_id"), "no program with this ID"),
    ),
    case(
        "participant with an unknown coach",
        X,
        "X2,P2,C2",
        "X2,P2,C9",
        (X, 3, Some("coach_id"), "no coach with this ID"),
    ),
    case(
        "goal of an unknown participant",
        G,
        "G1,X1",
        "G1,X9",
        (G, 2, Some("participant_id"), "no participant with this ID"),
    ),
    case(
        "meeting with an unknown participant",
        M,
        "M2,X2",
        "M2,X9",
        (M, 4, Some("participant_id"), "no participant with this ID"),
    ),
    case(
        "meeting with an unknown coach",
        M,
        "M2,X2,C2",
        "M2,X2,C9",
        (M, 4, Some("coach_id"), "no coach with this ID"),
    ),
    case(
        "next step of an unknown participant",
        S,
        "S1,X1",
        "S1,X9",
        (S, 2, Some("participant_id"), "no participant"),
    ),
    case(
        "next step of an unknown meeting",
        S,
        "X1,M1",
        "X1,M9",
        (S, 2, Some("meeting_id"), "no meeting with this ID"),
    ),
    case(
        "contact with an unknown employer",
        K,
        "K3,E1",
        "K3,E9",
        (K, 4, Some("employer_id"), "no employer with this ID"),
    ),
    case(
        "contact by an unknown coach",
        K,
        "K3,E1,2024-02-07,coach,C1",
        "K3,E1,2024-02-07,coach,C9",
        (K, 4, Some("coach_id"), "no coach"),
    ),
    case(
        "contact for an unknown participant",
        K,
        "participant,,X1",
        "participant,,X9",
        (K, 3, Some("participant_id"), "no participant"),
    ),
    case(
        "job of an unknown participant",
        J,
        "J2,X2",
        "J2,X9",
        (J, 3, Some("participant_id"), "no participant"),
    ),
    case(
        "job at an unknown employer",
        J,
        "J1,X1,E1",
        "J1,X1,E9",
        (J, 2, Some("employer_id"), "no employer with this ID"),
    ),
    case(
        "benefits planning of an unknown participant",
        B,
        "X1,2024-02-20",
        "X9,2024-02-20",
        (B, 3, Some("participant_id"), "no participant"),
    ),
    // Rules between records.
    case(
        "coach of another program",
        X,
        "X2,P2,C2",
        "X2,P2,C1",
        (X, 3, Some("coach_id"), "is a coach of program \"P1\""),
    ),
    case(
        "meeting before the enrolment",
        M,
        "X1,C1,2024-02-01",
        "X1,C1,2024-01-31",
        (
            M,
            2,
            Some("date"),
            "outside the participant's enrolment (2024-02-01 to today)",
        ),
    ),
    case(
        "meeting after the exit",
        M,
        "X2,C2,2025-01-31",
        "X2,C2,2025-02-01",
        (
            M,
            4,
            Some("date"),
            "outside the participant's enrolment (2024-03-01 to 2025-01-31)",
        ),
    ),
    case(
        "job before the enrolment",
        J,
        "135.5,2024-03-01",
        "135.5,2024-01-31",
        (
            J,
            2,
            Some("started_on"),
            "before the participant's enrolled_on (2024-02-01)",
        ),
    ),
    // check_ins.csv, fika's addition (docs/interchange.md). In the base folder CI1 spans
    // lines 2–3 (its words hold a line break), CI2 is line 4, CI3 line 5.
    case(
        "check-in: column missing",
        CI,
        "overall,sharing,words",
        "overall,words",
        (CI, 1, Some("sharing"), "required column is missing"),
    ),
    case(
        "check-in: score above 10",
        CI,
        "CI2,X1,C1,2024-03-01,1,4,",
        "CI2,X1,C1,2024-03-01,1,11,",
        (CI, 4, Some("person"), "whole number from 0 to 10"),
    ),
    case(
        "check-in: score below 0",
        CI,
        "2024-03-01,1,4,5,",
        "2024-03-01,1,4,-1,",
        (CI, 4, Some("heard"), "whole number from 0 to 10"),
    ),
    case(
        "check-in: score not whole",
        CI,
        "2024-03-01,1,4,5,6,",
        "2024-03-01,1,4,5,6.5,",
        (CI, 4, Some("goal"), "whole number from 0 to 10"),
    ),
    case(
        "check-in: score empty",
        CI,
        "2024-03-01,1,4,5,6,5,",
        "2024-03-01,1,4,5,6,,",
        (CI, 4, Some("overall"), "is required"),
    ),
    case(
        "check-in: unknown items_version",
        CI,
        "CI3,X2,C2,2025-01-31,1,",
        "CI3,X2,C2,2025-01-31,2,",
        (
            CI,
            5,
            Some("items_version"),
            "not a version of the check-in items",
        ),
    ),
    case(
        "check-in: unknown sharing",
        CI,
        "5,counted_only,",
        "5,only_counted,",
        (
            CI,
            4,
            Some("sharing"),
            "must be coach_and_me or counted_only",
        ),
    ),
    case(
        "check-in: sharing as a boolean",
        CI,
        "10,coach_and_me,",
        "10,true,",
        (
            CI,
            5,
            Some("sharing"),
            "must be coach_and_me or counted_only",
        ),
    ),
    case(
        "check-in: words with a control character",
        CI,
        "counted_only,\n",
        "counted_only,a\u{7}b\n",
        (CI, 4, Some("words"), "control character U+0007"),
    ),
    case(
        "check-in: bad date",
        CI,
        "CI2,X1,C1,2024-03-01",
        "CI2,X1,C1,2024-02-30",
        (CI, 4, Some("date"), "YYYY-MM-DD"),
    ),
    case(
        "check-in: unknown participant",
        CI,
        "CI3,X2,",
        "CI3,X9,",
        (CI, 5, Some("participant_id"), "no participant with this ID"),
    ),
    case(
        "check-in: unknown coach",
        CI,
        "CI3,X2,C2,",
        "CI3,X2,C9,",
        (CI, 5, Some("coach_id"), "no coach with this ID"),
    ),
    case(
        "check-in: coach of another program",
        CI,
        "CI3,X2,C2,",
        "CI3,X2,C1,",
        (CI, 5, Some("coach_id"), "is a coach of program \"P1\""),
    ),
    case(
        "check-in: before the enrolment",
        CI,
        "CI1,X1,C1,2024-02-01",
        "CI1,X1,C1,2024-01-31",
        (
            CI,
            2,
            Some("date"),
            "outside the participant's enrolment (2024-02-01 to today)",
        ),
    ),
    case(
        "check-in: after the exit",
        CI,
        "CI3,X2,C2,2025-01-31",
        "CI3,X2,C2,2025-02-01",
        (
            CI,
            5,
            Some("date"),
            "outside the participant's enrolment (2024-03-01 to 2025-01-31)",
        ),
    ),
    case(
        "check-in: ID used twice",
        CI,
        "CI2,",
        "CI1,",
        (CI, 4, Some("check_in_id"), "is already used at line 2"),
    ),
];

fn every_rule_is_reported_where_it_is_broken(db: &TestDb) {
    // Something already in the database, so that "unchanged" means something.
    db.import(&Folder::default().with("programs.csv", "program_id,name\nP0,Redan här\n"))
        .unwrap();
    let before = db.export();
    let mut failures = Vec::new();
    for c in CASES {
        let mut folder = base();
        match c.to {
            None => folder = folder.without(c.file),
            Some(to) if !folder.0.contains_key(c.file) => folder = folder.with(c.file, to),
            Some(to) => {
                let text = &folder.0[c.file];
                assert!(
                    text.contains(c.from),
                    "case {:?}: {:?} not in {}",
                    c.name,
                    c.from,
                    c.file
                );
                let changed = text.replacen(c.from, to, 1);
                folder = folder.with(c.file, &changed);
            }
        }
        let (file, line, column, reason) = c.expect;
        match db.import(&folder) {
            Ok(_) => failures.push(format!("{}: imported", c.name)),
            Err(ImportError::Invalid { problems, .. }) => {
                let found = problems.iter().any(|p| {
                    p.file.file_name() == file
                        && p.line == line
                        && p.column.as_deref() == column
                        && p.reason.contains(reason)
                });
                if !found {
                    let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                    failures.push(format!(
                        "{}: expected {file} line {line} {column:?} {reason:?}, got {got:#?}",
                        c.name
                    ));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", c.name)),
        }
        if db.export() != before {
            failures.push(format!("{}: the database changed", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn more_than_a_thousand_problems(db: &TestDb) {
    let mut meetings = String::from("meeting_id,participant_id,coach_id,date,minutes,place\n");
    for i in 0..1500 {
        meetings.push_str(&format!("M{i},X1,C1,2024-02-01,30,bar\n"));
    }
    let folder = base()
        .with("meetings.csv", &meetings)
        .without("next_steps.csv");
    let Err(ImportError::Invalid { problems, total }) = db.import(&folder) else {
        panic!("must fail");
    };
    assert_eq!(total, 1500);
    assert_eq!(problems.len(), MAX_PROBLEMS);
    assert_eq!(problems[0].line, 2);
    assert_eq!(problems[999].line, 1001);
    assert_eq!(db.export(), TestDb::sqlite().export(), "nothing written");
}

fn duplicate_id_against_the_database(db: &TestDb) {
    db.import(&Folder::default().with("programs.csv", "program_id,name\nP2,Redan här\n"))
        .unwrap();
    let before = db.export();
    let Err(ImportError::Invalid { problems, total }) = db.import(&base()) else {
        panic!("must fail");
    };
    assert_eq!(total, 1, "{problems:?}");
    assert_eq!(
        problems[0].to_string(),
        "programs.csv line 3, column program_id, value \"P2\": is already in the database; IDs must be unique (was this folder imported before?)"
    );
    assert_eq!(db.export(), before);
}

/// Each refusal of `check_ins.csv` as a person reads it: file, line, column, the value and
/// the reason; several in one file are all listed, and nothing is written.
fn check_in_problems_name_file_line_column_and_value(db: &TestDb) {
    let long = "å".repeat(2001);
    let folder = base().with(
        "check_ins.csv",
        &format!(
            "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
             CI1,X1,C1,2024-02-01,1,8,7,9,8,coach_and_me,{long}\n\
             CI2,X1,C1,2024-03-01,0,4,5,6,5,everyone,\n\
             CI3,X2,C2,2025-01-31,1,7.5,0,10,10,coach_and_me,\n\
             CI4,X1,C2,2024-03-02,1,1,1,1,1,counted_only,\n"
        ),
    );
    let Err(ImportError::Invalid { problems, total }) = db.import(&folder) else {
        panic!("must fail");
    };
    let got: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    let want = [
        format!(
            "check_ins.csv line 2, column words, value \"{}…\": has 2001 characters; at most 2000 are allowed here",
            "å".repeat(80)
        ),
        "check_ins.csv line 3, column items_version, value \"0\": is not a version of the check-in items that fika knows; the versions are 1".into(),
        "check_ins.csv line 3, column sharing, value \"everyone\": must be coach_and_me or counted_only".into(),
        "check_ins.csv line 4, column person, value \"7.5\": must be a whole number from 0 to 10".into(),
        "check_ins.csv line 5, column coach_id, value \"C2\": is a coach of program \"P2\", not of the participant's program; a check-in counts for the participant's designated coach".into(),
    ];
    assert_eq!(total, 5, "{got:#?}");
    assert_eq!(got, want);
    assert_eq!(
        db.export()["check_ins.csv"],
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n"
    );
}

fn a_check_in_already_in_the_database_is_refused(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.export();
    let again = Folder::default()
        .with("programs.csv", "program_id,name\nP7,Ett till\n")
        .with(
            "check_ins.csv",
            "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing\n\
             CI9,X1,C1,2024-04-01,1,5,5,5,5,coach_and_me\n\
             CI3,X2,C2,2025-01-30,1,5,5,5,5,coach_and_me\n",
        );
    let Err(ImportError::Invalid { problems, total }) = db.import(&again) else {
        panic!("must fail");
    };
    assert_eq!(total, 1, "{problems:?}");
    assert_eq!(
        problems[0].to_string(),
        "check_ins.csv line 3, column check_in_id, value \"CI3\": is already in the database; IDs must be unique (was this folder imported before?)"
    );
    assert_eq!(db.export(), before);
}
