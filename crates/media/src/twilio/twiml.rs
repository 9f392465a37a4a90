//! TwiML generation: the XML a voice webhook returns to tell Twilio what to do with a call.
//!
//! [`VoiceResponse`] is built verb by verb and rendered with [`VoiceResponse::to_xml`]. All
//! text and attribute values are XML-escaped, and characters XML 1.0 forbids are dropped, so
//! caller-supplied text (a customer name in a `<Say>`) cannot break or inject markup. The
//! bidirectional media stream URL is a [`StreamUrl`], which can only hold a `wss://` URL
//! without a query string, because Twilio rejects other schemes and strips queries (per-call
//! data goes in `<Parameter>`s instead).

use std::fmt::Write as _;

use thiserror::Error;

/// Why a TwiML value was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TwimlError {
    /// The stream URL is not `wss://host/...`.
    #[error("stream URL must start with wss:// and name a host: {0}")]
    StreamScheme(String),
    /// The stream URL has a query string or fragment, which Twilio drops.
    #[error("stream URL must not carry a query string or fragment: {0}")]
    StreamQuery(String),
}

/// A media-stream URL Twilio will accept for `<Connect><Stream>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamUrl(String);

impl StreamUrl {
    /// Parses a `wss://` URL without query or fragment.
    pub fn parse(url: &str) -> Result<Self, TwimlError> {
        let host = url
            .strip_prefix("wss://")
            .ok_or_else(|| TwimlError::StreamScheme(url.to_owned()))?;
        if host.is_empty() || host.starts_with('/') {
            return Err(TwimlError::StreamScheme(url.to_owned()));
        }
        if url.contains(['?', '#']) {
            return Err(TwimlError::StreamQuery(url.to_owned()));
        }
        Ok(Self(url.to_owned()))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Writes `text` escaped for XML content or a double-quoted attribute.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// An element under construction: name plus attributes in insertion order.
struct Element<'a> {
    name: &'static str,
    attrs: Vec<(&'static str, std::borrow::Cow<'a, str>)>,
}

impl<'a> Element<'a> {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            attrs: Vec::new(),
        }
    }

    fn attr(
        mut self,
        key: &'static str,
        value: Option<impl Into<std::borrow::Cow<'a, str>>>,
    ) -> Self {
        if let Some(v) = value {
            self.attrs.push((key, v.into()));
        }
        self
    }

    fn open(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"");
            escape_into(out, v);
            out.push('"');
        }
    }

    /// `<name attrs>text</name>`, or `<name attrs/>` for empty text.
    fn text(&self, out: &mut String, text: &str) {
        self.open(out);
        if text.is_empty() {
            out.push_str("/>");
        } else {
            out.push('>');
            escape_into(out, text);
            let _ = write!(out, "</{}>", self.name);
        }
    }

    fn children(&self, out: &mut String, body: impl FnOnce(&mut String)) {
        self.open(out);
        out.push('>');
        body(out);
        let _ = write!(out, "</{}>", self.name);
    }
}

fn num(n: Option<u32>) -> Option<String> {
    n.map(|n| n.to_string())
}

fn flag(b: Option<bool>) -> Option<&'static str> {
    b.map(|b| if b { "true" } else { "false" })
}

/// `<Say>`: speak text with Twilio's text-to-speech.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Say {
    /// The words to speak.
    pub text: String,
    /// Voice, e.g. `Polly.Joanna` or `alice`.
    pub voice: Option<String>,
    /// BCP-47 language, e.g. `es-ES`.
    pub language: Option<String>,
    /// Times to repeat (0 = until the call ends).
    pub repeat: Option<u32>,
}

impl Say {
    /// A `<Say>` of `text` with Twilio's defaults.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    fn write(&self, out: &mut String) {
        Element::new("Say")
            .attr("voice", self.voice.as_deref())
            .attr("language", self.language.as_deref())
            .attr("loop", num(self.repeat))
            .text(out, &self.text);
    }
}

/// `<Play>`: play an audio file, or DTMF tones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Play {
    /// Audio URL (empty when only `digits` are played).
    pub url: String,
    /// Times to repeat.
    pub repeat: Option<u32>,
    /// DTMF digits to play (`w` pauses half a second).
    pub digits: Option<String>,
}

impl Play {
    /// A `<Play>` of the audio at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    fn write(&self, out: &mut String) {
        Element::new("Play")
            .attr("loop", num(self.repeat))
            .attr("digits", self.digits.as_deref())
            .text(out, &self.url);
    }
}

/// A prompt nested in `<Gather>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Spoken prompt.
    Say(Say),
    /// Recorded prompt.
    Play(Play),
}

/// `<Gather>`: collect digits and/or speech, then POST them to `action`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gather {
    /// `dtmf`, `speech` or `dtmf speech`.
    pub input: Option<String>,
    /// Where Twilio posts the result.
    pub action: Option<String>,
    /// `POST` (default) or `GET`.
    pub method: Option<String>,
    /// Seconds to wait for input.
    pub timeout: Option<u32>,
    /// Stop after this many digits.
    pub num_digits: Option<u32>,
    /// Key that ends input, e.g. `#`.
    pub finish_on_key: Option<String>,
    /// `auto` or seconds of silence ending speech input.
    pub speech_timeout: Option<String>,
    /// Speech recognition language.
    pub language: Option<String>,
    /// Comma-separated phrases to favour.
    pub hints: Option<String>,
    /// Prompts played while gathering.
    pub prompts: Vec<Prompt>,
}

impl Gather {
    fn write(&self, out: &mut String) {
        Element::new("Gather")
            .attr("input", self.input.as_deref())
            .attr("action", self.action.as_deref())
            .attr("method", self.method.as_deref())
            .attr("timeout", num(self.timeout))
            .attr("numDigits", num(self.num_digits))
            .attr("finishOnKey", self.finish_on_key.as_deref())
            .attr("speechTimeout", self.speech_timeout.as_deref())
            .attr("language", self.language.as_deref())
            .attr("hints", self.hints.as_deref())
            .children(out, |out| {
                for prompt in &self.prompts {
                    match prompt {
                        Prompt::Say(s) => s.write(out),
                        Prompt::Play(p) => p.write(out),
                    }
                }
            });
    }
}

/// `<Record>`: record the caller (voicemail) and POST the result to `action`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Where Twilio posts when recording ends.
    pub action: Option<String>,
    /// `POST` (default) or `GET`.
    pub method: Option<String>,
    /// Seconds of silence that end the recording.
    pub timeout: Option<u32>,
    /// Maximum length in seconds.
    pub max_length: Option<u32>,
    /// Keys that end the recording.
    pub finish_on_key: Option<String>,
    /// Beep before recording.
    pub play_beep: Option<bool>,
    /// `trim-silence` or `do-not-trim`.
    pub trim: Option<String>,
    /// Where Twilio posts when the recording file is ready.
    pub recording_status_callback: Option<String>,
}

impl Record {
    fn write(&self, out: &mut String) {
        Element::new("Record")
            .attr("action", self.action.as_deref())
            .attr("method", self.method.as_deref())
            .attr("timeout", num(self.timeout))
            .attr("maxLength", num(self.max_length))
            .attr("finishOnKey", self.finish_on_key.as_deref())
            .attr("playBeep", flag(self.play_beep))
            .attr("trim", self.trim.as_deref())
            .attr(
                "recordingStatusCallback",
                self.recording_status_callback.as_deref(),
            )
            .text(out, "");
    }
}

/// What `<Dial>` connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialTarget {
    /// A phone number in E.164.
    Number(String),
    /// A SIP URI.
    Sip(String),
    /// A Twilio Client identity (a softphone).
    Client(String),
    /// A named conference room.
    Conference(String),
}

/// `<Dial>`: connect the caller to another party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    /// Who to connect to.
    pub target: DialTarget,
    /// Caller ID shown to the called party.
    pub caller_id: Option<String>,
    /// Ring timeout in seconds.
    pub timeout: Option<u32>,
    /// e.g. `record-from-answer-dual`.
    pub record: Option<String>,
    /// Where Twilio posts when the dialled call ends.
    pub action: Option<String>,
    /// Keep ringing the caller until the callee answers.
    pub answer_on_bridge: Option<bool>,
}

impl Dial {
    /// A `<Dial>` to `target` with Twilio's defaults.
    pub fn new(target: DialTarget) -> Self {
        Self {
            target,
            caller_id: None,
            timeout: None,
            record: None,
            action: None,
            answer_on_bridge: None,
        }
    }

    fn write(&self, out: &mut String) {
        Element::new("Dial")
            .attr("callerId", self.caller_id.as_deref())
            .attr("timeout", num(self.timeout))
            .attr("record", self.record.as_deref())
            .attr("action", self.action.as_deref())
            .attr("answerOnBridge", flag(self.answer_on_bridge))
            .children(out, |out| {
                let (noun, value) = match &self.target {
                    DialTarget::Number(v) => ("Number", v),
                    DialTarget::Sip(v) => ("Sip", v),
                    DialTarget::Client(v) => ("Client", v),
                    DialTarget::Conference(v) => ("Conference", v),
                };
                Element::new(noun).text(out, value);
            });
    }
}

/// `<Connect><Stream>`: a bidirectional media stream to our WebSocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectStream {
    /// The `wss://` endpoint.
    pub url: StreamUrl,
    /// Optional stream name.
    pub name: Option<String>,
    /// Where Twilio posts stream status events.
    pub status_callback: Option<String>,
    /// Per-call values delivered in `start.customParameters`.
    pub parameters: Vec<(String, String)>,
}

impl ConnectStream {
    /// A stream to `url` with no parameters.
    pub fn new(url: StreamUrl) -> Self {
        Self {
            url,
            name: None,
            status_callback: None,
            parameters: Vec::new(),
        }
    }

    /// Adds a `<Parameter name=… value=…/>`.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }

    fn write(&self, out: &mut String) {
        Element::new("Connect").children(out, |out| {
            Element::new("Stream")
                .attr("url", Some(self.url.as_str()))
                .attr("name", self.name.as_deref())
                .attr("statusCallback", self.status_callback.as_deref())
                .children(out, |out| {
                    for (name, value) in &self.parameters {
                        Element::new("Parameter")
                            .attr("name", Some(name.as_str()))
                            .attr("value", Some(value.as_str()))
                            .text(out, "");
                    }
                });
        });
    }
}

/// One instruction in a `<Response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `<Say>`.
    Say(Say),
    /// `<Play>`.
    Play(Play),
    /// `<Gather>`.
    Gather(Gather),
    /// `<Record>`.
    Record(Record),
    /// `<Dial>`.
    Dial(Dial),
    /// `<Connect><Stream>`.
    Connect(ConnectStream),
    /// `<Pause length=…/>`.
    Pause(u32),
    /// `<Hangup/>`.
    Hangup,
}

/// A TwiML voice `<Response>`.
///
/// ```
/// use cc_media::twilio::twiml::{ConnectStream, StreamUrl, Verb, VoiceResponse};
/// let url = StreamUrl::parse("wss://cc.example.com/media").unwrap();
/// let xml = VoiceResponse::new()
///     .verb(Verb::Connect(ConnectStream::new(url).parameter("tenant", "acme")))
///     .to_xml();
/// assert!(xml.ends_with(r#"<Response><Connect><Stream url="wss://cc.example.com/media"><Parameter name="tenant" value="acme"/></Stream></Connect></Response>"#));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoiceResponse {
    verbs: Vec<Verb>,
}

impl VoiceResponse {
    /// An empty response (Twilio hangs up after an empty response).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a verb.
    pub fn verb(mut self, verb: Verb) -> Self {
        self.verbs.push(verb);
        self
    }

    /// Renders the document, with the XML declaration.
    pub fn to_xml(&self) -> String {
        let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        Element::new("Response").children(&mut out, |out| {
            for verb in &self.verbs {
                match verb {
                    Verb::Say(v) => v.write(out),
                    Verb::Play(v) => v.write(out),
                    Verb::Gather(v) => v.write(out),
                    Verb::Record(v) => v.write(out),
                    Verb::Dial(v) => v.write(out),
                    Verb::Connect(v) => v.write(out),
                    Verb::Pause(length) => Element::new("Pause")
                        .attr("length", Some(length.to_string()))
                        .text(out, ""),
                    Verb::Hangup => Element::new("Hangup").text(out, ""),
                }
            }
        });
        out
    }
}

#[cfg(test)]
#[path = "twiml_tests.rs"]
mod tests;
