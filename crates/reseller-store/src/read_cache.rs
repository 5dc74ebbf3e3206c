//! Answers the hottest lookups of a SQLite read (an order by id, a price
//! line, the live order of a name, which the DNS listener asks for each
//! query) from memory while the database has not changed, so that a read
//! made only of them takes no read transaction.
//!
//! Why: under load a read transaction costs more than the rows it reads. It
//! takes and drops a WAL read-mark lock with `fcntl`, and threads doing so
//! share the kernel's lock list for the file (docs/BENCHMARKS.md, issue 20).
//!
//! How it stays exact: SQLite publishes every commit, from any connection of
//! any process, by rewriting the WAL index header at the start of the `-shm`
//! file (<https://www.sqlite.org/walformat.html>, "The WAL-Index Header").
//! Readers of every process find the newest commit there, and so does this
//! cache: the header's 48 bytes (a change counter, the last frame, salts and
//! checksums) are the database's version. Entries are kept for one version
//! only; keeping entries of another one empties the cache first.
//!
//! The header is written twice, the first copy last: when it changes, the
//! commit is published. A read answered wholly from the cache answers the
//! version it started under, which was the newest then. A read that went to
//! the database keeps what it found only if the version is still the one
//! it started under (so its snapshot was that version); if it also took
//! answers from the cache and the version moved, it runs again without the
//! cache. A header read while a writer rewrites it gives, at worst, a
//! version no entry is kept under: misses, never a wrong answer.

use reseller_core::catalogue::{Price, PriceAction, Product};
use reseller_core::model::Order;
use reseller_core::{OrderId, PlanId, ResellerId};
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// The bytes of one copy of the WAL index header.
const HEADER: usize = 48;
/// Entries kept at most per version; past it the cache starts again.
const MOST_ENTRIES: usize = 100_000;

/// What the database looked like when it was read: the WAL index header.
pub(crate) type Version = [u8; HEADER];

/// The WAL index of one database file, read with `pread` (no lock is
/// taken, and the project keeps no `unsafe` code to map it).
pub(crate) struct WalIndex {
    file: File,
}

impl WalIndex {
    /// Opens `<database>-shm`; `None` when there is none (the database is
    /// not in WAL mode, or its index is not yet made).
    pub(crate) fn open(database: &Path) -> Option<WalIndex> {
        let mut name = database.as_os_str().to_owned();
        name.push("-shm");
        let file = File::open(name).ok()?;
        (file.metadata().ok()?.len() >= 2 * HEADER as u64).then_some(WalIndex { file })
    }

    /// The newest version published: the header's first copy, which a
    /// commit rewrites last. `None` until the header is first written.
    pub(crate) fn version(&self) -> Option<Version> {
        let mut first = [0u8; HEADER];
        self.file.read_exact_at(&mut first, 0).ok()?;
        // `isInit`, the header's 13th byte, is set once it is written.
        (first[12] != 0).then_some(first)
    }

    /// Whether no commit has been published since `version` was read.
    pub(crate) fn still(&self, version: &Version) -> bool {
        self.version().as_ref() == Some(version)
    }
}

/// A price line as `ReadTx::price` looks it up.
pub(crate) type PriceKey = (ResellerId, PlanId, PriceAction, u32);
/// A name as `ReadTx::live_order_named` looks it up.
pub(crate) type NameKey = (Product, String);

/// Orders and price lines as one version of the database holds them,
/// `None` where it holds none.
#[derive(Default)]
pub(crate) struct ReadCache {
    state: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    version: Option<Version>,
    orders: HashMap<OrderId, Option<Order>>,
    prices: HashMap<PriceKey, Option<Price>>,
    names: HashMap<NameKey, Option<OrderId>>,
}

impl Kept {
    fn len(&self) -> usize {
        self.orders.len() + self.prices.len() + self.names.len()
    }
}

impl ReadCache {
    pub(crate) fn order(&self, version: &Version, id: OrderId) -> Option<Option<Order>> {
        let kept = self.state.read().unwrap_or_else(|e| e.into_inner());
        if kept.version.as_ref() != Some(version) {
            return None;
        }
        kept.orders.get(&id).cloned()
    }

    pub(crate) fn price(&self, version: &Version, key: &PriceKey) -> Option<Option<Price>> {
        let kept = self.state.read().unwrap_or_else(|e| e.into_inner());
        if kept.version.as_ref() != Some(version) {
            return None;
        }
        kept.prices.get(key).cloned()
    }

    pub(crate) fn name(&self, version: &Version, key: &NameKey) -> Option<Option<OrderId>> {
        let kept = self.state.read().unwrap_or_else(|e| e.into_inner());
        if kept.version.as_ref() != Some(version) {
            return None;
        }
        kept.names.get(key).copied()
    }

    /// Keeps what a read found in `version` of the database, which must
    /// still have been the newest when the read ended.
    pub(crate) fn keep(&self, version: Version, found: Found) {
        if found.orders.is_empty() && found.prices.is_empty() && found.names.is_empty() {
            return;
        }
        let mut kept = self.state.write().unwrap_or_else(|e| e.into_inner());
        if kept.version != Some(version) || kept.len() >= MOST_ENTRIES {
            *kept = Kept {
                version: Some(version),
                ..Kept::default()
            };
        }
        kept.orders.extend(found.orders);
        kept.prices.extend(found.prices);
        kept.names.extend(found.names);
    }
}

/// What one read found in the database, to be kept if its version held.
#[derive(Default)]
pub(crate) struct Found {
    pub(crate) orders: Vec<(OrderId, Option<Order>)>,
    pub(crate) prices: Vec<(PriceKey, Option<Price>)>,
    pub(crate) names: Vec<(NameKey, Option<OrderId>)>,
}

/// One read's use of the cache: the version it started under, what it took
/// from the cache and what it found in the database.
pub(crate) struct CacheUse {
    pub(crate) cache: Arc<ReadCache>,
    pub(crate) version: Version,
    pub(crate) hits: u32,
    pub(crate) found: Found,
}

impl CacheUse {
    pub(crate) fn order(&mut self, id: OrderId) -> Option<Option<Order>> {
        let hit = self.cache.order(&self.version, id);
        self.hits += u32::from(hit.is_some());
        hit
    }

    pub(crate) fn price(&mut self, key: &PriceKey) -> Option<Option<Price>> {
        let hit = self.cache.price(&self.version, key);
        self.hits += u32::from(hit.is_some());
        hit
    }

    pub(crate) fn name(&mut self, key: &NameKey) -> Option<Option<OrderId>> {
        let hit = self.cache.name(&self.version, key);
        self.hits += u32::from(hit.is_some());
        hit
    }
}
