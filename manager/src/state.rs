//! What every handler reaches: the storage, the settings, the clock, the
//! metrics and the shutdown signal.

use std::sync::Arc;

use tokio::sync::watch;

use crate::clock::Clock;
use crate::config::Settings;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::storage::{Storage, StorageError};

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub storage: Storage,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<Limits>,
    pub stopping: Stopping,
    /// Live help's wake-ups and staff presence.
    pub help_chat: Arc<crate::help_chat::hub::Hub>,
}

/// Raised when the server starts shutting down, so that responses with no
/// end of their own (the floor's event stream) finish and graceful
/// shutdown, which waits for every open connection, can complete.
#[derive(Debug, Clone)]
pub struct Stopping(Arc<watch::Sender<bool>>);

impl Stopping {
    fn new() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }

    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    /// Resolves once the server is shutting down.
    pub async fn wait(&self) {
        let mut stopping = self.0.subscribe();
        // An error means the sender is gone: nothing will ever stop us then.
        if stopping.wait_for(|stopping| *stopping).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl AppState {
    /// Opens the database named by `settings` (migrating it) and builds the state.
    pub fn open(settings: Settings, clock: Clock) -> Result<Self, StorageError> {
        let storage = Storage::open(&settings.database_path(), &settings.storage)?;
        let limits = Limits::new(&settings.limits, &settings.dashboard, &clock);
        Ok(Self {
            storage,
            limits: Arc::new(limits),
            settings: Arc::new(settings),
            clock,
            metrics: Arc::new(Metrics::default()),
            stopping: Stopping::new(),
            help_chat: Arc::default(),
        })
    }
}
