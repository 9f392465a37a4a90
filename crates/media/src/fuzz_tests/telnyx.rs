//! Telnyx: Call Control webhooks and their Ed25519 signature headers, media-stream messages
//! both ways (with inbound media fed through the jitter buffer by `chunk`), and REST bodies.

use proptest::prelude::*;
use serde::Deserialize as _;
use serde_json::Value;

use super::{config, peer_bytes, peer_text};
use crate::audio::jitter::{JitterBuffer, JitterError, Playout};
use crate::telnyx::rest::{ApiErrorDetail, CommandResult, DialedCall};
use crate::telnyx::signature::{
    SIGNATURE_HEADER, TIMESTAMP_HEADER, VerifyError, WebhookSigner, WebhookVerifier,
};
use crate::telnyx::stream::{TelnyxAppMessage, TelnyxStreamEvent};
use crate::telnyx::webhook::Webhook;

const WEBHOOKS: &[&str] = &[
    r#"{"data":{"record_type":"event","event_type":"call.initiated","id":"e1","occurred_at":"2018-02-02T22:25:27.521992Z","payload":{"call_control_id":"v3:a","connection_id":"c","direction":"incoming","from":"+1","to":"+2","state":"parked","client_state":null}},"meta":{"attempt":1,"delivered_to":"https://example.com/hook"}}"#,
    r#"{"data":{"record_type":"event","event_type":"call.hangup","id":"e2","occurred_at":"t","payload":{"call_control_id":"v3:a","hangup_cause":"normal_clearing","hangup_source":"caller","sip_hangup_cause":"200"}}}"#,
    r#"{"data":{"record_type":"event","event_type":"call.gather.ended","id":"e3","occurred_at":"t","payload":{"call_control_id":"v3:a","digits":"12#","status":"valid"}},"meta":{"attempt":4294967295}}"#,
    r#"{"data":{"record_type":"event","event_type":"call.recording.saved","id":"e4","occurred_at":"t","payload":{"call_leg_id":"l","channels":"dual","recording_urls":{"mp3":"https://x/a.mp3","wav":"https://x/a.wav"}}}}"#,
    r#"{"data":{"record_type":"event","event_type":"streaming.failed","id":"e5","occurred_at":"t","payload":{"call_control_id":"v3:a","failure_reason":"x","stream_url":"wss://h/s"}}}"#,
    r#"{"data":{"record_type":"event","event_type":"call.dtmf.received","id":"e6","occurred_at":"t","payload":{"call_control_id":"v3:a","digit":"5"}}}"#,
];

const STREAM: &[&str] = &[
    r#"{"event":"connected","version":"1.0.0"}"#,
    r#"{"event":"start","sequence_number":"1","start":{"user_id":"u","call_control_id":"v3:a","call_session_id":"s","from":"+1","to":"+2","tags":["t"],"client_state":"aGk=","media_format":{"encoding":"PCMU","sample_rate":8000,"channels":1}},"stream_id":"s1"}"#,
    r#"{"event":"media","sequence_number":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"AAEC/w=="},"stream_id":"s1"}"#,
    r#"{"event":"media","sequence_number":"3","media":{"track":"inbound","chunk":"18446744073709551614","timestamp":"40","payload":"//8="},"stream_id":"s1"}"#,
    r#"{"event":"stop","sequence_number":"5","stop":{"user_id":"u","call_control_id":"v3:a"},"stream_id":"s1"}"#,
    r#"{"event":"dtmf","stream_id":"s1","occurred_at":"t","sequence_number":"6","dtmf":{"digit":"1"}}"#,
    r#"{"event":"mark","stream_id":"s1","sequence_number":"7","mark":{"name":"m"}}"#,
    r#"{"event":"error","payload":{"code":100003,"title":"malformed_frame","detail":"bad"},"stream_id":"s1"}"#,
];

const APP: &[&str] = &[
    r#"{"event":"media","media":{"payload":"AAEC"}}"#,
    r#"{"event":"mark","mark":{"name":"m"}}"#,
    r#"{"event":"clear"}"#,
];

const SEED: [u8; 32] = [7; 32];
const NOW: i64 = 1_700_000_000;

/// Plays the buffer out and checks that slots only move forward.
fn drain(buffer: &mut JitterBuffer<Vec<u8>>, last: &mut Option<u64>) -> Result<(), TestCaseError> {
    for _ in 0..4 {
        let slot = match buffer.pop() {
            Playout::Frame(slot, _) | Playout::Lost(slot) => slot,
            Playout::Empty => continue,
        };
        prop_assert!(
            last.is_none_or(|before| slot > before),
            "{slot} after {last:?}"
        );
        *last = Some(slot);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn webhooks_parse_and_type_or_fail_cleanly(body in peer_bytes(WEBHOOKS)) {
        if let Ok(hook) = Webhook::parse(&body) {
            let _ = hook.event();
        }
    }

    #[test]
    fn signature_headers_never_panic(
        headers in prop::collection::vec(
            (
                prop_oneof![
                    Just(SIGNATURE_HEADER.to_owned()),
                    Just(TIMESTAMP_HEADER.to_uppercase()),
                    "\\PC{0,8}",
                ],
                prop_oneof!["[0-9]{0,25}", "[A-Za-z0-9+/=]{0,100}", "\\PC{0,20}"],
            ),
            0..4,
        ),
        body in peer_bytes(WEBHOOKS),
        now in prop_oneof![Just(NOW), Just(i64::MIN), Just(i64::MAX), any::<i64>()],
        tolerance in prop_oneof![Just(300u64), Just(u64::MAX), any::<u64>()],
    ) {
        let signer = WebhookSigner::from_seed(&SEED).unwrap();
        let mut verifier = WebhookVerifier::new(&signer.public_key_b64())
            .unwrap()
            .with_tolerance(tolerance);
        let _ = verifier.verify_headers(&headers, &body, now);
    }

    #[test]
    fn signed_webhooks_verify_once_and_altered_ones_never(
        timestamp in prop_oneof![Just(0i64), Just(i64::MAX), 0..=i64::MAX],
        body in peer_bytes(WEBHOOKS),
        skew in -300i64..=300,
        flip in any::<(usize, u8)>(),
    ) {
        let signer = WebhookSigner::from_seed(&SEED).unwrap();
        let mut verifier = WebhookVerifier::new(&signer.public_key_b64()).unwrap();
        let signature = signer.sign(timestamp, &body);
        let now = timestamp.saturating_add(skew);
        let ts = timestamp.to_string();
        // An altered signature or body never verifies.
        let mut bad_sig = signature.clone().into_bytes();
        let at = flip.0 % bad_sig.len();
        bad_sig[at] ^= 1 << (flip.1 % 7);
        let bad_sig = String::from_utf8_lossy(&bad_sig).into_owned();
        if bad_sig.trim() != signature {
            prop_assert!(verifier.verify(&bad_sig, &ts, &body, now).is_err());
        }
        let mut bad_body = body.clone();
        bad_body.push(b'\n');
        prop_assert!(verifier.verify(&signature, &ts, &bad_body, now).is_err());
        // The genuine one verifies once.
        prop_assert_eq!(verifier.verify(&signature, &ts, &body, now), Ok(()));
        prop_assert_eq!(verifier.verify(&signature, &ts, &body, now), Err(VerifyError::Replay));
    }

    #[test]
    fn stream_messages_parse_and_media_plays_in_order(
        texts in prop::collection::vec(peer_text(STREAM), 1..12),
        depth in 1..4usize,
        capacity in 1..6usize,
    ) {
        let mut buffer = JitterBuffer::new(depth, capacity);
        let mut last = None;
        for text in &texts {
            let Ok(TelnyxStreamEvent::Media { media, .. }) = TelnyxStreamEvent::parse(text) else {
                continue;
            };
            let Ok(audio) = media.audio() else { continue };
            let chunk = media.chunk.get();
            match buffer.push(chunk, audio) {
                Ok(()) => {}
                Err(JitterError::SequenceOverflow { sequence }) => {
                    prop_assert_eq!(sequence, u64::MAX);
                }
            }
            drain(&mut buffer, &mut last)?;
        }
    }

    #[test]
    fn any_chunk_numbers_play_in_order(
        chunks in prop::collection::vec(
            prop_oneof![0..8u64, (u64::MAX - 8)..=u64::MAX, any::<u64>()],
            0..24,
        ),
        depth in 1..4usize,
        capacity in 1..6usize,
    ) {
        let mut buffer = JitterBuffer::new(depth, capacity);
        let mut last = None;
        for chunk in chunks {
            prop_assert_eq!(buffer.push(chunk, Vec::new()).is_err(), chunk == u64::MAX);
            drain(&mut buffer, &mut last)?;
        }
    }

    #[test]
    fn app_messages_parse_or_fail_cleanly(text in peer_text(APP)) {
        if let Ok(message) = TelnyxAppMessage::parse(&text) {
            prop_assert_eq!(TelnyxAppMessage::parse(&message.to_json()), Ok(message));
        }
    }

    #[test]
    fn rest_bodies_decode_or_fail_cleanly(body in peer_bytes(&[
        r#"{"data":{"result":"ok","recording_id":null}}"#,
        r#"{"data":{"call_control_id":"v3:a","call_leg_id":"l","call_session_id":"s","is_alive":false}}"#,
        r#"{"errors":[{"code":"90018","title":"Call has already ended","detail":"x"}]}"#,
    ])) {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) {
            if let Some(data) = map.get("data") {
                let _ = CommandResult::deserialize(data);
                let _ = DialedCall::deserialize(data);
            }
            if let Some(errors) = map.get("errors") {
                let _ = Vec::<ApiErrorDetail>::deserialize(errors);
            }
        }
    }
}
