//! The kiosk's client calls for requests to the municipality
//! (`plaza_client`'s `service_types`, `file_request`, `follow_request`,
//! `my_requests`) against a real manager: anonymous filing and follow-up
//! by the ticket as typed, then "my requests" after login.

use plaza_api::requests::{NewRequest, RequestStatus};
use plaza_api::session::Language;
use plaza_client::{ClientError, ParticipationClient};

use crate::common::Fixture;

fn request(code: &str) -> NewRequest {
    NewRequest {
        service_code: code.to_owned(),
        description: "El árbol de la esquina está por caerse".to_owned(),
        neighbourhood: "Centro".to_owned(),
        street: Some("Belgrano 300".to_owned()),
        reference: None,
        lat: None,
        lon: None,
    }
}

#[tokio::test]
async fn the_kiosk_client_files_follows_and_lists_requests() {
    let fixture = Fixture::start().await;
    plaza_manager::requests::seed::load(
        &fixture.manager.state.storage,
        plaza_manager::requests::seed::DEMO_SERVICE_TYPES,
    )
    .await
    .expect("seed");
    let mut client =
        ParticipationClient::new(&fixture.manager.url, &fixture.kiosk.token).expect("client");
    let types = client.service_types(Language::En).await.expect("types");
    assert!(
        types
            .services
            .iter()
            .any(|service| service.name == "Fallen or dangerous tree")
    );

    let anonymous = client
        .file_request(&request("arbolado"), Language::Es)
        .await
        .expect("filed anonymously");
    let typed = anonymous.ticket.to_lowercase().replace('-', " ");
    let followed = client
        .follow_request(&typed, Language::Es)
        .await
        .expect("followed");
    assert_eq!(followed.ticket, anonymous.ticket);
    assert_eq!(followed.status, RequestStatus::Open);
    let unknown = client
        .file_request(&request("no_such_type"), Language::Es)
        .await
        .expect_err("unknown type");
    assert!(
        matches!(unknown, ClientError::Refused { status: 422, .. }),
        "{unknown:?}"
    );
    let logged_out = client
        .my_requests(Language::Es)
        .await
        .expect_err("needs a login");
    assert!(
        matches!(logged_out, ClientError::LoggedOut { .. }),
        "{logged_out:?}"
    );

    client
        .sign_up("Vecina Arbolada", "1357", fixture.session_id)
        .await
        .expect("sign up");
    let mine = client
        .file_request(&request("arbolado"), Language::Es)
        .await
        .expect("filed logged in");
    let listed = client.my_requests(Language::Es).await.expect("my requests");
    let tickets: Vec<_> = listed
        .requests
        .iter()
        .map(|item| item.ticket.as_str())
        .collect();
    assert_eq!(
        tickets,
        [mine.ticket.as_str()],
        "only the one filed logged in"
    );
}
