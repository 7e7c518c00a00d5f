//! The TypeScript declarations are generated from `leasekit_wasm::types`; this proves those
//! types describe exactly the JSON the package returns: every report of every fixture SDL
//! round-trips through them (unknown fields rejected, nothing lost, `null` vs absent kept).

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use leasekit_sdl::PositionEncoding;
use leasekit_wasm::types::{BuildResult, Diagnostic};

fn sdl_files() -> Vec<PathBuf> {
    let sdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdl/tests");
    let mut files = vec![sdl.join("seed.yaml")];
    let mut rules: Vec<PathBuf> =
        std::fs::read_dir(sdl.join("rules")).expect("rules dir").map(|e| e.expect("entry").path()).collect();
    rules.sort();
    files.extend(rules);
    let suite = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"), PathBuf::from);
    for dir in ["input/v2.0", "input/v2.1"] {
        if let Ok(entries) = std::fs::read_dir(suite.join(dir)) {
            files.extend(entries.map(|e| e.expect("entry").path().join("input.yaml")));
        }
    }
    for dir in ["input/invalid", "input/schema-only-invalid"] {
        if let Ok(entries) = std::fs::read_dir(suite.join(dir)) {
            files.extend(entries.map(|e| e.expect("entry").path()));
        }
    }
    files
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str, what: &str) -> T {
    let typed: T =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: does not fit the declared type: {e}\n{json}"));
    let original: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(serde_json::to_value(&typed).expect("serialize"), original, "{what}: changed in the round trip");
    typed
}

#[test]
fn every_result_fits_the_declared_types() {
    let files = sdl_files();
    assert!(files.len() > 100, "fixtures found: {}", files.len());
    let (mut ok, mut err) = (0, 0);
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read");
        let what = file.display().to_string();
        let result = leasekit_sdl::build(&source);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let json = result.to_js_json(&source, encoding).to_go_compact();
            match round_trip::<BuildResult>(&json, &what) {
                BuildResult::Ok(b) => {
                    assert!(b.ok && result.output.is_some(), "{what}");
                    ok += 1;
                }
                BuildResult::Err(b) => {
                    assert!(!b.ok && result.output.is_none(), "{what}");
                    err += 1;
                }
            }
            let check = result.diagnostics.to_json(&source, encoding).to_go_compact();
            round_trip::<Vec<Diagnostic>>(&check, &what);
        }
    }
    assert!(ok > 0 && err > 0, "both result shapes were exercised ({ok} ok, {err} err)");
}

#[test]
fn every_code_is_in_the_declared_union() {
    for code in leasekit_sdl::Code::ALL {
        assert!(leasekit_sdl::Code::TYPESCRIPT.contains(&format!("\"{}\"", code.as_str())), "{code:?}");
    }
}
