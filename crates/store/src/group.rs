//! Group commit for SQLite's writes.
//!
//! SQLite lets one writer in at a time, and with `synchronous = FULL` every commit waits for
//! the disk. A web server whose every page writes an audit row would then serve one page per
//! disk flush. Instead, writers that arrive together share one transaction: each runs its
//! work inside its own savepoint (so a failed write undoes only itself), and the last of them
//! commits for all. A writer returns only after the transaction that holds its changes is
//! durable; if that commit fails, every writer in it gets the error and none of their
//! changes are kept. Nobody waits for company: a writer that finds nobody queued behind it
//! commits at once, so a lone writer behaves exactly as before.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use rusqlite::Connection;

use crate::StoreError;
use crate::backend::Tx;

pub(crate) struct Group {
    state: Mutex<State>,
    ended: Condvar,
    /// Writers that asked for the connection and have not got it yet.
    queued: AtomicUsize,
    /// Commits since the write-ahead log was last checkpointed.
    commits: AtomicUsize,
}

/// Commits between checkpoints of the write-ahead log: a page of the web app writes two or
/// three pages, so this is about SQLite's own default of 1,000 pages.
const CHECKPOINT_EVERY: usize = 400;

#[derive(Default)]
struct State {
    conn: Option<Connection>,
    /// `BEGIN IMMEDIATE` has been run on `conn` and not yet ended.
    open: bool,
    /// The number of the transaction open now, or of the next one.
    batch: u64,
    /// Writers in the open transaction whose changes are waiting for its commit.
    keeping: usize,
    /// The open transaction cannot be committed (a savepoint could not be ended).
    broken: bool,
    /// How recent transactions ended (`None`: committed), with how many of their writers
    /// have yet to read it.
    outcomes: HashMap<u64, (Option<String>, usize)>,
}

impl Group {
    pub fn new() -> Self {
        Group {
            state: Mutex::new(State::default()),
            ended: Condvar::new(),
            queued: AtomicUsize::new(0),
            commits: AtomicUsize::new(0),
        }
    }

    /// Whether the caller should checkpoint the log now (true once per
    /// [`CHECKPOINT_EVERY`] commits; the count starts again).
    pub fn checkpoint_due(&self) -> bool {
        self.commits
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n >= CHECKPOINT_EVERY).then_some(0)
            })
            .is_ok()
    }

    /// Runs `work` as a write, in the shared transaction, and returns once its changes are
    /// durable (or were discarded because `work` failed or asked for that).
    pub fn write<T>(
        &self,
        connect: impl FnOnce() -> Result<Connection, StoreError>,
        work: impl FnOnce(&mut dyn Tx) -> Result<(T, bool), StoreError>,
    ) -> Result<T, StoreError> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut g = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.queued.fetch_sub(1, Ordering::SeqCst);

        if g.conn.is_none() {
            match connect() {
                Ok(c) => g.conn = Some(c),
                // Nothing is open without a connection: nobody else is affected.
                Err(e) => return Err(e),
            }
        }
        if !g.open {
            let conn = g.conn.as_ref().expect("connected above");
            if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
                // Nothing is open: nobody else is affected.
                return Err(e.into());
            }
            g.open = true;
        }
        let batch = g.batch;

        let outcome = {
            let conn = g.conn.as_ref().expect("connected above");
            match conn.execute_batch("SAVEPOINT member") {
                Err(e) => {
                    g.broken = true;
                    Ok(Err(e.into()))
                }
                Ok(()) => {
                    let outcome =
                        catch_unwind(AssertUnwindSafe(|| crate::sqlite::run_in(conn, work)));
                    let keep = matches!(outcome, Ok(Ok((_, true))));
                    let end = if keep {
                        "RELEASE member"
                    } else {
                        "ROLLBACK TO member; RELEASE member"
                    };
                    if conn.execute_batch(end).is_err() {
                        g.broken = true;
                    }
                    outcome
                }
            }
        };
        let keep = matches!(outcome, Ok(Ok((_, true))));
        if keep {
            g.keeping += 1;
        }

        if self.queued.load(Ordering::SeqCst) > 0 && !g.broken {
            // Someone is queued for the connection: the last of them ends the transaction.
            if !keep {
                drop(g);
                return finish(outcome, None);
            }
            let mut g = self
                .ended
                .wait_while(g, |s| s.batch == batch)
                .unwrap_or_else(PoisonError::into_inner);
            let failure = match g.outcomes.get_mut(&batch) {
                Some((failure, left)) => {
                    let failure = failure.clone();
                    *left -= 1;
                    if *left == 0 {
                        g.outcomes.remove(&batch);
                    }
                    failure
                }
                None => Some("the outcome of the transaction was lost".to_owned()),
            };
            drop(g);
            return finish(outcome, failure);
        }

        // The last one in ends the transaction for everyone in it.
        let failure = if g.broken {
            Some("a write in the same transaction could not be undone".to_owned())
        } else if g.keeping == 0 {
            None
        } else {
            let conn = g.conn.as_ref().expect("connected above");
            conn.execute_batch("COMMIT").err().map(|e| e.to_string())
        };
        if g.broken || g.keeping == 0 || failure.is_some() {
            let rolled_back = g
                .conn
                .as_ref()
                .is_some_and(|c| c.is_autocommit() || c.execute_batch("ROLLBACK").is_ok());
            if !rolled_back {
                // Its state is unknown: open a new connection next time.
                g.conn = None;
            }
        }
        if g.keeping > 0 && failure.is_none() {
            self.commits.fetch_add(1, Ordering::SeqCst);
        }
        let others = g.keeping - usize::from(keep);
        if others > 0 {
            g.outcomes.insert(batch, (failure.clone(), others));
        }
        g.open = false;
        g.broken = false;
        g.keeping = 0;
        g.batch += 1;
        drop(g);
        self.ended.notify_all();
        finish(outcome, if keep { failure } else { None })
    }
}

/// The writer's own result, unless the transaction holding its changes failed to commit.
fn finish<T>(
    outcome: std::thread::Result<Result<(T, bool), StoreError>>,
    failure: Option<String>,
) -> Result<T, StoreError> {
    match outcome {
        Err(panic) => resume_unwind(panic),
        Ok(Err(e)) => Err(e),
        Ok(Ok((value, _))) => match failure {
            None => Ok(value),
            Some(reason) => Err(StoreError::Commit(reason)),
        },
    }
}
