//! The interchange folder as one workbook (docs/interchange.md, "Workbooks"): `fika import
//! FILE.xlsx`, `fika export FILE.xlsx --format xlsx` and `fika template --xlsx FILE`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use fika_interchange::workbook::{Refusal, WorkbookReader};
use fika_store::{ImportError, Store};

/// Whether an import's path names a workbook rather than a folder.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Refuses a spreadsheet file fika does not read (`.xls`, `.ods`, …), saying what to do.
pub fn refuse_other_spreadsheet(path: &Path) -> anyhow::Result<()> {
    let other = path.extension().and_then(|e| e.to_str()).filter(|e| {
        ["xls", "xlsm", "xlsb", "ods", "numbers", "csv"]
            .iter()
            .any(|x| x.eq_ignore_ascii_case(e))
    });
    if let Some(ext) = other {
        anyhow::bail!(
            "{} is a .{ext} file; fika imports a folder of CSV files or an Excel workbook (.xlsx): \
             save it as an .xlsx workbook (or give the folder that holds the CSV files) and import that",
            path.display()
        );
    }
    Ok(())
}

/// Imports a workbook, all or nothing: every problem is printed with its sheet, row, column
/// and cell, and nothing is written unless the whole workbook is valid.
pub fn import(store: &dyn Store, path: &Path) -> anyhow::Result<ExitCode> {
    let mut reader = match WorkbookReader::open(path) {
        Ok(reader) => reader,
        Err(Refusal::Sheets(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!(
                "{} problem(s) found in {}; nothing was imported. Fix them and import the workbook again.",
                problems.len(),
                path.display()
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(e @ Refusal::Unreadable(_)) => anyhow::bail!("{e}"),
    };
    match store.import(&mut reader) {
        Ok(summary) => {
            println!("Imported {}:\n{}", path.display(), summary.rows);
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid { problems, total }) => {
            for p in &problems {
                eprintln!("{}", reader.locate(p));
            }
            if total > problems.len() as u64 {
                eprintln!("… and {} more", total - problems.len() as u64);
            }
            eprintln!(
                "{total} problem(s) found in {}; nothing was imported. Fix them and import the workbook again.",
                path.display()
            );
            Ok(ExitCode::FAILURE)
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// Writes the empty template; never over a file that is there, which may hold records.
pub fn template(path: &Path) -> anyhow::Result<ExitCode> {
    if path.exists() {
        anyhow::bail!(
            "{} is already there; choose another name or move it away first",
            path.display()
        );
    }
    let bytes =
        fika_interchange::workbook::template().context("cannot make the template workbook")?;
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "Wrote {}: one sheet per interchange file, with drop-down lists for the closed vocabularies. \
         Fill it in and import it with: fika import {}",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
