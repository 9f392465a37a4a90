//! The condition language of call flows: a small, safe expression language over call
//! variables. Parsed once into a tree and evaluated against values; nothing is ever run as
//! code. Example: `language == 'cs' && (tags contains 'vip' || sentiment < -0.5)`.
//!
//! Grammar (lowest precedence first): `a || b`, `a && b`, `!a`, comparisons
//! `== != < <= > >= contains`, then literals (`'text'`, `"text"`, numbers, `true`,
//! `false`), variable names (letters, digits, `_`, `.`) and parentheses.

mod eval;
mod parse;

pub use eval::{Scope, Value, evaluate};
pub use parse::{Expr, ExprError, Op, parse};

/// Variables every call has without a node setting them.
pub const BUILTINS: &[&str] = &[
    "caller",
    "called",
    "language",
    "intent",
    "sentiment",
    "tags",
    "hour",
    "weekday",
    "business_hours",
];

#[cfg(test)]
mod tests;
