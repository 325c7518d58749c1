//! `plaza bench`: load benchmarks run against real servers on loopback, each
//! reported next to a baseline measured in the same run.

mod backup;
mod baseline;
mod enrol;
mod faults;
mod fleet;
mod forums;
mod kiosk_writer;
mod load;
mod manager;
mod process;

use std::time::Duration;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Heartbeats/s and events/s against a manager, and the baseline.
    Manager(BenchOptions),
    /// A fleet of kiosks on their own schedules against a manager process,
    /// and the same against the baseline process.
    Fleet(fleet::FleetOptions),
    /// A backup of a 1 GiB database while 1,000 kiosks heartbeat: its time,
    /// and heartbeat latency during it against without it.
    Backup(backup::BackupBenchOptions),
    /// Thread and board pages of a forum with a million posts.
    Forums(forums::ForumBenchOptions),
    /// The fault, hostile-input and durability suites, long runs included.
    Faults,
    /// Runs a server under test (started by the other benchmarks).
    #[command(hide = true)]
    Server(process::ServerOptions),
    /// A kiosk writing events until killed (for the crash test).
    #[command(hide = true)]
    KioskWriter(kiosk_writer::KioskWriterOptions),
}

#[derive(Debug, Clone, Args)]
pub struct BenchOptions {
    /// How long each of the four runs lasts, e.g. `10s` or `1m`.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Kiosks enrolled and heartbeating.
    #[arg(long, default_value_t = 500)]
    kiosks: usize,
}

pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration: jiff::SignedDuration = text
        .parse()
        .map_err(|error| format!("`{text}` is not a duration like 10s or 1m: {error}"))?;
    Duration::try_from(duration).map_err(|_| "a duration must be positive".to_owned())
}

pub fn run(command: BenchCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match command {
        BenchCommand::Manager(options) => runtime.block_on(manager::run(&options)),
        BenchCommand::Fleet(options) => runtime.block_on(fleet::run(&options)),
        BenchCommand::Forums(options) => runtime.block_on(forums::run(&options)),
        BenchCommand::Backup(options) => runtime.block_on(backup::run(&options)),
        BenchCommand::Server(options) => runtime.block_on(process::serve(options)),
        BenchCommand::KioskWriter(options) => kiosk_writer::run(&options),
        BenchCommand::Faults => faults::run(),
    }
}
