//! The table model every report is turned into.

use chrono::NaiveDate as Date;
use fika_core::scale::Lang;

use crate::chart::Chart;

/// One value of a table, typed so that each renderer can write it as what it is: a
/// spreadsheet gets numbers as numbers and dates as dates, HTML gets them formatted.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing to show (a rate whose denominator is 0, an item fika does not compute).
    Empty,
    Text(String),
    /// A count or a score.
    Int(i64),
    /// A measured value, shown with `decimals` decimals (METRICS.md reports 2).
    Number {
        value: f64,
        decimals: u8,
    },
    /// A fraction 0–1, shown as a percentage (METRICS.md's rates, 4 decimals).
    Rate(f64),
    Date(Date),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_int(v: Option<impl Into<i64>>) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Int(v.into()))
    }

    pub fn opt_rate(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Rate)
    }

    pub fn opt_number(v: Option<f64>, decimals: u8) -> Cell {
        v.map_or(Cell::Empty, |value| Cell::Number { value, decimals })
    }

    /// The value as a plain number, for sorting and charts.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Number { value, .. } | Cell::Rate(value) => Some(*value),
            _ => None,
        }
    }

    /// The value as machine-readable text: what CSV writes (rates as fractions, dates
    /// as YYYY-MM-DD, nothing for empty).
    pub fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Number { value, .. } | Cell::Rate(value) => value.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    /// The value as a person reads it: rates as percentages with one decimal, numbers
    /// with their decimals, empty as an en dash.
    pub fn shown(&self, lang: Lang) -> String {
        let comma = |s: String| match lang {
            Lang::En => s,
            Lang::Sv => s.replace('.', ","),
        };
        match self {
            Cell::Empty => "–".into(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Number { value, decimals } => comma(format!("{value:.*}", *decimals as usize)),
            Cell::Rate(r) => comma(format!("{:.1} %", r * 100.0)),
            Cell::Date(d) => d.to_string(),
        }
    }

    /// Whether the value is a number (right-aligned in HTML).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Number { .. } | Cell::Rate(_))
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// A stable machine name: the CSV header, the sort key in a link.
    pub key: String,
    /// The heading a person reads, in the report's language.
    pub label: String,
    /// Width in characters in a spreadsheet.
    pub width: f64,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>, width: f64) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
            width,
        }
    }
}

/// A titled table: a header row of columns and rows of cells, one per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name: the sheet's name in a workbook (at most 31 characters).
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: impl Into<String>, title: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            name: name.into(),
            title: title.into(),
            columns,
            rows: Vec::new(),
        }
    }

    /// The position of the column with this key.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Sorts the rows by the column with this key (numbers by value, empty cells last,
    /// text by its letters); ties keep their order. An unknown key leaves the rows as they are.
    pub fn sort_by(&mut self, key: &str, descending: bool) {
        let Some(i) = self.column(key) else { return };
        self.rows.sort_by(|a, b| {
            use std::cmp::Ordering;
            let (x, y) = (&a[i], &b[i]);
            let ord = match (x, y) {
                (Cell::Empty, Cell::Empty) => Ordering::Equal,
                (Cell::Empty, _) => return Ordering::Greater,
                (_, Cell::Empty) => return Ordering::Less,
                _ => match (x.as_f64(), y.as_f64()) {
                    (Some(p), Some(q)) => p.total_cmp(&q),
                    _ => x.plain().cmp(&y.plain()),
                },
            };
            if descending { ord.reverse() } else { ord }
        });
    }
}

/// A whole report: what it is, which rules produced it and when, its tables and charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub lang: Lang,
    /// The version of METRICS.md's rules (`fika_core::scale::RULES_VERSION`).
    pub rules: u32,
    /// The day the figures are for (a review date, a quarter's last day) or were made.
    pub date: Date,
    /// Lines that say what the figures are and where they come from.
    pub notes: Vec<String>,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
}
