//! The engine never panics and keeps its invariants on any text: truncations and seeded
//! mutations of real SDLs, and hostile documents. (The fuzz targets in `fuzz/` go further;
//! this runs in every `cargo test`.)

use std::path::{Path, PathBuf};

use leasekit_sdl::{Severity, build};

const SEED_SDL: &str = include_str!("seed.yaml");

fn seeds() -> Vec<String> {
    let mut seeds = vec![SEED_SDL.to_owned()];
    let suite = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"), PathBuf::from);
    for version in ["v2.0", "v2.1"] {
        let Ok(dir) = std::fs::read_dir(suite.join("input").join(version)) else { continue };
        let mut cases: Vec<PathBuf> = dir.map(|e| e.expect("entry").path().join("input.yaml")).collect();
        cases.sort();
        seeds.extend(cases.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    seeds
}

/// Checks the invariants every result must keep.
fn check(source: &str) {
    let result = build(source);
    let all = result.diagnostics.all();
    for d in all {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        assert!(
            start <= end && end <= source.len(),
            "span {start}..{end} outside {} bytes: {d:?}\n{source}",
            source.len()
        );
        assert!(source.is_char_boundary(start) && source.is_char_boundary(end), "span inside a character: {d:?}");
        assert!(!d.message.is_empty());
        // Every fix is a valid set of edits of this very text.
        for fix in &d.fixes {
            assert!(!fix.edits.is_empty() && !fix.label.is_empty(), "{fix:?}");
            if let Err(e) = leasekit_sdl::apply_fixes(source, &fix.edits) {
                panic!("{fix:?} does not apply: {e}\n{source}");
            }
        }
    }
    let errors: Vec<_> = all.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(result.output.is_some(), errors.is_empty(), "output iff no errors\n{source}");
    if let Some(first) = errors.first() {
        assert!(first.reference, "the first error is Go's");
        assert_eq!(all.iter().filter(|d| d.reference).count(), 1);
    }
    if let Some(out) = &result.output {
        assert_eq!(out.version_hex().len(), 64);
        assert!(out.manifest.to_sorted_json().starts_with('['));
    }
}

#[test]
fn every_truncation_of_real_sdls() {
    for seed in seeds().iter().take(4) {
        for (i, _) in seed.char_indices() {
            check(&seed[..i]);
        }
    }
}

/// xorshift64*: a fixed, dependency-free PRNG so every run tests the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "|\n",
    ">\n",
    "'",
    "\"",
    "#",
    "\n",
    "\t",
    "  ",
    "<<: *a\n",
    "0",
    "-1",
    "1e400",
    "0x1p4",
    "4294967296",
    ".inf",
    "NaN",
    "yes",
    "null",
    "~",
    "é",
    "😀",
    "\u{2028}",
    "\\",
    "\r\n",
    "global: true",
    "ip: x",
    "as: 80",
    "proto: udp",
    "count: 0",
    "units: 1.5m",
    "size: 1K",
    "amount: 1.",
    "denom: ab",
    "kind: ip",
    "version: \"2.1\"",
    "persistent: true",
    "class: ram",
    "tee: cpu-gpu",
    "next_cases: [off, error]",
];

fn mutate(rng: &mut Rng, source: &str) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 if !chars.is_empty() => {
                let end = (at + rng.below(16)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            2 => {
                // Duplicate a line: repeated keys and list items.
                let text: String = chars.iter().collect();
                let lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let line = lines[rng.below(lines.len())];
                    let pos = rng.below(lines.len());
                    let mut out: Vec<&str> = lines.clone();
                    out.insert(pos, line);
                    chars = out.join("\n").chars().collect();
                }
            }
            3 if !chars.is_empty() => {
                let i = rng.below(chars.len());
                chars[i] = PIECES[rng.below(PIECES.len())].chars().next().unwrap_or(' ');
            }
            _ => {
                // Re-indent a line by a random amount.
                let text: String = chars.iter().collect();
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    lines[i] = format!("{}{}", " ".repeat(rng.below(6)), lines[i].trim_start());
                    chars = lines.join("\n").chars().collect();
                }
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn seeded_mutations_of_real_sdls() {
    let seeds = seeds();
    let mut rng = Rng(0x5eed_1ea5_e417);
    for i in 0..6000 {
        let seed = &seeds[i % seeds.len()];
        check(&mutate(&mut rng, seed));
    }
}

#[test]
fn hostile_documents_are_bounded() {
    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let cases = [
        laughs,
        "[".repeat(100_000),
        "{a: ".repeat(50_000),
        format!(
            "version: \"2.0\"\nservices: {{{}}}",
            (0..5000).map(|i| format!("s{i}: {{image: x}}")).collect::<Vec<_>>().join(", ")
        ),
        format!("version: \"{}\"", "9".repeat(10_000)),
        format!(
            "version: \"2.0\"\nprofiles: {{compute: {{c: {{resources: {{cpu: {{units: \"{}\"}}}}}}}}}}",
            "9".repeat(5000)
        ),
        "\u{feff}version: \"2.0\"".to_owned(),
        "version: \"2.0\"\n---\nversion: \"2.1\"\n".to_owned(),
        "\0\0\0".to_owned(),
        "- - - - -".to_owned(),
        "*unknown".to_owned(),
        "? [a, b]\n: c\nversion: \"2.0\"".to_owned(),
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn each_seed_is_valid() {
    for seed in seeds() {
        assert!(build(&seed).output.is_some());
    }
}
