//! "Internet": the centre's recommended sites by their titles, and while
//! the browser is open (below the session bar), a word on what happens at
//! the end and "Back to Plaza". The browser itself is the app's
//! (`crate::web::WebSession`): this screen only asks for it.

use iced::Length;
use iced::widget::{button, column, container, text};
use plaza_api::web::RecommendedSite;

use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// The browser is open for this citizen.
    pub browsing: bool,
    /// A locale message id: why the browser did not open.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Open(String),
    /// Put the browser aside (it keeps its pages until the session ends)
    /// and come back to Plaza's screens.
    BackToPlaza,
    /// Bring the browser put aside back.
    Resume,
    Home,
}

pub enum Action {
    None,
    /// Open the browser on this address.
    Open(String),
    /// Put the browser aside.
    Park,
    Resume,
    Home,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(url) => {
                self.problem = None;
                Action::Open(url)
            }
            Message::BackToPlaza => Action::Park,
            Message::Resume => Action::Resume,
            Message::Home => Action::Home,
        }
    }

    pub fn view<'a>(
        &'a self,
        look: Look<'a>,
        sites: &'a [RecommendedSite],
    ) -> Element<'a, Message> {
        if self.browsing {
            return column![
                look.text("internet-browsing", TextSize::Body),
                look.button("internet-back-to-plaza", Message::BackToPlaza),
            ]
            .spacing(SPACING)
            .padding(SPACING)
            .into();
        }
        let mut page = column![
            look.text("section-internet", TextSize::Heading),
            look.text("internet-intro", TextSize::Body),
        ]
        .spacing(SPACING)
        .padding(SPACING);
        if let Some(problem) = &self.problem {
            page = page.push(
                container(look.text(problem, TextSize::Body))
                    .padding(SPACING / 2.0)
                    .width(Length::Fill)
                    .style(container::bordered_box),
            );
        }
        if sites.is_empty() {
            page = page.push(look.text("internet-no-sites", TextSize::Body));
        }
        for site in sites {
            page = page.push(
                button(text(site.title.clone()).size(look.size(TextSize::Heading)))
                    .width(Length::Fill)
                    .padding(SPACING / 1.5)
                    .style(button::secondary)
                    .on_press(Message::Open(site.url.clone())),
            );
        }
        page = page.push(look.quiet_button("back", Message::Home));
        iced::widget::scrollable(page).height(Length::Fill).into()
    }
}
