//! `config/kiosk.toml`: the kiosk's settings, every key documented there.
//!
//! A config problem never stops a kiosk from booting: unknown keys are
//! warned about, and a file that does not parse falls back to the defaults,
//! each with a diagnostic shown in the maintenance menu.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::session::SessionRules;

/// The PIN `config/kiosk.toml` ships with. A kiosk still using it says so in
/// its diagnostics: every deployment must set its own.
pub const DEFAULT_PIN: &str = "2468";
pub const DEFAULT_PIN_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$rvgudxM+peA8qs7U6UUNCQ$ry6L4MiROyXfAB7jrddMlvQEA1GqkpQbYbFAGyoCusU";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskConfig {
    /// Base URL of the manager, e.g. `https://plaza.example.org`.
    pub manager_url: String,
    /// Where the credentials, outbox and cached profile live.
    pub data_dir: PathBuf,
    /// Full screen without decorations; `false` only for demos and development.
    pub fullscreen: bool,
    /// Argon2 PHC string of the supervisor PIN (`plaza-kiosk hash-pin`).
    pub supervisor_pin_hash: String,
    /// Seconds without input before "Are you still there?".
    pub idle_after_s: u32,
    /// Seconds "Are you still there?" waits (WCAG 2.2.1: at least 20).
    pub idle_grace_s: u32,
    /// Used until the manager's profile arrives (first start offline).
    pub fallback_allotment_s: u32,
    pub fallback_extension_s: u32,
    /// Seconds before a call to the manager is given up.
    pub request_timeout_s: u32,
    /// Events per delivery batch (the manager takes at most 1000).
    pub delivery_batch: u32,
    /// First retry delay after a failed delivery, doubling up to the maximum.
    pub retry_base_ms: u32,
    pub retry_max_s: u32,
    /// How often the outbox is checked even without new events.
    pub delivery_interval_s: u32,
    /// IANA time zone of the centre (`America/Argentina/Catamarca`) for
    /// offices' hours "today" and "open now"; empty: the system's.
    pub time_zone: String,
    /// `[input]`: how citizens type. A table, so it comes last in the file.
    pub input: InputConfig,
}

/// `[input]` in `kiosk.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InputConfig {
    /// Show a large on-screen keyboard wherever the citizen writes (sign up,
    /// posts): for touch-only terminals without a physical keyboard.
    pub on_screen_keyboard: bool,
}

impl Default for KioskConfig {
    fn default() -> Self {
        Self {
            manager_url: "http://127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("/var/lib/plaza-kiosk"),
            fullscreen: true,
            supervisor_pin_hash: DEFAULT_PIN_HASH.to_owned(),
            idle_after_s: 120,
            idle_grace_s: 30,
            fallback_allotment_s: 1800,
            fallback_extension_s: 900,
            request_timeout_s: 10,
            delivery_batch: 200,
            retry_base_ms: 1000,
            retry_max_s: 300,
            delivery_interval_s: 30,
            time_zone: String::new(),
            input: InputConfig::default(),
        }
    }
}

/// A config read with its problems, never a failure.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: KioskConfig,
    pub problems: Vec<String>,
}

impl KioskConfig {
    /// Reads `path`; a missing file means the defaults.
    pub fn load(path: &Path) -> LoadedConfig {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => LoadedConfig {
                config: Self::default(),
                problems: Vec::new(),
            },
            Err(error) => LoadedConfig {
                config: Self::default(),
                problems: vec![format!(
                    "cannot read {}: {error}; using defaults",
                    path.display()
                )],
            },
        }
    }

    pub fn parse(text: &str) -> LoadedConfig {
        let mut problems = Vec::new();
        let mut table = match text.parse::<toml::Table>() {
            Ok(table) => table,
            Err(error) => {
                return LoadedConfig {
                    config: Self::default(),
                    problems: vec![format!(
                        "kiosk.toml does not parse: {error}; using defaults"
                    )],
                };
            }
        };
        let known = toml::Table::try_from(Self::default()).unwrap_or_default();
        table.retain(|key, _| {
            let is_known = known.contains_key(key);
            if !is_known {
                problems.push(format!("unknown key `{key}` in kiosk.toml ignored"));
            }
            is_known
        });
        let config = match toml::Value::Table(table).try_into::<Self>() {
            Ok(config) => config,
            Err(error) => {
                problems.push(format!("kiosk.toml: {error}; using defaults"));
                Self::default()
            }
        };
        let config = config.sanitised(&mut problems);
        LoadedConfig { config, problems }
    }

    fn sanitised(mut self, problems: &mut Vec<String>) -> Self {
        let defaults = Self::default();
        if self.idle_grace_s < 20 {
            problems.push("idle_grace_s below 20 s (WCAG 2.2.1); using 20".to_owned());
            self.idle_grace_s = 20;
        }
        if self.idle_after_s < 30 {
            problems.push(format!(
                "idle_after_s below 30 s; using {}",
                defaults.idle_after_s
            ));
            self.idle_after_s = defaults.idle_after_s;
        }
        if self.fallback_allotment_s < 60 {
            problems.push(format!(
                "fallback_allotment_s below 60 s; using {}",
                defaults.fallback_allotment_s
            ));
            self.fallback_allotment_s = defaults.fallback_allotment_s;
        }
        if !self.time_zone.is_empty() && jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            problems.push(format!(
                "unknown time_zone `{}`; using the system's",
                self.time_zone
            ));
            self.time_zone = String::new();
        }
        if !(1..=1000).contains(&self.delivery_batch) {
            problems.push("delivery_batch must be 1 to 1000; using 200".to_owned());
            self.delivery_batch = defaults.delivery_batch;
        }
        self
    }

    /// The centre's time zone (the system's when not set).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        if self.time_zone.is_empty() {
            return jiff::tz::TimeZone::system();
        }
        jiff::tz::TimeZone::get(&self.time_zone).unwrap_or_else(|_| jiff::tz::TimeZone::system())
    }

    /// Session rules before the manager's profile is known.
    pub fn fallback_rules(&self) -> SessionRules {
        SessionRules {
            allotment_s: self.fallback_allotment_s,
            extension_s: self.fallback_extension_s,
            idle_after_s: self.idle_after_s,
            idle_grace_s: self.idle_grace_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_values_never_stop_the_kiosk() {
        let loaded = KioskConfig::parse("idle_grace_s = 5\ncolour = \"blue\"\n");
        assert_eq!(loaded.config.idle_grace_s, 20);
        assert_eq!(loaded.problems.len(), 2, "{:?}", loaded.problems);
        let broken = KioskConfig::parse("idle_after_s = \"soon\"");
        assert_eq!(broken.config, KioskConfig::default());
        assert_eq!(broken.problems.len(), 1);
        let zone = KioskConfig::parse("time_zone = \"Mars/Olympus\"");
        assert_eq!(zone.config.time_zone, "");
        assert_eq!(zone.problems.len(), 1);
        let garbage = KioskConfig::parse("[[[");
        assert_eq!(garbage.config, KioskConfig::default());
    }
}
