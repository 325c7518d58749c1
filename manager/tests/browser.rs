//! The dashboard in a real headless Chromium, driven through chromedriver:
//! log in, watch a tile change after a heartbeat without reloading, send a
//! message with confirmation and see it delivered, open a report, refuse a
//! POST without the CSRF token, log out. Screenshots of the floor and the
//! report go to `target/test-artifacts/`.
//!
//! Skipped, with a message, only when chromedriver is not installed (CI
//! installs it); set `CHROMEDRIVER` / `CHROMIUM` to use other binaries.

use std::path::PathBuf;
use std::process::Stdio;

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use jiff::{SignedDuration, Timestamp};
use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState, SessionProgress};
use plaza_api::staff::Role;
use plaza_manager::auth::hash_password;
use plaza_manager::storage::users::NewUser;
use plaza_manager::testing::TestManager;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const CENTRE: &str = "Biblioteca Norte";
const PASSWORD: &str = "browser test password";

fn binary(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// Starts chromedriver on a free port; resolves once it says it is ready.
async fn chromedriver(path: &PathBuf) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("address")
        .port();
    let mut child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().expect("chromedriver stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await.expect("read chromedriver") {
        if line.contains("started successfully") {
            break;
        }
    }
    // Keep draining so chromedriver never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, port)
}

async fn browser(port: u16) -> Client {
    let chromium = binary("CHROMIUM", "/usr/bin/chromium");
    let mut capabilities = Capabilities::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900"],
        }),
    );
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

fn heartbeat(state: KioskState, session: Option<SessionProgress>) -> HeartbeatRequest {
    HeartbeatRequest {
        sent_at: Timestamp::now(),
        state,
        app_version: "0.1.0".to_owned(),
        health: Health {
            uptime_s: 60,
            cpu_percent: 10.0,
            memory_used_bytes: 1 << 30,
            memory_total_bytes: 4 << 30,
            disk_free_bytes: 50 << 30,
            disk_total_bytes: 100 << 30,
        },
        outbox_len: 0,
        last_error: None,
        session,
        acked_commands: Vec::new(),
        content_version: None,
    }
}

async fn save_screenshot(client: &Client, name: &str) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-artifacts");
    std::fs::create_dir_all(&folder).expect("artifact folder");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(folder.join(name), png).expect("write screenshot");
}

#[tokio::test]
async fn the_dashboard_in_a_real_browser() {
    let driver_path = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    if !driver_path.exists() {
        eprintln!(
            "SKIPPED: {} not found; install chromium-driver (CI does) to run the browser test",
            driver_path.display()
        );
        return;
    }
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "norte-01").await;
    manager
        .state
        .storage
        .add_user(
            NewUser {
                name: "sam".to_owned(),
                role: Role::Supervisor,
                password_hash: hash_password(PASSWORD).expect("hash"),
                centres: vec![CENTRE.to_owned()],
            },
            manager.now(),
            "test".to_owned(),
        )
        .await
        .expect("user");
    let send_heartbeat = |request: HeartbeatRequest| {
        let client = manager.client.clone();
        let url = manager.url(&format!("/api/v1/kiosks/{}/heartbeat", kiosk.kiosk_id));
        let token = kiosk.token.clone();
        async move {
            let response = client
                .post(url)
                .bearer_auth(token)
                .json(&request)
                .send()
                .await
                .expect("heartbeat");
            assert_eq!(response.status(), 200);
        }
    };

    let (_driver, port) = chromedriver(&driver_path).await;
    let client = browser(port).await;

    // Log in.
    client
        .goto(&manager.url("/dashboard/login"))
        .await
        .expect("login page");
    client
        .find(Locator::Id("name"))
        .await
        .expect("name")
        .send_keys("sam")
        .await
        .expect("type");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    client
        .find(Locator::Css("form.login button"))
        .await
        .expect("button")
        .click()
        .await
        .expect("submit");
    let tile = format!("[data-kiosk='{}']", kiosk.kiosk_id);
    client
        .wait()
        .for_element(Locator::Css(&tile))
        .await
        .expect("on the floor, with the kiosk's tile");

    // A heartbeat changes the tile without a reload.
    client
        .wait()
        .for_element(Locator::Css("body[data-live='yes']"))
        .await
        .expect("live updates connected");
    let now = Timestamp::now();
    send_heartbeat(heartbeat(
        KioskState::InSession,
        Some(SessionProgress {
            session_id: uuid::Uuid::now_v7(),
            started_at: now,
            ends_at: now + SignedDuration::from_mins(30),
        }),
    ))
    .await;
    let live = client
        .wait()
        .for_element(Locator::Css(&format!("{tile}[data-state='in_session']")))
        .await
        .expect("the tile turned 'in session' by itself");
    let text = live.text().await.expect("tile text");
    assert!(
        text.contains("In session") && text.contains("left"),
        "{text}"
    );
    save_screenshot(&client, "dashboard-floor.png").await;

    // Send a message, confirm, see it delivered.
    client
        .goto(&manager.url(&format!("/dashboard/kiosks/{}", kiosk.kiosk_id)))
        .await
        .expect("kiosk page");
    client
        .find(Locator::Id("text"))
        .await
        .expect("message field")
        .send_keys("Cerramos en 10 minutos")
        .await
        .expect("type");
    client
        .find(Locator::XPath("//button[contains(., 'Send message')]"))
        .await
        .expect("send button")
        .click()
        .await
        .expect("send");
    client
        .wait()
        .for_element(Locator::Id("confirm"))
        .await
        .expect("confirmation page")
        .click()
        .await
        .expect("confirm");
    client
        .wait()
        .for_element(Locator::XPath(
            "//td[contains(., 'waiting for the next heartbeat')]",
        ))
        .await
        .expect("queued");
    send_heartbeat(heartbeat(KioskState::Idle, None)).await;
    client.refresh().await.expect("reload");
    let source = client.source().await.expect("source");
    assert!(source.contains("Cerramos en 10 minutos"), "{source}");
    assert!(
        !source.contains("waiting for the next heartbeat"),
        "delivered"
    );

    // A POST without the CSRF token is refused, even from the dashboard's own origin.
    let status = client
        .execute(
            "return fetch(arguments[0], {method: 'POST', headers: {'Content-Type': \
             'application/x-www-form-urlencoded'}, body: 'action=end&confirmed=yes'}) \
             .then((response) => response.status);",
            vec![json!(format!(
                "/dashboard/kiosks/{}/actions",
                kiosk.kiosk_id
            ))],
        )
        .await
        .expect("fetch");
    assert_eq!(status, json!(403));

    // A report, with its CSV export link.
    client
        .goto(&manager.url("/dashboard/reports"))
        .await
        .expect("reports");
    client.find(Locator::Id("totals")).await.expect("totals");
    let csv = client
        .find(Locator::Id("csv"))
        .await
        .expect("csv link")
        .attr("href")
        .await
        .expect("href")
        .expect("has href");
    assert!(csv.starts_with("/dashboard/reports/reach.csv?"), "{csv}");
    save_screenshot(&client, "dashboard-report.png").await;

    // Verify a resident (issue #17): the document number goes in a field
    // that does not show it, and the page does not echo it back.
    let signed_up = manager
        .client
        .post(manager.url("/api/v1/citizens"))
        .bearer_auth(&kiosk.token)
        .json(&json!({"alias": "Vecina_Norte", "pin": "4821", "session_id": uuid::Uuid::now_v7()}))
        .send()
        .await
        .expect("sign up");
    assert_eq!(signed_up.status(), 201);
    client
        .goto(&manager.url("/dashboard/residents"))
        .await
        .expect("residents page");
    for (field, value) in [("alias", "Vecina_Norte"), ("document_number", "28.765.432")] {
        client
            .find(Locator::Id(field))
            .await
            .expect(field)
            .send_keys(value)
            .await
            .expect("type");
    }
    let kind = client
        .find(Locator::Id("document_number"))
        .await
        .expect("document field")
        .attr("type")
        .await
        .expect("type attribute");
    assert_eq!(kind.as_deref(), Some("password"));
    client
        .find(Locator::Css("form.verify button"))
        .await
        .expect("verify button")
        .click()
        .await
        .expect("verify");
    let notice = client
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("a notice")
        .text()
        .await
        .expect("notice text");
    assert!(
        notice.contains("Vecina_Norte is now a verified resident of Centro"),
        "{notice}"
    );
    let html = client.source().await.expect("page source");
    assert!(!html.contains("28765432") && !html.contains("28.765.432"));
    assert!(html.contains("<td>Vecina_Norte</td>"), "listed");
    save_screenshot(&client, "dashboard-residents.png").await;

    // Log out.
    client
        .find(Locator::Css("form.logout button"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("log out");
    client
        .wait()
        .for_element(Locator::Id("password"))
        .await
        .expect("back at the login form");
    client.close().await.expect("close browser");
}

/// Live help (issue #16): the help page in Chromium shows a kiosk's
/// question live (no reload), and the answer typed there reaches the kiosk.
#[tokio::test]
async fn the_help_page_answers_a_kiosk_in_a_real_browser() {
    let driver_path = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    if !driver_path.exists() {
        eprintln!(
            "SKIPPED: {} not found; install chromium-driver (CI does) to run the browser test",
            driver_path.display()
        );
        return;
    }
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "norte-01").await;
    manager
        .state
        .storage
        .add_user(
            NewUser {
                name: "sam".to_owned(),
                role: Role::Supervisor,
                password_hash: hash_password(PASSWORD).expect("hash"),
                centres: vec![CENTRE.to_owned()],
            },
            manager.now(),
            "test".to_owned(),
        )
        .await
        .expect("user");
    let help = plaza_client::ManagerClient::new(&manager.url, std::time::Duration::from_secs(10))
        .expect("client")
        .with_credentials(plaza_client::KioskToken {
            kiosk_id: kiosk.kiosk_id,
            token: kiosk.token.clone(),
        })
        .help_chat()
        .expect("enrolled");

    let (_driver, port) = chromedriver(&driver_path).await;
    let client = browser(port).await;
    client
        .goto(&manager.url("/dashboard/login"))
        .await
        .expect("login page");
    for (field, value) in [("name", "sam"), ("password", PASSWORD)] {
        client
            .find(Locator::Id(field))
            .await
            .expect("field")
            .send_keys(value)
            .await
            .expect("type");
    }
    client
        .find(Locator::Css("form.login button"))
        .await
        .expect("button")
        .click()
        .await
        .expect("submit");
    client
        .wait()
        .for_element(Locator::LinkText("Live help"))
        .await
        .expect("signed in")
        .click()
        .await
        .expect("open live help");
    client
        .wait()
        .for_element(Locator::Css("body[data-live='yes']"))
        .await
        .expect("live updates connected");
    assert!(
        help.availability().await.expect("availability").available,
        "the open page makes sam available"
    );

    // The question shows up without a reload.
    let opened = help
        .open("Where do I pay the lighting fee?")
        .await
        .expect("open");
    let section = client
        .wait()
        .for_element(Locator::Css(&format!(
            "[data-conversation='{}']",
            opened.id
        )))
        .await
        .expect("the conversation appears live");
    let shown = section.text().await.expect("text");
    assert!(
        shown.contains("Where do I pay the lighting fee?"),
        "{shown}"
    );
    save_screenshot(&client, "help-chat.png").await;

    // Sam answers from the page; the kiosk's long poll brings it.
    let waiting = {
        let help = help.clone();
        let (id, after) = (opened.id, opened.messages[0].id);
        tokio::spawn(async move { help.wait_for_messages(id, after, 20).await })
    };
    section
        .find(Locator::Css("form.reply textarea"))
        .await
        .expect("answer box")
        .send_keys("At the town hall, window 3.")
        .await
        .expect("type");
    section
        .find(Locator::Css("form.reply button"))
        .await
        .expect("send")
        .click()
        .await
        .expect("send the answer");
    let answer = tokio::time::timeout(std::time::Duration::from_secs(20), waiting)
        .await
        .expect("answered within the guard time")
        .expect("task")
        .expect("long poll");
    assert_eq!(answer.messages.len(), 1);
    assert_eq!(answer.messages[0].text, "At the town hall, window 3.");
    client.close().await.expect("close the browser");
}
