//! cc-media's Telnyx Call Control client against `cc-sim serve telnyx`, with only the base
//! URL changed: dialling, every command, the webhooks they cause, and Telnyx-style errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod telnyx_app;

use cc_media::telnyx::commands::{
    Bridge, CommandOptions, Dial, GatherUsingSpeak, PlaybackStart, RecordChannels, RecordFormat,
    RecordStart, Speak, StreamOptions, Transfer,
};
use cc_media::telnyx::rest::{TelnyxClient, TelnyxRestError};
use cc_media::telnyx::signature::WebhookSigner;
use cc_sim::caller_audio::CallerAudio;
use cc_sim::telnyx_api::{TelnyxConfig, TelnyxFake};
use serde_json::Value;
use tokio::net::TcpListener;

async fn start_fake(webhook_url: Option<String>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v2", listener.local_addr().unwrap());
    let fake = TelnyxFake::new(TelnyxConfig {
        api_key: Some("KEY-test".into()),
        webhook_url,
        signer: WebhookSigner::from_seed_b64(telnyx_app::SEED_B64).unwrap(),
        audio: CallerAudio::synthetic(1),
    });
    tokio::spawn(fake.serve(listener));
    base
}

fn dial(to: &str, stream_url: Option<String>) -> Dial {
    Dial {
        connection_id: "conn-1".into(),
        to: to.into(),
        from: "+15005550006".into(),
        stream: StreamOptions {
            stream_url,
            ..StreamOptions::default()
        },
        client_state: None,
    }
}

fn api_error(err: TelnyxRestError) -> (u16, String) {
    match err {
        TelnyxRestError::Api { status, errors } => (status, errors[0].code.clone()),
        other => panic!("not an API error: {other:?}"),
    }
}

#[tokio::test]
async fn a_dialled_call_takes_every_command_and_reports_them_by_webhook() {
    // The app records events only; the test drives the calls.
    let app = telnyx_app::start("http://127.0.0.1:9/v2".to_owned(), false).await;
    let base = start_fake(Some(app.webhook_url.clone())).await;
    let client = TelnyxClient::new("KEY-test").with_base_url(&base);

    let leg = client.dial(&dial("+15005550001", None)).await.unwrap();
    assert!(leg.call_control_id.starts_with("v3:"));
    let other = client.dial(&dial("+15005550002", None)).await.unwrap();
    let id = leg.call_control_id.as_str();
    let none = CommandOptions::default();
    client
        .speak(
            id,
            &Speak {
                payload: "Hello".into(),
                voice: "female".into(),
                language: None,
                payload_type: None,
                options: none.clone(),
            },
        )
        .await
        .unwrap();
    let gather = GatherUsingSpeak {
        payload: "Press 1".into(),
        voice: "female".into(),
        language: None,
        minimum_digits: Some(1),
        maximum_digits: Some(1),
        terminating_digit: None,
        timeout_millis: None,
        options: none.clone(),
    };
    client.gather_using_speak(id, &gather).await.unwrap();
    let playback = PlaybackStart {
        audio_url: Some("https://example.com/a.mp3".into()),
        ..PlaybackStart::default()
    };
    client.playback_start(id, &playback).await.unwrap();
    let record = RecordStart {
        format: RecordFormat::Wav,
        channels: RecordChannels::Dual,
        play_beep: None,
        max_length: None,
        options: none.clone(),
    };
    assert!(
        client
            .record_start(id, &record)
            .await
            .unwrap()
            .recording_id
            .is_some()
    );
    client.record_stop(id, &none).await.unwrap();
    client
        .bridge(
            id,
            &Bridge {
                call_control_id: other.call_control_id.clone(),
                options: none.clone(),
            },
        )
        .await
        .unwrap();
    client
        .transfer(
            id,
            &Transfer {
                to: "+15005550009".into(),
                from: None,
                timeout_secs: None,
                options: none.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(client.hangup(id, &none).await.unwrap().result, "ok");
    assert!(matches!(
        client.hangup(id, &none).await,
        Err(TelnyxRestError::CallEnded)
    ));

    app.wait_for("call.hangup", 1).await;
    let seen = app.seen.lock().unwrap();
    assert_eq!(seen.rejected, 0, "every webhook verifies");
    assert_eq!(
        seen.events[id],
        [
            "call.initiated",
            "call.answered",
            "call.speak.started",
            "call.speak.ended",
            "call.speak.started",
            "call.gather.ended",
            "call.playback.started",
            "call.playback.ended",
            "call.recording.saved",
            "call.bridged",
            "call.hangup"
        ]
    );
}

#[tokio::test]
async fn a_dial_with_a_stream_url_streams_to_the_app_then_the_callee_hangs_up() {
    let app = telnyx_app::start("http://127.0.0.1:9/v2".to_owned(), false).await;
    let base = start_fake(Some(app.webhook_url.clone())).await;
    let client = TelnyxClient::new("KEY-test").with_base_url(&base);
    let leg = client
        .dial(&dial("+15005550001", Some(app.stream_url.clone())))
        .await
        .unwrap();
    app.wait_for("call.hangup", 1).await;
    let seen = app.seen.lock().unwrap();
    assert_eq!(
        seen.events[&leg.call_control_id],
        [
            "call.initiated",
            "call.answered",
            "streaming.started",
            "streaming.stopped",
            "call.hangup"
        ]
    );
    assert!(seen.stream_errors.is_empty(), "{:?}", seen.stream_errors);
}

#[tokio::test]
async fn bad_credentials_unknown_calls_and_bad_bodies_get_telnyx_errors() {
    let base = start_fake(Some("http://127.0.0.1:9/unused".into())).await;
    let client = TelnyxClient::new("KEY-test").with_base_url(&base);
    let wrong = TelnyxClient::new("KEY-wrong").with_base_url(&base);
    let none = CommandOptions::default();
    assert_eq!(
        api_error(wrong.hangup("v3:x", &none).await.unwrap_err()),
        (401, "10009".into())
    );
    assert_eq!(
        api_error(client.hangup("v3:nope", &none).await.unwrap_err()),
        (404, "10005".into())
    );
    let leg = client.dial(&dial("+15005550001", None)).await.unwrap();
    let id = leg.call_control_id.as_str();
    let missing = client
        .streaming_start(id, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(api_error(missing), (422, "10004".into()));
    let missing_to = client
        .dial(&Dial {
            to: String::new(),
            ..dial("", None)
        })
        .await
        .unwrap_err();
    assert_eq!(api_error(missing_to), (422, "10015".into()));

    let http = reqwest::Client::new();
    let url = format!("{base}/calls/{}/actions/speak", id.replace(':', "%3A"));
    for (body, status, code) in [
        ("{not json", 400, "10015"),
        ("[1,2]", 400, "10015"),
        (r#"{"payload":"hi"}"#, 422, "10004"),
        (r#"{"payload":"hi","voice":7}"#, 422, "10015"),
        (
            r#"{"payload":"hi","voice":"v","client_state":"%%"}"#,
            422,
            "10015",
        ),
    ] {
        let response = http
            .post(&url)
            .bearer_auth("KEY-test")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["errors"][0]["code"], code, "{body}: {error}");
        assert!(
            error["errors"][0]["title"].is_string() && error["errors"][0]["detail"].is_string()
        );
    }
    let unknown = http
        .post(format!("{base}/calls/{id}/actions/levitate"))
        .bearer_auth("KEY-test")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    let anonymous = http.post(&url).body("{}").send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}
