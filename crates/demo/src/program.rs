//! One program: its employer register, its coaches (one may leave and be replaced), the
//! coaches' general job development, and the caseload seat by seat.

use fika_core::{
    Coach, CoachId, ContactBy, ContactId, ContactPurpose, Employer, EmployerContact, EmployerId,
    Fte, Program as ProgramRow, ProgramId, Row,
};

use crate::dice::Dice;
use crate::person::{Carry, Enrolment, Leaving};
use crate::words::{self, Form, Sector};
use crate::{Day, DemoConfig, Numbers, Out, ProgramSummary, Scale, date, numbered, working_day};

/// An employer of the register, as the rest of the program needs it.
pub(crate) struct Emp {
    pub(crate) id: EmployerId,
    pub(crate) name: String,
    pub(crate) org_number: Option<String>,
    pub(crate) sector: Sector,
}

/// A coach, with the habits that shape their records.
pub(crate) struct CoachPlan {
    pub(crate) id: CoachId,
    pub(crate) name: String,
    pub(crate) fte: f64,
    pub(crate) start: Day,
    pub(crate) end: Option<Day>,
    /// How keen on job development: 1 is about the IPS target of 6 contacts a week.
    pub(crate) job_development: f64,
    /// Share of in-person meetings held at the office.
    pub(crate) office: f64,
}

/// A caseload position: a coach, possibly replaced by another, and how many participants
/// they carry at a time.
struct Slot {
    first: usize,
    replacement: Option<usize>,
    seats: u32,
}

/// General job-development contacts (no named job seeker) per full-time week, before the
/// coach's own keenness; the contacts made for named job seekers come on top.
const GENERAL_CONTACTS_PER_WEEK: f64 = 4.0;

pub(crate) struct Program {
    pub(crate) id: ProgramId,
    pub(crate) name: String,
    organisation: String,
    started_on: Day,
    pub(crate) today: Day,
    pub(crate) dice: Dice,
    pub(crate) employers: Vec<Emp>,
    pub(crate) coaches: Vec<CoachPlan>,
    slots: Vec<Slot>,
    /// `P1-X`: participant IDs are this and a running number.
    pub(crate) participant_prefix: String,
    /// Participants so far, for their IDs.
    pub(crate) participants: u32,
    pub(crate) active_today: u32,
}

impl Program {
    /// Decides the program's shape: employers, coaches and caseloads.
    pub(crate) fn plan(config: &DemoConfig, index: u32, today: Day) -> Program {
        let mut dice = Dice::for_program(config.seed, index);
        let id = ProgramId::try_from(format!("P{}", index + 1)).expect("valid ID");
        let (name, organisation, employers) = match config.scale {
            Scale::Region => {
                let p = &words::REGION[index as usize % words::REGION.len()];
                let employers = register(&id, &mut dice, p.employers, "", &[""]);
                (p.name.to_owned(), p.organisation.to_owned(), employers)
            }
            Scale::National => {
                let n = words::TOWNS.len() as u32;
                let town = words::TOWNS[(index % n) as usize];
                let team = index / n + 1;
                let name = if team == 1 {
                    format!("IPS {town}")
                } else {
                    format!("IPS {town} {team}")
                };
                let employers = register(
                    &id,
                    &mut dice,
                    words::TOWN_EMPLOYERS,
                    town,
                    words::DISTRICTS,
                );
                (name, format!("{town} kommun, socialtjänsten"), employers)
            }
        };
        let started_on = today - 730 - dice.between(0, 90);
        let mut program = Program {
            participant_prefix: format!("{id}-X"),
            id,
            name,
            organisation,
            started_on,
            today,
            dice,
            employers,
            coaches: Vec::new(),
            slots: Vec::new(),
            participants: 0,
            active_today: 0,
        };
        program.plan_coaches(config.scale, index);
        program
    }

    fn plan_coaches(&mut self, scale: Scale, index: u32) {
        let slots = match scale {
            Scale::Region => self.dice.between(2, 4) as u32,
            Scale::National => self.dice.between(6, 12) as u32,
        };
        for s in 0..slots {
            let last = s + 1 == slots;
            // The region always shows one part-time coach (in Östersund) and one who left
            // and was replaced (in Uppsala); elsewhere both happen by chance.
            let part_time = match scale {
                Scale::Region => last && (index == 2 || self.dice.chance(0.3)),
                Scale::National => self.dice.chance(0.2),
            };
            let replaced = match scale {
                Scale::Region => s == 0 && (index == 1 || self.dice.chance(0.2)),
                Scale::National => self.dice.chance(0.12),
            };
            let fte = if part_time {
                *self.dice.pick(&[0.5, 0.75, 0.8])
            } else {
                1.0
            };
            let start = self.started_on + if s == 0 { 0 } else { self.dice.between(0, 20) };
            let end = replaced.then(|| start + self.dice.between(240, 480));
            let first = self.add_coach(fte, start, end);
            // The replacement starts a week or two before the handover, to meet everyone.
            let replacement = end.map(|end| {
                let start = end - self.dice.between(5, 14);
                self.add_coach(fte, start, None)
            });
            let seats = ((fte * f64::from(self.dice.between(11, 18))).round() as u32).clamp(8, 20);
            self.slots.push(Slot {
                first,
                replacement,
                seats,
            });
        }
    }

    fn add_coach(&mut self, fte: f64, start: Day, end: Option<Day>) -> usize {
        let n = self.coaches.len() + 1;
        let name = format!(
            "{} {}",
            self.dice.pick(words::FIRST_NAMES),
            self.dice.pick(words::LAST_NAMES)
        );
        let job_development = self.dice.real(0.65, 1.5);
        let office = self.dice.real(0.08, 0.4);
        self.coaches.push(CoachPlan {
            id: CoachId::try_from(format!("{}-C{n}", self.id)).expect("valid ID"),
            name,
            fte,
            start,
            end,
            job_development,
            office,
        });
        n - 1
    }

    /// Hands over the program's rows: program, employers, coaches, the coaches' general
    /// job development, then each caseload seat's participants with their histories.
    pub(crate) fn generate<E>(
        &mut self,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<ProgramSummary, E> {
        out.emit(Row::Program(ProgramRow {
            id: self.id.clone(),
            name: self.name.clone(),
            organisation: Some(self.organisation.clone()),
            started_on: Some(date(self.started_on)),
        }))?;
        for emp in &self.employers {
            out.emit(Row::Employer(Employer {
                id: emp.id.clone(),
                name: emp.name.clone(),
                org_number: emp.org_number.clone(),
                sector: Some(emp.sector.label().to_owned()),
            }))?;
        }
        for coach in &self.coaches {
            out.emit(Row::Coach(Coach {
                id: coach.id.clone(),
                program: self.id.clone(),
                name: coach.name.clone(),
                fte: Fte::new(coach.fte).expect("fte within (0, 1]"),
                started_on: date(coach.start),
                ended_on: coach.end.map(date),
            }))?;
        }
        for c in 0..self.coaches.len() {
            self.general_contacts(c, out, numbers)?;
        }
        for s in 0..self.slots.len() {
            for seat in 0..self.slots[s].seats {
                self.seat(s, seat, out, numbers)?;
            }
        }
        Ok(self.summary())
    }

    /// Job development that is not for a named job seeker: getting to know employers'
    /// needs, week by week while the coach is in post. With the contacts made for job
    /// seekers it comes to about six a full-time week for a keen coach (METRICS.md V6).
    fn general_contacts<E>(
        &mut self,
        c: usize,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        let coach = &self.coaches[c];
        let (first, last) = (coach.start, coach.end.unwrap_or(self.today));
        let rate = GENERAL_CONTACTS_PER_WEEK * coach.fte * coach.job_development;
        let mut monday = first - crate::weekday(first);
        while monday <= last {
            for _ in 0..self.dice.about(rate) {
                let d = monday + self.dice.between(0, 4);
                if d < first || d > last {
                    continue;
                }
                let employer = self.dice.pick(&self.employers).id.clone();
                let purpose = self.dice.weighted(&[
                    (ContactPurpose::LearnNeeds, 60),
                    (ContactPurpose::FollowUp, 20),
                    (ContactPurpose::Other, 20),
                ]);
                let face_to_face = self.dice.chance(0.85);
                out.emit(Row::EmployerContact(EmployerContact {
                    id: contact_id(numbers),
                    employer,
                    date: date(d),
                    by: ContactBy::Coach {
                        coach: self.coaches[c].id.clone(),
                        participant: None,
                    },
                    face_to_face,
                    purpose: Some(purpose),
                }))?;
            }
            monday += 7;
        }
        Ok(())
    }

    /// One caseload position over the whole history: a participant enrolls, stays a while
    /// or to this day, and when they leave the next one enrolls a few weeks later. The
    /// seat is taken on `today`, so each coach carries exactly their seats then.
    fn seat<E>(
        &mut self,
        s: usize,
        seat: u32,
        out: &mut Out<'_, E>,
        numbers: &mut Numbers,
    ) -> Result<(), E> {
        let Slot {
            first, replacement, ..
        } = self.slots[s];
        let handover_day = replacement.and(self.coaches[first].end);
        // A new team fills its caseloads over the first months.
        let mut t =
            working_day(self.coaches[first].start + 3 + 6 * seat as i32 + self.dice.between(0, 9));
        let mut carry: Option<Carry> = None;
        loop {
            let coach = match (handover_day, replacement) {
                (Some(l), Some(r)) if t > l => r,
                _ => first,
            };
            let planned_exit = carry
                .as_ref()
                .map_or_else(|| t + self.tenure(), |c| c.planned_exit);
            if let Some(l) = handover_day
                && coach == first
                && planned_exit > l
            {
                let enrolment = Enrolment {
                    coach,
                    enrolled: t,
                    leaving: Some(Leaving::Handover(l)),
                    planned_exit,
                };
                carry = Some(self.person(enrolment, carry, out, numbers)?);
                t = l + 1;
                continue;
            }
            let leaving = (planned_exit < self.today).then_some(Leaving::Exit(planned_exit));
            let enrolment = Enrolment {
                coach,
                enrolled: t,
                leaving,
                planned_exit,
            };
            self.person(enrolment, carry.take(), out, numbers)?;
            if leaving.is_none() {
                return Ok(());
            }
            t = working_day(planned_exit + self.dice.between(3, 45)).min(self.today);
        }
    }

    /// How long a participant stays: some a few months, most a year or two (IPS support
    /// is time-unlimited, so many are still there).
    fn tenure(&mut self) -> Day {
        if self.dice.chance(0.2) {
            self.dice.between(60, 300)
        } else {
            self.dice.between(365, 1400)
        }
    }

    fn summary(&self) -> ProgramSummary {
        ProgramSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            coaches_in_post: self
                .coaches
                .iter()
                .filter(|c| c.start <= self.today && c.end.is_none_or(|e| self.today <= e))
                .count() as u32,
            active_participants: self.active_today,
            rows: Default::default(),
        }
    }
}

pub(crate) fn contact_id(numbers: &mut Numbers) -> ContactId {
    ContactId::try_from(numbered("K", Numbers::next(&mut numbers.contact), 6)).expect("valid ID")
}

/// The employer register of a program, from a list of names (`{}` stands for the town).
/// A national program has businesses in several parts of its town, so that its jobs can
/// spread over many employers (METRICS.md V9) as a real team's do.
fn register(
    id: &ProgramId,
    dice: &mut Dice,
    list: &[words::EmployerWord],
    town: &str,
    districts: &[&str],
) -> Vec<Emp> {
    let mut employers = Vec::new();
    for w in list {
        let name = w.name.replace("{}", town);
        let here: &[&str] = if w.form == Form::Public {
            &[""]
        } else {
            districts
        };
        for district in here {
            let org_number = dice.chance(0.75).then(|| {
                let (a, b) = (dice.below(1000), dice.below(10_000));
                match w.form {
                    Form::Company => format!("556{a:03}-{b:04}"),
                    Form::Public => format!("212000-{b:04}"),
                    Form::Association => format!("802{a:03}-{b:04}"),
                }
            });
            let n = employers.len() + 1;
            employers.push(Emp {
                id: EmployerId::try_from(format!("{id}-E{n:02}")).expect("valid ID"),
                name: if district.is_empty() {
                    name.clone()
                } else {
                    format!("{name}, {district}")
                },
                org_number,
                sector: w.sector,
            });
        }
    }
    employers
}
