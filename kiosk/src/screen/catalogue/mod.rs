//! The catalogue sections (procedures, tenders, networks): one screen, with
//! a page per list and per record. A list keeps its state (query, filter,
//! results) under an open record, so "Back" returns to it; "Home" goes to
//! the section tiles. Every page reads the kiosk's copy of the catalogue,
//! never the manager, so all of it works offline; it is all in
//! `app::Citizen`, so the session wipe clears the search box and the
//! checklist.
//!
//! Usage is recorded through the [`Action`]: a record viewed (its id), and a
//! search made with its number of results only (never the words), once per
//! search: after a pause in typing, or when the citizen opens a result or
//! leaves.

pub mod network;
pub mod networks;
pub mod procedure;
pub mod procedures;
pub mod tender;
pub mod tenders;
pub mod widgets;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_api::events::{EventPayload, NetworkViewed, ProcedureViewed, SearchMade, TenderViewed};
use plaza_api::session::Section;
use plaza_catalogue::{CatalogueResult, Record};

use super::Context;
use crate::catalogue::LocalCatalogue;
use crate::widget::{Element, Look};
use widgets::{DetailAction, ListAction};

/// Typing then pausing this long counts as one search (typing "licencia"
/// is one search, not eight).
const SEARCH_PAUSE: SignedDuration = SignedDuration::from_secs(3);

/// Where the citizen is in a catalogue section.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Procedures {
        browse: procedures::State,
        open: Option<Box<procedure::State>>,
    },
    Tenders {
        list: tenders::State,
        open: Option<Box<tender::State>>,
    },
    Networks {
        list: networks::State,
        open: Option<Box<network::State>>,
    },
}

#[derive(Debug, Clone)]
pub enum Message {
    Procedures(procedures::Message),
    Procedure(procedure::Message),
    Tenders(tenders::Message),
    Tender(tender::Message),
    Networks(networks::Message),
    Network(network::Message),
    /// The clock moved: a search typed and left alone is recorded.
    Tick,
}

/// What the app does after a catalogue message.
#[derive(Debug, Default, PartialEq)]
pub struct Action {
    /// The copy failed to answer (the page shows nothing; staff see why).
    pub problem: Option<String>,
    /// Usage to record, in order.
    pub usage: Vec<EventPayload>,
    /// Leave for the home tiles.
    pub home: bool,
    /// Open this address in the kiosk's browser ("Open here").
    pub open_web: Option<String>,
}

impl Action {
    fn report<T: Default>(&mut self, result: CatalogueResult<T>) -> T {
        result.unwrap_or_else(|error| {
            self.problem = Some(error.to_string());
            T::default()
        })
    }
}

impl State {
    /// `section` at its first page.
    pub fn open(section: Section, context: &Context<'_>) -> (Self, Action) {
        let mut action = Action::default();
        let state = match section {
            Section::Tenders => {
                let mut list = tenders::State::new();
                action.report(list.list(context.catalogue));
                Self::Tenders { list, open: None }
            }
            Section::Networks => {
                let mut list = networks::State::default();
                action.report(list.list_all(context.catalogue));
                Self::Networks { list, open: None }
            }
            _ => Self::Procedures {
                browse: procedures::State::default(),
                open: None,
            },
        };
        (state, action)
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Action {
        let copy = context.catalogue;
        let mut action = Action::default();
        match (self, message) {
            (Self::Procedures { browse, .. }, Message::Tick)
                if browse
                    .typed_at
                    .is_some_and(|at| context.now.duration_since(at) >= SEARCH_PAUSE) =>
            {
                action.usage.extend(pending_search(browse));
            }
            (Self::Procedures { browse, open }, Message::Procedures(message)) if open.is_none() => {
                let typing = matches!(message, procedures::Message::Query(_));
                if !typing {
                    action.usage.extend(pending_search(browse));
                }
                match browse.update(message) {
                    procedures::Action::Search => {
                        action.report(browse.search(copy, context.look.language()));
                        browse.typed_at = (typing && browse.is_searching()).then_some(context.now);
                    }
                    procedures::Action::Open(id) => {
                        *open = open_record(copy, &id, &mut action, procedure::State::new);
                    }
                    procedures::Action::Home => action.home = true,
                }
            }
            (Self::Procedures { open, .. }, Message::Procedure(message)) => {
                let done = open.as_mut().map(|page| page.update(message));
                close(open, done, &mut action);
            }
            (Self::Tenders { list, open }, Message::Tenders(message)) if open.is_none() => {
                match list.update(message) {
                    ListAction::List => action.report(list.list(copy)),
                    ListAction::Open(id) => {
                        *open = open_record(copy, &id, &mut action, tender::State::new);
                    }
                    ListAction::Home => action.home = true,
                }
            }
            (Self::Tenders { open, .. }, Message::Tender(message)) => {
                let done = open.as_mut().map(|page| page.update(message));
                close(open, done, &mut action);
            }
            (Self::Networks { list, open }, Message::Networks(message)) if open.is_none() => {
                match list.update(message) {
                    ListAction::List => action.report(list.list(copy)),
                    ListAction::Open(id) => {
                        *open = open_record(copy, &id, &mut action, network::State::new);
                    }
                    ListAction::Home => action.home = true,
                }
            }
            (Self::Networks { open, .. }, Message::Network(message)) => {
                let done = open.as_mut().map(|page| page.update(message));
                close(open, done, &mut action);
            }
            // A message for a page no longer shown (a late click): ignored.
            _ => {}
        }
        action
    }

    /// The page shown; `now` and `zone` (the centre's clock) for hours and
    /// deadlines.
    pub fn view<'a>(
        &'a self,
        look: Look<'a>,
        now: Timestamp,
        zone: &TimeZone,
    ) -> Element<'a, Message> {
        match self {
            Self::Procedures {
                open: Some(page), ..
            } => page.view(look, now, zone).map(Message::Procedure),
            Self::Procedures { browse, .. } => browse.view(look).map(Message::Procedures),
            Self::Tenders {
                open: Some(page), ..
            } => page.view(look, now, zone).map(Message::Tender),
            Self::Tenders { list, .. } => list.view(look, now, zone).map(Message::Tenders),
            Self::Networks {
                open: Some(page), ..
            } => page.view(look).map(Message::Network),
            Self::Networks { list, .. } => list.view(look).map(Message::Networks),
        }
    }
}

/// A record that can be opened from a list, and the usage event that says so.
trait Viewed: Record {
    fn viewed(&self) -> EventPayload;
}

impl Viewed for Procedure {
    fn viewed(&self) -> EventPayload {
        EventPayload::ProcedureViewed(ProcedureViewed {
            procedure_id: self.id.clone(),
        })
    }
}

impl Viewed for Tender {
    fn viewed(&self) -> EventPayload {
        EventPayload::TenderViewed(TenderViewed {
            tender_id: self.id.clone(),
        })
    }
}

impl Viewed for Network {
    fn viewed(&self) -> EventPayload {
        EventPayload::NetworkViewed(NetworkViewed {
            network_id: self.id.clone(),
        })
    }
}

/// Record `id` from the copy as its page, recording that it was viewed;
/// `None` (the list stays) when it is gone or the copy failed.
fn open_record<R: Viewed, Page>(
    copy: &LocalCatalogue,
    id: &str,
    action: &mut Action,
    page: impl FnOnce(R) -> Page,
) -> Option<Box<Page>> {
    let record = action.report(copy.get::<R>(id))?;
    action.usage.push(record.viewed());
    Some(Box::new(page(record)))
}

/// What a record's page answered: back to its list, or home.
fn close<Page>(open: &mut Option<Box<Page>>, done: Option<DetailAction>, action: &mut Action) {
    match done {
        Some(DetailAction::Back) => *open = None,
        Some(DetailAction::Home) => action.home = true,
        Some(DetailAction::OpenHere(url)) => action.open_web = Some(url),
        Some(DetailAction::None) | None => {}
    }
}

/// The search typed and not recorded yet, as its event (the number of
/// results, never the words).
fn pending_search(browse: &mut procedures::State) -> Option<EventPayload> {
    browse.typed_at.take()?;
    Some(EventPayload::SearchMade(SearchMade {
        section: Section::Procedures,
        results: u32::try_from(browse.listing.len()).unwrap_or(u32::MAX),
    }))
}
