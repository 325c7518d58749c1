//! The Debian package `plaza-manager`, as an operator gets it: it builds
//! with cargo-deb (from the binary this test run built), lintian finds no
//! error, it installs into a fresh Debian 12 root where the guide says
//! things are, runs there as the `plaza` user, upgrades and is removed
//! without losing the database, and its units verify and stay sandboxed to
//! the exposure documented in ARCHITECTURE.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use plaza_manager::testing::debian::{
    CARGO_DEB, DEBOOTSTRAP, DebianRoot, LINTIAN, assert_lintian_clean, build_package, have_tools,
    running_as_root, workspace_of,
};

/// `systemd-analyze security` of plaza-manager.service, as documented.
const MANAGER_EXPOSURE_AT_MOST: f64 = 1.1;
/// The same for the nightly backup's service (no network at all).
const BACKUP_EXPOSURE_AT_MOST: f64 = 0.2;
const UNITS: [&str; 3] = [
    "plaza-manager.service",
    "plaza-manager-backup.service",
    "plaza-manager-nightly-backup.timer",
];

fn workspace() -> PathBuf {
    workspace_of(env!("CARGO_MANIFEST_DIR"))
}

fn cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("debian")
}

/// The package at Debian revision 1, and a newer build (revision 2) to
/// upgrade to; built once for all the tests of this file.
fn packages() -> &'static (PathBuf, PathBuf) {
    static PACKAGES: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    PACKAGES.get_or_init(|| {
        // The binary cargo-deb packages is the one this test run built.
        assert!(Path::new(env!("CARGO_BIN_EXE_plaza-manager")).exists());
        let output = cache().join("packages");
        (
            build_package(&workspace(), "plaza-manager", "1", &output),
            build_package(&workspace(), "plaza-manager", "2", &output),
        )
    })
}

fn exposure(unit: &Path) -> f64 {
    let output = Command::new("systemd-analyze")
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(unit)
        .output()
        .expect("run systemd-analyze security");
    let report = String::from_utf8_lossy(&output.stdout);
    let line = report
        .lines()
        .find(|line| line.contains("Overall exposure level"))
        .unwrap_or_else(|| panic!("no exposure level in:\n{report}"));
    line.split(':')
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no number in {line:?}"))
}

#[test]
fn the_package_builds_and_lintian_reports_no_error() {
    if !have_tools(&[CARGO_DEB, LINTIAN]) {
        return;
    }
    assert_lintian_clean(&packages().0);
}

#[test]
fn the_units_are_sandboxed_to_the_documented_exposure() {
    if !have_tools(&[("systemd-analyze", "systemd")]) {
        return;
    }
    let folder = workspace().join("packaging/plaza-manager");
    let manager = exposure(&folder.join("plaza-manager.service"));
    assert!(
        manager <= MANAGER_EXPOSURE_AT_MOST,
        "plaza-manager.service exposure {manager} > {MANAGER_EXPOSURE_AT_MOST}"
    );
    let backup = exposure(&folder.join("backup/plaza-manager-backup.service"));
    assert!(
        backup <= BACKUP_EXPOSURE_AT_MOST,
        "plaza-manager-backup.service exposure {backup} > {BACKUP_EXPOSURE_AT_MOST}"
    );
}

#[test]
fn installs_upgrades_and_is_removed_in_debian_12_keeping_the_data() {
    if !have_tools(&[CARGO_DEB, DEBOOTSTRAP]) {
        return;
    }
    if !running_as_root() {
        return;
    }
    let (first, newer) = packages();
    let root = DebianRoot::fresh(&cache(), "manager-root");
    root.install(&[first]);

    // Where the guide says.
    let passwd = root.run_ok("getent passwd plaza");
    assert!(
        passwd.contains(":/var/lib/plaza:/usr/sbin/nologin"),
        "{passwd}"
    );
    let uid: u32 = passwd
        .split(':')
        .nth(2)
        .and_then(|uid| uid.parse().ok())
        .expect("uid");
    assert!(uid < 1000, "plaza is a system user: {passwd}");
    assert_eq!(
        root.run_ok("stat -c '%U:%G %a' /var/lib/plaza").trim(),
        "plaza:plaza 750"
    );
    let installed = std::fs::read_to_string(root.host_path("/etc/plaza/manager.toml"))
        .expect("/etc/plaza/manager.toml");
    let documented = std::fs::read_to_string(workspace().join("config/manager.toml"))
        .expect("config/manager.toml");
    assert_eq!(installed, documented);
    let conffiles = root.run_ok("cat /var/lib/dpkg/info/plaza-manager.conffiles");
    assert!(conffiles.contains("/etc/plaza/manager.toml"), "{conffiles}");
    for unit in UNITS {
        assert!(
            root.host_path(&format!("/lib/systemd/system/{unit}"))
                .exists(),
            "{unit}"
        );
    }
    // Enabled: links (to paths inside the root, so not followed here).
    for wanted in [
        "timers.target.wants/plaza-manager-nightly-backup.timer",
        "multi-user.target.wants/plaza-manager.service",
    ] {
        let link = root.host_path(&format!("/etc/systemd/system/{wanted}"));
        assert!(link.symlink_metadata().is_ok(), "{wanted} is enabled");
    }
    // postinst migrated: the database exists, owned by plaza.
    assert_eq!(
        root.run_ok("stat -c %U /var/lib/plaza/plaza.sqlite3")
            .trim(),
        "plaza"
    );

    // The operator's commands, as the service user, with the installed config.
    let as_plaza =
        |command: &str| root.run_ok(&format!("runuser -u plaza -- plaza-manager {command}"));
    as_plaza("migrate");
    as_plaza("centre add 'Biblioteca Norte'");
    let checked = as_plaza("check");
    assert!(
        checked.contains("integrity ok, schema version"),
        "{checked}"
    );
    as_plaza("backup");
    let copies = root.run_ok("ls /var/lib/plaza/backups");
    assert!(
        copies.trim().starts_with("plaza-"),
        "a dated copy: {copies}"
    );

    // Every unit verifies where its programs are installed.
    for unit in UNITS {
        root.run_ok(&format!(
            "systemd-analyze verify /lib/systemd/system/{unit}"
        ));
    }

    // Upgrade to a newer build: the data is kept, and a copy from before.
    root.install(&[newer]);
    let version = root.run_ok("dpkg-query -W -f '${Version}' plaza-manager");
    assert!(version.ends_with("-2"), "upgraded: {version}");
    assert!(
        as_plaza("centre list").contains("Biblioteca Norte"),
        "data kept on upgrade"
    );
    let copies = root.run_ok("ls /var/lib/plaza/backups | wc -l");
    assert_eq!(
        copies.trim(),
        "2",
        "postinst copied the database before migrating"
    );

    // Remove: the program goes, the database and the config stay.
    root.run_ok("dpkg -r plaza-manager");
    assert!(!root.host_path("/usr/bin/plaza-manager").exists());
    assert!(
        root.host_path("/var/lib/plaza/plaza.sqlite3").exists(),
        "remove keeps the data"
    );
    assert!(
        root.host_path("/etc/plaza/manager.toml").exists(),
        "remove keeps the config"
    );

    // Purge asks nothing and keeps the data unless told.
    let purge = root.run("dpkg --purge plaza-manager");
    assert!(
        purge.status.success(),
        "{}",
        String::from_utf8_lossy(&purge.stderr)
    );
    assert!(String::from_utf8_lossy(&purge.stderr).contains("PLAZA_PURGE_DATA=yes"));
    assert!(
        root.host_path("/var/lib/plaza/plaza.sqlite3").exists(),
        "purge keeps the data"
    );
    assert!(
        !root.host_path("/etc/plaza/manager.toml").exists(),
        "purge removes the config"
    );

    // Reinstalled on the kept data, then purged when told.
    root.install(&[newer]);
    assert!(
        as_plaza("centre list").contains("Biblioteca Norte"),
        "the kept data serves again"
    );
    let told = root.run_with(&[("PLAZA_PURGE_DATA", "yes")], "dpkg --purge plaza-manager");
    assert!(
        told.status.success(),
        "{}",
        String::from_utf8_lossy(&told.stderr)
    );
    assert!(
        !root.host_path("/var/lib/plaza").exists(),
        "purge when told deletes the data"
    );
}
