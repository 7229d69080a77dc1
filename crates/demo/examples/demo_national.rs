//! Generates the whole national data set, counts its rows and reports the rate.
//!
//! `cargo run --release -p fika-demo --example demo_national [YYYY-MM-DD]`
//!
//! Only generation is measured: rows are counted and dropped, nothing is written.

use std::time::Instant;

use fika_core::{Date, File, parse_date};
use fika_demo::{DemoConfig, generate};

fn main() {
    let today = std::env::args()
        .nth(1)
        .map(|s| parse_date(&s).expect("the date is written YYYY-MM-DD"))
        .unwrap_or_else(|| Date::from_ymd_opt(2025, 6, 30).expect("a valid date"));
    let config = DemoConfig::national(today);
    let started = Instant::now();
    let summary = generate(&config, |_row| Ok::<(), ()>(())).expect("counting cannot fail");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "national demo ending {today}: {} programs",
        summary.programs.len()
    );
    for (file, n) in summary.rows.iter() {
        println!("{:>24} {n:>12}", file.file_name());
    }
    // The promise of `Scale::National`.
    if config.max_programs.is_none() {
        assert!(summary.rows.get(File::Participants) >= 200_000);
        assert!(summary.rows.get(File::Meetings) >= 10_000_000);
    }
    let total = summary.rows.total();
    println!("{:>24} {total:>12}", "all rows");
    println!(
        "{seconds:.2} s, {:.2} million rows/s",
        total as f64 / seconds / 1e6
    );
}
