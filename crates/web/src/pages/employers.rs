//! The employer register and job development: employers, and contacts with them (face to
//! face or not, with a purpose and, where relevant, the job seeker it was for).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use chrono::{Duration, NaiveDate as Date};
use fika_core::*;
use fika_store::Role;

use super::{Fields, Layout, actor, bad, bad_choice, field, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::day::{self, WEEKLY_CONTACTS};
use crate::error::AppError;

/// One of the coach's recent contacts: date, employer, face to face, purpose word, job seeker.
type Recent = (Date, String, bool, Option<&'static str>, Option<String>);

#[derive(Template)]
#[template(path = "employers.html")]
struct EmployersPage {
    l: Layout,
    employers: Vec<Employer>,
    /// The coach's caseload, to name the job seeker a contact was for.
    participants: Vec<Participant>,
    purposes: Vec<&'static str>,
    today: Date,
    contacts_this_week: usize,
    weekly_contacts: usize,
    is_coach: bool,
    recent: Vec<Recent>,
}

pub async fn page(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let since = day::week_start(today) - Duration::days(7);
    let (employers, caseload) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            Ok((s.employers()?, s.caseload(&actor, &reach, today, since)?))
        })
        .await??;
    let contacts_this_week = match &me.user.coach {
        Some(c) => day::compute(&caseload, c, today).contacts_this_week,
        None => 0,
    };
    let employer_name = |id: &EmployerId| {
        employers
            .iter()
            .find(|e| &e.id == id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let mut recent: Vec<_> = caseload
        .coach_contacts
        .iter()
        .map(|c| {
            let seeker = c.by.participant().map(|p| {
                caseload
                    .participants
                    .iter()
                    .find(|x| &x.id == p)
                    .map_or_else(|| p.to_string(), |x| x.name.clone())
            });
            (
                c.date,
                employer_name(&c.employer),
                c.face_to_face,
                c.purpose.map(|p| p.as_str()),
                seeker,
            )
        })
        .collect();
    recent.sort_by_key(|r| std::cmp::Reverse(r.0));
    let page = EmployersPage {
        recent,
        l: Layout::new(&me, "/employers", "employers-title"),
        employers,
        participants: caseload.participants,
        purposes: ContactPurpose::ALL.iter().map(|p| p.as_str()).collect(),
        today,
        contacts_this_week,
        weekly_contacts: WEEKLY_CONTACTS,
        is_coach: me.user.role == Role::Coach,
    };
    Ok(Html(page.render()?))
}

pub async fn add(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let e = Employer {
        id: EmployerId::parse(&crate::ids::once_id(&f, "E")).expect("a valid ID"),
        name: field(&f, "name")
            .ok_or_else(|| bad("bad-employer-name-missing"))?
            .trim()
            .to_owned(),
        org_number: field(&f, "org_number").map(|s| s.trim().to_owned()),
        sector: field(&f, "sector").map(|s| s.trim().to_owned()),
    };
    let actor = actor(&st, &me);
    st.db(move |s| super::saved_once(s.add_employer(&actor, &e)))
        .await??;
    Ok(Redirect::to("/employers"))
}

/// A coach logs a contact with an employer, for a job seeker or as a general contact.
pub async fn add_contact(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let coach = me.user.coach.clone().ok_or(AppError::Forbidden)?;
    let participant = field(&f, "participant")
        .map(|p| ParticipantId::parse(p).map_err(|_| AppError::NotFound))
        .transpose()?;
    let contact = EmployerContact {
        id: ContactId::parse(&crate::ids::once_id(&f, "C")).expect("a valid ID"),
        employer: {
            let e = field(&f, "employer").ok_or_else(|| bad("bad-employer-missing"))?;
            EmployerId::parse(e).map_err(|_| bad_choice("contact-employer", e))?
        },
        date: form_date(field(&f, "date"), st.clock.today())?,
        by: ContactBy::Coach { coach, participant },
        face_to_face: field(&f, "face_to_face") == Some("true"),
        purpose: field(&f, "purpose")
            .map(|p| ContactPurpose::parse(p).map_err(|_| bad_choice("contact-purpose", p)))
            .transpose()?,
    };
    let known = {
        let id = contact.employer.clone();
        st.db(move |s| s.employers().map(|v| v.iter().any(|e| e.id == id)))
            .await??
    };
    if !known {
        return Err(bad("bad-employer-not-in-register"));
    }
    let actor = actor(&st, &me);
    st.db(move |s| super::saved_once(s.record_employer_contact(&actor, &reach, &contact)))
        .await??;
    Ok(Redirect::to(
        field(&f, "back")
            .filter(|b| *b == "/day")
            .unwrap_or("/employers"),
    ))
}
