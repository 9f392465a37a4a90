//! What a fake AI peer is told to do beyond answering: after a number of answers, **fail**
//! (the provider's own error, then a close), **stall** (stay connected and say nothing more)
//! or **drop** the socket (no close frame, as an outage looks), so failover and timeouts can
//! be tested against every provider. Tool calls need no setting: a fake calls the first tool
//! a session declares, once per caller utterance, before it answers.

use std::str::FromStr;

/// A misbehaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the TCP connection without a WebSocket close frame.
    Drop,
    /// Send the provider's error, then close the socket.
    Fail,
    /// Keep reading, never answer again.
    Stall,
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        match value {
            "drop" => Ok(Self::Drop),
            "fail" => Ok(Self::Fail),
            "stall" => Ok(Self::Stall),
            other => Err(format!("unknown fault '{other}' (drop, fail or stall)")),
        }
    }
}

/// When to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// The misbehaviour; `None` answers forever.
    pub fault: Option<Fault>,
    /// After how many answers (0: at the first caller utterance, before answering).
    pub after_answers: u32,
}

impl Faults {
    /// What to do once `answers` answers have been given.
    pub fn due(&self, answers: u32) -> Option<Fault> {
        self.fault.filter(|_| answers >= self.after_answers)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_due_from_its_answer_count_on() {
        let faults = Faults {
            fault: Some(Fault::Stall),
            after_answers: 2,
        };
        assert_eq!(faults.due(1), None);
        assert_eq!(faults.due(2), Some(Fault::Stall));
        assert_eq!(Faults::default().due(9), None);
        assert_eq!("fail".parse::<Fault>(), Ok(Fault::Fail));
        assert!("explode".parse::<Fault>().unwrap_err().contains("explode"));
    }
}
