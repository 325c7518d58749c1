//! Benchmark (ignored by default): the floor with 1,000 kiosks in 20
//! centres. The floor page's latency against the login page (the same
//! server, middleware and session-less rendering) measured in the same run,
//! and the live stream's fan-out: 20 open floors, one kiosk changes, how
//! long until each stream shows it (tiles are recomputed once a second per
//! stream, so up to a second of that is the refresh period).
//!
//! cargo test -p plaza-manager --test dashboard floor_bench -- --ignored --nocapture

use std::time::Instant;

use futures_util::future::join_all;
use plaza_api::heartbeat::KioskState;
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use uuid::Uuid;

use crate::bench::{latencies, percentile};
use crate::common::{add_user, heartbeat, send_heartbeat, signed_in};

const KIOSKS: usize = 1000;
const CENTRES: usize = 20;
const REQUESTS: usize = 100;
const STREAMS: usize = 20;
const ROUNDS: usize = 3;

/// Reads `stream` until a `tiles` event shows `kiosk` in `state`.
async fn wait_for(stream: &mut reqwest::Response, buffer: &mut String, kiosk: Uuid, state: &str) {
    let wanted = format!("{{\"id\":\"{kiosk}\",\"state\":\"{state}\"");
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.contains(&wanted) {
                return;
            }
        }
        let chunk = stream.chunk().await.expect("read").expect("stream open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn floor_bench_with_a_thousand_kiosks() {
    let manager = TestManager::start().await;
    for centre in 0..CENTRES {
        manager
            .add_centre(&format!("Centro {centre:02}"), &[])
            .await;
    }
    add_user(&manager, "admin", Role::Admin, &[]).await;
    let mut kiosks = Vec::with_capacity(KIOSKS);
    for chunk in (0..KIOSKS).collect::<Vec<_>>().chunks(50) {
        let enrolled = join_all(chunk.iter().map(|index| {
            let centre = format!("Centro {:02}", index % CENTRES);
            let hostname = format!("pc-{index:04}");
            let manager = &manager;
            async move { manager.enrol_kiosk(&centre, &hostname).await }
        }))
        .await;
        kiosks.extend(
            enrolled
                .into_iter()
                .map(|kiosk| (kiosk.kiosk_id, kiosk.token)),
        );
    }
    let idle = heartbeat(KioskState::Idle);
    for chunk in kiosks.chunks(50) {
        join_all(
            chunk
                .iter()
                .map(|kiosk| send_heartbeat(&manager, kiosk, &idle)),
        )
        .await;
    }
    let admin = signed_in(&manager, "admin").await;
    latencies(&admin, &manager, "/dashboard", REQUESTS).await;
    let mut baseline = latencies(&admin, &manager, "/dashboard/login", REQUESTS).await;
    let mut floor = latencies(&admin, &manager, "/dashboard", REQUESTS).await;

    let mut streams = Vec::with_capacity(STREAMS);
    for _ in 0..STREAMS {
        let stream = admin
            .get(manager.url("/dashboard/floor/events"))
            .send()
            .await
            .expect("stream");
        streams.push((stream, String::new()));
    }
    let watched = kiosks[0].clone();
    let mut fan_out = Vec::with_capacity(STREAMS * ROUNDS);
    for round in 0..ROUNDS {
        let state = if round % 2 == 0 {
            KioskState::Locked
        } else {
            KioskState::Idle
        };
        let label = if round % 2 == 0 { "locked" } else { "free" };
        let changed = Instant::now();
        send_heartbeat(&manager, &watched, &heartbeat(state)).await;
        let seen = join_all(streams.iter_mut().map(|(stream, buffer)| async {
            wait_for(stream, buffer, watched.0, label).await;
            changed.elapsed()
        }))
        .await;
        fan_out.extend(seen);
    }

    let (base50, base99) = (
        percentile(&mut baseline, 0.5),
        percentile(&mut baseline, 0.99),
    );
    let (floor50, floor99) = (percentile(&mut floor, 0.5), percentile(&mut floor, 0.99));
    println!("floor with {KIOSKS} kiosks in {CENTRES} centres, {REQUESTS} requests each:");
    println!("  login page (baseline): p50 {base50:.1?}, p99 {base99:.1?}");
    println!("  floor page:            p50 {floor50:.1?}, p99 {floor99:.1?}");
    println!(
        "  ratio floor / baseline: p50 {:.1}x",
        floor50.as_secs_f64() / base50.as_secs_f64()
    );
    println!(
        "  change seen by {STREAMS} open floors ({ROUNDS} changes): p50 {:.1?}, p99 {:.1?}",
        percentile(&mut fan_out, 0.5),
        percentile(&mut fan_out, 0.99)
    );
}
