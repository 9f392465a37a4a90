//! A fixed-window rate limit per client on `/api`: per credential when one is sent (so
//! many users behind one NAT don't share a budget), else per IP. Backed by the shared
//! [`Store`](crate::store::Store); when Redis is unreachable requests are let through
//! and the failure is logged, because refusing all traffic would be the worse outage.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::web;
use cc_types::ErrorCode;

use crate::auth::principal::credential;
use crate::auth::service::hash_secret;
use crate::error::problem_response;
use crate::startup::AppState;

const WINDOW_SECS: u64 = 60;

/// The rate-limit middleware.
pub async fn rate_limit_middleware(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let limit = u64::from(state.config.rate_limit_per_minute);
    if limit == 0 {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let key = match credential(req.request()) {
        Some(c) => format!("rl:cred:{}", &hash_secret(c)[..24]),
        None => format!(
            "rl:ip:{}",
            super::service_client_ip(&req, state.config.trust_forwarded)
                .map(|i| i.to_string())
                .unwrap_or_default()
        ),
    };
    let window = match state.store.hit(&key, WINDOW_SECS).await {
        Ok(w) => Some(w),
        Err(e) => {
            tracing::warn!(
                error = format!("{e:#}"),
                "rate limiter unavailable; request allowed"
            );
            None
        }
    };
    if let Some(w) = window.filter(|w| w.count > limit) {
        metrics::counter!("http_rate_limited_total").increment(1);
        let mut res = problem_response(ErrorCode::RateLimited, &[]);
        if let Ok(v) = HeaderValue::from_str(&w.ttl_secs.max(1).to_string()) {
            res.headers_mut().insert(RETRY_AFTER, v);
        }
        return Ok(req.into_response(res).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    if let Some(w) = window {
        let remaining = limit.saturating_sub(w.count);
        if let Ok(v) = HeaderValue::from_str(&remaining.to_string()) {
            res.headers_mut()
                .insert(HeaderName::from_static("x-ratelimit-remaining"), v);
        }
    }
    Ok(res.map_into_left_body())
}
