use plaza_api::heartbeat::{KioskState, SessionProgress};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::common::{csrf_of, fixture, heartbeat, page, send_heartbeat, signed_in};

#[tokio::test]
async fn a_supervisor_sees_only_the_kiosks_of_their_centres() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let (status, floor) = page(&sam, manager, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(floor.contains("norte-&lt;b&gt;01"), "{floor}");
    assert!(!floor.contains("sur-01"), "{floor}");
    let south = fixture.south_kiosk.0;
    let (status, _) = page(&sam, manager, &format!("/dashboard/kiosks/{south}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page(
        &sam,
        manager,
        &format!("/dashboard/kiosks/{}", fixture.north_kiosk.0),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // An analyst has no floor.
    let (status, _) = page(&signed_in(manager, "ana").await, manager, "/dashboard").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_tile_shows_state_time_left_and_heartbeat_age_after_a_plain_refresh() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let (_, before) = page(&sam, manager, "/dashboard").await;
    assert!(before.contains("state-never_seen"), "{before}");
    let now = jiff::Timestamp::now();
    let mut request = heartbeat(KioskState::InSession);
    request.session = Some(SessionProgress {
        session_id: uuid::Uuid::now_v7(),
        started_at: now,
        ends_at: now + jiff::SignedDuration::from_mins(20),
    });
    request.health.disk_free_bytes = 1 << 30;
    send_heartbeat(manager, &fixture.north_kiosk, &request).await;
    let (_, after) = page(&sam, manager, "/dashboard").await;
    assert!(after.contains("state-in_session unhealthy"), "{after}");
    assert!(after.contains("min") && after.contains(" left"), "{after}");
    assert!(after.contains("heartbeat "), "{after}");
    assert!(after.contains("Less than 10 % disk free"), "{after}");

    let metrics = manager
        .client
        .get(manager.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains("kiosk_alerts{alert=\"low_disk\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kiosk_alerts{alert=\"outbox_backlog\"} 0"),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_event_stream_reports_a_heartbeat_without_reload() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let mut stream = sam
        .get(manager.url("/dashboard/floor/events"))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/event-stream")
    );
    let first = stream.chunk().await.expect("read").expect("first event");
    let first = String::from_utf8_lossy(&first).into_owned();
    assert!(
        first.contains("event: tiles") && first.contains("never_seen"),
        "{first}"
    );
    assert!(
        !first.contains(&fixture.south_kiosk.0.to_string()),
        "scoped: {first}"
    );

    send_heartbeat(
        manager,
        &fixture.north_kiosk,
        &heartbeat(KioskState::Locked),
    )
    .await;
    let reached = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(chunk) = stream.chunk().await.expect("read") {
            if String::from_utf8_lossy(&chunk).contains("\"state\":\"locked\"") {
                return true;
            }
        }
        false
    })
    .await
    .expect("a tiles event within the guard time");
    assert!(reached, "the stream reported the locked kiosk");
}

#[tokio::test]
async fn an_action_is_confirmed_queued_delivered_and_audited() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = fixture.north_kiosk.0;
    let sam = signed_in(manager, "sam").await;
    let detail_path = format!("/dashboard/kiosks/{kiosk}");
    let (_, detail) = page(&sam, manager, &detail_path).await;
    let csrf = csrf_of(&detail);
    let actions = manager.url(&format!("{detail_path}/actions"));

    let confirm = sam
        .post(&actions)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "message"),
            ("text", "Cerramos en <10> min"),
        ])
        .send()
        .await
        .expect("action");
    assert_eq!(confirm.status(), StatusCode::OK);
    let confirm = confirm.text().await.expect("body");
    assert!(confirm.contains("Yes, send it"), "{confirm}");
    assert!(confirm.contains("Cerramos en &lt;10&gt; min"), "{confirm}");
    let pending = manager
        .state
        .storage
        .commands_for(kiosk, 10)
        .await
        .expect("commands");
    assert!(pending.is_empty(), "nothing queued before confirmation");

    let queued = sam
        .post(&actions)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "message"),
            ("text", "Cerramos en <10> min"),
            ("confirmed", "yes"),
        ])
        .send()
        .await
        .expect("confirmed action");
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued.headers()[LOCATION], detail_path.as_str());
    let (_, detail) = page(&sam, manager, &detail_path).await;
    assert!(
        detail.contains("waiting for the next heartbeat"),
        "{detail}"
    );

    let reply = send_heartbeat(manager, &fixture.north_kiosk, &heartbeat(KioskState::Idle)).await;
    assert_eq!(
        reply["commands"][0]["action"]["text"],
        "Cerramos en <10> min"
    );
    let (_, detail) = page(&sam, manager, &detail_path).await;
    assert!(
        !detail.contains("waiting for the next heartbeat"),
        "delivered: {detail}"
    );

    let audit = manager.state.storage.audit_entries(5).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|entry| entry.actor == "user:sam" && entry.action == "kiosk.command.show_message"),
        "{audit:?}"
    );

    // Out-of-range input is a clear refusal, not a queued command.
    let refused = sam
        .post(&actions)
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "extend"),
            ("minutes", "0"),
            ("confirmed", "yes"),
        ])
        .send()
        .await
        .expect("bad action");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_kiosk_page_reports_a_clock_hours_off() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let mut request = heartbeat(KioskState::Idle);
    request.sent_at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(3);
    send_heartbeat(manager, &fixture.north_kiosk, &request).await;
    let (status, detail) = page(
        &sam,
        manager,
        &format!("/dashboard/kiosks/{}", fixture.north_kiosk.0),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("180 min ahead of the manager"), "{detail}");
}

#[tokio::test]
async fn the_server_stops_while_a_floor_stream_is_open() {
    let fixture = fixture().await;
    let sam = signed_in(&fixture.manager, "sam").await;
    let mut stream = sam
        .get(fixture.manager.url("/dashboard/floor/events"))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let first = stream.chunk().await.expect("read").expect("first event");
    assert!(String::from_utf8_lossy(&first).contains("event: tiles"));

    // Only a failure guard: before the fix the server waited for the
    // stream forever.
    let stopped =
        tokio::time::timeout(std::time::Duration::from_secs(60), fixture.manager.stop()).await;
    assert!(
        stopped.is_ok(),
        "the server did not stop with a stream open"
    );
    // The stream ended rather than being cut mid-event.
    let rest = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while stream.chunk().await.ok().flatten().is_some() {}
    })
    .await;
    assert!(rest.is_ok(), "the stream was closed");
}

/// Issue #14, point 2: the kiosk page lists recent sessions without any
/// session's survey answers (they are for the reports' aggregates only).
#[tokio::test]
async fn the_kiosk_page_shows_no_survey_answers_of_a_session() {
    use plaza_api::events::{Event, EventPayload, SessionEnded, SessionStarted};
    use plaza_api::session::{AgeBand, EndReason, Gender, Language, SurveyAnswers};

    let fixture = fixture().await;
    let manager = &fixture.manager;
    let (kiosk_id, token) = &fixture.north_kiosk;
    let session_id = uuid::Uuid::now_v7();
    let at = manager.now();
    let event = |offset_s: i64, payload| Event {
        id: uuid::Uuid::now_v7(),
        at: at + jiff::SignedDuration::from_secs(offset_s),
        session_id,
        payload,
    };
    let events = [
        event(
            0,
            EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        ),
        event(
            5,
            EventPayload::SurveyAnswered(SurveyAnswers {
                age_band: Some(AgeBand::From60To74),
                gender: Some(Gender::NonBinary),
                first_time_internet: Some(true),
                neighbourhood: Some("Centro".to_owned()),
            }),
        ),
        event(
            120,
            EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Logout,
            }),
        ),
    ];
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(response.status(), StatusCode::OK);

    let admin = signed_in(manager, "admin").await;
    let (status, html) = page(&admin, manager, &format!("/dashboard/kiosks/{kiosk_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("logout"), "the session is listed: {html}");
    for answer in [
        "60_74",
        "60–74",
        "60-74",
        "non_binary",
        "Non-binary",
        "non-binary",
        "Centro",
        "First time",
        "first_time",
    ] {
        assert!(!html.contains(answer), "`{answer}` on the kiosk page");
    }
}

#[tokio::test]
async fn a_session_holds_a_bounded_number_of_floor_streams() {
    let fixture = fixture().await;
    let sam = signed_in(&fixture.manager, "sam").await;
    let mut open = Vec::new();
    // The default allows four; each keeps its slot while it is open.
    for _ in 0..4 {
        let stream = sam
            .get(fixture.manager.url("/dashboard/floor/events"))
            .send()
            .await
            .expect("event stream");
        assert_eq!(stream.status(), StatusCode::OK);
        open.push(stream);
    }
    let fifth = sam
        .get(fixture.manager.url("/dashboard/floor/events"))
        .send()
        .await
        .expect("event stream");
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.headers().contains_key("retry-after"));
    // Another person's session has its own streams.
    let sol = signed_in(&fixture.manager, "sol").await;
    let theirs = sol
        .get(fixture.manager.url("/dashboard/floor/events"))
        .send()
        .await
        .expect("event stream");
    assert_eq!(theirs.status(), StatusCode::OK);
    drop(open);
}
