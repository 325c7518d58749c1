//! `config/kiosk.toml` documents exactly the built-in defaults.

use plaza_kiosk::config::KioskConfig;

#[test]
fn the_shipped_config_file_equals_the_defaults() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../config/kiosk.toml");
    let text = std::fs::read_to_string(path).expect("config/kiosk.toml");
    let loaded = KioskConfig::parse(&text);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.config, KioskConfig::default());
    let keys = text
        .lines()
        .filter(|line| line.contains(" = ") && !line.starts_with('#'))
        .count();
    let defaults = toml::Table::try_from(KioskConfig::default()).expect("defaults as TOML");
    assert_eq!(keys, defaults.len(), "every key is written out in the file");
}
