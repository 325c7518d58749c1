use plaza_api::staff::Role;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_SECURITY_POLICY, LOCATION, SET_COOKIE, X_FRAME_OPTIONS};

use crate::common::{PASSWORD, add_user, browser, csrf_of, fixture, login_with, page, signed_in};

#[tokio::test]
async fn login_sets_a_strict_http_only_cookie_and_logout_ends_the_session() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = browser();
    let response = login_with(&client, manager, "admin", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/dashboard");
    let session_cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("plaza_session="))
        .expect("session cookie")
        .to_owned();
    assert!(session_cookie.contains("HttpOnly"), "{session_cookie}");
    assert!(
        session_cookie.contains("SameSite=Strict"),
        "{session_cookie}"
    );
    assert!(session_cookie.contains("Max-Age=28800"), "{session_cookie}");
    assert!(
        !session_cookie.contains("Secure"),
        "plain http: {session_cookie}"
    );

    let (status, floor) = page(&client, manager, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(floor.contains("sur-01"), "{floor}");

    let logout = client
        .post(manager.url("/dashboard/logout"))
        .form(&[("csrf", csrf_of(&floor).as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    let after = client
        .get(manager.url("/dashboard"))
        .send()
        .await
        .expect("floor");
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "logged out: back to login"
    );
    assert_eq!(after.headers()[LOCATION], "/dashboard/login");

    let audit = manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    assert!(
        actions.contains(&"login") && actions.contains(&"logout"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn secure_cookie_behind_tls() {
    let manager = plaza_manager::testing::TestManager::start_with(
        |settings| settings.public_url = Some("https://plaza.example.org".to_owned()),
        plaza_manager::Clock::System,
    )
    .await;
    add_user(&manager, "admin", Role::Admin, &[]).await;
    let response = login_with(&browser(), &manager, "admin", PASSWORD).await;
    let cookies: Vec<&str> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    assert!(
        cookies.iter().all(|cookie| cookie.contains("; Secure")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn wrong_passwords_slow_down_their_address_but_never_lock_the_owner_out() {
    let manager = plaza_manager::testing::TestManager::start_with(
        |_| {},
        plaza_manager::Clock::manual(jiff::Timestamp::now()),
    )
    .await;
    add_user(&manager, "sam", Role::Supervisor, &[]).await;
    add_user(&manager, "sol", Role::Supervisor, &[]).await;
    let attacker = browser();
    for attempt in 1..=5 {
        let response = login_with(&attacker, &manager, "sam", "wrong password!").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let retry_after = |response: &reqwest::Response| -> u64 {
        response.headers()["retry-after"]
            .to_str()
            .expect("header")
            .parse()
            .expect("seconds")
    };
    // Past the free failures, each wrong password doubles the wait.
    let mut waits = Vec::new();
    for _ in 0..4 {
        let response = login_with(&attacker, &manager, "sam", "wrong password!").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait = retry_after(&response);
        // While waiting even the right password is not tried.
        let early = login_with(&attacker, &manager, "sam", PASSWORD).await;
        assert_eq!(early.status(), StatusCode::TOO_MANY_REQUESTS);
        waits.push(wait);
        manager.state.clock.advance(jiff::SignedDuration::from_secs(
            i64::try_from(wait).expect("small"),
        ));
    }
    assert_eq!(waits, [1, 2, 4, 8]);
    // The owner, from another address, is not held up; nor is the account
    // locked: the attacker's address is the one that waits.
    let owner = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    assert_eq!(
        login_with(&owner, &manager, "sam", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    // An unknown name says no more than a wrong password does.
    let unknown = login_with(&owner, &manager, "nobody", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    // A success from the attacker's address after its wait clears it.
    assert_eq!(
        login_with(&attacker, &manager, "sol", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn hsts_only_when_the_public_url_is_https() {
    for (url, expected) in [
        (
            Some("https://plaza.example.org"),
            Some("max-age=31536000; includeSubDomains"),
        ),
        (None, None),
    ] {
        let manager = plaza_manager::testing::TestManager::start_with(
            |settings| settings.public_url = url.map(str::to_owned),
            plaza_manager::Clock::System,
        )
        .await;
        let response = browser()
            .get(manager.url("/dashboard/login"))
            .send()
            .await
            .expect("GET");
        let hsts = response
            .headers()
            .get("strict-transport-security")
            .map(|value| value.to_str().expect("ascii"));
        assert_eq!(hsts, expected, "{url:?}");
        let probe = browser()
            .get(manager.url("/healthz"))
            .send()
            .await
            .expect("GET");
        assert_eq!(
            probe.headers().contains_key("strict-transport-security"),
            expected.is_some()
        );
        let cookie = response.headers()[SET_COOKIE].to_str().expect("cookie");
        assert_eq!(cookie.contains("; Secure"), expected.is_some(), "{cookie}");
    }
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    // Login without the double-submit cookie.
    let response = manager
        .client
        .post(manager.url("/dashboard/login"))
        .form(&[
            ("csrf", "forged"),
            ("name", "admin"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("POST login");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let client = signed_in(manager, "sam").await;
    let kiosk = fixture.north_kiosk.0;
    for csrf in ["", "forged"] {
        let response = client
            .post(manager.url(&format!("/dashboard/kiosks/{kiosk}/actions")))
            .form(&[("csrf", csrf), ("action", "end"), ("confirmed", "yes")])
            .send()
            .await
            .expect("POST action");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "csrf `{csrf}`");
    }
    let commands = manager
        .state
        .storage
        .commands_for(kiosk, 10)
        .await
        .expect("commands");
    assert!(commands.is_empty(), "nothing was queued: {commands:?}");
}

#[tokio::test]
async fn pages_carry_security_headers_and_escape_hostnames() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = signed_in(manager, "admin").await;
    let response = client
        .get(manager.url("/dashboard"))
        .send()
        .await
        .expect("floor");
    let csp = response.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(response.headers()[X_FRAME_OPTIONS], "DENY");
    assert!(response.headers().contains_key("referrer-policy"));
    let html = response.text().await.expect("body");
    assert!(
        html.contains("norte-&lt;b&gt;01&lt;/b&gt;"),
        "escaped hostname"
    );
    assert!(!html.contains("<b>01</b>"));
    assert!(!html.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn the_audit_page_is_for_admins_only() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let (status, html) = page(
        &signed_in(manager, "admin").await,
        manager,
        "/dashboard/audit",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("user.add"), "{html}");
    for name in ["sam", "ana"] {
        let (status, _) = page(&signed_in(manager, name).await, manager, "/dashboard/audit").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = signed_in(manager, "sam").await;
    manager
        .state
        .storage
        .disable_user("sam".to_owned(), manager.now(), "test".to_owned())
        .await
        .expect("disable");
    let response = client
        .get(manager.url("/dashboard"))
        .send()
        .await
        .expect("floor");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let again = login_with(&browser(), manager, "sam", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}
