//! Fixes as data, on the `chain-price-denom` warning (Akash chain v2.0, BME: new deployments are
//! priced only in uact). Every SDL the repository has (the seed, the rule fixtures, the deploy
//! app's examples) and every conformance input is a case: wherever the warning appears, applying
//! its safe fixes must remove it, keep every comment, and change the GroupSpecs' denoms and
//! nothing else (same manifest, same version, same other diagnostics). Then the cases where no
//! clean edit exists, quoting, and the report's edit positions in UTF-8 and UTF-16.

use std::path::{Path, PathBuf};

use leasekit_sdl::{Build, Code, Diagnostic, PositionEncoding, TextEdit, apply_fixes, build};

const DENOM: &str = leasekit_sdl::limits::PRICE_DENOM;

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("dir entry").path())
        .flat_map(|p| if p.is_dir() { vec![p.join("input.yaml")] } else { vec![p] })
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && p.is_file())
        .collect();
    files.sort();
    files
}

fn suite() -> Option<PathBuf> {
    let dir = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"), PathBuf::from);
    if dir.join("input").is_dir() {
        return Some(dir);
    }
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "conformance suite not found at {}", dir.display());
    eprintln!("SKIPPED (conformance part): suite not found at {} (set LEASEKIT_CONFORMANCE)", dir.display());
    None
}

fn price_warnings(build: &Build) -> Vec<&Diagnostic> {
    build.diagnostics.all().iter().filter(|d| d.code == Code::ChainPriceDenom).collect()
}

/// The price warnings' safe fixes' edits, as a caller offering "fix all" would collect them
/// (other diagnostics' fixes are the mistake fixtures' business).
fn safe_edits(build: &Build) -> Vec<TextEdit> {
    price_warnings(build).into_iter().flat_map(|d| &d.fixes).filter(|f| f.safe).flat_map(|f| f.edits.clone()).collect()
}

/// The YAML comments of a text, in order: a `#` at a line's start or after a blank, outside
/// quotes, to the end of the line.
fn comments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut quote = None;
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            match (quote, c) {
                (None, '#') if previous == ' ' || previous == '\t' => {
                    out.push(&line[i..]);
                    break;
                }
                (None, '"' | '\'') if matches!(previous, ' ' | '\t' | '[' | '{' | ',' | ':') => quote = Some(c),
                (Some(q), _) if c == q => quote = None,
                _ => {}
            }
            previous = c;
        }
    }
    out
}

/// Everything but the denoms, to compare GroupSpecs across the fix.
fn with_denom(build: &Build, denom: &str) -> Option<Vec<leasekit_sdl::GroupSpec>> {
    let mut specs = build.output.as_ref()?.group_specs.clone();
    for unit in specs.iter_mut().flat_map(|g| &mut g.resources) {
        unit.price.denom = denom.to_owned();
    }
    Some(specs)
}

/// What a diagnostic says, apart from where (a fix of another length would shift spans).
fn gist(d: &Diagnostic) -> (Code, leasekit_sdl::Severity, String, bool) {
    (d.code, d.severity, d.message.clone(), d.reference)
}

/// Checks the fix on one SDL; returns whether it had the warning.
fn check_fix(what: &str, source: &str) -> bool {
    let before = build(source);
    let warnings = price_warnings(&before);
    if warnings.is_empty() {
        return false;
    }
    for w in &warnings {
        let [fix] = w.fixes.as_slice() else { panic!("{what}: one fix expected: {w:?}") };
        assert!(fix.safe, "{what}: {fix:?}");
        assert_eq!(fix.label, "Price in uact (same amount)", "{what}");
        let [edit] = fix.edits.as_slice() else { panic!("{what}: one edit expected: {fix:?}") };
        assert_eq!(edit.replacement, DENOM, "{what}");
        // The edit replaces the denom's text, within the diagnostic's span.
        let old = &source[edit.span.start as usize..edit.span.end as usize];
        assert!(w.message.contains(&format!(" in {old}: ")), "{what}: edit of {old:?} for {:?}", w.message);
        assert!(w.span.start <= edit.span.start && edit.span.end <= w.span.end, "{what}: {w:?}");
    }
    let fixed = apply_fixes(source, &safe_edits(&before)).unwrap_or_else(|e| panic!("{what}: {e}"));
    let after = build(&fixed);
    assert!(price_warnings(&after).is_empty(), "{what}: still warned after the fix:\n{fixed}");
    assert_eq!(comments(&fixed), comments(source), "{what}: comments changed");
    // Every price in uact also ends a mixed-denoms error; nothing else may change.
    let resolved = |d: &&Diagnostic| !matches!(d.code, Code::ChainPriceDenom | Code::MixedDenoms);
    let others = |b: &Build| b.diagnostics.all().iter().filter(resolved).map(gist).collect::<Vec<_>>();
    // Messages that name a price's denom (the price limit's) name the new one.
    let old_denoms: Vec<&str> =
        safe_edits(&before).iter().map(|e| &source[e.span.start as usize..e.span.end as usize]).collect();
    let renamed = |(code, severity, message, go): (Code, leasekit_sdl::Severity, String, bool)| {
        (code, severity, old_denoms.iter().fold(message, |m, old| m.replace(old, DENOM)), go)
    };
    let expected: Vec<_> = others(&before).into_iter().map(renamed).collect();
    assert_eq!(others(&after), expected, "{what}: other diagnostics changed");
    assert!(after.diagnostics.all().iter().all(|d| d.code != Code::MixedDenoms), "{what}");
    match (&before.output, &after.output) {
        (Some(a), Some(b)) => {
            assert_eq!(
                b.manifest.to_json().to_go_indented(),
                a.manifest.to_json().to_go_indented(),
                "{what}: manifest"
            );
            assert_eq!(b.version_hex(), a.version_hex(), "{what}: version");
            assert_eq!(with_denom(&after, DENOM), with_denom(&before, DENOM), "{what}: GroupSpecs beyond the denom");
            assert_ne!(b.group_specs, a.group_specs, "{what}: the denom did change");
        }
        (None, Some(_)) => {
            let errors: Vec<Code> = before.diagnostics.errors().map(|d| d.code).collect();
            assert!(errors.iter().all(|c| *c == Code::MixedDenoms), "{what}: the fix made {errors:?} build");
        }
        (None, None) => {}
        (Some(_), None) => panic!("{what}: the fix broke the build: {:?}", after.diagnostics.all()),
    }
    if let Some(out) = &after.output {
        assert!(out.group_specs.iter().flat_map(|g| &g.resources).all(|u| u.price.denom == DENOM), "{what}");
    }
    true
}

#[test]
fn fixing_every_affected_example_removes_the_warning_and_only_changes_the_denom() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("tests/seed.yaml")];
    files.extend(yaml_files(&root.join("tests/rules")));
    files.extend(yaml_files(&root.join("../../web/examples")));
    let mut affected: Vec<String> = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if check_fix(&file.display().to_string(), &source) {
            affected.push(file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
    }
    // The seed and the rule fixtures that keep uakt on purpose.
    for name in ["seed.yaml", "engine-price-denom-uakt.yaml", "engine-price-mixed-denoms-in-group.yaml"] {
        assert!(affected.iter().any(|a| a == name), "{name} not affected: {affected:?}");
    }
}

#[test]
fn fixing_every_affected_conformance_input_keeps_gos_output_but_the_denom() {
    let Some(suite) = suite() else { return };
    let input = suite.join("input");
    let mut files = Vec::new();
    for dir in ["v2.0", "v2.1", "invalid", "schema-only-invalid"] {
        files.extend(yaml_files(&input.join(dir)));
    }
    let mut valid_affected = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if check_fix(&file.display().to_string(), &source) && build(&source).output.is_some() {
            valid_affected += 1;
        }
    }
    // The 15 valid inputs of Akash's parity fixtures are all priced in uakt.
    assert!(valid_affected >= 15, "{valid_affected} valid conformance inputs had the warning");
}

const SDL: &str = "version: \"2.0\"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to:
          - global: true
  api:
    image: nginx
profiles:
  compute:
    web:
      resources: {cpu: {units: 0.5}, memory: {size: 512Mi}, storage: {size: 1Gi}}
    api:
      resources: {cpu: {units: 0.5}, memory: {size: 512Mi}, storage: {size: 1Gi}}
  placement:
    dcloud:
      pricing:
PRICING
deployment:
  web: {dcloud: {profile: web, count: 1}}
  api: {dcloud: {profile: api, count: 1}}
";

fn sdl(pricing: &str) -> String {
    SDL.replace("PRICING\n", pricing)
}

/// The fixed text, or None when a warning had no fix; panics if a warning is missing.
fn fixed(source: &str, warnings: usize) -> Option<String> {
    let before = build(source);
    assert_eq!(price_warnings(&before).len(), warnings, "{:?}", before.diagnostics.all());
    if price_warnings(&before).iter().any(|w| w.fixes.is_empty()) {
        assert!(price_warnings(&before).iter().all(|w| w.fixes.is_empty()), "all or none here");
        return None;
    }
    assert!(check_fix("inline", source));
    Some(apply_fixes(source, &safe_edits(&before)).expect("applies"))
}

#[test]
fn quoted_denoms_keep_their_quotes() {
    let source = sdl(
        "        web: {denom: \"uakt\", amount: 1}\n        api:\n          denom: 'uakt' # quoted\n          amount: 2\n",
    );
    let text = fixed(&source, 2).expect("fixable");
    assert!(text.contains("web: {denom: \"uact\", amount: 1}"), "{text}");
    assert!(text.contains("denom: 'uact' # quoted"), "{text}");
    // The warning is at the quoted scalar, not the comment after it.
    let result = build(&source);
    let spans: Vec<&str> =
        price_warnings(&result).iter().map(|w| &source[w.span.start as usize..w.span.end as usize]).collect();
    assert_eq!(spans, ["\"uakt\"", "'uakt'"]);
    // Another denom than uakt, written plain.
    let ibc = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
    let source = sdl(&format!("        web: {{denom: {ibc}, amount: 1}}\n        api: {{denom: uact, amount: 2}}\n"));
    let warning = build(&source);
    let warning = price_warnings(&warning)[0].clone();
    assert_eq!(
        warning.message,
        format!(
            "placement \"dcloud\" prices profile \"web\" in {ibc}: the chain accepts new deployments priced only in uact (ACT) since its v2.0 upgrade"
        )
    );
    assert_eq!(warning.hint.as_deref(), Some("price it in uact: the same amount, in micro-ACT"));
    assert!(fixed(&source, 1).expect("fixable").contains("web: {denom: uact, amount: 1}"));
}

#[test]
fn a_denom_whose_text_is_shared_gets_no_fix() {
    // An anchored denom and its alias: editing the anchor would change both prices at once.
    assert_eq!(fixed(&sdl("        web: {denom: &d uakt, amount: 1}\n        api: {denom: *d, amount: 2}\n"), 2), None);
    // A price merged from an anchored one.
    assert_eq!(fixed(&sdl("        web: &p {denom: uakt, amount: 1}\n        api: {<<: *p, amount: 2}\n"), 2), None);
    // A whole placement repeated by an alias elsewhere is shared too.
    let aliased = sdl("        web: {denom: uakt, amount: 1}\n        api: {denom: uakt, amount: 2}\n")
        .replace("    dcloud:\n", "    dcloud: &pl\n")
        .replace("deployment:\n", "    other: *pl\ndeployment:\n");
    let before = build(&aliased);
    assert!(price_warnings(&before).len() >= 2);
    assert!(price_warnings(&before).iter().all(|w| w.fixes.is_empty()), "{:?}", before.diagnostics.all());
}

#[test]
fn a_denom_not_spelled_plainly_at_its_span_gets_no_fix() {
    // A block scalar, and a tagged scalar (its span starts at the tag): no fix rather than a
    // guess at where the text is.
    let block = "        web: {denom: uact, amount: 1}\n        api:\n          denom: >-\n            uakt\n          amount: 2\n";
    assert_eq!(fixed(&sdl(block), 1), None);
    assert_eq!(
        fixed(&sdl("        web: {denom: !!str uakt, amount: 1}\n        api: {denom: !!str uakt, amount: 2}\n"), 2),
        None
    );
}

#[test]
fn a_denom_written_once_is_fixed_even_in_an_inline_merge() {
    let text = fixed(&sdl("        web: {denom: uakt, amount: 1}\n        api: {<<: {denom: uakt}, amount: 2}\n"), 2)
        .expect("fixable");
    assert!(text.contains("api: {<<: {denom: uact}, amount: 2}"), "{text}");
}

#[test]
fn uact_prices_have_no_warning() {
    let source = sdl("        web: {denom: uact, amount: 1}\n        api: {denom: \"uact\", amount: 2}\n");
    let result = build(&source);
    assert!(result.diagnostics.all().is_empty(), "{:?}", result.diagnostics.all());
    assert!(leasekit_sdl::check(&source).all().is_empty());
}

#[test]
fn check_and_build_carry_the_same_fixes() {
    let source = sdl("        web: {denom: uakt, amount: 1}\n        api: {denom: uakt, amount: 2}\n");
    assert_eq!(leasekit_sdl::check(&source), build(&source).diagnostics);
    assert_eq!(build(&source).diagnostics.all().iter().filter(|d| !d.fixes.is_empty()).count(), 2);
}

/// The report locates edits like diagnostics: offsets in the requested encoding, so a
/// JavaScript caller applies them to its (UTF-16) string with `slice`.
#[test]
fn report_edits_apply_in_utf8_and_utf16() {
    let source = sdl(
        "        # prix en ünïcødé 😀\n        web: {denom: uakt, amount: 1}\n        api: {denom: \"uakt\", amount: 2}\n",
    );
    let result = build(&source);
    let expected = apply_fixes(&source, &safe_edits(&result)).expect("applies");
    for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
        let report: serde_json::Value =
            serde_json::from_str(&result.to_js_json(&source, encoding).to_go_compact()).expect("json");
        let warnings = report["warnings"].as_array().expect("warnings");
        assert_eq!(warnings.len(), 2);
        let units: Vec<u16> = source.encode_utf16().collect();
        let text = |start: usize, end: usize| match encoding {
            PositionEncoding::Utf8 => source[start..end].to_owned(),
            PositionEncoding::Utf16 => String::from_utf16(&units[start..end]).expect("utf-16"),
        };
        let mut edits = Vec::new();
        for w in warnings {
            assert_eq!(w["code"], "chain-price-denom");
            let fix = &w["fixes"][0];
            assert_eq!((&fix["label"], &fix["safe"]), (&"Price in uact (same amount)".into(), &true.into()));
            let edit = &fix["edits"][0];
            let mut keys: Vec<&str> = edit.as_object().expect("edit").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["end", "replacement", "span", "start"]);
            let at = |k: &str| usize::try_from(edit["span"][k].as_u64().expect("offset")).expect("usize");
            assert_eq!(text(at("start"), at("end")), "uakt");
            // Line and column as for the diagnostic's own span; the quote is one column.
            assert_eq!(edit["start"]["line"], w["start"]["line"]);
            let column = |p: &serde_json::Value| p["column"].as_u64().expect("column");
            let quoted = u64::from(text(at("start") - 1, at("start")) == "\"");
            assert_eq!(column(&edit["start"]), column(&w["start"]) + quoted);
            assert_eq!(edit["end"]["columnUtf16"].as_u64(), edit["start"]["columnUtf16"].as_u64().map(|c| c + 4));
            edits.push((at("start"), at("end"), edit["replacement"].as_str().expect("replacement").to_owned()));
        }
        // Back to front, as a JavaScript caller would.
        edits.sort();
        let mut out = match encoding {
            PositionEncoding::Utf8 => source.as_bytes().to_vec(),
            PositionEncoding::Utf16 => Vec::new(),
        };
        let mut units = units.clone();
        for (start, end, replacement) in edits.into_iter().rev() {
            match encoding {
                PositionEncoding::Utf8 => drop(out.splice(start..end, replacement.bytes())),
                PositionEncoding::Utf16 => drop(units.splice(start..end, replacement.encode_utf16())),
            }
        }
        let applied = match encoding {
            PositionEncoding::Utf8 => String::from_utf8(out).expect("utf-8"),
            PositionEncoding::Utf16 => String::from_utf16(&units).expect("utf-16"),
        };
        assert_eq!(applied, expected, "{encoding:?}");
    }
    // Diagnostics without fixes say so with an empty list.
    let report = build("version: \"2.0\"\n").to_json("version: \"2.0\"\n").to_go_compact();
    assert!(report.contains("\"fixes\":[]"), "{report}");
}

#[test]
fn chain_rules_are_exactly_the_chain_codes() {
    // A deploy tool blocks signing on chain rules; a new `chain-…` code must be one.
    for code in Code::ALL {
        assert_eq!(code.is_chain_rule(), code.as_str().starts_with("chain-"), "{}", code.as_str());
    }
}
