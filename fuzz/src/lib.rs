//! The bodies of fika's fuzz targets, one public function per target, so that the same code
//! runs under libFuzzer (`fuzz_targets/*.rs`, `cargo fuzz run TARGET`) and in the plain
//! replay of every corpus file that `cargo test` does (the test at the end of this file).
//!
//! Each function takes any bytes, feeds them to a parser an outsider can reach (a CSV folder
//! to import, a REFI-QDA archive or codebook, a transcript, a form) and checks what must hold
//! whatever the input: no panic, no abort, and, where a value was read, that writing it back
//! and reading it again gives the same value. A bad input must come back as an error.

#![forbid(unsafe_code)]

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fika_core::values::{Minutes, Place, parse_date};
use fika_core::{File, Row};
use fika_interchange::fields::{cells_to_row, from_fields, to_fields};
use fika_interchange::spec::columns;
use fika_interchange::workbook::{Refusal, WorkbookReader, WorkbookWriter};
use fika_interchange::{FolderReader, FolderWriter, Sourced};
use fika_qual::refi::{ImportOptions, read_qdc, read_qdpx, write_qdc};
use fika_qual::transcript::{TranscriptFormat, parse_transcript, read_transcript};

/// Every target: its name (the name of its binary and of its corpus folder) and its body.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("interchange_cells", interchange_cells),
    ("csv_folder", csv_folder),
    ("form", form),
    ("transcript", transcript),
    ("docx", docx),
    ("qdc", qdc),
    ("qde", qde),
    ("qdpx", qdpx),
    ("xlsx_workbook", xlsx_workbook),
];

/// Separates the cells of one record in [`interchange_cells`]'s input (ASCII unit separator).
pub const CELL_SEPARATOR: char = '\u{1f}';
/// Separates the files of a folder in [`csv_folder`]'s input (ASCII record separator).
pub const FILE_SEPARATOR: u8 = 0x1e;

/// The file of the interchange folder a selector byte picks.
fn pick_file(selector: u8) -> File {
    File::FILE_ORDER[usize::from(selector) % File::FILE_ORDER.len()]
}

/// One record's cells, as the CSV reader and the web's forms hand them over: the first byte
/// picks the file, the rest (UTF-8) is its cells in column order, separated by
/// [`CELL_SEPARATOR`]; an empty cell or a missing one is absent. A record that is read must
/// be written to the same cells' meaning: read again, it is the same record.
pub fn interchange_cells(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = pick_file(selector);
    let n = columns(file).len();
    let mut cells: Vec<Option<&str>> = text
        .split(CELL_SEPARATOR)
        .map(|c| Some(c).filter(|c| !c.is_empty()))
        .take(n)
        .collect();
    cells.resize(n, None);
    if let Ok(row) = cells_to_row(file, &cells) {
        // The rules within the record run on any record the cells make.
        let _ = row.violations();
    }
    if let Ok(row) = from_fields(file, &cells) {
        assert_eq!(row.file(), file);
        round_trip_row(&row);
    }
}

/// A record written as cells and read back is the same record.
fn round_trip_row(row: &Row) {
    let fields = to_fields(row);
    let cells: Vec<Option<&str>> = fields.iter().map(|c| c.as_deref()).collect();
    match from_fields(row.file(), &cells) {
        Ok(again) => assert_eq!(&again, row, "a record written and read again differs"),
        Err(e) => panic!("a record written as {cells:?} is refused when read again: {e:?}"),
    }
}

/// A folder for the CSV reader, made anew for each input: one per process, on a memory file
/// system where there is one.
fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let builder = tempfile::Builder::new()
            .prefix("fika-fuzz-")
            .tempdir_in(if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            });
        builder.expect("a scratch folder")
    })
    .path()
}

/// Empties a folder of the scratch area and returns it.
fn fresh(name: &str) -> PathBuf {
    let dir = scratch().join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The CSV reader over a whole folder: the input is the folder's files in
/// `File::FILE_ORDER`, separated by [`FILE_SEPARATOR`] (an empty part leaves that file out).
/// The reader must end, locate every problem in a file it names, and, when the folder has no
/// problem, its rows written out by `FolderWriter` must read back the same.
pub fn csv_folder(data: &[u8]) {
    let dir = fresh("in");
    for (part, file) in data.split(|&b| b == FILE_SEPARATOR).zip(File::FILE_ORDER) {
        if !part.is_empty() {
            fs::write(dir.join(file.file_name()), part).expect("write a scratch file");
        }
    }
    let (rows, problems) = read_folder(&dir);
    for p in &problems {
        assert!(
            !p.reason.trim().is_empty(),
            "a problem without a reason: {p:?}"
        );
    }
    if !problems.is_empty() {
        return;
    }
    let out = fresh("out");
    let mut writer = FolderWriter::create(&out).expect("create the folder");
    for row in &rows {
        writer.write(row).expect("write a row");
    }
    writer.finish().expect("finish the folder");
    let (again, problems) = read_folder(&out);
    assert!(
        problems.is_empty(),
        "a folder written by FolderWriter has problems: {problems:?}"
    );
    assert_eq!(again, rows, "a folder written and read again differs");
}

fn read_folder(dir: &Path) -> (Vec<Row>, Vec<fika_interchange::Problem>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for item in FolderReader::open(dir).expect("list the folder") {
        match item {
            Sourced::Row { line, row } => {
                assert!(line >= 2, "a row located before the header: line {line}");
                rows.push(row);
            }
            Sourced::Problem(p) => problems.push(p),
        }
    }
    (rows, problems)
}

/// A workbook to import (`fika import FILE.xlsx`): any bytes as the `.xlsx` file. The reader
/// must end, give every problem a reason and a sheet, and, when the workbook has no problem,
/// its rows written out by `WorkbookWriter` must read back the same.
pub fn xlsx_workbook(data: &[u8]) {
    let dir = fresh("xlsx");
    let path = dir.join("in.xlsx");
    fs::write(&path, data).expect("write a scratch file");
    let (rows, problems) = read_workbook(&path);
    if !problems.is_empty() {
        return;
    }
    let out = dir.join("out.xlsx");
    let mut writer = WorkbookWriter::create(&out);
    for row in &rows {
        writer.write(row).expect("write a row");
    }
    writer.finish().expect("save the workbook");
    let (again, problems) = read_workbook(&out);
    assert!(
        problems.is_empty(),
        "a workbook written by WorkbookWriter has problems: {problems:?}"
    );
    assert_eq!(again, rows, "a workbook written and read again differs");
}

/// The rows of a workbook and its problems, as the import says them (a refused workbook is
/// one problem or more).
fn read_workbook(path: &Path) -> (Vec<Row>, Vec<String>) {
    let mut reader = match WorkbookReader::open(path) {
        Ok(reader) => reader,
        Err(Refusal::Unreadable(reason)) => return (Vec::new(), vec![reason]),
        Err(Refusal::Sheets(problems)) => {
            return (
                Vec::new(),
                problems.iter().map(ToString::to_string).collect(),
            );
        }
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for item in reader.by_ref() {
        match item {
            Sourced::Row { line, row } => {
                assert!(line >= 2, "a row located before the header: row {line}");
                rows.push(row);
            }
            Sourced::Problem(p) => problems.push(p),
        }
    }
    let problems = problems
        .iter()
        .map(|p| {
            let located = reader.locate(p);
            assert!(
                !located.reason.trim().is_empty(),
                "a problem without a reason: {p:?}"
            );
            assert!(
                !located.sheet.is_empty(),
                "a problem without a sheet: {p:?}"
            );
            located.to_string()
        })
        .collect();
    (rows, problems)
}

/// A form body (`application/x-www-form-urlencoded`) as the web's handlers read it: decoded
/// into its fields in order, as axum's `Form<Vec<(String, String)>>` does, then each record
/// form's cells taken by column name and checked as `fika_interchange::fields::cells_to_row`
/// checks them for the web (the first byte picks the file), and the values the meeting form
/// parses itself (date, place, minutes).
pub fn form(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return;
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    };
    let file = pick_file(selector);
    let cells: Vec<Option<&str>> = columns(file).iter().map(|c| field(c.name)).collect();
    if let Ok(row) = cells_to_row(file, &cells) {
        let _ = row.violations();
    }
    if let Some(d) = field("date") {
        let _ = parse_date(d.trim());
    }
    if let Some(p) = field("place") {
        let _ = Place::parse(p);
    }
    if let Some(m) = field("minutes") {
        let _ = m.trim().parse::<u32>().ok().map(Minutes::new);
    }
}

/// A transcript file as uploaded: the first byte picks the format (plain text, Markdown,
/// WebVTT, SRT, or the lines of a Word document), the rest is the file. Every speaker turn
/// must lie within the text, in order.
pub fn transcript(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = [
        TranscriptFormat::PlainText,
        TranscriptFormat::Markdown,
        TranscriptFormat::WebVtt,
        TranscriptFormat::Srt,
        TranscriptFormat::Docx,
    ][usize::from(selector) % 5];
    let read = if format == TranscriptFormat::Docx {
        std::str::from_utf8(rest)
            .ok()
            .and_then(|text| parse_transcript("fuzz", text, format).ok())
    } else {
        read_transcript("fuzz", rest, format).ok()
    };
    let Some(source) = read else {
        return;
    };
    let chars = source.text.chars().count();
    let mut previous_end = 0;
    for turn in &source.turns {
        assert!(
            previous_end <= turn.text_start
                && turn.text_start <= turn.text_end
                && turn.text_end <= chars,
            "turn {turn:?} is not within the text of {chars} characters after {previous_end}"
        );
        assert!(
            turn.start_ms <= turn.end_ms,
            "turn {turn:?} ends before it starts"
        );
        previous_end = turn.text_end;
    }
}

/// A Word document (`.docx`) uploaded as a transcript, read within 4 MiB.
pub fn docx(data: &[u8]) {
    if let Ok(paragraphs) = fika_qual::docx::read_paragraphs_within(data, 4 << 20) {
        for p in &paragraphs {
            let (bold, rest) = p.split_bold();
            assert_eq!(bold.len() + rest.len(), p.text.len());
        }
    }
}

/// A REFI-QDA codebook (`.qdc`): one XML document. A codebook that is read is exported,
/// and the export read and exported again gives the same bytes (the export gives repeated
/// names a unique form, so the first export may rename; a second one changes nothing).
pub fn qdc(data: &[u8]) {
    let Ok(codebook) = read_qdc(data) else {
        return;
    };
    let xml = write_qdc(&codebook).expect("a codebook that was read can be written");
    let again = read_qdc(xml.as_bytes()).expect("a codebook written is read again");
    let xml_again = write_qdc(&again).expect("a codebook read again can be written");
    assert_eq!(
        xml_again, xml,
        "a codebook exported, read and exported again differs"
    );
}

/// The options of an import under the fuzzer: sources may be missing (the archive is made
/// of one file), and 8 MiB is plenty.
fn options() -> ImportOptions {
    ImportOptions {
        allow_missing_sources: true,
        max_uncompressed_bytes: 8 << 20,
        ..ImportOptions::default()
    }
}

/// A REFI-QDA project's XML (`project.qde`), in an archive of its own: the XML bounds of
/// `fika_qual::refi::xml` and every rule of the project reader.
pub fn qde(data: &[u8]) {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("project.qde", stored)
        .expect("start an entry");
    zip.write_all(data).expect("write the entry");
    let archive = zip.finish().expect("finish the archive");
    let _ = read_qdpx(Cursor::new(archive.into_inner()), &options());
}

/// A whole `.qdpx` archive as uploaded: the archive's paths and sizes, then its XML.
pub fn qdpx(data: &[u8]) {
    let _ = read_qdpx(Cursor::new(data), &options());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds every file of every corpus through its target: the short replay that CI runs
    /// without libFuzzer. Fails on the first input that panics, naming it.
    #[test]
    fn every_corpus_file_passes_its_target() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut total = 0;
        for (name, target) in TARGETS {
            let dir = corpus.join(name);
            let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.expect("a corpus entry").path())
                .collect();
            files.sort();
            assert!(!files.is_empty(), "the corpus of {name} is empty");
            for path in &files {
                let bytes = fs::read(path).expect("read a corpus file");
                let run = std::panic::catch_unwind(|| target(&bytes));
                assert!(run.is_ok(), "{name} fails on {}", path.display());
            }
            eprintln!("{name}: {} inputs", files.len());
            total += files.len();
        }
        assert!(total > 0);
    }

    /// The seed folders from the demo read without problems, so that `csv_folder` reaches
    /// its write-and-read-again check and not only the reader's refusals.
    #[test]
    fn the_demo_seed_folders_have_no_problems() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/csv_folder");
        for seed in ["demo_head", "demo_one_row", "multiline_note"] {
            let data = fs::read(corpus.join(seed)).expect("read a seed");
            let dir = fresh("seed");
            for (part, file) in data.split(|&b| b == FILE_SEPARATOR).zip(File::FILE_ORDER) {
                if !part.is_empty() {
                    fs::write(dir.join(file.file_name()), part).expect("write a seed file");
                }
            }
            let (rows, problems) = read_folder(&dir);
            assert!(problems.is_empty(), "{seed}: {problems:?}");
            assert!(rows.len() >= 10, "{seed}: {} rows", rows.len());
        }
    }

    /// Every target has a libFuzzer binary of the same name.
    #[test]
    fn every_target_has_its_binary() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_targets");
        for (name, _) in TARGETS {
            assert!(
                dir.join(format!("{name}.rs")).is_file(),
                "{name} has no binary"
            );
        }
    }
}
