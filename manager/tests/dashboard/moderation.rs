//! The moderation page: a supervisor sees the reported posts of their
//! centres, with text and reports escaped, and hides one with a reason;
//! citizens then see it under review, and the decision is audited.

use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

use crate::common::{board, citizen_at, citizen_thread, csrf_of, fixture, page, signed_in};

#[tokio::test]
async fn a_supervisor_hides_a_reported_post_and_citizens_see_it_under_review() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let north = &fixture.north_kiosk;
    let author = citizen_at(manager, north, "Vecina").await;
    let reader = citizen_at(manager, north, "Lector").await;
    let board = board(manager).await;
    let (thread, _) = citizen_thread(manager, north, &author, board, "Hola").await;
    let reply: Value = manager
        .client
        .post(manager.url(&format!("/api/v1/forums/threads/{thread}/posts")))
        .bearer_auth(&north.1)
        .header(CITIZEN_TOKEN_HEADER, &author)
        .json(&json!({"body": "Las farolas <b>no</b> funcionan"}))
        .send()
        .await
        .expect("reply")
        .json()
        .await
        .expect("post");
    let post = reply["id"].as_i64().expect("post id");
    let reported = manager
        .client
        .post(manager.url(&format!("/api/v1/forums/posts/{post}/reports")))
        .bearer_auth(&north.1)
        .header(CITIZEN_TOKEN_HEADER, &reader)
        .json(&json!({"reason": "other", "details": "<script>alert(1)</script>"}))
        .send()
        .await
        .expect("report");
    assert_eq!(reported.status(), StatusCode::CREATED);

    // The supervisor of another centre sees nothing and cannot act on it.
    let sol = signed_in(manager, "sol").await;
    let (status, elsewhere) = page(&sol, manager, "/dashboard/moderation").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!elsewhere.contains("farolas"), "{elsewhere}");
    let refused = sol
        .post(manager.url(&format!("/dashboard/moderation/posts/{post}")))
        .form(&[
            ("csrf", csrf_of(&elsewhere).as_str()),
            ("action", "hide"),
            ("reason", "no"),
        ])
        .send()
        .await
        .expect("decide");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    let sam = signed_in(manager, "sam").await;
    let (status, queue) = page(&sam, manager, "/dashboard/moderation").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        queue.contains("Las farolas &lt;b&gt;no&lt;/b&gt; funcionan"),
        "{queue}"
    );
    assert!(
        queue.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{queue}"
    );
    assert!(!queue.contains("<script>alert"), "{queue}");
    assert!(queue.contains("Vecina") && queue.contains("Biblioteca Norte"));
    let csrf = csrf_of(&queue);
    let decide = |fields: Vec<(&'static str, String)>| {
        sam.post(manager.url(&format!("/dashboard/moderation/posts/{post}")))
            .form(&fields)
            .send()
    };

    let forged = decide(vec![
        ("csrf", "forged".to_owned()),
        ("action", "hide".to_owned()),
        ("reason", "Lenguaje".to_owned()),
    ])
    .await
    .expect("forged");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let no_reason = decide(vec![
        ("csrf", csrf.clone()),
        ("action", "hide".to_owned()),
        ("reason", "  ".to_owned()),
    ])
    .await
    .expect("no reason");
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .text()
            .await
            .expect("page")
            .contains("Give a reason")
    );

    let hidden = decide(vec![
        ("csrf", csrf.clone()),
        ("action", "hide".to_owned()),
        ("reason", "Datos personales de un vecino".to_owned()),
    ])
    .await
    .expect("hide");
    assert_eq!(hidden.status(), StatusCode::SEE_OTHER);
    let back = hidden.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let (_, after) = page(&sam, manager, &back).await;
    assert!(after.contains(&format!("Post {post} hidden.")), "{after}");
    assert!(
        after.contains("Hidden: Datos personales de un vecino"),
        "{after}"
    );

    let thread_as = |citizen: String| {
        manager
            .client
            .get(manager.url(&format!("/api/v1/forums/threads/{thread}")))
            .bearer_auth(&north.1)
            .header(CITIZEN_TOKEN_HEADER, citizen)
            .send()
    };
    let seen: Value = thread_as(reader.clone())
        .await
        .expect("thread")
        .json()
        .await
        .expect("json");
    assert_eq!(seen["posts"][1]["status"], "under_review", "{seen}");
    assert_eq!(seen["posts"][1]["body"], Value::Null, "{seen}");
    let own: Value = thread_as(author.clone())
        .await
        .expect("thread")
        .json()
        .await
        .expect("json");
    assert_eq!(own["posts"][1]["status"], "hidden", "{own}");
    assert_eq!(
        own["posts"][1]["moderation_note"], "Datos personales de un vecino",
        "{own}"
    );

    // Audited, and deleting it for good also goes through.
    let admin = signed_in(manager, "admin").await;
    let (_, audit) = page(&admin, manager, "/dashboard/audit").await;
    assert!(audit.contains("post.hide") && audit.contains(&format!("post:{post}")));
    let deleted = decide(vec![
        ("csrf", csrf),
        ("action", "delete".to_owned()),
        ("reason", "Datos personales".to_owned()),
    ])
    .await
    .expect("delete");
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (_, empty) = page(&sam, manager, "/dashboard/moderation").await;
    assert!(empty.contains("Nothing is waiting.") && empty.contains("No hidden posts."));
    // Analysts do not moderate.
    let (status, _) = page(
        &signed_in(manager, "ana").await,
        manager,
        "/dashboard/moderation",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
