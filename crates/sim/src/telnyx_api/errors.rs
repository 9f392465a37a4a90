//! Telnyx's error envelope, `{"errors":[{"code","title","detail","source"}]}`, with the codes
//! from Telnyx's API error reference (10004 missing parameter, 10005 not found, 10009
//! authentication, 10015 bad request) and 90018 for a command on a call that has ended.

use serde_json::json;

use crate::http::Response;

/// A refusal the fake sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No or wrong bearer key (401, 10009).
    Unauthorized,
    /// Unknown path or call (404, 10005).
    NotFound(String),
    /// The body is not a JSON object (400, 10015).
    BadRequest(String),
    /// A required field is absent (422, 10004); the field name.
    Missing(&'static str),
    /// A field has an unusable value (422, 10015).
    Invalid(&'static str, String),
    /// The call is over (422, 90018).
    CallEnded,
}

impl ApiError {
    /// The HTTP response Telnyx would send.
    pub fn response(&self) -> Response {
        let (status, code, title, detail, pointer) = match self {
            Self::Unauthorized => (
                401,
                "10009",
                "Authentication failed",
                "The required authentication headers were either invalid or not included in the request.".to_owned(),
                None,
            ),
            Self::NotFound(what) => (404, "10005", "Resource not found", what.clone(), None),
            Self::BadRequest(why) => (400, "10015", "Bad Request", why.clone(), None),
            Self::Missing(field) => (
                422,
                "10004",
                "Missing required parameter",
                format!("The '{field}' parameter is required."),
                Some(*field),
            ),
            Self::Invalid(field, why) => (422, "10015", "Bad Request", why.clone(), Some(*field)),
            Self::CallEnded => (
                422,
                "90018",
                "Call has already ended",
                "This call is no longer active and can't receive commands.".to_owned(),
                None,
            ),
        };
        let mut error = json!({"code": code, "title": title, "detail": detail});
        if let Some(field) = pointer {
            error["source"] = json!({"pointer": format!("/{field}")});
        }
        Response::json(status, &json!({"errors": [error]}))
    }
}
