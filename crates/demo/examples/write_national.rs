//! Writes the national data set as an interchange folder, for measuring import and export.
//!
//! `cargo run --release -p fika-demo --example write_national -- DIR [YYYY-MM-DD] [MAX_PROGRAMS]`
//!
//! The data set ends on the given day (default 2025-06-30); MAX_PROGRAMS keeps only the
//! first programs, for a quicker slice.

use std::time::Instant;

use fika_core::{Date, parse_date};
use fika_demo::{DemoConfig, generate};
use fika_interchange::FolderWriter;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: write_national DIR [YYYY-MM-DD] [MAX_PROGRAMS]");
    let today = args
        .next()
        .map(|s| parse_date(&s).expect("the date is written YYYY-MM-DD"))
        .unwrap_or_else(|| Date::from_ymd_opt(2025, 6, 30).expect("a valid date"));
    let mut config = DemoConfig::national(today);
    config.max_programs = args
        .next()
        .map(|n| n.parse().expect("a number of programs"));
    let started = Instant::now();
    let mut writer = FolderWriter::create(&dir)?;
    let summary = generate(&config, |row| writer.write(&row))?;
    writer.finish()?;
    for (file, n) in summary.rows.iter() {
        println!("{:>24} {n:>12}", file.file_name());
    }
    println!("{:>24} {:>12}", "all rows", summary.rows.total());
    println!(
        "written to {dir} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
