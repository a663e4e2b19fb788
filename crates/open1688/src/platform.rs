//! Where an endpoint is: on 1688's own domain, or on this machine. Any endpoint off 1688's domain
//! is a sandbox or a stand-in, whose login page is its own and whose figures are simulated; one on
//! this machine may be spoken to in plain http.

use url::Url;

/// Whether the URL is on 1688's own domain (its gateway or its login pages); any other endpoint
/// is a sandbox or a stand-in.
pub fn on_1688(url: &Url) -> bool {
    url.host_str().is_some_and(|h| h.eq_ignore_ascii_case("1688.com") || h.to_ascii_lowercase().ends_with(".1688.com"))
}

/// Whether the URL's host is this machine (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_1688s_own_hosts_are_the_platform() {
        for own in [
            "https://gw.open.1688.com",
            "https://auth.1688.com/oauth/authorize",
            "https://1688.com",
            "https://GW.OPEN.1688.COM",
        ] {
            assert!(on_1688(&Url::parse(own).unwrap()), "{own}");
        }
        for other in [
            "http://127.0.0.1:8688",
            "https://gw.open.1688.com.example.org",
            "https://not1688.com",
            "https://example.com/1688.com",
        ] {
            assert!(!on_1688(&Url::parse(other).unwrap()), "{other}");
        }
    }
}
