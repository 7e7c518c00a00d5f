//! Every `tests/scenarios/NAME.json` runs through `simulate` and must give
//! `NAME.expected.json` (compared as JSON values). The expected files were checked by hand
//! against provider.md §2.2, §2.4, §4 and §6.

use std::path::Path;

#[test]
fn scenarios_give_their_expected_results() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenario directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && !n.ends_with(".expected.json"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "scenarios missing: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let scenario = std::fs::read_to_string(dir.join(name)).expect("scenario");
        let actual: serde_json::Value = serde_json::from_str(&leasekit_ipalloc::simulate(&scenario)).expect("JSON out");
        let expected_path = dir.join(name.replace(".json", ".expected.json"));
        let expected: Option<serde_json::Value> =
            std::fs::read_to_string(&expected_path).ok().map(|t| serde_json::from_str(&t).expect("expected JSON"));
        if expected.as_ref() != Some(&actual) {
            failures.push(format!("{name}: got\n{}", serde_json::to_string_pretty(&actual).expect("pretty")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn malformed_scenarios_and_steps_are_reported() {
    let run =
        |s: &str| -> serde_json::Value { serde_json::from_str(&leasekit_ipalloc::simulate(s)).expect("JSON out") };
    assert!(run("not json")["error"].as_str().is_some_and(|e| e.starts_with("scenario is not JSON")));
    assert_eq!(run(r#"{"pool": ["10.0.0.256"], "steps": []}"#)["error"], "not an IPv4 address: 10.0.0.256");
    assert_eq!(
        run(r#"{"pool": ["10.0.0.1", "10.0.0.1"], "steps": []}"#)["error"],
        "an address appears twice in the pool"
    );
    let out = run(
        r#"{"pool": [], "steps": [{"op": "dance"}, {"op": "status", "owner": "o"}, {"op": "status", "owner": "o", "dseq": 1}]}"#,
    );
    assert_eq!(out[0]["error"]["message"], "unknown op `dance`");
    assert_eq!(out[1]["error"]["message"], "`dseq` is required");
    assert_eq!(out[2]["error"]["status"], 404);
}
