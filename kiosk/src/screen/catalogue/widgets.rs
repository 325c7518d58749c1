//! What the catalogue pages (procedures, tenders, networks) share: the big
//! "Back" and "Home" buttons, result rows, QR codes, what a list or a record
//! page asks of its section, and amounts and dates written the way each
//! language writes them.

use std::rc::Rc;

use iced::widget::qr_code::Data;
use iced::widget::{button, column, container, qr_code, row, text};
use iced::{Alignment, Length};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use plaza_api::catalogue::Money;
use plaza_api::session::Language;

use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Element, Look};

/// Side of a QR code, in logical pixels.
const CODE_SIZE: f32 = 220.0;

/// A QR code of a URL, built once when a detail screen opens. `Rc` because
/// iced's `Data` holds a render cache and cannot be cloned; two codes are
/// equal when their URLs are.
#[derive(Debug, Clone)]
pub struct Qr {
    pub url: String,
    data: Option<Rc<Data>>,
}

impl Qr {
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            // A URL too long for a QR code still shows as text.
            data: Data::new(url.as_bytes()).ok().map(Rc::new),
        }
    }

    /// Whether the URL became a code (a very long one shows as text only).
    pub fn is_code(&self) -> bool {
        self.data.is_some()
    }

    /// The code with its URL written under it, and "Open here" to see it
    /// in the kiosk's browser.
    pub fn view_opening<'a, Message: Clone + 'a>(
        &'a self,
        look: Look<'a>,
        open_here: Message,
    ) -> Element<'a, Message> {
        column![self.view(look), look.button("open-here", open_here)]
            .spacing(6)
            .align_x(Alignment::Center)
            .into()
    }

    /// The code with its URL written under it (for whoever cannot scan).
    pub fn view<'a, Message: 'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let mut content = column![].spacing(6).align_x(Alignment::Center);
        if let Some(data) = &self.data {
            content = content.push(qr_code(data).total_size(CODE_SIZE).style(theme::qr));
        }
        // An address has no spaces to wrap at: it breaks anywhere, within
        // the code's width, rather than running past its column.
        content = content.push(
            look.raw(self.url.clone(), TextSize::Small)
                .width(Length::Fixed(CODE_SIZE))
                .wrapping(text::Wrapping::WordOrGlyph)
                .align_x(Alignment::Center),
        );
        content.into()
    }
}

impl PartialEq for Qr {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

/// What a filtered list (tenders, networks) asks of its section.
pub enum ListAction {
    /// The filter changed: list again.
    List,
    Open(String),
    Home,
}

/// What a record's page asks of its section.
pub enum DetailAction {
    None,
    /// Back to the list it was opened from.
    Back,
    Home,
    /// Open this address in the kiosk's browser.
    OpenHere(String),
}

/// "Back" (one step) and "Home" (the section tiles), on every catalogue page.
pub fn navigation<'a, Message: Clone + 'a>(
    look: Look<'a>,
    back: Message,
    home: Message,
) -> Element<'a, Message> {
    row![
        look.button("back", back),
        look.quiet_button("catalogue-home", home),
    ]
    .spacing(SPACING)
    .into()
}

/// A page: its title and navigation on top, then its content.
pub fn page<'a, Message: Clone + 'a>(
    look: Look<'a>,
    title: String,
    navigation: Element<'a, Message>,
    content: Element<'a, Message>,
) -> Element<'a, Message> {
    column![
        row![
            container(look.raw(title, TextSize::Heading)).width(Length::Fill),
            navigation
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center),
        content,
    ]
    .spacing(SPACING)
    .padding(SPACING)
    .into()
}

/// One result: a wide button with a title and a line under it.
pub fn result<'a, Message: Clone + 'a>(
    look: Look<'a>,
    title: String,
    detail: String,
    message: Message,
) -> Element<'a, Message> {
    button(
        column![
            text(title).size(look.size(TextSize::Body)),
            text(detail).size(look.size(TextSize::Small)),
        ]
        .spacing(4),
    )
    .width(Length::Fill)
    .padding(14)
    .style(button::secondary)
    .on_press(message)
    .into()
}

/// Tiles in rows of `per_row`, each a full-width button.
pub fn tiles<'a, Message: Clone + 'a>(
    look: Look<'a>,
    labels: impl IntoIterator<Item = (String, Message)>,
    per_row: usize,
) -> Element<'a, Message> {
    let labels: Vec<(String, Message)> = labels.into_iter().collect();
    let rows = labels.chunks(per_row.max(1)).map(|chunk| {
        let mut line = row![].spacing(SPACING);
        for (label, message) in chunk {
            line = line.push(
                look.button_raw(label.clone(), message.clone())
                    .width(Length::FillPortion(1)),
            );
        }
        for _ in chunk.len()..per_row {
            line = line.push(iced::widget::space().width(Length::FillPortion(1)));
        }
        line.into()
    });
    column(rows).spacing(SPACING / 2.0).into()
}

/// A labelled block of a detail page.
pub fn block<'a, Message: 'a>(
    look: Look<'a>,
    heading_id: &str,
    content: impl Into<Element<'a, Message>>,
) -> Element<'a, Message> {
    column![look.text(heading_id, TextSize::Heading), content.into()]
        .spacing(SPACING / 2.0)
        .into()
}

/// `3500.00 ARS` as `$ 3.500,00` in Spanish and `ARS 3,500.00` in English.
pub fn money(amount: Money, language: Language) -> String {
    let units = amount.amount_minor / 100;
    let cents = amount.amount_minor % 100;
    let (group, decimal) = match language {
        Language::Es => ('.', ','),
        Language::En => (',', '.'),
    };
    let digits = units.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let currency = amount.currency.as_str();
    let symbol = if currency == "ARS" { "$" } else { currency };
    format!("{symbol} {grouped}{decimal}{cents:02}")
}

pub fn date(date: Date, language: Language) -> String {
    match language {
        Language::Es => date.strftime("%d/%m/%Y").to_string(),
        Language::En => date.strftime("%-d %b %Y").to_string(),
    }
}

/// A moment on the centre's clock, with its date.
pub fn moment(at: Timestamp, zone: &TimeZone, language: Language) -> String {
    let local = at.to_zoned(zone.clone());
    format!(
        "{} {}",
        date(local.date(), language),
        local.strftime("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use plaza_api::catalogue::Currency;

    use super::*;

    #[test]
    fn amounts_are_written_as_each_language_writes_them() {
        let amount = Money {
            amount_minor: 123_456_789,
            currency: Currency::parse("ARS").expect("currency"),
        };
        assert_eq!(money(amount, Language::Es), "$ 1.234.567,89");
        assert_eq!(money(amount, Language::En), "$ 1,234,567.89");
        let small = Money {
            amount_minor: 5,
            currency: Currency::parse("USD").expect("currency"),
        };
        assert_eq!(money(small, Language::Es), "USD 0,05");
    }
}
