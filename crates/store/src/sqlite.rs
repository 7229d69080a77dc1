//! The SQLite backend: the embedded default.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;
use crate::backend::{Backend, Runner, TextRow, Tx};
use crate::pool::Pool;
use crate::schema::Kind;

/// Migrations in order; the number is the schema version each one brings.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_records.sql")),
    (2, include_str!("../migrations/sqlite/0002_reviews.sql")),
    (3, include_str!("../migrations/sqlite/0003_web.sql")),
    (4, include_str!("../migrations/sqlite/0004_qual.sql")),
];

pub(crate) struct SqliteStore {
    path: PathBuf,
    pool: Pool<Connection>,
}

impl SqliteStore {
    pub fn open(path: &str) -> Result<crate::Db<SqliteStore>, StoreError> {
        let store = SqliteStore {
            path: PathBuf::from(path),
            pool: Pool::new(),
        };
        let mut conn = store.connect()?;
        migrate(&mut conn)?;
        Ok(crate::Db(store))
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        // WAL lets readers work during a write; FULL makes every commit durable; a 64 MiB
        // page cache speeds big imports while keeping memory well under the 200 MB budget.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA foreign_keys = ON;
             PRAGMA synchronous = FULL;
             PRAGMA temp_store = FILE;
             PRAGMA cache_size = -65536;",
        )?;
        Ok(conn)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(StoreError::NewerSchema {
            found: current,
            known,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, datetime('now'))",
            [version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

impl Runner for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn run<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.pool.get(|_| true, || self.connect())?;
        // A write takes the write lock at once, so that two writers never deadlock.
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        let tx = conn.transaction_with_behavior(behavior)?;
        let mut t = SqliteTx {
            tx,
            stage_sql: String::new(),
            stage_kinds: Vec::new(),
        };
        let (result, commit) = work(&mut t)?;
        if commit {
            t.tx.commit()?;
        }
        Ok(result)
    }
}

struct SqliteTx<'c> {
    tx: rusqlite::Transaction<'c>,
    stage_sql: String,
    stage_kinds: Vec<Kind>,
}

impl Tx for SqliteTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str) -> Result<u64, StoreError> {
        Ok(self.tx.execute(sql, [])? as u64)
    }

    fn query_i64(&mut self, sql: &str) -> Result<i64, StoreError> {
        Ok(self.tx.query_row(sql, [], |r| r.get(0))?)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: &[&str],
        f: &mut dyn FnMut(TextRow<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // `$n` names its parameters by position on PostgreSQL; SQLite's spelling is `?n`.
        let sql = sql.replace('$', "?");
        let mut st = self.tx.prepare_cached(&sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            let mut texts: Vec<Option<Cow<'_, str>>> = Vec::with_capacity(n);
            for i in 0..n {
                texts.push(match row.get_ref(i)? {
                    ValueRef::Null => None,
                    ValueRef::Integer(v) => Some(Cow::Owned(v.to_string())),
                    // Rust prints the shortest text that reads back as the same number.
                    ValueRef::Real(v) => Some(Cow::Owned(v.to_string())),
                    ValueRef::Text(t) | ValueRef::Blob(t) => Some(String::from_utf8_lossy(t)),
                });
            }
            let cells: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
            f(&cells)?;
        }
        Ok(())
    }

    fn stage_begin(
        &mut self,
        table: &str,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError> {
        let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
        let marks = vec!["?"; columns.len() + 1].join(", ");
        self.stage_sql = format!(
            "INSERT INTO {table} (line, {}) VALUES ({marks})",
            names.join(", ")
        );
        self.stage_kinds = columns.iter().map(|c| c.1).collect();
        Ok(())
    }

    fn stage_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError> {
        let mut st = self.tx.prepare_cached(&self.stage_sql)?;
        st.raw_bind_parameter(1, line as i64)?;
        for (i, (cell, kind)) in cells.iter().zip(&self.stage_kinds).enumerate() {
            let at = i + 2;
            match (cell.as_deref(), kind) {
                (None, _) => st.raw_bind_parameter(at, rusqlite::types::Null)?,
                (Some(v), Kind::Bool) => st.raw_bind_parameter(at, i64::from(v == "true"))?,
                // Column affinity turns the text of an INTEGER or REAL column into a number.
                (Some(v), _) => st.raw_bind_parameter(at, v)?,
            }
        }
        st.raw_execute()?;
        Ok(())
    }

    fn stage_end(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}
