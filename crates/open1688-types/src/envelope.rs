//! The `envelope!` macro: the generic wrappers around a payload (`{"result":{…,"result":T}}`,
//! `{"result":T,"success":…}`) decoded like [`wire_struct!`](crate::wire_struct) structs — their
//! scalar fields leniently, the fields they do not name kept in `extra` — without buffering the
//! payload (`#[serde(flatten)]` would copy a whole search page before decoding it).

/// Declares a wrapper generic over its payload `T`: one `payload` field decoded as its own type,
/// other fields (all `Option`s, left out when `None`) decoded leniently (as in [`wire_struct!`](crate::wire_struct)), unknown fields
/// kept in `extra`.
#[macro_export]
#[doc(hidden)]
macro_rules! envelope {
    (
        $(#[$meta:meta])*
        pub struct $name:ident<T> {
            $(#[$pmeta:meta])* payload $pfield:ident : $pty:ty = $pkey:literal,
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name<T> {
            $(#[$pmeta])* #[serde(rename = $pkey, skip_serializing_if = "Option::is_none")] pub $pfield: $pty,
            $( $(#[$fmeta])* #[serde(rename = $key, skip_serializing_if = "Option::is_none")] pub $field: $ty, )*
            /// Fields this wrapper does not name, kept verbatim.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for $name<T> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct EnvelopeVisitor<T>(std::marker::PhantomData<T>);
                impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for EnvelopeVisitor<T> {
                    type Value = $name<T>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        let mut $pfield: $pty = None;
                        $( let mut $field: $ty = Default::default(); )*
                        let mut extra = serde_json::Map::new();
                        while let Some(key) = map.next_key::<$crate::wire_struct::Key<'de>>()? {
                            match &*key.0 {
                                $pkey => $pfield = map.next_value()?,
                                $( $key => $field = map.next_value::<$crate::wire_struct::Lenient<$ty>>()?.0, )*
                                _ => {
                                    let value = map.next_value::<serde_json::Value>()?;
                                    extra.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        Ok($name { $pfield, $( $field, )* extra })
                    }
                }
                d.deserialize_map(EnvelopeVisitor(std::marker::PhantomData))
            }
        }
    };
}
