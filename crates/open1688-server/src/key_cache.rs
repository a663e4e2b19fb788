//! Recently verified API keys, so a busy caller's requests do not each cost a store round trip:
//! a key that verified is trusted for a short while ([`KeyCache::new`]'s `ttl`), remembered by the
//! SHA-256 of the text presented (never the text itself). Only successes are kept, so made-up
//! keys cannot fill it. A key revoked over HTTP is forgotten at once; one revoked by another
//! process (`open1688 serve keys revoke`) stops working within the `ttl`.

use std::time::Duration;

use moka::sync::Cache;
use open1688_store::ApiKey;
use sha2::{Digest, Sha256};

/// How long a verified key is trusted without asking the store again.
pub const DEFAULT_KEY_TTL: Duration = Duration::from_secs(2);

/// The most keys remembered at once.
const CAPACITY: u64 = 10_000;

/// Verified keys by the digest of their text.
#[derive(Clone)]
pub struct KeyCache {
    verified: Cache<[u8; 32], ApiKey>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache").field("entries", &self.verified.entry_count()).finish()
    }
}

impl KeyCache {
    /// A cache trusting a verified key for `ttl` (zero: ask the store every time).
    pub fn new(ttl: Duration) -> Self {
        Self {
            verified: Cache::builder().max_capacity(CAPACITY).time_to_live(ttl.max(Duration::from_nanos(1))).build(),
        }
    }

    fn digest(text: &str) -> [u8; 32] {
        Sha256::digest(text.as_bytes()).into()
    }

    /// The key `text` verified as, if it did so within the ttl.
    pub fn get(&self, text: &str) -> Option<ApiKey> {
        self.verified.get(&Self::digest(text))
    }

    /// Remembers that `text` verified as `key`.
    pub fn insert(&self, text: &str, key: ApiKey) {
        self.verified.insert(Self::digest(text), key);
    }

    /// Forgets what `text` verified as (a session logged out).
    pub fn forget(&self, text: &str) {
        self.verified.invalidate(&Self::digest(text));
    }

    /// Forgets every key (after a revocation: the next request of each asks the store).
    pub fn forget_all(&self) {
        self.verified.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_store::Scope;

    #[test]
    fn a_key_is_remembered_for_its_ttl_and_forgotten_on_demand() {
        let key = ApiKey { id: 1, name: "erp".into(), scope: Scope::Read, created_ms: 0, revoked_ms: None };
        let cache = KeyCache::new(Duration::from_millis(200));
        cache.insert("o1688_1_secret", key.clone());
        assert_eq!(cache.get("o1688_1_secret"), Some(key.clone()));
        assert_eq!(cache.get("o1688_1_other"), None);
        cache.forget_all();
        assert_eq!(cache.get("o1688_1_secret"), None);
        cache.insert("o1688_1_secret", key);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(cache.get("o1688_1_secret"), None, "trusted only for the ttl");
    }
}
