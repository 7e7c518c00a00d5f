//! Diagnostics as rustc-style code frames (annotate-snippets): the title with the code, the
//! `--> FILE:LINE:COL` line, the source lines with a caret under the span, then the hint, Go's
//! own words, the fixes, and the follow-on errors the diagnostic explains.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use leasekit_sdl::{Diagnostic, Diagnostics, LineIndex, Severity};

/// Whether frames are coloured (ANSI), as `--color` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Color {
    /// When stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

impl Color {
    pub(crate) fn enabled(self) -> bool {
        use std::io::IsTerminal as _;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// Every diagnostic of `file` as a frame, a blank line after each.
pub(crate) fn render(file: &str, source: &str, diagnostics: &Diagnostics, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let index = LineIndex::new(source);
    let several_errors = diagnostics.errors().count() > 1;
    let mut out = String::new();
    for d in diagnostics.all() {
        let notes = notes(d, &index, several_errors);
        let level = level(d.severity);
        let start = (d.span.start as usize).min(source.len());
        let end = (d.span.end as usize).clamp(start, source.len());
        let mut group = level
            .primary_title(d.message.as_str())
            .id(d.code.as_str())
            .element(Snippet::source(source).path(file).annotation(AnnotationKind::Primary.span(start..end)));
        for (note_level, text) in &notes {
            group = group.element(note_level.clone().message(text.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// The lines under a frame: `help:` for the hint and the fixes, `note:` for the rest.
fn notes(d: &Diagnostic, index: &LineIndex<'_>, several_errors: bool) -> Vec<(Level<'static>, String)> {
    let mut notes = Vec::new();
    if let Some(hint) = &d.hint {
        notes.push((Level::HELP, hint.clone()));
    }
    for fix in &d.fixes {
        let kind = if fix.safe { "fix (leasekit sdl fix applies it)" } else { "suggestion" };
        notes.push((Level::HELP, format!("{kind}: {}", fix.label)));
    }
    if let Some(go) = d.go.as_deref().filter(|go| *go != d.message) {
        notes.push((Level::NOTE, format!("Akash's Go reference says: {go}")));
    }
    if d.reference && d.severity == Severity::Error && several_errors {
        notes.push((Level::NOTE, "this is the error Akash reports (it stops at its first)".to_owned()));
    }
    for folded in &d.folded {
        let at = index.position(folded.span.start);
        notes.push((
            Level::NOTE,
            format!("it also explains {} at {}:{}: {}", folded.code.as_str(), at.line, at.column_utf8, folded.message),
        ));
    }
    notes
}
