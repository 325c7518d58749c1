//! Vocabulary shared by events, heartbeats and reports about citizen sessions.

use serde::{Deserialize, Serialize};

use crate::wire_enum;

wire_enum! {
    /// Why a session ended.
    pub enum EndReason {
        /// The citizen pressed "end session".
        Logout = "logout",
        /// The allotted time ran out.
        Timeout = "timeout",
        /// Nobody answered "are you still there?".
        Idle = "idle",
        /// A supervisor ended it remotely.
        Supervisor = "supervisor",
        /// The kiosk program stopped unexpectedly during the session.
        Crash = "crash",
        /// Set by the manager: the kiosk went silent during the session.
        Lost = "lost",
    }
}

wire_enum! {
    /// Coarse age band from the optional survey.
    pub enum AgeBand {
        Under18 = "under_18",
        From18To29 = "18_29",
        From30To44 = "30_44",
        From45To59 = "45_59",
        From60To74 = "60_74",
        From75 = "75_plus",
        PreferNotToSay = "prefer_not_to_say",
    }
}

wire_enum! {
    /// Gender from the optional survey; "prefer not to say" is always offered.
    pub enum Gender {
        Woman = "woman",
        Man = "man",
        NonBinary = "non_binary",
        PreferNotToSay = "prefer_not_to_say",
    }
}

wire_enum! {
    /// The sections a citizen can open from the kiosk's home screen.
    pub enum Section {
        Procedures = "procedures",
        Tenders = "tenders",
        Networks = "networks",
        Forums = "forums",
        Communities = "communities",
        Requests = "requests",
        /// "Participá": consultations and proposals.
        HaveASay = "have_a_say",
        /// The web, in the session's own browser.
        Internet = "internet",
        Help = "help",
    }
}

wire_enum! {
    /// Interface language chosen by the citizen; Spanish first.
    #[derive(Default)]
    pub enum Language {
        #[default]
        Es = "es",
        En = "en",
    }
}

/// The optional, skippable survey. Every answer may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Is this the citizen's first time using the internet?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_time_internet: Option<bool>,
    /// One of the centre's neighbourhoods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbourhood: Option<String>,
}
