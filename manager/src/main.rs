//! `plaza-manager`: serve the API and dashboard, or run an operator command.

mod cli;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let arguments = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(cli::run(arguments))
}
