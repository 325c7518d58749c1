//! Delivering the outbox to the manager: batches, acknowledgements, dead
//! letters, and a background driver that retries with backoff.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use plaza_api::events::{EventBatch, MAX_BATCH};
use plaza_client::{ClientError, ManagerClient};
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use super::backoff::Backoff;
use crate::outbox::{Outbox, OutboxError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Manager(#[from] ClientError),
    #[error("outbox: {0}")]
    Outbox(String),
}

impl From<OutboxError> for DeliveryError {
    fn from(error: OutboxError) -> Self {
        Self::Outbox(error.to_string())
    }
}

/// What one delivery round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Events the manager acknowledged and that left the outbox.
    pub delivered: usize,
    /// Of those, how many the manager said it already had.
    pub duplicates: u32,
    /// Events refused as invalid, moved to the dead letters.
    pub dead_lettered: usize,
}

/// Sends everything waiting in an outbox to a manager.
#[derive(Debug, Clone)]
pub struct Delivery {
    outbox: Outbox,
    client: ManagerClient,
    batch_size: usize,
}

impl Delivery {
    pub fn new(outbox: Outbox, client: ManagerClient, batch_size: usize) -> Self {
        Self {
            outbox,
            client,
            batch_size: batch_size.clamp(1, MAX_BATCH),
        }
    }

    /// Delivers batches until the outbox is empty or the manager fails.
    /// Deletes only the ids the manager acknowledged.
    pub async fn deliver_pending(&self) -> Result<DeliveryReport, DeliveryError> {
        let mut report = DeliveryReport::default();
        let mut batch_size = self.batch_size;
        loop {
            let outbox = self.outbox.clone();
            let batch = blocking(move || outbox.next_batch(batch_size, Timestamp::now())).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            let ids: Vec<Uuid> = batch.iter().map(|event| event.id).collect();
            match self.client.post_events(&EventBatch { events: batch }).await {
                Ok(answer) => {
                    let mut rejected = Vec::with_capacity(answer.rejected.len());
                    for refusal in &answer.rejected {
                        let id = refusal.id.or_else(|| ids.get(refusal.index).copied());
                        if let Some(id) = id {
                            rejected.push((id, refusal.reason.clone()));
                        }
                    }
                    if answer.accepted.is_empty() && rejected.is_empty() {
                        return Err(ClientError::Unexpected(
                            "the manager neither accepted nor rejected the batch".to_owned(),
                        )
                        .into());
                    }
                    report.delivered += answer.accepted.len();
                    report.duplicates += answer.duplicates;
                    report.dead_lettered += rejected.len();
                    let outbox = self.outbox.clone();
                    blocking(move || {
                        outbox.acknowledge(&answer.accepted)?;
                        for (id, reason) in rejected {
                            tracing::warn!(%id, %reason, "event refused by the manager; kept as dead letter");
                            outbox.dead_letter(id, &reason, Timestamp::now())?;
                        }
                        Ok(())
                    })
                    .await?;
                }
                Err(ClientError::Refused {
                    status, message, ..
                }) if batch_is_at_fault(status) => {
                    if ids.len() > 1 {
                        // One bad event (or sheer size) spoils the batch:
                        // halve it until the culprit is alone.
                        batch_size = ids.len() / 2;
                        continue;
                    }
                    report.dead_lettered += 1;
                    let outbox = self.outbox.clone();
                    let id = ids[0];
                    blocking(move || outbox.dead_letter(id, &message, Timestamp::now())).await?;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }
}

async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, OutboxError> + Send + 'static,
) -> Result<T, DeliveryError> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|error| DeliveryError::Outbox(error.to_string()))?
        .map_err(DeliveryError::from)
}

/// How delivery is doing: whether the manager answered it lately and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub online: bool,
    pub last_sync: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// Runs delivery until `stop` flips: after each new event (`wake`), and at
/// least every `interval`; on failure waits with backoff and jitter.
pub async fn run_delivery(
    delivery: Delivery,
    wake: Arc<Notify>,
    interval: Duration,
    mut backoff: Backoff,
    status: watch::Sender<SyncStatus>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (wait, failed) = match delivery.deliver_pending().await {
            Ok(report) => {
                backoff.succeeded();
                if report.delivered > 0 || report.dead_lettered > 0 {
                    tracing::debug!(?report, "outbox delivered");
                }
                status.send_modify(|status| {
                    status.online = true;
                    status.last_sync = Some(Timestamp::now());
                    status.last_error = None;
                });
                (interval, false)
            }
            Err(error) => {
                let delay = backoff.failed(rand::random::<f64>());
                tracing::info!(%error, ?delay, "delivery failed; will retry");
                status.send_modify(|status| {
                    status.online =
                        !matches!(error, DeliveryError::Manager(ClientError::Unreachable(_)));
                    status.last_error = Some(error.to_string());
                });
                (delay, true)
            }
        };
        // After a failure new events wait for the backoff: a fleet whose
        // manager is down must not hammer it at every click.
        tokio::select! {
            () = wake.notified(), if !failed => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// The status codes that say a batch itself is at fault, not the manager
/// (malformed, too large, invalid): retrying it as it is cannot help.
fn batch_is_at_fault(status: u16) -> bool {
    matches!(status, 400 | 413 | 422)
}
