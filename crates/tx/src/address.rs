//! Akash account addresses: bech32 (not bech32m) with the `akash` prefix over
//! RIPEMD160(SHA256(compressed public key)).

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Hrp};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

/// The account prefix.
pub const PREFIX: &str = "akash";

/// The address of a 33-byte compressed secp256k1 public key.
#[must_use]
pub fn from_public_key(public_key: &[u8; 33]) -> String {
    let hash = Ripemd160::digest(Sha256::digest(public_key));
    encode(&hash)
}

fn encode(data: &[u8]) -> String {
    let hrp = Hrp::parse_unchecked(PREFIX);
    // Encoding 20 or 32 bytes under a fixed valid prefix cannot exceed bech32's length limit.
    bech32::encode::<Bech32>(hrp, data).unwrap_or_default()
}

/// Checks that `text` is an Akash account address (20 bytes, or 32 for module accounts) and
/// returns its bytes. `what` names the field in the error ("owner", "provider", …).
pub fn parse(text: &str, what: &str) -> Result<Vec<u8>> {
    let fail =
        |why: &str| Error::new(ErrorCode::InvalidAddress, format!("{what} '{text}' is not an Akash address: {why}"));
    if text.is_empty() {
        return Err(Error::new(ErrorCode::InvalidAddress, format!("{what} is empty: expected an akash1… address")));
    }
    if text.len() > 90 {
        return Err(fail("too long"));
    }
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fail("write it in lower case"));
    }
    let checked = CheckedHrpstring::new::<Bech32>(text).map_err(|e| {
        if text.to_ascii_lowercase().starts_with("akash1") {
            fail(&format!("the bech32 checksum or characters are wrong ({e})"))
        } else {
            fail("expected the prefix akash1")
        }
    })?;
    if checked.hrp().as_str() != PREFIX {
        return Err(fail(&format!("it is a '{}' address; expected the prefix akash1", checked.hrp())));
    }
    let bytes: Vec<u8> = checked.byte_iter().collect();
    if bytes.len() != 20 && bytes.len() != 32 {
        return Err(fail(&format!("it holds {} bytes; an account address holds 20", bytes.len())));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// chain.md §6.1.
    #[test]
    fn known_key_address() {
        let key: [u8; 33] =
            crate::encoding::hex_decode("03e1fde5cc17f56501ed53d87718df76c135b9a6401dceb53d198111a1eaf85f76")
                .and_then(|v| v.try_into().ok())
                .expect("hex");
        assert_eq!(from_public_key(&key), "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh");
    }

    #[test]
    fn rejects_with_reasons() {
        let ok = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
        assert_eq!(parse(ok, "owner").map(|b| b.len()), Ok(20));
        let message = |t: &str| parse(t, "owner").expect_err(t).message;
        assert!(message("cosmos1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh").contains("prefix akash1"));
        assert!(message("akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmx").contains("checksum"));
        assert!(message("").contains("empty"));
        assert!(message("AKASH1QUFA3XZRF34QVWYEJKHVNC4PSF49FFTAW0ASMH").contains("lower case"));
        assert!(message(&encode(&[1, 2, 3])).contains("3 bytes"));
    }
}
