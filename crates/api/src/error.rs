//! The one error type of the API and its single mapping to RFC 7807 problem+json.
//! Internal details are logged with the request id and never sent to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use cc_types::{ErrorCode, FieldError, Language, Problem};

use crate::i18n;
use crate::telemetry::{RequestContext, request_context};

/// A field that failed a rule; rendered into a localized [`FieldError`].
#[derive(Debug, Clone, PartialEq)]
pub struct FieldIssue {
    /// JSON name of the field.
    pub field: String,
    /// The rule (`email`, `length`, `unknown_variant`, ...).
    pub rule: String,
    /// Lower bound, for `length` and `range`.
    pub min: Option<i64>,
    /// Upper bound, for `length` and `range`.
    pub max: Option<i64>,
}

impl FieldIssue {
    /// A field issue without bounds.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        FieldIssue {
            field: field.into(),
            rule: rule.into(),
            min: None,
            max: None,
        }
    }
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Fields failed validation (422).
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldIssue>),
    /// A client error fully described by its code.
    #[error("{}", .0.as_str())]
    Client(ErrorCode),
    /// Too many attempts, or the server is at capacity; retry after the given seconds
    /// (429, or 503 for `server_busy`).
    #[error("{} (retry after {retry_after}s)", code.as_str())]
    Throttled {
        /// `login_throttled` or `rate_limited`.
        code: ErrorCode,
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// A uniqueness rule on `field` was hit (409).
    #[error("conflict on {field}: {}", code.as_str())]
    Conflict {
        /// `email_taken`, `name_taken`.
        code: ErrorCode,
        /// The field that must change.
        field: &'static str,
    },
    /// A body names a row that does not exist for the caller (404 `not_found`, with the
    /// field in `errors`): another organization's rows answer exactly like missing ones.
    #[error("the row named by {0} was not found")]
    MissingReference(&'static str),
    /// Other rows stand in the way (409); they are named in the problem's `conflicts`.
    #[error("{} blocked by {} rows", code.as_str(), conflicts.len())]
    Blocked {
        /// `team_not_empty`.
        code: ErrorCode,
        /// What blocks the change.
        conflicts: Vec<cc_types::Conflict>,
    },
    /// The agent state machine refuses `event` in `state` (409 `invalid_transition`).
    #[error("{event} is not possible in {state}")]
    InvalidTransition {
        /// The current state.
        state: &'static str,
        /// The event refused.
        event: &'static str,
    },
    /// The route exists, not with this method (405); the methods it has, for `Allow`.
    #[error("method not allowed; allowed: {0}")]
    MethodNotAllowed(String),
    /// A dependency is down (503).
    #[error("unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// A bug or an unexpected failure (500).
    #[error("internal: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        match e {
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => {
                ApiError::Unavailable(e.into())
            }
            other => ApiError::Internal(anyhow::Error::new(other).context("database")),
        }
    }
}

impl From<crate::auth::password::PasswordError> for ApiError {
    fn from(e: crate::auth::password::PasswordError) -> Self {
        match e {
            crate::auth::password::PasswordError::Busy => ApiError::Throttled {
                code: ErrorCode::ServerBusy,
                retry_after: 1,
            },
            crate::auth::password::PasswordError::Other(e) => ApiError::Internal(e),
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::Client(code)
    }
}

/// Shorthand for handler and service results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::Client(c)
            | ApiError::Throttled { code: c, .. }
            | ApiError::Conflict { code: c, .. }
            | ApiError::Blocked { code: c, .. } => *c,
            ApiError::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            ApiError::MissingReference(_) => ErrorCode::NotFound,
            ApiError::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            ApiError::Unavailable(_) => ErrorCode::ServiceUnavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// The HTTP status that goes with a code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
        C::MalformedBody | C::InvalidQuery => StatusCode::BAD_REQUEST,
        C::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        C::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        C::NotFound => StatusCode::NOT_FOUND,
        C::WebsocketUpgradeRequired => StatusCode::UPGRADE_REQUIRED,
        C::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        C::Unauthenticated | C::InvalidToken | C::TokenRevoked | C::InvalidCredentials => {
            StatusCode::UNAUTHORIZED
        }
        C::RefreshTokenInvalid | C::RefreshTokenReused | C::TicketInvalid => {
            StatusCode::UNAUTHORIZED
        }
        C::AccountDisabled
        | C::Forbidden
        | C::InsufficientScope
        | C::IpNotAllowed
        | C::TopicForbidden => StatusCode::FORBIDDEN,
        C::CannotChangeOwnAccount => StatusCode::FORBIDDEN,
        C::LoginThrottled | C::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        C::EmailTaken | C::NameTaken => StatusCode::CONFLICT,
        C::CurrentPasswordIncorrect => StatusCode::FORBIDDEN,
        C::ServiceUnavailable | C::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
        C::TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
        C::ApiKeyExceedsCaller => StatusCode::FORBIDDEN,
        C::TeamCycle => StatusCode::UNPROCESSABLE_ENTITY,
        C::TeamNotEmpty
        | C::AgentExists
        | C::ExtensionTaken
        | C::SkillInUse
        | C::InvalidTransition
        | C::WrongRole
        | C::ReasonBuiltIn
        | C::LimitReached
        | C::ShiftOverlap
        | C::TimeOffOverlap
        | C::AlreadyDecided
        | C::ForecastOverlap => StatusCode::CONFLICT,
        C::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title_of(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("Error").to_owned()
}

/// Builds the problem body for `code` in the current request's language.
pub fn problem(code: ErrorCode, issues: &[FieldIssue]) -> Problem {
    problem_in(&request_context(), code, issues)
}

/// Builds the problem body for `code` for the request described by `ctx`.
pub fn problem_in(ctx: &RequestContext, code: ErrorCode, issues: &[FieldIssue]) -> Problem {
    let status = status_of(code);
    Problem {
        type_uri: format!("urn:cc-lite:problem:{}", code.as_str()),
        title: title_of(status),
        status: status.as_u16(),
        detail: i18n::detail(code, ctx.language).to_owned(),
        code,
        request_id: Some(ctx.request_id.clone()),
        errors: issues
            .iter()
            .map(|i| field_error(i, ctx.language))
            .collect(),
        conflicts: Vec::new(),
        transition: None,
    }
}

fn field_error(issue: &FieldIssue, lang: Language) -> FieldError {
    FieldError {
        field: issue.field.clone(),
        code: issue.rule.clone(),
        message: i18n::field_message(&issue.rule, lang, issue.min, issue.max),
    }
}

/// Renders a problem as an HTTP response with the right content type.
pub fn problem_response(code: ErrorCode, issues: &[FieldIssue]) -> HttpResponse {
    problem_response_in(&request_context(), code, issues)
}

/// [`problem_response`] for the request described by `ctx` (outside its task).
pub fn problem_response_in(
    ctx: &RequestContext,
    code: ErrorCode,
    issues: &[FieldIssue],
) -> HttpResponse {
    let body = problem_in(ctx, code, issues);
    let mut res = HttpResponse::build(status_of(code));
    res.content_type("application/problem+json");
    if status_of(code) == StatusCode::UNAUTHORIZED {
        res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    res.json(body)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.code())
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(e) => tracing::error!(error = format!("{e:#}"), "request failed"),
            ApiError::Unavailable(e) => {
                tracing::warn!(error = format!("{e:#}"), "dependency unavailable")
            }
            other => tracing::debug!(code = other.code().as_str(), "request refused"),
        }
        let mut res = match self {
            ApiError::Validation(issues) => problem_response(ErrorCode::ValidationFailed, issues),
            ApiError::Conflict { code, field } => {
                problem_response(*code, &[FieldIssue::new(*field, code.as_str())])
            }
            ApiError::MissingReference(field) => {
                problem_response(ErrorCode::NotFound, &[FieldIssue::new(*field, "not_found")])
            }
            ApiError::Blocked { code, conflicts } => {
                let mut body = problem(*code, &[]);
                body.conflicts.clone_from(conflicts);
                HttpResponse::build(status_of(*code))
                    .content_type("application/problem+json")
                    .json(body)
            }
            ApiError::InvalidTransition { state, event } => {
                let code = ErrorCode::InvalidTransition;
                let mut body = problem(code, &[]);
                body.detail = format!("{} ({state}: {event})", body.detail);
                body.transition = Some(cc_types::RefusedTransition {
                    state: (*state).to_owned(),
                    event: (*event).to_owned(),
                });
                HttpResponse::build(status_of(code))
                    .content_type("application/problem+json")
                    .json(body)
            }
            other => problem_response(other.code(), &[]),
        };
        if let ApiError::Throttled { retry_after, .. } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.max(&1).to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let ApiError::MethodNotAllowed(allowed) = self
            && let Ok(v) = HeaderValue::from_str(allowed)
        {
            res.headers_mut().insert(header::ALLOW, v);
        }
        res
    }
}
