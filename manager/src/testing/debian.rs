//! Debian packages under test: built by cargo-deb from the binaries that
//! `cargo test` already built (no release build), checked by lintian, and
//! installed into a fresh Debian 12 root made by debootstrap. The pristine
//! root is made once per run (kept in the tests' temporary folder) and
//! copied for each test that installs into it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SUITE: &str = "bookworm";
const DEFAULT_MIRROR: &str = "http://deb.debian.org/debian";
const PRISTINE: &str = "debian12-pristine";

/// `true` when every tool is on the PATH; otherwise prints
/// "skipped: install X" for the first missing one. In CI (`CI=true`, as
/// `.ci/run` is run, after installing them) a missing tool fails instead,
/// so these tests are never skipped there.
pub fn have_tools(tools: &[(&str, &str)]) -> bool {
    for (command, install) in tools {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {command}")])
            .output()
            .is_ok_and(|output| output.status.success());
        if !found {
            skip(&format!("install {install}"));
            return false;
        }
    }
    true
}

/// Installing into a root needs root (debootstrap, chroot, mount); prints
/// why it skips otherwise (and fails in CI, which runs as root).
pub fn running_as_root() -> bool {
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            == Some("0")
    });
    if !root {
        skip("run as root (debootstrap, chroot)");
    }
    root
}

fn skip(what: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "not skipped in CI: {what}"
    );
    eprintln!("skipped: {what}");
}

/// The workspace's root folder, from a crate's `CARGO_MANIFEST_DIR`.
pub fn workspace_of(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir)
        .ancestors()
        .find(|folder| {
            std::fs::read_to_string(folder.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.contains("[workspace]"))
        })
        .unwrap_or_else(|| Path::new(manifest_dir))
        .to_path_buf()
}

/// Runs `cargo deb` for `package` on the `dev`-profile binary already built,
/// with Debian revision `revision` (a higher one is an upgrade), into
/// `output`; returns the package file.
pub fn build_package(workspace: &Path, package: &str, revision: &str, output: &Path) -> PathBuf {
    std::fs::create_dir_all(output).expect("package output folder");
    let result = Command::new("cargo-deb")
        .current_dir(workspace)
        .args(["-p", package, "--no-build", "--profile", "dev", "--fast"])
        .args(["--deb-revision", revision, "--output"])
        .arg(output)
        .output()
        .expect("run cargo-deb");
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "cargo deb -p {package} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let deb = stdout
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.ends_with(".deb"))
        .unwrap_or_else(|| panic!("cargo deb printed no package path:\n{stdout}"));
    PathBuf::from(deb)
}

pub const CARGO_DEB: (&str, &str) = ("cargo-deb", "cargo-deb (cargo install --locked cargo-deb)");
pub const LINTIAN: (&str, &str) = ("lintian", "lintian");
pub const DEBOOTSTRAP: (&str, &str) = ("debootstrap", "debootstrap");

/// lintian reports no error about the package, and no warning either: each
/// one left is explained in the package's shipped overrides file
/// (`packaging/PACKAGE/lintian-overrides`), which silences it.
pub fn assert_lintian_clean(deb: &Path) {
    let output = Command::new("lintian")
        .arg("--no-cfg")
        .arg(deb)
        .output()
        .expect("run lintian");
    let report = String::from_utf8_lossy(&output.stdout);
    // lintian exits 1 when it reports errors; anything else is its own failure.
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "lintian failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !report
            .lines()
            .any(|line| line.starts_with("E: ") || line.starts_with("W: ")),
        "lintian errors or unexplained warnings:\n{report}"
    );
}

/// A Debian 12 root of its own, removed (with its mounts) when dropped.
pub struct DebianRoot {
    path: PathBuf,
}

impl DebianRoot {
    /// A copy of the pristine minbase root (with systemd, for
    /// `systemd-analyze`), made by debootstrap on first use and kept in
    /// `cache` for the rest of the run.
    pub fn fresh(cache: &Path, name: &str) -> Self {
        let pristine = pristine_root(cache);
        let path = cache.join(name);
        if path.exists() {
            assert!(
                unmount_proc(&path),
                "{}/proc is still mounted",
                path.display()
            );
            std::fs::remove_dir_all(&path).expect("remove an old root");
        }
        run_host(Command::new("cp").arg("-a").arg(&pristine).arg(&path));
        std::fs::copy("/etc/resolv.conf", path.join("etc/resolv.conf"))
            .expect("copy resolv.conf for apt");
        run_host(
            Command::new("mount")
                .args(["-t", "proc", "proc"])
                .arg(path.join("proc")),
        );
        Self { path }
    }

    /// A path inside the root, as the host sees it.
    pub fn host_path(&self, inside: &str) -> PathBuf {
        self.path.join(inside.trim_start_matches('/'))
    }

    /// Copies a host file into the root's /tmp; returns its path inside.
    pub fn copy_in(&self, file: &Path) -> String {
        let name = file
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        std::fs::copy(file, self.host_path("tmp").join(&name)).expect("copy into the root");
        format!("/tmp/{name}")
    }

    /// Runs a shell script inside the root as root.
    pub fn run(&self, script: &str) -> Output {
        self.run_with(&[], script)
    }

    /// [`Self::run`] with environment variables set for the script.
    pub fn run_with(&self, environment: &[(&str, &str)], script: &str) -> Output {
        let mut command = Command::new("chroot");
        command
            .arg(&self.path)
            .args(["/bin/sh", "-c", script])
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .env("LC_ALL", "C.UTF-8");
        for (key, value) in environment {
            command.env(key, value);
        }
        command.output().expect("run chroot")
    }

    /// [`Self::run`] that must succeed; returns its standard output.
    pub fn run_ok(&self, script: &str) -> String {
        let output = self.run(script);
        assert!(
            output.status.success(),
            "in the Debian root: {script}\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `dpkg -i` of packages copied in, then `apt-get -f install` for what
    /// they depend on, as an operator would.
    pub fn install(&self, debs: &[&Path]) -> String {
        let inside: Vec<String> = debs.iter().map(|deb| self.copy_in(deb)).collect();
        let listed = inside.join(" ");
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.run(&format!("dpkg -i {listed}")).stderr),
            self.run_ok("apt-get -f install -y -q --no-install-recommends")
        )
    }
}

impl Drop for DebianRoot {
    fn drop(&mut self) {
        // Never delete a tree with something still mounted inside it.
        if unmount_proc(&self.path) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Unmounts `root/proc` if mounted; `true` once nothing is mounted there.
fn unmount_proc(root: &Path) -> bool {
    let proc = root.join("proc");
    let mounted = || {
        std::fs::read_to_string("/proc/mounts").is_ok_and(|mounts| {
            mounts
                .lines()
                .any(|line| line.split_whitespace().nth(1) == Some(&*proc.to_string_lossy()))
        })
    };
    if mounted() {
        let _ = Command::new("umount").arg(&proc).output();
    }
    !mounted()
}

/// The pristine root, made under a lock so that the two crates' package
/// tests (separate processes) make it only once.
fn pristine_root(cache: &Path) -> PathBuf {
    std::fs::create_dir_all(cache).expect("cache folder");
    let lock = File::create(cache.join(format!("{PRISTINE}.lock"))).expect("lock file");
    lock.lock().expect("lock the pristine root");
    let pristine = cache.join(PRISTINE);
    if pristine.join(".complete").exists() {
        return pristine;
    }
    let partial = cache.join(format!("{PRISTINE}.partial"));
    if partial.exists() {
        assert!(
            unmount_proc(&partial),
            "{}/proc is still mounted",
            partial.display()
        );
        std::fs::remove_dir_all(&partial).expect("remove a partial root");
    }
    let mirror = std::env::var("PLAZA_DEBIAN_MIRROR").unwrap_or_else(|_| DEFAULT_MIRROR.into());
    eprintln!(
        "debootstrap {SUITE} into {} (once per run)…",
        partial.display()
    );
    run_host(
        Command::new("debootstrap")
            .args(["--variant=minbase", "--include=systemd", SUITE])
            .arg(&partial)
            .arg(&mirror),
    );
    std::fs::copy("/etc/resolv.conf", partial.join("etc/resolv.conf")).expect("resolv.conf");
    run_host(
        Command::new("chroot")
            .arg(&partial)
            .args(["apt-get", "update", "-q"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    );
    File::create(partial.join(".complete")).expect("mark the root complete");
    std::fs::rename(&partial, &pristine).expect("keep the pristine root");
    pristine
}

fn run_host(command: &mut Command) {
    let output = command.output().expect("run a host command");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
