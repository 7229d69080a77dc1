//! The PostgreSQL backend, for a region or a country running many programs.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Statement};

use crate::StoreError;
use crate::backend::{Backend, Runner, TextRow, Tx};
use crate::pool::Pool;
use crate::schema::Kind;

/// Migrations in order; the number is the schema version each one brings.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_records.sql")),
    (2, include_str!("../migrations/postgres/0002_reviews.sql")),
    (3, include_str!("../migrations/postgres/0003_web.sql")),
    (4, include_str!("../migrations/postgres/0004_qual.sql")),
    (
        5,
        include_str!("../migrations/postgres/0005_qual_comparison.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_open_steps.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_server_key.sql"),
    ),
    (
        10,
        include_str!("../migrations/postgres/0010_outcome_figures.sql"),
    ),
    (
        11,
        include_str!("../migrations/postgres/0011_participant_view.sql"),
    ),
    (
        14,
        include_str!("../migrations/postgres/0014_audit_chain.sql"),
    ),
    (
        15,
        include_str!("../migrations/postgres/0015_questionnaires.sql"),
    ),
    (
        16,
        include_str!("../migrations/postgres/0016_check_in_interchange.sql"),
    ),
    (
        17,
        include_str!("../migrations/postgres/0017_round_respondents.sql"),
    ),
    (18, include_str!("../migrations/postgres/0018_erasure.sql")),
    (
        19,
        include_str!("../migrations/postgres/0019_final_figures.sql"),
    ),
];

/// Staged rows are sent with COPY in chunks of about this many bytes.
const COPY_CHUNK: usize = 4 << 20;

/// Statements kept prepared on one connection, at most.
const STATEMENTS: usize = 256;

/// A pooled connection, and the statements prepared on it: a page of the web app runs the
/// same dozen queries every time, and preparing each again costs a round trip.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

pub(crate) struct PostgresStore {
    config: Config,
    schema: Option<String>,
    pool: Pool<Conn>,
}

impl PostgresStore {
    pub fn open(url: &str) -> Result<crate::Db<PostgresStore>, StoreError> {
        let (url, schema) = split_schema(url)?;
        let config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::Url(e.to_string()))?;
        let store = PostgresStore {
            config,
            schema,
            pool: Pool::new(),
        };
        let mut client = store.config.connect(NoTls)?;
        if let Some(schema) = &store.schema {
            client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))?;
        }
        store.prepare(&mut client)?;
        migrate(&mut client)?;
        Ok(crate::Db(store))
    }

    /// Settings every connection needs: the schema, ISO dates in text, and plans made once
    /// per prepared statement.
    ///
    /// The connection keeps its statements prepared (see [`Conn`]), and fika's queries find
    /// their rows through the same indexes whatever the parameters: an ID, a program, a
    /// date. Planning again for each execution (PostgreSQL's default for the first five,
    /// and for good whenever it guesses the parameters matter) costs more than running most
    /// of them; the day's caseload, one statement of nine parts, takes longer to plan than to
    /// run.
    fn prepare(&self, client: &mut Client) -> Result<(), StoreError> {
        let mut sql = "SET DateStyle = ISO; SET plan_cache_mode = force_generic_plan;".to_owned();
        if let Some(schema) = &self.schema {
            sql.push_str(&format!("SET search_path = \"{schema}\";"));
        }
        client.batch_execute(&sql)?;
        Ok(())
    }

    fn connect(&self) -> Result<Conn, StoreError> {
        let mut client = self.config.connect(NoTls)?;
        self.prepare(&mut client)?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    /// Runs `work` in a transaction, or (`single`) as the one statement it runs, which is
    /// atomic and sees one snapshot by itself; `cache`: keep the statements it queries
    /// prepared.
    ///
    /// The transaction is begun and ended by plain statements rather than the client's own
    /// transaction type, so that a single statement can do without them: BEGIN and COMMIT
    /// are a round trip each.
    fn run_with<T>(
        &self,
        write: bool,
        cache: bool,
        single: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .pool
            .get(|c| !c.client.is_closed(), || self.connect())?;
        let Conn { client, statements } = &mut *conn;
        if !single {
            client.batch_execute(if write {
                "BEGIN"
            } else {
                // One consistent snapshot for a whole export or report.
                "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            })?;
        }
        let mut t = PgTx {
            client,
            statements: cache.then_some(statements),
            single: single.then_some(0),
            copy_sql: String::new(),
            buf: Vec::new(),
            seq_base: None,
            loaded: 0,
        };
        let outcome = work(&mut t);
        if single {
            return outcome.map(|(result, _)| result);
        }
        let end = match &outcome {
            Ok((_, true)) => "COMMIT",
            _ => "ROLLBACK",
        };
        if let Err(e) = t.client.batch_execute(end) {
            // A connection whose transaction could not be ended is not used again.
            conn.discard();
            return Err(outcome.err().unwrap_or(e.into()));
        }
        outcome.map(|(result, _)| result)
    }
}

/// Takes fika's own `schema=NAME` parameter out of a URL.
pub(crate) fn split_schema(url: &str) -> Result<(String, Option<String>), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), None));
    };
    let mut schema = None;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.strip_prefix("schema=") {
            Some(name) => {
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(StoreError::Url(format!(
                        "schema {name:?}: use letters, digits and _ only"
                    )));
                }
                schema = Some(name.to_owned());
            }
            None => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, schema))
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    // Two fika processes starting at once must not both apply a migration.
    tx.batch_execute("SELECT pg_advisory_xact_lock(4711)")?;
    // A database made by a newer fika is refused before anything is written to it.
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    let applied: Vec<i64> = if exists {
        tx.query(
            "SELECT CAST(version AS BIGINT) FROM schema_version ORDER BY version",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
    } else {
        Vec::new()
    };
    crate::backend::check_known(&applied, MIGRATIONS)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
    )?;
    for (version, sql) in crate::backend::pending_migrations(&applied, MIGRATIONS)? {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES ($1, now())",
            &[&(*version as i32)],
        )?;
    }
    tx.commit()?;
    Ok(())
}

impl Runner for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
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
        self.run_with(write, true, false, work)
    }

    fn run_one<T>(
        &self,
        write: bool,
        work: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.run_with(write, true, true, |tx| Ok((work(tx)?, true)))
    }

    /// An import makes and drops staging tables: nothing of it is kept prepared.
    fn run_import<T>(
        &self,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        self.run_with(true, false, false, work)
    }
}

struct PgTx<'c> {
    /// Inside a transaction begun by `run_with`, unless `single`.
    client: &'c mut Client,
    /// The connection's prepared statements, when this transaction may use and add to them.
    statements: Option<&'c mut HashMap<String, Statement>>,
    /// Set when the work runs one statement outside a transaction: the statements run so far.
    single: Option<u32>,
    copy_sql: String,
    buf: Vec<u8>,
    /// Set when the rows go straight into their (empty) table: `seq = base + line`.
    seq_base: Option<i64>,
    loaded: u64,
}

impl PgTx<'_> {
    /// Counts a statement; outside a transaction there must be only one.
    fn statement(&mut self) {
        if let Some(n) = &mut self.single {
            *n += 1;
            assert!(
                *n == 1,
                "run_one ran a second statement outside a transaction"
            );
        }
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let mut w = self.client.copy_in(&self.copy_sql)?;
        w.write_all(&self.buf).map_err(StoreError::Copy)?;
        w.finish()?;
        self.buf.clear();
        Ok(())
    }
}

/// Writes a value in COPY's text format.
fn copy_text(buf: &mut Vec<u8>, v: &str) {
    for b in v.bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

impl Tx for PgTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn execute(&mut self, sql: &str) -> Result<u64, StoreError> {
        self.statement();
        Ok(self.client.execute(sql, &[])?)
    }

    fn try_execute(&mut self, sql: &str) -> Result<bool, StoreError> {
        self.statement();
        // A failed statement aborts the transaction: only back to a savepoint.
        self.client.batch_execute("SAVEPOINT fika_try")?;
        match self.client.batch_execute(sql) {
            Ok(()) => {
                self.client.batch_execute("RELEASE SAVEPOINT fika_try")?;
                Ok(true)
            }
            Err(e)
                if e.code() == Some(&SqlState::UNIQUE_VIOLATION)
                    || e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION) =>
            {
                self.client
                    .batch_execute("ROLLBACK TO SAVEPOINT fika_try; RELEASE SAVEPOINT fika_try")?;
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn query_i64(&mut self, sql: &str) -> Result<i64, StoreError> {
        self.statement();
        Ok(self.client.query_one(sql, &[])?.try_get(0)?)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: &[&str],
        f: &mut dyn FnMut(TextRow<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.statement();
        let params: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        // One round trip: the rows stream in as they are read, and the client stops reading
        // the socket while they wait (its channel holds one message), so memory stays flat
        // however many rows come.
        let statement = match self.statements.as_deref_mut() {
            Some(cache) => match cache.get(sql) {
                Some(s) => s.clone(),
                None => {
                    let s = self.client.prepare(sql)?;
                    if cache.len() >= STATEMENTS {
                        cache.clear();
                    }
                    cache.insert(sql.to_owned(), s.clone());
                    s
                }
            },
            None => self.client.prepare(sql)?,
        };
        let mut rows = self.client.query_raw(&statement, params.iter().copied())?;
        while let Some(row) = rows.next()? {
            let cells = (0..row.len())
                .map(|i| row.try_get(i))
                .collect::<Result<Vec<Option<&str>>, _>>()?;
            f(&cells)?;
        }
        Ok(())
    }

    fn load_begin(
        &mut self,
        table: &str,
        _id: Option<&str>,
        stage: &str,
        base: i64,
        empty: bool,
        columns: &[(&'static str, Kind)],
    ) -> Result<(), StoreError> {
        // The checks join and the indexes are built over millions of rows: give them the
        // server memory to do it in one pass (for this transaction only).
        self.statement();
        self.client.batch_execute(
            "SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'",
        )?;
        let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
        // An empty table has no index but that of `seq` while it loads, so nothing can
        // conflict: its rows need no staging.
        let (into, first) = if empty {
            (table, "seq")
        } else {
            (stage, "line")
        };
        self.copy_sql = format!("COPY {into} ({first}, {}) FROM STDIN", names.join(", "));
        self.seq_base = empty.then_some(base);
        self.loaded = 0;
        self.buf.clear();
        Ok(())
    }

    fn load_row(&mut self, line: u64, cells: &[Option<Cow<'_, str>>]) -> Result<(), StoreError> {
        let first = self.seq_base.map_or(line as i64, |base| base + line as i64);
        self.buf.extend_from_slice(first.to_string().as_bytes());
        self.loaded += 1;
        for cell in cells {
            self.buf.push(b'\t');
            match cell {
                None => self.buf.extend_from_slice(b"\\N"),
                Some(v) => copy_text(&mut self.buf, v),
            }
        }
        self.buf.push(b'\n');
        if self.buf.len() >= COPY_CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn load_end(&mut self) -> Result<u64, StoreError> {
        // Into the staging table, the import moves them.
        self.flush()?;
        Ok(if self.seq_base.is_some() {
            self.loaded
        } else {
            0
        })
    }
}
