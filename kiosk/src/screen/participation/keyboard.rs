//! The on-screen keyboard for touch-only terminals (`input.on_screen_keyboard`):
//! Spanish letters with ñ and the accented vowels, digits, space, backspace
//! and enter, on keys at least as large as every other button.

use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Length};

use crate::theme::{MIN_TARGET, SPACING, TextSize};
use crate::widget::{Element, Look};

const ROWS: [&str; 4] = [
    "1234567890¿¡",
    "qwertyuiopáé",
    "asdfghjklñíó",
    "zxcvbnm,.?úü",
];

/// A key pressed on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Space,
    Backspace,
    Enter,
    /// Capitals for the next letter.
    Shift,
}

/// Applies a key to a one-line field; `Enter` and `Shift` are for the caller.
pub fn type_into(field: &mut String, key: Key, shifted: bool) {
    match key {
        Key::Char(character) => field.push_str(&cased(character, shifted)),
        Key::Space => field.push(' '),
        Key::Backspace => {
            field.pop();
        }
        Key::Enter | Key::Shift => {}
    }
}

/// The character as typed, in capitals when shifted.
pub fn cased(character: char, shifted: bool) -> String {
    if shifted {
        character.to_uppercase().collect()
    } else {
        character.to_string()
    }
}

fn key<'a>(look: Look<'a>, label: String, pressed: Key) -> Element<'a, Key> {
    button(
        container(text(label).size(look.size(TextSize::Heading)))
            .center_x(Length::Fill)
            .center_y(Length::Fill),
    )
    .width(Length::Fill)
    .height(MIN_TARGET + 4.0)
    .padding(4)
    .style(button::secondary)
    .on_press(pressed)
    .into()
}

/// A key taking `portion` shares of its row.
fn wide(key: Element<'_, Key>, portion: u16) -> Element<'_, Key> {
    container(key).width(Length::FillPortion(portion)).into()
}

/// The keyboard; `shifted` shows capitals. Letters are labelled as they
/// type, so a test (or a citizen) presses "ñ" to type "ñ".
pub fn view<'a>(look: Look<'a>, shifted: bool) -> Element<'a, Key> {
    let mut keys = column![].spacing(SPACING / 4.0);
    for line in ROWS {
        keys = keys.push(
            row(line
                .chars()
                .map(|character| key(look, cased(character, shifted), Key::Char(character))))
            .spacing(SPACING / 4.0),
        );
    }
    let shift = if shifted {
        look.t("osk-shift-on")
    } else {
        look.t("osk-shift")
    };
    keys = keys.push(
        row![
            wide(key(look, shift, Key::Shift), 2),
            wide(key(look, look.t("osk-space"), Key::Space), 5),
            wide(key(look, look.t("osk-backspace"), Key::Backspace), 3),
            wide(key(look, look.t("osk-enter"), Key::Enter), 2),
        ]
        .spacing(SPACING / 4.0),
    );
    container(keys.align_x(Alignment::Center))
        .padding(SPACING / 2.0)
        .width(Length::Fill)
        .max_width(1000)
        .style(container::bordered_box)
        .into()
}

/// `form` with the keyboard below it when `shown`, its keys sent as
/// `message`.
pub fn below<'a, Message: Clone + 'a>(
    form: impl Into<Element<'a, Message>>,
    look: Look<'a>,
    shown: bool,
    shifted: bool,
    message: fn(Key) -> Message,
) -> Element<'a, Message> {
    if shown {
        column![form.into(), view(look, shifted).map(message)]
            .spacing(SPACING / 2.0)
            .into()
    } else {
        form.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_type_letters_capitals_spaces_and_erase() {
        let mut field = String::new();
        type_into(&mut field, Key::Char('ñ'), true);
        type_into(&mut field, Key::Char('á'), false);
        type_into(&mut field, Key::Space, false);
        type_into(&mut field, Key::Char('x'), false);
        type_into(&mut field, Key::Backspace, false);
        type_into(&mut field, Key::Enter, false);
        assert_eq!(field, "Ñá ");
    }
}
