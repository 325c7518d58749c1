//! Plaza kiosk: the full-screen citizen terminal.
//!
//! The logic (`session`, `terminal`, `outbox`, `link`, `health`) has no iced
//! types: it is tested without a window and reused by the fleet simulator.

pub mod catalogue;
pub mod config;
pub mod credentials;
pub mod health;
pub mod link;
pub mod opening;
pub mod outbox;
pub mod session;
pub mod terminal;
pub mod watchdog;

#[cfg(feature = "ui")]
pub mod app;
#[cfg(feature = "ui")]
pub mod i18n;
#[cfg(feature = "ui")]
pub mod screen;
#[cfg(feature = "ui")]
pub mod theme;
#[cfg(feature = "ui")]
pub mod widget;
