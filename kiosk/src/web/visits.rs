//! Visits by purpose: the host of the page in front is classified at once
//! (`plaza_api::web::purpose_of`) and dropped; consecutive pages of one
//! purpose are one visit. What leaves is `(purpose, seconds)`.

use jiff::Timestamp;
use plaza_api::web::{Purpose, PurposeRule, purpose_of};

/// One visit, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub purpose: Purpose,
    pub seconds: u32,
}

#[derive(Debug, Clone)]
pub struct Visits {
    rules: Vec<PurposeRule>,
    current: Option<(Purpose, Timestamp)>,
}

impl Visits {
    pub fn new(rules: Vec<PurposeRule>) -> Self {
        Self {
            rules,
            current: None,
        }
    }

    fn close(&mut self, now: Timestamp) -> Option<Visit> {
        let (purpose, since) = self.current.take()?;
        let seconds = now.duration_since(since).as_secs().max(0);
        Some(Visit {
            purpose,
            seconds: u32::try_from(seconds).unwrap_or(u32::MAX),
        })
    }

    /// The page in front is on `host` (none: no web page) at `now`; returns
    /// the visit that ended, if the purpose changed.
    pub fn observe(&mut self, host: Option<&str>, now: Timestamp) -> Option<Visit> {
        let purpose = host.map(|host| purpose_of(host, &self.rules));
        match (self.current, purpose) {
            (Some((current, _)), Some(purpose)) if current == purpose => None,
            (_, None) => self.close(now),
            (_, Some(purpose)) => {
                let ended = self.close(now);
                self.current = Some((purpose, now));
                ended
            }
        }
    }

    /// The session ends: the visit in progress, if any.
    pub fn finish(&mut self, now: Timestamp) -> Option<Visit> {
        self.close(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_one_purpose_are_one_visit_with_its_seconds() {
        let mut visits = Visits::new(vec![PurposeRule {
            suffix: "gob.ar".to_owned(),
            purpose: Purpose::Government,
        }]);
        let start = Timestamp::from_second(1_000).expect("time");
        let at = |seconds: i64| start + jiff::SignedDuration::from_secs(seconds);
        assert_eq!(visits.observe(Some("www.anses.gob.ar"), at(0)), None);
        assert_eq!(visits.observe(Some("www.afip.gob.ar"), at(30)), None);
        assert_eq!(
            visits.observe(Some("example.org"), at(90)),
            Some(Visit {
                purpose: Purpose::Government,
                seconds: 90
            })
        );
        assert_eq!(
            visits.finish(at(100)),
            Some(Visit {
                purpose: Purpose::Other,
                seconds: 10
            })
        );
        assert_eq!(visits.finish(at(200)), None);
    }
}
