//! `fika privacy erase`, `hold`, `retention` and `purge` on both backends: refusals say
//! why, the purge lists what is due per program on the anniversary of the exit and not the
//! day before, skips and reports held records, and the audit log verifies afterwards.

use std::path::Path;

use crate::{Database, fika_fails, fika_ok};

fn folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in [
        (
            "programs.csv",
            "program_id,name\nP1,Göteborg IPS\nP2,Malmö IPS\n",
        ),
        (
            "coaches.csv",
            "coach_id,program_id,name,started_on\nC1,P1,Åsa,2024-01-01\nC2,P2,Örjan,2024-01-01\n",
        ),
        (
            "participants.csv",
            "participant_id,program_id,coach_id,name,referral_source,enrolled_on,exited_on,exit_reason\n\
             X1,P1,C1,Björn,self,2024-02-01,,\n\
             X2,P1,C1,Ärla,self,2024-02-01,2025-01-31,moved\n\
             X3,P2,C2,Sune,self,2024-02-01,2024-12-31,moved\n",
        ),
        (
            "meetings.csv",
            "meeting_id,participant_id,coach_id,date,minutes,place,note\n\
             M1,X1,C1,2024-02-01,45,cafe,fika\n\
             M2,X2,C1,2024-02-01,45,cafe,\"Ärla, fika\"\n",
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn erasure_commands(db: &Database) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    folder(&src);
    let url = db.url.as_str();
    fika_ok(&["--db", url, "import", src.to_str().unwrap()]);
    let out = fika_ok(&["--db", url, "privacy", "retention"]);
    assert!(out.contains("No retention rule is set"), "{out}");
    fika_fails(
        &["--db", url, "privacy", "retention", "P1", "--years", "0"],
        "years must be a whole number from 1 to 100",
    );
    fika_fails(
        &["--db", url, "privacy", "retention", "P9", "--years", "1"],
        "there is no such program",
    );
    let out = fika_ok(&["--db", url, "privacy", "retention", "P1", "--years", "1"]);
    assert!(out.contains("kept 1 year(s) after the exit"), "{out}");
    let out = fika_ok(&["--db", url, "privacy", "retention"]);
    assert!(out.contains("program P1\t1 year(s)"), "{out}");

    // Around the anniversary of X2's exit (2025-01-31); P2 has no rule, so X3 is never due.
    let dry = |on: &str| fika_ok(&["--db", url, "privacy", "purge", "--dry-run", "--on", on]);
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "purge",
            "--apply",
            "--reference",
            " ",
        ],
        "the purge refused: give the request's reference",
    );
    let out = dry("2026-01-30");
    assert!(out.contains("0 participant(s) due on 2026-01-30"), "{out}");
    for on in ["2026-01-31", "2026-02-01"] {
        let out = dry(on);
        assert!(out.contains("P1\tX2\tleft 2025-01-31"), "{out}");
        assert!(out.contains("program P1: 1 due, 0 held"), "{out}");
        assert!(
            out.contains(&format!("1 participant(s) due on {on}")),
            "{out}"
        );
        assert!(!out.contains("X3") && !out.contains("X1"), "{out}");
    }

    let out = fika_ok(&[
        "--db",
        url,
        "privacy",
        "hold",
        "place",
        "--program",
        "P1",
        "--reference",
        "JO 2026-1",
    ]);
    assert!(out.contains("Legal hold 1 placed on program P1"), "{out}");
    let out = dry("2026-02-01");
    assert!(out.contains("program P1: 0 due, 1 held"), "{out}");
    let out = fika_ok(&[
        "--db",
        url,
        "privacy",
        "purge",
        "--apply",
        "--on",
        "2026-02-01",
    ]);
    assert!(
        out.contains("Kept X2 of program P1 (due since 2026-01-31): legal hold 1"),
        "{out}"
    );
    assert!(
        out.contains("0 participant(s) erased, 1 kept by a legal hold"),
        "{out}"
    );
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "erase",
            "X2",
            "--reference",
            "DSR-1",
            "--on",
            "2026-02-01",
        ],
        "legal hold 1 on program P1 (JO 2026-1) applies",
    );
    let out = fika_ok(&["--db", url, "privacy", "hold", "list"]);
    assert!(out.contains("1\tprogram P1\tJO 2026-1"), "{out}");
    fika_ok(&["--db", url, "privacy", "hold", "lift", "1"]);
    fika_fails(
        &["--db", url, "privacy", "hold", "lift", "1"],
        "there is no legal hold 1 in force",
    );
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "erase",
            "X1",
            "--reference",
            "DSR-2",
            "--on",
            "2026-02-01",
        ],
        "the participant has not left the program",
    );
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "erase",
            "X2",
            "--reference",
            "DSR-1",
            "--on",
            "2026-01-30",
        ],
        "they are kept until 2026-01-31",
    );
    fika_fails(
        &["--db", url, "privacy", "erase", "X2", "--reference", " "],
        "give the request's reference",
    );
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "erase",
            "NOBODY",
            "--reference",
            "R",
        ],
        "there is no participant with ID NOBODY",
    );
    // Published figures marked final before the purge stay as they were.
    let run = |args: &[&str]| fika_ok(&[&["--db", url][..], args].concat());
    let json = [
        "outcomes",
        "--program",
        "P1",
        "--quarter",
        "2024Q1",
        "--format",
        "json",
    ];
    let before = run(&json);
    let out = run(&["privacy", "finalise", "P1", "--quarter", "2024Q1"]);
    assert!(out.contains("are final (rules 1)"), "{out}");
    run(&["privacy", "finalise", "P1", "--fidelity", "2024-03-31"]);
    fika_fails(
        &[
            "--db",
            url,
            "privacy",
            "finalise",
            "P1",
            "--quarter",
            "2024Q1",
        ],
        "a final figure is never replaced",
    );
    let fidelity = run(&["privacy", "final", "P1", "--fidelity", "2024-03-31"]);
    assert_eq!(
        run(&["privacy", "final", "P1", "--quarter", "2024Q1"]),
        before
    );
    let out = fika_ok(&[
        "--db",
        url,
        "privacy",
        "purge",
        "--apply",
        "--on",
        "2026-02-01",
    ]);
    assert!(out.contains("Erased X2 of program P1"), "{out}");
    assert!(out.contains("1 participant(s) erased, 0 kept"), "{out}");
    assert_ne!(run(&json), before, "the figures computed now have changed");
    assert_eq!(
        run(&["privacy", "final", "P1", "--quarter", "2024Q1"]),
        before,
        "the final ones have not"
    );
    assert_eq!(
        run(&["privacy", "final", "P1", "--fidelity", "2024-03-31"]),
        fidelity
    );
    let list = run(&["privacy", "final"]);
    assert!(list.contains("P1\toutcomes\t2024Q1\trules 1"), "{list}");
    fika_fails(
        &["--db", url, "privacy", "final", "P1", "--quarter", "2024Q2"],
        "were not marked final",
    );
    // A restriction keeps X1 out of new figures; lifted, X1 counts again.
    let served = |out: &str| out.contains("\"served\": 1,");
    assert!(served(&run(&json)), "X1 alone is served now");
    let out = run(&["privacy", "restrict", "X1", "--reference", "DSR-4"]);
    assert!(out.contains("is restricted"), "{out}");
    let out = run(&["privacy", "restrict", "X1", "--reference", "DSR-4"]);
    assert!(out.contains("restricted already"), "{out}");
    assert!(!served(&run(&json)), "{}", run(&json));
    fika_fails(
        &["--db", url, "privacy", "restrict", "X1", "--reference", ""],
        "give the request's reference",
    );
    let out = run(&[
        "privacy",
        "restrict",
        "X1",
        "--reference",
        "DSR-4",
        "--lift",
    ]);
    assert!(out.contains("is lifted"), "{out}");
    assert!(served(&run(&json)));
    // X3 (program without a rule) is erased on request, at once.
    let out = fika_ok(&[
        "--db",
        url,
        "privacy",
        "erase",
        "X3",
        "--reference",
        "DSR-3",
    ]);
    assert!(out.contains("Erased X3 of program P2"), "{out}");

    let exported = tmp.path().join("out");
    fika_ok(&["--db", url, "export", exported.to_str().unwrap()]);
    let participants = std::fs::read_to_string(exported.join("participants.csv")).unwrap();
    let meetings = std::fs::read_to_string(exported.join("meetings.csv")).unwrap();
    assert!(
        participants.contains("X1,")
            && !participants.contains("X2,")
            && !participants.contains("X3,")
    );
    assert!(!meetings.contains("Ärla"), "{meetings}");
    let out = fika_ok(&["--db", url, "audit", "verify"]);
    assert!(out.contains("The audit log is intact"), "{out}");
    let store = fika_store::open(url).unwrap();
    let log = store.audit_log().unwrap();
    let tombs: Vec<_> = log
        .iter()
        .filter(|r| r.action == "participant.erase")
        .collect();
    assert_eq!(tombs.len(), 2);
    assert!(
        tombs[0].detail.contains("retention purge 2026-02-01"),
        "{}",
        tombs[0].detail
    );
    assert!(tombs[1].detail.contains("DSR-3"));
    assert!(
        log.iter()
            .all(|r| !r.detail.contains("Ärla") && !r.detail.contains("Sune"))
    );
}

#[test]
fn erasure_commands_on_sqlite() {
    erasure_commands(&Database::sqlite());
}

#[test]
fn erasure_commands_on_postgres() {
    if let Some(db) = Database::postgres("erasure_commands_on_postgres") {
        erasure_commands(&db);
    }
}
