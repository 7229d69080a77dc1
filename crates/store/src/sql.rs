//! Small helpers for the store's reads and writes, written once for both backends.
//!
//! Parameters travel as text (see [`Tx::for_each`]); [`param`] spells `$n` so that each
//! backend turns that text into the column's type. Statements that return no rows are run
//! through `for_each` too, which executes them.

use fika_core::Row;
use fika_interchange::fields::to_fields;

use crate::StoreError;
use crate::backend::{Backend, Tx};
use crate::schema::{Kind, column_names, id_column, kind, table};

/// Parameter `$n` of a column of kind `k`.
pub(crate) fn param(b: Backend, k: Kind, n: usize) -> String {
    match (b, k) {
        (Backend::Sqlite, Kind::Bool) => format!("(CASE ${n} WHEN 'true' THEN 1 ELSE 0 END)"),
        (Backend::Sqlite, _) | (Backend::Postgres, Kind::Text) => format!("${n}"),
        (Backend::Postgres, k) => format!("CAST(CAST(${n} AS TEXT) AS {})", b.sql_type(k)),
    }
}

/// The current time as SQL, for `created_at` / `updated_at` columns.
pub(crate) fn now(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        Backend::Postgres => "now()",
    }
}

/// Runs a statement; returns how many rows it returned (use `RETURNING CAST(1 AS TEXT)` to count changes).
pub(crate) fn exec(tx: &mut dyn Tx, sql: &str, params: &[&str]) -> Result<u64, StoreError> {
    let mut n = 0;
    tx.for_each(sql, params, &mut |_| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// The text cells of every row of a query.
pub(crate) fn texts(
    tx: &mut dyn Tx,
    sql: &str,
    params: &[&str],
) -> Result<Vec<Vec<Option<String>>>, StoreError> {
    let mut out = Vec::new();
    tx.for_each(sql, params, &mut |cells| {
        out.push(cells.iter().map(|c| c.map(str::to_owned)).collect());
        Ok(())
    })?;
    Ok(out)
}

/// `SELECT COUNT(*) FROM {rest}`.
pub(crate) fn count(tx: &mut dyn Tx, rest: &str, params: &[&str]) -> Result<u64, StoreError> {
    let rows = texts(
        tx,
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {rest}"),
        params,
    )?;
    rows.first()
        .and_then(|r| r[0].as_deref())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| StoreError::Corrupt("a count that is not a number".into()))
}

/// The PostgreSQL advisory lock that a transaction holds while it adds records ("fika").
const RECORD_INSERT_LOCK: i64 = 0x6669_6b61;

/// Adds a record at the end of its table (its `seq` after every other).
///
/// `seq` is the largest one plus one. SQLite lets one writer in at a time; on PostgreSQL,
/// where several fika servers write at once, a transaction takes an advisory lock first and
/// holds it until it ends, so that two never take the same `seq`. One lock for every table:
/// a write that adds a meeting and its next steps cannot deadlock with another.
pub(crate) fn insert(tx: &mut dyn Tx, row: &Row) -> Result<(), StoreError> {
    let b = tx.backend();
    if b == Backend::Postgres {
        tx.execute(&format!(
            "SELECT pg_advisory_xact_lock({RECORD_INSERT_LOCK})"
        ))?;
    }
    let file = row.file();
    let t = table(file);
    let cells = to_fields(row);
    // The same form sent twice carries the same new ID: looked for under the lock, so that
    // two submissions at once on two servers find each other (the second waits for the
    // first's commit), and refused before anything of it is written.
    if let (Some(col), Some(id)) = (id_column(file), cells.first().and_then(|c| c.as_deref()))
        && count(tx, &format!("{t} WHERE {col} = $1"), &[id])? > 0
    {
        return Err(StoreError::AlreadySaved(id.to_owned()));
    }
    let mut cols = Vec::new();
    let mut values = Vec::new();
    let mut params: Vec<&str> = Vec::new();
    for (name, cell) in column_names(file).zip(cells.iter()) {
        cols.push(name);
        match cell {
            None => values.push("NULL".to_owned()),
            Some(v) => {
                params.push(v);
                values.push(param(b, kind(name), params.len()));
            }
        }
    }
    let sql = format!(
        "INSERT INTO {t} (seq, {}) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM {t}), {})",
        cols.join(", "),
        values.join(", ")
    );
    exec(tx, &sql, &params)?;
    Ok(())
}

/// Writes one audit row: who did what, when, to whose record.
pub(crate) fn audit(
    tx: &mut dyn Tx,
    who: &str,
    at: &str,
    action: &str,
    participant: Option<&str>,
    detail: &str,
) -> Result<(), StoreError> {
    let b = tx.backend();
    let at_param = match b {
        Backend::Sqlite => "$2".to_owned(),
        Backend::Postgres => "CAST(CAST($2 AS TEXT) AS TIMESTAMPTZ)".to_owned(),
    };
    let sql = format!(
        "INSERT INTO audit (who, at, action, participant_id, detail) VALUES ($1, {at_param}, $3, {}, $5)",
        if participant.is_some() { "$4" } else { "NULL" }
    );
    match participant {
        Some(p) => exec(tx, &sql, &[who, at, action, p, detail])?,
        // `$4` is absent from the statement; PostgreSQL refuses unused trailing parameters.
        None => exec(tx, &sql.replace("$5", "$4"), &[who, at, action, detail])?,
    };
    Ok(())
}
