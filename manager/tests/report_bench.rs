//! Benchmark (ignored by default): a one-year, all-centres reach report over
//! many sessions, read from the daily rollups, and from the sessions with
//! the reports' covering index, against the plain `GROUP BY` on the
//! foundation's `(centre_id, started_at)` index, measured in the same run.
//!
//! cargo test -p plaza-manager --release --test report_bench -- --ignored --nocapture
//! (PLAZA_BENCH_SESSIONS=10000000 for the 10 million; default 1 million.)

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use plaza_manager::auth::CentreScope;
use plaza_manager::config::DashboardSettings;
use plaza_manager::config::StorageSettings;
use plaza_manager::reports::{ReachQuery, ReportRules, reach};
use plaza_manager::storage::Storage;
use rusqlite::params;

const CENTRES: i64 = 20;
const RUNS: usize = 7;

fn rules() -> ReportRules {
    ReportRules::of(&DashboardSettings::default())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

async fn time_report(
    storage: &Storage,
    query: &ReachQuery,
) -> (Duration, Duration, plaza_api::reports::ReachReport) {
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = reach(storage, query, &CentreScope::All, &rules())
            .await
            .expect("report");
        samples.push(started.elapsed());
        assert!(!report.by_centre.is_empty());
        last = Some(report);
    }
    let worst = *samples.iter().max().expect("samples");
    (median(samples), worst, last.expect("a report"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn reach_report_with_and_without_the_covering_index() {
    let sessions: i64 = std::env::var("PLAZA_BENCH_SESSIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000);
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("bench.sqlite3");
    Storage::open(&path, &StorageSettings::default())
        .expect("create")
        .close()
        .await;

    let year_start: Timestamp = "2025-01-01T00:00:00Z".parse().expect("time");
    let loading = Instant::now();
    {
        let mut connection = rusqlite::Connection::open(&path).expect("open");
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
            .expect("pragmas");
        let transaction = connection.transaction().expect("transaction");
        for centre in 1..=CENTRES {
            transaction
                .execute(
                    "INSERT INTO centres (id, name, created_at) VALUES (?1, ?2, 0)",
                    params![centre, format!("Centre {centre}")],
                )
                .expect("centre");
        }
        // 1,000 kiosks, each online 08:00-21:00 every day of the year (for
        // availability and occupancy), kiosk k in centre 1 + k % 20 like
        // its sessions below.
        let day_ms: i64 = 86_400_000;
        for kiosk in 0..1000_i64 {
            let id = uuid::Uuid::from_u64_pair(2, kiosk as u64);
            transaction
                .execute(
                    "INSERT INTO kiosks (id, centre_id, hostname, token_hash, enrolled_at)
                     VALUES (?1, ?2, ?3, randomblob(32), 0)",
                    params![id, 1 + kiosk % CENTRES, format!("pc-{kiosk:04}")],
                )
                .expect("kiosk");
            for day in 0..365 {
                let midnight = year_start.as_millisecond() + day * day_ms;
                transaction
                    .execute(
                        "INSERT INTO kiosk_online (kiosk_id, since, until) VALUES (?1, ?2, ?3)",
                        params![id, midnight + 8 * 3_600_000, midnight + 21 * 3_600_000],
                    )
                    .expect("online span");
            }
        }
        {
            let mut insert = transaction
                .prepare(
                    "INSERT INTO sessions (id, kiosk_id, centre_id, started_at, has_start,
                        last_activity_at, last_received_at, ended_at, end_reason,
                        age_band, gender, first_time_internet, neighbourhood)
                     VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, ?5, 'logout', ?6, ?7, ?8, ?9)",
                )
                .expect("prepare");
            let bands = ["18_29", "30_44", "45_59", "60_74", "75_plus"];
            let genders = ["woman", "man", "non_binary"];
            let year_ms = SignedDuration::from_hours(24 * 365).as_millis() as i64;
            for index in 0..sessions {
                // A cheap deterministic spread over the year and the groups.
                let mixed = index.wrapping_mul(2_654_435_761) & 0x7fff_ffff;
                let started = year_start.as_millisecond() + mixed % year_ms;
                let length = 60_000 + (mixed % 1_800_000);
                let id = uuid::Uuid::from_u64_pair(1, index as u64);
                let kiosk = uuid::Uuid::from_u64_pair(2, (index % 1000) as u64);
                insert
                    .execute(params![
                        id,
                        kiosk,
                        1 + index % CENTRES,
                        started,
                        started + length,
                        bands[(mixed % 5) as usize],
                        genders[(mixed % 3) as usize],
                        mixed % 7 == 0,
                        format!("Barrio {}", mixed % 12),
                    ])
                    .expect("insert");
            }
        }
        transaction.commit().expect("commit");
        connection.execute_batch("ANALYZE").expect("analyze");
    }
    println!("loaded {sessions} sessions in {:.1?}", loading.elapsed());

    let query = ReachQuery::parse("2025-01-01", "2025-12-31", None).expect("query");
    let storage = Storage::open(&path, &StorageSettings::default()).expect("open");
    let (indexed_p50, indexed_worst, from_sessions) = time_report(&storage, &query).await;
    assert_eq!(from_sessions.kiosks.len(), 1000);
    let occupancy = Instant::now();
    storage
        .kiosk_use(
            "2025-01-01T00:00:00Z".parse().expect("time"),
            "2026-01-01T00:00:00Z".parse().expect("time"),
            (1..=CENTRES).collect(),
        )
        .await
        .expect("kiosk use");
    let occupancy = occupancy.elapsed();
    let rolling = Instant::now();
    let mut rolled = 0;
    loop {
        let batch = storage
            .roll_up_report_days("2026-01-01T00:00:00Z".parse().expect("time"), 500)
            .await
            .expect("roll up");
        if batch == 0 {
            break;
        }
        rolled += batch;
    }
    let rolling = rolling.elapsed();
    let (rollup_p50, rollup_worst, from_rollups) = time_report(&storage, &query).await;
    assert_eq!(from_rollups, from_sessions, "rollups change no figure");
    storage.close().await;

    {
        let connection = rusqlite::Connection::open(&path).expect("open");
        connection
            .execute_batch("DELETE FROM report_rollups; DROP INDEX sessions_for_reports")
            .expect("drop rollups and index");
    }
    let storage = Storage::open(&path, &StorageSettings::default()).expect("open");
    let (plain_p50, plain_worst, _) = time_report(&storage, &query).await;
    storage.close().await;

    println!("one-year all-centres reach report, {sessions} sessions, {RUNS} runs each:");
    println!("  plain GROUP BY (baseline): p50 {plain_p50:.1?}, worst {plain_worst:.1?}");
    println!("  covering index:            p50 {indexed_p50:.1?}, worst {indexed_worst:.1?}");
    println!("  daily rollups:             p50 {rollup_p50:.1?}, worst {rollup_worst:.1?}");
    println!(
        "  ratio (baseline / index):  {:.1}x",
        plain_p50.as_secs_f64() / indexed_p50.as_secs_f64()
    );
    println!(
        "  ratio (baseline / rollups): {:.1}x",
        plain_p50.as_secs_f64() / rollup_p50.as_secs_f64()
    );
    println!("  rolling up {rolled} centre-days took {rolling:.1?}");
    println!(
        "  of each report, reading online spans and sessions for 1,000 kiosks' availability and occupancy: {occupancy:.1?}"
    );
}
