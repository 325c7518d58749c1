//! Issue #15, point 1: a supervisor sets their centre's internet access on
//! the centres page; the form's lines become the policy the kiosks receive.

use plaza_api::web::{Purpose, WebMode};

use crate::common::{NORTH, SOUTH, csrf_of, fixture, page, signed_in};

#[tokio::test]
async fn the_centres_page_sets_an_allow_list_with_sites_and_purposes() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let (status, html) = page(&sam, manager, "/dashboard/centres").await;
    assert_eq!(status, 200);
    assert!(html.contains("Save internet access"), "{html}");
    let csrf = csrf_of(&html);
    let north = manager
        .state
        .storage
        .centre_by_name(NORTH.to_owned())
        .await
        .expect("centre");
    let south = manager
        .state
        .storage
        .centre_by_name(SOUTH.to_owned())
        .await
        .expect("centre");
    let form = [
        ("csrf", csrf.as_str()),
        ("mode", "allow_list"),
        ("sites", "*.gob.ar\n\n  127.0.0.1  \n"),
        ("recommended", "Mi ANSES | https://www.anses.gob.ar/\n"),
        ("purposes", "gob.ar government\ntrabajo.gob.ar employment"),
    ];
    let response = sam
        .post(manager.url(&format!("/dashboard/centres/{}/web", north.id)))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let policy = manager
        .state
        .storage
        .web_policy(north.id)
        .await
        .expect("read")
        .expect("set");
    assert_eq!(policy.mode, WebMode::AllowList);
    assert_eq!(policy.sites, ["*.gob.ar", "127.0.0.1"]);
    assert_eq!(policy.recommended[0].title, "Mi ANSES");
    assert_eq!(policy.purposes[1].purpose, Purpose::Employment);
    let (_, html) = page(&sam, manager, "/dashboard/centres").await;
    assert!(
        html.contains("Mi ANSES | https://www.anses.gob.ar/"),
        "{html}"
    );

    // A line that is not "suffix purpose" is refused with the reason.
    let bad = [
        ("csrf", csrf.as_str()),
        ("mode", "open"),
        ("purposes", "gob.ar gobierno"),
    ];
    let response = sam
        .post(manager.url(&format!("/dashboard/centres/{}/web", north.id)))
        .form(&bad)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("gob.ar gobierno")
    );
    // The other centre is not in sam's care.
    let response = sam
        .post(manager.url(&format!("/dashboard/centres/{}/web", south.id)))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 404);
    assert!(
        manager
            .state
            .storage
            .web_policy(south.id)
            .await
            .expect("read")
            .is_none()
    );
}
