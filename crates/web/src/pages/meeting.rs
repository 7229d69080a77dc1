//! Record a meeting on one screen: date, place, length, a short note, next steps, the next
//! meeting, and the open steps to tick off. Only the note and a step's text are typed.

use askama::Template;
use axum::Form;
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate as Date};
use fika_core::*;
use fika_store::Role;
use fika_store::caseload::{NewMeeting, ParticipantRecord};
use fika_store::restrict::ReadReason;

use super::{Fields, Layout, actor, bad, bad_choice, field, fields, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::form::FormState;
use crate::ids::new_id;

/// Lengths offered as one tap, in minutes.
pub const LENGTHS: [u32; 5] = [15, 30, 45, 60, 90];
/// Places in the order a coach meets people most: out in the community first.
pub const PLACES: [Place; 9] = [
    Place::Cafe,
    Place::Workplace,
    Place::Home,
    Place::Employer,
    Place::Community,
    Place::Office,
    Place::Phone,
    Place::Video,
    Place::Message,
];
/// How many new next steps the form offers.
pub const STEP_ROWS: [usize; 2] = [0, 1];

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    l: Layout,
    r: ParticipantRecord,
    today: Date,
    open: Vec<NextStep>,
    places: Vec<&'static str>,
    lengths: Vec<u32>,
    rows: Vec<usize>,
    owners: Vec<&'static str>,
    /// Empty for a new form; what was typed and what was wrong after a refusal.
    v: FormState,
}

pub async fn form(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    let reason = super::privacy::reason_of(&me, &q)?;
    render(&st, &me, &id, FormState::default(), StatusCode::OK, reason).await
}

/// The field a refusal of the meeting form concerns, by its message key.
fn field_of(key: &str) -> Option<&'static str> {
    match key {
        "bad-place-missing" | "bad-choice" => Some("place"),
        "bad-minutes" | "bad-minutes-missing" => Some("minutes"),
        "bad-date" | "rule-outside-enrolment" => Some("date"),
        "rule-next-meeting-not-past" => Some("next"),
        "rule-step-not-open" => Some("done"),
        k if k.starts_with("rule-step-") => Some("step0_text"),
        _ => None,
    }
}

async fn render(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    v: FormState,
    status: StatusCode,
    reason: Option<ReadReason>,
) -> Result<Response, AppError> {
    let today = st.clock.today();
    let path = format!("/participants/{id}/meeting");
    // A restricted record (GDPR Art. 18) is read only with a stated reason.
    let r = match super::privacy::read_record(st, me, id, &path, reason).await? {
        Ok((r, _)) => r,
        Err(mut ask) => {
            // A refused write to a restricted record: say why, rather than ask a reason.
            if status != StatusCode::OK {
                return Err(AppError::Rule("rule-record-restricted".into()));
            }
            *ask.status_mut() = status;
            return Ok(ask);
        }
    };
    let open = r
        .next_steps
        .iter()
        .filter(|s| s.done_on.is_none())
        .cloned()
        .collect();
    let page = MeetingPage {
        l: Layout::new(me, &format!("/participants/{id}/meeting"), "meeting-title"),
        r,
        today,
        open,
        places: PLACES.iter().map(|p| p.as_str()).collect(),
        lengths: LENGTHS.to_vec(),
        rows: STEP_ROWS.to_vec(),
        owners: vec!["participant", "coach", "both"],
        v,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// Parses the form into a meeting; the only place its fields are read.
fn parse(
    f: &Fields,
    pid: &ParticipantId,
    coach: &CoachId,
    today: Date,
) -> Result<NewMeeting, AppError> {
    let date = form_date(field(f, "date"), today)?;
    let place = field(f, "place").ok_or_else(|| bad("bad-place-missing"))?;
    let place = Place::parse(place).map_err(|_| bad_choice("meeting-place", place))?;
    let minutes = field(f, "minutes").ok_or_else(|| bad("bad-minutes-missing"))?;
    let minutes = minutes
        .trim()
        .parse::<u32>()
        .ok()
        .and_then(|m| Minutes::new(m).ok())
        .ok_or_else(|| AppError::BadInput(Say::new("bad-minutes").text("value", minutes)))?;
    let next_meeting = match field(f, "next") {
        Some("7") => Some(date + Duration::days(7)),
        Some("14") => Some(date + Duration::days(14)),
        Some("date") => Some(form_date(field(f, "next_date"), date + Duration::days(7))?),
        _ => None,
    };
    let meeting_id = MeetingId::parse(&crate::ids::once_id(f, "M")).expect("a valid ID");
    let mut steps = Vec::new();
    for i in STEP_ROWS {
        let Some(text) = field(f, &format!("step{i}_text")) else {
            continue;
        };
        let owner = field(f, &format!("step{i}_owner")).unwrap_or("participant");
        let owner = StepOwner::parse(owner).map_err(|_| bad_choice("step-who", owner))?;
        let due_on = match field(f, &format!("step{i}_due")) {
            // "By next meeting": the day of the next meeting agreed, else a week on.
            Some("next") => Some(next_meeting.unwrap_or(date + Duration::days(7))),
            Some("14") => Some(date + Duration::days(14)),
            Some("date") => Some(form_date(field(f, &format!("step{i}_date")), date)?),
            _ => None,
        };
        steps.push(NextStep {
            id: StepId::parse(&new_id("S")).expect("a valid ID"),
            participant: pid.clone(),
            meeting: Some(meeting_id.clone()),
            owner,
            text: text.trim().to_owned(),
            agreed_on: date,
            due_on,
            done_on: None,
        });
    }
    let done = fields(f, "done")
        .map(|s| StepId::parse(s).map_err(|_| bad("rule-step-not-open")))
        .collect::<Result<_, _>>()?;
    Ok(NewMeeting {
        meeting: Meeting {
            id: meeting_id,
            participant: pid.clone(),
            coach: coach.clone(),
            date,
            minutes,
            place,
            note: field(f, "note").map(|s| s.trim().to_owned()),
        },
        steps,
        done,
        next_meeting,
    })
}

pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let coach = me.user.coach.clone().ok_or(AppError::Forbidden)?;
    let pid = ParticipantId::parse(&id).map_err(|_| AppError::NotFound)?;
    let saved = match parse(&f, &pid, &coach, st.clock.today()) {
        Ok(m) => {
            let actor = actor(&st, &me);
            st.db(move |s| super::saved_once(s.record_meeting(&actor, &reach, &m)))
                .await?
                .map_err(AppError::from)
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/participants/{id}?saved=meeting")).into_response()),
        Err(e) => {
            // Shown again with what was typed and the message beside its field.
            let v = FormState::refused(&f, e, field_of, &me.tr())?;
            render(&st, &me, &id, v, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
    }
}
