//! Citizen accounts: sign up, alias rules, PIN lockout and its expiry,
//! tokens bound to a kiosk and its session, PIN reset, login records.

use jiff::{SignedDuration, Timestamp};
use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState, SessionProgress};
use plaza_api::participation::accounts::{CitizenLogin, CitizenProfile, PinChange, PinReset};
use plaza_api::staff::Role;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::common::{As, CENTRE, Fixture, PIN, error, error_code};

#[tokio::test]
async fn a_citizen_signs_up_and_logs_in_with_alias_and_pin() {
    let fixture = Fixture::start().await;
    let login = fixture.sign_up("Marta López").await;
    assert!(login.token.starts_with("pzc_"));
    assert_eq!(login.citizen.alias, "Marta López");
    assert_eq!(
        login.expires_at,
        fixture.manager.now() + SignedDuration::from_hours(1)
    );

    let me: CitizenProfile = fixture
        .get(As::Citizen(&login), "/citizens/me")
        .await
        .json()
        .await
        .expect("profile");
    assert_eq!(me.alias, "Marta López");

    let again = fixture.log_in("MARTA LÓPEZ", PIN).await;
    assert_eq!(
        again.status(),
        200,
        "the alias is case-insensitive at login"
    );
    let again: CitizenLogin = again.json().await.expect("login");
    assert_ne!(again.token, login.token);

    let unknown = fixture.log_in("Nobody Here", PIN).await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(error_code(unknown).await, "wrong_credentials");
}

#[tokio::test]
async fn aliases_are_unique_ignoring_case_and_follow_the_rules() {
    let fixture = Fixture::start().await;
    fixture.sign_up("Vecina_Loma").await;
    let duplicate = fixture
        .post(
            As::Kiosk,
            "/citizens",
            &fixture.credentials("vecina_LOMA", "9999"),
        )
        .await;
    assert_eq!(duplicate.status(), 409);
    assert_eq!(error_code(duplicate).await, "conflict");

    for (alias, pin, expected_code, hint) in [
        ("ab", PIN, "invalid", "3 to 24"),
        ("Admin_Plaza", PIN, "alias_reserved", "staff"),
        ("Supervisor Ana", PIN, "alias_reserved", "staff"),
        ("m1erda_man", PIN, "alias_not_allowed", "not allowed"),
        ("Ana<b>", PIN, "invalid", "letters, digits"),
        ("Valid Alias", "12", "pin_invalid", "4 to 8 digits"),
        ("Valid Alias", "12ab", "pin_invalid", "4 to 8 digits"),
    ] {
        let response = fixture
            .post(As::Kiosk, "/citizens", &fixture.credentials(alias, pin))
            .await;
        assert_eq!(response.status(), 422, "{alias} / {pin}");
        let (code, message) = error(response).await;
        assert_eq!(code, expected_code, "{alias} / {pin}");
        assert!(message.contains(hint), "{alias}: {message}");
    }

    let no_kiosk = fixture
        .post(
            As::Nobody,
            "/citizens",
            &fixture.credentials("Someone", PIN),
        )
        .await;
    assert_eq!(no_kiosk.status(), 401, "only a kiosk signs citizens up");
}

#[tokio::test]
async fn five_wrong_pins_lock_the_account_for_fifteen_minutes() {
    let fixture = Fixture::start().await;
    fixture.sign_up("Rosa").await;
    for _ in 1..=4 {
        let response = fixture.log_in("Rosa", "0000").await;
        assert_eq!(response.status(), 401);
        // No count of tries left: an unknown alias could not show one.
        assert_eq!(error_code(response).await, "wrong_credentials");
    }
    let locked = fixture.log_in("Rosa", "0000").await;
    assert_eq!(locked.status(), 429);
    assert_eq!(
        locked.headers()["retry-after"].to_str().expect("header"),
        "900"
    );
    let (code, message) = error(locked).await;
    assert_eq!(code, "account_locked");
    let retry_at = (fixture.manager.now() + SignedDuration::from_mins(15))
        .strftime("%H:%M")
        .to_string();
    assert!(
        message.contains(&retry_at),
        "{message} should say {retry_at}"
    );

    let right_pin_while_locked = fixture.log_in("Rosa", PIN).await;
    assert_eq!(
        right_pin_while_locked.status(),
        429,
        "locked even for the right PIN"
    );

    fixture.advance(SignedDuration::from_mins(14));
    assert_eq!(fixture.log_in("Rosa", PIN).await.status(), 429);
    fixture.advance(SignedDuration::from_mins(1));
    assert_eq!(
        fixture.log_in("Rosa", PIN).await.status(),
        200,
        "unlocked after 15 minutes"
    );

    // The count starts again from zero after the lock.
    for _ in 1..=4 {
        assert_eq!(fixture.log_in("Rosa", "0000").await.status(), 401);
    }
    assert_eq!(fixture.log_in("Rosa", "0000").await.status(), 429);
}

#[tokio::test]
async fn a_citizen_token_works_only_on_the_kiosk_that_logged_in() {
    let fixture = Fixture::start().await;
    let login = fixture.sign_up("Julián").await;
    let other_kiosk = fixture.manager.enrol_kiosk(CENTRE, "pc-02").await;
    let elsewhere = fixture
        .get(As::CitizenAt(&login, &other_kiosk), "/citizens/me")
        .await;
    assert_eq!(elsewhere.status(), 403);
    assert_eq!(
        fixture
            .get(As::Citizen(&login), "/citizens/me")
            .await
            .status(),
        200
    );
    let without_kiosk = fixture
        .manager
        .client
        .get(fixture.manager.url("/api/v1/citizens/me"))
        .header("x-citizen-token", &login.token)
        .send()
        .await
        .expect("request");
    assert_eq!(
        without_kiosk.status(),
        401,
        "the kiosk's bearer token is required too"
    );
    let forged = fixture
        .request(As::Kiosk, Method::GET, "/citizens/me")
        .header("x-citizen-token", "pzc_forged")
        .send()
        .await
        .expect("request");
    assert_eq!(error_code(forged).await, "citizen_login_expired");
}

fn session_ended(session_id: Uuid, reason: &str) -> serde_json::Value {
    json!({ "events": [{
        "id": Uuid::now_v7(),
        "kind": "session_ended",
        "at": Timestamp::now(),
        "session_id": session_id,
        "data": { "reason": reason },
    }]})
}

fn heartbeat(session: Option<Uuid>) -> HeartbeatRequest {
    HeartbeatRequest {
        sent_at: Timestamp::now(),
        state: if session.is_some() {
            KioskState::InSession
        } else {
            KioskState::Idle
        },
        app_version: "0.1.0".to_owned(),
        health: Health {
            uptime_s: 60,
            cpu_percent: 5.0,
            memory_used_bytes: 1,
            memory_total_bytes: 2,
            disk_free_bytes: 1,
            disk_total_bytes: 2,
        },
        outbox_len: 0,
        last_error: None,
        session: session.map(|session_id| SessionProgress {
            session_id,
            started_at: Timestamp::now(),
            ends_at: Timestamp::now() + SignedDuration::from_mins(30),
        }),
        acked_commands: Vec::new(),
        content_version: None,
    }
}

#[tokio::test]
async fn the_login_ends_with_the_kiosk_session() {
    let fixture = Fixture::start().await;
    let login = fixture.sign_up("Pedro").await;
    let events = fixture
        .post(
            As::Kiosk,
            "/events",
            &session_ended(fixture.session_id, "timeout"),
        )
        .await;
    assert_eq!(events.status(), 200);
    let after = fixture.get(As::Citizen(&login), "/citizens/me").await;
    assert_eq!(after.status(), 401);
    assert_eq!(error_code(after).await, "citizen_login_expired");

    let stale = fixture.log_in("Pedro", PIN).await;
    assert_eq!(stale.status(), 409, "no login into a session that is over");
}

#[tokio::test]
async fn the_login_ends_when_the_kiosk_reports_another_session_or_none() {
    let fixture = Fixture::start().await;
    let heartbeat_path = format!("/kiosks/{}/heartbeat", fixture.kiosk.kiosk_id);
    let login = fixture.sign_up("Lucía").await;
    let same = fixture
        .post(
            As::Kiosk,
            &heartbeat_path,
            &heartbeat(Some(fixture.session_id)),
        )
        .await;
    assert_eq!(same.status(), 200);
    assert_eq!(
        fixture
            .get(As::Citizen(&login), "/citizens/me")
            .await
            .status(),
        200
    );

    // The kiosk is idle now (the session wipe happened; its end event is
    // still in the outbox).
    fixture.advance(SignedDuration::from_secs(10));
    fixture
        .post(As::Kiosk, &heartbeat_path, &heartbeat(None))
        .await;
    assert_eq!(
        fixture
            .get(As::Citizen(&login), "/citizens/me")
            .await
            .status(),
        401
    );

    let next = fixture.log_in("Lucía", PIN).await;
    let next: CitizenLogin = next.json().await.expect("login");
    fixture.advance(SignedDuration::from_secs(10));
    fixture
        .post(As::Kiosk, &heartbeat_path, &heartbeat(Some(Uuid::now_v7())))
        .await;
    assert_eq!(
        fixture
            .get(As::Citizen(&next), "/citizens/me")
            .await
            .status(),
        401,
        "another session on the kiosk ends the login"
    );
}

#[tokio::test]
async fn the_login_ends_after_an_hour_or_on_logout() {
    let fixture = Fixture::start().await;
    let login = fixture.sign_up("Carmen").await;
    fixture.advance(SignedDuration::from_mins(59));
    assert_eq!(
        fixture
            .get(As::Citizen(&login), "/citizens/me")
            .await
            .status(),
        200
    );
    fixture.advance(SignedDuration::from_mins(1));
    assert_eq!(
        fixture
            .get(As::Citizen(&login), "/citizens/me")
            .await
            .status(),
        401
    );
    let pruned = fixture
        .manager
        .state
        .storage
        .prune_citizen_tokens(fixture.manager.now())
        .await
        .expect("prune");
    assert_eq!(pruned, 1, "housekeeping drops expired logins");

    let second: CitizenLogin = fixture
        .log_in("Carmen", PIN)
        .await
        .json()
        .await
        .expect("login");
    let logout = fixture
        .request(As::Citizen(&second), Method::POST, "/citizens/logout")
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), 204);
    assert_eq!(
        fixture
            .get(As::Citizen(&second), "/citizens/me")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_supervisor_resets_a_pin_and_the_citizen_changes_it() {
    let fixture = Fixture::start().await;
    let old_login = fixture.sign_up("Tomás").await;
    for _ in 0..5 {
        fixture.log_in("Tomás", "0000").await;
    }
    let supervisor = fixture.staff(Role::Supervisor).await;
    let analyst = fixture.staff(Role::Analyst).await;
    let refused = fixture
        .request(
            As::Staff(&analyst),
            Method::POST,
            "/citizens/tomás/pin-reset",
        )
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), 403);
    let missing = fixture
        .request(
            As::Staff(&supervisor),
            Method::POST,
            "/citizens/nobody/pin-reset",
        )
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), 404);

    let reset: PinReset = fixture
        .request(
            As::Staff(&supervisor),
            Method::POST,
            "/citizens/TOMÁS/pin-reset",
        )
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("reset");
    assert_eq!(reset.alias, "Tomás");
    assert_eq!(reset.temporary_pin.len(), 6);
    assert_eq!(
        fixture
            .get(As::Citizen(&old_login), "/citizens/me")
            .await
            .status(),
        401,
        "a reset ends existing logins"
    );
    assert_eq!(fixture.log_in("Tomás", PIN).await.status(), 401);
    let login: CitizenLogin = fixture
        .log_in("Tomás", &reset.temporary_pin)
        .await
        .json()
        .await
        .expect("the temporary PIN works, and unlocks the account");

    let wrong_current = fixture
        .send(
            As::Citizen(&login),
            Method::PUT,
            "/citizens/me/pin",
            &PinChange {
                current_pin: "1111".to_owned(),
                new_pin: "2468".to_owned(),
            },
        )
        .await;
    assert_eq!(wrong_current.status(), 403);
    let changed = fixture
        .send(
            As::Citizen(&login),
            Method::PUT,
            "/citizens/me/pin",
            &PinChange {
                current_pin: reset.temporary_pin.clone(),
                new_pin: "2468".to_owned(),
            },
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(fixture.log_in("Tomás", "2468").await.status(), 200);

    let audit = fixture
        .manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    assert!(
        audit.iter().any(|entry| entry.action == "citizen.pin_reset"
            && entry.target.as_deref() == Some("citizen:Tomás")),
        "{audit:?}"
    );
}

#[tokio::test]
async fn each_login_is_recorded_for_the_reach_reports() {
    let fixture = Fixture::start().await;
    let from = fixture.manager.now();
    fixture.sign_up("Ana").await;
    fixture.sign_up("Berta").await;
    fixture.log_in("Ana", PIN).await;
    fixture.log_in("Ana", "0000").await;
    let storage = &fixture.manager.state.storage;
    let centre = storage
        .centre_by_name(CENTRE.to_owned())
        .await
        .expect("centre");
    let to = fixture.manager.now() + SignedDuration::from_secs(1);
    assert_eq!(
        storage
            .distinct_citizen_accounts(from, to, None)
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        storage
            .distinct_citizen_accounts(from, to, Some(centre.id))
            .await
            .expect("count"),
        2
    );
    assert_eq!(
        storage
            .distinct_citizen_accounts(from, to, Some(centre.id + 1))
            .await
            .expect("count"),
        0
    );
}
