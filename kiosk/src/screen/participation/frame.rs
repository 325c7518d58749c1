//! The frame around the section's pages: a header (title, account, back),
//! the notice, an unsent post, "loading", then the page shown.

use iced::widget::{column, container, row, scrollable, space};
use iced::{Alignment, Length};
use plaza_api::session::Section;

use super::{Message, Page, State, boards, communities, offline, say};
use crate::screen::home::label_id;
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

/// What the frame needs besides the state.
pub struct Frame {
    pub on_screen_keyboard: bool,
    pub now: jiff::Timestamp,
}

/// The section's page: a header (title, account, back), the notice, the page.
pub(super) fn view<'a>(state: &'a State, look: Look<'a>, frame: &Frame) -> Element<'a, Message> {
    let section = state.section.unwrap_or(Section::Forums);
    let mut header = row![
        look.quiet_button("back", Message::Back),
        look.text(label_id(section), TextSize::Heading),
        space().width(Length::Fill),
    ]
    .spacing(SPACING)
    .align_y(Alignment::Center);
    let offline = matches!(state.page(), Some(Page::Offline));
    let on_account_page = matches!(state.page(), Some(Page::Account(_)));
    match state.alias() {
        Some(alias) => {
            header = header.push(look.raw(
                look.t_with("account-signed-in-as", &[("alias", Arg::from(alias))]),
                TextSize::Small,
            ));
            if !matches!(state.page(), Some(Page::Erase(_))) {
                header = header.push(look.quiet_button("account-erase", Message::OpenErase));
            }
            header = header.push(look.quiet_button("account-log-out", Message::LogOut));
        }
        None if !offline && !on_account_page => {
            header = header.push(look.quiet_button("account-sign-in", Message::SignIn));
        }
        None => {}
    }
    let mut content = column![header].spacing(SPACING).padding(SPACING);
    if let Some(notice) = &state.notice {
        content = content.push(
            container(look.raw(notice.clone(), TextSize::Body))
                .padding(SPACING / 2.0)
                .width(Length::Fill)
                .style(container::bordered_box),
        );
    }
    if state.unsent.is_some()
        && !matches!(state.page(), Some(Page::Compose(_)) | Some(Page::Offline))
    {
        content = content.push(
            row![
                look.text("composer-unsent", TextSize::Body),
                look.button("composer-open-unsent", Message::OpenUnsent),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center),
        );
    }
    if state.busy {
        content = content.push(
            look.text("forums-loading", TextSize::Small)
                .color(muted(&look.preferences)),
        );
    }
    let page: Element<'a, Message> = match state.page() {
        None | Some(Page::Offline) => offline::view(look, section),
        Some(Page::Account(account)) => account
            .view(look, frame.on_screen_keyboard)
            .map(Message::Account),
        Some(Page::Erase(form)) => form
            .view(look, frame.on_screen_keyboard)
            .map(Message::Erase),
        Some(Page::Boards(boards)) => boards::boards(look, boards.as_deref()),
        Some(Page::Threads(threads)) => boards::threads(look, threads, state.alias().is_some()),
        Some(Page::Thread(thread)) => thread.view(look, frame.now),
        Some(Page::Compose(composer)) => composer
            .view(look, frame.on_screen_keyboard)
            .map(Message::Composer),
        Some(Page::Communities(list)) => communities::directory(look, list.as_deref()),
        Some(Page::Community(detail)) => communities::detail(look, detail, state.alias().is_some()),
        Some(Page::Say(page)) => say::view(look, page, frame.now).map(Message::Say),
    };
    // The composer and the account form keep their keyboard in view.
    let page = if matches!(
        state.page(),
        Some(Page::Compose(_) | Page::Account(_) | Page::Erase(_))
    ) {
        page
    } else {
        scrollable(page).height(Length::Fill).into()
    };
    content.push(page).into()
}
