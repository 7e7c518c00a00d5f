//! Where a URL points, and whether the proxy may go there.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use hyper::Uri;

/// The host of a URL: an IP literal is never looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Host {
    Ip(IpAddr),
    Name(String),
}

/// A parsed `http(s)://host[:port][/prefix]` URL.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub https: bool,
    pub host: Host,
    pub port: u16,
    /// `host[:port]` as written, for the `Host` header.
    pub authority: String,
    /// The path prefix without a trailing `/` (empty for none).
    pub prefix: String,
}

impl Endpoint {
    /// Parses a URL whose scheme is one of `schemes` (`"http"`, `"https"`).
    pub fn parse(text: &str, schemes: &[&str]) -> Result<Self, String> {
        let uri: Uri = text.parse().map_err(|e| format!("'{text}' is not a URL ({e})"))?;
        let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
        if !schemes.contains(&scheme.as_str()) {
            return Err(format!("'{text}' is not an {} URL", schemes.join(" or ")));
        }
        let authority = uri.authority().ok_or_else(|| format!("'{text}' has no host"))?;
        if authority.as_str().contains('@') {
            return Err(format!("'{text}' carries user information"));
        }
        let host = authority.host();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let host = match bare.parse::<IpAddr>() {
            Ok(ip) => Host::Ip(ip),
            Err(_) if !bare.is_empty() => Host::Name(bare.to_ascii_lowercase()),
            Err(_) => return Err(format!("'{text}' has no host")),
        };
        let https = scheme == "https";
        Ok(Self {
            https,
            host,
            port: authority.port_u16().unwrap_or(if https { 443 } else { 80 }),
            authority: authority.as_str().to_owned(),
            prefix: uri.path().trim_end_matches('/').to_owned(),
        })
    }

    /// Every address of the host: the literal, or all that DNS returns.
    pub async fn resolve(&self) -> std::io::Result<Vec<SocketAddr>> {
        match &self.host {
            Host::Ip(ip) => Ok(vec![SocketAddr::new(*ip, self.port)]),
            Host::Name(name) => Ok(tokio::net::lookup_host((name.as_str(), self.port)).await?.collect()),
        }
    }
}

/// Why the proxy must not connect to `ip` outside devnet mode, or `None` if it may.
pub(crate) fn refusal(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => refusal_v6(v6),
    }
}

fn refusal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if a == 100 && (b & 0xc0) == 64 {
        Some("private (carrier-grade NAT)")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if ip.is_multicast() {
        Some("multicast")
    } else if ip.is_broadcast() || a >= 240 {
        Some("reserved")
    } else {
        None
    }
}

fn refusal_v6(ip: Ipv6Addr) -> Option<&'static str> {
    // An IPv4-mapped address (::ffff:a.b.c.d) reaches the IPv4 host.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refusal_v4(v4);
    }
    let first = ip.segments()[0];
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("loopback")
    } else if (first & 0xfe00) == 0xfc00 {
        Some("private (unique local)")
    } else if (first & 0xffc0) == 0xfe80 || (first & 0xffc0) == 0xfec0 {
        Some("link-local")
    } else if ip.is_multicast() {
        Some("multicast")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<&'static str> {
        refusal(text.parse().expect("an IP address"))
    }

    #[test]
    fn refuses_non_public_addresses() {
        for (ip, why) in [
            ("10.0.0.1", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "private (carrier-grade NAT)"),
            ("100.127.255.254", "private (carrier-grade NAT)"),
            ("127.0.0.1", "loopback"),
            ("127.8.9.10", "loopback"),
            ("169.254.169.254", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fc00::1", "private (unique local)"),
            ("fd12:3456::1", "private (unique local)"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:127.0.0.1", "loopback"),
        ] {
            assert_eq!(refused(ip), Some(why), "{ip}");
        }
    }

    #[test]
    fn allows_public_addresses() {
        for ip in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2001:4860::8888", "::ffff:8.8.8.8"] {
            assert_eq!(refused(ip), None, "{ip}");
        }
    }

    #[test]
    fn parses_urls() {
        let e = Endpoint::parse("https://Provider.Example:8443", &["https"]).expect("valid");
        assert_eq!(
            (e.host, e.port, e.authority.as_str()),
            (Host::Name("provider.example".into()), 8443, "Provider.Example:8443")
        );
        let e = Endpoint::parse("https://[::1]:8443", &["https"]).expect("valid");
        assert_eq!(e.host, Host::Ip("::1".parse().expect("ip")));
        let e = Endpoint::parse("http://127.0.0.1:1317/rest/", &["http", "https"]).expect("valid");
        assert_eq!((e.https, e.port, e.prefix.as_str()), (false, 1317, "/rest"));
        assert_eq!(Endpoint::parse("https://h.example", &["https"]).expect("valid").port, 443);
        assert!(Endpoint::parse("http://h.example", &["https"]).is_err());
        assert!(Endpoint::parse("https://user@h.example", &["https"]).is_err());
        assert!(Endpoint::parse("h.example:8443", &["https"]).is_err());
    }
}
