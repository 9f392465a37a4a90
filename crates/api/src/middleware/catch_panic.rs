//! Turns a panic anywhere below it into a 500 problem for that one request. Without it a
//! panicking handler takes its worker thread down, and every connection on that worker
//! with it.
//!
//! The request itself is gone once the panic unwinds through routing (and cannot be
//! cloned before routing), so the answer is an error rendered from the request's context
//! captured on the way in: same request id, language and headers as any other problem.

use std::panic::AssertUnwindSafe;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use cc_types::ErrorCode;
use futures_util::FutureExt;

use crate::error::problem_response_in;
use crate::telemetry::{RequestContext, request_context};

/// A handler panicked while serving the request described by the context.
#[derive(Debug)]
pub struct Panicked(RequestContext);

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "request {} panicked", self.0.request_id)
    }
}

impl ResponseError for Panicked {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = problem_response_in(&self.0, ErrorCode::Internal, &[]);
        let headers = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.0.request_id) {
            headers.insert(HeaderName::from_static("x-request-id"), v);
        }
        super::request::security_headers(headers);
        res
    }
}

/// The panic-catching middleware.
pub async fn catch_panic_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let ctx = req
        .extensions()
        .get::<RequestContext>()
        .cloned()
        .unwrap_or_else(request_context);
    let path = req.path().to_owned();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(res) => res,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, %path, request_id = %ctx.request_id, "request handler panicked");
            metrics::counter!("http_panics_total").increment(1);
            Err(Panicked(ctx).into())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_and_the_worker_keeps_serving() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panic_middleware))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        if std::hint::black_box(true) {
                            panic!("offset out of range");
                        }
                        HttpResponse::Ok().finish()
                    }),
                )
                .route("/ok", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let boom = test::TestRequest::get().uri("/boom").to_request();
        // The server renders a middleware's error as the response, as here.
        let res = match test::try_call_service(&app, boom).await {
            Err(e) => e.error_response(),
            Ok(res) => panic!("expected an error, got {}", res.status()),
        };
        assert_eq!(res.status(), 500);
        let ct = res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(ct, "application/problem+json");
        assert!(res.headers().contains_key("x-request-id"));
        let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["code"], "internal");
        let res = test::call_service(&app, test::TestRequest::get().uri("/ok").to_request()).await;
        assert_eq!(res.status(), 200);
    }
}
