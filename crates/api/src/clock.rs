//! Time, passed in. Domain code asks the [`Clock`] in [`Infra`](crate::state::Infra) for
//! the time instead of the system, so a test moves time forward instead of sleeping.
//!
//! A clock is the system's time plus an offset that only a manual clock can move: wall
//! time (`now`) and monotonic time (`instant`, tokio's, so tests that pause tokio's clock
//! keep working) move together.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// The time source of one application.
#[derive(Clone, Default)]
pub struct Clock {
    // Milliseconds added to the system's time; `None` for the system clock.
    offset_ms: Option<Arc<AtomicU64>>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock(+{:?})", self.offset())
    }
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock { offset_ms: None }
    }

    /// A clock that starts at the system's time and can be moved forward with
    /// [`Clock::advance`] (tests).
    pub fn manual() -> Clock {
        Clock {
            offset_ms: Some(Arc::new(AtomicU64::new(0))),
        }
    }

    fn offset(&self) -> Duration {
        self.offset_ms.as_ref().map_or(Duration::ZERO, |o| {
            Duration::from_millis(o.load(Ordering::Acquire))
        })
    }

    /// The current UTC time.
    pub fn now(&self) -> DateTime<Utc> {
        let offset = chrono::Duration::from_std(self.offset()).unwrap_or(chrono::Duration::MAX);
        Utc::now()
            .checked_add_signed(offset)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The current monotonic time.
    pub fn instant(&self) -> tokio::time::Instant {
        tokio::time::Instant::now() + self.offset()
    }

    /// Moves a manual clock forward by `by`; the system clock cannot be moved (no effect).
    pub fn advance(&self, by: Duration) {
        if let Some(o) = &self.offset_ms {
            let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
            o.fetch_add(ms, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_both_times_and_the_system_clock_does_not_move() {
        let clock = Clock::manual();
        let (wall, mono) = (clock.now(), clock.instant());
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() - wall >= chrono::Duration::seconds(3600));
        assert!(clock.instant() - mono >= Duration::from_secs(3600));
        let system = Clock::system();
        system.advance(Duration::from_secs(3600));
        assert!(system.now() - Utc::now() < chrono::Duration::seconds(60));
    }
}
