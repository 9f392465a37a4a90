//! Evaluation of parsed expressions. Evaluation cannot fail: a comparison of values of
//! different kinds is false, and an unset variable is `Null`.

use serde::{Deserialize, Serialize};

use super::parse::{Expr, Op};

/// A variable's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// Not set.
    Null,
    /// True or false.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// A list of texts (customer tags).
    List(Vec<String>),
}

impl Value {
    /// Truthiness: false, 0, empty text, empty list and null are false.
    pub fn truthy(&self) -> bool {
        match self {
            Self::Null => false,
            Self::Bool(b) => *b,
            Self::Number(n) => *n != 0.0,
            Self::Text(s) => !s.is_empty(),
            Self::List(l) => !l.is_empty(),
        }
    }
}

/// Where variable values come from.
pub trait Scope {
    /// The value of a variable (`Value::Null` when unset).
    fn get(&self, name: &str) -> Value;
}

/// Evaluates an expression.
pub fn evaluate(expr: &Expr, scope: &dyn Scope) -> Value {
    match expr {
        Expr::Text(s) => Value::Text(s.clone()),
        Expr::Number(n) => Value::Number(*n),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Var(name) => scope.get(name),
        Expr::Not(e) => Value::Bool(!evaluate(e, scope).truthy()),
        Expr::Binary(Op::And, l, r) => {
            Value::Bool(evaluate(l, scope).truthy() && evaluate(r, scope).truthy())
        }
        Expr::Binary(Op::Or, l, r) => {
            Value::Bool(evaluate(l, scope).truthy() || evaluate(r, scope).truthy())
        }
        Expr::Binary(op, l, r) => {
            Value::Bool(compare(*op, &evaluate(l, scope), &evaluate(r, scope)))
        }
    }
}

fn compare(op: Op, l: &Value, r: &Value) -> bool {
    use std::cmp::Ordering;
    let order = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::List(a), Value::List(b)) if a == b => Some(Ordering::Equal),
        _ => None,
    };
    match op {
        Op::Eq => order == Some(Ordering::Equal),
        Op::Ne => order != Some(Ordering::Equal),
        Op::Lt => order == Some(Ordering::Less),
        Op::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => order == Some(Ordering::Greater),
        Op::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        Op::Contains => match (l, r) {
            (Value::List(items), Value::Text(t)) => items.contains(t),
            (Value::Text(s), Value::Text(t)) => s.contains(t.as_str()),
            _ => false,
        },
        Op::And | Op::Or => false,
    }
}
