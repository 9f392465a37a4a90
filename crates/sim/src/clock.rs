//! Wall-clock timestamps in the formats the carriers put in webhooks: RFC 3339 with
//! microseconds (Telnyx `occurred_at`) and RFC 2822 (Twilio status callbacks' `Timestamp`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A UTC instant split into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    micros: u32,
    /// 0 = Sunday.
    weekday: i64,
}

fn civil(since_epoch: Duration) -> Civil {
    let secs = since_epoch.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    Civil {
        year: yoe + era * 400 + i64::from(month <= 2),
        month,
        day: doy - (153 * mp + 2) / 5 + 1,
        hour: rem / 3600,
        minute: rem % 3600 / 60,
        second: rem % 60,
        micros: since_epoch.subsec_micros(),
        // 1970-01-01 was a Thursday.
        weekday: (days + 4).rem_euclid(7),
    }
}

fn now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn rfc3339(t: Duration) -> String {
    let c = civil(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.micros
    )
}

fn rfc2822(t: Duration) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(t);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        DAYS[c.weekday as usize],
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// Now as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn rfc3339_now() -> String {
    rfc3339(now())
}

/// Now as `Wed, 25 Nov 2026 18:50:00 +0000`.
pub fn rfc2822_now() -> String {
    rfc2822(now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_format_as_both_standards_write_them() {
        // 2026-11-25T18:50:42.123456Z, a Wednesday.
        let t = Duration::from_secs(1_795_632_642) + Duration::from_micros(123_456);
        assert_eq!(rfc3339(t), "2026-11-25T18:50:42.123456Z");
        assert_eq!(rfc2822(t), "Wed, 25 Nov 2026 18:50:42 +0000");
        // Leap day, and the epoch (a Thursday).
        assert_eq!(
            rfc2822(Duration::from_secs(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000000Z");
        assert_eq!(rfc2822(Duration::ZERO), "Thu, 01 Jan 1970 00:00:00 +0000");
    }
}
