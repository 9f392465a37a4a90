//! TwiML rendering tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

#[test]
fn connect_stream_matches_the_documented_document() {
    let stream = ConnectStream::new(StreamUrl::parse("wss://example.com/media-stream").unwrap())
        .parameter("tenant", "acme")
        .parameter("callToken", "abc123");
    let xml = VoiceResponse::new().verb(Verb::Connect(stream)).to_xml();
    assert_eq!(
        xml,
        format!(
            "{DECL}<Response><Connect><Stream url=\"wss://example.com/media-stream\"><Parameter name=\"tenant\" value=\"acme\"/><Parameter name=\"callToken\" value=\"abc123\"/></Stream></Connect></Response>"
        )
    );
}

#[test]
fn stream_urls_must_be_wss_without_query() {
    assert!(matches!(
        StreamUrl::parse("https://example.com/s"),
        Err(TwimlError::StreamScheme(_))
    ));
    assert!(matches!(
        StreamUrl::parse("wss://"),
        Err(TwimlError::StreamScheme(_))
    ));
    assert!(matches!(
        StreamUrl::parse("wss://example.com/s?tenant=a"),
        Err(TwimlError::StreamQuery(_))
    ));
    assert!(matches!(
        StreamUrl::parse("wss://example.com/s#x"),
        Err(TwimlError::StreamQuery(_))
    ));
}

#[test]
fn text_and_attributes_are_escaped() {
    let mut say = Say::new(r#"Tom & Jerry <b>"hi"</b> it's"#);
    say.voice = Some(r#"a"b"#.into());
    let stream =
        ConnectStream::new(StreamUrl::parse("wss://h/s").unwrap()).parameter("n", "<&\"'>");
    let xml = VoiceResponse::new()
        .verb(Verb::Say(say))
        .verb(Verb::Connect(stream))
        .to_xml();
    assert!(xml.contains(r#"<Say voice="a&quot;b">Tom &amp; Jerry &lt;b&gt;&quot;hi&quot;&lt;/b&gt; it&apos;s</Say>"#), "{xml}");
    assert!(
        xml.contains(r#"<Parameter name="n" value="&lt;&amp;&quot;&apos;&gt;"/>"#),
        "{xml}"
    );
}

#[test]
fn characters_forbidden_in_xml_are_dropped() {
    let xml = VoiceResponse::new()
        .verb(Verb::Say(Say::new("a\u{0}b\u{7}c\nd")))
        .to_xml();
    assert!(xml.contains("<Say>abc\nd</Say>"), "{xml}");
}

#[test]
fn every_verb_renders_with_its_attributes() {
    let gather = Gather {
        input: Some("dtmf speech".into()),
        action: Some("/ivr?step=1&x=2".into()),
        num_digits: Some(1),
        timeout: Some(5),
        prompts: vec![
            Prompt::Say(Say {
                language: Some("es-ES".into()),
                ..Say::new("Pulse uno")
            }),
            Prompt::Play(Play::new("https://h/a.wav")),
        ],
        ..Gather::default()
    };
    let record = Record {
        max_length: Some(120),
        play_beep: Some(true),
        action: Some("/vm".into()),
        ..Record::default()
    };
    let mut dial = Dial::new(DialTarget::Number("+420123456789".into()));
    dial.caller_id = Some("+18005551212".into());
    dial.answer_on_bridge = Some(true);
    let xml = VoiceResponse::new()
        .verb(Verb::Gather(gather))
        .verb(Verb::Play(Play {
            digits: Some("1w2".into()),
            ..Play::default()
        }))
        .verb(Verb::Record(record))
        .verb(Verb::Dial(dial))
        .verb(Verb::Dial(Dial::new(DialTarget::Client("agent-7".into()))))
        .verb(Verb::Pause(2))
        .verb(Verb::Hangup)
        .to_xml();
    let expected = concat!(
        r#"<Response>"#,
        r#"<Gather input="dtmf speech" action="/ivr?step=1&amp;x=2" timeout="5" numDigits="1">"#,
        r#"<Say language="es-ES">Pulse uno</Say><Play>https://h/a.wav</Play></Gather>"#,
        r#"<Play digits="1w2"/>"#,
        r#"<Record action="/vm" maxLength="120" playBeep="true"/>"#,
        r#"<Dial callerId="+18005551212" answerOnBridge="true"><Number>+420123456789</Number></Dial>"#,
        r#"<Dial><Client>agent-7</Client></Dial>"#,
        r#"<Pause length="2"/><Hangup/></Response>"#
    );
    assert_eq!(xml, format!("{DECL}{expected}"));
}

#[test]
fn an_empty_response_is_well_formed() {
    assert_eq!(
        VoiceResponse::new().to_xml(),
        format!("{DECL}<Response></Response>")
    );
}
