//! Persistence behind one boundary, [`Store`]: the server hands it closures
//! that run the rules against the [`reseller_core::tx`] port inside one
//! transaction, and gets their outcome once it is durable. SQLite is the
//! embedded default; the backend is chosen by the database URL. Every
//! query is written once (`sql`); each backend adds how it connects,
//! groups writes and commits.

mod delivery;
mod ledger;
mod pg;
mod pg_flush;
mod queue;
mod read_cache;
mod records;
mod schema;
mod seed;
mod sql;
mod sqlite;
mod stage;
mod tenants;

pub use delivery::{Delivery, Due};
pub use ledger::{Counts, LedgerReport};
use reseller_core::tx::{SearchTx, WriteTx};
use reseller_core::{Money, ResellerId, Result, StoreError};

/// The meta key a reset moves, so that every instance drops its caches.
pub const RESET_GENERATION: &str = "reset-generation";
/// The meta key the clock's offset from real time is kept under, in seconds.
pub const CLOCK_OFFSET: &str = "clock-offset";
pub use seed::{SeedPlan, Seeded};
use std::path::PathBuf;
use std::sync::Arc;
pub use tenants::{Tenant, TenantRefusal, TenantSnapshot};

/// A handle on the database; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Sqlite(Arc<sqlite::Sqlite>),
    Postgres(Arc<pg::Pg>),
}

/// Where a database URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    SqliteFile(PathBuf),
    /// A `postgres://` or `postgresql://` URL, as libpq reads it.
    Postgres(String),
}

impl Location {
    /// `sqlite://reseller.db` (relative), `sqlite:///var/lib/reseller.db`
    /// (absolute), `sqlite:reseller.db`, or `postgres://user@host/db`.
    pub fn parse(url: &str) -> std::result::Result<Location, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                StoreError::fault(format!(
                    "unsupported database URL {url:?}: expected sqlite://PATH or postgres://..."
                ))
            })?;
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(StoreError::fault(format!(
                "database URL {url:?} names no file"
            )));
        }
        Ok(Location::SqliteFile(PathBuf::from(path)))
    }
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub fn open(url: &str) -> std::result::Result<Store, StoreError> {
        let backend = match Location::parse(url)? {
            Location::SqliteFile(path) => Backend::Sqlite(Arc::new(sqlite::Sqlite::open(&path)?)),
            Location::Postgres(url) => Backend::Postgres(Arc::new(pg::Pg::open(&url)?)),
        };
        Ok(Store { backend })
    }

    /// Runs `work` in a write transaction. Its changes are durable when this
    /// returns Ok; when it returns a rule error, nothing it did remains. On
    /// PostgreSQL `work` may run more than once (a serialization conflict is
    /// retried), so it must not have effects outside the transaction.
    pub async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite(db) => db.write(work).await,
            Backend::Postgres(db) => db.writer.write(work).await,
        }
    }

    /// `write`, for long work (a page of the clock's jobs): on SQLite in a
    /// transaction of its own rather than a savepoint of a group commit,
    /// which would first copy every page the work touches.
    pub async fn write_alone<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&mut dyn WriteTx) -> Result<T> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite(db) => db.write_alone(work).await,
            Backend::Postgres(db) => db.writer.write(work).await,
        }
    }

    /// Runs `work` on a consistent snapshot. On SQLite it runs on the
    /// calling thread: reads are short indexed lookups, and a hop to a
    /// blocking thread would cost more than the read (docs/BENCHMARKS.md).
    pub async fn read<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&mut dyn SearchTx) -> Result<T> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite(db) => db.read_blocking(work),
            Backend::Postgres(db) => db.submit(move |conn| pg::read(conn, &work)).await?,
        }
    }

    /// Checks the ledger invariants of DESIGN.md over the whole database.
    pub fn check_ledger(&self) -> std::result::Result<LedgerReport, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.with_reader(|conn| ledger::check(&mut sqlite::SqliteConn(conn)))
            }
            Backend::Postgres(db) => {
                db.submit_blocking(|conn| pg::read_sql(conn, &|tx| ledger::check(&mut tx.conn)))?
            }
        }
    }

    /// How many records each table holds and every account balance: a
    /// fingerprint of the state, for checking that a refused request changed nothing.
    pub fn counts(&self) -> std::result::Result<Counts, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.with_reader(|conn| ledger::counts(&mut sqlite::SqliteConn(conn)))
            }
            Backend::Postgres(db) => {
                db.submit_blocking(|conn| pg::read_sql(conn, &|tx| ledger::counts(&mut tx.conn)))?
            }
        }
    }

    /// Fills the database with the seeded customers and orders of `plan` in
    /// one transaction, calling `progress` with the count of orders written.
    /// SQLite only for now.
    pub async fn seed(
        &self,
        plan: SeedPlan,
        progress: impl FnMut(u64) + Send + 'static,
    ) -> std::result::Result<Seeded, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.seed(plan, progress).await,
            Backend::Postgres(_) => {
                Err(StoreError::fault("seeding PostgreSQL is not supported yet"))
            }
        }
    }

    /// A named secret of this deployment (e.g. the key that signs console
    /// links), created on first use and shared by every instance.
    pub async fn secret(&self, name: &str) -> std::result::Result<String, StoreError> {
        self.kept_or(name, random_hex(32)?).await
    }

    /// The value kept under `name`, or `fresh`, kept first, if none is:
    /// what every instance agrees on (the sandbox authority's key).
    pub async fn kept_or(
        &self,
        name: &str,
        fresh: String,
    ) -> std::result::Result<String, StoreError> {
        let name = name.to_string();
        match &self.backend {
            Backend::Sqlite(db) => db.secret(name, fresh).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::secret(conn, &name, &fresh))
                    .await?
            }
        }
    }

    /// A whole number kept in the database under `name` (0 until first
    /// moved), moved by `delta` there, so that every instance and every
    /// concurrent move agree; `delta` 0 reads it.
    pub async fn counter(&self, name: &str, delta: i64) -> std::result::Result<i64, StoreError> {
        let name = name.to_string();
        match &self.backend {
            Backend::Sqlite(db) => db.counter(name, delta).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::counter(conn, &name, delta))
                    .await?
            }
        }
    }

    /// Keeps a copy of every table of business data under `name`
    /// (replacing one of that name), with the clock's offset.
    pub async fn snapshot(&self, name: &str, now: i64) -> std::result::Result<(), StoreError> {
        let name = name.to_string();
        match &self.backend {
            Backend::Sqlite(db) => db.in_transaction(move |tx| tx.snapshot(&name, now)).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::in_transaction(conn, |tx| tx.snapshot(&name, now)))
                    .await?
            }
        }
    }

    /// Puts the data and the clock back as snapshot `name` kept them, and
    /// moves `RESET_GENERATION`; false when there is no such snapshot.
    pub async fn restore(&self, name: &str) -> std::result::Result<bool, StoreError> {
        let name = name.to_string();
        match &self.backend {
            Backend::Sqlite(db) => db.in_transaction(move |tx| tx.restore(&name)).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::in_transaction(conn, |tx| tx.restore(&name)))
                    .await?
            }
        }
    }

    /// The snapshots kept: name, when made, clock offset; oldest first.
    pub async fn snapshots(&self) -> std::result::Result<Vec<(String, i64, i64)>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.in_transaction(|tx| tx.snapshots()).await,
            Backend::Postgres(db) => {
                db.submit(|conn| pg::in_transaction(conn, |tx| tx.snapshots()))
                    .await?
            }
        }
    }

    /// Back to a fresh state: every table of business data emptied but for
    /// the reseller `keep` (kept with its key), then `restore` writes what
    /// a fresh start has (its price list, its opening funds, given as the
    /// amount it first had), all in one transaction. The clock goes back
    /// to real time and `RESET_GENERATION` moves, so that every instance
    /// drops what it cached.
    pub async fn reset<F>(&self, keep: ResellerId, restore: F) -> Result<()>
    where
        F: FnOnce(&mut dyn WriteTx, Money) -> Result<()> + Send + 'static,
    {
        let keep = keep.0;
        match &self.backend {
            Backend::Sqlite(db) => db.reset(keep, restore).await,
            Backend::Postgres(db) => {
                db.submit(move |conn| pg::reset(conn, keep, restore))
                    .await?
            }
        }
    }

    /// Finishes the queued writes and stops the writer.
    pub fn close(&self) {
        match &self.backend {
            Backend::Sqlite(db) => db.close(),
            Backend::Postgres(db) => db.close(),
        }
    }
}

/// `bytes` random bytes from the operating system, as lowercase hex.
/// How many write requests each group commit carried, for the metrics:
/// counts by upper bound (1, 2, 4, ... 512).
pub mod write_groups {
    use std::sync::atomic::{AtomicU64, Ordering};

    /// The upper bounds of the buckets.
    pub const BOUNDS: [usize; 10] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
    static COUNTS: [AtomicU64; 10] = [const { AtomicU64::new(0) }; 10];
    static REQUESTS: AtomicU64 = AtomicU64::new(0);

    /// Counts one group commit of `size` requests.
    pub fn record(size: usize) {
        let bucket = BOUNDS
            .iter()
            .position(|b| size <= *b)
            .unwrap_or(BOUNDS.len() - 1);
        COUNTS[bucket].fetch_add(1, Ordering::Relaxed);
        REQUESTS.fetch_add(size as u64, Ordering::Relaxed);
    }

    /// Group commits by bucket (not cumulative), and the requests in all.
    pub fn snapshot() -> ([u64; 10], u64) {
        let counts = std::array::from_fn(|i| COUNTS[i].load(Ordering::Relaxed));
        (counts, REQUESTS.load(Ordering::Relaxed))
    }
}

pub fn random_hex(bytes: usize) -> std::result::Result<String, StoreError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| StoreError::fault(format!("no randomness: {e}")))?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}
