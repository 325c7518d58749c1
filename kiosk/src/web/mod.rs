//! Internet at the kiosk, without iced types: a browser (Debian's Chromium)
//! that the session clock, the idle rule and the wipe govern.
//!
//! - [`folder`]: the session's folder (profile, downloads), deleted at the
//!   end; leftovers of a crashed kiosk deleted at the next start;
//! - [`policy`]: the centre's policy as Chromium managed policies;
//! - [`browser`]: the child process in its own group, ended whole;
//! - [`visits`]: a visit's purpose and seconds, the only thing recorded
//!   (never a URL or a title);
//! - [`front`]: the host of the page in front, read off the UI thread;
//! - [`idle`]: the X server's idle time, so input in the browser counts as
//!   activity;
//! - [`window`]: the browser's windows, hidden while Plaza shows a prompt.

pub mod browser;
pub mod folder;
pub mod front;
pub mod idle;
pub mod policy;
pub mod visits;
pub mod window;

use std::path::{Path, PathBuf};

use plaza_api::web::WebPolicy;
use uuid::Uuid;

pub use browser::{Browser, CHROMIUM, Launch, Placement};
pub use folder::{SessionFolder, WEB_ROOT};
pub use visits::{Visit, Visits};

/// Why web access failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebError {
    /// No browser at the configured path: a maintenance problem.
    #[error("the web browser is not installed ({0})")]
    Missing(String),
    #[error("the web browser did not start: {0}")]
    Start(String),
    #[error("the browser policy: {0}")]
    Policy(String),
    #[error("the session folder: {0}")]
    Folder(String),
    #[error("the X display: {0}")]
    Display(String),
}

/// Where web access lives on this kiosk.
#[derive(Debug, Clone)]
pub struct WebSetup {
    /// Parent of the session folders (`<data_dir>/web`).
    pub root: PathBuf,
    /// Chromium's managed policy file (`policy::POLICY_FILE`).
    pub policy_file: PathBuf,
    pub binary: PathBuf,
    /// The X display; the kiosk's own when `None`.
    pub display: Option<String>,
}

impl WebSetup {
    /// The defaults for a kiosk whose data folder is `data_dir`.
    pub fn for_data_dir(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join(WEB_ROOT),
            policy_file: PathBuf::from(policy::POLICY_FILE),
            binary: PathBuf::from(CHROMIUM),
            display: None,
        }
    }
}

/// At start: ends any browser a crashed kiosk left running on a profile
/// under `root`, then deletes every session folder there; how many.
pub fn clear_leftovers(root: &Path) -> Result<usize, WebError> {
    browser::end_recorded(root);
    folder::delete_all(root)
}

/// What the kiosk does about the web at start: ends a browser and deletes a
/// session folder that a crash left (before any citizen's session), and
/// says when the browser is missing (a maintenance problem, sent in every
/// heartbeat's `last_error`).
pub fn at_start(setup: &WebSetup) -> Vec<String> {
    let mut problems = Vec::new();
    match clear_leftovers(&setup.root) {
        Ok(0) => {}
        Ok(deleted) => tracing::warn!(deleted, "deleted web session folders left by a crash"),
        Err(error) => problems.push(error.to_string()),
    }
    problems.extend(missing_browser(setup));
    problems
}

/// The friendly maintenance problem when the browser is not installed.
pub fn missing_browser(setup: &WebSetup) -> Option<String> {
    (!setup.binary.is_file()).then(|| {
        WebError::Missing(format!(
            "{}; install the chromium package",
            setup.binary.display()
        ))
        .to_string()
    })
}

/// One session's browsing: its folder, its browser, its visits.
#[derive(Debug)]
pub struct WebSession {
    folder: Option<SessionFolder>,
    browser: Option<Browser>,
    front: Option<front::FrontPage>,
    pub visits: Visits,
}

impl WebSession {
    /// Writes the centre's policy, creates the session's folder and starts
    /// the browser on `url`. A failure leaves nothing behind.
    pub fn start(
        setup: &WebSetup,
        session_id: Uuid,
        policy: &WebPolicy,
        url: &str,
        language: &str,
        placement: Placement,
    ) -> Result<Self, WebError> {
        if !setup.binary.is_file() {
            return Err(WebError::Missing(setup.binary.display().to_string()));
        }
        policy::write_policy(&setup.policy_file, policy)?;
        let folder = SessionFolder::create(&setup.root, session_id)?;
        let launch = Launch {
            binary: setup.binary.clone(),
            url: url.to_owned(),
            language: language.to_owned(),
            placement,
            display: setup.display.clone(),
        };
        match Browser::start(&launch, &folder) {
            Ok(browser) => Ok(Self {
                front: front::FrontPage::watch(browser.profile().to_owned())
                    .inspect_err(|error| tracing::error!(%error, "cannot watch the page in front"))
                    .ok(),
                folder: Some(folder),
                browser: Some(browser),
                visits: Visits::new(policy.purposes.clone()),
            }),
            Err(error) => {
                let _ = folder.delete();
                Err(error)
            }
        }
    }

    pub fn browser(&self) -> Option<&Browser> {
        self.browser.as_ref()
    }

    /// The session folder (for tests and the wipe check).
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_ref().map(SessionFolder::path)
    }

    /// Whether the browser still runs (the citizen may have closed it).
    pub fn running(&mut self) -> bool {
        self.browser.as_mut().is_some_and(Browser::running)
    }

    /// Whether the page in front is known yet (its host was read).
    pub fn page_known(&self) -> bool {
        self.front
            .as_ref()
            .is_some_and(|front| front.host().is_some())
    }

    /// Notes the purpose of the page in front (as last read, off this
    /// thread); returns a visit that ended (the purpose changed).
    pub fn observe(&mut self, now: jiff::Timestamp) -> Option<Visit> {
        let host = self.front.as_ref().and_then(front::FrontPage::host);
        self.visits.observe(host.as_deref(), now)
    }

    /// Ends the browser's process group and deletes the folder; returns the
    /// last visit.
    pub fn end(mut self, now: jiff::Timestamp) -> (Option<Visit>, Result<(), WebError>) {
        let last = self.visits.finish(now);
        self.front = None;
        if let Some(browser) = self.browser.take() {
            browser.end();
        }
        let deleted = self.folder.take().map_or(Ok(()), SessionFolder::delete);
        (last, deleted)
    }
}

impl Drop for WebSession {
    fn drop(&mut self) {
        if let Some(browser) = self.browser.take() {
            browser.end();
        }
        if let Some(folder) = self.folder.take() {
            let _ = folder.delete();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_browser_is_a_problem_at_start_and_leftovers_go() {
        let data = tempfile::tempdir().expect("temp");
        let mut setup = WebSetup::for_data_dir(data.path());
        setup.binary = data.path().join("no-chromium");
        let leftover = SessionFolder::create(&setup.root, Uuid::now_v7()).expect("folder");
        let leftover = leftover.path().to_owned();
        let problems = at_start(&setup);
        assert!(!leftover.exists());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("not installed"), "{problems:?}");
        let started = WebSession::start(
            &setup,
            Uuid::now_v7(),
            &WebPolicy::default(),
            "http://127.0.0.1/",
            "es",
            Placement {
                x: 0,
                y: 0,
                width: 10,
                height: 10,
            },
        );
        assert!(matches!(started, Err(WebError::Missing(_))));
    }
}
