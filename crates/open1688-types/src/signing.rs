//! `_aop_signature`: HMAC-SHA1 over the sign path and the sorted `key+value` strings
//! (spec §2.1).
//!
//! The official SDKs sort the *concatenated* `key+value` strings, not the keys; the two orders
//! differ when one key is a prefix of another (vector V5). Sorting is done by comparing byte
//! chains, so signing allocates nothing beyond the index vector.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The name of the signature parameter; it is never part of the signed message.
pub const SIGNATURE_PARAM: &str = "_aop_signature";

/// The protocol segment of every business API path.
pub const PROTOCOL_PARAM2: &str = "param2";

/// How the `key+value` pieces are ordered before hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortRule {
    /// The official rule: sort the concatenated `key+value` strings (byte order).
    #[default]
    Official,
    /// What many third-party clients do: sort by key. Only a lenient verifier uses this.
    ByKey,
}

/// Builds the sign path `{protocol}/{version}/{namespace}/{name}/{appKey}` (no leading slash).
pub fn sign_path(protocol: &str, version: u32, namespace: &str, name: &str, app_key: &str) -> String {
    format!("{protocol}/{version}/{namespace}/{name}/{app_key}")
}

/// Computes the uppercase-hex HMAC-SHA1 signature of `params` under the official sort rule.
///
/// `params` are the exact wire strings; a parameter named `_aop_signature` is skipped.
pub fn sign<'a, I>(sign_path: &str, secret: &[u8], params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    sign_with(SortRule::Official, sign_path, secret, params)
}

/// Computes the signature with an explicit [`SortRule`].
pub fn sign_with<'a, I>(rule: SortRule, sign_path: &str, secret: &[u8], params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut pieces: Vec<(&str, &str)> = params.into_iter().filter(|(k, _)| *k != SIGNATURE_PARAM).collect();
    match rule {
        SortRule::Official => {
            pieces.sort_unstable_by(|(ka, va), (kb, vb)| ka.bytes().chain(va.bytes()).cmp(kb.bytes().chain(vb.bytes())))
        }
        SortRule::ByKey => pieces.sort_by_key(|(k, _)| *k),
    }
    // HMAC-SHA1 accepts keys of any length, so construction cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(sign_path.as_bytes());
    for (k, v) in pieces {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    hex::encode_upper(mac.finalize().into_bytes())
}

/// Checks a received signature, ignoring hex case (spec §2.1, sandbox verification).
pub fn verify<'a, I>(rule: SortRule, sign_path: &str, secret: &[u8], params: I, received: &str) -> bool
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let expected = sign_with(rule, sign_path, secret, params);
    expected.len() == received.len()
        && expected.bytes().zip(received.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b.to_ascii_uppercase())) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_path_has_no_leading_slash() {
        assert_eq!(
            sign_path("param2", 1, "com.alibaba.product", "alibaba.product.get", "1000000"),
            "param2/1/com.alibaba.product/alibaba.product.get/1000000"
        );
    }

    #[test]
    fn signature_param_is_never_signed() {
        let a = sign("p", b"s", [("a", "1")]);
        let b = sign("p", b"s", [("a", "1"), (SIGNATURE_PARAM, "XYZ")]);
        assert_eq!(a, b);
    }

    #[test]
    fn verify_ignores_hex_case_and_rejects_other_values() {
        let sig = sign("p", b"s", [("a", "1")]);
        assert!(verify(SortRule::Official, "p", b"s", [("a", "1")], &sig));
        assert!(verify(SortRule::Official, "p", b"s", [("a", "1")], &sig.to_lowercase()));
        assert!(!verify(SortRule::Official, "p", b"s", [("a", "2")], &sig));
        assert!(!verify(SortRule::Official, "p", b"s", [("a", "1")], "short"));
    }
}
