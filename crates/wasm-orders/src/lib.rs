//! WebAssembly bindings of `leasekit-tx`, published as the `leasekit/orders` entry of the npm
//! package — a Wasm of its own, so that importing the SDL engine alone stays small.
//!
//! Thin by design: a request object becomes JSON text (a `Uint8Array` as base64, a `bigint`
//! as a decimal string), `leasekit_tx::request` does the work, and its JSON answer comes back
//! with base64 fields turned into `Uint8Array` and the account number into a `bigint`. The
//! only things done here rather than in the core are IO: reading the clock for a token's
//! validity window and drawing entropy for a new mnemonic.
//!
//! Secrets: the request text and everything parsed from it are zeroized in Wasm memory after
//! each call; the caller's JavaScript string holding a mnemonic cannot be wiped from here (JS
//! strings are immutable), so a page that keeps a key should keep it no longer than needed.
//!
//! A mistake throws an `Error` whose `code` is leasekit-tx's error code (`invalid-mnemonic`,
//! `invalid-address`, `invalid-deposit`, …) and, for an SDL with errors, whose `diagnostics`
//! are leasekit-sdl's; a value of the wrong JavaScript type throws a `TypeError`.

use js_sys::{Array, BigInt, Function, JSON, Object, Reflect, Uint8Array};
use leasekit_sdl::json::Json;
use leasekit_tx::encoding::{base64_decode, base64_encode};
use leasekit_tx::request::{self, Response};
use wasm_bindgen::prelude::*;
use zeroize::{Zeroize, Zeroizing};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

/// Requests nest a few levels (a message in a list in the request); deeper is a mistake.
const MAX_REQUEST_DEPTH: u32 = 32;

/// A copy of a request value with `Uint8Array`s (Node's `Buffer` included, whose `toJSON`
/// would otherwise win) as base64 strings and `bigint`s as decimal strings: plain JSON data.
fn plain(value: &JsValue, depth: u32) -> Result<JsValue, JsValue> {
    if depth > MAX_REQUEST_DEPTH {
        return Err(type_error("leasekit/orders: the request nests too deeply".to_owned()));
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(JsValue::from_str(&base64_encode(&bytes.to_vec())));
    }
    if let Some(big) = value.dyn_ref::<BigInt>() {
        return Ok(big.to_string(10).map_or(JsValue::NULL, JsValue::from));
    }
    if Array::is_array(value) {
        let out = Array::new();
        for item in Array::from(value).iter() {
            out.push(&plain(&item, depth + 1)?);
        }
        return Ok(out.into());
    }
    if value.is_object() {
        let out = Object::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair = Array::from(&entry);
            Reflect::set(&out, &pair.get(0), &plain(&pair.get(1), depth + 1)?)?;
        }
        return Ok(out.into());
    }
    Ok(value.clone())
}

/// Turns a request object into JSON text (see [`plain`]).
fn request_text(function: &str, value: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    if !value.is_object() || Array::is_array(value) {
        return Err(type_error(format!(
            "leasekit/orders.{function}: the argument must be an object, not {}",
            value.js_typeof().as_string().unwrap_or_default()
        )));
    }
    let text = JSON::stringify(&plain(value, 0)?)
        .map_err(|e| type_error(format!("leasekit/orders.{function}: the argument cannot be read as data ({e:?})")))?;
    Ok(Zeroizing::new(text.as_string().unwrap_or_default()))
}

/// Converts the core's JSON answer, or throws its failure as an `Error` with `code`.
fn answer(response: Response) -> Result<JsValue, JsValue> {
    match response {
        Ok(json) => {
            let value = JSON::parse(&json.to_go_compact())?;
            for key in ["value", "txBytes", "bodyBytes", "authInfoBytes", "publicKey"] {
                let field = Reflect::get(&value, &key.into())?;
                if let Some(bytes) = field.as_string().as_deref().and_then(base64_decode) {
                    Reflect::set(&value, &key.into(), &Uint8Array::from(bytes.as_slice()))?;
                }
            }
            let account = Reflect::get(&value, &"accountNumber".into())?;
            if let Some(text) = account.as_string() {
                Reflect::set(&value, &"accountNumber".into(), &BigInt::new(&text.into())?.into())?;
            }
            Ok(value)
        }
        Err(failure) => {
            let error = js_sys::Error::new(&failure.error.message);
            Reflect::set(&error, &"code".into(), &failure.error.code.as_str().into())?;
            if let Some(diagnostics) = &failure.diagnostics {
                Reflect::set(&error, &"diagnostics".into(), &JSON::parse(&diagnostics.to_go_compact())?)?;
            }
            Err(error.into())
        }
    }
}

fn field(value: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(value, &key.into())
}

fn encode(function: &str, kind: &str, params: &JsValue) -> Result<JsValue, JsValue> {
    let body = request_text(function, params)?;
    answer(request::encode_message(&format!("{{\"{kind}\":{}}}", body.as_str())))
}

/// MsgCreateDeployment for an SDL: `{typeUrl, value, json}` (`json`: the message as a review
/// screen shows it before signing).
#[wasm_bindgen(js_name = encodeCreateDeployment, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_create_deployment(
    #[wasm_bindgen(unchecked_param_type = "CreateDeploymentParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeCreateDeployment", "createDeployment", &params)
}

/// MsgUpdateDeployment with the SDL's new manifest version.
#[wasm_bindgen(js_name = encodeUpdateDeployment, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_update_deployment(
    #[wasm_bindgen(unchecked_param_type = "UpdateDeploymentParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeUpdateDeployment", "updateDeployment", &params)
}

/// MsgCloseDeployment.
#[wasm_bindgen(js_name = encodeCloseDeployment, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_close_deployment(
    #[wasm_bindgen(unchecked_param_type = "DeploymentId")] params: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeCloseDeployment", "closeDeployment", &params)
}

/// MsgCreateLease for a bid id (as the chain's REST returns it).
#[wasm_bindgen(js_name = encodeCreateLease, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_create_lease(
    #[wasm_bindgen(js_name = bidId, unchecked_param_type = "BidId")] bid_id: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeCreateLease", "createLease", &bid_id)
}

/// MsgCloseLease.
#[wasm_bindgen(js_name = encodeCloseLease, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_close_lease(
    #[wasm_bindgen(js_name = leaseId, unchecked_param_type = "BidId")] lease_id: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeCloseLease", "closeLease", &lease_id)
}

/// MsgAccountDeposit: top up a deployment's escrow.
#[wasm_bindgen(js_name = encodeAccountDeposit, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_account_deposit(
    #[wasm_bindgen(unchecked_param_type = "AccountDepositParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeAccountDeposit", "accountDeposit", &params)
}

/// MsgMintACT: burn uakt for uact.
#[wasm_bindgen(js_name = encodeMintAct, unchecked_return_type = "EncodedMessageWithJson")]
pub fn encode_mint_act(
    #[wasm_bindgen(unchecked_param_type = "MintActParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    encode("encodeMintAct", "mintAct", &params)
}

/// The JSON a review screen shows for an encoded message (one of these functions' results, or
/// any `{typeUrl, value}`): chain-sdk's `toJSON` form with `@type`, decoded from `value`; a
/// message this package does not know, or whose bytes hold more than that form shows, is
/// `{"@type", value: base64}`.
#[wasm_bindgen(js_name = messageJson, unchecked_return_type = "MessageJson")]
pub fn message_json(
    #[wasm_bindgen(unchecked_param_type = "EncodedMessage")] message: JsValue,
) -> Result<JsValue, JsValue> {
    let text = request_text("messageJson", &message)?;
    let encoded = answer(request::encode_message(&text))?;
    field(&encoded, "json")
}

/// Signs a transaction with a mnemonic key held only for this call: `{txBytes, txHash}`.
#[wasm_bindgen(js_name = signTx, unchecked_return_type = "SignedTx")]
pub fn sign_tx(#[wasm_bindgen(unchecked_param_type = "SignTxParams")] params: JsValue) -> Result<JsValue, JsValue> {
    answer(request::sign_tx(&request_text("signTx", &params)?))
}

/// The SignDoc a wallet's `signDirect` takes.
#[wasm_bindgen(js_name = makeSignDoc, unchecked_return_type = "SignDoc")]
pub fn make_sign_doc(
    #[wasm_bindgen(unchecked_param_type = "MakeSignDocParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    answer(request::make_sign_doc(&request_text("makeSignDoc", &params)?))
}

/// The TxRaw of a wallet's answer: `signDirect`'s response as is, or `{bodyBytes,
/// authInfoBytes, signature}`.
#[wasm_bindgen(js_name = assembleTx, unchecked_return_type = "SignedTx")]
pub fn assemble_tx(
    #[wasm_bindgen(unchecked_param_type = "DirectSignResponse | AssembleTxParams")] signed: JsValue,
) -> Result<JsValue, JsValue> {
    let mut params = signed.clone();
    // Keplr/Leap answer {signed: {bodyBytes, authInfoBytes, …}, signature: {signature, pub_key}}.
    let inner = if signed.is_object() { field(&signed, "signed")? } else { JsValue::UNDEFINED };
    if inner.is_object() {
        let flat = Object::new();
        Reflect::set(&flat, &"bodyBytes".into(), &field(&inner, "bodyBytes")?)?;
        Reflect::set(&flat, &"authInfoBytes".into(), &field(&inner, "authInfoBytes")?)?;
        let signature = field(&signed, "signature")?;
        let signature = if signature.is_object() && !signature.is_instance_of::<Uint8Array>() {
            field(&signature, "signature")?
        } else {
            signature
        };
        Reflect::set(&flat, &"signature".into(), &signature)?;
        params = flat.into();
    }
    answer(request::assemble_tx(&request_text("assembleTx", &params)?))
}

fn mnemonic_request(function: &str, mnemonic: &JsValue, options: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    let phrase = mnemonic
        .as_string()
        .ok_or_else(|| type_error(format!("leasekit/orders.{function}: the mnemonic must be a string")))?;
    let index = if options.is_object() { field(options, "accountIndex")? } else { JsValue::UNDEFINED };
    let index = index.as_f64().map_or(0.0, |i| i);
    let mut request = Json::Obj(vec![("mnemonic", Json::Str(phrase)), ("accountIndex", Json::Num(index as u64))]);
    let text = Zeroizing::new(request.to_go_compact());
    if let Json::Obj(fields) = &mut request {
        for (_, value) in fields {
            if let Json::Str(s) = value {
                s.zeroize();
            }
        }
    }
    Ok(text)
}

/// The address of a mnemonic's account (index 0 unless `{accountIndex}` says otherwise).
#[wasm_bindgen(js_name = addressFromMnemonic)]
pub fn address_from_mnemonic(
    #[wasm_bindgen(unchecked_param_type = "string")] mnemonic: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ accountIndex?: number }")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let account = answer(request::account(&mnemonic_request("addressFromMnemonic", &mnemonic, &options)?))?;
    Ok(field(&account, "address")?.as_string().unwrap_or_default())
}

/// A mnemonic's account: `{address, publicKey}`.
#[wasm_bindgen(js_name = accountFromMnemonic, unchecked_return_type = "Account")]
pub fn account_from_mnemonic(
    #[wasm_bindgen(unchecked_param_type = "string")] mnemonic: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ accountIndex?: number }")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    answer(request::account(&mnemonic_request("accountFromMnemonic", &mnemonic, &options)?))
}

/// A new 24-word mnemonic from the platform's CSPRNG (`crypto.getRandomValues`).
#[wasm_bindgen(js_name = generateMnemonic)]
pub fn generate_mnemonic() -> Result<String, JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get_random_values = Reflect::get(&crypto, &"getRandomValues".into())?
        .dyn_into::<Function>()
        .map_err(|_| type_error("leasekit/orders.generateMnemonic: crypto.getRandomValues is not available".into()))?;
    let buffer = Uint8Array::new_with_length(32);
    get_random_values.call1(&crypto, &buffer)?;
    let mut entropy = [0u8; 32];
    buffer.copy_to(&mut entropy);
    buffer.fill(0, 0, 32);
    let phrase = leasekit_tx::MnemonicSigner::generate_mnemonic(&entropy);
    entropy.fill(0);
    Ok(phrase.as_str().to_owned())
}

fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Adds `"now"` (the clock, in Unix seconds) to a request object's JSON text.
fn add_now(text: &str) -> Zeroizing<String> {
    let body = text.trim_end().strip_suffix('}').unwrap_or(text).trim_end();
    let separator = if body.ends_with('{') { "" } else { "," };
    Zeroizing::new(format!("{body}{separator}\"now\":{}}}", now_seconds()))
}

/// A JWT request, with `now` from the clock when neither `now` nor `claims` is given.
fn with_clock(function: &str, params: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    let text = request_text(function, params)?;
    let explicit = !field(params, "now")?.is_undefined() || !field(params, "claims")?.is_undefined();
    Ok(if explicit { text } else { add_now(&text) })
}

/// A provider JWT signed with a mnemonic key (ES256KADR36 unless `alg` says ES256K).
#[wasm_bindgen(js_name = createProviderJwt)]
pub fn create_provider_jwt(
    #[wasm_bindgen(unchecked_param_type = "CreateJwtParams")] params: JsValue,
) -> Result<String, JsValue> {
    let token = answer(request::create_jwt(&with_clock("createProviderJwt", &params)?))?;
    Ok(field(&token, "token")?.as_string().unwrap_or_default())
}

/// What a wallet signs for a JWT: pass `signingInput` to `signArbitrary(chainId, iss, …)`.
#[wasm_bindgen(js_name = jwtSigningInput, unchecked_return_type = "JwtSigningInput")]
pub fn jwt_signing_input(
    #[wasm_bindgen(unchecked_param_type = "JwtSigningInputParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    answer(request::jwt_signing_input(&with_clock("jwtSigningInput", &params)?))
}

/// A JWT from its signing input and a wallet's signature (base64, bytes, or `signArbitrary`'s
/// `{signature}` object).
#[wasm_bindgen(js_name = assembleJwt)]
pub fn assemble_jwt(
    #[wasm_bindgen(js_name = signingInput, unchecked_param_type = "string")] signing_input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | { signature: string }")] signature: JsValue,
) -> Result<String, JsValue> {
    let signature = if signature.is_object() && !signature.is_instance_of::<Uint8Array>() {
        field(&signature, "signature")?
    } else {
        signature
    };
    let params = Object::new();
    Reflect::set(&params, &"signingInput".into(), &signing_input)?;
    Reflect::set(&params, &"signature".into(), &signature)?;
    let token = answer(request::assemble_jwt(&request_text("assembleJwt", &params)?))?;
    Ok(field(&token, "token")?.as_string().unwrap_or_default())
}

/// Verifies a token as a provider does (signature by `publicKey`, claims, validity at `now`,
/// default the clock): `{alg, claims}`.
#[wasm_bindgen(js_name = verifyProviderJwt, unchecked_return_type = "VerifiedJwt")]
pub fn verify_provider_jwt(
    #[wasm_bindgen(unchecked_param_type = "VerifyJwtParams")] params: JsValue,
) -> Result<JsValue, JsValue> {
    let text = request_text("verifyProviderJwt", &params)?;
    let text = if field(&params, "now")?.is_undefined() { add_now(&text) } else { text };
    answer(request::verify_jwt(&text))
}

fn thrown(error: &leasekit_tx::Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    js.into()
}

/// A key derived once from a mnemonic and held in Wasm memory until `free()` (which zeroizes
/// it), for signing many transactions and tokens: BIP-39's key stretching (PBKDF2, 2048
/// rounds) is most of what `signTx({mnemonic})` costs.
#[wasm_bindgen]
pub struct MnemonicKey {
    signer: leasekit_tx::MnemonicSigner,
}

#[wasm_bindgen]
impl MnemonicKey {
    /// Derives account `accountIndex` (default 0) of the mnemonic.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] mnemonic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ accountIndex?: number }")] options: Option<JsValue>,
    ) -> Result<MnemonicKey, JsValue> {
        let phrase = Zeroizing::new(
            mnemonic
                .as_string()
                .ok_or_else(|| type_error("leasekit/orders.MnemonicKey: the mnemonic must be a string".into()))?,
        );
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let index = if options.is_object() { field(&options, "accountIndex")?.as_f64().unwrap_or(0.0) } else { 0.0 };
        if !(0.0..2_147_483_648.0).contains(&index) || index.fract() != 0.0 {
            return Err(type_error(
                "leasekit/orders.MnemonicKey: accountIndex must be a whole number below 2^31".into(),
            ));
        }
        let signer = leasekit_tx::MnemonicSigner::from_mnemonic(&phrase, index as u32).map_err(|e| thrown(&e))?;
        Ok(MnemonicKey { signer })
    }

    /// The account's `akash1…` address.
    #[wasm_bindgen(getter)]
    pub fn address(&self) -> String {
        leasekit_tx::Signer::address(&self.signer)
    }

    /// The 33-byte compressed public key.
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> Uint8Array {
        Uint8Array::from(leasekit_tx::Signer::public_key(&self.signer).as_slice())
    }

    /// `signTx` without the mnemonic.
    #[wasm_bindgen(js_name = signTx, unchecked_return_type = "SignedTx")]
    pub fn sign_tx(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TxParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        answer(request::sign_tx_with(&request_text("MnemonicKey.signTx", &params)?, &self.signer))
    }

    /// `createProviderJwt` without the mnemonic.
    #[wasm_bindgen(js_name = createProviderJwt)]
    pub fn create_provider_jwt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "JwtOptions")] params: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let params = params.unwrap_or_else(|| Object::new().into());
        let token =
            answer(request::create_jwt_with(&with_clock("MnemonicKey.createProviderJwt", &params)?, &self.signer))?;
        Ok(field(&token, "token")?.as_string().unwrap_or_default())
    }
}
