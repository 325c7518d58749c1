//! ARCHITECTURE.md's index of storage operations ("Storage operations")
//! names every public method of every `impl Storage` block in
//! `manager/src/storage/`, and nothing else: a new operation cannot be left
//! out of it, nor a removed one linger.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(folder).expect("read the storage folder");
    for entry in entries {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// `pub fn`/`pub async fn` names inside `impl Storage { … }` blocks, which
/// rustfmt ends with a `}` alone on its line.
fn storage_methods() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/storage"),
        &mut files,
    );
    let mut methods = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read a storage file");
        let mut inside = false;
        for line in text.lines() {
            if line == "impl Storage {" {
                inside = true;
            } else if line == "}" {
                inside = false;
            } else if inside {
                let signature = line
                    .strip_prefix("    pub async fn ")
                    .or_else(|| line.strip_prefix("    pub fn "));
                if let Some(signature) = signature {
                    let name: String = signature
                        .chars()
                        .take_while(|character| character.is_alphanumeric() || *character == '_')
                        .collect();
                    methods.insert(name);
                }
            }
        }
    }
    methods
}

/// The method names in the first column of the index's table.
fn indexed_methods() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md");
    let text = std::fs::read_to_string(path).expect("read ARCHITECTURE.md");
    let section = text
        .split("### Storage operations")
        .nth(1)
        .expect("ARCHITECTURE.md has a `### Storage operations` section");
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

#[test]
fn the_index_of_storage_operations_is_complete_and_names_only_real_ones() {
    let methods = storage_methods();
    let indexed = indexed_methods();
    assert!(methods.len() > 50, "found only {methods:?}");
    let missing: Vec<&String> = methods.difference(&indexed).collect();
    let unknown: Vec<&String> = indexed.difference(&methods).collect();
    assert!(
        missing.is_empty(),
        "add these to ARCHITECTURE.md's storage operations: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "ARCHITECTURE.md's storage operations name methods that do not exist: {unknown:?}"
    );
}
