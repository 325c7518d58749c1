//! Property tests: whatever a citizen types into search and whatever an
//! operator feeds the importer, the result is an answer or a typed error,
//! never a panic, and errors point inside the file.

use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_api::session::Language;
use plaza_catalogue::file::{FileErrors, parse_records};
use plaza_catalogue::query::{SearchTerms, fold};
use plaza_catalogue::store::{self, Filter};
use plaza_catalogue::{Search, search};
use proptest::prelude::*;

const PROCEDURES: &str = include_str!("../../assets/content/procedures.json");
const TENDERS: &str = include_str!("../../assets/content/tenders.json");
const NETWORKS: &str = include_str!("../../assets/content/networks.json");

/// Every problem points at a line and column that exist in `text`.
fn assert_inside(text: &str, errors: &FileErrors) -> Result<(), TestCaseError> {
    prop_assert!(!errors.0.is_empty(), "a refusal names at least one problem");
    let lines = text.split('\n').count();
    for problem in &errors.0 {
        prop_assert!(problem.line >= 1 && problem.line <= lines, "{problem}");
        prop_assert!(problem.column >= 1, "{problem}");
        prop_assert!(!problem.message.is_empty(), "{problem}");
    }
    Ok(())
}

fn check_file(text: &str) -> Result<(), TestCaseError> {
    if let Err(errors) = parse_records::<Procedure>(text) {
        assert_inside(text, &errors)?;
    }
    if let Err(errors) = parse_records::<Tender>(text) {
        assert_inside(text, &errors)?;
    }
    if let Err(errors) = parse_records::<Network>(text) {
        assert_inside(text, &errors)?;
    }
    Ok(())
}

/// The nearest char boundary at or before `index`.
fn boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn seed_file() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(PROCEDURES), Just(TENDERS), Just(NETWORKS)]
}

/// Text that tends to break JSON and the importer's own scanning.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,12}",
        Just("\"".to_owned()),
        Just("]".to_owned()),
        Just("[{".to_owned()),
        Just("\\u0000".to_owned()),
        Just("ñ😀\u{301}".to_owned()),
        Just("\n\n".to_owned()),
        Just("null".to_owned()),
        Just("1e999".to_owned()),
        Just(",,".to_owned()),
    ]
}

fn database() -> rusqlite::Connection {
    let connection = rusqlite::Connection::open_in_memory().expect("database");
    connection
        .execute_batch(plaza_catalogue::SCHEMA)
        .expect("schema");
    for record in parse_records::<Procedure>(PROCEDURES).expect("seed") {
        store::put(&connection, &record, 1).expect("put");
    }
    connection
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_is_a_file_or_problems_inside_it(text in "\\PC{0,300}") {
        check_file(&text)?;
    }

    #[test]
    fn a_seed_file_with_a_cut_is_read_or_refused_at_a_place_in_it(
        file in seed_file(), from in any::<prop::sample::Index>(), length in 0usize..400,
    ) {
        let start = boundary(file, from.index(file.len()));
        let end = boundary(file, start + length);
        let text = format!("{}{}", &file[..start], &file[end..]);
        check_file(&text)?;
    }

    #[test]
    fn a_seed_file_with_text_inserted_is_read_or_refused_at_a_place_in_it(
        file in seed_file(), at in any::<prop::sample::Index>(), insert in nasty(),
    ) {
        let at = boundary(file, at.index(file.len()));
        let text = format!("{}{insert}{}", &file[..at], &file[at..]);
        check_file(&text)?;
    }

    #[test]
    fn search_terms_are_only_quoted_words(input in "\\PC{0,80}") {
        let terms = SearchTerms::parse(&input);
        prop_assert!(terms.words.len() <= 12);
        for expression in [terms.match_all(), terms.match_any()].into_iter().flatten() {
            for part in expression.split(" AND ").flat_map(|part| part.split(" OR ")) {
                let word = part
                    .strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix("\"*"));
                prop_assert!(
                    word.is_some_and(|word| !word.is_empty() && word.chars().all(char::is_alphanumeric)),
                    "{input:?} gave {expression:?}"
                );
            }
        }
    }

    #[test]
    fn folding_twice_changes_nothing(input in "\\PC{0,40}") {
        let once = fold(&input);
        prop_assert_eq!(fold(&once), once);
    }
}

proptest! {
    // Each case searches a real database: fewer cases, same reach.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_search_text_gives_results_or_none_never_an_error(
        input in "\\PC{0,60}", english in any::<bool>(), limit in 0u32..60,
    ) {
        thread_local! {
            static DATABASE: rusqlite::Connection = database();
        }
        let language = if english { Language::En } else { Language::Es };
        let query = Search { text: input, language, filter: Filter::default(), limit };
        let found = DATABASE.with(|connection| search::<Procedure>(connection, &query));
        let found = found.map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert!(found.records.len() <= limit as usize);
    }
}
