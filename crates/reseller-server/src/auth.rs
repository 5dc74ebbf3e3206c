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
}

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

/// Verified credentials per reseller id, filled on first use.
#[derive(Default)]
pub struct KeyCache {
    /// Resellers seen so far; a key change must call `forget`.
    known: RwLock<HashMap<ResellerId, Arc<Credentials>>>,
}

impl KeyCache {
    /// The reseller id, if `auth-userid` and `api-key` match and the caller's
    /// address is allowed.
    pub async fn authenticate(
        &self,
        store: &Store,
        user_id: &str,
        api_key: &str,
        peer: IpAddr,
    ) -> Result<ResellerId, ApiError> {
        let id = user_id
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(ResellerId)
            .ok_or(ApiError::BadCredentials)?;
        let credentials = match self.cached(id) {
            Some(credentials) => credentials,
            None => {
                let reseller = store.read(move |tx| Ok(tx.reseller(id)?)).await?;
                let Some(reseller) = reseller else {
                    return Err(ApiError::BadCredentials);
                };
                self.remember(&reseller)
            }
        };
        let offered: [u8; 32] = Sha256::digest(api_key.as_bytes()).into();
        if !bool::from(offered.ct_eq(&credentials.digest)) || !credentials.active {
            return Err(ApiError::BadCredentials);
        }
        if !credentials.allowed_ips.is_empty() && !credentials.allowed_ips.contains(&peer) {
            return Err(ApiError::IpNotAllowed);
        }
        Ok(id)
    }

    fn cached(&self, id: ResellerId) -> Option<Arc<Credentials>> {
        self.known
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    fn remember(&self, reseller: &Reseller) -> Arc<Credentials> {
        let credentials = Arc::new(Credentials {
            // A malformed stored digest matches no key.
            digest: digest_from_hex(&reseller.api_key_hash).unwrap_or([0u8; 32]),
            allowed_ips: reseller
                .allowed_ips
                .iter()
                .filter_map(|ip| ip.parse().ok())
                .collect(),
            active: reseller.active,
        });
        self.known
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(reseller.id, credentials.clone());
        credentials
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
    fn a_stored_digest_round_trips() {
        let hex = hash_api_key("key");
        assert_eq!(hex.len(), 64);
        let digest = digest_from_hex(&hex).unwrap();
        assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(b"key")));
        assert_eq!(digest_from_hex("zz"), None);
    }
}
