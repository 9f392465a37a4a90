//! Tokenizer and recursive-descent parser for flow expressions.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains` (list membership or substring)
    Contains,
    /// `&&`
    And,
    /// `||`
    Or,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// A text literal.
    Text(String),
    /// A number literal.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A variable.
    Var(String),
    /// `!e`
    Not(Box<Expr>),
    /// `l op r`
    Binary(Op, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Names of the variables the expression reads.
    pub fn variables(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Self::Var(name) => out.push(name),
            Self::Not(e) => e.collect(out),
            Self::Binary(_, l, r) => {
                l.collect(out);
                r.collect(out);
            }
            _ => {}
        }
    }
}

/// Why an expression does not parse; `at` is a character offset.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExprError {
    /// A character that starts no token.
    #[error("unexpected character {ch:?} at {at}")]
    UnexpectedChar {
        /// The character.
        ch: char,
        /// Where.
        at: usize,
    },
    /// A text literal without its closing quote.
    #[error("unterminated text starting at {0}")]
    UnterminatedText(usize),
    /// A token where another was expected.
    #[error("expected {expected} at {at}")]
    Expected {
        /// What was expected.
        expected: &'static str,
        /// Where.
        at: usize,
    },
    /// Input left after a complete expression.
    #[error("unexpected input at {0}")]
    Trailing(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Number(f64),
    Ident(String),
    Op(Op),
    Not,
    Open,
    Close,
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let next = chars.get(i + 1).copied();
        let tok = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '\'' | '"' => {
                let end = chars
                    .iter()
                    .skip(i + 1)
                    .position(|&d| d == c)
                    .ok_or(ExprError::UnterminatedText(i))?;
                let text = chars.iter().skip(i + 1).take(end).collect();
                i += end + 2;
                Tok::Text(text)
            }
            '(' | ')' => {
                i += 1;
                if c == '(' { Tok::Open } else { Tok::Close }
            }
            _ if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|d| d.is_ascii_digit() || *d == '.')
                {
                    i += 1;
                }
                let text: String = chars.iter().skip(start).take(i - start).collect();
                Tok::Number(
                    text.parse()
                        .map_err(|_| ExprError::UnexpectedChar { ch: c, at: start })?,
                )
            }
            _ if c.is_alphabetic() || c == '_' => {
                while chars
                    .get(i)
                    .is_some_and(|d| d.is_alphanumeric() || *d == '_' || *d == '.')
                {
                    i += 1;
                }
                let word: String = chars.iter().skip(start).take(i - start).collect();
                match word.as_str() {
                    "contains" => Tok::Op(Op::Contains),
                    _ => Tok::Ident(word),
                }
            }
            _ => {
                let (tok, len) = match (c, next) {
                    ('=', Some('=')) => (Tok::Op(Op::Eq), 2),
                    ('!', Some('=')) => (Tok::Op(Op::Ne), 2),
                    ('<', Some('=')) => (Tok::Op(Op::Le), 2),
                    ('>', Some('=')) => (Tok::Op(Op::Ge), 2),
                    ('&', Some('&')) => (Tok::Op(Op::And), 2),
                    ('|', Some('|')) => (Tok::Op(Op::Or), 2),
                    ('<', _) => (Tok::Op(Op::Lt), 1),
                    ('>', _) => (Tok::Op(Op::Gt), 1),
                    ('!', _) => (Tok::Not, 1),
                    _ => return Err(ExprError::UnexpectedChar { ch: c, at: i }),
                };
                i += len;
                tok
            }
        };
        out.push((tok, start));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |(_, at)| *at)
    }

    fn binary(&mut self, level: u8) -> Result<Expr, ExprError> {
        let mut left = if level == 2 {
            self.unary()?
        } else {
            self.binary(level + 1)?
        };
        loop {
            let op = match (level, self.peek()) {
                (0, Some(Tok::Op(Op::Or))) => Op::Or,
                (1, Some(Tok::Op(Op::And))) => Op::And,
                (2, Some(Tok::Op(op))) if !matches!(op, Op::And | Op::Or) => *op,
                _ => return Ok(left),
            };
            self.pos += 1;
            let right = if level == 2 {
                self.unary()?
            } else {
                self.binary(level + 1)?
            };
            left = Expr::Binary(op, Box::new(left), Box::new(right));
            if level == 2 {
                return Ok(left);
            }
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let at = self.at();
        let tok = self.toks.get(self.pos).map(|(t, _)| t.clone());
        self.pos += 1;
        match tok {
            Some(Tok::Text(s)) => Ok(Expr::Text(s)),
            Some(Tok::Number(n)) => Ok(Expr::Number(n)),
            Some(Tok::Ident(name)) => Ok(match name.as_str() {
                "true" => Expr::Bool(true),
                "false" => Expr::Bool(false),
                _ => Expr::Var(name),
            }),
            Some(Tok::Open) => {
                let inner = self.binary(0)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(ExprError::Expected {
                        expected: "')'",
                        at: self.at(),
                    });
                }
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(ExprError::Expected {
                expected: "a value",
                at,
            }),
        }
    }
}

/// Parses an expression.
///
/// ```
/// use cc_core::flow::expr::{parse, Expr};
/// let e = parse("tags contains 'vip' && !(sentiment < -0.5)").unwrap();
/// assert_eq!(e.variables(), vec!["tags", "sentiment"]);
/// assert!(parse("language == ").is_err());
/// ```
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let toks = tokenize(src)?;
    let mut parser = Parser {
        toks,
        pos: 0,
        len: src.chars().count(),
    };
    let expr = parser.binary(0)?;
    if parser.pos < parser.toks.len() {
        return Err(ExprError::Trailing(parser.at()));
    }
    Ok(expr)
}
