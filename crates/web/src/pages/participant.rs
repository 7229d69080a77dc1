//! The participant page: their own goals at the top, then open next steps, then the
//! timeline of meetings, jobs and other steps, employer contacts and benefits planning.

use askama::Template;
use axum::Form;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::Role;
use fika_store::caseload::ParticipantRecord;
use fika_store::restrict::{ReadReason, Restriction};

use super::{Fields, Layout, actor, bad, bad_choice, field, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::form::FormState;
use crate::i18n::Tr;

/// One line of the timeline.
pub struct Event {
    pub date: Date,
    /// Translation key of the kind of event.
    pub kind: &'static str,
    pub text: String,
    /// Where the record behind it is corrected (`correct/{kind}/{record}`), if it can be.
    pub fix: Option<String>,
}

fn timeline(r: &ParticipantRecord, t: &Tr) -> Vec<Event> {
    let mut v = Vec::new();
    for m in &r.meetings {
        let mut text = format!("{}, {} min", t.word("place", m.place.as_str()), m.minutes);
        if let Some(n) = &m.note {
            text.push_str(&format!(" — {n}"));
        }
        v.push(Event {
            date: m.date,
            kind: "event-meeting",
            text,
            fix: Some(format!("meeting/{}", m.id)),
        });
    }
    let employer = |id: &EmployerId| {
        r.employers
            .iter()
            .find(|e| &e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    for j in &r.jobs {
        let mut text = format!("{} — {}", t.word("kind", j.kind.as_str()), j.title);
        if let Some(e) = &j.employer {
            text.push_str(&format!(", {}", employer(e)));
        }
        if let Some(h) = j.hours_per_week {
            text.push_str(&format!(", {h} h/{}", t.t("week-short")));
        }
        v.push(Event {
            date: j.started_on,
            kind: "event-job-start",
            text: text.clone(),
            fix: Some(format!("job/{}", j.id)),
        });
        if let Some(end) = j.ended_on {
            let reason = j
                .end_reason
                .map(|r| t.word("reason", r.as_str()))
                .unwrap_or_default();
            v.push(Event {
                date: end,
                kind: "event-job-end",
                text: format!("{text} {reason}"),
                fix: Some(format!("job/{}", j.id)),
            });
        }
    }
    for c in &r.employer_contacts {
        let mut text = employer(&c.employer);
        text.push_str(&format!(
            " — {}",
            t.t(if c.face_to_face {
                "contact-face-to-face"
            } else {
                "contact-other"
            })
        ));
        if let Some(p) = c.purpose {
            text.push_str(&format!(", {}", t.word("purpose", p.as_str())));
        }
        v.push(Event {
            date: c.date,
            kind: "event-employer-contact",
            text,
            fix: Some(format!("contact/{}", c.id)),
        });
    }
    for (i, b) in r.benefits_planning.iter().enumerate() {
        v.push(Event {
            date: b.date,
            kind: "event-benefits",
            text: t.word("benefits", b.status.as_str()),
            fix: Some(format!("benefits/{i}")),
        });
    }
    for s in r.next_steps.iter().filter(|s| s.done_on.is_some()) {
        v.push(Event {
            date: s.done_on.unwrap_or(s.agreed_on),
            kind: "event-step-done",
            text: s.text.clone(),
            fix: Some(format!("step/{}", s.id)),
        });
    }
    for c in &r.coach_changes {
        v.push(Event {
            date: c.on,
            kind: "event-coach-change",
            text: format!("{} → {}", c.from, c.to),
            fix: None,
        });
    }
    if let Some(e) = r.participant.exit {
        v.push(Event {
            date: e.on,
            kind: "event-exit",
            text: t.word("exit-reason", e.reason.as_str()),
            fix: Some("exit".into()),
        });
    }
    v.sort_by_key(|e| std::cmp::Reverse(e.date));
    v
}

#[derive(Template)]
#[template(path = "participant.html")]
struct ParticipantPage {
    l: Layout,
    /// One line confirming what was just saved.
    flash: Option<String>,
    /// The refused form, for the summary at the top; and each form's own state.
    v: FormState,
    goal_v: FormState,
    job_v: FormState,
    r: ParticipantRecord,
    today: Date,
    /// Open steps, each with whether it is overdue.
    open: Vec<(NextStep, bool)>,
    events: Vec<Event>,
    open_jobs: Vec<Job>,
    employers: Vec<Employer>,
    coaches: Vec<Coach>,
    kinds: Vec<&'static str>,
    reasons: Vec<&'static str>,
    exit_reasons: Vec<&'static str>,
    /// The restriction in force, when the record was read with a reason.
    restricted: Option<Restriction>,
}

pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let flash = crate::form::flash(q.get("saved").map(String::as_str), &me.tr());
    let reason = super::privacy::reason_of(&me, &q)?;
    show(&st, &me, &id, flash, Refused::None, StatusCode::OK, reason).await
}

/// Which of the page's forms was refused, as typed with its messages.
enum Refused {
    None,
    Goal(FormState),
    Job(FormState),
}

async fn render(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    flash: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    show(st, me, id, flash, refused, status, None).await
}

/// The page; a restricted record (GDPR Art. 18) is shown only with a stated reason, else
/// the form that asks for one (`pages::privacy`).
async fn show(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    flash: Option<String>,
    refused: Refused,
    status: StatusCode,
    reason: Option<ReadReason>,
) -> Result<Response, AppError> {
    let today = st.clock.today();
    let path = format!("/participants/{id}");
    let (r, restricted) = match super::privacy::read_record(st, me, id, &path, reason).await? {
        Ok(read) => read,
        Err(mut ask) => {
            // A refused write to a restricted record: say why, rather than ask a reason.
            if !matches!(refused, Refused::None) {
                return Err(AppError::Rule("rule-record-restricted".into()));
            }
            *ask.status_mut() = status;
            return Ok(ask);
        }
    };
    let employers = st.db(move |s| s.employers()).await??;
    let program = r.participant.program.clone();
    let coaches = st.db(move |s| s.coaches(Some(&program))).await??;
    let l = Layout::new(me, &format!("/participants/{id}"), "participant-title");
    let open = r
        .next_steps
        .iter()
        .filter(|s| s.done_on.is_none())
        .map(|s| (s.clone(), s.is_overdue_on(today)))
        .collect();
    let open_jobs = r
        .jobs
        .iter()
        .filter(|j| j.ended_on.is_none())
        .cloned()
        .collect();
    let (v, goal_v, job_v) = match refused {
        Refused::None => Default::default(),
        Refused::Goal(v) => (v.clone(), v, FormState::default()),
        Refused::Job(v) => (v.clone(), FormState::default(), v),
    };
    let page = ParticipantPage {
        flash,
        v,
        goal_v,
        job_v,
        events: timeline(&r, &l.t),
        l,
        today,
        open,
        open_jobs,
        employers,
        coaches,
        kinds: JobKind::ALL.iter().map(|k| k.as_str()).collect(),
        reasons: EndReason::ALL.iter().map(|k| k.as_str()).collect(),
        exit_reasons: ExitReason::ALL.iter().map(|k| k.as_str()).collect(),
        restricted,
        r,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The field a refusal of the job form concerns, by its message key.
fn job_field(key: &str) -> Option<&'static str> {
    match key {
        "bad-job-kind-missing" => Some("kind"),
        "bad-job-title-missing" => Some("title"),
        "bad-occupation-code" => Some("occupation_code"),
        "bad-hours-per-week" => Some("hours_per_week"),
        "bad-hourly-wage" => Some("hourly_wage"),
        "bad-date" | "rule-job-before-enrolment" | "rule-outside-enrolment" => Some("started_on"),
        "rule-paid-job-needs-employer" => Some("employer"),
        _ => None,
    }
}

/// The ids of the job form's fields.
fn job_anchor(field: &str) -> Option<&'static str> {
    Some(match field {
        "kind" => "job-kind",
        "title" => "job-title",
        "occupation_code" => "job-occupation",
        "hours_per_week" => "job-hours",
        "hourly_wage" => "job-wage",
        "started_on" => "job-start",
        "employer" => "job-employer",
        _ => return None,
    })
}

fn goal_field(key: &str) -> Option<&'static str> {
    (key == "rule-goal-empty" || key.starts_with("rule-goal")).then_some("text")
}

fn goal_anchor(field: &str) -> Option<&'static str> {
    (field == "text").then_some("goal-text")
}

fn back(id: &str) -> Redirect {
    Redirect::to(&format!("/participants/{id}"))
}

fn pid(id: &str) -> Result<ParticipantId, AppError> {
    ParticipantId::parse(id).map_err(|_| AppError::NotFound)
}

/// Ticks a next step off. From htmx the step's line is replaced in place; without script,
/// the page is shown again.
pub async fn step_done(
    State(st): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path((id, step)): Path<(String, String)>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let step = StepId::parse(&step).map_err(|_| AppError::NotFound)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    st.db(move |s| s.complete_step(&actor, &reach, &p, &step, today))
        .await??;
    if headers.contains_key("hx-request") {
        let t = me.tr();
        return Ok(Html(format!(
            "<li class=\"done\">{}</li>",
            crate::error::html_escape(&t.t("step-done-now"))
        ))
        .into_response());
    }
    Ok(back(&id).into_response())
}

/// An optional number field; a value out of its rule is refused by the message `bad-{name}`
/// (which says the rule), with the value given.
fn number<T>(
    f: &Fields,
    name: &str,
    make: fn(&str) -> Result<T, ValueError>,
) -> Result<Option<T>, AppError> {
    field(f, name)
        .map(|s| {
            make(s.trim()).map_err(|_| {
                AppError::BadInput(
                    Say::new(format!("bad-{}", name.replace('_', "-"))).text("value", s.trim()),
                )
            })
        })
        .transpose()
}

pub async fn add_job(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    match job(&st, &me, &id, &f).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) => {
            // Shown again with what was typed and the message beside its field.
            let v = FormState::refused(&f, e, job_field, &me.tr())?.anchored(job_anchor);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &me, &id, None, Refused::Job(v), status).await
        }
    }
}

async fn job(st: &AppState, me: &SignedIn, id: &str, f: &Fields) -> Result<Redirect, AppError> {
    let reach = reach(st, me)?;
    let job = Job {
        id: JobId::parse(&crate::ids::once_id(f, "J")).expect("a valid ID"),
        participant: pid(id)?,
        employer: field(f, "employer")
            .map(|e| EmployerId::parse(e).map_err(|_| bad_choice("job-employer", e)))
            .transpose()?,
        kind: {
            let k = field(f, "kind").ok_or_else(|| bad("bad-job-kind-missing"))?;
            JobKind::parse(k).map_err(|_| bad_choice("job-kind", k))?
        },
        title: field(f, "title")
            .ok_or_else(|| bad("bad-job-title-missing"))?
            .trim()
            .to_owned(),
        occupation_code: number(f, "occupation_code", OccupationCode::parse)?,
        hours_per_week: number(f, "hours_per_week", HoursPerWeek::parse)?,
        hourly_wage: number(f, "hourly_wage", HourlyWage::parse)?,
        started_on: form_date(field(f, "started_on"), st.clock.today())?,
        ended_on: None,
        end_reason: None,
    };
    // INTERCHANGE.md: the paid kinds need an employer (said here in the user's words).
    if job.kind.is_paid() && job.employer.is_none() {
        return Err(AppError::Rule("rule-paid-job-needs-employer".into()));
    }
    let actor = actor(st, me);
    st.db(move |s| super::saved_once(s.record_job(&actor, &reach, &job)))
        .await??;
    Ok(Redirect::to(&format!("/participants/{id}?saved=job")))
}

/// Agrees the next meeting without recording one (e.g. with a new participant).
pub async fn plan_meeting(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let today = st.clock.today();
    let on = form_date(field(&f, "date"), today)?;
    if on < today {
        return Err(AppError::Rule("rule-next-meeting-not-past".into()));
    }
    let actor = actor(&st, &me);
    st.db(move |s| s.plan_meeting(&actor, &reach, &p, on))
        .await??;
    Ok(back(&id))
}

pub async fn add_goal(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    match goal(&st, &me, &id, &f).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) => {
            let v = FormState::refused(&f, e, goal_field, &me.tr())?.anchored(goal_anchor);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&st, &me, &id, None, Refused::Goal(v), status).await
        }
    }
}

async fn goal(st: &AppState, me: &SignedIn, id: &str, f: &Fields) -> Result<Redirect, AppError> {
    let reach = reach(st, me)?;
    let goal = Goal {
        id: GoalId::parse(&crate::ids::once_id(f, "G")).expect("a valid ID"),
        participant: pid(id)?,
        set_on: st.clock.today(),
        text: field(f, "text")
            .ok_or_else(|| bad("rule-goal-empty"))?
            .trim()
            .to_owned(),
        occupation_code: None,
        hours_per_week: None,
    };
    let actor = actor(st, me);
    st.db(move |s| super::saved_once(s.add_goal(&actor, &reach, &goal)))
        .await??;
    Ok(Redirect::to(&format!("/participants/{id}?saved=goal")))
}

pub async fn end_job(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, job)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let job = JobId::parse(&job).map_err(|_| AppError::NotFound)?;
    let ended = form_date(field(&f, "ended_on"), st.clock.today())?;
    let reason = field(&f, "end_reason").unwrap_or("other");
    let reason = EndReason::parse(reason).map_err(|_| bad_choice("job-end-reason", reason))?;
    let actor = actor(&st, &me);
    st.db(move |s| s.end_job(&actor, &reach, &p, &job, ended, reason))
        .await??;
    Ok(back(&id))
}

pub async fn add_benefits(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let bp = BenefitsPlanning {
        participant: pid(&id)?,
        date: form_date(field(&f, "date"), st.clock.today())?,
        status: {
            let s = field(&f, "status").ok_or_else(|| bad("bad-benefits-status-missing"))?;
            BenefitsStatus::parse(s).map_err(|_| bad_choice("benefits-status", s))?
        },
        trained_planner: field(&f, "trained_planner").is_some(),
    };
    let actor = actor(&st, &me);
    st.db(move |s| s.record_benefits_planning(&actor, &reach, &bp))
        .await??;
    Ok(back(&id))
}

/// A lead changes the designated coach; the change is kept as history.
pub async fn change_coach(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let to = field(&f, "coach").ok_or_else(|| bad("bad-coach-missing"))?;
    let to = CoachId::parse(to).map_err(|_| bad_choice("coach-change-to", to))?;
    let on = form_date(field(&f, "on"), st.clock.today())?;
    let actor = actor(&st, &me);
    st.db(move |s| s.change_coach(&actor, &reach, &p, &to, on))
        .await??;
    Ok(back(&id))
}

/// The participant leaves the program (coach or lead). INTERCHANGE.md has no reason for
/// missed appointments or a time limit, so none can be chosen; the store checks the date
/// against the enrolment and the meetings.
pub async fn exit(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let on = form_date(field(&f, "exited_on"), st.clock.today())?;
    let reason = field(&f, "exit_reason").ok_or_else(|| bad("bad-exit-reason-missing"))?;
    let reason =
        ExitReason::parse(reason).map_err(|_| bad_choice("participant-exit-reason", reason))?;
    let actor = actor(&st, &me);
    st.db(move |s| s.record_exit(&actor, &reach, &p, Exit { on, reason }))
        .await??;
    Ok(back(&id))
}

/// Undoes an exit recorded by mistake (coach or lead).
pub async fn reopen(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let actor = actor(&st, &me);
    st.db(move |s| s.reopen(&actor, &reach, &p)).await??;
    Ok(back(&id))
}
