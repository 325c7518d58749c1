//! `plaza-manager backup`, `restore` and `check`: the operator's copies of
//! the database.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use jiff::Timestamp;
use plaza_manager::config::Settings;
use plaza_manager::storage::MIGRATIONS;
use plaza_manager::storage::backup::{Copied, check_database, copy_database, restore_database};
use plaza_manager::storage::lock::DataFolderLock;

const DATED_PREFIX: &str = "plaza-";
const DATED_SUFFIX: &str = ".sqlite3";

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The copy to write: a new file. Without it, a dated copy goes into
    /// `backup.dir` and only the newest `backup.keep` dated copies stay.
    file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A copy made by `plaza-manager backup`; it is checked first.
    file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A database or backup to check instead of the configured database.
    file: Option<PathBuf>,
}

/// A consistent copy of the live database, safe while the server writes.
pub async fn backup(settings: &Settings, args: BackupArgs) -> anyhow::Result<()> {
    let database = settings.database_path();
    let Some(file) = args.file else {
        return dated_backup(settings, database).await;
    };
    let copied = blocking(move || copy_database(&database, &file)).await?;
    print_copied(&copied);
    Ok(())
}

async fn dated_backup(settings: &Settings, database: PathBuf) -> anyhow::Result<()> {
    let folder = settings.backup_dir();
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let file = folder.join(dated_name(Timestamp::now()));
    let copied = blocking(move || copy_database(&database, &file)).await?;
    print_copied(&copied);
    for removed in prune(&folder, settings.backup.keep as usize)? {
        println!("Removed the old copy {}.", removed.display());
    }
    Ok(())
}

fn print_copied(copied: &Copied) {
    println!(
        "Backed up to {} ({:.1} MiB, schema version {}) in {:.1} s.",
        copied.path.display(),
        copied.bytes as f64 / f64::from(1 << 20),
        copied.schema_version,
        copied.elapsed.as_secs_f64()
    );
}

/// Replaces the database with a backup; refused while a server runs.
pub async fn restore(settings: &Settings, args: RestoreArgs) -> anyhow::Result<()> {
    let _lock = DataFolderLock::acquire(&settings.data_dir, "restore")?;
    let database = settings.database_path();
    let stamp = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let backup = args.file.clone();
    let restored = {
        let database = database.clone();
        blocking(move || restore_database(&backup, &database, &stamp)).await?
    };
    println!(
        "Restored {} into {} (schema version {}).",
        args.file.display(),
        database.display(),
        restored.schema_version
    );
    if let Some(previous) = restored.previous {
        println!(
            "The database it replaced is kept as {}.",
            previous.display()
        );
    }
    if restored.schema_version < MIGRATIONS.len() {
        println!(
            "Starting the server (or `plaza-manager migrate`) brings it to schema version {}.",
            MIGRATIONS.len()
        );
    }
    Ok(())
}

/// Integrity check and schema version; fails (exit status 1) on any problem.
pub async fn check(settings: &Settings, args: CheckArgs) -> anyhow::Result<()> {
    let path = args.file.unwrap_or_else(|| settings.database_path());
    let checked = {
        let path = path.clone();
        blocking(move || check_database(&path)).await?
    };
    if !checked.is_sound() {
        for problem in &checked.problems {
            eprintln!("  - {problem}");
        }
        bail!("{} failed the check", path.display());
    }
    let upgrade = if checked.schema_version < checked.latest_version {
        "; `plaza-manager migrate` brings it up to date"
    } else {
        ""
    };
    println!(
        "{}: integrity ok, schema version {} (this plaza-manager: {}){upgrade}.",
        path.display(),
        checked.schema_version,
        checked.latest_version
    );
    Ok(())
}

async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> plaza_manager::storage::StorageResult<T> + Send + 'static,
) -> anyhow::Result<T> {
    Ok(tokio::task::spawn_blocking(job).await??)
}

/// `plaza-20260301T030000.000Z.sqlite3`: sorts by time as text.
fn dated_name(now: Timestamp) -> String {
    format!(
        "{DATED_PREFIX}{}.{:03}Z{DATED_SUFFIX}",
        now.strftime("%Y%m%dT%H%M%S"),
        now.subsec_millisecond()
    )
}

fn is_dated_name(name: &str) -> bool {
    let Some(stamp) = name
        .strip_prefix(DATED_PREFIX)
        .and_then(|rest| rest.strip_suffix(DATED_SUFFIX))
    else {
        return false;
    };
    // `d` stands for a digit; the rest is literal.
    const STAMP: &str = "ddddddddTdddddd.dddZ";
    stamp.len() == STAMP.len()
        && stamp
            .chars()
            .zip(STAMP.chars())
            .all(|(found, expected)| match expected {
                'd' => found.is_ascii_digit(),
                expected => found == expected,
            })
}

/// Deletes the oldest dated copies in `folder` beyond the newest `keep`;
/// files not named like a dated copy are never touched.
fn prune(folder: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut dated: Vec<String> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot list {}", folder.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_dated_name(name))
        .collect();
    dated.sort_unstable();
    let surplus = dated.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for name in dated.into_iter().take(surplus) {
        let path = folder.join(name);
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        removed.push(path);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_names_sort_by_time_and_are_recognised() {
        let earlier: Timestamp = "2026-03-01T03:00:00.5Z".parse().expect("timestamp");
        let later: Timestamp = "2026-03-02T03:00:00Z".parse().expect("timestamp");
        let (earlier, later) = (dated_name(earlier), dated_name(later));
        assert_eq!(earlier, "plaza-20260301T030000.500Z.sqlite3");
        assert!(earlier < later);
        assert!(is_dated_name(&earlier));
        for other in [
            "plaza.sqlite3",
            "plaza-notes.sqlite3",
            "plaza-20260301T030000.500Z.sqlite3.partial",
        ] {
            assert!(!is_dated_name(other), "{other}");
        }
    }

    #[test]
    fn pruning_keeps_the_newest_and_never_touches_other_files() {
        let folder = tempfile::tempdir().expect("temporary folder");
        for day in 1..=4 {
            let name = format!("plaza-2026030{day}T030000.000Z.sqlite3");
            std::fs::write(folder.path().join(name), b"copy").expect("write copy");
        }
        std::fs::write(folder.path().join("keep-me.sqlite3"), b"other").expect("write other");
        let removed = prune(folder.path(), 2).expect("prune");
        assert_eq!(removed.len(), 2);
        let mut left: Vec<String> = std::fs::read_dir(folder.path())
            .expect("list")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .into_string()
                    .expect("name")
            })
            .collect();
        left.sort_unstable();
        assert_eq!(
            left,
            [
                "keep-me.sqlite3",
                "plaza-20260303T030000.000Z.sqlite3",
                "plaza-20260304T030000.000Z.sqlite3"
            ]
        );
    }
}
