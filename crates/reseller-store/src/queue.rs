//! The queue in front of the threads that own a backend's connections
//! (SQLite's writer, PostgreSQL's group writer and workers): requests go
//! in with the channel their answer comes back on; closing the queue lets
//! the threads finish what was queued, then waits for them.

use reseller_core::StoreError;
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

pub(crate) struct Queue<J> {
    /// Taken on close, so that the threads see the channel end.
    sender: Mutex<Option<mpsc::Sender<J>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    /// Who serves the queue, for the error when it has stopped.
    served_by: &'static str,
}

impl<J> Queue<J> {
    pub(crate) fn new(
        served_by: &'static str,
        sender: mpsc::Sender<J>,
        threads: Vec<JoinHandle<()>>,
    ) -> Queue<J> {
        Queue {
            sender: Mutex::new(Some(sender)),
            threads: Mutex::new(threads),
            served_by,
        }
    }

    pub(crate) fn send(&self, job: J) -> Result<(), StoreError> {
        let sender = self.sender.lock().unwrap_or_else(|e| e.into_inner());
        sender
            .as_ref()
            .ok_or_else(|| StoreError::fault("the store is closed"))?
            .send(job)
            .map_err(|_| StoreError::fault(format!("the {} has stopped", self.served_by)))
    }

    /// Queues the job that `make` builds around its reply channel, and waits
    /// for the answer without blocking the runtime.
    pub(crate) async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> J,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.send(make(reply))?;
        answer
            .await
            .map_err(|_| StoreError::fault(format!("the {} dropped a request", self.served_by)))
    }

    /// Stops taking jobs, lets the threads finish the queue, and waits for them.
    pub(crate) fn close(&self) {
        self.sender.lock().unwrap_or_else(|e| e.into_inner()).take();
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|e| e.into_inner()));
        for thread in threads {
            let _ = thread.join();
        }
    }
}
