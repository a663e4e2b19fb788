//! What is 1688's own: its domain. Any other endpoint is a sandbox or a stand-in, whose login page
//! is its own and whose figures are simulated.

use url::Url;

/// Whether the URL is on 1688's own domain (its gateway or its login pages); any other endpoint
/// is a sandbox or a stand-in.
pub fn on_1688(url: &Url) -> bool {
    url.host_str().is_some_and(|h| h.eq_ignore_ascii_case("1688.com") || h.to_ascii_lowercase().ends_with(".1688.com"))
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
