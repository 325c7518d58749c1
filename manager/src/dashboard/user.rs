//! The signed-in member of staff on a dashboard page: what the page shell
//! shows and what the pages check (the extractor and the refusals are in
//! `session`).

use crate::access::StaffAuth;

#[derive(Debug, Clone)]
pub struct WebUser {
    /// Who they are and what they may do (`access`).
    pub staff: StaffAuth,
    pub csrf_token: String,
    pub session_hash: [u8; 32],
}
