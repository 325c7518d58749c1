//! The catalogue sections from the kiosk's copy of the seed content:
//! procedures (tiles, search while typing, the detail a first-time user
//! needs), tenders by status, networks and their members, the events they
//! record, and the wipe.

use std::path::Path;

use jiff::Timestamp;
use plaza_api::catalogue::{CatalogueWritten, Network, Procedure, Tender, Text};
use plaza_api::events::{EventPayload, SearchMade};
use plaza_api::session::Section;
use plaza_api::staff::Role;
use plaza_kiosk::app::{Message, Screen};
use plaza_kiosk::config::DEFAULT_PIN;
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::screen::catalogue::procedures::SEARCH_ID;
use plaza_kiosk::screen::catalogue::{self, widgets::Qr};
use plaza_kiosk::screen::pin;
use plaza_manager::catalogue::import::import_file;
use plaza_manager::testing::TestManager;

use crate::harness::Harness;

/// Monday 30 November 2026, 10:00 at the centre (13:00 UTC): offices are
/// open, and tender CD-2026-112 closes on Thursday.
fn monday_morning() -> Timestamp {
    "2026-11-30T13:00:00Z".parse().expect("time")
}

fn kiosk_in_session() -> Harness {
    let mut kiosk = Harness::starting_at(monday_morning());
    kiosk.start_session();
    kiosk
}

fn searches(kiosk: &Harness) -> Vec<SearchMade> {
    kiosk
        .events()
        .into_iter()
        .filter_map(|event| match event {
            EventPayload::SearchMade(search) => Some(search),
            _ => None,
        })
        .collect()
}

/// The requirements ticked off on the open procedure.
fn checked(kiosk: &Harness) -> Vec<bool> {
    match &kiosk.kiosk.citizen().screen {
        Screen::Catalogue(catalogue::State::Procedures {
            open: Some(detail), ..
        }) => detail.checked.clone(),
        other => panic!("no procedure open: {other:?}"),
    }
}

#[test]
fn a_category_leads_to_a_procedure_with_what_to_bring_cost_and_todays_hours() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Trámites");
    kiosk.assert_shows("Elige un tema o escribe arriba lo que buscas.");
    kiosk.click("Registro civil");
    kiosk.assert_shows("Registro civil");
    kiosk.assert_shows("7 trámites");
    kiosk.click("Partida de nacimiento");

    kiosk.assert_shows("Qué es");
    kiosk.assert_shows(
        "Copia certificada del acta de nacimiento para trámites escolares, previsionales o de documentación.",
    );
    kiosk.assert_shows("Qué tienes que llevar");
    kiosk.assert_shows("DNI original");
    kiosk.assert_shows("Sin estos datos la búsqueda puede demorar 48 horas.");
    kiosk.assert_shows("$ 3.500,00");
    kiosk.assert_shows("Registro Civil y Capacidad de las Personas");
    kiosk.assert_shows("Rivadavia 415 (Centro)");
    kiosk.assert_shows("Hoy: 07:00–13:00");
    kiosk.assert_shows("Abierto ahora");
    kiosk.assert_shows("1. Pida la partida en ventanilla o en la web.");
    // Online too: a QR code of the address, with the address under it.
    kiosk.assert_shows("https://tramites.villadelvalle.gob.ar/partidas");
    match &kiosk.kiosk.citizen().screen {
        Screen::Catalogue(catalogue::State::Procedures {
            open: Some(detail), ..
        }) => {
            assert_eq!(detail.online.len(), 1);
            assert!(detail.online[0].is_code(), "the URL fits in a QR code");
        }
        other => panic!("no procedure open: {other:?}"),
    }

    // The checklist ticks and unticks.
    assert_eq!(checked(&kiosk), [false, false, false]);
    kiosk.click("DNI original");
    assert_eq!(checked(&kiosk), [true, false, false]);

    // Back to the category's list, back to the tiles, then home.
    kiosk.click("Volver");
    kiosk.assert_shows("7 trámites");
    kiosk.click("Volver");
    kiosk.assert_shows("Elige un tema o escribe arriba lo que buscas.");
    kiosk.click("Inicio");
    kiosk.assert_shows("¿Qué quieres hacer?");

    let events = kiosk.events();
    assert!(events.contains(&EventPayload::SectionOpened(
        plaza_api::events::SectionOpened {
            section: Section::Procedures
        }
    )));
    assert!(events.contains(&EventPayload::ProcedureViewed(
        plaza_api::events::ProcedureViewed {
            procedure_id: "partida-nacimiento".to_owned()
        }
    )));
}

#[test]
fn after_hours_the_office_shows_as_closed_now() {
    // 18:00 at the centre.
    let mut kiosk = Harness::starting_at("2026-11-30T21:00:00Z".parse().expect("time"));
    kiosk.start_session();
    kiosk.click("Trámites");
    kiosk.click("Registro civil");
    kiosk.click("Partida de nacimiento");
    kiosk.assert_shows("Hoy: 07:00–13:00");
    kiosk.assert_shows("Cerrado ahora");
    assert!(!kiosk.shows("Abierto ahora"));
}

#[test]
fn search_shows_results_while_typing_and_records_one_search_without_its_words() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Trámites");
    // Typed without accents, found with them.
    kiosk.type_into(SEARCH_ID, "inscripcion");
    kiosk.assert_shows("Inscripción de nacimiento");
    kiosk.assert_shows("Inscripción de defunción");
    kiosk.assert_shows("6 trámites");
    assert!(searches(&kiosk).is_empty(), "not while still typing");
    // A pause: one search, however many keys were typed.
    kiosk.wait(3, false);
    assert_eq!(
        searches(&kiosk),
        [SearchMade {
            section: Section::Procedures,
            results: 6
        }]
    );
    kiosk.wait(10, false);
    assert_eq!(searches(&kiosk).len(), 1, "recorded once");

    // Opening a result records the search typed just before, at once.
    kiosk.click("Volver");
    kiosk.type_into(SEARCH_ID, "licencia conducir");
    kiosk.assert_shows("Renovación de licencia de conducir");
    kiosk.click("Renovación de licencia de conducir");
    kiosk.assert_shows("Qué tienes que llevar");
    let recorded = searches(&kiosk);
    assert_eq!(recorded.len(), 2);
    assert!(recorded[1].results >= 2, "{recorded:?}");
    let text: String = kiosk
        .events()
        .iter()
        .map(|event| format!("{event:?}"))
        .collect();
    // The procedure opened is recorded by id; the words typed nowhere.
    assert!(!text.contains("licencia conducir") && !text.contains("inscripcion"));
}

#[test]
fn a_search_with_no_results_is_friendly_and_suggests_the_topics() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Trámites");
    kiosk.type_into(SEARCH_ID, "xqzwv");
    kiosk.assert_shows("No encontramos trámites con esas palabras");
    kiosk.assert_shows("Salud");
    kiosk.click("Salud");
    kiosk.assert_shows("Vacunación y carné de vacunas");
    kiosk.click("Inicio");
    assert_eq!(
        searches(&kiosk),
        [SearchMade {
            section: Section::Procedures,
            results: 0
        }],
        "leaving the search records it"
    );
}

#[test]
fn tenders_filter_by_status_and_say_when_they_close() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Licitaciones");
    // Open ones first, the soonest deadline at the top.
    kiosk.assert_shows("Servicio de mantenimiento de ascensores");
    kiosk.assert_shows("CD-2026-112 · Cierra en 3 días");
    kiosk.assert_shows("CD-2026-118 · Cierra en 14 días");
    assert!(!kiosk.shows("Computadoras para las escuelas municipales"));
    kiosk.click("Adjudicadas");
    kiosk.assert_shows("Computadoras para las escuelas municipales");
    kiosk.assert_shows("LPR-2026-015 · Adjudicada");
    assert!(!kiosk.shows("Servicio de mantenimiento de ascensores"));
    kiosk.click("Canceladas");
    kiosk.assert_shows("Refacción de la Terminal de Ómnibus");

    kiosk.click("Abiertas");
    kiosk.click("Pavimentación de calles del barrio La Loma");
    kiosk.assert_shows("Expediente: LP-2026-021");
    kiosk.assert_shows("Documentos");
    kiosk.assert_shows("Pliego de bases y condiciones");
    kiosk.assert_shows("https://compras.villadelvalle.gob.ar/expedientes/LP-2026-021/pliego.pdf");
    match &kiosk.kiosk.citizen().screen {
        Screen::Catalogue(catalogue::State::Tenders {
            open: Some(detail), ..
        }) => {
            assert_eq!(detail.documents.len(), 3, "one QR code per document");
            assert!(detail.documents.iter().all(Qr::is_code));
        }
        other => panic!("no tender open: {other:?}"),
    }
    kiosk.click("Volver");
    kiosk.assert_shows("CD-2026-112 · Cierra en 3 días");
    assert!(kiosk.events().contains(&EventPayload::TenderViewed(
        plaza_api::events::TenderViewed {
            tender_id: "lp-2026-021".to_owned()
        }
    )));
}

#[test]
fn a_network_shows_its_members_and_how_to_join() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Redes municipales");
    kiosk.assert_shows("Red Ambiental del Valle");
    kiosk.click("Agua y saneamiento");
    kiosk.assert_shows("Red Agua Segura");
    assert!(!kiosk.shows("Red Ambiental del Valle"));
    kiosk.click("Red Agua Segura");
    kiosk.assert_shows("Municipios miembros");
    kiosk.assert_shows("Fiambalá (Catamarca)");
    kiosk.assert_shows("Villa del Valle (Catamarca), desde el 12/04/2019");
    kiosk.assert_shows("Coordina: Fiambalá");
    kiosk.assert_shows("Cómo se suma un municipio");
    kiosk.click("Volver");
    kiosk.click("Volver");
    kiosk.assert_shows("Red Ambiental del Valle");
    assert!(kiosk.events().iter().any(|event| matches!(
        event,
        EventPayload::NetworkViewed(viewed) if viewed.network_id.contains("agua")
            || viewed.network_id.contains("water")
    )));
}

#[test]
fn the_wipe_clears_the_search_box_and_the_checklist() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Trámites");
    kiosk.type_into(SEARCH_ID, "partida");
    kiosk.assert_shows("partida");
    kiosk.click("Partida de nacimiento");
    kiosk.click("DNI original");
    assert_eq!(checked(&kiosk), [true, false, false]);
    kiosk.click("Terminar sesión");
    kiosk.assert_shows("Toca aquí para empezar");

    kiosk.start_session();
    kiosk.click("Trámites");
    assert!(!kiosk.shows("partida"), "the search box is empty again");
    kiosk.assert_shows("Elige un tema o escribe arriba lo que buscas.");
    kiosk.click("Registro civil");
    kiosk.click("Partida de nacimiento");
    assert_eq!(checked(&kiosk), [false, false, false]);
}

#[test]
fn english_shows_english_texts() {
    let mut kiosk = Harness::starting_at(monday_morning());
    kiosk.click("Toca aquí para empezar");
    kiosk.click("English");
    kiosk.click("Continue");
    kiosk.click("Understood");
    kiosk.click("Skip");
    kiosk.click("Procedures");
    kiosk.assert_shows("Civil registry");
    // Spanish names still find procedures, shown in English.
    kiosk.type_into(SEARCH_ID, "partida");
    kiosk.click("Birth certificate");
    kiosk.assert_shows("What to bring");
    kiosk.assert_shows("Original national ID (DNI)");
    kiosk.assert_shows("$ 3,500.00");
    kiosk.assert_shows("Open now");
    kiosk.click("Home");
    kiosk.click("Tenders");
    kiosk.assert_shows("CD-2026-112 · Closes in 3 days");
}

#[test]
fn without_a_manager_the_catalogue_works_from_the_local_copy() {
    let mut kiosk = Harness::build_at(None, true, monday_morning());
    kiosk.start_session();
    kiosk.assert_shows("Sin conexión");
    kiosk.click("Trámites");
    kiosk.type_into(SEARCH_ID, "habilitacion comercial");
    kiosk.assert_shows("Habilitación comercial");
    kiosk.click("Habilitación comercial");
    kiosk.assert_shows("Qué tienes que llevar");
}

#[tokio::test]
async fn the_copy_follows_the_managers_content_version() {
    let manager = TestManager::start().await;
    let storage = &manager.state.storage;
    let folder = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/content"));
    let now = manager.now();
    import_file::<Procedure>(storage, &folder.join("procedures.json"), false, "t", now)
        .await
        .expect("procedures");
    import_file::<Tender>(storage, &folder.join("tenders.json"), false, "t", now)
        .await
        .expect("tenders");
    import_file::<Network>(storage, &folder.join("networks.json"), false, "t", now)
        .await
        .expect("networks");
    manager.add_centre("Biblioteca Norte", &["Centro"]).await;
    let enrolled = manager.enrol_kiosk("Biblioteca Norte", "pc-1").await;
    let credentials = Credentials {
        manager_url: manager.url.clone(),
        kiosk_id: enrolled.kiosk_id,
        token: enrolled.token,
        centre: enrolled.centre,
    };

    // Started with an empty copy: the first update syncs it in full.
    let mut kiosk = Harness::linked(credentials, monday_morning());
    kiosk.run(Message::Tick(kiosk.now)).await;
    kiosk.start_session();
    kiosk.click("Trámites");
    kiosk.type_into(SEARCH_ID, "partida");
    kiosk.assert_shows("Partida de nacimiento");

    // The manager's content changes; the next heartbeat says so, and the
    // kiosk fetches the change.
    let mut procedure: Procedure = manager
        .client
        .get(manager.url("/api/v1/procedures/partida-nacimiento"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("procedure");
    procedure.title = Text::es_en("Partida de nacimiento digital", "Digital birth certificate");
    let written: CatalogueWritten = manager
        .client
        .put(manager.url("/api/v1/procedures/partida-nacimiento"))
        .bearer_auth(manager.staff_token(Role::Admin).await)
        .json(&procedure)
        .send()
        .await
        .expect("put")
        .json()
        .await
        .expect("written");
    assert!(written.content_version > 1);
    kiosk.run(Message::HeartbeatDue).await;
    assert!(kiosk.kiosk.is_online());
    kiosk.click("Volver");
    kiosk.type_into(SEARCH_ID, "partida");
    kiosk.assert_shows("Partida de nacimiento digital");

    // Staff see the copy's version in the maintenance menu.
    kiosk.click("Terminar sesión");
    kiosk.click("Personal");
    kiosk.type_into(pin::PIN_ID, DEFAULT_PIN);
    kiosk.click("Entrar");
    kiosk.assert_shows(&format!("Catálogo: versión {}", written.content_version));
}

/// An address under a QR code has no spaces to wrap at: it breaks within
/// the code's width (220) instead of running past its column, which cut
/// it off on the left in a tender's documents.
#[test]
fn an_address_under_its_code_fits_the_codes_width() {
    let mut kiosk = kiosk_in_session();
    kiosk.click("Licitaciones");
    kiosk.click("Pavimentación de calles del barrio La Loma");
    let mut ui = kiosk.ui();
    let caption = ui
        .find("https://compras.villadelvalle.gob.ar/expedientes/LP-2026-021/pliego.pdf")
        .expect("the address is shown");
    let bounds = caption.bounds();
    assert!(bounds.width <= 220.5, "{bounds:?}");
    assert!(bounds.x >= 0.0, "{bounds:?}");
    drop(ui);

    // The same under a procedure's online channel.
    kiosk.click("Inicio");
    kiosk.click("Trámites");
    kiosk.click("Registro civil");
    kiosk.click("Partida de nacimiento");
    let mut ui = kiosk.ui();
    let caption = ui
        .find("https://tramites.villadelvalle.gob.ar/partidas")
        .expect("the address is shown");
    let bounds = caption.bounds();
    assert!(bounds.width <= 220.5, "{bounds:?}");
    assert!(bounds.x >= 0.0, "{bounds:?}");
}
