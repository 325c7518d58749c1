//! Search behaviour over a real SQLite database with the catalogue schema.

mod common;

use plaza_api::catalogue::{Procedure, ProcedureCategory};
use plaza_api::session::Language;
use plaza_catalogue::store::{self, Filter};
use plaza_catalogue::{Search, search};

use common::{database, procedure};

fn catalogue() -> rusqlite::Connection {
    let connection = database();
    let mut licence = procedure(
        "licencia-conducir",
        "Licencia de conducir: primera vez",
        Some("Driving licence: first time"),
        "Trámite para obtener la licencia de conducir por primera vez.",
    );
    licence.category = ProcedureCategory::DrivingLicence;
    let records = [
        procedure(
            "partida-nacimiento",
            "Partida de nacimiento",
            Some("Birth certificate"),
            "Copia certificada del acta de nacimiento. Trámite en el día.",
        ),
        licence,
        procedure(
            "tramite-urgente",
            "Trámite urgente de documentos",
            None,
            "Atención prioritaria.",
        ),
        // "conducir" only in the body, many times: must still rank below a
        // title match.
        procedure(
            "curso-vial",
            "Curso de educación vial",
            Some("Road safety course"),
            "Curso previo para conducir: conducir seguro, conducir de noche, conducir con lluvia.",
        ),
    ];
    for record in &records {
        store::put(&connection, record, 1).expect("put");
    }
    connection
}

fn ids(connection: &rusqlite::Connection, text: &str, language: Language) -> Vec<String> {
    search::<Procedure>(
        connection,
        &Search {
            text: text.to_owned(),
            language,
            filter: Filter::default(),
            limit: 20,
        },
    )
    .expect("search")
    .records
    .into_iter()
    .map(|record| record.id)
    .collect()
}

#[test]
fn accents_and_case_do_not_matter() {
    let connection = catalogue();
    let found = ids(&connection, "tramite", Language::Es);
    assert_eq!(found[0], "tramite-urgente", "title match first: {found:?}");
    assert!(found.contains(&"licencia-conducir".to_owned()), "{found:?}");
    assert_eq!(
        ids(&connection, "TRÁMITE URGENTE", Language::Es),
        ["tramite-urgente"]
    );
}

#[test]
fn words_match_without_the_little_words_between_them() {
    let connection = catalogue();
    let found = ids(&connection, "licencia conducir", Language::Es);
    assert_eq!(found[0], "licencia-conducir", "{found:?}");
}

#[test]
fn the_last_word_matches_while_being_typed() {
    let connection = catalogue();
    assert_eq!(
        ids(&connection, "partida de naci", Language::Es),
        ["partida-nacimiento"]
    );
    assert_eq!(
        ids(&connection, "birth cert", Language::En),
        ["partida-nacimiento"]
    );
}

#[test]
fn title_matches_rank_before_body_matches() {
    let connection = catalogue();
    let found = ids(&connection, "conducir", Language::Es);
    assert_eq!(found, ["licencia-conducir", "curso-vial"]);
}

#[test]
fn a_misspelt_word_is_corrected_when_nothing_matches() {
    let connection = catalogue();
    let found = search::<Procedure>(
        &connection,
        &Search {
            text: "lisencia de condusir".to_owned(),
            language: Language::Es,
            filter: Filter::default(),
            limit: 20,
        },
    )
    .expect("search");
    assert_eq!(found.corrected.as_deref(), Some("licencia conducir"));
    assert_eq!(found.records[0].id, "licencia-conducir");
    assert!(ids(&connection, "zzzzqqqq", Language::Es).is_empty());
}

#[test]
fn filters_narrow_the_results() {
    let connection = catalogue();
    let found = search::<Procedure>(
        &connection,
        &Search {
            text: "tramite".to_owned(),
            language: Language::Es,
            filter: Filter {
                category: Some("driving_licence".to_owned()),
                status: None,
            },
            limit: 20,
        },
    )
    .expect("search");
    let found: Vec<_> = found
        .records
        .iter()
        .map(|record| record.id.as_str())
        .collect();
    assert_eq!(found, ["licencia-conducir"]);
}

#[test]
fn a_language_without_a_text_falls_back_to_spanish() {
    let connection = catalogue();
    // No English title: found in English by its Spanish words.
    assert_eq!(
        ids(&connection, "urgente", Language::En),
        ["tramite-urgente"]
    );
    // In English, the English title counts as the title; the Spanish one
    // still finds the record (locals know procedures by their Spanish name).
    assert_eq!(
        ids(&connection, "birth", Language::En),
        ["partida-nacimiento"]
    );
    assert_eq!(
        ids(&connection, "partida", Language::En),
        ["partida-nacimiento"]
    );
    assert_eq!(
        ids(&connection, "partida", Language::Es),
        ["partida-nacimiento"]
    );
}

#[test]
fn an_empty_search_lists_by_title() {
    let connection = catalogue();
    assert_eq!(
        ids(&connection, "  ", Language::Es),
        [
            "curso-vial",
            "licencia-conducir",
            "partida-nacimiento",
            "tramite-urgente"
        ]
    );
}

#[test]
fn hostile_input_never_errors() {
    let connection = catalogue();
    for text in [
        "\"",
        "*",
        "NEAR(",
        "-",
        "OR",
        "AND",
        "NOT",
        "\"licencia",
        "licencia*",
        "-conducir",
        "title:licencia",
        "{title}: x",
        "^a",
        "a OR b NOT c",
        "((((",
        "'; DROP TABLE x; --",
        "NEAR(licencia conducir, 2)",
        "\u{0}",
        "🙂",
        "ñ",
    ] {
        search::<Procedure>(
            &connection,
            &Search {
                text: text.to_owned(),
                language: Language::Es,
                filter: Filter::default(),
                limit: 20,
            },
        )
        .unwrap_or_else(|error| panic!("{text:?}: {error}"));
    }
    assert_eq!(
        ids(&connection, "\"licencia*", Language::Es)[0],
        "licencia-conducir"
    );
}

#[test]
fn a_deleted_record_is_no_longer_found_and_is_reported_as_deleted() {
    let connection = catalogue();
    assert!(
        store::delete(
            &connection,
            plaza_api::catalogue::CatalogueKind::Procedures,
            "partida-nacimiento",
            2
        )
        .expect("delete")
    );
    assert!(ids(&connection, "partida", Language::Es).is_empty());
    let changes = store::changes_since(&connection, 1).expect("changes");
    assert!(changes.procedures.is_empty());
    assert_eq!(changes.deleted.len(), 1);
    assert_eq!(changes.deleted[0].id, "partida-nacimiento");
}

fn corrected(connection: &rusqlite::Connection, text: &str) -> Option<String> {
    search::<Procedure>(
        connection,
        &Search {
            text: text.to_owned(),
            language: Language::Es,
            filter: Filter::default(),
            limit: 20,
        },
    )
    .expect("search")
    .corrected
}

#[test]
fn the_typo_dictionary_follows_changes_to_a_catalogue_file() {
    // The dictionary of a database file is kept in memory between searches;
    // a change to the catalogue must reach it.
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("catalogue.sqlite3");
    let connection = rusqlite::Connection::open(&path).expect("file");
    connection
        .execute_batch(plaza_catalogue::SCHEMA)
        .expect("schema");
    store::put(
        &connection,
        &procedure("partida", "Partida de nacimiento", None, "Copia del acta."),
        1,
    )
    .expect("put");
    assert_eq!(
        corrected(&connection, "nacimientto").as_deref(),
        Some("nacimiento")
    );
    assert_eq!(
        corrected(&connection, "habilitasion"),
        None,
        "not yet known"
    );

    let reader = rusqlite::Connection::open(&path).expect("second connection");
    store::put(
        &connection,
        &procedure(
            "habilitacion",
            "Habilitación comercial",
            None,
            "Permiso para abrir un comercio.",
        ),
        2,
    )
    .expect("put");
    assert_eq!(
        corrected(&reader, "habilitasion").as_deref(),
        Some("habilitacion")
    );
    assert!(
        store::delete(
            &connection,
            plaza_api::catalogue::CatalogueKind::Procedures,
            "habilitacion",
            3
        )
        .expect("delete")
    );
    assert_eq!(corrected(&reader, "habilitasion"), None, "deleted");
}

#[test]
fn many_matches_are_listed_in_catalogue_order_and_few_are_ranked() {
    // Beyond a few hundred matches ranking costs more than it tells; the
    // page is still full and title matches still come first.
    let connection = database();
    for index in 0..600 {
        let record = procedure(
            &format!("tramite-{index}"),
            &format!("Trámite número {index}"),
            None,
            "Un trámite municipal.",
        );
        store::put(&connection, &record, 1).expect("put");
    }
    let rare = procedure(
        "vivienda",
        "Subsidio de vivienda",
        None,
        "Ayuda para la vivienda; requiere un trámite.",
    );
    store::put(&connection, &rare, 1).expect("put");
    let many = ids(&connection, "tramite", Language::Es);
    assert_eq!(many.len(), 20);
    assert!(many.iter().all(|id| id.starts_with("tramite-")), "{many:?}");
    assert_eq!(
        ids(&connection, "vivienda tramite", Language::Es),
        ["vivienda"]
    );
}
