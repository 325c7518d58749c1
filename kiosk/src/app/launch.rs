//! Opening the kiosk window.

use iced::window;
use jiff::Timestamp;

use super::{Kiosk, Setup};

/// The bundled fonts, for the window and for headless tests.
pub const FONTS: [&[u8]; 2] = [
    include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
];
pub const FONT: iced::Font = iced::Font::with_name("DejaVu Sans");

/// Opens the kiosk window and runs until the maintenance menu exits.
pub fn run(setup: Setup) -> iced::Result {
    let fullscreen = setup.config.fullscreen;
    let window = window::Settings {
        size: iced::Size::new(1024.0, 768.0),
        fullscreen,
        decorations: !fullscreen,
        // Window managers refuse full screen to a window that cannot resize.
        resizable: true,
        closeable: !fullscreen,
        minimizable: !fullscreen,
        exit_on_close_request: false,
        ..window::Settings::default()
    };
    let mut application = iced::application(
        move || Kiosk::new(setup.clone(), Timestamp::now()),
        Kiosk::update,
        Kiosk::view,
    )
    .title(Kiosk::title)
    .theme(Kiosk::theme)
    .subscription(Kiosk::subscription)
    .window(window)
    .default_font(FONT);
    for font in FONTS {
        application = application.font(font);
    }
    application.run()
}
