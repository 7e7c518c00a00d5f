//! WebAssembly bindings of `leasekit-sdl`, published as the npm package `leasekit`.
//!
//! Thin by design: each export converts its arguments, calls the core, and hands the core's
//! JSON report to `JSON.parse`. Mistakes in the SDL come back as data (diagnostics); only
//! misuse of the API (a non-string SDL, unknown options) throws.

#[cfg(feature = "ip")]
pub mod ip_types;
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

#[cfg(feature = "ip")]
/// Plans an SDL's leased IPs: per endpoint its sequence number and bindings, per placement
/// group the addresses a provider must have free, and the ports a provider would withhold.
/// `{ok: true, endpoints, groups, conflicts, warnings}`, or `{ok: false, errors, warnings}`.
#[wasm_bindgen(js_name = planIps, unchecked_return_type = "PlanResult")]
pub fn plan_ips(
    #[wasm_bindgen(unchecked_param_type = "string")] yaml: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (source, encoding) = arguments("planIps", &yaml, &options)?;
    parse(&leasekit_ipalloc::plan_js_json(&source, encoding))
}

#[cfg(feature = "ip")]
/// Runs a provider scenario (a `Scenario` object or its JSON text) and returns one result per
/// step. A malformed scenario throws a `TypeError`.
#[wasm_bindgen(unchecked_return_type = "SimulationStep[]")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "Scenario | string")] scenario: JsValue,
) -> Result<JsValue, JsValue> {
    let text = match scenario.as_string() {
        Some(text) => text,
        None if scenario.is_object() => JSON::stringify(&scenario)?.as_string().unwrap_or_default(),
        None => {
            return Err(type_error(format!(
                "leasekit.simulate: the scenario must be an object or JSON text, not {}",
                type_of(&scenario)
            )));
        }
    };
    let steps = leasekit_ipalloc::simulate_steps(&text).map_err(|e| type_error(format!("leasekit.simulate: {e}")))?;
    parse(&Json::Arr(steps))
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
