//! The Internet section and "Open here" at the kiosk: the centre's
//! recommended sites are listed by their titles; without a browser the
//! citizen is told plainly and staff see the problem. The real browser is
//! in `tests/web.rs`.

use plaza_api::profile::KioskProfile;
use plaza_api::web::{RecommendedSite, WebPolicy};

use plaza_kiosk::app::Message;
use plaza_kiosk::screen::catalogue::{self, procedure};

use crate::harness::Harness;

const MISSING: &str =
    "Internet no está disponible en esta terminal ahora. Avisale al personal del centro.";

fn kiosk_with_sites() -> Harness {
    let mut kiosk = Harness::with_profile(Some(KioskProfile {
        kiosk_id: uuid::Uuid::nil(),
        centre: "Biblioteca Norte".to_owned(),
        neighbourhoods: vec!["Centro".to_owned()],
        session_allotment_s: 1800,
        session_extension_s: 0,
        extensions_allowed: false,
        heartbeat_interval_s: 10,
        web: WebPolicy {
            recommended: vec![
                RecommendedSite {
                    title: "Mi Argentina".to_owned(),
                    url: "https://mi.argentina.gob.ar/".to_owned(),
                },
                RecommendedSite {
                    title: "Turnos del hospital".to_owned(),
                    url: "https://turnos.villadelvalle.gob.ar/".to_owned(),
                },
            ],
            ..WebPolicy::default()
        },
    }));
    kiosk.start_session();
    kiosk
}

#[test]
fn the_internet_tile_lists_the_centres_sites_by_title() {
    let mut kiosk = kiosk_with_sites();
    kiosk.click("Internet");
    kiosk.assert_shows("Mi Argentina");
    kiosk.assert_shows("Turnos del hospital");
    assert!(!kiosk.shows("https://mi.argentina.gob.ar/"));
    kiosk.click("Mi Argentina");
    kiosk.assert_shows(MISSING);
    let diagnostics = kiosk.kiosk.diagnostics().problems;
    assert!(
        diagnostics
            .iter()
            .any(|line| line.contains("not installed")),
        "{diagnostics:?}"
    );
    kiosk.click("Volver");
    kiosk.assert_shows("¿Qué quieres hacer?");
}

#[test]
fn open_here_sits_beside_the_code_of_an_online_channel() {
    let mut kiosk = kiosk_with_sites();
    kiosk.click("Trámites");
    kiosk.click("Registro civil");
    kiosk.click("Partida de nacimiento");
    kiosk.assert_shows("https://tramites.villadelvalle.gob.ar/partidas");
    kiosk.assert_shows("Abrir acá");
    // Below the fold, where the test cannot scroll: its message, as the
    // button sends it.
    kiosk.send(Message::Catalogue(catalogue::Message::Procedure(
        procedure::Message::OpenHere(0),
    )));
    kiosk.assert_shows(MISSING);
}
