//! Keys: the [`Signer`] abstraction and the mnemonic signer that holds a secp256k1 key derived
//! from a BIP-39 phrase (BIP-32 path `m/44'/118'/0'/0/{index}`, the Cosmos default Akash keeps).
//!
//! The secret lives only inside [`MnemonicSigner`]: the normalised phrase and the seed are
//! zeroized as soon as the key is derived, the key is zeroized on drop, and neither `Debug`
//! nor any serialisation exposes it.

use k256::ecdsa::signature::hazmat::PrehashSigner;
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};

/// Something that signs for one account: a key held here, or a wallet outside.
pub trait Signer {
    /// The 33-byte compressed secp256k1 public key.
    fn public_key(&self) -> [u8; 33];

    /// The Cosmos secp256k1 signature of `message`: ECDSA over SHA-256(message) with an
    /// RFC 6979 nonce, low-S, as 64 bytes r‖s.
    fn sign(&self, message: &[u8]) -> Result<[u8; 64]>;

    /// The account's `akash1…` address.
    fn address(&self) -> String {
        crate::address::from_public_key(&self.public_key())
    }
}

/// A key derived from a mnemonic, held in memory.
pub struct MnemonicSigner {
    key: SigningKey,
}

impl std::fmt::Debug for MnemonicSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MnemonicSigner").field("address", &self.address()).finish_non_exhaustive()
    }
}

/// Splits on any whitespace and lower-cases, as cosmjs does; the result is zeroized on drop.
fn normalise(phrase: &str) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(phrase.len()));
    for (i, word) in phrase.split_whitespace().enumerate() {
        if !word.is_ascii() {
            return Err(Error::new(
                ErrorCode::InvalidMnemonic,
                format!("word {} of the mnemonic is not in the BIP-39 English word list", i + 1),
            ));
        }
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            out.push(c.to_ascii_lowercase());
        }
    }
    Ok(out)
}

fn mnemonic_error(error: bip39::Error) -> Error {
    let message = match error {
        bip39::Error::BadWordCount(n) => {
            format!("a mnemonic has 12, 15, 18, 21 or 24 words; this one has {n}")
        }
        bip39::Error::UnknownWord(i) => {
            format!("word {} of the mnemonic is not in the BIP-39 English word list", i + 1)
        }
        bip39::Error::InvalidChecksum => {
            "the mnemonic's checksum does not match: a word is wrong or the words are out of order".to_owned()
        }
        other => format!("invalid mnemonic: {other}"),
    };
    Error::new(ErrorCode::InvalidMnemonic, message)
}

impl MnemonicSigner {
    /// The key of account `index` (usually 0) of an English BIP-39 mnemonic, empty passphrase.
    pub fn from_mnemonic(phrase: &str, index: u32) -> Result<Self> {
        let normalised = normalise(phrase)?;
        let mnemonic =
            bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalised).map_err(mnemonic_error)?;
        let seed = Zeroizing::new(mnemonic.to_seed_normalized(""));
        drop(mnemonic);
        let path: bip32::DerivationPath = format!("m/44'/118'/0'/0/{index}")
            .parse()
            .map_err(|_| Error::input(format!("account index {index} is out of range")))?;
        let derived = bip32::XPrv::derive_from_path(seed.as_slice(), &path)
            .map_err(|e| Error::new(ErrorCode::InvalidMnemonic, format!("cannot derive the key: {e}")))?;
        let key = derived.private_key().clone();
        Ok(MnemonicSigner { key })
    }

    /// A new 24-word mnemonic from 32 bytes of entropy the caller drew from a CSPRNG (this
    /// crate has no randomness of its own).
    pub fn generate_mnemonic(entropy: &[u8; 32]) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::new());
        // 32 bytes is a valid BIP-39 entropy length, so this cannot fail.
        if let Ok(m) = bip39::Mnemonic::from_entropy(entropy) {
            for (i, w) in m.words().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(w);
            }
        }
        out
    }
}

impl Signer for MnemonicSigner {
    fn public_key(&self) -> [u8; 33] {
        compressed(self.key.verifying_key())
    }

    fn sign(&self, message: &[u8]) -> Result<[u8; 64]> {
        let digest = Sha256::digest(message);
        let signature: Signature = self
            .key
            .sign_prehash(&digest)
            .map_err(|e| Error::new(ErrorCode::InvalidSignature, format!("signing failed: {e}")))?;
        // k256 already returns low-S; normalising again is free and makes the rule explicit.
        let signature = signature.normalize_s().unwrap_or(signature);
        Ok(signature.to_bytes().into())
    }
}

fn compressed(key: &VerifyingKey) -> [u8; 33] {
    let point = key.to_encoded_point(true);
    let mut out = [0u8; 33];
    out.copy_from_slice(point.as_bytes());
    out
}

/// Checks a Cosmos secp256k1 signature (64 bytes r‖s, low-S required, as the chain and
/// providers do) of SHA-256(`message`) by the compressed public key.
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<()> {
    let key = VerifyingKey::from_sec1_bytes(public_key)
        .map_err(|_| Error::new(ErrorCode::InvalidSignature, "the public key is not a secp256k1 point"))?;
    if signature.len() != 64 {
        return Err(Error::new(
            ErrorCode::InvalidSignature,
            format!("a signature is 64 bytes (r‖s); this one is {}", signature.len()),
        ));
    }
    let signature = Signature::from_slice(signature)
        .map_err(|_| Error::new(ErrorCode::InvalidSignature, "the signature is not a valid r‖s pair"))?;
    if signature.normalize_s().is_some() {
        return Err(Error::new(ErrorCode::InvalidSignature, "the signature is not in low-S form"));
    }
    let digest = Sha256::digest(message);
    k256::ecdsa::signature::hazmat::PrehashVerifier::verify_prehash(&key, &digest, &signature)
        .map_err(|_| Error::new(ErrorCode::InvalidSignature, "the signature does not verify"))
}

/// Parses a 33-byte compressed public key.
pub fn parse_public_key(bytes: &[u8]) -> Result<[u8; 33]> {
    let key: [u8; 33] = bytes.try_into().map_err(|_| {
        Error::new(
            ErrorCode::InvalidSignature,
            format!("a public key is 33 bytes (compressed secp256k1); this one is {}", bytes.len()),
        )
    })?;
    VerifyingKey::from_sec1_bytes(&key)
        .map_err(|_| Error::new(ErrorCode::InvalidSignature, "the public key is not a secp256k1 point"))?;
    Ok(key)
}
