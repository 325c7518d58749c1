//! Public tenders (licitaciones), loosely after the open contracting data
//! standard (see ARCHITECTURE.md).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Money, Text};
use crate::wire_enum;

wire_enum! {
    pub enum TenderStatus {
        Open = "open",
        Closed = "closed",
        Awarded = "awarded",
        Cancelled = "cancelled",
    }
}

wire_enum! {
    pub enum TenderCategory {
        Works = "works",
        Goods = "goods",
        Services = "services",
        Consultancy = "consultancy",
    }
}

/// A public tender (licitación).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tender {
    pub id: String,
    /// The buyer's file number, e.g. `LP-2026-014`.
    pub reference: String,
    pub title: Text,
    pub description: Text,
    /// The buying agency.
    pub buyer: String,
    pub category: TenderCategory,
    pub status: TenderStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub published_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub questions_until: Option<Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub submissions_until: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<TenderOpening>,
    pub budget: Money,
    #[serde(default)]
    pub documents: Vec<TenderDocument>,
    /// Present exactly when the status is `awarded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award: Option<Award>,
}

/// The public opening of the bids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderOpening {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenderDocument {
    pub title: Text,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    pub supplier: String,
    pub amount: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
}
