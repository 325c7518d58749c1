//! Benchmark (ignored by default): votes on a consultation that already
//! has 100,000 ballots. Durable votes per second through
//! `POST /api/v1/participation/consultations/{id}/votes` (answered after
//! the commit), 32 in flight, against the event-ingest path
//! (`POST /api/v1/events`, one event per request, 32 in flight) measured
//! in the same run; and the results' latency at that size.
//!
//! cargo test -p plaza-manager --test dashboard say_bench -- --ignored --nocapture

use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use jiff::SignedDuration;
use plaza_api::events::{Event, EventPayload, SessionStarted};
use plaza_api::have_a_say::{ChoiceKind, Eligibility, Localized};
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::session::Language;
use plaza_manager::auth::{hash_secret, new_secret};
use plaza_manager::participation::auth::CITIZEN_TOKEN_PREFIX;
use plaza_manager::storage::citizens::NewLogin;
use plaza_manager::storage::have_a_say::ballots::CastVote;
use plaza_manager::storage::have_a_say::consultations::NewConsultationRecord;
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::bench::{latencies, percentile, report};

const CAST: usize = 100_000;
const MEASURED: usize = 5_000;
const IN_FLIGHT: usize = 32;
const SAMPLES: usize = 200;

fn text(es: &str) -> Localized {
    Localized {
        es: es.to_owned(),
        en: None,
    }
}

/// Requests per second of `count` POSTs, `IN_FLIGHT` at a time, each
/// built by `post` and answered with `expected`.
async fn throughput<F>(count: usize, expected: StatusCode, post: F) -> f64
where
    F: Fn(usize) -> reqwest::RequestBuilder,
{
    let started = Instant::now();
    stream::iter(0..count)
        .map(|index| {
            let request = post(index);
            async move {
                let response = request.send().await.expect("post");
                assert_eq!(response.status(), expected);
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<()>>()
        .await;
    count as f64 / started.elapsed().as_secs_f64()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn say_bench_votes_over_a_hundred_thousand_ballots() {
    let manager = TestManager::start().await;
    let centre = manager.add_centre("Centro", &["La Loma"]).await;
    let kiosk = manager.enrol_kiosk("Centro", "pc-1").await;
    let storage = &manager.state.storage;
    let now = manager.now();
    let consultation = storage
        .create_consultation(
            NewConsultationRecord {
                question: text("¿Dónde ponemos la nueva plaza?"),
                description: text("Elegí un lugar."),
                kind: ChoiceKind::Single,
                max_choices: 1,
                options: vec![text("La Loma"), text("Centro"), text("Las Flores")],
                opens_at: now - SignedDuration::from_hours(1),
                closes_at: now + SignedDuration::from_hours(24 * 30),
                neighbourhoods: vec![],
                eligibility: Eligibility::AnyAccount,
                live_results: true,
            },
            "bench".to_owned(),
            now,
        )
        .await
        .expect("consultation")
        .id;

    let filling = Instant::now();
    let mut citizens = Vec::with_capacity(CAST + MEASURED);
    for index in 0..CAST + MEASURED {
        let alias = format!("vecino{index}");
        let citizen = storage
            .create_citizen(alias.clone(), alias, "not a real hash".to_owned(), now)
            .await
            .expect("citizen");
        citizens.push(citizen.id);
    }
    stream::iter(citizens[..CAST].iter().enumerate())
        .map(|(index, citizen)| async move {
            storage
                .cast_vote(CastVote {
                    consultation_id: consultation,
                    citizen_id: *citizen,
                    choices: vec![u32::try_from(index % 3).expect("fits")],
                    now,
                })
                .await
                .expect("cast")
                .expect("counted");
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<()>>()
        .await;
    let mut tokens = Vec::with_capacity(MEASURED);
    for citizen in &citizens[CAST..] {
        let token = new_secret(CITIZEN_TOKEN_PREFIX).expect("token");
        storage
            .record_login(NewLogin {
                citizen_id: *citizen,
                kiosk_id: kiosk.kiosk_id,
                centre_id: centre.id,
                session_id: Uuid::now_v7(),
                token_hash: hash_secret(&token),
                now,
                expires_at: now + SignedDuration::from_hours(1),
            })
            .await
            .expect("login")
            .expect("logged in");
        tokens.push(token);
    }
    let filling = filling.elapsed();

    let client = &manager.client;
    let votes_path = manager.url(&format!(
        "/api/v1/participation/consultations/{consultation}/votes"
    ));
    let events_path = manager.url("/api/v1/events");
    let events_per_s = throughput(MEASURED, StatusCode::OK, |_| {
        let event = Event {
            id: Uuid::now_v7(),
            at: now,
            session_id: Uuid::now_v7(),
            payload: EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        };
        client
            .post(&events_path)
            .bearer_auth(&kiosk.token)
            .json(&serde_json::json!({ "events": [event] }))
    })
    .await;
    let votes_per_s = throughput(MEASURED, StatusCode::CREATED, |index| {
        client
            .post(&votes_path)
            .bearer_auth(&kiosk.token)
            .header(CITIZEN_TOKEN_HEADER, &tokens[index])
            .json(&serde_json::json!({ "choices": [index % 3] }))
    })
    .await;
    let tally = storage
        .consultation_tally(consultation)
        .await
        .expect("tally");
    assert_eq!(tally.ballots, u64::try_from(CAST + MEASURED).expect("fits"));

    let kiosk_client = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::AUTHORIZATION,
                format!("Bearer {}", kiosk.token).parse().expect("header"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .expect("client");
    let results = format!("/api/v1/participation/consultations/{consultation}/results");
    let profile = format!("/api/v1/kiosks/{}/profile", kiosk.kiosk_id);
    latencies(&kiosk_client, &manager, &results, 5).await;
    let mut baseline = latencies(&kiosk_client, &manager, &profile, SAMPLES).await;
    let mut shown = latencies(&kiosk_client, &manager, &results, SAMPLES).await;
    let baseline_p50 = percentile(&mut baseline, 0.5);

    println!(
        "have a say: a consultation with {CAST} ballots (filled in {filling:.1?}), {MEASURED} POSTs each, {IN_FLIGHT} in flight:"
    );
    println!("  event ingest (baseline): {events_per_s:>8.0} requests/s");
    println!(
        "  votes:                   {votes_per_s:>8.0} votes/s ({:.2}x the baseline)",
        votes_per_s / events_per_s
    );
    println!("results with {} ballots, {SAMPLES} GETs:", tally.ballots);
    report("kiosk profile (baseline)", &mut baseline, baseline_p50);
    report("consultation results", &mut shown, baseline_p50);
}
