//! Thematic networks of municipalities.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Text;
use crate::wire_enum;

wire_enum! {
    pub enum NetworkTheme {
        Health = "health",
        Environment = "environment",
        Tourism = "tourism",
        FoodSecurity = "food_security",
        EGovernment = "e_government",
        Innovation = "innovation",
        SocialInclusion = "social_inclusion",
        Mining = "mining",
        Culture = "culture",
        Education = "education",
        Water = "water",
        Safety = "safety",
    }
}

/// A thematic network of municipalities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Network {
    pub id: String,
    pub name: Text,
    pub theme: NetworkTheme,
    pub description: Text,
    pub members: Vec<Member>,
    /// The coordinating municipality; one of the members.
    pub coordinator: String,
    pub contact: Contact,
    pub how_to_join: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub municipality: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub joined_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}
