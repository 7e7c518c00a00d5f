//! One run of the engine over the editor text, turned into what the page shows. Positions are
//! converted here, once per check, into what a `<textarea>` counts: UTF-16 code units.

use std::collections::BTreeSet;

use leasekit_ipalloc::{J, LeaseId, Provider};
use leasekit_sdl::json::Json;
use leasekit_sdl::output::EndpointKind;
use leasekit_sdl::{LineIndex, Output, PositionEncoding, Severity, Span};

/// The sample provider's pool for the predicted lease status: two documentation addresses.
pub const SAMPLE_POOL: [&str; 2] = ["203.0.113.10", "203.0.113.11"];

/// The tenant of the sample leases.
pub const SAMPLE_OWNER: &str = "akash1tenant";

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
    /// The IP plan (`leasekit-ipalloc`), when the SDL builds.
    pub ip_plan: Option<IpPlanView>,
}

/// A span located for the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line of the span's start.
    pub line: u32,
    /// 1-based column of the span's start, in UTF-16 code units.
    pub column: u32,
    /// The span as UTF-16 offsets.
    pub selection: Selection,
}

impl Location {
    fn of(index: &LineIndex<'_>, span: Span) -> Self {
        let start = index.position(span.start);
        Self {
            line: start.line,
            column: start.column_utf16,
            selection: Selection {
                start: index.offset(span.start, PositionEncoding::Utf16),
                end: index.offset(span.end, PositionEncoding::Utf16),
            },
        }
    }
}

/// What the IP plan pane shows; everything comes from `leasekit-ipalloc`.
#[derive(Debug, Clone)]
pub struct IpPlanView {
    /// One row per binding, endpoints by name, bindings in manifest order.
    pub rows: Vec<PlanRow>,
    /// Per placement group: its name and the IPv4 addresses a provider must have free.
    pub groups: Vec<(String, usize)>,
    /// Provider-rule conflicts, then warnings.
    pub issues: Vec<PlanIssue>,
    /// Per placement group, the predicted lease-status `ips` object on the sample provider
    /// (pretty JSON), or the provider's error.
    pub status: Vec<(String, Result<String, String>)>,
}

/// One binding of an IP endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// Endpoint name.
    pub endpoint: String,
    /// Go's sequence number of the endpoint.
    pub sequence_number: u32,
    /// Placement group.
    pub group: String,
    /// Service.
    pub service: String,
    /// Container port.
    pub port: u32,
    /// Port on the IP.
    pub external_port: u32,
    /// `TCP` / `UDP`.
    pub proto: &'static str,
    /// The address it gets on the sample provider: `Ok(address)`, or why it has none.
    pub address: Result<String, &'static str>,
    /// The expose in the editor.
    pub location: Location,
}

/// A conflict or warning of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanIssue {
    /// `conflict` or `warning`.
    pub kind: &'static str,
    /// Stable code.
    pub code: &'static str,
    /// Text.
    pub message: String,
    /// The expose it is about, if any.
    pub location: Option<Location>,
}

fn field<'a>(json: &'a Json, key: &str) -> Option<&'a Json> {
    match json {
        Json::Map(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        Json::Obj(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
        _ => None,
    }
}

impl IpPlanView {
    /// Plans `output` (built from `source`) and predicts each group's lease on a fresh sample
    /// provider: one deploy, then the lease status.
    #[must_use]
    pub fn of(source: &str, output: &Output) -> Self {
        let index = LineIndex::new(source);
        let plan = leasekit_ipalloc::plan_output(output);
        let pool: Vec<String> = SAMPLE_POOL.iter().map(|&a| a.to_owned()).collect();
        let mut declared: Vec<(String, Vec<J>)> = Vec::new();
        let mut status = Vec::new();
        for (i, group) in output.manifest.groups.iter().enumerate() {
            let lease = LeaseId { owner: SAMPLE_OWNER.to_owned(), dseq: 1, gseq: i as u32 + 1, oseq: 1 };
            let outcome = Provider::new(&pool, true, false).and_then(|mut provider| {
                let report = provider.deploy(&lease, group)?;
                let list = report.lists.into_iter().filter(|(n, _)| *n == "declared").flat_map(|(_, l)| l).collect();
                Ok((list, provider.status(&lease)))
            });
            match outcome {
                Ok((list, ips)) => {
                    declared.push((group.name.clone(), list));
                    let shown = ips.map(|j| j.to_go_indented()).map_err(|e| match e.status {
                        Some(code) => format!("HTTP {code}: {}", e.message),
                        None => e.message,
                    });
                    status.push((group.name.clone(), shown));
                }
                Err(e) => status.push((group.name.clone(), Err(e.message))),
            }
        }
        let address = |endpoint: &str, b: &leasekit_ipalloc::Binding| -> Result<String, &'static str> {
            let list = declared.iter().find(|(g, _)| *g == b.group).map(|(_, l)| l.as_slice()).unwrap_or_default();
            let text = |j: &J, k: &str| match field(j, k) {
                Some(Json::Str(s)) => Some(s.clone()),
                _ => None,
            };
            let num = |j: &J, k: &str| match field(j, k) {
                Some(Json::Num(n)) => Some(*n),
                _ => None,
            };
            let decl = list.iter().find(|d| {
                text(d, "endpoint").as_deref() == Some(endpoint)
                    && text(d, "service").as_deref() == Some(b.service.as_str())
                    && text(d, "proto").as_deref() == Some(b.proto.as_str())
                    && num(d, "externalPort") == Some(u64::from(b.external_port))
                    && num(d, "port") == Some(u64::from(b.port))
            });
            match decl {
                None => Err("withheld"),
                Some(d) => text(d, "ip").ok_or("pending"),
            }
        };
        let rows = plan
            .endpoints
            .iter()
            .flat_map(|e| {
                e.bindings.iter().map(|b| PlanRow {
                    endpoint: e.name.clone(),
                    sequence_number: e.sequence_number,
                    group: b.group.clone(),
                    service: b.service.clone(),
                    port: b.port,
                    external_port: b.external_port,
                    proto: b.proto.as_str(),
                    address: address(&e.name, b),
                    location: Location::of(&index, b.span),
                })
            })
            .collect();
        let conflicts = plan.conflicts.iter().map(|c| PlanIssue {
            kind: "conflict",
            code: "ip-port-collision",
            message: format!(
                "`{}` {}/{} is declared twice: the provider keeps {} (port {}) and withholds {} (port {})",
                c.endpoint,
                c.proto.as_str(),
                c.external_port,
                c.kept.service,
                c.kept.port,
                c.withheld.service,
                c.withheld.port
            ),
            location: Some(Location::of(&index, c.withheld.span)),
        });
        let warnings = plan.warnings.iter().map(|w| PlanIssue {
            kind: "warning",
            code: w.code,
            message: w.message.clone(),
            location: w.span.map(|span| Location::of(&index, span)),
        });
        Self {
            rows,
            groups: plan.groups.iter().map(|g| (g.name.clone(), g.ips_needed)).collect(),
            issues: conflicts.chain(warnings).collect(),
            status,
        }
    }
}

/// A diagnostic located for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiagnosticView {
    /// Error or warning.
    pub severity: Severity,
    /// Kebab-case code, e.g. `unknown-endpoint`.
    pub code: &'static str,
    /// What is wrong and what is expected, in plain words.
    pub message: String,
    /// Akash's Go reference's exact text, where Go reports this problem.
    pub go: Option<String>,
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
    /// The engine's fixes, each already applied to the checked text.
    pub fixes: Vec<FixView>,
    /// Follow-on errors this one explains (`leasekit_sdl::Diagnostic::folded`).
    pub folded: Vec<DiagnosticView>,
}

/// One of the engine's fixes for a diagnostic (`leasekit_sdl::Fix`), applied with
/// `leasekit_sdl_edit::apply_fix`: the page offers it as a button and never edits text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixView {
    /// What the button says, e.g. "Price in uact (same amount)".
    pub label: String,
    /// One obvious meaning (else a suggestion).
    pub safe: bool,
    /// The checked text with the fix applied.
    pub fixed: String,
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

impl DiagnosticView {
    fn of(d: &leasekit_sdl::Diagnostic, source: &str, index: &LineIndex<'_>) -> Self {
        let start = index.position(d.span.start);
        DiagnosticView {
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
            go: d.go.clone(),
            hint: d.hint.clone(),
            reference: d.reference,
            line: start.line,
            column: start.column_utf16,
            selection: Selection {
                start: index.offset(d.span.start, PositionEncoding::Utf16),
                end: index.offset(d.span.end, PositionEncoding::Utf16),
            },
            fixes: d
                .fixes
                .iter()
                .filter_map(|fix| {
                    let fixed = leasekit_sdl_edit::apply_fix(source, &fix.edits).ok()?;
                    Some(FixView { label: fix.label.clone(), safe: fix.safe, fixed })
                })
                .collect(),
            folded: d.folded.iter().map(|f| DiagnosticView::of(f, source, index)).collect(),
        }
    }
}

impl Analysis {
    /// Runs the engine on `source`.
    #[must_use]
    pub fn of(source: &str) -> Self {
        let build = leasekit_sdl::build(source);
        let index = LineIndex::new(source);
        let diagnostics: Vec<DiagnosticView> =
            build.diagnostics.all().iter().map(|d| DiagnosticView::of(d, source, &index)).collect();
        let error_count = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warning_count = diagnostics.len() - error_count;
        let ip_plan = build.output.as_ref().map(|output| IpPlanView::of(source, output));
        Self { marks: line_marks(&diagnostics), diagnostics, output: build.output, error_count, warning_count, ip_plan }
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
        assert_eq!(error.go.as_deref(), Some(r#"SDL invalid: error on service "web" no endpoint named "nope" exists"#));
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
            go: None,
            hint: None,
            reference: false,
            line,
            column: 1,
            selection: Selection { start: 0, end: 0 },
            fixes: Vec::new(),
            folded: Vec::new(),
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
    fn default_example_has_an_ip_plan_from_ipalloc() {
        let analysis = Analysis::of(DEFAULT_EXAMPLE.source);
        let plan = analysis.ip_plan.expect("valid SDL has a plan");
        assert_eq!(plan.rows.len(), 1);
        let row = &plan.rows[0];
        assert_eq!(
            (row.endpoint.as_str(), row.service.as_str(), row.port, row.external_port),
            ("myendpoint", "web", 3000, 80)
        );
        assert_eq!(row.proto, "TCP");
        assert_eq!(row.address.as_deref(), Ok("203.0.113.10"));
        let start = DEFAULT_EXAMPLE.source.find("- port: 3000").expect("expose");
        assert!(row.location.selection.start as usize >= start);
        assert_eq!(plan.groups, [("dcloud".to_owned(), 1)]);
        assert!(plan.issues.iter().any(|i| i.code == "ip-port-80-is-ingress" && i.location.is_some()));
        let (group, status) = &plan.status[0];
        assert_eq!(group, "dcloud");
        let json = status.as_ref().expect("status");
        assert!(json.contains("\"ExternalPort\": 80") && json.contains("\"IP\": \"203.0.113.10\""), "{json}");
    }

    #[test]
    fn a_provider_rule_collision_is_a_located_conflict() {
        // `as: 8080` and `port: 8080` on one IP: Go's check passes, the provider keeps one.
        let source = DEFAULT_EXAMPLE.source.replace(
            "      - port: 3000\n        as: 80\n",
            "      - port: 3000\n        as: 8080\n        to:\n          - global: true\n            ip: myendpoint\n      - port: 8080\n",
        );
        let analysis = Analysis::of(&source);
        assert_eq!(analysis.error_count, 0, "{:?}", analysis.diagnostics);
        let plan = analysis.ip_plan.expect("plan");
        let conflict = plan.issues.iter().find(|i| i.kind == "conflict").expect("a conflict");
        assert!(conflict.location.is_some());
        assert_eq!(plan.rows.iter().filter(|r| r.address == Err("withheld")).count(), 1);
    }

    #[test]
    fn an_invalid_sdl_has_no_ip_plan() {
        assert!(Analysis::of("version: \"2.0\"\n").ip_plan.is_none());
    }

    #[test]
    fn counts_and_lines() {
        assert_eq!(count(1, "error"), "1 error");
        assert_eq!(count(0, "warning"), "0 warnings");
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
    }
}
