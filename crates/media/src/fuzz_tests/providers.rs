//! AI providers: OpenAI Realtime server events through the bridge (and client events, which a
//! fake OpenAI reads), Gemini Live server messages through the session's downlink, Deepgram
//! live messages into transcripts, and the WebSocket close frames all three send.

use proptest::prelude::*;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::{config, peer_bytes, peer_text};
use crate::capability::agent::AgentEvent;
use crate::deepgram::live::transcript_from_text;
use crate::deepgram::messages::ServerMessage as DeepgramMessage;
use crate::gemini::client::Downlink;
use crate::openai::bridge::RealtimeBridge;
use crate::openai::events::{ClientEvent, ServerEvent};

const OPENAI: &[&str] = &[
    r#"{"type":"session.created","event_id":"e1","session":{"type":"realtime"}}"#,
    r#"{"type":"input_audio_buffer.speech_started","event_id":"e2","audio_start_ms":100,"item_id":"u1"}"#,
    r#"{"type":"input_audio_buffer.speech_stopped","event_id":"e3","audio_end_ms":900,"item_id":"u1"}"#,
    r#"{"type":"conversation.item.input_audio_transcription.completed","item_id":"u1","content_index":0,"transcript":"Hello"}"#,
    r#"{"type":"response.created","response":{"id":"r1","status":"in_progress"}}"#,
    r#"{"type":"response.output_audio.delta","response_id":"r1","item_id":"a1","delta":"//8AAAAAAAAAAA=="}"#,
    r#"{"type":"response.audio.delta","response_id":"r1","item_id":"a2","delta":"AAA="}"#,
    r#"{"type":"response.output_audio_transcript.done","item_id":"a1","transcript":"Hi there"}"#,
    r#"{"type":"response.function_call_arguments.done","call_id":"c1","name":"get_weather","arguments":"{\"city\":\"Brno\"}","item_id":"f1"}"#,
    r#"{"type":"response.function_call_arguments.done","call_id":"c2","arguments":"{}","item_id":"f2"}"#,
    r#"{"type":"response.output_item.done","item":{"id":"f2","type":"function_call","call_id":"c2","name":"transfer"}}"#,
    r#"{"type":"response.done","response":{"id":"r1","status":"completed","output":[]}}"#,
    r#"{"type":"error","error":{"type":"invalid_request_error","code":"invalid_value","message":"bad","param":null,"event_id":null}}"#,
];

const OPENAI_CLIENT: &[&str] = &[
    r#"{"type":"input_audio_buffer.append","audio":"AAA="}"#,
    r#"{"type":"conversation.item.truncate","item_id":"a1","content_index":0,"audio_end_ms":1500}"#,
    r#"{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"#,
    r#"{"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"c1","output":"{}"}}"#,
    r#"{"type":"response.create","response":{"instructions":"x"}}"#,
    r#"{"type":"response.cancel","response_id":"r1"}"#,
];

const GEMINI: &[&str] = &[
    r#"{"setupComplete":{}}"#,
    r#"{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm;rate=24000","data":"AAABAAIAAwAEAAUA"}}]}}}"#,
    r#"{"server_content":{"model_turn":{"parts":[{"inline_data":{"mime_type":"audio/pcm","data":"//8="}},{"text":"t"}]},"turn_complete":true}}"#,
    r#"{"serverContent":{"inputTranscription":{"text":"where is","finished":false},"outputTranscription":{"text":"Hello"}}}"#,
    r#"{"serverContent":{"interrupted":true,"inputTranscription":{"text":" my order","finished":true}}}"#,
    r#"{"serverContent":{"turnComplete":true}}"#,
    r#"{"toolCall":{"functionCalls":[{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}}]}}"#,
    r#"{"goAway":{"timeLeft":"10s"}}"#,
];

const DEEPGRAM: &[&str] = &[
    r#"{"type":"Results","channel_index":[0,1],"duration":1.98,"start":5.99,"is_final":true,"speech_final":true,"channel":{"alternatives":[{"transcript":"another big","confidence":0.98,"words":[{"word":"another","start":6.0,"end":6.3,"confidence":0.99,"punctuated_word":"Another"}]}]}}"#,
    r#"{"type":"Results","duration":0.5,"start":0,"is_final":false,"channel":{"alternatives":[{"transcript":"","confidence":0}]}}"#,
    r#"{"type":"Metadata","request_id":"r1","duration":0.0,"channels":0}"#,
    r#"{"type":"SpeechStarted","channel":[0,1],"timestamp":9.54}"#,
    r#"{"type":"UtteranceEnd","channel":[0,1],"last_word_end":3.1}"#,
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn openai_server_events_through_the_bridge_never_panic(
        texts in prop::collection::vec(peer_text(OPENAI), 1..10),
        played_ms in prop_oneof![Just(u64::MAX), any::<u64>()],
    ) {
        let mut bridge = RealtimeBridge::new("openai");
        for text in &texts {
            let parsed = ServerEvent::parse(text);
            let handled = bridge.handle_text(text);
            prop_assert!(parsed.is_ok() || handled.is_err(), "{}", text);
        }
        let events = bridge.barge_in(played_ms);
        prop_assert!(
            matches!(events.last(), Some(ClientEvent::CancelResponse { .. })),
            "barge-in ends with a cancel: {events:?}"
        );
    }

    #[test]
    fn openai_client_events_parse_or_fail_cleanly(text in peer_text(OPENAI_CLIENT)) {
        // Values are not compared: serde_json may round a float differently after a round trip.
        if let Ok(event) = serde_json::from_str::<ClientEvent>(&text) {
            prop_assert!(serde_json::from_str::<ClientEvent>(&event.to_json()).is_ok());
        }
    }

    #[test]
    fn gemini_server_messages_through_the_downlink_never_panic(
        frames in prop::collection::vec(peer_bytes(GEMINI), 1..8),
    ) {
        let mut downlink = Downlink::new("gemini").unwrap();
        for frame in &frames {
            if let Ok(message) = downlink.parse(frame) {
                let _ = downlink.on_message(message);
            }
        }
        while let Some(event) = downlink.pop() {
            if let AgentEvent::Transcript { turn, .. } = event {
                prop_assert!(!turn.text.is_empty());
            }
        }
    }

    #[test]
    fn deepgram_messages_give_a_transcript_nothing_or_an_error(text in peer_text(DEEPGRAM)) {
        let parsed = serde_json::from_str::<DeepgramMessage>(&text);
        match transcript_from_text(&text) {
            Ok(Some(transcript)) => {
                prop_assert!(!transcript.text.is_empty());
                prop_assert!(transcript.confidence.is_finite());
                prop_assert!(
                    matches!(parsed, Ok(DeepgramMessage::Results { .. })),
                    "a transcript from {parsed:?}"
                );
            }
            Ok(None) => prop_assert!(parsed.is_ok()),
            Err(_) => {}
        }
    }

    #[test]
    fn close_frames_are_failures_unless_normal(code in any::<u16>(), reason in "\\PC{0,40}") {
        let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
        let failure = crate::close::failure(Some(&frame));
        prop_assert_eq!(failure.is_none(), code == 1000 || code == 1001);
    }
}
