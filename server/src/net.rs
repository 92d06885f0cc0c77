//! Client addresses: address ranges (`10.1.0.0/16`, `2001:db8::/32`, a bare address), and the
//! real client address of a request: the peer, or, when the peer is a configured trusted proxy,
//! the right-most `X-Forwarded-For` entry that is not itself a trusted proxy. A header from
//! anyone else is ignored, so a client cannot choose the address the audit trail records.

use axum::http::HeaderMap;
use std::net::IpAddr;
use std::str::FromStr;

/// An address range in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for IpRange {
    type Err = String;
    fn from_str(s: &str) -> Result<IpRange, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("'{s}' is not an address or an address range"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}': the prefix length must be 0 to {max}"))?,
            None => max,
        };
        Ok(IpRange { net, prefix })
    }
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(
                u128::from(n.to_bits()),
                u128::from(a.to_bits()),
                32,
                self.prefix,
            ),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(n.to_bits(), a.to_bits(), 128, self.prefix),
            _ => false,
        }
    }
}

fn prefix_eq(net: u128, addr: u128, width: u32, prefix: u8) -> bool {
    let prefix = u32::from(prefix);
    if prefix == 0 {
        return true;
    }
    let shift = width - prefix;
    (net >> shift) == (addr >> shift)
}

/// An IPv4 address reached over IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Parses a comma-separated list of ranges (an empty list is allowed).
pub fn parse_ranges(list: &str) -> Result<Vec<IpRange>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(IpRange::from_str)
        .collect()
}

pub fn in_any(ranges: &[IpRange], ip: IpAddr) -> bool {
    ranges.iter().any(|r| r.contains(ip))
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
/// forwarded address that is not a trusted proxy (entries left of it could be forged by the
/// client). A malformed header from a trusted proxy leaves the proxy's own address.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> IpAddr {
    let peer = canonical(peer);
    if !in_any(trusted, peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        let Ok(ip) = entry.parse::<IpAddr>().map(canonical) else {
            return client;
        };
        client = ip;
        if !in_any(trusted, ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn ranges_contain_what_their_prefix_says() -> Result<(), String> {
        let r: IpRange = "10.1.0.0/16".parse()?;
        assert!(r.contains(ip("10.1.255.3")));
        assert!(!r.contains(ip("10.2.0.1")));
        assert!(r.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped");
        let one: IpRange = "192.168.5.7".parse()?;
        assert!(one.contains(ip("192.168.5.7")));
        assert!(!one.contains(ip("192.168.5.8")));
        let v6: IpRange = "2001:db8::/32".parse()?;
        assert!(v6.contains(ip("2001:db8:1::5")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.1.0.1")));
        let all: IpRange = "0.0.0.0/0".parse()?;
        assert!(all.contains(ip("8.8.8.8")));
        let edge: IpRange = "10.0.0.0/31".parse()?;
        assert!(edge.contains(ip("10.0.0.1")) && !edge.contains(ip("10.0.0.2")));
        for bad in ["10.0.0.0/33", "10.0.0/8", "x", "::/129", "10.0.0.0/-1"] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
        assert_eq!(parse_ranges(" 10.0.0.0/8 , ::1 ,")?.len(), 2);
        assert_eq!(parse_ranges("")?, vec![]);
        Ok(())
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() -> Result<(), String> {
        let trusted = parse_ranges("10.0.0.5, 10.0.0.6")?;
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.6"),
        );
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &trusted),
            ip("198.51.100.1"),
            "a client cannot claim an address"
        );
        assert_eq!(
            client_address(ip("10.0.0.5"), &h, &trusted),
            ip("203.0.113.9"),
            "the right-most untrusted hop, not the forgeable left-most"
        );
        let empty = HeaderMap::new();
        assert_eq!(
            client_address(ip("10.0.0.5"), &empty, &trusted),
            ip("10.0.0.5")
        );
        let mut junk = HeaderMap::new();
        junk.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, garbage"),
        );
        assert_eq!(
            client_address(ip("10.0.0.5"), &junk, &trusted),
            ip("10.0.0.5"),
            "a malformed hop stops the walk"
        );
        Ok(())
    }
}
