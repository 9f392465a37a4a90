//! TwiML generation: the XML a voice webhook returns to tell Twilio what to do with a call.
//!
//! [`VoiceResponse`] is built verb by verb and rendered with [`VoiceResponse::to_xml`]. All
//! text and attribute values are XML-escaped, and characters XML 1.0 forbids are dropped, so
//! caller-supplied text (a customer name in a `<Say>`) cannot break or inject markup. The
//! bidirectional media stream URL is a [`StreamUrl`], which can only hold a `wss://` URL
//! without a query string, because Twilio rejects other schemes and strips queries (per-call
//! data goes in `<Parameter>`s instead).

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

mod verbs;
mod xml;

pub use verbs::{ConnectStream, Dial, DialTarget, Gather, Play, Prompt, Record, Say};
use xml::Element;

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
mod tests;
