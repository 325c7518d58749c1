//! Roles and centre scoping in the JSON API, with account-owned tokens.

use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_secret, new_secret};
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{browser, fixture, page};

async fn user_token(manager: &TestManager, name: &str) -> String {
    let token = new_secret(API_TOKEN_PREFIX).expect("secret");
    manager
        .state
        .storage
        .create_user_api_token(name.to_owned(), hash_secret(&token), manager.now())
        .await
        .expect("token");
    token
}

async fn status_of(manager: &TestManager, token: &str, method: &str, path: &str) -> StatusCode {
    let request = match method {
        "POST" => manager
            .client
            .post(manager.url(path))
            .json(&json!({"action": {"kind": "unlock"}})),
        _ => manager.client.get(manager.url(path)),
    };
    request
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
        .status()
}

#[tokio::test]
async fn account_tokens_carry_role_and_centres() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let north = fixture.north_kiosk.0;
    let south = fixture.south_kiosk.0;
    let sam = user_token(manager, "sam").await;
    let ana = user_token(manager, "ana").await;
    let admin = user_token(manager, "admin").await;
    let legacy = manager.staff_token(Role::Supervisor).await;

    let listed: serde_json::Value = manager
        .client
        .get(manager.url("/api/v1/kiosks"))
        .bearer_auth(&sam)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let kiosks = listed["kiosks"].as_array().expect("kiosks");
    assert_eq!(kiosks.len(), 1, "{listed}");
    assert_eq!(kiosks[0]["id"], north.to_string());

    let cases = [
        (
            &sam,
            "GET",
            format!("/api/v1/kiosks/{north}"),
            StatusCode::OK,
        ),
        (
            &sam,
            "GET",
            format!("/api/v1/kiosks/{south}"),
            StatusCode::FORBIDDEN,
        ),
        (
            &sam,
            "POST",
            format!("/api/v1/kiosks/{north}/commands"),
            StatusCode::CREATED,
        ),
        (
            &sam,
            "POST",
            format!("/api/v1/kiosks/{south}/commands"),
            StatusCode::FORBIDDEN,
        ),
        (
            &ana,
            "GET",
            "/api/v1/kiosks".to_owned(),
            StatusCode::FORBIDDEN,
        ),
        (
            &admin,
            "GET",
            format!("/api/v1/kiosks/{south}"),
            StatusCode::OK,
        ),
        (
            &legacy,
            "GET",
            format!("/api/v1/kiosks/{south}"),
            StatusCode::OK,
        ),
    ];
    for (token, method, path, expected) in cases {
        assert_eq!(
            status_of(manager, token, method, &path).await,
            expected,
            "{method} {path}"
        );
    }

    manager
        .state
        .storage
        .disable_user("sam".to_owned(), manager.now(), "test".to_owned())
        .await
        .expect("disable");
    assert_eq!(
        status_of(manager, &sam, "GET", "/api/v1/kiosks").await,
        StatusCode::UNAUTHORIZED,
        "a disabled account's token is revoked"
    );
}

#[tokio::test]
async fn pages_send_strangers_to_the_login_form() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let stranger = browser();
    for path in [
        "/dashboard".to_owned(),
        "/dashboard/audit".to_owned(),
        "/dashboard/floor/events".to_owned(),
        format!("/dashboard/kiosks/{}", fixture.north_kiosk.0),
    ] {
        let response = stranger.get(manager.url(&path)).send().await.expect("page");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.headers()["location"], "/dashboard/login", "{path}");
    }
    let (status, html) = page(&stranger, manager, "/dashboard/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("type=\"password\""));
}
