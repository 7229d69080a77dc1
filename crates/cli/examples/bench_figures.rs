//! Times the fidelity and outcome figures against a database, the way `fika fidelity` and
//! `fika outcomes` compute them (store query + pure computation), with the store opened
//! once. Prints the median and the spread of each.
//!
//! ```text
//! cargo run --release -p fika-cli --example bench_figures -- DB_URL [REVIEW_DATE] [QUARTER] [RUNS]
//! ```

use std::time::{Duration, Instant};

use fika_core::fidelity::{ProgramRecords, fidelity};
use fika_core::outcomes::{Quarter, outcomes, outcomes_by_program};
use fika_core::{Date, ProgramId};

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn report(what: &str, times: Vec<Duration>) {
    let n = times.len();
    let (min, med, max) = median(times);
    println!("{what:<48} median {med:>10.2?}  min {min:>10.2?}  max {max:>10.2?}  ({n} runs)");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .expect("usage: bench_figures DB_URL [DATE] [QUARTER] [RUNS]");
    let at: Date = args
        .get(1)
        .map_or("2025-06-30", String::as_str)
        .parse()
        .unwrap();
    let quarter = Quarter::parse(args.get(2).map_or("2025Q2", String::as_str)).unwrap();
    let runs: usize = args.get(3).map_or(30, |s| s.parse().unwrap());
    let store = fika_store::open(url).unwrap();
    println!("{} rows in {url}", store.counts().unwrap().total());

    // Programs spread over the database: the first, middle and last of up to 1,250.
    let programs: Vec<ProgramId> = (0..runs)
        .map(|i| ProgramId::parse(&format!("P{}", 1 + (i * 41) % 1250)).unwrap())
        .collect();
    // Each program twice: the first run reads from disk (cold), the second from the caches a
    // running server has (warm).
    let (mut fid_cold, mut fid, mut out_cold, mut out) = (vec![], vec![], vec![], vec![]);
    for program in &programs {
        for pass in 0..2 {
            let t = Instant::now();
            let Some(data) = store.fidelity_data(program, at).unwrap() else {
                continue;
            };
            let loaded = t.elapsed();
            let report = fidelity(&data.records(), at);
            if pass == 1 && std::env::var_os("SPLIT").is_some() {
                eprintln!(
                    "{program}: load {loaded:?} ({} meetings, {} contacts), compute {:?}",
                    data.meetings.len(),
                    data.employer_contacts.len(),
                    t.elapsed() - loaded
                );
            }
            if pass == 0 {
                fid_cold.push(t.elapsed())
            } else {
                fid.push(t.elapsed())
            }
            std::hint::black_box(report);

            let t = Instant::now();
            let (participants, jobs) = store.participants_and_jobs(Some(program)).unwrap();
            let o = outcomes(
                &ProgramRecords::people_and_jobs(program, &participants, &jobs),
                quarter,
            );
            if pass == 0 {
                out_cold.push(t.elapsed())
            } else {
                out.push(t.elapsed())
            }
            std::hint::black_box(o);
        }
    }
    report("fidelity, one program, cold (query + compute)", fid_cold);
    report("outcomes, one program and quarter, cold", out_cold);
    report("fidelity, one program, warm (query + compute)", fid);
    report("outcomes, one program and quarter, warm", out);

    let mut all = Vec::new();
    for _ in 0..runs.clamp(1, 5) {
        let t = Instant::now();
        let (participants, jobs) = store.participants_and_jobs(None).unwrap();
        let by_program = outcomes_by_program(&participants, &jobs, quarter);
        all.push(t.elapsed());
        std::hint::black_box(by_program);
    }
    report("outcomes, every program, one quarter", all);
}
