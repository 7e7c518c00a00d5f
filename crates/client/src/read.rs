//! Reading JSON responses leniently with `leasekit_sdl::json::Json`, and query escaping.
//! Base64 and hex come from `leasekit_tx::encoding`.

use leasekit_sdl::json::Json;

/// Parses a response body. `Json::parse` reads only whole non-negative numbers (all a manifest
/// has); a chain or provider may send fractions, exponents or negatives in fields we never read,
/// so such numbers are first turned into strings. Fields we do read go through [`u64_of`], which
/// accepts strings anyway.
pub(crate) fn parse(body: &[u8]) -> Result<Json, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8".to_owned())?;
    Json::parse(&quote_odd_numbers(text))
}

/// Wraps every number that is not a `u64` in quotes; strings are copied untouched.
fn quote_odd_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                let number = &text[start..i];
                if number.parse::<u64>().is_err() {
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str(number);
                    out.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// A field path, `None` when any step is missing.
pub(crate) fn at<'a>(json: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(json, |node, key| node.get(key))
}

/// A string field; `None` when absent, null or not a string.
pub(crate) fn str_at(json: &Json, path: &[&str]) -> Option<String> {
    at(json, path).and_then(Json::as_str).map(str::to_owned)
}

/// A 64-bit field: the chain writes them as decimal strings, providers as numbers.
pub(crate) fn u64_of(json: &Json) -> Option<u64> {
    json.as_u64().or_else(|| json.as_str().and_then(|s| s.parse().ok()))
}

/// [`u64_of`] at a path.
pub(crate) fn u64_at(json: &Json, path: &[&str]) -> Option<u64> {
    at(json, path).and_then(u64_of)
}

/// An array field; absent or null read as empty.
pub(crate) fn items<'a>(json: &'a Json, path: &[&str]) -> &'a [Json] {
    at(json, path).and_then(Json::as_array).map_or(&[], Vec::as_slice)
}

/// An object's entries; `None` for null, absent or not an object.
pub(crate) fn entries(json: &Json) -> Option<&[(String, Json)]> {
    if let Json::Map(fields) = json { Some(fields) } else { None }
}

/// Percent-encodes a query value or path segment (RFC 3986 unreserved characters kept).
pub(crate) fn escape(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// `path?k=v&…` with escaped values.
pub(crate) fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    let mut url = path.to_owned();
    for (i, (key, value)) in params.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(key);
        url.push('=');
        url.push_str(&escape(value));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_numbers_become_strings() {
        let json =
            parse(br#"{"a": -1.5e3, "b": 7, "c": "x-1 \" 2.5", "d": [0.25, 18446744073709551616]}"#).expect("parses");
        assert_eq!(str_at(&json, &["a"]).as_deref(), Some("-1.5e3"));
        assert_eq!(u64_at(&json, &["b"]), Some(7));
        assert_eq!(str_at(&json, &["c"]).as_deref(), Some("x-1 \" 2.5"));
        assert_eq!(items(&json, &["d"]).len(), 2);
    }

    #[test]
    fn escapes_query_values() {
        assert_eq!(with_query("/p", &[("a.b", "x y&z"), ("c", "1")]), "/p?a.b=x%20y%26z&c=1");
    }
}
