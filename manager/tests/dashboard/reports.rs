//! Reach reports on a fixed data set: exact numbers, suppression, and the
//! same figures from the API (JSON and CSV), the page export and the CLI.

use jiff::Timestamp;
use plaza_api::events::{
    Event, EventPayload, ProcedureViewed, SectionOpened, SessionEnded, SessionStarted,
};
use plaza_api::reports::{Cell, Group, ReachReport};
use plaza_api::session::{AgeBand, EndReason, Gender, Language, Section, SurveyAnswers};
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::common::{NORTH, fixture, page, signed_in};

fn event(session_id: Uuid, at: Timestamp, payload: EventPayload) -> Event {
    Event {
        id: Uuid::now_v7(),
        at,
        session_id,
        payload,
    }
}

struct Visit {
    at: &'static str,
    age_band: Option<AgeBand>,
    gender: Option<Gender>,
    first_time: bool,
    neighbourhood: &'static str,
    sections: &'static [Section],
    procedures: &'static [&'static str],
}

/// 12 half-hour sessions on Monday 2026-03-02 at 10:00 UTC at NORTH, and
/// one on 2026-03-10 (outside the reported week).
fn visits() -> Vec<Visit> {
    let mut visits = Vec::new();
    for index in 0..12 {
        visits.push(Visit {
            at: "2026-03-02T10:00:00Z",
            age_band: Some(match index {
                0..7 => AgeBand::From18To29,
                7..10 => AgeBand::From30To44,
                _ => AgeBand::From60To74,
            }),
            gender: Some(if index < 8 {
                Gender::Woman
            } else {
                Gender::Man
            }),
            first_time: index < 3,
            neighbourhood: if index < 10 { "Centro" } else { "La Loma" },
            sections: match index {
                0..2 => &[Section::Procedures, Section::Forums],
                2..6 => &[Section::Procedures],
                _ => &[],
            },
            procedures: match index {
                0 => &["dni-renewal", "padron"],
                1..5 => &["dni-renewal"],
                _ => &[],
            },
        });
    }
    visits.push(Visit {
        at: "2026-03-10T10:00:00Z",
        age_band: None,
        gender: None,
        first_time: false,
        neighbourhood: "Centro",
        sections: &[],
        procedures: &[],
    });
    visits
}

pub(crate) async fn load(manager: &TestManager, token: &str) {
    let mut events = Vec::new();
    for visit in visits() {
        let session = Uuid::now_v7();
        let start: Timestamp = visit.at.parse().expect("time");
        events.push(event(
            session,
            start,
            EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        ));
        events.push(event(
            session,
            start + jiff::SignedDuration::from_secs(20),
            EventPayload::SurveyAnswered(SurveyAnswers {
                age_band: visit.age_band,
                gender: visit.gender,
                first_time_internet: Some(visit.first_time),
                neighbourhood: Some(visit.neighbourhood.to_owned()),
            }),
        ));
        for section in visit.sections {
            events.push(event(
                session,
                start + jiff::SignedDuration::from_secs(60),
                EventPayload::SectionOpened(SectionOpened { section: *section }),
            ));
        }
        for procedure in visit.procedures {
            events.push(event(
                session,
                start + jiff::SignedDuration::from_secs(90),
                EventPayload::ProcedureViewed(ProcedureViewed {
                    procedure_id: (*procedure).to_owned(),
                }),
            ));
        }
        events.push(event(
            session,
            start + jiff::SignedDuration::from_mins(30),
            EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Logout,
            }),
        ));
    }
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap_or_default()
    );
}

fn count(groups: &[Group], key: &str) -> Cell {
    groups
        .iter()
        .find(|group| group.key == key)
        .unwrap_or_else(|| panic!("group {key} in {groups:?}"))
        .sessions
        .clone()
}

fn small() -> Cell {
    Cell::Suppressed("< 5".to_owned())
}

fn hidden() -> Cell {
    Cell::Suppressed("hidden".to_owned())
}

/// No breakdown that adds up to the total hides exactly one cell.
fn assert_not_recomputable(name: &str, cells: &[&Cell]) {
    let hidden = cells
        .iter()
        .filter(|cell| matches!(cell, Cell::Suppressed(_)))
        .count();
    assert_ne!(
        hidden, 1,
        "{name}: a lone hidden cell is total minus the others"
    );
}

const QUERY: &str = "/api/v1/reports/reach?from=2026-03-01&to=2026-03-07";

#[tokio::test]
async fn exact_figures_suppression_and_one_answer_everywhere() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    load(manager, &fixture.north_kiosk.1).await;
    let analyst = manager.staff_token(Role::Analyst).await;

    let response = manager
        .client
        .get(manager.url(QUERY))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), StatusCode::OK);
    let report: ReachReport = response.json().await.expect("json");
    assert_eq!(report.totals.sessions, Cell::Count(12));
    assert_eq!(report.totals.hours, Some(6.0));
    assert_eq!(report.totals.average_minutes, Some(30.0));
    assert_eq!(report.totals.first_time_users, small());
    assert_eq!(report.totals.citizen_accounts, Cell::Count(0));
    assert_eq!(count(&report.by_age_band, "18_29"), Cell::Count(7));
    assert_eq!(count(&report.by_age_band, "30_44"), small());
    assert_eq!(count(&report.by_age_band, "60_74"), small());
    assert_eq!(count(&report.by_age_band, "under_18"), Cell::Count(0));
    assert_eq!(count(&report.by_gender, "man"), small());
    assert_eq!(
        count(&report.by_gender, "woman"),
        hidden(),
        "protects `man`"
    );
    assert_eq!(count(&report.by_neighbourhood, "La Loma"), small());
    assert_eq!(count(&report.by_neighbourhood, "Centro"), hidden());
    assert_eq!(count(&report.by_centre, NORTH), Cell::Count(12));
    assert_eq!(count(&report.sections, "procedures"), Cell::Count(6));
    assert_eq!(count(&report.sections, "forums"), small());
    assert_eq!(count(&report.top_procedures, "dni-renewal"), Cell::Count(5));
    assert_eq!(count(&report.top_procedures, "padron"), small());
    let monday_ten = report
        .heatmap
        .iter()
        .find(|cell| cell.weekday == 0 && cell.hour == 10)
        .expect("cell");
    assert_eq!(monday_ten.sessions, Cell::Count(12));
    for (name, groups) in [
        ("age band", &report.by_age_band),
        ("gender", &report.by_gender),
        ("neighbourhood", &report.by_neighbourhood),
        ("centre", &report.by_centre),
    ] {
        assert_not_recomputable(
            name,
            &groups
                .iter()
                .map(|group| &group.sessions)
                .collect::<Vec<_>>(),
        );
    }
    assert_not_recomputable(
        "heatmap",
        &report
            .heatmap
            .iter()
            .map(|cell| &cell.sessions)
            .collect::<Vec<_>>(),
    );

    // CSV from the API, the page's export and the CLI are one and the same.
    let api_csv = manager
        .client
        .get(manager.url(&format!("{QUERY}&format=csv")))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("csv text");
    assert!(api_csv.contains("totals,sessions,12\n"), "{api_csv}");
    assert!(api_csv.contains("gender,woman,hidden\n"), "{api_csv}");
    let browser = signed_in(manager, "ana").await;
    let (status, page_csv) = page(
        &browser,
        manager,
        "/dashboard/reports/reach.csv?from=2026-03-01&to=2026-03-07&centre=",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page_csv, api_csv);
    let (_, page_json) = page(
        &browser,
        manager,
        "/dashboard/reports/reach.json?from=2026-03-01&to=2026-03-07",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<ReachReport>(&page_json).expect("json"),
        report
    );
    let (status, html) = page(
        &browser,
        manager,
        "/dashboard/reports?from=2026-03-01&to=2026-03-07",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-figure=\"sessions\">12<"), "{html}");
    assert!(
        html.contains("data-figure=\"citizen_accounts\">0<"),
        "{html}"
    );
    assert!(html.contains("data-key=\"dni-renewal\">5<"), "{html}");
    assert!(html.contains("<svg"), "charts drawn on the server");

    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_plaza-manager"))
        .arg("--data-dir")
        .arg(manager.folder.path())
        .args([
            "report",
            "reach",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-07",
            "--format",
            "csv",
        ])
        .output()
        .expect("run the CLI");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&cli.stdout), api_csv);
}

#[tokio::test]
async fn supervisors_report_on_their_centres_only_and_bad_input_is_clear() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let sam = signed_in(manager, "sam").await;
    let (status, _) = page(&sam, manager, "/dashboard/reports/reach.json?from=2026-03-01&to=2026-03-07&centre=Centro%20C%C3%ADvico%20Sur").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, json) = page(
        &sam,
        manager,
        "/dashboard/reports/reach.json?from=2026-03-01&to=2026-03-07",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let report: ReachReport = serde_json::from_str(&json).expect("json");
    assert_eq!(report.centres, [NORTH]);

    let analyst = manager.staff_token(Role::Analyst).await;
    for query in [
        "from=2026-03-07&to=2026-03-01",
        "from=yesterday&to=2026-03-01",
        "from=2026-03-01&to=2026-03-07&format=xml",
        "from=2026-03-01&to=2026-03-07&centre=Nowhere",
    ] {
        let response = manager
            .client
            .get(manager.url(&format!("/api/v1/reports/reach?{query}")))
            .bearer_auth(&analyst)
            .send()
            .await
            .expect("report");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
    }
}

/// Logs `alias` in at `kiosk` (signing up the first time).
pub(crate) async fn citizen_logs_in(manager: &TestManager, kiosk: &str, alias: &str, first: bool) {
    let path = if first {
        "/api/v1/citizens"
    } else {
        "/api/v1/citizens/login"
    };
    let response = manager
        .client
        .post(manager.url(path))
        .bearer_auth(kiosk)
        .json(&serde_json::json!({"alias": alias, "pin": "4821", "session_id": Uuid::now_v7()}))
        .send()
        .await
        .expect("citizen login");
    assert!(
        response.status().is_success(),
        "{alias}: {}",
        response.status()
    );
}

#[tokio::test]
async fn distinct_citizen_accounts_count_each_account_once_and_are_suppressed() {
    let monday: Timestamp = "2026-03-02T09:00:00Z".parse().expect("time");
    let manager = TestManager::start_with(|_| {}, plaza_manager::Clock::manual(monday)).await;
    manager.add_centre(NORTH, &["Centro"]).await;
    manager.add_centre(crate::common::SOUTH, &["Puerto"]).await;
    let north = manager.enrol_kiosk(NORTH, "norte-01").await.token;
    let south = manager
        .enrol_kiosk(crate::common::SOUTH, "sur-01")
        .await
        .token;
    for index in 0..6 {
        citizen_logs_in(&manager, &north, &format!("vecina{index}"), true).await;
    }
    // Again, the next day, and once at the other centre: still one account
    // at NORTH.
    manager
        .state
        .clock
        .advance(jiff::SignedDuration::from_hours(24));
    citizen_logs_in(&manager, &north, "vecina0", false).await;
    citizen_logs_in(&manager, &south, "vecina1", false).await;
    citizen_logs_in(&manager, &south, "sur0", true).await;
    // Outside the range.
    manager
        .state
        .clock
        .advance(jiff::SignedDuration::from_hours(24 * 8));
    citizen_logs_in(&manager, &north, "tarde", true).await;

    let analyst = manager.staff_token(Role::Analyst).await;
    let report = |centre: &'static str| {
        let request = manager
            .client
            .get(manager.url(&format!("{QUERY}&centre={centre}")))
            .bearer_auth(&analyst);
        async move {
            let report: ReachReport = request
                .send()
                .await
                .expect("report")
                .json()
                .await
                .expect("json");
            report.totals.citizen_accounts
        }
    };
    assert_eq!(report("Biblioteca%20Norte").await, Cell::Count(6));
    assert_eq!(report("Centro%20C%C3%ADvico%20Sur").await, small());
    assert_eq!(report("").await, Cell::Count(7));
    let csv = manager
        .client
        .get(manager.url(&format!("{QUERY}&format=csv")))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("csv text");
    assert!(csv.contains("totals,citizen_accounts,7\n"), "{csv}");
}

fn rolled_up_days(manager: &TestManager) -> i64 {
    let connection = rusqlite::Connection::open_with_flags(
        manager.state.settings.database_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the database");
    connection
        .query_row("SELECT count(*) FROM report_rollups", [], |row| row.get(0))
        .expect("count rollups")
}

#[tokio::test]
async fn daily_rollups_give_the_same_report_as_the_sessions_and_follow_late_events() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    load(manager, &fixture.north_kiosk.1).await;
    let analyst = manager.staff_token(Role::Analyst).await;
    let fetch = |format: &'static str| {
        let request = manager
            .client
            .get(manager.url(&format!(
                "/api/v1/reports/reach?from=2026-03-01&to=2026-03-10&format={format}"
            )))
            .bearer_auth(&analyst);
        async move {
            request
                .send()
                .await
                .expect("report")
                .text()
                .await
                .expect("body")
        }
    };
    // Housekeeping may have rolled nothing up yet: start from the sessions.
    plaza_manager::housekeeping::roll_up_report_days(&manager.state).await;
    let rolled = rolled_up_days(manager);
    assert!(rolled >= 9, "2026-03-02 up to yesterday: {rolled}");
    let from_rollups = (fetch("json").await, fetch("csv").await);
    {
        let connection =
            rusqlite::Connection::open(manager.state.settings.database_path()).expect("open");
        connection
            .execute("DELETE FROM report_rollups", [])
            .expect("drop the rollups");
    }
    let from_sessions = (fetch("json").await, fetch("csv").await);
    assert_eq!(from_rollups, from_sessions);
    let report: ReachReport = serde_json::from_str(&from_sessions.0).expect("json");
    assert_eq!(report.totals.sessions, Cell::Count(13));

    // A late session on a rolled-up day drops that day's rollup; the report
    // counts it at once, and the day is rolled up again.
    plaza_manager::housekeeping::roll_up_report_days(&manager.state).await;
    let before = rolled_up_days(manager);
    let late = Uuid::now_v7();
    let start: Timestamp = "2026-03-02T18:00:00Z".parse().expect("time");
    let events = vec![
        event(
            late,
            start,
            EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        ),
        event(
            late,
            start + jiff::SignedDuration::from_secs(30),
            EventPayload::ProcedureViewed(ProcedureViewed {
                procedure_id: "padron".to_owned(),
            }),
        ),
    ];
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&fixture.north_kiosk.1)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(rolled_up_days(manager), before - 1, "the day was dropped");
    let after: ReachReport = serde_json::from_str(&fetch("json").await).expect("json");
    assert_eq!(after.totals.sessions, Cell::Count(14));
    plaza_manager::housekeeping::roll_up_report_days(&manager.state).await;
    assert_eq!(rolled_up_days(manager), before);
    let rolled_again: ReachReport = serde_json::from_str(&fetch("json").await).expect("json");
    assert_eq!(rolled_again, after);
    assert_eq!(count(&rolled_again.top_procedures, "padron"), small());
}
