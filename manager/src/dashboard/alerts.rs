//! Conditions a supervisor should act on, shown on the floor and exported
//! in `/metrics`.

use plaza_api::kiosks::{KioskStatus, KioskSummary};

/// Offline for longer than this is an alert (shorter is a blip).
const OFFLINE_ALERT_S: u64 = 5 * 60;
/// Less free disk than this share is an alert.
const DISK_FREE_ALERT: f64 = 0.10;
/// More undelivered events than this is an alert.
const OUTBOX_ALERT: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alert {
    Offline,
    LowDisk,
    OutboxBacklog,
}

impl Alert {
    pub const ALL: [Alert; 3] = [Alert::Offline, Alert::LowDisk, Alert::OutboxBacklog];

    /// Label value in `/metrics`.
    pub fn key(self) -> &'static str {
        match self {
            Alert::Offline => "offline",
            Alert::LowDisk => "low_disk",
            Alert::OutboxBacklog => "outbox_backlog",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Alert::Offline => "Offline for more than 5 minutes",
            Alert::LowDisk => "Less than 10 % disk free",
            Alert::OutboxBacklog => "More than 1000 events waiting to be sent",
        }
    }
}

/// The alerts a kiosk raises right now.
pub fn alerts_for(kiosk: &KioskSummary) -> Vec<Alert> {
    let mut alerts = Vec::new();
    if kiosk.status == KioskStatus::Offline
        && kiosk
            .heartbeat_age_s
            .is_some_and(|age| age > OFFLINE_ALERT_S)
    {
        alerts.push(Alert::Offline);
    }
    if let Some(health) = &kiosk.health {
        // u64 → f64 loses precision only beyond 2^53 bytes.
        #[allow(clippy::cast_precision_loss)]
        let free = health.disk_free_bytes as f64 / health.disk_total_bytes.max(1) as f64;
        if health.disk_total_bytes > 0 && free < DISK_FREE_ALERT {
            alerts.push(Alert::LowDisk);
        }
    }
    if kiosk.outbox_len.is_some_and(|len| len > OUTBOX_ALERT) {
        alerts.push(Alert::OutboxBacklog);
    }
    alerts
}
