//! Request parameters as the exact strings that go on the wire and into the signature.
//!
//! The canonical encoding (spec §2.1, rule for the open1688 SDK): booleans as `true`/`false`,
//! integers in decimal, nested objects and lists as compact JSON with raw UTF-8, `None` omitted.
//! Whatever string a value becomes here is both sent and signed, so the two can never disagree.

use serde::Serialize;

use crate::signing;

/// A value that has one canonical wire string.
pub trait WireValue {
    /// The exact string sent and signed.
    fn to_wire(&self) -> Result<String, EncodeError>;
}

/// A parameter could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode parameter `{name}` as JSON: {source}")]
pub struct EncodeError {
    /// The parameter that failed.
    pub name: String,
    /// What serde_json reported.
    #[source]
    pub source: serde_json::Error,
}

macro_rules! display_wire_value {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn to_wire(&self) -> Result<String, EncodeError> { Ok(self.to_string()) }
        }
    )*};
}
display_wire_value!(bool, i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, isize, usize, str, String);

impl<T: WireValue + ?Sized> WireValue for &T {
    fn to_wire(&self) -> Result<String, EncodeError> {
        (**self).to_wire()
    }
}

/// Wraps a nested object or list so it is sent as one compact JSON string.
#[derive(Debug, Clone, Copy)]
pub struct Json<T>(pub T);

impl<T: Serialize> WireValue for Json<T> {
    fn to_wire(&self) -> Result<String, EncodeError> {
        serde_json::to_string(&self.0).map_err(|source| EncodeError { name: String::new(), source })
    }
}

/// Ordered request parameters (insertion order is the wire order; signing sorts on its own).
///
/// Setting a name twice replaces the earlier value, as a form field can carry one value only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(String, String)>,
}

impl Params {
    /// An empty parameter list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to the canonical wire string of `value`.
    pub fn set(&mut self, name: &str, value: impl WireValue) -> Result<&mut Self, EncodeError> {
        let wire = value.to_wire().map_err(|e| EncodeError { name: name.to_owned(), ..e })?;
        Ok(self.set_raw(name, wire))
    }

    /// Sets `name` when `value` is `Some`; `None` is omitted (neither sent nor signed).
    pub fn set_opt<V: WireValue>(&mut self, name: &str, value: Option<V>) -> Result<&mut Self, EncodeError> {
        match value {
            Some(v) => self.set(name, v),
            None => Ok(self),
        }
    }

    /// Sets `name` to a nested value encoded as compact JSON.
    pub fn set_json<T: Serialize>(&mut self, name: &str, value: &T) -> Result<&mut Self, EncodeError> {
        self.set(name, Json(value))
    }

    /// Sets `name` to a string that is already in wire form.
    pub fn set_raw(&mut self, name: &str, wire: impl Into<String>) -> &mut Self {
        let wire = wire.into();
        match self.entries.iter_mut().find(|(k, _)| k == name) {
            Some(entry) => entry.1 = wire,
            None => self.entries.push((name.to_owned(), wire)),
        }
        self
    }

    /// Removes `name`, returning its wire value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let pos = self.entries.iter().position(|(k, _)| k == name)?;
        Some(self.entries.remove(pos).1)
    }

    /// The wire value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Iterates `(name, wire value)` in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The official signature of these parameters for `sign_path`.
    pub fn signature(&self, sign_path: &str, secret: &[u8]) -> String {
        signing::sign(sign_path, secret, self.iter())
    }

    /// The `application/x-www-form-urlencoded` body (UTF-8, space as `+`), as the official Java
    /// SDK's `URLEncoder` writes it.
    pub fn to_form_body(&self) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::with_capacity(self.encoded_len_hint()));
        for (k, v) in self.iter() {
            ser.append_pair(k, v);
        }
        ser.finish()
    }

    fn encoded_len_hint(&self) -> usize {
        self.entries.iter().map(|(k, v)| k.len() + v.len() * 3 + 2).sum()
    }

    /// Parses a form body (or query string) into parameters, later duplicates replacing earlier ones.
    pub fn from_form_body(body: &[u8]) -> Self {
        Self::from_form_bodies(&[body])
    }

    /// Parses form bodies in order (a name in a later body replaces the earlier value, as the
    /// query string and the body of one request are merged), in time linear in their size: a
    /// body of a million names must not tie the parser up before anything is authenticated.
    pub fn from_form_bodies(bodies: &[&[u8]]) -> Self {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut entries: Vec<(String, String)> = Vec::new();
        for body in bodies {
            for (k, v) in form_urlencoded::parse(body) {
                match index.get(k.as_ref()) {
                    Some(&i) => entries[i].1 = v.into_owned(),
                    None => {
                        index.insert(k.clone().into_owned(), entries.len());
                        entries.push((k.into_owned(), v.into_owned()));
                    }
                }
            }
        }
        Self { entries }
    }
}

/// Parameter values are redacted: they may carry tokens or secrets.
impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|(k, _)| k)).finish()
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = (&'a str, &'a str);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a str)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_names_parse_in_linear_time_and_later_bodies_win() {
        // 200,000 distinct names (a 2.4 MB body): quadratic parsing would take minutes here.
        let body: String = (0..200_000).map(|i| format!("k{i}=v&")).collect();
        let params = Params::from_form_bodies(&[b"k1=query&only=q", body.as_bytes()]);
        assert_eq!(params.iter().count(), 200_001);
        assert_eq!(params.get("k1"), Some("v"), "the body's value replaces the query's");
        assert_eq!(params.get("only"), Some("q"));
    }
    use serde_json::json;

    #[test]
    fn canonical_values() {
        let mut p = Params::new();
        p.set("b", true).unwrap();
        p.set("n", 620201390233_i64).unwrap();
        p.set("s", "a b").unwrap();
        p.set_opt::<i64>("none", None).unwrap();
        p.set_json("q", &json!({"keyword": "饼干", "beginPage": 1})).unwrap();
        assert_eq!(p.get("b"), Some("true"));
        assert_eq!(p.get("n"), Some("620201390233"));
        assert_eq!(p.get("none"), None);
        // `json!` maps are key-sorted; typed structs keep their declaration order.
        assert_eq!(p.get("q"), Some(r#"{"beginPage":1,"keyword":"饼干"}"#));
    }

    #[test]
    fn setting_twice_replaces() {
        let mut p = Params::new();
        p.set("a", 1).unwrap();
        p.set("a", 2).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p.get("a"), Some("2"));
    }

    #[test]
    fn form_body_uses_plus_for_space_and_percent_utf8() {
        let mut p = Params::new();
        p.set_raw("k", "a b/饼");
        assert_eq!(p.to_form_body(), "k=a+b%2F%E9%A5%BC");
        assert_eq!(Params::from_form_body(p.to_form_body().as_bytes()), p);
    }

    #[test]
    fn debug_hides_values() {
        let mut p = Params::new();
        p.set_raw("access_token", "SECRET-TOKEN");
        assert!(!format!("{p:?}").contains("SECRET"));
    }
}
