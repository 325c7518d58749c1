//! Throttled PIN attempts (#14 point 5): per kiosk whatever the alias, the
//! same answer for an unknown alias as for a wrong PIN, and a wrong current
//! PIN on a change counting toward the account's lock.

use jiff::SignedDuration;
use plaza_api::participation::accounts::{CitizenLogin, PinChange};
use reqwest::Method;

use crate::common::{As, Fixture, PIN, error, error_code};

#[tokio::test]
async fn the_kiosk_limit_trips_across_different_aliases() {
    let fixture = Fixture::start_with(|settings| {
        settings.limits.pin_attempts_per_kiosk_per_minute = 3;
    })
    .await;
    fixture.sign_up("Rosa").await;
    // Three aliases, one try each: no account reaches its own lock.
    for alias in ["Rosa", "Ana", "Luis"] {
        assert_eq!(fixture.log_in(alias, "0000").await.status(), 401, "{alias}");
    }
    let throttled = fixture.log_in("Marta", "0000").await;
    assert_eq!(throttled.status(), 429);
    let wait: u64 = throttled.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!(
        (1..=20).contains(&wait),
        "one attempt refills in 20 s: {wait}"
    );
    assert_eq!(error_code(throttled).await, "too_many_pin_attempts");
    // Even the right PIN waits: the limit is the kiosk's, not the account's.
    assert_eq!(fixture.log_in("Rosa", PIN).await.status(), 429);

    // Another kiosk is not held up by this one.
    let other = fixture
        .manager
        .enrol_kiosk(crate::common::CENTRE, "pc-02")
        .await;
    let elsewhere = fixture
        .request(As::Nobody, Method::POST, "/citizens/login")
        .bearer_auth(&other.token)
        .json(&fixture.credentials("Rosa", "0000"))
        .send()
        .await
        .expect("request");
    assert_eq!(elsewhere.status(), 401);

    fixture.advance(SignedDuration::from_secs(20));
    assert_eq!(fixture.log_in("Rosa", PIN).await.status(), 200);
}

#[tokio::test]
async fn an_unknown_alias_gets_the_same_answer_as_a_wrong_pin() {
    let fixture = Fixture::start().await;
    fixture.sign_up("Rosa").await;
    let known = fixture.log_in("Rosa", "0000").await;
    let unknown = fixture.log_in("Nadie", "0000").await;
    assert_eq!(known.status(), 401);
    assert_eq!(unknown.status(), known.status());
    assert_eq!(error(unknown).await, error(known).await);
}

#[tokio::test]
async fn all_kiosks_together_are_limited_too() {
    let fixture = Fixture::start_with(|settings| {
        settings.limits.pin_attempts_per_minute = 2;
    })
    .await;
    assert_eq!(fixture.log_in("Ana", "0000").await.status(), 401);
    assert_eq!(fixture.log_in("Luis", "0000").await.status(), 401);
    let other = fixture
        .manager
        .enrol_kiosk(crate::common::CENTRE, "pc-02")
        .await;
    let elsewhere = fixture
        .request(As::Nobody, Method::POST, "/citizens/login")
        .bearer_auth(&other.token)
        .json(&fixture.credentials("Ana", "0000"))
        .send()
        .await
        .expect("request");
    assert_eq!(elsewhere.status(), 429);
}

#[tokio::test]
async fn wrong_current_pins_count_toward_the_lock() {
    let fixture = Fixture::start().await;
    let login: CitizenLogin = fixture.sign_up("Rosa").await;
    let change = |current: &str| PinChange {
        current_pin: current.to_owned(),
        new_pin: "2468".to_owned(),
    };
    // Four wrong log-ins, then one wrong current PIN: the fifth wrong PIN.
    for _ in 0..4 {
        assert_eq!(fixture.log_in("Rosa", "0000").await.status(), 401);
    }
    let fifth = fixture
        .send(
            As::Citizen(&login),
            Method::PUT,
            "/citizens/me/pin",
            &change("1111"),
        )
        .await;
    assert_eq!(fifth.status(), 429);
    assert_eq!(error_code(fifth).await, "account_locked");
    assert_eq!(
        fixture.log_in("Rosa", PIN).await.status(),
        429,
        "the account is locked for log-ins too"
    );
    let right_while_locked = fixture
        .send(
            As::Citizen(&login),
            Method::PUT,
            "/citizens/me/pin",
            &change(PIN),
        )
        .await;
    assert_eq!(right_while_locked.status(), 429);
}
