//! Who a rate-limit window belongs to.

use std::net::{IpAddr, Ipv6Addr};

use uuid::Uuid;

/// Who a window belongs to. Only a verified credential gets a window of its own; anything
/// else shares its address's, so that inventing credentials buys no budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    /// A verified user or API key, by id.
    Principal(Uuid),
    /// A client without a verified credential, by address (IPv6 by its /64, which one
    /// subscriber usually holds whole).
    Ip(Option<IpAddr>),
}

impl Client {
    /// The client at `ip`, IPv6 addresses reduced to their /64 network.
    pub fn ip(ip: Option<IpAddr>) -> Client {
        Client::Ip(ip.map(|ip| match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(
                    u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
                )),
            },
        }))
    }

    pub(super) fn store_key(&self) -> String {
        match self {
            Client::Principal(id) => format!("rl:p:{}", id.simple()),
            Client::Ip(ip) => format!("rl:ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
        }
    }
}
