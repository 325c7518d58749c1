//! Event batches: idempotence, partial acceptance, limits.

use jiff::Timestamp;
use plaza_api::events::EventBatchResponse;
use plaza_api::session::{EndReason, Section};
use serde_json::json;
use uuid::Uuid;

use crate::common::{
    CENTRE, batch, ended, error_code, manager_with_kiosk, post_events, section, started,
};

#[tokio::test]
async fn a_repeated_batch_is_acknowledged_but_counted_once() {
    let (manager, _, token) = manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    let events = [
        started(session, now),
        section(session, now, Section::Procedures),
    ];
    let ids: Vec<Uuid> = events.iter().map(|event| event.id).collect();

    let first: EventBatchResponse = post_events(&manager, &token, &batch(&events))
        .await
        .json()
        .await
        .expect("reply");
    assert_eq!(first.accepted, ids);
    assert_eq!(first.duplicates, 0);

    let second: EventBatchResponse = post_events(&manager, &token, &batch(&events))
        .await
        .json()
        .await
        .expect("reply");
    assert_eq!(
        second.accepted, ids,
        "duplicates are acknowledged so the outbox can drop them"
    );
    assert_eq!(second.duplicates, 2);

    assert_eq!(manager.state.storage.event_count().await.expect("count"), 2);
    let summary = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(
        summary.sections,
        [Section::Procedures],
        "the section was counted once"
    );
}

#[tokio::test]
async fn invalid_events_are_reported_and_valid_ones_stored() {
    let (manager, _, token) = manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    let good = started(session, now);
    let also_good = section(session, now, Section::Help);
    let bad_id = Uuid::now_v7();
    let body = json!({ "events": [
        good,
        { "id": bad_id, "kind": "teleported", "at": now, "session_id": session, "data": {} },
        { "id": "not-a-uuid", "kind": "section_opened", "at": now, "session_id": session, "data": { "section": "help" } },
        { "id": Uuid::now_v7(), "kind": "section_opened", "at": now, "session_id": session, "data": { "section": 7 } },
        { "id": Uuid::now_v7(), "kind": "section_opened", "at": "yesterday", "session_id": session, "data": { "section": "help" } },
        { "id": Uuid::now_v7(), "kind": "session_ended", "at": now, "session_id": session, "data": { "reason": "lost" } },
        also_good,
    ]});
    let response = post_events(&manager, &token, &body).await;
    assert_eq!(response.status(), 200);
    let reply: EventBatchResponse = response.json().await.expect("reply");
    assert_eq!(reply.accepted, [good.id, also_good.id]);
    let rejected: Vec<usize> = reply
        .rejected
        .iter()
        .map(|rejection| rejection.index)
        .collect();
    assert_eq!(rejected, [1, 2, 3, 4, 5]);
    assert_eq!(reply.rejected[0].id, Some(bad_id));
    assert!(
        reply.rejected[0].reason.contains("teleported"),
        "{}",
        reply.rejected[0].reason
    );
    assert_eq!(reply.rejected[1].id, None);
    assert!(
        reply
            .rejected
            .iter()
            .all(|rejection| !rejection.reason.is_empty())
    );
    assert_eq!(manager.state.storage.event_count().await.expect("count"), 2);
}

#[tokio::test]
async fn more_than_a_thousand_events_is_too_large_and_stores_nothing() {
    let (manager, _, token) = manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    let events: Vec<_> = (0..1001)
        .map(|_| section(session, now, Section::Help))
        .collect();
    let response = post_events(&manager, &token, &batch(&events)).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "batch_too_large");
    assert_eq!(manager.state.storage.event_count().await.expect("count"), 0);

    let full: Vec<_> = (0..1000)
        .map(|_| section(session, now, Section::Help))
        .collect();
    let reply: EventBatchResponse = post_events(&manager, &token, &batch(&full))
        .await
        .json()
        .await
        .expect("reply");
    assert_eq!(reply.accepted.len(), 1000);
}

#[tokio::test]
async fn a_kiosk_cannot_write_into_another_kiosks_session() {
    let (manager, _, token) = manager_with_kiosk().await;
    let intruder = manager.enrol_kiosk(CENTRE, "pc-66").await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    post_events(&manager, &token, &batch(&[started(session, now)])).await;
    let forged = ended(session, now, EndReason::Logout);
    let reply: EventBatchResponse = post_events(&manager, &intruder.token, &batch(&[forged]))
        .await
        .json()
        .await
        .expect("reply");
    assert!(reply.accepted.is_empty());
    assert_eq!(reply.rejected.len(), 1);
    let summary = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(summary.ended_at, None);
}

#[tokio::test]
async fn events_need_a_kiosk_token() {
    let (manager, _, _) = manager_with_kiosk().await;
    let response = post_events(
        &manager,
        "pza_staff-tokens-are-not-kiosk-tokens",
        &json!({ "events": [] }),
    )
    .await;
    assert_eq!(response.status(), 401);
}
