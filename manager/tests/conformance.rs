//! The API against its own OpenAPI document, by property-based testing:
//! schemathesis (installed by `.ci/run`) reads `/api/v1/openapi.json` from a
//! real manager seeded like the demo (a centre, an enrolled kiosk, the
//! catalogues, the forums and communities seed, a logged-in citizen, an
//! admin token), generates requests for every operation, valid and invalid,
//! and checks every answer against the document. RELIABILITY.md lists the
//! checks and the figures.
//!
//! `cargo test -p plaza-manager --test conformance` is the short run CI
//! makes; `-- --ignored` the long one.

use std::path::Path;
use std::process::Stdio;

use plaza_api::catalogue::{Network, Procedure, Tender};
use plaza_api::participation::accounts::{CitizenLogin, Credentials};
use plaza_api::staff::Role;
use plaza_manager::catalogue::import::import_file;
use plaza_manager::testing::TestManager;

const SCHEMATHESIS: &str = "schemathesis";
const CENTRE: &str = "Biblioteca Municipal Centro";
const NEIGHBOURHOODS: &[&str] = &["Centro", "La Loma", "Barrio Norte", "Puerto", "San José"];
const SEED: &str = include_str!("../../assets/content/participation.json");
const SEED_PIN: &str = "2580";
const SEED_CITIZEN: &str = "Marta_LaLoma";
const ENDS_THE_LOGIN: &str =
    r"^/api/v1/citizens/(logout|\{alias\}/pin-reset|me/erasure|\{alias\}/erasure)$";

/// What schemathesis checks on every answer; RELIABILITY.md says why each.
const CHECKS: &[&str] = &[
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
];

struct Run {
    /// Generated cases per operation and phase.
    max_examples: u32,
    phases: &'static str,
    /// Seconds: fuzzing goes on until they are spent.
    max_time: Option<u32>,
}

/// CI's run: a minute or two on two cores.
const SHORT: Run = Run {
    max_examples: 10,
    phases: "coverage,fuzzing",
    max_time: None,
};

const LONG: Run = Run {
    max_examples: 200,
    phases: "coverage,fuzzing,stateful",
    max_time: Some(600),
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_keeps_the_document() {
    conform(SHORT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long run (10 minutes): cargo test -p plaza-manager --test conformance -- --ignored"]
async fn every_operation_keeps_the_document_long() {
    conform(LONG).await;
}

async fn conform(run: Run) {
    let installed = std::process::Command::new(SCHEMATHESIS)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !installed {
        println!("skipped: install schemathesis (`pip install schemathesis`; `.ci/run` does)");
        return;
    }
    let manager = TestManager::start().await;
    let tokens = seed(&manager).await;
    let config = manager.folder.path().join("schemathesis.toml");
    std::fs::write(&config, config_file(&tokens)).expect("write schemathesis.toml");
    // `PLAZA_CONFORMANCE_REPORTS=folder` keeps a HAR of every exchange too.
    let kept = std::env::var_os("PLAZA_CONFORMANCE_REPORTS");
    let reports = kept
        .clone()
        .map_or_else(|| manager.folder.path().join("reports"), Into::into);

    // Logging out, a PIN reset and an erasure end the citizen's token that the other
    // operations use: they go in a run of their own, last.
    let passes = [
        ("--exclude-path-regex", ENDS_THE_LOGIN),
        ("--include-path-regex", ENDS_THE_LOGIN),
    ];
    let mut reports_text = String::new();
    for (filter, path) in passes {
        let mut command = tokio::process::Command::new(SCHEMATHESIS);
        command
            .arg("--config-file")
            .arg(&config)
            .arg("--no-color")
            .arg("run")
            .arg(manager.url("/api/v1/openapi.json"))
            .args([filter, path])
            .args(["--checks", &CHECKS.join(",")])
            .args(["--phases", run.phases])
            .args(["--max-examples", &run.max_examples.to_string()])
            // One worker: Python 3.11's parser is not thread-safe, and
            // hypothesis parses lambdas while drawing (`AST constructor
            // recursion depth mismatch` with two).
            .args(["--workers", "1"])
            .args(["--seed", "20260101"])
            .args(["--generation-database", "none"])
            .args([
                "--report",
                if kept.is_some() { "junit,har" } else { "junit" },
            ])
            .arg("--report-dir")
            .arg(&reports)
            .kill_on_drop(true);
        if let Some(seconds) = run.max_time {
            command.args(["--max-time", &seconds.to_string()]);
        }
        let output = command.output().await.expect("run schemathesis");
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.status.success(),
            "schemathesis found failures ({}):\n{report}",
            output.status
        );
        reports_text.push_str(&report);
    }
    println!("{reports_text}");
}

struct Tokens {
    admin: String,
    kiosk: String,
    citizen: String,
}

/// The demo's kind of data, so generated paths meet real records.
async fn seed(manager: &TestManager) -> Tokens {
    manager.add_centre(CENTRE, NEIGHBOURHOODS).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let storage = &manager.state.storage;
    let now = manager.now();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/content");
    import_file::<Procedure>(
        storage,
        &content.join("procedures.json"),
        false,
        "seed",
        now,
    )
    .await
    .expect("procedures");
    import_file::<Tender>(storage, &content.join("tenders.json"), false, "seed", now)
        .await
        .expect("tenders");
    import_file::<Network>(storage, &content.join("networks.json"), false, "seed", now)
        .await
        .expect("networks");
    plaza_manager::participation::seed::load(storage, SEED, now, SEED_PIN)
        .await
        .expect("participation seed");
    let login = manager
        .client
        .post(manager.url("/api/v1/citizens/login"))
        .bearer_auth(&kiosk.token)
        .json(&Credentials {
            alias: SEED_CITIZEN.to_owned(),
            pin: SEED_PIN.to_owned(),
            session_id: uuid::Uuid::now_v7(),
        })
        .send()
        .await
        .expect("citizen login");
    assert_eq!(login.status(), 200, "the seed citizen logs in");
    let login: CitizenLogin = login.json().await.expect("login");
    Tokens {
        admin: manager.staff_token(Role::Admin).await,
        kiosk: kiosk.token,
        citizen: login.token,
    }
}

/// Operations whose server keeps rules JSON Schema cannot say; a request
/// valid by the document may get their 422 (each rule is in the field's or
/// the operation's description). Everywhere else a schema-valid request
/// refused with 400 or 422 is a failure.
const RULES_BEYOND_THE_SCHEMA: &[(&str, &str, &str)] = &[
    ("POST", "/api/v1/centres", "names are printable, not blank"),
    (
        "PUT",
        "/api/v1/centres/{name}/hours",
        "the opening-hours grammar",
    ),
    ("POST", "/api/v1/kiosks/enroll", "a printable host name"),
    (
        "POST",
        "/api/v1/kiosks/{id}/heartbeat",
        "used ≤ total; a session ends after it starts",
    ),
    (
        "POST",
        "/api/v1/kiosks/{id}/commands",
        "a message is not blank once trimmed",
    ),
    (
        "GET",
        "/api/v1/procedures",
        "a facet from this catalogue's vocabulary",
    ),
    (
        "GET",
        "/api/v1/tenders",
        "a facet from this catalogue's vocabulary",
    ),
    (
        "GET",
        "/api/v1/networks",
        "a facet from this catalogue's vocabulary",
    ),
    ("POST", "/api/v1/procedures", "the catalogue's record rules"),
    (
        "PUT",
        "/api/v1/procedures/{id}",
        "the catalogue's record rules",
    ),
    ("POST", "/api/v1/tenders", "the catalogue's record rules"),
    (
        "PUT",
        "/api/v1/tenders/{id}",
        "the catalogue's record rules",
    ),
    ("POST", "/api/v1/networks", "the catalogue's record rules"),
    (
        "PUT",
        "/api/v1/networks/{id}",
        "the catalogue's record rules",
    ),
    (
        "GET",
        "/api/v1/reports/reach",
        "from ≤ to, a bounded span, known centres",
    ),
    (
        "POST",
        "/api/v1/citizens",
        "the alias rules and the word filter",
    ),
    (
        "POST",
        "/api/v1/forums/boards",
        "printable text; kinds that need a neighbourhood; a known centre",
    ),
    (
        "POST",
        "/api/v1/forums/boards/{id}/threads",
        "printable text, one-line titles",
    ),
    (
        "POST",
        "/api/v1/forums/threads/{id}/posts",
        "printable text",
    ),
    (
        "PATCH",
        "/api/v1/forums/posts/{id}",
        "printable text, one-line titles",
    ),
    (
        "POST",
        "/api/v1/forums/posts/{id}/reports",
        "`other` needs details",
    ),
    (
        "POST",
        "/api/v1/moderation/posts/{id}",
        "hiding and deleting need a reason",
    ),
    (
        "POST",
        "/api/v1/communities",
        "printable text; a known centre",
    ),
    (
        "POST",
        "/api/v1/communities/{id}/announcements",
        "printable text, one-line titles",
    ),
    (
        "POST",
        "/api/v1/communities/{id}/events",
        "printable text; the event is not over",
    ),
];

fn config_file(tokens: &Tokens) -> String {
    let mut config = format!(
        r#"
[auth.openapi.staff_token]
bearer = "{admin}"

[auth.openapi.kiosk_token]
bearer = "{kiosk}"

[auth.openapi.citizen_token]
api_key = "{citizen}"

# Each run starts from nothing: no state kept from earlier runs.
[cache]
enabled = false

# A batch of more than 1000 events is refused as too large.
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
"#,
        admin = tokens.admin,
        kiosk = tokens.kiosk,
        citizen = tokens.citizen,
    );
    for (method, path, rule) in RULES_BEYOND_THE_SCHEMA {
        config.push_str(&format!(
            r#"
# {rule}
[[operations]]
include-method = "{method}"
include-path = "{path}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"#
        ));
    }
    config
}
