//! A small CSV reader (RFC 4180): fields separated by commas or semicolons (whichever the
//! header uses), optionally quoted with `""` for a quote inside, lines ended by LF or
//! CRLF, a UTF-8 byte-order mark skipped. Blank lines are skipped; their numbers still count.

/// A line's fields, with its line number in the file (from 1).
pub type Line = (u32, Vec<String>);

/// Why the text is not CSV: a quote left open, from the line given.
#[derive(Debug, PartialEq, Eq)]
pub struct OpenQuote(pub u32);

fn separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    if header.contains(';') && !header.contains(',') {
        ';'
    } else {
        ','
    }
}

/// The lines of `text`.
pub fn read(text: &str) -> Result<Vec<Line>, OpenQuote> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sep = separator(text);
    let mut lines = Vec::new();
    let (mut fields, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut line, mut start) = (false, 1_u32, 1_u32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, '\n') => {
                line += 1;
                field.push('\n');
            }
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, c) if c == sep => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                push(&mut lines, start, std::mem::take(&mut fields));
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(OpenQuote(start));
    }
    fields.push(field);
    push(&mut lines, start, fields);
    Ok(lines)
}

fn push(lines: &mut Vec<Line>, at: u32, fields: Vec<String>) {
    let blank = fields.iter().all(|f| f.trim().is_empty());
    if !blank {
        lines.push((at, fields));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_quotes_separators_line_ends_and_a_byte_order_mark() {
        let text =
            "\u{feff}email,name\r\na@x.cz,\"Nováková, Jana\"\r\n\r\nb@x.cz,\"say \"\"hi\"\"\"\n";
        let lines = read(text).unwrap();
        assert_eq!(lines[0], (1, vec!["email".into(), "name".into()]));
        assert_eq!(
            lines[1],
            (2, vec!["a@x.cz".into(), "Nováková, Jana".into()])
        );
        assert_eq!(lines[2], (4, vec!["b@x.cz".into(), "say \"hi\"".into()]));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn semicolons_when_the_header_uses_them_and_newlines_inside_quotes() {
        let lines = read("email;name\na@x.cz;\"two\nlines\"\nb@x.cz;B").unwrap();
        assert_eq!(lines[1].1, vec!["a@x.cz", "two\nlines"]);
        assert_eq!(lines[2], (4, vec!["b@x.cz".into(), "B".into()]));
    }

    #[test]
    fn an_open_quote_names_its_line() {
        assert_eq!(read("email\n\"a@x.cz\nb"), Err(OpenQuote(2)));
    }
}
