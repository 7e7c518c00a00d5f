//! WebAssembly bindings of `leasekit-sdl`, published as the npm package `leasekit`.
//!
//! Thin by design: each export converts its arguments, calls the core, and hands the core's
//! JSON report to `JSON.parse`. Mistakes in the SDL come back as data (diagnostics); only
//! misuse of the API (a non-string SDL, unknown options) throws.

pub mod types;

use js_sys::{JSON, Object, Reflect};
use leasekit_sdl::PositionEncoding;
use leasekit_sdl::json::Json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const CODE: &str = leasekit_sdl::Code::TYPESCRIPT;

/// Checks an SDL and returns every error and warning (the error Akash would report first,
/// marked `reference`).
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "string")] yaml: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (source, encoding) = arguments("check", &yaml, &options)?;
    let diagnostics = leasekit_sdl::check(&source);
    parse(&diagnostics.to_json(&source, encoding))
}

/// Builds an SDL: `{ok: true, version, manifest, groupSpecs, warnings, manifestJson,
/// sortedManifestJson}`, or `{ok: false, errors, warnings}`.
#[wasm_bindgen(unchecked_return_type = "BuildResult")]
pub fn build(
    #[wasm_bindgen(unchecked_param_type = "string")] yaml: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (source, encoding) = arguments("build", &yaml, &options)?;
    let result = leasekit_sdl::build(&source);
    parse(&result.to_js_json(&source, encoding))
}

fn parse(json: &Json) -> Result<JsValue, JsValue> {
    JSON::parse(&json.to_go_compact())
}

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

/// Validates the arguments every export takes.
fn arguments(function: &str, yaml: &JsValue, options: &JsValue) -> Result<(String, PositionEncoding), JsValue> {
    let source = yaml
        .as_string()
        .ok_or_else(|| type_error(format!("leasekit.{function}: the SDL must be a string, not {}", type_of(yaml))))?;
    if options.is_undefined() || options.is_null() {
        return Ok((source, PositionEncoding::Utf8));
    }
    if !options.is_object() {
        return Err(type_error(format!("leasekit.{function}: options must be an object, not {}", type_of(options))));
    }
    let mut encoding = PositionEncoding::Utf8;
    let object: &Object = options.unchecked_ref();
    for key in Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = Reflect::get(options, &key)?;
        match name.as_str() {
            "positionEncoding" => {
                encoding = match value.as_string().as_deref() {
                    _ if value.is_undefined() => PositionEncoding::Utf8,
                    Some("utf8") => PositionEncoding::Utf8,
                    Some("utf16") => PositionEncoding::Utf16,
                    _ => {
                        return Err(type_error(format!(
                            "leasekit.{function}: positionEncoding must be \"utf8\" or \"utf16\""
                        )));
                    }
                };
            }
            _ => return Err(type_error(format!("leasekit.{function}: unknown option {name:?}"))),
        }
    }
    Ok((source, encoding))
}

fn type_of(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_else(|| "unknown".to_owned())
}
