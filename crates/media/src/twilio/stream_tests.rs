//! Wire-shape tests for the Media Streams messages, using the documented examples.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};

use super::*;

#[test]
fn documented_start_message_parses_with_its_custom_parameters() {
    let text = r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"MZ0123456789abcdef0123456789abcdef","callSid":"CA0123456789abcdef0123456789abcdef","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{"FirstName":"Jane","LastName":"Doe"},"from":"+1555"},"streamSid":"MZ0123456789abcdef0123456789abcdef"}"#;
    let TwilioEvent::Start(start) = TwilioEvent::parse(text).unwrap() else {
        panic!("not a start");
    };
    assert_eq!(start.sequence_number, NumStr(1));
    assert_eq!(start.start.tracks, vec![Track::Inbound]);
    assert_eq!(start.start.media_format, MediaFormat::default());
    assert_eq!(start.start.custom_parameters["FirstName"], "Jane");
}

#[test]
fn media_dtmf_mark_stop_and_connected_parse() {
    let media = TwilioEvent::parse(r#"{"event":"media","sequenceNumber":"4","media":{"track":"inbound","chunk":"2","timestamp":"5","payload":"//8="},"streamSid":"MZ1"}"#).unwrap();
    let TwilioEvent::Media(m) = media else {
        panic!("not media")
    };
    assert_eq!((m.media.chunk.get(), m.media.timestamp.get()), (2, 5));
    assert_eq!(m.media.audio().unwrap(), vec![0xFF, 0xFF]);

    let dtmf = TwilioEvent::parse(r#"{"event":"dtmf","streamSid":"MZ1","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"1"}}"#).unwrap();
    assert!(matches!(dtmf, TwilioEvent::Dtmf(ref d) if d.dtmf.digit == "1"));
    let mark = TwilioEvent::parse(
        r#"{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{"name":"my label"}}"#,
    )
    .unwrap();
    assert!(matches!(mark, TwilioEvent::Mark(ref m) if m.mark.name == "my label"));
    let stop = TwilioEvent::parse(r#"{"event":"stop","sequenceNumber":"5","stop":{"accountSid":"AC1","callSid":"CA1"},"streamSid":"MZ1"}"#).unwrap();
    assert_eq!(stop.name(), "stop");
    let connected =
        TwilioEvent::parse(r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#).unwrap();
    assert_eq!(
        connected,
        TwilioEvent::Connected(Connected {
            protocol: "Call".into(),
            version: "1.0.0".into()
        })
    );
}

#[test]
fn serialised_events_keep_counters_as_strings() {
    let event = TwilioEvent::Media(Media {
        sequence_number: NumStr(3),
        media: MediaChunk {
            track: Track::Inbound,
            chunk: NumStr(2),
            timestamp: NumStr(20),
            payload: "AA==".into(),
        },
        stream_sid: "MZ1".into(),
    });
    let value: Value = serde_json::to_value(&event).unwrap();
    assert_eq!(
        value,
        json!({"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"20","payload":"AA=="},"streamSid":"MZ1"})
    );
}

#[test]
fn app_messages_have_the_documented_shape() {
    let media: Value =
        serde_json::from_str(&AppMessage::media("MZ1", &[0xFF; 3]).to_json()).unwrap();
    assert_eq!(
        media,
        json!({"event":"media","streamSid":"MZ1","media":{"payload":"////"}})
    );
    let mark: Value = serde_json::from_str(&AppMessage::mark("MZ1", "resp-42").to_json()).unwrap();
    assert_eq!(
        mark,
        json!({"event":"mark","streamSid":"MZ1","mark":{"name":"resp-42"}})
    );
    let clear: Value = serde_json::from_str(&AppMessage::clear("MZ1").to_json()).unwrap();
    assert_eq!(clear, json!({"event":"clear","streamSid":"MZ1"}));
}

#[test]
fn a_full_silent_frame_is_216_base64_characters() {
    let AppMessage::Media { media, .. } = AppMessage::media("MZ1", &[0xFF; 160]) else {
        panic!()
    };
    assert_eq!(media.payload.len(), 216);
    assert_eq!(media.payload, format!("{}/w==", "/".repeat(212)));
}

#[test]
fn unknown_events_and_fields_are_tolerated() {
    assert_eq!(
        TwilioEvent::parse(r#"{"event":"future","x":1}"#).unwrap(),
        TwilioEvent::Unknown
    );
    assert!(
        TwilioEvent::parse(
            r#"{"event":"connected","protocol":"Call","version":"1.0.0","extra":true}"#
        )
        .is_ok()
    );
}

#[test]
fn malformed_messages_give_clear_errors() {
    for bad in [
        "",
        "not json",
        "[]",
        r#"{"protocol":"Call"}"#,
        r#"{"event":"media","sequenceNumber":4,"streamSid":"MZ1"}"#,
        r#"{"event":"media","sequenceNumber":"four","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":""},"streamSid":"MZ1"}"#,
        r#"{"event":"media","sequenceNumber":"4","media":{"track":"sideways","chunk":"1","timestamp":"0","payload":""},"streamSid":"MZ1"}"#,
    ] {
        assert!(
            matches!(TwilioEvent::parse(bad), Err(StreamError::Malformed(_))),
            "{bad}"
        );
    }
    // The openai-realtime-twilio-demo sends a mark without `mark.name`; that is not the documented shape.
    assert!(AppMessage::parse(r#"{"event":"mark","streamSid":"MZ1"}"#).is_err());
    let chunk = MediaChunk {
        track: Track::Inbound,
        chunk: NumStr(1),
        timestamp: NumStr(0),
        payload: "%%%".into(),
    };
    assert_eq!(chunk.audio(), Err(StreamError::BadPayload));
}
