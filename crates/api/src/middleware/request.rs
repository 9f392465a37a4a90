//! The outermost middleware: correlation id, language, request span and log line,
//! HTTP metrics, and security headers on every response.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use cc_types::Language;
use tracing::Instrument;
use uuid::Uuid;

use crate::telemetry::{RequestContext, with_context};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Accepts a caller's id when it is short and plain, so it cannot inject into logs.
fn caller_request_id(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get(&REQUEST_ID)?.to_str().ok()?;
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| v.to_owned())
}

/// Request context, span, metrics and headers.
pub async fn request_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = caller_request_id(&req).unwrap_or_else(|| Uuid::now_v7().to_string());
    let language = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Language::negotiate)
        .unwrap_or_default();
    let ctx = RequestContext {
        request_id: request_id.clone(),
        language,
    };
    req.extensions_mut().insert(ctx.clone());
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, route = %route);

    metrics::gauge!("http_requests_in_flight").increment(1.0);
    let started = Instant::now();
    let result = with_context(ctx, next.call(req))
        .instrument(span.clone())
        .await;
    metrics::gauge!("http_requests_in_flight").decrement(1.0);
    let mut res = result?;

    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    let labels = [
        ("method", method),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2]).record(elapsed);
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, latency_ms = elapsed * 1000.0, "request completed");
        } else {
            tracing::debug!(status, latency_ms = elapsed * 1000.0, "request completed");
        }
    });

    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(REQUEST_ID, v);
    }
    security_headers(headers);
    Ok(res)
}

/// The headers every response carries.
pub fn security_headers(h: &mut actix_web::http::header::HeaderMap) {
    let fixed: [(HeaderName, &'static str); 6] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), geolocation=(), microphone=(self)",
        ),
    ];
    for (name, value) in fixed {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
}
