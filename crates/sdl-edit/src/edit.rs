//! The document and its edits.

use leasekit_sdl::syntax::{Origin, SyntaxKind, SyntaxNode, parse_syntax};
use leasekit_sdl::{Diagnostics, Span};

use crate::scalar::{self, ScalarValue, Style};
use crate::text::{column, dash_of, extent, is_flow, line_end, line_start, starts_line, style, value_extent};

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A sequence index (0-based).
    Index(usize),
}

/// Why an edit was refused. The document is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The text is not YAML (or breaks a limit).
    Parse(Diagnostics),
    /// No node at this path; `depth` path segments resolved, ending at the node at `span`.
    NotFound {
        /// Segments that resolved.
        depth: usize,
        /// The last node found.
        span: Span,
    },
    /// The node is not the kind the edit needs (`expected`: "scalar", "mapping", "sequence").
    WrongKind {
        /// What the edit needs.
        expected: &'static str,
        /// The node.
        span: Span,
    },
    /// The node comes from an alias or a merge key; its text is elsewhere.
    Derived {
        /// The node's span (the anchored text).
        span: Span,
    },
    /// The key already exists in the mapping.
    KeyExists {
        /// The existing key.
        span: Span,
    },
    /// A multi-line fragment cannot go into a flow collection.
    MultiLineInFlow {
        /// The flow collection.
        span: Span,
    },
    /// The edited text no longer parses.
    Invalid(Diagnostics),
    /// The fragment did not add exactly one entry (`a, b` into a flow mapping adds two: quote
    /// it).
    NotOneEntry {
        /// The collection.
        span: Span,
    },
    /// A fix's edits are not ranges of the text, or overlap.
    Fix(leasekit_sdl::FixError),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Parse(d) | Self::Invalid(d) => {
                let first = d.all().first().map_or("", |d| d.message.as_str());
                write!(f, "{}: {first}", if matches!(self, Self::Parse(_)) { "not YAML" } else { "edit breaks YAML" })
            }
            Self::NotFound { depth, .. } => write!(f, "no node at path segment {depth}"),
            Self::WrongKind { expected, .. } => write!(f, "not a {expected}"),
            Self::Derived { .. } => f.write_str("the node comes from an alias or merge key"),
            Self::KeyExists { .. } => f.write_str("the key already exists"),
            Self::MultiLineInFlow { .. } => f.write_str("a multi-line fragment cannot go into a flow collection"),
            Self::NotOneEntry { .. } => f.write_str("the fragment does not add exactly one entry"),
            Self::Fix(e) => write!(f, "the fix does not apply: {e}"),
        }
    }
}

impl std::error::Error for EditError {}

/// Applies the edits of the engine's fixes (`leasekit_sdl::Fix`) to `text`: the edits replace
/// just their spans, so comments, key order and formatting elsewhere stay byte for byte, and a
/// text that was YAML must still be YAML afterwards (a fix of a YAML syntax error may of course
/// start from text that is not).
///
/// # Errors
///
/// [`EditError::Fix`] for edits that are not ranges of `text` or overlap;
/// [`EditError::Invalid`] when `text` parsed and the result does not.
pub fn apply_fix(text: &str, edits: &[leasekit_sdl::TextEdit]) -> Result<String, EditError> {
    let fixed = leasekit_sdl::apply_fixes(text, edits).map_err(EditError::Fix)?;
    if parse_syntax(text).is_ok() {
        parse_syntax(&fixed).map_err(EditError::Invalid)?;
    }
    Ok(fixed)
}

/// An SDL document being edited: its text and the spanned tree of that text.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    root: SyntaxNode,
}

/// A node found at a path, with the key it is the value of.
struct Found<'d> {
    node: &'d SyntaxNode,
    key: Option<&'d SyntaxNode>,
    /// The collection holding the node and the node's index in it.
    parent: Option<(&'d SyntaxNode, usize)>,
}

impl Document {
    /// Parses `text`.
    ///
    /// # Errors
    ///
    /// [`EditError::Parse`] when the text is not YAML.
    pub fn parse(text: &str) -> Result<Self, EditError> {
        let root = parse_syntax(text).map_err(EditError::Parse)?;
        Ok(Self { text: text.to_owned(), root })
    }

    /// The current text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The tree of the current text.
    #[must_use]
    pub fn root(&self) -> &SyntaxNode {
        &self.root
    }

    /// The node at `path`, if any.
    #[must_use]
    pub fn get(&self, path: &[PathSegment<'_>]) -> Option<&SyntaxNode> {
        self.find(path).ok().map(|f| f.node)
    }

    fn find(&self, path: &[PathSegment<'_>]) -> Result<Found<'_>, EditError> {
        let mut found = Found { node: &self.root, key: None, parent: None };
        for (depth, segment) in path.iter().enumerate() {
            let node = found.node;
            let not_found = EditError::NotFound { depth, span: node.span };
            found = match (segment, &node.kind) {
                (PathSegment::Key(want), SyntaxKind::Map(entries)) => entries
                    .iter()
                    .enumerate()
                    .find(|(_, (k, _))| matches!(&k.kind, SyntaxKind::Scalar { value, .. } if value == want))
                    .map(|(i, (k, v))| Found { node: v, key: Some(k), parent: Some((node, i)) })
                    .ok_or(not_found)?,
                (PathSegment::Index(i), SyntaxKind::Seq(items)) => {
                    items.get(*i).map(|v| Found { node: v, key: None, parent: Some((node, *i)) }).ok_or(not_found)?
                }
                _ => return Err(not_found),
            };
        }
        Ok(found)
    }

    /// Like `find`, refusing nodes from aliases and merge keys.
    fn find_own(&self, path: &[PathSegment<'_>]) -> Result<Found<'_>, EditError> {
        let found = self.find(path)?;
        let derived = |n: &SyntaxNode| n.origin != Origin::Source;
        if derived(found.node) || found.key.is_some_and(derived) {
            return Err(EditError::Derived { span: found.node.span });
        }
        Ok(found)
    }

    /// Replaces `start..end` with `with` and re-parses; on failure nothing changes.
    fn splice(&mut self, start: usize, end: usize, with: &str) -> Result<(), EditError> {
        let mut text = String::with_capacity(self.text.len() + with.len());
        text.push_str(&self.text[..start]);
        text.push_str(with);
        text.push_str(&self.text[end..]);
        self.root = parse_syntax(&text).map_err(EditError::Invalid)?;
        self.text = text;
        Ok(())
    }

    /// Sets the scalar at `path`. Strings keep the node's quoting when it still reads back as
    /// the same string, else are written plain when safe and double-quoted otherwise. Setting a
    /// scalar to what it already is changes nothing.
    ///
    /// # Errors
    ///
    /// No such node, not a scalar, from an alias/merge, or the result does not parse.
    pub fn set_scalar(&mut self, path: &[PathSegment<'_>], value: ScalarValue) -> Result<(), EditError> {
        let found = self.find_own(path)?;
        let SyntaxKind::Scalar { value: current, .. } = &found.node.kind else {
            return Err(EditError::WrongKind { expected: "scalar", span: found.node.span });
        };
        let style = style(&self.text, found.node);
        if scalar::same(current, style, &value) {
            return Ok(());
        }
        let (start, end) = self.node_extent(&found);
        let mut new = scalar::render(&value, if style == Style::Block { Style::Plain } else { style });
        if start == end && self.text[..start].ends_with(':') {
            new.insert(0, ' ');
        }
        self.splice(start, end, &new)
    }

    fn node_extent(&self, found: &Found<'_>) -> (usize, usize) {
        match found.key {
            Some(key) => value_extent(&self.text, key, found.node),
            None => extent(&self.text, found.node),
        }
    }

    /// Replaces the node at `path` by a YAML fragment, re-indented to the node's position.
    ///
    /// # Errors
    ///
    /// No such node, from an alias/merge, or the result does not parse.
    pub fn set_block(&mut self, path: &[PathSegment<'_>], fragment: &str) -> Result<(), EditError> {
        let found = self.find_own(path)?;
        let (start, end) = self.node_extent(&found);
        let fragment = fragment.trim_end_matches(['\n', '\r', ' ']);
        let inline = !is_block_fragment(fragment);
        let node_is_block = !is_flow(&self.text, found.node) && !matches!(found.node.kind, SyntaxKind::Scalar { .. });
        if inline && node_is_block && found.key.is_some() {
            // `key:\n  - a` → `key: [b]`: the value moves up after the colon.
            let from = self.text[..start].trim_end_matches(['\n', '\r', ' ']).len();
            return self.splice(from, end, &format!(" {fragment}"));
        }
        if inline || node_is_block || found.key.is_none() {
            // Written where the node starts: later lines at that column.
            let col = column(&self.text, start);
            let mut with = indent_lines(fragment, col, false);
            if start == end && self.text[..start].ends_with(':') {
                with.insert(0, ' ');
            }
            return self.splice(start, end, &with);
        }
        // A multi-line fragment for an inline value: on the lines below its key.
        let key = found.key.map_or(start, |k| k.span.start as usize);
        let col = column(&self.text, key) + 2;
        let from = self.text[..start].trim_end_matches(' ').len();
        self.splice(from, end, &format!("\n{}", indent_lines(fragment, col, true)))
    }

    /// Adds `key: fragment` at the end of the mapping at `path` (a new line at the entries'
    /// indentation for a block mapping, `, key: value` before `}` for a flow mapping). A
    /// multi-line fragment goes on the lines below the key.
    ///
    /// # Errors
    ///
    /// No such mapping, the key exists, from an alias/merge, a multi-line fragment into a flow
    /// mapping, or the result does not parse.
    pub fn insert(&mut self, path: &[PathSegment<'_>], key: &str, fragment: &str) -> Result<(), EditError> {
        self.adding_one(path, Some(key), |doc| doc.insert_unchecked(path, key, fragment))
    }

    fn insert_unchecked(&mut self, path: &[PathSegment<'_>], key: &str, fragment: &str) -> Result<(), EditError> {
        let found = self.find_own(path)?;
        let SyntaxKind::Map(entries) = &found.node.kind else {
            return Err(EditError::WrongKind { expected: "mapping", span: found.node.span });
        };
        if let Some((k, _)) =
            entries.iter().find(|(k, _)| matches!(&k.kind, SyntaxKind::Scalar { value, .. } if value == key))
        {
            return Err(EditError::KeyExists { span: k.span });
        }
        let key_text = if scalar::plain_ok(key) { key.to_owned() } else { scalar::double_quoted(key) };
        let fragment = fragment.trim_end_matches(['\n', '\r', ' ']);
        if is_flow(&self.text, found.node) || entries.is_empty() {
            let (start, end, with) = self.flow_add(&found, &format!("{key_text}: {fragment}"))?;
            return self.splice(start, end, &with);
        }
        let col = column(&self.text, entries[0].0.span.start as usize);
        let entry = if is_block_fragment(fragment) {
            format!("{key_text}:\n{}", indent_lines(fragment, 2, true))
        } else {
            format!("{key_text}: {fragment}")
        };
        let last = entries.last().map_or(0, |(k, v)| value_extent(&self.text, k, v).1);
        self.add_line(last, &indent_lines(&entry, col, true))
    }

    /// Appends an item to the sequence at `path` (a `- item` line for a block sequence,
    /// `, item` before `]` for a flow sequence).
    ///
    /// # Errors
    ///
    /// No such sequence, from an alias/merge, a multi-line fragment into a flow sequence, or the
    /// result does not parse.
    pub fn append(&mut self, path: &[PathSegment<'_>], fragment: &str) -> Result<(), EditError> {
        self.adding_one(path, None, |doc| doc.append_unchecked(path, fragment))
    }

    /// Runs `add` and checks that the collection at `path` gained exactly one entry (with
    /// `key`, for a mapping); else restores the document.
    fn adding_one(
        &mut self,
        path: &[PathSegment<'_>],
        key: Option<&str>,
        add: impl FnOnce(&mut Self) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        let len = |doc: &Self| match doc.get(path).map(|n| &n.kind) {
            Some(SyntaxKind::Map(entries)) => entries.len(),
            Some(SyntaxKind::Seq(items)) => items.len(),
            _ => 0,
        };
        let before = (self.text.clone(), self.root.clone(), len(self));
        add(self)?;
        let has_key = key.is_none_or(|k| self.get(&[path, &[PathSegment::Key(k)]].concat()).is_some());
        if len(self) == before.2 + 1 && has_key {
            return Ok(());
        }
        let span = self.get(path).map_or(Span::default(), |n| n.span);
        (self.text, self.root) = (before.0, before.1);
        Err(EditError::NotOneEntry { span })
    }

    fn append_unchecked(&mut self, path: &[PathSegment<'_>], fragment: &str) -> Result<(), EditError> {
        let found = self.find_own(path)?;
        let SyntaxKind::Seq(items) = &found.node.kind else {
            return Err(EditError::WrongKind { expected: "sequence", span: found.node.span });
        };
        let fragment = fragment.trim_end_matches(['\n', '\r', ' ']);
        if is_flow(&self.text, found.node) || items.is_empty() {
            let (start, end, with) = self.flow_add(&found, fragment)?;
            return self.splice(start, end, &with);
        }
        let dash = dash_of(&self.text, extent(&self.text, &items[0]).0);
        let col = column(&self.text, dash);
        let item = format!("- {}", indent_lines(fragment, 2, false));
        let last = items.last().map_or(0, |n| extent(&self.text, n).1);
        self.add_line(last, &indent_lines(&item, col, true))
    }

    /// The splice adding `entry` to a flow collection (or to an empty one, written `{}`/`[]`).
    fn flow_add(&self, found: &Found<'_>, entry: &str) -> Result<(usize, usize, String), EditError> {
        let span = found.node.span;
        if entry.contains('\n') {
            return Err(EditError::MultiLineInFlow { span });
        }
        let (start, end) = self.node_extent(found);
        if !is_flow(&self.text, found.node) {
            // An empty block value (`key:`) holds no text: write a flow collection.
            let open = if matches!(found.node.kind, SyntaxKind::Map(_)) { "{" } else { "[" };
            let close = if open == "{" { "}" } else { "]" };
            return Ok((start, end, format!(" {open}{entry}{close}")));
        }
        let close = end - 1;
        let body = self.text[start + 1..close].trim();
        if body.is_empty() {
            return Ok((start + 1, close, entry.to_owned()));
        }
        let last = match &found.node.kind {
            SyntaxKind::Map(entries) => entries.last().map(|(k, v)| value_extent(&self.text, k, v).1),
            SyntaxKind::Seq(items) => items.last().map(|n| extent(&self.text, n).1),
            SyntaxKind::Scalar { .. } => None,
        }
        .unwrap_or(close);
        Ok((last, last, format!(", {entry}")))
    }

    /// Inserts `lines` (already indented) as new lines after the line holding `after`.
    fn add_line(&mut self, after: usize, lines: &str) -> Result<(), EditError> {
        let at = line_end(&self.text, after);
        let mut with = String::new();
        if !self.text[..at].ends_with('\n') {
            with.push('\n');
        }
        with.push_str(lines);
        with.push('\n');
        self.splice(at, at, &with)
    }

    /// Makes sure a mapping exists at `path`, inserting empty-mapping entries `key: {}` for
    /// missing keys (and replacing an empty `key:` by `{}`).
    ///
    /// # Errors
    ///
    /// A node on the path is not a mapping, from an alias/merge, or the result does not parse.
    pub fn ensure_mapping(&mut self, path: &[PathSegment<'_>]) -> Result<(), EditError> {
        for depth in 0..=path.len() {
            let here = &path[..depth];
            let found = self.find_own(here)?;
            match &found.node.kind {
                SyntaxKind::Map(_) => {}
                SyntaxKind::Scalar { value, plain: true } if value.is_empty() || value == "~" || value == "null" => {
                    self.set_block(here, "{}")?;
                }
                _ => return Err(EditError::WrongKind { expected: "mapping", span: found.node.span }),
            }
            if let Some(PathSegment::Key(key)) = path.get(depth)
                && self.get(&path[..=depth]).is_none()
            {
                self.insert(here, key, "{}")?;
            }
        }
        Ok(())
    }

    /// Removes the mapping entry or sequence item at `path`: its line(s) with their inline
    /// comments; the only entry of a block collection leaves `{}` / `[]`.
    ///
    /// # Errors
    ///
    /// The path is empty or names nothing, from an alias/merge, or the result does not parse.
    pub fn remove(&mut self, path: &[PathSegment<'_>]) -> Result<(), EditError> {
        let found = self.find_own(path)?;
        let Some((parent, index)) = found.parent else {
            return Err(EditError::NotFound { depth: 0, span: found.node.span });
        };
        let text = &self.text;
        // (start of the entry, end of its content) for every entry of the parent.
        let bounds: Vec<(usize, usize)> = match &parent.kind {
            SyntaxKind::Map(entries) => {
                entries.iter().map(|(k, v)| (extent(text, k).0, value_extent(text, k, v).1)).collect()
            }
            SyntaxKind::Seq(items) => items.iter().map(|n| extent(text, n)).collect(),
            SyntaxKind::Scalar { .. } => Vec::new(),
        };
        let (start, end) = bounds[index];
        if is_flow(text, parent) {
            let (from, to) = match (bounds.get(index + 1), index.checked_sub(1).map(|i| bounds[i])) {
                (Some(next), _) => (start, next.0),
                (None, Some(prev)) => (prev.1, end),
                (None, None) => (start, end),
            };
            return self.splice(from, to, "");
        }
        // Block: the item starts at its dash.
        let start = match parent.kind {
            SyntaxKind::Seq(_) => dash_of(text, start),
            _ => start,
        };
        if bounds.len() == 1 {
            let (from, to) = extent(text, parent);
            let from = match parent.kind {
                SyntaxKind::Seq(_) => dash_of(text, from),
                _ => from,
            };
            let empty = if matches!(parent.kind, SyntaxKind::Map(_)) { "{}" } else { "[]" };
            // The entry's inline comment goes with it.
            let rest = &text[to..line_end(text, to)];
            let to = if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
                to + rest.trim_end().len()
            } else {
                to
            };
            if starts_line(text, from) {
                // `key:\n  only: 1` → `key: {}`.
                let before = text[..line_start(text, from)].trim_end_matches(['\n', '\r', ' ']).len();
                return self.splice(before, to, &format!(" {empty}"));
            }
            return self.splice(from, to, empty);
        }
        if starts_line(text, start) {
            let from = line_start(text, start);
            return self.splice(from, line_end(text, end), "");
        }
        // The first entry shares its line with `- `: keep that prefix, take the entry up to the
        // next entry.
        let next = bounds.get(index + 1).map_or(line_end(text, end), |n| n.0);
        self.splice(start, next, "")
    }
}

/// True when `fragment` needs lines of its own after a key: it spans lines or is a block
/// collection (`- a`, `x: 1`).
fn is_block_fragment(fragment: &str) -> bool {
    fragment.contains('\n')
        || (parse_syntax(fragment).is_ok_and(|n| !matches!(n.kind, SyntaxKind::Scalar { .. }))
            && !fragment.trim_start().starts_with(['{', '[']))
}

/// Indents every line of `fragment` after the first (and the first too when `first`) by `col`
/// spaces; blank lines stay empty.
fn indent_lines(fragment: &str, col: usize, first: bool) -> String {
    let pad = " ".repeat(col);
    let mut out = String::new();
    for (i, line) in fragment.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if (i > 0 || first) && !line.trim().is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}
