//! Search latency over 10,000 procedures and a full sync into an empty
//! offline copy. A benchmark, not a test: run it with
//!
//! ```sh
//! cargo test -p plaza-catalogue --test search_latency -- --ignored --nocapture
//! ```
//!
//! and see BENCHMARKS.md. The baseline, measured in the same run, is plain
//! FTS5: one query ranked by bm25 over every match.

use std::time::{Duration, Instant};

use plaza_api::catalogue::{CatalogueSync, Procedure, Text};
use plaza_api::session::Language;
use plaza_catalogue::offline::OfflineCatalogue;
use plaza_catalogue::query::SearchTerms;
use plaza_catalogue::store::Filter;
use plaza_catalogue::{Search, search};

const RECORDS: usize = 10_000;
const REPEATS: usize = 30;
const QUERIES: &[&str] = &[
    "licencia",
    "certificado",
    "de",
    "pago",
    "tramite",
    "li",
    "c",
    "partida nacimiento",
    "habilitacion comercial",
    "licencia de conducir",
    "lisencia",
    "dni original",
    "turno",
    "vivienda",
    "residuos",
    "como sacar la licencia de conducir",
    "obras",
    "salud mental",
];
const PLACES: &[&str] = &[
    "Centro",
    "La Loma",
    "San José",
    "Villa Nueva",
    "El Puerto",
    "Norte",
    "Sur",
    "Rural",
    "Las Acacias",
    "Barrio Obrero",
];

fn catalogue() -> Vec<Procedure> {
    let seed: Vec<Procedure> =
        serde_json::from_str(include_str!("../../assets/content/procedures.json"))
            .expect("seed procedures");
    (0..RECORDS)
        .map(|index| {
            let mut record = seed[index % seed.len()].clone();
            let place = PLACES[(index / seed.len()) % PLACES.len()];
            record.id = format!("{}-{index}", record.id);
            record.slug = record.id.clone();
            let title = |text: &str| format!("{text} ({place} {})", index / 7);
            record.title = Text(
                record
                    .title
                    .0
                    .iter()
                    .map(|(language, text)| (language.clone(), title(text)))
                    .collect(),
            );
            record
        })
        .collect()
}

fn percentile(samples: &mut [Duration], fraction: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * fraction).round() as usize;
    samples[index]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn search_latency_over_ten_thousand_procedures() {
    let records = catalogue();
    let sync = CatalogueSync {
        version: 1,
        full: true,
        procedures: records,
        tenders: Vec::new(),
        networks: Vec::new(),
        deleted: Vec::new(),
    };
    let json = serde_json::to_string(&sync).expect("json");
    let folder = tempfile::tempdir().expect("folder");
    let mut copy = OfflineCatalogue::open(&folder.path().join("catalogue.sqlite3")).expect("copy");
    let started = Instant::now();
    let decoded: CatalogueSync = serde_json::from_str(&json).expect("decode");
    copy.apply(&decoded).expect("apply");
    let sync_time = started.elapsed();
    println!(
        "full sync of {RECORDS} procedures ({:.1} MB JSON) into an empty copy: {:.0} ms",
        json.len() as f64 / 1e6,
        millis(sync_time)
    );

    let connection =
        rusqlite::Connection::open(folder.path().join("catalogue.sqlite3")).expect("connection");
    // The pragmas the kiosk's copy and the manager's readers search with.
    plaza_catalogue::store::tune_for_search(&connection).expect("pragmas");
    let mut ours = Vec::new();
    let mut baseline = Vec::new();
    let mut per_query: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    for _ in 0..REPEATS {
        for text in QUERIES {
            let query = Search {
                text: (*text).to_owned(),
                language: Language::Es,
                filter: Filter::default(),
                limit: 50,
            };
            let started = Instant::now();
            let found = search::<Procedure>(&connection, &query).expect("search");
            ours.push(started.elapsed());
            per_query.entry(text).or_default().push(started.elapsed());
            assert!(!found.records.is_empty() || text.len() < 2, "{text}");

            let Some(expression) = SearchTerms::parse(text).match_all() else {
                continue;
            };
            let started = Instant::now();
            let mut statement = connection
                .prepare_cached(
                    "SELECT r.body FROM procedures_search
                     JOIN catalogue_records r ON r.key = procedures_search.rowid / 8
                     WHERE procedures_search MATCH ?1 AND procedures_search.lang = 'es'
                     ORDER BY bm25(procedures_search) LIMIT 50",
                )
                .expect("prepare");
            let rows: Vec<String> = statement
                .query_map([expression], |row| row.get(0))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            let _decoded: Vec<Procedure> = rows
                .iter()
                .map(|body| serde_json::from_str(body).expect("decode"))
                .collect();
            baseline.push(started.elapsed());
        }
    }
    for (text, samples) in &mut per_query {
        println!("  {text:?}: p50 {:.2} ms", millis(percentile(samples, 0.5)));
    }
    let (p50, p99) = (percentile(&mut ours, 0.5), percentile(&mut ours, 0.99));
    let (b50, b99) = (
        percentile(&mut baseline, 0.5),
        percentile(&mut baseline, 0.99),
    );
    println!(
        "search, {} queries: p50 {:.2} ms, p99 {:.2} ms (baseline bm25: p50 {:.2} ms, p99 {:.2} ms; ratio p99 {:.2})",
        ours.len(),
        millis(p50),
        millis(p99),
        millis(b50),
        millis(b99),
        millis(p99) / millis(b99)
    );
}
