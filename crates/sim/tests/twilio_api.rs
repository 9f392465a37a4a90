//! cc-media's Twilio REST client against `cc-sim serve twilio`, with only the base URL
//! changed: create (the fake fetches the signed voice URL and follows the stream), fetch,
//! redirect, record, complete (with a signed status callback), and Twilio's error JSON.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use cc_media::twilio::rest::{
    CallInstructions, CallProgress, CreateCall, StartRecording, TwilioClient, TwilioRestError,
};
use cc_media::twilio::signature::validate_form_body;
use cc_media::twilio::stream::TwilioEvent;
use cc_sim::caller_audio::CallerAudio;
use cc_sim::http::{Request, Response};
use cc_sim::twilio_api::{TwilioConfig, TwilioFake};
use common::{until, until_async};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "secret-token";

/// A webhook the app received: its path, whether its signature verified, its form.
type Hook = (String, bool, Vec<(String, String)>);

#[derive(Default)]
struct Seen {
    /// Each webhook, in arrival order.
    webhooks: Vec<Hook>,
    /// `customParameters.leg` of each stream that started.
    streams: Vec<String>,
}

/// A voice app: `/voice` answers with a stream to its media socket, `/status` records.
async fn app() -> (String, String, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let media = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ws_url = format!("ws://{}/media", media.local_addr().unwrap());
    let media_seen = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = media.accept().await {
            let seen = media_seen.clone();
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    if let Ok(TwilioEvent::Start(start)) = TwilioEvent::parse(text.as_str()) {
                        let leg = start.start.custom_parameters.get("leg").cloned();
                        seen.lock().unwrap().streams.push(leg.unwrap_or_default());
                    }
                }
            });
        }
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (app_seen, app_base, app_ws) = (seen.clone(), base.clone(), ws_url.clone());
    tokio::spawn(cc_sim::http::serve(listener, move |request: Request| {
        let (seen, base, ws_url) = (app_seen.clone(), app_base.clone(), app_ws.clone());
        async move {
            let url = format!("{base}{}", request.path);
            let signature = request.header("x-twilio-signature").unwrap_or("");
            let verified = validate_form_body(TOKEN, &url, &request.body, signature).is_ok();
            seen.lock()
                .unwrap()
                .webhooks
                .push((request.path.clone(), verified, request.form()));
            let mut response = Response::json(200, &json!({}));
            if request.path == "/voice" {
                response.content_type = "application/xml";
                response.body = stream_twiml(&ws_url, "first").into_bytes();
            }
            response
        }
    }));
    (base, ws_url, seen)
}

fn stream_twiml(ws_url: &str, leg: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{ws_url}"><Parameter name="leg" value="{leg}"/></Stream></Connect></Response>"#
    )
}

async fn fake(seconds: u32) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let fake = TwilioFake::new(TwilioConfig {
        account_sid: SID.into(),
        auth_token: TOKEN.into(),
        audio: CallerAudio::synthetic(seconds),
    });
    tokio::spawn(fake.serve(listener));
    base
}

#[tokio::test]
async fn progress_callbacks_arrive_signed_in_order_with_their_fields() {
    let (app_base, _, seen) = app().await;
    let fake_base = fake(1).await;
    let client = TwilioClient::new(SID, TOKEN).with_base_url(&fake_base);
    let call = client
        .create_call(&CreateCall {
            to: "+15005550001".into(),
            from: "+15005550006".into(),
            instructions: CallInstructions::Twiml("<Response><Hangup/></Response>".into()),
            status_callback: Some(format!("{app_base}/status")),
            status_callback_events: vec![
                CallProgress::Initiated,
                CallProgress::Ringing,
                CallProgress::Answered,
                CallProgress::Completed,
            ],
        })
        .await
        .unwrap();
    until("four status callbacks", || {
        seen.lock().unwrap().webhooks.len() == 4
    })
    .await;
    let webhooks = seen.lock().unwrap().webhooks.clone();
    let field = |hook: &Hook, name: &str| {
        let value = hook
            .2
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        value.unwrap_or_default()
    };
    let statuses: Vec<String> = webhooks.iter().map(|h| field(h, "CallStatus")).collect();
    assert_eq!(
        statuses,
        ["initiated", "ringing", "in-progress", "completed"]
    );
    for (n, hook) in webhooks.iter().enumerate() {
        assert_eq!((hook.0.as_str(), hook.1), ("/status", true), "signed");
        assert_eq!(field(hook, "SequenceNumber"), n.to_string());
        assert_eq!(field(hook, "CallbackSource"), "call-progress-events");
        assert_eq!(field(hook, "CallSid"), call.sid);
        assert!(field(hook, "Timestamp").ends_with(" +0000"), "RFC 2822");
    }
    assert_eq!(field(&webhooks[3], "CallDuration"), "0");
    assert_eq!(field(&webhooks[2], "CallDuration"), "");

    // An unknown event is refused before any call is placed.
    let refused = reqwest::Client::new()
        .post(format!(
            "{}/2010-04-01/Accounts/{SID}/Calls.json",
            fake_base
        ))
        .basic_auth(SID, Some(TOKEN))
        .form(&[
            ("To", "+15005550001"),
            ("From", "+15005550006"),
            ("Twiml", "<Response/>"),
            ("StatusCallbackEvent", "busy"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("busy"), "{body}");
}

#[tokio::test]
async fn a_created_call_fetches_its_signed_url_streams_records_and_completes() {
    let (app_base, _, seen) = app().await;
    let client = TwilioClient::new(SID, TOKEN).with_base_url(fake(30).await);
    let call = client
        .create_call(&CreateCall {
            to: "+15005550001".into(),
            from: "+15005550006".into(),
            instructions: CallInstructions::Url(format!("{app_base}/voice")),
            status_callback: Some(format!("{app_base}/status")),
            status_callback_events: Vec::new(),
        })
        .await
        .unwrap();
    assert!(call.sid.starts_with("CA") && call.sid.len() == 34);
    assert_eq!(
        (call.status.as_str(), call.direction.as_deref()),
        ("queued", Some("outbound-api"))
    );
    until("the stream", || seen.lock().unwrap().streams.len() == 1).await;
    assert_eq!(
        client.fetch_call(&call.sid).await.unwrap().status,
        "in-progress"
    );

    let recording = client
        .start_recording(
            &call.sid,
            &StartRecording {
                channels: Some("dual".into()),
                ..StartRecording::default()
            },
        )
        .await
        .unwrap();
    assert!(recording.sid.starts_with("RE"));
    assert_eq!(recording.call_sid.as_deref(), Some(call.sid.as_str()));

    assert_eq!(client.hangup(&call.sid).await.unwrap().status, "completed");
    assert_eq!(
        client.fetch_call(&call.sid).await.unwrap().status,
        "completed"
    );
    until("the status callback", || {
        seen.lock().unwrap().webhooks.len() == 2
    })
    .await;
    let webhooks = seen.lock().unwrap().webhooks.clone();
    let (voice, status) = (&webhooks[0], &webhooks[1]);
    assert_eq!(
        (voice.0.as_str(), voice.1),
        ("/voice", true),
        "signed voice webhook"
    );
    assert_eq!(
        (status.0.as_str(), status.1),
        ("/status", true),
        "signed status callback"
    );
    assert!(
        status
            .2
            .contains(&("CallStatus".into(), "completed".into()))
    );
    assert!(voice.2.contains(&("CallSid".into(), call.sid.clone())));

    let late = client
        .start_recording(&call.sid, &StartRecording::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            late,
            TwilioRestError::Api {
                status: 400,
                code: Some(21220),
                ..
            }
        ),
        "{late:?}"
    );
}

#[tokio::test]
async fn twiml_redirects_replace_the_running_stream() {
    let (_, ws_url, seen) = app().await;
    let client = TwilioClient::new(SID, TOKEN).with_base_url(fake(1).await);
    let call = client
        .create_call(&CreateCall {
            to: "+15005550001".into(),
            from: "+15005550006".into(),
            instructions: CallInstructions::Twiml(stream_twiml(&ws_url, "first")),
            status_callback: None,
            status_callback_events: Vec::new(),
        })
        .await
        .unwrap();
    until("the first stream", || {
        seen.lock().unwrap().streams.len() == 1
    })
    .await;
    client
        .update_call_twiml(&call.sid, &stream_twiml(&ws_url, "second"))
        .await
        .unwrap();
    until("the second stream", || {
        seen.lock().unwrap().streams.len() == 2
    })
    .await;
    assert_eq!(seen.lock().unwrap().streams, ["first", "second"]);
    // One second of audio, then the call completes by itself.
    until_async("the call to complete", || async {
        client.fetch_call(&call.sid).await.unwrap().status == "completed"
    })
    .await;
    let err = client
        .update_call_twiml(&call.sid, "<Response/>")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TwilioRestError::Api {
                status: 400,
                code: Some(21220),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_unknown_calls_and_missing_parameters_get_twilio_errors() {
    let base = fake(1).await;
    let wrong = TwilioClient::new(SID, "wrong-token").with_base_url(&base);
    let err = wrong.fetch_call("CA0").await.unwrap_err();
    assert!(
        matches!(
            err,
            TwilioRestError::Api {
                status: 401,
                code: Some(20003),
                ..
            }
        ),
        "{err:?}"
    );
    let raw = reqwest::Client::new()
        .get(format!("{base}/2010-04-01/Accounts/{SID}/Calls/CA0.json"))
        .basic_auth(SID, Some("wrong-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["code"], 20003);
    assert_eq!(body["status"], 401);
    assert!(body["message"].is_string() && body["more_info"].as_str().unwrap().contains("20003"));

    let client = TwilioClient::new(SID, TOKEN).with_base_url(&base);
    assert!(matches!(
        client.fetch_call("CAnope").await,
        Err(TwilioRestError::NotFound)
    ));
    assert!(matches!(
        client.hangup("CAnope").await,
        Err(TwilioRestError::NotFound)
    ));
    let other = TwilioClient::new("ACother", TOKEN).with_base_url(&base);
    assert!(matches!(
        other.fetch_call("CA0").await,
        Err(TwilioRestError::Api { status: 401, .. })
    ));
    let no_to = CreateCall {
        to: String::new(),
        from: "+15005550006".into(),
        instructions: CallInstructions::Url("http://127.0.0.1:9/voice".into()),
        status_callback: None,
        status_callback_events: Vec::new(),
    };
    let err = client.create_call(&no_to).await.unwrap_err();
    assert!(
        matches!(
            err,
            TwilioRestError::Api {
                status: 400,
                code: Some(21201),
                ..
            }
        ),
        "{err:?}"
    );
    let no_url = reqwest::Client::new()
        .post(format!("{base}/2010-04-01/Accounts/{SID}/Calls.json"))
        .basic_auth(SID, Some(TOKEN))
        .form(&[("To", "+1"), ("From", "+2")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_url.status().as_u16(), 400);
    assert_eq!(no_url.json::<Value>().await.unwrap()["code"], 21205);
}
