//! HTTP middleware: request context and metrics, security headers, rate limits,
//! IP allow-lists and the audit trail.

pub mod audit;
pub mod catch_panic;
pub mod ip_allow;
pub mod rate_limit;
pub mod request;

use actix_web::HttpRequest;
use actix_web::dev::ServiceRequest;
use std::net::IpAddr;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::rate_limit::RateLimiter;
use crate::state::Infra;

/// What the HTTP layer owns.
pub struct HttpState {
    /// The `/api` rate limit; `None` when disabled (a limit of 0).
    pub rate_limiter: Option<RateLimiter>,
    /// `METHOD /template` to operation id, for audit action names.
    pub operations: Arc<HashMap<String, String>>,
}

impl HttpState {
    /// The rate limiter of the configuration, and the operation names of `document`.
    pub fn new(infra: &Infra, operations: HashMap<String, String>) -> HttpState {
        let limit = infra.config.rate_limit_per_minute;
        HttpState {
            rate_limiter: (limit > 0).then(|| {
                RateLimiter::new(
                    Arc::clone(&infra.store),
                    u64::from(limit),
                    Duration::from_secs(60),
                )
                .with_clock(infra.clock.clone())
            }),
            operations: Arc::new(operations),
        }
    }

    /// The documented methods of the route `path` matches (`{param}` matches one
    /// segment; a route written out wins over one with a parameter there, as
    /// `/api/agents/me` over `/api/agents/{id}`), sorted; empty when no documented route
    /// has this path.
    pub fn allowed_methods(&self, path: &str) -> Vec<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        // Each matching route with how many of its segments are written out.
        let matching: Vec<(&str, usize)> = self
            .operations
            .keys()
            .filter_map(|route| route.split_once(' '))
            .filter_map(|(method, template)| {
                let parts: Vec<&str> = template.split('/').collect();
                let fits = parts.len() == segments.len()
                    && parts
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()));
                fits.then(|| (method, parts.iter().filter(|t| !t.starts_with('{')).count()))
            })
            .collect();
        let best = matching.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let mut methods: Vec<&str> = matching
            .into_iter()
            .filter(|(_, n)| *n == best)
            .map(|(method, _)| method)
            .collect();
        methods.sort_unstable();
        methods.dedup();
        methods
    }
}

/// The client's address: the peer, or with `CC_TRUST_FORWARDED` the rightmost
/// `X-Forwarded-For` hop that is not one of our proxies (`CC_TRUSTED_PROXIES`). Proxies
/// append, so everything left of the hop our own proxy added was written by the client
/// and proves nothing. With no proxies listed, the peer is the one proxy: its hop (the
/// rightmost) is the client. A peer that is not a listed proxy is the client itself.
pub fn client_ip(req: &HttpRequest, config: &Config) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    if !config.trust_forwarded {
        return peer;
    }
    let trusted = |ip: &IpAddr| config.trusted_proxies.iter().any(|n| n.contains(ip));
    if !config.trusted_proxies.is_empty() && !peer.is_some_and(|p| trusted(&p)) {
        return peer;
    }
    let hops: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) if trusted(&ip) => continue,
            Some(ip) => return Some(ip),
            // Garbage where a proxy should have written an address: not a client we can name.
            None => return peer,
        }
    }
    peer
}

/// An `X-Forwarded-For` element: an address, possibly with a port (`[v6]:port`, `v4:port`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip())
}

/// [`client_ip`] for a service request.
pub fn service_client_ip(req: &ServiceRequest, config: &Config) -> Option<IpAddr> {
    client_ip(req.request(), config)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn config(trust: bool, proxies: &[&str]) -> Config {
        Config {
            trust_forwarded: trust,
            trusted_proxies: proxies.iter().map(|p| p.parse().unwrap()).collect(),
            ..Config::default()
        }
    }

    fn from(peer: &str, xff: &[&str]) -> HttpRequest {
        let mut r = TestRequest::default().peer_addr(format!("{peer}:4000").parse().unwrap());
        for v in xff {
            r = r.append_header(("x-forwarded-for", *v));
        }
        r.to_http_request()
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let cfg = config(true, &["10.0.0.0/8"]);
        // The client wrote 1.1.1.1 itself; our proxy appended what it saw: 203.0.113.9.
        let req = from("10.0.0.2", &["1.1.1.1, 203.0.113.9, 10.0.0.7"]);
        assert_eq!(client_ip(&req, &cfg), ip("203.0.113.9"));
        let split = from("10.0.0.2", &["1.1.1.1", "203.0.113.9"]);
        assert_eq!(
            client_ip(&split, &cfg),
            ip("203.0.113.9"),
            "repeated headers join"
        );
    }

    #[test]
    fn without_listed_proxies_the_peer_is_the_proxy() {
        let cfg = config(true, &[]);
        let req = from("10.0.0.2", &["1.1.1.1, 198.51.100.4"]);
        assert_eq!(client_ip(&req, &cfg), ip("198.51.100.4"));
        assert_eq!(client_ip(&from("10.0.0.2", &[]), &cfg), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies_when_enabled() {
        let req = from("198.51.100.4", &["10.1.1.1"]);
        assert_eq!(client_ip(&req, &config(false, &[])), ip("198.51.100.4"));
        assert_eq!(
            client_ip(&req, &config(true, &["10.0.0.0/8"])),
            ip("198.51.100.4"),
            "a peer that is not our proxy cannot forward"
        );
        let garbage = from("10.0.0.2", &["1.1.1.1, not-an-ip"]);
        assert_eq!(
            client_ip(&garbage, &config(true, &["10.0.0.0/8"])),
            ip("10.0.0.2")
        );
        let ported = from("10.0.0.2", &["[2001:db8::1]:443"]);
        assert_eq!(client_ip(&ported, &config(true, &[])), ip("2001:db8::1"));
    }
}
