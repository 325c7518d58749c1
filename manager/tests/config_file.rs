//! The documented configuration file is the truth: it parses, and every value
//! in it equals the built-in default.

use std::path::Path;

use plaza_manager::config::{Overrides, Settings};

#[test]
fn documented_config_equals_the_defaults() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/manager.toml");
    let settings =
        Settings::load(Some(&path), &Overrides::default()).expect("config/manager.toml parses");
    assert_eq!(settings, Settings::default());
}
