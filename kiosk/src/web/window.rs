//! The browser's windows on the X display, found by their `_NET_WM_PID`:
//! unmapped while Plaza shows a prompt (the time warnings, "are you still
//! there?", a supervisor's message), so the prompt is in front of the
//! page, and mapped again after. Unmapping needs no window manager and
//! leaves the page as it was.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, MapState, Window};
use x11rb::rust_connection::RustConnection;

use super::WebError;

fn display_error(error: impl std::fmt::Display) -> WebError {
    WebError::Display(error.to_string())
}

/// The root's children that belong to process `pid`.
pub fn windows_of(
    connection: &RustConnection,
    root: Window,
    pid: u32,
) -> Result<Vec<Window>, WebError> {
    let atom = connection
        .intern_atom(false, b"_NET_WM_PID")
        .map_err(display_error)?
        .reply()
        .map_err(display_error)?
        .atom;
    let tree = connection
        .query_tree(root)
        .map_err(display_error)?
        .reply()
        .map_err(display_error)?;
    let mut found = Vec::new();
    for window in tree.children {
        let property = connection
            .get_property(false, window, atom, AtomEnum::CARDINAL, 0, 1)
            .map_err(display_error)?
            .reply()
            .map_err(display_error)?;
        if property.value32().and_then(|mut values| values.next()) == Some(pid) {
            found.push(window);
        }
    }
    Ok(found)
}

/// Unmaps the shown windows of process `pid` (Chromium also owns unmapped
/// ones, which stay as they are); the windows to show again.
pub fn hide(connection: &RustConnection, root: Window, pid: u32) -> Result<Vec<Window>, WebError> {
    let mut hidden = Vec::new();
    for window in windows_of(connection, root, pid)? {
        let attributes = connection
            .get_window_attributes(window)
            .map_err(display_error)?
            .reply()
            .map_err(display_error)?;
        if attributes.map_state == MapState::VIEWABLE {
            connection.unmap_window(window).map_err(display_error)?;
            hidden.push(window);
        }
    }
    connection.flush().map_err(display_error)?;
    Ok(hidden)
}

/// Maps `windows` again (those [`hide`] unmapped).
pub fn show(connection: &RustConnection, windows: &[Window]) -> Result<(), WebError> {
    for window in windows {
        connection.map_window(*window).map_err(display_error)?;
    }
    connection.flush().map_err(display_error)
}
