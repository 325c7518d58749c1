//! `plaza_client::ParticipationClient`, the calls the
//! kiosk's screens make, against a real manager: typed errors for a lost
//! login, a refusal with Retry-After, and the manager being unreachable.

use jiff::SignedDuration;
use plaza_api::participation::communities::MembershipStatus;
use plaza_api::participation::forums::{NewPost, NewReport, NewThread, PostStatus, ReportReason};
use plaza_client::{ClientError, ParticipationClient};
use plaza_manager::participation::seed;
use uuid::Uuid;

use crate::common::Fixture;

const SEED: &str = include_str!("../../../assets/content/participation.json");

#[tokio::test]
async fn the_kiosk_client_signs_up_reads_posts_joins_and_reports() {
    let fixture = Fixture::start().await;
    seed::load(
        &fixture.manager.state.storage,
        SEED,
        fixture.manager.now(),
        "2580",
    )
    .await
    .expect("seed");
    let mut client =
        ParticipationClient::new(&fixture.manager.url, &fixture.kiosk.token).expect("client");
    let boards = client.boards().await.expect("boards without logging in");
    let board = boards
        .boards
        .iter()
        .find(|board| board.thread_count > 0)
        .expect("a board with threads");
    let page = client.threads(board.id, None).await.expect("threads");

    let anonymous = client
        .reply(
            page.threads[0].id,
            &NewPost {
                body: "Hola".to_owned(),
            },
        )
        .await
        .expect_err("needs a login");
    assert!(
        matches!(anonymous, ClientError::LoggedOut { .. }),
        "{anonymous:?}"
    );

    let login = client
        .sign_up("Vecino Nuevo", "1357", fixture.session_id)
        .await
        .expect("sign up");
    assert!(client.is_logged_in());
    assert_eq!(client.me().await.expect("me").alias, login.citizen.alias);
    let created = client
        .start_thread(
            board.id,
            &NewThread {
                title: "Me presento".to_owned(),
                body: "Acabo de llegar al barrio".to_owned(),
            },
        )
        .await
        .expect("thread");
    assert_eq!(created.post.status, PostStatus::Published);
    let view = client
        .thread(page.threads[0].id, None)
        .await
        .expect("thread");
    let someone_else = view
        .posts
        .iter()
        .find(|post| !post.mine)
        .expect("a post by someone else");
    let receipt = client
        .report(
            someone_else.id,
            &NewReport {
                reason: ReportReason::Spam,
                details: None,
            },
        )
        .await
        .expect("report");
    assert!(!receipt.hidden_for_review);
    let twice = client
        .report(
            someone_else.id,
            &NewReport {
                reason: ReportReason::Spam,
                details: None,
            },
        )
        .await
        .expect_err("once per account");
    assert_eq!(twice.code(), Some("already_reported"));
    assert!(!twice.is_retryable());

    let communities = client.communities().await.expect("communities");
    let open = communities
        .communities
        .iter()
        .find(|community| !community.requires_approval)
        .expect("open");
    let gated = communities
        .communities
        .iter()
        .find(|community| community.requires_approval)
        .expect("gated");
    assert_eq!(
        client.join(open.id).await.expect("join").status,
        MembershipStatus::Member
    );
    assert_eq!(
        client.join(gated.id).await.expect("join").status,
        MembershipStatus::Pending
    );
    client.leave(open.id).await.expect("leave");
    assert_eq!(
        client
            .community(open.id)
            .await
            .expect("detail")
            .community
            .membership,
        None
    );

    client.log_out().await.expect("log out");
    assert!(!client.is_logged_in());
    let relogin = client
        .log_in("vecino nuevo", "0000", fixture.session_id)
        .await
        .expect_err("wrong PIN");
    assert_eq!(relogin.code(), Some("wrong_credentials"));
}

#[tokio::test]
async fn the_client_says_when_to_retry_and_when_the_login_is_over() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Charla").await;
    let mut client =
        ParticipationClient::new(&fixture.manager.url, &fixture.kiosk.token).expect("client");
    client
        .sign_up("Ana", "1357", fixture.session_id)
        .await
        .expect("sign up");
    let thread = client
        .start_thread(
            board,
            &NewThread {
                title: "Conversación".to_owned(),
                body: "Uno".to_owned(),
            },
        )
        .await
        .expect("thread");
    for _ in 0..4 {
        client
            .reply(
                thread.thread.id,
                &NewPost {
                    body: "Más".to_owned(),
                },
            )
            .await
            .expect("reply");
    }
    let limited = client
        .reply(
            thread.thread.id,
            &NewPost {
                body: "Demasiado".to_owned(),
            },
        )
        .await
        .expect_err("rate limited");
    assert!(limited.is_retryable());
    assert!(
        matches!(
            limited,
            ClientError::Refused {
                retry_after_s: Some(600),
                ..
            }
        ),
        "{limited:?}"
    );

    fixture.advance(SignedDuration::from_hours(1));
    let expired = client
        .me()
        .await
        .expect_err("the login lasts an hour at most");
    assert!(matches!(expired, ClientError::LoggedOut { .. }));
    client.forget_citizen();
    assert!(!client.is_logged_in());
}

#[tokio::test]
async fn an_unreachable_manager_is_offline_and_a_post_can_be_sent_again() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Charla").await;
    let mut client =
        ParticipationClient::new(&fixture.manager.url, &fixture.kiosk.token).expect("client");
    client
        .sign_up("Ana", "1357", fixture.session_id)
        .await
        .expect("sign up");
    let draft = NewThread {
        title: "Una pregunta".to_owned(),
        body: "¿A qué hora abre la biblioteca?".to_owned(),
    };
    let folder = fixture.manager.stop().await;

    let offline = client
        .start_thread(board, &draft)
        .await
        .expect_err("manager stopped");
    assert!(
        matches!(offline, ClientError::Unreachable(_)),
        "{offline:?}"
    );
    assert!(offline.is_retryable());
    assert!(matches!(
        client.boards().await,
        Err(ClientError::Unreachable(_))
    ));

    // The manager comes back (on another port); the same draft goes through.
    let manager =
        plaza_manager::testing::TestManager::start_in(folder, |_| {}, plaza_manager::Clock::System)
            .await;
    let mut client = ParticipationClient::new(&manager.url, &fixture.kiosk.token).expect("client");
    client
        .log_in("Ana", "1357", Uuid::now_v7())
        .await
        .expect("log in again");
    let sent = client.start_thread(board, &draft).await.expect("retried");
    assert_eq!(
        sent.post.body.as_deref(),
        Some("¿A qué hora abre la biblioteca?")
    );
}
