//! Diagnostics: what is wrong with an SDL, where, and which error Akash's Go reference reports.

use crate::fix::Fix;
use crate::span::{LineIndex, Position, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The SDL is rejected (by Go, the chain, the provider, or — where Go would crash — by us).
    Error,
    /// Accepted, but probably not what the author meant (Go silently ignores it).
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A stable, kebab-case identifier for each kind of diagnostic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The TypeScript union of every code's name, for generated declarations.
            pub const TYPESCRIPT: &'static str =
                concat!("/** A diagnostic code. */\nexport type Code =", $("\n  | \"", $name, "\"",)* ";");

            /// The kebab-case name, e.g. `"unknown-endpoint"`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// The bytes are not UTF-8 text.
    InvalidEncoding = "invalid-encoding",
    /// The text is not well-formed YAML.
    YamlSyntax = "yaml-syntax",
    /// The document exceeds the size limit.
    InputTooLarge = "input-too-large",
    /// Mappings and sequences nest deeper than the limit.
    NestingTooDeep = "nesting-too-deep",
    /// Aliases expand to more nodes than the limit (a "billion laughs" document).
    AliasBudget = "alias-budget",
    /// An alias names an anchor that was never defined.
    UnknownAnchor = "unknown-anchor",
    /// A value has the wrong YAML type (Go: `cannot unmarshal ...`).
    TypeMismatch = "type-mismatch",
    /// A mapping key appears twice.
    DuplicateKey = "duplicate-key",
    /// Further YAML documents after the first are ignored.
    ExtraDocument = "extra-document",
    /// `version` is missing.
    MissingVersion = "missing-version",
    /// `version` is not a supported SDL version.
    InvalidVersion = "invalid-version",
    /// A top-level key SDL does not define.
    UnexpectedField = "unexpected-field",
    /// A nested key Akash silently ignores (a typo, or a Compose-ism such as `depends_on`).
    IgnoredField = "ignored-field",
    /// An attribute key that is not allowed for a CPU, GPU or storage volume.
    UnsupportedAttribute = "unsupported-attribute",
    /// CPU units that do not parse.
    InvalidCpuUnits = "invalid-cpu-units",
    /// A memory, storage or GPU RAM size that does not parse.
    InvalidSize = "invalid-size",
    /// A malformed GPU block.
    InvalidGpu = "invalid-gpu",
    /// A malformed storage volume or storage attribute.
    InvalidStorage = "invalid-storage",
    /// Two volumes of one compute profile share a name.
    DuplicateVolume = "duplicate-volume",
    /// A price that is not a valid coin.
    InvalidPrice = "invalid-price",
    /// An expose `proto` other than TCP or UDP.
    UnsupportedProtocol = "unsupported-protocol",
    /// An `http_options` value out of range.
    InvalidHttpOption = "invalid-http-option",
    /// An `accept` hostname that does not parse or is not a valid DNS name.
    InvalidHostname = "invalid-hostname",
    /// The same `accept` hostname is used twice in the deployment.
    DuplicateHostname = "duplicate-hostname",
    /// A `params.tee` problem.
    InvalidTee = "invalid-tee",
    /// `reclamation.min_window` is not a positive duration.
    InvalidReclamation = "invalid-reclamation",
    /// An `endpoints` entry with a bad name or kind.
    InvalidEndpoint = "invalid-endpoint",
    /// `to.ip` set without `global: true`.
    IpRequiresGlobal = "ip-requires-global",
    /// `to.ip` names an endpoint that is not declared.
    UnknownEndpoint = "unknown-endpoint",
    /// One leased IP endpoint uses the same port twice.
    IpPortInUse = "ip-port-in-use",
    /// An endpoint is declared but no expose uses it.
    UnusedEndpoint = "unused-endpoint",
    /// A deployment names a compute profile that does not exist.
    MissingComputeProfile = "missing-compute-profile",
    /// A deployment names a placement profile that does not exist.
    MissingPlacement = "missing-placement",
    /// A placement has no price for a compute profile deployed to it.
    MissingPricing = "missing-pricing",
    /// A deployment names a service that does not exist.
    MissingService = "missing-service",
    /// Registry credentials lack host, username or password.
    MissingCredentials = "missing-credentials",
    /// `params.storage` names a volume the compute profile does not have.
    UnknownVolume = "unknown-volume",
    /// A volume mount is not an absolute path.
    InvalidMount = "invalid-mount",
    /// Two volumes are mounted at the same path.
    DuplicateMount = "duplicate-mount",
    /// A persistent volume is never mounted (SDL 2.0).
    PersistentWithoutMount = "persistent-without-mount",
    /// A `ram` volume mounted read-only (SDL 2.1).
    RamReadOnly = "ram-read-only",
    /// A resource unit outside the chain's per-unit limits.
    ResourceLimit = "resource-limit",
    /// A group's totals outside the chain's limits.
    GroupLimit = "group-limit",
    /// A price above the chain's per-unit limit.
    PriceLimit = "price-limit",
    /// Prices in different denominations.
    MixedDenoms = "mixed-denoms",
    /// A price not in `uact`: Go accepts any valid denom, but since Akash chain v2.0 (BME)
    /// `MsgCreateDeployment` prices must be in uact, so the chain refuses the deployment.
    ChainPriceDenom = "chain-price-denom",
    /// A reclamation window outside the chain's bounds (market params `min_reclamation_window`
    /// and `max_reclamation_window`, 1 h and 720 h by default): Go takes any positive duration,
    /// the chain (v2.1) refuses the deployment.
    ChainReclamationWindow = "chain-reclamation-window",
    /// Nothing is deployed.
    NoGroups = "no-groups",
    /// A service name the provider rejects.
    InvalidServiceName = "invalid-service-name",
    /// A deployed service without an image.
    EmptyImage = "empty-image",
    /// An environment variable with an invalid name.
    InvalidEnvName = "invalid-env-name",
    /// A container port outside 1–65535.
    InvalidPort = "invalid-port",
    /// No expose is global, so nothing would be reachable.
    NoGlobalExpose = "no-global-expose",
    /// A service is defined but not deployed (Go ignores it).
    UndeployedService = "undeployed-service",
    /// A compute or placement profile no deployment uses.
    UnusedProfile = "unused-profile",
    /// Our output may differ from Go's in an order Go leaves to an unstable sort.
    UnstableOrder = "unstable-order",
}

impl Code {
    /// A rule of today's chain rather than of Go's SDL reference (`chain-…`): Go accepts the SDL,
    /// the chain refuses the deployment. A deploy tool blocks signing on these.
    #[must_use]
    pub fn is_chain_rule(self) -> bool {
        matches!(self, Code::ChainPriceDenom | Code::ChainReclamationWindow)
    }
}

/// One finding about an SDL document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what is expected, in plain words.
    pub message: String,
    /// Akash's Go reference's exact text for this problem, where Go reports it (kept so the
    /// reference error can be compared with Go's and searched for as Go prints it).
    pub go: Option<String>,
    /// Where in the source.
    pub span: Span,
    /// How to fix it, when that is not obvious from the message.
    pub hint: Option<String>,
    /// True on the one error Akash's Go reference returns (Go stops at its first error).
    pub reference: bool,
    /// Edits of the source that resolve it (empty when there is no clean edit).
    pub fixes: Vec<Fix>,
    /// Errors this one explains: they follow from the same root cause and go away with it
    /// (e.g. an endpoint reported unused because the `to:` that uses it did not decode).
    pub folded: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error.
    #[must_use]
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            go: None,
            hint: None,
            reference: false,
            fixes: Vec::new(),
            folded: Vec::new(),
        }
    }

    /// A warning.
    #[must_use]
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, span, message) }
    }

    /// Records Go's exact text for this problem.
    #[must_use]
    pub fn with_go(mut self, go: impl Into<String>) -> Self {
        self.go = Some(go.into());
        self
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    /// Start and end positions of the span.
    #[must_use]
    pub fn locate(&self, index: &LineIndex<'_>) -> (Position, Position) {
        (index.position(self.span.start), index.position(self.span.end))
    }
}

/// The diagnostics of one document: errors in the order Go would meet them (the first one
/// is Go's), then warnings in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// All diagnostics.
    #[must_use]
    pub fn all(&self) -> &[Diagnostic] {
        &self.0
    }

    /// True when any diagnostic is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// The edits of every safe fix, folded diagnostics' included: a "fix all", to apply with
    /// [`crate::apply_fixes`] (which applies an edit two diagnostics share once).
    #[must_use]
    pub fn safe_edits(&self) -> Vec<crate::fix::TextEdit> {
        self.0
            .iter()
            .flat_map(|d| std::iter::once(d).chain(&d.folded))
            .flat_map(|d| &d.fixes)
            .filter(|f| f.safe)
            .flat_map(|f| f.edits.iter().cloned())
            .collect()
    }

    /// The error Akash's Go reference would return, if any.
    #[must_use]
    pub fn reference_error(&self) -> Option<&Diagnostic> {
        self.0.iter().find(|d| d.reference)
    }
}

/// Folds errors that only follow from a value that did not decode under that value's error.
///
/// A value of the wrong type (`to:` written as a mapping, say) is dropped whole, so later phases
/// see an SDL without it and report what its absence implies: the IP endpoint it used is
/// "never used", no expose is global. Those go away with the root cause, so they are folded:
/// an `unused-endpoint` under the first type error whose text names the endpoint, a
/// `no-global-expose` under the first type error whose text says `global`. And a target with
/// `ip:` but without `global: true` explains `no-global-expose`: the fix of one is the other's. Go's own error is
/// never folded (it comes first, and a root cause comes before what follows from it).
fn fold_follow_ons(errors: &mut Vec<Diagnostic>, source: &str) {
    let text = |d: &Diagnostic| source.get(d.span.start as usize..d.span.end as usize).unwrap_or_default();
    let names = |haystack: &str, word: &str| {
        haystack.match_indices(word).any(|(i, _)| {
            let before = haystack[..i].chars().next_back();
            let after = haystack[i + word.len()..].chars().next();
            let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
            !part(before) && !part(after)
        })
    };
    let mut i = 0;
    while i < errors.len() {
        let d = &errors[i];
        let word = match d.code {
            Code::UnusedEndpoint => text(d).trim_end_matches(':').trim().to_owned(),
            Code::NoGlobalExpose => "global".to_owned(),
            _ => {
                i += 1;
                continue;
            }
        };
        let code = errors[i].code;
        let root = errors[..i].iter().position(|r| {
            (r.code == Code::TypeMismatch && !word.is_empty() && names(text(r), &word))
                || (code == Code::NoGlobalExpose && r.code == Code::IpRequiresGlobal)
        });
        match root {
            Some(r) if !errors[i].reference => {
                let folded = errors.remove(i);
                errors[r].folded.push(folded);
            }
            _ => i += 1,
        }
    }
}

/// Collects diagnostics while the pipeline runs, in Go's phase order.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// What was reported, to report it once: Go visits a construct once per placement.
    seen: crate::map::HashSet<(Code, Span, String)>,
}

impl Sink {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if !self.seen.insert((diagnostic.code, diagnostic.span, diagnostic.message.clone())) {
            return;
        }
        match diagnostic.severity {
            Severity::Error => self.errors.push(diagnostic),
            Severity::Warning => self.warnings.push(diagnostic),
        }
    }

    pub(crate) fn warning(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::warning(code, span, message));
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors.len()
    }

    pub(crate) fn finish(self) -> Diagnostics {
        self.finish_folding("")
    }

    /// The diagnostics, with follow-on errors folded under the error in `source` that explains
    /// them (see [`fold_follow_ons`]).
    pub(crate) fn finish_folding(self, source: &str) -> Diagnostics {
        let mut errors = self.errors;
        if let Some(first) = errors.first_mut() {
            first.reference = true;
        }
        fold_follow_ons(&mut errors, source);
        let mut warnings = self.warnings;
        crate::sort::go_stable_sort(&mut warnings, |a, b| a.span < b.span);
        errors.extend(warnings);
        Diagnostics(errors)
    }
}
