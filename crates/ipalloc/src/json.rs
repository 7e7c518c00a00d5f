//! JSON output through the SDL engine's writer (`leasekit_sdl::json::Json`, Go escaping), with
//! shorthands for the objects this crate builds, whose keys are often data (service names in
//! lease status).

pub use leasekit_sdl::json::Json as J;

/// Shorthands on [`J`].
pub trait JsonExt {
    /// An object from `(key, value)` pairs, keys in output order.
    fn obj(fields: Vec<(&str, J)>) -> J;
    /// A string value.
    fn s(text: impl Into<String>) -> J;
    /// Compact JSON text.
    fn to_text(&self) -> String;
}

impl JsonExt for J {
    fn obj(fields: Vec<(&str, J)>) -> J {
        J::Map(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }

    fn to_text(&self) -> String {
        self.to_go_compact()
    }
}
