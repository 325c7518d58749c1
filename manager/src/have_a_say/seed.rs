//! The demo's having a say: three consultations (open, closed with results
//! and an answer, upcoming) and eight proposals in every status, Spanish
//! and English, by the participation seed's demo accounts.

use jiff::{SignedDuration, Timestamp};
use plaza_api::have_a_say::{ChoiceKind, Eligibility, Localized, ProposalStatus};

use crate::participation::text::alias_key;
use crate::storage::have_a_say::consultations::NewConsultationRecord;
use crate::storage::have_a_say::seed::{SayPlan, SeedConsultation, SeedProposal};
use crate::storage::{Storage, StorageResult};

fn both(es: &str, en: &str) -> Localized {
    Localized {
        es: es.to_owned(),
        en: Some(en.to_owned()),
    }
}

/// Demo accounts (of `assets/content/participation.json`) verified as
/// residents, by neighbourhood index.
const RESIDENTS: [(&str, usize); 10] = [
    ("Marta_LaLoma", 1),
    ("Don Ernesto", 0),
    ("Lucía R", 0),
    ("Pablo.Puerto", 4),
    ("Carmen 62", 0),
    ("Jorge_VN", 3),
    ("Ana Sofía", 2),
    ("Beto", 1),
    ("Rosa del Centro", 0),
    ("Tomás SJ", 2),
];

fn voters(choices: &[&[u32]]) -> Vec<(String, Vec<u32>)> {
    RESIDENTS
        .iter()
        .zip(choices)
        .map(|((alias, _), choices)| (alias_key(alias), choices.to_vec()))
        .collect()
}

fn consultations(now: Timestamp, neighbourhoods: &[String]) -> Vec<SeedConsultation> {
    let days = |days: i64| SignedDuration::from_hours(24 * days);
    let options = |labels: &[(&str, &str)]| labels.iter().map(|(es, en)| both(es, en)).collect();
    vec![
        SeedConsultation {
            new: NewConsultationRecord {
                question: both(
                    "¿Qué arreglamos primero en la plaza San Martín?",
                    "What should we fix first in San Martín square?",
                ),
                description: both(
                    "El municipio tiene fondos para una obra en la plaza este año. Elegí una.",
                    "The municipality has funds for one work in the square this year. Choose one.",
                ),
                kind: ChoiceKind::Single,
                max_choices: 1,
                options: options(&[
                    ("Juegos para chicos", "Children's playground"),
                    ("Más luces", "More lights"),
                    ("Bancos y sombra", "Benches and shade"),
                ]),
                opens_at: now - days(3),
                closes_at: now + days(11),
                neighbourhoods: Vec::new(),
                eligibility: Eligibility::VerifiedResidents,
                live_results: false,
            },
            votes: voters(&[&[1], &[0], &[2], &[1]]),
            answer: None,
        },
        SeedConsultation {
            new: NewConsultationRecord {
                question: both(
                    "¿Qué cursos querés en el Punto Digital?",
                    "Which courses do you want at the digital centre?",
                ),
                description: both(
                    "Elegí hasta dos. Los más votados se dan el próximo cuatrimestre.",
                    "Choose up to two. The most voted ones run next term.",
                ),
                kind: ChoiceKind::Multiple,
                max_choices: 2,
                options: options(&[
                    ("Trámites en línea", "Online procedures"),
                    ("Celular para principiantes", "Mobile phones for beginners"),
                    ("Armar un currículum", "Writing a CV"),
                    ("Programación para chicos", "Coding for children"),
                ]),
                opens_at: now - days(40),
                closes_at: now - days(10),
                neighbourhoods: Vec::new(),
                eligibility: Eligibility::AnyAccount,
                live_results: false,
            },
            votes: voters(&[
                &[0, 1],
                &[1],
                &[0, 2],
                &[1, 3],
                &[0, 1],
                &[2],
                &[3],
                &[0, 1],
                &[1, 2],
                &[0],
            ]),
            answer: Some(both(
                "Desde marzo: trámites en línea y celular para principiantes, martes y jueves a las 10.",
                "From March: online procedures and mobile phones for beginners, Tuesdays and Thursdays at 10.",
            )),
        },
        SeedConsultation {
            new: NewConsultationRecord {
                question: both(
                    "¿A qué hora abrimos la biblioteca los sábados?",
                    "When should the library open on Saturdays?",
                ),
                description: both(
                    "Para los vecinos de los barrios que la usan más.",
                    "For residents of the neighbourhoods that use it most.",
                ),
                kind: ChoiceKind::Single,
                max_choices: 1,
                options: options(&[
                    ("A las 9", "At 9"),
                    ("A las 10", "At 10"),
                    ("A las 14", "At 2 pm"),
                ]),
                opens_at: now + days(5),
                closes_at: now + days(19),
                neighbourhoods: neighbourhoods.iter().take(2).cloned().collect(),
                eligibility: Eligibility::VerifiedResidents,
                live_results: true,
            },
            votes: Vec::new(),
            answer: None,
        },
    ]
}

fn proposals() -> Vec<SeedProposal> {
    let supporters = |count: usize| {
        RESIDENTS
            .iter()
            .map(|(alias, _)| alias)
            .chain(&["Grace", "Samir"])
            .take(count)
            .map(|alias| alias_key(alias))
            .collect()
    };
    let proposal = |author: &str,
                    (title, body): (&str, &str),
                    language: &str,
                    status: ProposalStatus,
                    answer: Option<Localized>,
                    supports: usize,
                    days_ago: i64| SeedProposal {
        author: alias_key(author),
        title: title.to_owned(),
        body: body.to_owned(),
        language: language.to_owned(),
        status,
        answer,
        supporters: supporters(supports),
        days_ago,
    };
    vec![
        proposal(
            "Marta_LaLoma",
            (
                "Un semáforo en la escuela 12",
                "Los chicos cruzan la avenida sin semáforo a la salida de la escuela.",
            ),
            "es",
            ProposalStatus::Evaluating,
            None,
            3,
            2,
        ),
        proposal(
            "Don Ernesto",
            (
                "Wi-Fi libre en la plaza",
                "Que la señal del Punto Digital llegue a la plaza para quien no tiene datos.",
            ),
            "es",
            ProposalStatus::Evaluating,
            None,
            12,
            6,
        ),
        proposal(
            "Lucía R",
            (
                "Recycling bins at the market",
                "Separate bins for plastic and paper next to the Saturday market.",
            ),
            "en",
            ProposalStatus::Accepted,
            Some(both(
                "Se instalan seis contenedores en abril.",
                "Six bins will be placed in April.",
            )),
            9,
            20,
        ),
        proposal(
            "Pablo.Puerto",
            (
                "Colectivo nocturno al puerto",
                "Una línea que pase después de las 23 por El Puerto.",
            ),
            "es",
            ProposalStatus::Rejected,
            Some(both(
                "No hay presupuesto este año; se vuelve a estudiar en 2027.",
                "There is no budget this year; it will be studied again in 2027.",
            )),
            7,
            45,
        ),
        proposal(
            "Carmen 62",
            (
                "Taller de celular para mayores",
                "Un curso corto para usar WhatsApp y sacar turnos.",
            ),
            "es",
            ProposalStatus::InProgress,
            Some(both(
                "El taller empieza el mes próximo en la biblioteca.",
                "The workshop starts next month at the library.",
            )),
            11,
            30,
        ),
        proposal(
            "Jorge_VN",
            (
                "Fix the potholes on Calle 9",
                "The potholes between 4th and 6th flood every time it rains.",
            ),
            "en",
            ProposalStatus::InProgress,
            Some(both(
                "La obra está en licitación.",
                "The works are out to tender.",
            )),
            10,
            25,
        ),
        proposal(
            "Ana Sofía",
            (
                "Bancos en la parada del hospital",
                "La gente mayor espera de pie el colectivo frente al hospital.",
            ),
            "es",
            ProposalStatus::Done,
            Some(both(
                "Se colocaron cuatro bancos con techo.",
                "Four covered benches were installed.",
            )),
            12,
            60,
        ),
        proposal(
            "Tomás SJ",
            (
                "Longer library hours in exam weeks",
                "Open the study room until 22 during exam weeks.",
            ),
            "en",
            ProposalStatus::Done,
            Some(both(
                "Desde junio abre hasta las 22 en épocas de examen.",
                "Since June it opens until 22 in exam weeks.",
            )),
            8,
            90,
        ),
    ]
}

/// Writes the demo's consultations and proposals once (`false`: there were
/// consultations already).
pub async fn load(
    storage: &Storage,
    centre: &str,
    neighbourhoods: &[String],
    now: Timestamp,
) -> StorageResult<bool> {
    let residents = RESIDENTS
        .iter()
        .filter_map(|(alias, index)| {
            neighbourhoods
                .get(*index)
                .map(|name| (alias_key(alias), name.clone()))
        })
        .collect();
    storage
        .seed_have_a_say(SayPlan {
            centre: centre.to_owned(),
            residents,
            consultations: consultations(now, neighbourhoods),
            proposals: proposals(),
            now,
        })
        .await
}
