//! A small connection pool: idle connections are kept for reuse, new ones are opened on
//! demand. Enough for a synchronous store called from a handful of blocking threads.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

/// Keeps at most this many idle connections: as many as the web server has requests in
/// flight under load, so that a busy PostgreSQL server is not opening and closing a backend
/// process per request.
const MAX_IDLE: usize = 32;

pub(crate) struct Pool<C> {
    idle: Mutex<Vec<C>>,
}

impl<C> Pool<C> {
    pub fn new() -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
        }
    }

    /// An idle connection that `usable` accepts, or a new one from `connect`.
    pub fn get<E>(
        &self,
        usable: impl Fn(&C) -> bool,
        connect: impl FnOnce() -> Result<C, E>,
    ) -> Result<Pooled<'_, C>, E> {
        let reused = {
            let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
            std::iter::from_fn(|| idle.pop()).find(|c| usable(c))
        };
        let conn = match reused {
            Some(c) => c,
            None => connect()?,
        };
        Ok(Pooled {
            pool: self,
            conn: Some(conn),
        })
    }
}

/// A connection on loan; it goes back to the pool when dropped.
pub(crate) struct Pooled<'a, C> {
    pool: &'a Pool<C>,
    conn: Option<C>,
}

impl<C> Pooled<'_, C> {
    /// Closes the connection instead of returning it to the pool (its state is unknown).
    pub fn discard(mut self) {
        self.conn = None;
    }
}

impl<C> Deref for Pooled<'_, C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn.as_ref().expect("present until dropped")
    }
}

impl<C> DerefMut for Pooled<'_, C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn.as_mut().expect("present until dropped")
    }
}

impl<C> Drop for Pooled<'_, C> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < MAX_IDLE {
                idle.push(c);
            }
        }
    }
}
