//! `fika demo`: a realistic synthetic IPS region in a database (or any scale in a folder).

use std::path::Path;

use anyhow::Context;
use fika_core::{Date, File};
use fika_demo::{DemoConfig, DemoSummary, generate};
use fika_interchange::{FolderReader, FolderWriter};
use fika_store::{ImportError, Store};

/// Writes the demo as an interchange folder.
pub fn to_folder(config: &DemoConfig, dir: &Path) -> anyhow::Result<DemoSummary> {
    let mut writer = FolderWriter::create(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let summary = generate(config, |row| writer.write(&row))
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    writer
        .finish()
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    Ok(summary)
}

/// Generates the demo into a store, through the same all-or-nothing import as any folder.
/// The generator interleaves files (a participant, then their meetings…) while an import
/// reads them one after the other, so the rows go through a temporary interchange folder:
/// memory stays flat whatever the scale, and the demo takes exactly the path a real
/// program's spreadsheets take.
pub fn to_store(config: &DemoConfig, store: &dyn Store) -> anyhow::Result<DemoSummary> {
    let tmp = tempfile::Builder::new()
        .prefix("fika-demo-")
        .tempdir()
        .context("cannot create a temporary folder for the demo data")?;
    let summary = to_folder(config, tmp.path())?;
    let mut reader = FolderReader::open(tmp.path())
        .with_context(|| format!("cannot read {}", tmp.path().display()))?;
    match store.import(&mut reader) {
        Ok(_) => Ok(summary),
        Err(ImportError::Invalid { problems, total }) => {
            // The generator promises valid rows; if it breaks that promise, say so plainly.
            let first = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            anyhow::bail!("the demo data broke {total} rule(s) and was not stored; first: {first}")
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// A few lines about what the demo holds.
pub fn describe(summary: &DemoSummary, today: Date) -> String {
    let mut out = format!("The demo region on {today}:\n");
    for p in &summary.programs {
        out.push_str(&format!(
            "  {:<6} {:<28} {} coaches in post, {} participants active, {} meetings\n",
            p.id.as_str(),
            p.name,
            p.coaches_in_post,
            p.active_participants,
            p.rows.get(File::Meetings)
        ));
    }
    out.push_str(&format!("  {} rows in all:", summary.rows.total()));
    for (file, n) in summary.rows.iter() {
        out.push_str(&format!(
            " {} {n},",
            file.file_name().trim_end_matches(".csv")
        ));
    }
    out.pop();
    out.push('\n');
    out
}
