//! The error answers an operation can give because of how it is built, written into the
//! document from its shape rather than listed by hand on every handler:
//!
//! | the operation has…                        | it can answer        | from                          |
//! |-------------------------------------------|----------------------|-------------------------------|
//! | a policy (`Auth<P>`)                      | 401, 403             | the auth extractor            |
//! | a path under `/api`                       | 429                  | the rate limiter on `/api`    |
//! | a path parameter                          | 404                  | `Path` (malformed → 404) and the lookup scoped by organization |
//! | a JSON request body (`extract::Json`)     | 400, 413, 415, 422   | the body extractor            |
//! | query parameters (`extract::Query`)       | 400, 422             | the query extractor           |
//!
//! A handler still lists what its own logic answers (409 on a duplicate, 401 for a wrong
//! password); an answer it lists keeps its description. The `statuses` integration test
//! provokes each derived answer on every operation and checks the document lists it.

use std::collections::HashMap;

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use crate::auth::Access;

/// The derived answers of one operation, with their descriptions.
pub fn derived_statuses(path: &str, op: &Operation, secured: bool) -> Vec<(u16, &'static str)> {
    let mut out = Vec::new();
    if secured {
        out.push((401, "Credentials missing, invalid or revoked"));
        out.push((403, "Role, API key scope or network not allowed"));
    }
    if path.starts_with("/api/") {
        out.push((429, "Too many requests; see Retry-After"));
    }
    let has = |place: ParameterIn| {
        op.parameters
            .iter()
            .flatten()
            .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
    };
    if has(ParameterIn::Path) {
        out.push((
            404,
            "Not found in your organization (also for another organization's ids)",
        ));
    }
    let body = op.request_body.is_some();
    if body || has(ParameterIn::Query) {
        out.push((400, "Malformed JSON or query string"));
        out.push((422, "Validation failed; see `errors`"));
    }
    if body {
        out.push((413, "Body too large"));
        out.push((415, "Content type is not application/json"));
    }
    out.sort_unstable();
    out
}

/// Writes every operation's derived error answers as `application/problem+json`.
pub fn apply_error_responses(doc: &mut utoipa::openapi::OpenApi, policies: &HashMap<&str, Access>) {
    for (path, op) in super::operations_mut(doc) {
        {
            let secured = op
                .operation_id
                .as_deref()
                .is_some_and(|id| policies.contains_key(id));
            for (status, description) in derived_statuses(path, op, secured) {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description));
            }
        }
    }
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}
