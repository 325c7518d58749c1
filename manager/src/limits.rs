//! Throttling that no one can turn into a lock-out of somebody else.
//!
//! Citizen PIN attempts and enrolment codes go through `governor`'s keyed
//! GCRA limiters (one cell per attempt, refilled steadily; no timers, no
//! per-key tasks), per kiosk or client address and overall. Staff logins
//! back off per client address: free failures first, then a delay that
//! doubles with each further failure up to a ceiling, cleared by a success
//! from that address. Nothing here is stored, so a restart forgets it; the
//! per-account PIN lock in the database stays as the durable part.
//!
//! The limiters read the manager's [`Clock`], so tests advance time instead
//! of sleeping.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use jiff::{SignedDuration, Timestamp};

use crate::clock::Clock;
use crate::config::{DashboardSettings, LimitSettings};
use crate::participation::error::Refusal;

/// The manager's clock as `governor` sees it: nanoseconds since the epoch.
#[derive(Debug, Clone)]
pub struct LimiterClock(Clock);

impl governor::clock::Clock for LimiterClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let nanos = self.0.now().as_nanosecond().max(0);
        Nanos::from(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

type Keyed<K> = RateLimiter<K, DashMapStateStore<K>, LimiterClock, NoOpMiddleware<Nanos>>;

fn keyed<K: Hash + Eq + Clone>(per_minute: u32, clock: &Clock) -> Keyed<K> {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    RateLimiter::dashmap_with_clock(Quota::per_minute(per_minute), LimiterClock(clock.clone()))
}

/// Whole seconds to wait, at least one (what `Retry-After` carries).
fn wait_s(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

fn enrolment_refusal(wait: Duration) -> Refusal {
    Refusal::retry_after(
        "too_many_enrolment_attempts",
        "Too many enrolment codes tried; wait a moment.",
        wait_s(wait),
    )
}

/// The client's address as the listener saw it. Behind a reverse proxy this
/// is the proxy's; tests that drive the router without a listener get the
/// unspecified address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()),
        ))
    }
}

#[derive(Debug, Clone, Copy)]
struct Backoff {
    failures: u32,
    blocked_until: Option<Timestamp>,
}

/// Every limiter of the manager; one per process, in `AppState`.
pub struct Limits {
    clock: Clock,
    pin_per_kiosk: Keyed<uuid::Uuid>,
    pin_overall: Keyed<()>,
    enrol_per_address: Keyed<IpAddr>,
    enrol_overall: Keyed<()>,
    /// Until when an address (or, under `None`, everyone) may try no code.
    enrol_blocked: Mutex<HashMap<Option<IpAddr>, Timestamp>>,
    staff: Mutex<HashMap<IpAddr, Backoff>>,
    staff_free_failures: u32,
    staff_longest_wait: SignedDuration,
    floor_streams: Arc<Mutex<HashMap<[u8; 32], u32>>>,
    floor_streams_per_session: u32,
}

/// One open floor stream of a browser session; dropping it frees the slot.
#[derive(Debug)]
pub struct StreamSlot {
    table: Arc<Mutex<HashMap<[u8; 32], u32>>>,
    session: [u8; 32],
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut table = lock(&self.table);
        if let Some(open) = table.get_mut(&self.session) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                table.remove(&self.session);
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned table only lost one update of a counter; keep using it.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").finish_non_exhaustive()
    }
}

impl Limits {
    pub fn new(limits: &LimitSettings, dashboard: &DashboardSettings, clock: &Clock) -> Self {
        Self {
            clock: clock.clone(),
            pin_per_kiosk: keyed(limits.pin_attempts_per_kiosk_per_minute, clock),
            pin_overall: keyed(limits.pin_attempts_per_minute, clock),
            enrol_per_address: keyed(limits.enrolment_attempts_per_address_per_minute, clock),
            enrol_overall: keyed(limits.enrolment_attempts_per_minute, clock),
            enrol_blocked: Mutex::new(HashMap::new()),
            staff: Mutex::new(HashMap::new()),
            staff_free_failures: dashboard.login_max_failures,
            staff_longest_wait: SignedDuration::from_secs(i64::from(
                dashboard.login_lockout_s.max(1),
            )),
            floor_streams: Arc::default(),
            floor_streams_per_session: limits.floor_streams_per_session,
        }
    }

    fn check<K: Hash + Eq + Clone>(&self, limiter: &Keyed<K>, key: &K) -> Result<(), Duration> {
        limiter.check_key(key).map_err(|not_until| {
            not_until.wait_time_from(governor::clock::Clock::now(&LimiterClock(
                self.clock.clone(),
            )))
        })
    }

    /// One citizen PIN attempt at `kiosk` (log-in or change of PIN), counted
    /// before the PIN is checked, whatever the alias.
    pub fn pin_attempt(&self, kiosk: uuid::Uuid) -> Result<(), Refusal> {
        self.check(&self.pin_per_kiosk, &kiosk)
            .and_then(|()| self.check(&self.pin_overall, &()))
            .map_err(|wait| {
                Refusal::retry_after(
                    "too_many_pin_attempts",
                    "Too many PIN attempts here; wait a moment.",
                    wait_s(wait),
                )
            })
    }

    /// Whether `address` may try an enrolment code now. Only refused codes
    /// are counted (see [`Self::enrolment_refused`]): an installer enrolling
    /// a room of kiosks from one address is never slowed down, a guesser is.
    pub fn enrolment_attempt(&self, address: IpAddr) -> Result<(), Refusal> {
        let now = self.clock.now();
        let mut blocked = lock(&self.enrol_blocked);
        blocked.retain(|_, until| *until > now);
        let wait = [Some(address), None]
            .iter()
            .filter_map(|key| blocked.get(key))
            .max()
            .map(|until| until.duration_since(now).unsigned_abs());
        match wait {
            Some(wait) => Err(enrolment_refusal(wait)),
            None => Ok(()),
        }
    }

    /// A code from `address` was unknown, used or expired: it costs a cell,
    /// and once the cells run out the address (or everyone, for the overall
    /// limit) waits until one refills. The answer is then 429 rather than
    /// the code's refusal.
    pub fn enrolment_refused(&self, address: IpAddr) -> Result<(), Refusal> {
        let outcome = self
            .check(&self.enrol_per_address, &address)
            .map_err(|wait| (Some(address), wait))
            .and_then(|()| {
                self.check(&self.enrol_overall, &())
                    .map_err(|wait| (None, wait))
            });
        match outcome {
            Ok(()) => Ok(()),
            Err((key, wait)) => {
                let until = self
                    .clock
                    .now()
                    .checked_add(SignedDuration::try_from(wait).unwrap_or(SignedDuration::MAX))
                    .unwrap_or(Timestamp::MAX);
                lock(&self.enrol_blocked).insert(key, until);
                Err(enrolment_refusal(wait))
            }
        }
    }

    fn staff_table(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Backoff>> {
        lock(&self.staff)
    }

    /// A slot for one more floor stream of the browser session `session`,
    /// or `None` when it already has as many open as allowed.
    pub fn floor_stream(&self, session: [u8; 32]) -> Option<StreamSlot> {
        let mut table = lock(&self.floor_streams);
        let open = table.entry(session).or_insert(0);
        if *open >= self.floor_streams_per_session {
            return None;
        }
        *open += 1;
        Some(StreamSlot {
            table: Arc::clone(&self.floor_streams),
            session,
        })
    }

    /// Seconds `address` must still wait before its next staff login, if any.
    pub fn staff_wait(&self, address: IpAddr) -> Option<u64> {
        let now = self.clock.now();
        let until = self.staff_table().get(&address)?.blocked_until?;
        (until > now)
            .then(|| u64::try_from(until.duration_since(now).as_secs().max(1)).unwrap_or(1))
    }

    /// A wrong staff password from `address`: after the free failures, each
    /// one doubles the wait (1 s, 2 s, 4 s, …) up to the longest wait.
    /// Returns the wait now imposed, in seconds, if any.
    pub fn staff_failed(&self, address: IpAddr) -> Option<u64> {
        let now = self.clock.now();
        let mut table = self.staff_table();
        // The table holds only addresses that failed; forget the settled ones.
        if table.len() > 10_000 {
            table.retain(|_, backoff| backoff.blocked_until.is_some_and(|until| until > now));
        }
        let backoff = table.entry(address).or_insert(Backoff {
            failures: 0,
            blocked_until: None,
        });
        backoff.failures = backoff.failures.saturating_add(1);
        let over = backoff
            .failures
            .checked_sub(self.staff_free_failures)
            .filter(|over| *over > 0)?;
        let wait =
            SignedDuration::from_secs(1_i64 << (over - 1).min(40)).min(self.staff_longest_wait);
        backoff.blocked_until = Some(now + wait);
        u64::try_from(wait.as_secs()).ok()
    }

    /// A successful staff login from `address` clears its backoff.
    pub fn staff_succeeded(&self, address: IpAddr) {
        self.staff_table().remove(&address);
    }
}
