//! `plaza simulate`: a fleet of simulated kiosks, enrolled through the
//! manager's real API, living a day of an access-centre network compressed
//! by `--speed`, with the kiosk's own session, outbox and delivery logic.

mod kiosk;
pub mod model;
mod progress;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use plaza_api::centres::{CentreList, EnrolmentCode};
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::ManagerClient;
use plaza_kiosk::session::SessionRules;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::time::Instant;

use kiosk::{Outage, Shared, SimulatedKiosk};
use model::Catalogue;
use progress::{Progress, Totals};

#[derive(Debug, Clone, Args)]
pub struct SimulateOptions {
    /// The manager's base URL, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub manager: String,
    /// An admin API token (`plaza-manager token create --role admin`), to
    /// add the centres and issue enrolment codes.
    #[arg(long, env = "PLAZA_ADMIN_TOKEN", hide_env_values = true)]
    pub token: String,
    #[arg(long, default_value_t = 20)]
    pub kiosks: usize,
    #[arg(long, default_value_t = 3)]
    pub centres: usize,
    /// Real time the simulation runs, e.g. `60s` or `5m`.
    #[arg(long, default_value = "60s", value_parser = crate::bench::parse_duration)]
    pub duration: Duration,
    /// Simulated seconds per real second; 1440 plays a day in a minute.
    #[arg(long, default_value_t = 1440.0)]
    pub speed: f64,
    /// Share of kiosks that lose the network for a few simulated hours.
    #[arg(long, default_value_t = 0.1)]
    pub offline_share: f64,
    /// The centres' time zone (opening hours are local).
    #[arg(long, default_value = "America/Argentina/Cordoba")]
    pub time_zone: String,
    /// Seed for every random choice, so a run can be replayed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// No progress line (for the demo, which prints its own).
    #[arg(long)]
    pub quiet: bool,
}

/// Centres the simulation uses, with their neighbourhoods.
const CENTRES: &[(&str, &[&str])] = &[
    (
        "Punto Digital Barrio Norte",
        &["Barrio Norte", "Villa Rosa", "Los Paraísos"],
    ),
    (
        "Biblioteca Popular Sarmiento",
        &["Centro", "San Martín", "Alberdi"],
    ),
    (
        "Centro Vecinal La Loma",
        &["La Loma", "Altos del Sur", "El Mirador"],
    ),
    (
        "Telecentro Villa Esperanza",
        &["Villa Esperanza", "Ampliación Esperanza"],
    ),
    ("Casa de la Cultura", &["Centro", "Güemes", "Observatorio"]),
    (
        "Club Social Los Aromos",
        &["Los Aromos", "Parque Industrial"],
    ),
];

pub fn run(options: SimulateOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let totals = runtime.block_on(simulate(options))?;
    print_summary(&totals);
    Ok(())
}

/// Runs a simulation to its end; returns the final counters.
pub async fn simulate(options: SimulateOptions) -> anyhow::Result<Totals> {
    let time_zone = TimeZone::get(&options.time_zone)
        .with_context(|| format!("unknown time zone `{}`", options.time_zone))?;
    anyhow::ensure!(options.speed > 0.0, "--speed must be positive");
    anyhow::ensure!(options.kiosks > 0, "--kiosks must be at least 1");
    let mut random = StdRng::seed_from_u64(options.seed);
    let staff = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let centres = ensure_centres(&staff, &options).await?;
    let timeout = Duration::from_secs(10);
    let simulated_span =
        SignedDuration::from_secs_f64(options.duration.as_secs_f64() * options.speed);
    let simulated_start = Timestamp::now() - simulated_span;

    let mut fleet = Vec::with_capacity(options.kiosks);
    let mut heartbeat_interval = Duration::from_secs(10);
    for index in 0..options.kiosks {
        let (centre, neighbourhoods) = &centres[index % centres.len()];
        let code: EnrolmentCode = staff
            .post(format!(
                "{}/api/v1/centres/{}/enrolment-codes",
                options.manager.trim_end_matches('/'),
                urlencode(centre)
            ))
            .bearer_auth(&options.token)
            .send()
            .await?
            .error_for_status()
            .context("issuing an enrolment code (is the token an admin's?)")?
            .json()
            .await?;
        let unenrolled = ManagerClient::new(&options.manager, timeout)?;
        let hostname = format!("sim-{:02}-{index:04}", index % centres.len());
        let enrolled = unenrolled.enrol(&code.code, &hostname).await?;
        let client = unenrolled.with_credentials(&Credentials {
            manager_url: options.manager.clone(),
            kiosk_id: enrolled.kiosk_id,
            token: enrolled.token,
            centre: enrolled.centre,
        });
        let profile = client.profile().await?;
        heartbeat_interval = Duration::from_secs(u64::from(profile.heartbeat_interval_s.max(1)));
        let rules = plaza_kiosk::profile::session_rules(SessionRules::default(), &profile);
        let outage = random
            .random_bool(options.offline_share.clamp(0.0, 1.0))
            .then(|| {
                let from = simulated_start
                    + SignedDuration::from_secs_f64(
                        simulated_span.as_secs_f64() * random.random_range(0.1..0.7),
                    );
                Outage {
                    from,
                    until: from + SignedDuration::from_mins(random.random_range(60..360)),
                }
            });
        fleet.push(SimulatedKiosk {
            client,
            neighbourhoods: neighbourhoods.clone(),
            rules,
            outage,
            index,
            seed: options
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add(index as u64),
        });
    }

    let progress = Arc::new(Progress::new(options.kiosks));
    let started = Instant::now();
    let shared = Arc::new(Shared {
        catalogue: fetch_catalogue(&staff, &options.manager).await,
        time_zone,
        started,
        simulated_start,
        speed: options.speed,
        deadline: started + options.duration,
        heartbeat_interval,
        progress: Arc::clone(&progress),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for kiosk in fleet {
        tasks.spawn(kiosk.run(Arc::clone(&shared)));
    }
    let printer = (!options.quiet).then(|| tokio::spawn(print_progress(Arc::clone(&shared))));
    let mut failures = 0;
    while let Some(finished) = tasks.join_next().await {
        if !matches!(finished, Ok(Ok(()))) {
            failures += 1;
        }
    }
    if let Some(printer) = printer {
        printer.abort();
    }
    anyhow::ensure!(failures == 0, "{failures} simulated kiosks failed");
    Ok(progress.take())
}

/// Adds the simulation's centres that are missing; returns the ones to use.
async fn ensure_centres(
    staff: &reqwest::Client,
    options: &SimulateOptions,
) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let base = options.manager.trim_end_matches('/');
    let wanted = options.centres.clamp(1, CENTRES.len());
    for (name, neighbourhoods) in &CENTRES[..wanted] {
        let response = staff
            .post(format!("{base}/api/v1/centres"))
            .bearer_auth(&options.token)
            .json(&json!({"name": name, "neighbourhoods": neighbourhoods}))
            .send()
            .await
            .with_context(|| format!("cannot reach the manager at {base}"))?;
        // 409: it exists from an earlier run, which is fine.
        if !response.status().is_success() && response.status() != reqwest::StatusCode::CONFLICT {
            anyhow::bail!("adding centre {name}: {}", response.text().await?);
        }
    }
    let list: CentreList = staff
        .get(format!("{base}/api/v1/centres"))
        .bearer_auth(&options.token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(CENTRES[..wanted]
        .iter()
        .filter_map(|(name, _)| {
            list.centres
                .iter()
                .find(|centre| centre.name == *name)
                .map(|centre| (centre.name.clone(), centre.neighbourhoods.clone()))
        })
        .collect())
}

/// The manager's catalogue record ids, so visits view real procedures;
/// made-up ones when it has no catalogue.
async fn fetch_catalogue(client: &reqwest::Client, manager: &str) -> Catalogue {
    let url = format!("{}/api/v1/catalogue", manager.trim_end_matches('/'));
    let Ok(response) = client.get(url).send().await else {
        return Catalogue::placeholder();
    };
    let Ok(sync) = response.json::<plaza_api::catalogue::CatalogueSync>().await else {
        return Catalogue::placeholder();
    };
    if sync.procedures.is_empty() {
        return Catalogue::placeholder();
    }
    Catalogue {
        procedures: sync
            .procedures
            .into_iter()
            .map(|record| record.id)
            .collect(),
        tenders: sync.tenders.into_iter().map(|record| record.id).collect(),
        networks: sync.networks.into_iter().map(|record| record.id).collect(),
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

async fn print_progress(shared: Arc<Shared>) {
    let on_terminal = std::io::stdout().is_terminal();
    let every = if on_terminal { 1 } else { 5 };
    let mut ticker = tokio::time::interval(Duration::from_secs(every));
    ticker.tick().await;
    loop {
        ticker.tick().await;
        let totals = shared.progress.take();
        let simulated = (shared.simulated_start
            + SignedDuration::from_secs_f64(shared.started.elapsed().as_secs_f64() * shared.speed))
        .to_zoned(shared.time_zone.clone());
        let line = format!(
            "{:>4}s  simulated {}  sessions {}  events {} (delivered {}, outbox {})  requests {} errors {}  p50 {:.1} ms p99 {:.1} ms",
            shared.started.elapsed().as_secs(),
            simulated.strftime("%a %H:%M"),
            totals.sessions,
            totals.events,
            totals.delivered,
            totals.outbox,
            totals.requests,
            totals.errors,
            totals.p50.as_secs_f64() * 1000.0,
            totals.p99.as_secs_f64() * 1000.0,
        );
        if on_terminal {
            print!("\r{line}\x1b[K");
            let _ = std::io::Write::flush(&mut std::io::stdout());
        } else {
            println!("{line}");
        }
    }
}

fn print_summary(totals: &Totals) {
    println!();
    println!(
        "simulation done: {} sessions, {} events delivered ({} answered as duplicates), {} left in outboxes, {} requests, {} errors",
        totals.sessions,
        totals.delivered,
        totals.duplicates,
        totals.outbox,
        totals.requests,
        totals.errors
    );
}

#[cfg(test)]
mod tests {
    use plaza_api::staff::Role;
    use plaza_manager::testing::TestManager;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_simulated_fleet_delivers_every_event_once_through_the_real_api() {
        let manager = TestManager::start_with(
            |settings| settings.kiosks.heartbeat_interval_s = 1,
            plaza_manager::Clock::System,
        )
        .await;
        let token = manager.staff_token(Role::Admin).await;
        // Two simulated days in three seconds: always some opening hours.
        let totals = simulate(SimulateOptions {
            manager: manager.url.clone(),
            token,
            kiosks: 6,
            centres: 2,
            duration: Duration::from_secs(3),
            speed: 60_000.0,
            offline_share: 0.5,
            time_zone: "America/Argentina/Cordoba".to_owned(),
            seed: 42,
            quiet: true,
        })
        .await
        .expect("simulation");

        assert!(totals.sessions > 0, "citizens came: {totals:?}");
        assert_eq!(totals.outbox, 0, "every outbox emptied by the end");
        assert_eq!(totals.duplicates, 0);
        let stored = manager.state.storage.event_count().await.expect("count");
        assert_eq!(
            stored, totals.delivered,
            "the manager holds exactly what was delivered"
        );
        let kiosks = manager.state.storage.kiosks(None).await.expect("kiosks");
        assert_eq!(kiosks.len(), 6, "enrolled through the API");
        assert!(
            kiosks.iter().all(|kiosk| kiosk.status.is_some()),
            "all heartbeated"
        );
        manager.stop().await;
    }
}
