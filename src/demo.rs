//! `plaza demo`: a manager on an embedded SQLite file with demo data, an
//! enrolled demo kiosk in a window connected to it, and the addresses to
//! open, on one machine. With no display the manager runs headless.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use jiff::SignedDuration;
use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_api::enrol::EnrolRequest;
use plaza_api::staff::Role;
use plaza_kiosk::config::{DEFAULT_PIN, KioskConfig};
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::outbox::Outbox;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_password, hash_secret, new_secret};
use plaza_manager::catalogue::import::import_text;
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
    /// Do not run the simulated fleet that fills the dashboard with a day
    /// of use.
    #[arg(long)]
    no_simulation: bool,
    /// Run only the manager, without the kiosk window.
    #[arg(long)]
    no_kiosk: bool,
}

const DEMO_CENTRE: &str = "Biblioteca Municipal Centro";
const DEMO_NEIGHBOURHOODS: [&str; 5] =
    ["Centro", "La Loma", "San José", "Villa Nueva", "El Puerto"];
/// Forums and communities of the demo, with its demo citizen accounts.
const PARTICIPATION_SEED: &str = include_str!("../assets/content/participation.json");
/// PIN of every demo citizen account (e.g. `Marta_LaLoma`, a coordinator).
const DEMO_CITIZEN_PIN: &str = "2580";

pub fn run(options: DemoOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let temporary = match &options.data_dir {
        Some(_) => None,
        None => Some(tempfile::Builder::new().prefix("plaza-demo-").tempdir()?),
    };
    let data_dir = options
        .data_dir
        .clone()
        .or_else(|| temporary.as_ref().map(|folder| folder.path().to_path_buf()))
        .context("no data folder")?;
    let demo = runtime.block_on(start_manager(&options, &data_dir))?;
    // iced needs the main thread: the manager runs on the runtime's workers.
    if !options.no_kiosk {
        open_kiosk(&demo, &data_dir);
    }
    runtime.block_on(demo.server)??;
    drop(temporary);
    Ok(())
}

struct RunningDemo {
    url: String,
    seeded: Seeded,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start_manager(options: &DemoOptions, data_dir: &Path) -> anyhow::Result<RunningDemo> {
    let settings = Settings {
        listen: options.listen,
        data_dir: data_dir.to_path_buf(),
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
    println!("  Demo citizen:  alias Marta_LaLoma, PIN {DEMO_CITIZEN_PIN}");
    if !options.no_simulation {
        println!(
            "  Simulation:    {SIMULATED_KIOSKS} simulated kiosks replay the last 24 h of 3 more centres (about a minute)"
        );
    }
    println!(
        "  Kiosk staff PIN (maintenance menu, \"Staff\" on the attract screen): {DEFAULT_PIN}"
    );
    println!("Press Ctrl-C to stop.");
    println!();

    let server = tokio::spawn(serve(state, listener, shutdown_signal()));
    if !options.no_simulation {
        tokio::spawn(simulate_a_day(url.clone(), seeded.admin_token.clone()));
    }
    Ok(RunningDemo {
        url,
        seeded,
        server,
    })
}

/// Opens the demo kiosk window (windowed) enrolled to the demo manager, and
/// returns when it is closed from its maintenance menu.
fn open_kiosk(demo: &RunningDemo, data_dir: &Path) {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        println!(
            "No display (DISPLAY and WAYLAND_DISPLAY are unset): no kiosk window; the manager keeps running headless."
        );
        return;
    }
    match kiosk_setup(demo, data_dir) {
        Ok(setup) => match plaza_kiosk::app::run(setup) {
            Ok(()) => println!("The kiosk window was closed; the manager keeps running."),
            Err(error) => println!(
                "The kiosk window could not open ({error}); the manager keeps running headless."
            ),
        },
        Err(error) => {
            println!("The demo kiosk could not start ({error:#}); the manager keeps running.");
        }
    }
}

fn kiosk_setup(demo: &RunningDemo, data_dir: &Path) -> anyhow::Result<plaza_kiosk::app::Setup> {
    let kiosk_dir = data_dir.join("kiosk");
    std::fs::create_dir_all(&kiosk_dir)?;
    let config = KioskConfig {
        manager_url: demo.url.clone(),
        data_dir: kiosk_dir.clone(),
        fullscreen: false,
        ..KioskConfig::default()
    };
    let credentials = Credentials {
        manager_url: demo.url.clone(),
        kiosk_id: demo.seeded.kiosk_id,
        token: demo.seeded.kiosk_token.clone(),
        centre: DEMO_CENTRE.to_owned(),
    };
    credentials.save(&kiosk_dir)?;
    let (outbox, _) = Outbox::open(&kiosk_dir.join("outbox.sqlite"), jiff::Timestamp::now())?;
    let catalogue = plaza_kiosk::catalogue::LocalCatalogue::open_or_replace(
        &kiosk_dir.join(plaza_kiosk::catalogue::CATALOGUE_FILE),
    )?;
    Ok(plaza_kiosk::app::Setup {
        config,
        problems: Vec::new(),
        outbox,
        credentials: Some(credentials),
        profile: plaza_kiosk::profile::cached(&kiosk_dir),
        data_dir: kiosk_dir,
        connect: true,
        catalogue,
        web: None,
    })
}

const SIMULATED_KIOSKS: usize = 12;

/// Fills the reports and the dashboard with a believable day, through the
/// real API and the kiosk's own logic.
async fn simulate_a_day(url: String, admin_token: String) {
    let options = crate::simulate::SimulateOptions {
        manager: url,
        token: admin_token,
        kiosks: SIMULATED_KIOSKS,
        centres: 3,
        duration: std::time::Duration::from_secs(60),
        speed: 1440.0,
        offline_share: 0.1,
        time_zone: "America/Argentina/Cordoba".to_owned(),
        seed: 1,
        quiet: true,
    };
    match crate::simulate::simulate(options).await {
        Ok(totals) => tracing::info!(
            sessions = totals.sessions,
            events = totals.delivered,
            "demo simulation finished"
        ),
        Err(error) => tracing::warn!(%error, "demo simulation failed"),
    }
}

const DEMO_ADMIN: &str = "demo-admin";

struct Seeded {
    admin_token: String,
    admin_password: String,
    kiosk_id: uuid::Uuid,
    kiosk_token: String,
}

/// The demo centre's internet access: open, with recommended sites a
/// citizen of Villa del Valle would look for.
async fn seed_web(state: &AppState) -> anyhow::Result<()> {
    let site = |title: &str, url: &str| plaza_api::web::RecommendedSite {
        title: title.to_owned(),
        url: url.to_owned(),
    };
    let request = plaza_api::web::WebPolicyRequest {
        mode: plaza_api::web::WebMode::Open,
        sites: Vec::new(),
        recommended: vec![
            site("Mi Argentina", "https://www.argentina.gob.ar/miargentina"),
            site("ANSES", "https://www.anses.gob.ar/"),
            site("Portal Empleo", "https://www.portalempleo.gob.ar/"),
            site("educ.ar", "https://www.educ.ar/"),
            site("Wikipedia", "https://es.wikipedia.org/"),
            site("Gmail", "https://mail.google.com/"),
        ],
        purposes: None,
    };
    let policy =
        plaza_manager::web::validate(&request).map_err(|error| anyhow::anyhow!(error.message))?;
    let centre = state.storage.centre_by_name(DEMO_CENTRE.to_owned()).await?;
    state
        .storage
        .set_web_policy(
            centre.id,
            policy,
            "demo".to_owned(),
            "demo".to_owned(),
            state.clock.now(),
        )
        .await?;
    Ok(())
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
                "demo",
            )
            .await?;
        seed_web(state).await?;
    }
    plaza_manager::participation::seed::load(storage, PARTICIPATION_SEED, now, DEMO_CITIZEN_PIN)
        .await
        .context("loading the forums and communities seed")?;
    plaza_manager::have_a_say::seed::load(
        storage,
        DEMO_CENTRE,
        &DEMO_NEIGHBOURHOODS.map(str::to_owned),
        now,
    )
    .await
    .context("loading the consultations and proposals seed")?;
    seed_catalogues(state).await?;
    plaza_manager::requests::seed::load(storage, plaza_manager::requests::seed::DEMO_SERVICE_TYPES)
        .await
        .context("loading the request service types")?;
    let admin_token = new_secret(API_TOKEN_PREFIX)?;
    storage
        .create_api_token(
            "demo".to_owned(),
            Role::Admin,
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
                    role: Role::Admin,
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
        kiosk_token: enrolled.token,
    })
}

/// The demo municipality's procedures, tenders and networks (built into the
/// binary, so the demo runs from any folder). Importing is idempotent: a
/// kept data folder only changes when the seed content did.
async fn seed_catalogues(state: &AppState) -> anyhow::Result<()> {
    const PROCEDURES: &str = include_str!("../assets/content/procedures.json");
    const TENDERS: &str = include_str!("../assets/content/tenders.json");
    const NETWORKS: &str = include_str!("../assets/content/networks.json");
    let storage = &state.storage;
    let now = state.clock.now();
    let folder = std::path::Path::new("assets/content");
    import_text::<Procedure>(
        storage,
        &folder.join("procedures.json"),
        PROCEDURES,
        false,
        "demo",
        now,
    )
    .await?;
    import_text::<Tender>(
        storage,
        &folder.join("tenders.json"),
        TENDERS,
        false,
        "demo",
        now,
    )
    .await?;
    let report = import_text::<Network>(
        storage,
        &folder.join("networks.json"),
        NETWORKS,
        false,
        "demo",
        now,
    )
    .await?;
    tracing::info!(
        content_version = report.content_version,
        "demo catalogues loaded"
    );
    Ok(())
}
