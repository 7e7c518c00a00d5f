//! A minimal JSON value with Go `encoding/json` output: `MarshalIndent(v, "", "  ")` layout for
//! the manifest and GroupSpecs files, and the sorted compact form the version hash is taken over.

/// A JSON value whose object keys keep Go's struct field order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A non-negative integer (every number in a manifest is one).
    Num(u64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, keys in output order.
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    /// Go `json.MarshalIndent(v, "", "  ")`.
    #[must_use]
    pub fn to_go_indented(&self) -> String {
        let mut out = String::new();
        self.write_indented(&mut out, 0);
        out
    }

    /// Go `json.Marshal` after a round trip through `map[string]interface{}`: compact, object
    /// keys sorted by bytes (what Akash's `SortJSON` produces before hashing).
    #[must_use]
    pub fn to_go_sorted_compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out, true);
        out
    }

    /// Go `json.Marshal`: compact, keys in struct order.
    #[must_use]
    pub fn to_go_compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out, false);
        out
    }

    fn write_indented(&self, out: &mut String, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            out.push('\n');
            for _ in 0..depth {
                out.push_str("  ");
            }
        };
        match self {
            Json::Arr(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    item.write_indented(out, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Obj(fields) if !fields.is_empty() => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_indented(out, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
            scalar => scalar.write_compact(out, false),
        }
    }

    fn write_compact(&self, out: &mut String, sorted: bool) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Str(s) => write_string(out, s),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_compact(out, sorted);
                }
                out.push(']');
            }
            Json::Obj(fields) => {
                let mut order: Vec<&(&str, Json)> = fields.iter().collect();
                if sorted {
                    crate::sort::go_stable_sort(&mut order, |a, b| a.0.as_bytes() < b.0.as_bytes());
                }
                out.push('{');
                for (i, (key, value)) in order.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write_compact(out, sorted);
                }
                out.push('}');
            }
        }
    }
}

/// Go's string encoding with HTML escaping (the `encoding/json` default).
fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let v = Json::Str("a<b>&\"\\\n\u{1}\u{8}\u{2028}é/".to_owned());
        assert_eq!(v.to_go_sorted_compact(), r#""a\u003cb\u003e\u0026\"\\\n\u0001\b\u2028é/""#);
    }

    #[test]
    fn indents_like_go_marshal_indent() {
        let v = Json::Arr(vec![Json::Obj(vec![
            ("b", Json::Arr(vec![])),
            ("a", Json::Obj(vec![])),
            ("c", Json::Arr(vec![Json::Num(1), Json::Null])),
        ])]);
        assert_eq!(
            v.to_go_indented(),
            "[\n  {\n    \"b\": [],\n    \"a\": {},\n    \"c\": [\n      1,\n      null\n    ]\n  }\n]"
        );
        assert_eq!(v.to_go_sorted_compact(), r#"[{"a":{},"b":[],"c":[1,null]}]"#);
        assert_eq!(v.to_go_compact(), r#"[{"b":[],"a":{},"c":[1,null]}]"#);
    }
}
