//! Hostile and broken files: a quote left open, control characters and over-long text are
//! refused with file, line and column, the same on both backends, and nothing is written.

use fika_store::ImportError;

use super::fixture::{Folder, TestDb, base};
use crate::conformance;

conformance!(
    a_quote_left_open_is_refused_at_its_line,
    a_note_of_several_lines_still_imports,
    control_characters_and_long_text_are_refused_with_their_cell,
    every_line_end_locates_its_rows,
);

const MEETINGS: &str = "meeting_id,participant_id,coach_id,date,minutes,place,note\n";

/// The problems of a folder that must not import, as `(line, column, reason)`, after
/// checking that the database was left as it was.
fn refused(db: &TestDb, folder: &Folder, file: &str) -> Vec<(u64, Option<String>, String)> {
    let before = db.export();
    let problems = match db.import(folder) {
        Err(ImportError::Invalid { problems, .. }) => problems,
        other => panic!("must be refused, got {other:?}"),
    };
    assert_eq!(db.export(), before, "nothing written");
    problems
        .into_iter()
        .filter(|p| p.file.file_name() == file)
        .map(|p| (p.line, p.column, p.reason))
        .collect()
}

fn a_quote_left_open_is_refused_at_its_line(db: &TestDb) {
    // The closing quote of M1's note is missing: it takes in the rows after it, and the
    // CSV reader alone would see one meeting with a long note.
    let mut meetings = String::from(MEETINGS);
    meetings.push_str("M1,X1,C1,2024-02-01,45,cafe,\"Första fika,\nbra samtal\n");
    for i in 2..22 {
        meetings.push_str(&format!("M{i},X1,C1,2024-02-{i:02},30,cafe,\n"));
    }
    let folder = base().with("meetings.csv", &meetings);
    let problems = refused(db, &folder, "meetings.csv");
    assert!(
        problems.iter().any(|(line, column, reason)| *line == 2
            && column.is_none()
            && reason.contains("never closed")
            && reason.contains("line 4, which looks like a row")),
        "{problems:#?}"
    );

    // Open at the very end, with nothing after it but text.
    let open_at_end = format!(
        "{MEETINGS}M1,X1,C1,2024-02-01,45,cafe,ok\nM2,X1,C1,2024-02-02,45,cafe,\"no end to this"
    );
    let problems = refused(
        db,
        &base().with("meetings.csv", &open_at_end),
        "meetings.csv",
    );
    assert!(
        problems
            .iter()
            .any(|(line, _, reason)| *line == 3 && reason.contains("never closed")),
        "{problems:#?}"
    );

    // Closed further down, by what was meant to open another note: the rows in between
    // were still swallowed.
    let closed_later = format!(
        "{MEETINGS}M1,X1,C1,2024-02-01,45,cafe,\"open\nM2,X1,C1,2024-02-02,30,cafe,x\nM3,X1,C1,2024-02-03,30,cafe,\"closed\"\nM4,X1,C1,2024-02-04,30,cafe,\n"
    );
    let problems = refused(
        db,
        &base().with("meetings.csv", &closed_later),
        "meetings.csv",
    );
    assert!(
        problems.iter().any(|(line, _, reason)| *line == 2
            && reason.contains("runs over 2 line ends")
            && reason.contains("line 3")),
        "{problems:#?}"
    );
}

fn every_line_end_locates_its_rows(db: &TestDb) {
    // The same meetings with LF, CRLF (Excel on Windows), CR alone (old Mac files) and the
    // three mixed: a wrong date on the fourth line is reported at line 4 each time.
    let rows = [
        "M1,X1,C1,2024-02-01,45,cafe,",
        "M2,X1,C1,2024-02-02,30,cafe,\"two\r\nlines\"",
        "M3,X1,C1,2024-13-45,30,cafe,",
        "M4,X2,C2,2025-01-31,30,phone,",
    ];
    let header = MEETINGS.trim_end();
    for ends in [
        ["\n"; 4],
        ["\r\n"; 4],
        ["\r"; 4],
        ["\r\n", "\r", "\n", "\r"],
    ] {
        let db = &db.fresh();
        let mut text = format!("{header}{}", ends[0]);
        for (row, end) in rows.iter().zip(ends.iter().cycle().skip(1)) {
            text.push_str(row);
            text.push_str(end);
        }
        let problems = refused(db, &base().with("meetings.csv", &text), "meetings.csv");
        assert_eq!(problems.len(), 1, "{ends:?}: {problems:#?}");
        let (line, column, _) = &problems[0];
        // Line 3 holds two lines of a note: M3 is on line 5.
        assert_eq!((*line, column.as_deref()), (5, Some("date")), "{ends:?}");

        // Right, the rows import (each its own, in order), the note whole.
        let right = text.replace("2024-13-45", "2024-02-03");
        let summary = db
            .import(&base().with("meetings.csv", &right))
            .unwrap_or_else(|e| panic!("{ends:?}: {e:?}"));
        assert_eq!(summary.rows.get(fika_core::File::Meetings), 4, "{ends:?}");
        let exported = &db.export()["meetings.csv"];
        assert!(exported.contains("\"two\r\nlines\""), "{exported}");
    }
}

fn a_note_of_several_lines_still_imports(db: &TestDb) {
    let note = "Fika på stationen.\r\nHon vill prova ett bageri, kanske två.\n\nSa \"\"ja\"\", men vill vänta till våren; sen ringer vi.\n- ringa Bageriet\n- skriva CV";
    let meetings = format!(
        "{MEETINGS}M1,X1,C1,2024-02-01,45,cafe,\"{note}\"\nM2,X2,C2,2025-01-31,30,phone,\n"
    );
    let summary = db
        .import(&base().with("meetings.csv", &meetings))
        .expect("imports");
    assert_eq!(summary.rows.get(fika_core::File::Meetings), 2);
    let exported = &db.export()["meetings.csv"];
    assert!(
        exported.contains(note),
        "the note is kept whole: {exported}"
    );
}

fn control_characters_and_long_text_are_refused_with_their_cell(db: &TestDb) {
    let cases: Vec<(&str, String, &str, u64, &str, &str)> = vec![
        (
            "a NUL byte in a note",
            "meetings.csv".into(),
            "M2,X2,C2,2025-01-31,30,phone,a\0b",
            4,
            "note",
            "control character U+0000",
        ),
        (
            "an escape in a name",
            "employers.csv".into(),
            "E1,Bageriet \u{1b}[31mAB,556000-0000,food",
            2,
            "name",
            "control character U+001B",
        ),
        (
            "a direction override in a goal",
            "goals.csv".into(),
            "G1,X1,2024-02-01,gå \u{202e}kaffe,5120,20",
            2,
            "text",
            "U+202E",
        ),
        (
            "a line break in a participant's name",
            "participants.csv".into(),
            "X2,P2,C2,\"Är\nla\",family,,2024-03-01,true,2025-01-31,moved",
            3,
            "name",
            "line break",
        ),
        (
            "a step of 501 characters",
            "next_steps.csv".into(),
            "",
            2,
            "text",
            "has 501 characters; at most 500",
        ),
    ];
    for (name, file, row, line, column, reason) in cases {
        let mut folder = base();
        let text = folder.0[&file].clone();
        let changed = if row.is_empty() {
            text.replace("Ringa bageriet", &"x".repeat(501))
        } else {
            // Replace the row of the same ID.
            let id = row.split(',').next().unwrap();
            text.lines()
                .map(|l| {
                    if l.split(',').next() == Some(id) {
                        row
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        };
        assert_ne!(changed, text, "{name}: the row was changed");
        folder = folder.with(&file, &changed);
        let problems = refused(db, &folder, &file);
        assert!(
            problems
                .iter()
                .any(|(l, c, r)| *l == line && c.as_deref() == Some(column) && r.contains(reason)),
            "{name}: {problems:#?}"
        );
    }
}
