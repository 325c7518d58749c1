//! The manager's HTTP API, through a real server on a loopback port with a
//! real SQLite file. One test binary (one link) for all of it.

mod catalogue;
mod centres;
mod clock_skew;
mod common;
mod contract;
mod enrolment;
mod events;
mod heartbeat;
mod limits;
mod openapi;
mod profile;
mod sessions;
mod status;
mod web;
