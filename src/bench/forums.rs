//! `plaza bench forums`: thread and board pages read from a forum of a
//! million posts, next to the baseline endpoint in the same run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::participation::accounts::{CitizenLogin, Credentials};
use plaza_api::participation::forums::ThreadPage;
use plaza_manager::Clock;
use plaza_manager::config::Settings;
use plaza_manager::server::{AppState, serve};
use plaza_manager::storage::forums::ForumVolume;
use uuid::Uuid;

use super::enrol::enrol_fleet;
use super::load::{self, LoadReport};
use super::manager::{millis, start_on_own_runtime, succeeded};
use super::{baseline, parse_duration};

const BOARDS: u32 = 20;
const POSTS_PER_THREAD: u32 = 50;
/// Threads a "deep" board page skips (followed with cursors).
const DEEP_PAGE_AFTER: usize = 500;

#[derive(Debug, Clone, Args)]
pub struct ForumBenchOptions {
    /// How long each run lasts, e.g. `10s` or `1m`.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Posts in the forum (20 boards, threads of 50 posts).
    #[arg(long, default_value_t = 1_000_000)]
    posts: u32,
}

pub async fn run(options: &ForumBenchOptions) -> anyhow::Result<()> {
    let folder = tempfile::Builder::new()
        .prefix("plaza-bench-forums-")
        .tempdir()?;
    let settings = Settings {
        data_dir: folder.path().to_path_buf(),
        ..Settings::default()
    };
    let state = AppState::open(settings, Clock::System)?;
    let volume = ForumVolume {
        boards: BOARDS,
        threads_per_board: (options.posts / (BOARDS * POSTS_PER_THREAD)).max(1),
        posts_per_thread: POSTS_PER_THREAD,
        citizens: 5_000,
    };
    let threads = volume.boards * volume.threads_per_board;
    println!(
        "plaza bench forums: generating {} posts ({} boards, {threads} threads of {POSTS_PER_THREAD})...",
        threads * POSTS_PER_THREAD,
        volume.boards
    );
    let generating = Instant::now();
    let boards = state
        .storage
        .generate_forum(volume, state.clock.now())
        .await?;
    println!("  generated in {:.1} s", generating.elapsed().as_secs_f64());
    let kiosk = enrol_fleet(&state, 1)
        .await?
        .pop()
        .context("no kiosk enrolled")?;
    let url = start_on_own_runtime(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        tokio::spawn(serve(state, listener, std::future::pending()));
        Ok::<_, std::io::Error>(format!("http://{address}"))
    })?;
    let baseline = start_on_own_runtime(baseline::start())?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let login: CitizenLogin = client
        .post(format!("{url}/api/v1/citizens"))
        .bearer_auth(&kiosk.token)
        .json(&Credentials {
            alias: "Lectora".to_owned(),
            pin: "2580".to_owned(),
            session_id: Uuid::now_v7(),
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let deep_cursors = Arc::new(deep_cursors(&client, &url, &kiosk.token, &boards).await?);

    let (duration, concurrency) = (options.duration, options.concurrency);
    println!(
        "  {concurrency} concurrent clients, {}s per run, release build expected",
        duration.as_secs()
    );
    let token = Arc::new(kiosk.token);
    let boards = Arc::new(boards);
    let spread = move |worker: usize, sequence: u64, modulo: u64| {
        // A cheap, well-spread pseudo-random index per request.
        (worker as u64 * 7_919 + sequence * 104_729) % modulo
    };
    let thread_page = {
        let (client, url, token) = (client.clone(), url.clone(), Arc::clone(&token));
        load::run(concurrency, duration, move |worker, sequence| {
            let thread = 1 + spread(worker, sequence, u64::from(threads));
            let request = client
                .get(format!("{url}/api/v1/forums/threads/{thread}?limit=50"))
                .bearer_auth(token.as_str());
            async move { succeeded(request).await }
        })
        .await
    };
    let thread_page_citizen = {
        let (client, url, token) = (client.clone(), url.clone(), Arc::clone(&token));
        let citizen = login.token.clone();
        load::run(concurrency, duration, move |worker, sequence| {
            let thread = 1 + spread(worker, sequence, u64::from(threads));
            let request = client
                .get(format!("{url}/api/v1/forums/threads/{thread}?limit=50"))
                .bearer_auth(token.as_str())
                .header(CITIZEN_TOKEN_HEADER, &citizen);
            async move { succeeded(request).await }
        })
        .await
    };
    let board_page = {
        let (client, url, token, boards) = (
            client.clone(),
            url.clone(),
            Arc::clone(&token),
            Arc::clone(&boards),
        );
        load::run(concurrency, duration, move |worker, sequence| {
            let board = boards[spread(worker, sequence, boards.len() as u64) as usize];
            let request = client
                .get(format!(
                    "{url}/api/v1/forums/boards/{board}/threads?limit=20"
                ))
                .bearer_auth(token.as_str());
            async move { succeeded(request).await }
        })
        .await
    };
    let deep_board_page = {
        let (client, url, token, cursors) = (
            client.clone(),
            url.clone(),
            Arc::clone(&token),
            Arc::clone(&deep_cursors),
        );
        load::run(concurrency, duration, move |worker, sequence| {
            let (board, cursor) = &cursors[spread(worker, sequence, cursors.len() as u64) as usize];
            let request = client
                .get(format!(
                    "{url}/api/v1/forums/boards/{board}/threads?limit=20&cursor={cursor}"
                ))
                .bearer_auth(token.as_str());
            async move { succeeded(request).await }
        })
        .await
    };
    let baseline_run = {
        let client = client.clone();
        load::run(concurrency, duration, move |_, _| {
            let request = client.post(&baseline).json(&serde_json::json!({}));
            async move { succeeded(request).await }
        })
        .await
    };

    println!();
    println!("| load | req/s | p50 ms | p99 ms | max ms | errors | ÷ baseline (req/s) |");
    println!("|---|---|---|---|---|---|---|");
    row(
        "baseline (bare JSON endpoint)",
        &baseline_run,
        &baseline_run,
    );
    row("thread page, 50 posts", &thread_page, &baseline_run);
    row(
        "thread page, 50 posts, logged in",
        &thread_page_citizen,
        &baseline_run,
    );
    row("board page, 20 threads", &board_page, &baseline_run);
    row(
        &format!("board page after {DEEP_PAGE_AFTER} threads (cursor)"),
        &deep_board_page,
        &baseline_run,
    );
    Ok(())
}

/// For each board, the cursor that starts the page after the first
/// [`DEEP_PAGE_AFTER`] threads, found by following `next_cursor`.
async fn deep_cursors(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    boards: &[i64],
) -> anyhow::Result<Vec<(i64, String)>> {
    let mut cursors = Vec::with_capacity(boards.len());
    for board in boards {
        let mut cursor: Option<String> = None;
        let mut skipped = 0;
        while skipped < DEEP_PAGE_AFTER {
            let mut address = format!("{url}/api/v1/forums/boards/{board}/threads?limit=100");
            if let Some(cursor) = &cursor {
                address.push_str(&format!("&cursor={cursor}"));
            }
            let page: ThreadPage = client
                .get(address)
                .bearer_auth(token)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            skipped += page.threads.len();
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        if let Some(cursor) = cursor {
            cursors.push((*board, cursor));
        }
    }
    anyhow::ensure!(!cursors.is_empty(), "boards too small for deep pages");
    Ok(cursors)
}

fn row(load: &str, report: &LoadReport, baseline: &LoadReport) {
    println!(
        "| {load} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {:.2} |",
        report.per_second(),
        millis(report.p50),
        millis(report.p99),
        millis(report.max),
        report.errors,
        report.per_second() / baseline.per_second(),
    );
}
