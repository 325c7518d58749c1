//! `plaza-kiosk`: the full-screen citizen terminal.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use jiff::Timestamp;
use plaza_kiosk::app::{self, Setup};
use plaza_kiosk::catalogue::{CATALOGUE_FILE, LocalCatalogue};
use plaza_kiosk::config::KioskConfig;
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::{self, ManagerClient};
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::profile;

#[derive(Debug, Parser)]
#[command(version, about = "Plaza kiosk: the full-screen citizen terminal")]
struct Cli {
    /// The kiosk's settings (every key documented in config/kiosk.toml).
    #[arg(
        long,
        env = "PLAZA_KIOSK_CONFIG",
        default_value = "/etc/plaza/kiosk.toml"
    )]
    config: PathBuf,
    /// Overrides `data_dir` from the config.
    #[arg(long, env = "PLAZA_KIOSK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Overrides `manager_url` from the config.
    #[arg(long, env = "PLAZA_KIOSK_MANAGER_URL")]
    manager: Option<String>,
    /// Enrol with this one-time code (from `plaza-manager kiosk enroll`) before starting.
    #[arg(long, value_name = "CODE")]
    enroll: Option<String>,
    /// A normal window instead of full screen (development, demos).
    #[arg(long)]
    windowed: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Reads a supervisor PIN from standard input and prints the hash for
    /// `supervisor_pin_hash`.
    HashPin,
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    if let Some(Command::HashPin) = cli.command {
        let mut pin = String::new();
        std::io::stdin().lock().read_line(&mut pin)?;
        let pin = pin.trim();
        anyhow::ensure!(
            pin.len() >= 4 && pin.chars().all(|c| c.is_ascii_digit()),
            "a PIN is at least 4 digits"
        );
        println!(
            "{}",
            app::hash_pin(pin).map_err(|error| anyhow::anyhow!("{error}"))?
        );
        return Ok(());
    }
    let setup = prepare(&cli)?;
    app::run(setup).context("the kiosk window failed")
}

/// Reads config, opens the outbox, enrols if asked: everything before the window.
fn prepare(cli: &Cli) -> anyhow::Result<Setup> {
    let loaded = KioskConfig::load(&cli.config);
    let mut config = loaded.config;
    let mut problems = loaded.problems;
    for problem in &problems {
        tracing::warn!(%problem, "config");
    }
    if let Some(data_dir) = &cli.data_dir {
        config.data_dir.clone_from(data_dir);
    }
    if let Some(manager) = &cli.manager {
        config.manager_url.clone_from(manager);
    }
    if cli.windowed {
        config.fullscreen = false;
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data folder {}",
            config.data_dir.display()
        )
    })?;
    let (outbox, quarantined) =
        Outbox::open(&config.data_dir.join("outbox.sqlite"), Timestamp::now())
            .context("cannot open the outbox")?;
    if let Some(quarantined) = quarantined {
        problems.push(format!(
            "damaged outbox moved to {} ({})",
            quarantined.moved_to.display(),
            quarantined.reason
        ));
    }
    let mut credentials = match Credentials::load(&config.data_dir) {
        Ok(credentials) => credentials,
        Err(error) => {
            problems.push(error.to_string());
            None
        }
    };
    if let Some(code) = &cli.enroll {
        credentials = Some(enrol(&config, code)?);
    }
    if credentials.is_none() {
        let problem =
            "not enrolled: start once with --enroll CODE, or enrol from the maintenance menu";
        tracing::warn!(problem);
        problems.push(problem.to_owned());
    }
    let catalogue = LocalCatalogue::open_or_replace(&config.data_dir.join(CATALOGUE_FILE))
        .context("cannot open the catalogue copy")?;
    Ok(Setup {
        profile: profile::cached(&config.data_dir),
        data_dir: config.data_dir.clone(),
        config,
        problems,
        outbox,
        credentials,
        connect: true,
        catalogue,
        web: None,
    })
}

fn enrol(config: &KioskConfig, code: &str) -> anyhow::Result<Credentials> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = ManagerClient::new(
        &config.manager_url,
        std::time::Duration::from_secs(u64::from(config.request_timeout_s.max(1))),
    )?;
    let enrolled = runtime
        .block_on(client.enrol(code, &link::hostname()))
        .with_context(|| format!("enrolment at {} failed", config.manager_url))?;
    let credentials = Credentials {
        manager_url: config.manager_url.clone(),
        kiosk_id: enrolled.kiosk_id,
        token: enrolled.token,
        centre: enrolled.centre,
    };
    credentials.save(&config.data_dir)?;
    tracing::info!(kiosk_id = %credentials.kiosk_id, centre = %credentials.centre, "enrolled");
    Ok(credentials)
}
