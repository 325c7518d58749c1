//! Periodic upkeep while the manager serves: closing sessions whose kiosk
//! went silent, pruning old health samples and expired citizen logins,
//! rolling closed days up for the reach reports, and removing raw rows
//! past `retention.raw_days` (PRIVACY.md).

use std::time::Duration;

use jiff::SignedDuration;

use crate::state::AppState;

/// Health samples are pruned this often.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Closed days, and days changed by late events, are rolled up this often.
const ROLL_UP_EVERY: Duration = Duration::from_secs(60);
/// (centre, day) pairs rolled up per write job, so heartbeats never wait
/// long behind a catch-up.
const ROLL_UP_BATCH: usize = 20;

pub async fn run(state: AppState) {
    let interval = Duration::from_secs(u64::from(state.settings.kiosks.heartbeat_interval_s));
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    let mut roll_up = tokio::time::interval(ROLL_UP_EVERY);
    roll_up.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => close_lost_sessions(&state).await,
            _ = roll_up.tick() => roll_up_report_days(&state).await,
            _ = prune.tick() => {
                prune_health(&state).await;
                prune_citizen_tokens(&state).await;
                apply_retention(&state).await;
                crate::help_chat::apply_retention(&state).await;
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

/// Rolls up every closed day that has no rollup (also called by tests).
pub async fn roll_up_report_days(state: &AppState) {
    let now = state.clock.now();
    let today = match now.to_zoned(jiff::tz::TimeZone::UTC).start_of_day() {
        Ok(midnight) => midnight.timestamp(),
        Err(error) => {
            tracing::warn!(%error, "cannot tell today's date");
            return;
        }
    };
    let mut total = 0;
    loop {
        match state
            .storage
            .roll_up_report_days(today, ROLL_UP_BATCH)
            .await
        {
            Ok(0) => break,
            Ok(rolled) => total += rolled,
            Err(error) => {
                tracing::warn!(%error, "cannot roll up report days");
                break;
            }
        }
    }
    if total > 0 {
        tracing::debug!(days = total, "rolled up report days");
    }
}

/// Removes the raw rows older than `retention.raw_days`, whole weeks at a
/// time, after rolling their days up (also called by tests).
pub async fn apply_retention(state: &AppState) {
    let oldest_kept = state.clock.now()
        - SignedDuration::from_hours(24 * i64::from(state.settings.retention.raw_days));
    let Ok(day) = oldest_kept.to_zoned(jiff::tz::TimeZone::UTC).start_of_day() else {
        tracing::warn!("cannot tell the retention cut-off");
        return;
    };
    // Back to that week's Monday: the week of `oldest_kept` is kept whole.
    let back = i64::from(day.weekday().to_monday_zero_offset());
    let before = day.timestamp() - SignedDuration::from_hours(24 * back);
    roll_up_report_days(state).await;
    match state.storage.purge_raw_before(before).await {
        Ok(purged) => tracing::info!(?purged, %before, "removed raw rows past retention"),
        Err(error) => tracing::warn!(%error, "cannot apply retention"),
    }
}
