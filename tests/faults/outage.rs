//! The manager unreachable for a whole (simulated) day: the kiosks keep
//! recording, their outboxes grow, and when the manager is back every event
//! arrives once, the kiosks reconnecting spread out by their backoff with
//! jitter rather than all at once. Uses the kiosk's own delivery driver.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use plaza_api::session::{EndReason, Section};
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::{Backoff, Delivery, ManagerClient, SyncStatus, run_delivery};
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::session::SessionRules;
use plaza_kiosk::terminal::{Preferences, Terminal};
use plaza_manager::testing::TestManager;
use tokio::sync::{Notify, mpsc, watch};
use tokio::time::Instant;

use crate::proxy::FaultProxy;

const CENTRE: &str = "Telecentro Villa Esperanza";
const SECTIONS_PER_KIOSK: usize = 300;

/// A day of use recorded while offline: one long session of section visits.
fn record_a_day(terminal: &mut Terminal, day_start: Timestamp) {
    terminal
        .start_session(day_start, Preferences::default())
        .expect("start");
    for minute in 0..SECTIONS_PER_KIOSK {
        let at = day_start + SignedDuration::from_mins(minute as i64 * 2);
        terminal
            .open_section(at, Section::Procedures)
            .expect("record");
    }
    terminal
        .end_session(
            day_start + SignedDuration::from_hours(11),
            EndReason::Logout,
        )
        .expect("end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_without_the_manager_is_delivered_once_when_it_returns() {
    day_without_the_manager(20).await;
}

/// The same for a network's worth of kiosks (`plaza bench faults`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by `plaza bench faults`"]
async fn a_day_without_the_manager_for_300_kiosks() {
    day_without_the_manager(300).await;
}

async fn day_without_the_manager(kiosks: usize) {
    let failures_before_return = kiosks * 3;
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Villa Esperanza"]).await;
    let proxy = FaultProxy::start(manager.address, 7, 1.0).await;
    proxy.set_down(true);
    let day_start = Timestamp::now() - SignedDuration::from_hours(24);

    let (changes, mut changed) = mpsc::unbounded_channel::<(usize, SyncStatus, Instant)>();
    let (stop, stopped) = watch::channel(false);
    let mut outboxes = Vec::new();
    for index in 0..kiosks {
        let enrolled = manager.enrol_kiosk(CENTRE, &format!("pc-{index:02}")).await;
        let client = ManagerClient::new(&proxy.url, Duration::from_secs(2))
            .expect("client")
            .with_credentials(&Credentials {
                manager_url: proxy.url.clone(),
                kiosk_id: enrolled.kiosk_id,
                token: enrolled.token,
                centre: enrolled.centre,
            });
        let outbox = Outbox::in_memory().expect("outbox");
        let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
        record_a_day(&mut terminal, day_start);
        outboxes.push(outbox.clone());

        let (status, mut watched) = watch::channel(SyncStatus::default());
        tokio::spawn(run_delivery(
            Delivery::new(outbox, client, 100),
            Arc::new(Notify::new()),
            Duration::from_millis(200),
            Backoff::new(Duration::from_millis(50), Duration::from_secs(2)),
            status,
            stopped.clone(),
        ));
        let changes = changes.clone();
        tokio::spawn(async move {
            while watched.changed().await.is_ok() {
                let status = watched.borrow_and_update().clone();
                if changes.send((index, status, Instant::now())).is_err() {
                    return;
                }
            }
        });
    }
    let queued: u64 = outboxes
        .iter()
        .map(|outbox| outbox.len().expect("len"))
        .sum();
    assert_eq!(
        queued,
        (kiosks * (SECTIONS_PER_KIOSK + 2)) as u64,
        "everything queued"
    );

    let outcome = tokio::time::timeout(Duration::from_secs(120), async {
        let mut failures = 0;
        let mut back_at = None;
        let mut reconnected = vec![None; kiosks];
        while let Some((index, status, at)) = changed.recv().await {
            match back_at {
                None => {
                    if status.last_error.is_some() {
                        failures += 1;
                    }
                    if failures >= failures_before_return {
                        proxy.set_down(false);
                        back_at = Some(Instant::now());
                    }
                }
                Some(back) => {
                    if status.online
                        && status.last_error.is_none()
                        && reconnected[index].is_none()
                        && outboxes[index].is_empty().expect("outbox")
                    {
                        reconnected[index] = Some(at.duration_since(back));
                    }
                    if reconnected.iter().all(Option::is_some) {
                        return reconnected.into_iter().flatten().collect::<Vec<_>>();
                    }
                }
            }
        }
        Vec::new()
    })
    .await
    .expect("every kiosk delivered its day within two minutes of the manager's return");
    let _ = stop.send(true);

    assert_eq!(outcome.len(), kiosks);
    assert!(proxy.counts.refused.load(Ordering::Relaxed) >= failures_before_return as u64);
    assert_eq!(
        manager.state.storage.event_count().await.expect("count"),
        queued,
        "every event of the day arrived, none twice"
    );
    print_reconnect_curve(&outcome);
    manager.stop().await;
}

/// How many kiosks had delivered their backlog, by time since the return.
fn print_reconnect_curve(delays: &[Duration]) {
    const BUCKET: Duration = Duration::from_millis(250);
    let mut buckets = std::collections::BTreeMap::<u128, usize>::new();
    for delay in delays {
        *buckets
            .entry(delay.as_millis() / BUCKET.as_millis())
            .or_default() += 1;
    }
    eprintln!("kiosks back in sync, by time after the manager returned:");
    for (bucket, count) in buckets {
        let from = bucket * BUCKET.as_millis();
        eprintln!(
            "  {:>5}–{:<5} ms {} {count}",
            from,
            from + BUCKET.as_millis(),
            "#".repeat(count)
        );
    }
}
