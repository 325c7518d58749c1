//! Whatever a citizen types into a search box: only quoted words reach
//! FTS5, and a search over a real catalogue answers without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plaza_api::catalogue::Procedure;
use plaza_api::session::Language;
use plaza_catalogue::file::parse_records;
use plaza_catalogue::query::SearchTerms;
use plaza_catalogue::store::{self, Filter};
use plaza_catalogue::{Search, search};

thread_local! {
    static CATALOGUE: rusqlite::Connection = {
        let connection = rusqlite::Connection::open_in_memory().expect("database");
        connection.execute_batch(plaza_catalogue::SCHEMA).expect("schema");
        let seed = include_str!("../../assets/content/procedures.json");
        for record in parse_records::<Procedure>(seed).expect("seed") {
            store::put(&connection, &record, 1).expect("put");
        }
        connection
    };
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let terms = SearchTerms::parse(&text);
    for expression in [terms.match_all(), terms.match_any()].into_iter().flatten() {
        for part in expression
            .split(" AND ")
            .flat_map(|part| part.split(" OR "))
        {
            let word = part
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix("\"*"))
                .expect("a quoted prefix");
            assert!(word.chars().all(char::is_alphanumeric), "{expression}");
        }
    }
    let query = Search {
        text,
        language: Language::Es,
        filter: Filter::default(),
        limit: 20,
    };
    CATALOGUE.with(|connection| {
        search::<Procedure>(connection, &query).expect("search answers");
    });
});
