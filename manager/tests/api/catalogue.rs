//! Catalogues: import, search over HTTP, admin writes, and the kiosks' sync.

use std::path::{Path, PathBuf};

use plaza_api::catalogue::{CatalogueResults, CatalogueSync, CatalogueWritten, Procedure};
use plaza_api::heartbeat::KioskState;
use plaza_api::staff::Role;
use plaza_manager::catalogue::import::{ImportError, import_file};
use plaza_manager::testing::TestManager;
use serde_json::{Value, json};

use crate::common::{error_code, heartbeat, heartbeat_ok, manager_with_kiosk};

fn procedure(id: &str, title_es: &str, title_en: &str, category: &str) -> Value {
    json!({
        "id": id,
        "slug": id,
        "title": {"es": title_es, "en": title_en},
        "summary": {"es": format!("{title_es}: requisitos, costo y dónde hacerlo.")},
        "category": category,
        "audience": ["residents"],
        "requirements": [
            {"kind": "document", "title": {"es": "DNI original", "en": "Original ID card"}},
            {"kind": "condition", "title": {"es": "Ser mayor de 17 años"}, "notes": {"es": "Con autorización desde los 16."}}
        ],
        "cost": {"kind": "fixed", "amount_minor": 1_250_000, "currency": "ARS"},
        "channels": [{"kind": "in_person"}, {"kind": "online", "url": "https://turnos.example.gob.ar"}],
        "offices": [{
            "name": "Centro de Atención Ciudadana",
            "address": "Av. San Martín 250",
            "neighbourhood": "Centro",
            "hours": [{"weekday": "monday", "opens": "07:30", "closes": "13:30"}]
        }],
        "processing_time": {"es": "En el día", "en": "The same day"},
        "steps": [{"es": "Pedir turno"}, {"es": "Presentarse con los requisitos"}],
        "agency": "Dirección de Tránsito",
        "last_reviewed": "2026-10-01"
    })
}

fn write_file(manager: &TestManager, name: &str, records: &Value) -> PathBuf {
    let path = manager.folder.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(records).expect("json")).expect("write");
    path
}

async fn import(manager: &TestManager, path: &Path) -> Result<u64, ImportError> {
    import_file::<Procedure>(&manager.state.storage, path, false, "test", manager.now())
        .await
        .map(|report| report.content_version)
}

async fn search(manager: &TestManager, query: &str) -> CatalogueResults {
    let response = manager
        .client
        .get(manager.url(&format!("/api/v1/procedures?{query}")))
        .send()
        .await
        .expect("search");
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("results")
}

async fn sync(manager: &TestManager, since: u64) -> CatalogueSync {
    manager
        .client
        .get(manager.url(&format!("/api/v1/catalogue?since_version={since}")))
        .send()
        .await
        .expect("sync")
        .json()
        .await
        .expect("sync body")
}

fn seed() -> Value {
    json!([
        procedure(
            "licencia-conducir",
            "Licencia de conducir",
            "Driving licence",
            "driving_licence"
        ),
        procedure(
            "partida-nacimiento",
            "Partida de nacimiento",
            "Birth certificate",
            "civil_registry"
        ),
        procedure(
            "habilitacion-comercial",
            "Habilitación comercial",
            "Business permit",
            "business"
        ),
    ])
}

#[tokio::test]
async fn importing_twice_changes_nothing_and_a_bad_file_changes_nothing() {
    let (manager, kiosk, token) = manager_with_kiosk().await;
    // Remembered by the manager: the import must make it forget this reply.
    let before = heartbeat_ok(&manager, kiosk, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(before.content_version, 0);
    let path = write_file(&manager, "procedures.json", &seed());
    assert_eq!(import(&manager, &path).await.expect("import"), 1);
    assert_eq!(
        import(&manager, &path).await.expect("re-import"),
        1,
        "same file, same version"
    );
    let reply = heartbeat_ok(&manager, kiosk, &token, &heartbeat(KioskState::Idle)).await;
    assert_eq!(reply.content_version, 1);

    // A good record changed and a bad one added: neither lands.
    let mut records = seed();
    records[0]["title"]["es"] = json!("Licencia de conducir (nueva)");
    let mut bad = procedure("sin-oficina", "Sin oficina", "No office", "health");
    bad["offices"] = json!([]);
    records.as_array_mut().expect("array").push(bad);
    let path = write_file(&manager, "bad.json", &records);
    let error = import(&manager, &path).await.expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("nothing changed"), "{message}");
    assert!(message.contains("record 4, id `sin-oficina`"), "{message}");
    assert!(
        message.contains("an in-person procedure needs at least one office"),
        "{message}"
    );
    assert_eq!(
        manager
            .state
            .storage
            .content_version()
            .await
            .expect("version"),
        1
    );
    let stored: Procedure = manager
        .state
        .storage
        .catalogue_record("licencia-conducir".to_owned())
        .await
        .expect("stored");
    assert_eq!(stored.title.0["es"], "Licencia de conducir");
}

#[tokio::test]
async fn search_over_http_folds_accents_filters_and_falls_back_to_spanish() {
    let manager = TestManager::start().await;
    let path = write_file(&manager, "procedures.json", &seed());
    import(&manager, &path).await.expect("import");

    let found = search(&manager, "q=habilitacion").await;
    assert_eq!(found.results[0].id, "habilitacion-comercial");
    assert_eq!(found.results[0].title, "Habilitación comercial");

    let found = search(&manager, "q=licencia%20conducir").await;
    assert_eq!(found.results[0].id, "licencia-conducir");

    let found = search(&manager, "q=licensia").await;
    assert!(found.corrected, "{found:?}");
    assert_eq!(found.results[0].id, "licencia-conducir");

    let found = search(&manager, "q=&category=civil_registry&lang=en").await;
    assert_eq!(found.results.len(), 1);
    assert_eq!(found.results[0].title, "Birth certificate");
    assert_eq!(
        found.results[0].summary, "Partida de nacimiento: requisitos, costo y dónde hacerlo.",
        "no English summary: Spanish"
    );

    for hostile in ["%22", "*", "NEAR(", "-", "OR", "a%20OR%20b", "%22licencia*"] {
        search(&manager, &format!("q={hostile}")).await;
    }

    let response = manager
        .client
        .get(manager.url("/api/v1/procedures?category=spaceships"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 422);
    assert_eq!(error_code(response).await, "invalid");

    let response = manager
        .client
        .get(manager.url("/api/v1/procedures/partida-nacimiento"))
        .send()
        .await
        .expect("get");
    let record: Procedure = response.json().await.expect("procedure");
    assert_eq!(record.requirements.len(), 2);
    let response = manager
        .client
        .get(manager.url("/api/v1/procedures/nope"))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn writes_need_an_admin_bump_the_version_and_are_audited() {
    let manager = TestManager::start().await;
    let admin = manager.staff_token(Role::Admin).await;
    let supervisor = manager.staff_token(Role::Supervisor).await;
    let record = procedure(
        "licencia-conducir",
        "Licencia de conducir",
        "Driving licence",
        "driving_licence",
    );
    let url = manager.url("/api/v1/procedures");

    let anonymous = manager
        .client
        .post(&url)
        .json(&record)
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 401);
    let forbidden = manager
        .client
        .post(&url)
        .bearer_auth(&supervisor)
        .json(&record)
        .send()
        .await
        .expect("post");
    assert_eq!(forbidden.status(), 403);

    let created = manager
        .client
        .post(&url)
        .bearer_auth(&admin)
        .json(&record)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 201);
    let created: CatalogueWritten = created.json().await.expect("written");
    assert_eq!(created.content_version, 1);

    let again = manager
        .client
        .post(&url)
        .bearer_auth(&admin)
        .json(&record)
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 409);

    let mut typo = record.clone();
    typo["titel"] = json!("x");
    let invalid = manager
        .client
        .post(&url)
        .bearer_auth(&admin)
        .json(&typo)
        .send()
        .await
        .expect("post");
    assert_eq!(invalid.status(), 422);

    let mut changed = record.clone();
    changed["title"]["es"] = json!("Licencia de conducir: renovación");
    let item = manager.url("/api/v1/procedures/licencia-conducir");
    let updated: CatalogueWritten = manager
        .client
        .put(&item)
        .bearer_auth(&admin)
        .json(&changed)
        .send()
        .await
        .expect("put")
        .json()
        .await
        .expect("written");
    assert_eq!(updated.content_version, 2);

    let deleted = manager
        .client
        .delete(&item)
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), 200);
    let gone = manager
        .client
        .delete(&item)
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");
    assert_eq!(gone.status(), 404);
    assert_eq!(
        manager
            .state
            .storage
            .content_version()
            .await
            .expect("version"),
        3
    );

    let audit = manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions,
        ["catalogue.delete", "catalogue.update", "catalogue.create"]
    );
    assert_eq!(
        audit[0].target.as_deref(),
        Some("procedures/licencia-conducir")
    );
    assert_eq!(audit[0].actor, "test-admin");
}

#[tokio::test]
async fn sync_sends_everything_then_only_what_changed() {
    let manager = TestManager::start().await;
    let admin = manager.staff_token(Role::Admin).await;
    let path = write_file(&manager, "procedures.json", &seed());
    import(&manager, &path).await.expect("import");

    let full = sync(&manager, 0).await;
    assert!(full.full);
    assert_eq!((full.version, full.procedures.len()), (1, 3));

    let nothing = sync(&manager, 1).await;
    assert!(!nothing.full);
    assert!(nothing.procedures.is_empty() && nothing.deleted.is_empty());

    let mut changed = procedure(
        "partida-nacimiento",
        "Partida de nacimiento",
        "Birth certificate",
        "civil_registry",
    );
    changed["cost"] = json!({"kind": "free"});
    manager
        .client
        .put(manager.url("/api/v1/procedures/partida-nacimiento"))
        .bearer_auth(&admin)
        .json(&changed)
        .send()
        .await
        .expect("put");
    manager
        .client
        .delete(manager.url("/api/v1/procedures/habilitacion-comercial"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("delete");

    let since_one = sync(&manager, 1).await;
    assert!(!since_one.full);
    assert_eq!(since_one.version, 3);
    let ids: Vec<&str> = since_one
        .procedures
        .iter()
        .map(|record| record.id.as_str())
        .collect();
    assert_eq!(ids, ["partida-nacimiento"]);
    assert_eq!(since_one.deleted.len(), 1);
    assert_eq!(since_one.deleted[0].id, "habilitacion-comercial");

    let since_two = sync(&manager, 2).await;
    assert!(since_two.procedures.is_empty());
    assert_eq!(since_two.deleted.len(), 1);

    // A copy from another database (ahead of this one) starts over.
    let ahead = sync(&manager, 99).await;
    assert!(ahead.full);
    assert_eq!(ahead.procedures.len(), 2);
    assert!(ahead.deleted.is_empty());
}

fn seed_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assets/content")
        .join(name)
}

/// The demo's content: imports cleanly, is as broad as promised, and
/// searches like a citizen would.
#[tokio::test]
async fn the_seed_content_imports_and_is_broad_enough() {
    use std::collections::BTreeSet;

    use plaza_api::catalogue::{Network, Tender, TenderStatus};

    let manager = TestManager::start().await;
    let storage = &manager.state.storage;
    let now = manager.now();
    let procedures =
        import_file::<Procedure>(storage, &seed_file("procedures.json"), false, "test", now)
            .await
            .expect("procedures.json");
    let tenders = import_file::<Tender>(storage, &seed_file("tenders.json"), false, "test", now)
        .await
        .expect("tenders.json");
    let networks = import_file::<Network>(storage, &seed_file("networks.json"), false, "test", now)
        .await
        .expect("networks.json");
    assert!(procedures.created >= 60, "{procedures:?}");
    assert!(tenders.created >= 15, "{tenders:?}");
    assert!(networks.created >= 10, "{networks:?}");
    assert_eq!(networks.content_version, 3);

    let all: Vec<Procedure> = storage.catalogue_records().await.expect("procedures");
    let categories: BTreeSet<_> = all.iter().map(|record| record.category.as_str()).collect();
    assert!(categories.len() >= 10, "{categories:?}");
    for record in &all {
        assert!(
            record.title.0.contains_key("en"),
            "{} has no English title",
            record.id
        );
        assert!(
            !record.requirements.is_empty() || record.id.starts_with("reclamo"),
            "{}",
            record.id
        );
    }
    let tenders: Vec<Tender> = storage.catalogue_records().await.expect("tenders");
    let statuses: BTreeSet<_> = tenders
        .iter()
        .map(|record| record.status.as_str())
        .collect();
    assert_eq!(statuses.len(), TenderStatus::ALL.len(), "{statuses:?}");

    let found = search(&manager, "q=licencia%20conducir").await;
    let top: BTreeSet<&str> = found.results[..2]
        .iter()
        .map(|hit| hit.id.as_str())
        .collect();
    assert_eq!(
        top,
        BTreeSet::from(["licencia-conducir-original", "licencia-conducir-renovacion"]),
        "{found:?}"
    );
    let found = search(&manager, "q=partida%20nacimiento&lang=en").await;
    assert_eq!(found.results[0].title, "Birth certificate");

    // Importing the same files again changes nothing.
    let again =
        import_file::<Procedure>(storage, &seed_file("procedures.json"), false, "test", now)
            .await
            .expect("again");
    assert_eq!(
        (again.created, again.updated, again.content_version),
        (0, 0, 3)
    );
}

/// The document gives `limit` as 1 to 200 and versions as stored integers;
/// the server used to clamp a `limit` and take any version without a word.
#[tokio::test]
async fn a_limit_or_version_out_of_the_documented_range_is_refused() {
    let (manager, _, _) = manager_with_kiosk().await;
    for query in [
        "/api/v1/procedures?limit=201",
        "/api/v1/tenders?limit=0",
        "/api/v1/networks?limit=4294967295",
        "/api/v1/catalogue?since_version=9223372036854775808",
    ] {
        let response = manager
            .client
            .get(manager.url(query))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 422, "{query}");
        assert_eq!(error_code(response).await, "invalid", "{query}");
    }
    for query in [
        "/api/v1/procedures?limit=200",
        "/api/v1/catalogue?since_version=9223372036854775807",
    ] {
        let response = manager
            .client
            .get(manager.url(query))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{query}");
    }
}
