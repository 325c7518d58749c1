//! Appearance in one place: palettes (normal, high contrast), text sizes and
//! spacing, so accessibility is decided here and nowhere else.
//!
//! Contrast (WCAG): normal text #1A1A1A on #F7F7F2 is 16:1; white on the
//! primary blue #0B4F9C is 8.6:1. High contrast is white and yellow on black
//! (21:1 and 19:1), above the 7:1 asked for.

use iced::theme::Palette;
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
        Theme::custom("Plaza high contrast", HIGH_CONTRAST)
    } else {
        Theme::custom("Plaza", NORMAL)
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

/// Colour of the discreet offline mark.
pub fn muted(preferences: &Preferences) -> Color {
    if preferences.high_contrast {
        HIGH_CONTRAST.warning
    } else {
        NORMAL.warning
    }
}
