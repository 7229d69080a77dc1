//! Putting a record right: one page per record of a participant's (meeting, goal, next step,
//! job, employer contact, benefits planning, enrolment, exit) with the record in a form to
//! correct, and a form to remove it with a reason (an open step is dropped). Coaches and
//! leads, within their reach; the store checks the rules and writes the audit row.
//!
//! The form's fields are the record's interchange columns, so that the form is read by the
//! interchange's own cell rules (`fika_interchange::fields::cells_to_row`) and the rules
//! within a record are `fika_core`'s, said by name. What a correction cannot change (IDs,
//! the participant, a meeting's coach) travels as hidden fields and is kept by the store
//! whatever they say.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fika_core::*;
use fika_interchange::fields::{cells_to_row, to_fields};
use fika_interchange::spec::columns;
use fika_store::Role;
use fika_store::caseload::ParticipantRecord;
use fika_store::correct::Target;

use super::meeting::PLACES;
use super::{Fields, Layout, actor, field, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::form::FormState;
use crate::i18n::Tr;

/// The kinds of record that can be put right, as named in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Meeting,
    Goal,
    Step,
    Job,
    Contact,
    Benefits,
    Enrolment,
    Exit,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Meeting,
        Kind::Goal,
        Kind::Step,
        Kind::Job,
        Kind::Contact,
        Kind::Benefits,
        Kind::Enrolment,
        Kind::Exit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Goal => "goal",
            Kind::Step => "step",
            Kind::Job => "job",
            Kind::Contact => "contact",
            Kind::Benefits => "benefits",
            Kind::Enrolment => "enrolment",
            Kind::Exit => "exit",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn file(self) -> File {
        match self {
            Kind::Meeting => File::Meetings,
            Kind::Goal => File::Goals,
            Kind::Step => File::NextSteps,
            Kind::Job => File::Jobs,
            Kind::Contact => File::EmployerContacts,
            Kind::Benefits => File::BenefitsPlanning,
            Kind::Enrolment | Kind::Exit => File::Participants,
        }
    }

    /// The columns the form lets a person change; the others are kept.
    fn editable(self) -> &'static [&'static str] {
        match self {
            Kind::Meeting => &["date", "place", "minutes", "note"],
            Kind::Goal => &["text", "occupation_code", "hours_per_week"],
            Kind::Step => &["text", "owner", "due_on", "done_on"],
            Kind::Job => &[
                "kind",
                "title",
                "employer_id",
                "started_on",
                "ended_on",
                "end_reason",
                "occupation_code",
                "hours_per_week",
                "hourly_wage",
            ],
            Kind::Contact => &["employer_id", "date", "face_to_face", "purpose"],
            Kind::Benefits => &["status", "date", "trained_planner"],
            Kind::Enrolment => &[
                "name",
                "referral_source",
                "referred_on",
                "enrolled_on",
                "employed_at_entry",
            ],
            Kind::Exit => &["exited_on", "exit_reason"],
        }
    }

    /// Whether the path names one record of the kind (`…/{kind}/{record}`).
    fn has_record_id(self) -> bool {
        !matches!(self, Kind::Enrolment | Kind::Exit)
    }
}

/// One field of the form.
pub struct Input {
    pub name: &'static str,
    pub label: String,
    /// `date`, `text`, `textarea`, `number`, `check`, `radio`, `select` or `hidden`.
    pub kind: &'static str,
    /// (value, label) of a choice; an empty value is "none".
    pub choices: Vec<(String, String)>,
}

fn is_bool(column: &str) -> bool {
    matches!(
        column,
        "face_to_face" | "trained_planner" | "employed_at_entry"
    )
}

fn is_date(column: &str) -> bool {
    matches!(
        column,
        "date"
            | "due_on"
            | "done_on"
            | "started_on"
            | "ended_on"
            | "referred_on"
            | "enrolled_on"
            | "exited_on"
    )
}

/// The message key of a column's label.
fn label_key(column: &str) -> String {
    format!("correct-col-{}", column.replace('_', "-"))
}

fn words<T: Copy>(
    t: &Tr,
    prefix: &str,
    all: &[T],
    word: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|w| (word(*w).to_owned(), t.word(prefix, word(*w))))
        .collect()
}

fn inputs(kind: Kind, t: &Tr, employers: &[Employer]) -> Vec<Input> {
    let editable = kind.editable();
    let none = || vec![(String::new(), t.t("none"))];
    columns(kind.file())
        .iter()
        .map(|c| {
            let name = c.name;
            let (input, choices): (&'static str, Vec<(String, String)>) =
                if !editable.contains(&name) {
                    ("hidden", vec![])
                } else if is_date(name) {
                    ("date", vec![])
                } else if is_bool(name) {
                    ("check", vec![])
                } else {
                    match name {
                        "note" | "text" => ("textarea", vec![]),
                        "minutes" | "occupation_code" | "hours_per_week" | "hourly_wage" => {
                            ("number", vec![])
                        }
                        "place" => (
                            "radio",
                            PLACES
                                .iter()
                                .map(|p| (p.as_str().to_owned(), t.word("place", p.as_str())))
                                .collect(),
                        ),
                        "owner" => (
                            "radio",
                            words(t, "owner", StepOwner::ALL, StepOwner::as_str),
                        ),
                        "kind" => ("radio", words(t, "kind", JobKind::ALL, JobKind::as_str)),
                        "status" => (
                            "radio",
                            words(t, "benefits", BenefitsStatus::ALL, BenefitsStatus::as_str),
                        ),
                        "exit_reason" => (
                            "radio",
                            words(t, "exit-reason", ExitReason::ALL, ExitReason::as_str),
                        ),
                        "referral_source" => (
                            "select",
                            words(t, "source", ReferralSource::ALL, ReferralSource::as_str),
                        ),
                        "end_reason" => {
                            let mut v = none();
                            v.extend(words(t, "reason", EndReason::ALL, EndReason::as_str));
                            ("select", v)
                        }
                        "purpose" => {
                            let mut v = none();
                            v.extend(words(
                                t,
                                "purpose",
                                ContactPurpose::ALL,
                                ContactPurpose::as_str,
                            ));
                            ("select", v)
                        }
                        "employer_id" => {
                            let mut v = if kind == Kind::Job { none() } else { vec![] };
                            v.extend(employers.iter().map(|e| (e.id.to_string(), e.name.clone())));
                            ("select", v)
                        }
                        _ => ("text", vec![]),
                    }
                };
            Input {
                name,
                label: if input == "hidden" {
                    String::new()
                } else {
                    t.t(&label_key(name))
                },
                kind: input,
                choices,
            }
        })
        .collect()
}

/// The record's columns as form values.
fn values_of(row: &Row) -> Vec<(String, String)> {
    columns(row.file())
        .iter()
        .zip(to_fields(row))
        .map(|(c, v)| {
            (
                c.name.to_owned(),
                v.map(|v| v.into_owned()).unwrap_or_default(),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "correct.html")]
struct CorrectPage {
    l: Layout,
    heading: String,
    participant: Participant,
    action: String,
    remove_action: String,
    inputs: Vec<Input>,
    v: FormState,
    /// Hidden fields that name the record as it was (benefits planning has no ID).
    was: Vec<(String, String)>,
    /// An open step is dropped rather than removed.
    open_step: bool,
    /// What removing this record does.
    remove_help: String,
}

/// What the path names: the kind, the participant and the record.
struct Named {
    kind: Kind,
    participant: ParticipantId,
    record: Option<String>,
    path: String,
}

fn named(p: &HashMap<String, String>) -> Result<Named, AppError> {
    let id = p.get("id").ok_or(AppError::NotFound)?;
    let kind = p
        .get("kind")
        .and_then(|k| Kind::parse(k))
        .ok_or(AppError::NotFound)?;
    let record = p.get("record").cloned();
    if kind.has_record_id() != record.is_some() {
        return Err(AppError::NotFound);
    }
    let participant = ParticipantId::parse(id).map_err(|_| AppError::NotFound)?;
    Ok(Named {
        path: match &record {
            Some(r) => format!("{}/{r}", kind.as_str()),
            None => kind.as_str().to_owned(),
        },
        kind,
        participant,
        record,
    })
}

/// The record named, as the participant's record holds it.
fn find(r: &ParticipantRecord, n: &Named) -> Option<Row> {
    let id = n.record.as_deref().unwrap_or_default();
    match n.kind {
        Kind::Meeting => r
            .meetings
            .iter()
            .find(|x| x.id.as_str() == id)
            .cloned()
            .map(Row::Meeting),
        Kind::Goal => r
            .goals
            .iter()
            .find(|x| x.id.as_str() == id)
            .cloned()
            .map(Row::Goal),
        Kind::Step => r
            .next_steps
            .iter()
            .find(|x| x.id.as_str() == id)
            .cloned()
            .map(Row::NextStep),
        Kind::Job => r
            .jobs
            .iter()
            .find(|x| x.id.as_str() == id)
            .cloned()
            .map(Row::Job),
        Kind::Contact => r
            .employer_contacts
            .iter()
            .find(|x| x.id.as_str() == id)
            .cloned()
            .map(Row::EmployerContact),
        Kind::Benefits => id
            .parse::<usize>()
            .ok()
            .and_then(|i| r.benefits_planning.get(i))
            .cloned()
            .map(Row::BenefitsPlanning),
        Kind::Enrolment => Some(Row::Participant(r.participant.clone())),
        Kind::Exit => r
            .participant
            .exit
            .is_some()
            .then(|| Row::Participant(r.participant.clone())),
    }
}

/// Benefits planning as it was, from the hidden fields that name it.
fn was_benefits(f: &Fields, pid: &ParticipantId) -> Option<BenefitsPlanning> {
    Some(BenefitsPlanning {
        participant: pid.clone(),
        date: parse_date(field(f, "was_date")?).ok()?,
        status: BenefitsStatus::parse(field(f, "was_status")?).ok()?,
        trained_planner: field(f, "was_trained") == Some("true"),
    })
}

fn was_fields(row: &Row) -> Vec<(String, String)> {
    match row {
        Row::BenefitsPlanning(b) => vec![
            ("was_date".into(), b.date.to_string()),
            ("was_status".into(), b.status.as_str().to_owned()),
            ("was_trained".into(), b.trained_planner.to_string()),
        ],
        _ => vec![],
    }
}

fn target(n: &Named, f: &Fields) -> Result<Target, AppError> {
    let id = n.record.as_deref().unwrap_or_default();
    let nf = |_| AppError::NotFound;
    Ok(match n.kind {
        Kind::Meeting => Target::Meeting(MeetingId::parse(id).map_err(nf)?),
        Kind::Goal => Target::Goal(GoalId::parse(id).map_err(nf)?),
        Kind::Step => Target::Step(StepId::parse(id).map_err(nf)?),
        Kind::Job => Target::Job(JobId::parse(id).map_err(nf)?),
        Kind::Contact => Target::Contact(ContactId::parse(id).map_err(nf)?),
        Kind::Benefits => {
            Target::Benefits(was_benefits(f, &n.participant).ok_or(AppError::NotFound)?)
        }
        Kind::Enrolment => Target::Enrolment,
        Kind::Exit => Target::Exit,
    })
}

/// What the form shows.
enum Prefill {
    /// The record as stored.
    Stored,
    /// The form as typed, with what was wrong.
    Typed(FormState),
    /// The record as stored, and these values and messages (a refused removal).
    StoredWith(FormState),
}

/// Reads the participant's record (audited as `participant.read`) and the register's
/// employers, and renders the page.
async fn render(
    st: &AppState,
    me: &SignedIn,
    n: &Named,
    prefill: Prefill,
    status: StatusCode,
) -> Result<Response, AppError> {
    show(st, me, n, prefill, status, None).await
}

/// The page; a restricted record (GDPR Art. 18) is read only with a stated reason, else
/// the form that asks for one (`pages::privacy`).
async fn show(
    st: &AppState,
    me: &SignedIn,
    n: &Named,
    prefill: Prefill,
    status: StatusCode,
    reason: Option<fika_store::restrict::ReadReason>,
) -> Result<Response, AppError> {
    let id = n.participant.to_string();
    let path = format!("/participants/{id}/correct/{}", n.path);
    let r = match super::privacy::read_record(st, me, &id, &path, reason).await? {
        Ok((r, _)) => r,
        Err(mut ask) => {
            *ask.status_mut() = status;
            return Ok(ask);
        }
    };
    let employers = st.db(move |s| s.employers()).await??;
    let row = find(&r, n).ok_or(AppError::NotFound)?;
    let pid = r.participant.id.to_string();
    let l = Layout::new(
        me,
        &format!("/participants/{pid}/correct/{}", n.path),
        "correct-title",
    );
    let v = match prefill {
        Prefill::Stored => FormState::filled(values_of(&row)),
        Prefill::Typed(v) => v,
        Prefill::StoredWith(extra) => FormState::filled(values_of(&row)).and(extra),
    };
    let open_step = matches!(&row, Row::NextStep(s) if s.done_on.is_none());
    let page = CorrectPage {
        heading: l.t.t(&format!("correct-heading-{}", n.kind.as_str())),
        inputs: inputs(n.kind, &l.t, &employers),
        action: format!("/participants/{pid}/correct/{}", n.path),
        remove_action: format!("/participants/{pid}/remove/{}", n.path),
        was: was_fields(&row),
        participant: r.participant,
        open_step,
        remove_help: l.t.t(&format!("correct-remove-help-{}", n.kind.as_str())),
        v,
        l,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn form(
    State(st): State<AppState>,
    me: SignedIn,
    Path(p): Path<HashMap<String, String>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let n = named(&p)?;
    let reason = super::privacy::reason_of(&me, &q)?;
    show(&st, &me, &n, Prefill::Stored, StatusCode::OK, reason).await
}

/// The message about one cell the interchange's rules refused: a date, a number, a choice,
/// or a value missing.
fn cell_message(kind: Kind, column: &str, value: &str) -> Say {
    let label = if kind.editable().contains(&column) {
        label_key(column)
    } else {
        // A hidden field changed by hand: the record itself.
        "correct-col-record".to_owned()
    };
    if value.trim().is_empty() {
        Say::new("correct-missing").message("field", label)
    } else if is_date(column) {
        Say::new("bad-date").text("value", value)
    } else if matches!(
        column,
        "minutes" | "occupation_code" | "hours_per_week" | "hourly_wage"
    ) {
        Say::new(format!("bad-{}", column.replace('_', "-"))).text("value", value)
    } else {
        Say::new("bad-choice")
            .message("field", label)
            .text("value", value)
    }
}

/// The field a rule of the store or the core concerns, for the message beside it.
fn rule_field(rule: &str, text: &str, kind: Kind) -> Option<String> {
    let by_rule = match rule {
        "outside-enrolment" => Some("date"),
        "job-before-enrolment" if kind == Kind::Enrolment => Some("enrolled_on"),
        "job-before-enrolment" => Some("started_on"),
        "enrolment-after-first-meeting" | "enrolment-after-first-check-in" => Some("enrolled_on"),
        "exit-before-last-meeting" | "exit-before-last-check-in" => Some("exited_on"),
        "goal-empty" | "step-empty" => Some("text"),
        "name-empty" => Some("name"),
        _ => None,
    };
    by_rule.map(str::to_owned).or_else(|| {
        // The rules within one record name their column first ("due_on: …").
        let column = text.split(':').next()?;
        kind.editable().contains(&column).then(|| column.to_owned())
    })
}

/// The form read into a record by the interchange's cell rules and the core's record rules.
fn parse(kind: Kind, f: &Fields, t: &Tr) -> Result<Row, FormState> {
    let mut v = FormState::typed(f);
    let editable = kind.editable();
    let raw: Vec<String> = columns(kind.file())
        .iter()
        .map(|c| {
            let typed = v.value(c.name).trim().to_owned();
            if is_bool(c.name) && editable.contains(&c.name) {
                // A checkbox sends its value only when ticked.
                if typed.is_empty() {
                    "false".into()
                } else {
                    "true".into()
                }
            } else {
                typed
            }
        })
        .collect();
    let cells: Vec<Option<&str>> = raw
        .iter()
        .map(|s| Some(s.as_str()).filter(|s| !s.is_empty()))
        .collect();
    match cells_to_row(kind.file(), &cells) {
        Err(errors) => {
            for e in errors {
                let value = v.value(e.column).to_owned();
                let at = editable.contains(&e.column).then_some(e.column);
                v.refuse(at, &cell_message(kind, e.column, &value), t);
            }
            Err(v)
        }
        Ok(row) => {
            let broken = row.violations();
            if broken.is_empty() {
                return Ok(row);
            }
            for b in broken {
                let at = editable.contains(&b.column).then_some(b.column);
                v.refuse(at, &Say::new(format!("rule-{}", b.rule)), t);
            }
            Err(v)
        }
    }
}

fn saved(pid: &ParticipantId, what: &str) -> Response {
    Redirect::to(&format!("/participants/{pid}?saved={what}")).into_response()
}

pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Path(p): Path<HashMap<String, String>>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let n = named(&p)?;
    let reach = reach(&st, &me)?;
    let t = me.tr();
    let target = target(&n, &f)?;
    let row = match parse(n.kind, &f, &t) {
        Ok(row) => row,
        Err(v) => {
            return render(
                &st,
                &me,
                &n,
                Prefill::Typed(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let reason = field(&f, "reason").map(str::to_owned);
    let actor = actor(&st, &me);
    let pid = n.participant.clone();
    let result = st
        .db(move |s| s.correct(&actor, &reach, &pid, &target, &row, reason.as_deref()))
        .await?;
    match result {
        Ok(()) => Ok(saved(&n.participant, "corrected")),
        Err(fika_store::WriteError::Rule { rule, text }) => {
            let mut v = FormState::typed(&f);
            v.refuse(
                rule_field(rule, &text, n.kind).as_deref(),
                &Say::new(format!("rule-{rule}")),
                &t,
            );
            render(
                &st,
                &me,
                &n,
                Prefill::Typed(v),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(st): State<AppState>,
    me: SignedIn,
    Path(p): Path<HashMap<String, String>>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let n = named(&p)?;
    let reach = reach(&st, &me)?;
    let t = me.tr();
    let target = target(&n, &f)?;
    let reason = field(&f, "remove_reason").unwrap_or_default().to_owned();
    let drop = field(&f, "drop").is_some();
    let actor = actor(&st, &me);
    let pid = n.participant.clone();
    let result = st
        .db(move |s| match (&target, drop) {
            (Target::Step(step), true) => s.drop_step(&actor, &reach, &pid, step, &reason),
            _ => s.remove(&actor, &reach, &pid, &target, &reason),
        })
        .await?;
    match result {
        Ok(()) => Ok(saved(
            &n.participant,
            if drop { "dropped" } else { "removed" },
        )),
        Err(fika_store::WriteError::Rule { rule, .. }) => {
            let field = (rule == "reason-missing").then_some("remove_reason");
            // The record's form as stored, with the message beside the reason.
            let mut v = FormState::filled(f.iter().filter(|(k, _)| k == "remove_reason").cloned());
            v.refuse(field, &Say::new(format!("rule-{rule}")), &t);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &me, &n, Prefill::StoredWith(v), status).await
        }
        Err(e) => Err(e.into()),
    }
}
