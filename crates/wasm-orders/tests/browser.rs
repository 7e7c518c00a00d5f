//! `leasekit/orders` in headless Chromium, the browser build's environment: the key held in
//! Wasm memory signs chain.md §6.2's transaction byte for byte, the page's CSPRNG makes new
//! mnemonics, and tokens made here verify here.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// chain.md §6.1–6.2.
const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";
const ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
const MSG_VALUE_HEX: &str = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
const TX_HASH: &str = "C16E868DD6950226A23C87F7848C23077C72AF582C6599FCA9A77FB718DBA03E";
const TX_RAW_PREFIX_HEX: &str = "0a8f020a8c020a2d2f616b6173682e6465706c6f796d656e742e763162657461342e4d7367";

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &(*k).into(), v).expect("set");
    }
    o.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("property")
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[wasm_bindgen_test]
fn signs_the_chain_md_vector_in_the_browser() {
    let message = object(&[
        ("typeUrl", "/akash.deployment.v1beta4.MsgCreateDeployment".into()),
        ("value", Uint8Array::from(hex(MSG_VALUE_HEX).as_slice()).into()),
    ]);
    let fee = object(&[("amount", js_sys::Array::of1(&"5000uakt".into()).into()), ("gasLimit", 200_000.into())]);
    let params = object(&[
        ("mnemonic", MNEMONIC.into()),
        ("chainId", "akashnet-2".into()),
        ("accountNumber", js_sys::BigInt::from(12345u32).into()),
        ("sequence", "7".into()),
        ("messages", js_sys::Array::of1(&message).into()),
        ("fee", fee),
    ]);
    let signed = leasekit_wasm_orders::sign_tx(params).expect("signTx");
    assert_eq!(get(&signed, "txHash").as_string().as_deref(), Some(TX_HASH));
    let bytes: Uint8Array = get(&signed, "txBytes").dyn_into().expect("Uint8Array");
    assert!(to_hex(&bytes.to_vec()).starts_with(TX_RAW_PREFIX_HEX));
}

#[wasm_bindgen_test]
fn mnemonics_from_the_page_csprng_and_tokens() {
    let a = leasekit_wasm_orders::generate_mnemonic().expect("mnemonic");
    let b = leasekit_wasm_orders::generate_mnemonic().expect("mnemonic");
    assert_eq!(a.split(' ').count(), 24);
    assert_ne!(a, b);
    assert!(leasekit_wasm_orders::address_from_mnemonic(a.into(), None).expect("address").starts_with("akash1"));

    let account = leasekit_wasm_orders::account_from_mnemonic(MNEMONIC.into(), None).expect("account");
    assert_eq!(get(&account, "address").as_string().as_deref(), Some(ADDRESS));
    let token = leasekit_wasm_orders::create_provider_jwt(object(&[("mnemonic", MNEMONIC.into())])).expect("jwt");
    let verified = leasekit_wasm_orders::verify_provider_jwt(object(&[
        ("token", token.into()),
        ("publicKey", get(&account, "publicKey")),
    ]))
    .expect("verify at the page's clock");
    assert_eq!(get(&get(&verified, "claims"), "iss").as_string().as_deref(), Some(ADDRESS));
}

#[wasm_bindgen_test]
fn mistakes_throw_errors_with_codes() {
    let error = leasekit_wasm_orders::address_from_mnemonic(MNEMONIC.replace("drip", "drop").into(), None)
        .expect_err("bad checksum");
    assert_eq!(get(&error, "code").as_string().as_deref(), Some("invalid-mnemonic"));
    let error = leasekit_wasm_orders::sign_tx(JsValue::from_str("not an object")).expect_err("type");
    assert!(error.is_instance_of::<js_sys::TypeError>());
}
