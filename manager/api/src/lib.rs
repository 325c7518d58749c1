//! The wire contract between Plaza's kiosk and manager.
//!
//! Serde types only: no I/O, no storage. Requests are strict (unknown fields are
//! refused, so a typo never passes silently); responses are lenient (a kiosk
//! ignores fields a newer manager adds), so an old kiosk keeps working with a
//! newer manager. The JSON fixtures in `tests/fixtures/` lock the format.

pub mod catalogue;
pub mod centres;
pub mod enrol;
pub mod error;
pub mod events;
pub mod have_a_say;
pub mod heartbeat;
pub mod help_chat;
pub mod kiosks;
pub mod participation;
pub mod profile;
pub mod reports;
pub mod requests;
pub mod session;
pub mod staff;
pub mod web;
mod wire_enum;

/// Version prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
