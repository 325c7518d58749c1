//! A supervisor at the desk: `plaza-manager citizen reset-pin`,
//! `citizen grant-coordinator` and `citizen erase`, on the database a
//! manager serves from.

use std::path::Path;

use plaza_api::participation::accounts::{CitizenLogin, Credentials};
use plaza_api::participation::communities::{CommunityCategory, NewCommunity};
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;
use uuid::Uuid;

use crate::common::{CENTRE, PIN};

const MANAGER: &str = env!("CARGO_BIN_EXE_plaza-manager");

fn cli(data_dir: &Path, arguments: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(arguments)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run plaza-manager");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn log_in(
    manager: &TestManager,
    kiosk_token: &str,
    alias: &str,
    pin: &str,
) -> reqwest::Response {
    manager
        .client
        .post(manager.url("/api/v1/citizens/login"))
        .bearer_auth(kiosk_token)
        .json(&Credentials {
            alias: alias.to_owned(),
            pin: pin.to_owned(),
            session_id: Uuid::now_v7(),
        })
        .send()
        .await
        .expect("login")
}

#[tokio::test]
async fn a_supervisor_resets_a_pin_and_grants_a_coordinator_from_the_command_line() {
    let manager = TestManager::start_with(|_| {}, Clock::System).await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let signed_up = manager
        .client
        .post(manager.url("/api/v1/citizens"))
        .bearer_auth(&kiosk.token)
        .json(&Credentials {
            alias: "Inés".to_owned(),
            pin: PIN.to_owned(),
            session_id: Uuid::now_v7(),
        })
        .send()
        .await
        .expect("sign up");
    assert_eq!(signed_up.status(), 201);
    manager
        .state
        .storage
        .create_community(
            NewCommunity {
                name: "Club de Lectura".to_owned(),
                description: "Leemos juntos".to_owned(),
                neighbourhood: None,
                category: CommunityCategory::Culture,
                requires_approval: false,
                centre_id: None,
            },
            "test".to_owned(),
            manager.now(),
        )
        .await
        .expect("community");
    let folder = manager.stop().await;

    let (ok, output) = cli(
        folder.path(),
        &["citizen", "reset-pin", "INÉS", "--by", "ana.supervisora"],
    );
    assert!(ok, "{output}");
    let temporary = output
        .split_whitespace()
        .find(|word| word.len() == 6 && word.chars().all(|digit| digit.is_ascii_digit()))
        .expect("the new PIN is printed")
        .to_owned();
    let (ok, output) = cli(
        folder.path(),
        &[
            "citizen",
            "grant-coordinator",
            "inés",
            "--community",
            "Club de Lectura",
        ],
    );
    assert!(ok, "{output}");
    let (ok, output) = cli(folder.path(), &["citizen", "reset-pin", "nobody"]);
    assert!(!ok);
    assert!(output.contains("nobody"), "{output}");
    let (ok, _) = cli(
        folder.path(),
        &[
            "citizen",
            "grant-coordinator",
            "inés",
            "--community",
            "Nope",
        ],
    );
    assert!(!ok);

    let manager = TestManager::start_in(folder, |_| {}, Clock::System).await;
    assert_eq!(
        log_in(&manager, &kiosk.token, "Inés", PIN).await.status(),
        401
    );
    let login: CitizenLogin = log_in(&manager, &kiosk.token, "Inés", &temporary)
        .await
        .json()
        .await
        .expect("the printed PIN works");
    assert_eq!(login.citizen.coordinates.len(), 1);
    let audit = manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "citizen.pin_reset" && entry.actor == "ana.supervisora")
    );

    let folder = manager.stop().await;
    let (ok, output) = cli(
        folder.path(),
        &[
            "citizen",
            "erase",
            "Inés",
            "--remove",
            "--by",
            "ana.supervisora",
        ],
    );
    assert!(ok, "{output}");
    assert!(output.contains("Account erased"), "{output}");
    let (ok, _) = cli(folder.path(), &["citizen", "erase", "Inés"]);
    assert!(!ok, "erased once");
    let manager = TestManager::start_in(folder, |_| {}, Clock::System).await;
    assert_eq!(
        log_in(&manager, &kiosk.token, "Inés", &temporary)
            .await
            .status(),
        401
    );
}
