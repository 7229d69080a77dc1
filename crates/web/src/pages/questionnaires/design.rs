//! Designing a questionnaire in the web: a new empty draft; sections added, renamed, moved
//! and removed; questions of every kind added, edited, moved and removed, with their labels
//! and help in English and Swedish, required or optional, and one condition. Every change
//! is checked by the core's rules (`Questionnaire::check_draft`) and stored in one
//! transaction (`Questionnaires::change_questionnaire`); a refused question form comes back
//! as typed with each message beside its field. A sent questionnaire is frozen: it can only
//! be copied as a new draft.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fika_core::questionnaire::{
    Choice, ChoiceStyle, Comparison, Condition, DesignError, FORMAT_VERSION, Kind, Question,
    Questionnaire, Section, Text, parse_number,
};
use fika_store::Role;
use fika_store::WriteError;

use super::code;
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::form::FormState;
use crate::pages::{Fields, Layout, actor, bad, field};

/// The kinds a question can be, as the form names them.
pub const KINDS: [&str; 8] = [
    "single_choice",
    "multiple_choice",
    "number",
    "date",
    "short_text",
    "long_text",
    "scale",
    "info",
];

fn text(f: &Fields, name: &str) -> Text {
    let get = |lang: &str| {
        field(f, &format!("{name}_{lang}"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    Text {
        en: get("en"),
        sv: get("sv"),
    }
}

/// Stores a change to a draft in one transaction; a refusal is said as a rule.
async fn change(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    mut work: impl FnMut(&mut Questionnaire) -> Result<(), WriteError> + Send + 'static,
) -> Result<(), AppError> {
    let actor = actor(st, me);
    let key = id.to_owned();
    st.db(move |s| s.change_questionnaire(&actor, &key, &mut work))
        .await??;
    Ok(())
}

fn refuse(rule: &'static str, text: &str) -> WriteError {
    WriteError::Rule {
        rule,
        text: text.to_owned(),
    }
}

/// A new, empty draft with a title in English and Swedish.
pub async fn create(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let q = Questionnaire {
        format: FORMAT_VERSION,
        title: text(&f, "title"),
        description: Text::default(),
        sections: vec![Section {
            title: Text::default(),
            questions: Vec::new(),
        }],
    };
    let actor = actor(&st, &me);
    let id = st.db(move |s| s.create_questionnaire(&actor, &q)).await??;
    Ok(Redirect::to(&format!("/questionnaires/{id}")))
}

/// A frozen (or any) questionnaire copied as a new draft, "(copy)" after its title.
pub async fn copy(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let actor = actor(&st, &me);
    let new = st
        .db(move |s| -> Result<String, WriteError> {
            let mut q = s
                .questionnaire(&id)?
                .ok_or(WriteError::NotFound)?
                .questionnaire;
            for (t, suffix) in [(&mut q.title.en, " (copy)"), (&mut q.title.sv, " (kopia)")] {
                if !t.is_empty() {
                    t.push_str(suffix);
                }
            }
            s.create_questionnaire(&actor, &q)
        })
        .await??;
    Ok(Redirect::to(&format!("/questionnaires/{new}")))
}

/// The questionnaire's title.
pub async fn retitle(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let title = text(&f, "title");
    change(&st, &me, &id, move |q| {
        q.title = title.clone();
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}")))
}

/// Adds a section at the end.
pub async fn add_section(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let title = text(&f, "title");
    change(&st, &me, &id, move |q| {
        q.sections.push(Section {
            title: title.clone(),
            questions: Vec::new(),
        });
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}")))
}

/// Renames, moves (`up`, `down`) or removes (when it holds no question) a section.
pub async fn section(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, index)): Path<(String, usize)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let action = field(&f, "action").unwrap_or("rename").to_owned();
    if !matches!(action.as_str(), "rename" | "up" | "down" | "remove") {
        return Err(bad("bad-choice"));
    }
    let title = text(&f, "title");
    change(&st, &me, &id, move |q| {
        let n = q.sections.len();
        if index >= n {
            return Err(WriteError::NotFound);
        }
        match action.as_str() {
            "rename" => q.sections[index].title = title.clone(),
            "up" if index > 0 => q.sections.swap(index - 1, index),
            "down" if index + 1 < n => q.sections.swap(index, index + 1),
            "remove" => {
                if !q.sections[index].questions.is_empty() {
                    return Err(refuse(
                        "questionnaire-section-not-empty",
                        "only a section without questions can be removed",
                    ));
                }
                if n == 1 {
                    return Err(refuse(
                        "questionnaire-last-section",
                        "a questionnaire keeps at least one section",
                    ));
                }
                q.sections.remove(index);
            }
            _ => {}
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}")))
}

/// Where a question is: (section, place in it).
fn place(q: &Questionnaire, name: &str) -> Option<(usize, usize)> {
    q.sections.iter().enumerate().find_map(|(s, sec)| {
        sec.questions
            .iter()
            .position(|x| x.name == name)
            .map(|i| (s, i))
    })
}

/// Moves a question one place up or down (into the section before or after at a section's
/// edge), or removes it.
pub async fn question_action(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, name)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let action = field(&f, "action").unwrap_or_default().to_owned();
    if !matches!(action.as_str(), "up" | "down" | "remove") {
        return Err(bad("bad-choice"));
    }
    let target = name.clone();
    change(&st, &me, &id, move |q| {
        let (s, i) = place(q, &target).ok_or(WriteError::NotFound)?;
        match action.as_str() {
            "remove" => {
                q.sections[s].questions.remove(i);
            }
            "up" if i > 0 => q.sections[s].questions.swap(i - 1, i),
            "up" if s > 0 => {
                let x = q.sections[s].questions.remove(i);
                q.sections[s - 1].questions.push(x);
            }
            "down" if i + 1 < q.sections[s].questions.len() => {
                q.sections[s].questions.swap(i, i + 1)
            }
            "down" if s + 1 < q.sections.len() => {
                let x = q.sections[s].questions.remove(i);
                q.sections[s + 1].questions.insert(0, x);
            }
            _ => {}
        }
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&format!("/questionnaires/{id}#q-{name}")))
}

/// A section as the question form offers it.
pub struct SectionChoice {
    pub index: usize,
    pub label: String,
}

#[derive(Template)]
#[template(path = "questionnaire_question.html")]
struct QuestionPage {
    l: Layout,
    id: String,
    title: String,
    /// The question's name before this change; empty for a new question.
    original: String,
    sections: Vec<SectionChoice>,
    /// Questions a condition can name (every other question).
    others: Vec<String>,
    kinds: Vec<(&'static str, String)>,
    v: FormState,
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    section: Option<usize>,
}

/// The form as the stored question fills it.
fn values_of(q: &Question, section: usize) -> Vec<(String, String)> {
    let mut v = vec![
        ("section".to_owned(), section.to_string()),
        ("name".to_owned(), q.name.clone()),
        ("kind".to_owned(), q.kind.name().to_owned()),
        ("label_en".to_owned(), q.label.en.clone()),
        ("label_sv".to_owned(), q.label.sv.clone()),
        ("help_en".to_owned(), q.help.en.clone()),
        ("help_sv".to_owned(), q.help.sv.clone()),
    ];
    if q.required {
        v.push(("required".to_owned(), "true".to_owned()));
    }
    let mut put = |k: &str, s: String| v.push((k.to_owned(), s));
    match &q.kind {
        Kind::SingleChoice { choices, style } => {
            put("choices", choice_lines(choices));
            put(
                "style",
                match style {
                    ChoiceStyle::Dropdown => "dropdown",
                    _ => "radio",
                }
                .to_owned(),
            );
        }
        Kind::MultipleChoice { choices } => put("choices", choice_lines(choices)),
        Kind::Number {
            unit,
            min,
            max,
            integer,
        } => {
            put("unit_en", unit.en.clone());
            put("unit_sv", unit.sv.clone());
            put("min", min.map(|x| x.to_string()).unwrap_or_default());
            put("max", max.map(|x| x.to_string()).unwrap_or_default());
            if *integer {
                put("integer", "true".to_owned());
            }
        }
        Kind::Date { min, max } => {
            put("min", min.map(|x| x.to_string()).unwrap_or_default());
            put("max", max.map(|x| x.to_string()).unwrap_or_default());
        }
        Kind::Scale {
            min,
            max,
            low,
            high,
        } => {
            put("min", min.to_string());
            put("max", max.to_string());
            put("low_en", low.en.clone());
            put("low_sv", low.sv.clone());
            put("high_en", high.en.clone());
            put("high_sv", high.sv.clone());
        }
        Kind::ShortText | Kind::LongText | Kind::Info => {}
    }
    if let Some(c) = &q.condition {
        put("cond_question", c.question.clone());
        put(
            "cond_comparison",
            match c.comparison {
                Comparison::Equals => "equals",
                Comparison::NotEquals => "not_equals",
            }
            .to_owned(),
        );
        put("cond_value", c.value.clone());
    }
    v
}

/// Choices one a line: `code | English label | Swedish label`.
fn choice_lines(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| {
            if c.label.sv.is_empty() || c.label.sv == c.label.en {
                format!("{} | {}", c.code, c.label.en)
            } else {
                format!("{} | {} | {}", c.code, c.label.en, c.label.sv)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn load(st: &AppState, id: &str) -> Result<Questionnaire, AppError> {
    let key = id.to_owned();
    let stored = st
        .db(move |s| s.questionnaire(&key))
        .await??
        .ok_or(AppError::NotFound)?;
    if stored.frozen {
        return Err(AppError::Rule("rule-questionnaire-frozen".into()));
    }
    Ok(stored.questionnaire)
}

fn render(
    me: &SignedIn,
    id: &str,
    q: &Questionnaire,
    original: &str,
    v: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let l = code(me);
    let t = me.tr();
    let page = QuestionPage {
        l: Layout::new(
            me,
            &format!("/questionnaires/{id}"),
            if original.is_empty() {
                "qn-design-new-question"
            } else {
                "qn-design-edit-question"
            },
        ),
        id: id.to_owned(),
        title: q.title.get(l).to_owned(),
        original: original.to_owned(),
        sections: q
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SectionChoice {
                index: i,
                label: if s.title.is_empty() {
                    t.args("qn-design-section-n", &[("n", (i + 1).to_string())])
                } else {
                    s.title.get(l).to_owned()
                },
            })
            .collect(),
        others: q
            .questions()
            .filter(|x| x.name != original)
            .map(|x| x.name.clone())
            .collect(),
        kinds: KINDS
            .iter()
            .map(|k| (*k, t.t(&format!("qn-kind-{}", k.replace('_', "-")))))
            .collect(),
        v,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The form for a new question, at the end of a section (the last, unless `?section=`).
pub async fn new_question(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(nq): Query<NewQuery>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let q = load(&st, &id).await?;
    let section = nq
        .section
        .unwrap_or(q.sections.len().saturating_sub(1))
        .min(q.sections.len().saturating_sub(1));
    let v = FormState::filled([
        ("section".to_owned(), section.to_string()),
        ("kind".to_owned(), "short_text".to_owned()),
    ]);
    render(&me, &id, &q, "", v, StatusCode::OK)
}

/// The form for a question as it is.
pub async fn edit_question(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let q = load(&st, &id).await?;
    let (s, i) = place(&q, &name).ok_or(AppError::NotFound)?;
    let v = FormState::filled(values_of(&q.sections[s].questions[i], s));
    render(&me, &id, &q, &name, v, StatusCode::OK)
}

/// The field of the question form a rule of the core concerns.
fn field_of_rule(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "question-name" | "question-name-twice" => "name",
        "question-label-missing" | "question-label-long" => "label_en",
        "question-choices-missing"
        | "question-choices-many"
        | "question-choice-code"
        | "question-choice-twice"
        | "question-choice-label" => "choices",
        "question-bounds" | "question-scale" => "min",
        "question-condition" => "cond_question",
        "question-prefill-kind" => "kind",
        "question-info-required" => "required",
        _ => return None,
    })
}

/// A value of the form that is not what its field takes: the field and what to say.
type Refused = (&'static str, Say);

fn number_bound(f: &Fields, name: &'static str) -> Result<Option<f64>, Refused> {
    match field(f, name) {
        None => Ok(None),
        Some(s) => parse_number(s.trim())
            .map(|(v, _)| Some(v))
            .ok_or((name, Say::new("qn-design-bad-number").text("value", s))),
    }
}

fn date_bound(f: &Fields, name: &'static str) -> Result<Option<fika_core::Date>, Refused> {
    match field(f, name) {
        None => Ok(None),
        Some(s) => fika_core::parse_date(s.trim())
            .map(Some)
            .map_err(|_| (name, Say::new("bad-date").text("value", s))),
    }
}

fn scale_end(f: &Fields, name: &'static str, default: u8) -> Result<u8, Refused> {
    match field(f, name) {
        None => Ok(default),
        Some(s) => s
            .trim()
            .parse::<u8>()
            .map_err(|_| ("min", Say::new("rule-question-scale").text("value", s))),
    }
}

fn choices(f: &Fields) -> Result<Vec<Choice>, Refused> {
    let mut out = Vec::new();
    for (i, line) in field(f, "choices").unwrap_or_default().lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (code, en, sv) = match parts.as_slice() {
            [code, en] => (*code, *en, ""),
            [code, en, sv] => (*code, *en, *sv),
            _ => {
                return Err((
                    "choices",
                    Say::new("qn-design-bad-choice-line")
                        .text("line", (i + 1).to_string())
                        .text("value", line),
                ));
            }
        };
        out.push(Choice {
            code: code.to_owned(),
            label: Text {
                en: en.to_owned(),
                sv: sv.to_owned(),
            },
        });
    }
    Ok(out)
}

/// The question the form describes. `old` is the question before the change, whose kept
/// REDCap columns, figure and yes/no style stay with it.
fn question_of(f: &Fields, old: Option<&Question>) -> Result<Question, Refused> {
    let kind_name = field(f, "kind").unwrap_or("short_text");
    let kind = match kind_name {
        "single_choice" => {
            let choices = choices(f)?;
            let style = match (field(f, "style"), old.map(|o| &o.kind)) {
                (
                    _,
                    Some(Kind::SingleChoice {
                        choices: was,
                        style: s @ (ChoiceStyle::YesNo | ChoiceStyle::TrueFalse),
                    }),
                ) if *was == choices => *s,
                (Some("dropdown"), _) => ChoiceStyle::Dropdown,
                _ => ChoiceStyle::Radio,
            };
            Kind::SingleChoice { choices, style }
        }
        "multiple_choice" => Kind::MultipleChoice {
            choices: choices(f)?,
        },
        "number" => Kind::Number {
            unit: text(f, "unit"),
            min: number_bound(f, "min")?,
            max: number_bound(f, "max")?,
            integer: field(f, "integer").is_some(),
        },
        "date" => Kind::Date {
            min: date_bound(f, "min")?,
            max: date_bound(f, "max")?,
        },
        "short_text" => Kind::ShortText,
        "long_text" => Kind::LongText,
        "scale" => Kind::Scale {
            min: scale_end(f, "min", 1)?,
            max: scale_end(f, "max", 5)?,
            low: text(f, "low"),
            high: text(f, "high"),
        },
        "info" => Kind::Info,
        other => {
            return Err((
                "kind",
                Say::new("bad-choice")
                    .message("field", "qn-col-kind")
                    .text("value", other),
            ));
        }
    };
    let condition = match field(f, "cond_question") {
        None => None,
        Some(target) => {
            let comparison = match field(f, "cond_comparison").unwrap_or("equals") {
                "not_equals" => Comparison::NotEquals,
                _ => Comparison::Equals,
            };
            let value = field(f, "cond_value")
                .map(|v| v.trim().to_owned())
                .ok_or(("cond_value", Say::new("qn-design-cond-value-missing")))?;
            Some(Condition {
                question: target.to_owned(),
                comparison,
                value,
            })
        }
    };
    Ok(Question {
        name: field(f, "name").unwrap_or_default().trim().to_owned(),
        label: text(f, "label"),
        kind,
        required: field(f, "required").is_some(),
        help: text(f, "help"),
        condition,
        prefill: old.and_then(|o| o.prefill),
        redcap: old.map(|o| o.redcap.clone()).unwrap_or_default(),
    })
}

/// Puts `new` in place of the question named `original` (a new one when empty), in section
/// `section`: where it was when the section is the same, else at the section's end.
fn put(
    q: &mut Questionnaire,
    original: &str,
    section: usize,
    new: Question,
) -> Result<(), WriteError> {
    if section >= q.sections.len() {
        return Err(WriteError::NotFound);
    }
    if original.is_empty() {
        q.sections[section].questions.push(new);
        return Ok(());
    }
    let (s, i) = place(q, original).ok_or(WriteError::NotFound)?;
    if s == section {
        q.sections[s].questions[i] = new;
    } else {
        q.sections[s].questions.remove(i);
        q.sections[section].questions.push(new);
    }
    Ok(())
}

/// Saves a question (new, or changed); a refused form comes back as typed, every message
/// beside its field and in the summary.
pub async fn save_question(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let q = load(&st, &id).await?;
    let original = field(&f, "original").unwrap_or_default().to_owned();
    let section: usize = field(&f, "section")
        .and_then(|s| s.parse().ok())
        .filter(|s| *s < q.sections.len())
        .ok_or_else(|| bad("bad-choice"))?;
    let old = if original.is_empty() {
        None
    } else {
        let (s, i) = place(&q, &original).ok_or(AppError::NotFound)?;
        Some(q.sections[s].questions[i].clone())
    };
    let t = me.tr();
    let mut v = FormState::typed(&f);
    let new = match question_of(&f, old.as_ref()) {
        Ok(new) => new,
        Err((field, say)) => {
            v.refuse(Some(field), &say, &t);
            return render(&me, &id, &q, &original, v, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // Every rule the changed questionnaire would break, each beside its field.
    let mut changed = q.clone();
    put(&mut changed, &original, section, new.clone())?;
    if let Err(errors) = changed.check_draft() {
        for e in &errors {
            refusal(&mut v, e, &new.name, &t);
        }
        return render(&me, &id, &q, &original, v, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let name = new.name.clone();
    let shown = original.clone();
    let done = change(&st, &me, &id, move |q| {
        put(q, &original, section, new.clone())
    })
    .await;
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/questionnaires/{id}#q-{name}")).into_response()),
        // Changed by someone else meanwhile: said in the summary, the form kept as typed.
        Err(AppError::Rule(key)) => {
            v.refuse(None, &Say::new(key), &t);
            render(&me, &id, &q, &shown, v, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e),
    }
}

/// A rule the core found: beside its field when it concerns the question being saved, in
/// the summary with the other question's name when it concerns another.
fn refusal(v: &mut FormState, e: &DesignError, name: &str, t: &crate::i18n::Tr) {
    let key = format!("rule-{}", e.rule);
    match e.question.as_deref() {
        Some(q) if q == name => v.refuse(field_of_rule(e.rule), &Say::new(key), t),
        Some(q) => v.refuse(
            None,
            &Say::new("qn-design-in-question")
                .text("question", q)
                .message("reason", key),
            t,
        ),
        None => v.refuse(None, &Say::new(key), t),
    }
}
