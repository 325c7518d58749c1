//! Layering and validation of the settings.

// figment::Jail's closures must return figment's own (large) error type.
#![allow(clippy::result_large_err)]

use super::*;

#[test]
fn flags_beat_environment_beat_file() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "manager.toml",
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"from-file\"\n[storage]\nreaders = 2\n",
        )?;
        jail.set_env("PLAZA_MANAGER_DATA_DIR", "from-env");
        jail.set_env("PLAZA_MANAGER_STORAGE__READERS", "6");
        let overrides = Overrides {
            listen: None,
            data_dir: Some(PathBuf::from("from-flag")),
        };
        let settings = Settings::load(Some(Path::new("manager.toml")), &overrides)
            .map_err(|error| error.to_string())?;
        assert_eq!(settings.listen, SocketAddr::from(([127, 0, 0, 1], 9000)));
        assert_eq!(settings.data_dir, PathBuf::from("from-flag"));
        assert_eq!(settings.storage.readers, 6);
        Ok(())
    });
}

#[test]
fn unknown_keys_and_bad_values_are_refused() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("typo.toml", "[storage]\nreader = 2\n")?;
        let error = Settings::load(Some(Path::new("typo.toml")), &Overrides::default())
            .expect_err("unknown key must be refused");
        assert!(error.to_string().contains("reader"), "{error}");

        jail.create_file("zero.toml", "[storage]\nreaders = 0\n")?;
        let error = Settings::load(Some(Path::new("zero.toml")), &Overrides::default())
            .expect_err("zero readers must be refused");
        assert!(error.to_string().contains("storage.readers"), "{error}");
        Ok(())
    });
}

#[test]
fn a_group_commit_window_over_a_second_is_refused() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("slow.toml", "[storage]\ngroup_commit_window_ms = 1001\n")?;
        let error = Settings::load(Some(Path::new("slow.toml")), &Overrides::default())
            .expect_err("a window over 1000 ms must be refused");
        assert!(
            error.to_string().contains("storage.group_commit_window_ms"),
            "{error}"
        );
        Ok(())
    });
}

#[test]
fn missing_file_is_an_error() {
    let error = Settings::load(
        Some(Path::new("/nonexistent/manager.toml")),
        &Overrides::default(),
    )
    .expect_err("missing file");
    assert!(matches!(error, ConfigError::MissingFile(_)));
}
