//! Placeholder until the kiosk issue lands: the kiosk binary exists so the
//! workspace layout is final.

fn main() {
    eprintln!(
        "plaza-kiosk is not built yet; run `cargo run --release -- demo` for the manager demo"
    );
}
