//! `plaza demo`: a manager on an embedded SQLite file with demo data, an
//! enrolled demo kiosk, and the addresses to open, on one machine.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use jiff::SignedDuration;
use plaza_api::enrol::EnrolRequest;
use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_password, hash_secret, new_secret};
use plaza_manager::config::Settings;
use plaza_manager::kiosks::{enrol_with_code, issue_enrolment_code};
use plaza_manager::server::{AppState, serve, shutdown_signal};
use plaza_manager::storage::centres::NewCentre;
use plaza_manager::storage::users::NewUser;
use plaza_manager::{Clock, telemetry};

#[derive(Debug, Args)]
pub struct DemoOptions {
    /// Address of the demo manager.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Keep the demo database in this folder (default: a temporary folder,
    /// deleted when the demo stops).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

const DEMO_CENTRE: &str = "Biblioteca Municipal Centro";
const DEMO_NEIGHBOURHOODS: [&str; 5] =
    ["Centro", "La Loma", "San José", "Villa Nueva", "El Puerto"];

pub fn run(options: DemoOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run_manager(options))
}

async fn run_manager(options: DemoOptions) -> anyhow::Result<()> {
    let temporary = match &options.data_dir {
        Some(_) => None,
        None => Some(tempfile::Builder::new().prefix("plaza-demo-").tempdir()?),
    };
    let data_dir = options
        .data_dir
        .clone()
        .or_else(|| temporary.as_ref().map(|folder| folder.path().to_path_buf()))
        .context("no data folder")?;
    let settings = Settings {
        listen: options.listen,
        data_dir: data_dir.clone(),
        ..Settings::default()
    };
    telemetry::init(&settings.log);
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}: is another demo running? Try --listen 127.0.0.1:8090",
                options.listen
            )
        })?;
    let url = settings.public_url();
    let state = AppState::open(settings, Clock::System)?;
    let seeded = seed(&state).await?;

    println!();
    println!("Plaza demo is running.");
    println!("  Manager API:   {url}/api/v1/openapi.json");
    println!(
        "  Kiosk status:  curl -H 'Authorization: Bearer {}' {url}/api/v1/kiosks",
        seeded.admin_token
    );
    println!("  Dashboard:     {url}/dashboard");
    println!(
        "                log in as `{DEMO_ADMIN}` with password `{}`",
        seeded.admin_password
    );
    println!("  Metrics:       {url}/metrics");
    println!("  Data folder:   {}", data_dir.display());
    println!("  Demo kiosk:    {} ({})", seeded.kiosk_id, DEMO_CENTRE);
    println!("Press Ctrl-C to stop.");
    println!();

    serve(state, listener, shutdown_signal()).await?;
    drop(temporary);
    Ok(())
}

const DEMO_ADMIN: &str = "demo-admin";

struct Seeded {
    admin_token: String,
    admin_password: String,
    kiosk_id: uuid::Uuid,
}

/// Demo data, created once per data folder.
async fn seed(state: &AppState) -> anyhow::Result<Seeded> {
    let storage = &state.storage;
    let now = state.clock.now();
    if storage.centres().await?.is_empty() {
        storage
            .add_centre(
                NewCentre {
                    name: DEMO_CENTRE.to_owned(),
                    neighbourhoods: DEMO_NEIGHBOURHOODS.map(str::to_owned).to_vec(),
                    ..NewCentre::default()
                },
                now,
            )
            .await?;
    }
    let admin_token = new_secret(API_TOKEN_PREFIX)?;
    storage
        .create_api_token(
            "demo".to_owned(),
            Role::Admin.as_str().to_owned(),
            hash_secret(&admin_token),
            now,
        )
        .await?;
    // A new password each start (and for an existing demo folder, a reset).
    let admin_password = new_secret("")?;
    let password_hash = hash_password(&admin_password)?;
    if storage.user_by_name(DEMO_ADMIN.to_owned()).await?.is_some() {
        storage
            .set_password(DEMO_ADMIN.to_owned(), password_hash, now, "demo".to_owned())
            .await?;
    } else {
        storage
            .add_user(
                NewUser {
                    name: DEMO_ADMIN.to_owned(),
                    role: Role::Admin.as_str().to_owned(),
                    password_hash,
                    centres: Vec::new(),
                },
                now,
                "demo".to_owned(),
            )
            .await?;
    }
    let (code, _, _) =
        issue_enrolment_code(storage, DEMO_CENTRE, now, SignedDuration::from_hours(24)).await?;
    let enrolled = enrol_with_code(
        storage,
        EnrolRequest {
            code,
            hostname: "demo-kiosk".to_owned(),
        },
        now,
    )
    .await?;
    Ok(Seeded {
        admin_token,
        admin_password,
        kiosk_id: enrolled.kiosk_id,
    })
}
