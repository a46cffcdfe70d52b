//! Wire words: every word the app and a server exchange is a Rust value here, spelled once.
//!
//! [`open_enum!`] makes an enum of known words that keeps any other word a server sends as
//! `Unknown(raw)` (so a newer backend does not break an older app), with `code()`,
//! `from_code()` and serde as the word itself.

/// `open_enum! { pub enum Name { Variant = "word", … } }`, plus an `Unknown(String)` variant.
#[macro_export]
macro_rules! open_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A word this portal does not know, exactly as it was sent.
            Unknown(String),
        }

        impl $name {
            /// Every known word, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            pub fn code(&self) -> &str {
                match self {
                    $($name::$variant => $code,)+
                    $name::Unknown(raw) => raw,
                }
            }

            pub fn from_code(code: &str) -> $name {
                match code {
                    $($code => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string" })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from_code(&raw))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// A test enum.
        pub enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn known_words_round_trip_and_unknown_ones_are_kept() {
        for c in Colour::KNOWN {
            assert_eq!(&Colour::from_code(c.code()), c);
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(&serde_json::from_str::<Colour>(&json).unwrap(), c);
        }
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        let other: Colour = serde_json::from_str("\"ungu\"").unwrap();
        assert_eq!(other, Colour::Unknown("ungu".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"ungu\"");
    }
}
