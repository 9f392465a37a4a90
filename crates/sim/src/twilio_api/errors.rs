//! Twilio's REST error body, `{"code","message","more_info","status"}`, with Twilio's codes:
//! 20003 authentication, 20404 not found, 21201/21213/21205 missing `To`/`From`/`Url`,
//! 21220 a call that is no longer in progress, 20001 an invalid parameter.

use serde_json::json;

use crate::http::Response;

/// A refusal the fake sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// Wrong or missing Basic credentials (401, 20003).
    Unauthorized,
    /// Unknown account, call or route (404, 20404).
    NotFound,
    /// A required parameter is absent (400).
    Missing {
        /// Twilio's code for that parameter.
        code: u32,
        /// Its message.
        message: &'static str,
    },
    /// A parameter has an unusable value (400, 20001).
    Invalid(String),
    /// The call has ended (400, 21220).
    NotInProgress,
}

impl ApiError {
    /// The HTTP response Twilio would send.
    pub fn response(&self) -> Response {
        let (status, code, message) = match self {
            Self::Unauthorized => (401, 20003, "Authenticate".to_owned()),
            Self::NotFound => (
                404,
                20404,
                "The requested resource was not found".to_owned(),
            ),
            Self::Missing { code, message } => (400, *code, (*message).to_owned()),
            Self::Invalid(why) => (400, 20001, why.clone()),
            Self::NotInProgress => (
                400,
                21220,
                "Call is not in-progress. Cannot redirect or record.".to_owned(),
            ),
        };
        let mut response = Response::json(
            status,
            &json!({"code": code, "message": message,
                    "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status}),
        );
        if status == 401 {
            response
                .headers
                .push(("WWW-Authenticate", "Basic realm=\"Twilio API\"".to_owned()));
        }
        response
    }
}
