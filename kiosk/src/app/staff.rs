//! The staff side: supervisor PIN, maintenance menu, diagnostics.

use iced::Task;
use plaza_api::session::EndReason;

use super::{Kiosk, Message, PIN_ATTEMPTS, PIN_LOCKOUT, Staff};
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
                let locked = self.pin_locked_until.is_some();
                if !locked && verify_pin(&self.config.supervisor_pin_hash, &pin) {
                    self.wrong_pins = 0;
                    self.staff = Some(Staff::Maintenance(maintenance::State::default()));
                } else {
                    state.rejected();
                    self.wrong_pins += 1;
                    tracing::warn!(attempts = self.wrong_pins, "wrong supervisor PIN");
                    if self.wrong_pins >= PIN_ATTEMPTS {
                        self.pin_locked_until = Some(self.now + PIN_LOCKOUT);
                    }
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
        if verify_pin(&self.config.supervisor_pin_hash, crate::config::DEFAULT_PIN) {
            problems.push(
                "the supervisor PIN is still the default: set supervisor_pin_hash".to_owned(),
            );
        }
        maintenance::Diagnostics {
            manager_url: self.credentials.as_ref().map_or_else(
                || self.config.manager_url.clone(),
                |credentials| credentials.manager_url.clone(),
            ),
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
