//! The operator's command line.

mod backup;
mod catalogue;
mod centre;
mod citizen;
mod kiosk;
mod report;
mod token;
mod user;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use plaza_manager::config::{Overrides, Settings};
use plaza_manager::server::{AppState, serve, shutdown_signal};
use plaza_manager::storage::Storage;
use plaza_manager::storage::lock::DataFolderLock;
use plaza_manager::{Clock, telemetry};

/// Where the Debian package installs `config/manager.toml`.
const INSTALLED_CONFIG: &str = "/etc/plaza/manager.toml";

#[derive(Debug, Parser)]
#[command(
    name = "plaza-manager",
    version,
    about = "Plaza manager: kiosks, sessions, content, dashboard and reports"
)]
pub struct Cli {
    /// Configuration file (TOML); every key is documented in config/manager.toml.
    /// Default: /etc/plaza/manager.toml when it exists, else built-in defaults.
    #[arg(long, global = true, env = "PLAZA_MANAGER_CONFIG")]
    config: Option<PathBuf>,
    /// Folder holding the database (overrides `data_dir`).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service until Ctrl-C or SIGTERM. Holds the data folder's
    /// lock: a second server, `restore` or `migrate` there is refused.
    Serve {
        /// Address to listen on (overrides `listen`).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Create the database or bring its schema up to date, then exit
    /// (refused while a server runs on the data folder).
    Migrate,
    /// Copy the database to a new FILE while the server runs (SQLite's
    /// online backup); without FILE, a dated copy into `backup.dir`,
    /// keeping the newest `backup.keep`.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup FILE, after checking it; the
    /// database replaced is kept beside it. Refused while a server runs on
    /// the data folder.
    Restore(backup::RestoreArgs),
    /// Integrity check and schema version of the database (or of FILE, a
    /// backup); exit status 1 on any problem. Safe while the server runs.
    Check(backup::CheckArgs),
    /// Access centres.
    #[command(subcommand)]
    Centre(centre::CentreCommand),
    /// Kiosks: enrolment codes, status, remote commands.
    #[command(subcommand)]
    Kiosk(kiosk::KioskCommand),
    /// Staff API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Citizen accounts: reset a PIN, grant the coordinator role.
    #[command(subcommand)]
    Citizen(citizen::CitizenCommand),
    /// Import a catalogue file (JSON array); all of it or nothing.
    Import(catalogue::ImportArgs),
    /// Export a catalogue as a JSON array that `import` reads back.
    Export(catalogue::ExportArgs),
    /// Staff accounts for the dashboard and the API.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Reports (CSV or JSON on standard output).
    #[command(subcommand)]
    Report(report::ReportCommand),
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve { listen } => *listen,
        _ => None,
    };
    let config = cli.config.clone().or_else(|| {
        let installed = Path::new(INSTALLED_CONFIG);
        installed.exists().then(|| installed.to_path_buf())
    });
    let settings = Settings::load(
        config.as_deref(),
        &Overrides {
            listen,
            data_dir: cli.data_dir.clone(),
        },
    )?;
    telemetry::init(&settings.log);
    match cli.command {
        Command::Serve { .. } => run_server(settings).await,
        Command::Migrate => {
            let _lock = DataFolderLock::acquire(&settings.data_dir, "migrate")?;
            let storage = open_storage(&settings)?;
            storage.close().await;
            println!(
                "Database {} is up to date.",
                settings.database_path().display()
            );
            Ok(())
        }
        Command::Backup(args) => backup::backup(&settings, args).await,
        Command::Restore(args) => backup::restore(&settings, args).await,
        Command::Check(args) => backup::check(&settings, args).await,
        Command::Centre(command) => {
            centre::run(command, &open_storage(&settings)?, &settings).await
        }
        Command::Kiosk(command) => kiosk::run(command, &open_storage(&settings)?, &settings).await,
        Command::Token(command) => token::run(command, &open_storage(&settings)?).await,
        Command::Citizen(command) => citizen::run(command, &open_storage(&settings)?).await,
        Command::Import(args) => catalogue::import(&open_storage(&settings)?, args).await,
        Command::Export(args) => catalogue::export(&open_storage(&settings)?, args).await,
        Command::User(command) => user::run(command, &open_storage(&settings)?).await,
        Command::Report(command) => {
            report::run(
                command,
                &open_storage(&settings)?,
                &plaza_manager::reports::ReportRules::of(&settings.dashboard),
            )
            .await
        }
    }
}

fn open_storage(settings: &Settings) -> anyhow::Result<Storage> {
    Storage::open(&settings.database_path(), &settings.storage)
        .with_context(|| format!("opening {}", settings.database_path().display()))
}

async fn run_server(settings: Settings) -> anyhow::Result<()> {
    let _lock = DataFolderLock::acquire(&settings.data_dir, "serve")?;
    let listen = settings.listen;
    let url = settings.public_url();
    let database = settings.database_path();
    let state = AppState::open(settings, Clock::System)
        .with_context(|| format!("opening {}", database.display()))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%url, database = %database.display(), "manager listening");
    // A line scripts and tests can rely on, even with `--listen 127.0.0.1:0`.
    println!("listening on http://{address}");
    // systemd's `Type=notify`: the unit is started once kiosks can connect.
    if let Err(error) = sd_notify::notify(&[sd_notify::NotifyState::Ready]) {
        tracing::warn!(%error, "cannot tell systemd the manager is ready");
    }
    serve(state, listener, shutdown_signal()).await?;
    Ok(())
}
