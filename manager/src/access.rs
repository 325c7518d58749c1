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
//! - **centres**: their opening hours and web access ([`Subject::Centre`]);
//! - **reports**: only the centres in scope are counted (`reports::reach`);
//! - **posts**: a post belongs to the centre where its author last logged
//!   in before writing it; the scope travels to storage as a centre filter
//!   ([`StaffAuth::centres`]) and is checked inside the moderation write
//!   (a post out of scope is not found, as in the queue that lists it);
//! - **citizens** ([`Subject::Citizen`]): an account belongs to every centre
//!   where it has logged in (`citizen_centres`, filled at each login and
//!   kept apart from the reach reports' login log); a PIN reset is refused
//!   unless one of them is in scope. An account that never logged in
//!   (seeded) is in no supervisor's scope;
//! - **communities and boards** ([`Subject::Community`], [`Subject::Board`]):
//!   each belongs to one centre, given when it is created (a community's
//!   board has its community's), or to none: the whole network, which only
//!   unscoped staff (admins) manage. Coordinators, join requests,
//!   announcements, events and their removal go through the community;
//!   official posts through the board ([`StaffAuth::centre_for_new`] picks
//!   the centre of a new one).
//!
//! - **requests** ([`Subject::Request`]): a request belongs to the centre
//!   of the kiosk it was filed at (none through Open311); a supervisor
//!   also reaches the requests assigned to their account. The queue takes
//!   the same rule as a storage filter (`RequestScope`).
//! - **verified residents** ([`Subject::Resident`]): verified at a centre
//!   in scope (`Subject::Centre`), revoked by that centre's staff;
//!   proposals are moderated by the staff of their author's verification
//!   centre.
//!
//! Out of scope is 403 `forbidden` for every subject checked here (their
//! existence is public: aliases sign posts, communities and boards are
//! listed at every kiosk); a subject that does not exist is 404.

use plaza_api::staff::Role;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::storage::kiosks::KioskRecord;
use crate::storage::users::User;
use crate::storage::{Storage, StorageError};

/// What a member of staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Kiosks: the floor, a kiosk's status, sessions and health, remote
    /// commands.
    Floor,
    /// Set a centre's opening hours.
    OpeningHours,
    /// Set a centre's web access: policy, recommended sites, purposes.
    WebAccess,
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
    /// Requests to the municipality: the queue, assigning, status changes.
    Requests,
    /// The audit log.
    Audit,
    /// Consultations (create, close, the official answer) and the answers
    /// to proposals: the municipality's own voice.
    HaveASay,
    /// Live help: answer and end citizens' conversations (held to the
    /// kiosk's centre, [`Subject::Centre`]).
    LiveHelp,
}

impl Duty {
    /// The roles that have this duty.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Duty::Floor
            | Duty::OpeningHours
            | Duty::WebAccess
            | Duty::Moderation
            | Duty::Participation
            | Duty::Requests
            | Duty::LiveHelp => &[Role::Admin, Role::Supervisor],
            Duty::Reports => &[Role::Admin, Role::Analyst, Role::Supervisor],
            Duty::Provisioning | Duty::Catalogue | Duty::Audit | Duty::HaveASay => &[Role::Admin],
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
    /// A citizen account, by alias key: held to the centres where it has
    /// logged in.
    Citizen(&'a str),
    /// Held to the community's centre.
    Community(i64),
    /// Held to the board's centre.
    Board(i64),
    /// Held to the post's centre inside the moderation write (see the
    /// module's notes), not here.
    Post(i64),
    /// A request to the municipality: held to the centre it was filed at,
    /// or reached because it is assigned to this account.
    Request(i64),
    /// A verified resident, by alias key: held to the centre where the
    /// verification was made.
    Resident(&'a str),
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
    /// a subject that does not exist is not found (404). Apart from kiosks,
    /// unscoped staff are not asked about existence here: the action itself
    /// finds out.
    pub async fn require_on(
        &self,
        storage: &Storage,
        duty: Duty,
        subject: Subject<'_>,
    ) -> ApiResult<()> {
        self.require(duty)?;
        if let Subject::Kiosk(kiosk_id) = subject {
            // Looked up for everyone: a command to an unknown kiosk is 404.
            let centre_id = storage.kiosk(kiosk_id).await?.centre_id;
            return if self.scope.allows(centre_id) {
                Ok(())
            } else {
                Err(ApiError::forbidden(
                    "this kiosk belongs to a centre you do not supervise",
                ))
            };
        }
        let CentreScope::Only(centres) = &self.scope else {
            return Ok(());
        };
        let in_scope = |centre: &i64| centres.contains(centre);
        let (allowed, refusal) = match subject {
            Subject::Centre(centre_id) => {
                (in_scope(&centre_id), "you do not supervise this centre")
            }
            Subject::Citizen(alias_key) => (
                storage
                    .citizen_centres(alias_key.to_owned())
                    .await
                    .map_err(|error| not_found_as(error, "no account with that alias"))?
                    .iter()
                    .any(in_scope),
                "this citizen has not used a centre you supervise",
            ),
            Subject::Community(community_id) => (
                storage
                    .community_centre(community_id)
                    .await
                    .map_err(|error| not_found_as(error, "no such community"))?
                    .is_some_and(|centre| in_scope(&centre)),
                "this community belongs to a centre you do not supervise",
            ),
            Subject::Board(board_id) => (
                storage
                    .board_centre(board_id)
                    .await
                    .map_err(|error| not_found_as(error, "no such board"))?
                    .is_some_and(|centre| in_scope(&centre)),
                "this board belongs to a centre you do not supervise",
            ),
            Subject::Request(request_id) => {
                let (centre, assignee) = storage
                    .request_scope(request_id)
                    .await
                    .map_err(|error| not_found_as(error, "no such request"))?;
                (
                    centre.is_some_and(|centre| in_scope(&centre))
                        || assignee
                            .is_some_and(|assignee| assignee.eq_ignore_ascii_case(&self.name)),
                    "this request was filed at a centre you do not supervise and is not assigned to you",
                )
            }
            Subject::Resident(alias_key) => (
                in_scope(
                    &storage
                        .resident(alias_key.to_owned())
                        .await
                        .map_err(|error| {
                            not_found_as(error, "no verified resident with that alias")
                        })?
                        .centre_id,
                ),
                "this resident was verified at a centre you do not supervise",
            ),
            Subject::Kiosk(_) | Subject::Post(_) => (true, ""),
        };
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(refusal))
        }
    }

    /// The centre a new community or board of this member of staff belongs
    /// to: the one asked for, which must be in scope; else a supervisor's
    /// only centre, or for unscoped staff the whole network (`None`).
    pub fn centre_for_new(&self, requested: Option<i64>) -> ApiResult<Option<i64>> {
        match (&self.scope, requested) {
            (scope, Some(centre_id)) if scope.allows(centre_id) => Ok(Some(centre_id)),
            (_, Some(_)) => Err(ApiError::forbidden("you do not supervise this centre")),
            (CentreScope::All, None) => Ok(None),
            (CentreScope::Only(centres), None) => match centres.as_slice() {
                [only] => Ok(Some(*only)),
                _ => Err(ApiError::invalid(
                    "say which of your centres it belongs to, in `centre_id`",
                )),
            },
        }
    }
}

fn not_found_as(error: StorageError, message: &str) -> ApiError {
    match error {
        StorageError::NotFound => ApiError::not_found(message),
        other => other.into(),
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
            Duty::WebAccess,
            Duty::Provisioning,
            Duty::Catalogue,
            Duty::Moderation,
            Duty::Participation,
            Duty::Requests,
            Duty::Audit,
            Duty::HaveASay,
            Duty::LiveHelp,
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

    #[test]
    fn a_new_community_or_board_goes_to_a_centre_in_scope() {
        let one = staff(Role::Supervisor, CentreScope::Only(vec![1]));
        let two = staff(Role::Supervisor, CentreScope::Only(vec![1, 2]));
        let admin = staff(Role::Admin, CentreScope::All);
        assert_eq!(one.centre_for_new(None).ok(), Some(Some(1)));
        assert_eq!(one.centre_for_new(Some(1)).ok(), Some(Some(1)));
        assert!(one.centre_for_new(Some(2)).is_err());
        assert!(two.centre_for_new(None).is_err(), "which one?");
        assert_eq!(two.centre_for_new(Some(2)).ok(), Some(Some(2)));
        assert_eq!(admin.centre_for_new(None).ok(), Some(None), "the network");
        assert_eq!(admin.centre_for_new(Some(7)).ok(), Some(Some(7)));
    }
}
