//! Thematic networks of municipalities, by theme.

use iced::Length;
use iced::widget::{button, column, row, scrollable};
use plaza_api::catalogue::{Network, NetworkTheme};
use plaza_catalogue::{CatalogueResult, Filter, labels};

use super::widgets::{navigation, page, result};
use crate::catalogue::LocalCatalogue;
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

/// Where a theme's filter goes: the order of the wire vocabulary.
pub fn theme_order(theme: NetworkTheme) -> usize {
    NetworkTheme::ALL
        .iter()
        .position(|known| *known == theme)
        .unwrap_or(usize::MAX)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Themes that have networks, for the filter.
    pub themes: Vec<NetworkTheme>,
    pub theme: Option<NetworkTheme>,
    pub listing: Vec<Network>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Theme(Option<NetworkTheme>),
    Open(String),
    Back,
    Home,
}

/// Tenders and networks ask the same of the app.
pub use super::widgets::ListAction as Action;

impl State {
    /// Lists every network, and the themes that have one for the filter.
    pub fn list_all(&mut self, copy: &LocalCatalogue) -> CatalogueResult<()> {
        let all: Vec<Network> = copy.list(&Filter::default())?;
        let mut themes: Vec<NetworkTheme> = all.iter().map(|network| network.theme).collect();
        themes.sort_by_key(|theme| theme_order(*theme));
        themes.dedup();
        self.themes = themes;
        self.theme = None;
        self.listing = all;
        Ok(())
    }

    /// Lists the networks of the chosen theme (all without).
    pub fn list(&mut self, copy: &LocalCatalogue) -> CatalogueResult<()> {
        let filter = Filter {
            category: self.theme.map(|theme| theme.as_str().to_owned()),
            status: None,
        };
        self.listing = copy.list(&filter)?;
        Ok(())
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Theme(theme) => {
                self.theme = theme;
                Action::List
            }
            Message::Open(id) => Action::Open(id),
            Message::Back if self.theme.is_some() => {
                self.theme = None;
                Action::List
            }
            Message::Back | Message::Home => Action::Home,
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let language = look.language();
        let chip = |label: String, theme: Option<NetworkTheme>| -> Element<'a, Message> {
            let chip = look.button_raw(label, Message::Theme(theme));
            if self.theme == theme {
                chip.into()
            } else {
                chip.style(button::secondary).into()
            }
        };
        let mut chips = vec![chip(look.t("networks-all"), None)];
        chips.extend(self.themes.iter().map(|theme| {
            chip(
                labels::network_theme(*theme).name(language).to_owned(),
                Some(*theme),
            )
        }));
        let mut body = column![].spacing(SPACING / 2.0);
        if self.listing.is_empty() {
            body = body.push(look.text("networks-none", TextSize::Body));
        }
        for network in &self.listing {
            let detail = format!(
                "{} · {}",
                labels::network_theme(network.theme).name(language),
                look.t_with(
                    "network-member-count",
                    &[("count", Arg::from(network.members.len()))]
                )
            );
            body = body.push(result(
                look,
                network.name.get(language).to_owned(),
                detail,
                Message::Open(network.id.clone()),
            ));
        }
        page(
            look,
            look.t("section-networks"),
            navigation(look, Message::Back, Message::Home),
            column![
                row(chips).spacing(SPACING / 2.0).wrap(),
                scrollable(body).height(Length::Fill)
            ]
            .spacing(SPACING)
            .into(),
        )
    }
}
