//! `plaza-manager import|export` through the real binary.

use std::path::Path;
use std::process::{Command, Output};

use plaza_api::catalogue::Procedure;

const MANAGER: &str = env!("CARGO_BIN_EXE_plaza-manager");

fn run(data_dir: &Path, arguments: &[&str]) -> Output {
    Command::new(MANAGER)
        .arg("--data-dir")
        .arg(data_dir)
        .args(arguments)
        .env("PLAZA_MANAGER_LOG__FILTER", "warn")
        .output()
        .expect("run plaza-manager")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sorted(mut records: Vec<Procedure>) -> Vec<Procedure> {
    records.sort_by(|left, right| left.id.cmp(&right.id));
    records
}

#[test]
fn import_is_idempotent_refuses_bad_files_whole_and_export_round_trips() {
    let folder = tempfile::tempdir().expect("folder");
    let data = folder.path().join("data");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/content/procedures.json");
    let seed_text = std::fs::read_to_string(&seed).expect("seed");
    let seed_records: Vec<Procedure> = serde_json::from_str(&seed_text).expect("seed records");
    let seed_path = seed.to_str().expect("utf-8 path");

    let first = run(&data, &["import", "procedures", seed_path]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let expected = format!(
        "{} created, 0 updated, 0 unchanged, 0 deleted; content version 1.",
        seed_records.len()
    );
    assert!(
        text(&first.stdout).contains(&expected),
        "{}",
        text(&first.stdout)
    );

    let again = run(&data, &["import", "procedures", seed_path]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let expected = format!(
        "0 created, 0 updated, {} unchanged, 0 deleted; content version 1.",
        seed_records.len()
    );
    assert!(
        text(&again.stdout).contains(&expected),
        "{}",
        text(&again.stdout)
    );

    // One good change and one bad record in the same file: refused whole.
    let broken_text = seed_text
        .replacen(
            "\"Partida de nacimiento\"",
            "\"Partida de nacimiento (copia)\"",
            1,
        )
        .replacen(
            "\"amount_minor\": 350000",
            "\"amount_minor\": \"3.500 pesos\"",
            1,
        );
    let broken_line = broken_text
        .lines()
        .position(|line| line.contains("\"3.500 pesos\""))
        .expect("broken line")
        + 1;
    let broken = folder.path().join("broken.json");
    std::fs::write(&broken, broken_text).expect("write");
    let refused = run(
        &data,
        &["import", "procedures", broken.to_str().expect("path")],
    );
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("nothing changed"), "{stderr}");
    assert!(
        stderr.contains(&format!("line {broken_line}")),
        "line {broken_line}: {stderr}"
    );
    assert!(stderr.contains("invalid type: string"), "{stderr}");

    let exported = folder.path().join("export.json");
    let export = run(
        &data,
        &["export", "procedures", exported.to_str().expect("path")],
    );
    assert!(export.status.success(), "{}", text(&export.stderr));
    let records: Vec<Procedure> =
        serde_json::from_str(&std::fs::read_to_string(&exported).expect("export"))
            .expect("records");
    assert_eq!(
        sorted(records),
        sorted(seed_records),
        "export equals what was imported, untouched by the refused file"
    );
}
