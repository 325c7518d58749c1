//! The X server's idle time (the MIT-SCREEN-SAVER extension's
//! `ms_since_user_input`): it sees input into every window, the browser's
//! included, so the session's idle rule counts browsing as activity.

use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::screensaver::ConnectionExt;
use x11rb::rust_connection::RustConnection;

use super::WebError;

pub struct XIdle {
    connection: RustConnection,
    root: u32,
}

impl std::fmt::Debug for XIdle {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("XIdle")
            .field("root", &self.root)
            .finish()
    }
}

impl XIdle {
    /// Connects to `display` (`$DISPLAY` when `None`).
    pub fn connect(display: Option<&str>) -> Result<Self, WebError> {
        let (connection, screen) =
            x11rb::connect(display).map_err(|error| WebError::Display(error.to_string()))?;
        let root = connection
            .setup()
            .roots
            .get(screen)
            .ok_or_else(|| WebError::Display("no screen".to_owned()))?
            .root;
        Ok(Self { connection, root })
    }

    /// Time since the last key or pointer input anywhere on the display.
    pub fn idle(&self) -> Result<Duration, WebError> {
        let reply = self
            .connection
            .screensaver_query_info(self.root)
            .map_err(|error| WebError::Display(error.to_string()))?
            .reply()
            .map_err(|error| WebError::Display(error.to_string()))?;
        Ok(Duration::from_millis(u64::from(reply.ms_since_user_input)))
    }

    /// The size of the display's first screen, in pixels.
    pub fn screen_size(&self) -> (u32, u32) {
        self.connection
            .setup()
            .roots
            .iter()
            .find(|screen| screen.root == self.root)
            .map_or((1024, 768), |screen| {
                (
                    u32::from(screen.width_in_pixels),
                    u32::from(screen.height_in_pixels),
                )
            })
    }

    /// Hides the shown windows of process `pid`; those to show again.
    pub fn hide_windows_of(&self, pid: u32) -> Result<Vec<u32>, WebError> {
        super::window::hide(&self.connection, self.root, pid)
    }

    /// Shows again the windows [`Self::hide_windows_of`] hid.
    pub fn show_windows(&self, windows: &[u32]) -> Result<(), WebError> {
        super::window::show(&self.connection, windows)
    }
}
