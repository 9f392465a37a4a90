//! Just enough TwiML reading for the fake Twilio caller: the `<Connect><Stream>` URL and its
//! `<Parameter>`s. This is a scanner for well-formed TwiML, not a general XML parser.

/// The stream a TwiML document asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamRequest {
    /// WebSocket URL.
    pub url: String,
    /// `<Parameter name value>` pairs in document order.
    pub parameters: Vec<(String, String)>,
}

fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in the tag text `tag` (`<Stream url="…" …`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(pos) = rest.find(name) {
        let before_ok = rest[..pos].ends_with(char::is_whitespace);
        let after = rest[pos + name.len()..].trim_start();
        if let Some(value) = after.strip_prefix('=').filter(|_| before_ok) {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(unescape(&value[1..=end]));
            }
        }
        rest = &rest[pos + name.len()..];
    }
    None
}

/// Finds `<Connect><Stream …>` in `twiml`, if any.
pub fn connect_stream(twiml: &str) -> Option<StreamRequest> {
    let connect = twiml.find("<Connect")?;
    let body = &twiml[connect..];
    let stream_at = body.find("<Stream")?;
    let stream = &body[stream_at..];
    let tag_end = stream.find('>')?;
    let url = attribute(&stream[..tag_end], "url")?;
    let close = stream.find("</Stream>").unwrap_or(tag_end);
    let mut parameters = Vec::new();
    let mut inner = &stream[..close.max(tag_end)];
    while let Some(p) = inner.find("<Parameter") {
        let tag = &inner[p..];
        let end = tag.find('>').unwrap_or(tag.len());
        if let (Some(name), Some(value)) = (
            attribute(&tag[..end], "name"),
            attribute(&tag[..end], "value"),
        ) {
            parameters.push((name, value));
        }
        inner = &tag[end..];
    }
    Some(StreamRequest { url, parameters })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use cc_media::twilio::twiml::{ConnectStream, Say, StreamUrl, Verb, VoiceResponse};

    use super::*;

    #[test]
    fn reads_what_cc_media_writes() {
        let stream = ConnectStream::new(StreamUrl::parse("wss://h/media").unwrap())
            .parameter("tenant", "a&b \"c\"")
            .parameter("call", "42");
        let xml = VoiceResponse::new()
            .verb(Verb::Say(Say::new("url=\"nope\"")))
            .verb(Verb::Connect(stream))
            .to_xml();
        let found = connect_stream(&xml).unwrap();
        assert_eq!(found.url, "wss://h/media");
        assert_eq!(
            found.parameters,
            vec![
                ("tenant".into(), "a&b \"c\"".into()),
                ("call".into(), "42".into())
            ]
        );
    }

    #[test]
    fn documents_without_a_stream_have_none() {
        assert_eq!(
            connect_stream("<Response><Say>Hi</Say><Hangup/></Response>"),
            None
        );
        assert_eq!(
            connect_stream("<Response><Connect><Stream name=\"x\"/></Connect></Response>"),
            None
        );
    }
}
