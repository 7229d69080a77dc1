//! The one integration-test binary of fika-qual. Each module reads like a part of the spec.

#[path = "qual/agreement.rs"]
mod agreement;
#[path = "qual/bad_files.rs"]
mod bad_files;
#[path = "qual/common.rs"]
mod common;
#[path = "qual/docx.rs"]
mod docx;
#[path = "qual/excerpts.rs"]
mod excerpts;
#[path = "qual/fixtures.rs"]
mod fixtures;
#[path = "qual/round_trip.rs"]
mod round_trip;
#[path = "qual/tools.rs"]
mod tools;
#[path = "qual/transcripts.rs"]
mod transcripts;
