//! Communities: directory, joining with and without approval, coordinators
//! granted by supervisors, announcements, events and the community board.

use jiff::SignedDuration;
use plaza_api::participation::communities::{
    Announcement, CommunityCategory, CommunityDetail, CommunityList, CommunitySummary,
    JoinRequestList, Membership, MembershipStatus, NewAnnouncement, NewCommunity,
    NewCommunityEvent,
};
use plaza_api::participation::forums::BoardList;
use plaza_api::staff::Role;
use reqwest::Method;

use crate::common::{As, Fixture, error_code};

pub(crate) async fn community(
    fixture: &Fixture,
    staff: &str,
    name: &str,
    requires_approval: bool,
) -> CommunitySummary {
    let response = fixture
        .post(
            As::Staff(staff),
            "/communities",
            &NewCommunity {
                name: name.to_owned(),
                description: format!("La comunidad {name}"),
                neighbourhood: Some("La Loma".to_owned()),
                category: CommunityCategory::NeighbourhoodAssociation,
                requires_approval,
                centre_id: None,
            },
        )
        .await;
    assert_eq!(response.status(), 201, "create {name}");
    response.json().await.expect("community")
}

pub(crate) async fn detail(fixture: &Fixture, who: As<'_>, id: i64) -> CommunityDetail {
    fixture
        .get(who, &format!("/communities/{id}"))
        .await
        .json()
        .await
        .expect("detail")
}

#[tokio::test]
async fn citizens_join_and_leave_an_open_community() {
    let fixture = Fixture::start().await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let created = community(&fixture, &supervisor, "Vecinos de La Loma", false).await;
    assert_eq!(created.member_count, 0);
    let duplicate = fixture
        .post(
            As::Staff(&supervisor),
            "/communities",
            &NewCommunity {
                name: "VECINOS DE LA LOMA".to_owned(),
                description: "Otra".to_owned(),
                neighbourhood: None,
                category: CommunityCategory::Other,
                requires_approval: false,
                centre_id: None,
            },
        )
        .await;
    assert_eq!(duplicate.status(), 409);

    let ana = fixture.sign_up("Ana").await;
    let membership_path = format!("/communities/{}/membership", created.id);
    let joined: Membership = fixture
        .request(As::Citizen(&ana), Method::POST, &membership_path)
        .send()
        .await
        .expect("join")
        .json()
        .await
        .expect("membership");
    assert_eq!(joined.status, MembershipStatus::Member);
    let directory: CommunityList = fixture
        .get(As::Citizen(&ana), "/communities")
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(directory.communities[0].member_count, 1);
    assert_eq!(
        directory.communities[0].membership,
        Some(MembershipStatus::Member)
    );
    let anonymous: CommunityList = fixture
        .get(As::Kiosk, "/communities?category=neighbourhood_association")
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(anonymous.communities[0].membership, None);
    let other_category: CommunityList = fixture
        .get(As::Kiosk, "/communities?category=sports")
        .await
        .json()
        .await
        .expect("list");
    assert!(other_category.communities.is_empty());

    let without_login = fixture
        .request(As::Kiosk, Method::POST, &membership_path)
        .send()
        .await
        .expect("join");
    assert_eq!(without_login.status(), 401);

    let left = fixture
        .request(As::Citizen(&ana), Method::DELETE, &membership_path)
        .send()
        .await
        .expect("leave");
    assert_eq!(left.status(), 204);
    assert_eq!(
        detail(&fixture, As::Kiosk, created.id)
            .await
            .community
            .member_count,
        0
    );
    let missing = fixture
        .request(
            As::Citizen(&ana),
            Method::POST,
            "/communities/999/membership",
        )
        .send()
        .await
        .expect("join");
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_coordinator_approves_requests_to_join() {
    let fixture = Fixture::start().await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let club = community(&fixture, &supervisor, "Club de mayores", true).await;
    let rosa = fixture.sign_up("Rosa").await;
    let pepe = fixture.sign_up("Pepe").await;
    let luis = fixture.sign_up("Luis").await;

    let grant_path = format!("/communities/{}/coordinators/rosa", club.id);
    let by_citizen = fixture
        .request(As::Citizen(&pepe), Method::PUT, &grant_path)
        .send()
        .await
        .expect("grant");
    assert_eq!(by_citizen.status(), 401, "citizens cannot grant roles");
    let granted = fixture
        .request(As::Staff(&supervisor), Method::PUT, &grant_path)
        .send()
        .await
        .expect("grant");
    assert_eq!(granted.status(), 204);
    let coordinator_detail = detail(&fixture, As::Kiosk, club.id).await;
    assert_eq!(coordinator_detail.coordinators, ["Rosa"]);
    assert_eq!(coordinator_detail.community.member_count, 1);

    let membership_path = format!("/communities/{}/membership", club.id);
    for citizen in [&pepe, &luis] {
        let asked: Membership = fixture
            .request(As::Citizen(citizen), Method::POST, &membership_path)
            .send()
            .await
            .expect("join")
            .json()
            .await
            .expect("membership");
        assert_eq!(asked.status, MembershipStatus::Pending);
    }
    assert_eq!(
        detail(&fixture, As::Kiosk, club.id)
            .await
            .community
            .member_count,
        1,
        "pending is not a member"
    );

    let requests_path = format!("/communities/{}/requests", club.id);
    let not_coordinator = fixture.get(As::Citizen(&pepe), &requests_path).await;
    assert_eq!(not_coordinator.status(), 403);
    let requests: JoinRequestList = fixture
        .get(As::Citizen(&rosa), &requests_path)
        .await
        .json()
        .await
        .expect("requests");
    let aliases: Vec<_> = requests
        .requests
        .iter()
        .map(|request| request.alias.as_str())
        .collect();
    assert_eq!(aliases, ["Pepe", "Luis"]);

    let accepted = fixture
        .request(
            As::Citizen(&rosa),
            Method::POST,
            &format!("{requests_path}/PEPE"),
        )
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status(), 204);
    let rejected = fixture
        .request(
            As::Citizen(&rosa),
            Method::DELETE,
            &format!("{requests_path}/luis"),
        )
        .send()
        .await
        .expect("reject");
    assert_eq!(rejected.status(), 204);
    let unknown = fixture
        .request(
            As::Citizen(&rosa),
            Method::POST,
            &format!("{requests_path}/luis"),
        )
        .send()
        .await
        .expect("accept");
    assert_eq!(unknown.status(), 404, "Luis's request is gone");

    assert_eq!(
        detail(&fixture, As::Citizen(&pepe), club.id)
            .await
            .community
            .membership,
        Some(MembershipStatus::Member)
    );
    assert_eq!(
        detail(&fixture, As::Citizen(&luis), club.id)
            .await
            .community
            .membership,
        None
    );
    assert_eq!(
        detail(&fixture, As::Kiosk, club.id)
            .await
            .community
            .member_count,
        2
    );

    let audit = fixture
        .manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "community.coordinator_granted"
                && entry.detail.as_deref() == Some("citizen:Rosa"))
    );
    let revoked = fixture
        .request(As::Staff(&supervisor), Method::DELETE, &grant_path)
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        fixture
            .get(As::Citizen(&rosa), &requests_path)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn coordinators_publish_announcements_and_events() {
    let fixture = Fixture::start().await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let fair = community(&fixture, &supervisor, "Feria de productores", false).await;
    let marta = fixture.sign_up("Marta").await;
    let juan = fixture.sign_up("Juan").await;
    fixture
        .request(
            As::Staff(&supervisor),
            Method::PUT,
            &format!("/communities/{}/coordinators/marta", fair.id),
        )
        .send()
        .await
        .expect("grant");
    fixture
        .request(
            As::Citizen(&juan),
            Method::POST,
            &format!("/communities/{}/membership", fair.id),
        )
        .send()
        .await
        .expect("join");

    let announcement = NewAnnouncement {
        title: "Nueva fecha de la feria".to_owned(),
        body: "Este mes la feria es el segundo sábado.".to_owned(),
    };
    let announce_path = format!("/communities/{}/announcements", fair.id);
    let by_member = fixture
        .post(As::Citizen(&juan), &announce_path, &announcement)
        .await;
    assert_eq!(by_member.status(), 403);
    let posted: Announcement = fixture
        .post(As::Citizen(&marta), &announce_path, &announcement)
        .await
        .json()
        .await
        .expect("announcement");
    assert_eq!(posted.author, "Marta");
    fixture.advance(SignedDuration::from_mins(1));
    let official = fixture
        .post(
            As::Staff(&supervisor),
            &announce_path,
            &NewAnnouncement {
                title: "Permiso municipal".to_owned(),
                body: "Concedido.".to_owned(),
            },
        )
        .await;
    assert_eq!(official.status(), 201);

    let now = fixture.manager.now();
    let event = |title: &str, starts_in_hours: i64| NewCommunityEvent {
        title: title.to_owned(),
        description: "Traed bolsas".to_owned(),
        place: "Plaza del Mercado".to_owned(),
        starts_at: now + SignedDuration::from_hours(starts_in_hours),
        ends_at: Some(now + SignedDuration::from_hours(starts_in_hours + 4)),
    };
    let events_path = format!("/communities/{}/events", fair.id);
    for (title, hours) in [("Feria de otoño", 48), ("Feria de verano", 24)] {
        let created = fixture
            .post(As::Citizen(&marta), &events_path, &event(title, hours))
            .await;
        assert_eq!(created.status(), 201);
    }
    let past = fixture
        .post(
            As::Citizen(&marta),
            &events_path,
            &event("Feria pasada", -30),
        )
        .await;
    assert_eq!(past.status(), 422);
    let backwards = NewCommunityEvent {
        ends_at: Some(now),
        ..event("Feria al revés", 5)
    };
    assert_eq!(
        fixture
            .post(As::Citizen(&marta), &events_path, &backwards)
            .await
            .status(),
        422
    );
    assert_eq!(
        fixture
            .post(As::Citizen(&juan), &events_path, &event("Otra feria", 5))
            .await
            .status(),
        403
    );

    let shown = detail(&fixture, As::Kiosk, fair.id).await;
    let titles: Vec<_> = shown
        .announcements
        .iter()
        .map(|item| item.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Permiso municipal", "Nueva fecha de la feria"],
        "newest first"
    );
    let events: Vec<_> = shown
        .events
        .iter()
        .map(|item| item.title.as_str())
        .collect();
    assert_eq!(
        events,
        ["Feria de verano", "Feria de otoño"],
        "soonest first"
    );
    assert_eq!(shown.events[0].place, "Plaza del Mercado");

    fixture.advance(SignedDuration::from_hours(29));
    let later = detail(&fixture, As::Kiosk, fair.id).await;
    assert_eq!(
        later.events.len(),
        1,
        "finished events are no longer listed"
    );
}

#[tokio::test]
async fn only_members_write_on_a_community_board() {
    let fixture = Fixture::start().await;
    let supervisor = fixture.staff(Role::Supervisor).await;
    let club = community(&fixture, &supervisor, "Cooperativa escolar", true).await;
    let boards: BoardList = fixture
        .get(As::Kiosk, "/forums/boards?kind=community")
        .await
        .json()
        .await
        .expect("boards");
    assert_eq!(boards.boards.len(), 1);
    assert_eq!(boards.boards[0].id, club.board_id);
    assert_eq!(boards.boards[0].community_id, Some(club.id));

    let ana = fixture.sign_up("Ana").await;
    let outsider = fixture
        .start_thread(
            As::Citizen(&ana),
            club.board_id,
            "Quiero participar",
            "Hola",
        )
        .await;
    assert_eq!(outsider.status(), 403);
    fixture
        .request(
            As::Citizen(&ana),
            Method::POST,
            &format!("/communities/{}/membership", club.id),
        )
        .send()
        .await
        .expect("join");
    let pending = fixture
        .start_thread(
            As::Citizen(&ana),
            club.board_id,
            "Quiero participar",
            "Hola",
        )
        .await;
    assert_eq!(pending.status(), 403);
    assert!(error_code(pending).await == "forbidden");
    fixture
        .request(
            As::Staff(&supervisor),
            Method::POST,
            &format!("/communities/{}/requests/ana", club.id),
        )
        .send()
        .await
        .expect("accept");
    let member = fixture
        .start_thread(
            As::Citizen(&ana),
            club.board_id,
            "Quiero participar",
            "Hola",
        )
        .await;
    assert_eq!(member.status(), 201);
}
