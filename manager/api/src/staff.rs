//! Staff of the access centres and the municipality.

use crate::wire_enum;

wire_enum! {
    /// What a member of staff may do.
    pub enum Role {
        /// Everything.
        Admin = "admin",
        /// The floor, remote actions and moderation of their own centres.
        Supervisor = "supervisor",
        /// Reports across all centres, nothing else.
        Analyst = "analyst",
    }
}
