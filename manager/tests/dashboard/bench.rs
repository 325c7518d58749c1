//! What the benchmarks share: percentiles and a sequential latency sample.

use std::time::{Duration, Instant};

use plaza_manager::testing::TestManager;
use reqwest::{Client, StatusCode};

pub fn percentile(samples: &mut [Duration], share: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 * share).ceil() as usize).clamp(1, samples.len()) - 1;
    samples[index]
}

/// `count` GETs of `path` one after the other, each read to its end.
pub async fn latencies(
    client: &Client,
    manager: &TestManager,
    path: &str,
    count: usize,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let response = client.get(manager.url(path)).send().await.expect("get");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.bytes().await.expect("body");
        samples.push(started.elapsed());
    }
    samples
}

/// One line of a latency table: p50 and p99, and p50 as a ratio of the
/// baseline's.
pub fn report(label: &str, samples: &mut [Duration], baseline_p50: Duration) {
    let (p50, p99) = (percentile(samples, 0.5), percentile(samples, 0.99));
    println!(
        "  {label:<40} p50 {p50:>9.2?}  p99 {p99:>9.2?}  p50 ratio {:.1}x",
        p50.as_secs_f64() / baseline_p50.as_secs_f64()
    );
}
