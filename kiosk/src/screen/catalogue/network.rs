//! One network: what it does, its member municipalities, who coordinates
//! it, how to reach it and how a municipality joins.

use iced::Length;
use iced::widget::{column, container, scrollable};
use plaza_api::catalogue::Network;
use plaza_catalogue::labels;

use super::widgets::{block, date, navigation, page};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub network: Network,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Back,
    Home,
}

pub use super::widgets::DetailAction as Action;

impl State {
    pub fn new(network: Network) -> Self {
        Self { network }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Back => Action::Back,
            Message::Home => Action::Home,
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let language = look.language();
        let network = &self.network;
        let members = network.members.iter().map(|member| {
            let mut line = format!("{} ({})", member.municipality, member.region);
            if let Some(joined) = member.joined_on {
                line.push_str(&look.t_with(
                    "network-joined",
                    &[("date", Arg::from(date(joined, language)))],
                ));
            }
            look.raw(line, TextSize::Body).into()
        });
        let mut contact = column![].spacing(4);
        for (id, value) in [
            ("contact-email", &network.contact.email),
            ("contact-phone", &network.contact.phone),
            ("contact-website", &network.contact.website),
        ] {
            if let Some(value) = value {
                contact = contact.push(look.raw(
                    look.t_with(id, &[("value", Arg::from(value.clone()))]),
                    TextSize::Body,
                ));
            }
        }
        let content = column![
            look.raw(
                labels::network_theme(network.theme)
                    .name(language)
                    .to_owned(),
                TextSize::Small
            ),
            look.raw(network.description.get(language).to_owned(), TextSize::Body),
            look.raw(
                look.t_with(
                    "network-coordinator",
                    &[("name", Arg::from(network.coordinator.clone()))]
                ),
                TextSize::Body
            ),
            block(look, "network-members", column(members).spacing(4)),
            block(
                look,
                "network-join",
                look.raw(network.how_to_join.get(language).to_owned(), TextSize::Body)
            ),
            block(look, "network-contact", contact),
        ]
        .spacing(SPACING * 1.5);
        page(
            look,
            network.name.get(language).to_owned(),
            navigation(look, Message::Back, Message::Home),
            scrollable(container(content).padding([0.0, SPACING]))
                .height(Length::Fill)
                .into(),
        )
    }
}
