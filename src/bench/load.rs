//! A closed-loop load driver: `concurrency` workers each send one request,
//! wait for the answer, and send the next, until the duration is over.
//! Latencies are kept whole and sorted for exact percentiles.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone)]
pub struct LoadReport {
    pub requests: u64,
    pub errors: u64,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs `request(worker, sequence)` in a closed loop on `concurrency` workers
/// for `duration`; a request returns `true` on success.
pub async fn run<F, Fut>(concurrency: usize, duration: Duration, request: F) -> LoadReport
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let request = Arc::clone(&request);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0_u64;
                let mut sequence = 0_u64;
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    if !request(worker, sequence).await {
                        errors += 1;
                    }
                    latencies.push(sent.elapsed());
                    sequence += 1;
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        if let Ok((worker_latencies, worker_errors)) = worker.await {
            latencies.extend(worker_latencies);
            errors += worker_errors;
        }
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let percentile = |share: f64| {
        if latencies.is_empty() {
            return Duration::ZERO;
        }
        let index =
            ((latencies.len() as f64 * share).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index]
    };
    LoadReport {
        requests: latencies.len() as u64,
        errors,
        elapsed,
        p50: percentile(0.50),
        p99: percentile(0.99),
        max: latencies.last().copied().unwrap_or_default(),
    }
}
