//! "Participá" at the kiosk against a real manager on loopback (the forums
//! fixture): a citizen opens a consultation, chooses, is asked to log in,
//! is refused until staff verify them as a resident, confirms and sees
//! "your vote was recorded" and the live results; then writes a proposal
//! and supports another one.

use jiff::{SignedDuration, Timestamp};
use plaza_api::have_a_say::{Consultation, Localized, Proposal};
use plaza_api::staff::Role;
use plaza_kiosk::screen::participation::composer::{BODY_ID, TITLE_ID};
use plaza_manager::Clock;
use serde_json::json;

use crate::participation::{CENTRE, Forum};

/// The kiosk harness's clock, which the manager's follows: "closes in"
/// is counted by the kiosk.
fn forum() -> Forum {
    let now = Timestamp::from_second(1_780_000_000).expect("time");
    Forum::start_with(|_| {}, Clock::manual(now), false)
}

const QUESTION: &str = "¿Qué hacemos con la plaza del barrio?";

fn es(text: &str) -> Localized {
    Localized {
        es: text.to_owned(),
        en: Some(format!("{text} (en)")),
    }
}

/// An open consultation for verified residents, its results shown live.
fn open_consultation(forum: &Forum) -> Consultation {
    forum.runtime.block_on(async {
        let manager = forum.manager();
        let admin = manager.staff_token(Role::Admin).await;
        let now = manager.now();
        let created = manager
            .client
            .post(manager.url("/api/v1/participation/consultations"))
            .bearer_auth(&admin)
            .json(&json!({
                "question": es(QUESTION),
                "description": es("La plaza necesita arreglos: elegí qué va primero."),
                "kind": "single",
                "max_choices": 1,
                "options": [es("Juegos"), es("Árboles"), es("Bancos")],
                "opens_at": now - SignedDuration::from_hours(1),
                "closes_at": now + SignedDuration::from_hours(72),
                "neighbourhoods": [],
                "eligibility": "verified_residents",
                "live_results": true,
            }))
            .send()
            .await
            .expect("create consultation");
        assert_eq!(created.status(), 201);
        created.json().await.expect("consultation")
    })
}

/// Staff, at the centre, saw `alias`'s ID.
fn verify(forum: &Forum, alias: &str, document: &str) {
    forum.runtime.block_on(async {
        let manager = forum.manager();
        let supervisor = manager.staff_token(Role::Admin).await;
        let verified = manager
            .client
            .post(manager.url("/api/v1/participation/residents"))
            .bearer_auth(&supervisor)
            .json(&json!({
                "alias": alias,
                "document_number": document,
                "neighbourhood": "La Loma",
                "centre": CENTRE,
            }))
            .send()
            .await
            .expect("verify");
        assert_eq!(verified.status(), 201);
    });
}

#[test]
fn a_resident_votes_in_a_few_touches_and_sees_the_vote_recorded_and_the_results() {
    let mut forum = forum();
    let consultation = open_consultation(&forum);
    forum.ui.start_session();
    forum.click("Participá");
    forum.ui.assert_shows(QUESTION);
    forum.ui.assert_shows("Abierta · cierra en 3 días");
    forum.click(QUESTION);
    forum.ui.assert_shows("Elegí una opción.");
    forum.ui.assert_shows("Resultados hasta ahora");
    forum.ui.assert_shows("0 votos en total");

    // Choosing needs no account; voting does, and the choice waits.
    forum.click("Árboles");
    forum.ui.assert_shows("✓ Árboles");
    forum.click("Votar");
    forum.ui.assert_shows(
        "Para votar o apoyar, entrá con tu cuenta o creá una. Tu elección te espera.",
    );
    forum.sign_up("vecina_loma", "2580");
    forum.ui.assert_shows("✓ Árboles");

    // Not verified yet: refused, said plainly, nothing counted.
    forum.click("Votar");
    forum.ui.assert_shows("Vas a votar por: Árboles");
    forum.click("Sí, votar");
    forum.ui.assert_shows(
        "Para esto tenés que ser vecina o vecino verificado. Pedíselo al personal del centro: miran tu DNI una sola vez y no lo guardan.",
    );

    // Verified by staff: the same confirmation now records the vote.
    verify(&forum, "vecina_loma", "30.123.456");
    forum.click("Sí, votar");
    forum
        .ui
        .assert_shows("Tu voto quedó registrado. ¡Gracias por participar!");
    forum.ui.assert_shows("Ya votaste en esta consulta.");
    forum.ui.assert_shows("1 voto en total");
    forum.ui.assert_shows("Árboles: 1 voto (100 %)");
    assert!(!forum.ui.shows("Votar"), "no second ballot is offered");

    // What the manager counted: one ballot, for the second option.
    let results: plaza_api::have_a_say::ConsultationResults = forum.runtime.block_on(async {
        let manager = forum.manager();
        let admin = manager.staff_token(Role::Admin).await;
        manager
            .client
            .get(manager.url(&format!(
                "/api/v1/participation/consultations/{}/results",
                consultation.id
            )))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("results")
            .json()
            .await
            .expect("results body")
    });
    assert_eq!(results.ballots, 1);
    assert_eq!(
        results
            .options
            .iter()
            .map(|option| option.votes)
            .collect::<Vec<_>>(),
        [0, 1, 0]
    );

    // Back in the overview the consultation says it was voted.
    forum.click("Volver");
    forum.ui.assert_shows("Ya votaste en esta consulta.");
}

#[test]
fn a_resident_writes_a_proposal_and_another_citizen_supports_it() {
    let mut forum = forum();
    forum.ui.start_session();
    forum.click("Participá");
    forum.ui.assert_shows("Todavía no hay propuestas.");
    forum.click("Escribir una propuesta");
    forum.sign_up("vecino_centro", "2580");
    verify(&forum, "vecino_centro", "28999111");
    forum.click("Escribir una propuesta");
    forum.ui.assert_shows("Tu propuesta para la municipalidad");
    forum.type_into(TITLE_ID, "Bebederos en la plaza");
    forum.type_into(BODY_ID, "Faltan");
    forum.click("Publicar");
    forum
        .ui
        .assert_shows("Contá un poco más: la propuesta necesita al menos 10 letras.");
    forum.type_into(
        BODY_ID,
        " bebederos con agua fresca para los chicos que juegan.",
    );
    forum.click("Publicar");
    forum.ui.assert_shows(
        "Tu propuesta quedó publicada. Cuando junte los apoyos necesarios, la municipalidad la tiene que responder.",
    );
    forum.ui.assert_shows("Bebederos en la plaza");

    // The next citizen, at the same kiosk, supports it once.
    forum.click("Terminar sesión");
    forum.ui.start_session();
    forum.click("Participá");
    forum.click("Bebederos en la plaza");
    forum.ui.assert_shows("En evaluación · 0 de 50 apoyos");
    forum.click("Apoyar esta propuesta");
    forum.sign_up("vecina_norte", "1357");
    forum.click("Apoyar esta propuesta");
    forum.ui.assert_shows("¡Listo! Sumaste tu apoyo.");
    forum.ui.assert_shows("Apoyás esta propuesta.");
    forum.ui.assert_shows("En evaluación · 1 de 50 apoyos");
    let proposals: Vec<Proposal> = forum.runtime.block_on(async {
        let manager = forum.manager();
        let admin = manager.staff_token(Role::Admin).await;
        manager
            .client
            .get(manager.url("/api/v1/participation/proposals"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("proposals")
            .json()
            .await
            .expect("proposals body")
    });
    let [proposal] = proposals.as_slice() else {
        panic!("one proposal expected: {proposals:?}");
    };
    assert_eq!(proposal.supports, 1);
    assert_eq!(proposal.author, "vecino_centro");
}
