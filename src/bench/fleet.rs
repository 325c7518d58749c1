//! `plaza bench fleet`: a whole network's worth of kiosks against a manager
//! in its own process, each kiosk on its own schedule (open loop: a slow
//! answer does not slow the fleet down), then the same schedule against the
//! baseline process. Reports rates, latencies, errors, and each server's
//! CPU time and peak memory.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use tokio::time::Instant;
use uuid::Uuid;

use super::enrol::{Kiosk, enrol_fleet};
use super::manager::{batch, heartbeat, millis, succeeded};
use super::process::{ServerKind, ServerProcess};

#[derive(Debug, Clone, Args)]
pub struct FleetOptions {
    /// Kiosks in the fleet.
    #[arg(long, default_value_t = 10_000)]
    kiosks: usize,
    /// How long each of the two runs lasts, e.g. `60s`.
    #[arg(long, default_value = "60s", value_parser = super::parse_duration)]
    duration: Duration,
    /// Seconds between a kiosk's heartbeats (the manager's default is 10).
    #[arg(long, default_value_t = 10)]
    heartbeat_interval_s: u64,
    /// A kiosk delivers a batch of events every this many heartbeats.
    #[arg(long, default_value_t = 3)]
    events_every: u64,
    /// Events per delivered batch.
    #[arg(long, default_value_t = 10)]
    batch_size: usize,
    /// The manager's `storage.synchronous`: `full` (its default: an
    /// acknowledged event survives a power cut) or `normal` (survives a
    /// crash of the manager, not of the machine).
    #[arg(long, default_value = "full")]
    synchronous: String,
}

/// What one run measured.
struct FleetReport {
    heartbeats: u64,
    events: u64,
    errors: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
    cpu: Duration,
    peak_rss_bytes: u64,
}

impl FleetReport {
    fn percentile(&self, share: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() as f64 * share).ceil() as usize)
            .clamp(1, self.latencies.len())
            - 1;
        self.latencies[index]
    }

    fn cpu_share(&self) -> f64 {
        self.cpu.as_secs_f64() / self.elapsed.as_secs_f64()
    }
}

pub async fn run(options: &FleetOptions) -> anyhow::Result<()> {
    let folder = tempfile::Builder::new().prefix("plaza-fleet-").tempdir()?;
    println!(
        "plaza bench fleet: enrolling {} kiosks (heartbeat every {} s, {} events every {} heartbeats)…",
        options.kiosks, options.heartbeat_interval_s, options.batch_size, options.events_every
    );
    let kiosks = {
        let settings = plaza_manager::Settings {
            data_dir: folder.path().to_path_buf(),
            ..plaza_manager::Settings::default()
        };
        let state = plaza_manager::AppState::open(settings, plaza_manager::Clock::System)?;
        let kiosks = enrol_fleet(&state, options.kiosks).await?;
        state.storage.close().await;
        Arc::new(kiosks)
    };

    let manager =
        ServerProcess::start(ServerKind::Manager, folder.path(), &options.synchronous).await?;
    let on_manager = drive(&manager, &kiosks, options).await?;
    manager.stop().await;
    let baseline =
        ServerProcess::start(ServerKind::Baseline, folder.path(), &options.synchronous).await?;
    let on_baseline = drive(&baseline, &kiosks, options).await?;
    baseline.stop().await;

    println!();
    println!(
        "| target | heartbeats/s | events/s | p50 ms | p99 ms | max ms | errors | CPU (share of one core) | peak RSS MiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, report) in [("baseline", &on_baseline), ("manager", &on_manager)] {
        let seconds = report.elapsed.as_secs_f64();
        println!(
            "| {name} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {:.0} % | {:.1} |",
            report.heartbeats as f64 / seconds,
            report.events as f64 / seconds,
            millis(report.percentile(0.50)),
            millis(report.percentile(0.99)),
            millis(report.latencies.last().copied().unwrap_or_default()),
            report.errors,
            report.cpu_share() * 100.0,
            report.peak_rss_bytes as f64 / f64::from(1 << 20),
        );
    }
    println!();
    println!(
        "manager ÷ baseline: CPU {:.2}×, p99 latency {:.2}×",
        on_manager.cpu_share() / on_baseline.cpu_share().max(f64::EPSILON),
        millis(on_manager.percentile(0.99)) / millis(on_baseline.percentile(0.99)).max(0.001),
    );
    Ok(())
}

/// Every kiosk heartbeats on its own schedule, offset evenly across one
/// interval, and delivers a batch every `events_every` heartbeats.
async fn drive(
    server: &ServerProcess,
    kiosks: &Arc<Vec<Kiosk>>,
    options: &FleetOptions,
) -> anyhow::Result<FleetReport> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let interval = Duration::from_secs(options.heartbeat_interval_s.max(1));
    let started = Instant::now();
    let deadline = started + options.duration;
    let cpu_before = server.cpu_time()?;
    let count = kiosks.len().max(1) as u32;
    let mut tasks = tokio::task::JoinSet::new();
    for (index, kiosk) in kiosks.iter().enumerate() {
        let (client, kiosk, url) = (client.clone(), kiosk.clone(), server.url.clone());
        let first = started + interval * u32::try_from(index).unwrap_or(u32::MAX) / count;
        let (events_every, batch_size) = (options.events_every.max(1), options.batch_size);
        tasks.spawn(async move {
            let session = Uuid::now_v7();
            let mut totals = (0_u64, 0_u64, 0_u64, Vec::new());
            let mut next = first;
            let mut beat = 0_u64;
            while next < deadline {
                tokio::time::sleep_until(next).await;
                let sent = Instant::now();
                let request = client
                    .post(format!("{url}/api/v1/kiosks/{}/heartbeat", kiosk.id))
                    .bearer_auth(&kiosk.token)
                    .json(&heartbeat());
                if succeeded(request).await {
                    totals.0 += 1;
                } else {
                    totals.2 += 1;
                }
                totals.3.push(sent.elapsed());
                beat += 1;
                // Spread deliveries so a third of the fleet delivers each round.
                if (beat + index as u64).is_multiple_of(events_every) {
                    let sent = Instant::now();
                    let request = client
                        .post(format!("{url}/api/v1/events"))
                        .bearer_auth(&kiosk.token)
                        .json(&serde_json::json!({ "events": batch(session, batch_size) }));
                    if succeeded(request).await {
                        totals.1 += batch_size as u64;
                    } else {
                        totals.2 += 1;
                    }
                    totals.3.push(sent.elapsed());
                }
                next += interval;
            }
            totals
        });
    }
    let mut report = FleetReport {
        heartbeats: 0,
        events: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
        cpu: Duration::ZERO,
        peak_rss_bytes: 0,
    };
    while let Some(totals) = tasks.join_next().await {
        let (heartbeats, events, errors, latencies) = totals?;
        report.heartbeats += heartbeats;
        report.events += events;
        report.errors += errors;
        report.latencies.extend(latencies);
    }
    report.elapsed = started.elapsed();
    report.cpu = server.cpu_time()?.saturating_sub(cpu_before);
    report.peak_rss_bytes = server.peak_rss_bytes()?;
    report.latencies.sort_unstable();
    Ok(report)
}
