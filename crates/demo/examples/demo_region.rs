//! Prints what the region demo holds: rows per program and file, and a few rows of each
//! file to read.
//!
//! `cargo run -p fika-demo --example demo_region [YYYY-MM-DD] [SEED]`

use fika_core::{Date, File, Row, parse_date};
use fika_demo::{DEFAULT_SEED, DemoConfig, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let today = args
        .next()
        .map(|s| parse_date(&s).expect("the date is written YYYY-MM-DD"))
        .unwrap_or_else(|| Date::from_ymd_opt(2025, 6, 30).expect("a valid date"));
    let seed = args.next().map_or(DEFAULT_SEED, |s| {
        s.parse().expect("the seed is a whole number")
    });
    let config = DemoConfig {
        seed,
        ..DemoConfig::region(today)
    };
    let mut shown = [0u32; File::FILE_ORDER.len()];
    let summary = generate(&config, |row: Row| {
        let n = &mut shown[row.file() as usize];
        if *n < 3 {
            *n += 1;
            println!("{row:?}");
        }
        Ok::<(), ()>(())
    })
    .expect("printing cannot fail");
    println!();
    for p in &summary.programs {
        println!(
            "{} {}: {} coaches in post, {} active participants",
            p.id, p.name, p.coaches_in_post, p.active_participants
        );
        for file in File::FILE_ORDER {
            println!("{:>24} {:>7}", file.file_name(), p.rows.get(file));
        }
    }
    println!("{:>24} {:>7}", "all rows", summary.rows.total());
}
