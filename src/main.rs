//! `plaza`: the launcher. `plaza demo` runs a manager with demo data.

mod bench;
mod demo;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "plaza",
    version,
    about = "Plaza: free public internet access centres"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A manager with demo data on this machine, and a kiosk connected to it.
    Demo(demo::DemoOptions),
    /// Load benchmarks against servers on loopback (see BENCHMARKS.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(options) => demo::run(options),
        Command::Bench(command) => bench::run(command),
    }
}
