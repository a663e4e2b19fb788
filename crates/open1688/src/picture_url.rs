//! Fetching a picture from a URL a user gave, as a hostile network input: only http(s), only
//! public addresses unless allowed (no loopback, private, link-local — cloud metadata lives at
//! 169.254.169.254 — or other reserved ranges), the address checked is the address connected to
//! (no DNS rebinding), no redirects, a size cap and a timeout.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use url::Url;

use crate::transport::CappedRead;

/// The largest picture fetched from a URL (the upload is re-encoded to at most 3 MB).
pub const MAX_PICTURE_BYTES: usize = 10 * 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether `ip` is anything but a public unicast address: loopback, private, link-local, carrier
/// NAT, unspecified, broadcast, documentation, multicast, unique-local, Teredo, local-use NAT64,
/// discard-only, or an IPv6 form that embeds an IPv4 address which is one of those (mapped
/// `::ffff:0:0/96`, compatible `::/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`): a router or a
/// NAT64 gateway on the service's network would carry such an address to the IPv4 one inside.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || (a == 100 && (64..128).contains(&b)) // 100.64.0.0/10, carrier-grade NAT
                || a == 0
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if v6.is_loopback() || v6.is_unspecified() {
                return true;
            }
            if let Some(v4) = embedded_ipv4(v6) {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // fc00::/7, unique local
                || (s[0] & 0xffc0) == 0xfe80 // fe80::/10, link local
                || (s[0] & 0xffc0) == 0xfec0 // fec0::/10, site local (deprecated)
                || (s[0], s[1]) == (0x2001, 0) // 2001::/32, Teredo: tunnels to any IPv4 address
                || (s[0], s[1]) == (0x2001, 0x0db8) // 2001:db8::/32, documentation
                || (s[0], s[1], s[2]) == (0x64, 0xff9b, 1) // 64:ff9b:1::/48, local-use NAT64
                || (s[0], s[1], s[2], s[3]) == (0x100, 0, 0, 0) // 100::/64, discard only
        }
    }
}

/// The IPv4 address an IPv6 address carries, in the forms that reach it: mapped (`::ffff:a.b.c.d`),
/// compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::/48`).
fn embedded_ipv4(v6: std::net::Ipv6Addr) -> Option<std::net::Ipv4Addr> {
    let s = v6.segments();
    let v4 = |hi: u16, lo: u16| std::net::Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0, 0, 0, 0, 0, 0, hi, lo] | [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => {
            Some(v4(hi, lo))
        }
        [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        _ => None,
    }
}

/// Why a picture URL was not fetched; the text goes into `Error::Image`.
pub(crate) async fn fetch(text: &str, allow_private: bool, timeout: Duration) -> Result<Vec<u8>, String> {
    let url = Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs are fetched".into());
    }
    let host = url.host_str().ok_or("the URL has no host")?.trim_matches(['[', ']']).to_owned();
    let port = url.port_or_known_default().ok_or("the URL has no port")?;
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    let Some(&address) = addresses.first() else { return Err(format!("{host} has no address")) };
    if !allow_private && let Some(private) = addresses.iter().find(|a| is_private(a.ip())) {
        return Err(format!(
            "refused: {host} resolves to the non-public address {} (pictures are fetched from public addresses only)",
            private.ip()
        ));
    }
    // The connection goes to the address just checked, whatever DNS answers next.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&host, address)
        .timeout(timeout.min(FETCH_TIMEOUT))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let response = http.get(url).send().await.map_err(|e| format!("cannot fetch: {}", e.without_url()))?;
    if response.status().is_redirection() {
        return Err(format!("HTTP {}: redirects are not followed; give the picture's final URL", response.status()));
    }
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    match crate::transport::read_capped(response, MAX_PICTURE_BYTES).await {
        Ok(body) => Ok(body.to_vec()),
        Err(CappedRead::TooLarge) => Err(format!("larger than {MAX_PICTURE_BYTES} bytes")),
        Err(CappedRead::Failed(e)) => Err(format!("cannot fetch: {}", e.without_url())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_unicast_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "47.246.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn ipv6_forms_that_carry_an_ipv4_address_are_judged_by_it() {
        // (address, refused, why)
        let table = [
            ("64:ff9b::7f00:1", true, "NAT64 of 127.0.0.1"),
            ("64:ff9b::a9fe:a9fe", true, "NAT64 of the metadata address 169.254.169.254"),
            ("64:ff9b::a00:1", true, "NAT64 of 10.0.0.1"),
            ("64:ff9b::808:808", false, "NAT64 of 8.8.8.8"),
            ("64:ff9b:1::808:808", true, "local-use NAT64"),
            ("2002:7f00:1::1", true, "6to4 of 127.0.0.1"),
            ("2002:c0a8:101::", true, "6to4 of 192.168.1.1"),
            ("2002:a9fe:a9fe::1", true, "6to4 of 169.254.169.254"),
            ("2002:808:808::1", false, "6to4 of 8.8.8.8"),
            ("::7f00:1", true, "compatible 127.0.0.1"),
            ("::a9fe:a9fe", true, "compatible 169.254.169.254"),
            ("::808:808", false, "compatible 8.8.8.8"),
            ("::ffff:a9fe:a9fe", true, "mapped 169.254.169.254"),
            ("::ffff:64.100.0.1", false, "mapped public"),
            ("::ffff:100.64.0.1", true, "mapped carrier NAT"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", true, "Teredo"),
            ("2001::1", true, "Teredo"),
            ("2001:db8::1", true, "documentation"),
            ("fec0::1", true, "site local"),
            ("100::1", true, "discard only"),
            ("ff02::1", true, "multicast"),
            ("2400:3200::1", false, "a public address (Alibaba DNS)"),
        ];
        for (address, refused, why) in table {
            assert_eq!(is_private(address.parse().unwrap()), refused, "{address}: {why}");
        }
    }

    proptest::proptest! {
        /// Every IPv4 address is judged the same however IPv6 carries it.
        #[test]
        fn an_embedded_ipv4_address_is_judged_as_itself(bits: u32) {
            let v4 = std::net::Ipv4Addr::from(bits);
            let expected = is_private(IpAddr::V4(v4));
            let [a, b, c, d] = v4.octets();
            let (hi, lo) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
            for v6 in [
                std::net::Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, hi, lo),
                std::net::Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, hi, lo),
                std::net::Ipv6Addr::new(0x2002, hi, lo, 0, 0, 0, 0, 1),
            ] {
                proptest::prop_assert_eq!(is_private(IpAddr::V6(v6)), expected, "{} in {}", v4, v6);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any text is refused or fetched with a reason, never a panic. Hosts are address
        /// literals on private networks or malformed, so no case waits for DNS or a connection.
        #[test]
        fn picture_urls_never_panic(
            scheme in "(https?|ftp|file|data|javascript|HTTP)",
            host in r"(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|10\.[0-9]{1,4}\.0\.1|169\.254\.169\.254|\[::1\]|\[fe80::[0-9a-f]{1,4}\]|0x7f\.1|2130706433|[%@:/?#\[\]]{0,4}|)",
            port in "(:[0-9]{0,6})?",
            rest in ".{0,30}",
            garbage in ".{0,40}",
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let url = format!("{scheme}://{host}{port}/{rest}");
            for text in [url.as_str(), garbage.as_str()] {
                let refused = rt.block_on(fetch(text, false, Duration::from_millis(200)));
                proptest::prop_assert!(refused.is_err(), "{text} was fetched");
            }
        }
    }
}
