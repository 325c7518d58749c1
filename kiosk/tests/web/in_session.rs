//! Web access through the kiosk itself: the Internet section offers the
//! centre's recommended site by its title; opening it starts the session's
//! browser below the session bar; ending the session ends the browser and
//! deletes its folder before the attract screen, and records the visit's
//! purpose and seconds, never its address. A prompt hides the browser's
//! window, so it is in front; "Back to Plaza" puts it aside and brings
//! it back with its page.

use jiff::{SignedDuration, Timestamp};
use plaza_api::events::EventPayload;
use plaza_api::heartbeat::CommandAction;
use plaza_api::profile::KioskProfile;
use plaza_api::session::Section;
use plaza_api::web::{Purpose, PurposeRule, RecommendedSite, WebPolicy};
use plaza_kiosk::app::{Kiosk, Message, PromptMessage, Screen, Setup};
use plaza_kiosk::config::KioskConfig;
use plaza_kiosk::screen::{attract, home, internet, privacy, survey, welcome};
use uuid::Uuid;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, MapState};

use super::{eventually, machine, setup, start_site};

/// Whether each top-level window of the session's browser is mapped.
fn browser_windows_mapped(display: &str, folder: &std::path::Path) -> Vec<bool> {
    let (connection, screen) = x11rb::connect(Some(display)).expect("X display");
    let root = connection.setup().roots[screen].root;
    let pids = plaza_kiosk::web::browser::processes_using(folder);
    let mut states = Vec::new();
    for pid in pids {
        let pid = u32::try_from(pid).expect("a process id");
        let windows =
            plaza_kiosk::web::window::windows_of(&connection, root, pid).expect("windows");
        for window in windows {
            let attributes = connection
                .get_window_attributes(window)
                .expect("request")
                .reply()
                .expect("attributes");
            states.push(attributes.map_state == MapState::VIEWABLE);
        }
    }
    states
}

pub(super) fn started(kiosk: &mut Kiosk) {
    for message in [
        Message::Attract(attract::Message::Start),
        Message::Welcome(welcome::Message::Continue),
        Message::Privacy(privacy::Message::Accept),
        Message::Survey(survey::Message::Skip),
    ] {
        let _ = kiosk.update(message);
    }
    assert!(matches!(kiosk.citizen().screen, Screen::Home(_)));
}

/// A kiosk in session with `allotment_s`, browsing `site` (a recommended
/// site, for government) on `display`.
fn browsing_kiosk(
    site: &super::Site,
    display: &str,
    data: &std::path::Path,
    allotment_s: u32,
    now: Timestamp,
) -> Kiosk {
    let mut kiosk_setup = Setup::offline(KioskConfig {
        fullscreen: false,
        ..KioskConfig::default()
    })
    .expect("setup");
    kiosk_setup.data_dir = data.to_owned();
    kiosk_setup.web = Some(setup(&data.join("web"), display));
    kiosk_setup.profile = Some(KioskProfile {
        kiosk_id: Uuid::now_v7(),
        centre: "Biblioteca Norte".to_owned(),
        neighbourhoods: vec!["Centro".to_owned()],
        session_allotment_s: allotment_s,
        session_extension_s: 900,
        extensions_allowed: true,
        heartbeat_interval_s: 10,
        web: WebPolicy {
            recommended: vec![RecommendedSite {
                title: "Trámites del municipio".to_owned(),
                url: site.url(),
            }],
            purposes: vec![PurposeRule {
                suffix: "127.0.0.1".to_owned(),
                purpose: Purpose::Government,
            }],
            ..WebPolicy::default()
        },
    });
    let (mut kiosk, _) = Kiosk::new(kiosk_setup, now);
    started(&mut kiosk);
    let _ = kiosk.update(Message::Home(home::Message::Open(Section::Internet)));
    let _ = kiosk.update(Message::Internet(internet::Message::Open(site.url())));
    kiosk
}

/// Waits for the page, then ticks once so its purpose is noted (never its
/// address); the clock after the tick.
fn page_in_front(kiosk: &mut Kiosk, site: &super::Site, now: Timestamp) -> Timestamp {
    site.wait_for("/report");
    eventually("the page in front is known", || kiosk.web_page_known());
    let now = now + SignedDuration::from_secs(1);
    let _ = kiosk.update(Message::Tick(now));
    assert!(kiosk.web_folder().is_some(), "the browser closed by itself");
    now
}

/// The web visits recorded so far.
fn visits(kiosk: &Kiosk, now: Timestamp) -> Vec<plaza_api::events::WebVisited> {
    kiosk
        .terminal()
        .outbox()
        .next_batch(100, now)
        .expect("outbox")
        .into_iter()
        .filter_map(|event| match event.payload {
            EventPayload::WebVisited(visit) => Some(visit),
            _ => None,
        })
        .collect()
}

#[test]
fn a_session_ended_by_its_clock_records_the_visit_and_wipes_the_browser() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let data = tempfile::tempdir().expect("temp");
    let site = start_site();
    let start = Timestamp::now();
    let mut kiosk = browsing_kiosk(&site, &xvfb.display, data.path(), 120, start);
    let folder = kiosk.web_folder().expect("browsing").to_owned();
    let now = page_in_front(&mut kiosk, &site, start);
    // Past the session's end, "more time" unanswered.
    let end = start + SignedDuration::from_secs(121);
    let _ = kiosk.update(Message::Tick(end));
    assert!(matches!(kiosk.citizen().screen, Screen::Attract(_)));
    assert!(!folder.exists(), "{} still there", folder.display());
    let visits = visits(&kiosk, end);
    let [visit] = visits.as_slice() else {
        panic!("one visit expected: {visits:?}");
    };
    assert_eq!(visit.purpose, Purpose::Government);
    assert_eq!(
        i64::from(visit.seconds),
        end.duration_since(now).as_secs(),
        "{visit:?}"
    );
}

#[test]
fn a_recommended_site_opens_in_the_session_and_the_end_wipes_it() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let data = tempfile::tempdir().expect("temp");
    let site = start_site();
    let mut now = Timestamp::now();
    let mut kiosk = browsing_kiosk(&site, &xvfb.display, data.path(), 1800, now);
    let folder = kiosk.web_folder().expect("browsing").to_owned();
    assert!(folder.starts_with(data.path()));
    now = page_in_front(&mut kiosk, &site, now);

    // A supervisor's message is a prompt: the browser's window goes, so the
    // prompt is in front, and comes back when it is dismissed.
    let mapped = || browser_windows_mapped(&xvfb.display, &folder);
    let shown = |states: Vec<bool>| states.into_iter().filter(|mapped| *mapped).count();
    assert_eq!(shown(mapped()), 1, "the browser's window is shown");
    assert!(kiosk.apply_command(&CommandAction::ShowMessage {
        text: "Cerramos en 10 minutos".to_owned(),
    }));
    let _ = kiosk.update(Message::Tick(now));
    assert_eq!(shown(mapped()), 0, "the prompt is not in front");
    let _ = kiosk.update(Message::Prompt(PromptMessage::DismissNotice));
    assert_eq!(shown(mapped()), 1, "the page did not come back");

    // "Back to Plaza" puts the browser aside with its page; "Back to the
    // internet" brings it back.
    let _ = kiosk.update(Message::Internet(internet::Message::BackToPlaza));
    assert!(matches!(kiosk.citizen().screen, Screen::Home(_)));
    assert_eq!(shown(mapped()), 0, "the browser is still in front of Plaza");
    assert!(
        folder.exists(),
        "putting it aside deleted the session's pages"
    );
    let _ = kiosk.update(Message::Internet(internet::Message::Resume));
    assert!(matches!(kiosk.citizen().screen, Screen::Internet(_)));
    assert_eq!(shown(mapped()), 1, "the browser did not come back");

    now += SignedDuration::from_secs(41);
    let _ = kiosk.update(Message::Tick(now));
    let _ = kiosk.update(Message::EndSession);
    assert!(matches!(kiosk.citizen().screen, Screen::Attract(_)));
    assert!(kiosk.web_folder().is_none());
    assert!(!folder.exists(), "{} still there", folder.display());
    assert!(
        plaza_kiosk::web::browser::processes_using(&folder).is_empty(),
        "the browser outlived the session"
    );
    let visits = visits(&kiosk, now);
    let [visit] = visits.as_slice() else {
        panic!("one visit expected: {visits:?}");
    };
    assert_eq!(visit.purpose, Purpose::Government);
    assert!(visit.seconds >= 41, "{visit:?}");
    let recorded = serde_json::to_string(&visits).expect("json");
    assert!(!recorded.contains("127.0.0.1"), "{recorded}");
}
