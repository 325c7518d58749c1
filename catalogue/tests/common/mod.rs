//! Small, realistic records for the tests.
#![allow(dead_code)]

use jiff::civil::date;
use plaza_api::catalogue::{
    Audience, Channel, Cost, Currency, Money, Office, Procedure, ProcedureCategory, Requirement,
    RequirementKind, Text, Weekday, WeekdayHours,
};
use rusqlite::Connection;

pub fn database() -> Connection {
    let connection = Connection::open_in_memory().expect("in-memory database");
    connection
        .execute_batch(plaza_catalogue::SCHEMA)
        .expect("schema");
    connection
}

pub fn office() -> Office {
    Office {
        name: "Centro de Atención Ciudadana".to_owned(),
        address: "Av. San Martín 250".to_owned(),
        neighbourhood: "Centro".to_owned(),
        phone: Some("+54 383 442-1000".to_owned()),
        hours: [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ]
        .into_iter()
        .map(|weekday| WeekdayHours {
            weekday,
            opens: "07:30".to_owned(),
            closes: "13:30".to_owned(),
        })
        .collect(),
        exceptions: Vec::new(),
    }
}

pub fn procedure(id: &str, title_es: &str, title_en: Option<&str>, summary_es: &str) -> Procedure {
    Procedure {
        id: id.to_owned(),
        slug: id.to_owned(),
        title: match title_en {
            Some(en) => Text::es_en(title_es, en),
            None => Text::es(title_es),
        },
        summary: Text::es(summary_es),
        category: ProcedureCategory::CivilRegistry,
        audience: vec![Audience::Residents],
        requirements: vec![Requirement {
            kind: RequirementKind::Document,
            title: Text::es_en("DNI original", "Original national ID card"),
            notes: None,
        }],
        cost: Cost::Fixed {
            amount: Money {
                amount_minor: 150_000,
                currency: Currency::parse("ARS").expect("currency"),
            },
        },
        channels: vec![Channel::InPerson],
        offices: vec![office()],
        processing_time: Text::es_en("En el día", "The same day"),
        steps: vec![
            Text::es("Pedir turno"),
            Text::es("Presentarse con la documentación"),
        ],
        legal_basis: None,
        agency: "Dirección de Atención Ciudadana".to_owned(),
        last_reviewed: date(2026, 10, 1),
    }
}
