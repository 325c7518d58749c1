//! Plaza kiosk: the full-screen citizen terminal.
//!
//! The logic (`session`, `terminal`, `outbox`, `link`, `health`) has no iced
//! types: it is tested without a window and reused by the fleet simulator.

pub mod credentials;
pub mod health;
pub mod link;
pub mod outbox;
pub mod session;
pub mod terminal;
