//! The host of the page in front, read from Chromium's DevTools on loopback
//! by a thread of its own about once a second, so a slow or stalled
//! browser never holds up Plaza's window. Only the latest host is kept, and
//! only until the kiosk has found its purpose.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::browser::front_host;

const EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct FrontPage {
    latest: Arc<Mutex<Option<String>>>,
    stop: Arc<AtomicBool>,
    thread: std::thread::Thread,
}

impl FrontPage {
    /// Watches the browser whose profile is `profile`.
    pub fn watch(profile: PathBuf) -> std::io::Result<Self> {
        let latest = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopped) = (latest.clone(), stop.clone());
        let handle = std::thread::Builder::new()
            .name("web-front-page".to_owned())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    let host = front_host(&profile);
                    if let Ok(mut latest) = shared.lock() {
                        *latest = host;
                    }
                    std::thread::park_timeout(EVERY);
                }
            })?;
        Ok(Self {
            latest,
            stop,
            thread: handle.thread().clone(),
        })
    }

    /// The host of the page in front when last read.
    pub fn host(&self) -> Option<String> {
        self.latest.lock().ok().and_then(|latest| latest.clone())
    }
}

impl Drop for FrontPage {
    /// Stops the thread without waiting for it: a read in progress ends
    /// by its own timeout, and finds nothing once the profile is deleted.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.unpark();
    }
}
