//! Appearance in one place: palettes (normal, high contrast), text sizes and
//! spacing, so accessibility is decided here and nowhere else.
//!
//! Contrast (WCAG): normal text #1A1A1A on #F7F7F2 is 16:1; white on the
//! primary blue #0B4F9C is 8.6:1. High contrast is white and yellow on black
//! (21:1 and 19:1), above the 7:1 asked for. Scrollbar handles are over 3:1
//! against their rail and the page in both (WCAG 1.4.11).

use iced::theme::Palette;
use iced::theme::palette::{Extended, Pair};
use iced::widget::{checkbox, container, qr_code, text_input};
use iced::{Color, Theme};

use crate::terminal::Preferences;

const NORMAL: Palette = Palette {
    background: Color::from_rgb8(0xF7, 0xF7, 0xF2),
    text: Color::from_rgb8(0x1A, 0x1A, 0x1A),
    primary: Color::from_rgb8(0x0B, 0x4F, 0x9C),
    success: Color::from_rgb8(0x1B, 0x6E, 0x2E),
    warning: Color::from_rgb8(0x8A, 0x55, 0x00),
    danger: Color::from_rgb8(0xA3, 0x00, 0x1B),
};

const HIGH_CONTRAST: Palette = Palette {
    background: Color::BLACK,
    text: Color::WHITE,
    primary: Color::from_rgb8(0xFF, 0xE6, 0x00),
    success: Color::from_rgb8(0x7C, 0xFF, 0x9E),
    warning: Color::from_rgb8(0xFF, 0xC8, 0x57),
    danger: Color::from_rgb8(0xFF, 0x8A, 0x8A),
};

pub fn theme(preferences: &Preferences) -> Theme {
    if preferences.high_contrast {
        Theme::custom_with_fn("Plaza high contrast", HIGH_CONTRAST, |palette| {
            let mut extended = Extended::generate(palette);
            // iced's generated secondary is mid-grey under white text (4.3:1):
            // too weak for high contrast. White on near-black is 18:1.
            let pair = |color| Pair {
                color,
                text: Color::WHITE,
            };
            extended.secondary.base = pair(Color::from_rgb8(0x1F, 0x1F, 0x1F));
            extended.secondary.weak = pair(Color::from_rgb8(0x14, 0x14, 0x14));
            extended.secondary.strong = pair(Color::from_rgb8(0x33, 0x33, 0x33));
            // The scrollbar's handle (and a text editor's placeholder) is
            // the strongest background shade: iced's is dark grey on black.
            extended.background.strongest = Pair {
                color: Color::from_rgb8(0xC8, 0xC8, 0xC8),
                text: Color::BLACK,
            };
            extended
        })
    } else {
        Theme::custom_with_fn("Plaza", NORMAL, |palette| {
            let mut extended = Extended::generate(palette);
            // iced's handle is light grey on the light rail (1.4:1); this
            // grey is over 5:1 on the rail and on the page (WCAG 1.4.11).
            extended.background.strongest = Pair {
                color: Color::from_rgb8(0x5A, 0x5A, 0x5A),
                text: Color::WHITE,
            };
            extended
        })
    }
}

/// Text roles; their sizes grow 1.5× with large text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    Small,
    Body,
    Heading,
    Title,
}

pub fn text_size(preferences: &Preferences, role: TextSize) -> f32 {
    let base = match role {
        TextSize::Small => 16.0,
        TextSize::Body => 20.0,
        TextSize::Heading => 26.0,
        TextSize::Title => 40.0,
    };
    if preferences.large_text {
        base * LARGE_TEXT_FACTOR
    } else {
        base
    }
}

pub const LARGE_TEXT_FACTOR: f32 = 1.5;

/// Space between blocks.
pub const SPACING: f32 = 16.0;
/// Padding inside every button: with body text it keeps targets above 44 px.
pub const BUTTON_PADDING: f32 = 14.0;
/// WCAG 2.5.5: the smallest touch target.
pub const MIN_TARGET: f32 = 48.0;

/// Text boxes readable in both palettes: iced's default placeholder is the
/// secondary colour, near-black on black in high contrast. The placeholder
/// is the text colour at 70 % (6:1 and 10:1) and the border is solid.
pub fn text_box(theme: &Theme, status: text_input::Status) -> text_input::Style {
    let text = theme.extended_palette().background.base.text;
    let mut style = text_input::default(theme, status);
    style.placeholder = Color { a: 0.7, ..text };
    style.border.width = 2.0;
    if matches!(status, text_input::Status::Active) {
        style.border.color = text;
    }
    style
}

/// Check boxes whose box shows on both palettes (iced's border is the
/// background's strong shade, invisible in high contrast).
pub fn check_box(theme: &Theme, status: checkbox::Status) -> checkbox::Style {
    let mut style = checkbox::primary(theme, status);
    style.border.color = theme.extended_palette().background.base.text;
    style.border.width = 2.0;
    style
}

/// A framed block (an office on a procedure's page), framed in the text colour.
pub fn panel(theme: &Theme) -> container::Style {
    let mut style = container::bordered_box(theme);
    style.border.color = theme.extended_palette().background.base.text;
    style
}

/// QR codes are always dark on light, whatever the palette: many phone
/// scanners do not read an inverted (light on dark) code.
pub fn qr(_theme: &Theme) -> qr_code::Style {
    qr_code::Style {
        cell: Color::BLACK,
        background: Color::WHITE,
    }
}

/// Colour of the discreet offline mark.
pub fn muted(preferences: &Preferences) -> Color {
    if preferences.high_contrast {
        HIGH_CONTRAST.warning
    } else {
        NORMAL.warning
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 relative luminance and contrast ratio.
    fn luminance(colour: Color) -> f32 {
        let channel = |value: f32| {
            if value <= 0.039_28 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)
    }

    fn contrast(a: Color, b: Color) -> f32 {
        let (light, dark) = {
            let (x, y) = (luminance(a), luminance(b));
            if x > y { (x, y) } else { (y, x) }
        };
        (light + 0.05) / (dark + 0.05)
    }

    #[test]
    fn text_contrast_meets_wcag_in_both_palettes() {
        let normal = theme(&Preferences::default());
        let high = theme(&Preferences {
            high_contrast: true,
            ..Preferences::default()
        });
        for (theme, minimum) in [(normal, 4.5), (high, 7.0)] {
            let palette = theme.extended_palette();
            let pairs = [
                (
                    "text",
                    palette.background.base.text,
                    palette.background.base.color,
                ),
                (
                    "primary button",
                    palette.primary.base.text,
                    palette.primary.base.color,
                ),
                (
                    "secondary button",
                    palette.secondary.base.text,
                    palette.secondary.base.color,
                ),
            ];
            for (name, text, background) in pairs {
                let ratio = contrast(text, background);
                assert!(
                    ratio >= minimum,
                    "{theme}: {name} contrast {ratio:.1} < {minimum}"
                );
            }
        }
        assert!(
            contrast(NORMAL.warning, NORMAL.background) >= 4.5,
            "offline mark"
        );
        assert!(
            contrast(HIGH_CONTRAST.warning, HIGH_CONTRAST.background) >= 7.0,
            "offline mark"
        );
    }

    /// WCAG 1.4.11 (non-text contrast, 3:1): a scrollbar's handle against
    /// its rail and against the page, in both palettes. (In high contrast
    /// iced's handle was dark grey on black, under 2:1.)
    #[test]
    fn scrollbars_stand_out_in_both_palettes() {
        for high_contrast in [false, true] {
            let theme = theme(&Preferences {
                high_contrast,
                ..Preferences::default()
            });
            let style = iced::widget::scrollable::default(
                &theme,
                iced::widget::scrollable::Status::Active {
                    is_horizontal_scrollbar_disabled: false,
                    is_vertical_scrollbar_disabled: false,
                },
            );
            let rail = style.vertical_rail;
            let iced::Background::Color(handle) = rail.scroller.background else {
                panic!("{theme}: a colour handle expected");
            };
            let page = theme.extended_palette().background.base.color;
            let behind = match rail.background {
                Some(iced::Background::Color(colour)) => colour,
                _ => page,
            };
            for (name, against) in [("rail", behind), ("page", page)] {
                let ratio = contrast(handle, against);
                assert!(ratio >= 3.0, "{theme}: handle on {name} {ratio:.1} < 3");
            }
        }
    }

    /// `over` seen through `colour` at its alpha.
    fn blend(colour: Color, over: Color) -> Color {
        let mix = |top: f32, bottom: f32| top * colour.a + bottom * (1.0 - colour.a);
        Color::from_rgb(
            mix(colour.r, over.r),
            mix(colour.g, over.g),
            mix(colour.b, over.b),
        )
    }

    #[test]
    fn text_boxes_and_check_boxes_show_in_both_palettes() {
        for high_contrast in [false, true] {
            let theme = theme(&Preferences {
                high_contrast,
                ..Preferences::default()
            });
            let background = theme.extended_palette().background.base.color;
            let input = text_box(&theme, text_input::Status::Active);
            let placeholder = blend(input.placeholder, background);
            assert!(contrast(placeholder, background) >= 4.5, "placeholder");
            assert!(contrast(input.border.color, background) >= 3.0, "text box");
            let check = check_box(&theme, checkbox::Status::Active { is_checked: false });
            assert!(contrast(check.border.color, background) >= 3.0, "check box");
        }
    }

    #[test]
    fn large_text_is_at_least_one_and_a_half_times_larger() {
        let large = Preferences {
            large_text: true,
            ..Preferences::default()
        };
        for role in [
            TextSize::Small,
            TextSize::Body,
            TextSize::Heading,
            TextSize::Title,
        ] {
            assert!(text_size(&large, role) >= 1.5 * text_size(&Preferences::default(), role));
        }
    }
}
