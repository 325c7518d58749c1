//! "Pedidos y reclamos" at the kiosk against a real manager on loopback
//! (the forums fixture, with the demo service types loaded): filing
//! anonymously shows the ticket and follows by it; a request filed logged
//! in shows at another kiosk under "Mis pedidos" with staff's public note;
//! the session wipe drops a draft.

use std::time::Duration;

use plaza_api::requests::{PublicRequest, RequestQueue, RequestStatus, StatusChange};
use plaza_api::staff::Role;
use plaza_kiosk::app::{Message, Screen, Setup};
use plaza_kiosk::config::KioskConfig;
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::ManagerClient;
use plaza_kiosk::screen::participation::account;
use plaza_kiosk::screen::requests::{self, DESCRIPTION_ID, Page, STREET_ID, TICKET_ID};

use tokio::runtime::Runtime;

use crate::harness::Harness;
use crate::participation::{CENTRE, Forum};

const DESCRIPTION: &str = "Hay un pozo enorme frente a la escuela";

fn with_service_types() -> Forum {
    let forum = Forum::start();
    forum.runtime.block_on(async {
        plaza_manager::requests::seed::load(
            &forum.manager().state.storage,
            plaza_manager::requests::seed::DEMO_SERVICE_TYPES,
        )
        .await
        .expect("seed service types");
    });
    forum
}

fn requests_state(ui: &Harness) -> Option<&requests::State> {
    match &ui.kiosk.citizen().screen {
        Screen::Requests(state) => Some(state),
        _ => None,
    }
}

/// Home → "Pedidos y reclamos" → a pothole, described in La Loma.
fn describe_a_pothole(ui: &mut Harness, runtime: &Runtime) {
    ui.click("Pedidos y reclamos");
    ui.click("Hacer un pedido");
    ui.settle(runtime);
    ui.assert_shows("Calles y veredas");
    ui.click("Bache en la calle");
    ui.assert_shows("No escribas datos personales: lo que cuentes se publica.");
    ui.type_into(DESCRIPTION_ID, DESCRIPTION);
    ui.click("La Loma");
    ui.type_into(STREET_ID, "Sarmiento 1200");
}

fn filed_ticket(ui: &Harness) -> String {
    match requests_state(ui).and_then(requests::State::page) {
        Some(Page::Filed(filed)) => filed.request.ticket.clone(),
        other => panic!("no ticket shown: {other:?}"),
    }
}

#[test]
fn a_request_filed_anonymously_shows_its_ticket_and_is_followed_by_it() {
    let mut forum = with_service_types();
    forum.ui.start_session();
    forum.click("Pedidos y reclamos");
    forum.ui.assert_shows("Seguir un pedido");
    forum.click("Hacer un pedido");
    forum.click("Bache en la calle");
    // Nothing to send yet: the kiosk says what is missing.
    forum.click("Enviar sin cuenta");
    forum.ui.assert_shows("Contanos qué pasa antes de enviar.");
    forum.click("Volver");
    forum.click("Volver");

    describe_a_pothole(&mut forum.ui, &forum.runtime);
    forum.click("Enviar sin cuenta");
    let ticket = filed_ticket(&forum.ui);
    forum
        .ui
        .assert_shows(&format!("Código de tu pedido: {ticket}"));
    forum
        .ui
        .assert_shows("Escaneá el código QR con tu teléfono para seguirlo.");

    // What reached the manager: the place as chosen, no account.
    let filed = forum.runtime.block_on(async {
        let manager = forum.manager();
        let staff = manager.staff_token(Role::Admin).await;
        let queue: RequestQueue = manager
            .client
            .get(manager.url("/api/v1/requests"))
            .bearer_auth(&staff)
            .send()
            .await
            .expect("queue")
            .json()
            .await
            .expect("queue body");
        queue.items
    });
    let [filed] = filed.as_slice() else {
        panic!("one request expected: {filed:?}");
    };
    assert_eq!(filed.public.ticket, ticket);
    assert_eq!(filed.public.description, DESCRIPTION);
    assert_eq!(filed.public.neighbourhood.as_deref(), Some("La Loma"));
    assert_eq!(filed.public.street.as_deref(), Some("Sarmiento 1200"));

    // Follow it by the ticket as typed, in small letters.
    forum.click("Terminar");
    forum.click("Seguir un pedido");
    forum.type_into(TICKET_ID, &ticket.to_lowercase());
    forum.click("Buscar");
    forum.ui.assert_shows("Estado: recibido");
    forum.ui.assert_shows(DESCRIPTION);
    // An unknown ticket is said plainly.
    forum.type_into(TICKET_ID, "9");
    forum.click("Buscar");
    forum
        .ui
        .assert_shows("No encontramos un pedido con ese código. Revisá las letras y los números.");
}

/// A second kiosk of the same centre, online, at the same manager.
fn another_kiosk(forum: &Forum) -> (Harness, tempfile::TempDir) {
    let manager = forum.manager();
    let (credentials, profile) = forum.runtime.block_on(async {
        let enrolled = manager.enrol_kiosk(CENTRE, "pc-requests").await;
        let credentials = Credentials {
            manager_url: manager.url.clone(),
            kiosk_id: enrolled.kiosk_id,
            token: enrolled.token,
            centre: enrolled.centre,
        };
        let profile = ManagerClient::new(&manager.url, Duration::from_secs(5))
            .expect("client")
            .with_credentials(&credentials)
            .profile()
            .await
            .expect("profile");
        (credentials, profile)
    });
    let data = tempfile::tempdir().expect("data folder");
    let config = KioskConfig {
        fullscreen: false,
        ..KioskConfig::default()
    };
    let mut setup = Setup::offline(config).expect("setup");
    setup.data_dir = data.path().to_path_buf();
    setup.credentials = Some(credentials);
    let mut ui = Harness::from_setup(setup);
    ui.send(Message::ProfileLoaded(Ok(profile)));
    (ui, data)
}

#[test]
fn a_request_filed_logged_in_shows_staffs_note_under_my_requests_at_another_kiosk() {
    let mut forum = with_service_types();
    forum.ui.start_session();
    // Without a login there is no "Mis pedidos", and the kiosk says why.
    forum.click("Pedidos y reclamos");
    assert!(!forum.ui.shows("Mis pedidos"));
    forum.click("Volver");
    forum.click("Foros");
    forum.click("Entrar o crear cuenta");
    forum.sign_up("Vecino Beto", "2580");
    forum.ui.assert_shows("Conectado como Vecino Beto");
    while !forum.ui.shows("Pedidos y reclamos") {
        forum.click("Volver");
    }
    describe_a_pothole(&mut forum.ui, &forum.runtime);
    forum.click("Enviar con mi cuenta");
    let ticket = filed_ticket(&forum.ui);
    forum
        .ui
        .assert_shows("También lo vas a ver en \"Mis pedidos\" cuando entres con tu cuenta.");
    forum.click("Terminar sesión");

    // Staff answer through the API, with a note for the citizen.
    forum.runtime.block_on(async {
        let manager = forum.manager();
        let staff = manager.staff_token(Role::Admin).await;
        let queue: RequestQueue = manager
            .client
            .get(manager.url("/api/v1/requests"))
            .bearer_auth(&staff)
            .send()
            .await
            .expect("queue")
            .json()
            .await
            .expect("queue body");
        let id = queue
            .items
            .iter()
            .find(|item| item.public.ticket == ticket)
            .expect("filed request")
            .id;
        let change = StatusChange {
            status: RequestStatus::InProcess,
            public_note: "Mañana pasa la cuadrilla".to_owned(),
            internal_note: None,
        };
        let answered = manager
            .client
            .post(manager.url(&format!("/api/v1/requests/{id}/status")))
            .bearer_auth(&staff)
            .json(&change)
            .send()
            .await
            .expect("status");
        assert!(answered.status().is_success(), "{}", answered.status());
    });

    // At another kiosk, logged in again: the request with the note.
    let (mut other, _data) = another_kiosk(&forum);
    other.start_session();
    other.click("Foros");
    other.settle(&forum.runtime);
    other.click("Entrar o crear cuenta");
    other.click("Ya tengo cuenta");
    other.type_into(account::ALIAS_ID, "Vecino Beto");
    other.type_into(account::PIN_ID, "2580");
    other.click("Entrar");
    other.settle(&forum.runtime);
    other.assert_shows("Conectado como Vecino Beto");
    while !other.shows("Pedidos y reclamos") {
        other.click("Volver");
        other.settle(&forum.runtime);
    }
    other.click("Pedidos y reclamos");
    other.click("Mis pedidos");
    other.settle(&forum.runtime);
    other.assert_shows("Estado: en curso");
    other.assert_shows("La municipalidad dice: Mañana pasa la cuadrilla");
    let shown: Vec<PublicRequest> = match requests_state(&other).and_then(requests::State::page) {
        Some(Page::Mine(Some(mine))) => mine.clone(),
        other => panic!("no list: {other:?}"),
    };
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].ticket, ticket);
}

#[test]
fn the_session_wipe_drops_a_request_draft() {
    let mut forum = with_service_types();
    forum.ui.start_session();
    describe_a_pothole(&mut forum.ui, &forum.runtime);
    let ui = &mut forum.ui;
    ui.assert_shows(DESCRIPTION);
    ui.click("Terminar sesión");
    assert!(
        requests_state(ui).is_none(),
        "the draft outlived the session"
    );

    ui.start_session();
    ui.click("Pedidos y reclamos");
    ui.click("Hacer un pedido");
    ui.settle(&forum.runtime);
    ui.click("Bache en la calle");
    assert!(!ui.shows(DESCRIPTION));
    match requests_state(ui).and_then(requests::State::page) {
        Some(Page::Describe(draft)) => {
            assert!(draft.description.is_empty());
            assert_eq!(draft.neighbourhood, None);
            assert!(draft.street.is_empty());
        }
        other => panic!("no form: {other:?}"),
    }
}

#[test]
fn the_on_screen_keyboard_types_into_the_field_chosen() {
    let mut forum = Forum::start_with(|_| {}, plaza_manager::Clock::System, true);
    forum.runtime.block_on(async {
        plaza_manager::requests::seed::load(
            &forum.manager().state.storage,
            plaza_manager::requests::seed::DEMO_SERVICE_TYPES,
        )
        .await
        .expect("seed service types");
    });
    forum.ui.start_session();
    forum.click("Pedidos y reclamos");
    forum.click("Hacer un pedido");
    forum.click("Bache en la calle");
    for key in ["h", "o", "y"] {
        forum.click(key);
    }
    forum.click("Calle y altura");
    forum.click("1");
    forum.click("Intro");
    forum.click("2");
    match requests_state(&forum.ui).and_then(requests::State::page) {
        Some(Page::Describe(draft)) => {
            assert_eq!(draft.description, "hoy");
            assert_eq!(draft.street, "1");
            assert_eq!(draft.reference, "2");
        }
        other => panic!("no form: {other:?}"),
    }
}

#[test]
fn without_the_manager_filing_says_so_and_keeps_the_draft() {
    let mut forum = with_service_types();
    forum.ui.start_session();
    describe_a_pothole(&mut forum.ui, &forum.runtime);
    let manager = forum.manager.take().expect("manager");
    let _folder = forum.runtime.block_on(manager.stop());
    forum.click("Enviar sin cuenta");
    forum.ui.assert_shows(
        "Ahora no podemos comunicarnos con la municipalidad. Probá de nuevo en un rato; lo que escribiste sigue acá.",
    );
    match requests_state(&forum.ui).and_then(requests::State::page) {
        Some(Page::Describe(draft)) => assert_eq!(draft.description, DESCRIPTION),
        other => panic!("the draft is gone: {other:?}"),
    }
}
