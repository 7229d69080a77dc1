//! Thematic analysis of interview transcripts by several coders, and exchange with other
//! qualitative-analysis tools through REFI-QDA (`.qdpx` projects, `.qdc` codebooks).
//!
//! Pure library: values in, values out. Reading and writing take `Read`/`Write` handles the
//! caller opens; nothing here touches the file system, a database or the network.

pub mod model;

pub use model::*;
pub mod agreement;
pub mod excerpts;
pub mod refi;
pub mod transcript;

pub use agreement::{
    Agreement, Comparison, Decision, agreement, compare, compare_coders, consensus,
};
pub use refi::{
    Codebook, ImportOptions, Imported, QdpxError, read_qdc, read_qdpx, write_qdc, write_qdpx,
};
pub use transcript::{TranscriptFormat, parse_transcript};
