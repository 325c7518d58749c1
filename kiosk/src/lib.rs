//! Plaza kiosk: the full-screen citizen terminal.
//!
//! The logic (`session`, `terminal`, `outbox`, `link`, `health`, `profile`,
//! `catalogue`, `opening`, `web`) has no iced types: it is tested without a window,
//! builds without the `ui` feature, and is reused by the fleet simulator.
//! The window (`app`, `screen`, `theme`, `widget`, `i18n`) is the `ui`
//! feature.

pub mod catalogue;
pub mod config;
pub mod credentials;
pub mod health;
pub mod link;
pub mod lockout;
pub mod opening;
pub mod outbox;
pub mod profile;
pub mod session;
pub mod terminal;
pub mod watchdog;
pub mod web;

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
