//! Fixes as data: a diagnostic can carry edits of the source that resolve it, so callers (the
//! web app's editor, the CLI, the npm package's users) apply them without matching strings.
//!
//! A [`Fix`] is a labelled set of [`TextEdit`]s, each a byte span of the source and its
//! replacement. The engine offers a fix only where it can make a clean edit: the span is the
//! text of the node the diagnostic is about and nothing else (not an alias, not text an alias
//! repeats elsewhere), so applying it changes exactly what the label says.

use crate::span::Span;

/// One way to resolve a diagnostic by editing the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for a button or a menu (e.g. `Price in uact (same amount)`).
    pub label: String,
    /// True when the fix has one obvious meaning and can be applied without asking; false for
    /// a suggestion the author should review.
    pub safe: bool,
    /// The edits, non-overlapping, every span into the original source.
    pub edits: Vec<TextEdit>,
}

/// A replacement of one byte span of the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextEdit {
    /// The bytes replaced (empty for an insertion).
    pub span: Span,
    /// What replaces them.
    pub replacement: String,
}

/// Why [`apply_fixes`] refused a set of edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixError {
    /// The span ends past the source, starts after it ends, or cuts a UTF-8 character.
    OutOfRange(Span),
    /// Two edits change the same bytes, or insert different text at the same offset (the result
    /// would depend on their order).
    Overlap(Span, Span),
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixError::OutOfRange(s) => write!(f, "edit {}..{} is not a range of the source", s.start, s.end),
            FixError::Overlap(a, b) => write!(f, "edits {}..{} and {}..{} overlap", a.start, a.end, b.start, b.end),
        }
    }
}

impl std::error::Error for FixError {}

/// Applies `edits` to `source`. Every span refers to `source` as given, so the order of `edits`
/// does not matter (the result is the one of applying them back to front). Identical edits
/// (the same span and replacement, as two diagnostics' fixes may propose) are applied once; an
/// insertion at the start of a replaced span goes before the replacement.
///
/// # Errors
///
/// [`FixError::OutOfRange`] for a span that is not a character range of `source`,
/// [`FixError::Overlap`] for edits that overlap.
pub fn apply_fixes(source: &str, edits: &[TextEdit]) -> Result<String, FixError> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort();
    sorted.dedup();
    for edit in &sorted {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        if start > end || end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            return Err(FixError::OutOfRange(edit.span));
        }
    }
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0].span, pair[1].span);
        // Sorted by start, then end: an empty span comes before a replacement starting there.
        if b.start < a.end || (a == b && a.start == a.end) {
            return Err(FixError::Overlap(a, b));
        }
    }
    let mut out = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in sorted {
        out.push_str(&source[cursor..edit.span.start as usize]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end as usize;
    }
    out.push_str(&source[cursor..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> TextEdit {
        TextEdit { span: Span::new(start, end), replacement: replacement.to_owned() }
    }

    #[test]
    fn edits_apply_against_the_original_in_any_order() {
        let source = "denom: uakt\ndenom: uakt\n";
        let a = edit(7, 11, "uact");
        let b = edit(19, 23, "uact");
        let want = "denom: uact\ndenom: uact\n";
        assert_eq!(apply_fixes(source, &[a.clone(), b.clone()]).as_deref(), Ok(want));
        assert_eq!(apply_fixes(source, &[b, a]).as_deref(), Ok(want));
        // Replacements of another length do not shift the other edits' spans.
        let longer = [edit(19, 23, "ibc/usdc"), edit(0, 5, "d")];
        assert_eq!(apply_fixes(source, &longer).as_deref(), Ok("d: uakt\ndenom: ibc/usdc\n"));
        assert_eq!(apply_fixes(source, &[]).as_deref(), Ok(source));
    }

    #[test]
    fn overlapping_edits_are_rejected() {
        let source = "abcdef";
        let err = apply_fixes(source, &[edit(3, 5, "x"), edit(1, 4, "y")]);
        assert_eq!(err, Err(FixError::Overlap(Span::new(1, 4), Span::new(3, 5))));
        // One span inside another; the same span with two replacements; two insertions at one offset.
        assert!(apply_fixes(source, &[edit(0, 6, "x"), edit(2, 3, "y")]).is_err());
        assert!(apply_fixes(source, &[edit(2, 3, "x"), edit(2, 3, "y")]).is_err());
        assert!(apply_fixes(source, &[edit(2, 2, "x"), edit(2, 2, "y")]).is_err());
        // An insertion strictly inside a replaced span.
        assert!(apply_fixes(source, &[edit(1, 4, "x"), edit(2, 2, "y")]).is_err());
    }

    #[test]
    fn touching_and_identical_edits_are_not_overlaps() {
        let source = "abcdef";
        assert_eq!(apply_fixes(source, &[edit(3, 6, "Z"), edit(0, 3, "X")]).as_deref(), Ok("XZ"));
        // An insertion at either end of a replaced span.
        assert_eq!(apply_fixes(source, &[edit(2, 4, "-"), edit(2, 2, "<"), edit(4, 4, ">")]).as_deref(), Ok("ab<->ef"));
        assert_eq!(apply_fixes(source, &[edit(1, 2, "B"), edit(1, 2, "B")]).as_deref(), Ok("aBcdef"));
    }

    #[test]
    fn spans_outside_the_source_or_inside_a_character_are_rejected() {
        assert_eq!(apply_fixes("abc", &[edit(2, 4, "x")]), Err(FixError::OutOfRange(Span::new(2, 4))));
        let backwards = TextEdit { span: Span { start: 2, end: 1 }, replacement: String::new() };
        assert_eq!(apply_fixes("abc", std::slice::from_ref(&backwards)), Err(FixError::OutOfRange(backwards.span)));
        // "é" is two bytes.
        assert!(apply_fixes("é", &[edit(1, 2, "e")]).is_err());
        assert_eq!(apply_fixes("é", &[edit(0, 2, "e")]).as_deref(), Ok("e"));
        assert!(FixError::Overlap(Span::new(0, 1), Span::new(0, 2)).to_string().contains("overlap"));
    }
}
