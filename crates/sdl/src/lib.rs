//! The Akash SDL engine: YAML text in; diagnostics, the provider manifest, the on-chain
//! GroupSpecs and the manifest version out — byte-for-byte what Akash's Go reference
//! (`pkg.akt.dev/go/sdl`) produces, because the provider re-hashes the manifest with Go and
//! rejects a deployment whose hash differs from the one the tenant signed.
//!
//! # Pipeline
//!
//! The phases run in the order Go runs them, so that the first error we find is the one Go
//! reports (it is marked [`Diagnostic::reference`]); unlike Go we keep going and report every
//! further error, skipping only what an earlier error made meaningless.
//!
//! 1. [`yaml`](crate::yaml) — text → a spanned node tree. Every node keeps its scalar text,
//!    quoting style, tag and byte span; aliases are expanded within a node budget, merge keys
//!    applied, nesting depth and document size bounded ([`MAX_SOURCE_BYTES`], [`MAX_DEPTH`],
//!    [`MAX_NODES`]).
//! 2. `decode` — version detection (blang/semver tolerant parsing, as Go does) and the typed
//!    decode of each top-level key in document order, with yaml.v3's type rules and Akash's
//!    unit parsers ([`units`]: CPU, sizes, GPU, `LegacyDec` prices, Go durations).
//! 3. `groups` — Go's `buildGroups`: IP endpoint sequence numbers, TEE, protocols, HTTP
//!    options, resource units (merged per compute profile in SDL 2.1), exposes and endpoints.
//! 4. `validate` — Go's `validate()`: references, credentials, the leased-IP rules
//!    (AEP-17), volume mounts, unused endpoints.
//! 5. `checks` — the chain's GroupSpec limits, then the provider's manifest rules.
//! 6. [`output`] — manifest and GroupSpecs as Go `encoding/json` writes them ([`json`]), and
//!    the version: SHA-256 of the sorted compact manifest JSON.
//!
//! Where Go panics (an invalid denom, two denoms in one group, a compute profile without
//! resources) we report an error. Where Go silently ignores something a tenant probably got
//! wrong (unknown nested keys, undeployed services, unused profiles) we warn. Where Go accepts
//! what the chain now refuses (since Akash chain v2.0, BME, `MsgCreateDeployment` prices must
//! be in `uact`; the market params bound the reclamation window) we warn too, with codes of
//! their own (`chain-…`); Go's output is unchanged.
//!
//! Every [`Diagnostic`] says what is wrong and what is expected in plain words; where Go reports
//! the problem, Go's exact text is its `go` note (and the one Go returns is marked
//! `reference`). Errors that only follow from a value that did not decode are folded under it.
//!
//! A diagnostic can carry [`Fix`]es: labelled [`TextEdit`]s of the source (byte spans), offered
//! only where the edit is clean (the span is that node's text and nothing else's), each safe
//! (one obvious meaning) or a suggestion, and [`apply_fixes`] applies them
//! ([`Diagnostics::safe_edits`] collects a fix-all), so callers never match strings.
//!
//! `syntax` (cargo feature `syntax`) exposes the YAML layer's tree read-only (with each node's
//! span and whether an alias or merge key put it there) for the YAML editor; the pipeline does
//! not use it.
//!
//! # Why saphyr-parser
//!
//! Go parses units from a scalar's text and resolves types from its quoting, and diagnostics
//! need positions, so the YAML layer must keep text, style, tag and span for every node.
//! `serde_yaml` is deprecated and, like its forks, deserialises through serde and loses all
//! three. `saphyr-parser` is a maintained, pure-Rust YAML 1.2 event parser that reports a span
//! per event and keeps styles and tags; it has two small dependencies, builds for
//! `wasm32-unknown-unknown`, and does no serde monomorphisation, which keeps the Wasm small.
//!
//! # Known differences from Go
//!
//! - Go's hexadecimal float syntax (`0x1p4`) in CPU units and sizes is rejected.
//! - Go's YAML parser error texts are not reproduced; syntax errors carry saphyr's text.
//! - Exposes of one service that tie on (service, port, protocol, global), and merged v2.1
//!   endpoint lists, longer than 12 entries are sorted stably where Go uses an unstable sort;
//!   such inputs get an [`Code::UnstableOrder`] warning.
//! - Where Go iterates a map in random order and several errors are possible, we pick the
//!   first in sorted order.

mod checks;
mod decode;
mod diagnostic;
mod fix;
mod groups;
pub mod json;
mod manifest_read;
pub mod map;
mod model;
pub mod output;
pub mod report;
pub mod sort;
mod span;
#[cfg(feature = "syntax")]
pub mod syntax;
pub mod units;
mod validate;
mod yaml;

pub use checks::limits;
pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
pub use fix::{Fix, FixError, TextEdit, apply_fixes};
pub use model::SdlVersion;
pub use output::{GroupSpec, Manifest};
pub use span::{LineIndex, Position, PositionEncoding, Span};
pub use yaml::{MAX_DEPTH, MAX_NODES, MAX_SOURCE_BYTES};

use diagnostic::Sink;

/// A protobuf `Duration`, for `MsgCreateDeployment.reclamation.min_window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Whole seconds.
    pub seconds: i64,
    /// Remaining nanoseconds.
    pub nanos: i32,
}

/// One global expose onto a leased IP endpoint, as the SDL wrote it (one per placement the
/// service is deployed to): what IP planning works from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpBinding {
    /// The placement group.
    pub group: String,
    /// The service.
    pub service: String,
    /// The IP endpoint's name.
    pub endpoint: String,
    /// The endpoint's sequence number (Go's numbering, sdl.md §5.5).
    pub sequence_number: u32,
    /// Container port.
    pub port: u32,
    /// The SDL `as` (0 when absent).
    pub external_port: u32,
    /// Protocol.
    pub proto: output::Protocol,
    /// The `proto` text as written (empty when absent): Go's duplicate check compares it raw.
    pub proto_text: String,
    /// The expose in the source.
    pub span: Span,
}

impl IpBinding {
    /// The port the provider opens on the IP: `as` if set, else `port`.
    #[must_use]
    pub fn effective_external_port(&self) -> u32 {
        if self.external_port != 0 { self.external_port } else { self.port }
    }
}

/// Everything an SDL produces.
#[derive(Debug, Clone)]
pub struct Output {
    /// Which SDL rules applied.
    pub sdl_version: SdlVersion,
    /// The provider manifest.
    pub manifest: Manifest,
    /// The on-chain GroupSpecs, by name.
    pub group_specs: Vec<GroupSpec>,
    /// The manifest version (`MsgCreateDeployment.hash`).
    pub version: [u8; 32],
    /// `reclamation.min_window`, if given.
    pub reclamation: Option<Duration>,
    /// The leased-IP exposes, by service, placement and SDL order.
    pub ip_bindings: Vec<IpBinding>,
}

impl Output {
    /// The version as 64 lowercase hex digits.
    #[must_use]
    pub fn version_hex(&self) -> String {
        self.version.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The GroupSpecs as Go `encoding/json` writes them.
    #[must_use]
    pub fn group_specs_json(&self) -> json::Json {
        output::group_specs_json(&self.group_specs)
    }
}

/// The result of [`build`]: output when there are no errors, and the diagnostics.
#[derive(Debug, Clone)]
pub struct Build {
    /// Present when the SDL has no errors.
    pub output: Option<Output>,
    /// Errors (Go's first marked) and warnings.
    pub diagnostics: Diagnostics,
}

/// Checks an SDL: every error and warning, without producing output (no manifest JSON, no
/// hash), so it is the cheaper call for live validation.
#[must_use]
pub fn check(source: &str) -> Diagnostics {
    let mut sink = Sink::default();
    let _ = run(source, &mut sink, false);
    sink.finish_folding(source)
}

/// Builds an SDL given as bytes: UTF-8 is required (as by Go's YAML parser); other bytes give
/// an `invalid-encoding` error at the first bad byte. Returns the text the diagnostics' spans
/// refer to (invalid sequences replaced by U+FFFD when the input is not UTF-8).
#[must_use]
pub fn build_bytes(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Build) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), build(text)),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes);
            let mut sink = Sink::default();
            sink.push(
                Diagnostic::error(
                    Code::InvalidEncoding,
                    Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
                    format!("invalid UTF-8 at byte {at}"),
                )
                .with_hint("save the file as UTF-8"),
            );
            (text, Build { output: None, diagnostics: sink.finish() })
        }
    }
}

/// Parses, validates and builds an SDL.
#[must_use]
pub fn build(source: &str) -> Build {
    let mut sink = Sink::default();
    let output = run(source, &mut sink, true);
    let diagnostics = sink.finish_folding(source);
    Build { output: if diagnostics.has_errors() { None } else { output }, diagnostics }
}

fn run(source: &str, sink: &mut Sink, want_output: bool) -> Option<Output> {
    let mut parse_diagnostics = Vec::new();
    let root = yaml::parse(source, &mut parse_diagnostics);
    for d in parse_diagnostics {
        sink.push(d);
    }
    let (sdl_version, sdl) = decode::decode(source, &root?, sink)?;
    let built = groups::build(sdl_version, &sdl, sink);
    validate::validate(sdl_version, &sdl, sink);
    checks::validate_groups(&sdl, &built, sink);
    checks::validate_manifest(&sdl, &built, sink);
    if sink.error_count() > 0 || !want_output {
        return None;
    }
    let reclamation = sdl
        .reclamation
        .as_ref()
        .and_then(|w| units::parse_duration(&w.value).ok())
        .map(|ns| Duration { seconds: ns / 1_000_000_000, nanos: i32::try_from(ns % 1_000_000_000).unwrap_or(0) });
    let ip_bindings = groups::ip_bindings(&sdl);
    let version = built.manifest.version();
    Some(Output { sdl_version, manifest: built.manifest, group_specs: built.groups, version, reclamation, ip_bindings })
}
