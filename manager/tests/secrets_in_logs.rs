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

    let (_, stderr) = cli(data_dir, &["centre", "add", "Casa de la Cultura"]);
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
    ];
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
