//! What the fuzz targets share: the invariants every `leasekit_sdl::build` result must hold,
//! and a line-level SDL mutator for `sdl_structured`.

use leasekit_sdl::{LineIndex, Severity};

/// Builds `data` if it is UTF-8 (the engine takes `&str`; callers decode bytes first) and
/// panics, so libFuzzer records a crash, if the result breaks an invariant.
pub fn check(data: &[u8]) {
    if let Ok(source) = std::str::from_utf8(data) {
        check_str(source);
    }
}

/// The invariants of one build.
pub fn check_str(source: &str) {
    let built = leasekit_sdl::build(source);
    let index = LineIndex::new(source);
    for d in built.diagnostics.all() {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        // Editors slice the source with these spans; a bad one panics there, not here.
        assert!(start <= end && end <= source.len(), "span {start}..{end} outside {} bytes: {d:?}", source.len());
        assert!(
            source.is_char_boundary(start) && source.is_char_boundary(end),
            "span {start}..{end} splits a character: {d:?}"
        );
        let (from, to) = d.locate(&index);
        assert!(from.line >= 1 && from.line <= to.line, "positions {from:?}..{to:?} out of order: {d:?}");
        assert!(!d.message.is_empty(), "empty message: {d:?}");
    }
    let errors = built.diagnostics.all().iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(
        built.output.is_some(),
        errors == 0,
        "output present: {}, errors: {errors}: {:?}",
        built.output.is_some(),
        built.diagnostics
    );
    assert_eq!(built.diagnostics.has_errors(), errors > 0);
    let Some(output) = built.output else { return };

    let sorted = output.manifest.to_sorted_json();
    let manifest = parse_json(&sorted, "sorted manifest");
    let groups = manifest.as_array().unwrap_or_else(|| panic!("the manifest is not a JSON array: {sorted}"));
    assert_eq!(groups.len(), output.manifest.groups.len());
    for group in groups {
        assert!(group.get("name").is_some_and(serde_json::Value::is_string), "group without a name: {group}");
        assert!(group.get("services").is_some_and(serde_json::Value::is_array), "group without services: {group}");
    }
    // The unsorted bytes are what the tenant sends; they must decode to the same document.
    assert_eq!(parse_json(&output.manifest.to_json_string(), "manifest"), manifest);
    assert_eq!(output.version, output.manifest.version(), "the version is not the hash of the manifest");
    assert_eq!(output.version_hex().len(), 64);
    let specs = parse_json(&output.group_specs_json().to_go_indented(), "GroupSpecs");
    assert!(specs.is_array(), "GroupSpecs JSON is not an array: {specs}");
}

fn parse_json(text: &str, what: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not valid JSON ({e}): {text}"))
}

/// SDL keys, so that a mutation can move a document into another branch of the decoder.
const KEYS: &[&str] = &[
    "version",
    "services",
    "image",
    "command",
    "args",
    "env",
    "expose",
    "port",
    "as",
    "proto",
    "to",
    "global",
    "ip",
    "accept",
    "http_options",
    "max_body_size",
    "read_timeout",
    "send_timeout",
    "next_tries",
    "next_timeout",
    "next_cases",
    "proxy_buffer_size",
    "params",
    "storage",
    "mount",
    "readOnly",
    "tee",
    "permissions",
    "dependencies",
    "service",
    "credentials",
    "host",
    "email",
    "username",
    "password",
    "profiles",
    "compute",
    "placement",
    "resources",
    "cpu",
    "units",
    "memory",
    "size",
    "gpu",
    "vendor",
    "nvidia",
    "model",
    "ram",
    "interface",
    "attributes",
    "arch",
    "persistent",
    "class",
    "name",
    "signedBy",
    "anyOf",
    "allOf",
    "pricing",
    "denom",
    "amount",
    "deployment",
    "profile",
    "count",
    "endpoints",
    "kind",
    "reclamation",
    "min_window",
    "<<",
];

/// Numbers at the edges of Akash's unit parsers, YAML's number resolution and the chain limits.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "0.5",
    "0.001",
    "0.0001",
    "1000m",
    "10m",
    "9m",
    "384",
    "384001m",
    "1e3",
    "1e308",
    "1e400",
    "-0",
    ".inf",
    "-.inf",
    ".nan",
    "0x10",
    "0o17",
    "0b1",
    "1_000",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "65535",
    "65536",
    "1Ki",
    "1Mi",
    "1Gi",
    "1Ti",
    "1Pi",
    "1Ei",
    "16Ei",
    "5M",
    "1k",
    "1.5Gi",
    "-1Gi",
    "10000000",
    "10000001",
    "0.000000000000000001",
    "0.0000000000000000001",
];

/// Other values: YAML's type resolution, the enumerations Akash accepts, anchors and tags.
const VALUES: &[&str] = &[
    "1s",
    "1h30m",
    "-1ns",
    "9223372036854775807ns",
    "uakt",
    "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
    "u",
    "\"2.0\"",
    "\"2.1\"",
    "2.0",
    "2.1",
    "\"1.0\"",
    "\"v2.1.0-beta1\"",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "~",
    "null",
    "\"\"",
    "''",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "http",
    "tcp",
    "udp",
    "TCP",
    "HTTPS",
    "cpu",
    "ram",
    "beta3",
    "nvidia",
    "sxm",
    "pcie",
    "akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63",
    "/var/lib/data",
    "/",
    "default",
    "off",
    "error",
    "timeout",
    "http_500",
    "shared",
    "&a 1",
    "*a",
    "!!str 1",
    "!!int \"1\"",
    "!!float 1",
    "!!binary aGk=",
    "|\n  text",
    ">-\n  text",
    "\"\\u00e9\\t\"",
    "é",
    "\u{1F600}",
    "\"\\0\"",
    "a b",
    "-",
    "#",
    ":",
];

/// Lines inserted whole, mostly structure a seed may lack.
const SNIPPETS: &[&str] = &[
    "version: \"2.1\"",
    "- global: true",
    "- ip: myip",
    "- service: other",
    "- port: 443",
    "- accept:",
    "- kind: ip",
    "- name: data",
    "- model: a100",
    "- http_500",
    "- FOO=bar",
    "- anchor: &a {port: 80}",
    "- <<: *a",
    "<<: *a",
    "&a",
    "? key",
    "---",
    "...",
    "%YAML 1.2",
    "endpoints:",
    "  myip:",
    "    kind: ip",
    "credentials:",
    "params:",
    "  storage:",
    "    data:",
    "      mount: /data",
    "persistent: true",
    "class: beta3",
    "tee: cpu",
    "reclamation:",
    "  min_window: 1h",
    "gpu:",
    "  units: 1",
    "  attributes:",
    "    vendor:",
    "      nvidia:",
    "storage:",
    "  - size: 1Gi",
    "  - name: data",
    "    size: 10Gi",
    "    attributes:",
    "      persistent: true",
    "      class: beta2",
];

/// A small deterministic generator: libFuzzer requires that the same seed gives the same mutation.
struct Rng(u32);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        // xorshift32
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Mutates a UTF-8 SDL document line by line, keeping it YAML-shaped so that most mutants get
/// past the parser into decoding, validation and manifest building, where libFuzzer's byte
/// mutations rarely arrive. Returns the new size, or `None` when the caller should use
/// libFuzzer's own mutation instead (non-UTF-8 data, a result over `max_size`, or by chance,
/// so byte-level changes still happen).
pub fn mutate(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> Option<usize> {
    let mut rng = Rng(seed | 1);
    if rng.below(4) == 0 {
        return None;
    }
    let text = std::str::from_utf8(&data[..size]).ok()?;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=rng.below(3) {
        mutate_lines(&mut lines, &mut rng);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    let bytes = out.as_bytes();
    if bytes.len() > max_size || bytes.len() > data.len() {
        return None;
    }
    data[..bytes.len()].copy_from_slice(bytes);
    Some(bytes.len())
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches(' ').len()]
}

fn mutate_lines(lines: &mut Vec<String>, rng: &mut Rng) {
    if lines.is_empty() {
        lines.push(rng.pick(SNIPPETS).to_owned());
        return;
    }
    let n = lines.len();
    let i = rng.below(n);
    match rng.below(9) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(rng.below(n + 1), line);
        }
        2 => lines.swap(i, rng.below(n)),
        // Replace the value after `key:` or `- `, or append one to a bare `key:`.
        3 => {
            let line = &lines[i];
            let value = if rng.below(2) == 0 { rng.pick(NUMBERS) } else { rng.pick(VALUES) };
            let head = match (line.find(": "), line.trim_end().strip_suffix(':')) {
                (Some(colon), _) => line[..colon + 2].to_owned(),
                (None, Some(key)) => format!("{key}: "),
                (None, None) => match line.find("- ") {
                    Some(dash) => line[..dash + 2].to_owned(),
                    None => indent_of(line).to_owned(),
                },
            };
            lines[i] = format!("{head}{value}");
        }
        // Replace the key, keeping indentation, any `- ` and the value.
        4 => {
            let line = &lines[i];
            let Some(colon) = line.find(':') else { return };
            let indent = indent_of(line);
            let dash = if line[indent.len()..].starts_with("- ") { "- " } else { "" };
            lines[i] = format!("{indent}{dash}{}{}", rng.pick(KEYS), &line[colon..]);
        }
        5 => {
            let indent = indent_of(&lines[i]).to_owned();
            let extra = if rng.below(2) == 0 { "" } else { "  " };
            lines.insert(i, format!("{indent}{extra}{}", rng.pick(SNIPPETS)));
        }
        6 => {
            let line = &lines[i];
            lines[i] = if rng.below(2) == 0 {
                format!("  {line}")
            } else {
                line.strip_prefix("  ").unwrap_or(line).to_owned()
            };
        }
        // Repeat a block (a service, an expose entry, a profile): duplicate keys, many entries.
        7 => {
            let len = 1 + rng.below(12).min(n - i - 1);
            let block: Vec<String> = lines[i..i + len].to_vec();
            let at = i + len;
            lines.splice(at..at, block);
        }
        // Replace a run of digits, the quickest way to reach the unit parsers' edges.
        _ => {
            let line = &lines[i];
            let Some(start) = line.find(|c: char| c.is_ascii_digit()) else { return };
            let end = line[start..].find(|c: char| !c.is_ascii_digit()).map_or(line.len(), |e| start + e);
            let number = rng.pick(NUMBERS);
            lines[i] = format!("{}{number}{}", &line[..start], &line[end..]);
        }
    }
}
