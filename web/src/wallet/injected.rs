//! Keplr and Leap through the API they inject into the page (`window.keplr`, `window.leap`;
//! both implement Keplr's interface). A few lines of JavaScript do the calls, because the
//! objects are plain JS with promises and `Uint8Array`s; Rust sees bytes and strings only.
//!
//! `signDirect` returns the bytes the wallet actually signed — it may have changed the fee —
//! and those, not ours, go into the transaction.

use js_sys::{Array, Uint8Array};
use leasekit_deploy::network::Network;
use leasekit_deploy::wallet::{DirectSigned, WalletError};
use leasekit_tx::encoding::base64_decode;
use leasekit_tx::tx::SignDoc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
function wallet(kind) {
  const w = kind === "leap" ? window.leap : window.keplr;
  if (!w) throw new Error((kind === "leap" ? "Leap" : "Keplr") + " is not installed in this browser (no window." + kind + ")");
  return w;
}
export function wallet_present(kind) {
  return !!(kind === "leap" ? window.leap : window.keplr);
}
export async function wallet_connect(kind, chainInfo, chainId) {
  const w = wallet(kind);
  if (chainInfo) await w.experimentalSuggestChain(JSON.parse(chainInfo));
  await w.enable(chainId);
  const key = await w.getKey(chainId);
  return [key.bech32Address, new Uint8Array(key.pubKey)];
}
export async function wallet_sign_direct(kind, chainId, signer, bodyBytes, authInfoBytes, accountNumber) {
  const w = wallet(kind);
  const r = await w.signDirect(chainId, signer, { bodyBytes, authInfoBytes, chainId, accountNumber: BigInt(accountNumber) });
  return [new Uint8Array(r.signed.bodyBytes), new Uint8Array(r.signed.authInfoBytes), String(r.signature.signature)];
}
export async function wallet_sign_arbitrary(kind, chainId, signer, data) {
  const r = await wallet(kind).signArbitrary(chainId, signer, data);
  return String(r.signature);
}
"#)]
extern "C" {
    fn wallet_present(kind: &str) -> bool;
    #[wasm_bindgen(catch)]
    async fn wallet_connect(kind: &str, chain_info: Option<String>, chain_id: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn wallet_sign_direct(
        kind: &str,
        chain_id: &str,
        signer: &str,
        body_bytes: &[u8],
        auth_info_bytes: &[u8],
        account_number: &str,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn wallet_sign_arbitrary(kind: &str, chain_id: &str, signer: &str, data: &str) -> Result<JsValue, JsValue>;
}

/// Which injected wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `window.keplr`.
    Keplr,
    /// `window.leap`.
    Leap,
}

impl Kind {
    fn id(self) -> &'static str {
        match self {
            Kind::Keplr => "keplr",
            Kind::Leap => "leap",
        }
    }

    /// The wallet's name.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Kind::Keplr => "Keplr",
            Kind::Leap => "Leap",
        }
    }

    /// Whether the extension is in the page.
    #[must_use]
    pub fn present(self) -> bool {
        wallet_present(self.id())
    }
}

/// A connected browser wallet: which one, on which chain, for which account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    /// Keplr or Leap.
    pub kind: Kind,
    /// The chain it was enabled for.
    pub chain_id: String,
    /// `akash1…`.
    pub address: String,
    /// Compressed secp256k1 key.
    pub public_key: Vec<u8>,
}

/// The text of a thrown JS value.
fn message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the wallet failed without saying why".to_owned())
}

fn wallet_error(kind: Kind, error: &JsValue) -> WalletError {
    let text = message(error);
    // Keplr says "Request rejected", Leap "Transaction declined"/"User rejected the request".
    let lower = text.to_lowercase();
    if lower.contains("reject") || lower.contains("declin") || lower.contains("denied") {
        WalletError::rejected(format!("{} declined: {text}", kind.title()))
    } else {
        WalletError::new(format!("{}: {text}", kind.title()))
    }
}

/// Keplr's chain description for a network the wallet does not know (the devnet): Akash's
/// bech32 prefixes, coin type 118, fees in uakt at the network's gas price.
#[must_use]
pub fn chain_info(network: &Network, chain_id: &str) -> String {
    let currency =
        format!(r#"{{"coinDenom":"AKT","coinMinimalDenom":"{denom}","coinDecimals":6}}"#, denom = network.fee_denom);
    let price: f64 = network.gas_price.parse().unwrap_or(0.025);
    format!(
        concat!(
            r#"{{"chainId":"{id}","chainName":"Leasekit {name}","rpc":"{rest}","rest":"{rest}","#,
            r#""bip44":{{"coinType":118}},"bech32Config":{{"bech32PrefixAccAddr":"akash","bech32PrefixAccPub":"akashpub","#,
            r#""bech32PrefixValAddr":"akashvaloper","bech32PrefixValPub":"akashvaloperpub","#,
            r#""bech32PrefixConsAddr":"akashvalcons","bech32PrefixConsPub":"akashvalconspub"}},"#,
            r#""currencies":[{cur}],"stakeCurrency":{cur},"#,
            r#""feeCurrencies":[{{"coinDenom":"AKT","coinMinimalDenom":"{denom}","coinDecimals":6,"#,
            r#""gasPriceStep":{{"low":{low},"average":{avg},"high":{high}}}}}],"features":[]}}"#
        ),
        id = chain_id,
        name = network.name,
        rest = network.chain_rest,
        cur = currency,
        denom = network.fee_denom,
        low = price / 2.0,
        avg = price,
        high = price * 2.0,
    )
}

impl Injected {
    /// Asks the wallet for access to `chain_id` (suggesting the chain first when `suggest`
    /// holds Keplr's chain description) and reads the account.
    ///
    /// # Errors
    /// No such extension, the tenant declined, or the wallet's answer was unusable.
    pub async fn connect(kind: Kind, chain_id: &str, suggest: Option<String>) -> Result<Self, WalletError> {
        if !kind.present() {
            return Err(WalletError::new(format!(
                "{} is not installed in this browser. Install the extension, or use a dev key.",
                kind.title()
            )));
        }
        let answer = wallet_connect(kind.id(), suggest, chain_id).await.map_err(|e| wallet_error(kind, &e))?;
        let parts = Array::from(&answer);
        let address = parts.get(0).as_string().unwrap_or_default();
        let public_key = Uint8Array::new(&parts.get(1)).to_vec();
        if !address.starts_with("akash1") || public_key.len() != 33 {
            return Err(WalletError::new(format!(
                "{} returned an account that is not an Akash secp256k1 key ({address})",
                kind.title()
            )));
        }
        Ok(Injected { kind, chain_id: chain_id.to_owned(), address, public_key })
    }

    /// `signDirect`: the wallet's bytes and signature.
    ///
    /// # Errors
    /// Declined, or an answer that is not a 64-byte signature.
    pub async fn sign_direct(&self, doc: &SignDoc) -> Result<DirectSigned, WalletError> {
        let answer = wallet_sign_direct(
            self.kind.id(),
            &doc.chain_id,
            &self.address,
            &doc.body_bytes,
            &doc.auth_info_bytes,
            &doc.account_number.to_string(),
        )
        .await
        .map_err(|e| wallet_error(self.kind, &e))?;
        let parts = Array::from(&answer);
        let signature = signature_bytes(self.kind, parts.get(2).as_string())?;
        Ok(DirectSigned {
            body_bytes: Uint8Array::new(&parts.get(0)).to_vec(),
            auth_info_bytes: Uint8Array::new(&parts.get(1)).to_vec(),
            signature,
        })
    }

    /// `signArbitrary` (ADR-36).
    ///
    /// # Errors
    /// Declined, or an answer that is not a 64-byte signature.
    pub async fn sign_arbitrary(&self, data: &str) -> Result<Vec<u8>, WalletError> {
        let answer = wallet_sign_arbitrary(self.kind.id(), &self.chain_id, &self.address, data)
            .await
            .map_err(|e| wallet_error(self.kind, &e))?;
        signature_bytes(self.kind, answer.as_string())
    }
}

fn signature_bytes(kind: Kind, base64: Option<String>) -> Result<Vec<u8>, WalletError> {
    base64.as_deref().and_then(base64_decode).filter(|bytes| bytes.len() == 64).ok_or_else(|| {
        WalletError::new(format!("{} returned a signature that is not 64 bytes of base64", kind.title()))
    })
}
