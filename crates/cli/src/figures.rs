//! `fika fidelity` and `fika outcomes`: METRICS.md's figures from the records in a store.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use fika_core::fidelity::{FidelityReport, ProgramRecords, fidelity};
use fika_core::outcomes::{
    Figures, Quarter, coach_outcomes, group_outcomes, outcome_series, reference,
};
use fika_core::scale::Lang;
use fika_core::{CoachId, Date, ProgramId};
use fika_store::{ProgramData, Store};
use serde::Serialize;

use crate::json;

/// How figures are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// One JSON object per line, as METRICS.md gives it.
    Json,
    /// CSV with a header row (spreadsheet CSV: text that looks like a formula is neutralised).
    Csv,
    /// An XLSX workbook (with --out FILE): what the web app downloads.
    Xlsx,
}

/// What a command prints or writes: text, or the bytes of a workbook.
pub enum Rendered {
    Text(String),
    Xlsx(Vec<u8>),
}

fn xlsx(report: &fika_report::Report) -> anyhow::Result<Rendered> {
    Ok(Rendered::Xlsx(
        fika_report::xlsx::workbook(report).context("cannot build the workbook")?,
    ))
}

fn program_data(
    store: &dyn Store,
    program: &ProgramId,
    from: Date,
    to: Date,
) -> anyhow::Result<ProgramData> {
    store
        .program_data(program, from, to)?
        .with_context(|| no_such_program(program))
}

fn no_such_program(program: &ProgramId) -> String {
    format!(
        "there is no program with program_id {program}; `fika export` lists the programs in programs.csv"
    )
}

/// The computed fidelity items of one program on a review date.
pub fn fidelity_report(
    store: &dyn Store,
    program: &ProgramId,
    at: Date,
) -> anyhow::Result<FidelityReport> {
    // Only the records the items look at on that date (METRICS.md's windows).
    let data = store
        .fidelity_data(program, at)?
        .with_context(|| no_such_program(program))?;
    Ok(fidelity(&data.records(), at))
}

/// The computed fidelity items of every program on a review date, read in one pass (in
/// the order of programs.csv), computed on every core.
pub fn fidelity_reports(store: &dyn Store, at: Date) -> anyhow::Result<Vec<FidelityReport>> {
    let data = store.fidelity_data_all(at)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = data.len().div_ceil(threads).max(1);
    Ok(std::thread::scope(|s| {
        let parts: Vec<_> = data
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|d| fidelity(&d.records(), at))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().expect("a fidelity computation panicked"))
            .collect()
    }))
}

/// Every program's fidelity items: `json`, one METRICS.md object per line and program;
/// `csv`, the columns of one program's CSV after a `program` column; `table`, one line per
/// program with the score of each computed item and their total.
pub fn print_fidelity_all(
    reports: &[FidelityReport],
    format: Format,
    evidence: bool,
    lang: Lang,
) -> anyhow::Result<String> {
    let text = |r: &FidelityReport| -> anyhow::Result<String> {
        match print_fidelity(r, format, evidence, lang)? {
            Rendered::Text(t) => Ok(t),
            Rendered::Xlsx(_) => bail!("--all prints table, json or csv, not xlsx"),
        }
    };
    let mut out = String::new();
    match format {
        Format::Xlsx => {
            bail!("fidelity --all prints table, json or csv; a workbook is made for one program")
        }
        Format::Json => {
            for r in reports {
                out.push_str(&text(r)?);
                out.push('\n');
            }
        }
        Format::Csv => {
            out.push_str("program,id,name,section,value,score,n\n");
            for r in reports {
                let one = text(r)?;
                for line in one.lines().skip(1) {
                    let _ = writeln!(out, "{},{line}", csv_cell(r.program.as_str()));
                }
            }
        }
        Format::Table => {
            let computed: Vec<_> = reports
                .first()
                .map(|r| {
                    r.items
                        .iter()
                        .filter(|i| i.n.is_some())
                        .map(|i| i.id)
                        .collect()
                })
                .unwrap_or_default();
            let (heading, total) = match lang {
                Lang::En => ("Fidelity, computed scores", "total"),
                Lang::Sv => ("Programtrohet, beräknade poäng", "summa"),
            };
            let at = reports
                .first()
                .map(|r| r.at.to_string())
                .unwrap_or_default();
            let _ = write!(out, "{heading} {at}\n\n{:<12}", "");
            for id in &computed {
                let _ = write!(out, " {:>4}", id.as_str());
            }
            let _ = writeln!(out, " {total:>6}");
            for r in reports {
                let _ = write!(out, "{:<12}", r.program.as_str());
                for id in &computed {
                    let score = r.items.iter().find(|i| i.id == *id).and_then(|i| i.score);
                    let _ = write!(out, " {:>4}", score.map_or("–".into(), |s| s.to_string()));
                }
                let _ = writeln!(out, " {:>6}", r.computed_total);
            }
        }
    }
    Ok(out)
}

pub fn print_fidelity(
    report: &FidelityReport,
    format: Format,
    evidence: bool,
    lang: Lang,
) -> anyhow::Result<Rendered> {
    Ok(Rendered::Text(match format {
        Format::Json if evidence => json::to_line(report)?,
        Format::Json => json::to_line(&report.summary())?,
        Format::Csv => fika_report::csv::table(&fika_report::fidelity::table(report, lang)),
        Format::Xlsx => return xlsx(&fika_report::fidelity::report(report, lang)),
        Format::Table => {
            let (heading, value, score, total_label) = match lang {
                Lang::En => ("Fidelity", "value", "score", "Total of the computed scores"),
                Lang::Sv => (
                    "Programtrohet",
                    "värde",
                    "poäng",
                    "Summa av de beräknade poängen",
                ),
            };
            let mut out = format!(
                "{heading} {} {} ({}, rules {})\n\n{:<4} {:<44} {:>9} {:>6} {:>5}\n",
                report.program, report.at, report.scale, report.rules, "", "", value, score, "n"
            );
            for item in &report.items {
                let _ = writeln!(
                    out,
                    "{:<4} {:<44} {:>9} {:>6} {:>5}",
                    item.id.as_str(),
                    item.id.item().name(lang),
                    item.value.map_or("–".into(), |v| format!("{v:.2}")),
                    item.score.map_or("–".into(), |s| s.to_string()),
                    item.n.map_or("–".into(), |n| n.to_string()),
                );
            }
            let scored = report.items.iter().filter(|i| i.score.is_some()).count();
            let _ = writeln!(
                out,
                "\n{total_label}: {} ({scored} items)",
                report.computed_total
            );
            let note = match lang {
                Lang::En => {
                    "Items without a score are rated by reviewers (`fika review`). The full total is banded: 115–125 exemplary, 100–114 good, 74–99 fair, 73 and below not IPS."
                }
                Lang::Sv => {
                    "Poster utan poäng bedöms av granskare (`fika review`). Hela summan delas in: 115–125 föredömlig, 100–114 god, 74–99 godtagbar, 73 och lägre inte IPS."
                }
            };
            let _ = writeln!(out, "{note}");
            out
        }
    }))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// A cell of a CSV file meant for spreadsheets: quoted when it needs to be (RFC 4180), with
/// a formula made harmless (docs/interchange.md, "CSV for spreadsheets").
pub(crate) use fika_core::spreadsheet::cell as csv_cell;

/// What `fika outcomes` is asked for.
pub struct OutcomesQuery {
    pub programs: Vec<ProgramId>,
    pub all: bool,
    pub coach: Option<CoachId>,
    pub quarter: Quarter,
    pub through: Option<Quarter>,
    /// The language of the workbook's headings.
    pub lang: Lang,
    /// Small-cell suppression with this threshold (`fika_core::suppress`).
    pub suppress: Option<u64>,
}

/// One line of outcomes: a program, a coach's caseload or a group, in one quarter.
#[derive(Serialize, Clone)]
struct Line {
    #[serde(skip_serializing_if = "Option::is_none")]
    program: Option<ProgramId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    programs: Option<Vec<ProgramId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coach: Option<CoachId>,
    quarter: Quarter,
    #[serde(flatten)]
    figures: Figures,
}

pub fn outcomes(store: &dyn Store, q: &OutcomesQuery, format: Format) -> anyhow::Result<Rendered> {
    let quarters = match q.through {
        Some(last) if last < q.quarter => {
            bail!("--through {last} is before --quarter {}", q.quarter)
        }
        Some(last) => q.quarter.through(last),
        None => vec![q.quarter],
    };
    let first = quarters[0];
    let mut lines = Vec::new();
    if q.all || q.programs.len() > 1 {
        if q.coach.is_some() {
            bail!("--coach goes with a single --program");
        }
        // Every program's figures, kept by the store per program and quarter.
        let series = store.outcomes_by_program(&quarters)?;
        for (quarter, by_program) in quarters.iter().zip(&series) {
            let group = if q.all {
                group_outcomes(*quarter, by_program.values())
            } else {
                for p in &q.programs {
                    if !by_program.contains_key(p)
                        && store
                            .program_data(p, first.first_day(), first.first_day())?
                            .is_none()
                    {
                        bail!("there is no program with program_id {p}");
                    }
                }
                group_outcomes(
                    *quarter,
                    q.programs.iter().filter_map(|p| by_program.get(p)),
                )
            };
            let programs = if q.all {
                group.programs
            } else {
                q.programs.clone()
            };
            lines.push(Line {
                program: None,
                programs: Some(programs),
                coach: None,
                quarter: *quarter,
                figures: group.figures,
            });
        }
    } else {
        let Some(program) = q.programs.first() else {
            bail!("say which program: --program ID (repeat it for a group), or --all");
        };
        // Outcomes need the program's participants and jobs only.
        let (participants, jobs) = store.participants_and_jobs(Some(program))?;
        if participants.is_empty() {
            // Say whether the program exists at all, or merely has nobody yet.
            program_data(store, program, first.first_day(), first.first_day())?;
        }
        let recs = ProgramRecords::people_and_jobs(program, &participants, &jobs);
        match &q.coach {
            Some(coach) => {
                let data = program_data(store, program, first.first_day(), first.first_day())?;
                if !data.coaches.iter().any(|c| &c.id == coach) {
                    bail!("there is no coach with coach_id {coach} in program {program}");
                }
                for quarter in &quarters {
                    let o = coach_outcomes(&recs, coach, *quarter);
                    lines.push(Line {
                        program: Some(o.program),
                        programs: None,
                        coach: Some(o.coach),
                        quarter: o.quarter,
                        figures: o.figures,
                    });
                }
            }
            None => {
                for o in outcome_series(&recs, &quarters) {
                    lines.push(Line {
                        program: Some(o.program),
                        programs: None,
                        coach: None,
                        quarter: o.quarter,
                        figures: o.figures,
                    });
                }
            }
        }
    }
    match q.suppress {
        Some(n) => render_suppressed(&lines, format, q.lang, n),
        None => render_outcomes(&lines, format, q.lang),
    }
}

/// The outcomes under small-cell suppression (docs/privacy.md): a count under `n` shown as
/// `<n`, the counts that would reveal it as `(hidden)`, rates over hidden counts left out,
/// and the note saying so wherever anything was hidden (on standard error for CSV, whose
/// file holds the table only).
fn render_suppressed(
    lines: &[Line],
    format: Format,
    lang: Lang,
    n: u64,
) -> anyhow::Result<Rendered> {
    use fika_core::suppress::note;
    let mut out = String::new();
    match format {
        Format::Json => {
            for l in lines {
                let shown = fika_core::suppress::outcomes(&l.figures, n);
                // The line's own fields in their order, each figure as published: a
                // number when shown, `"<n"` or `"(hidden)"` when not, a hidden rate null.
                let mut fields: Vec<(String, serde_json::Value)> = Vec::new();
                let subject = serde_json::to_value(Line {
                    figures: Figures::default(),
                    ..l.clone()
                })?;
                for key in ["program", "programs", "coach", "quarter"] {
                    if let Some(v) = subject.get(key) {
                        fields.push((key.to_owned(), v.clone()));
                    }
                }
                for (name, value) in &shown.figures {
                    let v = match value {
                        None => serde_json::Value::Null,
                        Some(s) if name.contains("rate") => {
                            serde_json::to_value(s.parse::<f64>()?)?
                        }
                        Some(s) => s
                            .parse::<u64>()
                            .map_or_else(|_| s.clone().into(), serde_json::Value::from),
                    };
                    fields.push(((*name).to_owned(), v));
                }
                fields.push(("suppress".into(), n.into()));
                if shown.any {
                    fields.push(("note".into(), note(n).into()));
                }
                out.push_str(&json::to_line(&Ordered(fields))?);
                out.push('\n');
            }
        }
        Format::Csv => {
            let (table, any) =
                fika_report::outcomes::suppressed_table(&report_lines(lines), lang, n);
            out = fika_report::csv::table(&table);
            if any {
                eprintln!("{}", note(n));
            }
        }
        Format::Xlsx => {
            let mut report = outcomes_report(lines, lang);
            let (table, any) =
                fika_report::outcomes::suppressed_table(&report_lines(lines), lang, n);
            if let Some(t) = report.tables.first_mut() {
                *t = table;
            }
            // A chart would draw the rates that suppression hides.
            report.charts.clear();
            if any {
                report.notes.push(note(n));
            }
            return xlsx(&report);
        }
        Format::Table => {
            let mut any = false;
            for l in lines {
                let shown = fika_core::suppress::outcomes(&l.figures, n);
                any |= shown.any;
                let _ = writeln!(out, "{}, {}", who(l), l.quarter);
                for (name, value) in &shown.figures {
                    let text = match value {
                        Some(v) if name.contains("rate") => v
                            .parse::<f64>()
                            .map_or_else(|_| v.clone(), |r| format!("{:.1} %", r * 100.0)),
                        Some(v) => v.clone(),
                        None if figure_is_some(&l.figures, name) => "(hidden)".to_owned(),
                        None => "– (nobody served)".to_owned(),
                    };
                    let _ = writeln!(out, "  {name:<44} {text}");
                }
                out.push('\n');
            }
            if any {
                let _ = writeln!(out, "{}", note(n));
            }
        }
    }
    Ok(Rendered::Text(out))
}

/// A JSON object whose keys keep the order given.
struct Ordered(Vec<(String, serde_json::Value)>);

impl Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Whether a rate of a line has a value (before suppression).
fn figure_is_some(f: &Figures, name: &str) -> bool {
    match name {
        "employment_rate" => f.employment_rate.is_some(),
        "paid_employment_rate" => f.paid_employment_rate.is_some(),
        "employment_rate_not_employed_at_entry" => {
            f.employment_rate_not_employed_at_entry.is_some()
        }
        _ => true,
    }
}

fn who(l: &Line) -> String {
    match (&l.program, &l.programs, &l.coach) {
        (Some(p), _, Some(c)) => format!("Program {p}, caseload of coach {c}"),
        (Some(p), _, None) => format!("Program {p}"),
        (None, Some(ps), _) => format!("{} programs", ps.len()),
        _ => String::new(),
    }
}

/// The lines as fika-report's model, which writes CSV and XLSX.
fn report_lines(lines: &[Line]) -> Vec<fika_report::outcomes::OutcomeLine> {
    use fika_report::outcomes::{OutcomeLine, Subject};
    lines
        .iter()
        .map(|l| OutcomeLine {
            subject: match (&l.program, &l.programs, &l.coach) {
                (Some(p), _, Some(c)) => Subject::Coach {
                    program: p.clone(),
                    coach: c.clone(),
                    name: None,
                },
                (Some(p), _, None) => Subject::Program {
                    id: p.clone(),
                    name: None,
                    organisation: None,
                },
                (None, ps, _) => Subject::Group(ps.clone().unwrap_or_default()),
            },
            quarter: l.quarter,
            figures: l.figures,
        })
        .collect()
}

/// The workbook of `fika outcomes --format xlsx`: the table, and the rates over the
/// quarters against the benchmarks.
fn outcomes_report(lines: &[Line], lang: Lang) -> fika_report::Report {
    let lines = report_lines(lines);
    let who = match lines.first().map(|l| &l.subject) {
        Some(fika_report::outcomes::Subject::Program { id, .. }) => id.to_string(),
        Some(fika_report::outcomes::Subject::Coach { program, coach, .. }) => {
            format!("{program} {coach}")
        }
        _ => match lang {
            Lang::En => "Programs together".to_owned(),
            Lang::Sv => "Programmen tillsammans".to_owned(),
        },
    };
    let chart = fika_report::outcomes::rate_chart("rates", &who, &lines, lang);
    let title = match lang {
        Lang::En => format!("Outcomes of {who}"),
        Lang::Sv => format!("Resultat för {who}"),
    };
    fika_report::outcomes::report(&title, &lines, vec![chart], lang)
}

fn render_outcomes(lines: &[Line], format: Format, lang: Lang) -> anyhow::Result<Rendered> {
    let mut out = String::new();
    match format {
        Format::Json => {
            for l in lines {
                out.push_str(&json::to_line(l)?);
                out.push('\n');
            }
        }
        Format::Csv => {
            out = fika_report::csv::table(&fika_report::outcomes::table(&report_lines(lines), lang))
        }
        Format::Xlsx => return xlsx(&outcomes_report(lines, lang)),
        Format::Table => {
            for l in lines {
                let _ = writeln!(out, "{}, {}", who(l), l.quarter);
                for ((name, _, _), value) in fika_report::outcomes::FIGURES
                    .iter()
                    .zip(figure_values(&l.figures))
                {
                    let shown = if name.contains("rate") {
                        value
                            .parse::<f64>()
                            .map_or("– (nobody served)".into(), |r| {
                                format!("{:.1} %  ({})", r * 100.0, level(r))
                            })
                    } else {
                        value
                    };
                    let _ = writeln!(out, "  {name:<44} {shown}");
                }
                let _ = writeln!(
                    out,
                    "  reference points (IPS learning communities): {:.0} % minimal, {:.0} % average, {:.0} % excellent\n",
                    reference::MINIMAL * 100.0,
                    reference::AVERAGE * 100.0,
                    reference::EXCELLENT * 100.0
                );
            }
        }
    }
    Ok(Rendered::Text(out))
}

fn level(rate: f64) -> &'static str {
    match reference::place(rate) {
        reference::Level::BelowMinimal => "below minimal",
        reference::Level::Minimal => "minimal",
        reference::Level::Average => "average",
        reference::Level::Excellent => "excellent",
    }
}

fn figure_values(f: &Figures) -> Vec<String> {
    vec![
        f.served.to_string(),
        f.working_competitive.to_string(),
        opt(f.employment_rate),
        f.working_paid.to_string(),
        opt(f.paid_employment_rate),
        f.served_not_employed_at_entry.to_string(),
        f.working_competitive_not_employed_at_entry.to_string(),
        opt(f.employment_rate_not_employed_at_entry),
        f.job_starts.to_string(),
        f.first_job_starts.to_string(),
        f.in_education.to_string(),
        f.enrolled.to_string(),
        f.exited.to_string(),
    ]
}

/// Parses a review date or a quarter given on the command line.
pub fn parse_date_arg(s: &str) -> Result<Date, String> {
    fika_core::parse_date(s).map_err(|e| e.to_string())
}

pub fn parse_quarter_arg(s: &str) -> Result<Quarter, String> {
    Quarter::parse(s).map_err(|e| e.to_string())
}
