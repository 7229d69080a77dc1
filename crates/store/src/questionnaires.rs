//! Questionnaires to programs and their rounds (migration 0015).
//!
//! A questionnaire is kept whole, as one JSON document (`fika_core::questionnaire`), and is
//! frozen once a round has been sent with it. A round sends it to chosen programs with a
//! reference date and a deadline; sending computes, in the same transaction, every figure
//! the questionnaire's questions are bound to, so that what a program is shown is what was
//! true on the reference date. Answers are kept one row per program and question, each
//! with a version: a change made on an old version is refused with both values, so two
//! people of one program answering at once never silently overwrite each other.
//!
//! None of this is a participant record; the audit rows name questionnaires, rounds,
//! programs and questions, never a person.

use std::collections::BTreeMap;

use fika_core::fidelity::fidelity;
use fika_core::outcomes::{Quarter, outcomes};
use fika_core::questionnaire::results::ProgramAnswers;
use fika_core::questionnaire::{Answer, Questionnaire};
use fika_core::{Date, ProgramId};

use crate::backend::{Runner, Tx};
use crate::caseload::{Actor, WriteError};
use crate::schema::Kind;
use crate::sql::{audit, count, exec, param, texts};
use crate::{Db, StoreError, figures};

/// A stored questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestionnaire {
    pub id: String,
    pub questionnaire: Questionnaire,
    /// Frozen once a round is sent with it: it can then only be copied.
    pub frozen: bool,
    pub created_at: String,
}

/// A round of a questionnaire sent to programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub questionnaire: String,
    pub title: String,
    /// The figures the questions are bound to are computed on this date.
    pub reference_date: Date,
    pub deadline: Date,
    pub sent_at: String,
}

/// Where one program stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    NotStarted,
    InProgress,
    Submitted,
}

/// A program's place in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundProgram {
    pub program: ProgramId,
    pub name: String,
    pub organisation: Option<String>,
    pub status: ResponseStatus,
    pub submitted_at: Option<String>,
    /// Answers given so far.
    pub answered: u32,
}

/// One stored answer, with who gave it and its version.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    /// `None` when the answer was cleared.
    pub answer: Option<Answer>,
    pub comment: String,
    pub version: u32,
    pub by: String,
    pub at: String,
}

/// A figure computed for a program when the round was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefill {
    /// `None` where nothing counts (no coach in post, nobody served).
    pub value: Option<f64>,
    pub evidence: String,
}

/// Everything one program has in a round: its answers and its computed figures, by
/// question name.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub program: RoundProgram,
    pub answers: BTreeMap<String, StoredAnswer>,
    pub prefill: BTreeMap<String, Prefill>,
}

/// One program's response as a round's results read it (`fika_core::questionnaire::results`):
/// the answers given, the figures computed and the comments, each by question name.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub program: String,
    pub answers: BTreeMap<String, Answer>,
    pub computed: BTreeMap<String, Option<f64>>,
    pub comments: BTreeMap<String, String>,
}

impl Answers {
    pub fn of(r: &Response) -> Answers {
        Answers {
            program: r.program.program.to_string(),
            answers: r
                .answers
                .iter()
                .filter_map(|(k, a)| a.answer.clone().map(|a| (k.clone(), a)))
                .collect(),
            computed: r
                .prefill
                .iter()
                .map(|(k, p)| (k.clone(), p.value))
                .collect(),
            comments: r
                .answers
                .iter()
                .filter(|(_, a)| !a.comment.is_empty())
                .map(|(k, a)| (k.clone(), a.comment.clone()))
                .collect(),
        }
    }

    pub fn view(&self) -> ProgramAnswers<'_> {
        ProgramAnswers {
            program: &self.program,
            answers: &self.answers,
            computed: &self.computed,
            comments: &self.comments,
        }
    }
}

/// What saving one answer came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Stored as this version.
    Stored { version: u32 },
    /// Refused: the answer was changed since the version the change was made on. Both are
    /// given back so the person can choose.
    Conflict {
        yours: Option<Answer>,
        theirs: StoredAnswer,
    },
}

/// What sending a question's free-text answers to a qualitative project came to: the
/// project's ID, and the sources by name (`QR1 · question · P2`), those added and those
/// that the project held already (left as they were).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentToQual {
    pub project: String,
    pub added: Vec<String>,
    pub already: Vec<String>,
}

/// The name of the source that holds a program's answer to a question of a round: the
/// round, the question and the program, so that a researcher can tell where it came from.
pub fn source_name(round: &str, question: &str, program: &ProgramId) -> String {
    format!("{round} · {question} · {program}")
}

/// Questionnaires, rounds and answers.
pub trait Questionnaires {
    /// Stores a new questionnaire (checked first as a draft, which may have no questions
    /// yet: `WriteError::Rule` names the first broken rule) and returns its ID (`QN1`, `QN2`, …).
    fn create_questionnaire(&self, actor: &Actor, q: &Questionnaire) -> Result<String, WriteError>;

    /// Replaces a questionnaire that is not frozen (rule `questionnaire-frozen`).
    fn update_questionnaire(
        &self,
        actor: &Actor,
        id: &str,
        q: &Questionnaire,
    ) -> Result<(), WriteError>;

    /// Changes a questionnaire that is not frozen, in one transaction: `change` gets the
    /// stored one (its row locked), and what it leaves is checked as a draft and stored, with
    /// its audit row. Refused: `NotFound`; rule `questionnaire-frozen`; what `change` refuses;
    /// the first rule the changed questionnaire breaks.
    fn change_questionnaire(
        &self,
        actor: &Actor,
        id: &str,
        change: &mut dyn FnMut(&mut Questionnaire) -> Result<(), WriteError>,
    ) -> Result<(), WriteError>;

    fn questionnaire(&self, id: &str) -> Result<Option<StoredQuestionnaire>, StoreError>;

    /// Every questionnaire, oldest first.
    fn questionnaires(&self) -> Result<Vec<StoredQuestionnaire>, StoreError>;

    /// Sends a questionnaire to programs: freezes it, and computes for each program every
    /// figure a question is bound to, on `reference_date`. Returns the round's ID (`QR1`,
    /// …). Refused: `NotFound` for an unknown questionnaire; rule `questionnaire-empty` for
    /// one without questions; rule `round-no-programs`,
    /// `round-unknown-program`, `round-deadline` (before the reference date).
    fn send_round(
        &self,
        actor: &Actor,
        questionnaire: &str,
        title: &str,
        programs: &[ProgramId],
        reference_date: Date,
        deadline: Date,
    ) -> Result<String, WriteError>;

    fn round(&self, id: &str) -> Result<Option<Round>, StoreError>;

    /// Every round, newest first.
    fn rounds(&self) -> Result<Vec<Round>, StoreError>;

    /// The rounds sent to a program, newest first, with where the program stands.
    fn rounds_of_program(
        &self,
        program: &ProgramId,
    ) -> Result<Vec<(Round, RoundProgram)>, StoreError>;

    /// The programs of a round and where each stands, by program ID.
    fn round_programs(&self, round: &str) -> Result<Vec<RoundProgram>, StoreError>;

    /// One program's answers and figures in a round; `None` when the round was not sent to
    /// it.
    fn response(&self, round: &str, program: &ProgramId) -> Result<Option<Response>, StoreError>;

    /// Every program's answers and figures in a round, by program ID.
    fn responses(&self, round: &str) -> Result<Vec<Response>, StoreError>;

    /// Every program's answers in the round as its results read them (`Answers`: the
    /// answers given, the figures computed, the comments), in the order of
    /// `round_programs`. It reads only what the results need, without who answered when and
    /// the versions that `responses` carries, so that a country's round is read quickly.
    fn round_answers(&self, round: &str) -> Result<Vec<Answers>, StoreError>;

    /// `round_answers` with each program's place in the round (`round_programs`), read in
    /// one transaction: what the round's results page shows.
    fn round_results(&self, round: &str) -> Result<Vec<(RoundProgram, Answers)>, StoreError>;

    /// Saves one answer (already parsed against its question) of a program, made on
    /// `on_version` of it (0 when there was none). `NotFound` when the round was not sent to
    /// the program or the question is not in it; rule `round-submitted` once submitted.
    #[allow(clippy::too_many_arguments)]
    fn save_answer(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        question: &str,
        answer: Option<&Answer>,
        comment: &str,
        on_version: u32,
    ) -> Result<Saved, WriteError>;

    /// Submits a program's answers. Rule `round-missing` (with the names of the required
    /// questions still unanswered) when one is; `round-submitted` when it was already.
    fn submit_response(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
    ) -> Result<(), WriteError>;

    /// Opens a submitted response again, for the program to change it.
    fn reopen_response(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
    ) -> Result<(), WriteError>;

    /// Names a user of a program as a respondent for it in a round, besides its lead: they
    /// then see and answer the round like the lead. Refused: `NotFound` when the round was
    /// not sent to the program; rule `round-respondent-unknown` for no such user (or a
    /// disabled one), `round-respondent-program` for a user who is not a coach or lead of
    /// that program. Naming someone twice changes nothing.
    fn name_respondent(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        login: &str,
    ) -> Result<(), WriteError>;

    /// Takes a named respondent off a program's round (`NotFound` when they were not named).
    fn remove_respondent(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        login: &str,
    ) -> Result<(), WriteError>;

    /// The respondents named in a round: (program, login name), by program and name.
    fn respondents(&self, round: &str) -> Result<Vec<(ProgramId, String)>, StoreError>;

    /// The rounds `login` is named a respondent in, newest first, with where the program
    /// stands.
    fn rounds_named_for(&self, login: &str) -> Result<Vec<(Round, RoundProgram)>, StoreError>;

    /// Sends the answers to a free-text question (short or long text) of a round to a
    /// qualitative project, as sources to code: one per program that answered it, named by
    /// [`source_name`], the text being the answer. A source of that name already in the
    /// project is left as it is and reported in [`SentToQual::already`], so sending twice
    /// adds nothing. `member` is the evaluator doing it, who must be an owner or coder of
    /// the project (`NotFound` otherwise, as for a project that does not exist); `None` for
    /// the command line, where `project` may also be the project's name. One transaction
    /// with its audit row. Refused: `NotFound` for an unknown round or question; rule
    /// `round-to-qual-kind` for a question that is not a free text, `round-to-qual-nothing`
    /// when no program has answered it.
    fn answers_to_qual(
        &self,
        actor: &Actor,
        round: &str,
        question: &str,
        project: &str,
        member: Option<&str>,
    ) -> Result<SentToQual, WriteError>;
}

fn rule(rule: &'static str, text: impl Into<String>) -> WriteError {
    WriteError::Rule {
        rule,
        text: text.into(),
    }
}

fn to_json<T: serde::Serialize>(what: &str, v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn date(what: &str, s: Option<&str>) -> Result<Date, StoreError> {
    s.and_then(|s| fika_core::parse_date(s).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("{what}: not a date")))
}

/// The next free ID with this prefix: one more than the highest number taken.
fn next_id(tx: &mut dyn Tx, table: &str, column: &str, prefix: &str) -> Result<String, StoreError> {
    let mut highest = 0u64;
    tx.for_each(
        &format!("SELECT {column} FROM {table}"),
        &[],
        &mut |cells| {
            if let Some(n) = cells[0]
                .and_then(|id| id.strip_prefix(prefix))
                .and_then(|n| n.parse::<u64>().ok())
            {
                highest = highest.max(n);
            }
            Ok(())
        },
    )?;
    Ok(format!("{prefix}{}", highest + 1))
}

/// The rules a stored questionnaire keeps: those of a draft, which may have no questions yet
/// (sending checks them all).
fn check(q: &Questionnaire) -> Result<(), WriteError> {
    q.check_draft().map_err(|errors| {
        let first = &errors[0];
        rule(first.rule, first.to_string())
    })
}

fn get_questionnaire(tx: &mut dyn Tx, id: &str) -> Result<Option<StoredQuestionnaire>, StoreError> {
    let rows = texts(
        tx,
        "SELECT questionnaire_id, document, CAST(frozen AS TEXT), created_at FROM questionnaire \
         WHERE questionnaire_id = $1",
        &[id],
    )?;
    rows.into_iter()
        .next()
        .map(stored_questionnaire)
        .transpose()
}

fn stored_questionnaire(row: Vec<Option<String>>) -> Result<StoredQuestionnaire, StoreError> {
    let id = row[0].clone().unwrap_or_default();
    Ok(StoredQuestionnaire {
        questionnaire: from_json(
            &format!("questionnaire {id}"),
            row[1].as_deref().unwrap_or(""),
        )?,
        frozen: row[2].as_deref() == Some("1"),
        created_at: row[3].clone().unwrap_or_default(),
        id,
    })
}

const ROUND_COLUMNS: &str =
    "r.round_id, r.questionnaire_id, r.title, r.reference_date, r.deadline, r.sent_at";

fn round_of(row: &[Option<String>]) -> Result<Round, StoreError> {
    let id = row[0].clone().unwrap_or_default();
    Ok(Round {
        questionnaire: row[1].clone().unwrap_or_default(),
        title: row[2].clone().unwrap_or_default(),
        reference_date: date(&format!("round {id}"), row[3].as_deref())?,
        deadline: date(&format!("round {id}"), row[4].as_deref())?,
        sent_at: row[5].clone().unwrap_or_default(),
        id,
    })
}

const PROGRAM_COLUMNS: &str = "rp.program_id, p.name, p.organisation, rp.submitted_at, \
     (SELECT CAST(COUNT(*) AS TEXT) FROM round_answer a WHERE a.round_id = rp.round_id \
      AND a.program_id = rp.program_id AND a.answer IS NOT NULL)";

fn round_program_of(row: &[Option<String>]) -> Result<RoundProgram, StoreError> {
    let program = ProgramId::parse(row[0].as_deref().unwrap_or(""))
        .map_err(|e| StoreError::Corrupt(format!("round program: {e}")))?;
    let answered: u32 = row[4].as_deref().and_then(|n| n.parse().ok()).unwrap_or(0);
    let submitted_at = row[3].clone();
    Ok(RoundProgram {
        program,
        name: row[1].clone().unwrap_or_default(),
        organisation: row[2].clone(),
        status: if submitted_at.is_some() {
            ResponseStatus::Submitted
        } else if answered > 0 {
            ResponseStatus::InProgress
        } else {
            ResponseStatus::NotStarted
        },
        submitted_at,
        answered,
    })
}

fn program_rows(
    tx: &mut dyn Tx,
    round: &str,
    program: Option<&ProgramId>,
) -> Result<Vec<RoundProgram>, StoreError> {
    let mut sql = format!(
        "SELECT {PROGRAM_COLUMNS} FROM round_program rp JOIN program p ON p.program_id = rp.program_id \
         WHERE rp.round_id = $1"
    );
    let mut params = vec![round];
    if let Some(p) = program {
        sql.push_str(" AND rp.program_id = $2");
        params.push(p.as_str());
    }
    sql.push_str(" ORDER BY rp.program_id");
    texts(tx, &sql, &params)?
        .iter()
        .map(|r| round_program_of(r))
        .collect()
}

/// One program's answers and figures, by question.
type ProgramData = (BTreeMap<String, StoredAnswer>, BTreeMap<String, Prefill>);

/// The answers and figures of a round, of one program or of all, grouped by program.
fn answers_and_prefill(
    tx: &mut dyn Tx,
    round: &str,
    program: Option<&ProgramId>,
) -> Result<BTreeMap<String, ProgramData>, StoreError> {
    let mut out: BTreeMap<String, ProgramData> = BTreeMap::new();
    let (filter, params): (&str, Vec<&str>) = match program {
        Some(p) => (" AND program_id = $2", vec![round, p.as_str()]),
        None => ("", vec![round]),
    };
    tx.for_each(
        &format!(
            "SELECT program_id, question, answer, comment, CAST(version AS TEXT), answered_by, answered_at \
             FROM round_answer WHERE round_id = $1{filter}"
        ),
        &params,
        &mut |c| {
            let answer = match c[2] {
                Some(json) => Some(from_json("answer", json)?),
                None => None,
            };
            out.entry(c[0].unwrap_or_default().to_owned())
                .or_default()
                .0
                .insert(
                    c[1].unwrap_or_default().to_owned(),
                    StoredAnswer {
                        answer,
                        comment: c[3].unwrap_or_default().to_owned(),
                        version: c[4].and_then(|v| v.parse().ok()).unwrap_or(0),
                        by: c[5].unwrap_or_default().to_owned(),
                        at: c[6].unwrap_or_default().to_owned(),
                    },
                );
            Ok(())
        },
    )?;
    tx.for_each(
        &format!(
            "SELECT program_id, question, value, evidence FROM round_prefill WHERE round_id = $1{filter}"
        ),
        &params,
        &mut |c| {
            out.entry(c[0].unwrap_or_default().to_owned())
                .or_default()
                .1
                .insert(
                    c[1].unwrap_or_default().to_owned(),
                    Prefill {
                        value: c[2].and_then(|v| v.parse().ok()),
                        evidence: c[3].unwrap_or_default().to_owned(),
                    },
                );
            Ok(())
        },
    )?;
    Ok(out)
}

fn responses_of(
    tx: &mut dyn Tx,
    round: &str,
    program: Option<&ProgramId>,
) -> Result<Vec<Response>, StoreError> {
    let programs = program_rows(tx, round, program)?;
    let mut data = answers_and_prefill(tx, round, program)?;
    Ok(programs
        .into_iter()
        .map(|p| {
            let (answers, prefill) = data.remove(p.program.as_str()).unwrap_or_default();
            Response {
                program: p,
                answers,
                prefill,
            }
        })
        .collect())
}

/// Every program's `Answers` in a round, in program order. A program's place is looked up
/// only when the program of the rows changes (they mostly come together, in the tables'
/// key order), and only the question's name and the answer are made per row.
fn round_answers_of(
    tx: &mut dyn Tx,
    round: &str,
) -> Result<Vec<(RoundProgram, Answers)>, StoreError> {
    let programs = program_rows(tx, round, None)?;
    let mut out: Vec<Answers> = programs
        .iter()
        .map(|p| Answers {
            program: p.program.to_string(),
            answers: BTreeMap::new(),
            computed: BTreeMap::new(),
            comments: BTreeMap::new(),
        })
        .collect();
    // A row's program is found by binary search over the IDs in byte order (the database's
    // order may follow a collation), once per run of rows of one program.
    let mut sorted: Vec<usize> = (0..out.len()).collect();
    sorted.sort_by(|&a, &b| out[a].program.cmp(&out[b].program));
    let place = |out: &[Answers], last: usize, program: &str| -> Option<usize> {
        if out.get(last).is_some_and(|a| a.program == program) {
            return Some(last);
        }
        sorted
            .binary_search_by(|&i| out[i].program.as_str().cmp(program))
            .ok()
            .map(|k| sorted[k])
    };
    let mut last = 0;
    tx.for_each(
        "SELECT program_id, question, answer, comment FROM round_answer WHERE round_id = $1",
        &[round],
        &mut |c| {
            let Some(i) = place(&out, last, c[0].unwrap_or_default()) else {
                return Ok(());
            };
            last = i;
            let question = c[1].unwrap_or_default();
            let a = &mut out[i];
            if let Some(json) = c[2] {
                a.answers
                    .insert(question.to_owned(), from_json("answer", json)?);
            }
            if let Some(comment) = c[3].filter(|c| !c.is_empty()) {
                a.comments.insert(question.to_owned(), comment.to_owned());
            }
            Ok(())
        },
    )?;
    tx.for_each(
        "SELECT program_id, question, value FROM round_prefill WHERE round_id = $1",
        &[round],
        &mut |c| {
            let Some(i) = place(&out, last, c[0].unwrap_or_default()) else {
                return Ok(());
            };
            last = i;
            out[i].computed.insert(
                c[1].unwrap_or_default().to_owned(),
                c[2].and_then(|v| v.parse().ok()),
            );
            Ok(())
        },
    )?;
    Ok(programs.into_iter().zip(out).collect())
}

/// The round's questionnaire and whether the program has submitted, with the round row
/// locked where the backend can, for a change to a program's answers.
fn open_response(
    tx: &mut dyn Tx,
    round: &str,
    program: &ProgramId,
) -> Result<Option<(Questionnaire, Option<String>)>, StoreError> {
    let rows = texts(
        tx,
        "SELECT q.document, rp.submitted_at FROM round_program rp \
         JOIN questionnaire_round r ON r.round_id = rp.round_id \
         JOIN questionnaire q ON q.questionnaire_id = r.questionnaire_id \
         WHERE rp.round_id = $1 AND rp.program_id = $2",
        &[round, program.as_str()],
    )?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(None);
    };
    let q = from_json("questionnaire", row[0].as_deref().unwrap_or(""))?;
    Ok(Some((q, row[1].clone())))
}

/// Serialises changes to one program's response on PostgreSQL (SQLite has one writer).
fn lock_response(tx: &mut dyn Tx, round: &str, program: &ProgramId) -> Result<(), StoreError> {
    if tx.backend() == crate::Backend::Postgres {
        exec(
            tx,
            "SELECT round_id FROM round_program WHERE round_id = $1 AND program_id = $2 FOR UPDATE",
            &[round, program.as_str()],
        )?;
    }
    Ok(())
}

impl<R: Runner> Questionnaires for Db<R> {
    fn create_questionnaire(&self, actor: &Actor, q: &Questionnaire) -> Result<String, WriteError> {
        check(q)?;
        let document = to_json("questionnaire", q)?;
        let title = q.title.get("en").to_owned();
        Ok(self.0.run(true, |tx| {
            let id = next_id(tx, "questionnaire", "questionnaire_id", "QN")?;
            exec(
                tx,
                "INSERT INTO questionnaire (questionnaire_id, title, document, frozen, created_by, created_at) \
                 VALUES ($1, $2, $3, 0, $4, $5)",
                &[&id, &title, &document, &actor.user, &actor.at],
            )?;
            audit(tx, &actor.user, &actor.at, "questionnaire.add", None, &id)?;
            Ok((id, true))
        })?)
    }

    fn update_questionnaire(
        &self,
        actor: &Actor,
        id: &str,
        q: &Questionnaire,
    ) -> Result<(), WriteError> {
        check(q)?;
        let document = to_json("questionnaire", q)?;
        let title = q.title.get("en").to_owned();
        self.0.run(true, |tx| {
            let Some(old) = get_questionnaire(tx, id)? else {
                return Ok((Err(WriteError::NotFound), false));
            };
            if old.frozen {
                return Ok((
                    Err(rule(
                        "questionnaire-frozen",
                        format!("questionnaire {id} has been sent, so it is frozen; make a copy to change it"),
                    )),
                    false,
                ));
            }
            exec(
                tx,
                "UPDATE questionnaire SET title = $2, document = $3 WHERE questionnaire_id = $1",
                &[id, &title, &document],
            )?;
            audit(tx, &actor.user, &actor.at, "questionnaire.change", None, id)?;
            Ok((Ok(()), true))
        })?
    }

    fn change_questionnaire(
        &self,
        actor: &Actor,
        id: &str,
        change: &mut dyn FnMut(&mut Questionnaire) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        self.0.run(true, |tx| {
            let outcome = (|| {
                if tx.backend() == crate::Backend::Postgres {
                    exec(
                        tx,
                        "SELECT questionnaire_id FROM questionnaire WHERE questionnaire_id = $1 FOR UPDATE",
                        &[id],
                    )?;
                }
                let old = get_questionnaire(tx, id)?.ok_or(WriteError::NotFound)?;
                if old.frozen {
                    return Err(rule(
                        "questionnaire-frozen",
                        format!("questionnaire {id} has been sent, so it is frozen; make a copy to change it"),
                    ));
                }
                let mut q = old.questionnaire;
                change(&mut q)?;
                check(&q)?;
                let document = to_json("questionnaire", &q)?;
                exec(
                    tx,
                    "UPDATE questionnaire SET title = $2, document = $3 WHERE questionnaire_id = $1",
                    &[id, q.title.get("en"), &document],
                )?;
                audit(tx, &actor.user, &actor.at, "questionnaire.change", None, id)?;
                Ok(())
            })();
            match outcome {
                Err(WriteError::Store(e)) => Err(e),
                other => {
                    let commit = other.is_ok();
                    Ok((other, commit))
                }
            }
        })?
    }

    fn questionnaire(&self, id: &str) -> Result<Option<StoredQuestionnaire>, StoreError> {
        self.0
            .run(false, |tx| Ok((get_questionnaire(tx, id)?, false)))
    }

    fn questionnaires(&self) -> Result<Vec<StoredQuestionnaire>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                "SELECT questionnaire_id, document, CAST(frozen AS TEXT), created_at FROM questionnaire \
                 ORDER BY created_at, questionnaire_id",
                &[],
            )?;
            let list = rows
                .into_iter()
                .map(stored_questionnaire)
                .collect::<Result<Vec<_>, _>>()?;
            Ok((list, false))
        })
    }

    fn send_round(
        &self,
        actor: &Actor,
        questionnaire: &str,
        title: &str,
        programs: &[ProgramId],
        reference_date: Date,
        deadline: Date,
    ) -> Result<String, WriteError> {
        if programs.is_empty() {
            return Err(rule(
                "round-no-programs",
                "choose at least one program to send it to",
            ));
        }
        if deadline < reference_date {
            return Err(rule(
                "round-deadline",
                format!("the deadline {deadline} is before the reference date {reference_date}"),
            ));
        }
        self.0.run(true, |tx| {
            let Some(stored) = get_questionnaire(tx, questionnaire)? else {
                return Ok((Err(WriteError::NotFound), false));
            };
            if let Err(errors) = stored.questionnaire.check() {
                let first = &errors[0];
                return Ok((Err(rule(first.rule, first.to_string())), false));
            }
            let mut unique: Vec<&ProgramId> = programs.iter().collect();
            unique.sort();
            unique.dedup();
            for p in &unique {
                if count(tx, "program WHERE program_id = $1", &[p.as_str()])? == 0 {
                    return Ok((
                        Err(rule(
                            "round-unknown-program",
                            format!("there is no program {p}"),
                        )),
                        false,
                    ));
                }
            }
            let id = next_id(tx, "questionnaire_round", "round_id", "QR")?;
            let title = if title.trim().is_empty() {
                stored.questionnaire.title.get("en").to_owned()
            } else {
                title.trim().to_owned()
            };
            let (reference, due) = (reference_date.to_string(), deadline.to_string());
            exec(
                tx,
                "INSERT INTO questionnaire_round (round_id, questionnaire_id, title, reference_date, deadline, sent_by, sent_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&id, questionnaire, &title, &reference, &due, &actor.user, &actor.at],
            )?;
            exec(
                tx,
                "UPDATE questionnaire SET frozen = 1 WHERE questionnaire_id = $1",
                &[questionnaire],
            )?;
            let bound: Vec<(&str, fika_core::questionnaire::Figure)> = stored
                .questionnaire
                .questions()
                .filter_map(|q| q.prefill.map(|f| (q.name.as_str(), f)))
                .collect();
            let quarter = Quarter::of(reference_date);
            for p in unique {
                exec(
                    tx,
                    "INSERT INTO round_program (round_id, program_id) VALUES ($1, $2)",
                    &[&id, p.as_str()],
                )?;
                if bound.is_empty() {
                    continue;
                }
                // The figures as METRICS.md computes them on the reference date, read in
                // this transaction so that they are the records' state as sent.
                let Some(data) = figures::fidelity_data(tx, p, reference_date)? else {
                    continue;
                };
                let report = fidelity(&data.records(), reference_date);
                let (people, jobs) = figures::participants_and_jobs(tx, Some(p))?;
                let quarterly = outcomes(
                    &fika_core::fidelity::ProgramRecords::people_and_jobs(p, &people, &jobs),
                    quarter,
                );
                for (name, figure) in &bound {
                    let value = figure.value(&report, &quarterly).map(|v| v.to_string());
                    let evidence = figure.evidence(&report, &quarterly);
                    match value {
                        Some(v) => exec(
                            tx,
                            "INSERT INTO round_prefill (round_id, program_id, question, value, evidence) \
                             VALUES ($1, $2, $3, $4, $5)",
                            &[&id, p.as_str(), name, &v, &evidence],
                        )?,
                        None => exec(
                            tx,
                            "INSERT INTO round_prefill (round_id, program_id, question, value, evidence) \
                             VALUES ($1, $2, $3, NULL, $4)",
                            &[&id, p.as_str(), name, &evidence],
                        )?,
                    };
                }
            }
            audit(
                tx,
                &actor.user,
                &actor.at,
                "round.send",
                None,
                &format!("{id} of {questionnaire} to {} programs", programs.len()),
            )?;
            Ok((Ok(id), true))
        })?
    }

    fn round(&self, id: &str) -> Result<Option<Round>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!("SELECT {ROUND_COLUMNS} FROM questionnaire_round r WHERE r.round_id = $1"),
                &[id],
            )?;
            Ok((rows.first().map(|r| round_of(r)).transpose()?, false))
        })
    }

    fn rounds(&self) -> Result<Vec<Round>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!(
                    "SELECT {ROUND_COLUMNS} FROM questionnaire_round r ORDER BY r.sent_at DESC, r.round_id DESC"
                ),
                &[],
            )?;
            let list = rows.iter().map(|r| round_of(r)).collect::<Result<_, _>>()?;
            Ok((list, false))
        })
    }

    fn rounds_of_program(
        &self,
        program: &ProgramId,
    ) -> Result<Vec<(Round, RoundProgram)>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!(
                    "SELECT {ROUND_COLUMNS}, {PROGRAM_COLUMNS} FROM round_program rp \
                     JOIN questionnaire_round r ON r.round_id = rp.round_id \
                     JOIN program p ON p.program_id = rp.program_id \
                     WHERE rp.program_id = $1 ORDER BY r.sent_at DESC, r.round_id DESC"
                ),
                &[program.as_str()],
            )?;
            let list = rows
                .iter()
                .map(|r| Ok((round_of(&r[..6])?, round_program_of(&r[6..])?)))
                .collect::<Result<_, StoreError>>()?;
            Ok((list, false))
        })
    }

    fn round_programs(&self, round: &str) -> Result<Vec<RoundProgram>, StoreError> {
        self.0
            .run(false, |tx| Ok((program_rows(tx, round, None)?, false)))
    }

    fn response(&self, round: &str, program: &ProgramId) -> Result<Option<Response>, StoreError> {
        self.0.run(false, |tx| {
            Ok((
                responses_of(tx, round, Some(program))?.into_iter().next(),
                false,
            ))
        })
    }

    fn responses(&self, round: &str) -> Result<Vec<Response>, StoreError> {
        self.0
            .run(false, |tx| Ok((responses_of(tx, round, None)?, false)))
    }

    fn round_answers(&self, round: &str) -> Result<Vec<Answers>, StoreError> {
        Ok(self
            .round_results(round)?
            .into_iter()
            .map(|(_, a)| a)
            .collect())
    }

    fn round_results(&self, round: &str) -> Result<Vec<(RoundProgram, Answers)>, StoreError> {
        self.0
            .run(false, |tx| Ok((round_answers_of(tx, round)?, false)))
    }

    fn save_answer(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        question: &str,
        answer: Option<&Answer>,
        comment: &str,
        on_version: u32,
    ) -> Result<Saved, WriteError> {
        let json = answer.map(|a| to_json("answer", a)).transpose()?;
        self.0.run(true, |tx| {
            lock_response(tx, round, program)?;
            let Some((q, submitted)) = open_response(tx, round, program)? else {
                return Ok((Err(WriteError::NotFound), false));
            };
            if q.question(question).is_none() {
                return Ok((Err(WriteError::NotFound), false));
            }
            if submitted.is_some() {
                return Ok((
                    Err(rule(
                        "round-submitted",
                        "these answers have been submitted; ask the evaluator to reopen them",
                    )),
                    false,
                ));
            }
            let mut current = responses_of(tx, round, Some(program))?
                .into_iter()
                .next()
                .and_then(|mut r| r.answers.remove(question));
            let version = current.as_ref().map_or(0, |a| a.version);
            if version != on_version {
                let theirs = current.take().ok_or_else(|| {
                    StoreError::Corrupt("an answer version without its answer".into())
                })?;
                return Ok((
                    Ok(Saved::Conflict {
                        yours: answer.cloned(),
                        theirs,
                    }),
                    false,
                ));
            }
            let next = (version + 1).to_string();
            let b = tx.backend();
            let v = param(b, Kind::Int, 6);
            // A cleared answer is bound as "" and stored as NULL (an answer's JSON is never "").
            let value = "NULLIF($4, '')";
            let params: Vec<&str> = vec![
                round,
                program.as_str(),
                question,
                json.as_deref().unwrap_or(""),
                comment,
                &next,
                &actor.user,
                &actor.at,
            ];
            if version == 0 {
                exec(
                    tx,
                    &format!(
                        "INSERT INTO round_answer (round_id, program_id, question, answer, comment, version, answered_by, answered_at) \
                         VALUES ($1, $2, $3, {value}, $5, {v}, $7, $8)"
                    ),
                    &params,
                )?;
            } else {
                exec(
                    tx,
                    &format!(
                        "UPDATE round_answer SET answer = {value}, comment = $5, version = {v}, answered_by = $7, answered_at = $8 \
                         WHERE round_id = $1 AND program_id = $2 AND question = $3"
                    ),
                    &params,
                )?;
            }
            audit(
                tx,
                &actor.user,
                &actor.at,
                "round.answer",
                None,
                &format!("{round} {program} {question}"),
            )?;
            Ok((Ok(Saved::Stored { version: version + 1 }), true))
        })?
    }

    fn submit_response(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
    ) -> Result<(), WriteError> {
        self.0.run(true, |tx| {
            lock_response(tx, round, program)?;
            let Some((q, submitted)) = open_response(tx, round, program)? else {
                return Ok((Err(WriteError::NotFound), false));
            };
            if submitted.is_some() {
                return Ok((
                    Err(rule("round-submitted", "these answers have already been submitted")),
                    false,
                ));
            }
            let response = responses_of(tx, round, Some(program))?
                .into_iter()
                .next()
                .ok_or(StoreError::Corrupt("a round program without its row".into()))?;
            let answers: BTreeMap<String, Answer> = response
                .answers
                .into_iter()
                .filter_map(|(k, a)| a.answer.map(|a| (k, a)))
                .collect();
            let missing: Vec<String> = q.missing(&answers).iter().map(|q| q.name.clone()).collect();
            if !missing.is_empty() {
                return Ok((
                    Err(rule(
                        "round-missing",
                        format!("these required questions are not answered yet: {}", missing.join(", ")),
                    )),
                    false,
                ));
            }
            exec(
                tx,
                "UPDATE round_program SET submitted_at = $3, submitted_by = $4 WHERE round_id = $1 AND program_id = $2",
                &[round, program.as_str(), &actor.at, &actor.user],
            )?;
            audit(tx, &actor.user, &actor.at, "round.submit", None, &format!("{round} {program}"))?;
            Ok((Ok(()), true))
        })?
    }

    fn reopen_response(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
    ) -> Result<(), WriteError> {
        self.0.run(true, |tx| {
            lock_response(tx, round, program)?;
            let Some((_, submitted)) = open_response(tx, round, program)? else {
                return Ok((Err(WriteError::NotFound), false));
            };
            if submitted.is_none() {
                return Ok((
                    Err(rule("round-not-submitted", "these answers are open already")),
                    false,
                ));
            }
            exec(
                tx,
                "UPDATE round_program SET submitted_at = NULL, submitted_by = NULL WHERE round_id = $1 AND program_id = $2",
                &[round, program.as_str()],
            )?;
            audit(tx, &actor.user, &actor.at, "round.reopen", None, &format!("{round} {program}"))?;
            Ok((Ok(()), true))
        })?
    }

    fn name_respondent(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        login: &str,
    ) -> Result<(), WriteError> {
        self.0.run(true, |tx| {
            if count(
                tx,
                "round_program WHERE round_id = $1 AND program_id = $2",
                &[round, program.as_str()],
            )? == 0
            {
                return Ok((Err(WriteError::NotFound), false));
            }
            let users = texts(
                tx,
                "SELECT u.role, COALESCE(u.program_id, c.program_id) FROM app_user u \
                 LEFT JOIN coach c ON c.coach_id = u.coach_id \
                 WHERE u.login = $1 AND u.disabled_at IS NULL",
                &[login],
            )?;
            let Some(user) = users.first() else {
                return Ok((
                    Err(rule(
                        "round-respondent-unknown",
                        format!("there is no user named {login:?}; check the spelling"),
                    )),
                    false,
                ));
            };
            let staff = matches!(user[0].as_deref(), Some("coach" | "lead"));
            if !staff || user[1].as_deref() != Some(program.as_str()) {
                return Ok((
                    Err(rule(
                        "round-respondent-program",
                        format!("{login:?} is not a coach or lead of program {program}; only its own staff can answer for it"),
                    )),
                    false,
                ));
            }
            if count(
                tx,
                "round_respondent WHERE round_id = $1 AND program_id = $2 AND user_name = $3",
                &[round, program.as_str(), login],
            )? > 0
            {
                return Ok((Ok(()), false));
            }
            exec(
                tx,
                "INSERT INTO round_respondent (round_id, program_id, user_name, named_by, named_at) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[round, program.as_str(), login, &actor.user, &actor.at],
            )?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "round.respondent",
                None,
                &format!("{round} {program} {login}"),
            )?;
            Ok((Ok(()), true))
        })?
    }

    fn remove_respondent(
        &self,
        actor: &Actor,
        round: &str,
        program: &ProgramId,
        login: &str,
    ) -> Result<(), WriteError> {
        self.0.run(true, |tx| {
            let params = [round, program.as_str(), login];
            if count(
                tx,
                "round_respondent WHERE round_id = $1 AND program_id = $2 AND user_name = $3",
                &params,
            )? == 0
            {
                return Ok((Err(WriteError::NotFound), false));
            }
            exec(
                tx,
                "DELETE FROM round_respondent WHERE round_id = $1 AND program_id = $2 AND user_name = $3",
                &params,
            )?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "round.respondent-remove",
                None,
                &format!("{round} {program} {login}"),
            )?;
            Ok((Ok(()), true))
        })?
    }

    fn respondents(&self, round: &str) -> Result<Vec<(ProgramId, String)>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                "SELECT program_id, user_name FROM round_respondent WHERE round_id = $1 \
                 ORDER BY program_id, user_name",
                &[round],
            )?;
            let list = rows
                .iter()
                .map(|r| {
                    let p = ProgramId::parse(r[0].as_deref().unwrap_or(""))
                        .map_err(|e| StoreError::Corrupt(format!("round respondent: {e}")))?;
                    Ok((p, r[1].clone().unwrap_or_default()))
                })
                .collect::<Result<_, StoreError>>()?;
            Ok((list, false))
        })
    }

    fn rounds_named_for(&self, login: &str) -> Result<Vec<(Round, RoundProgram)>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!(
                    "SELECT {ROUND_COLUMNS}, {PROGRAM_COLUMNS} FROM round_respondent n \
                     JOIN round_program rp ON rp.round_id = n.round_id AND rp.program_id = n.program_id \
                     JOIN questionnaire_round r ON r.round_id = rp.round_id \
                     JOIN program p ON p.program_id = rp.program_id \
                     WHERE n.user_name = $1 ORDER BY r.sent_at DESC, r.round_id DESC"
                ),
                &[login],
            )?;
            let list = rows
                .iter()
                .map(|r| Ok((round_of(&r[..6])?, round_program_of(&r[6..])?)))
                .collect::<Result<_, StoreError>>()?;
            Ok((list, false))
        })
    }

    fn answers_to_qual(
        &self,
        actor: &Actor,
        round: &str,
        question: &str,
        project: &str,
        member: Option<&str>,
    ) -> Result<SentToQual, WriteError> {
        self.0.run(true, |tx| {
            let outcome = match to_qual(tx, actor, round, question, project, member) {
                Err(WriteError::Store(e)) => return Err(e),
                other => other,
            };
            let commit = outcome.as_ref().is_ok_and(|s| !s.added.is_empty());
            Ok((outcome, commit))
        })?
    }
}

/// The sources that a question's free-text answers become: (name, description, text), by
/// program ID.
fn answer_sources(
    tx: &mut dyn Tx,
    round: &str,
    question: &str,
) -> Result<Vec<(String, String, String)>, WriteError> {
    let rows = texts(
        tx,
        &format!(
            "SELECT {ROUND_COLUMNS}, q.document FROM questionnaire_round r \
             JOIN questionnaire q ON q.questionnaire_id = r.questionnaire_id WHERE r.round_id = $1"
        ),
        &[round],
    )?;
    let Some(row) = rows.first() else {
        return Err(WriteError::NotFound);
    };
    let r = round_of(&row[..6])?;
    let form: Questionnaire = from_json("questionnaire", row[6].as_deref().unwrap_or(""))?;
    let q = form.question(question).ok_or(WriteError::NotFound)?;
    if !matches!(
        q.kind,
        fika_core::questionnaire::Kind::ShortText | fika_core::questionnaire::Kind::LongText
    ) {
        return Err(rule(
            "round-to-qual-kind",
            format!(
                "question {question} is not answered in free text; only short and long texts can be coded"
            ),
        ));
    }
    let sources: Vec<(String, String, String)> = responses_of(tx, round, None)?
        .into_iter()
        .filter_map(|resp| {
            let text = match resp.answers.get(question)?.answer.as_ref()? {
                Answer::Text(t) if !t.trim().is_empty() => t.clone(),
                _ => return None,
            };
            let p = &resp.program;
            let description = format!(
                "The answer of program {} ({}) to question {question} ({}) of round {} ({}), reference date {}.",
                p.program,
                p.name,
                q.label.get("en"),
                r.id,
                r.title,
                r.reference_date
            );
            Some((source_name(&r.id, question, &p.program), description, text))
        })
        .collect();
    if sources.is_empty() {
        return Err(rule(
            "round-to-qual-nothing",
            format!("no program has answered question {question} in round {round} yet"),
        ));
    }
    Ok(sources)
}

/// Adds to `project` the sources it does not hold by name; the rest are `already`.
fn add_sources(
    project: &mut fika_qual::Project,
    sources: &[(String, String, String)],
    at: &str,
    sent: &mut SentToQual,
) {
    for (name, description, text) in sources {
        if project.sources.iter().any(|s| &s.name == name) {
            sent.already.push(name.clone());
            continue;
        }
        let mut source =
            fika_qual::TextSource::new(fika_qual::Guid::new_v4(), name.clone(), text.clone());
        source.description = Some(description.clone());
        source.created = Some(at.to_owned());
        project.sources.push(source);
        sent.added.push(name.clone());
    }
}

fn to_qual(
    tx: &mut dyn Tx,
    actor: &Actor,
    round: &str,
    question: &str,
    project: &str,
    member: Option<&str>,
) -> Result<SentToQual, WriteError> {
    let sources = answer_sources(tx, round, question)?;
    let mut sent = SentToQual::default();
    match member {
        Some(login) => {
            crate::qual::change(tx, project, login, &mut |p, _| {
                sent = SentToQual {
                    project: project.to_owned(),
                    ..SentToQual::default()
                };
                add_sources(p, &sources, &actor.at, &mut sent);
                Ok(())
            })?;
        }
        None => {
            let (id, mut p) = crate::qual::get(tx, project)?.ok_or(WriteError::NotFound)?;
            sent.project = id.clone();
            add_sources(&mut p, &sources, &actor.at, &mut sent);
            if !sent.added.is_empty() {
                crate::qual::update(tx, &id, &p)?
                    .map_err(|e| rule("round-to-qual-project", e.to_string()))?;
            }
        }
    }
    if !sent.added.is_empty() {
        audit(
            tx,
            &actor.user,
            &actor.at,
            "round.to-qual",
            None,
            &format!(
                "{round} {question} to {}: {} sources added, {} already there",
                sent.project,
                sent.added.len(),
                sent.already.len()
            ),
        )?;
    }
    Ok(sent)
}
