//! Carrier-facing routes: telephony webhooks under `/webhooks/…` (Twilio and Telnyx
//! callbacks arrive with the live-calls work; their media WebSockets will sit beside them).
//! They live outside `/api` because their callers are carriers, not people: no per-request
//! audit row (a busy contact center gets thousands of callbacks a minute), no user rate
//! limit, a small body limit of their own, and the `CC_WEBHOOK_ALLOWLIST` applied to the
//! client address. A carrier signs the URL it called, so signatures are checked against
//! [`public_url`], built from `CC_PUBLIC_URL` — never from `Host` or forwarded headers,
//! which the caller controls.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use cc_types::ErrorCode;

use crate::config::Config;
use crate::error::problem_response;
use crate::middleware::ip_allow::admits;
use crate::state::AppState;

/// Largest webhook body accepted (carriers post small forms and JSON documents).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The URL a carrier was given for `path` (which starts with `/webhooks/`), as it will
/// sign it; `None` while `CC_PUBLIC_URL` is not configured.
pub fn public_url(config: &Config, path: &str) -> Option<String> {
    let base = config.public_url.as_deref()?;
    Some(format!("{}{path}", base.trim_end_matches('/')))
}

/// Admits only the webhook allow-list's addresses.
pub async fn webhook_guard(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let config = &state.infra.config;
    let ip = crate::middleware::service_client_ip(&req, config);
    if !admits(&config.webhook_allowlist, ip) {
        metrics::counter!("webhooks_refused_total", "reason" => "ip").increment(1);
        let res = problem_response(ErrorCode::IpNotAllowed, &[]);
        return Ok(req.into_response(res).map_into_right_body());
    }
    metrics::counter!("webhooks_received_total").increment(1);
    Ok(next.call(req).await?.map_into_left_body())
}

/// Registers the carrier routes (none yet: the telephony domain adds its own here).
pub fn configure(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_url_comes_from_configuration_only() {
        let mut config = Config::default();
        assert_eq!(public_url(&config, "/webhooks/twilio/voice"), None);
        config.public_url = Some("https://cc.example.com/".into());
        assert_eq!(
            public_url(&config, "/webhooks/twilio/voice").as_deref(),
            Some("https://cc.example.com/webhooks/twilio/voice")
        );
    }
}
