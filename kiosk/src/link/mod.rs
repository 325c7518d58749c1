//! The kiosk's link to its manager: heartbeats and the commands they bring,
//! outbox delivery, and how the link is doing. The calls themselves are
//! `plaza_client`'s.
//!
//! [`Link`] is the one place a kiosk (the app, or a simulated kiosk in the
//! fleet simulator) builds a heartbeat and reads its answer: it owns the
//! client, the [`CommandLog`], the health readings and the online / last
//! sync / last error state, and says what the answer asks of the kiosk as
//! [`Effect`]s, so the caller only carries them out.

mod backoff;
mod delivery;
mod heartbeat;

use jiff::Timestamp;
use plaza_api::heartbeat::{Command, HeartbeatRequest, HeartbeatResponse};
pub use plaza_client::{ClientError, ManagerClient};
use uuid::Uuid;

pub use backoff::Backoff;
pub use delivery::{Delivery, DeliveryError, DeliveryReport, SyncStatus, run_delivery};
pub use heartbeat::CommandLog;

use crate::health::Readings;
use crate::terminal::Terminal;

/// What a heartbeat's answer asks of the kiosk, in the order to do it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The centre's session rules now (`extension_s` 0: no "more time").
    SessionRules { allotment_s: u32, extension_s: u32 },
    /// The manager's content is at this version.
    ContentVersion(u64),
    /// A supervisor command not carried out before, oldest first. Once it
    /// is, say so with [`Link::carried_out`]; one that could not be is left
    /// unacknowledged and the manager sends it again.
    Command(Command),
}

/// One heartbeat, ready to go.
#[derive(Debug)]
pub struct Heartbeat {
    client: ManagerClient,
    pub request: HeartbeatRequest,
}

impl Heartbeat {
    /// Sends it; the request comes back with the answer, for
    /// [`Link::answered`].
    pub async fn send(self) -> (HeartbeatRequest, Result<HeartbeatResponse, ClientError>) {
        let result = self.client.heartbeat(&self.request).await;
        (self.request, result)
    }
}

/// The kiosk's side of the conversation with its manager.
#[derive(Debug)]
pub struct Link<R> {
    /// `None` until the kiosk is enrolled.
    client: Option<ManagerClient>,
    commands: CommandLog,
    readings: R,
    /// A heartbeat was sent and not answered yet.
    in_flight: bool,
    online: bool,
    last_sync: Option<Timestamp>,
    /// The kiosk's last problem, reported in the next heartbeat.
    last_error: Option<String>,
    /// A warning that stays true until staff fix it (the default PIN, plain
    /// http): sent as `last_error` whenever no fresher problem is.
    standing_warning: Option<String>,
}

impl<R: Readings> Link<R> {
    pub fn new(client: Option<ManagerClient>, readings: R) -> Self {
        Self {
            client,
            commands: CommandLog::default(),
            readings,
            in_flight: false,
            online: false,
            last_sync: None,
            last_error: None,
            standing_warning: None,
        }
    }

    /// Reports `warning` in every heartbeat with nothing fresher to say, so
    /// the dashboard keeps showing it.
    pub fn warn_always(&mut self, warning: Option<String>) {
        self.standing_warning = warning;
    }

    pub fn client(&self) -> Option<&ManagerClient> {
        self.client.as_ref()
    }

    /// The manager, when this kiosk is enrolled and has heard from it lately
    /// (what forums and communities need).
    pub fn reachable(&self) -> Option<&ManagerClient> {
        self.client.as_ref().filter(|_| self.online)
    }

    /// A new enrolment: a new client, and no command remembered from the
    /// kiosk this one was before.
    pub fn enrolled(&mut self, client: Option<ManagerClient>) {
        self.client = client;
        self.commands = CommandLog::default();
    }

    pub fn is_online(&self) -> bool {
        self.online
    }

    pub fn last_sync(&self) -> Option<Timestamp> {
        self.last_sync
    }

    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// A problem of the kiosk's, for staff and for the next heartbeat.
    pub fn record_problem(&mut self, problem: String) {
        self.last_error = Some(problem);
    }

    /// Any other call reached the manager (the profile, say).
    pub fn reached(&mut self) {
        self.online = true;
    }

    /// What the delivery worker last reported.
    pub fn delivered(&mut self, status: &SyncStatus) {
        if status.last_sync.is_some() {
            self.last_sync = status.last_sync.max(self.last_sync);
        }
    }

    /// The heartbeat to send now, reporting the catalogue copy at
    /// `content_version`; `None` before enrolment or while one is on its way.
    pub fn heartbeat(
        &mut self,
        now: Timestamp,
        terminal: &Terminal,
        content_version: Option<u64>,
    ) -> Option<Heartbeat> {
        let client = self.client.clone().filter(|_| !self.in_flight)?;
        let request = self.commands.request(
            now,
            terminal,
            self.readings.read(),
            terminal.outbox().len().unwrap_or_default(),
            self.last_error
                .clone()
                .or_else(|| self.standing_warning.clone()),
            content_version,
        );
        self.in_flight = true;
        Some(Heartbeat { client, request })
    }

    /// The answer to `request` arrived (at `now`): what it asks of the kiosk.
    pub fn answered(
        &mut self,
        now: Timestamp,
        request: &HeartbeatRequest,
        result: Result<HeartbeatResponse, ClientError>,
    ) -> Vec<Effect> {
        self.in_flight = false;
        let reply = match result {
            Ok(reply) => reply,
            Err(error) => {
                self.online = !matches!(error, ClientError::Unreachable(_));
                tracing::info!(%error, "heartbeat failed");
                if error.is_unauthorised() {
                    self.last_error = Some(error.to_string());
                }
                return Vec::new();
            }
        };
        self.online = true;
        self.last_sync = Some(now);
        self.last_error = None;
        let mut effects = vec![
            Effect::SessionRules {
                allotment_s: reply.session_allotment_s,
                extension_s: reply.session_extension_s,
            },
            Effect::ContentVersion(reply.content_version),
        ];
        effects.extend(
            self.commands
                .received(request, &reply)
                .into_iter()
                .map(Effect::Command),
        );
        effects
    }

    /// A command from [`Effect::Command`] was carried out: the next
    /// heartbeat acknowledges it.
    pub fn carried_out(&mut self, id: Uuid) {
        self.commands.carried_out(id);
    }
}

/// The name this machine enrols with (its host name).
pub fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "plaza-kiosk".to_owned())
}

#[cfg(test)]
mod tests {
    use plaza_api::heartbeat::{CommandAction, Health};

    use super::*;
    use crate::outbox::Outbox;
    use crate::session::SessionRules;

    struct Steady;

    impl Readings for Steady {
        fn read(&mut self) -> Health {
            Health::default()
        }
    }

    fn reply(commands: Vec<Command>) -> HeartbeatResponse {
        HeartbeatResponse {
            commands,
            content_version: 7,
            heartbeat_interval_s: 10,
            session_allotment_s: 600,
            session_extension_s: 0,
            server_time: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn an_answer_says_the_rules_the_version_and_each_new_command_once() {
        let terminal = Terminal::new(
            Outbox::in_memory().expect("outbox"),
            SessionRules::default(),
        );
        let client = ManagerClient::new("http://127.0.0.1:9", std::time::Duration::from_secs(1))
            .expect("client")
            .with_credentials(plaza_client::KioskToken {
                kiosk_id: Uuid::now_v7(),
                token: "t".to_owned(),
            });
        let mut link = Link::new(Some(client), Steady);
        let now = Timestamp::UNIX_EPOCH;
        let heartbeat = link.heartbeat(now, &terminal, Some(3)).expect("enrolled");
        assert_eq!(heartbeat.request.content_version, Some(3));
        assert!(
            link.heartbeat(now, &terminal, Some(3)).is_none(),
            "one heartbeat at a time"
        );
        let lock = Command {
            id: Uuid::now_v7(),
            issued_at: now,
            action: CommandAction::Lock { reason: None },
        };
        let effects = link.answered(now, &heartbeat.request, Ok(reply(vec![lock.clone()])));
        assert_eq!(
            effects,
            [
                Effect::SessionRules {
                    allotment_s: 600,
                    extension_s: 0
                },
                Effect::ContentVersion(7),
                Effect::Command(lock.clone()),
            ]
        );
        assert!(link.is_online());
        link.carried_out(lock.id);
        let next = link.heartbeat(now, &terminal, Some(7)).expect("answered");
        assert_eq!(next.request.acked_commands, [lock.id]);
        let effects = link.answered(now, &next.request, Ok(reply(vec![lock])));
        assert_eq!(
            effects.len(),
            2,
            "a redelivered command is not carried out again"
        );

        let down = link.heartbeat(now, &terminal, None).expect("answered");
        let effects = link.answered(
            now,
            &down.request,
            Err(ClientError::Unreachable("refused".to_owned())),
        );
        assert!(effects.is_empty());
        assert!(!link.is_online());
        assert!(link.reachable().is_none());
    }
}
