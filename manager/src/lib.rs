//! Plaza manager: one service per municipality or network of municipalities.
//! It enrols kiosks, takes their heartbeats and usage events, derives
//! sessions, and tells supervisors how every terminal is doing.

pub mod access;
pub mod auth;
pub mod catalogue;
pub mod centres;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod error;
pub mod events;
pub mod extract;
pub mod have_a_say;
pub mod help_chat;
pub mod housekeeping;
pub mod kiosks;
pub mod limits;
pub mod metrics;
pub mod open311;
pub mod openapi;
pub mod participation;
pub mod probes;
pub mod reports;
pub mod requests;
pub mod server;
pub mod state;
pub mod storage;
pub mod telemetry;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod web;

pub use clock::Clock;
pub use config::Settings;
pub use server::{AppState, serve, shutdown_signal};
