//! The SQLite backend: the embedded default.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::StoreError;
use crate::backend::{Backend, Runner, TextRow, Tx};
use crate::group::Group;
use crate::pool::Pool;
use crate::schema::Kind;

/// Rows bound to one multi-row INSERT when a file loads into an empty table: one statement
/// per row costs more in opening and closing the table than in writing the row.
const BATCH: usize = 64;

/// How long a statement waits for another connection's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Migrations in order; the number is the schema version each one brings.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_records.sql")),
    (2, include_str!("../migrations/sqlite/0002_reviews.sql")),
    (3, include_str!("../migrations/sqlite/0003_web.sql")),
    (4, include_str!("../migrations/sqlite/0004_qual.sql")),
    (
        5,
        include_str!("../migrations/sqlite/0005_qual_comparison.sql"),
    ),
    (6, include_str!("../migrations/sqlite/0006_open_steps.sql")),
    (7, include_str!("../migrations/sqlite/0007_server_key.sql")),
    (
        10,
        include_str!("../migrations/sqlite/0010_outcome_figures.sql"),
    ),
    (
        11,
        include_str!("../migrations/sqlite/0011_participant_view.sql"),
    ),
    (
        14,
        include_str!("../migrations/sqlite/0014_audit_chain.sql"),
    ),
    (
        15,
        include_str!("../migrations/sqlite/0015_questionnaires.sql"),
    ),
    (
        16,
        include_str!("../migrations/sqlite/0016_check_in_interchange.sql"),
    ),
    (
        17,
        include_str!("../migrations/sqlite/0017_round_respondents.sql"),
    ),
    (18, include_str!("../migrations/sqlite/0018_erasure.sql")),
    (
        19,
        include_str!("../migrations/sqlite/0019_final_figures.sql"),
    ),
];

/// Statements kept prepared on one connection, at most (as on PostgreSQL).
const STATEMENTS: usize = 256;

pub(crate) struct SqliteStore {
    path: PathBuf,
    /// Connections for reads and imports.
    pool: Pool<Connection>,
    /// The connection for every other write, shared by writers that arrive together.
    group: Group,
}

impl SqliteStore {
    pub fn open(path: &str) -> Result<crate::Db<SqliteStore>, StoreError> {
        let store = SqliteStore {
            path: PathBuf::from(path),
            pool: Pool::new(),
            group: Group::new(),
        };
        refuse_newer(&store.path)?;
        let mut conn = store.connect()?;
        migrate(&mut conn)?;
        Ok(crate::Db(store))
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every query goes through the connection's statement cache; a page such as the
        // participant's plan runs more distinct statements than rusqlite's default 16, which
        // would parse and plan each again on every request.
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
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

/// Refuses a database made by a newer fika before anything is written to it: read through a
/// read-only connection, since even the settings of [`SqliteStore::connect`] (the journal
/// mode) may write to the file. A missing or empty file is a new database.
pub(crate) fn refuse_newer(path: &Path) -> Result<(), StoreError> {
    if std::fs::metadata(path).map_or(true, |m| m.len() == 0) {
        return Ok(());
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let applied = applied_versions(&conn)?;
    crate::backend::check_known(&applied, MIGRATIONS)
}

/// The versions recorded in `schema_version`, none if the table is not there.
fn applied_versions(conn: &Connection) -> Result<Vec<i64>, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut st = conn.prepare("SELECT version FROM schema_version ORDER BY version")?;
    let versions = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(versions)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated it meanwhile.
    let applied = applied_versions(&tx)?;
    crate::backend::check_known(&applied, MIGRATIONS)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    for (version, sql) in crate::backend::pending_migrations(&applied, MIGRATIONS)? {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, datetime('now'))",
            [version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Runs `work` in a transaction on `conn`.
fn run_on<T>(
    conn: &mut Connection,
    write: bool,
    work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
) -> Result<T, StoreError> {
    // A write takes the write lock at once, so that two writers never deadlock.
    let behavior = if write {
        TransactionBehavior::Immediate
    } else {
        TransactionBehavior::Deferred
    };
    let tx = conn.transaction_with_behavior(behavior)?;
    let (result, commit) = run_in(&tx, work)?;
    if commit {
        tx.commit()?;
    }
    Ok(result)
}

/// Runs `work` on `conn`, which is inside a transaction (or a savepoint) already; returns
/// its result and whether it asks for its changes to be kept.
pub(crate) fn run_in<T>(
    conn: &Connection,
    work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
) -> Result<(T, bool), StoreError> {
    let mut t = SqliteTx {
        tx: conn,
        load_sql: String::new(),
        stage_sql: String::new(),
        kinds: Vec::new(),
        base: 0,
        loaded: 0,
        batch_table: String::new(),
        batch_names: String::new(),
        batch: Batch::default(),
    };
    work(&mut t)
}

impl Runner for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn migrations(&self) -> &'static [(i64, &'static str)] {
        MIGRATIONS
    }

    fn pool_use(&self) -> crate::pool::PoolUse {
        self.pool.usage()
    }

    fn run<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        if write {
            let result = self.group.write(
                || {
                    let conn = self.connect()?;
                    // Its checkpoints run outside the shared transaction (below), so that
                    // writers do not wait while the log is copied into the database.
                    conn.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
                    Ok(conn)
                },
                work,
            );
            if self.group.checkpoint_due() {
                // Passive: copies what no reader still needs, waits for nobody. A failure
                // leaves the log longer until the next one; the write itself is done.
                if let Ok(conn) = self.pool.get(|_| true, || self.connect()) {
                    let _ = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
                }
            }
            return result;
        }
        let mut conn = self.pool.get(|_| true, || self.connect())?;
        run_on(&mut conn, false, work)
    }

    /// The import with foreign keys off: every reference it writes has been checked by its
    /// own set-based checks, which report each one without a target, and then the
    /// transaction is rolled back (see `import`). A foreign key on costs an index lookup in
    /// the parent for every row written, and it cannot be switched inside a transaction.
    fn run_import<T>(
        &self,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.pool.get(|_| true, || self.connect())?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let alone = leave_wal(&conn)?;
        let result = run_on(&mut conn, true, work);
        // Whatever happened, the connection goes back to the pool with foreign keys on and
        // the database in WAL mode, or not at all.
        let restored = conn
            .execute_batch("PRAGMA foreign_keys = ON")
            .and_then(|()| {
                if alone {
                    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                } else {
                    Ok(())
                }
            });
        if let Err(e) = restored {
            conn.discard();
            return result.and(Err(e.into()));
        }
        result
    }
}

/// Takes the database out of WAL mode for an import when no other connection, of this
/// process or another, has it open; returns whether it did.
///
/// In WAL mode every page an import writes goes to the log first and is copied into the
/// database by the checkpoint after it, which doubles what a big import writes. With a
/// rollback journal the pages are written once, and the journal keeps only the pages that
/// held data before (few, when the tables were empty), so a crash still loses nothing but
/// the import. While another connection has the database open the mode cannot change:
/// SQLite refuses at once, and the import runs in WAL mode, beside the readers.
fn leave_wal(conn: &Connection) -> Result<bool, StoreError> {
    conn.busy_timeout(Duration::ZERO)?;
    let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    });
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match mode {
        Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Rows waiting for a multi-row INSERT: `seq`, then each cell as a range of `text` or NULL.
#[derive(Default)]
struct Batch {
    text: String,
    seqs: Vec<i64>,
    cells: Vec<Option<(usize, usize)>>,
}

struct SqliteTx<'c> {
    tx: &'c Connection,
    /// Inserts a row of the file being loaded into its table.
    load_sql: String,
    /// Inserts a row whose ID is taken into the staging table.
    stage_sql: String,
    kinds: Vec<Kind>,
    base: i64,
    loaded: u64,
    /// Set when the table was empty: rows are written [`BATCH`] at a time.
    batch_table: String,
    batch_names: String,
    batch: Batch,
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
        for (i, (cell, kind)) in cells.iter().zip(&self.kinds).enumerate() {
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

    /// Writes the batched rows with one INSERT.
    fn flush(&mut self) -> Result<(), StoreError> {
        let rows = self.batch.seqs.len();
        if rows == 0 {
            return Ok(());
        }
        let width = self.kinds.len() + 1;
        let one = format!("({})", vec!["?"; width].join(", "));
        let sql = format!(
            "INSERT INTO {} (seq, {}) VALUES {}",
            self.batch_table,
            self.batch_names,
            vec![one; rows].join(", ")
        );
        let mut st = self.tx.prepare_cached(&sql)?;
        let b = &self.batch;
        let mut at = 1;
        for (r, seq) in b.seqs.iter().enumerate() {
            st.raw_bind_parameter(at, *seq)?;
            at += 1;
            for (cell, kind) in b.cells[r * (width - 1)..(r + 1) * (width - 1)]
                .iter()
                .zip(&self.kinds)
            {
                match (cell.map(|(from, to)| &b.text[from..to]), kind) {
                    (None, _) => st.raw_bind_parameter(at, rusqlite::types::Null)?,
                    (Some(v), Kind::Bool) => st.raw_bind_parameter(at, i64::from(v == "true"))?,
                    (Some(v), _) => st.raw_bind_parameter(at, v)?,
                }
                at += 1;
            }
        }
        self.loaded += st.raw_execute()? as u64;
        drop(st);
        self.batch.text.clear();
        self.batch.seqs.clear();
        self.batch.cells.clear();
        Ok(())
    }
}

impl Tx for SqliteTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn execute(&mut self, sql: &str) -> Result<u64, StoreError> {
        Ok(self.tx.execute(sql, [])? as u64)
    }

    fn try_execute(&mut self, sql: &str) -> Result<bool, StoreError> {
        // A failed statement undoes its own changes; the transaction goes on.
        match self.tx.execute(sql, []) {
            Ok(_) => Ok(true),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
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
                    ValueRef::Text(t) | ValueRef::Blob(t) => Some(match std::str::from_utf8(t) {
                        Ok(t) => Cow::Borrowed(t),
                        Err(_) => String::from_utf8_lossy(t),
                    }),
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
        empty: bool,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError> {
        let names = columns.iter().map(|c| c.0).collect::<Vec<_>>().join(", ");
        self.kinds = columns.iter().map(|c| c.1).collect();
        self.base = base;
        self.loaded = 0;
        if empty {
            // No index on the ID: nothing can conflict.
            self.batch_table = table.to_owned();
            self.batch_names = names;
            return Ok(());
        }
        self.batch_table.clear();
        let marks = vec!["?"; columns.len() + 1].join(", ");
        // A row whose ID is taken (in the database, or earlier in the file) is not written
        // to the table; it goes to the staging table, where the checks find it.
        // Only that conflict is caught: any other constraint a row breaks is an error.
        let conflict = id.map_or(String::new(), |id| {
            format!(" ON CONFLICT ({id}) DO NOTHING")
        });
        self.load_sql = format!("INSERT INTO {table} (seq, {names}) VALUES ({marks}){conflict}");
        self.stage_sql = format!("INSERT INTO {stage} (line, {names}) VALUES ({marks})");
        Ok(())
    }

    fn load_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError> {
        let seq = self.base + line as i64;
        if !self.batch_table.is_empty() {
            let b = &mut self.batch;
            b.seqs.push(seq);
            for cell in cells {
                b.cells.push(cell.as_deref().map(|v| {
                    let from = b.text.len();
                    b.text.push_str(v);
                    (from, b.text.len())
                }));
            }
            if b.seqs.len() == BATCH {
                self.flush()?;
            }
            return Ok(());
        }
        if self.insert(&self.load_sql, seq, cells)? == 1 {
            self.loaded += 1;
        } else {
            self.insert(&self.stage_sql, line as i64, cells)?;
        }
        Ok(())
    }

    fn load_end(&mut self) -> Result<u64, StoreError> {
        self.flush()?;
        self.batch_table.clear();
        Ok(self.loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new database in a folder of its own (`fika-{name}-PID`), which the test removes.
    fn fresh(name: &str) -> (PathBuf, PathBuf, crate::Db<SqliteStore>) {
        let dir = std::env::temp_dir().join(format!("fika-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.db"));
        let _ = std::fs::remove_file(&path);
        let db = SqliteStore::open(path.to_str().unwrap()).unwrap();
        (dir, path, db)
    }

    /// The import turns foreign keys off for its transaction only: a connection goes back to
    /// the pool with them on, also when the import failed.
    #[test]
    fn foreign_keys_are_on_again_after_an_import() {
        let (dir, _, db) = fresh("fk");
        let store = &db.0;
        let off: Result<(), StoreError> = store.run_import(|tx| {
            assert_eq!(tx.query_i64("PRAGMA foreign_keys")?, 0);
            Err(StoreError::Url("fails on purpose".to_owned()))
        });
        assert!(off.is_err());
        let on = store
            .run(false, |tx| {
                Ok((tx.query_i64("PRAGMA foreign_keys")?, false))
            })
            .unwrap();
        assert_eq!(on, 1);
        let refused = store.run(true, |tx| {
            tx.execute(
                "INSERT INTO coach (seq, coach_id, program_id, name, fte, started_on) \
                 VALUES (1, 'c', 'no such program', 'n', 1, '2025-01-01')",
            )?;
            Ok(((), true))
        });
        assert!(refused.is_err(), "a dangling reference must be refused");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn journal_mode(tx: &mut dyn Tx) -> Result<String, StoreError> {
        let mut mode = String::new();
        tx.for_each("PRAGMA journal_mode", &[], &mut |cells| {
            mode = cells[0].unwrap_or("").to_owned();
            Ok(())
        })?;
        Ok(mode)
    }

    /// Alone with the database, an import runs with a rollback journal (its pages written
    /// once), and the database is in WAL mode again afterwards, whether the import was kept
    /// or failed.
    #[test]
    fn an_import_alone_leaves_wal_for_its_transaction_only() {
        let (dir, path, db) = fresh("journal");
        let store = &db.0;
        for keep in [true, false] {
            let result: Result<(), StoreError> = store.run_import(|tx| {
                assert_eq!(journal_mode(tx)?, "delete");
                tx.execute("INSERT INTO program (seq, program_id, name) VALUES (1, 'p1', 'One')")?;
                if keep {
                    Ok(((), true))
                } else {
                    Err(StoreError::Url("fails on purpose".to_owned()))
                }
            });
            assert_eq!(result.is_ok(), keep);
            let (mode, programs) = store
                .run(false, |tx| {
                    Ok((
                        (
                            journal_mode(tx)?,
                            tx.query_i64("SELECT COUNT(*) FROM program")?,
                        ),
                        false,
                    ))
                })
                .unwrap();
            assert_eq!(mode, "wal");
            assert_eq!(
                programs, 1,
                "the kept import stays, the failed one leaves nothing"
            );
        }
        // A new connection finds WAL mode too: it is kept in the file.
        let other = Connection::open(&path).unwrap();
        let mode: String = other
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(other);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// While another connection has the database open (a server reading it, say), the
    /// import stays in WAL mode, at once, and that connection can read throughout.
    #[test]
    fn an_import_beside_a_reader_keeps_wal() {
        let (dir, _, db) = fresh("beside");
        let store = &db.0;
        let reader = store.connect().unwrap();
        let started = std::time::Instant::now();
        store
            .run_import(|tx| {
                assert_eq!(journal_mode(tx)?, "wal");
                tx.execute("INSERT INTO program (seq, program_id, name) VALUES (1, 'p1', 'One')")?;
                let seen: i64 = reader
                    .query_row("SELECT COUNT(*) FROM program", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(seen, 0, "the reader sees the database as it was");
                Ok(((), true))
            })
            .unwrap();
        assert!(
            started.elapsed() < BUSY_TIMEOUT / 2,
            "the import must not wait for the reader"
        );
        let seen: i64 = reader
            .query_row("SELECT COUNT(*) FROM program", [], |r| r.get(0))
            .unwrap();
        assert_eq!(seen, 1);
        drop(reader);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
