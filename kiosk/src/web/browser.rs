//! Chromium as the session's child: started in its own process group with a
//! new profile in the session folder, ended with its whole group.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rustix::process::{Pid, Signal};

use super::WebError;
use super::folder::SessionFolder;

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Where the browser window goes: below Plaza's session bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct Launch {
    pub binary: PathBuf,
    pub url: String,
    /// `es` or `en`: Chromium's own pages (a blocked site) speak it.
    pub language: String,
    pub placement: Placement,
    /// The X display; the kiosk's own when `None`.
    pub display: Option<String>,
}

/// The running browser of a session.
#[derive(Debug)]
pub struct Browser {
    child: Child,
    profile: PathBuf,
}

fn preferences(folder: &SessionFolder) -> serde_json::Value {
    serde_json::json!({
        "download": {
            "default_directory": folder.downloads(),
            "prompt_for_download": false,
            "directory_upgrade": true
        },
        "savefile": { "default_directory": folder.downloads() },
        "browser": { "has_seen_welcome_page": true },
        "credentials_enable_service": false,
        "profile": { "password_manager_enabled": false }
    })
}

impl Browser {
    /// Starts the browser on `launch.url` with a new profile in `folder`.
    pub fn start(launch: &Launch, folder: &SessionFolder) -> Result<Self, WebError> {
        if !launch.binary.is_file() {
            return Err(WebError::Missing(launch.binary.display().to_string()));
        }
        let profile = folder.profile();
        let default = profile.join("Default");
        let folder_error = |error: std::io::Error| WebError::Folder(error.to_string());
        std::fs::create_dir_all(&default).map_err(folder_error)?;
        std::fs::write(default.join("Preferences"), preferences(folder).to_string())
            .map_err(folder_error)?;
        let placement = launch.placement;
        let mut command = Command::new(&launch.binary);
        command
            .arg(format!("--user-data-dir={}", profile.display()))
            .args([
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-breakpad",
                "--disable-session-crashed-bubble",
                "--disable-features=Translate,MediaRouter,DownloadBubble,DownloadBubbleV2",
                "--noerrdialogs",
                "--password-store=basic",
                "--ozone-platform=x11",
                "--disable-gpu",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--lang={}", launch.language))
            .arg(format!("--window-position={},{}", placement.x, placement.y))
            .arg(format!(
                "--window-size={},{}",
                placement.width, placement.height
            ))
            .arg(format!("--app={}", launch.url))
            .env("HOME", folder.path())
            .env("XDG_CONFIG_HOME", folder.path().join("config"))
            .env("XDG_CACHE_HOME", folder.path().join("cache"))
            .env("XDG_DOWNLOAD_DIR", folder.downloads())
            .env("LANGUAGE", &launch.language)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        if rustix::process::geteuid().is_root() {
            command.arg("--no-sandbox");
        }
        if let Some(display) = &launch.display {
            command.env("DISPLAY", display);
        }
        let child = command.spawn().map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                WebError::Missing(format!("{}: {error}", launch.binary.display()))
            }
            _ => WebError::Start(error.to_string()),
        })?;
        tracing::info!(pid = child.id(), "browser started");
        Ok(Self { child, profile })
    }

    /// The browser's process id (and process group).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the browser is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The DevTools port Chromium chose (`DevToolsActivePort` in the
    /// profile), once it is up.
    pub fn devtools_port(&self) -> Option<u16> {
        devtools_port(&self.profile)
    }

    /// The profile folder (inside the session folder).
    pub fn profile(&self) -> &Path {
        &self.profile
    }

    /// Ends the browser: its whole process group, then any process left
    /// with this profile, and waits for it.
    pub fn end(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        if let Some(group) = i32::try_from(self.child.id()).ok().and_then(Pid::from_raw) {
            // Gone already is fine.
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        end_processes_using(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `http(s)://host[:port]/…` → `host`.
fn devtools_port(profile: &Path) -> Option<u16> {
    let text = std::fs::read_to_string(profile.join("DevToolsActivePort")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

/// The host of the page in front of the browser whose profile is
/// `profile`, read from DevTools on loopback (blocking, up to its timeout).
pub fn front_host(profile: &Path) -> Option<String> {
    let port = devtools_port(profile)?;
    let pages = devtools_get(port, "/json/list")?;
    let pages: Vec<serde_json::Value> = serde_json::from_str(&pages).ok()?;
    let url = pages
        .iter()
        .find(|page| page["type"] == "page")?
        .get("url")?
        .as_str()?
        .to_owned();
    host_of(&url)
}

pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// A GET to Chromium's DevTools HTTP endpoint on loopback. Its server
/// keeps the connection open: the body is read by its `Content-Length`.
pub fn devtools_get(port: u16, path: &str) -> Option<String> {
    use std::io::BufRead;

    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reader = std::io::BufReader::new(stream);
    let mut length = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

/// Processes whose command line names `folder` (a browser and its helpers
/// using a profile there).
pub fn processes_using(folder: &Path) -> Vec<i32> {
    let needle = folder.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|line| {
                String::from_utf8_lossy(&line)
                    .split('\0')
                    .any(|arg| arg.starts_with("--user-data-dir=") && arg.contains(&needle))
            })
        })
        .collect()
}

/// Kills them, and waits (at most 5 s) until they are gone: a killed
/// process's command line empties as it dies.
fn end_processes_using(folder: &Path) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let left = processes_using(folder);
        if left.is_empty() || std::time::Instant::now() > deadline {
            if !left.is_empty() {
                tracing::error!(?left, "browser processes survived SIGKILL");
            }
            return;
        }
        for pid in left {
            if let Some(pid) = Pid::from_raw(pid) {
                let _ = rustix::process::kill_process(pid, Signal::KILL);
            }
        }
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

/// After a crash: ends every browser running on a profile under `root`.
pub(super) fn end_recorded(root: &Path) {
    end_processes_using(root);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_all_that_is_kept_of_a_url() {
        assert_eq!(
            host_of("https://user@WWW.Anses.gob.ar:443/tramite?dni=1").as_deref(),
            Some("www.anses.gob.ar")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(host_of("chrome://settings"), None);
    }

    #[test]
    fn a_missing_browser_is_said_so() {
        let root = tempfile::tempdir().expect("temp");
        let folder = SessionFolder::create(root.path(), uuid::Uuid::now_v7()).expect("folder");
        let launch = Launch {
            binary: PathBuf::from("/nonexistent/chromium"),
            url: "http://127.0.0.1/".to_owned(),
            language: "es".to_owned(),
            placement: Placement {
                x: 0,
                y: 0,
                width: 800,
                height: 600,
            },
            display: None,
        };
        assert!(matches!(
            Browser::start(&launch, &folder),
            Err(WebError::Missing(_))
        ));
    }
}
