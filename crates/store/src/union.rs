//! A page's read as one statement: each part of the page is one arm of a `UNION ALL`, each
//! row tagged with its part and an order within the part, and padded with NULLs to the
//! widest part. The day view (`day`) and the participant's plan (`plan`) are read this way:
//! on PostgreSQL a dozen queries would cost a dozen round trips, and SQLite parses and
//! steps one statement for less than a dozen.

use fika_core::{File, Row};

use crate::StoreError;
use crate::backend::Backend;
use crate::export::record;
use crate::schema::{column_names, kind};

/// What one arm of the statement returns.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    /// Records of a file, every column as interchange text (select them with [`records`]).
    Records(File),
    /// This many values, as the database gives them as text.
    Values(usize),
}

impl Part {
    fn width(self) -> usize {
        match self {
            Part::Records(file) => column_names(file).count(),
            Part::Values(n) => n,
        }
    }
}

/// One row of the statement, parsed.
pub(crate) enum Item<'a> {
    Record(Row),
    Values(&'a [Option<&'a str>]),
}

/// The select expressions of every column of `file`'s records, from the table aliased `r`.
pub(crate) fn records(b: Backend, file: File) -> Vec<String> {
    column_names(file)
        .map(|c| b.select_expr(kind(c), &format!("r.{c}")))
        .collect()
}

/// Parameters of one statement, numbered as they are added.
#[derive(Default)]
pub(crate) struct Params(pub(crate) Vec<String>);

impl Params {
    /// Adds `v`; returns its number.
    pub(crate) fn add(&mut self, v: impl ToString) -> usize {
        self.0.push(v.to_string());
        self.0.len()
    }

    pub(crate) fn as_strs(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }
}

/// The arms of one statement over `parts` (indexed by their tags).
pub(crate) struct Union<'p> {
    b: Backend,
    parts: &'p [Part],
    width: usize,
    arms: Vec<String>,
}

impl<'p> Union<'p> {
    pub(crate) fn new(b: Backend, parts: &'p [Part]) -> Self {
        let width = parts.iter().map(|p| p.width()).max().unwrap_or(0);
        Union {
            b,
            parts,
            width,
            arms: Vec::new(),
        }
    }

    /// Adds the arm `SELECT tag, order, c1 … cN rest` of part `tag`, with `values` (as many
    /// as the part has) padded with NULLs.
    pub(crate) fn arm(&mut self, tag: usize, order: &str, values: Vec<String>, rest: &str) {
        debug_assert_eq!(values.len(), self.parts[tag].width());
        let mut cols = values;
        cols.resize(self.width, "CAST(NULL AS TEXT)".to_owned());
        let cols: Vec<String> = cols
            .into_iter()
            .enumerate()
            .map(|(i, c)| format!("{c} AS c{}", i + 1))
            .collect();
        self.arms.push(format!(
            "SELECT CAST('{tag}' AS TEXT) AS tag, CAST({order} AS BIGINT) AS ord, {} {rest}",
            cols.join(", ")
        ));
    }

    /// `SELECT u.tag, u.ord, u.c1 … FROM (arm UNION ALL arm …) u`. Not ordered by the
    /// database: sorting the rows, every column of each, costs SQLite more than sorting the
    /// parsed items by their order.
    pub(crate) fn select(&self) -> String {
        let cols: Vec<String> = (1..=self.width).map(|i| format!("u.c{i}")).collect();
        format!(
            "SELECT u.tag, {}, {} FROM ({}) u",
            self.b.select_expr(crate::schema::Kind::Int, "u.ord"),
            cols.join(", "),
            self.arms.join(" UNION ALL ")
        )
    }

    /// Parses one row of the statement: its part's tag, its order within the part, and its
    /// values (a record, or the values as given).
    pub(crate) fn item<'c>(
        &self,
        cells: &'c [Option<&'c str>],
    ) -> Result<(usize, i64, Item<'c>), StoreError> {
        let number = |i: usize| -> Option<i64> { cells.get(i).copied().flatten()?.parse().ok() };
        let (Some(tag), Some(ord)) = (number(0), number(1)) else {
            return Err(StoreError::Corrupt("a page's row without its part".into()));
        };
        let tag = usize::try_from(tag).unwrap_or(usize::MAX);
        let part = *self
            .parts
            .get(tag)
            .ok_or_else(|| StoreError::Corrupt(format!("page part {tag}")))?;
        let values = cells
            .get(2..2 + part.width())
            .ok_or_else(|| StoreError::Corrupt(format!("page part {tag}: too few values")))?;
        let item = match part {
            Part::Records(file) => Item::Record(record(file, values)?),
            Part::Values(_) => Item::Values(values),
        };
        Ok((tag, ord, item))
    }
}
