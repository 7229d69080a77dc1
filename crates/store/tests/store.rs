//! The storage conformance suite: every test runs on SQLite, and on PostgreSQL when
//! `FIKA_TEST_POSTGRES_URL` is set (each test in a fresh schema, dropped afterwards).

mod store {
    mod access;
    mod audit_chain;
    mod backup;
    mod bad_input;
    mod concurrent_writes;
    mod correct;
    mod erasure;
    mod exit;
    mod figures;
    pub mod fixture;
    mod import_rules;
    mod import_workbook;
    mod outcome_figures;
    mod qual;
    mod questionnaires;
    mod restrict;
    mod round_trip;
    mod upgrade;
}
