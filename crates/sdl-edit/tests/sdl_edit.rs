//! Lossless round trip over the conformance inputs and rule fixtures, fixture-driven edit
//! cases (`tests/edits/NAME.yaml` → `NAME.expected.yaml`), and a seeded property test.

mod common;

use std::path::{Path, PathBuf};

use common::{Rng, read, suite, words, yaml_files};

/// Conformance inputs and the engine's rule fixtures.
fn corpus() -> Vec<PathBuf> {
    let mut files = yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdl/tests/rules"));
    if let Some(suite) = suite() {
        files.extend(yaml_files(&suite.join("input")));
    }
    files
}

use leasekit_sdl::syntax::{Origin, SyntaxKind, SyntaxNode};
use leasekit_sdl_edit::{Document, EditError, PathSegment, ScalarValue};

/// Paths (as owned keys/indices) of every scalar value written in place, with its node.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn segs(path: &[Seg]) -> Vec<PathSegment<'_>> {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => PathSegment::Key(k),
            Seg::Index(i) => PathSegment::Index(*i),
        })
        .collect()
}

fn scalars(node: &SyntaxNode, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, String, bool)>) {
    if node.origin != Origin::Source {
        return;
    }
    match &node.kind {
        SyntaxKind::Scalar { value, plain } => out.push((path.clone(), value.clone(), *plain)),
        SyntaxKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                scalars(item, path, out);
                path.pop();
            }
        }
        SyntaxKind::Map(entries) => {
            for (k, v) in entries {
                let SyntaxKind::Scalar { value, .. } = &k.kind else { continue };
                // Only the first of duplicate keys is reachable by path.
                if path.is_empty() && value == "<<" {
                    continue;
                }
                path.push(Seg::Key(value.clone()));
                scalars(v, path, out);
                path.pop();
            }
        }
    }
}

/// The value a no-op edit writes: the node's own value with its own type; None for plain
/// floats, nulls, YAML 1.1 words and number-like strings (`1.0.0`), which `ScalarValue`
/// cannot express or the editor quotes to be safe.
fn own_value(value: &str, plain: bool) -> Option<ScalarValue> {
    if plain {
        let reserved = ["", "~", "null", "yes", "no", "on", "off", "y", "n", ".inf", ".nan"];
        let numeric = |c: char| c.is_ascii_hexdigit() || "_.+-xXoO".contains(c);
        if value.parse::<i64>().is_err() && value.chars().all(numeric)
            || reserved.contains(&value.to_ascii_lowercase().as_str())
        {
            return None;
        }
        if let Ok(i) = value.parse::<i64>() {
            return Some(ScalarValue::Int(i));
        }
        if let Ok(b) = value.parse::<bool>() {
            return Some(ScalarValue::Bool(b));
        }
    }
    Some(ScalarValue::Str(value.to_owned()))
}

#[test]
fn round_trip_is_lossless() {
    let files = corpus();
    let mut checked = 0;
    for file in &files {
        let text = read(file);
        let Ok(mut doc) = Document::parse(&text) else { continue };
        assert_eq!(doc.text(), text, "{}", file.display());
        let mut found = Vec::new();
        scalars(doc.root(), &mut Vec::new(), &mut found);
        let paths: Vec<_> = found.iter().map(|(path, _, _)| path.clone()).collect();
        for (path, value, plain) in found {
            // A repeated key (which Go's GPU block allows) gives two scalars one path: writing
            // one's value at the path is no no-op for the other.
            if paths.iter().filter(|p| **p == path).count() > 1 {
                continue;
            }
            let Some(own) = own_value(&value, plain) else { continue };
            match doc.set_scalar(&segs(&path), own) {
                Ok(()) | Err(EditError::Derived { .. }) => {}
                Err(e) => panic!("{}: {path:?}: {e}", file.display()),
            }
            assert_eq!(doc.text(), text, "{}: no-op edit of {path:?} changed the text", file.display());
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} documents");
}

/// `a.b.0` → keys and indices; `.` is the root.
fn path_of(text: &str) -> Vec<Seg> {
    if text == "." {
        return Vec::new();
    }
    text.split('.').map(|s| s.parse().map_or_else(|_| Seg::Key(s.to_owned()), Seg::Index)).collect()
}

/// A fragment word: a quoted word's text, or a bare word as written.
fn fragment(word: &str) -> &str {
    word.strip_prefix('"').unwrap_or(word)
}

/// Runs one `# edit:` line (`set PATH VALUE`, `block PATH FRAGMENT`, `insert PATH KEY
/// FRAGMENT`, `ensure PATH`, `remove PATH`, `append PATH FRAGMENT`).
fn run_edit(doc: &mut Document, line: &str) -> Result<(), EditError> {
    let w = words(line);
    let path = path_of(&w[1]);
    let path = segs(&path);
    match w[0].as_str() {
        "set" => {
            let value = match w[2].as_str() {
                s if s.starts_with('"') => ScalarValue::Str(s[1..].to_owned()),
                "true" | "false" => ScalarValue::Bool(w[2] == "true"),
                s => ScalarValue::Int(s.parse().expect("integer")),
            };
            doc.set_scalar(&path, value)
        }
        "block" => doc.set_block(&path, fragment(&w[2])),
        "insert" => doc.insert(&path, &w[2], fragment(&w[3])),
        "ensure" => doc.ensure_mapping(&path),
        "remove" => doc.remove(&path),
        "append" => doc.append(&path, fragment(&w[2])),
        other => panic!("unknown edit {other}"),
    }
}

/// `tests/edits/NAME.yaml`: leading `# edit: ...` lines (`# edit!: ...` must be refused as
/// coming from an alias or merge) applied in order give `NAME.expected.yaml`. With
/// `BLESS=1` the expected files are written instead.
#[test]
fn edit_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/edits");
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases = 0;
    for file in yaml_files(&dir) {
        if file.to_string_lossy().ends_with(".expected.yaml") {
            continue;
        }
        let text = read(&file);
        let mut doc = Document::parse(&text).expect("fixture parses");
        for line in text.lines() {
            if let Some(edit) = line.strip_prefix("# edit: ") {
                run_edit(&mut doc, edit).unwrap_or_else(|e| panic!("{}: {edit}: {e}", file.display()));
            } else if let Some(edit) = line.strip_prefix("# edit!: ") {
                let before = doc.text().to_owned();
                let result = run_edit(&mut doc, edit);
                assert!(matches!(result, Err(EditError::Derived { .. })), "{}: {edit}: {result:?}", file.display());
                assert_eq!(doc.text(), before);
            }
        }
        let expected_path = file.with_extension("expected.yaml");
        if bless {
            std::fs::write(&expected_path, doc.text()).expect("write expected");
        }
        assert_eq!(doc.text(), read(&expected_path), "{}", file.display());
        cases += 1;
    }
    assert!(cases >= 10, "{cases} cases");
}

/// A random non-blank string made of parts that stress quoting.
fn random_string(rng: &mut Rng) -> String {
    const PARTS: &[&str] = &[
        "nginx", ":", "1.27", "80", "true", "yes", "null", "~", " ", ": ", " #", "#", "-", "\"", "'", "\\", "é", "🌍",
        "\t", "{", "]", ",", "&a", "*", "!", "|", ">", "%", "@", "0x1f", "1e3", ".", "\n",
    ];
    loop {
        let s: String = (0..1 + rng.below(5)).map(|_| *rng.pick(PARTS)).collect();
        if !s.trim().is_empty() {
            return s;
        }
    }
}

/// Random `set_scalar` edits on the conformance inputs: the result parses, the edited node
/// reads back as the new string, and every other line is unchanged; for service images,
/// `leasekit_sdl::build`'s manifest differs from the original in that image only.
#[test]
fn random_scalar_edits() {
    let Some(suite) = suite() else { return };
    let mut rng = Rng(0x5eed_1ea5_e417);
    let mut edits = 0;
    for file in yaml_files(&suite.join("input")) {
        let text = read(&file);
        let Ok(original) = Document::parse(&text) else { continue };
        let manifest = leasekit_sdl::build(&text).output.map(|o| o.manifest);
        let mut found = Vec::new();
        scalars(original.root(), &mut Vec::new(), &mut found);
        for _ in 0..40 {
            let (path, _, _) = &found[rng.below(found.len())];
            // Half the edits go to an image, where the manifest can be compared.
            let images: Vec<_> = found
                .iter()
                .filter(|(p, _, _)| {
                    p.len() == 3 && p[0] == Seg::Key("services".into()) && p[2] == Seg::Key("image".into())
                })
                .collect();
            let path = if rng.below(2) == 0 && !images.is_empty() { &images[rng.below(images.len())].0 } else { path };
            let value = random_string(&mut rng);
            let mut doc = original.clone();
            match doc.set_scalar(&segs(path), ScalarValue::Str(value.clone())) {
                Ok(()) => {}
                Err(EditError::Derived { .. }) => continue,
                Err(e) => panic!("{}: {path:?} = {value:?}: {e}", file.display()),
            }
            let node = doc.get(&segs(path)).expect("edited node");
            assert!(
                matches!(&node.kind, SyntaxKind::Scalar { value: v, plain } if *v == value && (!plain || own_value(v, true) == Some(ScalarValue::Str(value.clone())))),
                "{}: {path:?} = {value:?} reads back as {node:?}",
                file.display()
            );
            let old_line = text[..original.get(&segs(path)).expect("node").span.start as usize].matches('\n').count();
            let (old, new): (Vec<_>, Vec<_>) = (text.lines().collect(), doc.text().lines().collect());
            assert_eq!(old.len(), new.len(), "{}: {path:?}", file.display());
            for (i, (a, b)) in old.iter().zip(&new).enumerate() {
                assert!(i == old_line || a == b, "{}: {path:?}: line {} changed", file.display(), i + 1);
            }
            if let (Some(manifest), [Seg::Key(_), Seg::Key(service), Seg::Key(_)]) = (&manifest, path.as_slice())
                && path[2] == Seg::Key("image".into())
            {
                let built = leasekit_sdl::build(doc.text()).output.expect("still builds").manifest;
                let mut expected = manifest.clone();
                for svc in expected.groups.iter_mut().flat_map(|g| &mut g.services).filter(|s| &s.name == service) {
                    svc.image.clone_from(&value);
                }
                assert_eq!(built, expected, "{}: {path:?} = {value:?}", file.display());
            }
            edits += 1;
        }
    }
    assert!(edits > 200, "{edits} edits");
}

/// Small cases outside the SDL fixtures: empty values, block scalars, only entries, no final
/// newline, and refusals.
#[test]
fn edge_cases() {
    use PathSegment::{Index, Key};
    let edit = |text: &str, f: &dyn Fn(&mut Document) -> Result<(), EditError>| {
        let mut doc = Document::parse(text).expect("parses");
        f(&mut doc).map(|()| doc.text().to_owned())
    };
    let ok = |r: Result<String, EditError>| r.expect("edit applies");
    assert_eq!(ok(edit("a:\nb: 1\n", &|d| d.set_scalar(&[Key("a")], ScalarValue::Int(2)))), "a: 2\nb: 1\n");
    assert_eq!(
        ok(edit("a: |  # lit\n  x\n  y\nb: 1\n", &|d| d.set_scalar(&[Key("a")], ScalarValue::Str("z".into())))),
        "a: z\nb: 1\n"
    );
    assert_eq!(
        ok(edit("a: >- # a | b\n\n  x\nb: 1\n", &|d| d.set_scalar(&[Key("a")], ScalarValue::Str("z".into())))),
        "a: z\nb: 1\n"
    );
    assert_eq!(ok(edit("a:\n  x: 1 # c\nb: 1", &|d| d.remove(&[Key("a"), Key("x")]))), "a: {}\nb: 1");
    assert_eq!(ok(edit("a:\n  - 1\nb: 1", &|d| d.remove(&[Key("a"), Index(0)]))), "a: []\nb: 1");
    assert_eq!(ok(edit("- x: 1\n  y: 2\n", &|d| d.remove(&[Index(0), Key("x")]))), "- y: 2\n");
    assert_eq!(ok(edit("a: 1", &|d| d.insert(&[], "b", "2"))), "a: 1\nb: 2\n");
    assert_eq!(ok(edit("a: {}", &|d| d.insert(&[Key("a")], "x y", "1"))), "a: {x y: 1}");
    assert_eq!(ok(edit("a: [1, 2] # c", &|d| d.remove(&[Key("a"), Index(1)]))), "a: [1] # c");
    assert_eq!(ok(edit("a: 'it''s'", &|d| d.set_scalar(&[Key("a")], ScalarValue::Str("b'c".into())))), "a: 'b''c'");
    assert_eq!(ok(edit("a: 1", &|d| d.set_block(&[Key("a")], "x: 1\ny: 2"))), "a:\n  x: 1\n  y: 2");
    assert_eq!(ok(edit("a: 1 # c\n", &|d| d.set_block(&[Key("a")], "x: 1"))), "a:\n  x: 1 # c\n");
    assert_eq!(ok(edit("a: 1", &|d| d.ensure_mapping(&[Key("b"), Key("c")]))), "a: 1\nb: {c: {}}\n");
    assert!(matches!(edit("a: 1", &|d| d.insert(&[], "a", "2")), Err(EditError::KeyExists { .. })));
    assert!(matches!(
        edit("a: {x: 1}", &|d| d.insert(&[Key("a")], "y", "1\n2")),
        Err(EditError::MultiLineInFlow { .. })
    ));
    assert!(matches!(edit("a: 1", &|d| d.set_block(&[Key("a")], "[")), Err(EditError::Invalid(_))));
    assert!(matches!(edit("a: {x: 1}", &|d| d.insert(&[Key("a")], "y", "a, b")), Err(EditError::NotOneEntry { .. })));
    assert!(matches!(
        edit("a: 1", &|d| d.set_scalar(&[Key("b")], ScalarValue::Int(1))),
        Err(EditError::NotFound { depth: 0, .. })
    ));
    assert!(matches!(
        edit("a: [1]", &|d| d.set_scalar(&[Key("a")], ScalarValue::Int(1))),
        Err(EditError::WrongKind { .. })
    ));
    assert!(matches!(
        edit("a: &x 1\nb: *x", &|d| d.set_scalar(&[Key("b")], ScalarValue::Int(2))),
        Err(EditError::Derived { .. })
    ));
}

#[test]
fn engine_fixes_apply_through_the_editor_and_keep_everything_else() {
    use leasekit_sdl_edit::apply_fix;
    // A `to:` written as a mapping, with comments around it: the engine's safe fix.
    let source = "version: \"2.0\"\nservices:\n  web:\n    image: nginx  # pinned later\n    expose:\n      - port: 80\n        to:\n          # the public side\n          global: true\n";
    let build = leasekit_sdl::build(source);
    let edits = build.diagnostics.safe_edits();
    assert!(!edits.is_empty(), "{:#?}", build.diagnostics.all());
    let fixed = apply_fix(source, &edits).expect("applies");
    assert_eq!(fixed, source.replace("          global: true\n", "          - global: true\n"));
    // A fix of a syntax error starts from text that is not YAML.
    let stray = "--\nversion: \"2.0\"\n";
    let edits = leasekit_sdl::build(stray).diagnostics.safe_edits();
    assert_eq!(apply_fix(stray, &edits).expect("applies"), "---\nversion: \"2.0\"\n");
    // An edit that would break YAML that parsed is refused, and so are overlapping ones.
    let breaking = [leasekit_sdl::TextEdit { span: leasekit_sdl::Span::new(0, 0), replacement: "[".to_owned() }];
    assert!(matches!(apply_fix(source, &breaking), Err(EditError::Invalid(_))));
    let overlapping = [
        leasekit_sdl::TextEdit { span: leasekit_sdl::Span::new(0, 4), replacement: "a".to_owned() },
        leasekit_sdl::TextEdit { span: leasekit_sdl::Span::new(2, 6), replacement: "b".to_owned() },
    ];
    assert!(matches!(apply_fix(source, &overlapping), Err(EditError::Fix(_))));
}
