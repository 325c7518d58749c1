//! `plaza bench faults`: the fault suite including its long runs, which the
//! ordinary test run skips (`#[ignore]`). Runs them through cargo, since
//! they are tests; see RELIABILITY.md for what each proves.

use std::process::Command;

use anyhow::Context;

const SUITES: &[&[&str]] = &[
    &["-p", "plaza", "--test", "faults"],
    &["-p", "plaza", "--test", "hostile"],
    &[
        "-p",
        "plaza-manager",
        "--test",
        "durability",
        "--test",
        "disk_faults",
        "--test",
        "secrets_in_logs",
    ],
];

/// The cargo that started us (`cargo run`), else the one on the PATH.
/// Not the build-time path of cargo: called directly it skips rustup's
/// proxy, so rustc would pick its toolchain from each dependency's folder,
/// and a dependency that ships a `rust-toolchain` file (axum-macros does)
/// asks for a toolchain that is not installed.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

pub fn run() -> anyhow::Result<()> {
    let mut failed = Vec::new();
    for suite in SUITES {
        println!("== cargo test --release {}", suite.join(" "));
        let status = Command::new(cargo())
            .args(["test", "--release"])
            .args(*suite)
            .args(["--", "--include-ignored", "--nocapture"])
            .status()
            .context("running cargo (plaza bench faults needs the source tree and cargo)")?;
        if !status.success() {
            failed.push(suite.join(" "));
        }
    }
    anyhow::ensure!(failed.is_empty(), "failed: {}", failed.join("; "));
    println!("all fault suites passed");
    Ok(())
}
