//! The Debian package `plaza-kiosk`, as an operator gets it: it builds with
//! cargo-deb (from the binary this test run built), lintian finds no error,
//! and in a fresh Debian 12 root it brings its dependencies (X, openbox),
//! creates the unprivileged kiosk user, locks the console down (no
//! Ctrl+Alt+Del, no getty, no VT switching, no blanking, openbox without
//! keys or menus), its unit verifies, and removal keeps the kiosk's data.
//! Also that the running kiosk feeds the unit's watchdog.

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use plaza_manager::testing::debian::{
    CARGO_DEB, DEBOOTSTRAP, DebianRoot, LINTIAN, assert_lintian_clean, build_package, have_tools,
    running_as_root, workspace_of,
};

fn workspace() -> PathBuf {
    workspace_of(env!("CARGO_MANIFEST_DIR"))
}

fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("debian")
}

fn package() -> &'static PathBuf {
    static PACKAGE: OnceLock<PathBuf> = OnceLock::new();
    PACKAGE.get_or_init(|| {
        // The binary cargo-deb packages is the one this test run built.
        assert!(Path::new(env!("CARGO_BIN_EXE_plaza-kiosk")).exists());
        build_package(&workspace(), "plaza-kiosk", "1", &cache().join("packages"))
    })
}

#[test]
fn the_package_builds_and_lintian_reports_no_error() {
    if !have_tools(&[CARGO_DEB, LINTIAN]) {
        return;
    }
    assert_lintian_clean(package());
}

#[test]
fn installs_into_debian_12_locked_down_and_removal_keeps_the_data() {
    if !have_tools(&[CARGO_DEB, DEBOOTSTRAP]) {
        return;
    }
    if !running_as_root() {
        return;
    }
    let root = DebianRoot::fresh(&cache(), "kiosk-root");
    root.install(&[package()]);
    let read = |path: &str| std::fs::read_to_string(root.host_path(path)).expect(path);

    // The kiosk's own user: a system account with no shell and no sudo.
    let passwd = root.run_ok("getent passwd plaza-kiosk");
    assert!(
        passwd.contains(":/var/lib/plaza-kiosk:/usr/sbin/nologin"),
        "{passwd}"
    );
    let uid: u32 = passwd
        .split(':')
        .nth(2)
        .and_then(|uid| uid.parse().ok())
        .expect("uid");
    assert!(uid < 1000, "plaza-kiosk is a system user: {passwd}");
    assert_eq!(root.run_ok("id -Gn plaza-kiosk").trim(), "plaza-kiosk");
    assert_eq!(
        root.run_ok("stat -c '%U:%G %a' /var/lib/plaza-kiosk")
            .trim(),
        "plaza-kiosk:plaza-kiosk 750"
    );
    let documented =
        std::fs::read_to_string(workspace().join("config/kiosk.toml")).expect("config/kiosk.toml");
    assert_eq!(read("/etc/plaza/kiosk.toml"), documented);
    assert!(read("/var/lib/dpkg/info/plaza-kiosk.conffiles").contains("/etc/plaza/kiosk.toml"));

    // The session starts at boot and runs only programs that are installed.
    let link = root.host_path("/etc/systemd/system/graphical.target.wants/plaza-kiosk.service");
    assert!(link.symlink_metadata().is_ok(), "the session is enabled");
    for program in [
        "/usr/bin/plaza-kiosk",
        "/usr/bin/startx",
        "/usr/bin/Xorg",
        "/usr/bin/openbox",
        "/usr/bin/xset",
        "/usr/bin/chvt",
        "/usr/lib/plaza-kiosk/xsession",
    ] {
        root.run_ok(&format!("test -x {program}"));
    }
    root.run_ok("systemd-analyze verify /lib/systemd/system/plaza-kiosk.service");
    // The binary finds every library it needs there, as its own user.
    let version = root.run_ok("runuser -u plaza-kiosk -- plaza-kiosk --version");
    assert!(version.starts_with("plaza-kiosk "), "{version}");

    // Lock-down.
    let masked = |unit: &str| {
        std::fs::read_link(root.host_path(&format!("/etc/systemd/system/{unit}")))
            .is_ok_and(|target| target == Path::new("/dev/null"))
    };
    assert!(masked("ctrl-alt-del.target"), "Ctrl+Alt+Del is masked");
    assert!(masked("getty@tty1.service"), "no getty on tty1");
    let xorg = read("/usr/share/X11/xorg.conf.d/50-plaza-kiosk.conf");
    for option in [
        "\"DontVTSwitch\" \"true\"",
        "\"DontZap\" \"true\"",
        "\"BlankTime\" \"0\"",
        "\"OffTime\" \"0\"",
    ] {
        assert!(xorg.contains(option), "Xorg: {option}");
    }
    let logind = read("/usr/lib/systemd/logind.conf.d/plaza-kiosk.conf");
    for setting in ["NAutoVTs=0", "ReserveVT=0", "HandlePowerKey=ignore"] {
        assert!(logind.contains(setting), "logind: {setting}");
    }
    assert!(
        read("/usr/lib/systemd/system.conf.d/plaza-kiosk.conf")
            .contains("CtrlAltDelBurstAction=none")
    );
    assert!(read("/usr/lib/sysctl.d/50-plaza-kiosk.conf").contains("kernel.sysrq = 0"));
    let session = read("/usr/lib/plaza-kiosk/xsession");
    assert!(session.contains("xset s off s noblank -dpms"), "{session}");
    let openbox = read("/usr/share/plaza-kiosk/openbox/rc.xml");
    assert!(!openbox.contains("<keybind"), "openbox binds no key");
    assert!(!openbox.contains("ShowMenu"), "openbox shows no menu");
    assert!(openbox.contains("<decor>no</decor>"), "no decorations");

    // Remove: the lock-down is lifted, the kiosk's data stays.
    std::fs::write(
        root.host_path("/var/lib/plaza-kiosk/outbox.sqlite"),
        b"events",
    )
    .expect("a stand-in outbox");
    root.run_ok("dpkg -r plaza-kiosk");
    assert!(!masked("ctrl-alt-del.target"), "remove lifts the mask");
    assert!(
        !masked("getty@tty1.service"),
        "remove brings tty1's getty back"
    );
    assert!(
        root.host_path("/var/lib/plaza-kiosk/outbox.sqlite")
            .exists(),
        "remove keeps the data"
    );
    let purge = root.run("dpkg --purge plaza-kiosk");
    assert!(
        purge.status.success(),
        "{}",
        String::from_utf8_lossy(&purge.stderr)
    );
    assert!(
        root.host_path("/var/lib/plaza-kiosk/outbox.sqlite")
            .exists(),
        "purge keeps the data unless told"
    );
}

/// Kills a process this test started when the test ends, however it ends.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `plaza-kiosk.service` is `Type=notify` with `WatchdogSec=`: the kiosk
/// must say it is ready, then keep saying it is alive from its window's
/// clock. Seen here through a notify socket of the test's own.
#[test]
fn the_running_kiosk_says_it_is_ready_and_feeds_the_watchdog() {
    if !have_tools(&[("Xvfb", "xvfb")]) {
        return;
    }
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1024x768x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let stdout = xvfb.stdout.take().expect("Xvfb stdout");
    let _xvfb = Started(xvfb);
    let mut display = String::new();
    BufReader::new(stdout)
        .read_line(&mut display)
        .expect("display number");

    let folder = tempfile::tempdir().expect("folder");
    let notify = folder.path().join("notify");
    let socket = UnixDatagram::bind(&notify).expect("notify socket");
    // The kiosk is another process starting a window: be patient.
    socket
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("socket timeout");
    let config = folder.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "manager_url = \"http://127.0.0.1:9\"\ndata_dir = {:?}\n",
            folder.path().join("data")
        ),
    )
    .expect("config");
    let _kiosk = Started(
        Command::new(env!("CARGO_BIN_EXE_plaza-kiosk"))
            .arg("--config")
            .arg(&config)
            .env("DISPLAY", format!(":{}", display.trim()))
            .env_remove("WAYLAND_DISPLAY")
            .env("NOTIFY_SOCKET", &notify)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plaza-kiosk"),
    );
    let mut message = [0_u8; 256];
    let length = socket
        .recv(&mut message)
        .expect("the kiosk's first notification");
    assert_eq!(&message[..length], b"READY=1\nWATCHDOG=1\n");
    for _ in 0..2 {
        let length = socket.recv(&mut message).expect("the watchdog fed again");
        assert_eq!(&message[..length], b"WATCHDOG=1\n");
    }
}
