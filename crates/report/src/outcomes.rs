//! METRICS.md's quarterly outcomes as tables and charts: one line per program, coach's
//! caseload or group and quarter, with every figure (the strict, competitive rate and the
//! broad, paid rate each beside its numerator and denominator).

use fika_core::outcomes::{Figures, Quarter, reference};
use fika_core::scale::{Lang, RULES_VERSION};
use fika_core::{CoachId, ProgramId};

use crate::chart::{Chart, ChartKind, Reference, Series};
use crate::table::{Cell, Column, Report, Table};
use crate::text::say;

/// Whose figures a line holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Program {
        id: ProgramId,
        /// The program's name and organisation, where the report shows them.
        name: Option<String>,
        organisation: Option<String>,
    },
    /// One coach's caseload within a program.
    Coach {
        program: ProgramId,
        coach: CoachId,
        name: Option<String>,
    },
    /// Several programs together (a region, a country).
    Group(Vec<ProgramId>),
}

/// One line of outcomes: a subject in one quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeLine {
    pub subject: Subject,
    pub quarter: Quarter,
    pub figures: Figures,
}

/// The figures of METRICS.md, in its order, with their headings.
pub const FIGURES: [(&str, &str, &str); 13] = [
    ("served", "Served", "Deltagare"),
    (
        "working_competitive",
        "In competitive work",
        "I konkurrensutsatt arbete",
    ),
    (
        "employment_rate",
        "Competitive employment rate",
        "Andel i konkurrensutsatt arbete",
    ),
    ("working_paid", "In paid work", "I betalt arbete"),
    (
        "paid_employment_rate",
        "Paid employment rate",
        "Andel i betalt arbete",
    ),
    (
        "served_not_employed_at_entry",
        "Served, not employed at entry",
        "Deltagare utan arbete vid start",
    ),
    (
        "working_competitive_not_employed_at_entry",
        "In competitive work, not employed at entry",
        "I konkurrensutsatt arbete, utan arbete vid start",
    ),
    (
        "employment_rate_not_employed_at_entry",
        "Competitive employment rate, not employed at entry",
        "Andel i konkurrensutsatt arbete, utan arbete vid start",
    ),
    ("job_starts", "Job starts", "Påbörjade anställningar"),
    (
        "first_job_starts",
        "First job starts",
        "Första anställningar",
    ),
    ("in_education", "In education", "I utbildning"),
    ("enrolled", "Enrolled", "Inskrivna"),
    ("exited", "Exited", "Avslutade"),
];

/// A figure's heading.
pub fn label(key: &str, lang: Lang) -> Option<&'static str> {
    FIGURES
        .iter()
        .find(|f| f.0 == key)
        .map(|f| say(lang, f.1, f.2))
}

/// The cells of the figures, in [`FIGURES`]' order: counts as integers, rates as rates.
pub fn figure_cells(f: &Figures) -> [Cell; 13] {
    let n = |v: u32| Cell::Int(i64::from(v));
    [
        n(f.served),
        n(f.working_competitive),
        Cell::opt_rate(f.employment_rate),
        n(f.working_paid),
        Cell::opt_rate(f.paid_employment_rate),
        n(f.served_not_employed_at_entry),
        n(f.working_competitive_not_employed_at_entry),
        Cell::opt_rate(f.employment_rate_not_employed_at_entry),
        n(f.job_starts),
        n(f.first_job_starts),
        n(f.in_education),
        n(f.enrolled),
        n(f.exited),
    ]
}

/// The figures of one line as published under small-cell suppression with threshold `n`
/// (`fika_core::suppress::outcomes`): a count under `n` is the text `<n`, a count hidden with
/// it `(hidden)`, a hidden rate empty; the rest as [`figure_cells`]. Also whether anything
/// was hidden.
pub fn suppressed_cells(f: &Figures, n: u64) -> ([Cell; 13], bool) {
    let shown = fika_core::suppress::outcomes(f, n);
    let mut cells = figure_cells(f);
    for ((key, _, _), cell) in FIGURES.iter().zip(cells.iter_mut()) {
        let Some((_, value)) = shown.figures.iter().find(|(name, _)| name == key) else {
            continue;
        };
        match (value, &*cell) {
            (None, _) => *cell = Cell::Empty,
            (Some(v), Cell::Int(i)) if *v != i.to_string() => *cell = Cell::Text(v.clone()),
            _ => {}
        }
    }
    (cells, shown.any)
}

/// [`table`] with every line's figures suppressed for threshold `n` (see
/// [`suppressed_cells`]); also whether anything was hidden. The note to print with it is
/// `fika_core::suppress::note(n)`.
pub fn suppressed_table(lines: &[OutcomeLine], lang: Lang, n: u64) -> (Table, bool) {
    let mut t = table(lines, lang);
    let mut any = false;
    for (row, l) in t.rows.iter_mut().zip(lines) {
        let (cells, hidden) = suppressed_cells(&l.figures, n);
        let at = row.len() - cells.len();
        row.splice(at.., cells);
        any |= hidden;
    }
    (t, any)
}

/// The lines as one table: `program`, the program's name and organisation when any line
/// has them, `coach` (and the coach's name when given), `quarter`, then every figure.
pub fn table(lines: &[OutcomeLine], lang: Lang) -> Table {
    let named = lines.iter().any(|l| {
        matches!(
            &l.subject,
            Subject::Program { name: Some(_), .. }
                | Subject::Program {
                    organisation: Some(_),
                    ..
                }
        )
    });
    let coach_named = lines
        .iter()
        .any(|l| matches!(&l.subject, Subject::Coach { name: Some(_), .. }));
    let mut columns = vec![Column::new(
        "program",
        say(lang, "Program", "Program"),
        12.0,
    )];
    if named {
        columns.push(Column::new("program_name", say(lang, "Name", "Namn"), 28.0));
        columns.push(Column::new(
            "organisation",
            say(lang, "Organisation", "Organisation"),
            24.0,
        ));
    }
    columns.push(Column::new("coach", say(lang, "Coach", "Coach"), 10.0));
    if coach_named {
        columns.push(Column::new(
            "coach_name",
            say(lang, "Coach's name", "Coachens namn"),
            24.0,
        ));
    }
    columns.push(Column::new("quarter", say(lang, "Quarter", "Kvartal"), 9.0));
    for (key, en, sv) in FIGURES {
        columns.push(Column::new(
            key,
            say(lang, en, sv),
            if key.contains("rate") { 14.0 } else { 11.0 },
        ));
    }
    let title = say(lang, "Quarterly outcomes", "Kvartalsresultat");
    let mut t = Table::new(title, title, columns);
    for l in lines {
        let mut row = Vec::with_capacity(t.columns.len());
        let (program, name, org, coach, coach_name) = match &l.subject {
            Subject::Program {
                id,
                name,
                organisation,
            } => (
                id.to_string(),
                name.clone(),
                organisation.clone(),
                None,
                None,
            ),
            Subject::Coach {
                program,
                coach,
                name,
            } => (
                program.to_string(),
                None,
                None,
                Some(coach.to_string()),
                name.clone(),
            ),
            Subject::Group(ps) => (
                ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" "),
                None,
                None,
                None,
                None,
            ),
        };
        let text = |v: Option<String>| v.map_or(Cell::Empty, Cell::Text);
        row.push(Cell::Text(program));
        if named {
            row.push(text(name));
            row.push(text(org));
        }
        row.push(text(coach));
        if coach_named {
            row.push(text(coach_name));
        }
        row.push(Cell::Text(l.quarter.to_string()));
        row.extend(figure_cells(&l.figures));
        t.rows.push(row);
    }
    t
}

/// The IPS Employment Center's published benchmarks for the competitive employment rate
/// of US learning-community programs, as reference lines.
pub fn benchmarks(lang: Lang) -> Vec<Reference> {
    vec![
        Reference {
            label: say(lang, "IPS minimal", "IPS minimal").into(),
            value: reference::MINIMAL,
        },
        Reference {
            label: say(lang, "IPS average", "IPS medel").into(),
            value: reference::AVERAGE,
        },
        Reference {
            label: say(lang, "IPS excellent", "IPS utmärkt").into(),
            value: reference::EXCELLENT,
        },
    ]
}

/// One subject's strict and broad rates over quarters, against the benchmarks.
pub fn rate_chart(id: &str, who: &str, lines: &[OutcomeLine], lang: Lang) -> Chart {
    let strict = say(
        lang,
        "Competitive employment rate",
        "Andel i konkurrensutsatt arbete",
    );
    let broad = say(lang, "Paid employment rate", "Andel i betalt arbete");
    Chart {
        id: id.to_owned(),
        title: format!("{who}: {}", say(lang, "employment rates by quarter", "andel i arbete per kvartal")),
        description: say(
            lang,
            "The share of participants served who held a competitive job (strict) or any paid job (broad) on a day of each quarter. Dashed lines: the IPS Employment Center's published benchmarks for the competitive employment rate of US learning-community programs, 31 % minimal, 41 % average, 50 % excellent.",
            "Andelen av deltagarna som hade ett konkurrensutsatt arbete (strikt) eller något betalt arbete (brett) någon dag i varje kvartal. Streckade linjer: IPS Employment Centers publicerade riktmärken för andelen i konkurrensutsatt arbete i amerikanska lärandenätverks program, 31 % minimal, 41 % medel, 50 % utmärkt.",
        )
        .to_owned(),
        kind: ChartKind::Lines,
        category_label: say(lang, "Quarter", "Kvartal").into(),
        categories: lines.iter().map(|l| l.quarter.to_string()).collect(),
        series: vec![
            Series { name: strict.into(), values: lines.iter().map(|l| l.figures.employment_rate).collect() },
            Series { name: broad.into(), values: lines.iter().map(|l| l.figures.paid_employment_rate).collect() },
        ],
        references: benchmarks(lang),
        percent: true,
        max: None,
    }
}

/// The lines as a whole report, dated the last day of the last quarter.
pub fn report(title: &str, lines: &[OutcomeLine], charts: Vec<Chart>, lang: Lang) -> Report {
    let date = lines
        .iter()
        .map(|l| l.quarter)
        .max()
        .map_or(chrono::NaiveDate::MIN, |q| q.last_day());
    Report {
        title: title.to_owned(),
        lang,
        rules: RULES_VERSION,
        date,
        notes: vec![
            say(
                lang,
                "Quarterly outcomes as METRICS.md defines them. Rates are fractions of those served, empty when nobody was served.",
                "Kvartalsresultat enligt METRICS.md. Andelar är av deltagarna, tomma när ingen deltog.",
            )
            .to_owned(),
            say(
                lang,
                "Reference points: the IPS Employment Center's benchmarks for US learning-community programs, 31 % minimal, 41 % average, 50 % excellent.",
                "Referenspunkter: IPS Employment Centers riktmärken för amerikanska lärandenätverks program, 31 % minimal, 41 % medel, 50 % utmärkt.",
            )
            .to_owned(),
        ],
        tables: vec![table(lines, lang)],
        charts,
    }
}
