//! The kiosk's link to its manager: HTTP client, outbox delivery, heartbeats.

pub mod backoff;
pub mod client;
pub mod delivery;
pub mod heartbeat;

pub use backoff::Backoff;
pub use client::{ClientError, ManagerClient};
pub use delivery::{Delivery, DeliveryError, DeliveryReport, SyncStatus, run_delivery};
pub use heartbeat::CommandLog;
