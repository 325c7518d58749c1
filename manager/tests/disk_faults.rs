//! The manager's disk fills up: writes get a clear 503, `/readyz` fails, no
//! acknowledged event is lost, and everything works again when space
//! returns. A read-only disk stops the manager from starting, with the
//! reason, and loses nothing.
//!
//! The data directory is a small tmpfs mounted for the test, which needs
//! root (CI runs as root); elsewhere the test says so and passes vacuously.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use plaza_api::events::{Event, EventBatchResponse, EventPayload, SectionOpened};
use plaza_api::session::Section;
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;
use serde_json::{Value, json};
use uuid::Uuid;

const CENTRE: &str = "Punto Digital Oeste";

/// A tmpfs mounted on `path`, unmounted on drop.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(path: &Path) -> Option<Self> {
        std::fs::create_dir_all(path).expect("mount point");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(path)
            .status()
            .is_ok_and(|status| status.success());
        mounted.then(|| Self {
            path: path.to_path_buf(),
        })
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{mode}")])
            .arg(&self.path)
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {mode}");
    }

    /// Writes a filler file until the disk is full; returns its path.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).expect("filler file");
        let chunk = vec![0_u8; 64 << 10];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.flush();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

fn batch(session_id: Uuid, size: usize) -> Vec<Event> {
    (0..size)
        .map(|_| Event {
            id: Uuid::now_v7(),
            at: Timestamp::now(),
            session_id,
            payload: EventPayload::SectionOpened(SectionOpened {
                section: Section::Tenders,
            }),
        })
        .collect()
}

async fn send(manager: &TestManager, token: &str, events: &[Event]) -> reqwest::Response {
    manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(token)
        .json(&json!({ "events": events }))
        .send()
        .await
        .expect("events request")
}

async fn ready_status(manager: &TestManager) -> u16 {
    manager
        .client
        .get(manager.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .status()
        .as_u16()
}

/// Sends until a batch is refused; returns the ids acknowledged on the way
/// and the refusal's body.
async fn send_until_refused(
    manager: &TestManager,
    token: &str,
    session: Uuid,
) -> (Vec<Uuid>, Value) {
    let mut acknowledged = Vec::new();
    // The disk is full, but SQLite may still have room in pages it already
    // owns; a few batches use that up.
    for _ in 0..200 {
        let events = batch(session, 200);
        let response = send(manager, token, &events).await;
        if response.status() == 200 {
            let reply: EventBatchResponse = response.json().await.expect("reply");
            acknowledged.extend(reply.accepted);
        } else {
            assert_eq!(response.status(), 503, "a full disk is a 503");
            return (acknowledged, response.json().await.expect("error body"));
        }
    }
    panic!("the full disk never refused a write");
}

#[tokio::test]
async fn a_full_then_read_only_disk_loses_no_acknowledged_event_and_recovers() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data_dir = folder.path().join("data");
    let Some(disk) = SmallDisk::mount(&data_dir) else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); CI runs this test as root");
        return;
    };
    let manager = TestManager::start_in(
        folder,
        |settings| settings.data_dir.clone_from(&data_dir),
        Clock::System,
    )
    .await;
    manager.add_centre(CENTRE, &["Oeste"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let session = Uuid::now_v7();

    let first = batch(session, 100);
    assert_eq!(send(&manager, &kiosk.token, &first).await.status(), 200);
    let mut acknowledged: Vec<Uuid> = first.iter().map(|event| event.id).collect();
    assert_eq!(ready_status(&manager).await, 200);

    // Disk full.
    let filler = disk.fill();
    let (more, refusal) = send_until_refused(&manager, &kiosk.token, session).await;
    acknowledged.extend(more);
    assert_eq!(refusal["error"]["code"], "unavailable", "{refusal}");
    assert_eq!(ready_status(&manager).await, 503, "not ready while full");

    // Space returns.
    std::fs::remove_file(&filler).expect("remove filler");
    assert_eq!(ready_status(&manager).await, 200, "ready again");
    let after = batch(session, 100);
    assert_eq!(send(&manager, &kiosk.token, &after).await.status(), 200);
    acknowledged.extend(after.iter().map(|event| event.id));

    // Every acknowledged event is there: resending them all is answered
    // as duplicates, nothing new is stored.
    for chunk in acknowledged.chunks(500) {
        let events: Vec<Event> = chunk
            .iter()
            .map(|id| Event {
                id: *id,
                ..batch(session, 1).remove(0)
            })
            .collect();
        let response = send(&manager, &kiosk.token, &events).await;
        assert_eq!(response.status(), 200);
        let reply: EventBatchResponse = response.json().await.expect("reply");
        assert_eq!(
            reply.duplicates as usize,
            chunk.len(),
            "every acknowledged event was stored before the faults"
        );
    }
    let settings = (*manager.state.settings).clone();
    let folder = manager.stop().await;

    // Read-only (a remount needs no file open for writing, so the manager
    // is stopped first): it refuses to start, saying why.
    disk.remount("ro");
    let error = match plaza_manager::AppState::open(settings.clone(), Clock::System) {
        Ok(_) => panic!("the manager started on a read-only disk"),
        Err(error) => error.to_string(),
    };
    assert!(error.contains("read-only"), "a clear reason: {error}");
    disk.remount("rw");
    let manager = TestManager::start_in(
        folder,
        |restarted| restarted.data_dir.clone_from(&settings.data_dir),
        Clock::System,
    )
    .await;
    let response = send(&manager, &kiosk.token, &first).await;
    let reply: EventBatchResponse = response.json().await.expect("reply");
    assert_eq!(
        reply.duplicates, 100,
        "the data survived the read-only spell"
    );
    let folder = manager.stop().await;
    drop(disk);
    drop(folder);
}
