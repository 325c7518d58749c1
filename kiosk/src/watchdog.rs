//! systemd's watchdog for the kiosk session (`plaza-kiosk.service`,
//! `WatchdogSec=`): every tick of the window's clock says "alive". A kiosk
//! that crashes ends its X session and systemd starts it again; one that
//! hangs stops ticking, and systemd kills and restarts it. Either way the
//! attract screen is back within seconds.
//!
//! Outside systemd (`NOTIFY_SOCKET` unset: development, tests) it does
//! nothing. The unit's main process is `startx`, so it sets
//! `NotifyAccess=all` for the kiosk's messages to count.

use std::sync::atomic::{AtomicBool, Ordering};

use sd_notify::NotifyState;

static READY_SENT: AtomicBool = AtomicBool::new(false);

/// Called on each tick of the kiosk's clock (once a second): the first call
/// also tells systemd the session has started.
pub fn alive() {
    let first = !READY_SENT.swap(true, Ordering::Relaxed);
    let states: &[NotifyState] = if first {
        &[NotifyState::Ready, NotifyState::Watchdog]
    } else {
        &[NotifyState::Watchdog]
    };
    if let Err(error) = sd_notify::notify(states) {
        // Logged once: a watchdog that cannot be fed restarts the session,
        // and the journal should say why.
        if first {
            tracing::warn!(%error, "cannot notify systemd's watchdog");
        }
    }
}
