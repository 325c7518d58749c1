//! Who may see and do what: the one place the manager decides it, for the
//! JSON API (the `StaffAuth` extractor of `auth`) and the dashboard (its
//! `WebUser`, which holds a `StaffAuth`) alike.
//!
//! A member of staff has a [`Role`] and a [`CentreScope`]. The role says
//! which [`Duty`]s they have ([`Duty::roles`] is the whole table); the scope
//! says where: a supervisor's account is held to the centres it looks
//! after, everyone else (admins, analysts, plain role tokens) to none.
//! Any valid staff credential may list the centres and read their opening
//! hours; nothing else needs a duty.
//!
//! Where the scope applies:
//! - **kiosks**: a kiosk belongs to its centre ([`Subject::Kiosk`]); the
//!   floor shows only kiosks the account [`StaffAuth::sees_kiosk`];
//! - **centres**: their opening hours ([`Subject::Centre`]);
//! - **reports**: only the centres in scope are counted (`reports::reach`);
//! - **posts**: a post belongs to the centre where its author last logged
//!   in before writing it; the scope travels to storage as a centre filter
//!   ([`StaffAuth::centres`]) and is checked inside the moderation write;
//! - **citizens, communities and boards** are not yet held to the scope:
//!   [`Subject::Citizen`], [`Subject::Community`] and [`Subject::Board`] check
//!   the role only, so the call sites are already in place for when they are.

use plaza_api::staff::Role;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::storage::Storage;
use crate::storage::kiosks::KioskRecord;
use crate::storage::users::User;

/// What a member of staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Kiosks: the floor, a kiosk's status, sessions and health, remote
    /// commands.
    Floor,
    /// Set a centre's opening hours.
    OpeningHours,
    /// Add centres and issue enrolment codes for their kiosks.
    Provisioning,
    /// Create, change and delete catalogue records.
    Catalogue,
    /// Reach reports, availability and occupancy.
    Reports,
    /// The moderation queue and its decisions.
    Moderation,
    /// Boards, communities and their coordinators, citizens' PINs, and
    /// writing as staff (official posts, coordinators' work).
    Participation,
    /// The audit log.
    Audit,
}

impl Duty {
    /// The roles that have this duty.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Duty::Floor | Duty::OpeningHours | Duty::Moderation | Duty::Participation => {
                &[Role::Admin, Role::Supervisor]
            }
            Duty::Reports => &[Role::Admin, Role::Analyst, Role::Supervisor],
            Duty::Provisioning | Duty::Catalogue | Duty::Audit => &[Role::Admin],
        }
    }
}

/// Which centres a member of staff may act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CentreScope {
    /// Admins, analysts and plain role tokens.
    All,
    /// A supervisor: only these centre ids.
    Only(Vec<i64>),
}

impl CentreScope {
    /// The centres a supervisor is held to; `None` for everyone else.
    pub fn centre_ids(&self) -> Option<Vec<i64>> {
        match self {
            CentreScope::All => None,
            CentreScope::Only(centres) => Some(centres.clone()),
        }
    }

    pub fn allows(&self, centre_id: i64) -> bool {
        match self {
            CentreScope::All => true,
            CentreScope::Only(centres) => centres.contains(&centre_id),
        }
    }

    /// The scope of an account: supervisors are held to their centres.
    pub fn of(role: Role, user: &User) -> Self {
        match role {
            Role::Supervisor => CentreScope::Only(user.centres.iter().map(|(id, _)| *id).collect()),
            _ => CentreScope::All,
        }
    }
}

/// What a staff action is about, for [`StaffAuth::require_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    Centre(i64),
    /// Held to the kiosk's centre; an unknown kiosk is not found.
    Kiosk(Uuid),
    /// A citizen account, by alias key. Not yet held to the scope.
    Citizen(&'a str),
    /// Not yet held to the scope.
    Community(i64),
    /// Not yet held to the scope.
    Board(i64),
    /// Held to the post's centre inside the moderation write (see the
    /// module's notes), not here.
    Post(i64),
}

/// A member of staff, authenticated by an API token (plain role token or one
/// owned by an account) or, on dashboard pages, by a browser session.
#[derive(Debug, Clone)]
pub struct StaffAuth {
    pub name: String,
    pub role: Role,
    pub scope: CentreScope,
}

impl StaffAuth {
    /// The staff member behind an enabled account.
    pub fn of_user(user: &User) -> Self {
        StaffAuth {
            name: user.name.clone(),
            role: user.role,
            scope: CentreScope::of(user.role, user),
        }
    }

    /// Whether the role has `duty`.
    pub fn may(&self, duty: Duty) -> bool {
        duty.roles().contains(&self.role)
    }

    /// Whether the role has `duty` and `centre_id` is in scope.
    pub fn may_at(&self, duty: Duty, centre_id: i64) -> bool {
        self.may(duty) && self.scope.allows(centre_id)
    }

    /// The "visible kiosks" rule of the floor, the kiosk list and pages:
    /// enrolled (not revoked) and in a centre in scope.
    pub fn sees_kiosk(&self, kiosk: &KioskRecord) -> bool {
        kiosk.revoked_at.is_none() && self.may_at(Duty::Floor, kiosk.centre_id)
    }

    /// The centres a scoped account is held to, as a storage filter
    /// (`None`: all).
    pub fn centres(&self) -> Option<Vec<i64>> {
        self.scope.centre_ids()
    }

    /// Refuses (403) unless the role has `duty`.
    pub fn require(&self, duty: Duty) -> ApiResult<()> {
        if self.may(duty) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Refuses (403) unless the role has `duty` and may do it on `subject`;
    /// a subject that does not exist is not found (404).
    pub async fn require_on(
        &self,
        storage: &Storage,
        duty: Duty,
        subject: Subject<'_>,
    ) -> ApiResult<()> {
        self.require(duty)?;
        match subject {
            Subject::Centre(centre_id) if !self.scope.allows(centre_id) => {
                Err(ApiError::forbidden("you do not supervise this centre"))
            }
            Subject::Kiosk(kiosk_id) => {
                let centre_id = storage.kiosk(kiosk_id).await?.centre_id;
                if self.scope.allows(centre_id) {
                    Ok(())
                } else {
                    Err(ApiError::forbidden(
                        "this kiosk belongs to a centre you do not supervise",
                    ))
                }
            }
            Subject::Centre(_)
            | Subject::Citizen(_)
            | Subject::Community(_)
            | Subject::Board(_)
            | Subject::Post(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role, scope: CentreScope) -> StaffAuth {
        StaffAuth {
            name: "test".to_owned(),
            role,
            scope,
        }
    }

    #[test]
    fn analysts_read_reports_and_nothing_else() {
        let analyst = staff(Role::Analyst, CentreScope::All);
        assert!(analyst.may(Duty::Reports));
        for duty in [
            Duty::Floor,
            Duty::OpeningHours,
            Duty::Provisioning,
            Duty::Catalogue,
            Duty::Moderation,
            Duty::Participation,
            Duty::Audit,
        ] {
            assert!(!analyst.may(duty), "{duty:?}");
            assert!(analyst.require(duty).is_err(), "{duty:?}");
        }
    }

    #[test]
    fn a_supervisor_sees_only_enrolled_kiosks_of_their_centres() {
        let supervisor = staff(Role::Supervisor, CentreScope::Only(vec![1]));
        let kiosk = |centre_id, revoked: bool| KioskRecord {
            id: Uuid::nil(),
            hostname: "k".to_owned(),
            centre_id,
            centre: "c".to_owned(),
            enrolled_at: jiff::Timestamp::UNIX_EPOCH,
            revoked_at: revoked.then_some(jiff::Timestamp::UNIX_EPOCH),
            status: None,
        };
        assert!(supervisor.sees_kiosk(&kiosk(1, false)));
        assert!(!supervisor.sees_kiosk(&kiosk(1, true)));
        assert!(!supervisor.sees_kiosk(&kiosk(2, false)));
        assert!(staff(Role::Admin, CentreScope::All).sees_kiosk(&kiosk(2, false)));
        assert!(!staff(Role::Analyst, CentreScope::All).sees_kiosk(&kiosk(2, false)));
    }
}
