//! Signing up and logging in, and what the session wipe takes.

use jiff::{SignedDuration, Timestamp};
use plaza_kiosk::screen::participation::{self as forums, account, composer, erase};
use plaza_manager::Clock;

use super::{Forum, other_citizen};

#[test]
fn alias_problems_are_explained_in_the_citizens_language() {
    let mut forum = Forum::start();
    // Someone else took the alias at another kiosk.
    let _other = other_citizen(&forum, "Vecina Ana", "1111");

    forum.ui.start_session();
    forum.click("Foros");
    forum.click("Entrar o crear cuenta");
    forum.sign_up("vecina ana", "2580");
    forum
        .ui
        .assert_shows("Ese alias ya lo usa otra persona. Elige otro.");
    assert!(!forum.ui.shows("Conectado como vecina ana"));

    forum.fill_account("Alcaldia Centro", "2580");
    forum.click("Crear mi cuenta");
    forum
        .ui
        .assert_shows("Ese alias está reservado para el personal municipal. Elige otro.");

    // Checked at the kiosk before anything is sent.
    forum.fill_account("Al", "2580");
    forum.click("Crear mi cuenta");
    forum
        .ui
        .assert_shows("El alias es demasiado corto: necesita al menos 3 caracteres.");
    forum.fill_account("Vecino Pedro", "12");
    forum.click("Crear mi cuenta");
    forum.ui.assert_shows("El PIN debe tener de 4 a 8 números.");

    // A wrong PIN at login, then the right one.
    forum.click("Ya tengo cuenta");
    forum.fill_account("Vecina Ana", "9999");
    forum.click("Entrar");
    forum.ui.assert_shows("El alias o el PIN no son correctos.");
    forum.type_into(account::PIN_ID, "1111");
    forum.click("Entrar");
    forum.ui.assert_shows("Conectado como Vecina Ana");
}

#[test]
fn five_wrong_pins_lock_the_account_and_say_until_when() {
    let mut forum = Forum::start();
    let _other = other_citizen(&forum, "Vecino Paco", "1111");
    forum.ui.start_session();
    forum.click("Foros");
    forum.click("Entrar o crear cuenta");
    forum.click("Ya tengo cuenta");
    for _ in 0..4 {
        forum.fill_account("Vecino Paco", "9999");
        forum.click("Entrar");
        forum.ui.assert_shows("El alias o el PIN no son correctos.");
    }
    forum.fill_account("Vecino Paco", "9999");
    forum.click("Entrar");
    // The manager locks for 15 minutes and says how long; the kiosk shows
    // the local time.
    let until = forums::clock(forum.ui.now + SignedDuration::from_mins(15));
    forum.ui.assert_shows(&format!(
        "Esta cuenta está bloqueada por demasiados PIN incorrectos. Prueba otra vez a las {until}."
    ));
    // Even the right PIN waits.
    forum.fill_account("Vecino Paco", "1111");
    forum.click("Entrar");
    assert!(!forum.ui.shows("Conectado como Vecino Paco"));
}

#[test]
fn the_wipe_logs_the_citizen_out_and_takes_the_unsent_post() {
    let start = Timestamp::now();
    let mut forum = Forum::start_with(
        |settings| settings.participation.posts_per_window = 1,
        Clock::manual(start),
        false,
    );
    forum.signed_up_in_the_board("Vecino Luis");
    forum.start_thread("Huerta comunitaria", "¿Quién se apunta a la huerta?");
    forum.click("Responder");
    forum.type_into(composer::BODY_ID, "Yo llevo semillas.");
    forum.click("Publicar");
    forum.ui.assert_shows("Reintentar");
    forum.click("Volver");
    forum.ui.assert_shows("Tienes un mensaje sin enviar.");

    forum.click("Terminar sesión");
    forum.ui.assert_shows("Toca aquí para empezar");
    assert_eq!(forum.ui.kiosk.citizen().participation, Default::default());

    forum.ui.start_session();
    forum.click("Foros");
    forum.ui.assert_shows("Entrar o crear cuenta");
    assert!(!forum.ui.shows("Conectado como Vecino Luis"));
    assert!(!forum.ui.shows("Tienes un mensaje sin enviar."));
}

#[test]
fn an_answer_arriving_after_the_wipe_does_not_log_in_the_next_citizen() {
    let mut forum = Forum::start();
    forum.ui.start_session();
    forum.click("Foros");
    forum.click("Entrar o crear cuenta");
    forum.type_into(account::ALIAS_ID, "Vecina Prisa");
    forum.type_into(account::PIN_ID, "2580");
    // Sent, but the citizen leaves before the answer is back.
    forum.ui.click("Crear mi cuenta");
    forum.ui.click("Terminar sesión");
    forum.ui.start_session();
    forum.ui.settle(&forum.runtime);
    forum.click("Foros");
    assert_eq!(forum.ui.kiosk.citizen().participation.alias(), None);
    forum.ui.assert_shows("Entrar o crear cuenta");
    assert!(!forum.ui.shows("Conectado como Vecina Prisa"));
}

#[test]
fn a_citizen_deletes_their_account_with_their_pin_and_their_post_stays_unsigned() {
    let mut forum = Forum::start();
    forum.signed_up_in_the_board("Vecina Clara");
    forum.start_thread("Bancos en la plaza", "Faltan bancos a la sombra.");
    forum.ui.assert_shows("Faltan bancos a la sombra.");

    forum.click("Eliminar mi cuenta");
    forum.ui.assert_shows("Eliminar tu cuenta");
    forum.type_into(erase::PIN_ID, "2580");
    forum.click("Eliminar mi cuenta");
    // The header's button is gone on this page: this is the form's.
    forum
        .ui
        .assert_shows("Elige qué hacer con lo que escribiste.");
    forum.click("Dejarlo sin mi nombre");
    forum.type_into(erase::PIN_ID, "9999");
    forum.click("Eliminar mi cuenta");
    forum.ui.assert_shows("El PIN no es correcto.");
    assert!(forum.ui.shows("Conectado como Vecina Clara"));

    forum.type_into(erase::PIN_ID, "2580");
    forum.click("Eliminar mi cuenta");
    forum
        .ui
        .assert_shows("Tu cuenta fue eliminada. Gracias por participar.");
    assert!(!forum.ui.shows("Conectado como Vecina Clara"));
    assert_eq!(forum.ui.kiosk.citizen().participation.alias(), None);
    forum.ui.assert_shows("Faltan bancos a la sombra.");
    let Some(forums::Page::Thread(thread)) = forum.ui.kiosk.citizen().participation.page() else {
        panic!("the thread is shown again");
    };
    let post = thread.posts.as_ref().expect("posts loaded")[0].clone();
    assert!(post.author.deleted_account);
    forum.ui.assert_shows(&format!(
        "cuenta eliminada · {}",
        forums::when(post.created_at)
    ));

    // The account is gone: logging in with it fails.
    forum.click("Entrar o crear cuenta");
    forum.click("Ya tengo cuenta");
    forum.fill_account("Vecina Clara", "2580");
    forum.click("Entrar");
    forum.ui.assert_shows("El alias o el PIN no son correctos.");
}
