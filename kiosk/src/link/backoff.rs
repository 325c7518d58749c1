//! Exponential backoff with jitter for retrying the manager.

use std::time::Duration;

/// Delay before the next retry: doubles from `base` up to `max`, and a random
/// share of it is taken away so a fleet coming back online does not retry in
/// lockstep ("equal jitter": between half and all of the step).
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Self {
            base,
            max: max.max(base),
            failures: 0,
        }
    }

    /// Records a failure and returns how long to wait. `jitter` is a number in
    /// `0.0..=1.0` (random in production, fixed in tests).
    pub fn failed(&mut self, jitter: f64) -> Duration {
        let step = self
            .base
            .saturating_mul(2u32.saturating_pow(self.failures.min(20)))
            .min(self.max);
        self.failures = self.failures.saturating_add(1);
        let jitter = jitter.clamp(0.0, 1.0);
        step.mul_f64(0.5) + step.mul_f64(0.5 * jitter)
    }

    pub fn succeeded(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_reset_on_success() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let full: Vec<u64> = (0..8).map(|_| backoff.failed(1.0).as_secs()).collect();
        assert_eq!(full, [1, 2, 4, 8, 16, 32, 60, 60]);
        backoff.succeeded();
        assert_eq!(backoff.failed(0.0), Duration::from_millis(500));
        assert_eq!(backoff.failed(0.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_step() {
        let mut backoff = Backoff::new(Duration::from_secs(4), Duration::from_secs(60));
        let delay = backoff.failed(0.5);
        assert_eq!(delay, Duration::from_secs(3));
    }
}
