//! Reading a provider's WebSocket close. A close with code 1000 (normal) or 1001 (going away),
//! or without a frame, ends a session normally; any other code (1011 internal error, 1008
//! policy, a provider's own 4xxx codes) is the provider failing, which a failover must see as
//! an error rather than as the end of the conversation.

use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// `Some("close 1011: reason")` when `frame` reports a failure; `None` for a normal end.
pub fn failure(frame: Option<&CloseFrame>) -> Option<String> {
    let frame = frame?;
    match frame.code {
        CloseCode::Normal | CloseCode::Away => None,
        code => Some(format!("closed with {}: {}", u16::from(code), frame.reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(code: u16, reason: &str) -> CloseFrame {
        CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        }
    }

    #[test]
    fn only_abnormal_codes_are_failures() {
        assert_eq!(failure(None), None);
        assert_eq!(failure(Some(&frame(1000, "bye"))), None);
        assert_eq!(failure(Some(&frame(1001, ""))), None);
        assert_eq!(
            failure(Some(&frame(1011, "NET-0000"))).as_deref(),
            Some("closed with 1011: NET-0000")
        );
        assert!(failure(Some(&frame(4003, "quota"))).is_some());
    }
}
