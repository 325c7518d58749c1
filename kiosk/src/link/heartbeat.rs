//! Heartbeats: building the report and keeping track of commands, so each
//! command id is carried out once and acknowledged until the manager knows.

use std::collections::{HashSet, VecDeque};

use jiff::Timestamp;
use plaza_api::heartbeat::{Command, Health, HeartbeatRequest, HeartbeatResponse};
use uuid::Uuid;

use crate::terminal::Terminal;

/// Ids remembered to refuse a redelivered command; far more than a manager
/// ever has pending for one kiosk.
const REMEMBERED_COMMANDS: usize = 512;

#[derive(Debug, Default)]
pub struct CommandLog {
    carried_out: HashSet<Uuid>,
    order: VecDeque<Uuid>,
    to_acknowledge: Vec<Uuid>,
}

impl CommandLog {
    /// The heartbeat to send now; `content_version` is the catalogue copy's.
    pub fn request(
        &self,
        now: Timestamp,
        terminal: &Terminal,
        health: Health,
        outbox_len: u64,
        last_error: Option<String>,
        content_version: Option<u64>,
    ) -> HeartbeatRequest {
        HeartbeatRequest {
            sent_at: now,
            state: terminal.state(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            health,
            outbox_len,
            last_error,
            session: terminal.progress(),
            acked_commands: self.to_acknowledge.clone(),
            content_version,
        }
    }

    /// The reply to `sent` arrived: drops acknowledgements the manager now has
    /// and returns the commands not carried out yet, oldest first.
    pub fn received(&mut self, sent: &HeartbeatRequest, reply: &HeartbeatResponse) -> Vec<Command> {
        self.to_acknowledge
            .retain(|id| !sent.acked_commands.contains(id));
        let mut fresh = Vec::new();
        for command in &reply.commands {
            if self.carried_out.insert(command.id) {
                self.order.push_back(command.id);
                if self.order.len() > REMEMBERED_COMMANDS
                    && let Some(oldest) = self.order.pop_front()
                {
                    self.carried_out.remove(&oldest);
                }
                fresh.push(command.clone());
            } else if !self.to_acknowledge.contains(&command.id) {
                // Carried out, but the acknowledgement was lost: say it again.
                self.to_acknowledge.push(command.id);
            }
        }
        fresh
    }

    /// A command was carried out; acknowledge it in the next heartbeat.
    pub fn carried_out(&mut self, id: Uuid) {
        if !self.to_acknowledge.contains(&id) {
            self.to_acknowledge.push(id);
        }
    }
}
