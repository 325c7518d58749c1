//! The manager's HTTP API, through a real server on a loopback port with a
//! real SQLite file. One test binary (one link) for all of it.

mod clock_skew;
mod common;
mod contract;
mod enrolment;
mod events;
mod heartbeat;
mod openapi;
mod sessions;
mod status;
