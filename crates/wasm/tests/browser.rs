//! The package's exports in headless Chromium, the browser build's environment.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// sdl.md §7.3: the SDL of chain-sdk's "Basic SDL" snapshot, whose version upstream asserts.
const TETRIS: &str = include_str!("../../sdl/tests/rules/version-hash-tetris.yaml");
const TETRIS_VERSION: &str = "ee52e329aa45b0638c27065d52eb0dc92f6704194bc63c6435c56fb549dded7d";

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property")
}

fn options(encoding: &str) -> JsValue {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"positionEncoding".into(), &encoding.into()).expect("set");
    options.into()
}

#[wasm_bindgen_test]
fn builds_the_upstream_hash_vector() {
    assert!(web_sys_user_agent().contains("Chrome"), "running in Chromium");
    let result = leasekit_wasm::build(TETRIS.into(), JsValue::UNDEFINED).expect("build");
    assert_eq!(get(&result, "ok"), JsValue::TRUE);
    assert_eq!(get(&result, "version").as_string().as_deref(), Some(TETRIS_VERSION));
    let manifest: js_sys::Array = get(&result, "manifest").dyn_into().expect("array");
    assert_eq!(manifest.length(), 1);
}

#[wasm_bindgen_test]
fn reports_utf16_positions_for_editors() {
    let sdl = TETRIS.replace("image: bsord/tetris", "image: bsord/tetris # é😀").replace("count: 1", "count: -1");
    let diagnostics: js_sys::Array =
        leasekit_wasm::check(sdl.clone().into(), options("utf16")).expect("check").dyn_into().expect("array");
    let first = diagnostics.get(0);
    assert_eq!(get(&first, "code").as_string().as_deref(), Some("type-mismatch"));
    let span = get(&first, "span");
    let (start, end) = (get(&span, "start").as_f64().expect("start"), get(&span, "end").as_f64().expect("end"));
    let js = js_sys::JsString::from(sdl.as_str());
    assert_eq!(js.slice(start as u32, end as u32).as_string().as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
fn misuse_throws_a_type_error() {
    let error = leasekit_wasm::build(JsValue::from_f64(1.0), JsValue::UNDEFINED).expect_err("throws");
    assert!(error.is_instance_of::<js_sys::TypeError>());
    let error = leasekit_wasm::check(TETRIS.into(), options("latin1")).expect_err("throws");
    assert!(error.is_instance_of::<js_sys::TypeError>());
}

fn web_sys_user_agent() -> String {
    let navigator = get(&js_sys::global(), "navigator");
    get(&navigator, "userAgent").as_string().unwrap_or_default()
}
