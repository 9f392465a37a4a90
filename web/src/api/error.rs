//! What can go wrong when the app talks to the API, as one typed error.

use cc_types::{ErrorCode, FieldError, Problem};

/// A failed API call.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (server down, network lost).
    Network,
    /// The server answered with an RFC 7807 problem.
    Problem(Problem),
    /// Too many attempts: the problem and the seconds to wait (`Retry-After`).
    Throttled(Problem, u32),
    /// The session is over (refresh refused); the app returns to the login form.
    SessionExpired,
    /// The answer was not what the API document promises.
    Unexpected(String),
}

impl ApiError {
    /// The problem's stable code, when the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(p) | ApiError::Throttled(p, _) => Some(p.code),
            _ => None,
        }
    }

    /// Field errors of a `validation_failed` problem.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Problem(p) => &p.errors,
            _ => &[],
        }
    }

    /// The server's localized sentence, for problems; `None` for the other kinds, which
    /// the view translates itself.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ApiError::Problem(p) | ApiError::Throttled(p, _) => Some(&p.detail),
            _ => None,
        }
    }
}
