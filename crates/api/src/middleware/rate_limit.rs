//! A fixed-window rate limit per client on `/api`: per principal when the request carries
//! a credential that verifies (so many users behind one NAT don't share a budget), else per
//! client address. A credential is verified before it is trusted as a key: an access
//! token by its signature (no IO, cached), an API key only once it has authenticated on
//! this instance. Unverified credentials count against their address, so sending a new
//! made-up token per request buys nothing. Counted by the
//! [`RateLimiter`](crate::rate_limit::RateLimiter) (which says how exactly the limit
//! holds across instances); when Redis is unreachable requests are let through and the
//! failure is logged, because refusing all traffic would be the worse outage.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::web;
use cc_types::ErrorCode;

use crate::auth::principal::credential;
use crate::error::problem_response;
use crate::rate_limit::{Client, Decision};
use crate::state::AppState;
use actix_web::HttpRequest;
use uuid::Uuid;

/// The rate-limit middleware.
pub async fn rate_limit_middleware(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(limiter) = &state.http.rate_limiter else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let client = verified_principal(&state, req.request())
        .map(Client::Principal)
        .unwrap_or_else(|| Client::ip(super::service_client_ip(&req, &state.infra.config)));
    let remaining = match limiter.check(client).await {
        Ok(Decision::Allowed { remaining }) => Some(remaining),
        Ok(Decision::Limited { retry_after }) => {
            metrics::counter!("http_rate_limited_total").increment(1);
            let mut res = problem_response(ErrorCode::RateLimited, &[]);
            let secs = retry_after.as_secs_f64().ceil().max(1.0) as u64;
            res.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
            return Ok(req.into_response(res).map_into_right_body());
        }
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "rate limiter unavailable; request allowed"
            );
            None
        }
    };
    let mut res = next.call(req).await?;
    if let Some(remaining) = remaining {
        res.headers_mut().insert(
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderValue::from(remaining),
        );
    }
    Ok(res.map_into_left_body())
}

/// The user or API key a request's credential proves, without IO.
fn verified_principal(state: &AppState, req: &HttpRequest) -> Option<Uuid> {
    let secret = credential(req)?;
    if crate::api_keys::service::looks_like_key(secret) {
        return crate::api_keys::service::known_key_id(state, secret);
    }
    state.auth.keys.verify(secret).map(|t| t.subject)
}
