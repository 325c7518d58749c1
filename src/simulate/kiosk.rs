//! One simulated kiosk: the real kiosk logic (`Terminal`, its SQLite
//! outbox, `Delivery`, and the `Link` that heartbeats and reads the answers)
//! driven by a simulated citizen instead of a screen, on a clock that runs
//! `speed` times faster. Like a real kiosk it takes the centre's session
//! rules from each answer, and reports the content version announced (a
//! simulated kiosk has no copy to sync: it stands for one kept up to date).
//!
//! Heartbeats carry the real time (they report the present); events carry
//! the simulated time, so a run backfills the day that ends now.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use plaza_api::events::{
    EventPayload, NetworkViewed, PostWritten, ProcedureViewed, SearchMade, TenderViewed,
};
use plaza_api::heartbeat::Health;
use plaza_kiosk::health::Readings;
use plaza_kiosk::link::{Backoff, Delivery, Effect, Link, ManagerClient};
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::session::SessionRules;
use plaza_kiosk::terminal::{Preferences, Terminal};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::time::Instant;

use super::model::{self, Action, Catalogue, Visit};
use super::progress::Progress;

/// Visits per kiosk per busy hour when the centre is at its busiest.
const ARRIVALS_PER_BUSY_HOUR: f64 = 1.6;
const BATCH_SIZE: usize = 200;

/// What every kiosk of the run shares.
pub struct Shared {
    pub catalogue: Catalogue,
    pub time_zone: TimeZone,
    /// Real instant and simulated time at the start of the run.
    pub started: Instant,
    pub simulated_start: Timestamp,
    pub speed: f64,
    pub deadline: Instant,
    pub heartbeat_interval: Duration,
    pub progress: Arc<Progress>,
}

impl Shared {
    fn simulated_now(&self) -> Timestamp {
        let elapsed = self.started.elapsed().as_secs_f64() * self.speed;
        self.simulated_start + SignedDuration::from_secs_f64(elapsed)
    }
}

/// A kiosk that went off the network: when, and for how long (simulated).
#[derive(Debug, Clone, Copy)]
pub struct Outage {
    pub from: Timestamp,
    pub until: Timestamp,
}

pub struct SimulatedKiosk {
    pub client: ManagerClient,
    pub neighbourhoods: Vec<String>,
    pub rules: SessionRules,
    pub outage: Option<Outage>,
    pub index: usize,
    pub seed: u64,
}

struct Running {
    visit: Visit,
    started_at: Timestamp,
    next_step: usize,
}

impl SimulatedKiosk {
    /// Runs until the shared deadline, then delivers what is left.
    pub async fn run(self, shared: Arc<Shared>) -> anyhow::Result<()> {
        let mut random = StdRng::seed_from_u64(self.seed);
        let outbox = Outbox::in_memory()?;
        let mut terminal = Terminal::new(outbox.clone(), self.rules);
        let delivery = Delivery::new(outbox.clone(), self.client.clone(), BATCH_SIZE);
        let mut link = Link::new(
            Some(self.client.clone()),
            DriftingHealth::new(StdRng::seed_from_u64(random.random())),
        );
        let mut content_version = None;
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let mut running: Option<Running> = None;
        // One simulated minute of real time, at least 20 ms.
        let step = Duration::from_secs_f64((60.0 / shared.speed).max(0.02));
        // Heartbeats start spread over one interval, as real kiosks do.
        let mut next_heartbeat =
            Instant::now() + shared.heartbeat_interval.mul_f64(random.random::<f64>());
        let mut next_delivery = Instant::now();
        let mut simulated = shared.simulated_now();

        while Instant::now() < shared.deadline {
            tokio::time::sleep(step).await;
            let now = shared.simulated_now();
            // Every simulated minute since the last wake-up.
            while simulated < now {
                simulated += SignedDuration::from_mins(1);
                self.citizen_minute(&mut random, &shared, &mut terminal, &mut running, simulated)?;
            }
            let offline = self
                .outage
                .is_some_and(|outage| outage.from <= now && now < outage.until);
            if offline {
                continue;
            }
            if Instant::now() >= next_heartbeat {
                next_heartbeat += shared.heartbeat_interval;
                if let Some(heartbeat) =
                    link.heartbeat(Timestamp::now(), &terminal, content_version)
                {
                    let sent = Instant::now();
                    let (request, result) = heartbeat.send().await;
                    shared.progress.request(sent.elapsed(), result.is_ok());
                    for effect in link.answered(Timestamp::now(), &request, result) {
                        match effect {
                            Effect::SessionRules {
                                allotment_s,
                                extension_s,
                            } => terminal
                                .set_rules(terminal.rules().at_centre(allotment_s, extension_s)),
                            Effect::ContentVersion(version) => content_version = Some(version),
                            Effect::Command(command) => {
                                terminal.apply(now, &command.action)?;
                                if terminal.session().is_none() {
                                    running = None;
                                }
                                link.carried_out(command.id);
                            }
                        }
                    }
                }
            }
            if Instant::now() >= next_delivery {
                let sent = Instant::now();
                match delivery.deliver_pending().await {
                    Ok(report) => {
                        shared.progress.request(sent.elapsed(), true);
                        shared
                            .progress
                            .delivered(report.delivered, report.duplicates);
                        backoff.succeeded();
                        next_delivery = Instant::now() + shared.heartbeat_interval / 2;
                    }
                    Err(_) => {
                        shared.progress.request(sent.elapsed(), false);
                        next_delivery = Instant::now() + backoff.failed(random.random());
                    }
                }
            }
            shared.progress.outbox(self.index, outbox.len()?);
        }
        if let Some(open) = running.take() {
            terminal.end_session(shared.simulated_now(), open.visit.end)?;
        }
        // What is left is delivered, as a kiosk does when it comes back.
        let report = delivery.deliver_pending().await?;
        shared
            .progress
            .delivered(report.delivered, report.duplicates);
        shared.progress.outbox(self.index, outbox.len()?);
        Ok(())
    }

    /// One simulated minute of the citizen in front of the kiosk.
    fn citizen_minute(
        &self,
        random: &mut StdRng,
        shared: &Shared,
        terminal: &mut Terminal,
        running: &mut Option<Running>,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        if let Some(open) = running {
            let elapsed = now.duration_since(open.started_at);
            while let Some(step) = open.visit.steps.get(open.next_step)
                && step.after <= elapsed
            {
                record(terminal, now, &step.action)?;
                shared.progress.event();
                open.next_step += 1;
            }
            if let Some(session) = terminal.session_mut() {
                // The citizen keeps reading and typing between steps.
                session.input(now);
            }
            if elapsed >= open.visit.length || terminal.session().is_none() {
                terminal.end_session(now, open.visit.end)?;
                *running = None;
            }
            return Ok(());
        }
        let local = now.to_zoned(shared.time_zone.clone());
        let chance = ARRIVALS_PER_BUSY_HOUR * model::demand(&local) / 60.0;
        if terminal.is_locked() || !random.random_bool(chance.clamp(0.0, 1.0)) {
            return Ok(());
        }
        let allotment = SignedDuration::from_secs(i64::from(terminal.rules().allotment_s));
        let visit = model::visit(random, &self.neighbourhoods, &shared.catalogue, allotment);
        let preferences = Preferences {
            language: visit.language,
            large_text: visit.large_text,
            high_contrast: visit.high_contrast,
        };
        if terminal.start_session(now, preferences)?.is_none() {
            return Ok(());
        }
        if let Some(answers) = visit.survey.clone() {
            terminal.answer_survey(now, answers)?;
        }
        shared.progress.session();
        *running = Some(Running {
            visit,
            started_at: now,
            next_step: 0,
        });
        Ok(())
    }
}

fn record(terminal: &mut Terminal, now: Timestamp, action: &Action) -> anyhow::Result<()> {
    match action {
        Action::Open(section) => terminal.open_section(now, *section)?,
        Action::Extend { by_s } => {
            terminal.extend(now, *by_s)?;
        }
        Action::Search { section, results } => terminal.record_usage(
            now,
            EventPayload::SearchMade(SearchMade {
                section: *section,
                results: *results,
            }),
        )?,
        Action::ViewProcedure(id) => terminal.record_usage(
            now,
            EventPayload::ProcedureViewed(ProcedureViewed {
                procedure_id: id.clone(),
            }),
        )?,
        Action::ViewTender(id) => terminal.record_usage(
            now,
            EventPayload::TenderViewed(TenderViewed {
                tender_id: id.clone(),
            }),
        )?,
        Action::ViewNetwork(id) => terminal.record_usage(
            now,
            EventPayload::NetworkViewed(NetworkViewed {
                network_id: id.clone(),
            }),
        )?,
        Action::Post(section) => terminal.record_usage(
            now,
            EventPayload::PostWritten(PostWritten { section: *section }),
        )?,
    }
    Ok(())
}

/// Health readings that wander like a real machine's: CPU jumps around,
/// memory drifts, the disk slowly fills.
struct DriftingHealth {
    random: StdRng,
    cpu: f64,
    memory_share: f64,
    disk_free: u64,
    uptime_s: u64,
}

const MEMORY_TOTAL: u64 = 4 << 30;
const DISK_TOTAL: u64 = 120 << 30;

impl DriftingHealth {
    fn new(mut random: StdRng) -> Self {
        Self {
            cpu: random.random_range(3.0..20.0),
            memory_share: random.random_range(0.3..0.6),
            disk_free: (DISK_TOTAL as f64 * random.random_range(0.08..0.7)) as u64,
            uptime_s: random.random_range(600..200_000),
            random,
        }
    }
}

impl Readings for DriftingHealth {
    fn read(&mut self) -> Health {
        let random = &mut self.random;
        self.cpu = (self.cpu + random.random_range(-8.0..8.0)).clamp(1.0, 100.0);
        self.memory_share = (self.memory_share + random.random_range(-0.02..0.02)).clamp(0.2, 0.95);
        self.disk_free = self
            .disk_free
            .saturating_sub(random.random_range(0..(2 << 20)));
        self.uptime_s += 10;
        Health {
            uptime_s: self.uptime_s,
            cpu_percent: self.cpu as f32,
            memory_used_bytes: (MEMORY_TOTAL as f64 * self.memory_share) as u64,
            memory_total_bytes: MEMORY_TOTAL,
            disk_free_bytes: self.disk_free,
            disk_total_bytes: DISK_TOTAL,
        }
    }
}
