#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use super::*;

struct Vars(BTreeMap<&'static str, Value>);

impl Scope for Vars {
    fn get(&self, name: &str) -> Value {
        self.0.get(name).cloned().unwrap_or(Value::Null)
    }
}

fn vars() -> Vars {
    Vars(BTreeMap::from([
        ("language", Value::Text("cs".into())),
        ("tags", Value::List(vec!["vip".into(), "b2b".into()])),
        ("sentiment", Value::Number(-0.7)),
        ("caller", Value::Text("+420601000000".into())),
    ]))
}

#[test]
fn expressions_evaluate_as_written() {
    let cases = [
        ("language == 'cs'", true),
        ("language != \"cs\"", false),
        ("tags contains 'vip' && sentiment < -0.5", true),
        ("tags contains 'gold' || !(sentiment >= 0)", true),
        ("caller contains '+420'", true),
        ("sentiment > 1 || false", false),
        ("unknown == 'x'", false),
        ("!unknown", true),
        ("1 <= 1 && 2 > 1 && 'b' > 'a'", true),
        ("language == 1", false),
        ("true && (false || true)", true),
    ];
    for (src, want) in cases {
        let expr = parse(src).unwrap();
        assert_eq!(evaluate(&expr, &vars()).truthy(), want, "{src}");
    }
}

#[test]
fn precedence_is_not_then_comparison_then_and_then_or() {
    let expr = parse("a == 'x' || b == 'y' && c == 'z'").unwrap();
    let Expr::Binary(Op::Or, _, right) = expr else {
        panic!("|| binds loosest")
    };
    assert!(matches!(*right, Expr::Binary(Op::And, _, _)));
}

#[test]
fn malformed_expressions_are_reported_with_a_position() {
    assert_eq!(
        parse("language == "),
        Err(ExprError::Expected {
            expected: "a value",
            at: 12
        })
    );
    assert_eq!(parse("'open"), Err(ExprError::UnterminatedText(0)));
    assert_eq!(
        parse("a = b"),
        Err(ExprError::UnexpectedChar { ch: '=', at: 2 })
    );
    assert_eq!(
        parse("(a == b"),
        Err(ExprError::Expected {
            expected: "')'",
            at: 7
        })
    );
    assert_eq!(parse("a b"), Err(ExprError::Trailing(2)));
    assert!(parse("a == 'b' ; drop").is_err());
}
