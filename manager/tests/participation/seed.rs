//! The seed content in `assets/content/participation.json` loads, and makes
//! a demo worth showing: boards in Spanish and English, 8+ communities with
//! announcements and events, demo accounts that can log in.

use plaza_api::participation::communities::{CommunityDetail, CommunityList};
use plaza_api::participation::forums::{BoardKind, BoardList, ThreadPage};
use plaza_api::session::Language;
use plaza_manager::participation::seed;

use crate::common::{As, Fixture};

const SEED: &str = include_str!("../../../assets/content/participation.json");
const DEMO_PIN: &str = "2580";

#[tokio::test]
async fn the_seed_content_loads_once_and_is_usable() {
    let fixture = Fixture::start().await;
    let storage = &fixture.manager.state.storage;
    let counts = seed::load(storage, SEED, fixture.manager.now(), DEMO_PIN)
        .await
        .expect("seed loads")
        .expect("first load seeds");
    assert!(counts.communities >= 8, "{counts:?}");
    assert!(counts.posts >= 30, "{counts:?}");
    let again = seed::load(storage, SEED, fixture.manager.now(), DEMO_PIN)
        .await
        .expect("seed loads");
    assert_eq!(again, None, "a second load changes nothing");

    let boards: BoardList = fixture
        .get(As::Kiosk, "/forums/boards")
        .await
        .json()
        .await
        .expect("boards");
    for language in [Language::Es, Language::En] {
        assert!(
            boards
                .boards
                .iter()
                .any(|board| board.language == Some(language) && board.thread_count > 0),
            "a board in {language} with threads"
        );
    }
    assert!(
        boards
            .boards
            .iter()
            .any(|board| board.kind == BoardKind::Neighbourhood)
    );
    let first = &boards.boards[0];
    let page: ThreadPage = fixture
        .get(As::Kiosk, &format!("/forums/boards/{}/threads", first.id))
        .await
        .json()
        .await
        .expect("threads");
    assert_eq!(page.threads.len() as u64, first.thread_count);
    assert!(
        page.threads
            .windows(2)
            .all(|pair| pair[0].last_activity_at >= pair[1].last_activity_at)
    );
    assert!(
        page.threads.iter().any(|thread| thread.author.official),
        "staff answer in the seed"
    );

    let communities: CommunityList = fixture
        .get(As::Kiosk, "/communities")
        .await
        .json()
        .await
        .expect("communities");
    assert!(communities.communities.len() >= 8);
    for community in &communities.communities {
        let detail: CommunityDetail = fixture
            .get(As::Kiosk, &format!("/communities/{}", community.id))
            .await
            .json()
            .await
            .expect("detail");
        assert!(
            !detail.announcements.is_empty(),
            "{} has announcements",
            community.name
        );
        assert!(
            !detail.events.is_empty(),
            "{} has upcoming events",
            community.name
        );
        assert!(
            !detail.coordinators.is_empty(),
            "{} has a coordinator",
            community.name
        );
        assert!(community.member_count >= 1);
    }
    assert!(
        communities
            .communities
            .iter()
            .any(|community| community.requires_approval)
    );

    // Demo accounts log in with the demo PIN, and coordinators coordinate.
    let login = fixture.log_in("marta_laloma", DEMO_PIN).await;
    assert_eq!(login.status(), 200);
    let login: plaza_api::participation::accounts::CitizenLogin =
        login.json().await.expect("login");
    assert_eq!(login.citizen.coordinates.len(), 1);
}

#[tokio::test]
async fn bad_seed_content_is_refused_whole() {
    let fixture = Fixture::start().await;
    let storage = &fixture.manager.state.storage;
    let unknown_author = r#"{"citizens": ["Ana"], "boards": [{"kind": "topic", "title": "Tema",
        "description": "d", "threads": [{"title": "Un hilo", "posts": [
        {"author": "Nadie", "body": "Hola", "hours_ago": 1}]}]}], "communities": []}"#;
    let error = seed::load(storage, unknown_author, fixture.manager.now(), DEMO_PIN)
        .await
        .expect_err("unknown author");
    assert!(error.to_string().contains("Nadie"), "{error}");
    let typo = r#"{"citizens": [], "boards": [], "communities": [], "extra": 1}"#;
    assert!(
        seed::load(storage, typo, fixture.manager.now(), DEMO_PIN)
            .await
            .is_err()
    );
    let boards: BoardList = fixture
        .get(As::Kiosk, "/forums/boards")
        .await
        .json()
        .await
        .expect("boards");
    assert!(boards.boards.is_empty(), "nothing half-loaded");
}
