//! The single writer: one thread owns the read-write connection, takes every
//! job queued so far (up to a limit), runs them in one transaction with a
//! savepoint each, commits once, and only then answers each caller. One fsync
//! serves the whole group, and an answer always means "committed".
//!
//! A group made only of jobs nobody is watching for ([`Urgency::CanWait`]:
//! kiosks' deliveries) waits up to a short window for more jobs to share its
//! commit: a fleet's event batches arrive a few milliseconds apart, and a
//! commit each was most of the manager's CPU. A job someone is waiting for
//! ([`Urgency::Now`]) ends the wait at once.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

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

/// Whether a write may wait for others to share its commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Urgency {
    /// Someone is waiting to see it (a supervisor, a citizen): commit as
    /// soon as the writer is free.
    Now,
    /// Background delivery: may wait up to the group-commit window.
    CanWait,
}

/// What the writer does in every group besides the queued jobs.
pub(super) trait GroupHooks: Send + Sync + 'static {
    /// Whether `before_jobs` has something to write (the last group before
    /// shutdown is run for it even with no job queued).
    fn has_writes(&self) -> bool;
    /// Inside the group's transaction, before its jobs.
    fn before_jobs(&self, connection: &Connection);
    /// After the group's commit, or its failure.
    fn after_group(&self, connection: &Connection);
}

enum Request {
    Job(Job, Urgency),
    Close(oneshot::Sender<()>),
}

/// Queue depth before callers wait: enough for a burst from every kiosk of a
/// large network without unbounded memory.
const QUEUE_DEPTH: usize = 16_384;

pub(super) struct Writer {
    queue: mpsc::Sender<Request>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// How the writer groups jobs.
pub(super) struct Grouping {
    pub(super) batch_max: usize,
    /// The longest a group of [`Urgency::CanWait`] jobs waits for company.
    pub(super) window: Duration,
}

impl Writer {
    pub(super) fn spawn(
        connection: Connection,
        grouping: Grouping,
        hooks: Arc<dyn GroupHooks>,
    ) -> StorageResult<Self> {
        let (queue, requests) = mpsc::channel(QUEUE_DEPTH);
        // The window's timer needs a runtime of the writer's own: the thread
        // is not one of the server's workers, and the CLI has none.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|error| StorageError::Internal(format!("cannot start writer: {error}")))?;
        let thread = std::thread::Builder::new()
            .name("plaza-sqlite-writer".to_owned())
            .spawn(move || {
                runtime.block_on(run(connection, requests, &grouping, hooks.as_ref()));
            })
            .map_err(|error| StorageError::Internal(format!("cannot start writer: {error}")))?;
        Ok(Self {
            queue,
            thread: Mutex::new(Some(thread)),
        })
    }

    pub(super) async fn run<T, F>(&self, urgency: Urgency, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let (answer, outcome) = oneshot::channel();
        let job: Job = Box::new(TypedJob { work: job, answer });
        self.queue
            .send(Request::Job(job, urgency))
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

async fn run(
    mut connection: Connection,
    mut requests: mpsc::Receiver<Request>,
    grouping: &Grouping,
    hooks: &dyn GroupHooks,
) {
    let mut batch = Vec::with_capacity(grouping.batch_max);
    while let Some(first) = requests.recv().await {
        let mut wait_until = None;
        let mut close = take(first, &mut batch, &mut wait_until, grouping.window);
        while close.is_none() && batch.len() < grouping.batch_max {
            let next = match requests.try_recv() {
                Ok(request) => Some(request),
                Err(mpsc::error::TryRecvError::Disconnected) => None,
                Err(mpsc::error::TryRecvError::Empty) => match wait_until {
                    Some(deadline) => tokio::time::timeout_at(deadline, requests.recv())
                        .await
                        .ok()
                        .flatten(),
                    None => None,
                },
            };
            match next {
                Some(request) => {
                    close = take(request, &mut batch, &mut wait_until, grouping.window);
                }
                None => break,
            }
        }
        if !batch.is_empty() {
            commit_group(&mut connection, &mut batch, hooks);
        }
        if let Some(done) = close {
            requests.close();
            // Jobs that raced in before the queue closed still get an answer.
            while let Ok(Request::Job(job, _)) = requests.try_recv() {
                batch.push(job);
            }
            if !batch.is_empty() || hooks.has_writes() {
                commit_group(&mut connection, &mut batch, hooks);
            }
            if let Err(error) = connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
                tracing::warn!(%error, "WAL checkpoint at shutdown failed");
            }
            let _ = done.send(());
            return;
        }
    }
}

/// Adds a request to the group; a job someone waits for ends the wait, the
/// first patient one starts it. Returns the closing request's answer.
fn take(
    request: Request,
    batch: &mut Vec<Job>,
    wait_until: &mut Option<tokio::time::Instant>,
    window: Duration,
) -> Option<oneshot::Sender<()>> {
    match request {
        Request::Job(job, urgency) => {
            batch.push(job);
            *wait_until = match urgency {
                Urgency::Now => None,
                Urgency::CanWait if batch.len() == 1 => Some(tokio::time::Instant::now() + window),
                Urgency::CanWait => *wait_until,
            };
            None
        }
        Request::Close(done) => Some(done),
    }
}

fn commit_group(connection: &mut Connection, batch: &mut Vec<Job>, hooks: &dyn GroupHooks) {
    let mut replies = Vec::with_capacity(batch.len());
    let outcome = (|| -> StorageResult<()> {
        let mut transaction =
            connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        hooks.before_jobs(&transaction);
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
    hooks.after_group(connection);
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

#[cfg(test)]
mod tests {
    use super::*;

    struct NoHooks;

    impl GroupHooks for NoHooks {
        fn has_writes(&self) -> bool {
            false
        }
        fn before_jobs(&self, _: &Connection) {}
        fn after_group(&self, _: &Connection) {}
    }

    /// A writer whose patient groups would wait an hour for company.
    fn patient_writer() -> Writer {
        let connection = Connection::open_in_memory().expect("open");
        connection
            .execute_batch("CREATE TABLE notes (text TEXT NOT NULL)")
            .expect("schema");
        let grouping = Grouping {
            batch_max: 64,
            window: Duration::from_secs(3600),
        };
        Writer::spawn(connection, grouping, Arc::new(NoHooks)).expect("spawn")
    }

    fn insert(text: &'static str) -> impl FnOnce(&Connection) -> StorageResult<usize> {
        move |connection| Ok(connection.execute("INSERT INTO notes (text) VALUES (?1)", [text])?)
    }

    // A hang is the failure these guard against; the timeout turns it into one.
    const HANG: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn a_write_someone_waits_for_never_waits_for_company() {
        let writer = patient_writer();
        let written = tokio::time::timeout(HANG, writer.run(Urgency::Now, insert("now")))
            .await
            .expect("committed without waiting");
        assert_eq!(written.expect("insert"), 1);
        writer.close().await;
    }

    #[tokio::test]
    async fn a_waiting_delivery_is_committed_with_the_next_urgent_write() {
        let writer = Arc::new(patient_writer());
        let patient = tokio::spawn({
            let writer = writer.clone();
            async move { writer.run(Urgency::CanWait, insert("later")).await }
        });
        // Lets the delivery reach the queue first (the test runtime has one thread).
        tokio::task::yield_now().await;
        let urgent = tokio::time::timeout(HANG, writer.run(Urgency::Now, insert("now")))
            .await
            .expect("urgent write committed");
        assert_eq!(urgent.expect("insert"), 1);
        let waited = tokio::time::timeout(HANG, patient)
            .await
            .expect("delivery committed with it")
            .expect("task");
        assert_eq!(waited.expect("insert"), 1);
        let count: i64 = writer
            .run(Urgency::Now, |connection| {
                Ok(
                    connection.query_row("SELECT count(*) AS notes FROM notes", [], |row| {
                        row.get("notes")
                    })?,
                )
            })
            .await
            .expect("count");
        assert_eq!(count, 2);
        writer.close().await;
    }
}
