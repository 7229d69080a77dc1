//! What the shared import and export logic needs from a backend: a transaction that runs SQL,
//! streams rows as text, and loads rows fast (prepared inserts straight into the table on
//! SQLite, COPY into a staging table on PostgreSQL). The few places where the dialects
//! differ are the methods of [`Backend`].

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
            (Backend::Sqlite, Kind::Text) => "TEXT",
            (Backend::Postgres, Kind::Text) => "TEXT COLLATE \"C\"",
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

    /// Whether an import writes rows straight into their table (SQLite: an in-process
    /// insert costs little, and writing each row once is what counts) rather than into a
    /// staging table first (PostgreSQL: COPY into a table without constraints is fast, and
    /// the checks then run set-based before anything reaches the real table).
    pub(crate) fn loads_in_place(self) -> bool {
        self == Backend::Sqlite
    }

    /// Queries returning `name, statement` for each secondary index of `table` (one that
    /// backs no constraint, which includes the unique index of its ID), `name, definition`
    /// for each foreign key of it, and `table, name, definition` for each foreign key of
    /// another table that refers to it.
    pub(crate) fn catalog_sql(self, table: &str) -> Catalog {
        match self {
            Backend::Sqlite => Catalog {
                // Indexes made by a PRIMARY KEY clause have no SQL of their own.
                indexes: format!(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                     AND tbl_name = '{table}' AND sql IS NOT NULL ORDER BY name"
                ),
                // SQLite cannot drop a foreign key; the import runs with them off instead
                // (see `Runner::run_import`).
                foreign_keys: None,
                referring: None,
            },
            Backend::Postgres => Catalog {
                indexes: format!(
                    "SELECT CAST(c.relname AS TEXT), pg_get_indexdef(i.indexrelid) FROM pg_index i \
                     JOIN pg_class c ON c.oid = i.indexrelid \
                     WHERE i.indrelid = CAST('{table}' AS regclass) \
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid \
                     AND k.contype <> 'f') \
                     ORDER BY 1"
                ),
                foreign_keys: Some(format!(
                    "SELECT CAST(conname AS TEXT), pg_get_constraintdef(oid) FROM pg_constraint \
                     WHERE conrelid = CAST('{table}' AS regclass) AND contype = 'f' ORDER BY 1"
                )),
                // A foreign key needs the unique index of the ID it refers to.
                referring: Some(format!(
                    "SELECT CAST(CAST(conrelid AS regclass) AS TEXT), CAST(conname AS TEXT), \
                     pg_get_constraintdef(oid) FROM pg_constraint \
                     WHERE confrelid = CAST('{table}' AS regclass) AND contype = 'f' \
                     AND conrelid <> confrelid ORDER BY 1, 2"
                )),
            },
        }
    }

    /// A date given as a text parameter `$n`.
    pub(crate) fn date_param(self, n: usize) -> String {
        match self {
            Backend::Sqlite => format!("${n}"),
            Backend::Postgres => format!("CAST(CAST(${n} AS TEXT) AS DATE)"),
        }
    }

    /// The date `days` days after the date expression `date`.
    pub(crate) fn add_days(self, date: &str, days: u64) -> String {
        match self {
            Backend::Sqlite => format!("date({date}, '+{days} days')"),
            Backend::Postgres => format!("({date} + {days})"),
        }
    }
}

/// Catalog queries for what an import sets aside while it loads an empty table; see
/// [`Backend::catalog_sql`].
pub(crate) struct Catalog {
    pub indexes: String,
    pub foreign_keys: Option<String>,
    pub referring: Option<String>,
}

/// The cells of a row read back from the database, as text; `None` is NULL.
pub(crate) type TextRow<'a> = &'a [Option<&'a str>];

/// One open transaction. Dropping it without [`Tx::commit`] rolls back.
pub(crate) trait Tx {
    fn backend(&self) -> Backend;

    /// Runs statements that return no rows; returns the rows changed by the last one.
    fn execute(&mut self, sql: &str) -> Result<u64, StoreError>;

    /// Runs a statement that may break a unique index or foreign key (making one over
    /// existing rows); returns false, with nothing changed and the transaction still usable,
    /// when it does.
    fn try_execute(&mut self, sql: &str) -> Result<bool, StoreError>;

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

    /// Starts loading the rows of one file. `stage` is an (already created) staging table
    /// whose columns are `line` then `columns`. When `table` was `empty` when the file
    /// started (it then has no index but that of `seq`, so no row can conflict), every row
    /// goes into `table` with `seq = base + line`. Otherwise, when the backend [loads in
    /// place](Backend::loads_in_place), each row goes into `table` and only a row whose ID
    /// is already taken goes to `stage`; else every row goes to `stage`. `id` is the
    /// table's ID column, if it has one.
    fn load_begin(
        &mut self,
        table: &str,
        id: Option<&str>,
        stage: &str,
        base: i64,
        empty: bool,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError>;

    /// Loads one row.
    fn load_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError>;

    /// Finishes loading; returns how many rows went into the table itself.
    fn load_end(&mut self) -> Result<u64, StoreError>;
}

/// A backend's way of running work in a transaction. `work` returns its result and whether
/// to commit; without commit (or on error) the transaction is rolled back.
pub(crate) trait Runner: Send + Sync {
    fn backend(&self) -> Backend;

    /// Every migration this fika knows for the backend, in order.
    fn migrations(&self) -> &'static [(i64, &'static str)];

    /// How the connection pool is used now.
    fn pool_use(&self) -> crate::pool::PoolUse;
    fn run<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError>;

    /// Runs `work`, which runs exactly one statement and keeps what it writes. A single
    /// statement is atomic and sees one snapshot by itself, so a backend may run it without
    /// BEGIN and COMMIT around it (PostgreSQL does: they would be two round trips of three).
    fn run_one<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run(write, |tx| Ok((work(tx)?, true)))
    }

    /// Runs an import: a write whose references are all checked by the import's own
    /// set-based checks, which return a problem (and so a rollback) for every reference
    /// without a target. A backend may therefore leave its own row-by-row foreign key
    /// checks out of this transaction (SQLite does: its foreign keys cannot be dropped, and
    /// looking up the parent of every row costs more than the whole set-based check).
    fn run_import<T>(
        &self,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        self.run(true, work)
    }
}

/// The migrations a database still needs, in order: every known one not yet applied. Not
/// merely those above the highest applied version, so that a migration numbered below one
/// that was applied first (two lines of work merged) is still applied. A database that has
/// a version this fika does not know is newer than it, and is left alone.
pub(crate) fn pending_migrations<'m>(
    applied: &[i64],
    migrations: &'m [(i64, &'static str)],
) -> Result<Vec<&'m (i64, &'static str)>, StoreError> {
    check_known(applied, migrations)?;
    Ok(migrations
        .iter()
        .filter(|m| !applied.contains(&m.0))
        .collect())
}

/// Refuses a database that records a migration this fika does not know: it was made or
/// upgraded by a newer fika, whose tables this one would misread or break. Each backend
/// calls this on the versions it reads before its first write, so that such a database is
/// never changed, not even by the `schema_version` table's `CREATE … IF NOT EXISTS`.
pub(crate) fn check_known(
    applied: &[i64],
    migrations: &[(i64, &'static str)],
) -> Result<(), StoreError> {
    let known = migrations.last().map_or(0, |m| m.0);
    match applied
        .iter()
        .filter(|v| !migrations.iter().any(|m| m.0 == **v))
        .max()
    {
        Some(&found) => Err(StoreError::NewerSchema { found, known }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &[(i64, &str)] = &[(1, "a"), (2, "b"), (3, "c"), (4, "d")];

    #[test]
    fn pending_migrations_fill_gaps() {
        let versions = |applied: &[i64]| -> Vec<i64> {
            pending_migrations(applied, M)
                .unwrap()
                .iter()
                .map(|m| m.0)
                .collect()
        };
        assert_eq!(versions(&[]), [1, 2, 3, 4]);
        assert_eq!(versions(&[1, 2]), [3, 4]);
        assert_eq!(versions(&[1, 2, 4]), [3]);
        assert_eq!(versions(&[1, 2, 3, 4]), Vec::<i64>::new());
        assert!(matches!(
            pending_migrations(&[1, 5], M),
            Err(StoreError::NewerSchema { found: 5, known: 4 })
        ));
        // The newest unknown version is the one named.
        assert!(matches!(
            check_known(&[1, 2, 3, 4, 7, 5], M),
            Err(StoreError::NewerSchema { found: 7, known: 4 })
        ));
        assert!(check_known(&[1, 2], M).is_ok());
    }
}
