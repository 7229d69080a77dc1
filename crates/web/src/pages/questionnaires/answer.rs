//! A program's lead answers a round: over several sittings (every answer saved as it is
//! given), figures fika computed shown with their evidence to confirm or correct with a
//! comment, and a change made on an old version refused with both values shown.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fika_core::ProgramId;
use fika_core::questionnaire::{
    Answer, Kind, Question, Questionnaire, format_number, needs_comment,
};
use fika_store::Role;
use fika_store::questionnaires::{Response as StoredResponse, Round, RoundProgram, Saved};

use super::code;
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::pages::{Fields, Layout, actor, fields};

/// One question on the answering page.
pub struct AnswerField {
    pub name: String,
    pub label: String,
    pub help: String,
    /// `single`, `dropdown`, `multiple`, `number`, `date`, `short`, `long`, `scale`, `info`.
    pub kind: &'static str,
    pub required: bool,
    pub shown: bool,
    pub choices: Vec<Option_>,
    pub value: String,
    pub version: u32,
    pub comment: String,
    /// The figure fika computed, as shown, and what it is made of.
    pub computed: Option<(String, String)>,
    pub unit: String,
    pub min: String,
    pub max: String,
    pub points: Vec<Option_>,
    pub low: String,
    pub high: String,
    /// What was wrong with what was typed, in the user's language.
    pub error: String,
    /// Someone else's newer answer, and when it was given, when this one was refused for it.
    pub conflict: String,
}

/// One choice or scale point: its code, its words, and whether it is chosen.
pub struct Option_ {
    pub code: String,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "round_answer.html")]
struct AnswerPage {
    l: Layout,
    round: Round,
    program: RoundProgram,
    fields: Vec<AnswerField>,
    submitted: bool,
    saved: bool,
    errors: usize,
    missing: Vec<String>,
}

#[derive(Template)]
#[template(path = "rounds_mine.html")]
struct MinePage {
    l: Layout,
    /// Each round and where the program stands, in words.
    rounds: Vec<(Round, String)>,
}

/// The rounds a user answers: for a lead, what their program has been sent; for anyone
/// (a coach, a lead), the rounds an evaluator named them a respondent in for their program.
async fn rounds_for(st: &AppState, me: &SignedIn) -> Result<Vec<(Round, RoundProgram)>, AppError> {
    me.require(&[Role::Lead, Role::Coach])?;
    let program = me.user.program.clone();
    let (lead, login) = (me.user.role == Role::Lead, me.user.login.clone());
    let mut rounds = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            let mut rounds = match (&program, lead) {
                (Some(p), true) => s.rounds_of_program(p)?,
                _ => Vec::new(),
            };
            for (r, rp) in s.rounds_named_for(&login)? {
                // Named for their own program only: one who has moved answers no longer.
                if Some(&rp.program) == program.as_ref()
                    && !rounds.iter().any(|(x, _)| x.id == r.id)
                {
                    rounds.push((r, rp));
                }
            }
            Ok(rounds)
        })
        .await??;
    rounds.sort_by(|(a, _), (b, _)| b.sent_at.cmp(&a.sent_at).then(b.id.cmp(&a.id)));
    Ok(rounds)
}

/// The rounds the user answers, and where their program stands in each.
pub(crate) async fn mine(st: &AppState, me: &SignedIn) -> Result<Html<String>, AppError> {
    let rounds = rounds_for(st, me).await?;
    let t = me.tr();
    let page = MinePage {
        l: Layout::new(me, "/questionnaires", "qn-mine-title"),
        rounds: rounds
            .into_iter()
            .map(|(r, p)| {
                let state = if p.submitted_at.is_some() {
                    t.t("qn-status-submitted")
                } else {
                    t.n("qn-mine-answered", p.answered as usize)
                };
                (r, state)
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

/// The program the user answers round `id` for: a lead's own program, or the one a coach
/// (or lead) was named a respondent for. A round they do not answer is not there for them.
async fn program_of(st: &AppState, me: &SignedIn, id: &str) -> Result<ProgramId, AppError> {
    rounds_for(st, me)
        .await?
        .into_iter()
        .find(|(r, _)| r.id == id)
        .map(|(_, rp)| rp.program)
        .ok_or(AppError::NotFound)
}

async fn load(
    st: &AppState,
    id: &str,
    program: &ProgramId,
) -> Result<(Round, Questionnaire, StoredResponse), AppError> {
    let (key, p) = (id.to_owned(), program.clone());
    let (round, q, response) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            let Some(round) = s.round(&key)? else {
                return Ok((None, None, None));
            };
            let q = s.questionnaire(&round.questionnaire)?;
            let r = s.response(&key, &p)?;
            Ok((Some(round), q, r))
        })
        .await??;
    match (round, q, response) {
        (Some(r), Some(q), Some(resp)) => Ok((r, q.questionnaire, resp)),
        // A round not sent to this program is not there for it.
        _ => Err(AppError::NotFound),
    }
}

fn kind_word(k: &Kind) -> &'static str {
    match k {
        Kind::SingleChoice { style, .. } => match style {
            fika_core::questionnaire::ChoiceStyle::Dropdown => "dropdown",
            _ => "single",
        },
        Kind::MultipleChoice { .. } => "multiple",
        Kind::Number { .. } => "number",
        Kind::Date { .. } => "date",
        Kind::ShortText => "short",
        Kind::LongText => "long",
        Kind::Scale { .. } => "scale",
        Kind::Info => "info",
    }
}

/// An answer as the form shows it.
fn shown(a: &Answer, lang: &str) -> String {
    match a {
        Answer::Number(n) => n.parse().map_or(n.clone(), |v| format_number(v, lang)),
        other => other.cell(),
    }
}

/// What was typed for a question (kept when it was refused), by question name.
type Typed = BTreeMap<String, (Vec<String>, String)>;

fn build(
    me: &SignedIn,
    q: &Questionnaire,
    r: &StoredResponse,
    typed: &Typed,
    errors: &BTreeMap<String, String>,
    conflicts: &BTreeMap<String, (String, String)>,
) -> Vec<AnswerField> {
    let l = code(me);
    let answers: BTreeMap<String, Answer> = r
        .answers
        .iter()
        .filter_map(|(k, a)| a.answer.clone().map(|a| (k.clone(), a)))
        .collect();
    q.questions()
        .map(|x: &Question| {
            let stored = r.answers.get(&x.name);
            let computed = r.prefill.get(&x.name).map(|p| {
                (
                    p.value.map_or("–".to_owned(), |v| format_number(v, l)),
                    p.evidence.clone(),
                )
            });
            let (values, comment): (Vec<String>, String) = match typed.get(&x.name) {
                Some(t) => t.clone(),
                None => (
                    match stored.and_then(|s| s.answer.as_ref()) {
                        Some(Answer::Choices(cs)) => cs.clone(),
                        Some(a) => vec![shown(a, l)],
                        // An unanswered bound question starts from fika's figure.
                        None => r
                            .prefill
                            .get(&x.name)
                            .and_then(|p| p.value)
                            .map(|v| vec![format_number(v, l)])
                            .unwrap_or_default(),
                    },
                    stored.map(|s| s.comment.clone()).unwrap_or_default(),
                ),
            };
            let (unit, min, max, points, low, high) = match &x.kind {
                Kind::Number { unit, min, max, .. } => (
                    unit.get(l).to_owned(),
                    min.map(|v| v.to_string()).unwrap_or_default(),
                    max.map(|v| v.to_string()).unwrap_or_default(),
                    Vec::new(),
                    String::new(),
                    String::new(),
                ),
                Kind::Date { min, max } => (
                    String::new(),
                    min.map(|d| d.to_string()).unwrap_or_default(),
                    max.map(|d| d.to_string()).unwrap_or_default(),
                    Vec::new(),
                    String::new(),
                    String::new(),
                ),
                Kind::Scale {
                    min,
                    max,
                    low,
                    high,
                } => (
                    String::new(),
                    String::new(),
                    String::new(),
                    (*min..=*max)
                        .map(|p| Option_ {
                            code: p.to_string(),
                            label: p.to_string(),
                            chosen: values.iter().any(|v| v == &p.to_string()),
                        })
                        .collect(),
                    low.get(l).to_owned(),
                    high.get(l).to_owned(),
                ),
                _ => Default::default(),
            };
            AnswerField {
                name: x.name.clone(),
                label: x.label.get(l).to_owned(),
                help: x.help.get(l).to_owned(),
                kind: kind_word(&x.kind),
                required: x.required,
                shown: q.is_shown(x, &answers),
                choices: x
                    .kind
                    .choices()
                    .iter()
                    .map(|c| Option_ {
                        code: c.code.clone(),
                        label: c.label.get(l).to_owned(),
                        chosen: values.contains(&c.code),
                    })
                    .collect(),
                value: values.first().cloned().unwrap_or_default(),
                version: stored.map_or(0, |s| s.version),
                comment,
                computed,
                unit,
                min,
                max,
                points,
                low,
                high,
                error: errors.get(&x.name).cloned().unwrap_or_default(),
                conflict: conflicts
                    .get(&x.name)
                    .map(|(theirs, at)| {
                        me.tr().args(
                            "qn-conflict",
                            &[("theirs", theirs.clone()), ("at", at.clone())],
                        )
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn form(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    let program = program_of(&st, &me, &id).await?;
    let (round, form, response) = load(&st, &id, &program).await?;
    let fields = build(
        &me,
        &form,
        &response,
        &Typed::new(),
        &BTreeMap::new(),
        &BTreeMap::new(),
    );
    render(&me, round, response, fields, q.saved.is_some(), Vec::new())
}

fn render(
    me: &SignedIn,
    round: Round,
    response: StoredResponse,
    fields: Vec<AnswerField>,
    saved: bool,
    missing: Vec<String>,
) -> Result<Html<String>, AppError> {
    let page = AnswerPage {
        l: Layout::new(
            me,
            &format!("/rounds/{}/answer", round.id),
            "qn-answer-title",
        ),
        submitted: response.program.submitted_at.is_some(),
        errors: fields
            .iter()
            .filter(|f| !f.error.is_empty() || !f.conflict.is_empty())
            .count(),
        program: response.program,
        round,
        fields,
        saved,
        missing,
    };
    Ok(Html(page.render()?))
}

/// Saves every answer that changed (each on the version it was shown at), then submits
/// when asked to and nothing was refused. Refused answers are shown again as typed, with
/// the reason beside them; the others are kept.
pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let program = program_of(&st, &me, &id).await?;
    let (round, form, response) = load(&st, &id, &program).await?;
    let t = me.tr();
    let mut typed = Typed::new();
    let mut errors = BTreeMap::new();
    let mut changes: Vec<(String, Option<Answer>, String, u32)> = Vec::new();
    for x in form.questions().filter(|x| !matches!(x.kind, Kind::Info)) {
        let key = format!("a_{}", x.name);
        let values: Vec<String> = fields(&f, &key).map(str::to_owned).collect();
        let comment = fields(&f, &format!("c_{}", x.name))
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        // Only the questions the page showed are on it (each with its version): the
        // others, hidden or not sent, are left as they are.
        let version_key = format!("v_{}", x.name);
        let Some(version) = fields(&f, &version_key).next() else {
            continue;
        };
        let version: u32 = version.parse().unwrap_or(0);
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let parsed = match x.parse_answer(&refs) {
            Ok(a) => a,
            Err(e) => {
                errors.insert(x.name.clone(), t.t(&format!("qn-rule-{}", e.rule)));
                typed.insert(x.name.clone(), (values, comment));
                continue;
            }
        };
        let computed = response.prefill.get(&x.name).and_then(|p| p.value);
        if let Some(a) = &parsed
            && x.prefill.is_some()
            && needs_comment(a, computed)
            && comment.is_empty()
        {
            errors.insert(x.name.clone(), t.t("qn-rule-correction-comment"));
            typed.insert(x.name.clone(), (values, comment));
            continue;
        }
        let stored = response.answers.get(&x.name);
        let same = stored.map(|s| (&s.answer, s.comment.as_str()))
            == Some((&parsed, comment.as_str()))
            || (stored.is_none() && parsed.is_none() && comment.is_empty());
        if !same {
            typed.insert(x.name.clone(), (values, comment.clone()));
            changes.push((x.name.clone(), parsed, comment, version));
        }
    }
    let submit = fields(&f, "action").any(|a| a == "submit");
    let actor = actor(&st, &me);
    let (key, p) = (id.clone(), program.clone());
    let no_errors = errors.is_empty();
    let (conflicts, submitted, fresh) = st
        .db(move |s| -> Result<_, fika_store::WriteError> {
            let mut conflicts = BTreeMap::new();
            for (name, answer, comment, version) in changes {
                match s.save_answer(&actor, &key, &p, &name, answer.as_ref(), &comment, version)? {
                    Saved::Stored { .. } => {}
                    Saved::Conflict { theirs, .. } => {
                        conflicts.insert(name, theirs);
                    }
                }
            }
            let submitted = if submit && no_errors && conflicts.is_empty() {
                Some(s.submit_response(&actor, &key, &p))
            } else {
                None
            };
            Ok((conflicts, submitted, s.response(&key, &p)?))
        })
        .await??;
    let response = fresh.ok_or(AppError::NotFound)?;
    let mut missing = Vec::new();
    match submitted {
        Some(Err(fika_store::WriteError::Rule {
            rule: "round-missing",
            ..
        })) => {
            let answers: BTreeMap<String, Answer> = response
                .answers
                .iter()
                .filter_map(|(k, a)| a.answer.clone().map(|a| (k.clone(), a)))
                .collect();
            missing = form
                .missing(&answers)
                .iter()
                .map(|q| q.label.get(code(&me)).to_owned())
                .collect();
        }
        Some(Err(e)) => return Err(e.into()),
        _ => {}
    }
    if errors.is_empty() && conflicts.is_empty() && missing.is_empty() {
        return Ok(Redirect::to(&format!("/rounds/{id}/answer?saved=1")).into_response());
    }
    // Refused answers stay as typed; a conflict shows the newer answer beside it.
    let l = code(&me);
    let conflicts: BTreeMap<String, (String, String)> = conflicts
        .into_iter()
        .map(|(k, theirs)| {
            let text = theirs
                .answer
                .as_ref()
                .map(|a| shown(a, l))
                .unwrap_or_else(|| "–".into());
            (k, (text, theirs.at))
        })
        .collect();
    for k in conflicts.keys() {
        errors
            .entry(k.clone())
            .or_insert_with(|| t.t("qn-rule-conflict"));
    }
    typed.retain(|k, _| errors.contains_key(k));
    let fields = build(&me, &form, &response, &typed, &errors, &conflicts);
    let page = render(&me, round, response, fields, false, missing)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
