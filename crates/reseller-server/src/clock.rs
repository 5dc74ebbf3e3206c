//! The server's clock: system time plus an offset the sandbox control
//! plane moves forward. This one service owns the offset: it is kept in
//! the database (the store's `CLOCK_OFFSET` row), so every instance agrees;
//! each instance holds a copy that it refreshes twice a second and
//! whenever it moves the clock itself, and knows whether an advance is
//! running here. A tenant may have a clock of its own (the store's
//! `tenants`): its offset is kept and refreshed the same way, and every
//! call signed in by the tenant or a reseller below it sees that clock
//! (`now_of`). Handlers take `now` from the call and hand it to the rules.

use reseller_core::{ResellerId, StoreError};
use reseller_store::{CLOCK_OFFSET, Store};
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

pub struct Clock {
    store: Store,
    /// Seconds added to the system time.
    offset: AtomicI64,
    /// Advances running on this instance: the minute's sweep waits for them.
    advancing: AtomicUsize,
    /// The offsets of the tenants with clocks of their own.
    tenants: RwLock<HashMap<ResellerId, i64>>,
}

/// The stretch of sandbox time an advance owns: it runs the jobs due
/// between `from` and `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    offset: i64,
}

/// An advance in progress on this instance, until dropped.
pub struct Advancing<'a>(&'a Clock);

impl Drop for Advancing<'_> {
    fn drop(&mut self) {
        self.0.advancing.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Clock {
    /// The clock of the database `store` holds.
    pub async fn open(store: Store) -> Result<Clock, StoreError> {
        let offset = store.counter(CLOCK_OFFSET, 0).await?;
        Ok(Clock {
            store: store.clone(),
            offset: AtomicI64::new(offset),
            advancing: AtomicUsize::new(0),
            tenants: RwLock::new(store.tenant_clocks().await?.into_iter().collect()),
        })
    }

    /// The real time, in seconds since the epoch: what session cookies and
    /// the demo state are dated by, whatever the sandbox's clock says.
    pub fn real_now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }

    /// The time every API call sees.
    pub fn now(&self) -> i64 {
        Clock::real_now() + self.offset()
    }

    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// The time the calls of `top`'s line see: its own clock's if it is
    /// a tenant with one, the global clock's otherwise.
    pub fn now_of(&self, top: ResellerId) -> i64 {
        Clock::real_now() + self.offset_of(top)
    }

    pub fn offset_of(&self, top: ResellerId) -> i64 {
        self.tenant_offset(top).unwrap_or_else(|| self.offset())
    }

    /// A tenant's clock's offset, if it has a clock of its own.
    pub fn tenant_offset(&self, tenant: ResellerId) -> Option<i64> {
        self.tenants
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&tenant)
            .copied()
    }

    /// The tenants with clocks of their own, and their offsets.
    pub fn tenant_clocks(&self) -> Vec<(ResellerId, i64)> {
        let mut clocks: Vec<_> = self
            .tenants
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(t, o)| (*t, *o))
            .collect();
        clocks.sort_unstable();
        clocks
    }

    /// Takes the offsets the database holds (another instance may have
    /// moved them, a reset or a restore set them).
    pub async fn refresh(&self) -> Result<i64, StoreError> {
        let offset = self.store.counter(CLOCK_OFFSET, 0).await?;
        self.offset.store(offset, Ordering::Relaxed);
        let tenants = self.store.tenant_clocks().await?;
        *self.tenants.write().unwrap_or_else(|e| e.into_inner()) = tenants.into_iter().collect();
        Ok(offset)
    }

    /// A tenant's clock as the database holds it now (set, moved,
    /// detached by the tenant's removal).
    pub fn set_tenant(&self, tenant: ResellerId, offset: Option<i64>) {
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        match offset {
            Some(offset) => tenants.insert(tenant, offset),
            None => tenants.remove(&tenant),
        };
    }

    /// Moves a tenant's clock forward by `seconds` for every instance and
    /// claims the window it covers, as `claim` does for the global clock;
    /// None when the tenant has no clock of its own.
    pub async fn claim_tenant(
        &self,
        tenant: ResellerId,
        seconds: i64,
    ) -> Result<Option<(Window, Advancing<'_>)>, StoreError> {
        let Some(offset) = self.store.move_tenant_clock(tenant, seconds).await? else {
            return Ok(None);
        };
        Ok(Some(self.claimed(seconds, offset)))
    }

    /// The window of an advance by `seconds` that moved a clock to
    /// `offset`, marked as running here until its guard is dropped.
    fn claimed(&self, seconds: i64, offset: i64) -> (Window, Advancing<'_>) {
        let to = Clock::real_now() + offset;
        self.advancing.fetch_add(1, Ordering::Relaxed);
        let window = Window {
            from: to - seconds,
            to,
            offset,
        };
        (window, Advancing(self))
    }

    /// A tenant's advance has run its window's jobs.
    pub fn tenant_reached(&self, tenant: ResellerId, window: Window) {
        let mut tenants = self.tenants.write().unwrap_or_else(|e| e.into_inner());
        let offset = tenants.entry(tenant).or_insert(window.offset);
        *offset = (*offset).max(window.offset);
    }

    /// Moves every instance's clock forward by `seconds` and claims the
    /// window they cover: the offset moves in the database first, by an
    /// increment, so racing advances get windows one after the other. The
    /// guard marks the advance as running here until it is dropped.
    pub async fn claim(&self, seconds: i64) -> Result<(Window, Advancing<'_>), StoreError> {
        let offset = self.store.counter(CLOCK_OFFSET, seconds).await?;
        Ok(self.claimed(seconds, offset))
    }

    /// An advance has run its window's jobs: this instance's clock shows
    /// at least its end.
    pub fn reached(&self, window: Window) {
        self.offset.fetch_max(window.offset, Ordering::Relaxed);
    }

    /// Whether an advance is in progress on this instance.
    pub fn is_advancing(&self) -> bool {
        self.advancing.load(Ordering::Relaxed) > 0
    }
}
