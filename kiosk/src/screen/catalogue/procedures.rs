//! Procedures: category tiles, and a search box with results as you type,
//! searched on the kiosk's copy of the catalogue with the manager's own
//! search (so offline results equal online ones).
//!
//! What is typed is session data, wiped with everything else; only that a
//! search happened and how many results it had is recorded.

use iced::Length;
use iced::widget::{column, container, row, scrollable, space, text_input};
use jiff::Timestamp;
use plaza_api::catalogue::{CatalogueHit, Procedure, ProcedureCategory};
use plaza_api::session::Language;
use plaza_catalogue::{CatalogueResult, Filter, Record, Search, labels};

use super::widgets::{navigation, page, result, tiles};
use crate::catalogue::LocalCatalogue;
use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

/// The search box, for focus and for tests.
pub const SEARCH_ID: &str = "procedures-search";

/// Results shown for a search.
const SEARCH_LIMIT: u32 = 50;

/// Every category, in the order of the tiles.
pub const CATEGORIES: [ProcedureCategory; 12] = [
    ProcedureCategory::CivilRegistry,
    ProcedureCategory::DrivingLicence,
    ProcedureCategory::Business,
    ProcedureCategory::Building,
    ProcedureCategory::PropertyTax,
    ProcedureCategory::SocialProgrammes,
    ProcedureCategory::Health,
    ProcedureCategory::WasteEnvironment,
    ProcedureCategory::Transport,
    ProcedureCategory::CultureSport,
    ProcedureCategory::Education,
    ProcedureCategory::Housing,
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub query: String,
    pub category: Option<ProcedureCategory>,
    /// The search's results, or the chosen category's procedures.
    pub listing: Vec<CatalogueHit>,
    /// The spelling searched instead, when the typed words found nothing.
    pub corrected: Option<String>,
    /// When the citizen last typed a search not yet recorded (one search is
    /// recorded per pause, not per keystroke).
    pub typed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Query(String),
    Category(ProcedureCategory),
    Open(String),
    Back,
    Home,
}

pub enum Action {
    /// The query or category changed: search again.
    Search,
    Open(String),
    Home,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Query(query) => {
                self.query = query;
                Action::Search
            }
            Message::Category(category) => {
                self.query.clear();
                self.category = Some(category);
                Action::Search
            }
            Message::Open(id) => Action::Open(id),
            Message::Back if !self.query.trim().is_empty() => {
                self.query.clear();
                Action::Search
            }
            Message::Back if self.category.is_some() => {
                self.category = None;
                Action::Search
            }
            Message::Back | Message::Home => Action::Home,
        }
    }

    pub fn is_searching(&self) -> bool {
        !self.query.trim().is_empty()
    }

    /// Fills [`Self::listing`] for the query or the category, in `language`.
    pub fn search(&mut self, copy: &LocalCatalogue, language: Language) -> CatalogueResult<()> {
        self.corrected = None;
        if self.is_searching() {
            let found = copy.read(|copy| {
                copy.search::<Procedure>(&Search {
                    text: self.query.clone(),
                    language,
                    filter: Filter::default(),
                    limit: SEARCH_LIMIT,
                })
            })?;
            self.listing = found
                .records
                .iter()
                .map(|record| record.hit(language))
                .collect();
            self.corrected = found.corrected;
        } else if let Some(category) = self.category {
            let filter = Filter {
                category: Some(category.as_str().to_owned()),
                status: None,
            };
            self.listing = copy
                .list::<Procedure>(&filter)?
                .iter()
                .map(|record| record.hit(language))
                .collect();
        } else {
            self.listing.clear();
        }
        Ok(())
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let language = look.language();
        let search = text_input(&look.t("procedures-search-placeholder"), &self.query)
            .id(SEARCH_ID)
            .on_input(Message::Query)
            .style(theme::text_box)
            .size(look.size(TextSize::Body))
            .padding(14)
            .width(Length::Fill);
        let category_tiles = || {
            tiles(
                look,
                CATEGORIES.iter().map(|category| {
                    (
                        labels::procedure_category(*category)
                            .name(language)
                            .to_owned(),
                        Message::Category(*category),
                    )
                }),
                3,
            )
        };
        let mut body = column![].spacing(SPACING);
        if self.is_searching() {
            if self.listing.is_empty() {
                body = body
                    .push(look.text("procedures-none-title", TextSize::Heading))
                    .push(look.text("procedures-none-body", TextSize::Body))
                    .push(category_tiles());
            } else {
                if let Some(corrected) = &self.corrected {
                    body = body.push(look.raw(
                        look.t_with(
                            "procedures-corrected",
                            &[("words", Arg::from(corrected.clone()))],
                        ),
                        TextSize::Body,
                    ));
                }
                body = body.push(self.results(look));
            }
        } else if let Some(category) = self.category {
            body = body
                .push(
                    look.raw(
                        labels::procedure_category(category)
                            .name(language)
                            .to_owned(),
                        TextSize::Heading,
                    ),
                )
                .push(self.results(look));
        } else {
            body = body
                .push(look.text("procedures-choose", TextSize::Body))
                .push(category_tiles());
        }
        page(
            look,
            look.t("section-procedures"),
            navigation(look, Message::Back, Message::Home),
            column![search, scrollable(body).height(Length::Fill)]
                .spacing(SPACING)
                .into(),
        )
    }

    fn results<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let count = look.raw(
            look.t_with(
                "procedures-count",
                &[("count", Arg::from(self.listing.len()))],
            ),
            TextSize::Small,
        );
        // Two a row: a category's procedures fit on one screen at 1024×768.
        let rows = self.listing.chunks(2).map(|pair| {
            let mut line = row![].spacing(SPACING / 2.0);
            for hit in pair {
                line = line.push(
                    container(result(
                        look,
                        hit.title.clone(),
                        hit.summary.clone(),
                        Message::Open(hit.id.clone()),
                    ))
                    .width(Length::FillPortion(1)),
                );
            }
            if pair.len() == 1 {
                line = line.push(space().width(Length::FillPortion(1)));
            }
            line.into()
        });
        column![count, column(rows).spacing(SPACING / 2.0)]
            .spacing(SPACING / 2.0)
            .into()
    }
}
