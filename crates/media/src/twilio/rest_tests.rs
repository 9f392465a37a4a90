//! The Voice REST client against a local HTTP peer answering as Twilio does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::*;
use crate::test_http::{serve_once, serve_sequence};

const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, val)| ((*k).to_owned(), (*val).to_owned()))
        .collect()
}

#[tokio::test]
async fn create_call_posts_a_form_with_basic_auth() {
    let (base, peer) = serve_once(201, r#"{"sid":"CA1","status":"queued","to":"+420111","from":"+420222","direction":"outbound-api","extra":1}"#).await;
    let client = TwilioClient::new(SID, "token").with_base_url(&base);
    let call = client
        .create_call(&CreateCall {
            to: "+420111".into(),
            from: "+420222".into(),
            instructions: CallInstructions::Twiml("<Response><Hangup/></Response>".into()),
            status_callback: Some("https://cc.example.com/status".into()),
            status_callback_events: vec![CallProgress::Ringing, CallProgress::Completed],
        })
        .await
        .unwrap();
    assert_eq!(call.sid, "CA1");
    let sent = peer.await.unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("/2010-04-01/Accounts/{SID}/Calls.json"));
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Basic {}", BASE64.encode(format!("{SID}:token"))).as_str())
    );
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        sent.form(),
        pairs(&[
            ("To", "+420111"),
            ("From", "+420222"),
            ("Twiml", "<Response><Hangup/></Response>"),
            ("StatusCallback", "https://cc.example.com/status"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "completed")
        ])
    );
}

#[tokio::test]
async fn hangup_and_recording_use_the_call_paths() {
    let (base, peer) = serve_once(200, r#"{"sid":"CA9","status":"completed"}"#).await;
    TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .hangup("CA9")
        .await
        .unwrap();
    let sent = peer.await.unwrap();
    assert_eq!(
        sent.path,
        format!("/2010-04-01/Accounts/{SID}/Calls/CA9.json")
    );
    assert_eq!(sent.form(), pairs(&[("Status", "completed")]));

    let (base, peer) = serve_once(
        201,
        r#"{"sid":"RE1","call_sid":"CA9","status":"in-progress"}"#,
    )
    .await;
    let options = StartRecording {
        channels: Some("dual".into()),
        ..StartRecording::default()
    };
    let rec = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .start_recording("CA9", &options)
        .await
        .unwrap();
    assert_eq!(rec.sid, "RE1");
    let sent = peer.await.unwrap();
    assert_eq!(
        sent.path,
        format!("/2010-04-01/Accounts/{SID}/Calls/CA9/Recordings.json")
    );
    assert_eq!(sent.form(), pairs(&[("RecordingChannels", "dual")]));
}

#[tokio::test]
async fn a_vanished_call_and_api_errors_are_distinguished() {
    let (base, _peer) = serve_once(404, r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#).await;
    let err = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .hangup("CA9")
        .await
        .unwrap_err();
    assert!(matches!(err, TwilioRestError::NotFound), "{err:?}");

    let (base, _peer) = serve_once(
        400,
        r#"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#,
    )
    .await;
    let call = CreateCall {
        to: "x".into(),
        from: "+1".into(),
        instructions: CallInstructions::Url("https://h/v".into()),
        status_callback: None,
        status_callback_events: Vec::new(),
    };
    let err = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .create_call(&call)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TwilioRestError::Api {
                status: 400,
                code: Some(21211),
                ..
            }
        ),
        "{err:?}"
    );

    let (base, _peer) = serve_once(200, "<html>").await;
    let err = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .update_call_twiml("CA9", "<Response/>")
        .await
        .unwrap_err();
    assert!(matches!(err, TwilioRestError::Decode(_)), "{err:?}");
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
async fn a_hangup_is_retried_through_server_errors_until_it_lands() {
    let counters = crate::observe::capture::Counters::default();
    let _recording = metrics::set_default_local_recorder(&counters);
    let (base, peer) = serve_sequence(vec![
        (503, r#"{"code":20503,"message":"Service unavailable"}"#),
        (429, r#"{"code":20429,"message":"Too many requests"}"#),
        (200, r#"{"sid":"CA9","status":"completed"}"#),
    ])
    .await;
    let call = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .with_retry_policy(quick_retries())
        .hangup("CA9")
        .await
        .unwrap();
    assert_eq!(call.status, "completed");
    let sent = peer.await.unwrap();
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.form() == pairs(&[("Status", "completed")]))
    );
    let attempts = |outcome| {
        let labels = [
            ("provider", "twilio"),
            ("operation", "hangup"),
            ("outcome", outcome),
        ];
        counters.get(crate::observe::REQUESTS_METRIC, &labels)
    };
    let seen = [
        attempts("server_error"),
        attempts("throttled"),
        attempts("ok"),
    ];
    assert_eq!(seen, [1, 1, 1]);
    let retried = [("provider", "twilio"), ("operation", "hangup")];
    assert_eq!(counters.get(crate::observe::RETRIES_METRIC, &retried), 2);
}

#[tokio::test]
async fn client_errors_and_call_creation_are_not_retried() {
    // One reply each: a retry would find no listener and fail with a transport error
    // instead of the API error asserted here.
    let (base, peer) = serve_sequence(vec![(400, r#"{"code":21220,"message":"Invalid"}"#)]).await;
    let client = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .with_retry_policy(quick_retries());
    let err = client.hangup("CA9").await.unwrap_err();
    assert!(
        matches!(err, TwilioRestError::Api { status: 400, .. }),
        "{err}"
    );
    assert_eq!(peer.await.unwrap().len(), 1);

    let (base, peer) = serve_sequence(vec![(503, r#"{"code":20503,"message":"down"}"#)]).await;
    let create = CreateCall {
        to: "+15005550006".into(),
        from: "+15005550001".into(),
        instructions: CallInstructions::Url("https://app.test/voice".into()),
        status_callback: None,
        status_callback_events: Vec::new(),
    };
    let err = TwilioClient::new(SID, "t")
        .with_base_url(&base)
        .with_retry_policy(quick_retries())
        .create_call(&create)
        .await
        .unwrap_err();
    assert!(
        matches!(err, TwilioRestError::Api { status: 503, .. }),
        "{err}"
    );
    assert_eq!(peer.await.unwrap().len(), 1);
}
