//! Reseller credentials. API keys are stored as SHA-256 digests (they are
//! long random strings, so a fast hash suffices), compared in constant time,
//! and cached per reseller so that checking them costs no database round trip.

use crate::wire::ApiError;
use reseller_core::ResellerId;
use reseller_core::model::Reseller;
use reseller_store::Store;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The SHA-256 digest of an API key, hex-encoded, as the store keeps it.
pub fn hash_api_key(api_key: &str) -> String {
    Sha256::digest(api_key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new API key: 32 random bytes, hex.
pub fn new_api_key() -> Result<String, reseller_core::StoreError> {
    reseller_store::random_hex(32)
}

struct Credentials {
    digest: [u8; 32],
    allowed_ips: Vec<IpAddr>,
    active: bool,
    /// The reseller at the top of its line (itself, or the parent of its
    /// parents): whose clock its calls see, if that one is a tenant with
    /// a clock of its own.
    top: ResellerId,
    /// When they were read: another instance may issue a new key or
    /// suspend the reseller, so they are read again after
    /// [`CREDENTIALS_TTL`].
    read_at: Instant,
}

/// How long credentials read from the store are trusted.
const CREDENTIALS_TTL: Duration = Duration::from_secs(2);

fn digest_from_hex(hex: &str) -> Option<[u8; 32]> {
    let mut digest = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(digest)
}

/// Who signed a request in: the reseller, and the reseller at the top
/// of its line, whose clock it sees (`Clock::now_of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub reseller: ResellerId,
    pub top: ResellerId,
}

/// Verified credentials per reseller id, filled on first use and read
/// again once they are [`CREDENTIALS_TTL`] old.
#[derive(Default)]
pub struct KeyCache {
    /// Resellers seen so far; a key change must call `forget`.
    known: RwLock<HashMap<ResellerId, Arc<Credentials>>>,
    /// Failed authentications by client address, so that guessing keys is slow.
    failures: FailureLimit,
}

/// How many failed authentications a client address may make in a minute.
/// Past the limit every request from that address gets the credentials
/// error, right key or not, until its minute is over.
#[derive(Default)]
pub struct FailureLimit {
    /// 0 until set: no limit.
    per_minute: std::sync::atomic::AtomicU32,
    /// Each address's current minute: when it began and the failures in it.
    seen: std::sync::Mutex<HashMap<IpAddr, (Instant, u32)>>,
    /// Whether any address has failed since the last time none had: while
    /// none has, a request takes no lock (every request checks).
    any: std::sync::atomic::AtomicBool,
}

/// The window failures are counted in.
const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses kept at most; older windows are dropped past it.
const FAILURE_ADDRESSES: usize = 10_000;

impl FailureLimit {
    pub fn set_per_minute(&self, n: u32) {
        self.per_minute
            .store(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether `peer` has used up its failures at `now`.
    pub fn blocked(&self, peer: IpAddr, now: Instant) -> bool {
        let limit = self.per_minute.load(std::sync::atomic::Ordering::Relaxed);
        if limit == 0 || !self.any.load(std::sync::atomic::Ordering::Relaxed) {
            return false;
        }
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(&peer)
            .is_some_and(|(began, n)| now.duration_since(*began) < FAILURE_WINDOW && *n >= limit)
    }

    pub fn failed(&self, peer: IpAddr, now: Instant) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        self.any.store(true, std::sync::atomic::Ordering::Relaxed);
        if seen.len() >= FAILURE_ADDRESSES {
            seen.retain(|_, (began, _)| now.duration_since(*began) < FAILURE_WINDOW);
        }
        let entry = seen.entry(peer).or_insert((now, 0));
        if now.duration_since(entry.0) >= FAILURE_WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

impl KeyCache {
    /// The failures counted by client address: wrong admin tokens count
    /// with wrong API keys.
    pub fn failures(&self) -> &FailureLimit {
        &self.failures
    }

    /// Sets how many failed authentications an address may make in a minute.
    pub fn limit_failures(&self, per_minute: u32) {
        self.failures.set_per_minute(per_minute);
    }

    /// The reseller id, if `auth-userid` and `api-key` match and the caller's
    /// address is allowed and has not used up its failed attempts.
    pub async fn authenticate(
        &self,
        store: &Store,
        user_id: &str,
        api_key: &str,
        peer: IpAddr,
    ) -> Result<SignedIn, ApiError> {
        if self.failures.blocked(peer, Instant::now()) {
            return Err(ApiError::BadCredentials);
        }
        let outcome = self.check(store, user_id, api_key, peer).await;
        if matches!(outcome, Err(ApiError::BadCredentials)) {
            self.failures.failed(peer, Instant::now());
        }
        outcome
    }

    async fn check(
        &self,
        store: &Store,
        user_id: &str,
        api_key: &str,
        peer: IpAddr,
    ) -> Result<SignedIn, ApiError> {
        let id = user_id
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(ResellerId)
            .ok_or(ApiError::BadCredentials)?;
        let fresh = self
            .cached(id)
            .filter(|c| c.read_at.elapsed() < CREDENTIALS_TTL);
        let credentials = match fresh {
            Some(credentials) => credentials,
            None => {
                let found = store
                    .read(move |tx| {
                        let Some(reseller) = tx.reseller(id)? else {
                            return Ok(None);
                        };
                        let top = reseller_core::resellers::top_of(tx, id)?;
                        Ok(Some((reseller, top)))
                    })
                    .await?;
                let Some((reseller, top)) = found else {
                    return Err(ApiError::BadCredentials);
                };
                self.remember(&reseller, top)
            }
        };
        let offered: [u8; 32] = Sha256::digest(api_key.as_bytes()).into();
        if !bool::from(offered.ct_eq(&credentials.digest)) || !credentials.active {
            return Err(ApiError::BadCredentials);
        }
        if !credentials.allowed_ips.is_empty() && !credentials.allowed_ips.contains(&peer) {
            return Err(ApiError::IpNotAllowed);
        }
        Ok(SignedIn {
            reseller: id,
            top: credentials.top,
        })
    }

    fn cached(&self, id: ResellerId) -> Option<Arc<Credentials>> {
        self.known
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    fn remember(&self, reseller: &Reseller, top: ResellerId) -> Arc<Credentials> {
        let credentials = Arc::new(Credentials {
            // A malformed stored digest matches no key.
            digest: digest_from_hex(&reseller.api_key_hash).unwrap_or([0u8; 32]),
            allowed_ips: reseller
                .allowed_ips
                .iter()
                .filter_map(|ip| ip.parse().ok())
                .collect(),
            active: reseller.active,
            top,
            read_at: Instant::now(),
        });
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(reseller.id, credentials.clone());
        credentials
    }

    /// Drops every cached credential (after a reset).
    pub fn forget_all(&self) {
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Drops what is cached of a reseller whose credentials changed.
    pub fn forget(&self, id: ResellerId) {
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_its_failures_until_its_minute_is_over() {
        let limit = FailureLimit::default();
        let (peer, other) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let start = Instant::now();
        assert!(!limit.blocked(peer, start), "no limit until one is set");
        limit.set_per_minute(3);
        for _ in 0..3 {
            assert!(!limit.blocked(peer, start));
            limit.failed(peer, start);
        }
        assert!(limit.blocked(peer, start + Duration::from_secs(59)));
        assert!(
            !limit.blocked(other, start),
            "another address is not touched"
        );
        assert!(!limit.blocked(peer, start + FAILURE_WINDOW));
        limit.failed(peer, start + FAILURE_WINDOW);
        assert!(
            !limit.blocked(peer, start + FAILURE_WINDOW),
            "a new minute counts anew"
        );
    }

    #[test]
    fn a_stored_digest_round_trips() {
        let hex = hash_api_key("key");
        assert_eq!(hex.len(), 64);
        let digest = digest_from_hex(&hex).unwrap();
        assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(b"key")));
        assert_eq!(digest_from_hex("zz"), None);
    }
}
