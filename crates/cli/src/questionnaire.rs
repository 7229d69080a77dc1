//! `fika questionnaire`: questionnaires to programs — import and export as a REDCap data
//! dictionary or fika's JSON, list them, send a round, and take the answers away.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use fika_core::questionnaire::Questionnaire;
use fika_core::questionnaire::results::{ProgramAnswers, long, results, wide};
use fika_core::{Date, ProgramId};
use fika_interchange::redcap::{read_dictionary, write_dictionary};
use fika_store::questionnaires::{Answers, ResponseStatus};
use fika_store::{Actor, Store, WriteError};

use crate::figures;

#[derive(Subcommand)]
pub enum QuestionnaireCommand {
    /// Import a questionnaire: a REDCap data dictionary (.csv) or fika's JSON (.json). The new
    /// questionnaire's ID is the last line printed.
    Import {
        file: PathBuf,
        /// The language of a data dictionary's labels: en or sv.
        #[arg(long, default_value = "en")]
        lang: String,
        /// The questionnaire's title (a data dictionary has none; default: the file's name).
        #[arg(long)]
        title: Option<String>,
    },
    /// Export a questionnaire as a REDCap data dictionary (.csv) or fika's JSON (.json).
    Export {
        id: String,
        file: PathBuf,
        /// The language of a data dictionary's labels: en or sv.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Every questionnaire: ID, title, questions, frozen or not.
    List,
    /// Send a questionnaire to programs. The round's ID is the last line printed.
    Send {
        id: String,
        /// A program to send it to; repeat for more.
        #[arg(long = "program")]
        programs: Vec<ProgramId>,
        /// Send it to every program.
        #[arg(long, conflicts_with = "programs")]
        all: bool,
        /// The reference date: bound figures are computed on it.
        #[arg(long, value_parser = figures::parse_date_arg)]
        at: Date,
        #[arg(long, value_parser = figures::parse_date_arg)]
        deadline: Date,
        #[arg(long, default_value = "")]
        title: String,
    },
    /// A round's programs and where each stands.
    Status { round: String },
    /// A round's answers: one row per program (REDCap's column names) or the long format
    /// (program, question, answer, computed value, comment), as CSV; or a workbook of both
    /// with a sheet per question's chart (`--out FILE.xlsx`).
    Results {
        round: String,
        #[arg(long, value_enum, default_value_t = Layout::Wide)]
        layout: Layout,
        /// Write to this file instead of standard output; a name ending .xlsx gets a workbook.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The language of the workbook's headings and charts: en or sv.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Send the answers to a free-text question of a round to a qualitative project (ID or
    /// name) as sources to code, one per program, named `ROUND · QUESTION · PROGRAM`. Sources
    /// already there are left as they are, so sending again adds only new answers.
    ToQual {
        round: String,
        question: String,
        project: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    Wide,
    Long,
}

fn actor() -> Actor {
    Actor {
        user: "cli".into(),
        at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn lang(s: &str) -> anyhow::Result<&str> {
    match s {
        "en" | "sv" => Ok(s),
        _ => bail!("--lang must be en or sv"),
    }
}

enum FileKind {
    Dictionary,
    Json,
}

fn kind_of(path: &Path) -> anyhow::Result<FileKind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(FileKind::Dictionary),
        Some("json") => Ok(FileKind::Json),
        _ => bail!(
            "{}: give a .csv file (a REDCap data dictionary) or a .json file (fika's questionnaire JSON)",
            path.display()
        ),
    }
}

fn refused(e: WriteError) -> anyhow::Error {
    match e {
        WriteError::NotFound => anyhow::anyhow!("not found"),
        WriteError::Rule { text, .. } => anyhow::anyhow!("{text}"),
        WriteError::Store(e) => e.into(),
    }
}

/// Reads a questionnaire file; a problem names its line (and column) for a dictionary.
pub fn read_file(
    path: &Path,
    lang_code: &str,
    title: Option<&str>,
) -> anyhow::Result<(Questionnaire, Vec<String>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    match kind_of(path)? {
        FileKind::Dictionary => {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("questionnaire");
            match read_dictionary(&text, lang(lang_code)?, title.unwrap_or(stem)) {
                Ok(imported) => Ok((imported.questionnaire, imported.warnings)),
                Err(errors) => {
                    let mut msg = String::new();
                    for e in &errors {
                        let _ = writeln!(msg, "{}: {e}", path.display());
                    }
                    let _ = write!(
                        msg,
                        "{} problem(s); nothing was imported. Fix them and import the file again.",
                        errors.len()
                    );
                    bail!(msg)
                }
            }
        }
        FileKind::Json => {
            let mut q: Questionnaire = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: line {}, column {}: {e} (docs/questionnaires.md describes the JSON)",
                    path.display(),
                    e.line(),
                    e.column()
                )
            })?;
            if let Some(t) = title {
                q.title = fika_core::questionnaire::Text::both(t);
            }
            if let Err(errors) = q.check() {
                let lines: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {e}", path.display()))
                    .collect();
                bail!("{}\nnothing was imported.", lines.join("\n"));
            }
            Ok((q, Vec::new()))
        }
    }
}

pub fn run(store: &dyn Store, command: QuestionnaireCommand) -> anyhow::Result<String> {
    let mut out = String::new();
    match command {
        QuestionnaireCommand::Import { file, lang, title } => {
            let (q, warnings) = read_file(&file, &lang, title.as_deref())?;
            for w in &warnings {
                let _ = writeln!(out, "warning: {w}");
            }
            let id = store.create_questionnaire(&actor(), &q).map_err(refused)?;
            let _ = writeln!(
                out,
                "Imported {:?} from {} with {} questions as:\n{id}",
                q.title.get(&lang),
                file.display(),
                q.questions().count()
            );
        }
        QuestionnaireCommand::Export { id, file, lang: l } => {
            let stored = store.questionnaire(&id)?.with_context(|| {
                format!("there is no questionnaire {id}; `fika questionnaire list` lists them")
            })?;
            let text = match kind_of(&file)? {
                FileKind::Dictionary => write_dictionary(&stored.questionnaire, lang(&l)?),
                FileKind::Json => serde_json::to_string_pretty(&stored.questionnaire)? + "\n",
            };
            std::fs::write(&file, text)
                .with_context(|| format!("cannot write {}", file.display()))?;
            let _ = writeln!(out, "Exported {id} to {}", file.display());
        }
        QuestionnaireCommand::List => {
            for q in store.questionnaires()? {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{} questions\t{}",
                    q.id,
                    q.questionnaire.title.get("en"),
                    q.questionnaire.questions().count(),
                    if q.frozen { "sent (frozen)" } else { "draft" }
                );
            }
        }
        QuestionnaireCommand::Send {
            id,
            programs,
            all,
            at,
            deadline,
            title,
        } => {
            let programs = if all {
                store.programs()?.into_iter().map(|p| p.id).collect()
            } else {
                programs
            };
            let round = store
                .send_round(&actor(), &id, &title, &programs, at, deadline)
                .map_err(|e| match e {
                    WriteError::NotFound => anyhow::anyhow!("there is no questionnaire {id}"),
                    other => refused(other),
                })?;
            let _ = writeln!(
                out,
                "Sent {id} to {} programs, reference date {at}, deadline {deadline}, as:\n{round}",
                programs.len()
            );
        }
        QuestionnaireCommand::Status { round } => {
            let r = store
                .round(&round)?
                .with_context(|| format!("there is no round {round}"))?;
            let today = chrono::Local::now().date_naive();
            for p in store.round_programs(&round)? {
                let status = match p.status {
                    ResponseStatus::Submitted => "submitted",
                    _ if today > r.deadline => "late",
                    ResponseStatus::InProgress => "in progress",
                    ResponseStatus::NotStarted => "not started",
                };
                let _ = writeln!(
                    out,
                    "{}\t{}\t{status}\t{} answers",
                    p.program, p.name, p.answered
                );
            }
        }
        QuestionnaireCommand::Results {
            round,
            layout,
            out: file,
            lang: l,
        } => {
            let r = store
                .round(&round)?
                .with_context(|| format!("there is no round {round}"))?;
            let q = store
                .questionnaire(&r.questionnaire)?
                .with_context(|| format!("the questionnaire of round {round} is missing"))?;
            let answers: Vec<Answers> = store.round_answers(&round)?;
            let views: Vec<ProgramAnswers<'_>> = answers.iter().map(Answers::view).collect();
            let (wide, long) = (
                wide(&q.questionnaire, &views),
                long(&q.questionnaire, &views),
            );
            let xlsx = file
                .as_ref()
                .and_then(|f| f.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            if xlsx {
                let lang = crate::parse_lang(lang(&l)?).map_err(anyhow::Error::msg)?;
                let report = fika_report::questionnaire::report(
                    &r.title,
                    &q.questionnaire,
                    r.reference_date,
                    &wide,
                    &long,
                    &results(&q.questionnaire, &views),
                    lang,
                );
                let bytes = fika_report::xlsx::workbook(&report)?;
                let f = file.unwrap_or_default();
                std::fs::write(&f, bytes)
                    .with_context(|| format!("cannot write {}", f.display()))?;
                let _ = writeln!(out, "Wrote {} programs to {}", wide.rows.len(), f.display());
                return Ok(out);
            }
            let table = match layout {
                Layout::Wide => {
                    fika_report::questionnaire::table(&q.questionnaire, &wide, "Programs", &r.title)
                }
                Layout::Long => {
                    fika_report::questionnaire::table(&q.questionnaire, &long, "Long", &r.title)
                }
            };
            let csv = fika_report::csv::table(&table);
            match file {
                Some(f) => {
                    std::fs::write(&f, csv)
                        .with_context(|| format!("cannot write {}", f.display()))?;
                    let _ = writeln!(out, "Wrote {} rows to {}", table.rows.len(), f.display());
                }
                None => out = csv,
            }
        }
        QuestionnaireCommand::ToQual {
            round,
            question,
            project,
        } => {
            let sent = store
                .answers_to_qual(&actor(), &round, &question, &project, None)
                .map_err(|e| match e {
                    WriteError::NotFound if store.round(&round).ok().flatten().is_none() => {
                        anyhow::anyhow!("there is no round {round}; `fika questionnaire list` and the web list the rounds")
                    }
                    WriteError::NotFound => match store.qual_project(&project) {
                        Ok(Some(_)) => anyhow::anyhow!(
                            "round {round} has no question {question}; its questions are the names in `fika questionnaire results {round}`"
                        ),
                        _ => anyhow::anyhow!(
                            "there is no qualitative project {project:?}; `fika qual list` lists them"
                        ),
                    },
                    other => refused(other),
                })?;
            let _ = writeln!(
                out,
                "Added {} source(s) to {}:",
                sent.added.len(),
                sent.project
            );
            for name in &sent.added {
                let _ = writeln!(out, "  {name}");
            }
            if !sent.already.is_empty() {
                let _ = writeln!(
                    out,
                    "Left {} source(s) that {} held already:",
                    sent.already.len(),
                    sent.project
                );
                for name in &sent.already {
                    let _ = writeln!(out, "  {name}");
                }
            }
        }
    }
    Ok(out)
}

/// The demo's questionnaire: one round sent to every program of the region, two of them
/// answered and submitted, so that the results page shows something at once. Returns the
/// round's ID.
pub fn demo_round(store: &dyn Store, today: Date) -> anyhow::Result<String> {
    let q: Questionnaire = serde_json::from_str(include_str!("demo_questionnaire.json"))
        .context("the demo questionnaire")?;
    let actor = Actor {
        user: "demo".into(),
        at: format!("{today}T09:00:00Z"),
    };
    let id = store.create_questionnaire(&actor, &q).map_err(refused)?;
    let programs: Vec<ProgramId> = store.programs()?.into_iter().map(|p| p.id).collect();
    let round = store
        .send_round(
            &actor,
            &id,
            "",
            &programs,
            today,
            today + chrono::Duration::days(30),
        )
        .map_err(refused)?;
    // Two programs answer; the first confirms fika's figures, the second corrects one.
    let answers: [&[(&str, &str, &str)]; 2] = [
        &[
            ("started", "2012-03-01", ""),
            ("team", "1", ""),
            ("services", "benefits|jobdev|follow", ""),
            ("works", "4", ""),
            (
                "story",
                "The first meeting was over coffee near the station; two weeks later she had a trial day at the bakery.",
                "",
            ),
        ],
        &[
            ("coaches", "+1", "A new coach started this month"),
            ("started", "2013-09-01", ""),
            ("team", "2", ""),
            (
                "team_why",
                "The clinic moved to the other side of town; we meet the team once a month.",
                "",
            ),
            ("services", "jobdev|follow", ""),
            ("works", "3", ""),
            (
                "story",
                "We met at his allotment; he now works mornings at a garden centre.",
                "",
            ),
        ],
    ];
    for (program, given) in programs.iter().zip(answers) {
        let response = store
            .response(&round, program)?
            .context("the demo round reached every program")?;
        for (name, value, comment) in given {
            let question = q.question(name).context("a demo question")?;
            let value = if *value == "+1" {
                // One more than fika's figure.
                let computed = response
                    .prefill
                    .get(*name)
                    .and_then(|p| p.value)
                    .unwrap_or(0.0);
                (computed + 1.0).to_string()
            } else {
                (*value).to_owned()
            };
            let parts: Vec<&str> = value.split('|').collect();
            let answer = question
                .parse_answer(&parts)
                .map_err(|e| anyhow::anyhow!("demo answer {name}: {e}"))?;
            store
                .save_answer(&actor, &round, program, name, answer.as_ref(), comment, 0)
                .map_err(refused)?;
        }
        // Bound figures not corrected are confirmed as fika computed them.
        for question in q.questions().filter(|x| x.prefill.is_some()) {
            if given.iter().any(|(n, _, _)| *n == question.name) {
                continue;
            }
            if let Some(v) = response.prefill.get(&question.name).and_then(|p| p.value) {
                let answer = question
                    .parse_answer(&[&v.to_string()])
                    .map_err(|e| anyhow::anyhow!("demo answer {}: {e}", question.name))?;
                store
                    .save_answer(
                        &actor,
                        &round,
                        program,
                        &question.name,
                        answer.as_ref(),
                        "",
                        0,
                    )
                    .map_err(refused)?;
            }
        }
        store
            .submit_response(&actor, &round, program)
            .map_err(refused)?;
    }
    Ok(round)
}
