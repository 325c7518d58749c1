//! A network that refuses, delays and cuts connections mid-request and
//! mid-response: every event still arrives exactly once.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use jiff::Timestamp;
use plaza_api::events::{Event, EventBatchResponse, EventPayload, SectionOpened};
use plaza_api::session::Section;
use plaza_manager::testing::TestManager;
use serde_json::json;
use uuid::Uuid;

use crate::proxy::FaultProxy;

const CENTRE: &str = "Centro Comunitario Las Flores";
const BATCHES: usize = 60;
const BATCH_SIZE: usize = 50;
/// Attempts per batch before the test gives up on the network.
const ATTEMPTS_MAX: usize = 200;

fn batch(session_id: Uuid) -> Vec<Event> {
    (0..BATCH_SIZE)
        .map(|_| Event {
            id: Uuid::now_v7(),
            at: Timestamp::now(),
            session_id,
            payload: EventPayload::SectionOpened(SectionOpened {
                section: Section::Forums,
            }),
        })
        .collect()
}

#[tokio::test]
async fn a_flaky_network_loses_and_doubles_nothing() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Las Flores"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let proxy = FaultProxy::start(manager.address, 0x9e37_79b9, 0.4).await;
    // A new connection per request, so every attempt meets the proxy's dice.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client");
    let session = Uuid::now_v7();

    let mut sent = HashSet::new();
    let mut retries = 0;
    let mut duplicates = 0;
    for _ in 0..BATCHES {
        let events = batch(session);
        sent.extend(events.iter().map(|event| event.id));
        let mut attempts = 0;
        let reply: EventBatchResponse = loop {
            attempts += 1;
            assert!(
                attempts <= ATTEMPTS_MAX,
                "the network never let a batch through"
            );
            let answer = client
                .post(format!("{}/api/v1/events", proxy.url))
                .bearer_auth(&kiosk.token)
                .json(&json!({ "events": events }))
                .send()
                .await;
            let Ok(response) = answer else { continue };
            if response.status() != 200 {
                continue;
            }
            match response.json().await {
                Ok(reply) => break reply,
                Err(_) => continue,
            }
        };
        retries += attempts - 1;
        duplicates += reply.duplicates;
        assert_eq!(
            reply.accepted.len(),
            BATCH_SIZE,
            "the whole batch acknowledged"
        );
    }

    let counts = &proxy.counts;
    for (fault, count) in [
        ("refused", &counts.refused),
        ("delayed", &counts.delayed),
        ("cut mid-request", &counts.cut_requests),
        ("cut mid-response", &counts.cut_responses),
    ] {
        assert!(
            count.load(Ordering::Relaxed) > 0,
            "no connection was {fault}: the test proved nothing"
        );
    }
    assert!(retries > 0);

    let stored = manager
        .state
        .storage
        .stored_event_ids(sent.iter().copied().collect())
        .await
        .expect("stored ids");
    assert_eq!(stored.len(), sent.len(), "every event arrived");
    assert_eq!(
        manager.state.storage.event_count().await.expect("count"),
        sent.len() as u64,
        "nothing stored twice"
    );
    let summary = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(summary.sections, vec![Section::Forums]);
    eprintln!(
        "{} events in {BATCHES} batches: {retries} retries, {duplicates} duplicates answered, 0 lost",
        sent.len()
    );
    manager.stop().await;
}
