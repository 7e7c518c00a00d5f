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
    /// An object whose keys are data (names), in output order.
    Map(Vec<(String, Json)>),
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

    /// An object's fields, either kind of key.
    fn fields(&self) -> Vec<(&str, &Json)> {
        match self {
            Json::Obj(fields) => fields.iter().map(|(k, v)| (*k, v)).collect(),
            Json::Map(fields) => fields.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            _ => Vec::new(),
        }
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
            Json::Obj(_) | Json::Map(_) if !self.fields().is_empty() => {
                out.push('{');
                for (i, (key, value)) in self.fields().into_iter().enumerate() {
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
            Json::Num(n) => write_number(out, *n),
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
            Json::Obj(_) | Json::Map(_) => {
                let mut order = self.fields();
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

/// The deepest nesting [`Json::parse`] accepts.
const MAX_PARSE_DEPTH: usize = 64;

impl Json {
    /// Parses JSON text: the subset Leasekit reads (scenarios, options), in which numbers are
    /// non-negative integers. Objects become [`Json::Map`]; nesting is bounded.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { bytes: text.as_bytes(), at: 0 };
        let value = reader.value(0)?;
        reader.space();
        if reader.at < reader.bytes.len() {
            return Err(reader.error("unexpected text after the JSON value"));
        }
        Ok(value)
    }

    /// An object's field.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.fields().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        if let Json::Str(s) = self { Some(s) } else { None }
    }

    /// The bool, if this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        if let Json::Bool(b) = self { Some(*b) } else { None }
    }

    /// The number, if this is one.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        if let Json::Num(n) = self { Some(*n) } else { None }
    }

    /// The items, if this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&Vec<Json>> {
        if let Json::Arr(items) = self { Some(items) } else { None }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid JSON"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_PARSE_DEPTH {
            return Err(self.error("JSON nested too deeply"));
        }
        self.space();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end of JSON")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(self.error("expected , or ]")),
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut fields = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(Json::Map(fields));
                }
                loop {
                    self.space();
                    if self.bytes.get(self.at) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let key = self.string()?;
                    self.space();
                    if self.bytes.get(self.at) != Some(&b':') {
                        return Err(self.error("expected :"));
                    }
                    self.at += 1;
                    fields.push((key, self.value(depth + 1)?));
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Map(fields));
                        }
                        _ => return Err(self.error("expected , or }")),
                    }
                }
            }
            Some(b'0'..=b'9') => {
                let start = self.at;
                while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
                    self.at += 1;
                }
                if matches!(self.bytes.get(self.at), Some(b'.' | b'e' | b'E')) {
                    return Err(self.error("numbers must be whole"));
                }
                // Only ASCII digits were consumed, so the slice is valid UTF-8.
                let digits = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default();
                digits.parse().map(Json::Num).map_err(|_| self.error("number out of range"))
            }
            Some(b'-') => Err(self.error("numbers must not be negative")),
            Some(_) => Err(self.error("invalid JSON")),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.error("bad \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("bad \\u escape"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error("bad \\u escape"))?;
        self.at += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let run = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a &str and the run stops only at ASCII bytes: a valid UTF-8 slice.
            out.push_str(std::str::from_utf8(&self.bytes[run..self.at]).unwrap_or_default());
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self.bytes.get(self.at).copied().ok_or_else(|| self.error("unterminated string"))?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xd800..0xdc00).contains(&code) && self.bytes[self.at..].starts_with(b"\\u") {
                                let before = self.at;
                                self.at += 2;
                                let low = self.hex4()?;
                                if (0xdc00..0xe000).contains(&low) {
                                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                                } else {
                                    // Not a pair: the lone surrogate becomes U+FFFD, the escape stays.
                                    self.at = before;
                                }
                            }
                            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        }
                        _ => return Err(self.error("bad escape")),
                    }
                }
                _ => return Err(self.error("unterminated string")),
            }
        }
    }
}

/// Go's string encoding with HTML escaping (the `encoding/json` default). Runs of characters
/// that need no escape are copied whole: this is the engine's hottest loop.
fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (escape, width): (Option<&str>, usize) = match b {
            b'"' => (Some("\\\""), 1),
            b'\\' => (Some("\\\\"), 1),
            b'\n' => (Some("\\n"), 1),
            b'\r' => (Some("\\r"), 1),
            b'\t' => (Some("\\t"), 1),
            0x08 => (Some("\\b"), 1),
            0x0c => (Some("\\f"), 1),
            b'<' | b'>' | b'&' | 0..=0x1f => (None, 1),
            // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => (None, 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[run..i]);
        match escape {
            Some(text) => out.push_str(text),
            None if width == 3 => out.push_str(if bytes[i + 2] == 0xa8 { "\\u2028" } else { "\\u2029" }),
            None => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        i += width;
        run = i;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// Appends a number without allocating.
fn write_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
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
    fn escapes_every_special_character_and_keeps_the_rest() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let mut out = String::new();
        write_string(&mut out, &all);
        // Decoding gives the input back, and only the characters Go escapes were escaped.
        let decoded: String = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(decoded, all);
        assert!(out.contains("\\u003c") && out.contains("\\u2028") && out.contains("\\u001f") && out.contains("é"));
        let mut n = String::new();
        write_number(&mut n, 0);
        write_number(&mut n, u64::MAX);
        assert_eq!(n, format!("0{}", u64::MAX));
    }

    #[test]
    fn parses_the_json_it_writes_and_rejects_the_rest() {
        let text = r#" {"a": [1, true, null, "x\"\u00e9\ud83d\ude00\n"], "b": {}, "c": []} "#;
        let v = Json::parse(text).expect("parse");
        assert_eq!(v.get("a").and_then(Json::as_array).map(Vec::len), Some(4));
        assert_eq!(v.get("a").and_then(|a| a.as_array()).and_then(|a| a[3].as_str()), Some("x\"é😀\n"));
        assert_eq!(Json::parse(&v.to_go_compact()).expect("round trip"), v);
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "1.5", "-1", "\"abc", "nul", "[1] x", &"[".repeat(100)] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parse_never_panics_on_truncated_or_mutated_input() {
        let text = r#"{"pool": ["203.0.113.10"], "steps": [{"op": "deploy", "dseq": 18446744073709551615, "sdl": "a: \"\\u00e9\ud83d\ude00\"\n"}], "x": [[[{}]]], "t": true, "n": null}"#;
        assert!(Json::parse(text).is_ok());
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = Json::parse(&text[..end]);
        }
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            for replacement in [b'"', b'\\', b'{', b']', b'u', b'9', b'-', b'.', b'\n', 0] {
                let mut mutated = bytes.to_vec();
                mutated[i] = replacement;
                if let Ok(text) = std::str::from_utf8(&mutated) {
                    let _ = Json::parse(text);
                }
            }
        }
        assert!(Json::parse("18446744073709551616").is_err());
        assert!(Json::parse(r#""\ud800""#).is_ok_and(|v| v.as_str() == Some("\u{fffd}")));
        assert!(Json::parse(r#""\ud800\u0041""#).is_ok_and(|v| v.as_str() == Some("\u{fffd}A")));
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
