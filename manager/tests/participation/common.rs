//! A manager with one centre, an enrolled kiosk and a session in progress,
//! and helpers to call it as that kiosk, as a citizen or as staff.

use jiff::{SignedDuration, Timestamp};
use plaza_api::enrol::EnrolResponse;
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::participation::accounts::{CitizenLogin, Credentials};
use plaza_api::staff::Role;
use plaza_manager::Clock;
use plaza_manager::config::Settings;
use plaza_manager::testing::TestManager;
use reqwest::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

pub const CENTRE: &str = "Biblioteca Norte";
pub const PIN: &str = "4821";

pub struct Fixture {
    pub manager: TestManager,
    pub kiosk: EnrolResponse,
    pub session_id: Uuid,
}

/// Who makes a call.
pub enum As<'a> {
    /// The kiosk alone (nobody logged in).
    Kiosk,
    Citizen(&'a CitizenLogin),
    /// A citizen token sent by another kiosk.
    CitizenAt(&'a CitizenLogin, &'a EnrolResponse),
    Staff(&'a str),
    Nobody,
}

pub fn start_of_test() -> Timestamp {
    Timestamp::from_millisecond(Timestamp::now().as_millisecond()).expect("valid timestamp")
}

impl Fixture {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let manager = TestManager::start_with(configure, Clock::manual(start_of_test())).await;
        manager.add_centre(CENTRE, &["Centro", "La Loma"]).await;
        let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
        Self {
            manager,
            kiosk,
            session_id: Uuid::now_v7(),
        }
    }

    pub fn advance(&self, by: SignedDuration) {
        self.manager.state.clock.advance(by);
    }

    pub fn request(&self, who: As<'_>, method: Method, path: &str) -> RequestBuilder {
        let request = self
            .manager
            .client
            .request(method, self.manager.url(&format!("/api/v1{path}")));
        match who {
            As::Kiosk => request.bearer_auth(&self.kiosk.token),
            As::Citizen(login) => request
                .bearer_auth(&self.kiosk.token)
                .header(CITIZEN_TOKEN_HEADER, &login.token),
            As::CitizenAt(login, kiosk) => request
                .bearer_auth(&kiosk.token)
                .header(CITIZEN_TOKEN_HEADER, &login.token),
            As::Staff(token) => request.bearer_auth(token),
            As::Nobody => request,
        }
    }

    pub async fn get(&self, who: As<'_>, path: &str) -> Response {
        self.request(who, Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    pub async fn send(
        &self,
        who: As<'_>,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Response {
        self.request(who, method, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, who: As<'_>, path: &str, body: &impl Serialize) -> Response {
        self.send(who, Method::POST, path, body).await
    }

    pub fn credentials(&self, alias: &str, pin: &str) -> Credentials {
        Credentials {
            alias: alias.to_owned(),
            pin: pin.to_owned(),
            session_id: self.session_id,
        }
    }

    /// Signs up `alias` with [`PIN`], logged in for the fixture's session.
    pub async fn sign_up(&self, alias: &str) -> CitizenLogin {
        let response = self
            .post(As::Kiosk, "/citizens", &self.credentials(alias, PIN))
            .await;
        assert_eq!(response.status(), 201, "sign up {alias}");
        response.json().await.expect("login")
    }

    pub async fn log_in(&self, alias: &str, pin: &str) -> Response {
        self.post(As::Kiosk, "/citizens/login", &self.credentials(alias, pin))
            .await
    }

    pub async fn staff(&self, role: Role) -> String {
        self.manager.staff_token(role).await
    }
}

/// The `error.code` of an error response, checking it is the JSON error body.
pub async fn error_code(response: Response) -> String {
    error(response).await.0
}

/// (code, message) of an error response.
pub async fn error(response: Response) -> (String, String) {
    let body: Value = response.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error code")
        .to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error message")
        .to_owned();
    (code, message)
}

use plaza_api::participation::forums::{BoardKind, NewPost, NewThread, Post, ThreadCreated};
use plaza_manager::storage::forums::NewBoard;

impl Fixture {
    /// A topic board made directly in storage (boards come from seed content).
    pub async fn board(&self, title: &str) -> i64 {
        self.manager
            .state
            .storage
            .create_board(
                NewBoard {
                    kind: BoardKind::Topic,
                    title: title.to_owned(),
                    description: format!("About {title}"),
                    language: None,
                    neighbourhood: None,
                    community_id: None,
                    centre_id: None,
                    position: 0,
                },
                "test".to_owned(),
                self.manager.now(),
            )
            .await
            .expect("create board")
            .id
    }

    pub async fn start_thread(&self, who: As<'_>, board: i64, title: &str, body: &str) -> Response {
        self.post(
            who,
            &format!("/forums/boards/{board}/threads"),
            &NewThread {
                title: title.to_owned(),
                body: body.to_owned(),
            },
        )
        .await
    }

    pub async fn thread_ok(
        &self,
        who: As<'_>,
        board: i64,
        title: &str,
        body: &str,
    ) -> ThreadCreated {
        let response = self.start_thread(who, board, title, body).await;
        assert_eq!(response.status(), 201, "start thread {title}");
        response.json().await.expect("thread created")
    }

    pub async fn reply(&self, who: As<'_>, thread: i64, body: &str) -> Response {
        self.post(
            who,
            &format!("/forums/threads/{thread}/posts"),
            &NewPost {
                body: body.to_owned(),
            },
        )
        .await
    }

    pub async fn reply_ok(&self, who: As<'_>, thread: i64, body: &str) -> Post {
        let response = self.reply(who, thread, body).await;
        assert_eq!(response.status(), 201, "reply {body}");
        response.json().await.expect("post")
    }
}
