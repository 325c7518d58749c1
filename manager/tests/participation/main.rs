//! Citizen participation through a real manager on a loopback port with a
//! real SQLite file and a manual clock: accounts, forums, moderation,
//! communities and the seed content. One test binary (one link).

mod accounts;
mod cli;
mod client;
mod common;
mod communities;
mod erasure;
mod forums;
mod have_a_say;
mod moderation;
mod requests_client;
mod scope;
mod seed;
mod throttle;
