//! `config/kiosk.toml`: the kiosk's settings, every key documented there.
//!
//! A config problem never stops a kiosk from booting: unknown keys are
//! warned about, and a file that does not parse falls back to the defaults,
//! each with a diagnostic shown in the maintenance menu. The one exception
//! is the supervisor PIN: a broken file keeps its own `supervisor_pin_hash`
//! line when that line can be read, and otherwise the maintenance menu is
//! refused (`pin_refused`) rather than opened with the built-in default.

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
    /// Set when the file did not parse and its PIN line could not be read:
    /// why the maintenance menu stays shut (never read from the file).
    #[serde(skip)]
    pub pin_refused: Option<String>,
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
            pin_refused: None,
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
            Ok(text) => Self::parse_file(&text, &path.display().to_string()),
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
        Self::parse_file(text, "kiosk.toml")
    }

    /// `text` read from the file `name` (named in the diagnostics).
    pub fn parse_file(text: &str, name: &str) -> LoadedConfig {
        let mut problems = Vec::new();
        let mut table = match text.parse::<toml::Table>() {
            Ok(table) => table,
            Err(error) => {
                let line = error
                    .span()
                    .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
                let mut config = Self::default();
                match pin_line(text) {
                    Some(hash) => config.supervisor_pin_hash = hash,
                    None => config.refuse_pin(name, line),
                }
                return LoadedConfig {
                    config,
                    problems: vec![format!("{name} does not parse: {error}; using defaults")],
                };
            }
        };
        // Kept whatever else in the file is wrong (a string, or refused).
        let pin = table.get("supervisor_pin_hash").cloned();
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
                problems.push(format!("{name}: {error}; using defaults"));
                let mut config = Self::default();
                match pin {
                    Some(toml::Value::String(hash)) => config.supervisor_pin_hash = hash,
                    Some(_) => config.refuse_pin(name, None),
                    None => {}
                }
                config
            }
        };
        let config = config.sanitised(&mut problems);
        LoadedConfig { config, problems }
    }

    /// The maintenance menu stays shut: no PIN could be read from `name`.
    fn refuse_pin(&mut self, name: &str, line: Option<usize>) {
        // A hash that never verifies, so not even the default PIN opens it.
        self.supervisor_pin_hash = String::new();
        self.pin_refused = Some(match line {
            Some(line) => format!(
                "the configuration file {name} has an error at line {line}; fix it to use maintenance"
            ),
            None => format!(
                "the configuration file {name} has an error in supervisor_pin_hash; fix it to use maintenance"
            ),
        });
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

/// The `supervisor_pin_hash = "…"` line of a file that does not parse as a
/// whole, if that line parses on its own.
fn pin_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let table = line.trim().parse::<toml::Table>().ok()?;
        match table.get("supervisor_pin_hash")? {
            toml::Value::String(hash) => Some(hash.clone()),
            _ => None,
        }
    })
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
        assert_eq!(garbage.config.idle_after_s, 120);
        assert!(garbage.config.pin_refused.is_some());
    }

    #[test]
    fn a_broken_file_never_brings_back_the_default_pin() {
        let kept = KioskConfig::parse_file(
            "idle_after_s = 300\nsupervisor_pin_hash = \"$argon2id$mine\"\n[[[\n",
            "/etc/plaza/kiosk.toml",
        );
        assert_eq!(kept.config.supervisor_pin_hash, "$argon2id$mine");
        assert_eq!(kept.config.pin_refused, None);
        let typed = KioskConfig::parse("idle_after_s = \"soon\"\nsupervisor_pin_hash = \"$x\"");
        assert_eq!(typed.config.supervisor_pin_hash, "$x");
        let lost = KioskConfig::parse_file(
            "idle_after_s = 300\nsupervisor_pin_hash = \"$argon2id\n",
            "/etc/plaza/kiosk.toml",
        );
        assert_eq!(lost.config.supervisor_pin_hash, "");
        assert_eq!(
            lost.config.pin_refused.as_deref(),
            Some(
                "the configuration file /etc/plaza/kiosk.toml has an error at line 2; fix it to use maintenance"
            )
        );
    }
}
