//! Rule fixtures: one small SDL per validation rule in `tests/rules/*.yaml`, with the
//! diagnostics it must produce written inline as YAML comments.
//!
//! The expected messages are Akash's Go texts as described in the project's SDL specification
//! (`sdl.md`), compared with each diagnostic's `go` note, not copies of this engine's output,
//! so every fixture can fail. The only exceptions are diagnostics Go has no text for (Go
//! crashes, or silently ignores the input), compared with the engine's message; those
//! fixtures say so in their first line. The plain-words messages are pinned by the mistake
//! fixtures (`tests/mistakes.rs`).
//!
//! # Fixture format
//!
//! - The first line is a comment saying what the fixture pins.
//! - `# error[CODE]: MESSAGE` or `# warning[CODE]: MESSAGE` as a trailing comment on a line
//!   means: a diagnostic with that severity, code (`Code::as_str`, kebab-case) and exact
//!   message starts (`span.start`) on that line. A trailing comment on a comment line (such
//!   as the first line) applies to that line.
//! - The same as a whole-line comment applies to the next line that is neither blank nor a
//!   comment (for lines that cannot carry a comment, such as a block scalar, or for
//!   readability).
//! - `# error[CODE] (go): MESSAGE` additionally means this is the error Go reports
//!   (`Diagnostic::reference`). Every fixture with errors marks exactly one `(go)`.
//! - `# error[CODE]@COLUMN: MESSAGE` also pins the 1-based UTF-8 column where the span starts.
//! - `# error[CODE] (folded): MESSAGE` is an error folded under another one
//!   (`Diagnostic::folded`): a follow-on of an earlier error's root cause.
//! - MESSAGE is the rest of the line with trailing whitespace removed; when it must keep
//!   trailing whitespace (or contain a newline) it is written as a JSON string: `"...\n... "`.
//! - `# version: <64 hex digits>` anywhere: the SDL must build and its manifest version
//!   (`Output::version_hex`) must equal that.
//! - A fixture without expectations must build with no diagnostics at all.
//!
//! The harness compares the multiset of (line, column where given, severity, code, go,
//! folded, message) expected with the one found, exactly: missing and unexpected diagnostics both fail. It also checks that every
//! span lies within the source, that exactly one error is Go's when there are errors, and that
//! there is output if and only if there is no error. All fixtures run; the test fails at the
//! end with a per-file report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use leasekit_sdl::{Code, Diagnostic, LineIndex, Severity, apply_fixes};

/// One expected (or found) diagnostic, in the fixture's terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expect {
    line: u32,
    /// Pinned by `@COLUMN`; always set on what was found.
    column: Option<u32>,
    severity: &'static str,
    code: String,
    go: bool,
    folded: bool,
    message: String,
}

impl Expect {
    fn render(&self) -> String {
        let at = match self.column {
            Some(c) => format!("line {}:{c}", self.line),
            None => format!("line {}", self.line),
        };
        let go = if self.go { " (go)" } else { "" };
        let folded = if self.folded { " (folded)" } else { "" };
        format!("{at}: {}[{}]{go}{folded}: {:?}", self.severity, self.code, self.message)
    }

    /// What was found meets what was expected (a column only when the fixture pins one).
    fn meets(&self, expected: &Expect) -> bool {
        self.line == expected.line
            && expected.column.is_none_or(|c| self.column == Some(c))
            && self.severity == expected.severity
            && self.code == expected.code
            && self.go == expected.go
            && self.folded == expected.folded
            && self.message == expected.message
    }
}

/// What a fixture's comments ask for.
#[derive(Debug, Default)]
struct Fixture {
    expected: Vec<Expect>,
    version: Option<String>,
}

/// An annotation found in one line's comments.
enum Annotation {
    Diagnostic { severity: &'static str, code: String, column: Option<u32>, go: bool, folded: bool, message: String },
    Version(String),
}

/// Finds the annotation in a line: a `#` at the start or after whitespace, followed by
/// `error[`, `warning[` or `version:`. Returns the byte offset of the `#` and the annotation.
fn find_annotation(line: &str) -> Result<Option<(usize, Annotation)>, String> {
    let bytes = line.as_bytes();
    for (i, _) in line.match_indices('#') {
        if i > 0 && !matches!(bytes[i - 1], b' ' | b'\t') {
            continue;
        }
        let text = line[i + 1..].trim_start();
        if let Some(rest) = text.strip_prefix("version:") {
            let hex = rest.trim();
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                return Err(format!("`# version:` needs 64 lowercase hex digits, got {hex:?}"));
            }
            return Ok(Some((i, Annotation::Version(hex.to_owned()))));
        }
        let (severity, rest) = if let Some(rest) = text.strip_prefix("error[") {
            ("error", rest)
        } else if let Some(rest) = text.strip_prefix("warning[") {
            ("warning", rest)
        } else {
            continue;
        };
        let (code, rest) = rest.split_once(']').ok_or_else(|| format!("unterminated code in {text:?}"))?;
        if !Code::ALL.iter().any(|c| c.as_str() == code) {
            return Err(format!("unknown diagnostic code {code:?} in {text:?}"));
        }
        let (column, rest) = match rest.strip_prefix('@') {
            Some(rest) => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let column = rest[..digits].parse().map_err(|_| format!("bad column in {text:?}"))?;
                (Some(column), &rest[digits..])
            }
            None => (None, rest),
        };
        let (go, rest) = match rest.strip_prefix(" (go)") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let (folded, rest) = match rest.strip_prefix(" (folded)") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let message = rest
            .strip_prefix(": ")
            .ok_or_else(|| format!("expected `: MESSAGE` after the code in {text:?}"))?
            .trim_end();
        let message = if message.starts_with('"') {
            serde_json::from_str::<String>(message).map_err(|e| format!("bad JSON message {message:?}: {e}"))?
        } else {
            message.to_owned()
        };
        if message.is_empty() {
            return Err(format!("empty message in {text:?}"));
        }
        if go && severity != "error" {
            return Err(format!("only an error can be Go's: {text:?}"));
        }
        return Ok(Some((i, Annotation::Diagnostic { severity, code: code.to_owned(), column, go, folded, message })));
    }
    Ok(None)
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

fn parse_fixture(source: &str) -> Result<Fixture, String> {
    let lines: Vec<&str> = source.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let first = lines.first().copied().unwrap_or_default();
    let description = first.strip_prefix("# ").map(str::trim_start).unwrap_or_default();
    if description.is_empty() || matches!(find_annotation(first), Ok(Some((0, _)))) {
        return Err("the first line must be a comment saying what the fixture pins".to_owned());
    }
    let mut fixture = Fixture::default();
    for (index, line) in lines.iter().enumerate() {
        let Some((at, annotation)) = find_annotation(line).map_err(|e| format!("line {}: {e}", index + 1))? else {
            continue;
        };
        match annotation {
            Annotation::Version(hex) => {
                if fixture.version.replace(hex).is_some() {
                    return Err(format!("line {}: a second `# version:`", index + 1));
                }
            }
            Annotation::Diagnostic { severity, code, column, go, folded, message } => {
                let whole_line = line[..at].trim().is_empty();
                let target = if whole_line {
                    (index + 1..lines.len())
                        .find(|&j| !is_blank_or_comment(lines[j]))
                        .ok_or_else(|| format!("line {}: a whole-line annotation with no line after it", index + 1))?
                } else {
                    index
                };
                let line = u32::try_from(target + 1).map_err(|e| e.to_string())?;
                fixture.expected.push(Expect { line, column, severity, code, go, folded, message });
            }
        }
    }
    let errors = fixture.expected.iter().filter(|e| e.severity == "error").count();
    let go = fixture.expected.iter().filter(|e| e.go).count();
    if errors > 0 && go != 1 {
        return Err(format!("{errors} expected errors but {go} marked `(go)`: mark exactly one"));
    }
    Ok(fixture)
}

/// Which text of a diagnostic a fixture's MESSAGE is.
#[derive(Clone, Copy)]
enum Text {
    /// Go's (`Diagnostic::go`), else the engine's message: the rule fixtures.
    Go,
    /// The plain-words message: the mistake fixtures.
    Plain,
}

fn found(diagnostic: &Diagnostic, folded: bool, index: &LineIndex<'_>, text: Text) -> Expect {
    let position = index.position(diagnostic.span.start);
    Expect {
        line: position.line,
        column: Some(position.column_utf8),
        severity: diagnostic.severity.as_str(),
        code: diagnostic.code.as_str().to_owned(),
        go: diagnostic.reference,
        folded,
        message: match text {
            Text::Go => diagnostic.go.clone().unwrap_or_else(|| diagnostic.message.clone()),
            Text::Plain => diagnostic.message.clone(),
        },
    }
}

/// Checks one fixture; returns the problems found (empty when it passes).
fn check(source: &str, text: Text) -> Vec<String> {
    let fixture = match parse_fixture(source) {
        Ok(f) => f,
        Err(e) => return vec![format!("bad fixture: {e}")],
    };
    let build = leasekit_sdl::build(source);
    let diagnostics: Vec<(&Diagnostic, bool)> = build
        .diagnostics
        .all()
        .iter()
        .flat_map(|d| std::iter::once((d, false)).chain(d.folded.iter().map(|f| (f, true))))
        .collect();
    let index = LineIndex::new(source);
    let mut problems = Vec::new();

    let len = source.len();
    for &(d, _) in &diagnostics {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        if start > end || end > len {
            problems.push(format!(
                "span {start}..{end} outside the source (length {len}) for {}[{}]: {:?}",
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            ));
        }
    }

    // Where Go has words for a problem, the message says it in plainer ones.
    for (d, _) in &diagnostics {
        if d.go.as_deref() == Some(d.message.as_str()) {
            problems.push(format!(
                "{}[{}]: the message is Go's text: {:?}",
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            ));
        }
    }
    let has_errors = diagnostics.iter().any(|(d, _)| d.severity == Severity::Error);
    if build.output.is_some() == has_errors {
        problems.push(format!(
            "output is {} although there {} errors",
            if build.output.is_some() { "present" } else { "absent" },
            if has_errors { "are" } else { "are no" }
        ));
    }
    let references = diagnostics.iter().filter(|(d, _)| d.reference).count();
    let reference_is_error =
        diagnostics.iter().filter(|(d, _)| d.reference).all(|(d, _)| d.severity == Severity::Error);
    if references != usize::from(has_errors) || !reference_is_error {
        problems.push(format!(
            "{references} diagnostics are marked as Go's (expected {}, on an error)",
            usize::from(has_errors)
        ));
    }

    let mut unexpected: Vec<Expect> = diagnostics.iter().map(|&(d, folded)| found(d, folded, &index, text)).collect();
    let mut missing = Vec::new();
    for expected in &fixture.expected {
        match unexpected.iter().position(|f| f.meets(expected)) {
            Some(i) => {
                unexpected.remove(i);
            }
            None => missing.push(expected),
        }
    }
    missing.sort();
    unexpected.sort();
    for m in &missing {
        problems.push(format!("missing    {}", m.render()));
    }
    for u in &unexpected {
        problems.push(format!("unexpected {}", u.render()));
    }

    if let Some(want) = &fixture.version {
        match &build.output {
            Some(output) if output.version_hex() == *want => {}
            Some(output) => problems.push(format!("version {} but expected {want}", output.version_hex())),
            None => problems.push(format!("no output, so no version (expected {want})")),
        }
    }
    problems
}

fn fixtures_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

#[test]
fn rule_fixtures() {
    run_fixtures("rules", |source, _| check(source, Text::Go));
}

/// The mistakes new users make most often (`tests/mistakes/`), one fixture each, with the
/// plain-words messages (and columns) they must get. A fixture whose diagnostics carry safe
/// fixes has its expected result beside it (`NAME.fixed.yaml`): every safe fix applied at
/// once must give exactly that text, which must build without errors and keep every comment.
#[test]
fn mistake_fixtures() {
    run_fixtures("mistakes", |source, path| {
        let mut problems = check(source, Text::Plain);
        let build = leasekit_sdl::build(source);
        let edits = build.diagnostics.safe_edits();
        let fixed_path = path.with_extension("fixed.yaml");
        match std::fs::read_to_string(&fixed_path) {
            Err(_) if edits.is_empty() => {}
            Err(_) => problems.push(format!("safe fixes but no {}", fixed_path.display())),
            Ok(want) => match apply_fixes(source, &edits) {
                Err(e) => problems.push(format!("the safe fixes do not apply: {e}")),
                Ok(fixed) => {
                    if fixed != want {
                        problems.push(format!("the safe fixes give:\n{fixed}"));
                    }
                    let after = leasekit_sdl::build(&fixed);
                    if let Some(e) = after.diagnostics.errors().next() {
                        problems.push(format!("still an error after the fixes: {}", e.message));
                    }
                    let comments = |t: &str| {
                        t.lines().filter(|l| l.trim_start().starts_with('#')).count()
                            + t.lines().filter(|l| l.contains(" #")).count()
                    };
                    if comments(&fixed) != comments(source) {
                        problems.push("the fixes lost a comment".to_owned());
                    }
                }
            },
        }
        problems
    });
}

fn run_fixtures(dir: &str, check: impl Fn(&str, &Path) -> Vec<String>) {
    let dir = fixtures_dir(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.to_string_lossy().ends_with(".fixed.yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());

    let mut report = String::new();
    let mut failed = 0;
    for path in &paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let problems = check(&source, path);
        if problems.is_empty() {
            eprintln!("ok      {name}");
            continue;
        }
        failed += 1;
        eprintln!("FAILED  {name}");
        let _ = writeln!(report, "\n{name}:");
        for p in problems {
            let _ = writeln!(report, "  {p}");
        }
    }
    if failed > 0 {
        panic!("{failed} of {} fixtures failed:\n{report}", paths.len());
    }
    eprintln!("{} fixtures passed", paths.len());
}

#[test]
fn annotation_parsing() {
    let src = "# pins something  # error[invalid-port] (go): \"trailing space \"\n\
               version: \"2.0\"  # warning[ignored-field]: a # b\n\
               # error[type-mismatch]: next line\n\
               \n\
               # a plain comment\n\
               key: value\n\
               # version: 0000000000000000000000000000000000000000000000000000000000000000\n";
    let fixture = parse_fixture(src).expect("valid fixture");
    let lines: Vec<(u32, &str, bool, &str)> =
        fixture.expected.iter().map(|e| (e.line, e.code.as_str(), e.go, e.message.as_str())).collect();
    assert_eq!(
        lines,
        vec![
            (1, "invalid-port", true, "trailing space "),
            (2, "ignored-field", false, "a # b"),
            (6, "type-mismatch", false, "next line"),
        ]
    );
    assert_eq!(fixture.version.as_deref(), Some("0".repeat(64).as_str()));
    assert!(parse_fixture("# x\na: 1  # error[no-such-code]: m\n").is_err());
    assert!(parse_fixture("# x\na: 1  # error[invalid-port]: m\n").is_err(), "errors need one (go)");
    assert!(parse_fixture("version: 1  # error[invalid-port] (go): m\n").is_err(), "first line");
}
