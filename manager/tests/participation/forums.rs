//! Forums: threads and replies, newest activity first, pagination, official
//! staff posts, the rate limit, the edit window, plain text and its limits.

use jiff::SignedDuration;
use plaza_api::participation::forums::{
    BoardList, NewReport, Post, PostEdit, PostStatus, ReportReason, ReportReceipt, ThreadPage,
    ThreadView,
};
use plaza_api::staff::Role;
use reqwest::Method;

use crate::common::{As, Fixture, error, error_code};

#[tokio::test]
async fn threads_list_newest_activity_first_and_page_with_cursors() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let mut ids = Vec::new();
    for number in 1..=5 {
        let created = fixture
            .thread_ok(
                As::Citizen(&ana),
                board,
                &format!("Tema número {number}"),
                "Hola a todos",
            )
            .await;
        assert_eq!(created.thread.post_count, 1);
        assert_eq!(created.post.status, PostStatus::Published);
        assert!(created.post.mine);
        ids.push(created.thread.id);
        fixture.advance(SignedDuration::from_mins(3));
    }
    // A reply moves the oldest thread to the top.
    let beto = fixture.sign_up("Beto").await;
    fixture
        .reply_ok(As::Citizen(&beto), ids[0], "Yo también")
        .await;

    let first: ThreadPage = fixture
        .get(
            As::Kiosk,
            &format!("/forums/boards/{board}/threads?limit=2"),
        )
        .await
        .json()
        .await
        .expect("page");
    let titles: Vec<_> = first.threads.iter().map(|thread| thread.id).collect();
    assert_eq!(titles, [ids[0], ids[4]]);
    assert_eq!(first.threads[0].post_count, 2);
    assert_eq!(first.board.thread_count, 5);
    let cursor = first.next_cursor.expect("more pages");
    let second: ThreadPage = fixture
        .get(
            As::Kiosk,
            &format!("/forums/boards/{board}/threads?limit=2&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(
        second
            .threads
            .iter()
            .map(|thread| thread.id)
            .collect::<Vec<_>>(),
        [ids[3], ids[2]]
    );
    let cursor = second.next_cursor.expect("last page");
    let third: ThreadPage = fixture
        .get(
            As::Kiosk,
            &format!("/forums/boards/{board}/threads?limit=2&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(third.threads.len(), 1);
    assert_eq!(third.next_cursor, None);

    let bad = fixture
        .get(
            As::Kiosk,
            &format!("/forums/boards/{board}/threads?cursor=nonsense"),
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(
        fixture
            .get(As::Kiosk, "/forums/boards/999/threads")
            .await
            .status(),
        404
    );

    let boards: BoardList = fixture
        .get(As::Kiosk, "/forums/boards")
        .await
        .json()
        .await
        .expect("boards");
    assert_eq!(boards.boards[0].thread_count, 5);
    assert!(boards.boards[0].last_activity_at.is_some());
}

#[tokio::test]
async fn a_thread_pages_its_posts_oldest_first() {
    let fixture =
        Fixture::start_with(|settings| settings.participation.posts_per_window = 100).await;
    let board = fixture.board("Huerta").await;
    let ana = fixture.sign_up("Ana").await;
    let thread = fixture
        .thread_ok(As::Citizen(&ana), board, "Tomates", "Primer post")
        .await;
    for number in 2..=7 {
        fixture
            .reply_ok(
                As::Citizen(&ana),
                thread.thread.id,
                &format!("Post {number}"),
            )
            .await;
    }
    let path = format!("/forums/threads/{}", thread.thread.id);
    let page: ThreadView = fixture
        .get(As::Kiosk, &format!("{path}?limit=4"))
        .await
        .json()
        .await
        .expect("view");
    let bodies: Vec<_> = page
        .posts
        .iter()
        .map(|post| post.body.clone().unwrap_or_default())
        .collect();
    assert_eq!(bodies, ["Primer post", "Post 2", "Post 3", "Post 4"]);
    assert!(
        page.posts.iter().all(|post| !post.mine),
        "the kiosk alone owns nothing"
    );
    let cursor = page.next_cursor.expect("more");
    let rest: ThreadView = fixture
        .get(
            As::Citizen(&ana),
            &format!("{path}?limit=4&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .expect("view");
    assert_eq!(rest.posts.len(), 3);
    assert!(rest.posts.iter().all(|post| post.mine));
    assert_eq!(rest.next_cursor, None);
    assert_eq!(rest.thread.post_count, 7);
}

#[tokio::test]
async fn staff_posts_are_official_and_the_kiosk_alone_cannot_post() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Avisos").await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let created = fixture
        .thread_ok(
            As::Staff(&supervisor),
            board,
            "Corte de agua el martes",
            "De 9 a 12 h.",
        )
        .await;
    assert!(created.post.author.official);
    assert!(created.thread.author.official);
    assert_eq!(created.post.author.name, "test-supervisor");

    let ana = fixture.sign_up("Ana").await;
    let reply = fixture
        .reply_ok(As::Citizen(&ana), created.thread.id, "Gracias por avisar")
        .await;
    assert!(!reply.author.official);

    let anonymous = fixture
        .reply(As::Kiosk, created.thread.id, "Sin cuenta")
        .await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(error_code(anonymous).await, "citizen_login_required");
    let analyst = fixture.staff(Role::Analyst).await;
    assert_eq!(
        fixture
            .reply(As::Staff(&analyst), created.thread.id, "Hola")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn posting_is_rate_limited_per_account() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Charla").await;
    let ana = fixture.sign_up("Ana").await;
    let thread = fixture
        .thread_ok(As::Citizen(&ana), board, "Conversación", "Uno")
        .await;
    for number in 2..=5 {
        fixture.advance(SignedDuration::from_mins(1));
        fixture
            .reply_ok(
                As::Citizen(&ana),
                thread.thread.id,
                &format!("Mensaje {number}"),
            )
            .await;
    }
    let sixth = fixture
        .reply(As::Citizen(&ana), thread.thread.id, "Seis")
        .await;
    assert_eq!(sixth.status(), 429);
    // The first post (at minute 0) leaves the window at minute 10; it is minute 4.
    assert_eq!(
        sixth.headers()["retry-after"].to_str().expect("header"),
        "360"
    );
    let (code, message) = error(sixth).await;
    assert_eq!(code, "rate_limited");
    assert!(message.contains("in 6 minutes"), "{message}");

    let beto = fixture.sign_up("Beto").await;
    fixture
        .reply_ok(As::Citizen(&beto), thread.thread.id, "Otro vecino sí puede")
        .await;

    fixture.advance(SignedDuration::from_mins(6));
    fixture
        .reply_ok(As::Citizen(&ana), thread.thread.id, "Ya puedo otra vez")
        .await;
}

#[tokio::test]
async fn authors_edit_and_delete_their_posts_within_fifteen_minutes() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let beto = fixture.sign_up("Beto").await;
    let created = fixture
        .thread_ok(As::Citizen(&ana), board, "Fiesta del barrio", "El sábado")
        .await;
    let post_path = format!("/forums/posts/{}", created.post.id);
    assert_eq!(
        created.post.editable_until,
        Some(created.post.created_at + SignedDuration::from_mins(15))
    );

    let edit = |body: &str, title: Option<&str>| PostEdit {
        body: body.to_owned(),
        title: title.map(str::to_owned),
    };
    let by_other = fixture
        .send(
            As::Citizen(&beto),
            Method::PATCH,
            &post_path,
            &edit("Mío", None),
        )
        .await;
    assert_eq!(by_other.status(), 403);
    fixture.advance(SignedDuration::from_mins(14));
    let edited: Post = fixture
        .send(
            As::Citizen(&ana),
            Method::PATCH,
            &post_path,
            &edit("El sábado a las 18 h", Some("Fiesta del barrio 2026")),
        )
        .await
        .json()
        .await
        .expect("edited");
    assert_eq!(edited.body.as_deref(), Some("El sábado a las 18 h"));
    assert!(edited.edited_at.is_some());
    let view: ThreadView = fixture
        .get(As::Kiosk, &format!("/forums/threads/{}", created.thread.id))
        .await
        .json()
        .await
        .expect("view");
    assert_eq!(view.thread.title, "Fiesta del barrio 2026");

    let reply = fixture
        .reply_ok(As::Citizen(&ana), created.thread.id, "Traed sillas")
        .await;
    fixture.advance(SignedDuration::from_mins(2));
    let late = fixture
        .send(
            As::Citizen(&ana),
            Method::PATCH,
            &post_path,
            &edit("Tarde", None),
        )
        .await;
    assert_eq!(late.status(), 403);
    assert_eq!(error_code(late).await, "edit_window_closed");
    let title_on_reply = fixture
        .send(
            As::Citizen(&ana),
            Method::PATCH,
            &format!("/forums/posts/{}", reply.id),
            &edit("Traed sillas y mesas", Some("Otro título")),
        )
        .await;
    assert_eq!(title_on_reply.status(), 422);

    let reply_path = format!("/forums/posts/{}", reply.id);
    let deleted_by_other = fixture
        .request(As::Citizen(&beto), Method::DELETE, &reply_path)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted_by_other.status(), 403);
    let deleted = fixture
        .request(As::Citizen(&ana), Method::DELETE, &reply_path)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 204);
    let view: ThreadView = fixture
        .get(As::Kiosk, &format!("/forums/threads/{}", created.thread.id))
        .await
        .json()
        .await
        .expect("view");
    assert_eq!(view.posts[1].status, PostStatus::Deleted);
    assert_eq!(view.posts[1].body, None);
    assert_eq!(view.thread.post_count, 1);
    let late_delete = fixture
        .request(As::Citizen(&ana), Method::DELETE, &post_path)
        .send()
        .await
        .expect("delete");
    assert_eq!(error_code(late_delete).await, "edit_window_closed");
}

#[tokio::test]
async fn posts_are_plain_text_within_limits() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    for (title, body, hint) in [
        ("Hola", "Texto", "at least 5"),
        ("Un título\nen dos líneas", "Texto", "single line"),
        ("Título correcto", "   \n  ", "empty"),
        ("Título correcto", "campana\u{7}", "control character"),
        ("Título correcto", &"x".repeat(4001), "at most 4000"),
    ] {
        let response = fixture
            .start_thread(As::Citizen(&ana), board, title, body)
            .await;
        assert_eq!(response.status(), 422, "{title}");
        let (_, message) = error(response).await;
        assert!(message.contains(hint), "{message}");
    }
    let tidy = fixture
        .thread_ok(
            As::Citizen(&ana),
            board,
            "  Título correcto ",
            "<b>no es HTML</b>\r\n\r\n\r\nfin  ",
        )
        .await;
    assert_eq!(tidy.thread.title, "Título correcto");
    assert_eq!(tidy.post.body.as_deref(), Some("<b>no es HTML</b>\n\nfin"));
    let unknown_field = fixture
        .post(
            As::Citizen(&ana),
            &format!("/forums/threads/{}/posts", tidy.thread.id),
            &serde_json::json!({"body": "x", "html": true}),
        )
        .await;
    assert_eq!(unknown_field.status(), 422);
}

#[tokio::test]
async fn a_post_is_reported_once_per_account() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let beto = fixture.sign_up("Beto").await;
    let created = fixture
        .thread_ok(As::Citizen(&ana), board, "Se vende bici", "Barata")
        .await;
    let path = format!("/forums/posts/{}/reports", created.post.id);
    let report = |reason, details: Option<&str>| NewReport {
        reason,
        details: details.map(str::to_owned),
    };
    let own = fixture
        .post(As::Citizen(&ana), &path, &report(ReportReason::Spam, None))
        .await;
    assert_eq!(own.status(), 409);
    let no_details = fixture
        .post(
            As::Citizen(&beto),
            &path,
            &report(ReportReason::Other, Some("  ")),
        )
        .await;
    assert_eq!(no_details.status(), 422);
    let receipt: ReportReceipt = fixture
        .post(
            As::Citizen(&beto),
            &path,
            &report(ReportReason::OffTopic, None),
        )
        .await
        .json()
        .await
        .expect("receipt");
    assert!(!receipt.hidden_for_review);
    let twice = fixture
        .post(As::Citizen(&beto), &path, &report(ReportReason::Spam, None))
        .await;
    assert_eq!(twice.status(), 409);
    assert_eq!(error_code(twice).await, "already_reported");
    let anonymous = fixture
        .post(As::Kiosk, &path, &report(ReportReason::Spam, None))
        .await;
    assert_eq!(anonymous.status(), 403);

    let view: ThreadView = fixture
        .get(
            As::Citizen(&beto),
            &format!("/forums/threads/{}", created.thread.id),
        )
        .await
        .json()
        .await
        .expect("view");
    assert!(view.posts[0].reported_by_me);
}

#[tokio::test]
async fn supervisors_add_topic_and_neighbourhood_boards() {
    let fixture = Fixture::start().await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let board = |kind, neighbourhood: Option<&str>| plaza_api::participation::forums::NewBoard {
        kind,
        title: "Barrio La Loma".to_owned(),
        description: "Vecinos de La Loma".to_owned(),
        language: Some(plaza_api::session::Language::Es),
        neighbourhood: neighbourhood.map(str::to_owned),
        centre_id: None,
    };
    use plaza_api::participation::forums::{Board, BoardKind};
    let created = fixture
        .post(
            As::Staff(&supervisor),
            "/forums/boards",
            &board(BoardKind::Neighbourhood, Some("La Loma")),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Board = created.json().await.expect("board");
    assert_eq!(created.neighbourhood.as_deref(), Some("La Loma"));
    for refused in [
        board(BoardKind::Neighbourhood, None),
        board(BoardKind::Community, None),
    ] {
        let response = fixture
            .post(As::Staff(&supervisor), "/forums/boards", &refused)
            .await;
        assert_eq!(response.status(), 422);
    }
    let ana = fixture.sign_up("Ana").await;
    let by_citizen = fixture
        .post(
            As::Citizen(&ana),
            "/forums/boards",
            &board(BoardKind::Topic, None),
        )
        .await;
    assert_eq!(by_citizen.status(), 401);
    let listed: BoardList = fixture
        .get(
            As::Kiosk,
            "/forums/boards?kind=neighbourhood&neighbourhood=la%20loma",
        )
        .await
        .json()
        .await
        .expect("boards");
    assert_eq!(listed.boards.len(), 1);
}

/// Pages hold 1 to 100 items, as the document says; the server used to
/// clamp a larger `limit` silently and answer 0 with a 400.
#[tokio::test]
async fn a_page_size_out_of_range_is_refused() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let created = fixture
        .thread_ok(As::Citizen(&ana), board, "Tema de prueba", "Hola a todos")
        .await;
    let admin = fixture.staff(Role::Admin).await;
    let thread = created.thread.id;
    for (who, path) in [
        (
            As::Kiosk,
            format!("/forums/boards/{board}/threads?limit=101"),
        ),
        (As::Kiosk, format!("/forums/boards/{board}/threads?limit=0")),
        (As::Kiosk, format!("/forums/threads/{thread}?limit=1000")),
        (As::Staff(&admin), "/moderation/queue?limit=101".to_owned()),
    ] {
        let response = fixture.get(who, &path).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(error_code(response).await, "invalid", "{path}");
    }
    let response = fixture
        .get(As::Kiosk, &format!("/forums/threads/{thread}?limit=100"))
        .await;
    assert_eq!(response.status(), 200);
}
