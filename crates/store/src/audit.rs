//! The audit log's hash chain: sealing and verifying (docs/privacy.md).
//!
//! Every read and write of a participant's record writes an audit row in its own
//! transaction, the coach's day view inside its one statement; those writers add rows
//! without `chain` and `hash`, so that the chain costs them nothing and serialises nothing.
//! Sealing, under a lock of its own, gives each unsealed row, in order of `seq`, the next
//! position in the chain (`chain` = 1, 2, 3 …, never a gap) and
//! `hash = SHA-256(hash of the row before it, chain, seq, who, at, action, participant, detail)`.
//! A row that commits after a later `seq` was sealed is sealed at the next seal: the chain is
//! in the order rows were sealed. The triggers of migration 0014 refuse every DELETE and every
//! UPDATE except the one that seals an unsealed row; [`verify`] recomputes the chain and names
//! each row changed, and each place where sealed rows were removed.

use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::backend::{Backend, Tx};
use crate::sql::{exec, texts};

/// The hash that the first row of the chain follows.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The PostgreSQL advisory lock that a seal holds ("seal").
const SEAL_LOCK: i64 = 0x7365_616c;

/// Rows sealed with one UPDATE on PostgreSQL.
const SEAL_BATCH: usize = 5000;

/// The most problems [`verify`] lists.
pub const MAX_AUDIT_PROBLEMS: usize = 100;

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerdict {
    /// Rows in the chain.
    pub rows: u64,
    /// Rows that this verification sealed first (written since the last seal).
    pub sealed_now: u64,
    /// The last row of the chain: its seq, its position and its hash. Write it down
    /// somewhere else: a later verification that shows it again proves the rows up to it.
    pub head: Option<(i64, i64, String)>,
    /// Rows changed, and places where rows were removed; empty when the log is intact.
    pub problems: Vec<AuditProblem>,
}

/// A break in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// The row's content (or its hash) is not what was sealed.
    Changed { seq: i64, chain: i64 },
    /// Sealed rows were removed: positions `from..=to` are missing; `after` is the seq of the
    /// row before them (none at the start), `before` the seq of the row after them.
    Removed {
        from: i64,
        to: i64,
        after: Option<i64>,
        before: i64,
    },
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditProblem::Changed { seq, chain } => write!(
                f,
                "audit row {seq} (chain position {chain}) was changed: its content does not match its hash"
            ),
            AuditProblem::Removed {
                from,
                to,
                after,
                before,
            } => {
                let n = to - from + 1;
                match after {
                    Some(a) => write!(
                        f,
                        "{n} audit row(s) were removed between row {a} and row {before} (chain positions {from}–{to})"
                    ),
                    None => write!(
                        f,
                        "{n} audit row(s) were removed before row {before} (chain positions {from}–{to})"
                    ),
                }
            }
        }
    }
}

/// The columns hashed, as text that is the same on both backends. (Ordering by `a.seq`
/// rather than `seq`: PostgreSQL would sort by the output column of that name, the text.)
fn content_columns(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => {
            "CAST(seq AS TEXT), who, at, action, participant_id, COALESCE(detail, '')"
        }
        Backend::Postgres => {
            "CAST(seq AS TEXT), who, \
             to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), \
             action, participant_id, COALESCE(detail, '')"
        }
    }
}

/// The hash of a row that follows `prev` at position `chain`. Each field is written with
/// its length, so that no two rows give the same text.
fn row_hash(prev: &str, chain: i64, cells: &[Option<String>]) -> String {
    let mut h = Sha256::new();
    let mut field = |v: Option<&str>| match v {
        Some(v) => {
            h.update(v.len().to_string().as_bytes());
            h.update(b":");
            h.update(v.as_bytes());
            h.update(b"\n");
        }
        None => h.update(b"~\n"),
    };
    field(Some(prev));
    field(Some(&chain.to_string()));
    for c in cells {
        field(c.as_deref());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The last position of the chain and its hash.
fn head(tx: &mut dyn Tx) -> Result<(i64, String), StoreError> {
    let rows = texts(
        tx,
        "SELECT CAST(chain AS TEXT), hash FROM audit WHERE chain = \
         (SELECT MAX(chain) FROM audit WHERE chain IS NOT NULL)",
        &[],
    )?;
    match rows.first() {
        None => Ok((0, GENESIS.to_owned())),
        Some(r) => {
            let chain = r[0]
                .as_deref()
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| StoreError::Corrupt("audit chain".into()))?;
            Ok((chain, r[1].clone().unwrap_or_default()))
        }
    }
}

/// Seals every unsealed audit row, in order of seq; returns how many. Run it in a write
/// transaction.
pub(crate) fn seal(tx: &mut dyn Tx) -> Result<u64, StoreError> {
    let b = tx.backend();
    if b == Backend::Postgres {
        tx.execute(&format!("SELECT pg_advisory_xact_lock({SEAL_LOCK})"))?;
    }
    let (mut chain, mut prev) = head(tx)?;
    let rows = texts(
        tx,
        &format!(
            "SELECT {} FROM audit a WHERE a.chain IS NULL ORDER BY a.seq",
            content_columns(b)
        ),
        &[],
    )?;
    let mut sealed = Vec::with_capacity(rows.len());
    for cells in &rows {
        chain += 1;
        prev = row_hash(&prev, chain, cells);
        let seq = cells[0].clone().unwrap_or_default();
        sealed.push((chain, prev.clone(), seq));
    }
    match b {
        Backend::Sqlite => {
            for (chain, hash, seq) in &sealed {
                exec(
                    tx,
                    "UPDATE audit SET chain = CAST($1 AS INTEGER), hash = $2 WHERE seq = CAST($3 AS INTEGER)",
                    &[&chain.to_string(), hash, seq],
                )?;
            }
        }
        Backend::Postgres => {
            for batch in sealed.chunks(SEAL_BATCH) {
                let list = |f: &dyn Fn(&(i64, String, String)) -> String| {
                    format!("{{{}}}", batch.iter().map(f).collect::<Vec<_>>().join(","))
                };
                let chains = list(&|r| r.0.to_string());
                let hashes = list(&|r| r.1.clone());
                let seqs = list(&|r| r.2.clone());
                exec(
                    tx,
                    "UPDATE audit a SET chain = v.chain, hash = v.hash FROM \
                     (SELECT unnest(CAST(CAST($1 AS TEXT) AS BIGINT[])) AS chain, \
                             unnest(CAST(CAST($2 AS TEXT) AS TEXT[])) AS hash, \
                             unnest(CAST(CAST($3 AS TEXT) AS BIGINT[])) AS seq) v \
                     WHERE a.seq = v.seq",
                    &[&chains, &hashes, &seqs],
                )?;
            }
        }
    }
    Ok(sealed.len() as u64)
}

/// Seals what is unsealed, then recomputes the whole chain.
pub(crate) fn verify(tx: &mut dyn Tx) -> Result<AuditVerdict, StoreError> {
    let sealed_now = seal(tx)?;
    let b = tx.backend();
    let mut verdict = AuditVerdict {
        rows: 0,
        sealed_now,
        head: None,
        problems: Vec::new(),
    };
    let mut prev = GENESIS.to_owned();
    let mut expected = 1i64;
    let mut after: Option<i64> = None;
    let corrupt = || StoreError::Corrupt("audit chain".into());
    tx.for_each(
        &format!(
            "SELECT CAST(a.chain AS TEXT), a.hash, {} FROM audit a WHERE a.chain IS NOT NULL ORDER BY a.chain",
            content_columns(b)
        ),
        &[],
        &mut |cells| {
            let chain: i64 = cells[0].and_then(|c| c.parse().ok()).ok_or_else(corrupt)?;
            let hash = cells[1].unwrap_or_default();
            let content: Vec<Option<String>> =
                cells[2..].iter().map(|c| c.map(str::to_owned)).collect();
            let seq: i64 = cells[2].and_then(|c| c.parse().ok()).ok_or_else(corrupt)?;
            verdict.rows += 1;
            let mut problem = None;
            if chain != expected {
                problem = Some(AuditProblem::Removed {
                    from: expected,
                    to: chain - 1,
                    after,
                    before: seq,
                });
            } else if row_hash(&prev, chain, &content) != hash {
                problem = Some(AuditProblem::Changed { seq, chain });
            }
            if let Some(p) = problem
                && verdict.problems.len() < MAX_AUDIT_PROBLEMS
            {
                verdict.problems.push(p);
            }
            prev = hash.to_owned();
            expected = chain + 1;
            after = Some(seq);
            verdict.head = Some((seq, chain, hash.to_owned()));
            Ok(())
        },
    )?;
    Ok(verdict)
}

/// Sealing and verifying the audit log.
pub trait AuditChain {
    /// Seals every audit row written since the last seal; returns how many.
    fn seal_audit(&self) -> Result<u64, StoreError>;
    /// Seals, then recomputes the chain: names every row changed and every place where
    /// sealed rows were removed.
    fn verify_audit(&self) -> Result<AuditVerdict, StoreError>;
}

impl<R: crate::backend::Runner> AuditChain for crate::Db<R> {
    fn seal_audit(&self) -> Result<u64, StoreError> {
        self.0.run(true, |tx| {
            let n = seal(tx)?;
            Ok((n, true))
        })
    }

    fn verify_audit(&self) -> Result<AuditVerdict, StoreError> {
        self.0.run(true, |tx| {
            let v = verify(tx)?;
            Ok((v, true))
        })
    }
}
