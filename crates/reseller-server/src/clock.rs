//! The server's clock: system time plus an offset the sandbox control
//! plane moves forward. The offset is kept in the database
//! (`control::CLOCK_OFFSET`); each instance holds a copy that it refreshes
//! twice a second and whenever it moves the clock itself. Handlers take
//! `now` from here and hand it to the rules.

use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct Clock {
    /// Seconds added to the system time.
    offset: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> i64 {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        system + self.offset()
    }

    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Takes the offset the database holds.
    pub fn set_offset(&self, offset: i64) {
        self.offset.store(offset, Ordering::Relaxed);
    }
}
