//! Plaza's HTTP client for what a kiosk asks of its manager: enrolment,
//! heartbeats, usage events, the centre's profile and the catalogue
//! (`ManagerClient`), and forums and communities on behalf of a citizen
//! (`ParticipationClient`), and live help with the centre's staff
//! (`HelpChatClient`), and having a say: consultations and proposals.
//!
//! One `reqwest` client underneath, one error type ([`ClientError`], `Clone`
//! so it travels in UI messages) and one rule for which failures are worth
//! retrying ([`ClientError::is_retryable`]). No iced types: the kiosk's
//! logic, the fleet simulator and the manager's own tests use it alike.

mod error;
mod have_a_say;
mod help_chat;
mod http;
mod manager;
mod participation;
mod requests;

pub use error::{ClientError, ClientResult};
pub use help_chat::HelpChatClient;
pub use manager::{KioskToken, ManagerClient};
pub use participation::ParticipationClient;
