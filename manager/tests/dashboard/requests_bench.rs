//! Benchmark (ignored by default): the requests queue and Open311's
//! `requests.json` over 100,000 requests filed over 180 days at five
//! centres, against the login page (the same server, middleware and
//! rendering without storage) measured in the same run.
//!
//! cargo test -p plaza-manager --test dashboard requests_bench -- --ignored --nocapture

use std::time::Instant;

use jiff::SignedDuration;
use plaza_api::requests::{RequestChannel, RequestStatus};
use plaza_api::staff::Role;
use plaza_manager::storage::requests::{NewRequestRecord, Transition};
use plaza_manager::testing::TestManager;

use crate::bench::{latencies, percentile, report};
use crate::common::{add_user, signed_in};
use crate::requests::seed_service_types;

const REQUESTS: usize = 100_000;
const CENTRES: usize = 5;
const DAYS: i64 = 180;
const SAMPLES: usize = 200;
const NEIGHBOURHOODS: [&str; 4] = ["La Loma", "Centro", "Barrio Norte", "Las Flores"];

/// A distinct ticket per index, in the ticket alphabet, shown as `XXXX-XXXX`.
fn ticket(index: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rest = index;
    let mut symbols = Vec::with_capacity(8);
    for _ in 0..8 {
        symbols.push(char::from(ALPHABET[rest % ALPHABET.len()]));
        rest /= ALPHABET.len();
    }
    let symbols: String = symbols.into_iter().rev().collect();
    format!("{}-{}", &symbols[..4], &symbols[4..])
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn requests_bench_over_a_hundred_thousand_requests() {
    let manager = TestManager::start().await;
    seed_service_types(&manager).await;
    let storage = &manager.state.storage;
    let codes: Vec<String> = storage
        .service_types()
        .await
        .expect("service types")
        .into_iter()
        .map(|service| service.code)
        .collect();
    let mut centres = Vec::with_capacity(CENTRES);
    for index in 0..CENTRES {
        let name = format!("Centro {index}");
        centres.push(manager.add_centre(&name, &NEIGHBOURHOODS).await.id);
    }
    add_user(&manager, "admin", Role::Admin, &[]).await;
    add_user(&manager, "supervisor", Role::Supervisor, &["Centro 0"]).await;

    let filing = Instant::now();
    let first = manager.now() - SignedDuration::from_hours(24 * DAYS);
    let step = SignedDuration::from_hours(24 * DAYS) / i32::try_from(REQUESTS).expect("fits");
    for index in 0..REQUESTS {
        let now = first + step * i32::try_from(index).expect("fits");
        let filed = storage
            .file_request(NewRequestRecord {
                ticket: ticket(index),
                service_code: codes[index % codes.len()].clone(),
                description: format!(
                    "Pedido de prueba número {index}: la luz de la esquina no anda."
                ),
                neighbourhood: Some(NEIGHBOURHOODS[index % NEIGHBOURHOODS.len()].to_owned()),
                street: Some("Av. San Martín 1200".to_owned()),
                reference: Some("frente a la escuela".to_owned()),
                lat: None,
                lon: None,
                attributes: serde_json::Map::new(),
                channel: RequestChannel::Kiosk,
                centre_id: Some(centres[index % CENTRES]),
                citizen_id: None,
                actor: "bench".to_owned(),
                now,
            })
            .await
            .expect("file");
        // Most older requests have been dealt with, as in a real queue.
        if index % 4 != 0 && index < REQUESTS * 3 / 4 {
            storage
                .change_request_status(Transition {
                    request_id: filed.id,
                    status: RequestStatus::Closed,
                    public_note: "Arreglado.".to_owned(),
                    internal_note: None,
                    actor: "bench".to_owned(),
                    now,
                })
                .await
                .expect("change")
                .expect("allowed");
        }
    }
    let filing = filing.elapsed();

    let admin = signed_in(&manager, "admin").await;
    let supervisor = signed_in(&manager, "supervisor").await;
    let paths = [
        (&admin, "/dashboard/requests"),
        (&admin, "/dashboard/requests?status=open"),
        (
            &admin,
            "/dashboard/requests?service_code=baches&status=open&neighbourhood=La+Loma&older_than_days=30",
        ),
        (&supervisor, "/dashboard/requests?status=open"),
        (&admin, "/open311/v2/requests.json"),
        (
            &admin,
            "/open311/v2/requests.json?status=open&service_code=baches",
        ),
    ];
    for (client, path) in &paths {
        latencies(client, &manager, path, 5).await;
    }
    let mut baseline = latencies(&admin, &manager, "/dashboard/login", SAMPLES).await;
    let baseline_p50 = percentile(&mut baseline, 0.5);
    println!(
        "requests over {REQUESTS} requests in {CENTRES} centres ({DAYS} days; filed in {filing:.1?}), {SAMPLES} GETs each:"
    );
    report("login page (baseline)", &mut baseline, baseline_p50);
    for (client, path) in &paths {
        let mut samples = latencies(client, &manager, path, SAMPLES).await;
        let label = if std::ptr::eq(*client, &supervisor) {
            format!("{path} (a supervisor's centre)")
        } else {
            (*path).to_owned()
        };
        report(&label, &mut samples, baseline_p50);
    }
}
