//! The kiosk's offline copy against a real manager: after a full sync and
//! after incremental ones, the copy holds exactly the manager's catalogue and
//! every search returns the same results offline as online.

use std::path::Path;

use plaza_api::catalogue::{CatalogueResults, CatalogueSync, Network, Procedure, Tender};
use plaza_api::session::Language;
use plaza_api::staff::Role;
use plaza_catalogue::Search;
use plaza_catalogue::offline::OfflineCatalogue;
use plaza_catalogue::store::Filter;
use plaza_manager::catalogue::import::import_file;
use plaza_manager::testing::TestManager;

const QUERIES: &[(&str, Language)] = &[
    ("licencia conducir", Language::Es),
    ("tramite", Language::Es),
    ("partida nacim", Language::Es),
    ("lisencia", Language::Es),
    ("birth", Language::En),
    ("partida", Language::En),
    ("habilitacion comercial", Language::Es),
    ("NEAR(\"-*", Language::Es),
    ("como hago para sacar la licencia", Language::Es),
    ("", Language::En),
];

async fn fetch(manager: &TestManager, since: u64) -> CatalogueSync {
    manager
        .client
        .get(manager.url(&format!("/api/v1/catalogue?since_version={since}")))
        .send()
        .await
        .expect("sync request")
        .json()
        .await
        .expect("sync reply")
}

async fn sync(manager: &TestManager, copy: &mut OfflineCatalogue) -> CatalogueSync {
    let reply = fetch(manager, copy.version().expect("version")).await;
    copy.apply(&reply).expect("apply");
    reply
}

async fn assert_same_everywhere(manager: &TestManager, copy: &OfflineCatalogue) {
    let storage = &manager.state.storage;
    let online: Vec<Procedure> = storage.catalogue_records().await.expect("procedures");
    let offline: Vec<Procedure> = copy.list(&Filter::default(), u32::MAX).expect("copy");
    assert_eq!(offline, online);
    let online: Vec<Tender> = storage.catalogue_records().await.expect("tenders");
    assert_eq!(
        copy.list::<Tender>(&Filter::default(), u32::MAX)
            .expect("copy"),
        online
    );
    let online: Vec<Network> = storage.catalogue_records().await.expect("networks");
    assert_eq!(
        copy.list::<Network>(&Filter::default(), u32::MAX)
            .expect("copy"),
        online
    );

    for (text, language) in QUERIES {
        let online: CatalogueResults = manager
            .client
            .get(manager.url("/api/v1/procedures"))
            .query(&[("q", *text), ("lang", language.as_str()), ("limit", "20")])
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("results");
        let offline = copy
            .search::<Procedure>(&Search {
                text: (*text).to_owned(),
                language: *language,
                filter: Filter::default(),
                limit: 20,
            })
            .expect("offline search");
        let online_ids: Vec<&str> = online.results.iter().map(|hit| hit.id.as_str()).collect();
        let offline_ids: Vec<&str> = offline
            .records
            .iter()
            .map(|record| record.id.as_str())
            .collect();
        assert_eq!(offline_ids, online_ids, "{text:?} in {language}");
        assert_eq!(offline.corrected, online.corrected_query, "{text:?}");
    }
}

#[tokio::test]
async fn the_offline_copy_equals_the_manager_after_full_and_incremental_syncs() {
    let manager = TestManager::start().await;
    let storage = &manager.state.storage;
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/content");
    let now = manager.now();
    import_file::<Procedure>(
        storage,
        &content.join("procedures.json"),
        false,
        "test",
        now,
    )
    .await
    .expect("procedures");
    import_file::<Tender>(storage, &content.join("tenders.json"), false, "test", now)
        .await
        .expect("tenders");
    import_file::<Network>(storage, &content.join("networks.json"), false, "test", now)
        .await
        .expect("networks");

    let folder = tempfile::tempdir().expect("folder");
    let mut copy = OfflineCatalogue::open(&folder.path().join("catalogue.sqlite3")).expect("copy");
    let first = sync(&manager, &mut copy).await;
    assert!(first.full);
    assert_eq!(copy.version().expect("version"), 3);
    assert_same_everywhere(&manager, &copy).await;

    // An admin edits one procedure and removes a tender.
    let admin = manager.staff_token(Role::Admin).await;
    let mut licence: Procedure = storage
        .catalogue_record("licencia-conducir-original".to_owned())
        .await
        .expect("licence");
    licence.title.0.insert(
        "es".to_owned(),
        "Licencia de conducir: trámite por primera vez".to_owned(),
    );
    let response = manager
        .client
        .put(manager.url("/api/v1/procedures/licencia-conducir-original"))
        .bearer_auth(&admin)
        .json(&licence)
        .send()
        .await
        .expect("update");
    assert_eq!(response.status(), 200);
    let response = manager
        .client
        .delete(manager.url("/api/v1/tenders/lp-2026-008"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), 200);

    let second = sync(&manager, &mut copy).await;
    assert!(!second.full, "only what changed");
    assert_eq!((second.procedures.len(), second.deleted.len()), (1, 1));
    assert_eq!(copy.version().expect("version"), 5);
    assert!(copy.get::<Tender>("lp-2026-008").expect("get").is_none());
    assert_same_everywhere(&manager, &copy).await;

    // Nothing new: an empty reply, the copy unchanged.
    let third = sync(&manager, &mut copy).await;
    assert!(third.procedures.is_empty() && third.deleted.is_empty());
    assert_same_everywhere(&manager, &copy).await;
}
