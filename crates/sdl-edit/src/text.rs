//! Byte-level helpers: line bounds, columns, and the exact extent of a node in the text.

use leasekit_sdl::syntax::{SyntaxKind, SyntaxNode};

use crate::scalar::Style;

/// Start of the line holding `at`.
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// One past the end of the line holding `at`, including its newline.
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Column of `at` in characters.
pub(crate) fn column(text: &str, at: usize) -> usize {
    text[line_start(text, at)..at].chars().count()
}

/// True when only spaces precede `at` on its line.
pub(crate) fn starts_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].bytes().all(|b| b == b' ')
}

/// Skips anchors (`&a`) and tags (`!t`) and the spaces, line breaks and comments after them
/// (a block collection's starts on the next line).
pub(crate) fn skip_properties(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    while matches!(b.get(at), Some(b'&' | b'!')) {
        while at < b.len() && !b[at].is_ascii_whitespace() {
            at += 1;
        }
        let after = at;
        while matches!(b.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        if matches!(b.get(at), Some(b'\n' | b'\r' | b'#')) {
            let next = skip_filler(text, at);
            // Only a block collection continues on a later line.
            if matches!(b.get(next), Some(b'|' | b'>' | b'"' | b'\'' | b'{' | b'[') | None) {
                return after;
            }
            at = next;
        }
    }
    at
}

/// The `-` of the block sequence item whose content (or the sequence itself) starts at `at`.
pub(crate) fn dash_of(text: &str, at: usize) -> usize {
    if text[at..].starts_with('-') { at } else { text[..at].rfind('-').unwrap_or(at) }
}

/// Skips spaces, newlines, commas and comments.
pub(crate) fn skip_filler(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    while at < b.len() {
        match b[at] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => at += 1,
            b'#' => at = line_end(text, at),
            _ => break,
        }
    }
    at
}

/// The style of a scalar node.
pub(crate) fn style(text: &str, node: &SyntaxNode) -> Style {
    match (&node.kind, text.as_bytes().get(skip_properties(text, node.span.start as usize))) {
        (SyntaxKind::Scalar { plain: true, .. }, _) => Style::Plain,
        (_, Some(b'"')) => Style::Double,
        (_, Some(b'\'')) => Style::Single,
        _ => Style::Block,
    }
}

/// True when the node is a flow collection.
pub(crate) fn is_flow(text: &str, node: &SyntaxNode) -> bool {
    matches!(text.as_bytes().get(skip_properties(text, node.span.start as usize)), Some(b'{' | b'['))
}

/// The bytes `start..end` the node's content occupies (after its anchor and tag; for a block
/// scalar from its `|`/`>` header to the end of its last content line, without the newline).
pub(crate) fn extent(text: &str, node: &SyntaxNode) -> (usize, usize) {
    let b = text.as_bytes();
    let start = skip_properties(text, node.span.start as usize);
    match &node.kind {
        SyntaxKind::Scalar { value, plain } => {
            if *plain {
                if value.is_empty() {
                    return (start, start);
                }
                let end = (node.span.end as usize).max(start);
                return (start, start + text[start..end].trim_end().len());
            }
            match b.get(start) {
                Some(b'"') => {
                    let mut i = start + 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    (start, (i + 1).min(b.len()))
                }
                Some(b'\'') => {
                    let mut i = start + 1;
                    while i < b.len() {
                        if b[i] == b'\'' {
                            if b.get(i + 1) == Some(&b'\'') {
                                i += 2;
                                continue;
                            }
                            break;
                        }
                        i += 1;
                    }
                    (start, (i + 1).min(b.len()))
                }
                _ => {
                    // A block scalar: the span is its content; the header is the last `|`/`>`
                    // before it.
                    let header = block_header(text, start);
                    let end = (node.span.end as usize).max(start);
                    let end = start + text[start..end].trim_end().len();
                    (skip_properties(text, header), end.max(header + 1))
                }
            }
        }
        SyntaxKind::Seq(items) => {
            let last = items.last().map(|n| extent(text, n).1);
            collection_end(text, node, start, last)
        }
        SyntaxKind::Map(entries) => {
            let last = entries.last().map(|(k, v)| value_extent(text, k, v).1);
            collection_end(text, node, start, last)
        }
    }
}

/// The `|`/`>` header of the block scalar whose content starts at `start`: the last indicator on
/// the last non-blank line before the content, ignoring that line's comment.
fn block_header(text: &str, start: usize) -> usize {
    let before = text[..line_start(text, start)].trim_end();
    let line = line_start(text, before.len());
    let code = text[line..before.len()].find(" #").map_or(&text[line..before.len()], |i| &text[line..line + i]);
    code.rfind(['|', '>']).map_or(start, |i| line + i)
}

fn collection_end(text: &str, node: &SyntaxNode, start: usize, last: Option<usize>) -> (usize, usize) {
    if is_flow(text, node) {
        let close = if text.as_bytes()[start] == b'{' { b'}' } else { b']' };
        let at = skip_filler(text, last.unwrap_or(start + 1));
        let end = if text.as_bytes().get(at) == Some(&close) { at + 1 } else { at };
        (start, end)
    } else {
        (start, last.unwrap_or(start))
    }
}

/// The extent of a mapping value; an empty value sits right after its key's `:`.
pub(crate) fn value_extent(text: &str, key: &SyntaxNode, value: &SyntaxNode) -> (usize, usize) {
    if matches!(&value.kind, SyntaxKind::Scalar { value: v, plain: true } if v.is_empty()) {
        let key_end = extent(text, key).1;
        let colon = text[key_end..].find(':').map_or(key_end, |i| key_end + i + 1);
        return (colon, colon);
    }
    extent(text, value)
}
