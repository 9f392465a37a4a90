//! HTTP middleware: request context and metrics, security headers, rate limits,
//! IP allow-lists and the audit trail.

pub mod audit;
pub mod ip_allow;
pub mod rate_limit;
pub mod request;

use actix_web::HttpRequest;
use actix_web::dev::ServiceRequest;
use std::net::IpAddr;

/// The client's address: the peer, or the first `X-Forwarded-For` hop when trusted.
pub fn client_ip(req: &HttpRequest, trust_forwarded: bool) -> Option<IpAddr> {
    if trust_forwarded {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// [`client_ip`] for a service request.
pub fn service_client_ip(req: &ServiceRequest, trust_forwarded: bool) -> Option<IpAddr> {
    client_ip(req.request(), trust_forwarded)
}
