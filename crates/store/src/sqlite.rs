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
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../migrations/sqlite/0001_records.sql"))];

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
            load_sql: String::new(),
            stage_sql: String::new(),
            stage_kinds: Vec::new(),
            base: 0,
            loaded: 0,
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
    /// Inserts a row of the file being loaded into its table.
    load_sql: String,
    /// Inserts a row whose ID is taken into the staging table.
    stage_sql: String,
    stage_kinds: Vec<Kind>,
    base: i64,
    loaded: u64,
}

impl SqliteTx<'_> {
    /// Runs `sql` (a cached insert) with `first` and then the cells; returns the rows changed.
    fn insert(
        &self,
        sql: &str,
        first: i64,
        cells: &[Option<Cow<'_, str>>],
    ) -> Result<usize, StoreError> {
        let mut st = self.tx.prepare_cached(sql)?;
        st.raw_bind_parameter(1, first)?;
        for (i, (cell, kind)) in cells.iter().zip(&self.stage_kinds).enumerate() {
            let at = i + 2;
            match (cell.as_deref(), kind) {
                (None, _) => st.raw_bind_parameter(at, rusqlite::types::Null)?,
                (Some(v), Kind::Bool) => st.raw_bind_parameter(at, i64::from(v == "true"))?,
                // Column affinity turns the text of an INTEGER or REAL column into a number.
                (Some(v), _) => st.raw_bind_parameter(at, v)?,
            }
        }
        Ok(st.raw_execute()?)
    }
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

    fn load_begin(
        &mut self,
        table: &str,
        id: Option<&str>,
        stage: &str,
        base: i64,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError> {
        // The import's own checks find every reference without a target, with its line, and
        // the transaction is rolled back when there is one; the foreign keys are checked
        // once more at commit rather than stopping the load at the first broken row.
        self.tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let names = columns.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
        let marks = vec!["?"; columns.len() + 1].join(", ");
        // A row whose ID is taken (in the database, or earlier in the file) is not written
        // to the table; it goes to the staging table, where the checks find it.
        // Only that conflict is caught: any other constraint a row breaks is an error.
        let conflict = id.map_or(String::new(), |id| {
            format!(" ON CONFLICT ({id}) DO NOTHING")
        });
        self.load_sql = format!("INSERT INTO {table} (seq, {names}) VALUES ({marks}){conflict}");
        self.stage_sql = format!("INSERT INTO {stage} (line, {names}) VALUES ({marks})");
        self.stage_kinds = columns.iter().map(|c| c.1).collect();
        self.base = base;
        self.loaded = 0;
        Ok(())
    }

    fn load_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError> {
        let seq = self.base + line as i64;
        if self.insert(&self.load_sql, seq, cells)? == 1 {
            self.loaded += 1;
        } else {
            self.insert(&self.stage_sql, line as i64, cells)?;
        }
        Ok(())
    }

    fn load_end(&mut self) -> Result<u64, StoreError> {
        Ok(self.loaded)
    }
}
