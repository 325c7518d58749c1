//! The staff side: supervisor PIN, maintenance menu, diagnostics.

use iced::Task;
use plaza_api::session::EndReason;

use super::{Kiosk, Message, PIN_ATTEMPTS, PIN_LOCKOUT, Staff};
use crate::lockout::PinLockout;
use crate::screen::{maintenance, pin};

impl Kiosk {
    pub(super) fn pin(&mut self, message: pin::Message) {
        let Some(Staff::Pin(state)) = &mut self.staff else {
            return;
        };
        match state.update(message) {
            pin::Action::None => {}
            pin::Action::Cancel => self.staff = None,
            pin::Action::Verify(pin) => {
                let locked = self.lockout.is_locked();
                if !locked && verify_pin(&self.config.supervisor_pin_hash, &pin) {
                    if self.lockout != PinLockout::default() {
                        self.lockout = PinLockout::default();
                        self.lockout.save(&self.data_dir);
                    }
                    self.staff = Some(Staff::Maintenance(maintenance::State::default()));
                } else {
                    state.rejected();
                    self.lockout.wrong_pins += 1;
                    tracing::warn!(attempts = self.lockout.wrong_pins, "wrong supervisor PIN");
                    if self.lockout.wrong_pins >= PIN_ATTEMPTS && !locked {
                        self.lockout.locked_until = Some(self.now + PIN_LOCKOUT);
                    }
                    self.lockout.save(&self.data_dir);
                }
            }
        }
    }

    pub(super) fn maintenance(&mut self, message: maintenance::Message) -> Task<Message> {
        let Some(Staff::Maintenance(state)) = &mut self.staff else {
            return Task::none();
        };
        match state.update(message) {
            maintenance::Action::None => Task::none(),
            maintenance::Action::Close => {
                self.staff = None;
                Task::none()
            }
            maintenance::Action::Exit => {
                tracing::info!("supervisor exit from the maintenance menu");
                self.end_session(EndReason::Logout);
                self.stop_delivery();
                iced::exit()
            }
            maintenance::Action::Enrol(code) => self.enrol(code),
        }
    }

    pub fn diagnostics(&self) -> maintenance::Diagnostics {
        let outbox = self.terminal.outbox();
        let mut problems = self.problems.clone();
        problems.extend(self.link.last_error().map(str::to_owned));
        problems.extend(self.refresh.last_error().map(str::to_owned));
        if self.default_pin {
            problems.push(DEFAULT_PIN_WARNING.to_owned());
        }
        if let Some(warning) = plain_http_warning(&self.manager_url()) {
            problems.push(warning);
        }
        maintenance::Diagnostics {
            manager_url: self.manager_url(),
            kiosk_id: self
                .credentials
                .as_ref()
                .map(|credentials| credentials.kiosk_id),
            centre: self
                .credentials
                .as_ref()
                .map(|credentials| credentials.centre.clone()),
            outbox_len: outbox.len().unwrap_or_default(),
            dead_letters: outbox.dead_letters().unwrap_or_default(),
            catalogue_version: self.copy.version(),
            last_sync: self.link.last_sync(),
            version: env!("CARGO_PKG_VERSION"),
            problems,
        }
    }
}

/// The manager this kiosk reports to: its credentials', else the config's.
impl Kiosk {
    pub(super) fn manager_url(&self) -> String {
        self.credentials.as_ref().map_or_else(
            || self.config.manager_url.clone(),
            |credentials| credentials.manager_url.clone(),
        )
    }
}

/// Shown in the menu and sent with every heartbeat while the PIN is the default.
pub const DEFAULT_PIN_WARNING: &str =
    "the supervisor PIN is still the default: set supervisor_pin_hash";

/// A warning when `url` is plain `http://` to a host other than this machine
/// (tokens and citizens' logins would cross the network unencrypted).
pub fn plain_http_warning(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("http://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback());
    (!loopback)
        .then(|| format!("manager_url {url} is plain http:// to another machine: use https://"))
}

/// Checks a PIN against an Argon2 PHC string; a malformed hash never matches.
pub fn verify_pin(hash: &str, pin: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

/// An Argon2id PHC string for `pin` (`plaza-kiosk hash-pin`).
pub fn hash_pin(pin: &str) -> Result<String, argon2::password_hash::Error> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())?;
    Ok(argon2::Argon2::default()
        .hash_password(pin.as_bytes(), &salt)?
        .to_string())
}
