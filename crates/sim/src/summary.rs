//! The one-line JSON summary every `cc-sim call` run prints, and the per-call report it is
//! built from. Both carriers fill the same fields, so load scripts read one shape.

use serde::Serialize;

/// What one call measured.
#[derive(Debug, Default, Clone)]
pub struct CallReport {
    /// 20 ms frames sent to the app.
    pub frames_sent: u64,
    /// 20 ms frames' worth of audio the app sent back.
    pub frames_received: u64,
    /// Marks echoed after playout.
    pub marks_acknowledged: u64,
    /// Keys pressed (`dtmf` messages sent).
    pub dtmf_sent: u64,
    /// From the end of the caller's first utterance to the first answer audio (ms).
    pub first_response_ms: Option<f64>,
    /// Round trip of each echoed frame (ms).
    pub echo_rtt_ms: Vec<f64>,
}

/// The one-line JSON summary of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// `twilio` or `telnyx`.
    pub carrier: &'static str,
    /// Calls offered to the app.
    pub calls_placed: usize,
    /// Calls that ran to the end without error.
    pub calls_completed: usize,
    /// 20 ms frames sent to apps.
    pub frames_sent: u64,
    /// 20 ms frames' worth of audio received from apps.
    pub frames_received: u64,
    /// Marks echoed after playout.
    pub marks_acknowledged: u64,
    /// Keys pressed.
    pub dtmf_sent: u64,
    /// Median first-response latency (ms), when any call got audio.
    pub first_response_ms_p50: Option<f64>,
    /// 99th percentile first-response latency (ms).
    pub first_response_ms_p99: Option<f64>,
    /// Median time from sending frame *n* to receiving the app's frame *n* (ms); meaningful
    /// when the app relays every frame back (a media relay), not for an AI agent.
    pub echo_rtt_ms_p50: Option<f64>,
    /// 99th percentile of the same (ms).
    pub echo_rtt_ms_p99: Option<f64>,
    /// Calls that failed.
    pub errors: usize,
    /// A few error messages, for diagnosis.
    pub error_samples: Vec<String>,
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

impl Summary {
    /// No call could be placed, for `reason` (e.g. an unreadable `--wav` file).
    pub fn not_started(carrier: &'static str, reason: String) -> Self {
        Self::from_outcomes(carrier, 0, [Err(reason)])
    }

    /// Folds per-call outcomes into a summary.
    pub fn from_outcomes(
        carrier: &'static str,
        calls_placed: usize,
        outcomes: impl IntoIterator<Item = Result<CallReport, String>>,
    ) -> Self {
        let mut summary = Summary {
            carrier,
            calls_placed,
            ..Summary::default()
        };
        let mut latencies = Vec::new();
        let mut rtts = Vec::new();
        for outcome in outcomes {
            match outcome {
                Ok(report) => {
                    summary.calls_completed += 1;
                    summary.frames_sent += report.frames_sent;
                    summary.frames_received += report.frames_received;
                    summary.marks_acknowledged += report.marks_acknowledged;
                    summary.dtmf_sent += report.dtmf_sent;
                    latencies.extend(report.first_response_ms);
                    rtts.extend(report.echo_rtt_ms);
                }
                Err(e) => {
                    summary.errors += 1;
                    if summary.error_samples.len() < 5 {
                        summary.error_samples.push(e);
                    }
                }
            }
        }
        latencies.sort_by(f64::total_cmp);
        summary.first_response_ms_p50 = percentile(&latencies, 0.50);
        summary.first_response_ms_p99 = percentile(&latencies, 0.99);
        rtts.sort_by(f64::total_cmp);
        summary.echo_rtt_ms_p50 = percentile(&rtts, 0.50);
        summary.echo_rtt_ms_p99 = percentile(&rtts, 0.99);
        summary
    }

    /// The JSON line.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// A random id: `prefix` and 32 lowercase hex digits (Twilio's SID shape).
pub fn sid(prefix: &str) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let hex: String = (0..32)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect();
    format!("{prefix}{hex}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_fold_into_counts_and_percentiles() {
        let ok = |ms| {
            Ok(CallReport {
                frames_sent: 50,
                frames_received: 49,
                first_response_ms: Some(ms),
                ..CallReport::default()
            })
        };
        let summary = Summary::from_outcomes(
            "telnyx",
            3,
            vec![ok(10.0), ok(30.0), Err("boom".to_owned())],
        );
        assert_eq!(
            (summary.calls_completed, summary.errors, summary.frames_sent),
            (2, 1, 100)
        );
        assert_eq!(summary.first_response_ms_p50, Some(10.0));
        assert_eq!(summary.first_response_ms_p99, Some(30.0));
        assert!(
            summary
                .to_json_line()
                .starts_with("{\"carrier\":\"telnyx\"")
        );
    }
}
