//! The server's clock: system time plus an offset the sandbox control
//! plane moves forward. This one service owns the offset: it is kept in
//! the database (the store's `CLOCK_OFFSET` row), so every instance agrees;
//! each instance holds a copy that it refreshes twice a second and
//! whenever it moves the clock itself, and knows whether an advance is
//! running here. Handlers take `now` from here and hand it to the rules.

use reseller_core::StoreError;
use reseller_store::{CLOCK_OFFSET, Store};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

pub struct Clock {
    store: Store,
    /// Seconds added to the system time.
    offset: AtomicI64,
    /// Advances running on this instance: the minute's sweep waits for them.
    advancing: AtomicUsize,
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
            store,
            offset: AtomicI64::new(offset),
            advancing: AtomicUsize::new(0),
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

    /// Takes the offset the database holds (another instance may have
    /// moved it, a reset or a restore set it).
    pub async fn refresh(&self) -> Result<i64, StoreError> {
        let offset = self.store.counter(CLOCK_OFFSET, 0).await?;
        self.offset.store(offset, Ordering::Relaxed);
        Ok(offset)
    }

    /// Moves every instance's clock forward by `seconds` and claims the
    /// window they cover: the offset moves in the database first, by an
    /// increment, so racing advances get windows one after the other. The
    /// guard marks the advance as running here until it is dropped.
    pub async fn claim(&self, seconds: i64) -> Result<(Window, Advancing<'_>), StoreError> {
        let offset = self.store.counter(CLOCK_OFFSET, seconds).await?;
        let to = Clock::real_now() + offset;
        self.advancing.fetch_add(1, Ordering::Relaxed);
        let window = Window {
            from: to - seconds,
            to,
            offset,
        };
        Ok((window, Advancing(self)))
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
