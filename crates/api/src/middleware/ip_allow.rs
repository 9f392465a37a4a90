//! IP allow-lists per route group. The admin group is every route whose policy is
//! `AdminOnly` (checked in the `Auth` extractor) plus `/metrics`; the webhook group is
//! for the telephony callbacks. An empty list allows everyone.

use std::net::IpAddr;

use ipnet::IpNet;

/// True when `ip` may reach a group guarded by `nets`.
pub fn admits(nets: &[IpNet], ip: Option<IpAddr>) -> bool {
    nets.is_empty() || ip.is_some_and(|ip| nets.iter().any(|n| n.contains(&ip)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_networks_are_admitted() {
        let nets = vec![
            "10.0.0.0/8".parse().unwrap(),
            "127.0.0.1/32".parse().unwrap(),
        ];
        assert!(admits(&nets, Some("10.1.2.3".parse().unwrap())));
        assert!(admits(&nets, Some("127.0.0.1".parse().unwrap())));
        assert!(!admits(&nets, Some("192.168.1.1".parse().unwrap())));
        assert!(!admits(&nets, None));
        assert!(admits(&[], None));
    }
}
