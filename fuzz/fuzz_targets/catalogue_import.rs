//! A catalogue file as an operator might hand it to `plaza-manager import`:
//! records, or problems at positions inside the file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_catalogue::file::{FileErrors, parse_records};

fn check(text: &str, result: Result<usize, FileErrors>) {
    if let Err(errors) = result {
        let lines = text.split('\n').count();
        assert!(!errors.0.is_empty());
        for problem in &errors.0 {
            assert!(problem.line >= 1 && problem.line <= lines, "{problem}");
            assert!(problem.column >= 1, "{problem}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(
        text,
        parse_records::<Procedure>(text).map(|records| records.len()),
    );
    check(
        text,
        parse_records::<Tender>(text).map(|records| records.len()),
    );
    check(
        text,
        parse_records::<Network>(text).map(|records| records.len()),
    );
});
