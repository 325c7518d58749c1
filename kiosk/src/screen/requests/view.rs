//! The pages of "Pedidos y reclamos": start, service types by group, the
//! form, the ticket filed, following a ticket, "Mis pedidos".

use iced::widget::{button, column, container, row, scrollable, text_input};
use iced::{Alignment, Length};
use plaza_api::requests::{PublicRequest, RequestStatus, ServiceType};

use super::{
    DESCRIPTION_ID, Draft, Field, Filed, Follow, Message, Page, REFERENCE_ID, STREET_ID, State,
    TICKET_ID,
};
use crate::screen::participation::keyboard;
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

/// What the pages need besides the state.
pub struct Frame<'a> {
    pub on_screen_keyboard: bool,
    pub logged_in: bool,
    /// The centre's neighbourhoods, as the survey offers them.
    pub neighbourhoods: &'a [String],
}

impl State {
    pub fn view<'a>(&'a self, look: Look<'a>, frame: &Frame<'a>) -> Element<'a, Message> {
        let header = row![
            look.quiet_button("requests-back", Message::Back),
            look.text("requests-title", TextSize::Heading),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center);
        let mut content = column![header].spacing(SPACING).padding(SPACING);
        if let Some(notice) = &self.notice {
            content = content.push(
                container(look.raw(notice.clone(), TextSize::Body))
                    .padding(SPACING / 2.0)
                    .width(Length::Fill)
                    .style(container::bordered_box),
            );
        }
        if self.busy {
            content = content.push(
                look.text("requests-loading", TextSize::Small)
                    .color(muted(&look.preferences)),
            );
        }
        let keyboard_page = frame.on_screen_keyboard
            && matches!(self.page(), Some(Page::Describe(_) | Page::Follow(_)));
        let page = match self.page() {
            None => start(look, frame.logged_in),
            Some(Page::Services(services)) => services_page(look, services.as_deref()),
            Some(Page::Describe(draft)) => describe(look, draft, frame),
            Some(Page::Filed(filed)) => filed_page(look, filed),
            Some(Page::Follow(follow)) => follow_page(look, follow),
            Some(Page::Mine(mine)) => mine_page(look, mine.as_deref()),
        };
        let page: Element<'a, Message> = scrollable(page).height(Length::Fill).into();
        content = content.push(page);
        if keyboard_page {
            let shifted = match self.page() {
                Some(Page::Describe(draft)) => draft.shifted,
                Some(Page::Follow(follow)) => follow.shifted,
                _ => false,
            };
            content = content.push(keyboard::view(look, shifted).map(Message::Key));
        }
        content.into()
    }
}

fn start<'a>(look: Look<'a>, logged_in: bool) -> Element<'a, Message> {
    let mut choices = row![
        big(look, look.t("requests-new"), Message::NewRequest),
        big(look, look.t("requests-follow"), Message::OpenFollow),
    ]
    .spacing(SPACING);
    if logged_in {
        choices = choices.push(big(look, look.t("requests-mine"), Message::OpenMine));
    }
    let mut page = column![
        look.text("requests-intro", TextSize::Body),
        choices.height(Length::Fixed(200.0)),
    ]
    .spacing(SPACING);
    if !logged_in {
        page = page.push(look.text("requests-mine-log-in", TextSize::Small));
    }
    page.into()
}

/// A large button (a service type, a first choice).
fn big<'a>(look: Look<'a>, label: String, message: Message) -> Element<'a, Message> {
    button(container(look.raw(label, TextSize::Heading)).center(Length::Fill))
        .width(Length::Fill)
        .height(Length::Fill)
        .padding(SPACING)
        .style(button::primary)
        .on_press(message)
        .into()
}

fn services_page<'a>(look: Look<'a>, services: Option<&'a [ServiceType]>) -> Element<'a, Message> {
    let Some(services) = services else {
        return look.text("requests-loading", TextSize::Body).into();
    };
    let mut page = column![look.text("requests-pick", TextSize::Body)].spacing(SPACING);
    let mut groups: Vec<&str> = Vec::new();
    for service in services {
        if !groups.contains(&service.group.as_str()) {
            groups.push(&service.group);
        }
    }
    for group in groups {
        page = page.push(look.raw(group.to_owned(), TextSize::Heading));
        let buttons = services
            .iter()
            .filter(|service| service.group == group)
            .map(|service| {
                container(big(
                    look,
                    service.name.clone(),
                    Message::Pick(service.clone()),
                ))
                .width(Length::Fixed(300.0))
                .height(Length::Fixed(120.0))
                .into()
            });
        page = page.push(row(buttons).spacing(SPACING).wrap());
    }
    page.into()
}

fn describe<'a>(look: Look<'a>, draft: &'a Draft, frame: &Frame<'a>) -> Element<'a, Message> {
    let label = |field: Field, id: &str| -> Element<'a, Message> {
        if frame.on_screen_keyboard {
            let button = look.button(id, Message::Focus(field));
            if draft.field == field {
                button.into()
            } else {
                button.style(button::secondary).into()
            }
        } else {
            look.text(id, TextSize::Body).into()
        }
    };
    let input = |id: &'static str, placeholder: &str, value: &'a str, on: fn(String) -> Message| {
        text_input(&look.t(placeholder), value)
            .id(id)
            .on_input(on)
            .size(look.size(TextSize::Body))
            .padding(14)
            .width(Length::Fill)
    };
    let neighbourhoods = row(frame.neighbourhoods.iter().map(|name| {
        let chosen = draft.neighbourhood.as_deref() == Some(name.as_str());
        let button = look.button_raw(name.clone(), Message::Neighbourhood(name.clone()));
        if chosen {
            button.into()
        } else {
            button.style(button::secondary).into()
        }
    }))
    .spacing(SPACING / 2.0)
    .wrap();
    let row_of =
        |items: Vec<Element<'a, Message>>| row(items).spacing(SPACING).align_y(Alignment::Center);
    let description = row_of(vec![
        label(Field::Description, "requests-description"),
        input(
            DESCRIPTION_ID,
            "requests-description-placeholder",
            &draft.description,
            Message::Description,
        )
        .into(),
    ]);
    let street = vec![
        label(Field::Street, "requests-street"),
        input(
            STREET_ID,
            "requests-street-placeholder",
            &draft.street,
            Message::Street,
        )
        .into(),
    ];
    let reference = vec![
        label(Field::Reference, "requests-reference"),
        input(
            REFERENCE_ID,
            "requests-reference-placeholder",
            &draft.reference,
            Message::Reference,
        )
        .into(),
    ];
    let file = if frame.logged_in {
        "requests-file-logged-in"
    } else {
        "requests-file-anonymous"
    };
    let problem = draft
        .problem
        .map(|problem| look.text(problem, TextSize::Body));
    let form = if frame.on_screen_keyboard {
        // The keyboard below leaves little room: fewer, fuller rows, the
        // send button in view.
        let place = street.into_iter().chain(reference).collect();
        let mut choose = vec![
            look.text("requests-neighbourhood", TextSize::Body).into(),
            neighbourhoods.into(),
        ];
        choose.push(look.button(file, Message::File).into());
        column![
            look.text("requests-no-personal-data", TextSize::Body),
            description,
            row_of(place),
            row_of(choose),
        ]
        .push(problem)
        .spacing(SPACING / 2.0)
    } else {
        column![
            look.raw(draft.service.name.clone(), TextSize::Heading),
            look.text("requests-no-personal-data", TextSize::Body),
            description,
            look.text("requests-neighbourhood", TextSize::Body),
            neighbourhoods,
            row_of(street),
            row_of(reference),
        ]
        .push(problem)
        .push(look.button(file, Message::File))
        .spacing(SPACING / 2.0)
    };
    container(form).max_width(1000).into()
}

fn filed_page<'a>(look: Look<'a>, filed: &'a Filed) -> Element<'a, Message> {
    let ticket = look.t_with(
        "requests-filed-ticket",
        &[("ticket", Arg::from(filed.request.ticket.as_str()))],
    );
    let mut page = column![
        look.text("requests-filed-title", TextSize::Heading),
        look.raw(ticket, TextSize::Heading),
        look.text("requests-filed-keep", TextSize::Body),
    ]
    .spacing(SPACING);
    if filed.logged_in {
        page = page.push(look.text("requests-filed-listed", TextSize::Body));
    }
    if let Some(qr) = &filed.qr {
        page = page.push(look.text("requests-filed-qr", TextSize::Small));
        page = page.push(qr.view(look));
    }
    page = page.push(look.button("requests-done", Message::Back));
    page.into()
}

fn follow_page<'a>(look: Look<'a>, follow: &'a Follow) -> Element<'a, Message> {
    let mut page = column![
        look.text("requests-follow-intro", TextSize::Body),
        row![
            text_input(&look.t("requests-ticket-placeholder"), &follow.ticket)
                .id(TICKET_ID)
                .on_input(Message::Ticket)
                .on_submit(Message::Follow)
                .size(look.size(TextSize::Body))
                .padding(14)
                .width(Length::Fixed(360.0)),
            look.button("requests-follow-search", Message::Follow),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center),
    ]
    .spacing(SPACING);
    if let Some(found) = &follow.found {
        page = page.push(request_card(look, found));
    }
    page.into()
}

fn mine_page<'a>(look: Look<'a>, mine: Option<&'a [PublicRequest]>) -> Element<'a, Message> {
    let Some(mine) = mine else {
        return look.text("requests-loading", TextSize::Body).into();
    };
    if mine.is_empty() {
        return look.text("requests-mine-empty", TextSize::Body).into();
    }
    column(mine.iter().map(|request| request_card(look, request)))
        .spacing(SPACING)
        .into()
}

/// A request as the citizen follows it: what, where, status, staff's note.
fn request_card<'a>(look: Look<'a>, request: &'a PublicRequest) -> Element<'a, Message> {
    let status = look.t_with(
        "requests-status",
        &[("status", Arg::from(look.t(status_id(request.status))))],
    );
    let mut card = column![
        look.raw(
            format!("{} · {}", request.ticket, request.service_name),
            TextSize::Heading
        ),
        look.raw(request.description.clone(), TextSize::Body),
        look.raw(status, TextSize::Body),
    ]
    .spacing(SPACING / 2.0);
    let place: Vec<&str> = [&request.neighbourhood, &request.street, &request.reference]
        .into_iter()
        .filter_map(|part| part.as_deref())
        .collect();
    if !place.is_empty() {
        card = card.push(look.raw(place.join(", "), TextSize::Small));
    }
    if let Some(note) = &request.public_note {
        let note = look.t_with(
            "requests-public-note",
            &[("note", Arg::from(note.as_str()))],
        );
        card = card.push(look.raw(note, TextSize::Body));
    }
    container(card)
        .padding(SPACING / 2.0)
        .width(Length::Fill)
        .style(container::bordered_box)
        .into()
}

fn status_id(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Open => "requests-status-open",
        RequestStatus::InProcess => "requests-status-in-process",
        RequestStatus::Closed => "requests-status-closed",
        RequestStatus::Rejected => "requests-status-rejected",
    }
}
