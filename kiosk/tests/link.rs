//! The kiosk's logic against a real manager on loopback: enrolment, profile,
//! heartbeats and commands, and the outbox through a manager outage.

mod common;

use std::time::Duration;

use jiff::Timestamp;
use plaza_api::events::{EventPayload, ProcedureViewed};
use plaza_api::heartbeat::{CommandAction, KioskState};
use plaza_api::session::{EndReason, Language, Section};
use plaza_kiosk::health::HealthMonitor;
use plaza_kiosk::link::{ClientError, CommandLog, Delivery, ManagerClient};
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::session::SessionRules;
use plaza_kiosk::terminal::{Effect, Preferences, Terminal};
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;

use common::{enrolled_kiosk, kiosk_detail, queue_command};

fn terminal() -> Terminal {
    Terminal::new(
        Outbox::in_memory().expect("outbox"),
        SessionRules::default(),
    )
}

#[tokio::test]
async fn a_wrong_enrolment_code_is_refused_clearly() {
    let manager = TestManager::start().await;
    let client = ManagerClient::new(&manager.url, Duration::from_secs(5)).expect("client");
    let error = client.enrol("not-a-code", "pc").await.expect_err("refused");
    assert!(matches!(error, ClientError::Refused { .. }), "{error:?}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn the_profile_gives_the_centre_and_its_neighbourhoods() {
    let (_manager, client, credentials) = enrolled_kiosk().await;
    let profile = client.profile().await.expect("profile");
    assert_eq!(profile.kiosk_id, credentials.kiosk_id);
    assert_eq!(profile.centre, common::CENTRE);
    assert_eq!(profile.neighbourhoods, ["Centro", "La Loma"]);
    assert!(profile.extensions_allowed);
}

#[tokio::test]
async fn every_command_is_carried_out_once_and_acknowledged() {
    let (manager, client, credentials) = enrolled_kiosk().await;
    let kiosk_id = credentials.kiosk_id;
    let mut terminal = terminal();
    let mut log = CommandLog::default();
    let mut health = HealthMonitor::new(&std::env::temp_dir());
    let now = Timestamp::now();
    terminal
        .start_session(now, Preferences::default())
        .expect("start");

    for action in [
        CommandAction::ShowMessage {
            text: "Cerramos en 10 minutos".to_owned(),
        },
        CommandAction::ExtendSession { seconds: 300 },
        CommandAction::EndSession,
        CommandAction::Lock { reason: None },
    ] {
        queue_command(&manager, kiosk_id, action).await;
    }

    let request = log.request(now, &terminal, health.read(), 0, None, None);
    assert_eq!(request.state, KioskState::InSession);
    let reply = client.heartbeat(&request).await.expect("heartbeat");
    let commands = log.received(&request, &reply);
    assert_eq!(commands.len(), 4);
    let mut effects = Vec::new();
    for command in &commands {
        effects.push(terminal.apply(now, &command.action).expect("apply"));
        log.carried_out(command.id);
    }
    assert_eq!(
        effects,
        [
            Effect::ShowMessage("Cerramos en 10 minutos".to_owned()),
            Effect::Extended { by_s: 300 },
            Effect::SessionEnded(EndReason::Supervisor),
            Effect::Locked { reason: None },
        ]
    );
    assert!(terminal.is_locked());

    // The next heartbeat acknowledges them: none comes back, none is redone.
    let request = log.request(now, &terminal, health.read(), 0, None, None);
    assert_eq!(request.acked_commands.len(), 4);
    assert_eq!(request.state, KioskState::Locked);
    let reply = client.heartbeat(&request).await.expect("heartbeat");
    assert!(log.received(&request, &reply).is_empty());
    let detail = kiosk_detail(&manager, kiosk_id).await;
    assert!(
        detail
            .commands
            .iter()
            .all(|command| command.acked_at.is_some())
    );

    queue_command(&manager, kiosk_id, CommandAction::Unlock).await;
    let request = log.request(now, &terminal, health.read(), 0, None, None);
    let reply = client.heartbeat(&request).await.expect("heartbeat");
    let commands = log.received(&request, &reply);
    assert_eq!(commands.len(), 1);
    assert_eq!(
        terminal.apply(now, &commands[0].action).expect("apply"),
        Effect::Unlocked
    );
    assert_eq!(terminal.state(), KioskState::Idle);
}

#[tokio::test]
async fn a_redelivered_command_is_not_carried_out_twice() {
    let (manager, client, credentials) = enrolled_kiosk().await;
    let terminal = terminal();
    let mut log = CommandLog::default();
    queue_command(
        &manager,
        credentials.kiosk_id,
        CommandAction::RefreshContent,
    )
    .await;
    let now = Timestamp::now();
    let request = log.request(now, &terminal, Default::default(), 0, None, None);
    let reply = client.heartbeat(&request).await.expect("heartbeat");
    assert_eq!(log.received(&request, &reply).len(), 1);
    // Carried out but the acknowledging heartbeat is lost: the manager
    // sends the command again, the kiosk only acknowledges it again.
    let reply = client.heartbeat(&request).await.expect("heartbeat");
    assert!(log.received(&request, &reply).is_empty());
    let request = log.request(now, &terminal, Default::default(), 0, None, None);
    assert_eq!(request.acked_commands.len(), 1);
}

#[tokio::test]
async fn events_reach_the_manager_once_through_an_outage() {
    let (manager, client, credentials) = enrolled_kiosk().await;
    let outbox = Outbox::in_memory().expect("outbox");
    let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
    let now = Timestamp::now();
    terminal
        .start_session(
            now,
            Preferences {
                language: Language::En,
                ..Preferences::default()
            },
        )
        .expect("start");
    terminal
        .open_section(now, Section::Procedures)
        .expect("section");
    let delivery = Delivery::new(outbox.clone(), client.clone(), 100);
    let report = delivery.deliver_pending().await.expect("delivered");
    assert_eq!(report.delivered, 2);
    assert!(outbox.is_empty().expect("len"));

    // The manager goes down: the session goes on, events queue up.
    let folder = manager.stop().await;
    terminal.open_section(now, Section::Help).expect("section");
    terminal.end_session(now, EndReason::Logout).expect("end");
    let error = delivery.deliver_pending().await.expect_err("manager down");
    assert!(matches!(
        error,
        plaza_kiosk::link::DeliveryError::Manager(ClientError::Unreachable(_))
    ));
    assert_eq!(outbox.len().expect("len"), 2);

    // Back, on another port: everything queued arrives, once.
    let manager = TestManager::start_in(folder, |_| {}, Clock::System).await;
    let client = ManagerClient::new(&manager.url, Duration::from_secs(5))
        .expect("client")
        .with_credentials(&credentials);
    let delivery = Delivery::new(outbox.clone(), client, 100);
    let report = delivery.deliver_pending().await.expect("delivered");
    assert_eq!(report.delivered, 2);
    assert_eq!(report.duplicates, 0);
    assert!(outbox.is_empty().expect("len"));

    let detail = kiosk_detail(&manager, credentials.kiosk_id).await;
    assert_eq!(detail.recent_sessions.len(), 1);
    let session = &detail.recent_sessions[0];
    assert_eq!(session.end_reason, Some(EndReason::Logout));
    let mut sections = session.sections.clone();
    sections.sort_by_key(|section| section.as_str());
    assert_eq!(sections, [Section::Help, Section::Procedures]);
}

#[tokio::test]
async fn a_lost_acknowledgement_is_counted_once_by_the_manager() {
    let (manager, client, credentials) = enrolled_kiosk().await;
    let outbox = Outbox::in_memory().expect("outbox");
    let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
    let now = Timestamp::now();
    terminal
        .start_session(now, Preferences::default())
        .expect("start");
    let pending = outbox.next_batch(10, now).expect("batch");
    let delivery = Delivery::new(outbox.clone(), client, 100);
    delivery.deliver_pending().await.expect("delivered");
    // The kiosk crashed before deleting: the same events are sent again.
    for event in &pending {
        outbox.push(event).expect("push again");
    }
    let report = delivery.deliver_pending().await.expect("delivered again");
    assert_eq!(report.delivered, 1);
    assert_eq!(report.duplicates, 1);
    assert!(outbox.is_empty().expect("len"));
    let detail = kiosk_detail(&manager, credentials.kiosk_id).await;
    assert_eq!(detail.recent_sessions.len(), 1);
}

#[tokio::test]
async fn an_event_the_manager_refuses_is_set_aside_and_does_not_block_the_rest() {
    let (_manager, client, _) = enrolled_kiosk().await;
    let outbox = Outbox::in_memory().expect("outbox");
    let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
    let now = Timestamp::now();
    terminal
        .start_session(now, Preferences::default())
        .expect("start");
    // A record id the manager's rules refuse (say, from a damaged catalogue).
    terminal
        .record_usage(
            now,
            EventPayload::ProcedureViewed(ProcedureViewed {
                procedure_id: "not a valid id!".to_owned(),
            }),
        )
        .expect("usage");
    terminal.end_session(now, EndReason::Logout).expect("end");
    let delivery = Delivery::new(outbox.clone(), client, 100);
    let report = delivery.deliver_pending().await.expect("delivered");
    assert_eq!(report.dead_lettered, 1, "{report:?}");
    assert_eq!(report.delivered, 2);
    assert!(outbox.is_empty().expect("len"));
    assert_eq!(outbox.dead_letters().expect("count"), 1);
}
