//! `plaza bench manager`: heartbeats/s and events/s (batches of 100) against
//! a real manager on loopback, each next to the same load against the
//! baseline endpoint.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use jiff::Timestamp;
use plaza_api::events::{Event, EventPayload, SectionOpened};
use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState};
use plaza_api::session::Section;
use plaza_manager::Clock;
use plaza_manager::config::Settings;
use plaza_manager::server::{AppState, serve};
use uuid::Uuid;

use super::enrol::{Kiosk, enrol_fleet};
use super::load::{self, LoadReport};
use super::{BenchOptions, baseline};

const EVENTS_PER_BATCH: usize = 100;

pub async fn run(options: &BenchOptions) -> anyhow::Result<()> {
    let folder = tempfile::Builder::new().prefix("plaza-bench-").tempdir()?;
    let (url, kiosks) = start_manager(folder.path(), options.kiosks).await?;
    let baseline = start_on_own_runtime(baseline::start())?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let kiosks = Arc::new(kiosks);
    let duration = options.duration;
    let concurrency = options.concurrency;

    println!(
        "plaza bench manager: {} kiosks, {concurrency} concurrent clients, {}s per run, synchronous=full",
        kiosks.len(),
        duration.as_secs()
    );

    let heartbeat_url = url.clone();
    let heartbeats = {
        let (client, kiosks) = (client.clone(), Arc::clone(&kiosks));
        load::run(concurrency, duration, move |worker, sequence| {
            let kiosk = &kiosks[(worker + sequence as usize * concurrency) % kiosks.len()];
            let request = client
                .post(format!(
                    "{heartbeat_url}/api/v1/kiosks/{}/heartbeat",
                    kiosk.id
                ))
                .bearer_auth(&kiosk.token)
                .json(&heartbeat());
            async move { succeeded(request).await }
        })
        .await
    };
    let heartbeat_baseline = {
        let (client, target) = (client.clone(), baseline.clone());
        load::run(concurrency, duration, move |_, _| {
            let request = client.post(&target).json(&heartbeat());
            async move { succeeded(request).await }
        })
        .await
    };

    let events_url = url.clone();
    let events = {
        let (client, kiosks) = (client.clone(), Arc::clone(&kiosks));
        let sessions: Arc<Vec<Uuid>> = Arc::new((0..concurrency).map(|_| Uuid::now_v7()).collect());
        load::run(concurrency, duration, move |worker, _| {
            let kiosk = &kiosks[worker % kiosks.len()];
            let request = client
                .post(format!("{events_url}/api/v1/events"))
                .bearer_auth(&kiosk.token)
                .json(&serde_json::json!({ "events": batch(sessions[worker], EVENTS_PER_BATCH) }));
            async move { succeeded(request).await }
        })
        .await
    };
    let events_baseline = {
        let (client, target) = (client.clone(), baseline.clone());
        let session = Uuid::now_v7();
        load::run(concurrency, duration, move |_, _| {
            let request = client
                .post(&target)
                .json(&serde_json::json!({ "events": batch(session, EVENTS_PER_BATCH) }));
            async move { succeeded(request).await }
        })
        .await
    };

    println!();
    println!(
        "| load | target | req/s | events/s | p50 ms | p99 ms | max ms | errors | manager ÷ baseline (req/s) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    row("heartbeats", "baseline", &heartbeat_baseline, 0, None);
    row(
        "heartbeats",
        "manager",
        &heartbeats,
        0,
        Some(&heartbeat_baseline),
    );
    row(
        "events ×100",
        "baseline",
        &events_baseline,
        EVENTS_PER_BATCH,
        None,
    );
    row(
        "events ×100",
        "manager",
        &events,
        EVENTS_PER_BATCH,
        Some(&events_baseline),
    );
    Ok(())
}

fn row(
    load: &str,
    target: &str,
    report: &LoadReport,
    per_request: usize,
    baseline: Option<&LoadReport>,
) {
    let events = if per_request == 0 {
        "–".to_owned()
    } else {
        format!("{:.0}", report.per_second() * per_request as f64)
    };
    let ratio = baseline.map_or_else(
        || "1.00".to_owned(),
        |baseline| format!("{:.2}", report.per_second() / baseline.per_second()),
    );
    println!(
        "| {load} | {target} | {:.0} | {events} | {:.2} | {:.2} | {:.2} | {} | {ratio} |",
        report.per_second(),
        millis(report.p50),
        millis(report.p99),
        millis(report.max),
        report.errors,
    );
}

pub(super) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

pub(super) async fn succeeded(request: reqwest::RequestBuilder) -> bool {
    match request.send().await {
        Ok(response) => {
            let ok = response.status().is_success();
            // Read the body so the connection goes back to the pool.
            ok && response.bytes().await.is_ok()
        }
        Err(_) => false,
    }
}

pub(super) fn heartbeat() -> HeartbeatRequest {
    HeartbeatRequest {
        sent_at: Timestamp::now(),
        state: KioskState::Idle,
        app_version: "bench".to_owned(),
        health: Health {
            uptime_s: 600,
            cpu_percent: 7.5,
            memory_used_bytes: 900 << 20,
            memory_total_bytes: 4 << 30,
            disk_free_bytes: 40 << 30,
            disk_total_bytes: 120 << 30,
        },
        outbox_len: 0,
        last_error: None,
        session: None,
        acked_commands: Vec::new(),
        content_version: Some(0),
    }
}

pub(super) fn batch(session_id: Uuid, size: usize) -> Vec<Event> {
    let at = Timestamp::now();
    (0..size)
        .map(|_| Event {
            id: Uuid::now_v7(),
            at,
            session_id,
            payload: EventPayload::SectionOpened(SectionOpened {
                section: Section::Procedures,
            }),
        })
        .collect()
}

/// Starts the manager on its own runtime and thread, as a separate service
/// would be, and enrols `count` kiosks.
async fn start_manager(
    data_dir: &std::path::Path,
    count: usize,
) -> anyhow::Result<(String, Vec<Kiosk>)> {
    let settings = Settings {
        data_dir: data_dir.to_path_buf(),
        ..Settings::default()
    };
    let state = AppState::open(settings, Clock::System)?;
    let kiosks = enrol_fleet(&state, count).await?;
    let url = start_on_own_runtime(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        tokio::spawn(serve(state, listener, std::future::pending()));
        Ok::<_, std::io::Error>(format!("http://{address}"))
    })?;
    Ok((url, kiosks))
}

/// Runs a server-starting future on a runtime of its own in a new thread and
/// returns what it yields; the runtime lives until the process ends.
pub(super) fn start_on_own_runtime<F>(start: F) -> anyhow::Result<String>
where
    F: std::future::Future<Output = std::io::Result<String>> + Send + 'static,
{
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bench-server".to_owned())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = sender.send(Err(error));
                    return;
                }
            };
            runtime.block_on(async move {
                let _ = sender.send(start.await);
                std::future::pending::<()>().await;
            });
        })?;
    receiver
        .recv()
        .context("server thread ended before starting")?
        .context("starting server")
}
