//! An event acknowledged to a kiosk survives `kill -9` of the manager right
//! after the reply, and nothing is counted twice when the kiosk resends.

use std::path::Path;
use std::process::Stdio;

use jiff::Timestamp;
use plaza_api::enrol::EnrolResponse;
use plaza_api::events::{Event, EventBatchResponse, EventPayload, SectionOpened};
use plaza_api::session::Section;
use plaza_manager::config::StorageSettings;
use plaza_manager::storage::Storage;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const MANAGER: &str = env!("CARGO_BIN_EXE_plaza-manager");
const BATCHES: usize = 60;
const BATCH_SIZE: usize = 100;
const SENDERS: usize = 4;
/// Kill once this many batches were acknowledged, while others are in flight.
const KILL_AFTER: usize = 25;

fn cli(data_dir: &Path, arguments: &[&str]) -> String {
    let output = std::process::Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(arguments)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run plaza-manager");
    assert!(
        output.status.success(),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// Starts `serve` on a free port; returns the process and its base URL.
async fn start(data_dir: &Path) -> (Child, String) {
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
        if let Some(url) = line.strip_prefix("listening on ") {
            return (child, url.to_owned());
        }
    }
    panic!("plaza-manager serve exited without listening");
}

fn batches(session_id: Uuid) -> Vec<Vec<Event>> {
    let now = Timestamp::now();
    (0..BATCHES)
        .map(|_| {
            (0..BATCH_SIZE)
                .map(|_| Event {
                    id: Uuid::now_v7(),
                    at: now,
                    session_id,
                    payload: EventPayload::SectionOpened(SectionOpened {
                        section: Section::Procedures,
                    }),
                })
                .collect()
        })
        .collect()
}

async fn send(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    batch: &[Event],
) -> Option<EventBatchResponse> {
    let response = client
        .post(format!("{url}/api/v1/events"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "events": batch }))
        .send()
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    response.json().await.ok()
}

#[tokio::test]
async fn acknowledged_events_survive_kill_9() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data_dir = folder.path();
    cli(data_dir, &["centre", "add", "Centro Cívico"]);
    let printed = cli(data_dir, &["kiosk", "enroll", "--centre", "Centro Cívico"]);
    let code = printed
        .split_whitespace()
        .find(|word| word.len() == 14 && word.matches('-').count() == 2)
        .expect("code in output")
        .to_owned();

    let (mut manager, url) = start(data_dir).await;
    let client = reqwest::Client::new();
    let kiosk: EnrolResponse = client
        .post(format!("{url}/api/v1/kiosks/enroll"))
        .json(&serde_json::json!({ "code": code, "hostname": "pc-01" }))
        .send()
        .await
        .expect("enrol")
        .json()
        .await
        .expect("enrol reply");

    let session_id = Uuid::now_v7();
    let all = batches(session_id);
    let (acks, mut acked) = tokio::sync::mpsc::unbounded_channel::<Vec<Uuid>>();
    let mut senders = Vec::new();
    for sender in 0..SENDERS {
        let mine: Vec<Vec<Event>> = all.iter().skip(sender).step_by(SENDERS).cloned().collect();
        let (client, url, token, acks) = (
            client.clone(),
            url.clone(),
            kiosk.token.clone(),
            acks.clone(),
        );
        senders.push(tokio::spawn(async move {
            for batch in mine {
                match send(&client, &url, &token, &batch).await {
                    Some(reply) => {
                        if acks.send(reply.accepted).is_err() {
                            return;
                        }
                    }
                    None => return,
                }
            }
        }));
    }
    drop(acks);

    let mut acknowledged: Vec<Uuid> = Vec::new();
    let mut replies = 0;
    while let Some(ids) = acked.recv().await {
        acknowledged.extend(ids);
        replies += 1;
        if replies == KILL_AFTER {
            break;
        }
    }
    // Unconditional, so a run where every sender failed early ends in a
    // failed assertion below rather than a hang.
    manager.start_kill().expect("kill -9");
    manager.wait().await.expect("manager exits");
    // Replies already on their way when the process died count as acknowledged too.
    while let Some(ids) = acked.recv().await {
        acknowledged.extend(ids);
    }
    for sender in senders {
        sender.await.expect("sender task");
    }
    assert!(acknowledged.len() >= KILL_AFTER * BATCH_SIZE);
    assert!(
        acknowledged.len() < BATCHES * BATCH_SIZE,
        "the kill came before the end"
    );

    let storage = Storage::open(&data_dir.join("plaza.sqlite3"), &StorageSettings::default())
        .expect("reopen after kill");
    let stored = storage
        .stored_event_ids(acknowledged.clone())
        .await
        .expect("look up ids");
    assert_eq!(
        stored.len(),
        acknowledged.len(),
        "every acknowledged event survived kill -9"
    );
    storage.close().await;

    // The kiosk resends everything it has not seen acknowledged, and more:
    // every id is counted once.
    let (_manager, url) = start(data_dir).await;
    let mut duplicates = 0;
    for batch in &all {
        let reply = send(&client, &url, &kiosk.token, batch)
            .await
            .expect("resend after restart");
        assert_eq!(reply.accepted.len(), BATCH_SIZE);
        duplicates += reply.duplicates as usize;
    }
    assert!(duplicates >= acknowledged.len());
    let storage = Storage::open(&data_dir.join("plaza.sqlite3"), &StorageSettings::default())
        .expect("open while serving");
    assert_eq!(
        storage.event_count().await.expect("count"),
        (BATCHES * BATCH_SIZE) as u64
    );

    // The session the events belong to closes normally after the crash.
    let end = Event {
        id: Uuid::now_v7(),
        at: Timestamp::now(),
        session_id,
        payload: EventPayload::SessionEnded(plaza_api::events::SessionEnded {
            reason: plaza_api::session::EndReason::Timeout,
        }),
    };
    let reply = send(&client, &url, &kiosk.token, &[end])
        .await
        .expect("session end after restart");
    assert_eq!(reply.accepted.len(), 1);
    let session = storage.session(session_id).await.expect("the session");
    assert_eq!(
        session.end_reason,
        Some(plaza_api::session::EndReason::Timeout)
    );
    assert_eq!(session.sections, vec![Section::Procedures]);
}
