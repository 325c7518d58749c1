//! Live help at the kiosk (issue #16, section 2) against a real manager,
//! with the staff side driven through the dashboard's routes (the help
//! page's event stream and its forms) by `StaffBrowser`.

use std::time::Duration;

use plaza_api::staff::Role;
use plaza_kiosk::app::Screen;
use plaza_kiosk::screen::help_chat::{self, DRAFT_ID};
use plaza_manager::testing::staff_browser::{StaffBrowser, read_until};

use crate::participation::{CENTRE, Forum};

const QUESTION: &str = "¿Dónde saco turno para el DNI?";
const ANSWER: &str = "En la mesa de entradas, de 9 a 13.";

/// Home → Help → "Talk to the staff".
fn open_chat(forum: &mut Forum) {
    forum.ui.start_session();
    forum.click("Ayuda");
    forum.click("Hablar con el personal");
}

#[test]
fn a_citizen_asks_and_reads_the_staff_answer_until_staff_end_it() {
    let mut forum = Forum::start();
    let staff = forum.runtime.block_on(async {
        StaffBrowser::add_account(forum.manager(), "sam", Role::Supervisor, &[CENTRE]).await;
        StaffBrowser::signed_in(forum.manager(), "sam").await
    });
    // Sam has the help page open (its event stream), reads the question
    // when it comes, answers it and ends the conversation.
    let (ready, is_ready) = tokio::sync::oneshot::channel();
    let answering = forum.runtime.spawn(async move {
        let mut stream = staff.open("/dashboard/help/events").await;
        assert_eq!(stream.status(), 200);
        let _ = ready.send(());
        let seen = read_until(&mut stream, "saco turno")
            .await
            .expect("the question");
        let id = seen
            .split("data-conversation=\\\"")
            .nth(1)
            .and_then(|rest| rest.split("\\\"").next())
            .expect("the conversation's id")
            .to_owned();
        let reply = format!("/dashboard/help/{id}/reply");
        assert_eq!(
            staff
                .submit("/dashboard/help", &reply, &[("text", ANSWER)])
                .await,
            303
        );
        let end = format!("/dashboard/help/{id}/end");
        assert_eq!(staff.submit("/dashboard/help", &end, &[]).await, 303);
    });
    forum
        .runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(20), is_ready).await })
        .expect("the help page opened in time")
        .expect("the help page opened");

    open_chat(&mut forum);
    forum
        .ui
        .assert_shows("Escribí tu pregunta y alguien del personal del centro te responde acá.");
    forum.type_into(DRAFT_ID, QUESTION);
    // Sends, then waits (long poll) for the answer and the end.
    forum.click("Enviar");
    forum
        .runtime
        .block_on(answering)
        .expect("the staff side went as planned");
    forum.ui.assert_shows(QUESTION);
    forum.ui.assert_shows(ANSWER);
    forum.ui.assert_shows("La conversación terminó.");
    assert!(!forum.ui.shows("Enviar"), "nothing more can be sent");
}

#[test]
fn with_nobody_available_the_kiosk_says_so_shows_the_hours_and_offers_a_request() {
    let mut forum = Forum::start();
    open_chat(&mut forum);
    forum
        .ui
        .assert_shows("Ahora no hay nadie del personal disponible para responder.");
    let hours = forum.runtime.block_on(async {
        plaza_manager::centres::opening_hours(
            &forum.manager().state,
            &forum
                .manager()
                .state
                .storage
                .centre_by_name(CENTRE.to_owned())
                .await
                .expect("centre"),
        )
        .await
        .expect("hours")
        .hours
    });
    forum
        .ui
        .assert_shows(&format!("Horario de {CENTRE}: {hours}"));
    assert!(!forum.ui.shows("Enviar"), "no box to write in");
    // Instead, a request to the municipality.
    forum.click("Dejar un pedido");
    assert!(matches!(
        forum.ui.kiosk.citizen().screen,
        Screen::Requests(_)
    ));
    forum.ui.assert_shows("Hacer un pedido");
}

#[test]
fn the_session_wipe_drops_the_chat_and_the_draft_and_ends_it_on_the_manager() {
    let mut forum = Forum::start();
    forum.ui.start_session();
    forum.click("Ayuda");
    // Someone can answer: the conversation opens with the first message.
    let staff = forum.runtime.block_on(async {
        StaffBrowser::add_account(forum.manager(), "sam", Role::Supervisor, &[CENTRE]).await;
        StaffBrowser::signed_in(forum.manager(), "sam").await
    });
    let stream = forum.runtime.block_on(staff.open("/dashboard/help/events"));
    forum.click("Hablar con el personal");
    forum.type_into(DRAFT_ID, "Tengo una consulta");
    forum.ui.click("Enviar");
    // Only the open (not the long poll after it, which would wait here).
    forum.runtime.block_on(forum.ui.run_kept_once());
    forum.ui.forget_kept_tasks();
    let id = forum
        .ui
        .kiosk
        .citizen()
        .help_chat
        .conversation()
        .expect("open");
    forum.type_into(DRAFT_ID, "un borrador a medias");
    forum.ui.assert_shows("un borrador a medias");

    forum.click("Terminar sesión");
    assert_eq!(
        forum.ui.kiosk.citizen().help_chat,
        help_chat::State::default()
    );
    assert!(!forum.ui.shows("Tengo una consulta"));
    assert!(!forum.ui.shows("un borrador a medias"));
    // The farewell told the manager: staff see it ended by the citizen.
    let ended = forum.runtime.block_on(async {
        forum
            .manager()
            .state
            .storage
            .help_conversation(id)
            .await
            .expect("kept for staff")
    });
    assert_eq!(ended.ended_by.as_deref(), Some("citizen"));
    drop(stream);
}
