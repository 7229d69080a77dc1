//! fika-report's integration tests: one binary, modules under tests/report/.

mod report {
    mod questionnaire;
    mod xlsx;
}
