//! fika-interchange: the folder format of INTERCHANGE.md.
//!
//! A folder of UTF-8 CSV files, one per kind of record. This crate knows the files and
//! their columns ([`spec`]), turns a row's cells into a typed record and back ([`fields`]),
//! reads a folder as a stream of located rows and problems ([`FolderReader`]) and writes one
//! ([`FolderWriter`]); [`quotes`] catches a quote left open. It knows nothing of databases:
//! the store takes the stream.
//!
//! Beside the folder format, [`redcap`] reads and writes questionnaires as REDCap data
//! dictionaries. [`workbook`] is the folder as one Excel workbook, a sheet per file.

mod batches;
pub mod fields;
mod problem;
pub mod pseudonym;
pub mod quotes;
mod reader;
pub mod redcap;
pub mod spec;
pub mod workbook;
mod writer;

pub use problem::{Problem, Sourced};
pub use reader::FolderReader;
pub use writer::FolderWriter;
