//! What the shared import and export logic needs from a backend: a transaction that runs SQL,
//! streams rows as text, and stages rows fast (prepared inserts on SQLite, COPY on
//! PostgreSQL). The few places where the dialects differ are the methods of [`Backend`].

use std::borrow::Cow;

use crate::StoreError;
use crate::schema::Kind;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The SQL type of a column of this kind (staging tables; the migrations say the same).
    pub(crate) fn sql_type(self, kind: Kind) -> &'static str {
        match (self, kind) {
            (_, Kind::Text) => "TEXT",
            (Backend::Sqlite, Kind::Date) => "TEXT",
            (Backend::Sqlite, Kind::Int | Kind::Bool) => "INTEGER",
            (Backend::Sqlite, Kind::Decimal) => "REAL",
            (Backend::Postgres, Kind::Date) => "DATE",
            (Backend::Postgres, Kind::Int) => "SMALLINT",
            (Backend::Postgres, Kind::Decimal) => "NUMERIC",
            (Backend::Postgres, Kind::Bool) => "BOOLEAN",
        }
    }

    /// An expression that reads a column back as the text of the interchange format.
    /// (SQLite's integers and reals are turned into text by the SQLite backend itself, so
    /// that a real prints as its shortest exact form.)
    pub(crate) fn select_expr(self, kind: Kind, column: &str) -> String {
        match (self, kind) {
            (_, Kind::Bool) => format!("CASE WHEN {column} THEN 'true' ELSE 'false' END"),
            (_, Kind::Text) | (Backend::Sqlite, _) => column.to_owned(),
            (Backend::Postgres, _) => format!("CAST({column} AS TEXT)"),
        }
    }

    /// A date given as a text parameter `$n`.
    pub(crate) fn date_param(self, n: usize) -> String {
        match self {
            Backend::Sqlite => format!("${n}"),
            Backend::Postgres => format!("CAST(CAST(${n} AS TEXT) AS DATE)"),
        }
    }
}

/// The cells of a row read back from the database, as text; `None` is NULL.
pub(crate) type TextRow<'a> = &'a [Option<&'a str>];

/// One open transaction. Dropping it without [`Tx::commit`] rolls back.
pub(crate) trait Tx {
    fn backend(&self) -> Backend;

    /// Runs statements that return no rows; returns the rows changed by the last one.
    fn execute(&mut self, sql: &str) -> Result<u64, StoreError>;

    /// Runs a query that returns one integer.
    fn query_i64(&mut self, sql: &str) -> Result<i64, StoreError>;

    /// Streams the rows of a query, each as text cells. `params` are bound to `$1`, `$2`, …
    /// as text. Memory does not grow with the number of rows.
    fn for_each(
        &mut self,
        sql: &str,
        params: &[&str],
        f: &mut dyn FnMut(TextRow<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Starts filling the (already created) staging table `table` whose columns are `line`
    /// then `columns`.
    fn stage_begin(
        &mut self,
        table: &str,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError>;

    /// Adds one row to the staging table.
    fn stage_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError>;

    /// Finishes filling the staging table.
    fn stage_end(&mut self) -> Result<(), StoreError>;
}

/// A backend's way of running work in a transaction. `work` returns its result and whether
/// to commit; without commit (or on error) the transaction is rolled back.
pub(crate) trait Runner: Send + Sync {
    fn backend(&self) -> Backend;
    fn run<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError>;
}
