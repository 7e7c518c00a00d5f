//! Byte spans into the source and their line/column positions.

/// A half-open UTF-8 byte range `start..end` into the SDL source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Self { start: clamp(start), end: clamp(end.max(start)) }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn join(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A 1-based line and column, the column counted both in UTF-8 bytes and in UTF-16 code units
/// (editors in the browser count UTF-16, terminals and Rust count bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in UTF-8 bytes.
    pub column_utf8: u32,
    /// 1-based column in UTF-16 code units.
    pub column_utf16: u32,
}

/// How offsets and columns are counted at an API boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// UTF-8 bytes (Rust, terminals, the CLI).
    #[default]
    Utf8,
    /// UTF-16 code units (JavaScript strings, browser editors).
    Utf16,
}

/// Maps byte offsets of one source text to [`Position`]s.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// UTF-16 offset where each line starts; empty for ASCII sources (where it equals the byte offset).
    line_starts_utf16: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `source` (`\n`, `\r\n` and lone `\r` end a line, as in YAML).
    #[must_use]
    pub fn new(source: &'a str) -> Self {
        let bytes = source.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        let line_starts_utf16 = if source.is_ascii() {
            Vec::new()
        } else {
            let mut units = 0;
            let mut last = 0;
            line_starts
                .iter()
                .map(|&start| {
                    units += source[last..start].chars().map(char::len_utf16).sum::<usize>();
                    last = start;
                    units
                })
                .collect()
        };
        Self { source, line_starts, line_starts_utf16 }
    }

    /// A byte offset converted to `encoding` (clamped to a character boundary, as in
    /// [`LineIndex::position`]).
    #[must_use]
    pub fn offset(&self, offset: u32, encoding: PositionEncoding) -> u32 {
        if encoding == PositionEncoding::Utf8 || self.line_starts_utf16.is_empty() {
            return offset.min(u32::try_from(self.source.len()).unwrap_or(u32::MAX));
        }
        let position = self.position(offset);
        let line = position.line as usize - 1;
        u32::try_from(self.line_starts_utf16[line]).unwrap_or(u32::MAX) + position.column_utf16 - 1
    }

    /// The position of a byte offset; offsets past the end or inside a character are clamped
    /// to the nearest character boundary before it.
    #[must_use]
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let text = &self.source[self.line_starts[line]..offset];
        let utf16: usize = text.chars().map(char::len_utf16).sum();
        let to_u32 = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Position { line: to_u32(line + 1), column_utf8: to_u32(text.len() + 1), column_utf16: to_u32(utf16 + 1) }
    }
}

/// Converts the character indices the YAML scanner reports into byte offsets.
#[derive(Debug)]
pub(crate) struct CharOffsets {
    /// Byte offset of every character, or empty when the source is ASCII (index = offset).
    offsets: Vec<u32>,
    len: u32,
}

impl CharOffsets {
    pub(crate) fn new(source: &str) -> Self {
        let len = u32::try_from(source.len()).unwrap_or(u32::MAX);
        if source.is_ascii() {
            return Self { offsets: Vec::new(), len };
        }
        let offsets = source.char_indices().map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX)).collect();
        Self { offsets, len }
    }

    pub(crate) fn byte(&self, char_index: usize) -> u32 {
        if self.offsets.is_empty() {
            return u32::try_from(char_index).unwrap_or(u32::MAX).min(self.len);
        }
        self.offsets.get(char_index).copied().unwrap_or(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf8_and_utf16() {
        let src = "a: é\n😀b: x\r\nc";
        let index = LineIndex::new(src);
        assert_eq!(index.position(0), Position { line: 1, column_utf8: 1, column_utf16: 1 });
        // "é" is 2 bytes, 1 UTF-16 unit.
        assert_eq!(index.position(5), Position { line: 1, column_utf8: 6, column_utf16: 5 });
        // "😀" is 4 bytes, 2 UTF-16 units.
        let b = src.find('b').expect("b");
        assert_eq!(index.position(b as u32), Position { line: 2, column_utf8: 5, column_utf16: 3 });
        let c = src.find('c').expect("c");
        assert_eq!(index.position(c as u32), Position { line: 3, column_utf8: 1, column_utf16: 1 });
        // Inside a multi-byte character: clamped back to its start.
        assert_eq!(index.position(4).column_utf8, 4);
    }

    #[test]
    fn offsets_convert_to_utf16() {
        let src = "a: é\n😀b: x";
        let index = LineIndex::new(src);
        let b = src.find('b').expect("b") as u32;
        assert_eq!(index.offset(b, PositionEncoding::Utf8), b);
        // "a: é\n" is 5 UTF-16 units, "😀" 2 more.
        assert_eq!(index.offset(b, PositionEncoding::Utf16), 7);
        let ascii = LineIndex::new("ab\ncd");
        assert_eq!(ascii.offset(4, PositionEncoding::Utf16), 4);
    }

    #[test]
    fn char_offsets_map_scanner_indices() {
        let offsets = CharOffsets::new("é😀x");
        assert_eq!([offsets.byte(0), offsets.byte(1), offsets.byte(2), offsets.byte(3)], [0, 2, 6, 7]);
        assert_eq!(CharOffsets::new("abc").byte(9), 3);
    }
}
