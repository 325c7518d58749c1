//! `plaza bench backup`: `plaza-manager backup`'s copy of a large database
//! (1 GiB by default) taken while a fleet heartbeats against the manager in
//! its own process. Reports how long the copy took, and the heartbeats'
//! latency while it ran against their latency before and after it, in the
//! same run and against the same server.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use plaza_api::events::{Event, EventPayload, SectionOpened};
use plaza_api::session::Section;
use plaza_manager::storage::backup::copy_database;
use plaza_manager::storage::events::ValidEvent;
use tokio::time::Instant;
use uuid::Uuid;

use super::enrol::{Kiosk, enrol_fleet};
use super::manager::{heartbeat, millis, succeeded};
use super::process::{ServerKind, ServerProcess};

/// Events per write job while filling: large, the writer groups them anyway.
const FILL_BATCH: usize = 5_000;
const FILL_JOBS_IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, Args)]
pub struct BackupBenchOptions {
    /// The database is filled with usage events to this size (MiB) first.
    #[arg(long, default_value_t = 1024)]
    size_mib: u64,
    /// Kiosks heartbeating throughout.
    #[arg(long, default_value_t = 1_000)]
    kiosks: usize,
    /// Seconds between a kiosk's heartbeats (the manager's default is 10).
    #[arg(long, default_value_t = 10)]
    heartbeat_interval_s: u64,
    /// Heartbeats measured with no backup running, before it and again
    /// after it, e.g. `30s` each.
    #[arg(long, default_value = "30s", value_parser = super::parse_duration)]
    quiet: Duration,
}

/// One heartbeat: when it was sent, how long its answer took, and whether
/// it succeeded.
type Sample = (Instant, Duration, bool);

pub async fn run(options: &BackupBenchOptions) -> anyhow::Result<()> {
    let folder = tempfile::Builder::new()
        .prefix("plaza-bench-backup-")
        .tempdir()?;
    let database = folder.path().join("plaza.sqlite3");
    println!(
        "plaza bench backup: filling a database to {} MiB and enrolling {} kiosks…",
        options.size_mib, options.kiosks
    );
    let kiosks = {
        let settings = plaza_manager::Settings {
            data_dir: folder.path().to_path_buf(),
            ..plaza_manager::Settings::default()
        };
        let state = plaza_manager::AppState::open(settings, plaza_manager::Clock::System)?;
        let kiosks = enrol_fleet(&state, options.kiosks).await?;
        let filling = Instant::now();
        let events = fill(&state, &kiosks, &database, options.size_mib << 20).await?;
        state.storage.close().await;
        println!(
            "  {events} events stored in {:.0} s",
            filling.elapsed().as_secs_f64()
        );
        Arc::new(kiosks)
    };

    let manager = ServerProcess::start(ServerKind::Manager, folder.path(), "full").await?;
    let stop = Arc::new(AtomicBool::new(false));
    let fleet = tokio::spawn(heartbeats(
        manager.url.clone(),
        Arc::clone(&kiosks),
        Duration::from_secs(options.heartbeat_interval_s.max(1)),
        Arc::clone(&stop),
    ));
    tokio::time::sleep(options.quiet).await;
    let copy = folder.path().join("copy.sqlite3");
    let began = Instant::now();
    let copied = {
        let (database, copy) = (database.clone(), copy.clone());
        tokio::task::spawn_blocking(move || copy_database(&database, &copy)).await??
    };
    let ended = Instant::now();
    tokio::time::sleep(options.quiet).await;
    stop.store(true, Ordering::Relaxed);
    let samples = fleet.await?;
    manager.stop().await;

    let (mut during, mut without): (Vec<Sample>, Vec<Sample>) = samples
        .into_iter()
        .partition(|(sent, _, _)| *sent >= began && *sent <= ended);
    let seconds = copied.elapsed.as_secs_f64();
    println!();
    println!(
        "backup: {:.0} MiB in {seconds:.1} s ({:.0} MiB/s), schema version {}",
        copied.bytes as f64 / f64::from(1 << 20),
        copied.bytes as f64 / f64::from(1 << 20) / seconds.max(f64::EPSILON),
        copied.schema_version
    );
    println!();
    println!("| heartbeats | count | errors | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    let without_p99 = summarise("without a backup (before and after)", &mut without);
    let during_p99 = summarise("during the backup", &mut during);
    println!();
    println!(
        "p99 during the backup ÷ p99 without: {:.2}×",
        during_p99 / without_p99.max(0.001)
    );
    Ok(())
}

/// Prints one row; returns its p99 in milliseconds.
fn summarise(name: &str, samples: &mut [Sample]) -> f64 {
    samples.sort_unstable_by_key(|(_, latency, _)| *latency);
    let errors = samples.iter().filter(|(_, _, ok)| !ok).count();
    let at = |share: f64| {
        let index =
            ((samples.len() as f64 * share).ceil() as usize).clamp(1, samples.len().max(1)) - 1;
        samples
            .get(index)
            .map_or(0.0, |(_, latency, _)| millis(*latency))
    };
    let (p50, p99) = (at(0.50), at(0.99));
    println!(
        "| {name} | {} | {errors} | {p50:.2} | {p99:.2} | {:.2} |",
        samples.len(),
        samples
            .last()
            .map_or(0.0, |(_, latency, _)| millis(*latency))
    );
    p99
}

/// Stores batches of usage events through the manager's own ingest until
/// the database (with its WAL) reaches `bytes`; returns how many.
async fn fill(
    state: &plaza_manager::AppState,
    kiosks: &[Kiosk],
    database: &Path,
    bytes: u64,
) -> anyhow::Result<u64> {
    let size = || {
        let wal = database.with_extension("sqlite3-wal");
        [database, wal.as_path()]
            .iter()
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|metadata| metadata.len())
            .sum::<u64>()
    };
    let mut stored = 0_u64;
    let mut round = 0_usize;
    let mut reported = 0;
    while size() < bytes {
        let mut jobs = tokio::task::JoinSet::new();
        for job in 0..FILL_JOBS_IN_FLIGHT {
            let kiosk = kiosks
                .get((round * FILL_JOBS_IN_FLIGHT + job) % kiosks.len().max(1))
                .context("no kiosk to store events for")?
                .id;
            let storage = state.storage.clone();
            let now = state.clock.now();
            jobs.spawn(async move {
                let session_id = Uuid::now_v7();
                let events = (0..FILL_BATCH)
                    .map(|index| ValidEvent {
                        index,
                        event: Event {
                            id: Uuid::now_v7(),
                            at: now,
                            session_id,
                            payload: EventPayload::SectionOpened(SectionOpened {
                                section: Section::Procedures,
                            }),
                        },
                    })
                    .collect();
                storage.ingest_events(kiosk, events, now).await
            });
        }
        while let Some(outcome) = jobs.join_next().await {
            stored += outcome??.accepted.len() as u64;
        }
        round += 1;
        let tenth = size() * 10 / bytes.max(1);
        if tenth > reported {
            reported = tenth;
            println!("  {}0 %", tenth.min(10));
        }
    }
    Ok(stored)
}

/// Every kiosk heartbeats on its own schedule, offset evenly across one
/// interval, until `stop`; returns every heartbeat measured.
async fn heartbeats(
    url: String,
    kiosks: Arc<Vec<Kiosk>>,
    interval: Duration,
    stop: Arc<AtomicBool>,
) -> Vec<Sample> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    let started = Instant::now();
    let count = kiosks.len().max(1) as u32;
    let mut tasks = tokio::task::JoinSet::new();
    for (index, kiosk) in kiosks.iter().enumerate() {
        let (client, kiosk, url, stop) = (client.clone(), kiosk.clone(), url.clone(), stop.clone());
        let mut next = started + interval * u32::try_from(index).unwrap_or(u32::MAX) / count;
        tasks.spawn(async move {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep_until(next).await;
                let sent = Instant::now();
                let request = client
                    .post(format!("{url}/api/v1/kiosks/{}/heartbeat", kiosk.id))
                    .bearer_auth(&kiosk.token)
                    .json(&heartbeat());
                let ok = succeeded(request).await;
                samples.push((sent, sent.elapsed(), ok));
                next += interval;
            }
            samples
        });
    }
    let mut samples = Vec::new();
    while let Some(Ok(kiosk_samples)) = tasks.join_next().await {
        samples.extend(kiosk_samples);
    }
    samples
}
