//! The Open311 endpoints through a real Open311 client library from a
//! package registry: `georeport` (PyPI, "Python wrapper for the Open311
//! GeoReport v2 API"; `.ci/run` installs it). It reads services, a service
//! definition, the request list and one request, as a municipal tool
//! would. The library has no call to file a request; that is tested in
//! `open311.rs`. Without Python's `georeport` the test says it was skipped.

use std::process::Stdio;

use serde_json::Value;

use crate::common::fixture;
use crate::requests::{filed, seed_service_types};

const PYTHON: &str = "python3";

const SCRIPT: &str = r#"
import json, sys
from georeport import GeoReport
client = GeoReport(sys.argv[1])
services = client.get_service_list()
definition = client.get_service_definition("alumbrado")
listed = client.get_service_requests(status="open")
one = client.get_service_request(sys.argv[2])
print(json.dumps({"services": services, "definition": definition, "listed": listed, "one": one}))
"#;

fn has_georeport() -> bool {
    std::process::Command::new(PYTHON)
        .args(["-c", "import georeport"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[tokio::test]
async fn the_georeport_client_reads_services_and_requests() {
    if !has_georeport() {
        println!("skipped: install georeport (`pip install georeport==0.3.1`; `.ci/run` does)");
        return;
    }
    let fixture = fixture().await;
    let manager = &fixture.manager;
    seed_service_types(manager).await;
    let request = filed(manager, &fixture.north_kiosk, None).await;
    let output = tokio::process::Command::new(PYTHON)
        .args(["-c", SCRIPT, &manager.url("/open311/v2"), &request.ticket])
        .output()
        .await
        .expect("run python");
    assert!(
        output.status.success(),
        "georeport failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Value = serde_json::from_slice(&output.stdout).expect("the script's JSON");
    let services = read["services"].as_array().expect("services");
    assert!(services.len() >= 15);
    assert!(
        services
            .iter()
            .any(|service| service["service_code"] == "baches")
    );
    assert_eq!(read["definition"]["service_code"], "alumbrado");
    assert_eq!(
        read["definition"]["attributes"][0]["code"],
        "estado_luminaria"
    );
    assert_eq!(
        read["listed"][0]["service_request_id"],
        request.ticket.as_str()
    );
    assert_eq!(read["one"]["service_request_id"], request.ticket.as_str());
    assert_eq!(read["one"]["status"], "open");
    assert_eq!(
        read["one"]["address"],
        "Av. San Martín 1200, frente a la escuela, La Loma"
    );
}
