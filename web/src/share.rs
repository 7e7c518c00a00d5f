//! Share links: the SDL text travels in the URL fragment as `#sdl=` + unpadded base64url of its
//! UTF-8 bytes. The fragment never reaches a server, and base64url needs no percent-encoding, so
//! the link survives chat apps and markdown unchanged.
//!
//! The codec is hand-written (about 60 lines) rather than a dependency, to keep the Wasm small.

/// The fragment key that holds the SDL.
const FRAGMENT_KEY: &str = "sdl";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a fragment's SDL could not be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// A character outside the base64url alphabet, or a length no encoder produces.
    NotBase64,
    /// The bytes decode but are not UTF-8.
    NotUtf8,
}

/// The fragment (with its leading `#`) that carries `source`.
#[must_use]
pub fn fragment_for(source: &str) -> String {
    format!("#{FRAGMENT_KEY}={}", encode(source.as_bytes()))
}

/// The SDL in a location fragment (`#sdl=…`, with or without the `#`; other `&`-separated
/// keys are ignored). `None` when the fragment has no `sdl` key.
#[must_use]
pub fn source_from_fragment(fragment: &str) -> Option<Result<String, ShareError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let value = fragment.split('&').find_map(|pair| pair.strip_prefix(FRAGMENT_KEY)?.strip_prefix('='))?;
    Some(decode(value).and_then(|bytes| String::from_utf8(bytes).map_err(|_| ShareError::NotUtf8)))
}

/// Unpadded base64url (RFC 4648 §5).
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        // n input bytes give n + 1 output characters; the rest would be padding.
        for i in 0..=chunk.len() {
            text.push(char::from(ALPHABET[(group >> (18 - 6 * i)) as usize & 0x3f]));
        }
    }
    text
}

/// Decodes base64url with or without `=` padding. Standard base64's `+` and `/` are accepted
/// too, in case a link was re-encoded by hand.
pub fn decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return Err(ShareError::NotBase64);
    }
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut group = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            group |= u32::from(sextet(c).ok_or(ShareError::NotBase64)?) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            bytes.push((group >> (16 - 8 * i)) as u8);
        }
    }
    Ok(bytes)
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).expect("decodes"), plain.as_bytes());
        }
    }

    #[test]
    fn url_safe_alphabet_and_padding() {
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(decode("-_-_").expect("decodes"), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode("+/+/").expect("decodes"), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode("Zm8=").expect("decodes"), b"fo");
    }

    #[test]
    fn every_byte_round_trips() {
        let bytes: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len])).expect("decodes"), &bytes[..len]);
        }
    }

    #[test]
    fn rejects_what_no_encoder_writes() {
        assert_eq!(decode("Zm9vY"), Err(ShareError::NotBase64));
        assert_eq!(decode("Zm9v!"), Err(ShareError::NotBase64));
        assert_eq!(decode("Zm 9v"), Err(ShareError::NotBase64));
    }

    #[test]
    fn fragment_round_trip_keeps_non_ascii_text() {
        let sdl = "version: \"2.0\"\n# café ☕ 😀\n";
        let fragment = fragment_for(sdl);
        assert!(fragment.starts_with("#sdl="));
        assert_eq!(source_from_fragment(&fragment), Some(Ok(sdl.to_owned())));
    }

    #[test]
    fn fragment_parsing() {
        assert_eq!(source_from_fragment(""), None);
        assert_eq!(source_from_fragment("#other=1"), None);
        assert_eq!(source_from_fragment("#sdlx=Zm9v"), None);
        assert_eq!(source_from_fragment("sdl=Zm9v"), Some(Ok("foo".to_owned())));
        assert_eq!(source_from_fragment("#x=1&sdl=Zm9v&y=2"), Some(Ok("foo".to_owned())));
        assert_eq!(source_from_fragment("#sdl=%%%"), Some(Err(ShareError::NotBase64)));
        assert_eq!(source_from_fragment(&format!("#sdl={}", encode(&[0xff, 0xfe]))), Some(Err(ShareError::NotUtf8)));
    }
}
