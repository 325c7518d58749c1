//! Backups of a live manager with the real `plaza-manager` binary: a backup
//! taken while kiosks heartbeat and deliver events holds every event
//! acknowledged before it began, and restores into a sound database;
//! `restore`, `migrate` and a second `serve` are refused while a server runs
//! on the folder; `check` and `restore` refuse a damaged file.

use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use plaza_api::events::{Event, EventBatchResponse, EventPayload, SectionOpened};
use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState};
use plaza_api::session::Section;
use plaza_manager::config::StorageSettings;
use plaza_manager::storage::Storage;
use plaza_manager::testing::TestManager;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const MANAGER: &str = env!("CARGO_BIN_EXE_plaza-manager");
const KIOSKS: usize = 16;
const EVENTS_PER_BATCH: usize = 20;
/// Batches acknowledged before the backup starts, so it has work to hold.
const BATCHES_BEFORE: usize = 40;

async fn cli(data_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(arguments)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run plaza-manager")
}

fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "plaza-manager failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn refused(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "plaza-manager should have refused: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn heartbeat() -> HeartbeatRequest {
    HeartbeatRequest {
        sent_at: Timestamp::now(),
        state: KioskState::Idle,
        app_version: "test".to_owned(),
        health: Health {
            uptime_s: 600,
            cpu_percent: 5.0,
            memory_used_bytes: 900 << 20,
            memory_total_bytes: 4 << 30,
            disk_free_bytes: 40 << 30,
            disk_total_bytes: 120 << 30,
        },
        outbox_len: 0,
        last_error: None,
        session: None,
        acked_commands: Vec::new(),
        content_version: Some(0),
    }
}

fn batch(session_id: Uuid) -> Vec<Event> {
    (0..EVENTS_PER_BATCH)
        .map(|_| Event {
            id: Uuid::now_v7(),
            at: Timestamp::now(),
            session_id,
            payload: EventPayload::SectionOpened(SectionOpened {
                section: Section::Procedures,
            }),
        })
        .collect()
}

/// Event ids with the instant their batch was acknowledged.
type Acknowledged = Arc<Mutex<Vec<(Instant, Vec<Uuid>)>>>;

/// One kiosk heartbeating and delivering batches until `stop`.
async fn kiosk_load(
    url: String,
    kiosk: plaza_api::enrol::EnrolResponse,
    stop: Arc<AtomicBool>,
    acknowledged: Acknowledged,
) {
    let client = reqwest::Client::new();
    let session = Uuid::now_v7();
    while !stop.load(Ordering::Relaxed) {
        let _ = client
            .post(format!("{url}/api/v1/kiosks/{}/heartbeat", kiosk.kiosk_id))
            .bearer_auth(&kiosk.token)
            .json(&heartbeat())
            .send()
            .await;
        let Ok(response) = client
            .post(format!("{url}/api/v1/events"))
            .bearer_auth(&kiosk.token)
            .json(&serde_json::json!({ "events": batch(session) }))
            .send()
            .await
        else {
            continue;
        };
        if response.status().is_success()
            && let Ok(reply) = response.json::<EventBatchResponse>().await
        {
            let at = Instant::now();
            acknowledged
                .lock()
                .expect("lock")
                .push((at, reply.accepted));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_holds_every_event_acknowledged_before_it_began() {
    let manager = TestManager::start().await;
    manager.add_centre("Centro Cívico", &[]).await;
    let mut kiosks = Vec::new();
    for index in 0..KIOSKS {
        kiosks.push(
            manager
                .enrol_kiosk("Centro Cívico", &format!("pc-{index:02}"))
                .await,
        );
    }
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Acknowledged::default();
    let load: Vec<_> = kiosks
        .into_iter()
        .map(|kiosk| {
            tokio::spawn(kiosk_load(
                manager.url.clone(),
                kiosk,
                stop.clone(),
                acknowledged.clone(),
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().expect("lock").len() < BATCHES_BEFORE {
        assert!(Instant::now() < deadline, "the load never got going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let copies = tempfile::tempdir().expect("folder for the copy");
    let copy = copies.path().join("plaza-copy.sqlite3");
    let began = Instant::now();
    let printed = succeeded(
        &cli(
            manager.folder.path(),
            &["backup", copy.to_str().expect("path")],
        )
        .await,
    );
    assert!(printed.contains("Backed up to"), "{printed}");
    let after_backup = acknowledged.lock().expect("lock").len();
    stop.store(true, Ordering::Relaxed);
    for kiosk in load {
        kiosk.await.expect("kiosk load");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() >= after_backup,
        "the load ran through the backup"
    );
    let before: Vec<Uuid> = acknowledged
        .iter()
        .filter(|(at, _)| *at < began)
        .flat_map(|(_, ids)| ids.iter().copied())
        .collect();
    assert!(before.len() >= BATCHES_BEFORE * EVENTS_PER_BATCH);

    let restored = tempfile::tempdir().expect("folder to restore into");
    let printed =
        succeeded(&cli(restored.path(), &["restore", copy.to_str().expect("path")]).await);
    assert!(printed.contains("Restored"), "{printed}");
    let checked = succeeded(&cli(restored.path(), &["check"]).await);
    assert!(checked.contains("integrity ok"), "{checked}");

    let storage = Storage::open(
        &restored.path().join("plaza.sqlite3"),
        &StorageSettings::default(),
    )
    .expect("open the restored database");
    let found = storage
        .stored_event_ids(before.clone())
        .await
        .expect("look up ids");
    assert_eq!(
        found.len(),
        before.len(),
        "every event acknowledged before the backup began is in the copy"
    );
    storage.close().await;
}

/// `plaza-manager serve` on a free port, once it listens.
async fn serve(data_dir: &Path) -> Child {
    let mut child = Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start plaza-manager serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await.expect("read stdout") {
        if line.starts_with("listening on ") {
            return child;
        }
    }
    panic!("plaza-manager serve exited without listening");
}

#[tokio::test]
async fn restore_migrate_and_a_second_server_are_refused_while_one_serves() {
    let folder = tempfile::tempdir().expect("data folder");
    let data = folder.path().join("data");
    let mut server = serve(&data).await;
    let pid = server.id().expect("server pid");
    let copy = folder.path().join("copy.sqlite3");
    let copy_arg = copy.to_str().expect("path");
    // Backup and check are for a live database.
    succeeded(&cli(&data, &["backup", copy_arg]).await);
    succeeded(&cli(&data, &["check"]).await);

    let held_by = format!("plaza-manager serve, pid {pid}");
    for command in [vec!["restore", copy_arg], vec!["migrate"]] {
        let message = refused(&cli(&data, &command).await);
        assert!(message.contains("is in use"), "{command:?}: {message}");
        assert!(message.contains(&held_by), "{command:?}: {message}");
    }
    // A second server is refused at once, before it listens.
    let second = tokio::time::timeout(
        Duration::from_secs(60),
        cli(&data, &["serve", "--listen", "127.0.0.1:0"]),
    )
    .await
    .expect("a second server must be refused, not serve");
    let message = refused(&second);
    assert!(message.contains(&held_by), "{message}");

    // Once the server is gone (even by kill -9), restore goes ahead and
    // keeps the database it replaced.
    server.kill().await.expect("kill the server");
    let printed = succeeded(&cli(&data, &["restore", copy_arg]).await);
    assert!(printed.contains("is kept as"), "{printed}");
    let kept = std::fs::read_dir(&data)
        .expect("list data folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("plaza.sqlite3.before-restore-"))
        .count();
    assert!(kept >= 1, "the replaced database is kept");
    succeeded(&cli(&data, &["check"]).await);
}

#[tokio::test]
async fn check_and_restore_refuse_a_damaged_file() {
    let folder = tempfile::tempdir().expect("folder");
    let data = folder.path().join("data");
    succeeded(&cli(&data, &["centre", "add", "Biblioteca"]).await);
    let sound = folder.path().join("sound.sqlite3");
    succeeded(&cli(&data, &["backup", sound.to_str().expect("path")]).await);
    let bytes = std::fs::read(&sound).expect("read copy");
    let page = 4096;
    assert!(bytes.len() > 4 * page, "a database of several pages");

    // A damaged first page (the header), and a damaged table page.
    let mut header = bytes.clone();
    header[..100].fill(0x5A);
    let mut table = bytes.clone();
    table[page + 8..2 * page].fill(0xFF);
    for (name, damaged) in [("header", header), ("table", table)] {
        let file = folder.path().join(format!("damaged-{name}.sqlite3"));
        std::fs::write(&file, damaged).expect("write damaged copy");
        let file = file.to_str().expect("path");
        let message = refused(&cli(&data, &["check", file]).await);
        assert!(message.contains("failed the check"), "{name}: {message}");
        let message = refused(&cli(&data, &["restore", file]).await);
        assert!(message.contains("cannot be restored"), "{name}: {message}");
    }
    // The live database was left alone.
    let listed = succeeded(&cli(&data, &["centre", "list"]).await);
    assert!(listed.contains("Biblioteca"), "{listed}");
    let message = refused(&cli(&data, &["check", "/nonexistent/plaza.sqlite3"]).await);
    assert!(message.contains("there is no database at"), "{message}");
}
