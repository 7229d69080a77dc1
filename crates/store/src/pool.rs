//! A small connection pool: idle connections are kept for reuse, new ones are opened on
//! demand. Enough for a synchronous store called from a handful of blocking threads.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Keeps at most this many idle connections: as many as the web server has requests in
/// flight under load, so that a busy PostgreSQL server is not opening and closing a backend
/// process per request.
pub(crate) const MAX_IDLE: usize = 32;

pub(crate) struct Pool<C> {
    idle: Mutex<Vec<C>>,
    /// Connections on loan now.
    in_use: AtomicUsize,
}

/// How a store's connection pool is used at one moment (for the server's metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolUse {
    /// Connections on loan to work now.
    pub in_use: usize,
    /// Open connections kept for the next work.
    pub idle: usize,
    /// The most idle connections kept; beyond it a returned connection is closed. There is
    /// no cap on connections in use: each request in flight that needs the database has one.
    pub max_idle: usize,
}

impl<C> Pool<C> {
    pub fn new() -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
            in_use: AtomicUsize::new(0),
        }
    }

    pub fn usage(&self) -> PoolUse {
        PoolUse {
            in_use: self.in_use.load(Ordering::Relaxed),
            idle: self.idle.lock().unwrap_or_else(|e| e.into_inner()).len(),
            max_idle: MAX_IDLE,
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
        self.in_use.fetch_add(1, Ordering::Relaxed);
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
        self.pool.in_use.fetch_sub(1, Ordering::Relaxed);
        // Dropped while the work on it panicked: its state (an open transaction, say) is
        // unknown, so it is closed.
        if std::thread::panicking() {
            return;
        }
        if let Some(c) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < MAX_IDLE {
                idle.push(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection goes back to the pool after use, but not when the work on it panicked:
    /// it may be inside a transaction that was never ended.
    #[test]
    fn a_connection_dropped_in_a_panic_is_closed() {
        let pool: Pool<u32> = Pool::new();
        drop(pool.get(|_| true, || Ok::<_, ()>(1)).unwrap());
        assert_eq!(pool.idle.lock().unwrap().len(), 1);
        let loaned = pool.get(|_| true, || Ok::<_, ()>(3)).unwrap();
        assert_eq!(
            pool.usage(),
            PoolUse {
                in_use: 1,
                idle: 0,
                max_idle: MAX_IDLE
            }
        );
        drop(loaned);
        assert_eq!((pool.usage().in_use, pool.usage().idle), (0, 1));
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _conn = pool.get(|_| true, || Ok::<_, ()>(2)).unwrap();
            panic!("the work failed");
        }));
        assert!(panicked.is_err());
        assert_eq!(
            pool.idle.lock().unwrap().len(),
            0,
            "the connection in use when the work panicked is not kept"
        );
        assert_eq!(pool.usage().in_use, 0, "nor counted as in use");
    }
}
