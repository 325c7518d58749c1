//! Issue #17, having a say: verified residents, consultations with secret
//! ballots, proposals, the participation report, and who may do what.

mod consultations;
mod erasure;
mod proposals;
mod residents;
mod scope;
mod secrecy;
mod seed;

use jiff::SignedDuration;
use plaza_api::have_a_say::{Consultation, Localized};
use plaza_api::participation::accounts::CitizenLogin;
use plaza_api::staff::Role;
use reqwest::Response;
use serde_json::{Value, json};

use crate::common::{As, Fixture};

pub fn text(es: &str) -> Localized {
    Localized {
        es: es.to_owned(),
        en: Some(format!("{es} (en)")),
    }
}

impl Fixture {
    pub async fn verify(
        &self,
        staff: &str,
        alias: &str,
        document: &str,
        neighbourhood: &str,
    ) -> Response {
        self.post(
            As::Staff(staff),
            "/participation/residents",
            &json!({
                "alias": alias,
                "document_number": document,
                "neighbourhood": neighbourhood,
                "centre": crate::common::CENTRE,
            }),
        )
        .await
    }

    /// Signs up `alias` and verifies it as a resident of `neighbourhood`.
    pub async fn resident(
        &self,
        admin: &str,
        alias: &str,
        document: &str,
        neighbourhood: &str,
    ) -> CitizenLogin {
        let login = self.sign_up(alias).await;
        let response = self.verify(admin, alias, document, neighbourhood).await;
        assert_eq!(response.status(), 201, "verify {alias}");
        login
    }

    /// A consultation open from an hour ago for a day, changed by `change`.
    pub async fn consultation(&self, admin: &str, change: impl FnOnce(&mut Value)) -> Consultation {
        let now = self.manager.now();
        let mut body = json!({
            "question": text("¿Qué hacemos con la plaza?"),
            "description": text("La plaza del barrio necesita arreglos."),
            "kind": "single",
            "max_choices": 1,
            "options": [text("Juegos"), text("Árboles"), text("Bancos")],
            "opens_at": now - SignedDuration::from_hours(1),
            "closes_at": now + SignedDuration::from_hours(24),
            "neighbourhoods": [],
            "eligibility": "verified_residents",
            "live_results": false,
        });
        change(&mut body);
        let response = self
            .post(As::Staff(admin), "/participation/consultations", &body)
            .await;
        assert_eq!(response.status(), 201, "create consultation");
        response.json().await.expect("consultation")
    }

    pub async fn vote(&self, login: &CitizenLogin, id: i64, choices: &[u32]) -> Response {
        self.post(
            As::Citizen(login),
            &format!("/participation/consultations/{id}/votes"),
            &json!({ "choices": choices }),
        )
        .await
    }

    pub async fn admin(&self) -> String {
        self.staff(Role::Admin).await
    }
}
