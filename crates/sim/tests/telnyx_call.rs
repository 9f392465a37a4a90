//! `cc-sim call telnyx` against a Call Control app that answers through cc-media's Telnyx
//! client and echoes the media stream.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod telnyx_app;

use cc_media::telnyx::signature::WebhookSigner;
use cc_sim::telnyx_call::{CallOptions, run};
use tokio::net::TcpListener;

#[tokio::test]
async fn concurrent_incoming_calls_are_answered_streamed_echoed_and_hung_up() {
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_base = format!("http://{}/v2", api.local_addr().unwrap());
    let app = telnyx_app::start(api_base, true).await;
    let summary = run(
        CallOptions {
            webhook_url: app.webhook_url.clone(),
            signer: WebhookSigner::from_seed_b64(telnyx_app::SEED_B64).unwrap(),
            api_key: Some("KEY-test".into()),
            calls: 3,
            seconds: 1,
            say: None,
            wav: None,
            dtmf: String::new(),
        },
        api,
    )
    .await;
    assert_eq!(summary.error_samples, Vec::<String>::new());
    assert_eq!(
        (
            summary.carrier,
            summary.calls_placed,
            summary.calls_completed,
            summary.errors
        ),
        ("telnyx", 3, 3, 0)
    );
    assert_eq!(summary.frames_sent, 150, "1 s of 20 ms frames per call");
    assert_eq!(
        summary.frames_received, 150,
        "every frame's echo comes back before the caller hangs up"
    );
    assert!(
        (12..=15).contains(&summary.marks_acknowledged),
        "{}",
        summary.marks_acknowledged
    );
    assert!(summary.first_response_ms_p50.is_some());

    app.wait_for("call.hangup", 3).await;
    let seen = app.seen.lock().unwrap();
    assert_eq!(
        (
            seen.rejected,
            seen.command_errors.len(),
            seen.stream_errors.len()
        ),
        (0, 0, 0)
    );
    for events in seen.events.values() {
        assert_eq!(
            events,
            &[
                "call.initiated",
                "call.answered",
                "streaming.started",
                "streaming.stopped",
                "call.hangup"
            ]
        );
    }
}

#[tokio::test]
async fn webhooks_signed_with_another_key_are_refused_by_the_app() {
    // The app rejects every webhook (wrong key): call.initiated is refused, nothing streams.
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_base = format!("http://{}/v2", api.local_addr().unwrap());
    let app = telnyx_app::start(api_base, true).await;
    let wrong = WebhookSigner::from_seed(&[9u8; 32]).unwrap();
    let run = tokio::spawn(run(
        CallOptions {
            webhook_url: app.webhook_url.clone(),
            signer: wrong,
            api_key: None,
            calls: 2,
            seconds: 1,
            say: None,
            wav: None,
            dtmf: String::new(),
        },
        api,
    ));
    common::until("both signed webhooks to be refused", || {
        app.seen.lock().unwrap().rejected >= 2
    })
    .await;
    assert!(app.seen.lock().unwrap().events.is_empty());
    run.abort();
}

#[tokio::test]
async fn keys_the_caller_presses_reach_the_stream_the_webhooks_and_a_gather() {
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_base = format!("http://{}/v2", api.local_addr().unwrap());
    let app = telnyx_app::start_gathering(api_base).await;
    let summary = run(
        CallOptions {
            webhook_url: app.webhook_url.clone(),
            signer: WebhookSigner::from_seed_b64(telnyx_app::SEED_B64).unwrap(),
            api_key: None,
            calls: 1,
            seconds: 1,
            say: None,
            wav: None,
            dtmf: "12#".into(),
        },
        api,
    )
    .await;
    assert_eq!(summary.error_samples, Vec::<String>::new());
    assert_eq!((summary.calls_completed, summary.dtmf_sent), (1, 3));
    app.wait_for("call.hangup", 1).await;
    let seen = app.seen.lock().unwrap();
    assert_eq!(seen.command_errors, Vec::<String>::new());
    assert_eq!(seen.stream_errors, Vec::<String>::new());
    assert_eq!(seen.stream_keys, "12#", "stream dtmf messages, in order");
    assert_eq!(seen.webhook_keys, "12#", "call.dtmf.received, in order");
    assert_eq!(seen.gathers, [("12".to_owned(), "valid".to_owned())]);
    let events = seen.events.values().next().unwrap();
    assert_eq!(
        events,
        &[
            "call.initiated",
            "call.answered",
            "streaming.started",
            "call.speak.started",
            "call.dtmf.received",
            "call.dtmf.received",
            "call.dtmf.received",
            "call.gather.ended",
            "streaming.stopped",
            "call.hangup"
        ]
    );
}
