//! Counters the simulated kiosks update, and the progress line printed
//! while a simulation runs.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub struct Progress {
    requests: AtomicU64,
    errors: AtomicU64,
    sessions: AtomicU64,
    events: AtomicU64,
    delivered: AtomicU64,
    duplicates: AtomicU64,
    outboxes: Vec<AtomicU64>,
    /// Latencies since the last line printed.
    window: Mutex<Vec<Duration>>,
}

/// A snapshot for printing.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub requests: u64,
    pub errors: u64,
    pub sessions: u64,
    pub events: u64,
    pub delivered: u64,
    pub duplicates: u64,
    pub outbox: u64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Progress {
    pub fn new(kiosks: usize) -> Self {
        Self {
            requests: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            sessions: AtomicU64::new(0),
            events: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            outboxes: (0..kiosks).map(|_| AtomicU64::new(0)).collect(),
            window: Mutex::new(Vec::new()),
        }
    }

    pub fn request(&self, latency: Duration, ok: bool) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        if let Ok(mut window) = self.window.lock() {
            window.push(latency);
        }
    }

    pub fn session(&self) {
        self.sessions.fetch_add(1, Ordering::Relaxed);
    }

    pub fn event(&self) {
        self.events.fetch_add(1, Ordering::Relaxed);
    }

    pub fn delivered(&self, delivered: usize, duplicates: u32) {
        self.delivered
            .fetch_add(delivered as u64, Ordering::Relaxed);
        self.duplicates
            .fetch_add(u64::from(duplicates), Ordering::Relaxed);
    }

    pub fn outbox(&self, kiosk: usize, length: u64) {
        if let Some(slot) = self.outboxes.get(kiosk) {
            slot.store(length, Ordering::Relaxed);
        }
    }

    /// The counters now, and the latency percentiles since the last call.
    pub fn take(&self) -> Totals {
        let mut window = self
            .window
            .lock()
            .map(|mut window| std::mem::take(&mut *window))
            .unwrap_or_default();
        window.sort_unstable();
        let percentile = |share: f64| {
            if window.is_empty() {
                return Duration::ZERO;
            }
            let index = ((window.len() as f64 * share).ceil() as usize).clamp(1, window.len()) - 1;
            window[index]
        };
        Totals {
            requests: self.requests.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            sessions: self.sessions.load(Ordering::Relaxed),
            events: self.events.load(Ordering::Relaxed),
            delivered: self.delivered.load(Ordering::Relaxed),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            outbox: self
                .outboxes
                .iter()
                .map(|slot| slot.load(Ordering::Relaxed))
                .sum(),
            p50: percentile(0.5),
            p99: percentile(0.99),
        }
    }
}
