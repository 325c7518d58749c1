//! Secrets never reach the logs: a real `plaza-manager` logging at the most
//! verbose level is put through enrolment, heartbeats, events, staff calls
//! and failed attempts, and its whole log output is searched for every
//! secret it handled.

use std::path::Path;
use std::process::Stdio;

use plaza_api::enrol::EnrolResponse;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

const MANAGER: &str = env!("CARGO_BIN_EXE_plaza-manager");

fn cli(data_dir: &Path, arguments: &[&str]) -> (String, String) {
    let output = std::process::Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(arguments)
        .env("RUST_LOG", "trace")
        .output()
        .expect("run plaza-manager");
    assert!(
        output.status.success(),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).expect("utf-8 output"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The first whitespace-separated word of `output` that satisfies `pick`.
fn word(output: &str, pick: impl Fn(&str) -> bool) -> String {
    output
        .split_whitespace()
        .find(|word| pick(word))
        .unwrap_or_else(|| panic!("no matching word in {output}"))
        .to_owned()
}

#[tokio::test]
async fn no_secret_appears_in_the_logs_of_a_full_run() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data_dir = folder.path();
    let mut logs = String::new();

    let (_, stderr) = cli(
        data_dir,
        &[
            "centre",
            "add",
            "Casa de la Cultura",
            "--neighbourhood",
            "Centro",
        ],
    );
    logs.push_str(&stderr);
    let (stdout, stderr) = cli(
        data_dir,
        &["kiosk", "enroll", "--centre", "Casa de la Cultura"],
    );
    logs.push_str(&stderr);
    let code = word(&stdout, |word| {
        word.len() == 14 && word.matches('-').count() == 2
    });
    let (stdout, stderr) = cli(
        data_dir,
        &["token", "create", "--role", "admin", "--name", "ana"],
    );
    logs.push_str(&stderr);
    let admin_token = word(&stdout, |word| word.starts_with("pza_"));

    let mut child = Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start plaza-manager serve");
    let mut stderr = child.stderr.take().expect("stderr");
    let collect_logs = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut url = None;
    while let Some(line) = lines.next_line().await.expect("read stdout") {
        if let Some(listening) = line.strip_prefix("listening on ") {
            url = Some(listening.to_owned());
            break;
        }
    }
    let url = url.expect("the manager listens");
    let client = reqwest::Client::new();

    // A wrong code first, then the right one twice (the replay is refused).
    let enrol = |code: String| {
        client
            .post(format!("{url}/api/v1/kiosks/enroll"))
            .json(&json!({"code": code, "hostname": "pc-01"}))
            .send()
    };
    let wrong_code = "2345-6789-ABCD".to_owned();
    assert_eq!(
        enrol(wrong_code.clone()).await.expect("enrol").status(),
        401
    );
    let enrolled: EnrolResponse = enrol(code.clone())
        .await
        .expect("enrol")
        .json()
        .await
        .expect("enrol reply");
    assert_eq!(enrol(code.clone()).await.expect("replay").status(), 401);
    let kiosk_token = enrolled.token;

    let heartbeat = json!({
        "sent_at": jiff::Timestamp::now(), "state": "idle", "app_version": "0.1.0",
        "health": {"uptime_s": 5, "cpu_percent": 1.0, "memory_used_bytes": 1, "memory_total_bytes": 2,
                   "disk_free_bytes": 1, "disk_total_bytes": 2},
        "outbox_len": 0, "last_error": null, "session": null, "acked_commands": []
    });
    let heartbeat_url = format!("{url}/api/v1/kiosks/{}/heartbeat", enrolled.kiosk_id);
    let forged_token = format!("pzk_{}", "Q".repeat(43));
    for token in [&kiosk_token, &forged_token] {
        client
            .post(&heartbeat_url)
            .bearer_auth(token)
            .json(&heartbeat)
            .send()
            .await
            .expect("heartbeat");
    }
    // A malformed body that carries the token inside it as well.
    client
        .post(&heartbeat_url)
        .bearer_auth(&kiosk_token)
        .header("content-type", "application/json")
        .body(format!("{{\"token\": \"{kiosk_token}\""))
        .send()
        .await
        .expect("malformed heartbeat");
    client
        .post(format!("{url}/api/v1/events"))
        .bearer_auth(&kiosk_token)
        .json(&json!({"events": []}))
        .send()
        .await
        .expect("events");
    for token in [&admin_token, &kiosk_token] {
        client
            .get(format!("{url}/api/v1/kiosks"))
            .bearer_auth(token)
            .send()
            .await
            .expect("kiosk list");
    }

    // A citizen signs up, fails a login, logs in and acts.
    let pin = "90817263";
    let wrong_pin = "55512345";
    let session_id = uuid::Uuid::now_v7();
    let citizen = |pin: &str| json!({"alias": "vecina_ana", "pin": pin, "session_id": session_id});
    let signed_up = client
        .post(format!("{url}/api/v1/citizens"))
        .bearer_auth(&kiosk_token)
        .json(&citizen(pin))
        .send()
        .await
        .expect("sign up");
    assert!(
        signed_up.status().is_success(),
        "sign up: {}",
        signed_up.status()
    );
    let failed = client
        .post(format!("{url}/api/v1/citizens/login"))
        .bearer_auth(&kiosk_token)
        .json(&citizen(wrong_pin))
        .send()
        .await
        .expect("wrong login");
    assert_eq!(failed.status(), 401);
    let login: serde_json::Value = client
        .post(format!("{url}/api/v1/citizens/login"))
        .bearer_auth(&kiosk_token)
        .json(&citizen(pin))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login reply");
    let citizen_token = login["token"].as_str().expect("citizen token").to_owned();
    client
        .get(format!("{url}/api/v1/citizens/me"))
        .bearer_auth(&kiosk_token)
        .header(
            plaza_api::participation::CITIZEN_TOKEN_HEADER,
            &citizen_token,
        )
        .send()
        .await
        .expect("me");

    // A supervisor verifies her as a resident with her ID (issue #17); a
    // second try with the same number is refused, and so is a malformed body
    // that carries it.
    let document = "31.415.926";
    let verification = json!({"alias": "vecina_ana", "document_number": document,
                              "neighbourhood": "Centro", "centre": "Casa de la Cultura"});
    for expected in [201, 409] {
        let verified = client
            .post(format!("{url}/api/v1/participation/residents"))
            .bearer_auth(&admin_token)
            .json(&verification)
            .send()
            .await
            .expect("verify");
        assert_eq!(verified.status(), expected);
    }
    client
        .post(format!("{url}/api/v1/participation/residents"))
        .bearer_auth(&admin_token)
        .header("content-type", "application/json")
        .body(format!("{{\"document_number\": \"{document}\""))
        .send()
        .await
        .expect("malformed verification");

    child.kill().await.expect("stop the manager");
    logs.push_str(&collect_logs.await.expect("log collector"));
    assert!(
        logs.contains("/api/v1/kiosks/enroll"),
        "the run was logged at all (else this test proves nothing)"
    );

    let secrets = [
        ("enrolment code", code.clone()),
        ("enrolment code, normalised", code.replace('-', "")),
        ("wrong enrolment code", wrong_code.replace('-', "")),
        ("kiosk token", kiosk_token.clone()),
        (
            "kiosk token without prefix",
            kiosk_token["pzk_".len()..].to_owned(),
        ),
        ("forged token", forged_token.clone()),
        ("admin token", admin_token.clone()),
        (
            "admin token without prefix",
            admin_token["pza_".len()..].to_owned(),
        ),
        ("citizen PIN", pin.to_owned()),
        ("wrong citizen PIN", wrong_pin.to_owned()),
        ("citizen token", citizen_token.clone()),
        ("document number", document.to_owned()),
        ("document number, normalised", document.replace('.', "")),
    ];
    // Nor is the document number in any file of the data folder: the
    // database, its WAL, the audit log inside it.
    for entry in std::fs::read_dir(data_dir).expect("data folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        for number in [document.to_owned(), document.replace('.', "")] {
            assert!(
                !bytes
                    .windows(number.len())
                    .any(|window| window == number.as_bytes()),
                "{} holds the document number",
                path.display()
            );
        }
    }
    for (what, secret) in secrets {
        assert!(
            !logs.contains(&secret),
            "the {what} appears in the logs:\n{}",
            logs.lines()
                .filter(|line| line.contains(&secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
