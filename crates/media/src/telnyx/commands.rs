//! Request bodies of the Telnyx Call Control commands, field for field as documented.
//!
//! Every optional field is left out of the JSON when unset, so Telnyx applies its defaults.
//! `client_state` must be base64 (Telnyx echoes it in later webhooks); `command_id` makes a
//! command idempotent, which is what allows retrying it.

use serde::Serialize;

/// Which audio a stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamTrack {
    /// The caller's audio (default).
    InboundTrack,
    /// Audio played to the caller.
    OutboundTrack,
    /// Both.
    BothTracks,
}

/// How audio sent back on a bidirectional stream is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BidirectionalMode {
    /// Whole MP3 files, at most one per second (default).
    Mp3,
    /// Raw codec payloads of 20 ms to 30 s.
    Rtp,
}

/// Stream codecs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StreamCodec {
    /// G.711 µ-law.
    #[serde(rename = "PCMU")]
    Pcmu,
    /// G.711 A-law.
    #[serde(rename = "PCMA")]
    Pcma,
    /// G.722.
    #[serde(rename = "G722")]
    G722,
    /// Opus.
    #[serde(rename = "OPUS")]
    Opus,
    /// AMR-WB.
    #[serde(rename = "AMR-WB")]
    AmrWb,
    /// Linear PCM.
    #[serde(rename = "L16")]
    L16,
}

/// Media-stream options shared by `answer`, `streaming_start` and dialling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StreamOptions {
    /// Our `wss://` endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
    /// Tracks to send.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_track: Option<StreamTrack>,
    /// Codec of the audio Telnyx sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_codec: Option<StreamCodec>,
    /// Framing of audio we send back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_bidirectional_mode: Option<BidirectionalMode>,
    /// Codec of audio we send back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_bidirectional_codec: Option<StreamCodec>,
}

/// Fields every command accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CommandOptions {
    /// Base64 state echoed in later webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
    /// Idempotency key; Telnyx ignores repeats for the same call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_id: Option<String>,
}

/// `answer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
    /// Start streaming on answer.
    #[serde(flatten)]
    pub stream: StreamOptions,
}

/// `speak`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speak {
    /// Text (or SSML) to say.
    pub payload: String,
    /// e.g. `AWS.Polly.Joanna-Neural`.
    pub voice: String,
    /// e.g. `en-US`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `text` or `ssml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_type: Option<String>,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `gather_using_speak`: speak a prompt and collect digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatherUsingSpeak {
    /// Prompt text.
    pub payload: String,
    /// Voice.
    pub voice: String,
    /// Language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Fewest digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_digits: Option<u32>,
    /// Most digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_digits: Option<u32>,
    /// Key that ends input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminating_digit: Option<String>,
    /// Overall timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_millis: Option<u32>,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `playback_start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlaybackStart {
    /// Audio file URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// Name of uploaded media.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_name: Option<String>,
    /// Mix with other audio instead of replacing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlay: Option<bool>,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// Recording file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordFormat {
    /// WAV.
    Wav,
    /// MP3.
    Mp3,
}

/// Recording channel layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordChannels {
    /// Both parties mixed.
    Single,
    /// One party per channel.
    Dual,
}

/// `record_start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordStart {
    /// File format.
    pub format: RecordFormat,
    /// Channel layout.
    pub channels: RecordChannels,
    /// Beep first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play_beep: Option<bool>,
    /// Longest recording in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `transfer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    /// Destination number or SIP URI.
    pub to: String,
    /// Caller ID to present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Ring timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u32>,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `bridge`: the path id is the leg being bridged, this body names the other leg.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bridge {
    /// The other leg's Call Control id.
    pub call_control_id: String,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `streaming_start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StreamingStart {
    /// Stream options (`stream_url` is needed in practice).
    #[serde(flatten)]
    pub stream: StreamOptions,
    /// Common fields.
    #[serde(flatten)]
    pub options: CommandOptions,
}

/// `POST /calls`: an outbound call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dial {
    /// Call Control application id.
    pub connection_id: String,
    /// Destination.
    pub to: String,
    /// Caller ID.
    pub from: String,
    /// Stream on answer.
    #[serde(flatten)]
    pub stream: StreamOptions,
    /// Base64 client state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
}
