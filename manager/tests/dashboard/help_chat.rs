//! Live help (issue #16, section 2) through a real manager: the kiosk's
//! side through `plaza-client`'s `HelpChatClient`, the staff's through the
//! dashboard's routes (the help page, its event stream and forms).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use plaza_api::help_chat::MessageAuthor;
use plaza_client::{ClientError, HelpChatClient, KioskToken, ManagerClient};
use plaza_manager::testing::TestManager;
use reqwest::{Client, Response, StatusCode};
use uuid::Uuid;

use crate::common::{Fixture, csrf_of, fixture, page, signed_in};

/// Longest a test waits for something that should take well under a second.
const GUARD: Duration = Duration::from_secs(20);

pub fn kiosk_client(manager: &TestManager, kiosk: &(Uuid, String)) -> ManagerClient {
    ManagerClient::new(&manager.url, Duration::from_secs(10))
        .expect("client")
        .with_credentials(KioskToken {
            kiosk_id: kiosk.0,
            token: kiosk.1.clone(),
        })
}

fn help(manager: &TestManager, kiosk: &(Uuid, String)) -> HelpChatClient {
    kiosk_client(manager, kiosk).help_chat().expect("enrolled")
}

/// The help page's event stream, open (which makes its session present).
pub async fn open_stream(manager: &TestManager, staff: &Client) -> Response {
    let stream = staff
        .get(manager.url("/dashboard/help/events"))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);
    stream
}

/// Reads the stream until an event contains `needle`.
pub async fn until_event_with(stream: &mut Response, needle: &str) -> String {
    tokio::time::timeout(GUARD, async {
        let mut seen = String::new();
        while let Some(chunk) = stream.chunk().await.expect("read") {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains(needle) {
                return seen;
            }
        }
        panic!("the stream ended without {needle}: {seen}")
    })
    .await
    .expect("an event within the guard time")
}

pub async fn staff_form(
    manager: &TestManager,
    staff: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> StatusCode {
    let (_, html) = page(staff, manager, "/dashboard/help").await;
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    staff
        .post(manager.url(path))
        .form(&form)
        .send()
        .await
        .expect("form")
        .status()
}

#[tokio::test]
async fn a_citizen_and_the_centres_staff_talk_until_staff_end_it() {
    let Fixture {
        manager,
        north_kiosk,
        south_kiosk,
    } = fixture().await;
    let kiosk = help(&manager, &north_kiosk);
    let nobody = kiosk.availability().await.expect("availability");
    assert!(!nobody.available, "nobody has the help page open");
    assert_eq!(nobody.centre, crate::common::NORTH);
    assert!(!nobody.hours.is_empty());

    let sam = signed_in(&manager, "sam").await;
    let mut stream = open_stream(&manager, &sam).await;
    until_event_with(&mut stream, "event: conversations").await;
    assert!(kiosk.availability().await.expect("availability").available);
    let south = help(&manager, &south_kiosk);
    assert!(
        !south.availability().await.expect("availability").available,
        "sam does not supervise the south centre"
    );

    // A logged-in citizen shows by alias.
    let mut participation = kiosk_client(&manager, &north_kiosk)
        .participation()
        .expect("enrolled");
    participation
        .sign_up("Vecina Rosa", "4821", Uuid::now_v7())
        .await
        .expect("sign up");
    let opened = participation
        .help_chat()
        .open("Hola, how do I renew my ID card?")
        .await
        .expect("open");
    assert_eq!(opened.messages.len(), 1);
    let event = until_event_with(&mut stream, "how do I renew my ID card").await;
    assert!(event.contains("Vecina Rosa"), "{event}");

    // The kiosk waits; the staff member answers from the page.
    let last = opened.messages[0].id;
    let waiting = {
        let kiosk = kiosk.clone();
        tokio::spawn(async move { kiosk.wait_for_messages(opened.id, last, 20).await })
    };
    let reply = format!("/dashboard/help/{}/reply", opened.id);
    assert_eq!(
        staff_form(
            &manager,
            &sam,
            &reply,
            &[("text", "Bring your old card and 2 photos")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let answer = tokio::time::timeout(GUARD, waiting)
        .await
        .expect("answered within the guard time")
        .expect("task")
        .expect("long poll");
    assert_eq!(answer.messages.len(), 1);
    assert_eq!(answer.messages[0].author, MessageAuthor::Staff);
    assert_eq!(answer.messages[0].text, "Bring your old card and 2 photos");
    let (_, html) = page(&sam, &manager, "/dashboard/help").await;
    assert!(html.contains("Bring your old card"), "{html}");

    // Another centre's supervisor neither sees nor answers it; an analyst
    // has no live help; another kiosk cannot read it.
    let sol = signed_in(&manager, "sol").await;
    let (_, html) = page(&sol, &manager, "/dashboard/help").await;
    assert!(!html.contains("renew my ID card"), "scoped: {html}");
    assert_eq!(
        staff_form(&manager, &sol, &reply, &[("text", "hi")]).await,
        StatusCode::FORBIDDEN
    );
    let ana = signed_in(&manager, "ana").await;
    assert_eq!(
        page(&ana, &manager, "/dashboard/help").await.0,
        StatusCode::FORBIDDEN
    );
    match south.wait_for_messages(opened.id, 0, 0).await {
        Err(ClientError::Refused { status: 404, .. }) => {}
        other => panic!("another kiosk read the conversation: {other:?}"),
    }

    // The citizen writes again; then staff end it.
    kiosk
        .send(opened.id, "Thanks!")
        .await
        .expect("second message");
    until_event_with(&mut stream, "Thanks!").await;
    let end = format!("/dashboard/help/{}/end", opened.id);
    assert_eq!(
        staff_form(&manager, &sam, &end, &[]).await,
        StatusCode::SEE_OTHER
    );
    let ended = kiosk
        .wait_for_messages(opened.id, i64::MAX, 20)
        .await
        .expect("read");
    assert!(ended.ended);
    match kiosk.send(opened.id, "one more").await {
        Err(ClientError::Refused { status: 409, .. }) => {}
        other => panic!("a message after the end: {other:?}"),
    }
    let (_, html) = page(&sam, &manager, "/dashboard/help").await;
    assert!(!html.contains("renew my ID card"), "ended: {html}");

    // Audited, without the text.
    let audit = manager
        .state
        .storage
        .audit_entries(50)
        .await
        .expect("audit");
    let ours: Vec<_> = audit
        .iter()
        .filter(|entry| entry.action.starts_with("help."))
        .collect();
    assert!(
        ours.iter()
            .any(|entry| entry.action == "help.replied" && entry.actor == "sam")
    );
    assert!(
        ours.iter()
            .any(|entry| entry.action == "help.ended" && entry.actor == "sam")
    );
    assert!(ours.iter().all(|entry| {
        entry.target.as_deref() == Some(&format!("help_conversation:{}", opened.id))
            && entry.detail.is_none()
    }));
}

#[tokio::test]
async fn marking_away_tells_the_kiosk_nobody_can_answer() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = help(manager, &fixture.north_kiosk);
    let sam = signed_in(manager, "sam").await;
    let mut stream = open_stream(manager, &sam).await;
    until_event_with(&mut stream, "event: conversations").await;
    assert!(kiosk.availability().await.expect("availability").available);
    assert_eq!(
        staff_form(
            manager,
            &sam,
            "/dashboard/help/availability",
            &[("available", "no")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert!(!kiosk.availability().await.expect("availability").available);
    assert_eq!(
        staff_form(
            manager,
            &sam,
            "/dashboard/help/availability",
            &[("available", "yes")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert!(kiosk.availability().await.expect("availability").available);
    // Closing the page (the stream) takes the presence back.
    drop(stream);
    let gone = tokio::time::timeout(GUARD, async {
        loop {
            if !kiosk.availability().await.expect("availability").available {
                return;
            }
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(gone.is_ok(), "still available after the page closed");
}

#[tokio::test]
async fn the_forums_word_filter_and_the_text_rules_hold_in_chat() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = help(manager, &fixture.north_kiosk);
    match kiosk.open("sos un cabron").await {
        Err(ClientError::Refused {
            status: 422, code, ..
        }) => {
            assert_eq!(code, "words_not_allowed");
        }
        other => panic!("a filtered word passed: {other:?}"),
    }
    let long = "a".repeat(1001);
    assert!(matches!(
        kiosk.open(&long).await,
        Err(ClientError::Refused { status: 422, .. })
    ));
    let opened = kiosk.open("<b>hola</b>").await.expect("markup is text");
    assert!(matches!(
        kiosk.send(opened.id, "   ").await,
        Err(ClientError::Refused { status: 422, .. })
    ));
    let sam = signed_in(manager, "sam").await;
    let (_, html) = page(&sam, manager, "/dashboard/help").await;
    assert!(html.contains("&lt;b&gt;hola&lt;/b&gt;"), "escaped: {html}");
    // A second conversation from the same kiosk ends the first.
    let second = kiosk.open("otra pregunta").await.expect("open");
    let first = kiosk
        .wait_for_messages(opened.id, i64::MAX, 0)
        .await
        .expect("read");
    assert!(first.ended);
    assert!(
        !kiosk
            .wait_for_messages(second.id, 0, 0)
            .await
            .expect("read")
            .ended
    );
}

fn count(manager: &TestManager, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open_with_flags(
        manager.state.settings.database_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the database");
    connection
        .query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

#[tokio::test]
async fn transcripts_go_after_chat_days() {
    let start: Timestamp = "2026-03-11T12:00:00Z".parse().expect("time");
    let manager = TestManager::start_with(
        |settings| settings.retention.chat_days = 30,
        plaza_manager::Clock::manual(start),
    )
    .await;
    manager.add_centre(crate::common::NORTH, &["Centro"]).await;
    let enrolled = manager.enrol_kiosk(crate::common::NORTH, "norte-01").await;
    let kiosk = help(&manager, &(enrolled.kiosk_id, enrolled.token));
    let old = kiosk.open("old question").await.expect("open");
    manager
        .state
        .clock
        .advance(SignedDuration::from_hours(24 * 20));
    let recent = kiosk.open("recent question").await.expect("open");
    manager
        .state
        .clock
        .advance(SignedDuration::from_hours(24 * 11));

    plaza_manager::help_chat::apply_retention(&manager.state).await;
    assert_eq!(
        count(&manager, "SELECT count(*) FROM help_conversations"),
        1
    );
    assert_eq!(
        count(&manager, "SELECT count(*) FROM help_messages"),
        1,
        "the old transcript's messages went with it"
    );
    assert!(matches!(
        kiosk.wait_for_messages(old.id, 0, 0).await,
        Err(ClientError::Refused { status: 404, .. })
    ));
    kiosk
        .wait_for_messages(recent.id, 0, 0)
        .await
        .expect("kept: 11 days old");
}

#[tokio::test]
async fn staff_turn_a_conversation_into_a_request_and_the_citizen_reads_the_ticket() {
    let Fixture {
        manager,
        north_kiosk,
        ..
    } = fixture().await;
    crate::requests::seed_service_types(&manager).await;
    let kiosk = help(&manager, &north_kiosk);
    let sam = signed_in(&manager, "sam").await;
    let mut stream = open_stream(&manager, &sam).await;
    until_event_with(&mut stream, "event: conversations").await;
    let opened = kiosk
        .open("La luz de mi cuadra no anda desde el lunes")
        .await
        .expect("open");
    until_event_with(&mut stream, "desde el lunes").await;
    let (_, html) = page(&sam, &manager, "/dashboard/help").await;
    assert!(html.contains("Turn into a request"), "{html}");
    assert!(html.contains(r#"<option value="alumbrado">"#), "{html}");

    let path = format!("/dashboard/help/{}/request", opened.id);
    assert_eq!(
        staff_form(&manager, &sam, &path, &[("service_code", "no_such_type")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ana = signed_in(&manager, "ana").await;
    assert_eq!(
        staff_form(&manager, &ana, &path, &[("service_code", "alumbrado")]).await,
        StatusCode::FORBIDDEN,
        "an analyst files nothing"
    );
    let last = opened.messages[0].id;
    assert_eq!(
        staff_form(
            &manager,
            &sam,
            &path,
            &[("service_code", "alumbrado"), ("neighbourhood", "Centro")]
        )
        .await,
        StatusCode::SEE_OTHER
    );

    let told = kiosk
        .wait_for_messages(opened.id, last, 20)
        .await
        .expect("the ticket reaches the kiosk");
    let note = &told.messages.last().expect("a staff message").text;
    let ticket = note
        .split_whitespace()
        .map(|word| word.trim_end_matches([':', '.']))
        .find(|word| word.len() == 9 && word.as_bytes()[4] == b'-')
        .expect("the ticket (XXXX-XXXX) in the message");
    let followed = manager
        .client
        .get(manager.url(&format!("/api/v1/requests/tickets/{ticket}")))
        .bearer_auth(&north_kiosk.1)
        .send()
        .await
        .expect("follow");
    assert_eq!(followed.status(), StatusCode::OK, "{note}");
    let request: plaza_api::requests::PublicRequest = followed.json().await.expect("request");
    assert_eq!(request.service_code, "alumbrado");
    assert_eq!(
        request.description,
        "La luz de mi cuadra no anda desde el lunes"
    );
    assert_eq!(
        count(
            &manager,
            "SELECT count(*) FROM service_requests WHERE citizen_id IS NOT NULL"
        ),
        0
    );
}
