//! One tender: what is bought, by whom, the dates that matter, the budget,
//! the award, and each document as a QR code to read it on a phone.

use iced::Length;
use iced::widget::{column, container, row, scrollable};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use plaza_api::catalogue::Tender;
use plaza_catalogue::labels;

use super::tenders::situation;
use super::widgets::{Qr, block, date, moment, money, navigation, page};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub tender: Tender,
    /// One per document, in order.
    pub documents: Vec<Qr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// "Open here" on the document at this position.
    OpenHere(usize),
    Back,
    Home,
}

pub use super::widgets::DetailAction as Action;

impl State {
    pub fn new(tender: Tender) -> Self {
        Self {
            documents: tender
                .documents
                .iter()
                .map(|document| Qr::new(&document.url))
                .collect(),
            tender,
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::OpenHere(index) => self
                .documents
                .get(index)
                .map_or(Action::None, |qr| Action::OpenHere(qr.url.clone())),
            Message::Back => Action::Back,
            Message::Home => Action::Home,
        }
    }

    pub fn view<'a>(
        &'a self,
        look: Look<'a>,
        now: Timestamp,
        zone: &TimeZone,
    ) -> Element<'a, Message> {
        let language = look.language();
        let tender = &self.tender;
        let line = |id: &str, value: String| {
            look.raw(
                look.t_with(id, &[("value", Arg::from(value))]),
                TextSize::Body,
            )
        };
        let mut facts = column![
            line("tender-reference", tender.reference.clone()),
            line("tender-buyer", tender.buyer.clone()),
            line(
                "tender-category",
                labels::tender_category(tender.category)
                    .name(language)
                    .to_owned()
            ),
            look.raw(situation(look, tender, now, zone), TextSize::Heading),
            line("tender-published", date(tender.published_on, language)),
        ]
        .spacing(6);
        if let Some(until) = tender.questions_until {
            facts = facts.push(line(
                "tender-questions-until",
                moment(until, zone, language),
            ));
        }
        facts = facts.push(line(
            "tender-submissions-until",
            moment(tender.submissions_until, zone, language),
        ));
        if let Some(opening) = &tender.opening {
            facts = facts.push(line(
                "tender-opening",
                format!("{}, {}", moment(opening.at, zone, language), opening.place),
            ));
        }
        facts = facts.push(line("tender-budget", money(tender.budget, language)));
        let mut content = column![
            look.raw(tender.description.get(language).to_owned(), TextSize::Body),
            facts,
        ]
        .spacing(SPACING * 1.5);
        if let Some(award) = &tender.award {
            content = content.push(block(
                look,
                "tender-award",
                column![
                    line("tender-supplier", award.supplier.clone()),
                    line("tender-amount", money(award.amount, language)),
                    line("tender-award-date", date(award.date, language)),
                ]
                .spacing(6),
            ));
        }
        if !self.documents.is_empty() {
            let documents = tender
                .documents
                .iter()
                .zip(&self.documents)
                .enumerate()
                .map(|(index, (document, qr))| {
                    column![
                        look.raw(document.title.get(language).to_owned(), TextSize::Body),
                        qr.view_opening(look, Message::OpenHere(index)),
                    ]
                    .spacing(6)
                    .width(Length::Fixed(320.0))
                    .into()
                });
            content = content.push(block(
                look,
                "tender-documents",
                column![
                    look.text("tender-documents-scan", TextSize::Small),
                    row(documents).spacing(SPACING).wrap(),
                ]
                .spacing(SPACING / 2.0),
            ));
        }
        page(
            look,
            tender.title.get(language).to_owned(),
            navigation(look, Message::Back, Message::Home),
            scrollable(container(content).padding([0.0, SPACING]))
                .height(Length::Fill)
                .into(),
        )
    }
}
