//! One run of the engine over the editor text, turned into what the page shows. Positions are
//! converted here, once per check, into what a `<textarea>` counts: UTF-16 code units.

use std::collections::BTreeSet;

use leasekit_sdl::output::EndpointKind;
use leasekit_sdl::{LineIndex, Output, PositionEncoding, Severity};

/// The engine's verdict on one text.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Errors and warnings in the engine's order (Go's reference error first among errors).
    pub diagnostics: Vec<DiagnosticView>,
    /// The lines that have diagnostics, ascending, each with its worst severity.
    pub marks: Vec<LineMark>,
    /// Manifest, GroupSpecs and version; `None` when there are errors.
    pub output: Option<Output>,
    /// How many diagnostics are errors.
    pub error_count: usize,
    /// How many diagnostics are warnings.
    pub warning_count: usize,
}

/// A diagnostic located for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticView {
    /// Error or warning.
    pub severity: Severity,
    /// Kebab-case code, e.g. `unknown-endpoint`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when the engine knows.
    pub hint: Option<String>,
    /// Whether this is the error Akash's Go reference reports.
    pub reference: bool,
    /// 1-based line of the span's start.
    pub line: u32,
    /// 1-based column of the span's start, in UTF-16 code units.
    pub column: u32,
    /// The span as UTF-16 offsets, ready for `setSelectionRange`.
    pub selection: Selection,
}

/// A half-open UTF-16 range of the editor text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// First code unit.
    pub start: u32,
    /// One past the last code unit.
    pub end: u32,
}

/// A gutter mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineMark {
    /// 1-based line.
    pub line: u32,
    /// The worst severity on that line.
    pub severity: Severity,
}

/// Counts for the status line of a valid SDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputSummary {
    /// Placement groups (one order each).
    pub groups: usize,
    /// Services over all groups.
    pub services: usize,
    /// Distinct leased IP endpoints.
    pub leased_ips: usize,
}

impl Analysis {
    /// Runs the engine on `source`.
    #[must_use]
    pub fn of(source: &str) -> Self {
        let build = leasekit_sdl::build(source);
        let index = LineIndex::new(source);
        let diagnostics: Vec<DiagnosticView> = build
            .diagnostics
            .all()
            .iter()
            .map(|d| {
                let start = index.position(d.span.start);
                DiagnosticView {
                    severity: d.severity,
                    code: d.code.as_str(),
                    message: d.message.clone(),
                    hint: d.hint.clone(),
                    reference: d.reference,
                    line: start.line,
                    column: start.column_utf16,
                    selection: Selection {
                        start: index.offset(d.span.start, PositionEncoding::Utf16),
                        end: index.offset(d.span.end, PositionEncoding::Utf16),
                    },
                }
            })
            .collect();
        let error_count = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warning_count = diagnostics.len() - error_count;
        Self { marks: line_marks(&diagnostics), diagnostics, output: build.output, error_count, warning_count }
    }

    /// "2 errors, 1 warning", or "No problems".
    #[must_use]
    pub fn problem_summary(&self) -> String {
        match (self.error_count, self.warning_count) {
            (0, 0) => "No problems".to_owned(),
            (errors, 0) => count(errors, "error"),
            (0, warnings) => count(warnings, "warning"),
            (errors, warnings) => format!("{}, {}", count(errors, "error"), count(warnings, "warning")),
        }
    }

    /// What the SDL deploys, when it is valid.
    #[must_use]
    pub fn output_summary(&self) -> Option<OutputSummary> {
        let output = self.output.as_ref()?;
        let services = output.manifest.groups.iter().flat_map(|group| &group.services);
        let leased_ips: BTreeSet<u32> = services
            .clone()
            .flat_map(|service| &service.resources.endpoints)
            .filter(|endpoint| endpoint.kind == EndpointKind::LeasedIp)
            .map(|endpoint| endpoint.sequence_number)
            .collect();
        Some(OutputSummary {
            groups: output.group_specs.len(),
            services: services.count(),
            leased_ips: leased_ips.len(),
        })
    }
}

impl OutputSummary {
    /// "1 group · 2 services · 1 leased IP".
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "{} · {} · {}",
            count(self.groups, "group"),
            count(self.services, "service"),
            count(self.leased_ips, "leased IP")
        )
    }
}

/// "1 error", "3 errors".
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// How many lines a textarea shows for `text` (textareas normalise line breaks to `\n`).
#[must_use]
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

fn line_marks(diagnostics: &[DiagnosticView]) -> Vec<LineMark> {
    let mut marks: Vec<LineMark> =
        diagnostics.iter().map(|d| LineMark { line: d.line, severity: d.severity }).collect();
    // `Severity` orders errors first, so after sorting the first mark of each line is its worst.
    marks.sort_by_key(|mark| (mark.line, mark.severity));
    marks.dedup_by_key(|mark| mark.line);
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::DEFAULT_EXAMPLE;

    #[test]
    fn valid_example_has_output_and_no_marks() {
        let analysis = Analysis::of(DEFAULT_EXAMPLE.source);
        assert!(analysis.diagnostics.is_empty());
        assert!(analysis.marks.is_empty());
        assert_eq!(analysis.problem_summary(), "No problems");
        assert_eq!(analysis.output_summary().expect("valid").describe(), "1 group · 1 service · 1 leased IP");
        assert_eq!(analysis.output.expect("valid").version_hex().len(), 64);
    }

    #[test]
    fn unknown_endpoint_is_located_in_utf16_units() {
        // The emoji is 4 UTF-8 bytes but 2 UTF-16 units: the selection must count the latter.
        let source = DEFAULT_EXAMPLE
            .source
            .replace("# Hello world", "# Hello 😀 world")
            .replace("ip: myendpoint", "ip: nope")
            .replace("endpoints:\n  myendpoint:\n    kind: ip\n", "");
        let analysis = Analysis::of(&source);
        assert!(analysis.output.is_none());
        let error = &analysis.diagnostics[0];
        assert_eq!(error.code, "unknown-endpoint");
        assert_eq!(error.message, r#"SDL invalid: error on service "web" no endpoint named "nope" exists"#);
        assert!(error.reference);

        let byte_offset = source.find("nope").expect("nope");
        let utf16_offset = source[..byte_offset].encode_utf16().count();
        assert_eq!(error.selection, Selection { start: utf16_offset as u32, end: utf16_offset as u32 + 4 });
        let line_start = source[..byte_offset].rfind('\n').map_or(0, |i| i + 1);
        assert_eq!(error.line as usize, source[..byte_offset].matches('\n').count() + 1);
        assert_eq!(error.column as usize, source[line_start..byte_offset].encode_utf16().count() + 1);
        assert_eq!(analysis.marks, [LineMark { line: error.line, severity: Severity::Error }]);
        assert_eq!(analysis.problem_summary(), "1 error");
    }

    #[test]
    fn a_line_is_marked_with_its_worst_severity() {
        let view = |line, severity| DiagnosticView {
            severity,
            code: "x",
            message: String::new(),
            hint: None,
            reference: false,
            line,
            column: 1,
            selection: Selection { start: 0, end: 0 },
        };
        let marks = line_marks(&[
            view(4, Severity::Warning),
            view(2, Severity::Warning),
            view(4, Severity::Error),
            view(2, Severity::Warning),
        ]);
        assert_eq!(
            marks,
            [LineMark { line: 2, severity: Severity::Warning }, LineMark { line: 4, severity: Severity::Error }]
        );
    }

    #[test]
    fn counts_and_lines() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(0, "warning"), "0 warnings");
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
    }
}
