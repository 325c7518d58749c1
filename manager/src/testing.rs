//! A real manager on a loopback port with a real SQLite file in a temporary
//! folder, for tests of this crate, the kiosk and the end-to-end suite.
//! Enabled by the `test-support` feature.
//!
//! Every response it sends for an operation of the OpenAPI document is
//! checked against the document ([`contract`]); a test whose requests got
//! an answer the document does not describe fails when its manager is
//! dropped, with the list of what was wrong.

pub mod contract;

pub mod debian;

pub mod staff_browser;

use std::net::SocketAddr;

use jiff::{SignedDuration, Timestamp};
use plaza_api::enrol::{EnrolRequest, EnrolResponse};
use plaza_api::staff::Role;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::{API_TOKEN_PREFIX, hash_secret, new_secret};
use crate::clock::Clock;
use crate::config::Settings;
use crate::kiosks::issue_enrolment_code;
use crate::server::{router, serve_app};
use crate::state::AppState;
use crate::storage::centres::{Centre, NewCentre};

pub struct TestManager {
    pub url: String,
    pub address: SocketAddr,
    pub state: AppState,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// Kept so the database outlives the server; removed on drop.
    pub folder: tempfile::TempDir,
    violations: contract::Violations,
}

impl TestManager {
    /// Default settings, system clock.
    pub async fn start() -> Self {
        Self::start_with(|_| {}, Clock::System).await
    }

    /// Settings adjusted by `configure`, and the given clock (use
    /// [`Clock::manual`] to test expiry without sleeping).
    pub async fn start_with(configure: impl FnOnce(&mut Settings), clock: Clock) -> Self {
        let folder = tempfile::tempdir().expect("temporary folder");
        Self::start_in(folder, configure, clock).await
    }

    /// Starts on an existing folder (for restart tests).
    pub async fn start_in(
        folder: tempfile::TempDir,
        configure: impl FnOnce(&mut Settings),
        clock: Clock,
    ) -> Self {
        let mut settings = Settings {
            data_dir: folder.path().to_path_buf(),
            ..Settings::default()
        };
        configure(&mut settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        settings.listen = address;
        let state = AppState::open(settings, clock).expect("open manager state");
        let violations = contract::Violations::default();
        let app = router(state.clone()).layer(axum::middleware::from_fn_with_state(
            violations.clone(),
            contract::check_responses,
        ));
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_app(state.clone(), app, listener, async move {
            let _ = stop.await;
        }));
        Self {
            url: format!("http://{address}"),
            address,
            state,
            client: reqwest::Client::new(),
            shutdown: Some(shutdown),
            task: Some(task),
            folder,
            violations,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub fn now(&self) -> Timestamp {
        self.state.clock.now()
    }

    pub async fn add_centre(&self, name: &str, neighbourhoods: &[&str]) -> Centre {
        self.state
            .storage
            .add_centre(
                NewCentre {
                    name: name.to_owned(),
                    neighbourhoods: neighbourhoods.iter().map(|n| (*n).to_owned()).collect(),
                    ..NewCentre::default()
                },
                self.now(),
                "test",
            )
            .await
            .expect("add centre")
    }

    /// A fresh one-time code for `centre`, as the CLI would print it.
    pub async fn enrolment_code(&self, centre: &str) -> String {
        let (code, _, _) = issue_enrolment_code(
            &self.state.storage,
            centre,
            self.now(),
            SignedDuration::from_hours(24),
        )
        .await
        .expect("issue enrolment code");
        code
    }

    /// Enrols a kiosk through the real HTTP API.
    pub async fn enrol_kiosk(&self, centre: &str, hostname: &str) -> EnrolResponse {
        let code = self.enrolment_code(centre).await;
        let response = self
            .client
            .post(self.url("/api/v1/kiosks/enroll"))
            .json(&EnrolRequest {
                code,
                hostname: hostname.to_owned(),
            })
            .send()
            .await
            .expect("enrol request");
        assert_eq!(response.status(), 201, "enrolment should succeed");
        response.json().await.expect("enrol response")
    }

    /// A staff API token with `role`.
    pub async fn staff_token(&self, role: Role) -> String {
        let token = new_secret(API_TOKEN_PREFIX).expect("secret");
        self.state
            .storage
            .create_api_token(
                format!("test-{}", role.as_str()),
                role,
                hash_secret(&token),
                self.now(),
            )
            .await
            .expect("create token");
        token
    }

    /// Stops the server gracefully (drains writes) and keeps the folder.
    pub async fn stop(mut self) -> tempfile::TempDir {
        self.shut_down().await;
        let folder = tempfile::tempdir().expect("placeholder folder");
        std::mem::replace(&mut self.folder, folder)
    }

    async fn shut_down(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }
}

impl TestManager {
    /// What this manager's responses broke of the OpenAPI document so far;
    /// taken, so the drop check no longer sees them.
    pub fn take_contract_violations(&self) -> Vec<String> {
        self.violations.take()
    }
}

impl Drop for TestManager {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let violations = self.violations.take();
        // A test already failing says why itself; a second panic would abort.
        if !violations.is_empty() && !std::thread::panicking() {
            panic!(
                "{} response(s) broke the OpenAPI document:\n  {}",
                violations.len(),
                violations.join("\n  ")
            );
        }
    }
}
