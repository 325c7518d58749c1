//! The community directory, joining, and the notice when the manager
//! cannot be reached.

use plaza_api::participation::communities::{CommunityCategory, NewCommunity};
use plaza_api::staff::Role;
use plaza_kiosk::app::Screen;

use super::{BOARD, Forum};
use crate::harness::Harness;

#[test]
fn communities_are_listed_joined_left_and_some_wait_for_approval() {
    let mut forum = Forum::start();
    forum.runtime.block_on(async {
        let manager = forum.manager.as_ref().expect("manager");
        let staff = manager.staff_token(Role::Admin).await;
        for (name, requires_approval) in [("Huerta La Loma", false), ("Club de mayores", true)] {
            let community = NewCommunity {
                name: name.to_owned(),
                description: format!("{name}: reuniones cada semana"),
                neighbourhood: Some("La Loma".to_owned()),
                category: CommunityCategory::Environment,
                requires_approval,
                centre_id: None,
            };
            let response = manager
                .client
                .post(manager.url("/api/v1/communities"))
                .bearer_auth(&staff)
                .json(&community)
                .send()
                .await
                .expect("create community");
            assert_eq!(response.status(), 201);
        }
    });
    forum.ui.start_session();
    forum.click("Comunidades");
    forum.ui.assert_shows("Comunidades del municipio");
    forum.ui.assert_shows("Club de mayores");
    forum
        .ui
        .assert_shows("Medio ambiente · La Loma · 0 miembros");

    forum.click("Huerta La Loma");
    forum
        .ui
        .assert_shows("Huerta La Loma: reuniones cada semana");
    forum.click("Entra para unirte");
    forum.sign_up("Vecina Carmen", "4321");
    forum.click("Unirme");
    forum.ui.assert_shows("Eres miembro");
    forum
        .ui
        .assert_shows("Medio ambiente · La Loma · 1 miembro");
    forum.click("Salir de la comunidad");
    forum.ui.assert_shows("Unirme");

    forum.click("Volver");
    forum.click("Club de mayores");
    forum
        .ui
        .assert_shows("Para unirte, quien coordina debe aprobarte.");
    forum.click("Pedir unirme");
    forum
        .ui
        .assert_shows("Esperando la aprobación de quien coordina.");
    forum.ui.assert_shows("Retirar la solicitud");
}

#[test]
fn without_the_manager_forums_say_so_and_offer_the_offline_sections() {
    // Never enrolled: no manager at all.
    let mut kiosk = Harness::new();
    kiosk.start_session();
    kiosk.click("Comunidades");
    kiosk.assert_shows("Sin conexión");
    kiosk.assert_shows(
        "Las comunidades necesitan conexión con el servidor del municipio, y ahora mismo no la hay.",
    );
    for section in ["Trámites", "Licitaciones", "Redes municipales"] {
        kiosk.assert_shows(section);
    }
    kiosk.click("Trámites");
    assert!(!kiosk.shows("Sin conexión"));
    assert_ne!(kiosk.kiosk.citizen().screen, Screen::Participation);

    // The manager goes away while the citizen is reading.
    let mut forum = Forum::start();
    forum.ui.start_session();
    forum.click("Foros");
    forum.ui.assert_shows(BOARD);
    let manager = forum.manager.take().expect("manager");
    let _folder = forum.runtime.block_on(manager.stop());
    forum.click(BOARD);
    forum.ui.assert_shows("Sin conexión");
    forum.ui.assert_shows(
        "Los foros necesitan conexión con el servidor del municipio, y ahora mismo no la hay.",
    );
    forum.ui.assert_shows("Probar otra vez");
}

#[test]
fn the_offline_notice_speaks_the_citizens_language() {
    let mut kiosk = Harness::new();
    kiosk.click("Toca aquí para empezar");
    kiosk.click("English");
    kiosk.click("Continue");
    kiosk.click("Understood");
    kiosk.click("Skip");
    kiosk.click("Forums");
    kiosk.assert_shows("No connection");
    kiosk.assert_shows(
        "Forums need the connection to the municipal server, and there is none right now.",
    );
    kiosk.assert_shows("Municipal networks");
    kiosk.click("Back");
    kiosk.assert_shows("What would you like to do?");
}
