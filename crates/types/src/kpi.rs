//! Identifiers of the contact-center KPIs. Their formulas are defined once in
//! `cc-core::kpi` and documented in `docs/kpis.md`; analytics and the cockpit refer to them
//! by these ids.

use serde::{Deserialize, Serialize};

/// A KPI whose definition is fixed in `docs/kpis.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KpiId {
    /// Share of calls answered within the target time, short abandons excluded.
    ServiceLevel,
    /// Mean wait of answered calls.
    AverageSpeedOfAnswer,
    /// Mean of talk + hold + wrap-up over handled calls.
    AverageHandleTime,
    /// Abandoned over offered calls, short abandons excluded.
    AbandonRate,
    /// Handling time over handling plus available time.
    Occupancy,
    /// Handling time over logged-in time.
    Utilization,
    /// Share of scheduled time in which the agent did what the schedule said.
    ScheduleAdherence,
    /// Outbound: abandoned over live-answered calls (the regulators' rate).
    DialerAbandonRate,
}
