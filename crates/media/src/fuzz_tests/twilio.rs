//! Twilio: Media Streams messages both ways (general and borrowed parsers), the stream tracker
//! and mixing relay fed message sequences, webhook signatures, stream URLs, REST bodies and
//! the decimal counters.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use proptest::prelude::*;

use super::{apply, config, mutation, peer_bytes, peer_text};
use crate::audio::mix::Gain;
use crate::audio::tone::Tone;
use crate::twilio::frame::{FromApp, Inbound};
use crate::twilio::relay::MixingRelay;
use crate::twilio::rest::{CallResource, RecordingResource};
use crate::twilio::session::StreamTracker;
use crate::twilio::signature::{
    compute_signature, validate_form, validate_form_body, validate_json,
};
use crate::twilio::stream::{AppMessage, TwilioEvent};
use crate::twilio::twiml::StreamUrl;
use crate::wire::NumStr;

const CONNECTED: &str = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;
const START: &str = r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{"k":"v"}},"streamSid":"MZ1"}"#;
const MEDIA: &str = r#"{"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"20","payload":"AAEC/w=="},"streamSid":"MZ1"}"#;

const INBOUND: &[&str] = &[
    CONNECTED,
    START,
    MEDIA,
    r#"{"event":"media","sequenceNumber":"3","media":{"track":"outbound","chunk":"2","timestamp":"40","payload":""},"streamSid":"MZ\u0031"}"#,
    r#"{"event":"dtmf","streamSid":"MZ1","sequenceNumber":"4","dtmf":{"track":"inbound_track","digit":"1"}}"#,
    r#"{"event":"mark","sequenceNumber":"5","streamSid":"MZ1","mark":{"name":"m1"}}"#,
    r#"{"event":"stop","sequenceNumber":"6","stop":{"accountSid":"AC1","callSid":"CA1"},"streamSid":"MZ1"}"#,
    r#"{"event":"brand_new","sequenceNumber":"7"}"#,
];

const OUTBOUND: &[&str] = &[
    r#"{"event":"media","streamSid":"MZ1","media":{"payload":"AAEC/w=="}}"#,
    r#"{"event":"mark","streamSid":"MZ1","mark":{"name":"m1"}}"#,
    r#"{"event":"clear","streamSid":"MZ1"}"#,
];

/// Checks the borrowed parse of `text` against the general one; panics on disagreement.
fn assert_parsers_agree(text: &str) {
    let general = TwilioEvent::parse(text);
    match Inbound::parse(text) {
        Ok(Inbound::Media(frame)) => {
            let Ok(TwilioEvent::Media(media)) = general else {
                panic!("borrowed media, general {general:?}");
            };
            assert_eq!(frame.sequence_number, media.sequence_number.get());
            assert_eq!(frame.stream_sid, media.stream_sid);
            assert_eq!(frame.track, media.media.track);
            assert_eq!(frame.chunk, media.media.chunk.get());
            assert_eq!(frame.timestamp, media.media.timestamp.get());
            assert_eq!(frame.payload, media.media.payload);
            let mut decoded = Vec::new();
            let borrowed = frame.decode_into(&mut decoded).map(|()| decoded);
            assert_eq!(borrowed, media.media.audio());
        }
        Ok(Inbound::Other(event)) => {
            assert!(!matches!(event, TwilioEvent::Media(_)), "media fell back");
            assert_eq!(general, Ok(event));
        }
        Err(error) => assert_eq!(general, Err(error)),
    }
}

/// A plausible stream (`connected`, `start`, media..., `stop`) numbered from `first`, with
/// some messages mutated; the numbering wraps instead of overflowing, as a hostile peer's
/// would.
fn stream_script() -> impl Strategy<Value = Vec<String>> {
    let first = prop_oneof![
        Just(1u64),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        Just(u64::MAX - 3),
        any::<u64>(),
    ];
    let edits = prop::collection::vec(
        prop::option::weighted(0.2, prop::collection::vec(mutation(), 1..3)),
        8,
    );
    (first, 0..6usize, any::<bool>(), edits).prop_map(|(first, media, stop, edits)| {
        let start = START.replace("\"1\"", &format!("\"{first}\""));
        let mut script = vec![CONNECTED.to_owned(), start];
        let mut seq = first;
        for n in 0..media {
            seq = seq.wrapping_add(1);
            let payload = BASE64.encode([n as u8; 3]);
            script.push(format!(
                r#"{{"event":"media","sequenceNumber":"{seq}","media":{{"track":"inbound","chunk":"{n}","timestamp":"{}","payload":"{payload}"}},"streamSid":"MZ1"}}"#,
                n * 20
            ));
        }
        if stop {
            let seq = seq.wrapping_add(1);
            script.push(format!(
                r#"{{"event":"stop","sequenceNumber":"{seq}","stop":{{"accountSid":"AC1","callSid":"CA1"}},"streamSid":"MZ1"}}"#
            ));
        }
        for (text, edit) in script.iter_mut().zip(edits) {
            if let Some(mutations) = edit {
                *text = String::from_utf8_lossy(&apply(text.as_bytes(), &mutations)).into_owned();
            }
        }
        script
    })
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => concat!(
            "(https?|wss?|ftp|HTTPS)://([a-z]{1,4}(:[a-z]{0,3})?@)?",
            "(\\[[0-9a-f:]{0,8}\\]|[a-z.]{0,8})(:[0-9]{0,6}|:[a-z]{0,2})?(/[a-z.]{0,6})?",
        ),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn inbound_messages_parse_the_same_borrowed_or_owned(text in peer_text(INBOUND)) {
        assert_parsers_agree(&text);
    }

    #[test]
    fn app_messages_parse_the_same_borrowed_or_owned(text in peer_text(OUTBOUND)) {
        let general = AppMessage::parse(&text);
        match FromApp::parse(&text) {
            Ok(FromApp::Media { stream_sid, payload }) => {
                let Ok(AppMessage::Media { stream_sid: sid, media }) = general else {
                    panic!("borrowed media, general {general:?}");
                };
                prop_assert_eq!(stream_sid, sid);
                prop_assert_eq!(payload, media.payload);
            }
            Ok(FromApp::Other(message)) => {
                prop_assert!(
                    !matches!(message, AppMessage::Media { .. }),
                    "media fell back: {message:?}"
                );
                prop_assert_eq!(general, Ok(message));
            }
            Err(error) => prop_assert_eq!(general, Err(error)),
        }
    }

    #[test]
    fn trackers_agree_on_any_stream_and_the_relay_never_panics(script in stream_script()) {
        let (mut borrowed, mut general) = (StreamTracker::new(), StreamTracker::new());
        let mut relay = MixingRelay::new(Tone::new(440, 8_000, 3_000), Gain::db(-20.0));
        let mut reply = String::new();
        for text in &script {
            assert_parsers_agree(text);
            let by_borrowed = match Inbound::parse(text) {
                Ok(Inbound::Media(frame)) => Some(borrowed.accept_media(&frame)),
                Ok(Inbound::Other(event)) => Some(borrowed.accept(&event)),
                Err(_) => None,
            };
            let by_general = TwilioEvent::parse(text).ok().map(|event| general.accept(&event));
            prop_assert_eq!(by_borrowed, by_general, "{}", text);
            prop_assert_eq!(borrowed.stream_sid(), general.stream_sid());
            prop_assert_eq!(borrowed.is_stopped(), general.is_stopped());
            reply.clear();
            let _ = relay.on_text(text, &mut reply);
        }
    }

    #[test]
    fn form_webhook_validation_never_panics(
        token in "\\PC{0,12}",
        url in url(),
        body in peer_bytes(&["CallSid=CA1&From=%2B1555&Digits=1%232&To=+1&Caller"]),
        signature in "\\PC{0,32}",
    ) {
        let _ = validate_form_body(&token, &url, &body, &signature);
        let _ = validate_json(&token, &url, &body, &signature);
    }

    #[test]
    fn a_signature_over_the_decoded_form_validates(
        token in "\\PC{0,12}",
        url in url(),
        body in peer_bytes(&["CallSid=CA1&From=%2B1555&Digits=1%232&To=+1&Caller"]),
    ) {
        let params: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        let signature = compute_signature(&token, &url, &params);
        prop_assert_eq!(validate_form_body(&token, &url, &body, &signature), Ok(()));
        prop_assert_eq!(validate_form(&token, &url, &params, &signature), Ok(()));
    }

    #[test]
    fn a_json_webhook_with_its_body_hash_validates(
        token in "\\PC{0,12}",
        base in "https?://[a-z]{1,8}(:[0-9]{1,5})?/[a-z]{0,6}",
        body in peer_bytes(INBOUND),
    ) {
        use sha2::{Digest, Sha256};
        let url = format!("{base}?bodySHA256={}", hex::encode(Sha256::digest(&body)));
        let signature = compute_signature::<&str, &str>(&token, &url, &[]);
        prop_assert_eq!(validate_json(&token, &url, &body, &signature), Ok(()));
        let mut other = body.clone();
        other.push(b' ');
        prop_assert!(validate_json(&token, &url, &other, &signature).is_err());
    }

    #[test]
    fn stream_urls_are_wss_without_query_or_nothing(url in url()) {
        if let Ok(parsed) = StreamUrl::parse(&url) {
            prop_assert!(parsed.as_str().starts_with("wss://"));
            prop_assert!(!parsed.as_str().contains(['?', '#']));
        }
    }

    #[test]
    fn rest_bodies_decode_or_fail_cleanly(body in peer_bytes(&[
        r#"{"sid":"CA1","status":"in-progress","to":"+1","from":"+2","direction":"inbound"}"#,
        r#"{"sid":"RE1","call_sid":"CA1","status":"completed"}"#,
        r#"{"code":20404,"message":"not found","more_info":"x","status":404}"#,
    ])) {
        let _ = serde_json::from_slice::<CallResource>(&body);
        let _ = serde_json::from_slice::<RecordingResource>(&body);
    }

    #[test]
    fn counters_parse_exactly_the_decimal_u64s(
        text in prop_oneof!["[0-9]{0,22}", "[0-9+\\- .e]{0,6}", any::<String>()],
    ) {
        let quoted = serde_json::Value::from(text.clone()).to_string();
        let parsed = serde_json::from_str::<NumStr>(&quoted);
        let expected = if text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse::<u64>().ok()
        } else {
            None
        };
        prop_assert_eq!(parsed.ok().map(NumStr::get), expected);
    }
}
