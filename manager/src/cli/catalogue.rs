//! `plaza-manager import|export procedures|tenders|networks FILE.json`

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use jiff::Timestamp;
use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_catalogue::Record;
use plaza_manager::storage::Storage;
use plaza_manager::storage::catalogue::ImportReport;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Procedures,
    Tenders,
    Networks,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Which catalogue the file holds.
    kind: Kind,
    /// A JSON array of records (see assets/content/ for examples).
    file: PathBuf,
    /// Also delete the records of this catalogue that are not in the file.
    #[arg(long)]
    replace: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    kind: Kind,
    /// Where to write (default: standard output).
    file: Option<PathBuf>,
}

/// Imports a catalogue file: every record valid, or nothing changes.
pub async fn import(storage: &Storage, args: ImportArgs) -> anyhow::Result<()> {
    let report = match args.kind {
        Kind::Procedures => import_file::<Procedure>(storage, &args.file, args.replace).await,
        Kind::Tenders => import_file::<Tender>(storage, &args.file, args.replace).await,
        Kind::Networks => import_file::<Network>(storage, &args.file, args.replace).await,
    };
    storage.close().await;
    let report = report?;
    println!(
        "{}: {} created, {} updated, {} unchanged, {} deleted; content version {}.",
        args.file.display(),
        report.created,
        report.updated,
        report.unchanged,
        report.deleted,
        report.content_version
    );
    Ok(())
}

async fn import_file<R: Record>(
    storage: &Storage,
    file: &Path,
    replace: bool,
) -> anyhow::Result<ImportReport> {
    Ok(plaza_manager::catalogue::import::import_file::<R>(
        storage,
        file,
        replace,
        "cli",
        Timestamp::now(),
    )
    .await?)
}

pub async fn export(storage: &Storage, args: ExportArgs) -> anyhow::Result<()> {
    let json = match args.kind {
        Kind::Procedures => to_json(storage.catalogue_records::<Procedure>().await),
        Kind::Tenders => to_json(storage.catalogue_records::<Tender>().await),
        Kind::Networks => to_json(storage.catalogue_records::<Network>().await),
    };
    storage.close().await;
    let json = json?;
    match args.file {
        Some(file) => std::fs::write(&file, json + "\n")
            .with_context(|| format!("cannot write {}", file.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}

fn to_json<R: Record>(
    records: Result<Vec<R>, plaza_manager::storage::StorageError>,
) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&records?)?)
}
