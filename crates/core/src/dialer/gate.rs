//! The last check before a call is placed: do-not-call lists and calling windows, at the
//! moment of dialing (a number added to a list or a window that closed since the contact
//! was selected still stops the call).

use std::hash::Hash;

use chrono::{DateTime, Utc};

use crate::dnc::{DncList, DncRegistry};
use crate::phone::PhoneE164;
use crate::windows::{LegalWindows, LocalWindows, WindowError, contact_zones, may_call, next_open};

/// Why a call may not be placed now.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DialBlocked<C: std::fmt::Debug> {
    /// The number is on a do-not-call list.
    #[error("number is on the {0:?} do-not-call list")]
    DoNotCall(DncList<C>),
    /// Outside the calling windows in at least one of the contact's zones.
    #[error("outside the calling window; next opening {next_open:?}")]
    OutsideWindow {
        /// When the windows open again in every zone, if within three weeks.
        next_open: Option<DateTime<Utc>>,
    },
    /// The contact's zone is unknown, so no window can be checked.
    #[error(transparent)]
    UnknownZone(#[from] WindowError),
}

/// Everything the dial-time check reads.
#[derive(Debug, Clone, Copy)]
pub struct DialRules<'a, C> {
    /// The organization's do-not-call lists.
    pub dnc: &'a DncRegistry<C>,
    /// The campaign's local windows.
    pub campaign_windows: &'a LocalWindows,
    /// Legal hours per country.
    pub legal: &'a LegalWindows,
}

/// Ok when `number` may be called for `campaign` at `at`.
pub fn check_before_dial<C: Eq + Hash + Copy + std::fmt::Debug>(
    rules: &DialRules<'_, C>,
    campaign: C,
    number: &PhoneE164,
    stored_zone: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DialBlocked<C>> {
    if let Some(list) = rules.dnc.check(campaign, number) {
        return Err(DialBlocked::DoNotCall(list));
    }
    let zones = contact_zones(stored_zone, number)?;
    let mut windows = vec![rules.campaign_windows];
    windows.extend(number.region().and_then(|r| rules.legal.for_region(r)));
    if may_call(at, &zones, &windows) {
        Ok(())
    } else {
        Err(DialBlocked::OutsideWindow {
            next_open: next_open(at, &zones, &windows),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use cc_types::dialer::DayOfWeek;
    use chrono::{NaiveTime, TimeZone};

    #[test]
    fn do_not_call_and_windows_are_checked_at_dial_time() {
        let mut dnc = DncRegistry::new();
        let always = LocalWindows::daily(
            &DayOfWeek::ALL,
            NaiveTime::MIN,
            NaiveTime::from_hms_opt(23, 59, 59).unwrap(),
        );
        let legal = LegalWindows::default();
        let number = PhoneE164::parse("(212) 555-0123", Some("US")).unwrap();
        let noon_ny = Utc.with_ymd_and_hms(2026, 2, 2, 17, 0, 0).unwrap();
        let night_ny = Utc.with_ymd_and_hms(2026, 2, 2, 3, 0, 0).unwrap();
        {
            let rules = DialRules {
                dnc: &dnc,
                campaign_windows: &always,
                legal: &legal,
            };
            assert_eq!(check_before_dial(&rules, 1, &number, None, noon_ny), Ok(()));
            let at_night = check_before_dial(&rules, 1, &number, None, night_ny);
            let opens = Utc.with_ymd_and_hms(2026, 2, 2, 13, 0, 0).unwrap();
            assert_eq!(
                at_night,
                Err(DialBlocked::OutsideWindow {
                    next_open: Some(opens)
                })
            );
            // A contact who told us they live in Los Angeles is checked there.
            let la_morning = Utc.with_ymd_and_hms(2026, 2, 2, 14, 0, 0).unwrap();
            let blocked =
                check_before_dial(&rules, 1, &number, Some("America/Los_Angeles"), la_morning);
            assert!(matches!(blocked, Err(DialBlocked::OutsideWindow { .. })));
        }
        dnc.add(DncList::Organization, &number);
        let rules = DialRules {
            dnc: &dnc,
            campaign_windows: &always,
            legal: &legal,
        };
        let blocked = check_before_dial(&rules, 1, &number, None, noon_ny);
        assert_eq!(blocked, Err(DialBlocked::DoNotCall(DncList::Organization)));
    }
}
