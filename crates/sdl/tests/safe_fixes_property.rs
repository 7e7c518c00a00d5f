//! The property the safe fixes promise: applied all at once to an SDL Go accepts, they never
//! make it rejected and never change its manifest (or version). Only warnings carry fixes on an
//! accepted SDL; the one that changes text is `chain-price-denom`, whose fix must change the
//! GroupSpecs' denoms and nothing else.
//!
//! The SDLs are every accepted one the repository and the conformance suite have (the seed, the
//! rule fixtures that build, the mistake fixtures' fixed results, Akash's v2.0/v2.1 inputs),
//! each varied at random the ways that keep Go accepting it: prices in other valid denoms
//! (quoted or not), comments and blank lines inserted between lines.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use leasekit_sdl::{TextEdit, apply_fixes, build};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn yaml_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .flat_map(|p| if p.is_dir() { vec![p.join("input.yaml")] } else { vec![p] })
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && p.is_file())
        .collect();
    files.sort();
    files
}

/// Every accepted SDL at hand.
fn corpus() -> Vec<(String, String)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![here.join("tests/seed.yaml")];
    files.extend(yaml_in(&here.join("tests/rules")));
    files.extend(
        yaml_in(&here.join("tests/mistakes")).into_iter().filter(|p| p.to_string_lossy().ends_with(".fixed.yaml")),
    );
    if let Some(suite) = leasekit_test_support::conformance() {
        files.extend(yaml_in(&suite.dir.join("input/v2.0")));
        files.extend(yaml_in(&suite.dir.join("input/v2.1")));
    }
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            build(&text).output.is_some().then(|| (p.display().to_string(), text))
        })
        .collect()
}

const DENOMS: &[&str] = &[
    "uact",
    "uakt",
    "\"uakt\"",
    "'uakt'",
    "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1",
    "\"ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84\"",
];

/// The SDL with its `denom:` values replaced by `denoms` (cycled) and a comment or a blank line
/// after the lines `extra` picks.
fn vary(source: &str, denoms: &[usize], extra: &[(usize, bool)]) -> String {
    let mut out = String::new();
    let mut denom_index = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(rest) = trimmed.strip_prefix("denom: ") {
            // Only a plain one-word denom with nothing after it: the rest of the line is kept as is.
            let word = rest.trim_end();
            if !word.contains([' ', '#', '&', '*']) && !denoms.is_empty() {
                let denom = DENOMS[denoms[denom_index % denoms.len()]];
                denom_index += 1;
                out.push_str(indent);
                out.push_str("denom: ");
                out.push_str(denom);
                out.push_str(&rest[word.len()..]);
                continue;
            }
        }
        out.push_str(line);
        if line.ends_with('\n') {
            for &(at, blank) in extra {
                if at == i && !trimmed.starts_with(['|', '>']) && !line.trim_end().ends_with(['|', '>', '-', '+']) {
                    out.push_str(if blank { "\n" } else { "# a comment of the author's\n" });
                }
            }
        }
    }
    out
}

fn safe_edits(source: &str) -> Vec<TextEdit> {
    build(source).diagnostics.safe_edits()
}

#[test]
fn safe_fixes_never_reject_an_accepted_sdl_or_change_its_manifest() {
    let corpus = corpus();
    assert!(corpus.len() >= 20, "only {} accepted SDLs found", corpus.len());
    let strategy = (
        0..corpus.len(),
        proptest::collection::vec(0..DENOMS.len(), 0..4),
        proptest::collection::vec((0usize..200, any::<bool>()), 0..4),
    );
    let mut runner = TestRunner::new(Config { cases: 512, failure_persistence: None, ..Config::default() });
    let fixed_some = std::cell::Cell::new(0u32);
    runner
        .run(&strategy, |(which, denoms, extra)| {
            let (name, original) = &corpus[which];
            let source = vary(original, &denoms, &extra);
            let before = build(&source);
            // Block scalars and unusual layouts can make a variation invalid YAML: not an input
            // the property speaks of.
            let Some(output) = before.output.as_ref() else { return Ok(()) };
            let edits = safe_edits(&source);
            if edits.is_empty() {
                return Ok(());
            }
            fixed_some.set(fixed_some.get() + 1);
            let fixed = apply_fixes(&source, &edits).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
            let after = build(&fixed);
            let Some(fixed_output) = after.output.as_ref() else {
                return Err(TestCaseError::fail(format!("{name}: rejected after its safe fixes:\n{fixed}")));
            };
            prop_assert_eq!(fixed_output.manifest.to_json_string(), output.manifest.to_json_string(), "{}", name);
            prop_assert_eq!(fixed_output.version_hex(), output.version_hex(), "{}", name);
            // The GroupSpecs differ only where a price's denom was made uact.
            let uact = |b: &leasekit_sdl::Build| {
                b.output.as_ref().map(|o| {
                    let mut specs = o.group_specs.clone();
                    for unit in specs.iter_mut().flat_map(|g| g.resources.iter_mut()) {
                        unit.price.denom = leasekit_sdl::limits::PRICE_DENOM.to_owned();
                    }
                    specs
                })
            };
            prop_assert_eq!(uact(&after), uact(&before), "{}", name);
            prop_assert!(safe_edits(&fixed).is_empty(), "{}: safe fixes left after applying them all", name);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let fixed_some = fixed_some.get();
    assert!(fixed_some > 50, "only {fixed_some} cases had a safe fix to apply");
    eprintln!("{fixed_some} of 512 varied SDLs had safe fixes; all kept their manifest");
}
