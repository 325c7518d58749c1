//! A real manager on a loopback port, and a kiosk's logic linked to it.

#![allow(dead_code)]

use std::time::Duration;

use plaza_api::heartbeat::CommandAction;
use plaza_api::kiosks::{CommandRequest, KioskDetail};
use plaza_api::staff::Role;
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::ManagerClient;
use plaza_manager::testing::TestManager;
use uuid::Uuid;

pub const CENTRE: &str = "Biblioteca Norte";

/// A manager with one centre, and a kiosk client enrolled through the API.
pub async fn enrolled_kiosk() -> (TestManager, ManagerClient, Credentials) {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro", "La Loma"]).await;
    let code = manager.enrolment_code(CENTRE).await;
    let client = ManagerClient::new(&manager.url, Duration::from_secs(5)).expect("client");
    let enrolled = client.enrol(&code, "pc-test").await.expect("enrol");
    let credentials = Credentials {
        manager_url: manager.url.clone(),
        kiosk_id: enrolled.kiosk_id,
        token: enrolled.token,
        centre: enrolled.centre,
    };
    let client = client.with_credentials(&credentials);
    (manager, client, credentials)
}

pub async fn queue_command(manager: &TestManager, kiosk_id: Uuid, action: CommandAction) {
    let token = manager.staff_token(Role::Admin).await;
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/commands")))
        .bearer_auth(token)
        .json(&CommandRequest { action })
        .send()
        .await
        .expect("queue command");
    assert_eq!(response.status(), 201);
}

pub async fn kiosk_detail(manager: &TestManager, kiosk_id: Uuid) -> KioskDetail {
    let token = manager.staff_token(Role::Admin).await;
    manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("kiosk detail")
        .json()
        .await
        .expect("kiosk detail body")
}
