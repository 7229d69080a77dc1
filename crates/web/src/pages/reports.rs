//! Quarterly outcomes in the web (METRICS.md): a lead's program by quarter and by coach, a
//! coach's own caseload (never another coach's, never a ranking), and for evaluators every
//! program side by side for a quarter (sortable, filtered by organisation) or one program's
//! quarters. The figures are computed by `fika-core` in exactly the calls `fika outcomes`
//! makes; `fika-report` turns them into the one table model that this page, its CSV and its
//! XLSX download render. Figures only: no participant's name is read into a page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate as Date;
use fika_core::fidelity::ProgramRecords;
use fika_core::outcomes::{Figures, Quarter, coach_outcomes, group_outcomes, outcome_series};
use fika_core::scale::RULES_VERSION;
use fika_core::{CoachId, Program, ProgramId};
use fika_report::html::{Sorting, sortable_table, table as html_table};
use fika_report::outcomes::{OutcomeLine, Subject, rate_chart, table as outcome_table};
use fika_report::{Cell, Report, Table};
use fika_store::{Role, StoreError};

use super::Layout;
use super::questionnaires::{download, report_lang};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};

/// A series longer than this many quarters (ten years) is not drawn.
const MAX_QUARTERS: usize = 40;

#[derive(serde::Deserialize, Default, Clone)]
pub struct OutcomesQuery {
    /// The quarter the figures are for (`YYYYQn`); the current one by default.
    quarter: Option<String>,
    /// The first quarter of a series; three quarters before `quarter` by default.
    from: Option<String>,
    /// Evaluators: one program's quarters instead of every program side by side.
    program: Option<String>,
    /// Evaluators: only the programs of this organisation.
    organisation: Option<String>,
    /// Evaluators: the column the programs are sorted by, and whether descending.
    sort: Option<String>,
    desc: Option<String>,
}

impl OutcomesQuery {
    fn chosen(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// The query string of this report with `sort` and `desc` replaced (empty values left out).
    fn href(&self, path: &str, sort: Option<(&str, bool)>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("quarter", &self.quarter),
            ("from", &self.from),
            ("program", &self.program),
            ("organisation", &self.organisation),
        ] {
            if let Some(v) = Self::chosen(v) {
                pairs.push((k, v.to_owned()));
            }
        }
        match sort {
            Some((k, d)) => {
                pairs.push(("sort", k.to_owned()));
                if d {
                    pairs.push(("desc", "true".into()));
                }
            }
            None => {
                if let Some(k) = Self::chosen(&self.sort) {
                    pairs.push(("sort", k.to_owned()));
                    if self.descending() {
                        pairs.push(("desc", "true".into()));
                    }
                }
            }
        }
        if pairs.is_empty() {
            return path.to_owned();
        }
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{path}?{q}")
    }

    fn descending(&self) -> bool {
        Self::chosen(&self.desc) == Some("true")
    }
}

fn quarter_arg(s: Option<&str>, default: Quarter) -> Result<Quarter, AppError> {
    match s {
        None => Ok(default),
        Some(s) => Quarter::parse(s)
            .map_err(|_| AppError::BadInput(Say::new("bad-quarter").text("value", s))),
    }
}

fn previous(q: Quarter) -> Quarter {
    Quarter::of(q.first_day().pred_opt().unwrap_or(q.first_day()))
}

/// One part of the page: a program's figures, or the coaches', or every program's. Each
/// prints on a page of its own.
pub struct Section {
    pub heading: String,
    /// Tables and charts, rendered by `fika-report` (every text escaped there).
    pub html: String,
}

/// What a report is made of, whoever asked: the model that every format renders.
struct Built {
    report: Report,
    /// Every line in one table: the CSV download.
    flat: Table,
    sections: Vec<Section>,
    quarter: Quarter,
    from: Quarter,
    /// Evaluators: the programs and organisations to choose from.
    programs: Vec<Program>,
    organisations: Vec<String>,
}

/// Whose outcomes the signed-in user asked for, and may see.
enum Scope {
    /// A lead: their program by quarter, and each coach's caseload.
    Lead(ProgramId),
    /// A coach: their own caseload only.
    Coach(CoachId),
    /// An evaluator: every program side by side for a quarter.
    All,
    /// An evaluator: one program by quarter.
    One(ProgramId),
}

fn scope(me: &SignedIn, q: &OutcomesQuery) -> Result<Scope, AppError> {
    match me.user.role {
        Role::Lead => me
            .user
            .program
            .clone()
            .map(Scope::Lead)
            .ok_or(AppError::Forbidden),
        Role::Coach => me
            .user
            .coach
            .clone()
            .map(Scope::Coach)
            .ok_or(AppError::Forbidden),
        Role::Evaluator => match OutcomesQuery::chosen(&q.program) {
            None => Ok(Scope::All),
            Some(p) => ProgramId::parse(p)
                .map(Scope::One)
                .map_err(|_| AppError::NotFound),
        },
        Role::Admin | Role::Participant => Err(AppError::Forbidden),
    }
}

fn program_subject(id: &ProgramId, programs: &[Program]) -> Subject {
    let p = programs.iter().find(|p| &p.id == id);
    Subject::Program {
        id: id.clone(),
        name: p.map(|p| p.name.clone()),
        organisation: p.and_then(|p| p.organisation.clone()),
    }
}

/// A table and its chart as HTML: the chart's figure carries its own table of the same
/// numbers beside the picture.
fn program_section(
    heading: String,
    name: &str,
    who: &str,
    lines: &[OutcomeLine],
    lang: fika_core::scale::Lang,
) -> (Section, Table, fika_report::Chart) {
    let table = named(outcome_table(lines, lang), name);
    let id = "rates";
    let chart = rate_chart(id, who, lines, lang);
    let html = format!(
        "{}{}",
        scroll(&table, html_table(&table, lang)),
        chart.figure(lang)
    );
    (Section { heading, html }, table, chart)
}

/// What one view of the report holds, before it becomes a [`Report`].
#[derive(Default)]
struct Parts {
    title: String,
    sections: Vec<Section>,
    tables: Vec<Table>,
    charts: Vec<fika_report::Chart>,
    /// Every line, for the CSV in one table; empty when the first table is the CSV.
    lines: Vec<OutcomeLine>,
    /// Evaluators: the programs and organisations to choose from.
    programs: Vec<Program>,
    organisations: Vec<String>,
}

/// The quarters asked for: the last (`quarter`, today's by default) and the first (`from`,
/// three before by default), in order and at most [`MAX_QUARTERS`] apart.
fn quarters_asked(q: &OutcomesQuery, today: Date) -> Result<(Quarter, Quarter), AppError> {
    let quarter = quarter_arg(OutcomesQuery::chosen(&q.quarter), Quarter::of(today))?;
    let default_from = previous(previous(previous(quarter)));
    let from = quarter_arg(OutcomesQuery::chosen(&q.from), default_from)?;
    if from > quarter {
        return Err(AppError::BadInput(
            Say::new("bad-quarter-order")
                .text("from", from.to_string())
                .text("quarter", quarter.to_string()),
        ));
    }
    if from.through(quarter).len() > MAX_QUARTERS {
        return Err(AppError::BadInput(
            Say::new("bad-quarter-span").text("n", MAX_QUARTERS.to_string()),
        ));
    }
    Ok((quarter, from))
}

async fn build(st: &AppState, me: &SignedIn, q: &OutcomesQuery) -> Result<Built, AppError> {
    let scope = scope(me, q)?;
    let (quarter, from) = quarters_asked(q, st.clock.today())?;
    let quarters = from.through(quarter);
    let parts = match scope {
        Scope::Lead(program) => program_view(st, me, program, &quarters, true).await?,
        Scope::One(program) => program_view(st, me, program, &quarters, false).await?,
        Scope::Coach(coach) => coach_view(st, me, coach, &quarters).await?,
        Scope::All => all_view(st, me, q, quarter).await?,
    };
    let lang = report_lang(me);
    let mut report = fika_report::outcomes::report(&parts.title, &parts.lines, parts.charts, lang);
    report.tables = parts.tables;
    report.date = quarter.last_day();
    let flat = if parts.lines.is_empty() {
        report.tables[0].clone()
    } else {
        outcome_table(&parts.lines, lang)
    };
    Ok(Built {
        report,
        flat,
        sections: parts.sections,
        quarter,
        from,
        programs: parts.programs,
        organisations: parts.organisations,
    })
}

/// One program by quarter (`fika outcomes --program P --quarter A --through B`, the same
/// calls), and for its lead each coach's caseload in the last quarter (`--coach C`).
async fn program_view(
    st: &AppState,
    me: &SignedIn,
    program: ProgramId,
    quarters: &[Quarter],
    lead: bool,
) -> Result<Parts, AppError> {
    let (lang, t) = (report_lang(me), me.tr());
    let wanted = program.clone();
    let (programs, participants, jobs, mut coaches) = st
        .db(move |s| -> Result<_, StoreError> {
            let (participants, jobs) = s.participants_and_jobs(Some(&wanted))?;
            let coaches = if lead {
                s.coaches(Some(&wanted))?
            } else {
                Vec::new()
            };
            Ok((s.programs()?, participants, jobs, coaches))
        })
        .await??;
    coaches.sort_by(|a, b| a.id.cmp(&b.id));
    let Some(record) = programs.iter().find(|p| p.id == program) else {
        return Err(AppError::NotFound);
    };
    let name = record.name.clone();
    let recs = ProgramRecords::people_and_jobs(&program, &participants, &jobs);
    let subject = program_subject(&program, &programs);
    let lines: Vec<OutcomeLine> = outcome_series(&recs, quarters)
        .into_iter()
        .map(|o| OutcomeLine {
            subject: subject.clone(),
            quarter: o.quarter,
            figures: o.figures,
        })
        .collect();
    let (section, table, chart) = program_section(
        t.a("outcomes-by-quarter", "name", &name),
        &t.t("outcomes-sheet-quarters"),
        &name,
        &lines,
        lang,
    );
    let mut parts = Parts {
        title: t.a("outcomes-title-of", "name", &name),
        sections: vec![section],
        tables: vec![table],
        charts: vec![chart],
        lines,
        ..Parts::default()
    };
    if lead {
        let quarter = *quarters.last().expect("at least one quarter");
        let by_coach: Vec<OutcomeLine> = coaches
            .iter()
            .map(|c| {
                let o = coach_outcomes(&recs, &c.id, quarter);
                OutcomeLine {
                    subject: Subject::Coach {
                        program: o.program,
                        coach: o.coach,
                        name: Some(c.name.clone()),
                    },
                    quarter: o.quarter,
                    figures: o.figures,
                }
            })
            .collect();
        let table = named(
            outcome_table(&by_coach, lang),
            &t.t("outcomes-sheet-coaches"),
        );
        parts.sections.push(Section {
            heading: t.a("outcomes-by-coach", "quarter", &quarter.to_string()),
            html: scroll(&table, html_table(&table, lang)),
        });
        parts.tables.push(table);
        parts.lines.extend(by_coach);
    } else {
        parts.programs = programs;
    }
    Ok(parts)
}

/// A coach's own caseload by quarter (`fika outcomes --program P --coach C`): the
/// participants whose designated coach they are, and nobody else's.
async fn coach_view(
    st: &AppState,
    me: &SignedIn,
    coach: CoachId,
    quarters: &[Quarter],
) -> Result<Parts, AppError> {
    let (lang, t) = (report_lang(me), me.tr());
    let (coach_record, participants, jobs) = st
        .db(move |s| -> Result<_, StoreError> {
            let Some(c) = s.coaches(None)?.into_iter().find(|c| c.id == coach) else {
                return Ok((None, Vec::new(), Vec::new()));
            };
            let (participants, jobs) = s.participants_and_jobs(Some(&c.program))?;
            Ok((Some(c), participants, jobs))
        })
        .await??;
    let c = coach_record.ok_or(AppError::Forbidden)?;
    let recs = ProgramRecords::people_and_jobs(&c.program, &participants, &jobs);
    let lines: Vec<OutcomeLine> = quarters
        .iter()
        .map(|quarter| {
            let o = coach_outcomes(&recs, &c.id, *quarter);
            OutcomeLine {
                subject: Subject::Coach {
                    program: o.program,
                    coach: o.coach,
                    name: Some(c.name.clone()),
                },
                quarter: o.quarter,
                figures: o.figures,
            }
        })
        .collect();
    let (section, table, chart) = program_section(
        t.t("outcomes-mine"),
        &t.t("outcomes-sheet-quarters"),
        &c.name,
        &lines,
        lang,
    );
    Ok(Parts {
        title: t.t("outcomes-title-mine"),
        sections: vec![section],
        tables: vec![table],
        charts: vec![chart],
        lines,
        ..Parts::default()
    })
}

/// Every program side by side in one quarter, from the figures the store keeps per program
/// (each `fika outcomes --program P --quarter Q`), sorted and filtered as asked, and the
/// programs shown together (`--all`, or a `--program` for each).
async fn all_view(
    st: &AppState,
    me: &SignedIn,
    q: &OutcomesQuery,
    quarter: Quarter,
) -> Result<Parts, AppError> {
    let (lang, t) = (report_lang(me), me.tr());
    let one = [quarter];
    let (programs, by_program) = st
        .db(move |s| -> Result<_, StoreError> {
            let mut kept = s.outcomes_by_program(&one)?;
            Ok((s.programs()?, kept.pop().unwrap_or_default()))
        })
        .await??;
    let mut organisations: Vec<String> = programs
        .iter()
        .filter_map(|p| p.organisation.clone())
        .collect();
    organisations.sort();
    organisations.dedup();
    let org = OutcomesQuery::chosen(&q.organisation);
    // A program without participants has figures too: nobody served (what
    // `fika outcomes --program P` prints for it).
    let lines: Vec<OutcomeLine> = programs
        .iter()
        .filter(|p| org.is_none() || p.organisation.as_deref() == org)
        .map(|p| OutcomeLine {
            subject: program_subject(&p.id, &programs),
            quarter,
            figures: by_program
                .get(&p.id)
                .map_or_else(Figures::default, |o| o.figures),
        })
        .collect();
    let mut table = named(
        outcome_table(&lines, lang),
        &t.a("outcomes-sheet-programs", "quarter", &quarter.to_string()),
    );
    let sort = OutcomesQuery::chosen(&q.sort).filter(|k| table.column(k).is_some());
    if let Some(k) = sort {
        table.sort_by(k, q.descending());
    }
    let href = |k: &str, d: bool| q.href("/reports/outcomes", Some((k, d)));
    let html = sortable_table(
        &table,
        lang,
        &Sorting {
            current: sort.map(|k| (k, q.descending())),
            href: &href,
        },
    );
    let mut sections = vec![Section {
        heading: t.n("outcomes-all", lines.len()),
        html: scroll(&table, html),
    }];
    let shown: Vec<&ProgramId> = table_programs(&lines);
    let group = group_outcomes(quarter, shown.iter().filter_map(|p| by_program.get(*p)));
    let mut together = named(
        outcome_table(
            &[OutcomeLine {
                subject: Subject::Group(Vec::new()),
                quarter,
                figures: group.figures,
            }],
            lang,
        ),
        &t.t("outcomes-sheet-together"),
    );
    // One cell for the group rather than every program's ID.
    together.rows[0][0] = Cell::Text(t.n("outcomes-together-n", shown.len()));
    sections.push(Section {
        heading: t.t("outcomes-together"),
        html: scroll(&together, html_table(&together, lang)),
    });
    Ok(Parts {
        title: t.a("outcomes-title-all", "quarter", &quarter.to_string()),
        sections,
        // The CSV is the programs' table, in the order the page shows them.
        tables: vec![table, together],
        programs,
        organisations,
        ..Parts::default()
    })
}

/// A wide table in a region that scrolls sideways on a narrow screen, reachable by
/// keyboard and named after the table.
fn scroll(t: &Table, html: String) -> String {
    format!(
        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">{html}</div>",
        fika_report::html::escape(&t.title)
    )
}

fn table_programs(lines: &[OutcomeLine]) -> Vec<&ProgramId> {
    lines
        .iter()
        .filter_map(|l| match &l.subject {
            Subject::Program { id, .. } => Some(id),
            _ => None,
        })
        .collect()
}

fn named(mut t: Table, name: &str) -> Table {
    name.clone_into(&mut t.title);
    // A sheet's name is at most 31 characters (the XLSX writer shortens it too).
    t.name = name.chars().take(31).collect();
    t
}

#[derive(Template)]
#[template(path = "outcomes.html")]
struct OutcomesPage {
    l: Layout,
    heading: String,
    sections: Vec<Section>,
    notes: Vec<String>,
    quarter: String,
    from: String,
    evaluator: bool,
    programs: Vec<Program>,
    program: String,
    organisations: Vec<String>,
    organisation: String,
    csv: String,
    xlsx: String,
    /// The printed page's footer: the day and the rules version.
    footer: String,
}

pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Query(q): Query<OutcomesQuery>,
) -> Result<Html<String>, AppError> {
    let built = build(&st, &me, &q).await?;
    let page = OutcomesPage {
        l: Layout::new(&me, "/reports/outcomes", "outcomes-nav"),
        heading: built.report.title.clone(),
        notes: built.report.notes.clone(),
        sections: built.sections,
        quarter: built.quarter.to_string(),
        from: built.from.to_string(),
        evaluator: me.user.role == Role::Evaluator,
        programs: built.programs,
        program: OutcomesQuery::chosen(&q.program)
            .unwrap_or_default()
            .to_owned(),
        organisations: built.organisations,
        organisation: OutcomesQuery::chosen(&q.organisation)
            .unwrap_or_default()
            .to_owned(),
        csv: q.href("/reports/outcomes.csv", None),
        xlsx: q.href("/reports/outcomes.xlsx", None),
        footer: me.tr().args(
            "outcomes-print-footer",
            &[
                ("date", me.tr().date(&st.clock.today())),
                ("quarter", built.quarter.to_string()),
                ("rules", RULES_VERSION.to_string()),
            ],
        ),
    };
    Ok(Html(page.render()?))
}

/// The CSV download: every line of the page in one table (spreadsheet CSV, formulas
/// neutralised by `fika_report::csv`).
pub async fn csv(
    State(st): State<AppState>,
    me: SignedIn,
    Query(q): Query<OutcomesQuery>,
) -> Result<Response, AppError> {
    let built = build(&st, &me, &q).await?;
    Ok(download(
        fika_report::csv::table(&built.flat).into_bytes(),
        "text/csv; charset=utf-8",
        &format!("outcomes_{}.csv", built.quarter),
    ))
}

/// The XLSX download: the page's tables, the chart's numbers and the About sheet (what
/// `fika outcomes --format xlsx` writes).
pub async fn xlsx(
    State(st): State<AppState>,
    me: SignedIn,
    Query(q): Query<OutcomesQuery>,
) -> Result<Response, AppError> {
    let built = build(&st, &me, &q).await?;
    let bytes = fika_report::xlsx::workbook(&built.report)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("outcomes_{}.xlsx", built.quarter),
    )
    .into_response())
}
