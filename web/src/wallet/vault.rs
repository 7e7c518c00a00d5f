//! The dev key at rest: encrypted with a passphrase through WebCrypto, never in clear.
//!
//! PBKDF2-HMAC-SHA256 with [`ITERATIONS`] rounds and a random 16-byte salt turns the
//! passphrase into an AES-GCM-256 key; the mnemonic is encrypted under a random 12-byte IV.
//! `localStorage` holds only `{v, iterations, salt, iv, ciphertext, address}` (base64; the
//! address is public and lets the page say whose key it is before unlocking). AES-GCM's tag
//! makes a wrong passphrase fail to decrypt instead of yielding garbage.

use js_sys::{Array, Object, Reflect, Uint8Array};
use leasekit_sdl::json::Json;
use leasekit_tx::encoding::{base64_decode, base64_encode};
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, Pbkdf2Params, SubtleCrypto};
use zeroize::Zeroizing;

/// PBKDF2 rounds: OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (600 000), above the 210 000 it
/// gives for SHA-512. Stored with each blob, so raising it later still opens old ones.
pub const ITERATIONS: u32 = 600_000;

/// An encrypted secret as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// PBKDF2 rounds used.
    pub iterations: u32,
    /// PBKDF2 salt.
    pub salt: Vec<u8>,
    /// AES-GCM IV.
    pub iv: Vec<u8>,
    /// AES-GCM ciphertext with its tag.
    pub ciphertext: Vec<u8>,
    /// The key's public address.
    pub address: String,
}

impl Sealed {
    /// The stored form.
    #[must_use]
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"v":1,"kdf":"PBKDF2-SHA256","iterations":{},"salt":"{}","iv":"{}","ciphertext":"{}","address":"{}"}}"#,
            self.iterations,
            base64_encode(&self.salt),
            base64_encode(&self.iv),
            base64_encode(&self.ciphertext),
            self.address
        )
    }

    /// Reads [`Self::to_json`]'s form.
    ///
    /// # Errors
    /// Not that form.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let json = Json::parse(text).map_err(|e| format!("the stored key is not JSON: {e}"))?;
        let bytes = |key: &str| {
            json.get(key)
                .and_then(Json::as_str)
                .and_then(base64_decode)
                .ok_or_else(|| format!("the stored key has no valid \"{key}\""))
        };
        Ok(Sealed {
            iterations: json
                .get("iterations")
                .and_then(Json::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("the stored key has no iteration count")?,
            salt: bytes("salt")?,
            iv: bytes("iv")?,
            ciphertext: bytes("ciphertext")?,
            address: json.get("address").and_then(Json::as_str).unwrap_or_default().to_owned(),
        })
    }
}

fn subtle() -> Result<SubtleCrypto, String> {
    let crypto = leptos::prelude::window().crypto().map_err(|_| "this browser has no WebCrypto".to_owned())?;
    // `crypto.subtle` exists only in secure contexts (https, localhost).
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| "no WebCrypto".to_owned())?;
    if subtle.is_undefined() {
        return Err("WebCrypto needs a secure context (https:// or localhost) to encrypt the key".to_owned());
    }
    Ok(subtle.unchecked_into())
}

fn js_error(what: &str, error: &JsValue) -> String {
    let detail = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
    format!("{what} failed: {detail}")
}

async fn promise(result: Result<js_sys::Promise, JsValue>, what: &str) -> Result<JsValue, JsValue> {
    let promise = result.map_err(|e| JsValue::from_str(&js_error(what, &e)))?;
    JsFuture::from(promise).await
}

/// Random bytes from `crypto.getRandomValues`.
///
/// # Errors
/// No WebCrypto.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let crypto = leptos::prelude::window().crypto().map_err(|_| "this browser has no WebCrypto".to_owned())?;
    let mut bytes = [0u8; N];
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|e| js_error("getRandomValues", &e))?;
    Ok(bytes)
}

async fn derive(subtle: &SubtleCrypto, passphrase: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, String> {
    let usages = |names: &[&str]| names.iter().map(|n| JsValue::from_str(n)).collect::<Array>();
    let pbkdf2 = Object::new();
    let _ = Reflect::set(&pbkdf2, &JsValue::from_str("name"), &JsValue::from_str("PBKDF2"));
    let raw = Uint8Array::from(passphrase.as_bytes());
    let base =
        promise(subtle.import_key_with_object("raw", &raw, &pbkdf2, false, &usages(&["deriveKey"])), "importKey")
            .await
            .map_err(|e| js_error("importKey", &e))?;
    raw.fill(0, 0, raw.length());
    let params = Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
    let aes = AesKeyGenParams::new("AES-GCM", 256);
    let key = promise(
        subtle.derive_key_with_object_and_object(
            &params,
            &base.unchecked_into(),
            &aes,
            false,
            &usages(&["encrypt", "decrypt"]),
        ),
        "deriveKey",
    )
    .await
    .map_err(|e| js_error("deriveKey", &e))?;
    Ok(key.unchecked_into())
}

/// Encrypts `secret` under `passphrase` with a fresh salt and IV.
///
/// # Errors
/// An empty passphrase, or WebCrypto unavailable.
pub async fn seal(passphrase: &str, secret: &[u8], address: &str) -> Result<Sealed, String> {
    if passphrase.is_empty() {
        return Err("Choose a passphrase to encrypt the key with.".to_owned());
    }
    let subtle = subtle()?;
    let salt = random_bytes::<16>()?.to_vec();
    let iv = random_bytes::<12>()?.to_vec();
    let key = derive(&subtle, passphrase, &salt, ITERATIONS).await?;
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv.as_slice()));
    let ciphertext = promise(subtle.encrypt_with_object_and_u8_array(&params, &key, secret), "encrypt")
        .await
        .map_err(|e| js_error("encrypt", &e))?;
    let ciphertext = Uint8Array::new(&ciphertext).to_vec();
    Ok(Sealed { iterations: ITERATIONS, salt, iv, ciphertext, address: address.to_owned() })
}

/// Decrypts a sealed secret.
///
/// # Errors
/// A wrong passphrase (the tag does not verify), or WebCrypto unavailable.
pub async fn open(passphrase: &str, sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, String> {
    let subtle = subtle()?;
    let key = derive(&subtle, passphrase, &sealed.salt, sealed.iterations).await?;
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(sealed.iv.as_slice()));
    let plain = promise(subtle.decrypt_with_object_and_u8_array(&params, &key, &sealed.ciphertext), "decrypt")
        .await
        .map_err(|_| "Wrong passphrase: the stored key could not be decrypted with it.".to_owned())?;
    let array = Uint8Array::new(&plain);
    let bytes = Zeroizing::new(array.to_vec());
    array.fill(0, 0, array.length());
    Ok(bytes)
}
