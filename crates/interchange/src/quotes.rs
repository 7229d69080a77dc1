//! Watching the quotes of a CSV file as its bytes are read, to catch a quote left open.
//!
//! RFC 4180 lets a quoted cell run over line ends, and a meeting's note may well hold several
//! lines. But a quote that was never closed takes in every row after it: the CSV reader then
//! sees one long cell where a person sees twenty rows, and nothing else looks wrong. The rule
//! (docs/interchange.md, "A quote left open"):
//!
//! - a quoted cell still open at the end of the file is an error;
//! - a quoted cell that runs over a line end into a line that looks like a row of this file
//!   — a line holding at least as many commas as the header has between its columns — is an
//!   error;
//!
//! both reported at the line of the opening quote. A note of several lines of ordinary prose
//! still imports.
//!
//! [`QuoteWatch`] sits between the file and the CSV reader and follows the same reading of
//! quotes as the `csv` crate (a quote opens a cell only at its start; `""` inside is one
//! quote; text after a closing quote is kept as part of the cell).
//!
//! It also tells the line each record starts on ([`QuoteWatch::record_lines`]). The `csv`
//! crate's own count is one short for every record after a CRLF line end (the record starts
//! after the carriage return, its count of lines after the line feed) and never moves at a
//! carriage return alone (the line ends of old Mac files), which it also ends records at.
//! Here every line end counts: LF, CRLF and CR alone.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// A quote that swallowed what look like rows, or was never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenQuote {
    /// The line of the opening quote (the header is line 1).
    pub line: u64,
    /// The first line inside the cell that looks like a row of the file, if any.
    pub row_like: Option<u64>,
    /// Whether the cell was still open at the end of the file.
    pub at_end: bool,
    /// How many line breaks the cell holds (to the end of the file when it is open there).
    pub line_breaks: u64,
}

impl OpenQuote {
    /// What is wrong and what to do, for the import's report.
    pub fn reason(&self) -> String {
        let row = self
            .row_like
            .map(|l| format!(" including line {l}, which looks like a row of this file"))
            .unwrap_or_default();
        if self.at_end {
            format!(
                "a quote (\") opens a cell here and is never closed: the cell runs to the end of the file and takes in {} more lines{row}; close the quote where the cell ends",
                self.line_breaks
            )
        } else {
            format!(
                "a quote (\") opens a cell here that runs over {} line ends{row}; close the quote where the cell ends (a cell of several lines must not hold lines with as many commas as a row)",
                self.line_breaks
            )
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a cell (or of a record).
    Start,
    /// In a cell that did not start with a quote.
    Plain,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: closes it, or is the first of `""`.
    QuoteInQuoted,
}

#[derive(Debug)]
struct Watch {
    state: State,
    /// The line being read (1 for the header).
    line: u64,
    /// Commas between the header's columns; `None` while the header is being read.
    header_commas: Option<u64>,
    commas_in_header: u64,
    /// The quoted cell being read: where it opened, line breaks and commas of its line.
    open: Option<OpenQuote>,
    commas_on_line: u64,
    found: Vec<OpenQuote>,
    ended: bool,
    /// The last byte ended a record with a carriage return: a line end, unless a line feed
    /// follows.
    after_cr: bool,
    /// No byte of the next record has been read yet (empty lines are no records).
    at_record_start: bool,
    /// The lines records started on, since they were last handed over.
    starts: Vec<u64>,
}

/// A reader that passes bytes through unchanged and notes every [`OpenQuote`] of the file.
pub struct QuoteWatch<R> {
    inner: R,
    watch: Watch,
    report: Arc<Mutex<Vec<OpenQuote>>>,
    lines: Arc<Mutex<VecDeque<u64>>>,
}

impl<R: Read> QuoteWatch<R> {
    /// Watches `inner`; what it finds is in the returned list once the end of the file has
    /// been read.
    pub fn new(inner: R) -> (Self, Arc<Mutex<Vec<OpenQuote>>>) {
        let report = Arc::new(Mutex::new(Vec::new()));
        let watch = Watch {
            state: State::Start,
            line: 1,
            header_commas: None,
            commas_in_header: 0,
            open: None,
            commas_on_line: 0,
            found: Vec::new(),
            ended: false,
            after_cr: false,
            at_record_start: true,
            starts: Vec::new(),
        };
        (
            QuoteWatch {
                inner,
                watch,
                report: Arc::clone(&report),
                lines: Arc::default(),
            },
            report,
        )
    }
}

impl<R> QuoteWatch<R> {
    /// The line each record starts on (the header's, 1, first), in the order the CSV reader
    /// gives the records: take one for each record it gives, as far as the file has been
    /// read.
    pub fn record_lines(&self) -> Arc<Mutex<VecDeque<u64>>> {
        Arc::clone(&self.lines)
    }
}

impl Watch {
    fn end_record(&mut self) {
        if self.header_commas.is_none() {
            self.header_commas = Some(self.commas_in_header);
        }
        self.state = State::Start;
        self.at_record_start = true;
    }

    fn close_quote(&mut self) {
        if let Some(q) = self.open.take()
            && q.row_like.is_some()
        {
            self.found.push(q);
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if std::mem::take(&mut self.after_cr) && b != b'\n' {
                self.line += 1;
            }
            if self.at_record_start && b != b'\r' && b != b'\n' {
                self.at_record_start = false;
                self.starts.push(self.line);
            }
            match self.state {
                State::Start | State::Plain => match b {
                    b'"' if self.state == State::Start => {
                        self.state = State::Quoted;
                        self.commas_on_line = 0;
                        self.open = Some(OpenQuote {
                            line: self.line,
                            row_like: None,
                            at_end: false,
                            line_breaks: 0,
                        });
                    }
                    b',' => {
                        if self.header_commas.is_none() {
                            self.commas_in_header += 1;
                        }
                        self.state = State::Start;
                    }
                    b'\n' => {
                        self.line += 1;
                        self.end_record();
                    }
                    b'\r' => {
                        self.after_cr = true;
                        self.end_record();
                    }
                    _ => self.state = State::Plain,
                },
                State::Quoted => match b {
                    b'"' => self.state = State::QuoteInQuoted,
                    b'\n' => {
                        self.line += 1;
                        self.commas_on_line = 0;
                        if let Some(q) = self.open.as_mut() {
                            q.line_breaks += 1;
                        }
                    }
                    b',' => {
                        self.commas_on_line += 1;
                        let line = self.line;
                        if let (Some(q), Some(h)) = (self.open.as_mut(), self.header_commas)
                            && q.row_like.is_none()
                            && line > q.line
                            && h > 0
                            && self.commas_on_line >= h
                        {
                            q.row_like = Some(line);
                        }
                    }
                    _ => {}
                },
                State::QuoteInQuoted => match b {
                    b'"' => self.state = State::Quoted,
                    b',' => {
                        self.close_quote();
                        if self.header_commas.is_none() {
                            self.commas_in_header += 1;
                        }
                        self.state = State::Start;
                    }
                    b'\n' => {
                        self.close_quote();
                        self.line += 1;
                        self.end_record();
                    }
                    b'\r' => {
                        self.close_quote();
                        self.after_cr = true;
                        self.end_record();
                    }
                    _ => {
                        self.close_quote();
                        self.state = State::Plain;
                    }
                },
            }
        }
    }

    fn finish(&mut self) {
        if self.ended {
            return;
        }
        self.ended = true;
        match self.state {
            State::Quoted => {
                if let Some(mut q) = self.open.take() {
                    q.at_end = true;
                    self.found.push(q);
                }
            }
            State::QuoteInQuoted => self.close_quote(),
            State::Start | State::Plain => {}
        }
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if !buf.is_empty() && !self.watch.ended {
                self.watch.finish();
                let found = std::mem::take(&mut self.watch.found);
                self.report
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(found);
            }
        } else {
            self.watch.feed(&buf[..n]);
            if !self.watch.starts.is_empty() {
                self.lines
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(self.watch.starts.drain(..));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(text: &str) -> Vec<OpenQuote> {
        let (mut r, report) = QuoteWatch::new(text.as_bytes());
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, text.as_bytes());
        report.lock().unwrap().clone()
    }

    const HEADER: &str = "meeting_id,participant_id,coach_id,date,minutes,place,note\n";

    #[test]
    fn a_note_of_several_lines_is_fine() {
        let text = format!(
            "{HEADER}M1,P1,C1,2025-01-02,30,cafe,\"Fika at the station.\nShe wants to try a bakery, maybe.\r\n\nSaid \"\"yes\"\".\"\nM2,P1,C1,2025-01-09,30,cafe,\n"
        );
        assert_eq!(watch(&text), vec![]);
    }

    #[test]
    fn a_quote_open_at_the_end_is_found_at_its_line() {
        let text = format!(
            "{HEADER}M1,P1,C1,2025-01-02,30,cafe,ok\nM2,P1,C1,2025-01-09,30,cafe,\"no end\nmore"
        );
        assert_eq!(
            watch(&text),
            vec![OpenQuote {
                line: 3,
                row_like: None,
                at_end: true,
                line_breaks: 1
            }]
        );
    }

    #[test]
    fn a_quote_that_swallows_rows_is_found_even_when_closed_later() {
        let text = format!(
            "{HEADER}M1,P1,C1,2025-01-02,30,cafe,\"open\nM2,P1,C1,2025-01-09,30,cafe,x\nM3,P1,C1,2025-01-16,30,cafe,\"closed\"\nM4,P1,C1,2025-01-23,30,cafe,\n"
        );
        let found = watch(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].row_like, Some(3));
        assert!(!found[0].at_end);
    }

    /// The lines the records start on, and the records the `csv` crate reads: as many.
    fn record_lines(text: &str) -> Vec<u64> {
        let (r, _) = QuoteWatch::new(text.as_bytes());
        let lines = r.record_lines();
        let mut csv = csv::ReaderBuilder::new().has_headers(false).from_reader(r);
        let records = csv.byte_records().count();
        let got: Vec<u64> = lines.lock().unwrap().iter().copied().collect();
        assert_eq!(got.len(), records, "{text:?}");
        got
    }

    #[test]
    fn records_are_located_at_their_lines_whatever_the_line_ends() {
        assert_eq!(record_lines("a,b\nc,d\ne,f\n"), vec![1, 2, 3]);
        assert_eq!(record_lines("a,b\r\nc,d\r\ne,f\r\n"), vec![1, 2, 3]);
        assert_eq!(record_lines("a,b\rc,d\re,f\r"), vec![1, 2, 3]);
        assert_eq!(record_lines("a,b\nc,d\r\ne,f\rg,h"), vec![1, 2, 3, 4]);
        // Empty lines are no records, but lines.
        assert_eq!(record_lines("a,b\n\n\r\nc,d\r\re,f\n"), vec![1, 4, 6]);
        // A cell of several lines: the record after it starts after them.
        assert_eq!(
            record_lines("a,b\n\"x\r\ny\nz\",1\r\nc,d\"q\"\re,f"),
            vec![1, 2, 5, 6]
        );
    }

    #[test]
    fn a_quote_inside_a_plain_cell_is_text() {
        let text = format!(
            "{HEADER}M1,P1,C1,2025-01-02,30,cafe,5\" screen\nM2,P1,C1,2025-01-09,30,cafe,\n"
        );
        assert_eq!(watch(&text), vec![]);
    }
}
