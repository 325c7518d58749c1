//! The kiosk's copy of the catalogue against a real manager: a first sync
//! brings everything, a change on the manager brings only the change, and
//! a failed sync keeps the copy.

mod common;

use std::path::Path;
use std::time::Duration;

use plaza_api::catalogue::{Network, Procedure, Tender, Text};
use plaza_api::session::Language;
use plaza_api::staff::Role;
use plaza_catalogue::{Filter, Search};
use plaza_kiosk::catalogue::{CATALOGUE_FILE, LocalCatalogue, SyncError};
use plaza_kiosk::link::{ClientError, ManagerClient};
use plaza_manager::catalogue::import::import_file;
use plaza_manager::testing::TestManager;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/content");

async fn manager_with_seed() -> TestManager {
    let manager = TestManager::start().await;
    let storage = &manager.state.storage;
    let now = manager.now();
    let folder = Path::new(SEED);
    import_file::<Procedure>(storage, &folder.join("procedures.json"), false, "test", now)
        .await
        .expect("procedures");
    import_file::<Tender>(storage, &folder.join("tenders.json"), false, "test", now)
        .await
        .expect("tenders");
    import_file::<Network>(storage, &folder.join("networks.json"), false, "test", now)
        .await
        .expect("networks");
    manager
}

fn titles(copy: &LocalCatalogue, text: &str) -> Vec<String> {
    copy.read(|copy| {
        copy.search::<Procedure>(&Search {
            text: text.to_owned(),
            language: Language::Es,
            filter: Filter::default(),
            limit: 50,
        })
    })
    .expect("search")
    .records
    .iter()
    .map(|procedure| procedure.title.get(Language::Es).to_owned())
    .collect()
}

async fn manager_titles(manager: &TestManager, text: &str) -> Vec<String> {
    let reply: plaza_api::catalogue::CatalogueResults = manager
        .client
        .get(manager.url("/api/v1/procedures"))
        .query(&[("q", text), ("lang", "es")])
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("results");
    reply.results.into_iter().map(|hit| hit.title).collect()
}

#[tokio::test]
async fn the_copy_syncs_in_full_then_only_what_changed() {
    let manager = manager_with_seed().await;
    let client = ManagerClient::new(&manager.url, Duration::from_secs(5)).expect("client");
    let folder = tempfile::tempdir().expect("folder");
    let copy = LocalCatalogue::open(&folder.path().join(CATALOGUE_FILE)).expect("copy");

    let first = copy.sync(&client).await.expect("first sync");
    assert!(first.full);
    assert_eq!(first.from, 0);
    assert!(first.changed >= 60 + 15 + 10, "{first:?}");
    assert_eq!(copy.version(), first.to);
    // Same search, same answer, offline and online.
    for query in ["tramite", "licencia conducir", "partida", "habilitacion"] {
        assert_eq!(
            titles(&copy, query),
            manager_titles(&manager, query).await,
            "{query}"
        );
    }

    // One procedure changes on the manager.
    let token = manager.staff_token(Role::Admin).await;
    let mut procedure: Procedure = manager
        .client
        .get(manager.url("/api/v1/procedures/partida-nacimiento"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("procedure");
    procedure.title = Text::es_en("Partida de nacimiento digital", "Digital birth certificate");
    let response = manager
        .client
        .put(manager.url("/api/v1/procedures/partida-nacimiento"))
        .bearer_auth(&token)
        .json(&procedure)
        .send()
        .await
        .expect("put");
    assert!(response.status().is_success(), "{}", response.status());
    let response = manager
        .client
        .delete(manager.url("/api/v1/networks/red-agua-segura"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("delete");
    assert!(response.status().is_success(), "{}", response.status());

    let second = copy.sync(&client).await.expect("second sync");
    assert!(!second.full, "only the change");
    assert_eq!(second.from, first.to);
    assert_eq!(second.changed, 1);
    assert_eq!(second.deleted, 1);
    assert!(titles(&copy, "digital").contains(&"Partida de nacimiento digital".to_owned()));
    let gone = copy
        .read(|copy| copy.get::<Network>("red-agua-segura"))
        .expect("get");
    assert!(gone.is_none(), "the deletion reached the copy");

    // Nothing changed: nothing comes.
    let third = copy.sync(&client).await.expect("third sync");
    assert_eq!((third.changed, third.deleted), (0, 0));
    assert_eq!(third.to, second.to);
}

#[tokio::test]
async fn a_failed_sync_keeps_the_copy() {
    let manager = manager_with_seed().await;
    let client = ManagerClient::new(&manager.url, Duration::from_secs(5)).expect("client");
    let copy = LocalCatalogue::in_memory().expect("copy");
    let synced = copy.sync(&client).await.expect("sync");
    manager.stop().await;

    let error = copy.sync(&client).await.expect_err("manager gone");
    assert!(
        matches!(error, SyncError::Client(ClientError::Unreachable(_))),
        "{error:?}"
    );
    assert_eq!(copy.version(), synced.to);
    assert!(!titles(&copy, "partida").is_empty(), "still searchable");
}
