//! Under Xvfb (installed by `.ci/run`): the kiosk binary starts full screen
//! with software rendering and draws the attract screen, not a blank frame.
//! The capture is saved as a PNG artifact next to the test binaries.

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

#[test]
fn the_kiosk_draws_its_attract_screen_under_xvfb() {
    if !has_xvfb() {
        eprintln!("skipped: Xvfb is not installed (.ci/run installs it)");
        return;
    }
    // -displayfd: Xvfb picks a free display and prints its number when ready.
    let mut xvfb = Command::new("Xvfb")
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
    let stdout = xvfb.stdout.take().expect("Xvfb stdout");
    let xvfb = Started(xvfb);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("display number");
    let display = format!(":{}", line.trim());

    let folder = tempfile::tempdir().expect("folder");
    let config = folder.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "manager_url = \"http://127.0.0.1:9\"\ndata_dir = {:?}\nfullscreen = true\n",
            folder.path().join("data")
        ),
    )
    .expect("config");
    let _kiosk = Started(
        Command::new(env!("CARGO_BIN_EXE_plaza-kiosk"))
            .arg("--config")
            .arg(&config)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start plaza-kiosk"),
    );

    let (connection, screen) = x11rb::connect(Some(&display)).expect("connect to Xvfb");
    let root = connection.setup().roots[screen].root;
    // The kiosk is another process: poll the screen until it has drawn,
    // with a generous deadline for a loaded CI machine.
    let deadline = Instant::now() + Duration::from_secs(60);
    let pixels = loop {
        let image = connection
            .get_image(ImageFormat::Z_PIXMAP, root, 0, 0, WIDTH, HEIGHT, !0)
            .expect("request")
            .reply()
            .expect("screen image");
        let pixels = rgb(&image.data);
        if count(&pixels, PRIMARY) > 500 || Instant::now() > deadline {
            break pixels;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let artifact = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kiosk-attract.png");
    save_png(&artifact, &pixels);
    eprintln!("screenshot saved to {}", artifact.display());
    drop(xvfb);

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
