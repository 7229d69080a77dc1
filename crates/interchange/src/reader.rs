//! Reading a folder, one row at a time: memory does not grow with the size of the files.
//!
//! The CSV parsing and the checks of each row run on a thread of their own, a bounded
//! number of rows ahead of the consumer, so that reading a folder and storing it use two
//! cores; memory still does not grow with the size of the files.

use std::collections::VecDeque;
use std::fs;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};

use fika_core::File;

use crate::batches::{BATCH, Batches};
use crate::fields::from_fields;
use crate::problem::{Problem, Sourced};
use crate::quotes::{OpenQuote, QuoteWatch};
use crate::spec::{column_index, file_by_name, is_required, match_header};

type CsvReader = csv::Reader<BufReader<QuoteWatch<fs::File>>>;

/// An interchange folder read as a stream of [`Sourced`] rows and problems, file by file in
/// [`File::FILE_ORDER`]. Every problem is reported; a file whose header is wrong is reported
/// once and its rows are not read.
pub struct FolderReader(Batches);

/// The reading itself, run on the reading thread.
struct Files {
    dir: PathBuf,
    next_file: usize,
    current: Option<Open>,
    pending: VecDeque<Sourced>,
    record: csv::StringRecord,
}

/// The file being read and where each of its columns sits in a record.
struct Open {
    file: File,
    csv: CsvReader,
    /// For each column of [`columns`], its position in the file's records.
    positions: Vec<Option<usize>>,
    /// The quotes left open, known once the end of the file has been read.
    quotes: Arc<Mutex<Vec<OpenQuote>>>,
    /// The line of each record not read yet (`QuoteWatch::record_lines`).
    lines: Arc<Mutex<VecDeque<u64>>>,
}

impl FolderReader {
    /// Opens a folder. Fails only when the folder itself cannot be listed; every problem with
    /// its files is reported by the stream.
    pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
        let files = Files::open(dir.as_ref())?;
        Ok(FolderReader(Batches::spawn("fika-read", move |sender| {
            files.send_all(sender)
        })?))
    }
}

impl Iterator for FolderReader {
    type Item = Sourced;

    fn next(&mut self) -> Option<Sourced> {
        self.0.next()
    }
}

impl Files {
    fn open(dir: &Path) -> io::Result<Self> {
        let dir = dir.to_path_buf();
        let mut pending = VecDeque::new();
        // INTERCHANGE.md: data must never be dropped silently. A CSV file that is not one of
        // the eleven would be, so it is an error (other files, such as a README, are ignored).
        let mut unknown = Vec::new();
        for entry in fs::read_dir(&dir)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.to_ascii_lowercase().ends_with(".csv") && file_by_name(&name).is_none() {
                unknown.push(name);
            }
        }
        unknown.sort();
        for name in unknown {
            pending.push_back(Sourced::Problem(Problem {
                file: File::Programs,
                line: 0,
                column: None,
                value: Some(name),
                reason: format!(
                    "is not a file of the interchange format; its files are {}",
                    File::FILE_ORDER.map(File::file_name).join(", ")
                ),
            }));
        }
        Ok(Files {
            dir,
            next_file: 0,
            current: None,
            pending,
            record: csv::StringRecord::new(),
        })
    }

    /// Opens the next file that exists, reporting missing required files and header errors.
    fn open_next(&mut self) -> bool {
        while let Some(&file) = File::FILE_ORDER.get(self.next_file) {
            self.next_file += 1;
            let path = self.dir.join(file.file_name());
            let handle = match fs::File::open(&path) {
                Ok(h) => h,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    if is_required(file) {
                        self.problem(
                            file,
                            0,
                            None,
                            None,
                            "the file is missing; every folder needs it, with at least its header",
                        );
                    }
                    continue;
                }
                Err(e) => {
                    self.problem(file, 0, None, None, format!("cannot be opened: {e}"));
                    continue;
                }
            };
            let (handle, quotes) = QuoteWatch::new(handle);
            let lines = handle.record_lines();
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(BufReader::with_capacity(1 << 16, handle));
            let header = match csv.headers() {
                Ok(h) => h.clone(),
                Err(e) => {
                    self.problem(
                        file,
                        1,
                        None,
                        None,
                        format!("the header cannot be read: {e}"),
                    );
                    continue;
                }
            };
            // The header's line (1): the records' lines follow it.
            lines.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
            if let Some(positions) = self.check_header(file, &header) {
                self.current = Some(Open {
                    file,
                    csv,
                    positions,
                    quotes,
                    lines,
                });
                return true;
            }
        }
        false
    }

    /// Maps the header onto the spec, or reports everything wrong with it.
    fn check_header(
        &mut self,
        file: File,
        header: &csv::StringRecord,
    ) -> Option<Vec<Option<usize>>> {
        // A leading byte-order mark is accepted and ignored.
        let names = header.iter().enumerate().map(|(at, name)| {
            if at == 0 {
                (at, name.trim_start_matches('\u{feff}'))
            } else {
                (at, name)
            }
        });
        match match_header(file, names, file.file_name()) {
            Ok(positions) => Some(positions),
            Err(problems) => {
                self.pending
                    .extend(problems.into_iter().map(Sourced::Problem));
                None
            }
        }
    }

    fn problem(
        &mut self,
        file: File,
        line: u64,
        column: Option<&str>,
        value: Option<&str>,
        reason: impl Into<String>,
    ) {
        self.pending.push_back(Sourced::Problem(Problem {
            file,
            line,
            column: column.map(str::to_owned),
            value: value.map(str::to_owned),
            reason: reason.into(),
        }));
    }

    /// Reads the next record of the current file; false at its end.
    fn read_row(&mut self) -> bool {
        let Some(open) = self.current.as_mut() else {
            return false;
        };
        let file = open.file;
        match open.csv.read_record(&mut self.record) {
            Ok(false) => {
                // docs/interchange.md: a quote left open is an error at its line, even when
                // the rows it took in made one valid-looking row.
                let open =
                    std::mem::take(&mut *open.quotes.lock().unwrap_or_else(|e| e.into_inner()));
                self.current = None;
                for q in open {
                    self.problem(file, q.line, None, None, q.reason());
                }
                false
            }
            Ok(true) => {
                let line = next_line(&open.lines, self.record.position());
                let values: Vec<Option<&str>> = open
                    .positions
                    .iter()
                    .map(|at| {
                        at.and_then(|at| self.record.get(at))
                            .filter(|s| !s.is_empty())
                    })
                    .collect();
                match from_fields(file, &values) {
                    Ok(row) => self.pending.push_back(Sourced::Row { line, row }),
                    Err(errors) => {
                        for e in errors {
                            let i = column_index(file, e.column).expect("column of this file");
                            let value = values[i].unwrap_or("");
                            self.pending.push_back(Sourced::Problem(Problem::cell(
                                file, line, e.column, value, e.reason,
                            )));
                        }
                    }
                }
                true
            }
            Err(e) => {
                let line = next_line(&open.lines, e.position());
                let reason = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "the row has {len} cells but the header has {expected_len}; check for a missing or extra comma"
                    ),
                    csv::ErrorKind::Utf8 { .. } => {
                        "the row is not valid UTF-8; save the file as UTF-8".to_owned()
                    }
                    _ => {
                        // An I/O error: the rest of the file cannot be trusted.
                        self.current = None;
                        format!("the file cannot be read: {e}")
                    }
                };
                self.problem(file, line, None, None, reason);
                true
            }
        }
    }
}

impl Files {
    /// Reads everything, in batches; stops early when the receiver is gone.
    fn send_all(self, sender: SyncSender<Vec<Sourced>>) {
        let mut batch = Vec::with_capacity(BATCH);
        for item in self {
            batch.push(item);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if sender.send(full).is_err() {
                    return;
                }
            }
        }
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
    }
}

impl Iterator for Files {
    type Item = Sourced;

    fn next(&mut self) -> Option<Sourced> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.current.is_some() {
                self.read_row();
            } else if !self.open_next() && self.pending.is_empty() {
                return None;
            }
        }
    }
}

/// The line of the record the CSV reader has just given: the next of `lines`, or (should the
/// two ever disagree) the reader's own count.
fn next_line(lines: &Mutex<VecDeque<u64>>, position: Option<&csv::Position>) -> u64 {
    lines
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop_front()
        .unwrap_or_else(|| position.map_or(0, |p| p.line()))
}
