//! The web app over HTTP: one test binary (see `web/`).

mod web {
    pub mod access;
    pub mod access_extract;
    pub mod bad_input;
    pub mod browser;
    pub mod correct;
    pub mod day_reads;
    pub mod hardening;
    pub mod helpers;
    pub mod journeys;
    pub mod once;
    pub mod ops;
    pub mod participant_view;
    pub mod privacy;
    pub mod qual;
    pub mod qual_tree;
    pub mod qual_upload;
    pub mod questionnaires;
    pub mod reports;
    pub mod reviews;
    pub mod sessions;
}
