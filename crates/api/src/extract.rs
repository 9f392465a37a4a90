//! Request extractors that turn raw input into validated DTOs or a problem+json answer:
//! 415 for a wrong content type, 413 for an oversized body, 400 for malformed JSON (or
//! JSON that is not an object) or query strings, 422 with per-field errors for well-formed input that breaks a rule
//! (including unknown enum values).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use cc_types::ErrorCode;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldIssue};

/// A JSON body, parsed and validated.
pub struct Json<T>(pub T);

/// A query string, parsed and validated.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .mime_type()
            .ok()
            .flatten()
            .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ErrorCode::UnsupportedMediaType.into());
            }
            let bytes = body.await.map_err(|e| {
                let too_large = e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
                ApiError::Client(if too_large {
                    ErrorCode::PayloadTooLarge
                } else {
                    ErrorCode::MalformedBody
                })
            })?;
            // Bodies are JSON objects, so they can grow; serde alone would also take an
            // array as a struct (`[null, null]`).
            if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                return Err(ApiError::Client(ErrorCode::MalformedBody));
            }
            let mut json: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|_| ErrorCode::MalformedBody)?;
            whole_numbers_as_integers(&mut json);
            let value: T = serde_path_to_error::deserialize(json).map_err(json_error)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(issues(&e)))?;
            Ok(Json(value))
        })
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()))
    }
}

fn parse_query<T: DeserializeOwned + Validate>(qs: &str) -> Result<Query<T>, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(qs));
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        if field.is_empty() || field == "." {
            ApiError::Client(ErrorCode::InvalidQuery)
        } else {
            ApiError::Validation(vec![FieldIssue::new(
                field,
                rule_of(&e.inner().to_string()),
            )])
        }
    })?;
    value
        .validate()
        .map_err(|e| ApiError::Validation(issues(&e)))?;
    Ok(Query(value))
}

/// JSON Schema counts `208.0` as an integer, as the document's `"type": "integer"` says;
/// serde would refuse it for a `u32`. Numbers with no fraction become integers.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn form_urlencoded_parse(qs: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(qs.as_bytes())
}

fn json_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let field = e.path().to_string();
    match e.inner().classify() {
        Category::Data if !field.is_empty() && field != "." => {
            ApiError::Validation(vec![FieldIssue::new(
                field,
                rule_of(&e.inner().to_string()),
            )])
        }
        Category::Data => match missing_field(&e.inner().to_string()) {
            Some(f) => ApiError::Validation(vec![FieldIssue::new(f, "required")]),
            None => ApiError::Client(ErrorCode::MalformedBody),
        },
        _ => ApiError::Client(ErrorCode::MalformedBody),
    }
}

fn rule_of(message: &str) -> &'static str {
    if message.starts_with("unknown variant") {
        "unknown_variant"
    } else if message.starts_with("missing field") {
        "required"
    } else {
        "invalid_type"
    }
}

fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// Flattens validator's errors into field issues (nested fields joined with dots).
pub fn issues(errors: &ValidationErrors) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldIssue>) {
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let bound = |k: &str| e.params.get(k).and_then(|v| v.as_i64());
                    out.push(FieldIssue {
                        field: name.clone(),
                        rule: e.code.to_string(),
                        min: bound("min"),
                        max: bound("max"),
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &name, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{name}[{i}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cc_types::users::UserListQuery;

    #[test]
    fn unknown_enum_in_query_names_the_field() {
        match parse_query::<UserListQuery>("role=janitor") {
            Err(ApiError::Validation(v)) => assert_eq!(
                (v[0].field.as_str(), v[0].rule.as_str()),
                ("role", "unknown_variant")
            ),
            _ => panic!("expected a validation error"),
        }
    }

    #[test]
    fn out_of_range_limit_carries_its_bounds() {
        match parse_query::<UserListQuery>("limit=9999") {
            Err(ApiError::Validation(v)) => assert_eq!((v[0].min, v[0].max), (Some(1), Some(500))),
            _ => panic!("expected a validation error"),
        }
    }
}
