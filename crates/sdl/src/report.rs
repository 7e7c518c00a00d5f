//! The JSON report of a build, shared by the `leasekit` CLI and the npm package so both
//! speak the same shapes:
//! `{"version", "manifest", "groupSpecs", "warnings"}` or `{"errors", "warnings"}`.

use crate::Build;
use crate::diagnostic::Diagnostic;
use crate::json::Json;
use crate::span::{LineIndex, Position};

fn position(p: Position) -> Json {
    Json::Obj(vec![
        ("line", Json::Num(u64::from(p.line))),
        ("column", Json::Num(u64::from(p.column_utf8))),
        ("columnUtf16", Json::Num(u64::from(p.column_utf16))),
    ])
}

/// One diagnostic: code, severity, message, hint, whether it is Go's error, byte span, and
/// 1-based start/end positions with UTF-8 and UTF-16 columns.
#[must_use]
pub fn diagnostic_json(d: &Diagnostic, index: &LineIndex<'_>) -> Json {
    let (start, end) = d.locate(index);
    Json::Obj(vec![
        ("code", Json::Str(d.code.as_str().to_owned())),
        ("severity", Json::Str(d.severity.as_str().to_owned())),
        ("message", Json::Str(d.message.clone())),
        ("hint", d.hint.clone().map_or(Json::Null, Json::Str)),
        ("reference", Json::Bool(d.reference)),
        (
            "span",
            Json::Obj(vec![("start", Json::Num(u64::from(d.span.start))), ("end", Json::Num(u64::from(d.span.end)))]),
        ),
        ("start", position(start)),
        ("end", position(end)),
    ])
}

impl Build {
    /// The report of this build of `source`.
    #[must_use]
    pub fn to_json(&self, source: &str) -> Json {
        let index = LineIndex::new(source);
        let list =
            |it: &mut dyn Iterator<Item = &Diagnostic>| Json::Arr(it.map(|d| diagnostic_json(d, &index)).collect());
        let warnings = list(&mut self.diagnostics.warnings());
        match &self.output {
            Some(out) => Json::Obj(vec![
                ("version", Json::Str(out.version_hex())),
                ("manifest", out.manifest.to_json()),
                ("groupSpecs", out.group_specs_json()),
                ("warnings", warnings),
            ]),
            None => Json::Obj(vec![("errors", list(&mut self.diagnostics.errors())), ("warnings", warnings)]),
        }
    }
}
