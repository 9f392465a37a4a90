//! Stable error codes and the RFC 7807 problem body every failed request answers with.
//!
//! The server localizes `detail`; the web app may translate `code` itself.

use serde::{Deserialize, Serialize};

/// Every error the API can answer, as a flat, stable, `snake_case` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields failed validation; see `errors`.
    ValidationFailed,
    /// The body is not valid JSON or does not match the expected shape.
    MalformedBody,
    /// The body's content type is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// A query string parameter is missing or invalid.
    InvalidQuery,
    /// Nothing exists at this address for the caller's organization.
    NotFound,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// No credentials were sent.
    Unauthenticated,
    /// The token or API key is malformed, expired or unknown.
    InvalidToken,
    /// The token was revoked (logout, deactivation).
    TokenRevoked,
    /// Email or password is wrong.
    InvalidCredentials,
    /// The account is deactivated.
    AccountDisabled,
    /// The caller's role may not use this operation.
    Forbidden,
    /// The API key lacks the scope this operation needs.
    InsufficientScope,
    /// The caller's address is not on the allow-list of this route group.
    IpNotAllowed,
    /// Too many login attempts; wait for `Retry-After` seconds.
    LoginThrottled,
    /// Too many requests; wait for `Retry-After` seconds.
    RateLimited,
    /// The refresh token is unknown, expired or revoked.
    RefreshTokenInvalid,
    /// A refresh token was used twice; the whole session was revoked.
    RefreshTokenReused,
    /// Another user in the organization already has this email.
    EmailTaken,
    /// Another API key in the organization already has this name.
    NameTaken,
    /// The current password given is wrong.
    CurrentPasswordIncorrect,
    /// An admin cannot deactivate or demote their own account.
    CannotChangeOwnAccount,
    /// The WebSocket ticket is unknown, expired or already used.
    TicketInvalid,
    /// `GET /api/ws` without a valid WebSocket upgrade handshake (426).
    WebsocketUpgradeRequired,
    /// The caller may not subscribe to this topic.
    TopicForbidden,
    /// A dependency (database, Redis) is unreachable.
    ServiceUnavailable,
    /// The server is at capacity for this kind of work; retry after `Retry-After` seconds.
    ServerBusy,
    /// Too many open realtime connections for this user, or topics on one connection.
    TooManyConnections,
    /// An API key may only create keys whose role and scopes it holds itself.
    ApiKeyExceedsCaller,
    /// A team cannot move under itself or under a team below it (422).
    TeamCycle,
    /// The team has child teams (or members); say where they go with `move_to`. The
    /// problem's `conflicts` names them (409).
    TeamNotEmpty,
    /// The user already has an agent profile (409).
    AgentExists,
    /// Another agent of the organization has this extension (409).
    ExtensionTaken,
    /// Agents hold the skill; the problem's `conflicts` names them (409).
    SkillInUse,
    /// The user named (in the field given) exists but is not active or has a role that
    /// does not allow it: a manager must be a supervisor or admin, a profile is for an
    /// agent or supervisor (409).
    WrongRole,
    /// The agent state machine refuses this change in the current state; the problem's
    /// `transition` names both (409).
    InvalidTransition,
    /// Built-in not-ready reasons cannot be deleted (409).
    ReasonBuiltIn,
    /// The organization has as many of these as allowed (409).
    LimitReached,
    /// The agent has another shift at that time; the problem's `conflicts` names it (409).
    ShiftOverlap,
    /// The agent already has time off (pending or approved) then; `conflicts` names it (409).
    TimeOffOverlap,
    /// The request was decided or cancelled already (409).
    AlreadyDecided,
    /// Another day's forecast of the team (in another time zone) covers part of the day;
    /// `conflicts` names it (409).
    ForecastOverlap,
    /// Something failed on the server; the request id finds it in the logs.
    Internal,
}

impl ErrorCode {
    /// The wire name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::MalformedBody => "malformed_body",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::TokenRevoked => "token_revoked",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::IpNotAllowed => "ip_not_allowed",
            ErrorCode::LoginThrottled => "login_throttled",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::RefreshTokenInvalid => "refresh_token_invalid",
            ErrorCode::RefreshTokenReused => "refresh_token_reused",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::CurrentPasswordIncorrect => "current_password_incorrect",
            ErrorCode::CannotChangeOwnAccount => "cannot_change_own_account",
            ErrorCode::TicketInvalid => "ticket_invalid",
            ErrorCode::WebsocketUpgradeRequired => "websocket_upgrade_required",
            ErrorCode::TopicForbidden => "topic_forbidden",
            ErrorCode::ServerBusy => "server_busy",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::ApiKeyExceedsCaller => "api_key_exceeds_caller",
            ErrorCode::TeamCycle => "team_cycle",
            ErrorCode::TeamNotEmpty => "team_not_empty",
            ErrorCode::AgentExists => "agent_exists",
            ErrorCode::ExtensionTaken => "extension_taken",
            ErrorCode::SkillInUse => "skill_in_use",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::WrongRole => "wrong_role",
            ErrorCode::ReasonBuiltIn => "reason_built_in",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::ShiftOverlap => "shift_overlap",
            ErrorCode::TimeOffOverlap => "time_off_overlap",
            ErrorCode::AlreadyDecided => "already_decided",
            ErrorCode::ForecastOverlap => "forecast_overlap",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::Internal => "internal",
        }
    }
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's JSON name (`email`, `password`).
    pub field: String,
    /// The rule that failed (`email`, `length`, `required`, `unknown_variant`).
    pub code: String,
    /// A localized sentence for a person.
    pub message: String,
}

/// An RFC 7807 `application/problem+json` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the problem type (`urn:cc-lite:problem:<code>`).
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short English summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// A localized explanation for this occurrence.
    pub detail: String,
    /// The stable machine-readable code.
    pub code: ErrorCode,
    /// The correlation id of the request (also in `X-Request-Id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field validation errors, when `code` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The rows that stand in the way of a refused change (the child teams of a team
    /// being deleted), so a client can name them and offer what resolves it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// The state and the event of a refused state change (`invalid_transition`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<RefusedTransition>,
}

/// A state change the agent state machine refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedTransition {
    /// The state the agent is in (`not_ready`).
    pub state: String,
    /// The event refused (`log_in`).
    pub event: String,
}

/// A row that blocks a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    /// What it is: `team`, `agent`, `shift`.
    pub kind: String,
    /// Its id.
    pub id: uuid::Uuid,
    /// Its name, for people.
    pub name: String,
}
