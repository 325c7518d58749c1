//! The session from the attract screen to the wipe: language, survey,
//! clock warnings, idle, supervisor commands and the maintenance PIN.

use iced_test::core;
use jiff::Timestamp;
use plaza_api::events::EventPayload;
use plaza_api::heartbeat::{
    Command, CommandAction, Health, HeartbeatRequest, HeartbeatResponse, KioskState,
};
use plaza_api::profile::KioskProfile;
use plaza_api::session::{EndReason, Language};
use plaza_kiosk::app::{Message, Screen};
use plaza_kiosk::config::DEFAULT_PIN;
use plaza_kiosk::link::ClientError;
use plaza_kiosk::screen::{help, maintenance, pin};

use crate::harness::Harness;

#[test]
fn a_whole_session_from_the_attract_screen_to_home_and_back() {
    let mut kiosk = Harness::new();
    kiosk.assert_shows("Toca aquí para empezar");
    kiosk.start_session();
    kiosk.assert_shows("Tiempo: 30:00");
    for tile in [
        "Trámites",
        "Licitaciones",
        "Redes municipales",
        "Foros",
        "Comunidades",
        "Ayuda",
    ] {
        kiosk.assert_shows(tile);
    }
    kiosk.click("Foros");
    // No manager in this harness: forums say they need the connection.
    kiosk.assert_shows(
        "Los foros necesitan conexión con el servidor del municipio, y ahora mismo no la hay.",
    );
    kiosk.click("Volver");
    kiosk.click("Terminar sesión");
    kiosk.assert_shows("Toca aquí para empezar");
    kiosk.assert_shows("Tu sesión terminó y se borró todo lo que hiciste.");
    let kinds: Vec<&str> = kiosk
        .events()
        .iter()
        .map(|event| event.kind().as_str())
        .collect();
    assert_eq!(
        kinds,
        ["session_started", "section_opened", "session_ended"]
    );
}

#[test]
fn the_survey_can_be_answered_or_skipped() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.click("Terminar sesión");
    assert!(
        kiosk
            .events()
            .iter()
            .all(|event| !matches!(event, EventPayload::SurveyAnswered(_))),
        "a skipped survey sends nothing"
    );

    kiosk.click("Toca aquí para empezar");
    kiosk.click("Continuar");
    kiosk.click("Entendido");
    kiosk.click("30 a 44");
    kiosk.click("60 a 74");
    kiosk.click("No binario");
    // Touching a chosen answer again takes it back.
    kiosk.click("Sí");
    kiosk.click("Sí");
    kiosk.click("Enviar");
    kiosk.assert_shows("¿Qué quieres hacer?");
    let answers = kiosk
        .events()
        .into_iter()
        .find_map(|event| match event {
            EventPayload::SurveyAnswered(answers) => Some(answers),
            _ => None,
        })
        .expect("survey answered");
    assert_eq!(
        answers.age_band,
        Some(plaza_api::session::AgeBand::From60To74)
    );
    assert_eq!(answers.gender, Some(plaza_api::session::Gender::NonBinary));
    assert_eq!(answers.first_time_internet, None);
    assert_eq!(answers.neighbourhood, None);
}

#[test]
fn english_large_text_and_high_contrast_are_kept_for_the_whole_session() {
    let mut kiosk = Harness::new();
    let normal_theme = kiosk.kiosk.theme();
    kiosk.click("Toca aquí para empezar");
    kiosk.click("English");
    kiosk.assert_shows("Choose your language");
    kiosk.click("Large text: off");
    kiosk.assert_shows("Large text: on");
    kiosk.click("High contrast: off");
    kiosk.assert_shows("High contrast: on");
    assert_ne!(kiosk.kiosk.theme().palette(), normal_theme.palette());
    kiosk.click("Continue");
    kiosk.click("Understood");
    kiosk.click("Skip");
    kiosk.assert_shows("What would you like to do?");
    // Large text still fits 1024×768: every tile is on screen.
    let mut ui = kiosk.ui();
    for tile in [
        "Procedures",
        "Tenders",
        "Municipal networks",
        "Forums",
        "Communities",
        "Help",
    ] {
        let target = ui.find(tile).expect(tile);
        let bounds = target.visible_bounds().expect("visible");
        assert!(
            bounds.y + bounds.height <= 768.0 && bounds.x + bounds.width <= 1024.0,
            "{tile}"
        );
    }
    drop(ui);
    let preferences = kiosk.kiosk.citizen().preferences;
    assert_eq!(preferences.language, Language::En);
    assert!(preferences.large_text && preferences.high_contrast);
    match kiosk.events().first() {
        Some(EventPayload::SessionStarted(started)) => {
            assert!(started.large_text && started.high_contrast);
            assert_eq!(started.language, Language::En);
        }
        other => panic!("expected session_started, got {other:?}"),
    }
    kiosk.click("End session");
    assert_eq!(kiosk.kiosk.theme().palette(), normal_theme.palette());
    kiosk.assert_shows("Toca aquí para empezar");
}

#[test]
fn the_five_minute_warning_offers_more_time() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.wait(25 * 60 - 1, true);
    assert!(!kiosk.shows("Quedan 5 minutos"));
    kiosk.wait(1, true);
    kiosk.assert_shows("Quedan 5 minutos");
    kiosk.assert_shows("Tiempo: 5:00");
    kiosk.click("Más tiempo");
    assert!(!kiosk.shows("Quedan 5 minutos"));
    kiosk.assert_shows("Tiempo: 20:00");
    assert!(kiosk.events().iter().any(
        |event| matches!(event, EventPayload::SessionExtended(extended) if extended.by_s == 900)
    ));
    // Declined the second time, the one-minute warning follows, then the end.
    kiosk.wait(15 * 60, true);
    kiosk.click("Seguir");
    kiosk.wait(4 * 60, true);
    kiosk.assert_shows("Queda 1 minuto");
    kiosk.wait(60, true);
    kiosk.assert_shows("Toca aquí para empezar");
    assert!(matches!(
        kiosk.events().last(),
        Some(EventPayload::SessionEnded(ended)) if ended.reason == EndReason::Timeout
    ));
}

#[test]
fn nobody_there_asks_then_ends_the_session() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.wait(119, false);
    assert!(!kiosk.shows("¿Sigues ahí?"));
    kiosk.wait(1, false);
    kiosk.assert_shows("¿Sigues ahí?");
    kiosk.assert_shows("La sesión terminará en 30 segundos.");
    kiosk.click("Sigo aquí");
    assert!(!kiosk.shows("¿Sigues ahí?"));
    kiosk.wait(120, false);
    kiosk.assert_shows("¿Sigues ahí?");
    kiosk.wait(29, false);
    kiosk.assert_shows("La sesión terminará en 1 segundos.");
    kiosk.wait(1, false);
    kiosk.assert_shows("Toca aquí para empezar");
    assert!(matches!(
        kiosk.events().last(),
        Some(EventPayload::SessionEnded(ended)) if ended.reason == EndReason::Idle
    ));
}

#[test]
fn text_typed_in_one_session_is_gone_in_the_next() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.click("Ayuda");
    kiosk.type_into(help::PRACTICE_ID, "mi clave secreta");
    kiosk.assert_shows("mi clave secreta");
    // Walked away: the session ends by idleness, not by a button.
    kiosk.wait(150, false);
    kiosk.assert_shows("Toca aquí para empezar");

    kiosk.start_session();
    kiosk.click("Ayuda");
    assert!(!kiosk.shows("mi clave secreta"));
    assert!(
        matches!(&kiosk.kiosk.citizen().screen, Screen::Help(state) if *state == help::State::default())
    );
}

#[test]
fn supervisor_commands_reach_the_screen() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.kiosk.apply_command(&CommandAction::ShowMessage {
        text: "Cerramos a las 20:00".to_owned(),
    });
    kiosk.assert_shows("Cerramos a las 20:00");
    kiosk.click("Aceptar");
    assert!(!kiosk.shows("Cerramos a las 20:00"));
    kiosk
        .kiosk
        .apply_command(&CommandAction::ExtendSession { seconds: 600 });
    kiosk.assert_shows("Tiempo: 40:00");
    kiosk
        .kiosk
        .apply_command(&CommandAction::Lock { reason: None });
    kiosk.assert_shows("Quiosco en mantenimiento");
    kiosk.click("Quiosco en mantenimiento");
    kiosk.assert_shows("Quiosco en mantenimiento");
    kiosk.kiosk.apply_command(&CommandAction::Unlock);
    kiosk.assert_shows("Toca aquí para empezar");
}

#[test]
fn the_supervisor_pin_opens_maintenance_and_a_wrong_one_does_not() {
    let mut kiosk = Harness::new();
    kiosk.click("Personal");
    kiosk.assert_shows("PIN del personal");
    kiosk.type_into(pin::PIN_ID, "1111");
    kiosk.click("Entrar");
    kiosk.assert_shows("PIN incorrecto");
    assert!(!kiosk.shows("Mantenimiento"));
    kiosk.type_into(pin::PIN_ID, DEFAULT_PIN);
    kiosk.click("Entrar");
    kiosk.assert_shows("Mantenimiento");
    kiosk.assert_shows("Versión: 0.1.0");
    kiosk.assert_shows("Eventos pendientes: 0 (rechazados: 0)");
    kiosk.assert_shows("Quiosco: sin inscribir");
    kiosk.assert_shows("Salir del quiosco");
    assert!(
        kiosk.shows("Código de inscripción")
            || kiosk
                .ui()
                .find(core::widget::Id::new(maintenance::CODE_ID))
                .is_ok()
    );
    kiosk.click("Cerrar");
    kiosk.assert_shows("Toca aquí para empezar");
}

#[test]
fn the_window_close_request_is_ignored() {
    let mut kiosk = Harness::new();
    kiosk.start_session();
    let task = kiosk.kiosk.update(Message::CloseRequested);
    assert!(task.units() == 0, "no exit task");
    kiosk.assert_shows("¿Qué quieres hacer?");
}

#[test]
fn the_centre_profile_gives_the_neighbourhoods_and_the_session_rules() {
    let mut kiosk = Harness::with_profile(Some(KioskProfile {
        kiosk_id: uuid::Uuid::nil(),
        centre: "Biblioteca Norte".to_owned(),
        neighbourhoods: vec!["Centro".to_owned(), "La Loma".to_owned()],
        session_allotment_s: 600,
        session_extension_s: 0,
        extensions_allowed: false,
        heartbeat_interval_s: 10,
        web: plaza_api::web::WebPolicy::default(),
    }));
    kiosk.assert_shows("Biblioteca Norte");
    kiosk.click("Toca aquí para empezar");
    kiosk.click("Continuar");
    kiosk.click("Entendido");
    kiosk.assert_shows("¿En qué barrio vives?");
    kiosk.click("La Loma");
    kiosk.click("Enviar");
    kiosk.assert_shows("Tiempo: 10:00");
    assert!(kiosk.events().iter().any(|event| matches!(
        event,
        EventPayload::SurveyAnswered(answers) if answers.neighbourhood.as_deref() == Some("La Loma")
    )));
    // No extensions at this centre: the warning offers none.
    kiosk.wait(5 * 60, true);
    kiosk.assert_shows("Quedan 5 minutos");
    assert!(!kiosk.shows("Más tiempo"));
}

fn heartbeat_reply(commands: Vec<Command>) -> Result<HeartbeatResponse, ClientError> {
    Ok(HeartbeatResponse {
        commands,
        content_version: 0,
        heartbeat_interval_s: 10,
        session_allotment_s: 1800,
        session_extension_s: 900,
        server_time: Timestamp::UNIX_EPOCH,
    })
}

fn sent_heartbeat() -> Box<HeartbeatRequest> {
    Box::new(HeartbeatRequest {
        sent_at: Timestamp::UNIX_EPOCH,
        state: KioskState::InSession,
        app_version: "0.1.0".to_owned(),
        health: Health::default(),
        outbox_len: 0,
        last_error: None,
        session: None,
        acked_commands: Vec::new(),
        content_version: None,
    })
}

#[test]
fn the_offline_mark_follows_the_link_and_a_heartbeat_command_ends_the_session() {
    let mut kiosk = Harness::build(None, true);
    kiosk.start_session();
    kiosk.assert_shows("Sin conexión");
    let _ = kiosk.kiosk.update(Message::HeartbeatDone(
        sent_heartbeat(),
        heartbeat_reply(Vec::new()),
    ));
    assert!(!kiosk.shows("Sin conexión"));
    let _ = kiosk.kiosk.update(Message::HeartbeatDone(
        sent_heartbeat(),
        Err(ClientError::Unreachable("connection refused".to_owned())),
    ));
    kiosk.assert_shows("Sin conexión");

    kiosk.click("Ayuda");
    kiosk.type_into(help::PRACTICE_ID, "borrador");
    let end = Command {
        id: uuid::Uuid::now_v7(),
        issued_at: Timestamp::UNIX_EPOCH,
        action: CommandAction::EndSession,
    };
    let _ = kiosk.kiosk.update(Message::HeartbeatDone(
        sent_heartbeat(),
        heartbeat_reply(vec![end.clone()]),
    ));
    kiosk.assert_shows("Toca aquí para empezar");
    assert!(matches!(
        kiosk.events().last(),
        Some(EventPayload::SessionEnded(ended)) if ended.reason == EndReason::Supervisor
    ));
    // Redelivered before the acknowledgement arrived: not carried out again.
    kiosk.start_session();
    let _ = kiosk.kiosk.update(Message::HeartbeatDone(
        sent_heartbeat(),
        heartbeat_reply(vec![end]),
    ));
    kiosk.assert_shows("¿Qué quieres hacer?");
}
