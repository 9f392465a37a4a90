//! Legal calling hours per country, as data others can extend. A campaign's own windows
//! apply on top: a call is placed only when both allow it.
//!
//! Sources: US TCPA (47 CFR 64.1200(c)(1)): 08:00–21:00 the called party's local time;
//! Canada's Unsolicited Telecommunications Rules: 09:00–21:30 on weekdays, 10:00–18:00 on
//! weekends; France (décret 2022-1313): weekdays 10:00–13:00 and 14:00–20:00, never on
//! weekends or public holidays (holidays are the campaign's excluded dates).

use std::collections::HashMap;

use cc_types::dialer::DayOfWeek;
use chrono::NaiveTime;

use super::LocalWindows;

const WEEKDAYS: [DayOfWeek; 5] = [
    DayOfWeek::Monday,
    DayOfWeek::Tuesday,
    DayOfWeek::Wednesday,
    DayOfWeek::Thursday,
    DayOfWeek::Friday,
];
const WEEKEND: [DayOfWeek; 2] = [DayOfWeek::Saturday, DayOfWeek::Sunday];

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

/// Legal windows keyed by ISO 3166 region; countries without an entry have no legal
/// window beyond the campaign's.
#[derive(Debug, Clone)]
pub struct LegalWindows {
    by_region: HashMap<String, LocalWindows>,
}

impl Default for LegalWindows {
    /// The United States, Canada and France.
    fn default() -> Self {
        let mut table = Self::empty();
        table.set(
            "US",
            LocalWindows::daily(&DayOfWeek::ALL, hm(8, 0), hm(21, 0)),
        );
        let mut canada = LocalWindows::daily(&WEEKDAYS, hm(9, 0), hm(21, 30));
        for day in WEEKEND {
            canada.add(cc_types::dialer::CallingWindow {
                day,
                start: hm(10, 0),
                end: hm(18, 0),
            });
        }
        table.set("CA", canada);
        let mut france = LocalWindows::daily(&WEEKDAYS, hm(10, 0), hm(13, 0));
        for day in WEEKDAYS {
            france.add(cc_types::dialer::CallingWindow {
                day,
                start: hm(14, 0),
                end: hm(20, 0),
            });
        }
        table.set("FR", france);
        table
    }
}

impl LegalWindows {
    /// A table with no country.
    pub fn empty() -> Self {
        Self {
            by_region: HashMap::new(),
        }
    }

    /// Sets or replaces a country's legal windows.
    pub fn set(&mut self, region: &str, windows: LocalWindows) {
        self.by_region.insert(region.to_ascii_uppercase(), windows);
    }

    /// The legal windows of a region, if it has any.
    pub fn for_region(&self, region: &str) -> Option<&LocalWindows> {
        self.by_region.get(&region.to_ascii_uppercase())
    }
}
