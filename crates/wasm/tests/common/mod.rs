//! Fixture helpers shared by the type tests.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Every SDL the tests can find: the seed, the rule fixtures and the conformance inputs.
pub fn sdl_files() -> Vec<PathBuf> {
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

/// Parses `json` as `T` (unknown fields rejected) and checks that nothing changes on the way back.
pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str, what: &str) -> T {
    let typed: T =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: does not fit the declared type: {e}\n{json}"));
    let original: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(serde_json::to_value(&typed).expect("serialize"), original, "{what}: changed in the round trip");
    typed
}
