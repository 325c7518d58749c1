//! The catalogue sections (procedures, tenders, networks) in the app: their
//! navigation, the reads from the kiosk's copy of the catalogue, their usage
//! events, and keeping the copy in sync with the manager.
//!
//! The copy is synced at start, whenever a heartbeat announces a content
//! version other than the copy's, and on the supervisor's "refresh content";
//! each sync is a background task, so the screens never wait for it.

use iced::Task;
use jiff::SignedDuration;
use jiff::tz::TimeZone;
use plaza_api::catalogue::{Network, NetworkTheme, Procedure, Tender, TenderStatus};
use plaza_api::events::{EventPayload, NetworkViewed, ProcedureViewed, SearchMade, TenderViewed};
use plaza_api::session::{Language, Section};
use plaza_catalogue::{CatalogueResult, Filter, Record, Search};

use super::{Kiosk, Message, Screen};
use crate::catalogue::{LocalCatalogue, SyncError, Synced};
use crate::outbox::OutboxError;
use crate::screen::{network, networks, procedure, procedures, tender, tenders};
use crate::widget::{Element, Look};

/// Typing then pausing this long counts as one search (typing "licencia"
/// is one search, not eight).
const SEARCH_PAUSE: SignedDuration = SignedDuration::from_secs(3);
/// Results shown for a search, and records for a listing.
const SEARCH_LIMIT: u32 = 50;
const LIST_LIMIT: u32 = 500;

/// Why a kiosk could not be set up for tests or an offline start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error("catalogue copy: {0}")]
    Catalogue(#[from] plaza_catalogue::CatalogueError),
}

/// Where the citizen is in a catalogue section. A list keeps its state
/// (query, filter, results) under an open record, so "Back" returns to it.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogueScreen {
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
pub enum CatalogueMessage {
    Procedures(procedures::Message),
    Procedure(procedure::Message),
    Tenders(tenders::Message),
    Tender(tender::Message),
    Networks(networks::Message),
    Network(network::Message),
    Synced(Result<Synced, SyncError>),
}

/// The copy of the catalogue and its syncing.
#[derive(Debug)]
pub(super) struct CatalogueLink {
    copy: LocalCatalogue,
    /// The centre's clock, for "open now" and deadlines.
    zone: TimeZone,
    syncing: bool,
    /// A sync is due (start, new content version, supervisor's refresh).
    wanted: bool,
    /// Why the last sync failed, for the maintenance menu; cleared by a
    /// successful one.
    pub(super) last_error: Option<String>,
}

impl CatalogueLink {
    pub(super) fn new(copy: LocalCatalogue, zone: TimeZone) -> Self {
        Self {
            copy,
            zone,
            syncing: false,
            wanted: false,
            last_error: None,
        }
    }

    pub(super) fn version(&self) -> u64 {
        self.copy.version()
    }

    /// Asks for a sync at the next chance.
    pub(super) fn want_sync(&mut self) {
        self.wanted = true;
    }

    /// A heartbeat reply says the manager's content is at `version`.
    pub(super) fn announced(&mut self, version: u64) {
        if version != self.copy.version() {
            self.wanted = true;
        }
    }
}

/// What an update leaves to do once the screen is no longer borrowed.
#[derive(Default)]
struct After {
    events: Vec<EventPayload>,
    home: bool,
}

impl Kiosk {
    /// Opens a catalogue section at its first page.
    pub(super) fn open_catalogue(&mut self, section: Section) {
        let copy = self.catalogue.copy.clone();
        let screen = match section {
            Section::Tenders => {
                let mut list = tenders::State {
                    status: Some(TenderStatus::Open),
                    listing: Vec::new(),
                };
                list.listing = self.report(list_tenders(&copy, list.status));
                CatalogueScreen::Tenders { list, open: None }
            }
            Section::Networks => {
                let mut list = networks::State::default();
                let all: Vec<Network> = self.report(list_all(&copy, &Filter::default()));
                let mut themes: Vec<NetworkTheme> =
                    all.iter().map(|network| network.theme).collect();
                themes.sort_by_key(|theme| networks::theme_order(*theme));
                themes.dedup();
                list.themes = themes;
                list.listing = all;
                CatalogueScreen::Networks { list, open: None }
            }
            _ => CatalogueScreen::Procedures {
                browse: procedures::State::default(),
                open: None,
            },
        };
        self.go(Screen::Catalogue(screen));
    }

    /// Shows a read's result, or nothing when the copy failed (reported).
    fn report<T: Default>(&mut self, result: CatalogueResult<T>) -> T {
        result.unwrap_or_else(|error| {
            self.record_problem(&error);
            T::default()
        })
    }

    pub(super) fn catalogue(&mut self, message: CatalogueMessage) {
        if let CatalogueMessage::Synced(result) = message {
            self.synced(result);
            return;
        }
        let language = self.citizen.preferences.language;
        let now = self.now;
        let copy = self.catalogue.copy.clone();
        let mut after = After::default();
        let mut problems = Vec::new();
        let Screen::Catalogue(screen) = &mut self.citizen.screen else {
            return;
        };
        match (screen, message) {
            (
                CatalogueScreen::Procedures { browse, open },
                CatalogueMessage::Procedures(message),
            ) if open.is_none() => {
                let typing = matches!(message, procedures::Message::Query(_));
                if !typing {
                    after.events.extend(pending_search(browse));
                }
                match browse.update(message) {
                    procedures::Action::Search => {
                        if let Err(error) = search_procedures(&copy, language, browse) {
                            problems.push(error.to_string());
                        }
                        browse.typed_at = (typing && browse.is_searching()).then_some(now);
                    }
                    procedures::Action::Open(id) => {
                        match copy.read(|copy| copy.get::<Procedure>(&id)) {
                            Ok(Some(found)) => {
                                after
                                    .events
                                    .push(EventPayload::ProcedureViewed(ProcedureViewed {
                                        procedure_id: found.id.clone(),
                                    }));
                                *open = Some(Box::new(procedure::State::new(found)));
                            }
                            Ok(None) => {}
                            Err(error) => problems.push(error.to_string()),
                        }
                    }
                    procedures::Action::Home => after.home = true,
                }
            }
            (CatalogueScreen::Procedures { open, .. }, CatalogueMessage::Procedure(message)) => {
                let action = open.as_mut().map(|detail| detail.update(message));
                match action {
                    Some(procedure::Action::Back) => *open = None,
                    Some(procedure::Action::Home) => after.home = true,
                    Some(procedure::Action::None) | None => {}
                }
            }
            (CatalogueScreen::Tenders { list, open }, CatalogueMessage::Tenders(message))
                if open.is_none() =>
            {
                match list.update(message) {
                    tenders::Action::List => match list_tenders(&copy, list.status) {
                        Ok(listing) => list.listing = listing,
                        Err(error) => problems.push(error.to_string()),
                    },
                    tenders::Action::Open(id) => match copy.read(|copy| copy.get::<Tender>(&id)) {
                        Ok(Some(found)) => {
                            after.events.push(EventPayload::TenderViewed(TenderViewed {
                                tender_id: found.id.clone(),
                            }));
                            *open = Some(Box::new(tender::State::new(found)));
                        }
                        Ok(None) => {}
                        Err(error) => problems.push(error.to_string()),
                    },
                    tenders::Action::Home => after.home = true,
                }
            }
            (CatalogueScreen::Tenders { open, .. }, CatalogueMessage::Tender(message)) => {
                match message {
                    tender::Message::Back => *open = None,
                    tender::Message::Home => after.home = true,
                }
            }
            (CatalogueScreen::Networks { list, open }, CatalogueMessage::Networks(message))
                if open.is_none() =>
            {
                match list.update(message) {
                    networks::Action::List => {
                        let filter = Filter {
                            category: list.theme.map(|theme| theme.as_str().to_owned()),
                            status: None,
                        };
                        match list_all(&copy, &filter) {
                            Ok(listing) => list.listing = listing,
                            Err(error) => problems.push(error.to_string()),
                        }
                    }
                    networks::Action::Open(id) => {
                        match copy.read(|copy| copy.get::<Network>(&id)) {
                            Ok(Some(found)) => {
                                after
                                    .events
                                    .push(EventPayload::NetworkViewed(NetworkViewed {
                                        network_id: found.id.clone(),
                                    }));
                                *open = Some(Box::new(network::State { network: found }));
                            }
                            Ok(None) => {}
                            Err(error) => problems.push(error.to_string()),
                        }
                    }
                    networks::Action::Home => after.home = true,
                }
            }
            (CatalogueScreen::Networks { open, .. }, CatalogueMessage::Network(message)) => {
                match message {
                    network::Message::Back => *open = None,
                    network::Message::Home => after.home = true,
                }
            }
            // A message for a page no longer shown (a late click): ignored.
            _ => {}
        }
        for problem in problems {
            self.record_problem(&problem);
        }
        for event in after.events {
            self.log(|terminal, now| terminal.record_usage(now, event));
        }
        if after.home {
            self.go(Screen::Home);
        }
    }

    /// Runs after every message: records a search once the citizen paused
    /// typing, and starts a sync when one is due.
    pub(super) fn catalogue_after_update(&mut self) -> Task<Message> {
        if let Screen::Catalogue(CatalogueScreen::Procedures { browse, .. }) =
            &mut self.citizen.screen
            && browse
                .typed_at
                .is_some_and(|at| self.now.duration_since(at) >= SEARCH_PAUSE)
            && let Some(event) = pending_search(browse)
        {
            self.log(|terminal, now| terminal.record_usage(now, event));
        }
        self.sync_catalogue()
    }

    fn sync_catalogue(&mut self) -> Task<Message> {
        if !self.catalogue.wanted || self.catalogue.syncing || !self.connect {
            return Task::none();
        }
        let Some(client) = self.client.clone() else {
            return Task::none();
        };
        self.catalogue.wanted = false;
        self.catalogue.syncing = true;
        let copy = self.catalogue.copy.clone();
        Task::perform(async move { copy.sync(&client).await }, |result| {
            Message::Catalogue(CatalogueMessage::Synced(result))
        })
    }

    fn synced(&mut self, result: Result<Synced, SyncError>) {
        self.catalogue.syncing = false;
        match result {
            Ok(synced) => {
                tracing::info!(
                    from = synced.from,
                    to = synced.to,
                    full = synced.full,
                    changed = synced.changed,
                    deleted = synced.deleted,
                    "catalogue copy updated"
                );
                self.catalogue.last_error = None;
            }
            // The old copy stays; the next heartbeat asks again.
            Err(error) => {
                tracing::warn!(%error, "catalogue sync failed; keeping the copy");
                self.catalogue.last_error = Some(format!("catalogue sync failed: {error}"));
            }
        }
    }

    pub(super) fn catalogue_view<'a>(
        &'a self,
        look: Look<'a>,
        screen: &'a CatalogueScreen,
    ) -> Element<'a, Message> {
        let zone = &self.catalogue.zone;
        let now = self.now;
        let element: Element<'a, CatalogueMessage> = match screen {
            CatalogueScreen::Procedures {
                open: Some(detail), ..
            } => detail
                .view(look, now, zone)
                .map(CatalogueMessage::Procedure),
            CatalogueScreen::Procedures { browse, .. } => {
                browse.view(look).map(CatalogueMessage::Procedures)
            }
            CatalogueScreen::Tenders {
                open: Some(detail), ..
            } => detail.view(look, now, zone).map(CatalogueMessage::Tender),
            CatalogueScreen::Tenders { list, .. } => {
                list.view(look, now, zone).map(CatalogueMessage::Tenders)
            }
            CatalogueScreen::Networks {
                open: Some(detail), ..
            } => detail.view(look).map(CatalogueMessage::Network),
            CatalogueScreen::Networks { list, .. } => {
                list.view(look).map(CatalogueMessage::Networks)
            }
        };
        element.map(Message::Catalogue)
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

fn search_procedures(
    copy: &LocalCatalogue,
    language: Language,
    browse: &mut procedures::State,
) -> CatalogueResult<()> {
    browse.corrected = None;
    if browse.is_searching() {
        let found = copy.read(|copy| {
            copy.search::<Procedure>(&Search {
                text: browse.query.clone(),
                language,
                filter: Filter::default(),
                limit: SEARCH_LIMIT,
            })
        })?;
        browse.listing = found
            .records
            .iter()
            .map(|record| record.hit(language))
            .collect();
        browse.corrected = found.corrected;
    } else if let Some(category) = browse.category {
        let filter = Filter {
            category: Some(category.as_str().to_owned()),
            status: None,
        };
        browse.listing = list_all::<Procedure>(copy, &filter)?
            .iter()
            .map(|record| record.hit(language))
            .collect();
    } else {
        browse.listing.clear();
    }
    Ok(())
}

fn list_all<R: Record>(copy: &LocalCatalogue, filter: &Filter) -> CatalogueResult<Vec<R>> {
    copy.read(|copy| copy.list::<R>(filter, LIST_LIMIT))
}

/// Tenders with `status` (all without), the soonest deadline first.
fn list_tenders(
    copy: &LocalCatalogue,
    status: Option<TenderStatus>,
) -> CatalogueResult<Vec<Tender>> {
    let filter = Filter {
        category: None,
        status: status.map(|status| status.as_str().to_owned()),
    };
    let mut listing: Vec<Tender> = list_all(copy, &filter)?;
    listing.sort_by_key(|tender| (tender.status != TenderStatus::Open, deadline_key(tender)));
    Ok(listing)
}

/// Open tenders by how soon they close; the others newest first.
fn deadline_key(tender: &Tender) -> i64 {
    let seconds = tender.submissions_until.as_second();
    if tender.status == TenderStatus::Open {
        seconds
    } else {
        -seconds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_is_wanted_when_the_manager_announces_another_version() {
        let mut link =
            CatalogueLink::new(LocalCatalogue::in_memory().expect("copy"), TimeZone::UTC);
        link.announced(0);
        assert!(!link.wanted, "the copy is already at version 0");
        link.announced(3);
        assert!(link.wanted);
        link.wanted = false;
        link.want_sync();
        assert!(
            link.wanted,
            "refresh_content asks even without a new version"
        );
    }
}
