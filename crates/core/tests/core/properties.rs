//! Properties that hold for any records: order does not matter, other programs do not
//! matter, and a quiet program's caseload does not drift with the review date.

use fika_core::fidelity::Lookback;
use fika_core::outcomes::{Quarter, outcomes};
use fika_core::scale::ItemId;
use fika_core::*;
use proptest::prelude::*;

use crate::support::*;

const KINDS: [JobKind; 6] = [
    JobKind::Competitive,
    JobKind::Subsidized,
    JobKind::Transitional,
    JobKind::Placement,
    JobKind::Education,
    JobKind::Volunteer,
];
const FTES: [f64; 4] = [0.25, 0.5, 0.75, 1.0];

fn day(n: u16) -> Date {
    shift(d("2024-01-01"), i64::from(n))
}

/// A program's records in a compact, generated form: indices and day numbers from
/// 2024-01-01 (the review date 2025-06-30 is day 546).
/// (participant, kind, employer, occupation code, start day, days to the end).
type JobSpec = (usize, usize, usize, Option<u16>, u16, Option<u16>);

#[derive(Debug, Clone)]
struct Spec {
    coaches: Vec<(usize, u16, Option<u16>)>,
    participants: Vec<(usize, u16, Option<u16>, bool)>,
    meetings: Vec<(usize, usize, u16, u32, usize)>,
    contacts: Vec<(bool, usize, Option<usize>, u16, bool)>,
    jobs: Vec<JobSpec>,
}

fn spec(with_ends: bool) -> impl Strategy<Value = Spec> {
    let end = move |max: u16| {
        if with_ends {
            proptest::option::of(0..max).boxed()
        } else {
            Just(None).boxed()
        }
    };
    (
        prop::collection::vec((0..4usize, 0..400u16, end(300)), 1..4),
        prop::collection::vec((0..4usize, 0..600u16, end(300), any::<bool>()), 0..16),
        prop::collection::vec(
            (0..16usize, 0..4usize, 0..650u16, 1..240u32, 0..9usize),
            0..60,
        ),
        prop::collection::vec(
            (
                any::<bool>(),
                0..16usize,
                proptest::option::of(0..16usize),
                0..650u16,
                any::<bool>(),
            ),
            0..40,
        ),
        prop::collection::vec(
            (
                0..16usize,
                0..6usize,
                0..5usize,
                proptest::option::of(0..6u16),
                0..650u16,
                end(200),
            ),
            0..20,
        ),
    )
        .prop_map(|(coaches, participants, meetings, contacts, jobs)| Spec {
            coaches,
            participants,
            meetings,
            contacts,
            jobs,
        })
}

/// Adds a program's records to `w`, IDs prefixed by the program so programs never share one.
fn build(w: &mut World, program: &str, s: &Spec) {
    w.program = ProgramId::parse(program).unwrap();
    let coach = |i: usize| format!("{program}-c{}", i % s.coaches.len());
    for (i, &(fte, start, end)) in s.coaches.iter().enumerate() {
        w.coach(
            &coach(i),
            FTES[fte],
            day(start),
            end.map(|e| day(start + e)),
        );
    }
    let np = s.participants.len();
    let person = |i: usize| format!("{program}-p{}", i % np.max(1));
    for (i, &(c, enrolled, exit, employed)) in s.participants.iter().enumerate() {
        w.participant(
            &person(i),
            &coach(c),
            day(enrolled),
            exit.map(|e| day(enrolled + e)),
        );
        if employed {
            w.employed_at_entry(&person(i));
        }
    }
    if np > 0 {
        for (i, &(p, c, date, minutes, place)) in s.meetings.iter().enumerate() {
            w.meeting(
                &format!("{program}-m{i}"),
                &person(p),
                &coach(c),
                day(date),
                minutes,
                Place::ALL[place],
            );
        }
        for (i, &(k, c, p, code, start, end)) in s.jobs.iter().enumerate() {
            let code = code.map(|c| format!("{:04}", 1000 + c));
            let employer = format!("{program}-e{}", c % 5);
            w.job(
                &format!("{program}-j{i}"),
                &person(k),
                KINDS[p % 6],
                &employer,
                code.as_deref(),
                day(start),
                end.map(|e| day(start + e)),
            );
        }
    }
    for (i, &(by_coach, who, for_whom, date, f2f)) in s.contacts.iter().enumerate() {
        let id = format!("{program}-k{i}");
        if by_coach {
            let p = for_whom.filter(|_| np > 0).map(person);
            w.coach_contact(&id, &coach(who), p.as_deref(), day(date), f2f);
        } else if np > 0 {
            w.participant_contact(&id, &person(who), day(date), f2f);
        }
    }
    w.program = ProgramId::parse("P1").unwrap();
}

/// A deterministic shuffle from a seed (a small linear congruential generator).
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.swap(i, (seed >> 33) as usize % (i + 1));
    }
}

const REVIEW_DAY: u16 = 546; // 2025-06-30

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn order_of_records_changes_nothing(s in spec(true), seed in any::<u64>(), at in 300..700u16) {
        let mut w = World::default();
        build(&mut w, "P1", &s);
        let report = w.fidelity(day(at));
        let quarter = Quarter::of(day(at));
        let out = outcomes(&w.records(), quarter);
        shuffle(&mut w.coaches, seed);
        shuffle(&mut w.participants, seed ^ 1);
        shuffle(&mut w.meetings, seed ^ 2);
        shuffle(&mut w.contacts, seed ^ 3);
        shuffle(&mut w.jobs, seed ^ 4);
        prop_assert_eq!(w.fidelity(day(at)), report);
        prop_assert_eq!(outcomes(&w.records(), quarter), out);
    }

    #[test]
    fn records_of_another_program_change_nothing(s in spec(true), other in spec(true), seed in any::<u64>()) {
        let mut w = World::default();
        build(&mut w, "P1", &s);
        let report = w.fidelity(day(REVIEW_DAY));
        let quarter = Quarter::parse("2025Q2").unwrap();
        let out = outcomes(&w.records(), quarter);
        build(&mut w, "P2", &other);
        shuffle(&mut w.coaches, seed);
        shuffle(&mut w.participants, seed ^ 1);
        shuffle(&mut w.meetings, seed ^ 2);
        shuffle(&mut w.contacts, seed ^ 3);
        shuffle(&mut w.jobs, seed ^ 4);
        prop_assert_eq!(w.fidelity(day(REVIEW_DAY)), report);
        prop_assert_eq!(outcomes(&w.records(), quarter), out);
    }

    #[test]
    fn caseload_of_a_program_without_exits_stays_put_after_the_last_record(
        s in spec(false),
        after in 0..2000u16,
        later in 0..2000u16,
    ) {
        let mut w = World::default();
        build(&mut w, "P1", &s);
        // The last record of any kind: every date in the spec is below day 650 + 200.
        let last = 850;
        let first = w.item(ItemId::S1, day(last + after));
        let second = w.item(ItemId::S1, day(last + after + later));
        prop_assert_eq!(first, second);
    }
}

/// The records [`Lookback`] says the items look at (what a store reads for a report), taken
/// from everything in `w` for program `P1`.
fn looked_at(w: &World, at: Date) -> World {
    let l = Lookback::at(at);
    let within = |x: Date, (from, to): (Date, Date)| from <= x && x <= to;
    let coach_of_program = |c: &CoachId| {
        w.coaches
            .iter()
            .any(|k| &k.id == c && k.program == w.program)
    };
    let participants: Vec<&Participant> = w
        .participants
        .iter()
        .filter(|p| p.program == w.program)
        .collect();
    let of_program = |p: &ParticipantId| participants.iter().any(|x| &x.id == p);
    let followed = |p: &ParticipantId, date: Date| {
        w.jobs.iter().any(|j| {
            &j.participant == p
                && j.kind.is_paid()
                && within(j.started_on, l.followed_starts)
                && within(
                    date,
                    (j.started_on, Lookback::follow_along_until(j.started_on)),
                )
        })
    };
    let first_contact_day = |p: &Participant| {
        w.contacts
            .iter()
            .filter(|c| c.face_to_face && c.by.participant() == Some(&p.id))
            .map(|c| c.date)
            .filter(|&x| within(x, (p.enrolled_on, at)))
            .min()
    };
    let coaches = w
        .coaches
        .iter()
        .filter(|c| c.program == w.program)
        .cloned()
        .collect();
    let meetings = w
        .meetings
        .iter()
        .filter(|m| m.place.is_in_person())
        .filter(|m| {
            (coach_of_program(&m.coach) && within(m.date, l.coach_meetings))
                || (of_program(&m.participant) && followed(&m.participant, m.date))
        })
        .cloned()
        .collect();
    let contacts = w
        .contacts
        .iter()
        .filter(|c| c.face_to_face)
        .filter(|c| {
            let by_coach =
                c.by.coach().is_some_and(&coach_of_program) && within(c.date, l.coach_contacts);
            let first_for_cohort = participants.iter().any(|p| {
                c.by.participant() == Some(&p.id)
                    && within(p.enrolled_on, l.cohort)
                    && first_contact_day(p) == Some(c.date)
            });
            by_coach || first_for_cohort
        })
        .cloned()
        .collect();
    let jobs = w
        .jobs
        .iter()
        .filter(|j| of_program(&j.participant) && j.kind.is_paid())
        .filter(|j| within(j.started_on, l.job_starts) || j.held_on(at))
        .cloned()
        .collect();
    World {
        program: w.program.clone(),
        coaches,
        participants: participants.iter().map(|p| (*p).clone()).collect(),
        meetings,
        contacts,
        jobs,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// What a store reads for a fidelity report: the records the lookback keeps give the
    /// report every record gives, evidence included.
    #[test]
    fn records_the_lookback_keeps_give_the_same_report(
        s in spec(true),
        other in spec(true),
        at in 300..900u16,
    ) {
        let mut w = World::default();
        build(&mut w, "P1", &s);
        build(&mut w, "P2", &other);
        let at = day(at);
        prop_assert_eq!(looked_at(&w, at).fidelity(at), w.fidelity(at));
    }
}
