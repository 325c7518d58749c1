//! The Debian package `plaza-kiosk`, as an operator gets it: it builds with
//! cargo-deb (from the binary this test run built), lintian finds no error,
//! and in a fresh Debian 12 root it brings its dependencies (X, openbox),
//! creates the unprivileged kiosk user, locks the console down (no
//! Ctrl+Alt+Del, no getty, no VT switching, no blanking, openbox without
//! keys or menus), its unit verifies, and removal keeps the kiosk's data.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plaza_manager::testing::debian::{
    DebianRoot, build_package, have_tools, lintian, running_as_root, workspace_of,
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
    if !have_tools(&[
        ("cargo-deb", "cargo-deb (cargo install --locked cargo-deb)"),
        ("lintian", "lintian"),
    ]) {
        return;
    }
    let report = lintian(package());
    assert!(
        report.errors.is_empty(),
        "lintian errors:\n{}",
        report.report
    );
    // Each warning left is explained in packaging/plaza-kiosk/lintian-overrides.
    assert!(
        report.warnings.is_empty(),
        "unexplained lintian warnings:\n{}",
        report.report
    );
}

#[test]
fn installs_into_debian_12_locked_down_and_removal_keeps_the_data() {
    if !have_tools(&[
        ("cargo-deb", "cargo-deb (cargo install --locked cargo-deb)"),
        ("debootstrap", "debootstrap"),
    ]) {
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
