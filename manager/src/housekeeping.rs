//! Periodic upkeep while the manager serves: closing sessions whose kiosk
//! went silent, and pruning old health samples and expired citizen logins.

use std::time::Duration;

use jiff::SignedDuration;

use crate::server::AppState;

/// Health samples are pruned this often.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

pub async fn run(state: AppState) {
    let interval = Duration::from_secs(u64::from(state.settings.kiosks.heartbeat_interval_s));
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            _ = ticker.tick() => close_lost_sessions(&state).await,
            _ = prune.tick() => {
                prune_health(&state).await;
                prune_citizen_tokens(&state).await;
            }
        }
    }
}

/// One pass of the lost-session rule; also called by tests with a manual clock.
pub async fn close_lost_sessions(state: &AppState) {
    let silent_since = state.clock.now() - state.settings.offline_after();
    match state.storage.close_lost_sessions(silent_since).await {
        Ok(0) => {}
        Ok(closed) => {
            state.metrics.sessions_lost.inc_by(closed as u64);
            tracing::info!(closed, "closed sessions of silent kiosks as lost");
        }
        Err(error) => tracing::warn!(%error, "cannot close lost sessions"),
    }
}

async fn prune_health(state: &AppState) {
    let retention = SignedDuration::from_hours(i64::from(state.settings.kiosks.health_retention_h));
    match state
        .storage
        .prune_health(state.clock.now() - retention)
        .await
    {
        Ok(pruned) if pruned > 0 => tracing::debug!(pruned, "pruned health samples"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot prune health samples"),
    }
}

/// Expired citizen logins are useless; their hashes need not be kept.
async fn prune_citizen_tokens(state: &AppState) {
    match state.storage.prune_citizen_tokens(state.clock.now()).await {
        Ok(pruned) if pruned > 0 => tracing::debug!(pruned, "pruned expired citizen logins"),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "cannot prune citizen logins"),
    }
}
