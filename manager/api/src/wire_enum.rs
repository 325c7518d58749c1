/// Declares a closed vocabulary that travels as a snake_case string, with its
/// list of values and a lossless `as_str`/`parse` pair for storage and CSV.
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $text)]
                // utoipa reads `serde(rename)` token by token and misses a
                // literal passed through this macro (it documented the Rust
                // names); its own `schema(rename)` parses it properly.
                #[cfg_attr(feature = "openapi", schema(rename = $text))]
                $variant
            ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        // By hand rather than derived: serde_json reports a derived enum
        // given a number as a *syntax* error, which would answer a
        // well-formed body with 400 instead of 422.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, &[$( $text ),+]))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}
