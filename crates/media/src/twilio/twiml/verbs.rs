//! The TwiML verbs a contact centre uses, each rendering itself with its attributes.

use super::StreamUrl;
use super::xml::{Element, flag, num};

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

    pub(super) fn write(&self, out: &mut String) {
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

    pub(super) fn write(&self, out: &mut String) {
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
    pub(super) fn write(&self, out: &mut String) {
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
    pub(super) fn write(&self, out: &mut String) {
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

    pub(super) fn write(&self, out: &mut String) {
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

    pub(super) fn write(&self, out: &mut String) {
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
