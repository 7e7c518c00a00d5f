//! Go phases 2–3: version detection and the typed decode of each top-level key.
//!
//! yaml.v3 semantics are kept where they change results: scalars decode into string fields
//! whatever their type, YAML 1.1 booleans (`yes`, `off`) decode into bool fields, `null`
//! leaves a field unset, type mismatches are collected (`cannot unmarshal ...`) while errors
//! from Akash's custom unmarshalers (units, storage, GPU, prices) win over them, and unknown
//! nested keys are ignored (we warn).

use crate::map::{HashSet, SortedMap};

use crate::checks::limits;
use crate::diagnostic::{Code, Diagnostic, Sink};
use crate::fix::{Fix, TextEdit};
use crate::model::Sdl;
use crate::model::{
    ComputeProfile, CredentialsIn, DeployedService, DeploymentIn, EndpointDecl, ExposeIn, HttpIn, ParamsIn,
    PlacementProfile, ResourcesIn, SdlVersion, Service, Spanned, StorageParamIn, ToIn,
};
use crate::output::{Attribute, Cpu, DecCoin, Gpu, Memory, SignedBy, Volume};
use crate::span::Span;
use crate::units::{self, Dec, go_quote};
use crate::yaml::{Node, NodeKind, Resolved};

/// Decodes the document (`root`, parsed from `source`). None when Go would stop before decoding
/// (no or bad version).
pub(crate) fn decode(source: &str, root: &Node, sink: &mut Sink) -> Option<(SdlVersion, Sdl)> {
    let version = match detect_version(root) {
        Ok(version) => version,
        Err(diagnostic) => {
            sink.push(diagnostic);
            return None;
        }
    };
    let mut sdl = Sdl::default();
    let NodeKind::Map(entries) = &root.kind else { return None };
    let mut d = Decoder { source, ..Decoder::default() };
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in entries {
        let name = key.text().unwrap_or_default();
        if seen.contains(&name) {
            d.duplicate_key(key);
        }
        seen.push(name);
        match name {
            "version" | "include" => {}
            "services" => sdl.services = d.services(value),
            "profiles" => {
                for (field, _, node) in d.fields(value, "sdl.v2profiles", &["compute", "placement"]) {
                    match field {
                        "compute" => sdl.compute = d.compute_profiles(node),
                        _ => sdl.placement = d.placement_profiles(node),
                    }
                }
            }
            "deployment" => {
                sdl.deployment_span = key.span;
                sdl.deployment = d.deployment(value);
            }
            "endpoints" => sdl.endpoints = d.endpoints(value),
            "reclamation" => {
                for (_, _, node) in d.fields(value, "sdl.v2Reclamation", &["min_window"]) {
                    sdl.reclamation = Some(d.spanned_string(node));
                    sdl.reclamation_text = node.value_span(source);
                }
            }
            _ => {
                const SECTIONS: &[&str] =
                    &["version", "services", "profiles", "deployment", "endpoints", "reclamation"];
                let present: Vec<&str> = entries.iter().filter_map(|(k, _)| k.text()).collect();
                let diagnostic = Diagnostic::error(
                    Code::UnexpectedField,
                    key.span,
                    format!("`{name}` is not an SDL section: the top level has version, services, profiles, deployment, endpoints and reclamation"),
                )
                .with_go(format!("sdl: unexpected field {name}"));
                d.custom.push(d.did_you_mean(diagnostic, key, SECTIONS, &present));
            }
        }
        d.flush(sink);
    }
    sdl.broken = d.broken;
    Some((version, sdl))
}

fn detect_version(root: &Node) -> Result<SdlVersion, Diagnostic> {
    let missing = || {
        Diagnostic::error(Code::MissingVersion, Span::new(0, 0), "the SDL has no `version`")
            .with_go("SDL invalid: no version found")
            .with_hint("start the file with `version: \"2.0\"` (or \"2.1\")")
    };
    let NodeKind::Map(entries) = &root.kind else { return Err(missing()) };
    // Go scans keys and values alike for the text `version` and reads the node after it.
    let flat: Vec<&Node> = entries.iter().flat_map(|(k, v)| [k, v]).collect();
    let Some(i) = flat.iter().position(|n| n.text() == Some("version")) else { return Err(missing()) };
    let Some(node) = flat.get(i + 1) else { return Err(missing()) };
    let text = node.text().unwrap_or_default();
    let version = semver::parse_tolerant(text).map_err(|e| {
        Diagnostic::error(
            Code::InvalidVersion,
            node.span,
            format!("{} is not a version: SDL versions are \"2.0\" and \"2.1\"", go_quote(text)),
        )
        .with_go(e)
    })?;
    let triple = (version.major, version.minor, version.patch);
    let release = version.pre.is_empty();
    if triple == (2, 0, 0) && release {
        Ok(SdlVersion::V2_0)
    } else if triple > (2, 1, 0) || (triple == (2, 1, 0) && release) {
        Ok(SdlVersion::V2_1)
    } else {
        Err(Diagnostic::error(
            Code::InvalidVersion,
            node.span,
            format!(
                "SDL version {} is not supported: SDL versions are \"2.0\" and \"2.1\"",
                go_quote(&version.to_string())
            ),
        )
        .with_go(format!("SDL invalid: config: unsupported version {}", go_quote(&version.to_string())))
        .with_hint("use version \"2.0\" or \"2.1\""))
    }
}

/// blang/semver v4 `ParseTolerant`, which Akash uses for the SDL version.
mod semver {
    pub(super) struct Version {
        pub major: u64,
        pub minor: u64,
        pub patch: u64,
        pub pre: Vec<String>,
        pub build: Vec<String>,
    }

    impl std::fmt::Display for Version {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
            if !self.pre.is_empty() {
                write!(f, "-{}", self.pre.join("."))?;
            }
            if !self.build.is_empty() {
                write!(f, "+{}", self.build.join("."))?;
            }
            Ok(())
        }
    }

    pub(super) fn parse_tolerant(text: &str) -> Result<Version, String> {
        let s = text.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts: Vec<String> = s.splitn(3, '.').map(str::to_owned).collect();
        for part in &mut parts {
            if part.len() > 1 {
                let trimmed = part.trim_start_matches('0');
                *part = if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
                    trimmed.to_owned()
                } else {
                    format!("0{trimmed}")
                };
            }
        }
        if parts.len() < 3 {
            if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
                return Err("Short version cannot contain PreRelease/Build meta data".to_owned());
            }
            while parts.len() < 3 {
                parts.push("0".to_owned());
            }
        }
        parse(&parts.join("."))
    }

    fn number(part: &str, what: &str) -> Result<u64, String> {
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Invalid character(s) found in {what} number {}", crate::units::go_quote(part)));
        }
        if part.len() > 1 && part.starts_with('0') {
            let title = format!("{}{}", what[..1].to_ascii_uppercase(), &what[1..]);
            return Err(format!("{title} number must not contain leading zeroes {}", crate::units::go_quote(part)));
        }
        crate::units::parse_uint(part, 64)
    }

    fn identifiers(text: &str, what: &str) -> Result<Vec<String>, String> {
        text.split('.')
            .map(|id| {
                if id.is_empty() {
                    return Err(format!("{what} meta data can not be empty {}", crate::units::go_quote(text)));
                }
                if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return Err(format!(
                        "Invalid character(s) found in {} {}",
                        what.to_ascii_lowercase(),
                        crate::units::go_quote(id)
                    ));
                }
                Ok(id.to_owned())
            })
            .collect()
    }

    fn parse(s: &str) -> Result<Version, String> {
        if s.is_empty() {
            return Err("Version string empty".to_owned());
        }
        let parts: Vec<&str> = s.splitn(3, '.').collect();
        let [major, minor, rest] = parts.as_slice() else {
            return Err("No Major.Minor.Patch elements found".to_owned());
        };
        let major = number(major, "major")?;
        let minor = number(minor, "minor")?;
        let (rest, build) = match rest.split_once('+') {
            Some((r, b)) => (r, identifiers(b, "Build")?),
            None => (*rest, Vec::new()),
        };
        let (patch, pre) = match rest.split_once('-') {
            Some((p, pre)) => (p, identifiers(pre, "Prerelease")?),
            None => (rest, Vec::new()),
        };
        let patch = number(patch, "patch")?;
        Ok(Version { major, minor, patch, pre, build })
    }
}

#[derive(Default)]
struct Decoder<'s> {
    /// The text the nodes were parsed from, for fixes' edits.
    source: &'s str,
    /// Errors from Akash's custom unmarshalers: the first one aborts Go's decode.
    custom: Vec<Diagnostic>,
    /// yaml.v3 type errors: collected and returned after the key is decoded.
    typed: Vec<Diagnostic>,
    /// Spans of values that failed to decode.
    broken: HashSet<Span>,
    warnings: Vec<Diagnostic>,
}

const HTTP_OPTION_KEYS: &[&str] =
    &["max_body_size", "read_timeout", "send_timeout", "next_tries", "next_timeout", "next_cases", "proxy_buffer_size"];

impl Decoder<'_> {
    fn flush(&mut self, sink: &mut Sink) {
        for d in self.custom.drain(..).chain(self.typed.drain(..)).chain(self.warnings.drain(..)) {
            sink.push(d);
        }
    }

    fn errors(&self) -> usize {
        self.custom.len() + self.typed.len()
    }

    /// An error of one of Akash's custom unmarshalers: `plain` for people, `go` as Go prints it.
    fn custom(&mut self, code: Code, span: Span, plain: impl Into<String>, go: impl Into<String>) {
        self.broken.insert(span);
        self.custom.push(Diagnostic::error(code, span, plain).with_go(go));
    }

    /// A memory or storage size Go refuses (Go's text as the message), with the suffixes it
    /// takes and, when the text is a suffix in the wrong case or with a `B`, its reading as an
    /// edit: the one reading as a safe fix, two as suggestions.
    fn invalid_size(&mut self, node: &Node, text: &str, go: String) {
        let text = text.to_owned();
        let plain = self
            .not_a_value(node, "sdl.memoryQuantity")
            .unwrap_or_else(|| format!("{} is not a size: {}", go_quote(&text), units::SIZE_SUFFIXES_HINT));
        self.custom(Code::InvalidSize, node.span, plain, go);
        let readings = units::size_readings(&text);
        let in_place = node.value_span(self.source);
        let Some(diagnostic) = self.custom.last_mut() else { return };
        diagnostic.hint = match readings.as_slice() {
            [(only, true)] => Some(format!("write {only}")),
            [] => None,
            several => {
                let choices: Vec<&str> = several.iter().map(|(r, _)| r.as_str()).collect();
                Some(format!("did you mean {}?", choices.join(" or ")))
            }
        };
        if let Some(span) = in_place {
            for (reading, safe) in readings {
                let label = if safe { format!("Write {reading}") } else { format!("Write {reading}?") };
                diagnostic.fixes.push(Fix { label, safe, edits: vec![TextEdit { span, replacement: reading }] });
            }
        }
    }

    fn type_error(&mut self, node: &Node, into: &str) {
        self.broken.insert(node.span);
        let tag = node.short_tag();
        let shown = match node.text() {
            Some(text) if text.len() > 10 => {
                let cut = (0..=7).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
                format!(" `{}...`", &text[..cut])
            }
            Some(text) => format!(" `{text}`"),
            None => String::new(),
        };
        let mut diagnostic = Diagnostic::error(
            Code::TypeMismatch,
            node.span,
            format!("expected {} here, found {}", expected_plain(into), found_plain(node)),
        )
        .with_go(format!("cannot unmarshal {tag}{shown} into {into}"));
        if into == "[]sdl.v2ExposeTo"
            && let Some(fix) = wrap_in_list(self.source, node)
        {
            diagnostic = diagnostic.with_fix(fix);
        }
        self.typed.push(diagnostic);
    }

    fn duplicate_key(&mut self, key: &Node) {
        let name = key.text().unwrap_or_default();
        self.typed.push(
            Diagnostic::error(
                Code::DuplicateKey,
                key.span,
                format!("{} appears twice in this mapping; a key may appear once", go_quote(name)),
            )
            .with_go(format!("mapping key {} already defined", go_quote(name))),
        );
    }

    /// A mapping's entries; null is an empty mapping, anything else a type error.
    fn mapping<'n>(&mut self, node: &'n Node, into: &str) -> &'n [(Node, Node)] {
        match &node.kind {
            NodeKind::Map(entries) => entries,
            _ if node.is_null() => &[],
            _ => {
                self.type_error(node, into);
                &[]
            }
        }
    }

    /// A mapping with arbitrary (name) keys; duplicates reported, the first kept.
    fn entries<'n>(&mut self, node: &'n Node, into: &str) -> Vec<(String, &'n Node, &'n Node)> {
        let entries = self.mapping(node, into);
        let mut seen: HashSet<&str> = HashSet::default();
        let mut out: Vec<(String, &Node, &Node)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let name = key.text().unwrap_or_default();
            if !seen.insert(name) {
                self.duplicate_key(key);
                continue;
            }
            out.push((name.to_owned(), key, value));
        }
        out
    }

    /// A mapping decoded into a struct: known fields are returned, unknown ones are warned about
    /// (Go ignores them silently, which hides typos).
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        into: &str,
        known: &[&'static str],
    ) -> Vec<(&'static str, &'n Node, &'n Node)> {
        let mut out = Vec::new();
        let entries = self.entries(node, into);
        let present: Vec<&str> = entries.iter().map(|(name, _, _)| name.as_str()).collect();
        let mut warnings = Vec::new();
        for (name, key, value) in &entries {
            if let Some(field) = known.iter().find(|k| *k == name) {
                out.push((*field, *key, *value));
            } else {
                let warning = Diagnostic::warning(
                    Code::IgnoredField,
                    key.span,
                    format!("unknown key {} is ignored by Akash", go_quote(name)),
                )
                .with_hint(format!("known keys here: {}", known.join(", ")));
                warnings.push(self.did_you_mean(warning, key, known, &present));
            }
        }
        self.warnings.extend(warnings);
        out
    }

    /// A key that is a typo of one known here (at most two edits away, the nearest, and not
    /// already present) gets it as a suggestion: a suggestion, not a safe fix, because the key
    /// was ignored until now and renaming it changes what the SDL says.
    fn did_you_mean(&self, mut diagnostic: Diagnostic, key: &Node, known: &[&str], present: &[&str]) -> Diagnostic {
        let Some(name) = key.text() else { return diagnostic };
        let Some(span) = key.value_span(self.source) else { return diagnostic };
        let nearest = known
            .iter()
            .filter(|k| !present.contains(k))
            .map(|k| (units::edit_distance(name, k), *k))
            .filter(|(d, k)| *d <= 2 && *d < k.len())
            .min();
        if let Some((_, k)) = nearest {
            diagnostic.hint = Some(format!("did you mean `{k}`?"));
            diagnostic.fixes.push(Fix {
                label: format!("Rename to `{k}`"),
                safe: false,
                edits: vec![TextEdit { span, replacement: (*k).to_owned() }],
            });
        }
        diagnostic
    }

    fn string(&mut self, node: &Node) -> String {
        match node.text() {
            Some(_) if node.is_null() => String::new(),
            Some(text) => text.to_owned(),
            None => {
                self.type_error(node, "string");
                String::new()
            }
        }
    }

    fn spanned_string(&mut self, node: &Node) -> Spanned<String> {
        Spanned { value: self.string(node), span: node.span }
    }

    fn uint32(&mut self, node: &Node) -> u32 {
        let ok = match node.resolve() {
            Resolved::Null if node.text().is_some() => Some(0),
            Resolved::Int(v) => u32::try_from(v).ok(),
            Resolved::Float(f) if (0.0..4_294_967_296.0).contains(&f) => Some(f as u32),
            _ => None,
        };
        ok.unwrap_or_else(|| {
            self.type_error(node, "uint32");
            0
        })
    }

    fn spanned_u32(&mut self, node: &Node) -> Spanned<u32> {
        Spanned { value: self.uint32(node), span: node.span }
    }

    fn boolean(&mut self, node: &Node) -> bool {
        match node.resolve() {
            Resolved::Null if node.text().is_some() => false,
            Resolved::Bool(b) => b,
            Resolved::Str("y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") if node.text().is_some() => true,
            Resolved::Str("n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF") if node.text().is_some() => false,
            _ => {
                self.type_error(node, "bool");
                false
            }
        }
    }

    fn string_list(&mut self, node: &Node) -> Option<Vec<Spanned<String>>> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items.iter().map(|n| self.spanned_string(n)).collect()),
            _ if node.is_null() => None,
            _ => {
                self.type_error(node, "[]string");
                None
            }
        }
    }

    fn plain_list(&mut self, node: &Node) -> Option<Vec<String>> {
        self.string_list(node).map(|l| l.into_iter().map(|s| s.value).collect())
    }

    fn sequence<'n>(&mut self, node: &'n Node, into: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ if node.is_null() => &[],
            _ => {
                self.type_error(node, into);
                &[]
            }
        }
    }

    /// The text Akash's quantity unmarshalers (`cpuQuantity`, `byteQuantity`, `gpuQuantity`)
    /// parse: Go reads `node.Value`, which is empty for a list or a mapping, so those get Go's
    /// parse error of the empty text, not a type error. None for null (yaml.v3 skips
    /// unmarshalers on null).
    fn quantity<'n>(&self, node: &'n Node) -> Option<&'n str> {
        match node.text() {
            Some(_) if node.is_null() => None,
            Some(text) => Some(text),
            None => Some(""),
        }
    }

    /// For a quantity given as a list or mapping, what to say instead of "`""` is not …".
    fn not_a_value(&self, node: &Node, into: &str) -> Option<String> {
        node.text().is_none().then(|| format!("expected {} here, found {}", expected_plain(into), found_plain(node)))
    }

    /// The text a custom unmarshaler reads; None for null (yaml.v3 skips unmarshalers on null).
    fn raw<'n>(&mut self, node: &'n Node, into: &str) -> Option<&'n str> {
        match node.text() {
            Some(_) if node.is_null() => None,
            Some(text) => Some(text),
            None => {
                self.type_error(node, into);
                None
            }
        }
    }

    fn services(&mut self, node: &Node) -> SortedMap<String, Service> {
        let mut services = Vec::new();
        for (name, key, value) in self.entries(node, "map[string]sdl.v2Service") {
            let mut svc = Service { key: key.span, ..Service::default() };
            let known = ["image", "command", "args", "env", "expose", "dependencies", "params", "credentials"];
            for (field, _, v) in self.fields(value, "sdl.v2Service", &known) {
                match field {
                    "image" => svc.image = self.spanned_string(v),
                    "command" => svc.command = self.plain_list(v),
                    "args" => svc.args = self.plain_list(v),
                    "env" => svc.env = self.string_list(v),
                    "expose" => svc.expose = self.sequence(v, "sdl.v2Exposes").iter().map(|e| self.expose(e)).collect(),
                    "params" => svc.params = (!v.is_null()).then(|| self.params(v)),
                    "credentials" => svc.credentials = (!v.is_null()).then(|| self.credentials(v)),
                    _ => {
                        for dep in self.sequence(v, "[]sdl.v2Dependency") {
                            self.fields(dep, "sdl.v2Dependency", &["service"]);
                        }
                    }
                }
            }
            services.push((name, svc));
        }
        services.into_iter().collect()
    }

    fn expose(&mut self, node: &Node) -> ExposeIn {
        let mut expose = ExposeIn { span: node.span, ..ExposeIn::default() };
        for (field, _, v) in self.fields(node, "sdl.v2Expose", &["port", "as", "proto", "to", "accept", "http_options"])
        {
            match field {
                "port" => expose.port = self.spanned_u32(v),
                "as" => expose.as_port = self.uint32(v),
                "proto" => expose.proto = self.spanned_string(v),
                "to" => {
                    for to in self.sequence(v, "[]sdl.v2ExposeTo") {
                        let mut t = ToIn::default();
                        let (mut global_value, mut ip_key) = (None, None);
                        for (f, k, v) in self.fields(to, "sdl.v2ExposeTo", &["service", "global", "ip", "http_options"])
                        {
                            match f {
                                "service" => t.service = self.string(v),
                                "global" => {
                                    t.global = self.boolean(v);
                                    global_value = Some(v);
                                }
                                "ip" => {
                                    t.ip = self.spanned_string(v);
                                    ip_key = Some(k);
                                }
                                _ => {
                                    self.fields(v, "sdl.v2HTTPOptions", HTTP_OPTION_KEYS);
                                }
                            }
                        }
                        if !t.global {
                            t.global_fix = make_global(self.source, to, global_value, ip_key);
                        }
                        expose.to.push(t);
                    }
                }
                "accept" => expose.accept = self.string_list(v),
                _ => expose.http = self.http_options(v),
            }
        }
        expose
    }

    fn http_options(&mut self, node: &Node) -> HttpIn {
        let mut http = HttpIn::default();
        for (field, _, v) in self.fields(node, "sdl.v2HTTPOptions", HTTP_OPTION_KEYS) {
            match field {
                "max_body_size" => http.max_body_size = self.spanned_u32(v),
                "read_timeout" => http.read_timeout = self.spanned_u32(v),
                "send_timeout" => http.send_timeout = self.spanned_u32(v),
                "next_tries" => http.next_tries = self.uint32(v),
                "next_timeout" => http.next_timeout = self.uint32(v),
                "next_cases" => http.next_cases = self.string_list(v),
                _ => http.proxy_buffer_size = self.spanned_u32(v),
            }
        }
        http
    }

    fn params(&mut self, node: &Node) -> ParamsIn {
        let mut params = ParamsIn::default();
        for (field, _, v) in self.fields(node, "sdl.v2ServiceParams", &["storage", "permissions", "tee"]) {
            match field {
                "storage" => {
                    let mut storage = Vec::new();
                    for (name, key, value) in self.entries(v, "map[string]sdl.v2ServiceStorageParams") {
                        let mut param = StorageParamIn { key: key.span, ..StorageParamIn::default() };
                        param.mount.span = key.span;
                        for (f, _, fv) in self.fields(value, "sdl.v2ServiceStorageParams", &["mount", "readOnly"]) {
                            if f == "mount" {
                                param.mount = self.spanned_string(fv);
                            } else {
                                param.read_only = Spanned { value: self.boolean(fv), span: fv.span };
                            }
                        }
                        storage.push((name, param));
                    }
                    params.storage = storage.into_iter().collect();
                }
                "permissions" => {
                    let mut read = Vec::new();
                    for (_, _, r) in self.fields(v, "sdl.v2ServicePermissions", &["read"]) {
                        read = self.plain_list(r).unwrap_or_default();
                    }
                    params.permissions = Some(read);
                }
                _ => {
                    let tee = self.spanned_string(v);
                    params.tee = (!tee.value.is_empty()).then_some(tee);
                }
            }
        }
        params
    }

    fn credentials(&mut self, node: &Node) -> CredentialsIn {
        let mut c = CredentialsIn { span: node.span, ..CredentialsIn::default() };
        for (field, _, v) in self.fields(node, "sdl.v2ServiceCredentials", &["host", "email", "username", "password"]) {
            let value = self.string(v);
            match field {
                "host" => c.host = value,
                "email" => c.email = value,
                "username" => c.username = value,
                _ => c.password = value,
            }
        }
        c
    }

    fn compute_profiles(&mut self, node: &Node) -> SortedMap<String, ComputeProfile> {
        let mut profiles = Vec::new();
        for (name, key, value) in self.entries(node, "map[string]sdl.v2ComputeProfile") {
            let before = self.errors();
            let mut profile = ComputeProfile { key: key.span, ..ComputeProfile::default() };
            for (_, _, v) in self.fields(value, "sdl.v2ComputeProfile", &["resources"]) {
                if !v.is_null() {
                    profile.resources = Some(self.resources(v));
                }
            }
            profile.broken = self.errors() > before;
            profiles.push((name, profile));
        }
        profiles.into_iter().collect()
    }

    fn resources(&mut self, node: &Node) -> ResourcesIn {
        let mut res = ResourcesIn { span: node.span, ..ResourcesIn::default() };
        for (field, _, v) in self.fields(node, "sdl.v2ComputeResources", &["cpu", "memory", "storage", "gpu"]) {
            match field {
                "cpu" => res.cpu = (!v.is_null()).then(|| self.cpu(v)),
                "memory" => res.memory = (!v.is_null()).then(|| self.memory(v)),
                "storage" => (res.storage, res.ignored_storage_name) = self.storage(v),
                _ => res.gpu = self.gpu(v),
            }
        }
        res
    }

    fn cpu(&mut self, node: &Node) -> Cpu {
        let mut cpu = Cpu { millicores: 0, attributes: Vec::new() };
        for (field, _, v) in self.fields(node, "sdl.v2ResourceCPU", &["units", "attributes"]) {
            if field == "units" {
                if let Some(text) = self.quantity(v) {
                    match units::cpu_millicores(text) {
                        Ok(m) => cpu.millicores = m,
                        Err(e) => {
                            let plain = self.not_a_value(v, "sdl.cpuQuantity").unwrap_or_else(|| {
                                format!(
                                    "{} is not a CPU amount: write cores (0.5, 2) or millicores (500m)",
                                    go_quote(text)
                                )
                            });
                            self.custom(Code::InvalidCpuUnits, v.span, plain, e);
                        }
                    }
                }
            } else if !v.is_null() {
                cpu.attributes = self.cpu_attributes(v);
            }
        }
        cpu
    }

    /// Go's `v2CPUAttributes.UnmarshalYAML` reads the node's children two by two whatever the
    /// node is (`[arch, amd64]` is arch=amd64; a trailing odd item is skipped), stops at the
    /// first error, and keeps repeated keys (the chain's attribute check refuses them later).
    fn cpu_attributes(&mut self, node: &Node) -> Vec<Attribute> {
        let pairs: Vec<(&Node, &Node)> = match &node.kind {
            NodeKind::Map(entries) => entries.iter().map(|(k, v)| (k, v)).collect(),
            NodeKind::Seq(items) => items.chunks_exact(2).map(|p| (&p[0], &p[1])).collect(),
            NodeKind::Scalar { .. } => Vec::new(),
        };
        let mut attributes = Vec::new();
        for (k, v) in pairs {
            let key = k.text().unwrap_or_default();
            if key != "arch" {
                self.custom(
                    Code::UnsupportedAttribute,
                    k.span,
                    format!("{} is not a CPU attribute: the only one is `arch`", go_quote(key)),
                    format!("unsupported cpu attribute {}", go_quote(key)),
                );
                break;
            }
            let errors = self.errors();
            let value = self.string(v);
            if self.errors() > errors {
                break;
            }
            attributes.push(Attribute { key: key.to_owned(), value });
        }
        crate::sort::go_stable_sort(&mut attributes, |a, b| a.key < b.key);
        attributes
    }

    fn memory(&mut self, node: &Node) -> Memory {
        let mut memory = Memory { bytes: 0 };
        for (field, k, v) in self.fields(node, "sdl.v2ResourceMemory", &["size", "attributes"]) {
            if field == "size" {
                if let Some(text) = self.quantity(v) {
                    match units::size_bytes(text) {
                        Ok(b) => memory.bytes = b,
                        Err(e) => self.invalid_size(v, text, e),
                    }
                }
            } else {
                self.warnings.push(Diagnostic::warning(
                    Code::IgnoredField,
                    k.span,
                    "memory attributes are ignored by Akash",
                ));
            }
        }
        memory
    }

    /// The volumes, and the ignored `name:` of a single-mapping `storage:`.
    fn storage(&mut self, node: &Node) -> (Vec<Volume>, Option<String>) {
        let volumes: Vec<(&Node, bool)> = match &node.kind {
            NodeKind::Map(_) => vec![(node, true)],
            NodeKind::Seq(items) => items.iter().map(|n| (n, false)).collect(),
            NodeKind::Scalar { .. } => Vec::new(),
        };
        let mut out: Vec<(Volume, Span)> = Vec::new();
        let mut ignored_name = None;
        for (v, single) in volumes {
            let mut volume = Volume { name: "default".to_owned(), bytes: 0, attributes: None };
            for (field, _, fv) in self.fields(v, "sdl.v2ResourceStorage", &["name", "size", "attributes"]) {
                match field {
                    // A single mapping is always the `default` volume, whatever its name says.
                    "name" if !single => {
                        let name = self.string(fv);
                        if !name.is_empty() {
                            volume.name = name;
                        }
                    }
                    "name" => {
                        let name = fv.text().unwrap_or_default();
                        if name != "default" && !fv.is_null() {
                            ignored_name = Some(name.to_owned());
                            self.single_storage_name(v, fv, name);
                        }
                    }
                    "size" => {
                        if let Some(text) = self.quantity(fv) {
                            match units::size_bytes(text) {
                                Ok(b) => volume.bytes = b,
                                Err(e) => self.invalid_size(fv, text, e),
                            }
                        }
                    }
                    _ => {
                        if !fv.is_null() {
                            volume.attributes = Some(self.storage_attributes(fv));
                        }
                    }
                }
            }
            if out.iter().any(|(o, _)| o.name == volume.name) {
                self.custom(
                    Code::DuplicateVolume,
                    v.span,
                    format!(
                        "two volumes of this profile are named {}; each needs a name of its own",
                        go_quote(&volume.name)
                    ),
                    "sdl: duplicated volume name",
                );
            }
            out.push((volume, v.span));
        }
        let mut volumes: Vec<Volume> = out.into_iter().map(|(v, _)| v).collect();
        crate::sort::go_stable_sort(&mut volumes, volume_less);
        (volumes, ignored_name)
    }

    /// Go reads a `storage:` that is one mapping as the volume `default` and drops its `name:`;
    /// a list of volumes is what names one. The edit is a suggestion: it renames the volume,
    /// which changes the manifest.
    fn single_storage_name(&mut self, volume: &Node, name_node: &Node, name: &str) {
        let mut warning = Diagnostic::warning(
            Code::IgnoredField,
            name_node.span,
            format!("this volume is named `default`, not {}: Akash ignores `name:` in a `storage:` that is a single mapping", go_quote(name)),
        )
        .with_hint("to name the volume, make `storage:` a list of volumes (`- name: ...`)");
        if let Some(mut fix) = wrap_in_list(self.source, volume) {
            fix.label = "Make `storage` a list (names the volume)".to_owned();
            fix.safe = false;
            warning = warning.with_fix(fix);
        }
        self.warnings.push(warning);
    }

    fn storage_attributes(&mut self, node: &Node) -> Vec<Attribute> {
        let mut attrs: Vec<(String, String, Span)> = Vec::new();
        for (key, k, value) in self.entries(node, "sdl.v2StorageAttributes") {
            let text = self.raw(value, "string").unwrap_or_default().to_owned();
            attrs.push((key, text, k.span));
        }
        let get = |attrs: &[(String, String, Span)], key: &str| attrs.iter().find(|a| a.0 == key).map(|a| a.1.clone());
        if get(&attrs, "persistent").is_none() {
            attrs.push(("persistent".to_owned(), "false".to_owned(), node.span));
        }
        let class = get(&attrs, "class").unwrap_or_default();
        let persistent = get(&attrs, "persistent").unwrap_or_default();
        if class.is_empty() && persistent == "true" {
            attrs.push(("class".to_owned(), "default".to_owned(), node.span));
        } else if class == "ram" && persistent != "false" {
            self.custom(
                Code::InvalidStorage,
                node.span,
                "a `ram` volume cannot be persistent: drop `persistent: true`, or choose a class for disks",
                "sdl: ram storage class cannot be persistent",
            );
        } else if !class.is_empty() && class != "ram" && persistent == "false" {
            self.custom(
                Code::InvalidStorage,
                node.span,
                "only a persistent volume (or `ram`) has a `class`: add `persistent: true` or remove `class`",
                "sdl: ephemeral storage should not set attribute class",
            );
        }
        crate::sort::go_stable_sort(&mut attrs, |a, b| a.0 < b.0);
        let mut out = Vec::new();
        for (key, value, span) in attrs {
            let value = match key.as_str() {
                "persistent" => match value.as_str() {
                    "true" | "on" | "yes" => "true".to_owned(),
                    "false" | "off" | "no" => "false".to_owned(),
                    _ => {
                        self.custom(
                            Code::InvalidStorage,
                            span,
                            format!("`persistent` is true or false, not {}", go_quote(&value)),
                            "sdl: invalid value for attribute \"persistent\". expected bool",
                        );
                        value
                    }
                },
                "class" => {
                    if !matches!(value.as_str(), "default" | "beta1" | "beta2" | "beta3" | "ram") {
                        self.custom(
                            Code::InvalidStorage,
                            span,
                            format!(
                                "storage class {} is not one of default, beta1, beta2, beta3, ram",
                                go_quote(&value)
                            ),
                            "sdl: invalid value for attribute class",
                        );
                    }
                    value
                }
                _ => {
                    self.custom(
                        Code::UnsupportedAttribute,
                        span,
                        format!("{} is not a storage attribute: they are `persistent` and `class`", go_quote(&key)),
                        format!("sdl: unsupported storage attribute: {key}"),
                    );
                    value
                }
            };
            out.push(Attribute { key, value });
        }
        out
    }

    /// Go's `v2ResourceGPU.UnmarshalYAML` walks the node's children two by two whatever the
    /// node is (a mapping's keys and values, a list's items; a scalar has none), stops at the
    /// first error, and never checks for repeated keys: a later `units` wins.
    fn gpu(&mut self, node: &Node) -> Gpu {
        let mut gpu = Gpu::default();
        if node.is_null() {
            return gpu;
        }
        let Some(pairs) = self.go_pairs(node, "a mapping of GPU fields (`units`, `attributes`)") else { return gpu };
        let mut attributes = None;
        for (k, v) in pairs {
            let key = k.text().unwrap_or_default();
            match key {
                "units" => {
                    let errors = self.errors();
                    if let Some(text) = self.quantity(v) {
                        match units::parse_uint(text, 32) {
                            Ok(n) => gpu.units = n as u32,
                            Err(e) => {
                                let plain = self.not_a_value(v, "sdl.gpuQuantity").unwrap_or_else(|| {
                                    format!("{} is not a number of GPUs: write a whole number", go_quote(text))
                                });
                                self.custom(Code::InvalidGpu, v.span, plain, e);
                            }
                        }
                    }
                    if self.errors() > errors {
                        return gpu;
                    }
                }
                "attributes" => {
                    let errors = self.errors();
                    attributes = (!v.is_null()).then(|| self.gpu_attributes(v));
                    if self.errors() > errors {
                        return gpu;
                    }
                }
                _ => {
                    self.custom(
                        Code::InvalidGpu,
                        k.span,
                        format!("{} is not a GPU field: a GPU has `units` and `attributes`", go_quote(key)),
                        format!("sdl: unsupported field ({key}) for GPU resource"),
                    );
                    return gpu;
                }
            }
        }
        match attributes {
            None if gpu.units > 0 => self.custom(
                Code::InvalidGpu,
                node.span,
                "GPUs need `attributes` naming their vendor, e.g. `attributes: {vendor: {nvidia: }}`",
                "sdl: GPU attributes must be present if units > 0",
            ),
            None => {}
            Some(attrs) => gpu.attributes = attrs,
        }
        gpu
    }

    /// The children of `node` two by two, as Go's custom unmarshalers for the CPU attributes
    /// and the GPU blocks read `node.Content`: a mapping's keys and values, a list's items in
    /// pairs, nothing for a scalar. An odd list is an index out of range in Go (it crashes):
    /// reported as an error of ours, and None.
    fn go_pairs<'n>(&mut self, node: &'n Node, expected: &str) -> Option<Vec<(&'n Node, &'n Node)>> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries.iter().map(|(k, v)| (k, v)).collect()),
            NodeKind::Seq(items) if items.len() % 2 == 0 => Some(items.chunks(2).map(|p| (&p[0], &p[1])).collect()),
            NodeKind::Seq(items) => {
                self.broken.insert(node.span);
                self.custom.push(
                    Diagnostic::error(
                        Code::InvalidGpu,
                        node.span,
                        format!("expected {expected} here, found a list of {} items", items.len()),
                    )
                    .with_hint("Akash's Go reference crashes on this input (it reads the items two by two)"),
                );
                None
            }
            NodeKind::Scalar { .. } => Some(Vec::new()),
        }
    }

    /// Go's `v2GPUAttributes.UnmarshalYAML`: the children two by two, like [`Self::gpu`].
    fn gpu_attributes(&mut self, node: &Node) -> Vec<Attribute> {
        let mut models = None;
        let Some(pairs) = self.go_pairs(node, "a mapping of GPU attributes (`vendor`)") else { return Vec::new() };
        for (k, v) in pairs {
            let key = k.text().unwrap_or_default();
            if key == "vendor" {
                // Go decodes `vendor` into a pointer: null leaves it unset (an error below); an
                // empty mapping, or one naming only vendors other than nvidia, means "any nvidia
                // GPU". Its errors stop the walk where the key is.
                let errors = self.errors();
                models = (!v.is_null()).then(|| self.gpu_models(v));
                if self.errors() > errors {
                    return Vec::new();
                }
            } else {
                self.custom(
                    Code::InvalidGpu,
                    k.span,
                    format!("{} is not a GPU attribute: the only one is `vendor`", go_quote(key)),
                    format!("sdl: unsupported attribute ({key}) for GPU resource"),
                );
                return Vec::new();
            }
        }
        let Some(mut attrs) = models else {
            self.custom(
                Code::InvalidGpu,
                node.span,
                "the GPU attributes name no vendor: add `vendor: {nvidia: }` (any NVIDIA GPU) or list models",
                "sdl: invalid GPU attributes. at least one vendor must be set",
            );
            return Vec::new();
        };
        if attrs.is_empty() {
            attrs.push((Attribute { key: "vendor/nvidia/model/*".to_owned(), value: "true".to_owned() }, node.span));
        }
        crate::sort::go_stable_sort(&mut attrs, |a, b| a.0.key < b.0.key);
        if let Err(e) = crate::checks::validate_attribute_keys(attrs.iter().map(|a| a.0.key.as_str())) {
            self.custom(
                Code::InvalidGpu,
                node.span,
                format!("the GPU attributes are invalid: {e}"),
                format!("sdl: invalid GPU attributes: {e}"),
            );
        }
        attrs.into_iter().map(|a| a.0).collect()
    }

    /// `vendor:` decoded into Go's `gpuVendor` (a plain struct: yaml.v3's usual rules), each
    /// nvidia model as its attribute key.
    fn gpu_models(&mut self, vendor: &Node) -> Vec<(Attribute, Span)> {
        let vendors = self.entries(vendor, "sdl.gpuVendor");
        let mut attrs = Vec::new();
        let models = vendors.iter().find(|(name, _, _)| name == "nvidia").map(|(_, _, v)| *v);
        for entry in models.map(|m| self.sequence(m, "[]sdl.gpuModel")).unwrap_or_default() {
            let mut key = String::from("vendor/nvidia/model/");
            let (mut model, mut ram, mut interface) = (String::new(), None, None);
            for (field, _, v) in self.fields(entry, "sdl.gpuModel", &["model", "ram", "interface"]) {
                match field {
                    "model" => model = self.string(v),
                    "ram" => ram = self.raw(v, "string").map(|t| (t.to_owned(), v.span)),
                    _ => interface = Some(self.spanned_string(v)),
                }
            }
            key.push_str(&model);
            if let Some((text, span)) = ram.filter(|(t, _)| !t.is_empty()) {
                match units::gpu_ram_bytes(&text) {
                    Ok(bytes) => key.push_str(&format!("/ram/{}Gi", bytes >> 30)),
                    Err(e) => self.custom(
                        Code::InvalidGpu,
                        span,
                        format!("{} is not a GPU memory size: write it in Gi (e.g. 80Gi)", go_quote(&text)),
                        e,
                    ),
                }
            }
            if let Some(iface) = interface.filter(|i| !i.value.is_empty()) {
                if matches!(iface.value.as_str(), "pcie" | "sxm") {
                    key.push_str(&format!("/interface/{}", iface.value));
                } else {
                    self.custom(
                        Code::InvalidGpu,
                        iface.span,
                        format!("GPU interface {} is neither `pcie` nor `sxm`", go_quote(&iface.value)),
                        format!("sdl: invalid GPU interface {}. expected \"pcie|sxm\"", iface.value),
                    );
                }
            }
            attrs.push((Attribute { key, value: "true".to_owned() }, entry.span));
        }
        attrs
    }

    fn placement_profiles(&mut self, node: &Node) -> SortedMap<String, PlacementProfile> {
        let mut profiles = Vec::new();
        for (name, key, value) in self.entries(node, "map[string]sdl.v2PlacementProfile") {
            let mut p = PlacementProfile { key: key.span, ..PlacementProfile::default() };
            for (field, _, v) in self.fields(value, "sdl.v2PlacementProfile", &["attributes", "signedBy", "pricing"]) {
                match field {
                    "attributes" => {
                        let mut attrs = Vec::new();
                        for (key, _, av) in self.entries(v, "sdl.v2PlacementAttributes") {
                            let value = self.raw(av, "string").unwrap_or_default().to_owned();
                            attrs.push(Attribute { key, value });
                        }
                        crate::sort::go_stable_sort(&mut attrs, |a, b| a < b);
                        p.attributes = (!attrs.is_empty()).then_some(attrs);
                    }
                    "signedBy" => {
                        let mut signed = SignedBy::default();
                        for (f, _, sv) in self.fields(v, "sdl.v2SignedBy", &["allOf", "anyOf"]) {
                            let list = self.plain_list(sv);
                            if f == "allOf" {
                                signed.all_of = list;
                            } else {
                                signed.any_of = list;
                            }
                        }
                        p.signed_by = signed;
                    }
                    _ => {
                        let (mut pricing, mut broken) = (Vec::new(), Vec::new());
                        for (profile, _, pv) in self.entries(v, "map[string]sdl.v2Coin") {
                            match self.coin(pv) {
                                Some((coin, denom)) => {
                                    if coin.denom != limits::PRICE_DENOM {
                                        self.chain_price_denom(&name, &profile, &coin.denom, denom, pv);
                                    }
                                    pricing.push((profile, Spanned { value: coin, span: pv.span }));
                                }
                                None => broken.push(profile),
                            }
                        }
                        p.pricing = pricing.into_iter().collect();
                        p.broken_pricing = broken.into_iter().collect();
                    }
                }
            }
            profiles.push((name, p));
        }
        profiles.into_iter().collect()
    }

    /// A price, and its `denom` node when it has one.
    fn coin<'n>(&mut self, node: &'n Node) -> Option<(DecCoin, Option<&'n Node>)> {
        let (mut denom, mut amount) = (Spanned::default(), Spanned { value: String::new(), span: node.span });
        let mut denom_node = None;
        for (field, _, v) in self.fields(node, "sdl.v2Coin", &["denom", "amount"]) {
            if field == "denom" {
                denom = self.spanned_string(v);
                denom_node = Some(v);
            } else {
                amount = Spanned { value: self.raw(v, "string").unwrap_or_default().to_owned(), span: v.span };
            }
        }
        let parsed = match Dec::parse(&amount.value) {
            Ok(d) => d,
            Err(e) => {
                self.custom(
                    Code::InvalidPrice,
                    amount.span,
                    format!(
                        "{} is not a price amount: write a positive decimal number, e.g. 1000 or 0.5",
                        go_quote(&amount.value)
                    ),
                    e,
                );
                return None;
            }
        };
        if parsed.is_negative() {
            self.custom(
                Code::InvalidPrice,
                amount.span,
                format!("a price cannot be negative ({parsed})"),
                format!("invalid: negative value not allowed: amount \"{parsed}\" is negative"),
            );
            return None;
        }
        if parsed.is_zero() {
            self.custom(
                Code::InvalidPrice,
                amount.span,
                "a price cannot be zero",
                "invalid coin amount: amount is zero",
            );
            return None;
        }
        if !crate::checks::is_valid_denom(&denom.value) {
            let span = if denom.span == Span::default() { node.span } else { denom.span };
            self.custom.push(
                Diagnostic::error(Code::InvalidPrice, span, format!("invalid denom {}", go_quote(&denom.value)))
                    .with_hint("a denom is 3–128 characters: a letter, then letters, digits or /:._- (uakt, uact, ibc/…); Akash's Go reference crashes on this input"),
            );
            return None;
        }
        Some((DecCoin { denom: denom.value, amount: parsed }, denom_node))
    }

    /// Go accepts any valid denom, but Akash chain v2.0 (BME) refuses a `MsgCreateDeployment`
    /// whose prices are not in uact: warn, with the edit to uact when the denom is written in
    /// place (not through an alias or an anchor other nodes repeat).
    fn chain_price_denom(&mut self, placement: &str, profile: &str, denom: &str, node: Option<&Node>, price: &Node) {
        let text = node.and_then(|n| n.value_span(self.source));
        let span = match (node, text) {
            // A quoted scalar's span can run on to a comment after it: end at the closing quote.
            (Some(n), Some(t)) if t.start > n.span.start => Span { start: n.span.start, end: t.end + 1 },
            (Some(n), _) => n.span,
            (None, _) => price.span,
        };
        let mut warning = Diagnostic::warning(
            Code::ChainPriceDenom,
            span,
            format!(
                "placement {} prices profile {} in {denom}: the chain accepts new deployments priced only in {} (ACT) since its v2.0 upgrade",
                go_quote(placement),
                go_quote(profile),
                limits::PRICE_DENOM
            ),
        )
        .with_hint(format!("price it in {}: the same amount, in micro-ACT", limits::PRICE_DENOM));
        if let Some(text) = text {
            warning = warning.with_fix(Fix {
                label: format!("Price in {} (same amount)", limits::PRICE_DENOM),
                safe: true,
                edits: vec![TextEdit { span: text, replacement: limits::PRICE_DENOM.to_owned() }],
            });
        }
        self.warnings.push(warning);
    }

    fn deployment(&mut self, node: &Node) -> SortedMap<String, DeployedService> {
        let mut out = Vec::new();
        for (svc, key, value) in self.entries(node, "map[string]sdl.v2Deployment") {
            let mut deployed = DeployedService { key: key.span, ..DeployedService::default() };
            let mut placements = Vec::new();
            for (placement, pkey, pv) in self.entries(value, "sdl.v2Deployment") {
                let mut d = DeploymentIn { key: pkey.span, ..DeploymentIn::default() };
                d.profile.span = pkey.span;
                d.count.span = pkey.span;
                for (field, _, v) in self.fields(pv, "sdl.v2ServiceDeployment", &["profile", "count"]) {
                    if field == "profile" {
                        d.profile = self.spanned_string(v);
                    } else {
                        d.count = self.spanned_u32(v);
                    }
                }
                placements.push((placement, d));
            }
            deployed.placements = placements.into_iter().collect();
            out.push((svc, deployed));
        }
        out.into_iter().collect()
    }

    fn endpoints(&mut self, node: &Node) -> SortedMap<String, EndpointDecl> {
        let mut out = Vec::new();
        for (name, key, value) in self.entries(node, "map[string]sdl.v2Endpoint") {
            let mut decl = EndpointDecl { key: key.span, ..EndpointDecl::default() };
            decl.kind.span = key.span;
            for (_, _, v) in self.fields(value, "sdl.v2Endpoint", &["kind"]) {
                decl.kind = self.spanned_string(v);
            }
            out.push((name, decl));
        }
        out.into_iter().collect()
    }
}

/// Go's storage volume comparator (not a strict order: see `sort::go_stable_sort`).
fn volume_less(a: &Volume, b: &Volume) -> bool {
    if a.bytes != b.bytes {
        return a.bytes < b.bytes;
    }
    let persistent = |v: &Volume| {
        v.attributes
            .as_ref()
            .and_then(|attrs| attrs.iter().find(|x| x.key == "persistent"))
            .map(|x| x.value.clone())
            .filter(|s| !s.is_empty())
    };
    let (pa, pb) = (persistent(a), persistent(b));
    match (&pa, &pb) {
        (None, Some(_)) => return true,
        (Some(x), Some(y)) if x < y => return true,
        (Some(_), None) => return false,
        _ => {}
    }
    let not_persistent = |p: &Option<String>| p.as_deref() != Some("true");
    if not_persistent(&pa) {
        return true;
    }
    if not_persistent(&pb) {
        return false;
    }
    a.name < b.name
}

/// What a Go type name means to an SDL author, for type-mismatch messages.
fn expected_plain(into: &str) -> String {
    match into {
        "[]sdl.v2ExposeTo" => "a list of targets, e.g. `to: [{global: true}]`".to_owned(),
        "sdl.v2Exposes" => "a list of exposed ports, e.g. `expose: [{port: 80, to: [{global: true}]}]`".to_owned(),
        "[]sdl.gpuModel" => "a list of GPU models, e.g. `- model: a100`".to_owned(),
        "[]string" | "[]sdl.v2Dependency" => "a list".to_owned(),
        "string" | "interface" => "a single value".to_owned(),
        "uint32" => "a whole number from 0 to 4294967295".to_owned(),
        "bool" => "true or false".to_owned(),
        "sdl.cpuQuantity" => "a CPU amount such as 0.5, 2 or 500m".to_owned(),
        "sdl.memoryQuantity" | "sdl.storageQuantity" => "a size such as 512Mi or 1Gi".to_owned(),
        "sdl.gpuQuantity" => "a number of GPUs".to_owned(),
        "sdl.v2ResourceStorage" => "a volume (`size:`, optionally `name:` and `attributes:`)".to_owned(),
        _ if into.starts_with("map[") => "a mapping of names".to_owned(),
        _ if into.starts_with("[]") => "a list".to_owned(),
        _ => "a mapping of fields".to_owned(),
    }
}

/// A node as an author would describe it.
fn found_plain(node: &Node) -> String {
    match (&node.kind, node.short_tag()) {
        (NodeKind::Map(_), _) => "a mapping".to_owned(),
        (NodeKind::Seq(_), _) => "a list".to_owned(),
        (_, "!!null") => "nothing".to_owned(),
        (_, "!!str") => format!("the text {}", go_quote(node.text().unwrap_or_default())),
        _ => format!("`{}`", node.text().unwrap_or_default()),
    }
}

/// The edit that makes a mapping the only item of a list: `{…}` → `[{…}]` in flow style;
/// in block style `- ` before the first key and two more spaces before each later line of
/// the mapping, so nested values keep their place. None where the text is not the mapping's
/// own (an anchor or alias) or its extent is unclear.
fn wrap_in_list(source: &str, node: &Node) -> Option<Fix> {
    if node.shared || !matches!(node.kind, NodeKind::Map(_)) {
        return None;
    }
    let start = node.span.start as usize;
    let bytes = source.as_bytes();
    let edits = if bytes.get(start) == Some(&b'{') {
        let end = flow_end(source, start)?;
        vec![
            TextEdit { span: Span::new(start, start), replacement: "[".to_owned() },
            TextEdit { span: Span::new(end, end), replacement: "]".to_owned() },
        ]
    } else {
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = start - line_start;
        if !source[line_start..start].bytes().all(|b| b == b' ') {
            return None;
        }
        let mut edits = vec![TextEdit { span: Span::new(start, start), replacement: "- ".to_owned() }];
        let mut pending = Vec::new();
        let mut offset = source[start..].find('\n').map(|i| start + i + 1);
        while let Some(at) = offset.filter(|&at| at < source.len()) {
            let line = source[at..].split('\n').next().unwrap_or_default();
            let indent = line.bytes().take_while(|&b| b == b' ').count();
            let rest = line[indent..].trim_end_matches('\r');
            if rest.is_empty() {
                // Blank lines stay blank.
            } else if rest.starts_with('#') {
                // Comment lines move with the mapping only if it goes on after them.
                pending.push(at);
            } else if indent >= column {
                for p in pending.drain(..).chain([at]) {
                    edits.push(TextEdit { span: Span::new(p, p), replacement: "  ".to_owned() });
                }
            } else {
                break;
            }
            offset = source[at..].find('\n').map(|i| at + i + 1);
        }
        edits
    };
    Some(Fix { label: "Make `to` a list".to_owned(), safe: true, edits })
}

/// The offset just after the `}` or `]` closing the flow collection opened at `start`.
fn flow_end(source: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in source[start..].char_indices() {
        match (quote, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), _) if c == q && !escaped => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            (None, '#') if source[..start + i].ends_with([' ', '\t']) => return None,
            _ => {}
        }
        escaped = false;
    }
    None
}

/// The edit that makes a `to:` target global: its `global:` value replaced by `true`, or
/// `global: true` written before its `ip:` key (`global: true, ` in a flow mapping; a line of
/// its own at the key's column in a block mapping).
fn make_global(source: &str, to: &Node, global: Option<&Node>, ip_key: Option<&Node>) -> Option<Fix> {
    if to.shared {
        return None;
    }
    let edit = match global {
        Some(value) => {
            let span = value.value_span(source)?;
            TextEdit { span, replacement: "true".to_owned() }
        }
        None => {
            let key = ip_key?;
            let at = key.span.start as usize;
            if source.as_bytes().get(to.span.start as usize) == Some(&b'{') {
                TextEdit { span: Span::new(at, at), replacement: "global: true, ".to_owned() }
            } else {
                let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
                if !source[line_start..at].bytes().all(|b| matches!(b, b' ' | b'-')) {
                    return None;
                }
                let indent = " ".repeat(at - line_start);
                TextEdit { span: Span::new(at, at), replacement: format!("global: true\n{indent}") }
            }
        }
    };
    Some(Fix { label: "Add `global: true`".to_owned(), safe: true, edits: vec![edit] })
}
