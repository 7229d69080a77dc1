//! Timings on large synthetic data. Ignored by default; run with
//! `cargo test -p fika-core --release --test core -- --ignored --nocapture speed`.

use std::time::Instant;

use fika_core::fidelity::{ProgramRecords, fidelity};
use fika_core::outcomes::{Quarter, outcomes, outcomes_by_program};
use fika_core::*;

use crate::support::*;

const PLACES: [Place; 6] = [
    Place::Office,
    Place::Cafe,
    Place::Home,
    Place::Phone,
    Place::Workplace,
    Place::Video,
];
const KINDS: [JobKind; 4] = [
    JobKind::Competitive,
    JobKind::Subsidized,
    JobKind::Placement,
    JobKind::Education,
];

/// A program of `coaches` coaches, `participants` participants, `meetings` meetings,
/// a contact for every six meetings and two jobs per participant, spread over two years.
fn synthetic(w: &mut World, program: &str, coaches: usize, participants: usize, meetings: usize) {
    w.program = ProgramId::parse(program).unwrap();
    let start = d("2023-07-01");
    let coach = |i: usize| format!("{program}-c{}", i % coaches);
    let person = |i: usize| format!("{program}-p{}", i % participants);
    for i in 0..coaches {
        w.coach(
            &coach(i),
            if i % 4 == 0 { 0.5 } else { 1.0 },
            d("2020-01-01"),
            None,
        );
    }
    for i in 0..participants {
        let exit = (i % 5 == 0).then(|| shift(start, 400 + (i % 300) as i64));
        w.participant(
            &person(i),
            &coach(i),
            shift(start, (i * 7 % 700) as i64),
            exit,
        );
    }
    for i in 0..meetings {
        let p = i % participants;
        w.meeting(
            &format!("{program}-m{i}"),
            &person(p),
            &coach(p),
            shift(start, (i * 13 % 730) as i64),
            30 + (i % 60) as u32,
            PLACES[i % 6],
        );
        if i % 6 == 0 {
            w.coach_contact(
                &format!("{program}-k{i}"),
                &coach(p),
                Some(&person(p)),
                shift(start, (i * 17 % 730) as i64),
                i % 4 != 0,
            );
        }
    }
    for i in 0..participants * 2 {
        let code = format!("{:04}", 1000 + i % 97);
        w.job(
            &format!("{program}-j{i}"),
            &person(i),
            KINDS[i % 4],
            &format!("e{}", i % 50),
            Some(&code),
            shift(start, (i * 11 % 700) as i64),
            (i % 3 == 0).then(|| shift(start, 720)),
        );
    }
}

fn time<T>(runs: u32, f: impl Fn() -> T) -> f64 {
    let t = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    t.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn speed_one_large_program() {
    let mut w = World::default();
    synthetic(&mut w, "P1", 20, 300, 30_000);
    let at = d("2025-06-30");
    let quarter = Quarter::parse("2025Q2").unwrap();
    let r = w.records();
    let fid = time(20, || fidelity(&r, at));
    let out = time(20, || outcomes(&r, quarter));
    println!(
        "one program (20 coaches, 300 participants, {} meetings, {} contacts, {} jobs): fidelity {fid:.2} ms, outcomes {out:.3} ms",
        w.meetings.len(),
        w.contacts.len(),
        w.jobs.len()
    );
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn speed_national_outcomes() {
    // 1,000 programs of 200 participants, 1,000 jobs each: 200,000 participants, 1M jobs.
    let mut w = World::default();
    for p in 0..1000 {
        let program = format!("P{p}");
        synthetic(&mut w, &program, 10, 200, 0);
        for i in 0..600 {
            let person = format!("{program}-p{}", i % 200);
            w.job(
                &format!("{program}-x{i}"),
                &person,
                JobKind::Transitional,
                "e1",
                None,
                d("2024-01-01"),
                Some(d("2025-05-31")),
            );
        }
    }
    let quarter = Quarter::parse("2025Q2").unwrap();
    let all = time(3, || outcomes_by_program(&w.participants, &w.jobs, quarter));
    // One program picked out of the national slices (the store normally passes only its own).
    w.program = ProgramId::parse("P500").unwrap();
    let r = ProgramRecords {
        meetings: &[],
        contacts: &[],
        ..w.records()
    };
    let one = time(3, || outcomes(&r, quarter));
    let fid = time(3, || fidelity(&r, d("2025-06-30")));
    println!(
        "national ({} participants, {} jobs): every program's outcomes in one pass {all:.1} ms; one program out of the national slices: outcomes {one:.1} ms, fidelity {fid:.1} ms",
        w.participants.len(),
        w.jobs.len()
    );
}
