//! The JSON report of a build, shared by the `leasekit` CLI and the npm package so both
//! speak the same shapes:
//! `{"version", "manifest", "groupSpecs", "warnings"}` or `{"errors", "warnings"}`; the npm
//! package's `build()` adds `ok` and the manifest's wire bytes ([`Build::to_js_json`]).

use crate::Build;
use crate::diagnostic::Diagnostic;
use crate::fix::{Fix, TextEdit};
use crate::json::Json;
use crate::span::{LineIndex, Position, PositionEncoding, Span};

fn position(p: Position, encoding: PositionEncoding) -> Json {
    let column = match encoding {
        PositionEncoding::Utf8 => p.column_utf8,
        PositionEncoding::Utf16 => p.column_utf16,
    };
    Json::Obj(vec![
        ("line", Json::Num(u64::from(p.line))),
        ("column", Json::Num(u64::from(column))),
        ("columnUtf16", Json::Num(u64::from(p.column_utf16))),
    ])
}

/// A span as the report writes every span: `span` offsets and 1-based `start`/`end` positions.
fn located(span: Span, index: &LineIndex<'_>, encoding: PositionEncoding) -> [(&'static str, Json); 3] {
    let offset = |o: u32| Json::Num(u64::from(index.offset(o, encoding)));
    [
        ("span", Json::Obj(vec![("start", offset(span.start)), ("end", offset(span.end))])),
        ("start", position(index.position(span.start), encoding)),
        ("end", position(index.position(span.end), encoding)),
    ]
}

/// One edit: its span located like a diagnostic's (`span`, `start`, `end`), and `replacement`.
/// In UTF-16 the offsets index the JavaScript string, so `text.slice(0, start) + replacement +
/// text.slice(end)` applies it.
fn edit_json(edit: &TextEdit, index: &LineIndex<'_>, encoding: PositionEncoding) -> Json {
    let mut fields = Vec::from(located(edit.span, index, encoding));
    fields.push(("replacement", Json::Str(edit.replacement.clone())));
    Json::Obj(fields)
}

fn fix_json(fix: &Fix, index: &LineIndex<'_>, encoding: PositionEncoding) -> Json {
    Json::Obj(vec![
        ("label", Json::Str(fix.label.clone())),
        ("safe", Json::Bool(fix.safe)),
        ("edits", Json::Arr(fix.edits.iter().map(|e| edit_json(e, index, encoding)).collect())),
    ])
}

/// One diagnostic: code, severity, message (plain words), `go` (Go's exact text, or null),
/// hint, whether it is Go's error, `span` offsets, 1-based `start`/`end` positions, `fixes`
/// (`{label, safe, edits: [{span, start, end, replacement}]}`, edits located like the
/// diagnostic) and `folded` (the follow-on errors it explains, in the same form). Offsets and `column` count in
/// `encoding` (UTF-8 bytes by default); `columnUtf16` is always UTF-16, for browser editors.
#[must_use]
pub fn diagnostic_json(d: &Diagnostic, index: &LineIndex<'_>, encoding: PositionEncoding) -> Json {
    let mut fields = vec![
        ("code", Json::Str(d.code.as_str().to_owned())),
        ("severity", Json::Str(d.severity.as_str().to_owned())),
        ("message", Json::Str(d.message.clone())),
        ("go", d.go.clone().map_or(Json::Null, Json::Str)),
        ("hint", d.hint.clone().map_or(Json::Null, Json::Str)),
        ("reference", Json::Bool(d.reference)),
    ];
    fields.extend(located(d.span, index, encoding));
    fields.push(("fixes", Json::Arr(d.fixes.iter().map(|f| fix_json(f, index, encoding)).collect())));
    fields.push(("folded", Json::Arr(d.folded.iter().map(|f| diagnostic_json(f, index, encoding)).collect())));
    Json::Obj(fields)
}

impl Build {
    /// The report of this build of `source`, positions in UTF-8 (the CLI's form).
    #[must_use]
    pub fn to_json(&self, source: &str) -> Json {
        self.to_json_with(source, PositionEncoding::Utf8)
    }

    /// The report with positions counted in `encoding`.
    #[must_use]
    pub fn to_json_with(&self, source: &str, encoding: PositionEncoding) -> Json {
        let index = LineIndex::new(source);
        let list = |it: &mut dyn Iterator<Item = &Diagnostic>| {
            Json::Arr(it.map(|d| diagnostic_json(d, &index, encoding)).collect())
        };
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

    /// The npm package's `build()` result: `{ok: true, version, manifest, groupSpecs, warnings,
    /// manifestJson, sortedManifestJson}` or `{ok: false, errors, warnings}`. `manifestJson` is
    /// the exact text to send to a provider, `sortedManifestJson` the text the version hashes.
    #[must_use]
    pub fn to_js_json(&self, source: &str, encoding: PositionEncoding) -> Json {
        let Json::Obj(fields) = self.to_json_with(source, encoding) else { return Json::Null };
        let mut out = vec![("ok", Json::Bool(self.output.is_some()))];
        out.extend(fields);
        if let Some(output) = &self.output {
            out.push(("manifestJson", Json::Str(output.manifest.to_json_string())));
            out.push(("sortedManifestJson", Json::Str(output.manifest.to_sorted_json())));
        }
        Json::Obj(out)
    }
}

impl crate::Diagnostics {
    /// All diagnostics as a JSON array (the npm package's `check()` result).
    #[must_use]
    pub fn to_json(&self, source: &str, encoding: PositionEncoding) -> Json {
        let index = LineIndex::new(source);
        Json::Arr(self.all().iter().map(|d| diagnostic_json(d, &index, encoding)).collect())
    }
}
