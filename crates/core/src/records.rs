//! The records of INTERCHANGE.md as typed values.
//!
//! Each field already holds a valid value of its type (see `values` and `id`); conditional
//! fields are shaped so that the wrong combination cannot be written down (an exit always has
//! a reason, a coach's employer contact always names the coach). The remaining rules that
//! relate two fields of the same record are listed by [`Record::violations`], which the
//! import calls before anything is stored. Rules that relate records to each other (a
//! meeting within the enrolment, a coach of the same program) need the other records and are
//! checked by the import and the store.

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::check_in::CheckIn;
use crate::id::*;
use crate::text::{self, TextRule};
use crate::values::*;

/// A broken rule within one record: the column it concerns, the rule's stable name and what
/// is wrong in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub column: &'static str,
    /// A stable name of the rule broken, one per record kind and column (e.g.
    /// `exit-before-enrolment`), so that a user interface can say it in its own words and
    /// language. It never changes when the English `reason` is reworded.
    pub rule: &'static str,
    /// What is wrong, in English, as import error reports print it after the column.
    pub reason: String,
}

fn violation(column: &'static str, rule: &'static str, reason: impl Into<String>) -> Violation {
    Violation {
        column,
        rule,
        reason: reason.into(),
    }
}

/// The text rule of `crate::text` for one text field, as a violation of its column.
fn check_text(v: &mut Vec<Violation>, column: &'static str, s: &str, rule: TextRule) {
    if let Err(e) = text::check(s, rule) {
        v.push(violation(column, e.rule(rule), e.to_string()));
    }
}

fn check_opt_text(
    v: &mut Vec<Violation>,
    column: &'static str,
    s: &Option<String>,
    rule: TextRule,
) {
    if let Some(s) = s {
        check_text(v, column, s, rule);
    }
}

/// Rules within a single record.
pub trait Record {
    /// Every rule of INTERCHANGE.md that relates two fields of this record and is broken.
    fn violations(&self) -> Vec<Violation> {
        Vec::new()
    }
}

/// `programs.csv`: an IPS program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    pub id: ProgramId,
    pub name: String,
    /// Municipality, region or provider running it.
    pub organisation: Option<String>,
    pub started_on: Option<Date>,
}

impl Record for Program {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "name", &self.name, text::ORGANISATION_NAME);
        check_opt_text(
            &mut v,
            "organisation",
            &self.organisation,
            text::ORGANISATION_NAME,
        );
        v
    }
}

/// `coaches.csv`: an employment specialist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coach {
    pub id: CoachId,
    pub program: ProgramId,
    pub name: String,
    pub fte: Fte,
    pub started_on: Date,
    /// Last day in post (inclusive).
    pub ended_on: Option<Date>,
}

impl Coach {
    /// METRICS.md: in post on x when started_on ≤ x and (ended_on empty or x ≤ ended_on).
    pub fn in_post_on(&self, x: Date) -> bool {
        within(x, self.started_on, self.ended_on)
    }
}

impl Record for Coach {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "name", &self.name, text::PERSON_NAME);
        if let Some(end) = self.ended_on
            && end < self.started_on
        {
            v.push(violation(
                "ended_on",
                "coach-ended-before-start",
                format!("must be on or after started_on ({})", self.started_on),
            ));
        }
        v
    }
}

/// How and why a participant left the caseload. Never for missed appointments or a time
/// limit: IPS support is time-unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    /// Last day on the caseload (inclusive).
    pub on: Date,
    pub reason: ExitReason,
}

/// `participants.csv`: a person on a caseload. There is no diagnosis field, by design
/// (BRIEF theme 1): people are described by their own goals, not by a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub program: ProgramId,
    /// The designated coach for the whole enrolment.
    pub coach: CoachId,
    /// How the person wants to be called.
    pub name: String,
    pub referral_source: ReferralSource,
    pub referred_on: Option<Date>,
    pub enrolled_on: Date,
    pub employed_at_entry: bool,
    pub exit: Option<Exit>,
}

impl Participant {
    /// METRICS.md: active on x when enrolled_on ≤ x and (exited_on empty or x ≤ exited_on).
    pub fn is_active_on(&self, x: Date) -> bool {
        within(x, self.enrolled_on, self.exited_on())
    }

    /// Active on at least one day of `[a, b]`.
    pub fn is_active_during(&self, a: Date, b: Date) -> bool {
        overlaps(self.enrolled_on, self.exited_on(), a, b)
    }

    pub fn exited_on(&self) -> Option<Date> {
        self.exit.map(|e| e.on)
    }
}

impl Record for Participant {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "name", &self.name, text::PERSON_NAME);
        if let Some(r) = self.referred_on
            && r > self.enrolled_on
        {
            v.push(violation(
                "referred_on",
                "referred-after-enrolment",
                format!("must be on or before enrolled_on ({})", self.enrolled_on),
            ));
        }
        if let Some(e) = self.exit
            && e.on < self.enrolled_on
        {
            v.push(violation(
                "exited_on",
                "exit-before-enrolment",
                format!("must be on or after enrolled_on ({})", self.enrolled_on),
            ));
        }
        v
    }
}

/// `goals.csv`: one of the participant's own goals, in their own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub participant: ParticipantId,
    pub set_on: Date,
    /// The goal as the participant put it.
    pub text: String,
    pub occupation_code: Option<OccupationCode>,
    pub hours_per_week: Option<HoursPerWeek>,
}

impl Record for Goal {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "text", &self.text, text::GOAL_TEXT);
        v
    }
}

/// `meetings.csv`: a contact between coach and participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub participant: ParticipantId,
    pub coach: CoachId,
    pub date: Date,
    pub minutes: Minutes,
    pub place: Place,
    pub note: Option<String>,
}

impl Record for Meeting {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_opt_text(&mut v, "note", &self.note, text::NOTE);
        v
    }
}

/// `next_steps.csv`: what was agreed — who does what, by when (BRIEF theme 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextStep {
    pub id: StepId,
    pub participant: ParticipantId,
    /// The meeting where it was agreed.
    pub meeting: Option<MeetingId>,
    pub owner: StepOwner,
    pub text: String,
    pub agreed_on: Date,
    pub due_on: Option<Date>,
    pub done_on: Option<Date>,
}

impl NextStep {
    /// Open on x: agreed by then and not done by then.
    pub fn is_open_on(&self, x: Date) -> bool {
        self.agreed_on <= x && self.done_on.is_none_or(|d| d > x)
    }

    /// Overdue on x: open, and its due day has passed.
    pub fn is_overdue_on(&self, x: Date) -> bool {
        self.is_open_on(x) && self.due_on.is_some_and(|d| d < x)
    }
}

impl Record for NextStep {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "text", &self.text, text::STEP_TEXT);
        for (column, rule, date) in [
            ("due_on", "step-due-before-agreed", self.due_on),
            ("done_on", "step-done-before-agreed", self.done_on),
        ] {
            if let Some(d) = date
                && d < self.agreed_on
            {
                v.push(violation(
                    column,
                    rule,
                    format!("must be on or after agreed_on ({})", self.agreed_on),
                ));
            }
        }
        v
    }
}

/// `employers.csv`: an employer in the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Employer {
    pub id: EmployerId,
    pub name: String,
    /// e.g. a Swedish organisationsnummer.
    pub org_number: Option<String>,
    pub sector: Option<String>,
}

impl Record for Employer {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "name", &self.name, text::ORGANISATION_NAME);
        check_opt_text(&mut v, "org_number", &self.org_number, text::ORG_NUMBER);
        check_opt_text(&mut v, "sector", &self.sector, text::SECTOR);
        v
    }
}

/// Who made an employer contact, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactBy {
    /// The coach, for a named job seeker or as a general contact.
    Coach {
        coach: CoachId,
        participant: Option<ParticipantId>,
    },
    /// The participant, for themselves.
    Participant { participant: ParticipantId },
}

impl ContactBy {
    pub fn maker(&self) -> ContactMaker {
        match self {
            ContactBy::Coach { .. } => ContactMaker::Coach,
            ContactBy::Participant { .. } => ContactMaker::Participant,
        }
    }
    pub fn coach(&self) -> Option<&CoachId> {
        match self {
            ContactBy::Coach { coach, .. } => Some(coach),
            ContactBy::Participant { .. } => None,
        }
    }
    /// The job seeker the contact was made for (or by), if any.
    pub fn participant(&self) -> Option<&ParticipantId> {
        match self {
            ContactBy::Coach { participant, .. } => participant.as_ref(),
            ContactBy::Participant { participant } => Some(participant),
        }
    }
}

/// `employer_contacts.csv`: job development.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployerContact {
    pub id: ContactId,
    pub employer: EmployerId,
    pub date: Date,
    pub by: ContactBy,
    pub face_to_face: bool,
    pub purpose: Option<ContactPurpose>,
}
impl Record for EmployerContact {}

/// `jobs.csv`: a job or another step toward work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub participant: ParticipantId,
    /// Required for the paid kinds.
    pub employer: Option<EmployerId>,
    pub kind: JobKind,
    pub title: String,
    pub occupation_code: Option<OccupationCode>,
    pub hours_per_week: Option<HoursPerWeek>,
    pub hourly_wage: Option<HourlyWage>,
    pub started_on: Date,
    /// Last day of the job (inclusive).
    pub ended_on: Option<Date>,
    pub end_reason: Option<EndReason>,
}

impl Job {
    /// METRICS.md: held on x when started_on ≤ x and (ended_on empty or x ≤ ended_on).
    pub fn held_on(&self, x: Date) -> bool {
        within(x, self.started_on, self.ended_on)
    }

    /// Held on at least one day of `[a, b]`.
    pub fn held_during(&self, a: Date, b: Date) -> bool {
        overlaps(self.started_on, self.ended_on, a, b)
    }
}

impl Record for Job {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        check_text(&mut v, "title", &self.title, text::JOB_TITLE);
        if self.kind.is_paid() && self.employer.is_none() {
            v.push(violation(
                "employer_id",
                "paid-job-needs-employer",
                format!("is required for a {} job (a paid kind)", self.kind),
            ));
        }
        if let Some(end) = self.ended_on
            && end < self.started_on
        {
            v.push(violation(
                "ended_on",
                "job-ended-before-start",
                format!("must be on or after started_on ({})", self.started_on),
            ));
        }
        if self.end_reason.is_some() && self.ended_on.is_none() {
            v.push(violation(
                "end_reason",
                "job-end-reason-without-end",
                "is given but ended_on is empty: give the job's last day, or leave end_reason empty",
            ));
        }
        v
    }
}

/// `benefits_planning.csv`: work-incentives planning (benefits counselling).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitsPlanning {
    pub participant: ParticipantId,
    pub date: Date,
    pub status: BenefitsStatus,
    /// Given by a specially trained planner.
    pub trained_planner: bool,
}
impl Record for BenefitsPlanning {}

/// `start ≤ x` and (`end` empty or `x ≤ end`): every period in fika includes its last day.
pub fn within(x: Date, start: Date, end: Option<Date>) -> bool {
    start <= x && end.is_none_or(|e| x <= e)
}

/// Whether the period `[start, end]` (open-ended when `end` is empty) shares a day with `[a, b]`.
pub fn overlaps(start: Date, end: Option<Date>, a: Date, b: Date) -> bool {
    start <= b && end.is_none_or(|e| e >= a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn periods_include_both_ends() {
        assert!(within(
            d("2025-01-01"),
            d("2025-01-01"),
            Some(d("2025-01-31"))
        ));
        assert!(within(
            d("2025-01-31"),
            d("2025-01-01"),
            Some(d("2025-01-31"))
        ));
        assert!(!within(
            d("2025-02-01"),
            d("2025-01-01"),
            Some(d("2025-01-31"))
        ));
        assert!(!within(d("2024-12-31"), d("2025-01-01"), None));
        assert!(overlaps(
            d("2025-03-31"),
            None,
            d("2025-01-01"),
            d("2025-03-31")
        ));
        assert!(!overlaps(
            d("2025-04-01"),
            None,
            d("2025-01-01"),
            d("2025-03-31")
        ));
        assert!(overlaps(
            d("2024-01-01"),
            Some(d("2025-01-01")),
            d("2025-01-01"),
            d("2025-03-31")
        ));
        assert!(!overlaps(
            d("2024-01-01"),
            Some(d("2024-12-31")),
            d("2025-01-01"),
            d("2025-03-31")
        ));
    }

    #[test]
    fn paid_job_needs_employer() {
        let job = Job {
            id: JobId::parse("J1").unwrap(),
            participant: ParticipantId::parse("X").unwrap(),
            employer: None,
            kind: JobKind::Competitive,
            title: "Barista".into(),
            occupation_code: None,
            hours_per_week: None,
            hourly_wage: None,
            started_on: d("2025-01-01"),
            ended_on: None,
            end_reason: None,
        };
        assert_eq!(job.violations()[0].column, "employer_id");
        let placement = Job {
            kind: JobKind::Placement,
            ..job
        };
        assert!(placement.violations().is_empty());
    }

    /// Each rule within a record has its own stable name, which the web translates; the
    /// column and the English reason of the import's error report stay as they were.
    #[test]
    fn every_rule_within_a_record_has_a_stable_name() {
        let job = Job {
            id: JobId::parse("J1").unwrap(),
            participant: ParticipantId::parse("X").unwrap(),
            employer: None,
            kind: JobKind::Competitive,
            title: "Barista".into(),
            occupation_code: None,
            hours_per_week: None,
            hourly_wage: None,
            started_on: d("2025-02-01"),
            ended_on: Some(d("2025-01-31")),
            end_reason: None,
        };
        let coach = Coach {
            id: CoachId::parse("C").unwrap(),
            program: ProgramId::parse("P").unwrap(),
            name: "Åsa".into(),
            fte: Fte::parse("1").unwrap(),
            started_on: d("2025-02-01"),
            ended_on: Some(d("2025-01-31")),
        };
        let participant = Participant {
            id: ParticipantId::parse("X").unwrap(),
            program: ProgramId::parse("P").unwrap(),
            coach: CoachId::parse("C").unwrap(),
            name: "Björn".into(),
            referral_source: ReferralSource::SelfReferral,
            referred_on: Some(d("2025-02-02")),
            enrolled_on: d("2025-02-01"),
            employed_at_entry: false,
            exit: Some(Exit {
                on: d("2025-01-31"),
                reason: ExitReason::Moved,
            }),
        };
        let step = NextStep {
            id: StepId::parse("S").unwrap(),
            participant: ParticipantId::parse("X").unwrap(),
            meeting: None,
            owner: StepOwner::Both,
            text: "Ring".into(),
            agreed_on: d("2025-02-01"),
            due_on: Some(d("2025-01-31")),
            done_on: Some(d("2025-01-31")),
        };
        let without_end = Job {
            kind: JobKind::Placement,
            ended_on: None,
            end_reason: Some(EndReason::Quit),
            ..job.clone()
        };
        let named = |v: Vec<Violation>| -> Vec<(&'static str, &'static str)> {
            v.into_iter().map(|v| (v.column, v.rule)).collect()
        };
        for (got, want) in [
            (
                named(job.violations()),
                vec![
                    ("employer_id", "paid-job-needs-employer"),
                    ("ended_on", "job-ended-before-start"),
                ],
            ),
            (
                named(without_end.violations()),
                vec![("end_reason", "job-end-reason-without-end")],
            ),
            (
                named(coach.violations()),
                vec![("ended_on", "coach-ended-before-start")],
            ),
            (
                named(participant.violations()),
                vec![
                    ("referred_on", "referred-after-enrolment"),
                    ("exited_on", "exit-before-enrolment"),
                ],
            ),
            (
                named(step.violations()),
                vec![
                    ("due_on", "step-due-before-agreed"),
                    ("done_on", "step-done-before-agreed"),
                ],
            ),
        ] {
            assert_eq!(got, want);
        }
        assert_eq!(
            participant.violations()[1].reason,
            "must be on or after enrolled_on (2025-02-01)"
        );
    }
}

/// Any record, tagged by its file. Imports, exports and the demo generator pass records
/// around as `Row`s. Whatever the order of files (an import and an export go file by file in
/// [`File::FILE_ORDER`]; the demo generator interleaves them), every reference points at a
/// row that came earlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Row {
    Program(Program),
    Coach(Coach),
    Participant(Participant),
    Goal(Goal),
    Meeting(Meeting),
    NextStep(NextStep),
    Employer(Employer),
    EmployerContact(EmployerContact),
    Job(Job),
    BenefitsPlanning(BenefitsPlanning),
    /// fika's addition to INTERCHANGE.md (docs/interchange.md).
    CheckIn(CheckIn),
}

/// The files of an interchange folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum File {
    Programs,
    Coaches,
    Participants,
    Goals,
    Meetings,
    NextSteps,
    Employers,
    EmployerContacts,
    Jobs,
    BenefitsPlanning,
    /// `check_ins.csv`, fika's addition to INTERCHANGE.md: optional, like every file but
    /// `programs.csv`, so that a folder made to the shared spec imports as it is.
    CheckIns,
}

impl File {
    /// The order in which files are read and written: each file refers only to files
    /// before it (employers come before the contacts and jobs that name them; check-ins,
    /// which name a participant and a coach, come last).
    pub const FILE_ORDER: [File; 11] = [
        File::Programs,
        File::Coaches,
        File::Participants,
        File::Goals,
        File::Meetings,
        File::NextSteps,
        File::Employers,
        File::EmployerContacts,
        File::Jobs,
        File::BenefitsPlanning,
        File::CheckIns,
    ];

    pub const fn file_name(self) -> &'static str {
        match self {
            File::Programs => "programs.csv",
            File::Coaches => "coaches.csv",
            File::Participants => "participants.csv",
            File::Goals => "goals.csv",
            File::Meetings => "meetings.csv",
            File::NextSteps => "next_steps.csv",
            File::Employers => "employers.csv",
            File::EmployerContacts => "employer_contacts.csv",
            File::Jobs => "jobs.csv",
            File::BenefitsPlanning => "benefits_planning.csv",
            File::CheckIns => "check_ins.csv",
        }
    }
}

impl Row {
    pub const fn file(&self) -> File {
        match self {
            Row::Program(_) => File::Programs,
            Row::Coach(_) => File::Coaches,
            Row::Participant(_) => File::Participants,
            Row::Goal(_) => File::Goals,
            Row::Meeting(_) => File::Meetings,
            Row::NextStep(_) => File::NextSteps,
            Row::Employer(_) => File::Employers,
            Row::EmployerContact(_) => File::EmployerContacts,
            Row::Job(_) => File::Jobs,
            Row::BenefitsPlanning(_) => File::BenefitsPlanning,
            Row::CheckIn(_) => File::CheckIns,
        }
    }

    /// Rules within this record (see [`Record::violations`]).
    pub fn violations(&self) -> Vec<Violation> {
        match self {
            Row::Program(r) => r.violations(),
            Row::Coach(r) => r.violations(),
            Row::Participant(r) => r.violations(),
            Row::Goal(r) => r.violations(),
            Row::Meeting(r) => r.violations(),
            Row::NextStep(r) => r.violations(),
            Row::Employer(r) => r.violations(),
            Row::EmployerContact(r) => r.violations(),
            Row::Job(r) => r.violations(),
            Row::BenefitsPlanning(r) => r.violations(),
            Row::CheckIn(r) => r.violations(),
        }
    }
}
