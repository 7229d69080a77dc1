//! Questionnaires to programs, in the web: the evaluator imports one (a REDCap data
//! dictionary or fika's JSON), binds questions to figures fika computes, sends a round to
//! chosen programs and reads the results (`round`); a program's lead answers over several
//! sittings and submits (`answer`). The rules are `fika_core::questionnaire`'s, the
//! exchange formats `fika_interchange::redcap`'s, the charts and spreadsheets
//! `fika_report`'s; these handlers only parse, authorise, call and render.

pub mod answer;
pub mod design;
pub mod round;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::questionnaire::{Figure, Kind, Questionnaire};
use fika_core::scale::ItemId;
use fika_core::{Program, ProgramId};
use fika_store::Role;
use fika_store::questionnaires::{Round, StoredQuestionnaire};

use super::{Fields, Layout, actor, bad, field, fields, form_date};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};

/// The language of fika's values (`en`, `sv`) for the user.
pub(crate) fn code(me: &SignedIn) -> &'static str {
    me.tr().lang.code()
}

pub(crate) fn report_lang(me: &SignedIn) -> fika_core::scale::Lang {
    match me.tr().lang {
        crate::i18n::Lang::En => fika_core::scale::Lang::En,
        crate::i18n::Lang::Sv => fika_core::scale::Lang::Sv,
    }
}

/// A figure as the evaluator chooses it: its name in files, and its words.
pub struct FigureChoice {
    pub value: String,
    pub label: String,
}

fn figure_choices(me: &SignedIn) -> Vec<FigureChoice> {
    let t = me.tr();
    let lang = report_lang(me);
    let mut v: Vec<FigureChoice> = Figure::PLAIN
        .iter()
        .map(|f| FigureChoice {
            value: f.to_string(),
            label: t.t(&format!("qn-figure-{}", f.to_string().replace('_', "-"))),
        })
        .collect();
    v.extend(
        ItemId::ALL
            .iter()
            .filter(|i| i.item().is_computed())
            .map(|i| FigureChoice {
                value: Figure::FidelityItem(*i).to_string(),
                label: format!(
                    "{} {} {}",
                    t.t("qn-figure-fidelity"),
                    i.as_str(),
                    i.item().name(lang)
                ),
            }),
    );
    v
}

/// One question as the design page lists it.
pub struct QuestionRow {
    pub name: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub condition: String,
    pub prefill: String,
    pub bindable: bool,
    pub choices: String,
}

/// A section as the design page shows it, with its questions.
pub struct SectionView {
    pub index: usize,
    /// Its title, or "Section N" when it has none.
    pub heading: String,
    pub title_en: String,
    pub title_sv: String,
    pub questions: Vec<QuestionRow>,
}

fn section_views(q: &Questionnaire, me: &SignedIn) -> Vec<SectionView> {
    let l = code(me);
    let t = me.tr();
    q.sections
        .iter()
        .enumerate()
        .map(|(i, section)| SectionView {
            index: i,
            heading: if section.title.is_empty() {
                t.args("qn-design-section-n", &[("n", (i + 1).to_string())])
            } else {
                section.title.get(l).to_owned()
            },
            title_en: section.title.en.clone(),
            title_sv: section.title.sv.clone(),
            questions: section
                .questions
                .iter()
                .map(|x| QuestionRow {
                    name: x.name.clone(),
                    label: x.label.get(l).to_owned(),
                    kind: t.t(&format!("qn-kind-{}", x.kind.name().replace('_', "-"))),
                    required: x.required,
                    condition: x
                        .condition
                        .as_ref()
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                    prefill: x.prefill.map(|f| f.to_string()).unwrap_or_default(),
                    bindable: matches!(x.kind, Kind::Number { .. }),
                    choices: x
                        .kind
                        .choices()
                        .iter()
                        .map(|c| format!("{} = {}", c.code, c.label.get(l)))
                        .collect::<Vec<_>>()
                        .join(" · "),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "questionnaires.html")]
struct ListPage {
    l: Layout,
    questionnaires: Vec<(StoredQuestionnaire, usize)>,
    rounds: Vec<Round>,
    /// What was wrong with an import, line by line.
    errors: Vec<String>,
}

async fn list_page(
    st: &AppState,
    me: &SignedIn,
    errors: Vec<String>,
) -> Result<Html<String>, AppError> {
    let (qs, rounds) = st
        .db(|s| -> Result<_, fika_store::StoreError> { Ok((s.questionnaires()?, s.rounds()?)) })
        .await??;
    let page = ListPage {
        l: Layout::new(me, "/questionnaires", "qn-title"),
        questionnaires: qs
            .into_iter()
            .map(|q| {
                let n = q.questionnaire.questions().count();
                (q, n)
            })
            .collect(),
        rounds,
        errors,
    };
    Ok(Html(page.render()?))
}

/// The evaluator's questionnaires and rounds; the rounds a lead or a named coach answers.
pub async fn list(State(st): State<AppState>, me: SignedIn) -> Result<Response, AppError> {
    match me.user.role {
        Role::Evaluator => Ok(list_page(&st, &me, Vec::new()).await?.into_response()),
        Role::Lead | Role::Coach => Ok(answer::mine(&st, &me).await?.into_response()),
        _ => Err(AppError::Forbidden),
    }
}

/// Imports an uploaded REDCap data dictionary (`.csv`) or fika's JSON (`.json`). A file
/// that cannot be held is refused whole, every problem listed with its line and column.
pub async fn import(
    State(st): State<AppState>,
    me: SignedIn,
    mut form: Multipart,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let (mut file_name, mut bytes, mut lang, mut title) = (
        String::new(),
        Vec::new(),
        code(&me).to_owned(),
        String::new(),
    );
    while let Some(f) = form
        .next_field()
        .await
        .map_err(|_| bad("bad-form-too-large"))?
    {
        match f.name().unwrap_or_default() {
            "file" => {
                file_name = f.file_name().unwrap_or_default().to_owned();
                bytes = f
                    .bytes()
                    .await
                    .map_err(|_| bad("bad-form-too-large"))?
                    .to_vec();
            }
            "lang" => lang = f.text().await.unwrap_or_default(),
            "title" => title = f.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    let t = me.tr();
    let refuse = |errors: Vec<String>| async {
        let page = list_page(&st, &me, errors).await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if lang != "en" && lang != "sv" {
        return Err(bad("bad-choice"));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return refuse(vec![t.t("qn-import-not-utf8")]).await;
    };
    let lower = file_name.to_ascii_lowercase();
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name.as_str(), |(s, _)| s)
        .to_owned();
    let title = if title.trim().is_empty() {
        stem
    } else {
        title.trim().to_owned()
    };
    let q = if lower.ends_with(".csv") {
        match fika_interchange::redcap::read_dictionary(&text, &lang, &title) {
            Ok(imported) => imported.questionnaire,
            Err(errors) => {
                return refuse(errors.iter().map(|e| format!("{file_name}: {e}")).collect()).await;
            }
        }
    } else if lower.ends_with(".json") {
        match serde_json::from_str::<Questionnaire>(&text) {
            Ok(q) => q,
            Err(e) => {
                return refuse(vec![format!(
                    "{file_name}: line {}, column {}: {e}",
                    e.line(),
                    e.column()
                )])
                .await;
            }
        }
    } else {
        return refuse(vec![t.t("qn-import-kind")]).await;
    };
    if let Err(errors) = q.check() {
        return refuse(errors.iter().map(|e| format!("{file_name}: {e}")).collect()).await;
    }
    let actor = actor(&st, &me);
    let id = st.db(move |s| s.create_questionnaire(&actor, &q)).await??;
    Ok(Redirect::to(&format!("/questionnaires/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "questionnaire.html")]
struct DesignPage {
    l: Layout,
    id: String,
    title: String,
    title_en: String,
    title_sv: String,
    frozen: bool,
    sections: Vec<SectionView>,
    figures: Vec<FigureChoice>,
    programs: Vec<Program>,
    organisations: Vec<String>,
    today: Date,
    deadline: Date,
}

pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    me.require(&[Role::Evaluator])?;
    let key = id.clone();
    let (q, programs) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            Ok((s.questionnaire(&key)?, s.programs()?))
        })
        .await??;
    let q = q.ok_or(AppError::NotFound)?;
    let mut organisations: Vec<String> = programs
        .iter()
        .filter_map(|p| p.organisation.clone())
        .collect();
    organisations.sort();
    organisations.dedup();
    let today = st.clock.today();
    let page = DesignPage {
        l: Layout::new(&me, &format!("/questionnaires/{id}"), "qn-design-title"),
        title: q.questionnaire.title.get(code(&me)).to_owned(),
        title_en: q.questionnaire.title.en.clone(),
        title_sv: q.questionnaire.title.sv.clone(),
        frozen: q.frozen,
        sections: section_views(&q.questionnaire, &me),
        figures: figure_choices(&me),
        programs,
        organisations,
        today,
        deadline: today + chrono::Duration::days(28),
        id,
    };
    Ok(Html(page.render()?))
}

/// Binds a number question to a figure fika computes (or unbinds it: an empty figure).
pub async fn bind(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let question = field(&f, "question")
        .ok_or_else(|| bad("bad-choice"))?
        .to_owned();
    let figure = match field(&f, "figure") {
        None => None,
        Some(v) => Some(Figure::parse(v).map_err(|_| {
            AppError::BadInput(
                Say::new("bad-choice")
                    .message("field", "qn-bind-figure")
                    .text("value", v),
            )
        })?),
    };
    let actor = actor(&st, &me);
    let key = id.clone();
    st.db(move |s| {
        // Read and changed in one transaction.
        s.change_questionnaire(&actor, &key, &mut |q| {
            let target = q
                .sections
                .iter_mut()
                .flat_map(|s| s.questions.iter_mut())
                .find(|x| x.name == question)
                .ok_or(fika_store::WriteError::NotFound)?;
            target.prefill = figure;
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!("/questionnaires/{id}")))
}

/// Sends the questionnaire to the chosen programs (or every program of an organisation).
pub async fn send(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let today = st.clock.today();
    let reference = form_date(field(&f, "reference_date"), today)?;
    let deadline = form_date(field(&f, "deadline"), today + chrono::Duration::days(28))?;
    let title = field(&f, "title").unwrap_or_default().to_owned();
    let mut programs = Vec::new();
    for p in fields(&f, "program") {
        programs.push(ProgramId::parse(p).map_err(|_| {
            AppError::BadInput(
                Say::new("bad-choice")
                    .message("field", "qn-send-programs")
                    .text("value", p),
            )
        })?);
    }
    let organisation = field(&f, "organisation").map(str::to_owned);
    let actor = actor(&st, &me);
    let round = st
        .db(move |s| -> Result<String, fika_store::WriteError> {
            let mut programs = programs;
            if let Some(org) = organisation {
                programs.extend(
                    s.programs()?
                        .into_iter()
                        .filter(|p| p.organisation.as_deref() == Some(org.as_str()))
                        .map(|p| p.id),
                );
            }
            s.send_round(&actor, &id, &title, &programs, reference, deadline)
        })
        .await??;
    Ok(Redirect::to(&format!("/rounds/{round}")))
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

/// The questionnaire as a REDCap data dictionary, in the user's language or `?lang=`.
pub async fn dictionary(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let lang = match q.lang.as_deref() {
        Some("sv") => "sv",
        Some("en") => "en",
        _ => code(&me),
    };
    let key = id.clone();
    let stored = st
        .db(move |s| s.questionnaire(&key))
        .await??
        .ok_or(AppError::NotFound)?;
    let text = fika_interchange::redcap::write_dictionary(&stored.questionnaire, lang);
    Ok(download(
        text.into_bytes(),
        "text/csv; charset=utf-8",
        &format!("{id}_dictionary.csv"),
    ))
}

/// The questionnaire as fika's JSON (docs/questionnaires.md).
pub async fn json(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let key = id.clone();
    let stored = st
        .db(move |s| s.questionnaire(&key))
        .await??
        .ok_or(AppError::NotFound)?;
    let text = serde_json::to_string_pretty(&stored.questionnaire)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        text.into_bytes(),
        "application/json",
        &format!("{id}.json"),
    ))
}

/// A file to save, under a name made of IDs only.
pub(crate) fn download(body: Vec<u8>, kind: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
