//! Prometheus metrics, served as text at `/metrics`.

use std::sync::Mutex;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route template (`/api/v1/kiosks/{id}`), never the raw path, so
    /// ids do not explode the number of series.
    pub route: String,
    pub status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AlertLabels {
    pub alert: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: LatencyFamily,
    pub heartbeats: Counter,
    pub events_ingested: Counter,
    pub events_duplicate: Counter,
    pub events_rejected: Counter,
    pub sessions_lost: Counter,
    pub kiosks_online: Gauge,
    pub kiosks_enrolled: Gauge,
    /// Kiosks raising each dashboard alert, recomputed at most every
    /// [`KIOSK_SCAN_EVERY`] when scraped.
    pub kiosk_alerts: Family<AlertLabels, Gauge>,
    /// Scans of every kiosk for the gauges above.
    pub kiosk_scans: Counter,
    /// Durable writes made by `/readyz`.
    pub ready_writes: Counter,
    /// When the kiosk gauges and the readiness write were last done.
    pub(crate) last_kiosk_scan: Mutex<Option<Timestamp>>,
    pub(crate) last_ready_write: Mutex<Option<Timestamp>>,
}

/// The kiosk gauges of `/metrics` are this old at most: a scrape every few
/// seconds (or a flood of them) costs one scan of the kiosks per interval.
pub const KIOSK_SCAN_EVERY: SignedDuration = SignedDuration::from_secs(10);
/// `/readyz` proves a durable write at most this often.
pub const READY_WRITE_EVERY: SignedDuration = SignedDuration::from_secs(1);

/// True, and `last` set to `now`, when `last` is older than `every` (or
/// unset, or in the future after a clock step back).
pub(crate) fn due(last: &Mutex<Option<Timestamp>>, now: Timestamp, every: SignedDuration) -> bool {
    let mut last = last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let due = last.is_none_or(|at| now.duration_since(at) >= every || at > now);
    if due {
        *last = Some(now);
    }
    due
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to ~4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("plaza");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency = LatencyFamily::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        let heartbeats = Counter::default();
        registry.register(
            "heartbeats",
            "Kiosk heartbeats recorded",
            heartbeats.clone(),
        );
        let events_ingested = Counter::default();
        registry.register(
            "events_ingested",
            "Usage events newly stored",
            events_ingested.clone(),
        );
        let events_duplicate = Counter::default();
        registry.register(
            "events_duplicate",
            "Usage events received again and counted once",
            events_duplicate.clone(),
        );
        let events_rejected = Counter::default();
        registry.register(
            "events_rejected",
            "Usage events refused as invalid",
            events_rejected.clone(),
        );
        let sessions_lost = Counter::default();
        registry.register(
            "sessions_lost",
            "Sessions closed because their kiosk went silent",
            sessions_lost.clone(),
        );
        let kiosks_online = Gauge::default();
        registry.register(
            "kiosks_online",
            "Kiosks with a recent heartbeat",
            kiosks_online.clone(),
        );
        let kiosks_enrolled = Gauge::default();
        registry.register(
            "kiosks_enrolled",
            "Kiosks enrolled and not revoked",
            kiosks_enrolled.clone(),
        );
        let kiosk_alerts = Family::<AlertLabels, Gauge>::default();
        registry.register(
            "kiosk_alerts",
            "Kiosks raising each alert (offline > 5 min, low disk, outbox backlog, repeated crashes)",
            kiosk_alerts.clone(),
        );
        let kiosk_scans = Counter::default();
        registry.register(
            "kiosk_scans",
            "Scans of every kiosk for the kiosk gauges (at most one per 10 s)",
            kiosk_scans.clone(),
        );
        let ready_writes = Counter::default();
        registry.register(
            "ready_writes",
            "Durable test writes by /readyz (at most one per second)",
            ready_writes.clone(),
        );
        Self {
            registry,
            kiosk_scans,
            ready_writes,
            last_kiosk_scan: Mutex::new(None),
            last_ready_write: Mutex::new(None),
            requests,
            latency,
            heartbeats,
            events_ingested,
            events_duplicate,
            events_rejected,
            sessions_lost,
            kiosks_online,
            kiosks_enrolled,
            kiosk_alerts,
        }
    }
}

impl Metrics {
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
