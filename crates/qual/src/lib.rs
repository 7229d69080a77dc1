//! Thematic analysis of interview transcripts by several coders, and exchange with other
//! qualitative-analysis tools through REFI-QDA (`.qdpx` projects, `.qdc` codebooks).
//!
//! - [`model`]: the project as a plain value (users, code tree, text sources with coded
//!   selections, memos, sets) and [`Project::validate`].
//! - [`transcript`]: plain text, Markdown, WebVTT, SRT and Word (`.docx`) into text sources
//!   with turns.
//! - [`docx`]: reading a `.docx`'s paragraphs within bounds, and writing a minimal `.docx`.
//! - [`report`]: a code's excerpts by theme → subtheme → code, as a document for a report.
//! - [`agreement`](mod@agreement): percent agreement, Cohen's kappa and Krippendorff's alpha per code and
//!   overall, the list of disagreements, and a consensus coding built from decisions.
//! - [`demo`]: the demo's qualitative project (nine synthetic interviews, two coders).
//! - [`codebook`]: themes built from codes (rename, move, merge) and memos.
//! - [`colour`]: the colour a code is shown in, and shades readable on a page.
//! - [`excerpts`]: a code's excerpts as a data set, to CSV and Markdown.
//! - [`refi`]: REFI-QDA import and export.
//!
//! Pure library: values in, values out. Reading and writing take `Read`/`Write` handles the
//! caller opens; nothing here touches the file system, a database or the network.

pub mod agreement;
pub mod codebook;
pub mod colour;
pub mod demo;
pub mod docx;
pub mod excerpts;
pub mod model;
pub mod refi;
pub mod report;
pub mod transcript;

pub use agreement::{
    Agreement, Comparison, Decision, add_consensus, agreement, compare, compare_coders, consensus,
};
pub use model::*;
pub use refi::{
    Codebook, ImportOptions, Imported, QdpxError, read_qdc, read_qdpx, write_qdc, write_qdpx,
};
pub use transcript::{TranscriptFormat, parse_transcript, read_transcript};
