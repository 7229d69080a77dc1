//! The zip side of `.qdpx`: safe reading with a size limit, and deterministic writing.

use std::io::{Read, Seek, Write};

use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use super::QdpxError;

/// At most this much is set aside before an entry's bytes arrive (see [`Archive::read`]).
const RESERVE: u64 = 8 << 20;

/// An opened archive whose entry names have all been checked and whose declared sizes fit
/// the limit. Entries are read on demand, counting the bytes actually produced.
pub(crate) struct Archive<R: Read + Seek> {
    zip: ZipArchive<R>,
    /// Every entry's name, in the archive's order.
    names: Vec<String>,
    limit: u64,
    read_so_far: u64,
}

/// What zip says, as an error of kind `InvalidData`, when an entry yields more bytes than
/// it declares (the tests of lying archives hold this to zip's wording).
const ZIP_OVER_DECLARED: &str = "larger than its declared uncompressed size";

/// True when an entry name would land outside the folder the archive is unpacked into.
fn escapes(name: &str) -> bool {
    let name_slash = name.replace('\\', "/");
    name_slash.starts_with('/')
        || name_slash.split('/').any(|part| part == "..")
        || name_slash
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
}

impl<R: Read + Seek> Archive<R> {
    pub fn open(reader: R, limit: u64) -> Result<Self, QdpxError> {
        let mut zip = ZipArchive::new(reader).map_err(|e| QdpxError::NotZip {
            detail: e.to_string(),
        })?;
        let mut declared: u64 = 0;
        let mut names = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| QdpxError::Archive {
                entry: format!("#{i}"),
                detail: e.to_string(),
            })?;
            let name = entry
                .name()
                .map_err(|e| QdpxError::Archive {
                    entry: format!("#{i}"),
                    detail: e.to_string(),
                })?
                .into_owned();
            if escapes(&name) || entry.enclosed_name().is_none() {
                return Err(QdpxError::UnsafePath { entry: name });
            }
            declared = declared.saturating_add(entry.size());
            if declared > limit {
                return Err(QdpxError::TooLarge { entry: name, limit });
            }
            names.push(name);
        }
        Ok(Archive {
            zip,
            names,
            limit,
            read_so_far: 0,
        })
    }

    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// The entry whose name matches `wanted` ignoring ASCII case (tools disagree on
    /// `sources/` versus `Sources/`); an exact match wins.
    pub fn find(&self, wanted: &str) -> Option<String> {
        if self.zip.index_for_name(wanted).is_some() {
            return Some(wanted.to_owned());
        }
        self.names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(wanted))
            .cloned()
    }

    /// Reads an entry, stopping as the bytes arrive: at one byte past the size the archive
    /// declares for it (an entry that holds more than it declares is refused: a zip bomb
    /// hides its size that way) and at one byte past what the limit still allows. So no
    /// entry, honest or not, ever puts more than the limit in memory.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, QdpxError> {
        let archive_err = |e: &dyn std::fmt::Display| QdpxError::Archive {
            entry: name.to_owned(),
            detail: e.to_string(),
        };
        let entry = self.zip.by_name(name).map_err(|e| archive_err(&e))?;
        let declared = entry.size();
        let allowed = self.limit - self.read_so_far;
        let cap = declared.min(allowed);
        // What the entry declares is only reserved up to `RESERVE`: a lying header must not
        // make fika set memory aside for bytes that never come. Past it, the buffer grows as
        // the bytes arrive.
        let reserve = (cap + 1).min(RESERVE);
        let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        if let Err(e) = entry.take(cap + 1).read_to_end(&mut bytes) {
            // zip itself stops an entry at one byte past its declared size.
            if e.kind() == std::io::ErrorKind::InvalidData
                && e.to_string().contains(ZIP_OVER_DECLARED)
            {
                return Err(QdpxError::SizeMismatch {
                    entry: name.to_owned(),
                    declared,
                });
            }
            return Err(archive_err(&e));
        }
        let got = bytes.len() as u64;
        if got > allowed {
            return Err(QdpxError::TooLarge {
                entry: name.to_owned(),
                limit: self.limit,
            });
        }
        if got > declared {
            return Err(QdpxError::SizeMismatch {
                entry: name.to_owned(),
                declared,
            });
        }
        self.read_so_far += got;
        Ok(bytes)
    }
}

/// A zip being written, with a fixed time stamp on every entry so that the same content
/// gives the same archive.
///
/// Deflate runs on flate2's pure-Rust backend (see Cargo.toml): with the zlib-rs backend,
/// writing 2,000 source files raised peak memory by about 320 MB (`examples/qual_bench.rs`).
pub(crate) struct ZipOut<W: Write + Seek> {
    zip: zip::ZipWriter<W>,
    options: SimpleFileOptions,
}

fn write_err(e: &dyn std::fmt::Display) -> QdpxError {
    QdpxError::Write(e.to_string())
}

impl<W: Write + Seek> ZipOut<W> {
    pub fn new(writer: W) -> Self {
        ZipOut {
            zip: zip::ZipWriter::new(writer),
            options: SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                // Fastest level: a project exports in about half the time, and the
                // archive is still a fraction of its content.
                .compression_level(Some(1))
                .last_modified_time(zip::DateTime::default()),
        }
    }

    /// Adds an entry whose content `write` produces, piece by piece if it likes.
    pub fn entry(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), QdpxError> {
        self.zip
            .start_file(name, self.options)
            .map_err(|e| write_err(&e))?;
        write(&mut self.zip).map_err(|e| write_err(&e))
    }

    pub fn finish(self) -> Result<W, QdpxError> {
        self.zip.finish().map_err(|e| write_err(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::escapes;

    #[test]
    fn entry_names_that_escape() {
        for bad in [
            "../x",
            "sources/../../x",
            "/etc/passwd",
            "\\x",
            "C:/x",
            "a\\..\\..\\b",
        ] {
            assert!(escapes(bad), "{bad}");
        }
        for ok in ["project.qde", "sources/a.txt", "Sources/a..b.txt"] {
            assert!(!escapes(ok), "{ok}");
        }
    }
}
