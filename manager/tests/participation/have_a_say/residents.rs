//! Point 1: a supervisor verifies a resident after seeing their ID; only a
//! keyed hash of the document is kept, and it refuses a second account.

use plaza_manager::storage::audit::AuditEntry;
use reqwest::Method;

use crate::common::{As, CENTRE, Fixture, error_code};

async fn audit(fixture: &Fixture, action: &str) -> Vec<AuditEntry> {
    fixture
        .manager
        .state
        .storage
        .audit_entries(100)
        .await
        .expect("audit")
        .into_iter()
        .filter(|entry| entry.action == action)
        .collect()
}

#[tokio::test]
async fn one_document_verifies_one_account_and_a_revocation_frees_it() {
    let fixture = Fixture::start().await;
    let admin = fixture.admin().await;
    fixture.sign_up("Vecina_Ana").await;
    fixture.sign_up("Vecina_Bis").await;

    let verified = fixture
        .verify(&admin, "vecina_ana", "20.123.456", "Centro")
        .await;
    assert_eq!(verified.status(), 201);
    let resident: serde_json::Value = verified.json().await.expect("resident");
    assert_eq!(resident["alias"], "Vecina_Ana");
    assert_eq!(resident["neighbourhood"], "Centro");
    assert_eq!(resident["centre"], CENTRE);

    let again = fixture
        .verify(&admin, "Vecina_Ana", "30111222", "Centro")
        .await;
    assert_eq!(again.status(), 409, "the account is verified already");
    // The same digits, typed differently, are the same document.
    let same_document = fixture
        .verify(&admin, "Vecina_Bis", " 20 123 456 ", "La Loma")
        .await;
    assert_eq!(same_document.status(), 409);
    assert_eq!(error_code(same_document).await, "already_verified");

    let short = fixture
        .verify(&admin, "Vecina_Bis", "12-34", "Centro")
        .await;
    assert_eq!(error_code(short).await, "invalid_document_number");
    let nowhere = fixture
        .verify(&admin, "Vecina_Bis", "40111222", "Atlántida")
        .await;
    assert_eq!(nowhere.status(), 422, "no centre serves that neighbourhood");
    let nobody = fixture
        .verify(&admin, "Nadie_Aqui", "40111222", "Centro")
        .await;
    assert_eq!(nobody.status(), 404);

    let revoke = fixture
        .request(
            As::Staff(&admin),
            Method::DELETE,
            "/participation/residents/VECINA_ANA",
        )
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoke.status(), 204);
    let twice = fixture
        .request(
            As::Staff(&admin),
            Method::DELETE,
            "/participation/residents/vecina_ana",
        )
        .send()
        .await
        .expect("revoke again");
    assert_eq!(twice.status(), 404);
    let moved = fixture
        .verify(&admin, "Vecina_Bis", "20123456", "La Loma")
        .await;
    assert_eq!(
        moved.status(),
        201,
        "a revoked document can verify another account"
    );

    let listed: Vec<serde_json::Value> = fixture
        .get(As::Staff(&admin), "/participation/residents")
        .await
        .json()
        .await
        .expect("residents");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["alias"], "Vecina_Bis");

    // Who and where, in the audit log.
    let verifications = audit(&fixture, "resident.verified").await;
    assert_eq!(verifications.len(), 2);
    assert!(
        verifications
            .iter()
            .all(|entry| entry.actor == "test-admin"),
        "{verifications:?}"
    );
    assert!(
        verifications.iter().all(|entry| entry
            .detail
            .as_deref()
            .is_some_and(|detail| detail.contains(CENTRE))),
        "{verifications:?}"
    );
    let revocations = audit(&fixture, "resident.revoked").await;
    assert_eq!(revocations.len(), 1);
    assert_eq!(revocations[0].target.as_deref(), Some("citizen:Vecina_Ana"));
    assert!(
        revocations[0]
            .detail
            .as_deref()
            .is_some_and(|detail| detail.contains(CENTRE))
    );

    // The key lives in the data folder, private, and not in the database.
    let key = fixture.manager.state.settings.data_dir.join("resident.key");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key)
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn the_document_number_is_nowhere_in_the_database_or_the_audit_log() {
    let fixture = Fixture::start().await;
    let admin = fixture.admin().await;
    fixture.sign_up("Vecino_Doc").await;
    let document = "27.654.321";
    assert_eq!(
        fixture
            .verify(&admin, "Vecino_Doc", document, "Centro")
            .await
            .status(),
        201
    );
    // A refused attempt with the same number, too.
    fixture.sign_up("Vecino_Dos").await;
    assert_eq!(
        fixture
            .verify(&admin, "Vecino_Dos", document, "Centro")
            .await
            .status(),
        409
    );
    for entry in fixture
        .manager
        .state
        .storage
        .audit_entries(1000)
        .await
        .expect("audit")
    {
        let line = format!("{entry:?}");
        assert!(
            !line.contains("27654321") && !line.contains(document),
            "{line}"
        );
    }
    let key =
        std::fs::read(fixture.manager.state.settings.data_dir.join("resident.key")).expect("key");
    let folder = fixture.manager.stop().await;
    for entry in std::fs::read_dir(folder.path()).expect("data folder") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|name| name == "resident.key") || path.is_dir() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        for needle in [b"27654321".as_slice(), document.as_bytes(), key.as_slice()] {
            assert!(
                !bytes.windows(needle.len()).any(|window| window == needle),
                "{} holds the document number or the key",
                path.display()
            );
        }
    }
}
