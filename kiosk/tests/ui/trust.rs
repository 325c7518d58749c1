//! Trust at the kiosk: enrolling from the screen, the supervisor PIN
//! (a broken config, the default PIN, the lockout across a restart) and
//! the warning for a plain-http manager.

use plaza_kiosk::app::{Message, Setup};
use plaza_kiosk::config::{DEFAULT_PIN, KioskConfig};
use plaza_kiosk::credentials::{self, Credentials};
use plaza_kiosk::screen::{enrolment, pin};
use plaza_manager::testing::TestManager;

use crate::harness::Harness;

const CENTRE: &str = "Biblioteca Norte";

#[tokio::test]
async fn a_new_kiosk_is_enrolled_from_the_screen_and_a_wrong_code_is_explained() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let data = tempfile::tempdir().expect("data folder");
    let mut kiosk = Harness::unenrolled(&manager.url, data.path());
    kiosk.assert_shows("Inscribir este quiosco");
    assert!(!kiosk.shows("Toca aquí para empezar"));
    assert!(
        kiosk.ui().find(manager.url.as_str()).is_ok(),
        "URL prefilled"
    );

    // A well-formed code the manager never issued.
    kiosk.type_into(enrolment::CODE_ID, "AAAA-BBBB-CCCC");
    kiosk.click("Inscribir");
    kiosk.run_kept_once().await;
    kiosk.assert_shows("Ese código no existe. Revísalo o pide uno nuevo en el panel de gestión.");
    assert!(
        kiosk.ui().find("AAAA-BBBB-CCCC").is_ok(),
        "what was typed is kept"
    );
    assert_eq!(Credentials::load(data.path()).expect("load"), None);

    // The right code, typed over the wrong one (a real keyboard here; the
    // on-screen one types through the same field).
    let code = manager.enrolment_code(CENTRE).await;
    kiosk.click("Código");
    for _ in 0.."AAAA-BBBB-CCCC".len() {
        kiosk.click("Borrar letra");
    }
    kiosk.type_into(enrolment::CODE_ID, &code.to_lowercase());
    kiosk.click("Inscribir");
    kiosk.run_kept_once().await;
    kiosk.assert_shows("Toca aquí para empezar");
    let saved = Credentials::load(data.path())
        .expect("load")
        .expect("credentials written");
    assert_eq!(saved.centre, CENTRE);
    assert_eq!(saved.manager_url, manager.url);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(credentials::path_in(data.path()))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn an_unreachable_manager_is_explained_and_the_code_kept() {
    let data = tempfile::tempdir().expect("data folder");
    let mut kiosk = Harness::unenrolled("http://127.0.0.1:9", data.path());
    kiosk.type_into(enrolment::CODE_ID, "2345-6789-ABCD");
    kiosk.click("Inscribir");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(kiosk.run_kept_once());
    kiosk.assert_shows(
        "No se pudo contactar con el gestor. Revisa la dirección y la red, y vuelve a intentarlo.",
    );
    assert!(kiosk.ui().find("2345-6789-ABCD").is_ok());
}

fn open_pin_screen(kiosk: &mut Harness) {
    kiosk.click("Personal");
}

#[test]
fn a_broken_config_file_refuses_maintenance_instead_of_the_default_pin() {
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("kiosk.toml");
    std::fs::write(
        &path,
        "idle_after_s = 300\nsupervisor_pin_hash = \"$argon2id$v=19\n",
    )
    .expect("write");
    let loaded = KioskConfig::load(&path);
    let mut config = loaded.config;
    config.fullscreen = false;
    let mut kiosk = Harness::from_setup(Setup::offline(config).expect("setup"));
    open_pin_screen(&mut kiosk);
    kiosk.assert_shows(&format!(
        "the configuration file {} has an error at line 2; fix it to use maintenance",
        path.display()
    ));
    assert!(
        kiosk
            .ui()
            .find(iced_test::core::widget::Id::new(pin::PIN_ID))
            .is_err()
    );
    kiosk.click("Cancelar");
    kiosk.assert_shows("Toca aquí para empezar");
}

#[test]
fn the_default_pin_and_a_plain_http_manager_are_warned_about_in_maintenance() {
    let config = KioskConfig {
        fullscreen: false,
        manager_url: "http://plaza.example.org".to_owned(),
        ..KioskConfig::default()
    };
    let mut kiosk = Harness::from_setup(Setup::offline(config).expect("setup"));
    open_pin_screen(&mut kiosk);
    kiosk.type_into(pin::PIN_ID, DEFAULT_PIN);
    kiosk.click("Entrar");
    kiosk.assert_shows("Aviso: the supervisor PIN is still the default: set supervisor_pin_hash");
    kiosk.assert_shows(
        "Aviso: manager_url http://plaza.example.org is plain http:// to another machine: use https://",
    );

    // On loopback, plain http is fine.
    let mut local = Harness::new();
    open_pin_screen(&mut local);
    local.type_into(pin::PIN_ID, DEFAULT_PIN);
    local.click("Entrar");
    local.assert_shows("Mantenimiento");
    assert!(!local.shows(
        "Aviso: manager_url http://127.0.0.1:8080 is plain http:// to another machine: use https://"
    ));
}

#[test]
fn the_pin_lockout_survives_a_restart() {
    let data = tempfile::tempdir().expect("data folder");
    let build = || {
        let mut setup = Setup::offline(KioskConfig {
            fullscreen: false,
            ..KioskConfig::default()
        })
        .expect("setup");
        setup.data_dir = data.path().to_path_buf();
        Harness::from_setup(setup)
    };
    let mut kiosk = build();
    open_pin_screen(&mut kiosk);
    for _ in 0..5 {
        kiosk.type_into(pin::PIN_ID, "1111");
        kiosk.click("Entrar");
    }
    // Locked: even the right PIN is refused.
    kiosk.type_into(pin::PIN_ID, DEFAULT_PIN);
    kiosk.click("Entrar");
    assert!(!kiosk.shows("Mantenimiento"));
    drop(kiosk);

    let mut restarted = build();
    open_pin_screen(&mut restarted);
    restarted.type_into(pin::PIN_ID, DEFAULT_PIN);
    restarted.click("Entrar");
    restarted.assert_shows("PIN incorrecto");
    assert!(!restarted.shows("Mantenimiento"));

    // Five minutes later the lockout is over, restart or not.
    restarted.wait(5 * 60, false);
    let _ = restarted.kiosk.update(Message::Tick(restarted.now));
    restarted.type_into(pin::PIN_ID, DEFAULT_PIN);
    restarted.click("Entrar");
    restarted.assert_shows("Mantenimiento");
}

#[tokio::test]
async fn a_kiosk_on_the_default_pin_says_so_in_every_heartbeat() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let enrolled = manager.enrol_kiosk(CENTRE, "pc-1").await;
    let kiosk_id = enrolled.kiosk_id;
    let credentials = Credentials {
        manager_url: manager.url.clone(),
        kiosk_id,
        token: enrolled.token,
        centre: enrolled.centre,
    };
    let mut kiosk = Harness::linked(credentials, jiff::Timestamp::now());
    kiosk.run(Message::HeartbeatDue).await;
    assert!(kiosk.kiosk.is_online());
    // A second one, after a reply cleared any fresher problem: still said.
    kiosk.run(Message::HeartbeatDue).await;
    let token = manager.staff_token(plaza_api::staff::Role::Admin).await;
    let detail: plaza_api::kiosks::KioskDetail = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("kiosk detail")
        .json()
        .await
        .expect("kiosk detail body");
    assert_eq!(
        detail.kiosk.last_error.as_deref(),
        Some("the supervisor PIN is still the default: set supervisor_pin_hash")
    );
}
