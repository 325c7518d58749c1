//! The `plaza-kiosk` binary itself: enrolment from the command line, and,
//! under Xvfb (installed by `.ci/run`), starting full screen with software
//! rendering and drawing the attract screen, not a blank frame (the capture
//! is saved as a PNG artifact next to the test binaries).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

/// The attract screen's background (theme::NORMAL.background).
const BACKGROUND: [u8; 3] = [0xF7, 0xF7, 0xF2];
/// The primary button's blue (theme::NORMAL.primary).
const PRIMARY: [u8; 3] = [0x0B, 0x4F, 0x9C];
const WIDTH: u16 = 1024;
const HEIGHT: u16 = 768;

/// Kills a process this test started when the test ends, however it ends.
struct Started(Child);

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn has_xvfb() -> bool {
    Command::new("Xvfb")
        .arg("-help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// An Xvfb server on a display it chose itself.
struct Xvfb {
    _process: Started,
    display: String,
}

fn start_xvfb() -> Xvfb {
    // -displayfd: Xvfb picks a free display and prints its number when ready.
    let mut process = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            &format!("{WIDTH}x{HEIGHT}x24"),
            "-nolisten",
            "tcp",
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

/// Starts the kiosk binary full screen on `display`, with no manager.
fn start_kiosk(display: &str, folder: &std::path::Path) -> Started {
    start_kiosk_binary(env!("CARGO_BIN_EXE_plaza-kiosk"), display, folder)
}

fn start_kiosk_binary(binary: &str, display: &str, folder: &std::path::Path) -> Started {
    let config = folder.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "manager_url = \"http://127.0.0.1:9\"\ndata_dir = {:?}\nfullscreen = true\n",
            folder.join("data")
        ),
    )
    .expect("config");
    Started(
        Command::new(binary)
            .arg("--config")
            .arg(&config)
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plaza-kiosk"),
    )
}

/// Captures the screen until the start button appears (or 60 s pass: the
/// kiosk is another process, and CI machines can be slow).
fn wait_for_attract(display: &str) -> Vec<[u8; 3]> {
    let (connection, screen) = x11rb::connect(Some(display)).expect("connect to Xvfb");
    let root = connection.setup().roots[screen].root;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let image = connection
            .get_image(ImageFormat::Z_PIXMAP, root, 0, 0, WIDTH, HEIGHT, !0)
            .expect("request")
            .reply()
            .expect("screen image");
        let pixels = rgb(&image.data);
        if count(&pixels, PRIMARY) > 500 || Instant::now() > deadline {
            return pixels;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_kiosk_draws_its_attract_screen_under_xvfb() {
    if !has_xvfb() {
        eprintln!("skipped: Xvfb is not installed (.ci/run installs it)");
        return;
    }
    let xvfb = start_xvfb();
    let folder = tempfile::tempdir().expect("folder");
    let _kiosk = start_kiosk(&xvfb.display, folder.path());
    let pixels = wait_for_attract(&xvfb.display);
    let artifact = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kiosk-attract.png");
    save_png(&artifact, &pixels);
    eprintln!("screenshot saved to {}", artifact.display());

    let total = usize::from(WIDTH) * usize::from(HEIGHT);
    assert!(
        count(&pixels, BACKGROUND) > total / 2,
        "the attract background covers the screen (see {})",
        artifact.display()
    );
    assert!(
        count(&pixels, PRIMARY) > 500,
        "the start button is drawn (see {})",
        artifact.display()
    );
    let dark_text = pixels
        .iter()
        .filter(|pixel| pixel.iter().all(|channel| *channel < 0x40))
        .count();
    assert!(
        dark_text > 500,
        "the title text is drawn (see {})",
        artifact.display()
    );
}

/// Benchmark, not a test (see BENCHMARKS.md): binary size, start to first
/// frame, peak RSS, against the same binary's bare process start.
#[test]
#[ignore = "benchmark: see BENCHMARKS.md"]
fn first_frame_and_memory() {
    assert!(has_xvfb(), "the benchmark needs Xvfb");
    // PLAZA_KIOSK_BIN measures another build (e.g. target/release/plaza-kiosk)
    // without compiling the test suite in that profile.
    let binary = std::env::var("PLAZA_KIOSK_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_plaza-kiosk").to_owned());
    let binary = binary.as_str();
    let size = std::fs::metadata(binary).expect("binary").len();
    let runs = 5;
    let mut process_start = Vec::new();
    let mut first_frame = Vec::new();
    let mut peak_rss_kb = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let status = Command::new(binary)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .expect("run");
        assert!(status.success());
        process_start.push(started.elapsed());

        let xvfb = start_xvfb();
        let folder = tempfile::tempdir().expect("folder");
        let started = Instant::now();
        let kiosk = start_kiosk_binary(binary, &xvfb.display, folder.path());
        let pixels = wait_for_attract(&xvfb.display);
        first_frame.push(started.elapsed());
        assert!(count(&pixels, PRIMARY) > 500, "attract screen drawn");
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", kiosk.0.id())).expect("status");
        let rss = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| {
                value
                    .trim()
                    .trim_end_matches(" kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .expect("VmHWM");
        peak_rss_kb = peak_rss_kb.max(rss);
    }
    let median = |mut samples: Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let process_start = median(process_start);
    let first_frame = median(first_frame);
    println!("binary: {binary}");
    println!("binary size: {:.1} MB", size as f64 / 1e6);
    println!("process start (--version), median of {runs}: {process_start:?}");
    println!(
        "start to first frame, median of {runs}: {first_frame:?} ({:.1}x process start)",
        first_frame.as_secs_f64() / process_start.as_secs_f64()
    );
    println!(
        "peak RSS at the attract screen: {:.1} MB",
        peak_rss_kb as f64 / 1024.0
    );
}

/// Xvfb's 24-bit Z-pixmap is 4 bytes per pixel, blue-green-red-unused.
fn rgb(data: &[u8]) -> Vec<[u8; 3]> {
    data.chunks_exact(4)
        .map(|pixel| [pixel[2], pixel[1], pixel[0]])
        .collect()
}

fn count(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels.iter().filter(|pixel| **pixel == colour).count()
}

fn save_png(path: &std::path::Path, pixels: &[[u8; 3]]) {
    let file = std::fs::File::create(path).expect("artifact file");
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        u32::from(WIDTH),
        u32::from(HEIGHT),
    );
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&pixels.concat()).expect("png data");
}

#[tokio::test]
async fn enroll_on_first_start_saves_the_token_for_the_owner_only() {
    let manager = plaza_manager::testing::TestManager::start().await;
    manager.add_centre("Biblioteca Norte", &["Centro"]).await;
    let code = manager.enrolment_code("Biblioteca Norte").await;
    let folder = tempfile::tempdir().expect("folder");
    let data = folder.path().join("data");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_plaza-kiosk"))
        .arg("--config")
        .arg(folder.path().join("absent.toml"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--manager")
        .arg(&manager.url)
        .arg("--enroll")
        .arg(&code)
        // No display: the window cannot open, after enrolment is done.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .await
        .expect("run plaza-kiosk");
    let credentials = plaza_kiosk::credentials::Credentials::load(&data)
        .expect("readable")
        .unwrap_or_else(|| panic!("enrolled: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(credentials.centre, "Biblioteca Norte");
    assert_eq!(credentials.manager_url, manager.url);
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(plaza_kiosk::credentials::path_in(&data))
            .expect("file")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    let kiosk = manager
        .state
        .storage
        .kiosk(credentials.kiosk_id)
        .await
        .expect("the manager knows the kiosk");
    assert_eq!(kiosk.centre, "Biblioteca Norte");

    // The code was used: a second enrolment with it fails clearly.
    let again = tokio::process::Command::new(env!("CARGO_BIN_EXE_plaza-kiosk"))
        .arg("--config")
        .arg(folder.path().join("absent.toml"))
        .arg("--data-dir")
        .arg(folder.path().join("other"))
        .arg("--manager")
        .arg(&manager.url)
        .arg("--enroll")
        .arg(&code)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .await
        .expect("run plaza-kiosk");
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("enrolment at"), "{stderr}");
}
