//! REFI-QDA exchange: whole projects (`.qdpx`, a zip holding `project.qde` and `sources/`)
//! and codebooks (`.qdc`).
//!
//! Reading accepts what real tools write: text inline (`PlainTextContent`) or in files
//! (`plainTextPath`), a `sources/` or `Sources/` folder, any `.qde` name at the root, and
//! codes named `Parent::Child`, which become a hierarchy. Writing produces what every tool
//! reads: each text source as a UTF-8 file `sources/<GUID>.txt` referred to as
//! `internal://<GUID>.txt`, unique code and source names, and the same bytes for the same
//! project and export time. A bad file is refused as a whole: no partial project.

pub(crate) mod archive;
mod read;
mod write;
pub(crate) mod xml;

pub use read::{read_qdc, read_qdpx};
pub use write::{write_qdc, write_qdpx};

use crate::model::{Code, CoderFrom, Guid, Project, Set, ValidationError};

/// The tool name written into the `origin` attribute of exports.
pub const ORIGIN: &str = concat!("fika ", env!("CARGO_PKG_VERSION"));

/// How an import treats incomplete or oversized archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOptions {
    /// Import a project whose archive lacks some source files: the missing sources are left
    /// out (and listed in [`Imported::missing_sources`]); users, codebook, notes, sets and
    /// the other sources are imported. When false such an archive is refused.
    pub allow_missing_sources: bool,
    /// The most bytes the archive's files may expand to, checked against the sizes the
    /// archive declares before anything is read, and against the bytes actually read as
    /// they arrive. An import holds the files it reads in memory, so this also bounds
    /// the memory a refused archive can take.
    pub max_uncompressed_bytes: u64,
    /// Who coded a span when a selection's `creatingUser` and its coding's differ; the
    /// imported project keeps the rule ([`Project::coder_from`]).
    pub coder_from: CoderFrom,
}

/// The default of [`ImportOptions::max_uncompressed_bytes`]: 200 MiB, twenty times the
/// national-scale benchmark project (2,000 transcripts, 200,000 coded segments), and low
/// enough that refusing any archive stays under 300 MB of memory.
pub const DEFAULT_MAX_UNCOMPRESSED_BYTES: u64 = 200 * 1024 * 1024;

impl Default for ImportOptions {
    /// Refuses missing sources; allows [`DEFAULT_MAX_UNCOMPRESSED_BYTES`].
    fn default() -> Self {
        ImportOptions {
            allow_missing_sources: false,
            max_uncompressed_bytes: DEFAULT_MAX_UNCOMPRESSED_BYTES,
            coder_from: CoderFrom::default(),
        }
    }
}

/// A source the archive refers to but does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSource {
    pub guid: Guid,
    pub name: Option<String>,
    /// The path as the project file gives it, e.g. `internal://….txt`.
    pub path: String,
}

/// A source fika keeps without being able to show or code it (PDF, picture, audio, video,
/// or a text source given only as a rich-text document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedSource {
    pub guid: Guid,
    pub name: Option<String>,
    /// The REFI-QDA element, e.g. `PDFSource`.
    pub kind: String,
}

/// The result of a project import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub project: Project,
    /// Sources left out because their files are missing (only with `allow_missing_sources`).
    pub missing_sources: Vec<MissingSource>,
    /// Sources kept as opaque attachments in `project.other_sources`.
    pub unsupported_sources: Vec<UnsupportedSource>,
    /// What was read but is doubtful, each with file and line (e.g. a user named on
    /// `<Project>` but not among `<Users>`): the value is kept, the import goes on.
    pub warnings: Vec<String>,
    /// Codings whose selection names one coder and whose own `creatingUser` another:
    /// these are the codings [`ImportOptions::coder_from`] decides.
    pub coder_conflicts: usize,
}

/// A codebook (`.qdc`): codes and the sets of codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codebook {
    pub origin: Option<String>,
    pub codes: Vec<Code>,
    /// Sets of codes; `member_sources` and `member_notes` are always empty here.
    pub sets: Vec<Set>,
}

/// Why an archive or project file was refused, or an export could not be written. Each
/// message says what is wrong, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum QdpxError {
    #[error(
        "the file is not a zip archive ({detail}); a .qdpx project is a zip holding project.qde and sources/ — export the project again from its tool"
    )]
    NotZip { detail: String },
    #[error(
        "the archive holds no .qde project file at its root (entries: {entries}); export the whole project (.qdpx) again from its tool"
    )]
    NoProjectFile { entries: String },
    #[error(
        "the archive holds several project files at its root ({names}); keep only one .qde file"
    )]
    SeveralProjectFiles { names: String },
    #[error(
        "archive entry \"{entry}\" points outside the archive folder; the archive is unsafe and was not read — ask for a fresh export"
    )]
    UnsafePath { entry: String },
    #[error(
        "the archive expands beyond the limit of {limit} bytes ({} MB, at entry \"{entry}\"); if you trust the file, import it with a higher limit (fika qual import-qdpx --max-uncompressed-mb)",
        .limit.div_ceil(1024 * 1024)
    )]
    TooLarge { entry: String, limit: u64 },
    #[error(
        "archive entry \"{entry}\" holds more than the {declared} bytes the archive declares for it; the archive is damaged or built to exhaust memory and was not read — ask for a fresh export"
    )]
    SizeMismatch { entry: String, declared: u64 },
    #[error(
        "archive entry \"{entry}\" could not be read ({detail}); the archive may be damaged — export it again"
    )]
    Archive { entry: String, detail: String },
    #[error(
        "{file} line {line}: not well-formed XML: {message}; the file is damaged — export it again"
    )]
    Xml {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file} line {line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{} source file(s) are missing from the archive: {}; add them to sources/ or import without them",
        .0.len(),
        .0.iter().map(|m| format!("\"{}\" ({})", m.name.as_deref().unwrap_or(m.guid.as_str()), m.path)).collect::<Vec<_>>().join(", ")
    )]
    MissingSources(Vec<MissingSource>),
    #[error(
        "the project cannot be exported: {}",
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    InvalidProject(Vec<ValidationError>),
    #[error("\"{0}\" is not an xsd:dateTime such as 2024-05-01T10:00:00Z")]
    BadTimestamp(String),
    #[error(
        "the project has no codes, and a REFI-QDA codebook (.qdc) must hold at least one; add codes first, or export the whole project with export-qdpx"
    )]
    EmptyCodebook,
    #[error("writing the archive failed: {0}")]
    Write(String),
}

/// `xsd:dateTime`: `YYYY-MM-DDThh:mm:ss`, optional fraction, optional `Z` or `±hh:mm`.
pub(crate) fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !head {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_datetime;

    #[test]
    fn datetimes() {
        for ok in [
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01T10:00:00.123+02:00",
        ] {
            assert!(is_datetime(ok), "{ok}");
        }
        for bad in [
            "2024-05-01",
            "2024-05-01 10:00:00",
            "2024-05-01T10:00:00.Z",
            "yesterday",
        ] {
            assert!(!is_datetime(bad), "{bad}");
        }
    }
}
