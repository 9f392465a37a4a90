//! Calling windows: when a campaign may call a contact, in the contact's local time. The
//! zone comes from the contact, else from its number ([`zones_of_number`]); where a number maps to
//! several zones the window must hold in all of them. A campaign's windows
//! ([`LocalWindows`]) and the country's legal hours ([`LegalWindows`]) both apply.

mod legal;
mod nanp;
mod schedule;
mod zones;

pub use legal::LegalWindows;
pub(crate) use schedule::first_instant_at_or_after;
pub use schedule::{LocalWindows, may_call, next_open};
pub use zones::{contact_zones, zones_of_number};

/// Why a contact's windows cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// A stored or tabled zone name that the time-zone database does not know.
    #[error("unknown time zone {0}")]
    UnknownZone(String),
    /// The number's country is not in the zone table and the contact has no zone.
    #[error("no time zone known for {0}; store one on the contact")]
    NoZoneForNumber(String),
}
