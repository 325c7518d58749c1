//! Forums and communities at the kiosk, against a real manager on loopback:
//! the kiosk's requests are its own tasks, run by `Harness::settle` and fed
//! back as messages. The manager's clock is manual where time matters.
//! Here the fixture and the forum tests; the account and the communities
//! (with the offline notice) in their own files.

mod accounts;
mod communities;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use plaza_api::events::{EventPayload, PostWritten};
use plaza_api::participation::forums::{Board, BoardKind, NewBoard, NewPost, NewThread};
use plaza_api::session::Section;
use plaza_api::staff::Role;
use plaza_client::ParticipationClient;
use plaza_kiosk::app::{Message, Setup};
use plaza_kiosk::config::{InputConfig, KioskConfig};
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::ManagerClient;
use plaza_kiosk::screen::participation::{self as forums, Page, account, composer};
use plaza_manager::Clock;
use plaza_manager::config::Settings;
use plaza_manager::testing::TestManager;
use tokio::runtime::Runtime;

use crate::harness::Harness;

pub const CENTRE: &str = "Biblioteca Norte";
pub const BOARD: &str = "Vecindario";

/// A kiosk enrolled at a real manager that has one topic board.
pub struct Forum {
    pub ui: Harness,
    pub manager: Option<TestManager>,
    pub runtime: Runtime,
    _data: tempfile::TempDir,
}

impl Forum {
    pub fn start() -> Self {
        Self::start_with(|_| {}, Clock::System, false)
    }

    pub fn start_with(
        configure: impl FnOnce(&mut Settings),
        clock: Clock,
        on_screen_keyboard: bool,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let manager = runtime.block_on(TestManager::start_with(configure, clock));
        let (credentials, profile) = runtime.block_on(async {
            manager.add_centre(CENTRE, &["Centro", "La Loma"]).await;
            let enrolled = manager.enrol_kiosk(CENTRE, "pc-forum").await;
            let credentials = Credentials {
                manager_url: manager.url.clone(),
                kiosk_id: enrolled.kiosk_id,
                token: enrolled.token,
                centre: enrolled.centre,
            };
            let staff = manager.staff_token(Role::Admin).await;
            let board = NewBoard {
                kind: BoardKind::Topic,
                title: BOARD.to_owned(),
                description: "Lo que pasa en el barrio".to_owned(),
                language: None,
                neighbourhood: None,
                centre_id: None,
            };
            let created = manager
                .client
                .post(manager.url("/api/v1/forums/boards"))
                .bearer_auth(&staff)
                .json(&board)
                .send()
                .await
                .expect("create board");
            assert_eq!(created.status(), 201);
            let _: Board = created.json().await.expect("board");
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
            input: InputConfig { on_screen_keyboard },
            ..KioskConfig::default()
        };
        let mut setup = Setup::offline(config).expect("setup");
        setup.data_dir = data.path().to_path_buf();
        setup.credentials = Some(credentials);
        let mut ui = Harness::from_setup(setup);
        // What the kiosk's first call to the manager brings: it is online.
        ui.send(Message::ProfileLoaded(Ok(profile)));
        assert!(ui.kiosk.is_online());
        Self {
            ui,
            manager: Some(manager),
            runtime,
            _data: data,
        }
    }

    pub fn manager(&self) -> &TestManager {
        self.manager.as_ref().expect("manager running")
    }

    /// Clicks, then lets every request it caused reach the manager and back.
    pub fn click(&mut self, label: &str) {
        self.ui.click(label);
        self.ui.settle(&self.runtime);
    }

    pub fn type_into(&mut self, id: &'static str, text: &str) {
        self.ui.type_into(id, text);
    }

    pub fn sign_up(&mut self, alias: &str, pin: &str) {
        self.type_into(account::ALIAS_ID, alias);
        self.type_into(account::PIN_ID, pin);
        self.click("Crear mi cuenta");
    }

    /// Home → Forums → the board, signed up as `alias`.
    pub fn signed_up_in_the_board(&mut self, alias: &str) {
        self.ui.start_session();
        self.click("Foros");
        self.click(BOARD);
        self.click("Entrar o crear cuenta");
        self.sign_up(alias, "2580");
        self.ui.assert_shows(&format!("Conectado como {alias}"));
    }

    pub fn start_thread(&mut self, title: &str, body: &str) {
        self.click("Nueva conversación");
        self.type_into(composer::TITLE_ID, title);
        self.type_into(composer::BODY_ID, body);
        self.click("Publicar");
    }

    /// Fills the account form as typing would (the alias is kept between
    /// tries, so typing would add to it).
    pub fn fill_account(&mut self, alias: &str, pin: &str) {
        for message in [
            account::Message::Alias(alias.to_owned()),
            account::Message::Pin(pin.to_owned()),
        ] {
            self.ui
                .send(Message::Participation(forums::Message::Account(message)));
        }
    }

    /// The text in the composer shown, if one is.
    pub fn draft(&self) -> Option<String> {
        match self.ui.kiosk.citizen().participation.page() {
            Some(Page::Compose(composer)) => Some(composer.text()),
            _ => None,
        }
    }

    pub fn posts_written(&self) -> Vec<Section> {
        self.ui
            .events()
            .into_iter()
            .filter_map(|event| match event {
                EventPayload::PostWritten(PostWritten { section }) => Some(section),
                _ => None,
            })
            .collect()
    }
}

/// A citizen of another kiosk, signed up through the same client code.
pub fn other_citizen(forum: &Forum, alias: &str, pin: &str) -> ParticipationClient {
    forum.runtime.block_on(async {
        let manager = forum.manager();
        let enrolled = manager.enrol_kiosk(CENTRE, "pc-other").await;
        let mut other =
            ParticipationClient::new(manager.url.clone(), enrolled.token).expect("client");
        other
            .sign_up(alias, pin, uuid::Uuid::now_v7())
            .await
            .expect("sign up elsewhere");
        other
    })
}

#[test]
fn a_citizen_signs_up_and_posts_in_a_board_and_the_post_shows() {
    let mut forum = Forum::start();
    forum.ui.start_session();
    forum.click("Foros");
    forum.ui.assert_shows("Foros del municipio");
    forum.ui.assert_shows("Lo que pasa en el barrio");
    forum.click(BOARD);
    forum
        .ui
        .assert_shows("Todavía no hay conversaciones. ¡Empieza la primera!");

    // Writing needs an account: the kiosk asks for one, then goes on.
    forum.click("Nueva conversación");
    forum
        .ui
        .assert_shows("Para escribir o denunciar, entra con tu cuenta o crea una.");
    forum.sign_up("Vecina Ana", "2580");
    forum.ui.assert_shows("Conectado como Vecina Ana");
    forum
        .ui
        .assert_shows("Hola, Vecina Ana. Ya puedes escribir.");

    forum.start_thread(
        "Farolas de la plaza",
        "Las farolas de la plaza no funcionan.",
    );
    forum.ui.assert_shows("Tu mensaje se publicó.");
    forum.ui.assert_shows("Farolas de la plaza");
    forum
        .ui
        .assert_shows("Las farolas de la plaza no funcionan.");

    forum.click("Responder");
    forum.type_into(composer::BODY_ID, "Ya avisé al ayuntamiento.");
    forum.click("Publicar");
    forum.ui.assert_shows("Ya avisé al ayuntamiento.");
    // Counted without text or alias: only that a post was written.
    assert_eq!(forum.posts_written(), [Section::Forums, Section::Forums]);

    // Back on the board, the thread is listed with its two posts.
    forum.click("Volver");
    forum.ui.assert_shows("Farolas de la plaza");
}

#[test]
fn a_post_whose_send_failed_is_kept_and_retry_sends_it() {
    let start = Timestamp::now();
    let mut forum = Forum::start_with(
        |settings| {
            settings.participation.posts_per_window = 1;
            settings.participation.post_window_s = 600;
        },
        Clock::manual(start),
        false,
    );
    forum.signed_up_in_the_board("Vecina Rosa");
    forum.start_thread("Feria del sábado", "¿A qué hora empieza la feria?");
    forum.click("Responder");
    forum.type_into(composer::BODY_ID, "Traeré mermeladas.");
    forum.click("Publicar");
    // Refused by the rate limit: said plainly, the text kept.
    assert!(
        forum
            .ui
            .kiosk
            .citizen()
            .participation
            .notice
            .as_deref()
            .is_some_and(|notice| notice.starts_with("Escribiste muchos mensajes en poco tiempo.")),
        "{:?}",
        forum.ui.kiosk.citizen().participation.notice
    );
    forum.ui.assert_shows("Reintentar");

    // Leaving the composer does not lose it.
    forum.click("Volver");
    forum.click("Abrir el mensaje");
    assert_eq!(forum.draft().as_deref(), Some("Traeré mermeladas."));

    forum
        .manager()
        .state
        .clock
        .advance(SignedDuration::from_mins(11));
    forum.click("Reintentar");
    forum.ui.assert_shows("Tu mensaje se publicó.");
    forum.ui.assert_shows("Traeré mermeladas.");
    assert!(!forum.ui.shows("Tienes un mensaje sin enviar."));
    assert_eq!(
        forum.posts_written().len(),
        2,
        "the refused try is not counted"
    );
}

#[test]
fn a_send_that_cannot_reach_the_manager_keeps_the_text() {
    let mut forum = Forum::start();
    forum.signed_up_in_the_board("Vecino Tomás");
    forum.click("Nueva conversación");
    forum.type_into(composer::TITLE_ID, "Autobús nocturno");
    forum.type_into(composer::BODY_ID, "Pido una línea nocturna.");
    let manager = forum.manager.take().expect("manager");
    let _folder = forum.runtime.block_on(manager.stop());
    forum.click("Publicar");
    forum.ui.assert_shows(
        "No hay conexión con el servidor del municipio. Tu texto está guardado: prueba otra vez en un momento.",
    );
    assert_eq!(forum.draft().as_deref(), Some("Pido una línea nocturna."));
    forum.ui.assert_shows("Autobús nocturno");
    forum.ui.assert_shows("Reintentar");
    assert!(forum.posts_written().is_empty());
}

#[test]
fn the_on_screen_keyboard_types_into_the_account_form_and_the_composer() {
    let mut forum = Forum::start_with(|_| {}, Clock::System, true);
    forum.ui.start_session();
    forum.click("Foros");
    forum.click(BOARD);
    forum.click("Entrar o crear cuenta");
    for key in ["Mayús", "Ñ", "o", "ñ", "a", "Espacio", "p", "e", "p", "a"] {
        forum.click(key);
    }
    forum.click("PIN");
    for key in ["2", "5", "8", "0"] {
        forum.click(key);
    }
    forum.click("Crear mi cuenta");
    forum.ui.assert_shows("Conectado como Ñoña pepa");

    forum.click("Nueva conversación");
    // The title first; Enter moves on to the text.
    for key in [
        "Mayús", "H", "o", "l", "a", "Espacio", "b", "a", "r", "r", "i", "o", "Intro",
    ] {
        forum.click(key);
    }
    for key in [
        "¿",
        "Mayús",
        "Q",
        "u",
        "é",
        "Espacio",
        "t",
        "a",
        "l",
        "x",
        "Borrar letra",
        "l",
        "?",
    ] {
        forum.click(key);
    }
    forum.click("Publicar");
    forum.ui.assert_shows("Hola barrio");
    forum.ui.assert_shows("¿Qué tall?");
}

#[test]
fn official_posts_are_marked_and_a_citizens_post_can_be_reported_once() {
    let mut forum = Forum::start();
    let other = other_citizen(&forum, "Vecino Ruidoso", "1111");
    forum.runtime.block_on(async {
        let manager = forum.manager();
        let boards = other.boards().await.expect("boards");
        let board = boards.boards.first().expect("a board");
        let created = other
            .start_thread(
                board.id,
                &NewThread {
                    title: "Ruido en la calle".to_owned(),
                    body: "Compren en mi tienda, precios bajos".to_owned(),
                },
            )
            .await
            .expect("thread");
        let staff = manager.staff_token(Role::Admin).await;
        let reply = manager
            .client
            .post(manager.url(&format!(
                "/api/v1/forums/threads/{}/posts",
                created.thread.id
            )))
            .bearer_auth(staff)
            .json(&NewPost {
                body: "El ayuntamiento revisará la calle el lunes.".to_owned(),
            })
            .send()
            .await
            .expect("staff reply");
        assert_eq!(reply.status(), 201);
    });
    forum.signed_up_in_the_board("Vecina Clara");
    forum.click("Ruido en la calle");
    forum
        .ui
        .assert_shows("El ayuntamiento revisará la calle el lunes.");
    forum.ui.assert_shows("Oficial");
    forum.click("Denunciar");
    forum.ui.assert_shows("¿Por qué denuncias este mensaje?");
    forum.click("Publicidad o spam");
    forum.click("Enviar denuncia");
    forum
        .ui
        .assert_shows("Gracias. El personal revisará tu denuncia.");
    forum
        .ui
        .assert_shows("Ya denunciaste este mensaje. Gracias.");
    // The official post never had a report button.
    assert!(!forum.ui.shows("Denunciar"));
}

#[test]
fn a_citizen_edits_and_deletes_their_own_post() {
    let mut forum = Forum::start();
    forum.signed_up_in_the_board("Vecino Jorge");
    forum.start_thread("Biblioteca abierta", "¿Abre la biblioteca el domingo?");
    forum.click("Responder");
    forum.type_into(composer::BODY_ID, "Creo que sí");
    forum.click("Publicar");
    forum.ui.assert_shows("Creo que sí");

    forum.click("Editar");
    forum.type_into(composer::BODY_ID, "Lo confirmé: ");
    let edited = forum.draft().expect("the post in the composer");
    assert_ne!(edited, "¿Abre la biblioteca el domingo?");
    forum.click("Publicar");
    forum.ui.assert_shows(&edited);
    assert_eq!(forum.posts_written().len(), 2, "an edit is not a new post");

    forum.click("Borrar");
    forum.ui.assert_shows("¿Borrar este mensaje?");
    forum.click("Sí, borrar");
    forum.ui.assert_shows("Tu mensaje se borró.");
    assert!(!forum.ui.shows(&edited));
}
