//! Writing a folder: all eleven files at once (INTERCHANGE.md's ten and fika's `check_ins.csv`),
//! header always, columns in INTERCHANGE.md order.

use std::fs;
use std::io::{self, BufWriter};
use std::path::Path;

use fika_core::{File, Row};

use crate::fields::to_fields;
use crate::spec::columns;

/// Bytes buffered per file before a write to disk: eleven of them stay well within the memory
/// budget, and big writes cost fewer system calls.
const BUFFER: usize = 1 << 20;

/// Writes an interchange folder. Rows may come in any order of files; within a file they
/// are written in the order given. Cells are quoted only when needed (RFC 4180), lines end
/// with `\n`, and numbers, dates and booleans are written by the core types, so that the
/// same records always give the same bytes.
pub struct FolderWriter {
    writers: Vec<csv::Writer<BufWriter<fs::File>>>,
}

impl FolderWriter {
    /// Creates `dir` if needed and the eleven files in it (replacing files of the same names),
    /// each with its header.
    pub fn create(dir: impl AsRef<Path>) -> io::Result<Self> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir)?;
        let mut writers = Vec::with_capacity(File::FILE_ORDER.len());
        for file in File::FILE_ORDER {
            let handle = fs::File::create(dir.join(file.file_name()))?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(BufWriter::with_capacity(BUFFER, handle));
            w.write_record(columns(file).iter().map(|c| c.name))?;
            writers.push(w);
        }
        Ok(FolderWriter { writers })
    }

    /// Writes one record to its file.
    pub fn write(&mut self, row: &Row) -> io::Result<()> {
        let w = &mut self.writers[row.file() as usize];
        for cell in to_fields(row) {
            w.write_field(cell.as_deref().unwrap_or(""))?;
        }
        w.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes every file to disk.
    pub fn finish(self) -> io::Result<()> {
        for w in self.writers {
            let inner = w.into_inner().map_err(|e| e.into_error())?;
            inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        Ok(())
    }
}
