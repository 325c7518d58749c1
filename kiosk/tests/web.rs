//! Issue #15: web access with the real Chromium under Xvfb. Skipped with
//! "skipped: install chromium" where Chromium or Xvfb is missing; under
//! `CI=true` that is a failure. The tests write Chromium's managed policy
//! file, so they run one at a time (and need root, as in CI).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use plaza_api::web::{WebMode, WebPolicy};
use plaza_kiosk::web::browser::{devtools_get, processes_using};
use plaza_kiosk::web::{Placement, WebSession, WebSetup, clear_leftovers};
use uuid::Uuid;

// Through the kiosk's app, which needs its window's feature.
#[cfg(feature = "ui")]
#[path = "web/bench.rs"]
mod bench;
#[cfg(feature = "ui")]
#[path = "web/in_session.rs"]
mod in_session;

/// The policy file is the machine's: one test at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
const PATIENCE: Duration = Duration::from_secs(90);

struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn available() -> bool {
    let present = Path::new(plaza_kiosk::web::CHROMIUM).is_file()
        && Command::new("Xvfb")
            .arg("-help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
        && Command::new("xdotool")
            .arg("version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
        && rustix_is_root();
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the web tests: install chromium, Xvfb and xdotool, run as root"
        );
        eprintln!("skipped: install chromium (and Xvfb and xdotool; run as root)");
    }
    present
}

fn rustix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find(|line| line.starts_with("Uid:"))
            .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"))
    })
}

struct Xvfb {
    _process: Started,
    display: String,
}

fn start_xvfb() -> Xvfb {
    let mut process = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1024x768x24",
            "-nolisten",
            "tcp",
            // The kiosk's window is always a client on a real terminal;
            // here the last browser's exit would otherwise reset the server
            // under the next one.
            "-noreset",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let stdout = process.stdout.take().expect("Xvfb stdout");
    let process = Started(process);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("display number");
    Xvfb {
        _process: process,
        display: format!(":{}", line.trim()),
    }
}

/// What a test site saw: a path and the request's Cookie header.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    cookie: Option<String>,
}

/// A test site on loopback: `/` sets a cookie and localStorage, reports
/// what it found from before to `/report`, and downloads `/receipt.txt`.
struct Site {
    port: u16,
    seen: Receiver<Seen>,
}

const PAGE: &str = r#"<!doctype html><html><head><title>Sitio de prueba</title></head><body>
<h1>Sitio de prueba</h1><a id="d" href="/receipt.txt" download>Recibo</a>
<script>
const before = localStorage.getItem('plaza');
localStorage.setItem('plaza', 'session-data');
fetch('/report?storage=' + encodeURIComponent(before === null ? 'none' : before))
  .then(() => document.getElementById('d').click());
</script></body></html>"#;

fn serve(stream: TcpStream, sender: &Sender<Seen>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let (kind, extra, body) = if path == "/" {
        (
            "text/html; charset=utf-8",
            "Set-Cookie: plaza=citizen-one; Max-Age=86400\r\n",
            PAGE,
        )
    } else if path == "/receipt.txt" {
        (
            "text/plain",
            "Content-Disposition: attachment; filename=\"receipt.txt\"\r\n",
            "recibo",
        )
    } else {
        ("text/plain", "", "ok")
    };
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
    let _ = sender.send(Seen {
        path,
        cookie: headers.get("cookie").cloned(),
    });
}

fn start_site() -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (sender, seen) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            serve(stream, &sender);
        }
    });
    Site { port, seen }
}

impl Site {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Forgets what was seen so far (a session's late requests).
    fn forget(&self) {
        while self.seen.try_recv().is_ok() {}
    }

    /// Requests until one for `prefix` (exactly `/`, or starting with it).
    fn wait_for(&self, prefix: &str) -> (Seen, Vec<Seen>) {
        let deadline = Instant::now() + PATIENCE;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let seen = self
                .seen
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no request for {prefix}; saw {before:?}"));
            let matches = if prefix == "/" {
                seen.path == "/"
            } else {
                seen.path.starts_with(prefix)
            };
            if matches {
                return (seen, before);
            }
            before.push(seen);
        }
    }
}

fn setup(root: &Path, display: &str) -> WebSetup {
    WebSetup {
        root: root.to_owned(),
        policy_file: PathBuf::from(plaza_kiosk::web::policy::POLICY_FILE),
        binary: PathBuf::from(plaza_kiosk::web::CHROMIUM),
        display: Some(display.to_owned()),
    }
}

const BELOW_THE_BAR: Placement = Placement {
    x: 0,
    y: 64,
    width: 1024,
    height: 704,
};

/// The machine's Plaza policy file for one test: written by the test, and
/// removed when it ends (even by a panic), because every Chromium on the
/// machine obeys it: left behind, its `DeveloperToolsAvailability` stops
/// chromedriver in the dashboard's browser tests.
struct MachinePolicy;

impl MachinePolicy {
    fn claim() -> Self {
        std::fs::create_dir_all(
            Path::new(plaza_kiosk::web::policy::POLICY_FILE)
                .parent()
                .expect("dir"),
        )
        .expect("policy folder");
        Self
    }
}

impl Drop for MachinePolicy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(plaza_kiosk::web::policy::POLICY_FILE);
    }
}

/// What a web test holds while it runs: the machine's policy file to
/// itself, and its own X display. Dropped in this order: the display, the
/// policy file, then the turn.
struct Machine {
    xvfb: Xvfb,
    _policy: MachinePolicy,
    _one: std::sync::MutexGuard<'static, ()>,
}

/// The machine for one web test, or `None` (having said "skipped") where
/// Chromium, Xvfb or xdotool is missing.
fn machine() -> Option<Machine> {
    if !available() {
        return None;
    }
    let one = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let policy = MachinePolicy::claim();
    Some(Machine {
        xvfb: start_xvfb(),
        _policy: policy,
        _one: one,
    })
}

/// Waits until `check` holds (a file appears, a process goes).
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::park_timeout(Duration::from_millis(100));
    }
}

#[test]
fn the_next_citizen_finds_no_cookie_storage_download_or_browser() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let root = tempfile::tempdir().expect("temp");
    let setup = setup(root.path(), &xvfb.display);
    let site = start_site();

    // Session 1 visits: no cookie yet, no storage yet; then a download.
    let first = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &WebPolicy::default(),
        &site.url(),
        "es",
        BELOW_THE_BAR,
    )
    .expect("session 1 browser");
    let folder = first.folder().expect("folder").to_owned();
    assert!(folder.starts_with(root.path()));
    let (page, _) = site.wait_for("/");
    assert_eq!(page.cookie, None);
    let (report, _) = site.wait_for("/report");
    assert_eq!(report.path, "/report?storage=none");
    assert_eq!(report.cookie.as_deref(), Some("plaza=citizen-one"));
    site.wait_for("/receipt.txt");
    let receipt = folder.join("downloads").join("receipt.txt");
    eventually("the download lands in the session folder", || {
        receipt.is_file()
    });
    let pid = first.browser().expect("browser").pid();
    assert!(!processes_using(&folder).is_empty());

    let (_, deleted) = first.end(jiff::Timestamp::now());
    deleted.expect("deleted");
    // Gone at once: the group was killed and waited for.
    assert!(
        processes_using(&folder).is_empty(),
        "{:?}",
        processes_using(&folder)
    );
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "browser {pid} still there"
    );
    assert!(!folder.exists(), "{} still there", folder.display());

    // Session 2, same site: no cookie sent, no storage found.
    site.forget();
    let second = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &WebPolicy::default(),
        &site.url(),
        "es",
        BELOW_THE_BAR,
    )
    .expect("session 2 browser");
    let (page, _) = site.wait_for("/");
    assert_eq!(page.cookie, None, "session 2 sent session 1's cookie");
    let (report, _) = site.wait_for("/report");
    assert_eq!(
        report.path, "/report?storage=none",
        "session 2 found session 1's storage"
    );
    let second_folder = second.folder().expect("folder").to_owned();
    let (_, deleted) = second.end(jiff::Timestamp::now());
    deleted.expect("deleted");
    assert!(!second_folder.exists());
}

/// The URL of the page in front, read through DevTools.
fn front_url(session: &WebSession) -> Option<String> {
    let port = session.browser()?.devtools_port()?;
    let pages: Vec<serde_json::Value> =
        serde_json::from_str(&devtools_get(port, "/json/list")?).ok()?;
    pages
        .iter()
        .find(|page| page["type"] == "page")
        .and_then(|page| page["url"].as_str())
        .map(str::to_owned)
}

#[test]
fn an_allow_list_lets_its_sites_through_and_blocks_the_rest() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let root = tempfile::tempdir().expect("temp");
    let setup = setup(root.path(), &xvfb.display);
    let allowed = start_site();
    let blocked = start_site();
    let policy = WebPolicy {
        mode: WebMode::AllowList,
        sites: vec![format!("127.0.0.1:{}", allowed.port)],
        ..WebPolicy::default()
    };

    let session = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &policy,
        &allowed.url(),
        "es",
        BELOW_THE_BAR,
    )
    .expect("browser");
    allowed.wait_for("/report");
    let (_, deleted) = session.end(jiff::Timestamp::now());
    deleted.expect("deleted");

    let session = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &policy,
        &blocked.url(),
        "es",
        BELOW_THE_BAR,
    )
    .expect("browser");
    // The blocked page is committed (its URL is in front) without the site
    // ever being asked.
    eventually("the blocked URL is in front", || {
        front_url(&session).is_some_and(|url| url.starts_with(&blocked.url()))
    });
    assert!(
        blocked.seen.try_recv().is_err(),
        "a blocked site was reached"
    );
    let (_, deleted) = session.end(jiff::Timestamp::now());
    deleted.expect("deleted");
}

/// Input into the browser window resets the X server's idle time, which
/// the kiosk's idle rule reads.
#[test]
fn input_in_the_browser_counts_as_activity() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let root = tempfile::tempdir().expect("temp");
    let setup = setup(root.path(), &xvfb.display);
    let site = start_site();
    let session = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &WebPolicy::default(),
        &site.url(),
        "es",
        BELOW_THE_BAR,
    )
    .expect("browser");
    site.wait_for("/report");
    let idle = plaza_kiosk::web::idle::XIdle::connect(Some(&xvfb.display)).expect("X");
    let before = idle.idle().expect("idle");
    let typed = Command::new("xdotool")
        .args(["mousemove", "300", "300", "click", "1", "type", "hola"])
        .env("DISPLAY", &xvfb.display)
        .status()
        .expect("xdotool");
    assert!(typed.success());
    let after = idle.idle().expect("idle");
    assert!(
        after < before,
        "idle {after:?} after input, {before:?} before"
    );
    let (_, deleted) = session.end(jiff::Timestamp::now());
    deleted.expect("deleted");
}

/// The helper process for the crash test: a "kiosk" that starts a browser
/// session and waits to be killed.
#[test]
fn crashed_kiosk_helper() {
    let (Ok(root), Ok(display), Ok(url)) = (
        std::env::var("PLAZA_WEB_HELPER_ROOT"),
        std::env::var("PLAZA_WEB_HELPER_DISPLAY"),
        std::env::var("PLAZA_WEB_HELPER_URL"),
    ) else {
        return;
    };
    let setup = setup(Path::new(&root), &display);
    let session = WebSession::start(
        &setup,
        Uuid::now_v7(),
        &WebPolicy::default(),
        &url,
        "es",
        BELOW_THE_BAR,
    )
    .expect("browser");
    println!("started");
    std::io::stdout().flush().expect("flush");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(session);
}

#[test]
fn a_kiosk_killed_mid_session_leaves_nothing_after_its_restart() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let root = tempfile::tempdir().expect("temp");
    let site = start_site();
    let mut kiosk = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "crashed_kiosk_helper",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("PLAZA_WEB_HELPER_ROOT", root.path())
        .env("PLAZA_WEB_HELPER_DISPLAY", &xvfb.display)
        .env("PLAZA_WEB_HELPER_URL", site.url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("helper");
    site.wait_for("/report");
    let mut output = kiosk.stdout.take().expect("stdout");
    let mut started = [0u8; 1];
    output.read_exact(&mut started).expect("helper output");
    // kill -9: no destructor runs.
    kiosk.kill().expect("kill -9");
    kiosk.wait().expect("reap");
    assert!(
        !processes_using(root.path()).is_empty(),
        "the browser outlived its kiosk"
    );
    assert_eq!(std::fs::read_dir(root.path()).expect("root").count(), 1);

    // The restart.
    assert_eq!(clear_leftovers(root.path()).expect("clear"), 1);
    assert!(
        processes_using(root.path()).is_empty(),
        "{:?}",
        processes_using(root.path())
    );
    assert_eq!(std::fs::read_dir(root.path()).expect("root").count(), 0);
}
