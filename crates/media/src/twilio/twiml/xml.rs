//! Minimal XML writing for TwiML: escaping and elements with ordered attributes.

use std::fmt::Write as _;

/// Writes `text` escaped for XML content or a double-quoted attribute.
pub(super) fn escape_into(out: &mut String, text: &str) {
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
pub(super) struct Element<'a> {
    name: &'static str,
    attrs: Vec<(&'static str, std::borrow::Cow<'a, str>)>,
}

impl<'a> Element<'a> {
    pub(super) fn new(name: &'static str) -> Self {
        Self {
            name,
            attrs: Vec::new(),
        }
    }

    pub(super) fn attr(
        mut self,
        key: &'static str,
        value: Option<impl Into<std::borrow::Cow<'a, str>>>,
    ) -> Self {
        if let Some(v) = value {
            self.attrs.push((key, v.into()));
        }
        self
    }

    pub(super) fn open(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"");
            escape_into(out, v);
            out.push('"');
        }
    }

    /// `<name attrs>text</name>`, or `<name attrs/>` for empty text.
    pub(super) fn text(&self, out: &mut String, text: &str) {
        self.open(out);
        if text.is_empty() {
            out.push_str("/>");
        } else {
            out.push('>');
            escape_into(out, text);
            let _ = write!(out, "</{}>", self.name);
        }
    }

    pub(super) fn children(&self, out: &mut String, body: impl FnOnce(&mut String)) {
        self.open(out);
        out.push('>');
        body(out);
        let _ = write!(out, "</{}>", self.name);
    }
}

pub(super) fn num(n: Option<u32>) -> Option<String> {
    n.map(|n| n.to_string())
}

pub(super) fn flag(b: Option<bool>) -> Option<&'static str> {
    b.map(|b| if b { "true" } else { "false" })
}
