//! Call Control client against a local HTTP peer answering as Telnyx does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::telnyx::commands::{
    BidirectionalMode, RecordChannels, RecordFormat, StreamCodec, StreamOptions, StreamTrack,
};
use crate::test_http::{serve_once, serve_sequence};

const OK: &str = r#"{"data":{"result":"ok"}}"#;

#[tokio::test]
async fn answer_with_streaming_posts_the_documented_body() {
    let (base, peer) = serve_once(200, OK).await;
    let client = TelnyxClient::new("KEY123").with_base_url(format!("{base}/v2"));
    let body = Answer {
        options: CommandOptions {
            client_state: Some("aGk=".into()),
            command_id: Some("cmd-1".into()),
        },
        stream: StreamOptions {
            stream_url: Some("wss://cc.example.com/telnyx".into()),
            stream_track: Some(StreamTrack::BothTracks),
            stream_codec: None,
            stream_bidirectional_mode: Some(BidirectionalMode::Rtp),
            stream_bidirectional_codec: Some(StreamCodec::Pcmu),
        },
    };
    let result = client.answer("v3:abc/1", &body).await.unwrap();
    assert_eq!(result.result, "ok");
    let sent = peer.await.unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v2/calls/v3%3Aabc%2F1/actions/answer");
    assert_eq!(sent.header("authorization"), Some("Bearer KEY123"));
    assert!(
        sent.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(
        sent.json(),
        json!({"client_state":"aGk=","command_id":"cmd-1","stream_url":"wss://cc.example.com/telnyx","stream_track":"both_tracks","stream_bidirectional_mode":"rtp","stream_bidirectional_codec":"PCMU"})
    );
}

#[tokio::test]
async fn record_start_and_bridge_bodies() {
    let (base, peer) = serve_once(200, r#"{"data":{"result":"ok","recording_id":"r-9"}}"#).await;
    let client = TelnyxClient::new("K").with_base_url(&base);
    let record = RecordStart {
        format: RecordFormat::Wav,
        channels: RecordChannels::Dual,
        play_beep: None,
        max_length: Some(3600),
        options: CommandOptions::default(),
    };
    assert_eq!(
        client
            .record_start("c1", &record)
            .await
            .unwrap()
            .recording_id
            .as_deref(),
        Some("r-9")
    );
    let sent = peer.await.unwrap();
    assert_eq!(sent.path, "/calls/c1/actions/record_start");
    assert_eq!(
        sent.json(),
        json!({"format":"wav","channels":"dual","max_length":3600})
    );

    let (base, peer) = serve_once(200, OK).await;
    let client = TelnyxClient::new("K").with_base_url(&base);
    client
        .bridge(
            "leg-a",
            &Bridge {
                call_control_id: "leg-b".into(),
                options: CommandOptions::default(),
            },
        )
        .await
        .unwrap();
    let sent = peer.await.unwrap();
    assert_eq!(sent.path, "/calls/leg-a/actions/bridge");
    assert_eq!(sent.json(), json!({"call_control_id":"leg-b"}));
}

#[tokio::test]
async fn dial_returns_the_new_call_ids() {
    let (base, peer) = serve_once(200, r#"{"data":{"call_control_id":"v3:new","call_leg_id":"l","call_session_id":"s","is_alive":false,"record_type":"call"}}"#).await;
    let client = TelnyxClient::new("K").with_base_url(&base);
    let dial = Dial {
        connection_id: "conn".into(),
        to: "+420111".into(),
        from: "+420222".into(),
        stream: StreamOptions::default(),
        client_state: None,
    };
    let call = client.dial(&dial).await.unwrap();
    assert_eq!(call.call_control_id, "v3:new");
    let sent = peer.await.unwrap();
    assert_eq!(sent.path, "/calls");
    assert_eq!(
        sent.json(),
        json!({"connection_id":"conn","to":"+420111","from":"+420222"})
    );
}

#[tokio::test]
async fn a_command_on_an_ended_call_is_reported_as_such() {
    let (base, peer) = serve_once(422, r#"{"errors":[{"code":"90018","title":"Call has already ended","detail":"This call is no longer active"}]}"#).await;
    let client = TelnyxClient::new("K").with_base_url(&base);
    let err = client
        .hangup("c1", &CommandOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, TelnyxRestError::CallEnded), "{err:?}");
    assert_eq!(peer.await.unwrap().json(), json!({}));
}

#[tokio::test]
async fn other_errors_and_garbage_are_distinguished() {
    let (base, _peer) = serve_once(
        401,
        r#"{"errors":[{"code":"10009","title":"Authentication failed"}]}"#,
    )
    .await;
    let err = TelnyxClient::new("bad")
        .with_base_url(&base)
        .speak(
            "c1",
            &Speak {
                payload: "hi".into(),
                voice: "female".into(),
                language: None,
                payload_type: None,
                options: CommandOptions::default(),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, TelnyxRestError::Api { status: 401, ref errors } if errors[0].code == "10009"),
        "{err:?}"
    );

    let (base, _peer) = serve_once(200, "not json").await;
    let err = TelnyxClient::new("K")
        .with_base_url(&base)
        .streaming_stop("c1", &CommandOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, TelnyxRestError::Decode(_)), "{err:?}");
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_delay: std::time::Duration::from_millis(2),
        max_delay: std::time::Duration::from_millis(10),
        multiplier: 2.0,
    }
}

#[tokio::test]
async fn a_command_with_an_id_is_retried_until_telnyx_takes_it() {
    let counters = crate::observe::capture::Counters::default();
    let _recording = metrics::set_default_local_recorder(&counters);
    let unavailable = r#"{"errors":[{"code":"10011","title":"Service unavailable"}]}"#;
    let (base, peer) =
        serve_sequence(vec![(503, unavailable), (502, unavailable), (200, OK)]).await;
    let options = CommandOptions {
        client_state: None,
        command_id: Some("hangup-1".into()),
    };
    TelnyxClient::new("K")
        .with_base_url(&base)
        .with_retry_policy(quick_retries())
        .hangup("c1", &options)
        .await
        .unwrap();
    let sent = peer.await.unwrap();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.json() == json!({"command_id": "hangup-1"}))
    );
    let attempts = |outcome| {
        let labels = [
            ("provider", "telnyx"),
            ("operation", "hangup"),
            ("outcome", outcome),
        ];
        counters.get(crate::observe::REQUESTS_METRIC, &labels)
    };
    assert_eq!((attempts("server_error"), attempts("ok")), (2, 1));
    let retried = [("provider", "telnyx"), ("operation", "hangup")];
    assert_eq!(counters.get(crate::observe::RETRIES_METRIC, &retried), 2);
}

#[tokio::test]
async fn a_command_without_an_id_is_sent_once() {
    // One reply only: a retry would find no listener and end in a transport error.
    let (base, peer) = serve_sequence(vec![(
        503,
        r#"{"errors":[{"code":"10011","title":"Service unavailable"}]}"#,
    )])
    .await;
    let err = TelnyxClient::new("K")
        .with_base_url(&base)
        .with_retry_policy(quick_retries())
        .hangup("c1", &CommandOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, TelnyxRestError::Api { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(peer.await.unwrap().len(), 1);
}
