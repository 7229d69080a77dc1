//! Reading on a thread of its own, a bounded number of batches ahead: the folder reader
//! (`reader`) and the workbook reader (`workbook`) parse and check rows there while the
//! import writes the rows before them.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use crate::problem::Sourced;

/// Rows and problems are handed from the reading thread in batches of this many …
pub(crate) const BATCH: usize = 4096;
/// … and at most this many batches wait to be taken.
const BATCHES_AHEAD: usize = 4;

/// The stream of [`Sourced`] rows and problems that a reading thread sends.
pub(crate) struct Batches {
    batch: std::vec::IntoIter<Sourced>,
    /// `None` once the reading thread has sent everything.
    batches: Option<Receiver<Vec<Sourced>>>,
    thread: Option<JoinHandle<()>>,
}

impl Batches {
    /// Starts `read` on a thread named `name`; it sends its batches to the sender it is given
    /// and stops when a send fails (the stream was dropped).
    pub(crate) fn spawn(
        name: &str,
        read: impl FnOnce(SyncSender<Vec<Sourced>>) + Send + 'static,
    ) -> std::io::Result<Batches> {
        let (sender, receiver) = sync_channel(BATCHES_AHEAD);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || read(sender))?;
        Ok(Batches {
            batch: Vec::new().into_iter(),
            batches: Some(receiver),
            thread: Some(thread),
        })
    }
}

impl Iterator for Batches {
    type Item = Sourced;

    fn next(&mut self) -> Option<Sourced> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            match self.batches.as_ref()?.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => {
                    // Everything was sent. A reading thread that panicked sends no more
                    // either; its panic is passed on rather than taken for the end.
                    self.batches = None;
                    if let Some(thread) = self.thread.take()
                        && let Err(panic) = thread.join()
                    {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }
}

impl Drop for Batches {
    fn drop(&mut self) {
        // Dropping the receiver makes the reading thread's next send fail, so it stops.
        self.batches = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
