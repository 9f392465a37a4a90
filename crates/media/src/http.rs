//! Helpers shared by the provider REST clients.

/// Percent-encodes one URL path segment (everything but RFC 3986 unreserved characters), so
/// ids such as Telnyx's `v3:abc/def` cannot change the request path.
pub(crate) fn path_segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Joins a configured base URL and a path without doubling or dropping the slash.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_escaped_in_path_segments() {
        assert_eq!(path_segment("v3:Md-9_x.~"), "v3%3AMd-9_x.~");
        assert_eq!(path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(join("http://h/v2/", "/calls"), "http://h/v2/calls");
    }
}
