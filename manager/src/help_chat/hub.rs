//! What live help keeps in the process's memory: wake-ups and presence.
//!
//! **Wake-ups.** The database holds every message; the hub only says "look
//! again". Each conversation has a `watch` counter that the kiosk's long
//! poll waits on, and one counter for all dashboards (their list of open
//! conversations). A writer bumps them after its write is committed, so a
//! woken reader always finds what woke it.
//!
//! **Presence.** A member of staff is *available* for a centre while one
//! of their browser sessions holds the help page's event stream open, the
//! centre is in their scope, and that session has not been marked away
//! (the page's toggle). Held in memory because it is a property of open
//! connections: a restart drops the connections and the presence with
//! them. Several managers behind one database would need the wake-ups
//! through the database (PostgreSQL `LISTEN`/`NOTIFY`) and the presence in
//! a table with an expiry.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;
use uuid::Uuid;

use crate::access::CentreScope;

type SessionHash = [u8; 32];

#[derive(Debug)]
struct Present {
    scope: CentreScope,
    streams: u32,
}

#[derive(Debug, Default)]
struct Presence {
    open: HashMap<SessionHash, Present>,
    away: HashSet<SessionHash>,
}

/// Live help's wake-ups and staff presence; one per process, in `AppState`.
#[derive(Debug)]
pub struct Hub {
    dashboards: watch::Sender<u64>,
    conversations: Mutex<HashMap<Uuid, watch::Sender<u64>>>,
    presence: Arc<Mutex<Presence>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            dashboards: watch::Sender::new(0),
            conversations: Mutex::default(),
            presence: Arc::default(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned table lost one update of a counter at most; keep using it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One help page's stream holding its session present; dropping it (the
/// stream ended) takes the presence back.
#[derive(Debug)]
pub struct PresenceSlot {
    presence: Arc<Mutex<Presence>>,
    session: SessionHash,
}

impl Drop for PresenceSlot {
    fn drop(&mut self) {
        let mut presence = lock(&self.presence);
        if let Some(present) = presence.open.get_mut(&self.session) {
            present.streams = present.streams.saturating_sub(1);
            if present.streams == 0 {
                presence.open.remove(&self.session);
            }
        }
    }
}

impl Hub {
    /// Something about `conversation` changed (a message, its end): wake
    /// its kiosk and every dashboard.
    pub fn changed(&self, conversation: Uuid) {
        {
            let mut conversations = lock(&self.conversations);
            if let Some(sender) = conversations.get(&conversation) {
                sender.send_modify(|version| *version += 1);
                if sender.receiver_count() == 0 {
                    conversations.remove(&conversation);
                }
            }
        }
        self.dashboards.send_modify(|version| *version += 1);
    }

    /// Subscribes to `conversation`'s wake-ups (before reading it, so a
    /// change between the read and the wait is not missed).
    pub fn watch_conversation(&self, conversation: Uuid) -> watch::Receiver<u64> {
        lock(&self.conversations)
            .entry(conversation)
            .or_insert_with(|| watch::Sender::new(0))
            .subscribe()
    }

    /// Subscribes to the dashboards' wake-ups.
    pub fn watch_dashboards(&self) -> watch::Receiver<u64> {
        self.dashboards.subscribe()
    }

    /// Marks a browser session present while the slot lives.
    pub fn present(&self, session: SessionHash, scope: CentreScope) -> PresenceSlot {
        lock(&self.presence)
            .open
            .entry(session)
            .or_insert(Present { scope, streams: 0 })
            .streams += 1;
        self.dashboards.send_modify(|version| *version += 1);
        PresenceSlot {
            presence: Arc::clone(&self.presence),
            session,
        }
    }

    /// The page's toggle: this session answers (`true`) or is away.
    pub fn set_available(&self, session: SessionHash, available: bool) {
        let mut presence = lock(&self.presence);
        if available {
            presence.away.remove(&session);
        } else {
            presence.away.insert(session);
        }
    }

    /// Whether this session marked itself away.
    pub fn is_away(&self, session: SessionHash) -> bool {
        lock(&self.presence).away.contains(&session)
    }

    /// Whether anyone can answer a citizen of `centre_id` now.
    pub fn available_for(&self, centre_id: i64) -> bool {
        let presence = lock(&self.presence);
        presence.open.iter().any(|(session, present)| {
            present.streams > 0
                && present.scope.allows(centre_id)
                && !presence.away.contains(session)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_lasts_as_long_as_a_stream_and_honours_away_and_scope() {
        let hub = Hub::default();
        let session = [7; 32];
        assert!(!hub.available_for(1));
        let slot = hub.present(session, CentreScope::Only(vec![1]));
        let second = hub.present(session, CentreScope::Only(vec![1]));
        assert!(hub.available_for(1));
        assert!(!hub.available_for(2), "another centre");
        hub.set_available(session, false);
        assert!(!hub.available_for(1), "away");
        hub.set_available(session, true);
        drop(slot);
        assert!(hub.available_for(1), "one stream still open");
        drop(second);
        assert!(!hub.available_for(1));
    }

    #[tokio::test]
    async fn a_change_wakes_the_conversation_and_the_dashboards() {
        let hub = Hub::default();
        let id = Uuid::now_v7();
        let mut kiosk = hub.watch_conversation(id);
        let mut dashboard = hub.watch_dashboards();
        hub.changed(id);
        assert!(kiosk.has_changed().expect("open"));
        assert!(dashboard.has_changed().expect("open"));
        kiosk.changed().await.expect("woken");
        dashboard.changed().await.expect("woken");
    }
}
