//! Heartbeat authentication, the reply, and command delivery.

use jiff::SignedDuration;
use plaza_api::heartbeat::{CommandAction, KioskState};
use plaza_api::kiosks::{CommandStatus, KioskDetail};
use plaza_api::staff::Role;
use plaza_manager::Clock;
use plaza_manager::config::StorageSettings;
use plaza_manager::storage::Storage;
use plaza_manager::testing::TestManager;
use serde_json::json;
use uuid::Uuid;

use crate::common::{
    CENTRE, error_code, heartbeat, heartbeat_ok, manager_with_kiosk, send_heartbeat,
};

#[tokio::test]
async fn missing_wrong_and_other_kiosks_tokens_are_refused() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let other = manager.enrol_kiosk(CENTRE, "pc-02").await;
    let request = heartbeat(KioskState::Idle);

    let missing = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/heartbeat")))
        .json(&request)
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), 401);
    assert_eq!(error_code(missing).await, "unauthenticated");

    let wrong = send_heartbeat(&manager, kiosk_id, "pzk_not-a-real-token", &request).await;
    assert_eq!(wrong.status(), 401);

    let others = send_heartbeat(&manager, kiosk_id, &other.token, &request).await;
    assert_eq!(others.status(), 403);
    assert_eq!(error_code(others).await, "forbidden");

    let own = send_heartbeat(&manager, kiosk_id, &token, &request).await;
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn the_reply_carries_the_centre_rules_and_the_content_version() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let reply = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert!(reply.commands.is_empty());
    assert_eq!(reply.heartbeat_interval_s, 10);
    assert_eq!(reply.session_allotment_s, 1800);
    assert_eq!(reply.session_extension_s, 900);
    assert_eq!(reply.content_version, 0);
}

#[tokio::test]
async fn invalid_health_readings_are_refused() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let mut request = heartbeat(KioskState::Idle);
    request.health.cpu_percent = 250.0;
    let response = send_heartbeat(&manager, kiosk_id, &token, &request).await;
    assert_eq!(response.status(), 422);
}

async fn queue(manager: &TestManager, kiosk_id: Uuid, action: serde_json::Value) -> CommandStatus {
    let admin = manager.staff_token(Role::Admin).await;
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/commands")))
        .bearer_auth(admin)
        .json(&json!({ "action": action }))
        .send()
        .await
        .expect("queue command");
    assert_eq!(response.status(), 201);
    response.json().await.expect("command status")
}

#[tokio::test]
async fn a_command_is_redelivered_until_acknowledged_then_never_again() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let queued = queue(
        &manager,
        kiosk_id,
        json!({ "kind": "show_message", "text": "Cerramos en 10 minutos" }),
    )
    .await;

    let first = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(first.commands.len(), 1);
    assert_eq!(first.commands[0].id, queued.id);
    assert_eq!(
        first.commands[0].action,
        CommandAction::ShowMessage {
            text: "Cerramos en 10 minutos".to_owned()
        }
    );

    // The reply was lost: the same command (same id) comes again.
    let second = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(
        second.commands.iter().map(|c| c.id).collect::<Vec<_>>(),
        [queued.id]
    );

    let mut acking = heartbeat(KioskState::Idle);
    acking.acked_commands = vec![queued.id];
    let third = heartbeat_ok(&manager, kiosk_id, &token, &acking).await;
    assert!(third.commands.is_empty());
    let fourth = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert!(fourth.commands.is_empty());

    let admin = manager.staff_token(Role::Admin).await;
    let detail: KioskDetail = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(admin)
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("detail body");
    let status = &detail.commands[0];
    assert_eq!(status.id, queued.id);
    assert!(status.delivered_at.is_some());
    assert!(status.acked_at.is_some());
}

#[tokio::test]
async fn a_command_queued_after_quiet_heartbeats_comes_with_the_next_one() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    // The second reply is the first one remembered (nothing changed).
    for _ in 0..2 {
        let quiet = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
        assert!(quiet.commands.is_empty());
    }
    let queued = queue(&manager, kiosk_id, json!({ "kind": "lock" })).await;
    let reply = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(
        reply.commands.iter().map(|c| c.id).collect::<Vec<_>>(),
        [queued.id]
    );
}

#[tokio::test]
async fn statuses_answered_from_memory_are_written_before_shutdown() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    // Answered from memory; its status waits for the writer's next group.
    heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Locked)).await;
    let database = manager.state.settings.database_path();
    let folder = manager.stop().await;

    let storage = Storage::open(&database, &StorageSettings::default()).expect("reopen");
    let kiosk = storage.kiosk(kiosk_id).await.expect("kiosk");
    assert_eq!(kiosk.status.expect("status").state, KioskState::Locked);
    storage.close().await;
    drop(folder);
}

#[tokio::test]
async fn a_kiosk_cannot_acknowledge_another_kiosks_command() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let other = manager.enrol_kiosk(CENTRE, "pc-02").await;
    let queued = queue(&manager, kiosk_id, json!({ "kind": "lock" })).await;
    let mut forged = heartbeat(KioskState::Idle);
    forged.acked_commands = vec![queued.id];
    heartbeat_ok(&manager, other.kiosk_id, &other.token, &forged).await;
    let reply = heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(reply.commands.len(), 1, "still pending for its own kiosk");
}

#[tokio::test]
async fn session_commands_expire_if_not_picked_up_in_time_but_lock_does_not() {
    let clock = Clock::manual(jiff::Timestamp::now());
    let manager = TestManager::start_with(|_| {}, clock.clone()).await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    queue(&manager, kiosk.kiosk_id, json!({ "kind": "end_session" })).await;
    queue(
        &manager,
        kiosk.kiosk_id,
        json!({ "kind": "lock", "reason": "mantenimiento" }),
    )
    .await;
    clock.advance(SignedDuration::from_secs(121));
    let reply = heartbeat_ok(
        &manager,
        kiosk.kiosk_id,
        &kiosk.token,
        &heartbeat(KioskState::Idle),
    )
    .await;
    let kinds: Vec<_> = reply.commands.iter().map(|c| c.action.kind()).collect();
    assert_eq!(kinds, ["lock"]);
}

#[tokio::test]
async fn invalid_commands_are_refused() {
    let (manager, kiosk_id, _token) = manager_with_kiosk().await;
    let admin = manager.staff_token(Role::Admin).await;
    for action in [
        json!({ "kind": "show_message", "text": "" }),
        json!({ "kind": "extend_session", "seconds": 5 }),
        json!({ "kind": "self_destruct" }),
    ] {
        let response = manager
            .client
            .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/commands")))
            .bearer_auth(&admin)
            .json(&json!({ "action": action }))
            .send()
            .await
            .expect("queue command");
        assert_eq!(response.status(), 422, "{action}");
    }
    let unknown_kiosk = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{}/commands", Uuid::now_v7())))
        .bearer_auth(&admin)
        .json(&json!({ "action": { "kind": "unlock" } }))
        .send()
        .await
        .expect("queue command");
    assert_eq!(unknown_kiosk.status(), 404);
}
