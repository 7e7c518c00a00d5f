//! Base64 (standard and URL-safe, RFC 4648) and hex, the text forms transactions and tokens
//! travel in. Small and strict: decoding rejects characters outside the alphabet and
//! non-canonical trailing bits, so one text means one byte string.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

fn decode(text: &str, alphabet: &[u8; 64]) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && !text.len().is_multiple_of(4)) || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in body.as_bytes() {
        let v = alphabet.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero, else two texts would decode to the same bytes.
    (acc == 0).then_some(out)
}

/// Standard base64 with padding.
#[must_use]
pub fn base64_encode(bytes: &[u8]) -> String {
    encode(bytes, STANDARD, true)
}

/// Standard base64, padding optional.
#[must_use]
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, STANDARD)
}

/// URL-safe base64 without padding (JWT segments).
#[must_use]
pub fn base64url_encode(bytes: &[u8]) -> String {
    encode(bytes, URL_SAFE, false)
}

/// URL-safe base64, padding optional.
#[must_use]
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    decode(text, URL_SAFE)
}

/// Lower-case hex.
#[must_use]
pub fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Upper-case hex (Cosmos tx hashes).
#[must_use]
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Hex of either case.
#[must_use]
pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| char::from(c).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10 test vectors.
    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()));
            assert_eq!(base64url_encode(plain.as_bytes()), encoded.trim_end_matches('='));
            assert_eq!(base64url_decode(encoded.trim_end_matches('=')).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn rejects_non_canonical_and_foreign() {
        for bad in ["Zh==", "Zm9=", "Z", "Zm9v=", "Zm*v", "Zg===", "Zg=a"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
        assert_eq!(base64url_decode("+/+/"), None);
        assert_eq!(base64url_decode("-_-_"), Some(vec![0xfb, 0xff, 0xbf]));
        assert_eq!(hex_decode("0aFf"), Some(vec![10, 255]));
        assert_eq!(hex_decode("0g"), None);
        assert_eq!(hex_decode("abc"), None);
    }
}
