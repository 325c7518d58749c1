//! Public tenders: the list, filtered by status, with each open tender's
//! deadline in words ("closes in 3 days").

use iced::Length;
use iced::widget::{button, column, row, scrollable};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use plaza_api::catalogue::{Tender, TenderStatus};
use plaza_catalogue::{CatalogueResult, Filter};

use super::widgets::{navigation, page, result};
use crate::catalogue::LocalCatalogue;
use crate::opening::days_until;
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

/// The status filters, "all" first.
pub const FILTERS: [(Option<TenderStatus>, &str); 5] = [
    (None, "tenders-all"),
    (Some(TenderStatus::Open), "tender-status-open"),
    (Some(TenderStatus::Closed), "tender-status-closed"),
    (Some(TenderStatus::Awarded), "tender-status-awarded"),
    (Some(TenderStatus::Cancelled), "tender-status-cancelled"),
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub status: Option<TenderStatus>,
    pub listing: Vec<Tender>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Status(Option<TenderStatus>),
    Open(String),
    Back,
    Home,
}

/// Tenders and networks ask the same of the app.
pub use super::widgets::ListAction as Action;

impl State {
    /// The list as a section opens: the open tenders (listed by [`Self::list`]).
    pub fn new() -> Self {
        Self {
            status: Some(TenderStatus::Open),
            listing: Vec::new(),
        }
    }

    /// Lists the tenders with the chosen status (all without), the soonest
    /// deadline first.
    pub fn list(&mut self, copy: &LocalCatalogue) -> CatalogueResult<()> {
        let filter = Filter {
            category: None,
            status: self.status.map(|status| status.as_str().to_owned()),
        };
        let mut listing: Vec<Tender> = copy.list(&filter)?;
        listing.sort_by_key(|tender| (tender.status != TenderStatus::Open, deadline_key(tender)));
        self.listing = listing;
        Ok(())
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Status(status) => {
                self.status = status;
                Action::List
            }
            Message::Open(id) => Action::Open(id),
            Message::Back | Message::Home => Action::Home,
        }
    }

    pub fn view<'a>(
        &'a self,
        look: Look<'a>,
        now: Timestamp,
        zone: &TimeZone,
    ) -> Element<'a, Message> {
        let language = look.language();
        let filters = row(FILTERS.iter().map(|(status, id)| {
            let chip = look.button(id, Message::Status(*status));
            if self.status == *status {
                chip.into()
            } else {
                chip.style(button::secondary).into()
            }
        }))
        .spacing(SPACING / 2.0)
        .wrap();
        let mut body = column![].spacing(SPACING / 2.0);
        if self.listing.is_empty() {
            body = body.push(look.text("tenders-none", TextSize::Body));
        }
        for tender in &self.listing {
            let detail = format!(
                "{} · {}",
                tender.reference,
                situation(look, tender, now, zone)
            );
            body = body.push(result(
                look,
                tender.title.get(language).to_owned(),
                detail,
                Message::Open(tender.id.clone()),
            ));
        }
        page(
            look,
            look.t("section-tenders"),
            navigation(look, Message::Back, Message::Home),
            column![filters, scrollable(body).height(Length::Fill)]
                .spacing(SPACING)
                .into(),
        )
    }
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

/// Where a tender stands, in words: the deadline while open, else its status.
pub fn situation(look: Look<'_>, tender: &Tender, now: Timestamp, zone: &TimeZone) -> String {
    match tender.status {
        TenderStatus::Open if tender.submissions_until > now => look.t_with(
            "tender-closes-in",
            &[(
                "days",
                Arg::from(days_until(now, tender.submissions_until, zone)),
            )],
        ),
        TenderStatus::Open => look.t("tender-deadline-passed"),
        TenderStatus::Closed => look.t("tender-is-closed"),
        TenderStatus::Awarded => look.t("tender-is-awarded"),
        TenderStatus::Cancelled => look.t("tender-is-cancelled"),
    }
}
