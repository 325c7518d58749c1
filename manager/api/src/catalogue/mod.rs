//! The catalogues a citizen browses: municipal procedures (trámites), public
//! tenders (licitaciones) and thematic networks of municipalities.
//!
//! The record types are both what an operator imports and what the manager
//! serves, so they are lenient like every response (an old kiosk survives new
//! fields); the manager refuses unknown fields on import and writes with
//! `plaza_catalogue::validate`, which compares what it read with what it
//! understood.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::session::Language;
use crate::wire_enum;

mod network;
mod tender;

pub use network::{Contact, Member, Network, NetworkTheme};
pub use tender::{Award, Tender, TenderCategory, TenderDocument, TenderOpening, TenderStatus};

/// A text in several languages, keyed by language code (`es`, `en`).
/// Spanish is required; a missing language falls back to Spanish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    pub fn es(text: impl Into<String>) -> Self {
        Self(BTreeMap::from([("es".to_owned(), text.into())]))
    }

    pub fn es_en(es: impl Into<String>, en: impl Into<String>) -> Self {
        Self(BTreeMap::from([
            ("es".to_owned(), es.into()),
            ("en".to_owned(), en.into()),
        ]))
    }

    /// The text in `language`, else in Spanish, else empty.
    pub fn get(&self, language: Language) -> &str {
        self.0
            .get(language.as_str())
            .or_else(|| self.0.get(Language::Es.as_str()))
            .map_or("", String::as_str)
    }
}

wire_enum! {
    /// The three catalogues.
    pub enum CatalogueKind {
        Procedures = "procedures",
        Tenders = "tenders",
        Networks = "networks",
    }
}

wire_enum! {
    /// What a procedure is about; each has an icon at the kiosk.
    pub enum ProcedureCategory {
        CivilRegistry = "civil_registry",
        DrivingLicence = "driving_licence",
        Business = "business",
        Building = "building",
        PropertyTax = "property_tax",
        SocialProgrammes = "social_programmes",
        Health = "health",
        WasteEnvironment = "waste_environment",
        Transport = "transport",
        CultureSport = "culture_sport",
        Education = "education",
        Housing = "housing",
    }
}

wire_enum! {
    /// Who a procedure is for (schema.org `audience`).
    pub enum Audience {
        Residents = "residents",
        Businesses = "businesses",
        Organisations = "organisations",
        Visitors = "visitors",
    }
}

wire_enum! {
    pub enum RequirementKind {
        /// Something to bring or upload.
        Document = "document",
        /// Something to meet (age, residence, ...).
        Condition = "condition",
    }
}

wire_enum! {
    pub enum Weekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

/// A municipal procedure, modelled on schema.org `GovernmentService` and the
/// EU CPSV-AP `PublicService` (see ARCHITECTURE.md for the mapping).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Procedure {
    /// Stable identifier: lowercase letters, digits and `-`.
    pub id: String,
    /// Readable address part, unique among procedures.
    pub slug: String,
    pub title: Text,
    pub summary: Text,
    pub category: ProcedureCategory,
    #[serde(default)]
    pub audience: Vec<Audience>,
    /// In the order a citizen should check them.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[cfg_attr(feature = "openapi", schema(value_type = CostFields))]
    pub cost: Cost,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ChannelFields>))]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub offices: Vec<Office>,
    /// How long it takes, in words ("the same day", "up to 15 working days").
    pub processing_time: Text,
    #[serde(default)]
    pub steps: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<Text>,
    /// The agency responsible (CPSV-AP `hasCompetentAuthority`).
    pub agency: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub last_reviewed: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Requirement {
    pub kind: RequirementKind,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text>,
}

/// An amount in minor units (cents) of an ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub amount_minor: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "ARS"))]
    pub currency: Currency,
}

/// Three uppercase letters, stored inline so `Money` stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Option<Self> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Self(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from three ASCII uppercase letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str> as Deserialize>::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not an ISO 4217 currency code (three capital letters)"
            ))
        })
    }
}

/// What a procedure costs.
// Read through a plain struct rather than serde's internally tagged enum,
// which buffers its content and reports every error at the end of the
// object: import errors keep their exact line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CostFields", into = "CostFields")]
pub enum Cost {
    Free,
    Fixed {
        amount: Money,
    },
    /// Depends on the case; the explanation says on what.
    Varies {
        explanation: Text,
    },
}

/// Where a procedure can be done (CPSV-AP `hasChannel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ChannelFields", into = "ChannelFields")]
pub enum Channel {
    InPerson,
    Online { url: String },
    Phone { number: String },
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    Free,
    Fixed,
    Varies,
}

/// A cost as it travels: `kind` says which other fields are present
/// (`free`: none; `fixed`: `amount_minor` and `currency`; `varies`:
/// `explanation`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostFields {
    pub kind: CostKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "ARS"))]
    pub currency: Option<Currency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Text>,
}

impl From<Cost> for CostFields {
    fn from(cost: Cost) -> Self {
        let empty = CostFields {
            kind: CostKind::Free,
            amount_minor: None,
            currency: None,
            explanation: None,
        };
        match cost {
            Cost::Free => empty,
            Cost::Fixed { amount } => CostFields {
                kind: CostKind::Fixed,
                amount_minor: Some(amount.amount_minor),
                currency: Some(amount.currency),
                ..empty
            },
            Cost::Varies { explanation } => CostFields {
                kind: CostKind::Varies,
                explanation: Some(explanation),
                ..empty
            },
        }
    }
}

impl TryFrom<CostFields> for Cost {
    type Error = String;

    fn try_from(wire: CostFields) -> Result<Self, String> {
        match (
            wire.kind,
            wire.amount_minor,
            wire.currency,
            wire.explanation,
        ) {
            (CostKind::Free, None, None, None) => Ok(Cost::Free),
            (CostKind::Fixed, Some(amount_minor), Some(currency), None) => Ok(Cost::Fixed {
                amount: Money {
                    amount_minor,
                    currency,
                },
            }),
            (CostKind::Varies, None, None, Some(explanation)) => Ok(Cost::Varies { explanation }),
            (CostKind::Free, ..) => Err("a `free` cost has no other field".to_owned()),
            (CostKind::Fixed, ..) => {
                Err("a `fixed` cost has `amount_minor` and `currency`, and nothing else".to_owned())
            }
            (CostKind::Varies, ..) => {
                Err("a `varies` cost has an `explanation`, and nothing else".to_owned())
            }
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    InPerson,
    Online,
    Phone,
}

/// A channel as it travels: `online` has a `url`, `phone` a `number`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelFields {
    pub kind: ChannelKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

impl From<Channel> for ChannelFields {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::InPerson => ChannelFields {
                kind: ChannelKind::InPerson,
                url: None,
                number: None,
            },
            Channel::Online { url } => ChannelFields {
                kind: ChannelKind::Online,
                url: Some(url),
                number: None,
            },
            Channel::Phone { number } => ChannelFields {
                kind: ChannelKind::Phone,
                url: None,
                number: Some(number),
            },
        }
    }
}

impl TryFrom<ChannelFields> for Channel {
    type Error = String;

    fn try_from(wire: ChannelFields) -> Result<Self, String> {
        match (wire.kind, wire.url, wire.number) {
            (ChannelKind::InPerson, None, None) => Ok(Channel::InPerson),
            (ChannelKind::Online, Some(url), None) => Ok(Channel::Online { url }),
            (ChannelKind::Phone, None, Some(number)) => Ok(Channel::Phone { number }),
            (ChannelKind::InPerson, ..) => {
                Err("an `in_person` channel has no other field".to_owned())
            }
            (ChannelKind::Online, ..) => {
                Err("an `online` channel has a `url`, and nothing else".to_owned())
            }
            (ChannelKind::Phone, ..) => {
                Err("a `phone` channel has a `number`, and nothing else".to_owned())
            }
        }
    }
}

/// An office where a procedure is done (schema.org `ServiceChannel.availableLocation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    pub name: String,
    pub address: String,
    pub neighbourhood: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Regular weekly hours; a weekday may have several spans.
    pub hours: Vec<WeekdayHours>,
    /// Dates that differ from the weekly hours (holidays, shortened days).
    #[serde(default)]
    pub exceptions: Vec<HoursException>,
}

/// One weekday's span of an office's regular hours (the week itself is
/// `plaza_catalogue::OpeningHours`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekdayHours {
    pub weekday: Weekday,
    /// Local time `HH:MM`.
    pub opens: String,
    /// Local time `HH:MM`, after `opens`.
    pub closes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursException {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// `HH:MM`; both absent means closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One search or list result, in the language asked for (falling back to
/// Spanish).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueHit {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Category (procedures, tenders) or theme (networks).
    pub category: String,
    /// Tenders only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TenderStatus>,
}

/// `GET /api/v1/{procedures,tenders,networks}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueResults {
    pub language: Language,
    /// True when nothing matched the words as typed and the results are for
    /// the closest spelling (`corrected_query`).
    #[serde(default)]
    pub corrected: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_query: Option<String>,
    pub results: Vec<CatalogueHit>,
}

/// A record removed from a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deletion {
    pub kind: CatalogueKind,
    pub id: String,
}

/// `GET /api/v1/catalogue?since_version=N`: what a kiosk needs to bring its
/// offline copy to `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueSync {
    pub version: u64,
    /// True when this is the whole catalogue: the kiosk replaces its copy.
    /// False: apply the records and deletions on top of `since_version`.
    pub full: bool,
    #[serde(default)]
    pub procedures: Vec<Procedure>,
    #[serde(default)]
    pub tenders: Vec<Tender>,
    #[serde(default)]
    pub networks: Vec<Network>,
    #[serde(default)]
    pub deleted: Vec<Deletion>,
}

/// Reply to a catalogue write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueWritten {
    pub id: String,
    /// The content version after the write.
    pub content_version: u64,
}
