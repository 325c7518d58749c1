//! What staff see of kiosks, and who may see it.

use jiff::{SignedDuration, Timestamp};
use plaza_api::heartbeat::KioskState;
use plaza_api::kiosks::{KioskList, KioskStatus};
use plaza_api::staff::Role;
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;
use uuid::Uuid;

use crate::common::{CENTRE, heartbeat, heartbeat_ok, in_session};

async fn kiosks(manager: &TestManager, token: &str) -> KioskList {
    let response = manager
        .client
        .get(manager.url("/api/v1/kiosks"))
        .bearer_auth(token)
        .send()
        .await
        .expect("list kiosks");
    assert_eq!(response.status(), 200);
    response.json().await.expect("kiosk list")
}

#[tokio::test]
async fn status_follows_heartbeats_and_silence() {
    let clock = Clock::manual(Timestamp::now());
    let manager = TestManager::start_with(|_| {}, clock.clone()).await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let admin = manager.staff_token(Role::Admin).await;

    assert_eq!(
        kiosks(&manager, &admin).await.kiosks[0].status,
        KioskStatus::NeverSeen
    );

    heartbeat_ok(
        &manager,
        kiosk.kiosk_id,
        &kiosk.token,
        &heartbeat(KioskState::Idle),
    )
    .await;
    let free = &kiosks(&manager, &admin).await.kiosks[0];
    assert_eq!(free.status, KioskStatus::Free);
    assert_eq!(free.hostname, "pc-01");
    assert!(free.health.is_some());

    let session_id = Uuid::now_v7();
    let started_at = clock.now();
    heartbeat_ok(
        &manager,
        kiosk.kiosk_id,
        &kiosk.token,
        &in_session(session_id, started_at),
    )
    .await;
    clock.advance(SignedDuration::from_mins(10));
    // The kiosk's clock moves with the manager's (else it reads as skew).
    let mut later = in_session(session_id, started_at);
    later.sent_at = clock.now();
    heartbeat_ok(&manager, kiosk.kiosk_id, &kiosk.token, &later).await;
    let busy = &kiosks(&manager, &admin).await.kiosks[0];
    assert_eq!(busy.status, KioskStatus::InSession);
    let session = busy.session.as_ref().expect("live session");
    assert_eq!(session.session_id, session_id);
    assert_eq!(session.time_left_s, 20 * 60);

    heartbeat_ok(
        &manager,
        kiosk.kiosk_id,
        &kiosk.token,
        &heartbeat(KioskState::Locked),
    )
    .await;
    assert_eq!(
        kiosks(&manager, &admin).await.kiosks[0].status,
        KioskStatus::Locked
    );

    clock.advance(SignedDuration::from_secs(31));
    let silent = &kiosks(&manager, &admin).await.kiosks[0];
    assert_eq!(silent.status, KioskStatus::Offline);
    assert_eq!(silent.heartbeat_age_s, Some(31));
}

#[tokio::test]
async fn only_admins_and_supervisors_see_kiosks() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let analyst = manager.staff_token(Role::Analyst).await;
    let supervisor = manager.staff_token(Role::Supervisor).await;
    let routes = [
        "/api/v1/kiosks".to_owned(),
        format!("/api/v1/kiosks/{}", kiosk.kiosk_id),
    ];
    for route in &routes {
        let url = manager.url(route);
        let anonymous = manager.client.get(&url).send().await.expect("request");
        assert_eq!(anonymous.status(), 401, "{route}");
        let with_kiosk_token = manager
            .client
            .get(&url)
            .bearer_auth(&kiosk.token)
            .send()
            .await
            .expect("request");
        assert_eq!(
            with_kiosk_token.status(),
            401,
            "{route}: a kiosk token is not a staff token"
        );
        let as_analyst = manager
            .client
            .get(&url)
            .bearer_auth(&analyst)
            .send()
            .await
            .expect("request");
        assert_eq!(as_analyst.status(), 403, "{route}");
        let as_supervisor = manager
            .client
            .get(&url)
            .bearer_auth(&supervisor)
            .send()
            .await
            .expect("request");
        assert_eq!(as_supervisor.status(), 200, "{route}");
    }
}

#[tokio::test]
async fn a_revoked_kiosk_is_refused_and_leaves_the_list() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let admin = manager.staff_token(Role::Admin).await;
    // Its token and its heartbeat reply are now remembered by the server.
    for _ in 0..2 {
        heartbeat_ok(
            &manager,
            kiosk.kiosk_id,
            &kiosk.token,
            &heartbeat(KioskState::Idle),
        )
        .await;
    }
    manager
        .state
        .storage
        .revoke_kiosk(kiosk.kiosk_id, manager.now())
        .await
        .expect("revoke");
    let response = crate::common::send_heartbeat(
        &manager,
        kiosk.kiosk_id,
        &kiosk.token,
        &heartbeat(KioskState::Idle),
    )
    .await;
    assert_eq!(response.status(), 401);
    assert!(kiosks(&manager, &admin).await.kiosks.is_empty());
}

#[tokio::test]
async fn an_unknown_centre_filter_is_a_clear_404() {
    let (manager, _, _) = crate::common::manager_with_kiosk().await;
    let admin = manager.staff_token(Role::Admin).await;
    let response = manager
        .client
        .get(manager.url("/api/v1/kiosks?centre=Nowhere"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
    let listed = manager
        .client
        .get(manager.url("/api/v1/kiosks?centre=biblioteca%20norte"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    let list: KioskList = listed.json().await.expect("list");
    assert_eq!(list.kiosks.len(), 1);
}

/// A revocation by another process reaches the server's memory (tokens,
/// remembered heartbeat replies) with its next commit: an event batch is
/// refused at once (its write re-checks), and so is every heartbeat after.
#[tokio::test]
async fn a_kiosk_revoked_by_the_cli_while_serving_is_refused_from_the_next_commit() {
    let (manager, kiosk_id, token) = crate::common::manager_with_kiosk().await;
    // Its token and its heartbeat reply are now remembered by the server.
    for _ in 0..2 {
        heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    }

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plaza-manager"))
        .arg("--data-dir")
        .arg(manager.folder.path())
        .args(["kiosk", "revoke", &kiosk_id.to_string()])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run plaza-manager kiosk revoke");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let events = crate::common::post_events(
        &manager,
        &token,
        &crate::common::batch(&[crate::common::started(Uuid::now_v7(), Timestamp::now())]),
    )
    .await;
    assert_eq!(events.status(), 401, "events refused");
    let response =
        crate::common::send_heartbeat(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle))
            .await;
    assert_eq!(response.status(), 401, "heartbeat refused");
    assert_eq!(manager.state.storage.event_count().await.expect("count"), 0);
}
