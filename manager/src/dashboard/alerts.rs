//! Conditions a supervisor should act on, shown on the floor and exported
//! in `/metrics`.

use std::collections::HashMap;

use jiff::SignedDuration;
use plaza_api::kiosks::{KioskStatus, KioskSummary};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::kiosks::status::summarise;
use crate::metrics::AlertLabels;
use crate::state::AppState;

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
    RepeatedCrashes,
}

impl Alert {
    pub const ALL: [Alert; 4] = [
        Alert::Offline,
        Alert::LowDisk,
        Alert::OutboxBacklog,
        Alert::RepeatedCrashes,
    ];

    /// Label value in `/metrics`.
    pub fn key(self) -> &'static str {
        match self {
            Alert::Offline => "offline",
            Alert::LowDisk => "low_disk",
            Alert::OutboxBacklog => "outbox_backlog",
            Alert::RepeatedCrashes => "repeated_crashes",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Alert::Offline => "Offline for more than 5 minutes",
            Alert::LowDisk => "Less than 10 % disk free",
            Alert::OutboxBacklog => "More than 1000 events waiting to be sent",
            Alert::RepeatedCrashes => "Crashed 3 or more times in 24 hours",
        }
    }
}

/// Crashed sessions in the last 24 hours that make an alert.
pub const CRASHES_ALERT: u32 = 3;

/// The alerts a kiosk raises right now, given its crashes in the last 24 h.
pub fn alerts_for(kiosk: &KioskSummary, crashes: &HashMap<Uuid, u32>) -> Vec<Alert> {
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
        let free = health.disk_free_bytes as f64 / health.disk_total_bytes.max(1) as f64;
        if health.disk_total_bytes > 0 && free < DISK_FREE_ALERT {
            alerts.push(Alert::LowDisk);
        }
    }
    if kiosk.outbox_len.is_some_and(|len| len > OUTBOX_ALERT) {
        alerts.push(Alert::OutboxBacklog);
    }
    if crashes
        .get(&kiosk.id)
        .is_some_and(|count| *count >= CRASHES_ALERT)
    {
        alerts.push(Alert::RepeatedCrashes);
    }
    alerts
}

/// Crashes per kiosk over the last 24 hours.
pub async fn recent_crashes(state: &AppState) -> crate::storage::StorageResult<HashMap<Uuid, u32>> {
    state
        .storage
        .crashes_since(state.clock.now() - SignedDuration::from_hours(24))
        .await
}

/// Sets the `kiosk_alerts` gauges from every enrolled kiosk.
pub async fn export_alerts(state: &AppState) -> ApiResult<()> {
    let now = state.clock.now();
    let offline_after = state.settings.offline_after();
    let crashes = recent_crashes(state).await?;
    let mut counts: HashMap<Alert, i64> = Alert::ALL.iter().map(|alert| (*alert, 0)).collect();
    for record in state.storage.kiosks(None).await? {
        if record.revoked_at.is_some() {
            continue;
        }
        for alert in alerts_for(&summarise(record, now, offline_after), &crashes) {
            *counts.entry(alert).or_default() += 1;
        }
    }
    for (alert, count) in counts {
        state
            .metrics
            .kiosk_alerts
            .get_or_create(&AlertLabels {
                alert: alert.key().to_owned(),
            })
            .set(count);
    }
    Ok(())
}
