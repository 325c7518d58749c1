//! One procedure, for someone doing it for the first time: what it is, what
//! to bring (a checklist to tick off), what it costs, where and when (with
//! today's hours and whether the office is open now), the steps, and for
//! online procedures a QR code to continue on a phone.

use iced::widget::{checkbox, column, container, row, scrollable};
use iced::{Alignment, Length};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use plaza_api::catalogue::{Channel, Cost, Office, Procedure, RequirementKind};
use plaza_catalogue::labels;

use super::widgets::{Qr, block, date, money, navigation, page};
use crate::opening::{self, Today};
use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub procedure: Procedure,
    /// One per requirement: ticked off by the citizen.
    pub checked: Vec<bool>,
    /// The online channels' addresses as QR codes.
    pub online: Vec<Qr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Toggle(usize, bool),
    /// "Open here" on the online channel at this position.
    OpenHere(usize),
    Back,
    Home,
}

pub use super::widgets::DetailAction as Action;

impl State {
    pub fn new(procedure: Procedure) -> Self {
        let online = procedure
            .channels
            .iter()
            .filter_map(|channel| match channel {
                Channel::Online { url } => Some(Qr::new(url)),
                _ => None,
            })
            .collect();
        Self {
            checked: vec![false; procedure.requirements.len()],
            online,
            procedure,
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Toggle(index, on) => {
                if let Some(slot) = self.checked.get_mut(index) {
                    *slot = on;
                }
                Action::None
            }
            Message::OpenHere(index) => self
                .online
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
        let procedure = &self.procedure;
        let mut content = column![
            look.raw(
                labels::procedure_category(procedure.category)
                    .name(language)
                    .to_owned(),
                TextSize::Small
            ),
            block(
                look,
                "procedure-what",
                look.raw(procedure.summary.get(language).to_owned(), TextSize::Body)
            ),
        ]
        .spacing(SPACING * 1.5);
        if !procedure.requirements.is_empty() {
            content = content.push(block(look, "procedure-bring", self.checklist(look)));
        }
        content = content.push(block(look, "procedure-cost", self.cost(look)));
        if !procedure.offices.is_empty() {
            let offices = procedure
                .offices
                .iter()
                .map(|office| office_view(look, office, &opening::today(office, now, zone)));
            content = content.push(block(
                look,
                "procedure-where",
                column(offices).spacing(SPACING),
            ));
        }
        content = content.push(block(
            look,
            "procedure-time",
            look.raw(
                procedure.processing_time.get(language).to_owned(),
                TextSize::Body,
            ),
        ));
        if !procedure.steps.is_empty() {
            let steps = procedure.steps.iter().enumerate().map(|(index, step)| {
                look.raw(
                    format!("{}. {}", index + 1, step.get(language)),
                    TextSize::Body,
                )
                .into()
            });
            content = content.push(block(
                look,
                "procedure-steps",
                column(steps).spacing(SPACING / 2.0),
            ));
        }
        if let Some(channels) = self.channels(look) {
            content = content.push(channels);
        }
        let mut about = column![look.raw(
            look.t_with(
                "procedure-agency",
                &[("agency", Arg::from(procedure.agency.clone()))]
            ),
            TextSize::Small
        )];
        if let Some(legal) = &procedure.legal_basis {
            about = about.push(look.raw(
                look.t_with(
                    "procedure-legal",
                    &[("law", Arg::from(legal.get(language).to_owned()))],
                ),
                TextSize::Small,
            ));
        }
        about = about.push(look.raw(
            look.t_with(
                "procedure-reviewed",
                &[("date", Arg::from(date(procedure.last_reviewed, language)))],
            ),
            TextSize::Small,
        ));
        content = content.push(about.spacing(4));
        page(
            look,
            procedure.title.get(language).to_owned(),
            navigation(look, Message::Back, Message::Home),
            scrollable(container(content).padding([0.0, SPACING]))
                .height(Length::Fill)
                .into(),
        )
    }

    fn checklist<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let language = look.language();
        let items = self
            .procedure
            .requirements
            .iter()
            .enumerate()
            .map(|(index, requirement)| {
                let kind = match requirement.kind {
                    RequirementKind::Document => "requirement-document",
                    RequirementKind::Condition => "requirement-condition",
                };
                let mut item = column![
                    checkbox(self.checked.get(index).copied().unwrap_or(false))
                        .label(requirement.title.get(language).to_owned())
                        .on_toggle(move |on| Message::Toggle(index, on))
                        .style(theme::check_box)
                        .size(look.size(TextSize::Heading))
                        .text_size(look.size(TextSize::Body))
                        .spacing(SPACING),
                ]
                .spacing(4);
                let mut under = column![look.text(kind, TextSize::Small)].spacing(4);
                if let Some(notes) = &requirement.notes {
                    under = under.push(look.raw(notes.get(language).to_owned(), TextSize::Small));
                }
                // Under the label, not under the box.
                let indent = look.size(TextSize::Heading) + SPACING;
                item = item.push(container(under).padding(iced::Padding::ZERO.left(indent)));
                item.into()
            });
        column(items).spacing(SPACING).into()
    }

    fn cost<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let language = look.language();
        let text = match &self.procedure.cost {
            Cost::Free => look.t("cost-free"),
            Cost::Fixed { amount } => money(*amount, language),
            Cost::Varies { explanation } => look.t_with(
                "cost-varies",
                &[("why", Arg::from(explanation.get(language).to_owned()))],
            ),
        };
        look.raw(text, TextSize::Body).into()
    }

    /// Other ways to do it: online (with a QR code) and by phone.
    fn channels<'a>(&'a self, look: Look<'a>) -> Option<Element<'a, Message>> {
        let phones: Vec<&str> = self
            .procedure
            .channels
            .iter()
            .filter_map(|channel| match channel {
                Channel::Phone { number } => Some(number.as_str()),
                _ => None,
            })
            .collect();
        if self.online.is_empty() && phones.is_empty() {
            return None;
        }
        let mut content = column![].spacing(SPACING);
        if !self.online.is_empty() {
            content = content.push(look.text("procedure-online", TextSize::Body));
            let codes = self
                .online
                .iter()
                .enumerate()
                .map(|(index, qr)| qr.view_opening(look, Message::OpenHere(index)));
            content = content.push(row(codes).spacing(SPACING));
        }
        for number in phones {
            content = content.push(look.raw(
                look.t_with(
                    "procedure-phone",
                    &[("number", Arg::from(number.to_owned()))],
                ),
                TextSize::Body,
            ));
        }
        Some(block(look, "procedure-other-ways", content))
    }
}

fn office_view<'a, Message: 'a>(
    look: Look<'a>,
    office: &'a Office,
    today: &Today,
) -> Element<'a, Message> {
    let language = look.language();
    let hours = if today.spans.is_empty() {
        look.t("hours-closed-today")
    } else {
        let spans: Vec<String> = today
            .spans
            .iter()
            .map(|span| format!("{}–{}", span.opens(), span.closes()))
            .collect();
        look.t_with("hours-today", &[("hours", Arg::from(spans.join(", ")))])
    };
    let now_id = if today.open_now {
        "hours-open-now"
    } else {
        "hours-closed-now"
    };
    let mut content = column![
        look.raw(office.name.clone(), TextSize::Body),
        look.raw(
            format!("{} ({})", office.address, office.neighbourhood),
            TextSize::Body
        ),
        row![
            look.raw(hours, TextSize::Body),
            look.text(now_id, TextSize::Body)
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center),
    ]
    .spacing(4);
    if let Some(note) = &today.note {
        content = content.push(look.raw(note.get(language).to_owned(), TextSize::Small));
    }
    if let Some(phone) = &office.phone {
        content = content.push(look.raw(
            look.t_with("procedure-phone", &[("number", Arg::from(phone.clone()))]),
            TextSize::Small,
        ));
    }
    container(content)
        .padding(SPACING / 2.0)
        .style(theme::panel)
        .width(Length::Fill)
        .into()
}
