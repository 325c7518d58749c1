//! Moderation: the word filter holds posts, three reports hide one, and
//! supervisors approve, hide or delete from the queue, audited. Citizens
//! cannot moderate.

use plaza_api::participation::forums::{
    NewReport, Post, PostStatus, ReportReason, ReportReceipt, ThreadPage, ThreadView,
};
use plaza_api::participation::moderation::{
    ModerationAction, ModerationDecision, ModerationQueue, QueueReason,
};
use plaza_api::staff::Role;

use crate::common::{As, Fixture, error, error_code};

fn decision(action: ModerationAction, reason: Option<&str>) -> ModerationDecision {
    ModerationDecision {
        action,
        reason: reason.map(str::to_owned),
    }
}

async fn view(fixture: &Fixture, who: As<'_>, thread: i64) -> ThreadView {
    fixture
        .get(who, &format!("/forums/threads/{thread}"))
        .await
        .json()
        .await
        .expect("thread view")
}

async fn queue(fixture: &Fixture, token: &str) -> ModerationQueue {
    fixture
        .get(As::Staff(token), "/moderation/queue")
        .await
        .json()
        .await
        .expect("queue")
}

#[tokio::test]
async fn the_word_filter_holds_a_post_until_a_supervisor_approves_it() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let beto = fixture.sign_up("Beto").await;
    let thread = fixture
        .thread_ok(As::Citizen(&ana), board, "Basura en la calle", "Otra vez")
        .await;

    let held = fixture
        .reply_ok(
            As::Citizen(&beto),
            thread.thread.id,
            "Qué M1ERDA de servicio",
        )
        .await;
    assert_eq!(held.status, PostStatus::UnderReview);
    assert_eq!(
        held.body.as_deref(),
        Some("Qué M1ERDA de servicio"),
        "its author still reads it"
    );
    assert!(
        held.moderation_note
            .expect("note")
            .contains("held for review")
    );

    let seen_by_ana = view(&fixture, As::Citizen(&ana), thread.thread.id).await;
    assert_eq!(seen_by_ana.posts[1].status, PostStatus::UnderReview);
    assert_eq!(seen_by_ana.posts[1].body, None);
    assert_eq!(seen_by_ana.posts[1].moderation_note, None);
    assert_eq!(seen_by_ana.thread.post_count, 1, "held posts do not count");

    // A thread whose first post is held is listed to its author only.
    let held_thread = fixture
        .thread_ok(As::Citizen(&beto), board, "Gilipollas todos", "Eso")
        .await;
    assert_eq!(held_thread.thread.status, PostStatus::UnderReview);
    let listed = |page: ThreadPage| {
        page.threads
            .iter()
            .any(|thread| thread.id == held_thread.thread.id)
    };
    let for_ana: ThreadPage = fixture
        .get(
            As::Citizen(&ana),
            &format!("/forums/boards/{board}/threads"),
        )
        .await
        .json()
        .await
        .expect("page");
    let for_beto: ThreadPage = fixture
        .get(
            As::Citizen(&beto),
            &format!("/forums/boards/{board}/threads"),
        )
        .await
        .json()
        .await
        .expect("page");
    assert!(!listed(for_ana));
    assert!(listed(for_beto));
    assert_eq!(
        fixture
            .get(
                As::Citizen(&ana),
                &format!("/forums/threads/{}", held_thread.thread.id)
            )
            .await
            .status(),
        404
    );
    assert_eq!(
        fixture
            .reply(As::Citizen(&ana), held_thread.thread.id, "Hola")
            .await
            .status(),
        404,
        "nobody else can reply to a thread they cannot see"
    );

    let supervisor = fixture.staff(Role::Supervisor).await;
    let items = queue(&fixture, &supervisor).await.items;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].post_id, held.id);
    assert_eq!(items[0].reason, QueueReason::WordFilter);
    assert_eq!(items[0].filtered_words, ["mierda"]);
    assert_eq!(items[0].body, "Qué M1ERDA de servicio");
    assert_eq!(items[0].author, "Beto");

    let approved = fixture
        .post(
            As::Staff(&supervisor),
            &format!("/moderation/posts/{}", held.id),
            &decision(ModerationAction::Approve, None),
        )
        .await;
    assert_eq!(approved.status(), 200);
    let seen_by_ana = view(&fixture, As::Citizen(&ana), thread.thread.id).await;
    assert_eq!(seen_by_ana.posts[1].status, PostStatus::Published);
    assert_eq!(
        seen_by_ana.posts[1].body.as_deref(),
        Some("Qué M1ERDA de servicio")
    );
    assert_eq!(seen_by_ana.thread.post_count, 2);
    assert_eq!(queue(&fixture, &supervisor).await.items.len(), 1);
}

#[tokio::test]
async fn three_reports_hide_a_post_and_a_supervisor_decides() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let thread = fixture
        .thread_ok(As::Citizen(&ana), board, "Vendo cosas", "Escribidme")
        .await;
    let post_id = thread.post.id;
    let report_path = format!("/forums/posts/{post_id}/reports");
    let mut receipts = Vec::new();
    for (alias, reason) in [
        ("Beto", ReportReason::Spam),
        ("Carla", ReportReason::OffTopic),
        ("Dani", ReportReason::Other),
    ] {
        let reporter = fixture.sign_up(alias).await;
        let report = NewReport {
            reason,
            details: (reason == ReportReason::Other).then(|| "Es publicidad".to_owned()),
        };
        let receipt: ReportReceipt = fixture
            .post(As::Citizen(&reporter), &report_path, &report)
            .await
            .json()
            .await
            .expect("receipt");
        receipts.push(receipt.hidden_for_review);
        if receipts.len() == 1 {
            let items = queue(&fixture, &fixture.staff(Role::Admin).await)
                .await
                .items;
            assert_eq!(
                items[0].reason,
                QueueReason::Reported,
                "reported, still visible"
            );
        }
    }
    assert_eq!(receipts, [false, false, true]);

    // The first post is hidden, so is its thread, to everybody but its author.
    let for_others = fixture
        .get(As::Kiosk, &format!("/forums/threads/{}", thread.thread.id))
        .await;
    assert_eq!(for_others.status(), 404);
    assert_eq!(error_code(for_others).await, "under_review");
    let for_ana = view(&fixture, As::Citizen(&ana), thread.thread.id).await;
    assert_eq!(for_ana.posts[0].status, PostStatus::UnderReview);
    assert_eq!(for_ana.posts[0].body.as_deref(), Some("Escribidme"));

    let supervisor = fixture.staff(Role::Supervisor).await;
    let items = queue(&fixture, &supervisor).await.items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].reason, QueueReason::Reports);
    assert_eq!(items[0].reports.len(), 3);
    assert_eq!(
        items[0].reports[2].details.as_deref(),
        Some("Es publicidad")
    );

    let decide_path = format!("/moderation/posts/{post_id}");
    let no_reason = fixture
        .post(
            As::Staff(&supervisor),
            &decide_path,
            &decision(ModerationAction::Hide, None),
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let hidden = fixture
        .post(
            As::Staff(&supervisor),
            &decide_path,
            &decision(
                ModerationAction::Hide,
                Some("Publicidad: usa el tablón de anuncios"),
            ),
        )
        .await;
    assert_eq!(hidden.status(), 200);
    assert!(queue(&fixture, &supervisor).await.items.is_empty());

    let for_ana: Post = view(&fixture, As::Citizen(&ana), thread.thread.id)
        .await
        .posts
        .remove(0);
    assert_eq!(for_ana.status, PostStatus::Hidden);
    assert_eq!(
        for_ana.moderation_note.as_deref(),
        Some("Publicidad: usa el tablón de anuncios")
    );
    let deleted: Post = fixture
        .post(
            As::Staff(&supervisor),
            &decide_path,
            &decision(ModerationAction::Delete, Some("Spam repetido")),
        )
        .await
        .json()
        .await
        .expect("deleted");
    assert_eq!(deleted.status, PostStatus::Deleted);
    let again = fixture
        .post(
            As::Staff(&supervisor),
            &decide_path,
            &decision(ModerationAction::Approve, None),
        )
        .await;
    assert_eq!(again.status(), 409);

    let audit = fixture
        .manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    let actions: Vec<_> = audit
        .iter()
        .filter(|entry| entry.target.as_deref() == Some(&format!("post:{post_id}")))
        .map(|entry| {
            (
                entry.action.as_str(),
                entry.actor.as_str(),
                entry.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("post.delete", "test-supervisor", Some("Spam repetido")),
            (
                "post.hide",
                "test-supervisor",
                Some("Publicidad: usa el tablón de anuncios")
            ),
        ]
    );
}

#[tokio::test]
async fn only_supervisors_moderate() {
    let fixture = Fixture::start().await;
    let board = fixture.board("Barrio").await;
    let ana = fixture.sign_up("Ana").await;
    let thread = fixture
        .thread_ok(As::Citizen(&ana), board, "Hola vecinos", "Buenas")
        .await;
    let decide_path = format!("/moderation/posts/{}", thread.post.id);
    let approve = decision(ModerationAction::Delete, Some("porque sí"));

    let as_citizen = fixture
        .post(As::Citizen(&ana), &decide_path, &approve)
        .await;
    assert_eq!(
        as_citizen.status(),
        401,
        "a kiosk token is not a staff token"
    );
    assert_eq!(
        fixture
            .get(As::Citizen(&ana), "/moderation/queue")
            .await
            .status(),
        401
    );
    let analyst = fixture.staff(Role::Analyst).await;
    let as_analyst = fixture
        .post(As::Staff(&analyst), &decide_path, &approve)
        .await;
    assert_eq!(as_analyst.status(), 403);
    assert_eq!(error_code(as_analyst).await, "forbidden");
    let missing = fixture
        .post(
            As::Staff(&fixture.staff(Role::Admin).await),
            "/moderation/posts/9999",
            &approve,
        )
        .await;
    assert_eq!(missing.status(), 404);
    let (_, message) = error(missing).await;
    assert!(message.contains("no such post"));
    assert_eq!(
        view(&fixture, As::Kiosk, thread.thread.id).await.posts[0].status,
        PostStatus::Published
    );
}
