//! What the coach's day shows, computed from the caseload (pure: no I/O).
//!
//! The rules, each from the IPS model as the BRIEF describes it:
//! - meetings: the next meeting agreed with each participant (recorded at the last meeting),
//!   today's first, then upcoming;
//! - open next steps, the coach's and the participants', overdue first, then by due day;
//! - gone quiet: no meeting for 14 days or more (counting from enrolment when none yet);
//! - rapid job search: enrolled more than 30 days ago with no face-to-face employer contact
//!   made by or for them (METRICS.md V4, `V4_NO_CONTACT_GRACE_DAYS`);
//! - follow-along: a job starting within 7 days; then the schedule of METRICS.md V12 from
//!   `fika_core::fidelity::follow_along_weeks` — days 0–3 after the start and each of the
//!   four weeks after need an in-person meeting, so the day asks for one while the period
//!   that holds today has none; and within 3 days after a job ended with no meeting since;
//! - caseload against 20 (IPS fidelity: at most 20 per coach) and this week's (Monday to
//!   today) face-to-face employer contacts against 6.

use chrono::{Datelike, Duration, NaiveDate as Date};
use fika_core::fidelity::{V4_NO_CONTACT_GRACE_DAYS, follow_along_weeks};
use fika_core::*;
use fika_store::caseload::Caseload;

pub const CASELOAD_MAX: usize = 20;
pub const WEEKLY_CONTACTS: usize = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub participant: ParticipantId,
    pub name: String,
    pub date: Date,
    pub today: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenStep {
    pub participant: ParticipantId,
    pub name: String,
    pub step: NextStep,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quiet {
    pub participant: ParticipantId,
    pub name: String,
    /// Days since the last meeting (or since enrolment).
    pub days: i64,
    pub ever_met: bool,
}

/// Why follow-along support is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowKind {
    /// The job starts within 7 days.
    StartsSoon,
    /// The job started 0–3 days ago and there was no in-person meeting since.
    JustStarted,
    /// One of the four weeks after that, still without an in-person meeting.
    Weekly,
    /// The job ended 0–3 days ago and there was no meeting since.
    Ended,
}

impl FollowKind {
    pub fn key(self) -> &'static str {
        match self {
            FollowKind::StartsSoon => "follow-starts-soon",
            FollowKind::JustStarted => "follow-just-started",
            FollowKind::Weekly => "follow-weekly",
            FollowKind::Ended => "follow-ended",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowAlong {
    pub participant: ParticipantId,
    pub name: String,
    pub job: String,
    pub kind: FollowKind,
    /// The start (or, for [`FollowKind::Ended`], the end) of the job.
    pub date: Date,
}

/// One person on the caseload, for the list at the end of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct OnCaseload {
    pub participant: ParticipantId,
    pub name: String,
    /// On the caseload of a coach this coach stands in for.
    pub standing_in: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    /// Everyone within reach, by name.
    pub everyone: Vec<OnCaseload>,
    pub planned: Vec<Planned>,
    pub steps: Vec<OpenStep>,
    pub quiet: Vec<Quiet>,
    pub no_employer_contact: Vec<Quiet>,
    pub follow_along: Vec<FollowAlong>,
    /// Participants whose designated coach this coach is.
    pub caseload: usize,
    pub contacts_this_week: usize,
}

/// The Monday of the week of `d`.
pub fn week_start(d: Date) -> Date {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

pub fn compute(c: &Caseload, coach: &CoachId, today: Date) -> Day {
    let name = |id: &ParticipantId| {
        c.participants
            .iter()
            .find(|p| &p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let last_meeting = |id: &ParticipantId, from: Date| {
        let recent = c
            .meetings
            .iter()
            .filter(|m| &m.participant == id)
            .map(|m| m.date);
        let older = c.last_met.iter().filter(|(p, _)| p == id).map(|(_, d)| *d);
        recent
            .chain(older)
            .filter(|d| *d >= from && *d <= today)
            .max()
    };

    let mut planned: Vec<Planned> = c
        .planned
        .iter()
        .filter(|(_, d)| *d >= today)
        .map(|(id, d)| Planned {
            participant: id.clone(),
            name: name(id),
            date: *d,
            today: *d == today,
        })
        .collect();
    planned.sort_by(|a, b| (a.date, &a.name).cmp(&(b.date, &b.name)));

    let mut steps: Vec<OpenStep> = c
        .open_steps
        .iter()
        .filter(|s| s.is_open_on(today) || s.agreed_on > today)
        .map(|s| OpenStep {
            participant: s.participant.clone(),
            name: name(&s.participant),
            step: s.clone(),
            overdue: s.is_overdue_on(today),
        })
        .collect();
    // Overdue first, then by due day (undated last), then by name.
    steps.sort_by(|a, b| {
        (!a.overdue, a.step.due_on.is_none(), a.step.due_on, &a.name).cmp(&(
            !b.overdue,
            b.step.due_on.is_none(),
            b.step.due_on,
            &b.name,
        ))
    });

    let mut quiet = Vec::new();
    let mut no_employer_contact = Vec::new();
    for p in &c.participants {
        let last = last_meeting(&p.id, p.enrolled_on);
        let since = last.unwrap_or(p.enrolled_on);
        let days = (today - since).num_days();
        if days >= 14 {
            quiet.push(Quiet {
                participant: p.id.clone(),
                name: p.name.clone(),
                days,
                ever_met: last.is_some(),
            });
        }
        let enrolled_days = (today - p.enrolled_on).num_days();
        let had_contact = c.employer_contacts.iter().any(|e| {
            e.face_to_face && e.by.participant() == Some(&p.id) && e.date >= p.enrolled_on
        });
        if enrolled_days > V4_NO_CONTACT_GRACE_DAYS && !had_contact {
            no_employer_contact.push(Quiet {
                participant: p.id.clone(),
                name: p.name.clone(),
                days: enrolled_days,
                ever_met: last.is_some(),
            });
        }
    }
    quiet.sort_by_key(|q| std::cmp::Reverse(q.days));
    no_employer_contact.sort_by_key(|q| std::cmp::Reverse(q.days));

    let mut follow_along = Vec::new();
    for j in &c.jobs {
        let until_start = (j.started_on - today).num_days();
        let met_since = |from: Date| last_meeting(&j.participant, from).is_some();
        let in_person: Vec<&Meeting> = c
            .meetings
            .iter()
            .filter(|m| m.participant == j.participant && m.place.is_in_person())
            .collect();
        // METRICS.md V12: the period of the schedule that holds today, if it still lacks
        // its in-person meeting.
        let due_period = follow_along_weeks(j.started_on, j.ended_on, &in_person)
            .into_iter()
            .find(|w| w.from <= today && today <= w.to && w.required && w.meeting.is_none());
        let kind = if let Some(end) = j.ended_on.filter(|e| *e <= today) {
            let since_end = (today - end).num_days();
            (since_end <= 3 && !met_since(end)).then_some((FollowKind::Ended, end))
        } else if (1..=7).contains(&until_start) {
            Some((FollowKind::StartsSoon, j.started_on))
        } else {
            due_period.map(|w| {
                let kind = if w.week == 0 {
                    FollowKind::JustStarted
                } else {
                    FollowKind::Weekly
                };
                (kind, j.started_on)
            })
        };
        if let Some((kind, date)) = kind {
            follow_along.push(FollowAlong {
                participant: j.participant.clone(),
                name: name(&j.participant),
                job: j.title.clone(),
                kind,
                date,
            });
        }
    }
    follow_along.sort_by(|a, b| (a.date, &a.name).cmp(&(b.date, &b.name)));

    let caseload = c.participants.iter().filter(|p| &p.coach == coach).count();
    let monday = week_start(today);
    let contacts_this_week = c
        .coach_contacts
        .iter()
        .filter(|e| {
            e.face_to_face && e.by.coach() == Some(coach) && e.date >= monday && e.date <= today
        })
        .count();

    let everyone = c
        .participants
        .iter()
        .map(|p| OnCaseload {
            participant: p.id.clone(),
            name: p.name.clone(),
            standing_in: &p.coach != coach,
        })
        .collect();

    Day {
        everyone,
        planned,
        steps,
        quiet,
        no_employer_contact,
        follow_along,
        caseload,
        contacts_this_week,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }
    fn pid(s: &str) -> ParticipantId {
        ParticipantId::parse(s).unwrap()
    }
    fn coach() -> CoachId {
        CoachId::parse("C1").unwrap()
    }
    fn person(id: &str, enrolled: &str) -> Participant {
        Participant {
            id: pid(id),
            program: ProgramId::parse("P1").unwrap(),
            coach: coach(),
            name: id.to_owned(),
            referral_source: ReferralSource::SelfReferral,
            referred_on: None,
            enrolled_on: d(enrolled),
            employed_at_entry: false,
            exit: None,
        }
    }
    fn meeting(p: &str, date: &str) -> Meeting {
        Meeting {
            id: MeetingId::parse(&format!("M{p}{date}")).unwrap(),
            participant: pid(p),
            coach: coach(),
            date: d(date),
            minutes: Minutes::new(30).unwrap(),
            place: Place::Cafe,
            note: None,
        }
    }
    fn job(p: &str, start: &str, end: Option<&str>) -> Job {
        Job {
            id: JobId::parse(&format!("J{p}")).unwrap(),
            participant: pid(p),
            employer: None,
            kind: JobKind::Placement,
            title: "Café".into(),
            occupation_code: None,
            hours_per_week: None,
            hourly_wage: None,
            started_on: d(start),
            ended_on: end.map(d),
            end_reason: None,
        }
    }
    fn follow(c: &Caseload, today: &str) -> Vec<FollowKind> {
        compute(c, &coach(), d(today))
            .follow_along
            .iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn quiet_after_14_days_counting_from_enrolment() {
        let c = Caseload {
            participants: vec![person("A", "2025-01-01"), person("B", "2025-01-10")],
            meetings: vec![meeting("A", "2025-01-05")],
            ..Default::default()
        };
        let day = compute(&c, &coach(), d("2025-01-19"));
        let names: Vec<_> = day
            .quiet
            .iter()
            .map(|q| (q.name.as_str(), q.days))
            .collect();
        assert_eq!(names, vec![("A", 14)]);
    }

    #[test]
    fn rapid_job_search_after_more_than_30_days_without_face_to_face_contact() {
        let c = Caseload {
            participants: vec![person("A", "2025-01-01")],
            ..Default::default()
        };
        assert!(
            // Day 30 is still within the target.
            compute(&c, &coach(), d("2025-01-31"))
                .no_employer_contact
                .is_empty()
        );
        assert_eq!(
            compute(&c, &coach(), d("2025-02-01"))
                .no_employer_contact
                .len(),
            1
        );
    }

    #[test]
    fn follow_along_schedule() {
        let mut c = Caseload {
            participants: vec![person("A", "2025-01-01")],
            jobs: vec![job("A", "2025-02-10", None)],
            ..Default::default()
        };
        assert_eq!(follow(&c, "2025-02-02"), vec![]);
        assert_eq!(follow(&c, "2025-02-03"), vec![FollowKind::StartsSoon]);
        assert_eq!(follow(&c, "2025-02-10"), vec![FollowKind::JustStarted]);
        assert_eq!(follow(&c, "2025-02-13"), vec![FollowKind::JustStarted]);
        // Week 1 is 11–17 February (V12: [s + 1, s + 7]), overlapping the first days.
        assert_eq!(follow(&c, "2025-02-14"), vec![FollowKind::Weekly]);
        c.meetings.push(meeting("A", "2025-02-12"));
        assert_eq!(follow(&c, "2025-02-13"), vec![]);
        assert_eq!(follow(&c, "2025-02-17"), vec![]);
        // Week 2, 18–24 February, has no meeting yet.
        assert_eq!(follow(&c, "2025-02-18"), vec![FollowKind::Weekly]);
        // A phone call is not an in-person meeting.
        let mut call = meeting("A", "2025-02-19");
        call.place = Place::Phone;
        c.meetings.push(call);
        assert_eq!(follow(&c, "2025-02-20"), vec![FollowKind::Weekly]);
        c.meetings.push(meeting("A", "2025-02-20"));
        assert_eq!(follow(&c, "2025-02-21"), vec![]);
        // After the fourth week (ends 10 March) nothing is due.
        assert_eq!(follow(&c, "2025-03-11"), vec![]);
        c.jobs[0].ended_on = Some(d("2025-04-01"));
        assert_eq!(follow(&c, "2025-04-04"), vec![FollowKind::Ended]);
        assert_eq!(follow(&c, "2025-04-05"), vec![]);
    }

    #[test]
    fn overdue_steps_come_first() {
        let step = |id: &str, due: Option<&str>| NextStep {
            id: StepId::parse(id).unwrap(),
            participant: pid("A"),
            meeting: None,
            owner: StepOwner::Participant,
            text: id.into(),
            agreed_on: d("2025-01-01"),
            due_on: due.map(d),
            done_on: None,
        };
        let c = Caseload {
            participants: vec![person("A", "2025-01-01")],
            open_steps: vec![
                step("later", Some("2025-03-01")),
                step("undated", None),
                step("late", Some("2025-01-10")),
            ],
            ..Default::default()
        };
        let day = compute(&c, &coach(), d("2025-02-01"));
        let order: Vec<_> = day.steps.iter().map(|s| s.step.text.as_str()).collect();
        assert_eq!(order, vec!["late", "later", "undated"]);
    }
}
