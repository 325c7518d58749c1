//! Issue #14, point 3: a citizen erases their account at the kiosk with
//! their PIN, or staff do it on request (audited); posts become "deleted
//! account" or are removed, as the citizen chooses; nothing in the database
//! names the account after.

use plaza_api::participation::accounts::{Erased, ErasedPosts, OwnErasure, StaffErasure};
use plaza_api::participation::communities::{Announcement, NewAnnouncement};
use plaza_api::participation::forums::{ThreadPage, ThreadView};
use plaza_api::staff::Role;
use reqwest::Method;

use crate::common::{As, Fixture, PIN, error_code};
use crate::communities::{community, detail};

fn own(pin: &str, posts: ErasedPosts) -> OwnErasure {
    OwnErasure {
        pin: pin.to_owned(),
        posts,
    }
}

async fn thread_view(fixture: &Fixture, thread: i64) -> ThreadView {
    let response = fixture
        .get(As::Kiosk, &format!("/forums/threads/{thread}"))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("thread")
}

async fn board_titles(fixture: &Fixture, board: i64) -> Vec<String> {
    let page: ThreadPage = fixture
        .get(As::Kiosk, &format!("/forums/boards/{board}/threads"))
        .await
        .json()
        .await
        .expect("threads");
    page.threads
        .into_iter()
        .map(|thread| thread.title)
        .collect()
}

/// Every text cell of every table, to look for what must be gone.
fn database_text(fixture: &Fixture) -> String {
    let connection = rusqlite::Connection::open(fixture.manager.state.storage.path())
        .expect("open the database file");
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .expect("tables")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut text = String::new();
    for table in tables {
        let mut statement = connection
            .prepare(&format!("SELECT * FROM \"{table}\""))
            .expect("select");
        let columns = statement.column_count();
        let mut rows = statement.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for column in 0..columns {
                if let Ok(rusqlite::types::ValueRef::Text(cell)) = row.get_ref(column) {
                    text.push_str(&String::from_utf8_lossy(cell));
                    text.push('\n');
                }
            }
        }
    }
    text
}

#[tokio::test]
async fn a_citizen_erases_their_account_with_their_pin_and_keeps_their_posts_unsigned() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Anabella").await;
    let beto = fixture.sign_up("Beto").await;
    let thread = fixture
        .thread_ok(
            As::Citizen(&ana),
            board,
            "La plaza de abajo",
            "Faltan bancos.",
        )
        .await;
    fixture
        .reply_ok(As::Citizen(&beto), thread.thread.id, "Y luces también.")
        .await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let reset = fixture
        .request(
            As::Staff(&supervisor),
            Method::POST,
            "/citizens/beto/pin-reset",
        )
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 200);

    let wrong = fixture
        .post(
            As::Citizen(&ana),
            "/citizens/me/erasure",
            &own("0000", ErasedPosts::Anonymise),
        )
        .await;
    assert_eq!(wrong.status(), 403, "a wrong PIN erases nothing");
    assert_eq!(fixture.log_in("Anabella", PIN).await.status(), 200);

    let erased = fixture
        .post(
            As::Citizen(&ana),
            "/citizens/me/erasure",
            &own(PIN, ErasedPosts::Anonymise),
        )
        .await;
    assert_eq!(erased.status(), 200);
    let erased: Erased = erased.json().await.expect("erased");
    assert_eq!(
        erased,
        Erased {
            anonymised: 1,
            removed: 0
        }
    );

    let view = thread_view(&fixture, thread.thread.id).await;
    assert!(view.thread.author.deleted_account);
    assert_eq!(view.thread.author.name, "");
    assert!(view.posts[0].author.deleted_account);
    assert_eq!(view.posts[0].body.as_deref(), Some("Faltan bancos."));
    assert_eq!(view.posts[1].author.name, "Beto");
    assert!(!view.posts[1].author.deleted_account);

    assert_eq!(
        fixture.log_in("Anabella", PIN).await.status(),
        401,
        "the account is gone"
    );
    let token_after = fixture.get(As::Citizen(&ana), "/citizens/me").await;
    assert_eq!(token_after.status(), 401, "its login ended with it");
    let text = database_text(&fixture);
    assert!(
        !text.to_lowercase().contains("anabella"),
        "the alias is nowhere in the database"
    );
    let entries = fixture
        .manager
        .state
        .storage
        .audit_entries(100)
        .await
        .expect("audit");
    let entry = entries
        .iter()
        .find(|entry| entry.action == "citizen.erased")
        .expect("the erasure is audited");
    assert_eq!(entry.actor, "citizen");
    // The alias may be taken again, by someone new.
    fixture.sign_up("Anabella").await;
}

#[tokio::test]
async fn a_citizen_who_chooses_removal_leaves_no_text_and_others_replies_stay() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Anabella").await;
    let beto = fixture.sign_up("Beto").await;
    let answered = fixture
        .thread_ok(
            As::Citizen(&ana),
            board,
            "La plaza de abajo",
            "Faltan bancos.",
        )
        .await;
    fixture
        .reply_ok(As::Citizen(&beto), answered.thread.id, "Y luces también.")
        .await;
    fixture
        .thread_ok(
            As::Citizen(&ana),
            board,
            "Perro perdido",
            "Es marrón y chico.",
        )
        .await;
    fixture
        .reply_ok(As::Citizen(&ana), answered.thread.id, "Gracias, Beto.")
        .await;

    let erased = fixture
        .post(
            As::Citizen(&ana),
            "/citizens/me/erasure",
            &own(PIN, ErasedPosts::Remove),
        )
        .await;
    assert_eq!(erased.status(), 200);
    let erased: Erased = erased.json().await.expect("erased");
    assert_eq!(
        erased,
        Erased {
            anonymised: 0,
            removed: 3
        }
    );

    let view = thread_view(&fixture, answered.thread.id).await;
    let bodies: Vec<Option<&str>> = view.posts.iter().map(|post| post.body.as_deref()).collect();
    assert_eq!(bodies, [None, Some("Y luces también."), None]);
    assert_eq!(view.thread.post_count, 1, "only Beto's reply is published");
    assert_eq!(
        board_titles(&fixture, board).await,
        ["La plaza de abajo"],
        "her thread nobody answered is gone with its post"
    );
    let text = database_text(&fixture);
    assert!(!text.contains("Faltan bancos") && !text.contains("Es marrón"));
    assert!(!text.to_lowercase().contains("anabella"));
}

#[tokio::test]
async fn a_coordinator_s_announcements_follow_the_choice_and_the_member_count_drops() {
    for (posts, kept) in [(ErasedPosts::Anonymise, true), (ErasedPosts::Remove, false)] {
        let fixture = Fixture::start().await;
        let supervisor = fixture.staff(Role::Supervisor).await;
        let fair = community(&fixture, &supervisor, "Feria de productores", false).await;
        let marta = fixture.sign_up("Marta").await;
        let grant = fixture
            .request(
                As::Staff(&supervisor),
                Method::PUT,
                &format!("/communities/{}/coordinators/marta", fair.id),
            )
            .send()
            .await
            .expect("grant");
        assert_eq!(grant.status(), 204);
        let posted: Announcement = fixture
            .post(
                As::Citizen(&marta),
                &format!("/communities/{}/announcements", fair.id),
                &NewAnnouncement {
                    title: "Nueva fecha de la feria".to_owned(),
                    body: "Este mes la feria es el segundo sábado.".to_owned(),
                },
            )
            .await
            .json()
            .await
            .expect("announcement");
        assert_eq!(posted.author, "Marta");
        assert_eq!(
            detail(&fixture, As::Kiosk, fair.id)
                .await
                .community
                .member_count,
            1
        );

        let erased = fixture
            .post(
                As::Citizen(&marta),
                "/citizens/me/erasure",
                &own(PIN, posts),
            )
            .await;
        assert_eq!(erased.status(), 200, "{posts:?}");

        let after = detail(&fixture, As::Kiosk, fair.id).await;
        assert_eq!(after.community.member_count, 0);
        assert!(after.coordinators.is_empty());
        let titles: Vec<(&str, &str)> = after
            .announcements
            .iter()
            .map(|announcement| (announcement.title.as_str(), announcement.author.as_str()))
            .collect();
        if kept {
            assert_eq!(titles, [("Nueva fecha de la feria", "")]);
        } else {
            assert!(titles.is_empty(), "{titles:?}");
        }
        let text = database_text(&fixture);
        assert!(
            !text.contains("citizen:Marta") && !text.contains("citizen:marta"),
            "the grant's audit entry no longer names her"
        );
    }
}

#[tokio::test]
async fn staff_erase_an_account_on_request_and_the_request_is_audited() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Anabella").await;
    fixture
        .thread_ok(
            As::Citizen(&ana),
            board,
            "La plaza de abajo",
            "Faltan bancos.",
        )
        .await;
    let analyst = fixture.staff(Role::Analyst).await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let request = StaffErasure {
        posts: ErasedPosts::Remove,
    };

    let by_analyst = fixture
        .post(As::Staff(&analyst), "/citizens/anabella/erasure", &request)
        .await;
    assert_eq!(by_analyst.status(), 403);
    let by_kiosk = fixture
        .post(As::Kiosk, "/citizens/anabella/erasure", &request)
        .await;
    assert_eq!(by_kiosk.status(), 401);
    let unknown = fixture
        .post(As::Staff(&supervisor), "/citizens/nadie/erasure", &request)
        .await;
    assert_eq!(error_code(unknown).await, "not_found");
    assert_eq!(fixture.log_in("Anabella", PIN).await.status(), 200);

    let erased = fixture
        .post(
            As::Staff(&supervisor),
            "/citizens/ANABELLA/erasure",
            &request,
        )
        .await;
    assert_eq!(erased.status(), 200);
    let erased: Erased = erased.json().await.expect("erased");
    assert_eq!(erased.removed, 1);
    assert_eq!(fixture.log_in("Anabella", PIN).await.status(), 401);
    assert!(board_titles(&fixture, board).await.is_empty());

    let again = fixture
        .post(
            As::Staff(&supervisor),
            "/citizens/anabella/erasure",
            &request,
        )
        .await;
    assert_eq!(again.status(), 404, "erased once");
    let entries = fixture
        .manager
        .state
        .storage
        .audit_entries(100)
        .await
        .expect("audit");
    let erasures: Vec<_> = entries
        .iter()
        .filter(|entry| entry.action == "citizen.erased")
        .collect();
    assert_eq!(erasures.len(), 1);
    assert_ne!(erasures[0].actor, "citizen");
    assert!(
        erasures[0]
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("request")
    );
}

#[tokio::test]
async fn a_request_filed_logged_in_outlives_the_account_without_it() {
    let fixture = Fixture::start().await;
    plaza_manager::requests::seed::load(
        &fixture.manager.state.storage,
        plaza_manager::requests::seed::DEMO_SERVICE_TYPES,
    )
    .await
    .expect("service types");
    let ana = fixture.sign_up("Anabella").await;
    let filed = fixture
        .post(
            As::Citizen(&ana),
            "/requests",
            &serde_json::json!({
                "service_code": "alumbrado",
                "description": "La luz de la esquina no anda.",
                "neighbourhood": "La Loma"
            }),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let filed: plaza_api::requests::PublicRequest = filed.json().await.expect("request");
    let mine = fixture.get(As::Citizen(&ana), "/requests/mine").await;
    assert_eq!(mine.status(), 200);

    let erased = fixture
        .post(
            As::Citizen(&ana),
            "/citizens/me/erasure",
            &own(PIN, ErasedPosts::Anonymise),
        )
        .await;
    assert_eq!(erased.status(), 200);

    let followed = fixture
        .get(As::Kiosk, &format!("/requests/tickets/{}", filed.ticket))
        .await;
    assert_eq!(followed.status(), 200, "the ticket still follows it");
    let connection = rusqlite::Connection::open(fixture.manager.state.storage.path())
        .expect("open the database file");
    let linked: i64 = connection
        .query_row(
            "SELECT count(*) FROM service_requests WHERE citizen_id IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(linked, 0, "no request points at an account any more");
}
