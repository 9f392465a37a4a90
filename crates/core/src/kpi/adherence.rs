//! Schedule adherence: the share of scheduled time in which the agent was in a state that
//! matches the scheduled activity (on the phones when scheduled to be, on break when
//! scheduled for a break).

/// Something that lasted from `start` to `end` (seconds on one clock).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment<T> {
    /// Start, inclusive.
    pub start: f64,
    /// End, exclusive.
    pub end: f64,
    /// What was scheduled or what the agent was doing.
    pub what: T,
}

impl<T> Segment<T> {
    fn overlap<U>(&self, other: &Segment<U>) -> f64 {
        (self.end.min(other.end) - self.start.max(other.start)).max(0.0)
    }
}

/// Seconds in adherence over scheduled seconds. `matches(activity, state)` says whether a
/// state fulfils a scheduled activity. Segments of each list must not overlap each other.
pub fn schedule_adherence<A, S>(
    scheduled: &[Segment<A>],
    actual: &[Segment<S>],
    matches: impl Fn(&A, &S) -> bool,
) -> Option<f64> {
    let scheduled_secs: f64 = scheduled.iter().map(|s| (s.end - s.start).max(0.0)).sum();
    let adherent: f64 = scheduled
        .iter()
        .flat_map(|plan| actual.iter().map(move |act| (plan, act)))
        .filter(|(plan, act)| matches(&plan.what, &act.what))
        .map(|(plan, act)| plan.overlap(act))
        .sum();
    (scheduled_secs > 0.0).then(|| adherent / scheduled_secs)
}
