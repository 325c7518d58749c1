//! Reading catalogue files: every problem at its line, nothing half accepted.

mod common;

use plaza_api::catalogue::{Network, Procedure};
use plaza_catalogue::file::parse_records;

use common::procedure;

fn file_of(records: &[Procedure]) -> String {
    serde_json::to_string_pretty(records).expect("json")
}

#[test]
fn a_good_file_reads_every_record() {
    let text = file_of(&[
        procedure("uno", "Uno", None, "Primero"),
        procedure("dos", "Dos", Some("Two"), "Segundo"),
    ]);
    let records = parse_records::<Procedure>(&text).expect("valid file");
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[1].title.get(plaza_api::session::Language::En),
        "Two"
    );
}

#[test]
fn a_type_error_is_reported_at_its_line_and_column() {
    let text = file_of(&[
        procedure("uno", "Uno", None, "Primero"),
        procedure("dos", "Dos", None, "Segundo"),
    ]);
    // (Fields inside `cost`, an internally tagged enum, are reported at the
    // end of `cost`: serde buffers such enums. Plain fields are exact.)
    let broken = text.replace(
        "\"last_reviewed\": \"2026-10-01\"",
        "\"last_reviewed\": \"2026-13-45\"",
    );
    let line_of_second = broken
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains("\"last_reviewed\""))
        .map(|(index, _)| index + 1)
        .nth(1)
        .expect("second amount");
    let errors = parse_records::<Procedure>(&broken).expect_err("invalid");
    assert_eq!(errors.0.len(), 2, "{errors}");
    let second = &errors.0[1];
    assert_eq!(second.line, line_of_second, "{errors}");
    assert_eq!(second.record, Some(2));
    assert!(second.column > 1, "{errors}");
    assert!(second.message.contains("month"), "{errors}");
}

#[test]
fn rule_breaches_unknown_fields_and_duplicates_are_all_reported() {
    let mut no_spanish = procedure("tres", "Tres", None, "Tercero");
    no_spanish.title.0.remove("es");
    no_spanish
        .title
        .0
        .insert("en".to_owned(), "Three".to_owned());
    let text = file_of(&[
        procedure("uno", "Uno", None, "Primero"),
        procedure("uno", "Otro uno", None, "Repetido"),
        no_spanish,
    ])
    .replacen("\"agency\"", "\"agencia\": \"typo\",\n    \"agency\"", 1);
    let errors = parse_records::<Procedure>(&text).expect_err("invalid");
    let messages: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    let all = messages.join("\n");
    assert!(all.contains("unknown field `agencia`"), "{all}");
    assert!(all.contains("id `uno` is also used at line 2"), "{all}");
    assert!(
        all.contains("`title`: needs a Spanish (`es`) text"),
        "{all}"
    );
    assert!(all.contains("(record 3, id `tres`)"), "{all}");
}

#[test]
fn broken_json_and_wrong_shapes_are_refused_with_a_position() {
    let errors = parse_records::<Network>("[\n  {\"id\": \"x\",\n  ]").expect_err("broken");
    assert_eq!(errors.0[0].line, 3, "{errors}");
    assert!(
        errors.0[0].message.starts_with("not valid JSON"),
        "{errors}"
    );
    let errors = parse_records::<Network>("{\"id\": \"x\"}").expect_err("not an array");
    assert!(errors.0[0].message.contains("JSON array"), "{errors}");
    assert_eq!(parse_records::<Network>(" [ ] ").expect("empty").len(), 0);
}

#[test]
fn positions_count_from_one_even_at_the_start_of_a_line() {
    // serde_json says "column 0" there; found by the property tests.
    let empty = parse_records::<Procedure>("").expect_err("empty file");
    assert_eq!((empty.0[0].line, empty.0[0].column), (1, 1));
    let text = format!("{}\n", file_of(&[procedure("uno", "Uno", None, "Primero")]))
        .replacen("\"Uno\"", "\"U\n\"", 1);
    let broken = parse_records::<Procedure>(&text).expect_err("newline inside a string");
    assert!(
        broken.0.iter().all(|problem| problem.column >= 1),
        "{broken}"
    );
}
