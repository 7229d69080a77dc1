//! A record as the cells of its file, and back: the one place that knows how each field of
//! a typed record is written as text, so that the CSV files and the store agree.

use std::borrow::Cow;

use fika_core::check_in::{self, CheckIn, Score, Sharing};
use fika_core::text;
use fika_core::*;

use crate::spec::{SCORE_COLUMNS, column_index, columns};

/// The cells of one row, in the order of [`crate::spec::columns`]; `None` is an empty cell.
pub type Fields<'a> = Vec<Option<Cow<'a, str>>>;

/// A broken rule in one cell (or between cells) of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: &'static str,
    pub reason: String,
}

fn b(v: &str) -> Option<Cow<'_, str>> {
    Some(Cow::Borrowed(v))
}
fn ob(v: &Option<String>) -> Option<Cow<'_, str>> {
    v.as_deref().map(Cow::Borrowed)
}
fn shown<T: ToString>(v: T) -> Option<Cow<'static, str>> {
    Some(Cow::Owned(v.to_string()))
}
fn oshown<T: ToString>(v: Option<T>) -> Option<Cow<'static, str>> {
    v.map(|v| Cow::Owned(v.to_string()))
}
fn date(d: Date) -> Option<Cow<'static, str>> {
    Some(Cow::Owned(fika_core::values::format_date(d)))
}
fn odate(d: Option<Date>) -> Option<Cow<'static, str>> {
    d.and_then(date)
}
fn bool_(v: bool) -> Option<Cow<'static, str>> {
    b(if v { "true" } else { "false" })
}

/// Writes a record as cells. Defaults are written out (`fte` 1, `employed_at_entry`
/// false), so that an exported file says what the database holds.
pub fn to_fields(row: &Row) -> Fields<'_> {
    match row {
        Row::Program(r) => vec![
            b(r.id.as_str()),
            b(&r.name),
            ob(&r.organisation),
            odate(r.started_on),
        ],
        Row::Coach(r) => vec![
            b(r.id.as_str()),
            b(r.program.as_str()),
            b(&r.name),
            shown(r.fte),
            date(r.started_on),
            odate(r.ended_on),
        ],
        Row::Participant(r) => vec![
            b(r.id.as_str()),
            b(r.program.as_str()),
            b(r.coach.as_str()),
            b(&r.name),
            b(r.referral_source.as_str()),
            odate(r.referred_on),
            date(r.enrolled_on),
            bool_(r.employed_at_entry),
            odate(r.exit.map(|e| e.on)),
            r.exit.map(|e| Cow::Borrowed(e.reason.as_str())),
        ],
        Row::Goal(r) => vec![
            b(r.id.as_str()),
            b(r.participant.as_str()),
            date(r.set_on),
            b(&r.text),
            oshown(r.occupation_code),
            oshown(r.hours_per_week),
        ],
        Row::Meeting(r) => vec![
            b(r.id.as_str()),
            b(r.participant.as_str()),
            b(r.coach.as_str()),
            date(r.date),
            shown(r.minutes),
            b(r.place.as_str()),
            ob(&r.note),
        ],
        Row::NextStep(r) => vec![
            b(r.id.as_str()),
            b(r.participant.as_str()),
            r.meeting.as_ref().map(|m| Cow::Borrowed(m.as_str())),
            b(r.owner.as_str()),
            b(&r.text),
            date(r.agreed_on),
            odate(r.due_on),
            odate(r.done_on),
        ],
        Row::Employer(r) => vec![
            b(r.id.as_str()),
            b(&r.name),
            ob(&r.org_number),
            ob(&r.sector),
        ],
        Row::EmployerContact(r) => vec![
            b(r.id.as_str()),
            b(r.employer.as_str()),
            date(r.date),
            b(r.by.maker().as_str()),
            r.by.coach().map(|c| Cow::Borrowed(c.as_str())),
            r.by.participant().map(|p| Cow::Borrowed(p.as_str())),
            bool_(r.face_to_face),
            r.purpose.map(|p| Cow::Borrowed(p.as_str())),
        ],
        Row::Job(r) => vec![
            b(r.id.as_str()),
            b(r.participant.as_str()),
            r.employer.as_ref().map(|e| Cow::Borrowed(e.as_str())),
            b(r.kind.as_str()),
            b(&r.title),
            oshown(r.occupation_code),
            oshown(r.hours_per_week),
            oshown(r.hourly_wage),
            date(r.started_on),
            odate(r.ended_on),
            r.end_reason.map(|e| Cow::Borrowed(e.as_str())),
        ],
        Row::BenefitsPlanning(r) => vec![
            b(r.participant.as_str()),
            date(r.date),
            b(r.status.as_str()),
            bool_(r.trained_planner),
        ],
        Row::CheckIn(r) => {
            let mut cells = vec![
                b(r.id.as_str()),
                b(r.participant.as_str()),
                b(r.coach.as_str()),
                date(r.on),
                shown(r.version),
            ];
            cells.extend(r.scores.iter().map(|s| shown(s.get())));
            cells.push(b(r.sharing.as_str()));
            cells.push(ob(&r.words));
            cells
        }
    }
}

/// Reads the cells of one row, collecting every broken rule rather than stopping at the
/// first, so that a person can fix a whole row at once.
struct Cells<'a> {
    file: File,
    values: &'a [Option<&'a str>],
    errors: Vec<CellError>,
}

impl<'a> Cells<'a> {
    fn name(&self, column: &str) -> &'static str {
        let i = column_index(self.file, column).expect("column of this file");
        columns(self.file)[i].name
    }

    fn raw(&self, column: &str) -> Option<&'a str> {
        let i = column_index(self.file, column).expect("column of this file");
        self.values.get(i).copied().flatten()
    }

    fn fail(&mut self, column: &str, reason: impl Into<String>) {
        let column = self.name(column);
        self.errors.push(CellError {
            column,
            reason: reason.into(),
        });
    }

    /// An optional cell, parsed when present.
    fn opt<T, E: ToString>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let s = self.raw(column)?;
        match parse(s) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(column, e.to_string());
                None
            }
        }
    }

    /// A cell that must hold a value.
    fn req<T, E: ToString>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        if self.raw(column).is_none() {
            self.fail(column, "is required: give a value");
            return None;
        }
        self.opt(column, parse)
    }

    /// A required free text, checked against its rule in `fika_core::text`.
    fn text(&mut self, column: &str, rule: text::TextRule) -> Option<String> {
        self.req(column, |s| text::check(s, rule).map(|()| s.to_owned()))
    }

    fn opt_text(&mut self, column: &str, rule: text::TextRule) -> Option<String> {
        self.opt(column, |s| text::check(s, rule).map(|()| s.to_owned()))
    }

    fn date(&mut self, column: &str) -> Option<Date> {
        self.req(column, parse_date)
    }

    fn opt_date(&mut self, column: &str) -> Option<Date> {
        self.opt(column, parse_date)
    }
}

/// Builds a record of `file` from its cells (in [`crate::spec::columns`] order, `None` for
/// an empty cell or an absent optional column), checking every rule within the record.
pub fn from_fields(file: File, values: &[Option<&str>]) -> Result<Row, Vec<CellError>> {
    match cells_to_row(file, values) {
        Ok(row) => {
            let v = row.violations();
            if v.is_empty() {
                Ok(row)
            } else {
                Err(v
                    .into_iter()
                    .map(|v| CellError {
                        column: v.column,
                        reason: v.reason,
                    })
                    .collect())
            }
        }
        Err(e) => Err(e),
    }
}

/// Builds a record of `file` from its cells with the rule of each cell, leaving the rules
/// within the record (`fika_core`'s `Record::violations`, each with its stable name) to the
/// caller: the web's forms say those by name.
pub fn cells_to_row(file: File, values: &[Option<&str>]) -> Result<Row, Vec<CellError>> {
    let mut c = Cells {
        file,
        values,
        errors: Vec::new(),
    };
    match build(file, &mut c) {
        Some(row) if c.errors.is_empty() => Ok(row),
        _ => Err(c.errors),
    }
}

fn build(file: File, c: &mut Cells<'_>) -> Option<Row> {
    Some(match file {
        File::Programs => {
            let id = c.req("program_id", ProgramId::parse);
            let name = c.text("name", text::ORGANISATION_NAME);
            let organisation = c.opt_text("organisation", text::ORGANISATION_NAME);
            let started_on = c.opt_date("started_on");
            Row::Program(Program {
                id: id?,
                name: name?,
                organisation,
                started_on,
            })
        }
        File::Coaches => {
            let id = c.req("coach_id", CoachId::parse);
            let program = c.req("program_id", ProgramId::parse);
            let name = c.text("name", text::PERSON_NAME);
            let fte = c.opt("fte", Fte::parse);
            let started_on = c.date("started_on");
            let ended_on = c.opt_date("ended_on");
            Row::Coach(Coach {
                id: id?,
                program: program?,
                name: name?,
                fte: fte.unwrap_or_default(),
                started_on: started_on?,
                ended_on,
            })
        }
        File::Participants => {
            let id = c.req("participant_id", ParticipantId::parse);
            let program = c.req("program_id", ProgramId::parse);
            let coach = c.req("coach_id", CoachId::parse);
            let name = c.text("name", text::PERSON_NAME);
            let referral_source = c.req("referral_source", ReferralSource::parse);
            let referred_on = c.opt_date("referred_on");
            let enrolled_on = c.date("enrolled_on");
            let employed_at_entry = c.opt("employed_at_entry", parse_bool);
            let exited_on = c.opt_date("exited_on");
            let exit_reason = c.opt("exit_reason", ExitReason::parse);
            // INTERCHANGE.md: exit_reason is given with exited_on, and only then.
            let exit = match (c.raw("exited_on"), c.raw("exit_reason")) {
                (Some(_), None) => {
                    c.fail(
                        "exit_reason",
                        "is required when exited_on is given: say why the person left",
                    );
                    None
                }
                (None, Some(_)) => {
                    c.fail(
                        "exit_reason",
                        "is given but exited_on is empty: give the last day on the caseload, or leave exit_reason empty",
                    );
                    None
                }
                _ => exited_on
                    .zip(exit_reason)
                    .map(|(on, reason)| Exit { on, reason }),
            };
            if !c.errors.is_empty() {
                return None;
            }
            Row::Participant(Participant {
                id: id?,
                program: program?,
                coach: coach?,
                name: name?,
                referral_source: referral_source?,
                referred_on,
                enrolled_on: enrolled_on?,
                employed_at_entry: employed_at_entry.unwrap_or(false),
                exit,
            })
        }
        File::Goals => {
            let id = c.req("goal_id", GoalId::parse);
            let participant = c.req("participant_id", ParticipantId::parse);
            let set_on = c.date("set_on");
            let text = c.text("text", text::GOAL_TEXT);
            let occupation_code = c.opt("occupation_code", OccupationCode::parse);
            let hours_per_week = c.opt("hours_per_week", HoursPerWeek::parse);
            Row::Goal(Goal {
                id: id?,
                participant: participant?,
                set_on: set_on?,
                text: text?,
                occupation_code,
                hours_per_week,
            })
        }
        File::Meetings => {
            let id = c.req("meeting_id", MeetingId::parse);
            let participant = c.req("participant_id", ParticipantId::parse);
            let coach = c.req("coach_id", CoachId::parse);
            let date = c.date("date");
            let minutes = c.req("minutes", Minutes::parse);
            let place = c.req("place", Place::parse);
            let note = c.opt_text("note", text::NOTE);
            Row::Meeting(Meeting {
                id: id?,
                participant: participant?,
                coach: coach?,
                date: date?,
                minutes: minutes?,
                place: place?,
                note,
            })
        }
        File::NextSteps => {
            let id = c.req("step_id", StepId::parse);
            let participant = c.req("participant_id", ParticipantId::parse);
            let meeting = c.opt("meeting_id", MeetingId::parse);
            let owner = c.req("owner", StepOwner::parse);
            let text = c.text("text", text::STEP_TEXT);
            let agreed_on = c.date("agreed_on");
            let due_on = c.opt_date("due_on");
            let done_on = c.opt_date("done_on");
            Row::NextStep(NextStep {
                id: id?,
                participant: participant?,
                meeting,
                owner: owner?,
                text: text?,
                agreed_on: agreed_on?,
                due_on,
                done_on,
            })
        }
        File::Employers => {
            let id = c.req("employer_id", EmployerId::parse);
            let name = c.text("name", text::ORGANISATION_NAME);
            let org_number = c.opt_text("org_number", text::ORG_NUMBER);
            let sector = c.opt_text("sector", text::SECTOR);
            Row::Employer(Employer {
                id: id?,
                name: name?,
                org_number,
                sector,
            })
        }
        File::EmployerContacts => {
            let id = c.req("contact_id", ContactId::parse);
            let employer = c.req("employer_id", EmployerId::parse);
            let date = c.date("date");
            let made_by = c.req("made_by", ContactMaker::parse);
            let coach = c.opt("coach_id", CoachId::parse);
            let participant = c.opt("participant_id", ParticipantId::parse);
            let face_to_face = c.req("face_to_face", parse_bool);
            let purpose = c.opt("purpose", ContactPurpose::parse);
            // INTERCHANGE.md: coach_id when made_by = coach; participant_id when made_by =
            // participant. Our reading: a participant's own contact names no coach (the
            // coach was not the one who made it), so coach_id must then be empty.
            let by = match made_by? {
                ContactMaker::Coach => match coach {
                    Some(coach) => Some(ContactBy::Coach { coach, participant }),
                    None => {
                        if c.raw("coach_id").is_none() {
                            c.fail("coach_id", "is required when made_by is coach");
                        }
                        None
                    }
                },
                ContactMaker::Participant => {
                    if c.raw("coach_id").is_some() {
                        c.fail(
                            "coach_id",
                            "must be empty when made_by is participant: the participant made the contact",
                        );
                    }
                    match participant {
                        Some(participant) => Some(ContactBy::Participant { participant }),
                        None => {
                            if c.raw("participant_id").is_none() {
                                c.fail("participant_id", "is required when made_by is participant");
                            }
                            None
                        }
                    }
                }
            };
            if !c.errors.is_empty() {
                return None;
            }
            Row::EmployerContact(EmployerContact {
                id: id?,
                employer: employer?,
                date: date?,
                by: by?,
                face_to_face: face_to_face?,
                purpose,
            })
        }
        File::Jobs => {
            let id = c.req("job_id", JobId::parse);
            let participant = c.req("participant_id", ParticipantId::parse);
            let employer = c.opt("employer_id", EmployerId::parse);
            let kind = c.req("kind", JobKind::parse);
            let title = c.text("title", text::JOB_TITLE);
            let occupation_code = c.opt("occupation_code", OccupationCode::parse);
            let hours_per_week = c.opt("hours_per_week", HoursPerWeek::parse);
            let hourly_wage = c.opt("hourly_wage", HourlyWage::parse);
            let started_on = c.date("started_on");
            let ended_on = c.opt_date("ended_on");
            let end_reason = c.opt("end_reason", EndReason::parse);
            if !c.errors.is_empty() {
                return None;
            }
            Row::Job(Job {
                id: id?,
                participant: participant?,
                employer,
                kind: kind?,
                title: title?,
                occupation_code,
                hours_per_week,
                hourly_wage,
                started_on: started_on?,
                ended_on,
                end_reason,
            })
        }
        File::BenefitsPlanning => {
            let participant = c.req("participant_id", ParticipantId::parse);
            let date = c.date("date");
            let status = c.req("status", BenefitsStatus::parse);
            let trained_planner = c.opt("trained_planner", parse_bool);
            if !c.errors.is_empty() {
                return None;
            }
            Row::BenefitsPlanning(BenefitsPlanning {
                participant: participant?,
                date: date?,
                status: status?,
                trained_planner: trained_planner.unwrap_or(false),
            })
        }
        File::CheckIns => {
            let id = c.req("check_in_id", CheckInId::parse);
            let participant = c.req("participant_id", ParticipantId::parse);
            let coach = c.req("coach_id", CoachId::parse);
            let on = c.date("date");
            let version = c.req("items_version", check_in::parse_version);
            let scores = SCORE_COLUMNS.map(|col| c.req(col, Score::parse));
            let sharing = c.req("sharing", Sharing::parse);
            let words = c.opt_text("words", text::CHECK_IN_WORDS);
            if !c.errors.is_empty() {
                return None;
            }
            let [a, b, x, y] = scores;
            Row::CheckIn(CheckIn {
                id: id?,
                participant: participant?,
                coach: coach?,
                on: on?,
                version: version?,
                scores: [a?, b?, x?, y?],
                words,
                sharing: sharing?,
            })
        }
    })
}
