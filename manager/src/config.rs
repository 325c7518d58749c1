//! Manager settings, layered: built-in defaults, then the TOML file, then
//! `PLAZA_MANAGER_*` environment variables, then command-line flags.
//!
//! Every key, with its default, is documented in `config/manager.toml`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

mod backup;
mod have_a_say;
mod retention;
pub use backup::BackupSettings;
pub use have_a_say::HaveASaySettings;
pub use retention::RetentionSettings;

/// Environment prefix; nested keys use a double underscore:
/// `PLAZA_MANAGER_STORAGE__READERS=8`.
pub const ENV_PREFIX: &str = "PLAZA_MANAGER_";

/// `PLAZA_MANAGER_CONFIG` names the file itself, so it is not a setting.
const CONFIG_ENV_KEY: &str = "config";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// Folder holding the SQLite database.
    pub data_dir: PathBuf,
    /// Address printed for people (dashboard links); defaults to `http://{listen}`.
    pub public_url: Option<String>,
    pub storage: StorageSettings,
    pub http: HttpSettings,
    pub kiosks: KioskSettings,
    pub sessions: SessionSettings,
    pub participation: ParticipationSettings,
    pub dashboard: DashboardSettings,
    pub limits: LimitSettings,
    pub log: LogSettings,
    pub backup: BackupSettings,
    pub retention: RetentionSettings,
    pub have_a_say: HaveASaySettings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSettings {
    /// Read-only connections in the reader pool.
    pub readers: usize,
    /// Most write jobs grouped into one transaction (group commit).
    pub writer_batch_max: usize,
    /// How long kiosks' deliveries (events, heartbeats) may wait for others
    /// to share their commit; writes a person waits for never wait.
    pub group_commit_window_ms: u64,
    /// SQLite `synchronous` in WAL mode: `full` survives power loss, `normal`
    /// only a crash of the process.
    pub synchronous: Synchronous,
    /// How long a connection waits for a lock held by another process.
    pub busy_timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Synchronous {
    Normal,
    Full,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// Largest request body accepted; larger ones get 413.
    pub body_limit_bytes: usize,
    /// A request still running after this is answered with 503.
    pub request_timeout_s: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KioskSettings {
    /// How often kiosks are told to send a heartbeat.
    pub heartbeat_interval_s: u32,
    /// A kiosk silent for this many intervals is shown offline and its open
    /// session is closed as `lost`.
    pub offline_after_intervals: u32,
    /// Lifetime of an enrolment code.
    pub enrolment_code_ttl_h: u32,
    /// One health sample per kiosk is kept per this many seconds.
    pub health_sample_s: u32,
    /// Health samples older than this are pruned.
    pub health_retention_h: u32,
    /// A command about the current session (message, extend, end) not
    /// picked up by a heartbeat within this time is dropped, so it never
    /// reaches the next citizen's session.
    pub command_ttl_s: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    /// Time given to a session when its centre sets none.
    pub default_allotment_s: u32,
    /// Time added by "more time" when the centre sets none; 0 disables it.
    pub default_extension_s: u32,
}

/// Citizen accounts, forums and communities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ParticipationSettings {
    /// Words that hold a post for review (and refuse an alias). Matched as
    /// whole words in posts, ignoring case, accents and digits used as
    /// letters; anywhere inside an alias.
    pub word_filter: Vec<String>,
    /// Aliases nobody may take, so no one impersonates staff; matched like
    /// the word filter inside an alias.
    pub reserved_aliases: Vec<String>,
    /// Wrong PINs in a row that lock an account.
    pub pin_attempts: u32,
    /// How long a locked account stays locked.
    pub lockout_s: u32,
    /// Longest life of a citizen login; the end of its kiosk session ends it sooner.
    pub login_ttl_s: u32,
    /// Posts one account may write per `post_window_s`.
    pub posts_per_window: u32,
    pub post_window_s: u32,
    /// How long after writing a post its author may edit or delete it.
    pub edit_window_s: u32,
    /// Reports by different accounts that hide a post until it is reviewed.
    pub report_threshold: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardSettings {
    /// A browser session ends this many hours after login.
    pub session_ttl_h: u32,
    /// Wrong passwords in a row from one client address before it must
    /// wait; each further one doubles the wait (1 s, 2 s, 4 s, …). Accounts
    /// are never locked, so nobody can lock out somebody else.
    pub login_max_failures: u32,
    /// The longest such wait.
    pub login_lockout_s: u32,
    /// Report groups with fewer people than this are shown as "< k"
    /// (never below 3).
    pub k_anonymity: u32,
    /// Opening hours of a centre whose own were never set, UTC, like
    /// `Mon-Fri 09:00-20:00; Sat 10:00-14:00` (kiosk availability is the
    /// share of these hours a kiosk was online).
    pub default_opening_hours: String,
}

/// Throttles (`limits.rs`): attempts are refilled steadily, so a burst of
/// this many is allowed and then one more every `60 / n` seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    /// Citizen PIN attempts (log-in, change of PIN) per kiosk per minute,
    /// whatever the alias.
    pub pin_attempts_per_kiosk_per_minute: u32,
    /// Citizen PIN attempts per minute across all kiosks.
    pub pin_attempts_per_minute: u32,
    /// Enrolment codes tried per client address per minute.
    pub enrolment_attempts_per_address_per_minute: u32,
    /// Enrolment codes tried per minute from anywhere.
    pub enrolment_attempts_per_minute: u32,
    /// Live floor streams one browser session may hold open.
    pub floor_streams_per_session: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            pin_attempts_per_kiosk_per_minute: 10,
            pin_attempts_per_minute: 300,
            enrolment_attempts_per_address_per_minute: 5,
            enrolment_attempts_per_minute: 30,
            floor_streams_per_session: 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// `tracing` filter, e.g. `info` or `plaza_manager=debug,tower_http=info`.
    pub filter: String,
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("/var/lib/plaza"),
            public_url: None,
            storage: StorageSettings::default(),
            http: HttpSettings::default(),
            kiosks: KioskSettings::default(),
            sessions: SessionSettings::default(),
            participation: ParticipationSettings::default(),
            dashboard: DashboardSettings::default(),
            limits: LimitSettings::default(),
            log: LogSettings::default(),
            backup: BackupSettings::default(),
            retention: RetentionSettings::default(),
            have_a_say: HaveASaySettings::default(),
        }
    }
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            readers: 4,
            writer_batch_max: 512,
            group_commit_window_ms: 10,
            synchronous: Synchronous::Full,
            busy_timeout_ms: 5_000,
        }
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit_bytes: 2 * 1024 * 1024,
            request_timeout_s: 30,
        }
    }
}

impl Default for KioskSettings {
    fn default() -> Self {
        Self {
            heartbeat_interval_s: 10,
            offline_after_intervals: 3,
            enrolment_code_ttl_h: 24,
            health_sample_s: 300,
            health_retention_h: 48,
            command_ttl_s: 120,
        }
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            default_allotment_s: 30 * 60,
            default_extension_s: 15 * 60,
        }
    }
}

impl Default for ParticipationSettings {
    fn default() -> Self {
        let words = |list: &[&str]| list.iter().map(|word| (*word).to_owned()).collect();
        Self {
            word_filter: words(&[
                "asshole",
                "bastard",
                "bitch",
                "cabron",
                "cojones",
                "coño",
                "cunt",
                "fuck",
                "gilipollas",
                "hijoputa",
                "joder",
                "malparido",
                "mierda",
                "motherfucker",
                "pendejo",
                "puta",
                "puto",
                "shit",
                "zorra",
            ]),
            reserved_aliases: words(&[
                "admin",
                "administrador",
                "administrator",
                "alcaldia",
                "ayuntamiento",
                "coordinador",
                "coordinator",
                "moderador",
                "moderator",
                "municipalidad",
                "municipio",
                "official",
                "oficial",
                "plaza",
                "soporte",
                "staff",
                "supervisor",
                "support",
                "sistema",
                "system",
            ]),
            pin_attempts: 5,
            lockout_s: 15 * 60,
            login_ttl_s: 3600,
            posts_per_window: 5,
            post_window_s: 10 * 60,
            edit_window_s: 15 * 60,
            report_threshold: 3,
        }
    }
}

impl Default for DashboardSettings {
    fn default() -> Self {
        Self {
            session_ttl_h: 8,
            login_max_failures: 5,
            login_lockout_s: 15 * 60,
            k_anonymity: 5,
            default_opening_hours: "Mon-Fri 09:00-20:00; Sat 10:00-14:00".to_owned(),
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            filter: "info".to_owned(),
            format: LogFormat::Text,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

impl Settings {
    /// Loads defaults → `file` (which must exist when given) → environment → `overrides`.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::MissingFile(file.to_path_buf()));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        let settings: Settings = figment
            .merge(
                Env::prefixed(ENV_PREFIX)
                    .split("__")
                    .ignore(&[CONFIG_ENV_KEY]),
            )
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|error| ConfigError::Invalid(error.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let checks = [
            (
                self.storage.readers == 0,
                "storage.readers must be at least 1",
            ),
            (
                self.storage.writer_batch_max == 0,
                "storage.writer_batch_max must be at least 1",
            ),
            (
                self.storage.group_commit_window_ms > 1000,
                "storage.group_commit_window_ms must be at most 1000",
            ),
            (
                self.kiosks.heartbeat_interval_s == 0,
                "kiosks.heartbeat_interval_s must be at least 1",
            ),
            (
                self.kiosks.offline_after_intervals == 0,
                "kiosks.offline_after_intervals must be at least 1",
            ),
            (
                self.kiosks.health_sample_s == 0,
                "kiosks.health_sample_s must be at least 1",
            ),
            (
                self.sessions.default_allotment_s < 60,
                "sessions.default_allotment_s must be at least 60",
            ),
            (
                self.participation.pin_attempts == 0,
                "participation.pin_attempts must be at least 1",
            ),
            (
                self.participation.login_ttl_s < 60,
                "participation.login_ttl_s must be at least 60",
            ),
            (
                self.participation.posts_per_window == 0 || self.participation.post_window_s == 0,
                "participation.posts_per_window and post_window_s must be at least 1",
            ),
            (
                self.participation.report_threshold == 0,
                "participation.report_threshold must be at least 1",
            ),
            (
                self.dashboard.k_anonymity < 3,
                "dashboard.k_anonymity must be at least 3",
            ),
            (
                self.dashboard.login_max_failures == 0,
                "dashboard.login_max_failures must be at least 1",
            ),
            (
                self.dashboard.session_ttl_h == 0,
                "dashboard.session_ttl_h must be at least 1",
            ),
            (
                self.http.body_limit_bytes < 1024,
                "http.body_limit_bytes must be at least 1024",
            ),
            (self.backup.keep == 0, "backup.keep must be at least 1"),
            (
                self.retention.raw_days < 14,
                "retention.raw_days must be at least 14",
            ),
            (
                self.have_a_say.proposal_support_threshold == 0,
                "have_a_say.proposal_support_threshold must be at least 1",
            ),
            (
                self.retention.chat_days == 0,
                "retention.chat_days must be at least 1",
            ),
        ];
        if let Some((_, message)) = checks.into_iter().find(|(failed, _)| *failed) {
            return Err(ConfigError::Invalid(message.to_owned()));
        }
        plaza_catalogue::OpeningHours::parse(&self.dashboard.default_opening_hours)
            .map(|_| ())
            .map_err(|error| {
                ConfigError::Invalid(format!("dashboard.default_opening_hours: {error}"))
            })
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("plaza.sqlite3")
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// Silence after which a kiosk counts as offline.
    pub fn offline_after(&self) -> SignedDuration {
        SignedDuration::from_secs(
            i64::from(self.kiosks.heartbeat_interval_s)
                * i64::from(self.kiosks.offline_after_intervals),
        )
    }
}

#[cfg(test)]
mod tests;
