//! A memory or storage size Go refuses — the most common rejection in public SDLs is a suffix in
//! the wrong case — keeps Go's text as its message and says, in plain words, what Go takes; a
//! suffix in the wrong case or with a trailing `B` comes with its reading as an edit: one reading
//! (`512mi` → `512Mi`: the `i` says powers of 1024) is a safe fix, two (`32gb` → `32G` or `32Gi`)
//! are suggestions. Expected byte counts are the suffixes' definitions (Go's go/sdl units.go:
//! `k…E` powers of 1000, `Ki…Ei` powers of 1024), not this crate's output.

use leasekit_sdl::{Code, Diagnostic, Fix, TextEdit, apply_fixes, build};

const SDL: &str = "version: \"2.0\"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 1}
        # the memory
        memory:
          size: MEMORY # keep me
        storage:
          size: STORAGE
  placement:
    dcloud:
      pricing:
        web: {denom: uact, amount: 1000}
deployment:
  web:
    dcloud:
      profile: web
      count: 1
";

fn sdl(memory: &str, storage: &str) -> String {
    SDL.replace("MEMORY", memory).replace("STORAGE", storage)
}

fn size_errors(source: &str) -> Vec<Diagnostic> {
    build(source).diagnostics.all().iter().filter(|d| d.code == Code::InvalidSize).cloned().collect()
}

/// Memory and storage bytes of the built SDL; panics with the diagnostics when it does not build.
fn bytes(source: &str) -> (u64, u64) {
    let built = build(source);
    let output = built.output.unwrap_or_else(|| panic!("does not build: {:?}\n{source}", built.diagnostics.all()));
    let resources = &output.manifest.groups[0].services[0].resources;
    (resources.memory.as_ref().map_or(0, |m| m.bytes), resources.storage.iter().map(|v| v.bytes).sum())
}

fn apply(source: &str, fix: &Fix) -> String {
    apply_fixes(source, &fix.edits).expect("the edits apply")
}

#[test]
fn a_suffix_in_the_wrong_case_is_fixed_safely_and_comments_stay() {
    let source = sdl("512mi", "\"16GiB\"");
    let errors = size_errors(&source);
    assert_eq!(errors.len(), 2, "{errors:?}");
    // Go's text is the `go` note; the message says what a size is, the hint what to write.
    assert_eq!(errors[0].go.as_deref(), Some("strconv.ParseFloat: parsing \"512mi\": invalid syntax"));
    assert!(
        errors[0].message.starts_with("\"512mi\" is not a size: a size is a number and one of the suffixes k, M, G")
    );
    assert_eq!(errors[0].hint.as_deref(), Some("write 512Mi"));
    let edits: Vec<TextEdit> =
        errors.iter().flat_map(|e| &e.fixes).filter(|f| f.safe).flat_map(|f| f.edits.clone()).collect();
    assert_eq!(edits.len(), 2);
    let fixed = apply_fixes(&source, &edits).expect("applies");
    assert!(fixed.contains("        # the memory\n") && fixed.contains("size: 512Mi # keep me\n"), "{fixed}");
    assert!(fixed.contains("size: \"16Gi\"\n"), "the quotes stay: {fixed}");
    assert_eq!(bytes(&fixed), (512 << 20, 16 << 30));
}

#[test]
fn a_suffix_with_two_readings_is_a_pair_of_suggestions() {
    let source = sdl("32gb", "1Gi");
    let errors = size_errors(&source);
    assert_eq!(errors.len(), 1);
    let error = &errors[0];
    assert_eq!(error.hint.as_deref(), Some("did you mean 32G or 32Gi?"));
    let labels: Vec<(&str, bool)> = error.fixes.iter().map(|f| (f.label.as_str(), f.safe)).collect();
    assert_eq!(labels, [("Write 32G?", false), ("Write 32Gi?", false)]);
    assert_eq!(bytes(&apply(&source, &error.fixes[0])).0, 32_000_000_000);
    assert_eq!(bytes(&apply(&source, &error.fixes[1])).0, 32 << 30);
    // An uppercase K is no suffix either (only k and Ki are).
    let errors = size_errors(&sdl("512Mi", "1K"));
    let readings: Vec<&str> = errors[0].fixes.iter().map(|f| f.edits[0].replacement.as_str()).collect();
    assert_eq!(readings, ["1k", "1Ki"]);
}

#[test]
fn no_edit_where_the_text_is_shared_or_means_nothing() {
    // Through an alias the text is another node's: the hint, but no edit.
    let aliased = SDL
        .replace("        # the memory\n", "")
        .replace("size: MEMORY # keep me", "size: &m 2gi")
        .replace("size: STORAGE", "size: *m");
    let errors = size_errors(&aliased);
    assert!(!errors.is_empty() && errors.iter().all(|e| e.fixes.is_empty() && e.hint.is_some()), "{errors:?}");
    assert!(errors.iter().all(|e| e.message.contains("a size is a number")), "{errors:?}");
    // A number Go cannot read, or a letter that is no size suffix: the suffixes, no guess.
    for text in ["80G8", "1xb"] {
        let errors = size_errors(&sdl(text, "1Gi"));
        assert_eq!(errors.len(), 1, "{text}");
        assert!(errors[0].fixes.is_empty(), "{text}: {:?}", errors[0].fixes);
        assert!(errors[0].message.contains(": a size is a number"), "{text}");
        assert_eq!(errors[0].hint, None, "{text}: no guess");
    }
}
