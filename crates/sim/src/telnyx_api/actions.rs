//! Reading Call Control command bodies: each action's required fields and enumerations, as
//! protocols.md §3.2 lists them, checked before anything happens to the call. A body that is
//! not a JSON object is a 400; a missing or unusable field is a 422 naming the field.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use super::errors::ApiError;
use super::gather::DigitRules;

/// Where to stream a call's audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamStart {
    /// `ws://` or `wss://` URL.
    pub url: String,
    /// Optional token presented on the upgrade.
    pub auth_token: Option<String>,
}

/// A validated command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Answer, optionally streaming at once.
    Answer(Option<StreamStart>),
    /// Hang up.
    Hangup,
    /// Speak text.
    Speak,
    /// Speak or play a prompt, then collect digits.
    Gather {
        /// The webhook the prompt starts with (none for a bare `gather`).
        prompt: Option<&'static str>,
        /// The digit options.
        rules: DigitRules,
    },
    /// Play audio.
    PlaybackStart,
    /// Stop audio.
    PlaybackStop,
    /// Start recording.
    RecordStart,
    /// Stop recording.
    RecordStop,
    /// Transfer to a number.
    Transfer,
    /// Bridge with another leg.
    Bridge(String),
    /// Start media streaming.
    StreamingStart(StreamStart),
    /// Stop media streaming.
    StreamingStop,
}

/// The parsed body of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandBody {
    /// What to do.
    pub command: Command,
    /// New `client_state`, echoed in later webhooks.
    pub client_state: Option<String>,
}

/// Parses a request body as a JSON object (an empty body counts as `{}`).
pub fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadRequest(
            "The request body must be a JSON object.".into(),
        )),
        Err(e) => Err(ApiError::BadRequest(format!("Malformed JSON: {e}"))),
    }
}

/// A required non-empty string field.
pub fn required<'a>(
    body: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Err(ApiError::Missing(field)),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(ApiError::Invalid(
            field,
            format!("'{field}' must be a non-empty string."),
        )),
    }
}

/// An optional non-empty string field.
pub fn optional<'a>(
    body: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a str>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required(body, field).map(Some),
    }
}

fn one_of(
    body: &Map<String, Value>,
    field: &'static str,
    allowed: &[&str],
) -> Result<(), ApiError> {
    let value = required(body, field)?;
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(ApiError::Invalid(
        field,
        format!("'{field}' must be one of {}.", allowed.join(", ")),
    ))
}

fn any_of(body: &Map<String, Value>, fields: &[&'static str]) -> Result<(), ApiError> {
    for field in fields {
        if optional(body, field)?.is_some() {
            return Ok(());
        }
    }
    Err(ApiError::Missing(fields[0]))
}

fn stream_start(body: &Map<String, Value>, needed: bool) -> Result<Option<StreamStart>, ApiError> {
    let url = if needed {
        Some(required(body, "stream_url")?)
    } else {
        optional(body, "stream_url")?
    };
    let Some(url) = url else { return Ok(None) };
    if !(url.starts_with("ws://") || url.starts_with("wss://")) {
        return Err(ApiError::Invalid(
            "stream_url",
            "'stream_url' must be a ws:// or wss:// URL.".into(),
        ));
    }
    if let Some(codec) = optional(body, "stream_codec")?
        && !["PCMU", "default"].contains(&codec)
    {
        return Err(ApiError::Invalid(
            "stream_codec",
            "This simulator streams PCMU only.".into(),
        ));
    }
    Ok(Some(StreamStart {
        url: url.to_owned(),
        auth_token: optional(body, "stream_auth_token")?.map(str::to_owned),
    }))
}

/// Validates `body` for `action`; `NotFound` for an action this fake does not know.
pub fn parse(action: &str, body: &[u8]) -> Result<CommandBody, ApiError> {
    let body = object(body)?;
    let command = match action {
        "answer" => Command::Answer(stream_start(&body, false)?),
        "hangup" => Command::Hangup,
        "speak" => {
            required(&body, "payload")?;
            required(&body, "voice")?;
            Command::Speak
        }
        "gather_using_speak" => {
            required(&body, "payload")?;
            required(&body, "voice")?;
            Command::Gather {
                prompt: Some("call.speak.started"),
                rules: DigitRules::parse(&body)?,
            }
        }
        "gather_using_audio" => {
            any_of(&body, &["audio_url", "media_name"])?;
            Command::Gather {
                prompt: Some("call.playback.started"),
                rules: DigitRules::parse(&body)?,
            }
        }
        "gather" => Command::Gather {
            prompt: None,
            rules: DigitRules::parse(&body)?,
        },
        "playback_start" => {
            any_of(&body, &["audio_url", "media_name", "playback_content"])?;
            Command::PlaybackStart
        }
        "playback_stop" => Command::PlaybackStop,
        "record_start" => {
            one_of(&body, "format", &["wav", "mp3"])?;
            one_of(&body, "channels", &["single", "dual"])?;
            Command::RecordStart
        }
        "record_stop" => Command::RecordStop,
        "transfer" => {
            required(&body, "to")?;
            Command::Transfer
        }
        "bridge" => Command::Bridge(required(&body, "call_control_id")?.to_owned()),
        "streaming_start" => match stream_start(&body, true)? {
            Some(stream) => Command::StreamingStart(stream),
            None => return Err(ApiError::Missing("stream_url")),
        },
        "streaming_stop" => Command::StreamingStop,
        other => return Err(ApiError::NotFound(format!("Unknown action '{other}'."))),
    };
    let client_state = optional(&body, "client_state")?.map(str::to_owned);
    if let Some(state) = &client_state
        && BASE64.decode(state).is_err()
    {
        return Err(ApiError::Invalid(
            "client_state",
            "'client_state' must be base64.".into(),
        ));
    }
    Ok(CommandBody {
        command,
        client_state,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_and_enumerations_are_checked() {
        assert_eq!(
            parse("speak", br#"{"voice":"v"}"#).unwrap_err(),
            ApiError::Missing("payload")
        );
        assert!(matches!(
            parse("record_start", br#"{"format":"ogg","channels":"dual"}"#).unwrap_err(),
            ApiError::Invalid("format", _)
        ));
        assert_eq!(
            parse("streaming_start", b"{}").unwrap_err(),
            ApiError::Missing("stream_url")
        );
        assert!(matches!(
            parse("streaming_start", br#"{"stream_url":"http://x"}"#).unwrap_err(),
            ApiError::Invalid("stream_url", _)
        ));
        assert!(matches!(
            parse("hangup", br#"{"client_state":"%%%"}"#).unwrap_err(),
            ApiError::Invalid("client_state", _)
        ));
        assert!(matches!(
            parse("fly", b"{}").unwrap_err(),
            ApiError::NotFound(_)
        ));
    }

    #[test]
    fn bodies_that_are_not_objects_are_bad_requests() {
        for body in [&b"[1]"[..], b"{", b"\"x\"", b"\xff"] {
            assert!(matches!(
                parse("answer", body).unwrap_err(),
                ApiError::BadRequest(_)
            ));
        }
        assert_eq!(parse("hangup", b"").unwrap().command, Command::Hangup);
    }

    #[test]
    fn answer_may_start_a_stream() {
        let parsed = parse(
            "answer",
            br#"{"stream_url":"ws://h/s","stream_track":"inbound_track","client_state":"YQ=="}"#,
        )
        .unwrap();
        assert_eq!(
            parsed.command,
            Command::Answer(Some(StreamStart {
                url: "ws://h/s".into(),
                auth_token: None
            }))
        );
        assert_eq!(parsed.client_state.as_deref(), Some("YQ=="));
    }
}
