//! Which kiosk a token belongs to, remembered: every heartbeat and event
//! batch authenticates, and a database read per request costs two thread
//! hand-offs and a page-cache refill after each commit.
//!
//! The association of a token with its kiosk never changes; only
//! revocation (and a move to another centre) does. A revocation through this
//! process forgets the kiosk at once; one by another process (the CLI) moves
//! the heartbeat answers version on, and the whole cache is forgotten at
//! this process's next commit (heartbeats make one at least every
//! `heartbeats::memory::FLUSH_AFTER`). Event batches re-check revocation inside
//! their write anyway.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::kiosks::KioskIdentity;

/// A safety net only: longer than any heartbeat interval, so a kiosk's
/// heartbeats keep finding their token.
pub const KIOSK_TOKEN_TTL: Duration = Duration::from_secs(600);
/// Far above any network's kiosk count; beyond it the cache starts over.
const ENTRIES_MAX: usize = 200_000;

#[derive(Default)]
pub(super) struct KioskTokenCache {
    entries: Mutex<HashMap<[u8; 32], (KioskIdentity, Instant)>>,
}

impl KioskTokenCache {
    pub(super) fn get(&self, token_hash: &[u8; 32]) -> Option<KioskIdentity> {
        let entries = self.entries.lock().ok()?;
        let (identity, cached_at) = entries.get(token_hash)?;
        (cached_at.elapsed() < KIOSK_TOKEN_TTL).then_some(*identity)
    }

    /// Remembers a valid (unrevoked) kiosk's token.
    pub(super) fn put(&self, token_hash: [u8; 32], identity: KioskIdentity) {
        if identity.revoked {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= ENTRIES_MAX {
                entries.clear();
            }
            entries.insert(token_hash, (identity, Instant::now()));
        }
    }

    pub(super) fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }

    pub(super) fn forget_kiosk(&self, kiosk_id: Uuid) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (identity, _)| identity.kiosk_id != kiosk_id);
        }
    }
}
