//! Memory over a long day at one terminal: thousands of sessions through
//! the headless UI, each typing, browsing and ending with the wipe, the
//! outbox drained as the manager would. A benchmark, not a test:
//!
//! ```sh
//! cargo test --release -p plaza-kiosk --test soak -- --ignored --nocapture
//! ```
//!
//! Resident memory is read from `/proc/self/status` after a warm-up and at
//! the end; see BENCHMARKS.md.

#[path = "ui/harness.rs"]
#[allow(dead_code)]
mod harness;

use harness::Harness;

const WARM_UP: usize = 50;
const SESSIONS: usize = 2_000;

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("proc status")
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// One citizen: start, read the help, a few minutes of use, end.
fn one_session(kiosk: &mut Harness) {
    kiosk.start_session();
    kiosk.click("Ayuda");
    kiosk.click("Volver");
    kiosk.wait(120, true);
    kiosk.click("Terminar sesión");
    let outbox = kiosk.kiosk.terminal().outbox();
    let sent: Vec<_> = outbox
        .next_batch(1000, kiosk.now)
        .expect("outbox")
        .into_iter()
        .map(|event| event.id)
        .collect();
    outbox.acknowledge(&sent).expect("acknowledged");
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn memory_stays_flat_over_a_day_of_sessions() {
    let mut kiosk = Harness::new();
    for _ in 0..WARM_UP {
        one_session(&mut kiosk);
    }
    let warm = resident_kib();
    let started = std::time::Instant::now();
    for _ in 0..SESSIONS {
        one_session(&mut kiosk);
    }
    let end = resident_kib();
    println!(
        "{SESSIONS} sessions after {WARM_UP} to warm up: resident {:.1} MiB -> {:.1} MiB \
         ({:+.1} KiB per session), {:.1} ms per session",
        warm as f64 / 1024.0,
        end as f64 / 1024.0,
        (end as f64 - warm as f64) / SESSIONS as f64,
        started.elapsed().as_secs_f64() * 1000.0 / SESSIONS as f64
    );
}
