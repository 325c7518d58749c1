//! Issue #15's benchmark, behind `--ignored`: from "Open here" to the
//! page, against Chromium started bare on the same page in the same run;
//! from "End session" to the attract screen with everything deleted; the
//! browser's memory, and the kiosk's after many browse-and-wipe cycles.
//!
//! ```sh
//! cargo test -p plaza-kiosk --test web web_bench -- --ignored --nocapture
//! # PLAZA_BENCH_CYCLES=200 (default 50)
//! ```

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use plaza_api::session::Section;
use plaza_kiosk::app::{Kiosk, Message, Screen, Setup};
use plaza_kiosk::config::KioskConfig;
use plaza_kiosk::screen::{home, internet};
use plaza_kiosk::web::browser::processes_using;

use super::in_session::started;
use super::{Started, machine, setup, start_site};

/// Resident memory of process `pid`, in KiB.
fn rss_kib(pid: i32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn web_bench() {
    let Some(machine) = machine() else {
        return;
    };
    let xvfb = &machine.xvfb;
    let site = start_site();
    let cycles: usize = std::env::var("PLAZA_BENCH_CYCLES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(50);
    const ROUNDS: usize = 5;

    // Baseline: Chromium bare on the same page, a new profile each time.
    let mut bare = Vec::new();
    for _ in 0..ROUNDS {
        let profile = tempfile::tempdir().expect("profile");
        site.forget();
        let begun = Instant::now();
        let mut command = Command::new(plaza_kiosk::web::CHROMIUM);
        command
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--no-first-run", "--disable-gpu", "--ozone-platform=x11"])
            .arg(format!("--app={}", site.url()))
            .env("DISPLAY", &xvfb.display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group, ended whole: a helper left behind would hold
            // an idle connection to the one-at-a-time test site.
            .process_group(0);
        if super::rustix_is_root() {
            command.arg("--no-sandbox");
        }
        let browser = Started(command.spawn().expect("chromium"));
        site.wait_for("/report");
        bare.push(begun.elapsed());
        if let Some(group) = i32::try_from(browser.0.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        drop(browser);
    }

    // Plaza: "Open here" through the kiosk, then "End session".
    let data = tempfile::tempdir().expect("data");
    let mut kiosk_setup = Setup::offline(KioskConfig {
        fullscreen: false,
        ..KioskConfig::default()
    })
    .expect("setup");
    kiosk_setup.data_dir = data.path().to_owned();
    kiosk_setup.web = Some(setup(&data.path().join("web"), &xvfb.display));
    let (mut kiosk, _) = Kiosk::new(kiosk_setup, Timestamp::now());
    let myself = i32::try_from(std::process::id()).expect("pid");
    let (mut opened, mut ended) = (Vec::new(), Vec::new());
    let (mut peak_browser_kib, mut kiosk_after_first_kib) = (0, 0);
    for cycle in 0..cycles.max(ROUNDS) {
        started(&mut kiosk);
        let _ = kiosk.update(Message::Home(home::Message::Open(Section::Internet)));
        site.forget();
        let begun = Instant::now();
        let _ = kiosk.update(Message::Internet(internet::Message::Open(site.url())));
        assert!(
            kiosk.web_folder().is_some(),
            "cycle {cycle}: {:?}",
            kiosk.diagnostics().problems
        );
        site.wait_for("/report");
        opened.push(begun.elapsed());
        let folder = kiosk.web_folder().expect("browsing").to_owned();
        let browser_kib: u64 = processes_using(&folder).into_iter().map(rss_kib).sum();
        peak_browser_kib = peak_browser_kib.max(browser_kib);
        let begun = Instant::now();
        let _ = kiosk.update(Message::EndSession);
        ended.push(begun.elapsed());
        assert!(matches!(kiosk.citizen().screen, Screen::Attract(_)));
        assert!(!folder.exists() && processes_using(&folder).is_empty());
        if cycle == 0 {
            kiosk_after_first_kib = rss_kib(myself);
        }
    }
    let kiosk_after_all_kib = rss_kib(myself);
    let (bare_p50, opened_p50) = (median(&mut bare), median(&mut opened));
    println!(
        "web access, {} cycles on Xvfb (software rendering):",
        opened.len()
    );
    println!("  Chromium bare to the page (baseline), p50 {bare_p50:.2?}");
    println!(
        "  \"Open here\" to the page, p50 {opened_p50:.2?}, max {:.2?} ({:.2}x the baseline)",
        opened.iter().max().expect("samples"),
        opened_p50.as_secs_f64() / bare_p50.as_secs_f64()
    );
    println!(
        "  \"End session\" to the attract screen, everything deleted: p50 {:.2?}, max {:.2?}",
        median(&mut ended),
        ended.iter().max().expect("samples")
    );
    println!("  browser's peak RSS {} MiB", peak_browser_kib / 1024);
    println!(
        "  test process (the kiosk's logic) RSS after cycle 1: {} MiB, after {}: {} MiB",
        kiosk_after_first_kib / 1024,
        opened.len(),
        kiosk_after_all_kib / 1024
    );
}
