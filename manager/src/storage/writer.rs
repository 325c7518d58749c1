//! The single writer: one thread owns the read-write connection, takes every
//! job queued so far (up to a limit), runs them in one transaction with a
//! savepoint each, commits once, and only then answers each caller. One fsync
//! serves the whole group, and an answer always means "committed".

use std::panic::AssertUnwindSafe;
use std::thread::JoinHandle;

use rusqlite::{Connection, TransactionBehavior};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::{StorageError, StorageResult};

/// A queued write, its result type erased so jobs of any type share a queue.
trait WriteJob: Send {
    /// Runs against the open transaction; returns whether it succeeded (so its
    /// savepoint is kept or rolled back) and how to answer once the fate of the
    /// whole transaction is known.
    fn run(self: Box<Self>, connection: &Connection) -> (bool, Reply);
    /// Answers without running, when the transaction could not even start.
    fn abandon(self: Box<Self>, error: &StorageError);
}

type Job = Box<dyn WriteJob>;
type Reply = Box<dyn FnOnce(Option<&StorageError>) + Send>;

struct TypedJob<T, F> {
    work: F,
    answer: oneshot::Sender<StorageResult<T>>,
}

impl<T, F> WriteJob for TypedJob<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
{
    fn run(self: Box<Self>, connection: &Connection) -> (bool, Reply) {
        let TypedJob { work, answer } = *self;
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| work(connection)))
            .unwrap_or_else(|_| Err(StorageError::Internal("write job panicked".to_owned())));
        let succeeded = result.is_ok();
        let reply: Reply = Box::new(move |commit_error| {
            let final_result = match commit_error {
                Some(error) => Err(error.clone()),
                None => result,
            };
            // The caller may have gone away (request cancelled); nothing to do.
            let _ = answer.send(final_result);
        });
        (succeeded, reply)
    }

    fn abandon(self: Box<Self>, error: &StorageError) {
        let _ = self.answer.send(Err(error.clone()));
    }
}

enum Request {
    Job(Job),
    Close(oneshot::Sender<()>),
}

/// Queue depth before callers wait: enough for a burst from every kiosk of a
/// large network without unbounded memory.
const QUEUE_DEPTH: usize = 16_384;

pub(super) struct Writer {
    queue: mpsc::Sender<Request>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    pub(super) fn spawn(connection: Connection, batch_max: usize) -> StorageResult<Self> {
        let (queue, requests) = mpsc::channel(QUEUE_DEPTH);
        let thread = std::thread::Builder::new()
            .name("plaza-sqlite-writer".to_owned())
            .spawn(move || run(connection, requests, batch_max))
            .map_err(|error| StorageError::Internal(format!("cannot start writer: {error}")))?;
        Ok(Self {
            queue,
            thread: Mutex::new(Some(thread)),
        })
    }

    pub(super) async fn run<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let (answer, outcome) = oneshot::channel();
        let job: Job = Box::new(TypedJob { work: job, answer });
        self.queue
            .send(Request::Job(job))
            .await
            .map_err(|_| StorageError::Closed)?;
        outcome.await.map_err(|_| StorageError::Closed)?
    }

    pub(super) async fn close(&self) {
        let (done, finished) = oneshot::channel();
        if self.queue.send(Request::Close(done)).await.is_ok() {
            let _ = finished.await;
        }
        if let Some(thread) = self.thread.lock().await.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

fn run(mut connection: Connection, mut requests: mpsc::Receiver<Request>, batch_max: usize) {
    let mut batch = Vec::with_capacity(batch_max);
    while let Some(first) = requests.blocking_recv() {
        let mut close = None;
        match first {
            Request::Job(job) => batch.push(job),
            Request::Close(done) => close = Some(done),
        }
        while close.is_none() && batch.len() < batch_max {
            match requests.try_recv() {
                Ok(Request::Job(job)) => batch.push(job),
                Ok(Request::Close(done)) => close = Some(done),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            commit_group(&mut connection, &mut batch);
        }
        if let Some(done) = close {
            requests.close();
            // Jobs that raced in before the queue closed still get an answer.
            while let Ok(Request::Job(job)) = requests.try_recv() {
                batch.push(job);
            }
            if !batch.is_empty() {
                commit_group(&mut connection, &mut batch);
            }
            if let Err(error) = connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
                tracing::warn!(%error, "WAL checkpoint at shutdown failed");
            }
            let _ = done.send(());
            return;
        }
    }
}

fn commit_group(connection: &mut Connection, batch: &mut Vec<Job>) {
    let mut replies = Vec::with_capacity(batch.len());
    let outcome = (|| -> StorageResult<()> {
        let mut transaction =
            connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for job in batch.drain(..) {
            let savepoint = transaction.savepoint()?;
            let (succeeded, reply) = job.run(&savepoint);
            if succeeded {
                savepoint.commit()?;
            }
            // A failed job's savepoint rolls back when dropped.
            replies.push(reply);
        }
        transaction.commit()?;
        Ok(())
    })();
    let error = outcome.err();
    if let Some(error) = &error {
        tracing::error!(%error, jobs = replies.len() + batch.len(), "write transaction failed");
        // Jobs the failed transaction never reached are answered, not run.
        for job in batch.drain(..) {
            job.abandon(error);
        }
    }
    for reply in replies {
        reply(error.as_ref());
    }
}
