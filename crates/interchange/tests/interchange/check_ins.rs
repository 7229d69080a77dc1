//! `check_ins.csv`, fika's addition to the folder: written and read back the same, its cell
//! rules, and the research export's rule for check-ins (docs/privacy.md): a shared one is
//! pseudonymised like a meeting, its words dropped unless kept; one given "only counted"
//! is left out.

use fika_core::check_in::{CheckIn, Score, Sharing};
use fika_core::{File, Row, parse_date};
use fika_interchange::pseudonym::{IdKind, Options, Pseudonymiser, StudyKey};
use fika_interchange::{FolderReader, FolderWriter, Sourced};

fn check_in(id: &str, sharing: Sharing, words: Option<&str>) -> CheckIn {
    CheckIn {
        id: id.parse().unwrap(),
        participant: "X1".parse().unwrap(),
        coach: "C1".parse().unwrap(),
        on: parse_date("2025-03-14").unwrap(),
        version: 1,
        scores: [0, 10, 5, 7].map(|s| Score::new(s).unwrap()),
        words: words.map(str::to_owned),
        sharing,
    }
}

fn key() -> StudyKey {
    StudyKey::from_file_bytes(b"a study key of thirty-two bytes!").unwrap()
}

#[test]
fn a_check_in_is_written_and_read_back_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        check_in(
            "CI-1",
            Sharing::CoachAndMe,
            Some("Bra, \"riktigt\" bra\nTack"),
        ),
        check_in("CI-2", Sharing::CountedOnly, None),
    ];
    let mut w = FolderWriter::create(dir.path()).unwrap();
    for r in &rows {
        w.write(&Row::CheckIn(r.clone())).unwrap();
    }
    w.finish().unwrap();
    let text = std::fs::read_to_string(dir.path().join("check_ins.csv")).unwrap();
    assert_eq!(
        text,
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
         CI-1,X1,C1,2025-03-14,1,0,10,5,7,coach_and_me,\"Bra, \"\"riktigt\"\" bra\nTack\"\n\
         CI-2,X1,C1,2025-03-14,1,0,10,5,7,counted_only,\n"
    );
    // programs.csv is there (header only): the folder reads without a problem.
    let read: Vec<Sourced> = FolderReader::open(dir.path()).unwrap().collect();
    let got: Vec<CheckIn> = read
        .into_iter()
        .map(|s| match s {
            Sourced::Row {
                row: Row::CheckIn(c),
                ..
            } => c,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(got, rows);
}

#[test]
fn every_cell_rule_names_its_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("programs.csv"), "program_id,name\n").unwrap();
    std::fs::write(
        dir.path().join("check_ins.csv"),
        "check_in_id,participant_id,coach_id,date,items_version,person,heard,goal,overall,sharing,words\n\
         CI-1,X1,C1,2025-03-14,1,10,0,5,7,coach_and_me,\n\
         CI-2,X1,C1,2025-03-14,3,11,x,5.0,,shared,\"a\u{202E}b\"\n\
         CI-3,X1,C1,14/03/2025,1,1,1,1,1,COACH_AND_ME,\n",
    )
    .unwrap();
    let problems: Vec<String> = FolderReader::open(dir.path())
        .unwrap()
        .filter_map(|s| match s {
            Sourced::Problem(p) => Some(p.to_string()),
            Sourced::Row { .. } => None,
        })
        .collect();
    assert_eq!(
        problems,
        [
            "check_ins.csv line 3, column items_version, value \"3\": is not a version of the check-in items that fika knows; the versions are 1",
            "check_ins.csv line 3, column person, value \"11\": must be a whole number from 0 to 10",
            "check_ins.csv line 3, column heard, value \"x\": must be a whole number from 0 to 10",
            "check_ins.csv line 3, column goal, value \"5.0\": must be a whole number from 0 to 10",
            "check_ins.csv line 3, column overall, value \"\": is required: give a value",
            "check_ins.csv line 3, column sharing, value \"shared\": must be coach_and_me or counted_only",
            "check_ins.csv line 3, column words, value \"a\\u{202e}b\": holds the control character U+202E, which cannot be shown or typed; remove it",
            "check_ins.csv line 4, column date, value \"14/03/2025\": must be a date written YYYY-MM-DD, e.g. 2025-03-14",
            "check_ins.csv line 4, column sharing, value \"COACH_AND_ME\": must be coach_and_me or counted_only",
        ]
    );
}

#[test]
fn a_shared_check_in_is_pseudonymised_and_one_only_counted_is_left_out() {
    let shared = check_in("CI-1", Sharing::CoachAndMe, Some("Anna lyssnar på mig"));
    let mut p = Pseudonymiser::new(&key(), Options::default());
    let Some(Row::CheckIn(out)) = p.row(Row::CheckIn(shared.clone())) else {
        panic!("a shared check-in is exported");
    };
    assert_eq!(out.id.as_str(), p.pseudonym(IdKind::CheckIn, "CI-1"));
    assert!(out.id.as_str().starts_with("CI-") && out.id.as_str().len() == 23);
    assert_eq!(
        out.participant.as_str(),
        p.pseudonym(IdKind::Participant, "X1")
    );
    assert_eq!(out.coach.as_str(), p.pseudonym(IdKind::Coach, "C1"));
    assert_eq!(out.words, None, "free text is dropped");
    assert_eq!(
        (out.on, out.version, out.scores, out.sharing),
        (shared.on, 1, shared.scores, Sharing::CoachAndMe)
    );
    assert_eq!(
        p.row(Row::CheckIn(check_in("CI-2", Sharing::CountedOnly, None))),
        None,
        "only counted: never a row of the research export"
    );

    // --keep-text keeps the words of a shared one; --months moves its date. One only
    // counted stays out whatever the options.
    let mut kept = Pseudonymiser::new(
        &key(),
        Options {
            keep_text: true,
            months: true,
        },
    );
    let Some(Row::CheckIn(out)) = kept.row(Row::CheckIn(shared)) else {
        panic!("a shared check-in is exported");
    };
    assert_eq!(out.words.as_deref(), Some("Anna lyssnar på mig"));
    assert_eq!(out.on, parse_date("2025-03-01").unwrap());
    assert_eq!(
        kept.row(Row::CheckIn(check_in(
            "CI-2",
            Sharing::CountedOnly,
            Some("x")
        ))),
        None
    );
    assert_eq!(File::CheckIns.file_name(), "check_ins.csv");
}
