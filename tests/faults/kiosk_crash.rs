//! A kiosk killed in the middle of writing its outbox: on restart the
//! outbox opens with everything committed before the kill, the session cut
//! short is ended as `crash`, and all of it reaches the manager once. A
//! damaged outbox file is quarantined, said so, and replaced.

use std::process::Stdio;
use std::time::Duration;

use jiff::Timestamp;
use plaza_api::session::EndReason;
use plaza_kiosk::credentials::Credentials;
use plaza_kiosk::link::{Delivery, ManagerClient};
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::session::SessionRules;
use plaza_kiosk::terminal::Terminal;
use plaza_manager::testing::TestManager;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use uuid::Uuid;

const PLAZA: &str = env!("CARGO_BIN_EXE_plaza");
const CENTRE: &str = "Casa de la Cultura";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_mid_write_recovers_and_closes_the_session_as_crash() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let enrolled = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let folder = tempfile::tempdir().expect("kiosk folder");

    let mut writer = Command::new(PLAZA)
        .args(["bench", "kiosk-writer", "--data-dir"])
        .arg(folder.path())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the kiosk writer");
    let mut lines = BufReader::new(writer.stdout.take().expect("stdout")).lines();
    let mut session = None;
    while let Some(line) = lines.next_line().await.expect("read") {
        if let Some(id) = line.strip_prefix("session ") {
            session = Uuid::parse_str(id).ok();
        }
        if line == "written 3000" {
            break;
        }
    }
    let session = session.expect("the writer started a session");
    // kill -9 while it keeps writing.
    writer.start_kill().expect("kill -9");
    writer.wait().await.expect("the writer died");

    let path = folder.path().join("outbox.sqlite");
    let (outbox, quarantined) = Outbox::open(&path, Timestamp::now()).expect("reopen");
    assert!(quarantined.is_none(), "a kill leaves a consistent outbox");
    let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
    assert_eq!(terminal.recover().expect("recover"), Some(session));
    let queued = outbox.len().expect("len");
    assert!(
        queued >= 3002,
        "started + 3000 sections + crash end, at least: {queued}"
    );

    let client = ManagerClient::new(&manager.url, Duration::from_secs(5))
        .expect("client")
        .with_credentials(&Credentials {
            manager_url: manager.url.clone(),
            kiosk_id: enrolled.kiosk_id,
            token: enrolled.token.clone(),
            centre: enrolled.centre.clone(),
        });
    let report = Delivery::new(outbox.clone(), client, 500)
        .deliver_pending()
        .await
        .expect("deliver");
    assert_eq!(report.delivered as u64, queued);
    assert!(outbox.is_empty().expect("empty"));
    let stored = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(stored.end_reason, Some(EndReason::Crash));
    assert_eq!(
        manager.state.storage.event_count().await.expect("count"),
        queued
    );
    manager.stop().await;
}

#[test]
fn a_damaged_outbox_is_quarantined_and_replaced() {
    let folder = tempfile::tempdir().expect("kiosk folder");
    let path = folder.path().join("outbox.sqlite");
    std::fs::write(
        &path,
        b"this is not a database, it was cut in half by a power failure",
    )
    .expect("write garbage");
    let (outbox, quarantined) = Outbox::open(&path, Timestamp::now()).expect("open anyway");
    let quarantined = quarantined.expect("the damage is reported");
    assert!(
        quarantined.moved_to.exists(),
        "the damaged file is kept for inspection"
    );
    assert!(outbox.is_empty().expect("a fresh outbox"));
}
