//! One enrolment: the participant, their goals, benefits planning, the meetings with their
//! coach and the next steps agreed there, the employer contacts made for them, and their
//! jobs and other steps toward work.

use fika_core::{
    BenefitsPlanning, BenefitsStatus, ContactBy, ContactPurpose, EmployerContact, EndReason, Exit,
    ExitReason, Goal, GoalId, HourlyWage, HoursPerWeek, Job, JobId, JobKind, Meeting, MeetingId,
    Minutes, NextStep, OccupationCode, Participant, ParticipantId, Place, ReferralSource, Row,
    StepId, StepOwner,
};

use crate::program::{Program, contact_id};
use crate::words::{self, Sector};
use crate::{Day, Numbers, Out, date, numbered, working_day};

/// How an enrolment ends, if it has ended by `today`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaving {
    /// The participant left on this day.
    Exit(Day),
    /// The coach left on this day and the participant goes on with the replacement.
    Handover(Day),
}

pub(crate) struct Enrolment {
    /// Index of the designated coach in the program.
    pub(crate) coach: usize,
    pub(crate) enrolled: Day,
    pub(crate) leaving: Option<Leaving>,
    /// When the person will leave the program (after a handover, too).
    pub(crate) planned_exit: Day,
}

/// What a handed-over participant takes to their new enrolment.
pub(crate) struct Carry {
    name: String,
    goal: usize,
    pub(crate) planned_exit: Day,
    working: bool,
}

/// A job or other step toward work, before it becomes a row.
struct JobPlan {
    kind: JobKind,
    title: String,
    code: Option<&'static str>,
    employer: Option<usize>,
    start: Day,
    end: Option<Day>,
    end_reason: Option<EndReason>,
    hours: Option<f64>,
    wage: Option<f64>,
}

impl JobPlan {
    fn held_on(&self, d: Day) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }

    /// Whether the coach follows this job's start closely (METRICS.md V12: an in-person
    /// meeting within three days of the start and in each of the first four weeks). Most
    /// starts are followed; about one in five is not, so the indicator is good, not perfect.
    fn followed(&self) -> bool {
        self.kind.is_paid() && self.start.rem_euclid(5) != 0
    }

    /// Whether day `d` falls in the first month of a followed start.
    fn in_follow_along(&self, d: Day) -> bool {
        self.followed() && self.start <= d && d <= self.start + 31
    }
}

/// The day of the next meeting when a followed job start asks for it sooner than `next`:
/// within three days of the start, then at most a week apart through the first month.
fn follow_along(d: Day, next: Day, jobs: &[JobPlan]) -> Day {
    let mut sooner = next;
    for j in jobs.iter().filter(|j| j.followed()) {
        if d < j.start && next > j.start + 3 {
            sooner = sooner.min(j.start + 2);
        } else if j.start <= d && d < j.start + 28 && next > d + 7 {
            sooner = sooner.min(d + 7);
        }
    }
    sooner
}

/// A participant, their coach and the day their enrolment's records end.
struct Who {
    id: ParticipantId,
    coach: usize,
    enrolled: Day,
    last: Day,
}

impl Program {
    /// Hands over one enrolment with everything that happened in it.
    pub(crate) fn person<E>(
        &mut self,
        e: Enrolment,
        carry: Option<Carry>,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<Carry, E> {
        let last = match e.leaving {
            Some(Leaving::Exit(x) | Leaving::Handover(x)) => x,
            None => self.today,
        };
        self.participants += 1;
        let who = Who {
            id: ParticipantId::try_from(numbered(
                &self.participant_prefix,
                u64::from(self.participants),
                3,
            ))
            .expect("valid ID"),
            coach: e.coach,
            enrolled: e.enrolled,
            last,
        };
        let (name, goal) = match &carry {
            Some(c) => (c.name.clone(), c.goal),
            None => (
                format!(
                    "{} {}",
                    self.dice.pick(words::FIRST_NAMES),
                    self.dice.pick(words::LAST_NAMES)
                ),
                self.dice.below(words::GOALS.len() as u32) as usize,
            ),
        };
        let carried_working = carry.as_ref().is_some_and(|c| c.working);
        let jobs = self.plan_jobs(&who, goal, carried_working);
        let working_on = |d: Day| jobs.iter().any(|j| j.kind.is_paid() && j.held_on(d));

        let exit = e.leaving.map(|leaving| match leaving {
            Leaving::Handover(l) => Exit {
                on: date(l),
                reason: ExitReason::Other,
            },
            Leaving::Exit(x) => Exit {
                on: date(x),
                reason: if working_on(x) {
                    // Doing well at work and no longer needing support.
                    self.dice.weighted(&[
                        (ExitReason::SteppedDown, 60),
                        (ExitReason::ParticipantChoice, 20),
                        (ExitReason::Moved, 15),
                        (ExitReason::Other, 5),
                    ])
                } else {
                    self.dice.weighted(&[
                        (ExitReason::ParticipantChoice, 50),
                        (ExitReason::Moved, 30),
                        (ExitReason::SteppedDown, 5),
                        (ExitReason::Other, 15),
                    ])
                },
            },
        });
        let (referral_source, referred_on) = if carry.is_some() {
            (ReferralSource::Other, Some(e.enrolled - 1))
        } else {
            let source = self.dice.weighted(&[
                (ReferralSource::MentalHealthTeam, 35),
                (ReferralSource::SocialServices, 25),
                (ReferralSource::SelfReferral, 15),
                (ReferralSource::EmploymentService, 12),
                (ReferralSource::Family, 6),
                (ReferralSource::Other, 7),
            ]);
            let referred = self
                .dice
                .chance(0.8)
                .then(|| e.enrolled - self.dice.between(0, 40));
            (source, referred)
        };
        let employed_at_entry = carried_working || self.dice.chance(0.08);
        if exit.is_none() {
            self.active_today += 1;
        }
        out.emit(Row::Participant(Participant {
            id: who.id.clone(),
            program: self.id.clone(),
            coach: self.coaches[who.coach].id.clone(),
            name: name.clone(),
            referral_source,
            referred_on: referred_on.map(date),
            enrolled_on: date(e.enrolled),
            employed_at_entry,
            exit,
        }))?;

        self.goals(&who, goal, out, numbers)?;
        self.benefits_planning(&who, out)?;
        let handover = matches!(e.leaving, Some(Leaving::Handover(_)));
        self.meetings(&who, &jobs, handover, out, numbers)?;
        self.contacts_for(&who, &jobs, out, numbers)?;
        for job in &jobs {
            out.emit(Row::Job(Job {
                id: JobId::try_from(numbered("J", Numbers::next(&mut numbers.job), 5))
                    .expect("valid ID"),
                participant: who.id.clone(),
                employer: job.employer.map(|i| self.employers[i].id.clone()),
                kind: job.kind,
                title: job.title.clone(),
                occupation_code: job.code.map(code),
                hours_per_week: job.hours.map(hours),
                hourly_wage: job
                    .wage
                    .map(|w| HourlyWage::new(w).expect("a wage is positive")),
                started_on: date(job.start),
                ended_on: job.end.map(date),
                end_reason: job.end_reason,
            }))?;
        }
        Ok(Carry {
            name,
            goal,
            planned_exit: e.planned_exit,
            working: working_on(last),
        })
    }

    /// The goal in the participant's own words, set at the first meeting; some revise it
    /// or add another later.
    fn goals<E>(
        &mut self,
        who: &Who,
        goal: usize,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        let mut set = vec![(goal, who.enrolled)];
        if self.dice.chance(0.2) {
            let later = who.enrolled + self.dice.between(60, 300);
            let other = self.dice.below(words::GOALS.len() as u32) as usize;
            if later <= who.last && other != goal {
                set.push((other, later));
            }
        }
        for (g, on) in set {
            let w = &words::GOALS[g];
            out.emit(Row::Goal(Goal {
                id: GoalId::try_from(numbered("G", Numbers::next(&mut numbers.goal), 5))
                    .expect("valid ID"),
                participant: who.id.clone(),
                set_on: date(on),
                text: w.text.to_owned(),
                occupation_code: w.code.map(code),
                hours_per_week: w.hours.map(hours),
            }))?;
        }
        Ok(())
    }

    /// Work-incentives planning (benefits counselling): offered to most early on, and
    /// completed by many of them.
    fn benefits_planning<E>(&mut self, who: &Who, out: &mut Out<'_, E>) -> Result<(), E> {
        if !self.dice.chance(0.7) {
            return Ok(());
        }
        let offered = who.enrolled + self.dice.between(0, 45);
        if offered > who.last {
            return Ok(());
        }
        let trained_planner = self.dice.chance(0.4);
        out.emit(Row::BenefitsPlanning(BenefitsPlanning {
            participant: who.id.clone(),
            date: date(offered),
            status: BenefitsStatus::Offered,
            trained_planner,
        }))?;
        let completed = offered + self.dice.between(7, 60);
        if self.dice.chance(0.6) && completed <= who.last {
            out.emit(Row::BenefitsPlanning(BenefitsPlanning {
                participant: who.id.clone(),
                date: date(completed),
                status: BenefitsStatus::Completed,
                trained_planner,
            }))?;
        }
        Ok(())
    }

    /// Meetings about weekly to fortnightly, from the first coffee on the day of enrolment
    /// to the end of the enrolment (or today), each followed by the next steps agreed there.
    fn meetings<E>(
        &mut self,
        who: &Who,
        jobs: &[JobPlan],
        handover: bool,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        let base = self.dice.between(6, 13);
        let office = self.coaches[who.coach].office;
        let mut d = who.enrolled;
        let mut first = true;
        while d <= who.last {
            let next = follow_along(d, self.next_meeting(d, base), jobs);
            let at_work = jobs.iter().any(|j| j.held_on(d));
            let mut place = self.place(first, at_work, office);
            if !place.is_in_person() && jobs.iter().any(|j| j.in_follow_along(d)) {
                // Follow-along in the first weeks of a job happens face to face.
                place = Place::Workplace;
            }
            let minutes = self.minutes(first, place);
            let note = if handover && next > who.last {
                Some(words::NOTE_HANDOVER)
            } else if first && place == Place::Cafe {
                Some(words::NOTE_FIRST)
            } else if self.dice.chance(0.35) {
                Some(*self.dice.pick(notes(place)))
            } else {
                None
            };
            let id = MeetingId::try_from(numbered("M", Numbers::next(&mut numbers.meeting), 6))
                .expect("valid ID");
            out.emit(Row::Meeting(Meeting {
                id: id.clone(),
                participant: who.id.clone(),
                coach: self.coaches[who.coach].id.clone(),
                date: date(d),
                minutes: Minutes::new(minutes).expect("minutes within 1..=1440"),
                place,
                note: note.map(str::to_owned),
            }))?;
            self.next_steps(who, &id, d, next, out, numbers)?;
            first = false;
            d = next;
        }
        Ok(())
    }

    /// The next planned meeting: about `base` days on, on a working day, now and then after
    /// a quieter spell (holidays, illness, a busy new job).
    fn next_meeting(&mut self, d: Day, base: Day) -> Day {
        let mut gap = base + self.dice.between(-2, 2);
        if self.dice.chance(0.06) {
            gap += self.dice.between(7, 14);
        }
        working_day(d + gap.max(3))
    }

    fn place(&mut self, first: bool, at_work: bool, office: f64) -> Place {
        if first {
            // BRIEF theme 2: the first meeting is often over a cup of coffee.
            return self.dice.weighted(&[
                (Place::Cafe, 60),
                (Place::Office, 25),
                (Place::Community, 10),
                (Place::Home, 5),
            ]);
        }
        let r = self.dice.unit();
        if r < 0.10 {
            Place::Phone
        } else if r < 0.14 {
            Place::Message
        } else if r < 0.17 {
            Place::Video
        } else if self.dice.chance(office) {
            Place::Office
        } else if at_work {
            self.dice.weighted(&[
                (Place::Workplace, 40),
                (Place::Cafe, 30),
                (Place::Community, 12),
                (Place::Home, 13),
                (Place::Employer, 5),
            ])
        } else {
            self.dice.weighted(&[
                (Place::Cafe, 42),
                (Place::Community, 25),
                (Place::Home, 18),
                (Place::Employer, 15),
            ])
        }
    }

    fn minutes(&mut self, first: bool, place: Place) -> u32 {
        let choices: &[u32] = match place {
            _ if first => &[60, 75, 90],
            Place::Phone => &[15, 15, 20, 30],
            Place::Video => &[20, 30, 45],
            Place::Message => &[15],
            _ => &[30, 45, 45, 60, 60, 60, 75, 90, 120],
        };
        *self.dice.pick(choices)
    }

    /// Here and now action (BRIEF theme 4): most meetings end with one or two next steps.
    /// Most are done on time, some late, a few are forgotten and stay overdue.
    fn next_steps<E>(
        &mut self,
        who: &Who,
        meeting: &MeetingId,
        d: Day,
        next_meeting: Day,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        if !self.dice.chance(0.78) {
            return Ok(());
        }
        let n = if self.dice.chance(0.3) { 2 } else { 1 };
        for _ in 0..n {
            let owner = self.dice.weighted(&[
                (StepOwner::Participant, 40),
                (StepOwner::Coach, 35),
                (StepOwner::Both, 18),
                (StepOwner::Other, 7),
            ]);
            let list = match owner {
                StepOwner::Participant => words::STEPS_PARTICIPANT,
                StepOwner::Coach => words::STEPS_COACH,
                StepOwner::Both => words::STEPS_BOTH,
                StepOwner::Other => words::STEPS_OTHER,
            };
            let template = *self.dice.pick(list);
            let text = if template.contains("{}") {
                let employer =
                    &self.employers[self.dice.below(self.employers.len() as u32) as usize];
                template.replace("{}", &employer.name)
            } else {
                template.to_owned()
            };
            let r = self.dice.unit();
            let due = if r < 0.6 {
                // "By next meeting": due on the day of the next planned meeting.
                Some(next_meeting)
            } else if r < 0.8 {
                None
            } else {
                Some(d + self.dice.between(3, 21))
            };
            let target = due.unwrap_or_else(|| d + self.dice.between(7, 30));
            let r = self.dice.unit();
            let done = if r < 0.82 {
                Some(d + self.dice.between(1, target - d))
            } else if r < 0.97 {
                Some(target + self.dice.between(1, 21))
            } else {
                None
            };
            out.emit(Row::NextStep(NextStep {
                id: StepId::try_from(numbered("S", Numbers::next(&mut numbers.step), 6))
                    .expect("valid ID"),
                participant: who.id.clone(),
                meeting: Some(meeting.clone()),
                owner,
                text,
                agreed_on: date(d),
                due_on: due.map(date),
                // Nothing is known to be done after today.
                done_on: done.filter(|&x| x <= self.today).map(date),
            }))?;
        }
        Ok(())
    }

    /// Rapid job search (METRICS.md V4): the first face-to-face employer contact for a new
    /// participant comes within 30 days for most, later for some. Then job development
    /// goes on every week or few while they look for work, and follow-up with the employer
    /// once they have a job, more often in its first months.
    fn contacts_for<E>(
        &mut self,
        who: &Who,
        jobs: &[JobPlan],
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        let keenness = self.coaches[who.coach].job_development;
        let r = self.dice.unit();
        let delay = if r < 0.72 {
            self.dice.between(1, 30)
        } else if r < 0.92 {
            self.dice.between(31, 90)
        } else {
            self.dice.between(91, 240)
        };
        let mut d = working_day(who.enrolled + delay);
        let mut first = true;
        while d <= who.last {
            let holding = jobs.iter().find(|j| j.kind.is_paid() && j.held_on(d));
            let upcoming = jobs
                .iter()
                .find(|j| j.employer.is_some() && j.start > d && j.start <= d + 30);
            let (employer, purpose) = match (upcoming, holding) {
                (Some(j), _) => (j.employer, ContactPurpose::PresentCandidate),
                (None, Some(j)) => (j.employer, ContactPurpose::FollowUp),
                (None, None) => (
                    None,
                    if first {
                        self.dice.weighted(&[
                            (ContactPurpose::PresentCandidate, 60),
                            (ContactPurpose::LearnNeeds, 40),
                        ])
                    } else {
                        self.dice.weighted(&[
                            (ContactPurpose::PresentCandidate, 45),
                            (ContactPurpose::LearnNeeds, 35),
                            (ContactPurpose::FollowUp, 15),
                            (ContactPurpose::Other, 5),
                        ])
                    },
                ),
            };
            let employer =
                employer.unwrap_or_else(|| self.dice.below(self.employers.len() as u32) as usize);
            let by_coach = first || self.dice.chance(0.8);
            let face_to_face = first || self.dice.chance(if by_coach { 0.72 } else { 0.6 });
            let by = if by_coach {
                ContactBy::Coach {
                    coach: self.coaches[who.coach].id.clone(),
                    participant: Some(who.id.clone()),
                }
            } else {
                ContactBy::Participant {
                    participant: who.id.clone(),
                }
            };
            out.emit(Row::EmployerContact(EmployerContact {
                id: contact_id(numbers),
                employer: self.employers[employer].id.clone(),
                date: date(d),
                by,
                face_to_face,
                purpose: Some(purpose),
            }))?;
            first = false;
            let gap = match holding {
                Some(j) if d - j.start <= 120 => self.dice.between(21, 45),
                Some(_) => self.dice.between(60, 120),
                None => self.dice.between(7, 24),
            };
            let gap = (f64::from(gap) / keenness).round() as Day;
            d = working_day(d + gap.max(2));
        }
        Ok(())
    }

    /// The participant's path toward work: for many a first job within months (most often
    /// a competitive one, matched to their goal where it can be), for some a placement,
    /// studies or volunteering first, for some nothing yet.
    fn plan_jobs(&mut self, who: &Who, goal: usize, carried_working: bool) -> Vec<JobPlan> {
        let mut jobs = Vec::new();
        if carried_working && self.dice.chance(0.7) {
            return jobs;
        }
        let r = self.dice.unit();
        let mut t = who.enrolled
            + if r < 0.35 {
                self.dice.between(20, 90)
            } else if r < 0.65 {
                self.dice.between(90, 240)
            } else if r < 0.8 {
                self.dice.between(240, 500)
            } else {
                return jobs;
            };
        while jobs.len() < 4 {
            let start = working_day(t);
            if start > who.last {
                break;
            }
            let kind = self.dice.weighted(&[
                (JobKind::Competitive, 62),
                (JobKind::Subsidized, 10),
                (JobKind::Transitional, 4),
                (JobKind::Placement, 11),
                (JobKind::Education, 8),
                (JobKind::Volunteer, 5),
            ]);
            let job = self.job(kind, start, goal);
            let next = match (job.end, job.end_reason) {
                (None, _) => None,
                (Some(end), Some(EndReason::BetterJob)) => Some(end + 1),
                (Some(end), _) => Some(end + self.dice.between(14, 150)),
            };
            jobs.push(job);
            match next {
                Some(n) => t = n,
                None => break,
            }
        }
        jobs
    }

    fn job(&mut self, kind: JobKind, start: Day, goal: usize) -> JobPlan {
        let (title, code, employer, hours, wage, length) = match kind {
            JobKind::Competitive | JobKind::Subsidized | JobKind::Transitional => {
                let wanted = words::GOALS[goal].code;
                let w = match wanted.and_then(|c| words::JOBS.iter().find(|j| j.code == c)) {
                    Some(w) if self.dice.chance(0.55) => w,
                    _ => self.dice.pick(words::JOBS),
                };
                let title = match kind {
                    JobKind::Subsidized => format!("{} (lönebidrag)", w.title),
                    JobKind::Transitional => format!("{} (visstid via kommunen)", w.title),
                    _ => w.title.to_owned(),
                };
                let hours = self.dice.between(w.hours.0 as i32, w.hours.1 as i32);
                let wage = self.dice.between(w.wage.0 as i32, w.wage.1 as i32);
                let length = if kind == JobKind::Transitional {
                    self.dice.between(180, 365)
                } else if self.dice.chance(0.45) {
                    self.dice.between(400, 1200)
                } else {
                    self.dice.between(30, 400)
                };
                (
                    title,
                    Some(w.code),
                    Some(self.employer_in(w.sector)),
                    Some(hours),
                    Some(f64::from(wage)),
                    length,
                )
            }
            JobKind::Placement => {
                let (title, sector) = *self.dice.pick(words::PLACEMENTS);
                let hours = self.dice.between(10, 25);
                let length = self.dice.between(28, 120);
                let employer = self.employer_in(sector);
                (
                    title.to_owned(),
                    None,
                    Some(employer),
                    Some(hours),
                    None,
                    length,
                )
            }
            JobKind::Education => {
                let (title, code) = *self.dice.pick(words::EDUCATIONS);
                let hours = *self.dice.pick(&[10, 15, 20, 40]);
                let length = self.dice.between(60, 300);
                (title.to_owned(), code, None, Some(hours), None, length)
            }
            JobKind::Volunteer => {
                let title = *self.dice.pick(words::VOLUNTEERING);
                let hours = self.dice.between(2, 8);
                let length = self.dice.between(60, 400);
                let employer = self.employer_in(Sector::Charity);
                (
                    title.to_owned(),
                    None,
                    Some(employer),
                    Some(hours),
                    None,
                    length,
                )
            }
        };
        let end = Some(start + length).filter(|&e| e <= self.today);
        let end_reason = end.map(|_| match kind {
            JobKind::Transitional => EndReason::ContractEnded,
            JobKind::Competitive | JobKind::Subsidized => self.dice.weighted(&[
                (EndReason::Quit, 30),
                (EndReason::ContractEnded, 30),
                (EndReason::BetterJob, 15),
                (EndReason::Fired, 8),
                (EndReason::Other, 17),
            ]),
            _ => self.dice.weighted(&[
                (EndReason::ContractEnded, 70),
                (EndReason::Quit, 20),
                (EndReason::Other, 10),
            ]),
        });
        JobPlan {
            kind,
            title,
            code,
            employer,
            start,
            end,
            end_reason,
            hours: hours.map(f64::from),
            wage,
        }
    }

    /// An employer of the register in this sector, or any employer when none is.
    fn employer_in(&mut self, sector: Sector) -> usize {
        let n = self.employers.iter().filter(|e| e.sector == sector).count() as u32;
        if n == 0 {
            return self.dice.below(self.employers.len() as u32) as usize;
        }
        let k = self.dice.below(n) as usize;
        self.employers
            .iter()
            .enumerate()
            .filter(|(_, e)| e.sector == sector)
            .nth(k)
            .map_or(0, |(i, _)| i)
    }
}

fn notes(place: Place) -> &'static [&'static str] {
    match place {
        Place::Cafe => words::NOTES_CAFE,
        Place::Workplace => words::NOTES_WORKPLACE,
        Place::Employer => words::NOTES_EMPLOYER,
        Place::Home => words::NOTES_HOME,
        Place::Community => words::NOTES_COMMUNITY,
        Place::Office => words::NOTES_OFFICE,
        Place::Phone => words::NOTES_PHONE,
        Place::Video => words::NOTES_VIDEO,
        Place::Message => words::NOTES_MESSAGE,
    }
}

fn code(c: &'static str) -> OccupationCode {
    OccupationCode::parse(c).expect("the demo's occupation codes have 4 digits")
}

fn hours(h: f64) -> HoursPerWeek {
    HoursPerWeek::new(h).expect("the demo's hours are between 1 and 40")
}
