//! What the tests share.
//!
//! **Suites that live outside the repository.** Two data sets are not ours to copy: Akash's SDL
//! parity fixtures (inputs with the Go reference's `manifest.json` and `group-specs.json`) and
//! recorded answers of the real chain REST and of a real provider, one JSON file per endpoint. A
//! test finds each through an environment variable (`LEASEKIT_CONFORMANCE`,
//! `LEASEKIT_REAL_API`) or beside the checkout (`../shared/conformance`, `../shared/real-api`).
//! Outside CI a missing suite is reported as skipped; with `CI=true` it fails the test, so CI
//! can never pass by not finding its data.
//!
//! **Shapes.** [`shape_diff`] compares two JSON documents by shape — the same keys, the same
//! kind of value at each (string, number, bool, null, object, array) — which is how the devnet is
//! held to the recorded answers: its values differ, its encodings must not.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A data set found on disk.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Its directory.
    pub dir: PathBuf,
}

impl Suite {
    /// The text of `name` inside the suite.
    ///
    /// # Panics
    /// The file cannot be read (a test failure naming it).
    #[must_use]
    pub fn read(&self, name: &str) -> String {
        let path = self.dir.join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// `name` parsed as JSON.
    ///
    /// # Panics
    /// The file cannot be read or is not JSON.
    #[must_use]
    pub fn json(&self, name: &str) -> Value {
        serde_json::from_str(&self.read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The names of the suite's files ending in `extension` (e.g. `.json`), sorted.
    ///
    /// # Panics
    /// The directory cannot be listed.
    #[must_use]
    pub fn files(&self, extension: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap_or_else(|e| panic!("{}: {e}", self.dir.display()))
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(extension))
            .collect();
        names.sort();
        names
    }
}

/// Whether the tests run in CI (`CI=true`), where a missing suite is a failure.
#[must_use]
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Finds a suite: `$env` if set, else `../shared/<name>` beside the workspace; `probe` is a file
/// or directory the suite must contain.
///
/// # Panics
/// In CI, when the suite is not found.
#[must_use]
pub fn locate(env: &str, name: &str, probe: &str) -> Option<Suite> {
    let dir = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| workspace_root().join("../shared").join(name));
    if dir.join(probe).exists() {
        return Some(Suite { dir });
    }
    assert!(!in_ci(), "{name} not found at {} (set {env})", dir.display());
    eprintln!("SKIPPED: {name} not found at {} (set {env})", dir.display());
    None
}

/// The recorded answers of mainnet's chain REST and of a real provider (`LEASEKIT_REAL_API`).
#[must_use]
pub fn real_api() -> Option<Suite> {
    locate("LEASEKIT_REAL_API", "real-api", "node-info.json")
}

/// Akash's SDL parity fixtures (`LEASEKIT_CONFORMANCE`).
#[must_use]
pub fn conformance() -> Option<Suite> {
    locate("LEASEKIT_CONFORMANCE", "conformance", "input")
}

/// The workspace root (this crate sits at `crates/test-support`).
#[must_use]
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The kind of a JSON value, as a shape comparison sees it.
#[must_use]
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What a shape comparison lets pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allow<'a> {
    /// Paths (`$.a.b`, `[]` for any array element) that may be absent from either side.
    pub optional: &'a [&'a str],
    /// Paths whose insides are not compared (e.g. a tx's messages, which differ by type).
    pub opaque: &'a [&'a str],
    /// Paths where ours may be `null` though the recording has a value (the value's absence is
    /// a legitimate answer: `next_key` on a last page, an unset timestamp).
    pub nullable: &'a [&'a str],
    /// Keys the recording lacks may appear in ours (the recording was abridged by its publisher).
    pub extra_keys: bool,
    /// Paths of objects keyed by names the user chose (services by SDL name): each of ours is
    /// compared with the recording's first entry, whatever the names.
    pub maps: &'a [&'a str],
}

/// Where `ours` differs in shape from `recorded`, one line per difference, with its JSON path:
/// a key one has and the other lacks, or another kind of value. Array elements are compared
/// with the recording's first element (a list's entries share a shape); an empty array on either
/// side matches any.
#[must_use]
pub fn shape_diff(recorded: &Value, ours: &Value, allow: Allow<'_>) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("$", recorded, ours, allow, &mut out);
    out
}

fn diff_at(path: &str, recorded: &Value, ours: &Value, allow: Allow<'_>, out: &mut Vec<String>) {
    if allow.opaque.contains(&path) {
        return;
    }
    match (recorded, ours) {
        (Value::Object(r), Value::Object(o)) if allow.maps.contains(&path) => {
            if let Some(first) = r.values().next() {
                for value in o.values() {
                    diff_at(&format!("{path}[]"), first, value, allow, out);
                }
            }
        }
        (Value::Object(r), Value::Object(o)) => {
            for (key, r_value) in r {
                let at = format!("{path}.{key}");
                match o.get(key) {
                    Some(o_value) => diff_at(&at, r_value, o_value, allow, out),
                    None if allow.optional.contains(&at.as_str()) => {}
                    None => out.push(format!("{at}: recorded has it, ours lacks it")),
                }
            }
            for key in o.keys().filter(|k| !r.contains_key(*k)) {
                let at = format!("{path}.{key}");
                if !allow.extra_keys && !allow.optional.contains(&at.as_str()) {
                    out.push(format!("{at}: ours has it, the recording does not"));
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => {
            if let Some(first) = r.first() {
                for item in o {
                    diff_at(&format!("{path}[]"), first, item, allow, out);
                }
            }
        }
        (_, Value::Null) if allow.nullable.contains(&path) => {}
        _ if kind(recorded) != kind(ours) => {
            out.push(format!("{path}: recorded is {}, ours is {}", kind(recorded), kind(ours)));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Allow, shape_diff};

    #[test]
    fn shapes_differ_by_key_kind_and_nesting() {
        let none = Allow::default();
        let recorded = json!({"a": "1", "b": null, "list": [{"x": 1}], "o": {"k": true}});
        assert!(shape_diff(&recorded, &json!({"a": "2", "b": null, "list": [], "o": {"k": false}}), none).is_empty());
        let diff = shape_diff(&recorded, &json!({"a": 1, "list": [{"x": "1"}], "o": {"k": true, "extra": 0}}), none);
        assert_eq!(
            diff,
            [
                "$.a: recorded is string, ours is number",
                "$.b: recorded has it, ours lacks it",
                "$.list[].x: recorded is number, ours is string",
                "$.o.extra: ours has it, the recording does not",
            ]
        );
        assert!(shape_diff(&json!({"a": 1}), &json!({}), Allow { optional: &["$.a"], ..none }).is_empty());
        assert!(
            shape_diff(&json!({"a": {"b": 1}}), &json!({"a": {"c": 1}}), Allow { opaque: &["$.a"], ..none }).is_empty()
        );
        assert!(shape_diff(&json!({"a": 1}), &json!({"a": 2, "b": 3}), Allow { extra_keys: true, ..none }).is_empty());
        assert!(shape_diff(&json!({"a": "k"}), &json!({"a": null}), Allow { nullable: &["$.a"], ..none }).is_empty());
        assert!(!shape_diff(&json!({"a": null}), &json!({"a": "k"}), Allow { nullable: &["$.a"], ..none }).is_empty());
        let by_name = Allow { maps: &["$.s"], ..none };
        assert!(shape_diff(&json!({"s": {"web": {"n": 1}}}), &json!({"s": {"game": {"n": 2}}}), by_name).is_empty());
        assert_eq!(
            shape_diff(&json!({"s": {"web": {"n": 1}}}), &json!({"s": {"game": {"n": "2"}}}), by_name),
            ["$.s[].n: recorded is number, ours is string"]
        );
    }
}
