//! The audit log is append-only and hash-chained: the database refuses UPDATE and DELETE of
//! it, and `verify_audit` names each row changed and each place where rows were removed
//! straight in the database, past the triggers.

use fika_core::{CoachId, ParticipantId, ProgramId, parse_date};
use fika_store::audit::{AuditProblem, AuditVerdict};
use fika_store::{Actor, Reach};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    the_database_refuses_to_change_or_remove_audit_rows,
    verify_names_a_changed_row_and_removed_rows,
    rows_written_after_a_seal_are_sealed_at_the_next,
);

fn actor() -> Actor {
    Actor {
        user: "U1".into(),
        at: "2024-06-03T10:00:00Z".into(),
    }
}

/// A few audit rows: day views (on PostgreSQL written inside their one statement) and reads.
fn reads(db: &TestDb, n: usize) {
    let today = parse_date("2024-06-03").unwrap();
    let coach = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: today,
    };
    let lead = Reach::Program(ProgramId::parse("P1").unwrap());
    for _ in 0..n {
        db.store.caseload(&actor(), &coach, today, today).unwrap();
        db.store
            .participant(&actor(), &lead, &ParticipantId::parse("X1").unwrap(), today)
            .unwrap();
    }
}

/// The seq of every audit row, in order.
fn seqs(db: &TestDb) -> Vec<i64> {
    let n = db.store.audit_log().unwrap().len();
    // Rows are numbered from 1 and none is ever removed by fika.
    (1..=n as i64).collect()
}

fn intact(v: &AuditVerdict) {
    assert_eq!(v.problems, vec![], "{v:?}");
}

fn the_database_refuses_to_change_or_remove_audit_rows(db: &TestDb) {
    db.import(&base()).unwrap();
    reads(db, 2);
    let before = db.store.audit_log().unwrap();
    assert_eq!(before.len(), 4);
    // Unsealed and sealed rows alike.
    for _ in 0..2 {
        for sql in [
            "UPDATE audit SET detail = 'nothing to see' WHERE seq = 2",
            "UPDATE audit SET who = 'U9'",
            "DELETE FROM audit WHERE seq = 3",
            "DELETE FROM audit",
        ] {
            let e = db.raw(sql).expect_err(sql);
            assert!(e.contains("the audit log is append-only"), "{sql}: {e}");
        }
        let v = db.store.verify_audit().unwrap();
        intact(&v);
        assert_eq!(v.rows, 4);
    }
    // Sealing twice, or unsealing, is refused too.
    for sql in [
        "UPDATE audit SET chain = NULL, hash = NULL WHERE seq = 1",
        "UPDATE audit SET hash = 'f00' WHERE seq = 1",
    ] {
        let e = db.raw(sql).expect_err(sql);
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    if db.store.backend() == fika_store::Backend::Postgres {
        let e = db.raw("TRUNCATE audit").unwrap_err();
        assert!(e.contains("append-only"), "{e}");
    }
    assert_eq!(db.store.audit_log().unwrap(), before);
}

/// Turns the triggers off, as someone with the database's own rights could.
fn without_triggers(db: &TestDb, sql: &str) {
    let sql = match db.store.backend() {
        fika_store::Backend::Postgres => format!(
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only; {sql}; \
             ALTER TABLE audit ENABLE TRIGGER audit_append_only;"
        ),
        fika_store::Backend::Sqlite => {
            format!("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql};")
        }
    };
    db.raw(&sql).unwrap();
}

fn verify_names_a_changed_row_and_removed_rows(db: &TestDb) {
    db.import(&base()).unwrap();
    reads(db, 5);
    let v = db.store.verify_audit().unwrap();
    intact(&v);
    assert_eq!((v.rows, v.sealed_now), (10, 10));
    let head = v.head.clone().unwrap();
    assert_eq!((head.0, head.1), (10, 10));
    assert_eq!(head.2.len(), 64);
    assert_eq!(seqs(db).len(), 10);

    // One row's detail changed in the database: that row is named, no other.
    without_triggers(
        db,
        "UPDATE audit SET detail = 'something else' WHERE seq = 4",
    );
    let v = db.store.verify_audit().unwrap();
    assert_eq!(v.problems, vec![AuditProblem::Changed { seq: 4, chain: 4 }]);
    assert!(
        v.problems[0]
            .to_string()
            .starts_with("audit row 4 (chain position 4) was changed")
    );
    // Its time, or who, changed instead: named just the same.
    let db2_sql = match db.store.backend() {
        fika_store::Backend::Postgres => {
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only; \
             UPDATE audit SET at = at + interval '1 second' WHERE seq = 7; \
             UPDATE audit SET who = 'U2' WHERE seq = 9; \
             DELETE FROM audit WHERE seq IN (5, 6); \
             ALTER TABLE audit ENABLE TRIGGER audit_append_only;"
        }
        fika_store::Backend::Sqlite => {
            "UPDATE audit SET at = '2024-06-03T10:00:01Z' WHERE seq = 7; \
             UPDATE audit SET who = 'U2' WHERE seq = 9; \
             DELETE FROM audit WHERE seq IN (5, 6);"
        }
    };
    db.raw(db2_sql).unwrap();
    let v = db.store.verify_audit().unwrap();
    assert_eq!(
        v.problems,
        vec![
            AuditProblem::Changed { seq: 4, chain: 4 },
            AuditProblem::Removed {
                from: 5,
                to: 6,
                after: Some(4),
                before: 7
            },
            AuditProblem::Changed { seq: 9, chain: 9 },
        ]
    );
    assert_eq!(
        v.problems[1].to_string(),
        "2 audit row(s) were removed between row 4 and row 7 (chain positions 5–6)"
    );
    assert_eq!(v.rows, 8);

    // The first row removed.
    db.raw(match db.store.backend() {
        fika_store::Backend::Postgres => {
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only; DELETE FROM audit WHERE seq = 1; \
             ALTER TABLE audit ENABLE TRIGGER audit_append_only;"
        }
        fika_store::Backend::Sqlite => "DELETE FROM audit WHERE seq = 1",
    })
    .unwrap();
    let v = db.store.verify_audit().unwrap();
    assert_eq!(
        v.problems[0],
        AuditProblem::Removed {
            from: 1,
            to: 1,
            after: None,
            before: 2
        }
    );
}

fn rows_written_after_a_seal_are_sealed_at_the_next(db: &TestDb) {
    db.import(&base()).unwrap();
    assert_eq!(db.store.seal_audit().unwrap(), 0);
    let v = db.store.verify_audit().unwrap();
    assert_eq!((v.rows, v.sealed_now, v.head.clone()), (0, 0, None));
    reads(db, 1);
    assert_eq!(db.store.seal_audit().unwrap(), 2);
    assert_eq!(db.store.seal_audit().unwrap(), 0);
    reads(db, 2);
    let v = db.store.verify_audit().unwrap();
    intact(&v);
    assert_eq!((v.rows, v.sealed_now), (6, 4));
    assert_eq!(v.head.as_ref().map(|h| (h.0, h.1)), Some((6, 6)));
    // Every writer of audit rows still works with the triggers in place.
    assert_eq!(db.store.audit_log().unwrap().len(), 6);
}
