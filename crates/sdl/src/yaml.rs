//! YAML text → a spanned node tree, with every resource bounded.
//!
//! Go decodes units from a scalar's text, resolves types the way yaml.v3 does, and our
//! diagnostics need positions, so every node keeps its text, quoting style, tag and span.
//! Aliases are expanded here (within a node budget), merge keys (`<<`) applied, and nesting
//! depth and document size limited, so the rest of the engine works on a plain finite tree.

use crate::map::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::diagnostic::{Code, Diagnostic};
use crate::span::{CharOffsets, Span};

/// The largest document accepted, in bytes. Real SDLs are a few KiB.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;
/// The deepest nesting of mappings and sequences accepted. Real SDLs nest about 8 deep.
pub const MAX_DEPTH: usize = 64;
/// The most nodes a document may have once aliases are expanded.
pub const MAX_NODES: usize = 200_000;

/// A YAML node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) span: Span,
    /// The explicit tag, resolved to its full form (`tag:yaml.org,2002:str` for `!!str`).
    pub(crate) tag: Option<String>,
    /// The node's text is not its alone: it is (or is inside) an anchored node, which aliases
    /// repeat, or it is such a repeat. An edit at its span would change other nodes too.
    pub(crate) shared: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Scalar { value: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

const CORE: &str = "tag:yaml.org,2002:";

impl Node {
    /// The scalar's text, or None for collections.
    pub(crate) fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The short tag yaml.v3 resolves this node to (`!!str`, `!!int`, `!!map`, ...).
    pub(crate) fn short_tag(&self) -> &'static str {
        match &self.kind {
            NodeKind::Seq(_) => "!!seq",
            NodeKind::Map(_) => "!!map",
            NodeKind::Scalar { .. } => match self.resolve() {
                Resolved::Null => "!!null",
                Resolved::Bool(_) => "!!bool",
                Resolved::Int(_) => "!!int",
                Resolved::Float(_) => "!!float",
                Resolved::Str(_) => "!!str",
            },
        }
    }

    /// Resolves a scalar the way yaml.v3 does (YAML 1.2 core schema plus Go's integer syntax).
    pub(crate) fn resolve(&self) -> Resolved<'_> {
        let NodeKind::Scalar { value, plain } = &self.kind else {
            return Resolved::Str("");
        };
        match self.tag.as_deref().and_then(|t| t.strip_prefix(CORE)) {
            Some("str") => return Resolved::Str(value),
            Some("null") => return Resolved::Null,
            _ => {}
        }
        if !*plain && self.tag.is_none() {
            return Resolved::Str(value);
        }
        resolve_plain(value)
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar { .. }) && matches!(self.resolve(), Resolved::Null)
    }

    /// The bytes of `source` that spell this scalar's value, when replacing them changes this
    /// node and nothing else: the node is not [`shared`](Node::shared) and is written, at its
    /// span, plain or quoted with no escapes or line folding (for a quoted scalar: the text
    /// between the quotes). None otherwise, so that a fix is only offered where it is clean.
    pub(crate) fn value_span(&self, source: &str) -> Option<Span> {
        let NodeKind::Scalar { value, plain } = &self.kind else { return None };
        if self.shared || value.is_empty() {
            return None;
        }
        let start = self.span.start as usize;
        let bytes = source.as_bytes();
        let quote = if *plain { None } else { Some(*bytes.get(start).filter(|b| matches!(**b, b'"' | b'\''))?) };
        let inner = start + usize::from(quote.is_some());
        let end = inner + value.len();
        if source.get(inner..end) != Some(value.as_str()) {
            return None;
        }
        // A plain scalar's span is its text; a quoted one's may run past its closing quote.
        let closed = match quote {
            None => end == self.span.end as usize,
            Some(q) => bytes.get(end) == Some(&q),
        };
        closed.then(|| Span::new(inner, end))
    }

    /// Marks this node and everything in it as [`shared`](Node::shared).
    fn mark_shared(&mut self) {
        if self.shared {
            return; // an inner anchor or an alias copy: its subtree is marked already
        }
        self.shared = true;
        match &mut self.kind {
            NodeKind::Scalar { .. } => {}
            NodeKind::Seq(items) => items.iter_mut().for_each(Node::mark_shared),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.mark_shared();
                v.mark_shared();
            }),
        }
    }
}

/// A scalar's resolved value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
}

fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str(text);
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(v) = go_parse_int(&plain) {
        return Resolved::Int(v);
    }
    if is_yaml_float(&plain)
        && let Ok(v) = plain.parse::<f64>()
    {
        return Resolved::Float(v);
    }
    Resolved::Str(text)
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint(s, 0, 64)`: sign, then `0x`, `0o`, `0b`,
/// legacy leading-`0` octal, or decimal.
fn go_parse_int(s: &str) -> Option<i128> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    let value = if negative { -i128::from(magnitude) } else { i128::from(magnitude) };
    // ParseInt covers i64, ParseUint covers u64; a negative value must fit i64.
    (value >= i128::from(i64::MIN)).then_some(value)
}

/// yaml.v3's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses the first YAML document of `source`. Returns None (with an error diagnostic) when the
/// text is not YAML or breaks a limit; an empty document is `Some(null scalar)`.
pub(crate) fn parse(source: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Node> {
    if source.len() > MAX_SOURCE_BYTES {
        diagnostics.push(Diagnostic::error(
            Code::InputTooLarge,
            Span::new(MAX_SOURCE_BYTES, source.len()),
            format!("document is {} bytes; the limit is {MAX_SOURCE_BYTES}", source.len()),
        ));
        return None;
    }
    let offsets = CharOffsets::new(source);
    let mut builder = Builder { offsets: &offsets, anchors: HashMap::default(), nodes: 0, stack: Vec::new() };
    match builder.run(source) {
        Ok(root) => {
            if let Some(extra) = root.1 {
                diagnostics.push(Diagnostic::warning(
                    Code::ExtraDocument,
                    extra,
                    "only the first YAML document is read; the rest is ignored",
                ));
            }
            Some(root.0.unwrap_or_else(|| Node {
                kind: NodeKind::Scalar { value: String::new(), plain: true },
                span: Span::default(),
                tag: None,
                shared: false,
            }))
        }
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            None
        }
    }
}

enum Frame {
    Seq { items: Vec<Node>, start: Span, anchor: usize, tag: Option<String> },
    Map { entries: Vec<(Node, Node)>, key: Option<Node>, start: Span, anchor: usize, tag: Option<String> },
}

struct Builder<'o> {
    offsets: &'o CharOffsets,
    /// Anchored nodes with their expanded node counts and heights.
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    stack: Vec<Frame>,
}

fn tag_string(tag: Option<&saphyr_parser::Tag>) -> Option<String> {
    tag.map(|t| format!("{}{}", t.handle, t.suffix))
}

fn depth_error(span: Span) -> Diagnostic {
    Diagnostic::error(Code::NestingTooDeep, span, format!("mappings and sequences nest deeper than {MAX_DEPTH} levels"))
}

/// Node count and height (collections only) of an already depth-bounded tree.
fn measure(node: &Node) -> (usize, usize) {
    let children: Vec<&Node> = match &node.kind {
        NodeKind::Scalar { .. } => return (1, 0),
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
    };
    children.into_iter().map(measure).fold((1, 1), |(c, h), (cc, ch)| (c + cc, h.max(ch + 1)))
}

/// A YAML syntax error, explained where its cause is a known slip: a first line of `--` meant
/// as the document marker `---` (the reader takes it for text and fails a line or more later),
/// or a tab in the indentation. Otherwise the reader's own words.
fn syntax_error(source: &str, at: usize, info: &str) -> Diagnostic {
    let before = &source[..at.min(source.len())];
    let mut offset = 0;
    for line in before.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let dashes = text.trim_end();
        if !dashes.is_empty() && dashes.bytes().all(|b| b == b'-') && dashes.len() != 3 && dashes.len() > 1 {
            let span = Span::new(offset, offset + dashes.len());
            return Diagnostic::error(
                Code::YamlSyntax,
                span,
                format!("`{dashes}` is not a document marker: a YAML document starts with `---` (three dashes) or with nothing"),
            )
            .with_hint(format!("the YAML reader stops further on: {info}"))
            .with_fix(crate::fix::Fix {
                label: "Write `---`".to_owned(),
                safe: true,
                edits: vec![crate::fix::TextEdit { span, replacement: "---".to_owned() }],
            });
        }
        offset += line.len();
        if !text.trim_start().is_empty() && !text.trim_start().starts_with('#') {
            // Only a first line of text can be a mistyped document marker; later, a line of
            // dashes may well be text (in a block scalar, say).
            break;
        }
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].split('\n').next().unwrap_or_default();
    let indent = line.bytes().take_while(|b| matches!(b, b' ' | b'\t')).count();
    if line[..indent].contains('\t') {
        let spaces = line[..indent].replace('\t', "  ");
        return Diagnostic::error(
            Code::YamlSyntax,
            Span::new(line_start, line_start + indent),
            "a tab indents this line: YAML indents with spaces only",
        )
        .with_hint(format!("the YAML reader says: {info}"))
        .with_fix(crate::fix::Fix {
            label: "Indent with spaces".to_owned(),
            safe: false,
            edits: vec![crate::fix::TextEdit { span: Span::new(line_start, line_start + indent), replacement: spaces }],
        });
    }
    Diagnostic::error(Code::YamlSyntax, Span::new(at, at), format!("the YAML is not well-formed here: {info}"))
}

/// A quoted scalar's span ends at its closing quote: saphyr's runs on to what follows (a
/// comment, say), which would put a caret under the comment too.
fn quoted_span(source: &str, span: Span) -> Span {
    let bytes = source.as_bytes();
    let start = span.start as usize;
    let Some(&quote) = bytes.get(start).filter(|b| matches!(**b, b'"' | b'\'')) else { return span };
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            _ if b == quote => return Span::new(start, (i + 1).min(span.end as usize).max(start + 1)),
            _ => i += 1,
        }
    }
    span
}

impl Builder<'_> {
    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(self.offsets.byte(span.start.index()) as usize, self.offsets.byte(span.end.index()) as usize)
    }

    /// Returns the first document's root (None when empty) and the span of a second document.
    fn run(&mut self, source: &str) -> Result<(Option<Node>, Option<Span>), Diagnostic> {
        let mut parser = Parser::new_from_str(source);
        let mut root = None;
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| {
                let at = self.offsets.byte(e.marker().index()) as usize;
                syntax_error(source, at, e.info())
            })?;
            let span = self.span(span);
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Ok((root, Some(span)));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let span = match style {
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => quoted_span(source, span),
                        _ => span,
                    };
                    let node = Node {
                        kind: NodeKind::Scalar { value: value.into_owned(), plain: style == ScalarStyle::Plain },
                        span,
                        tag: tag_string(tag.as_deref()),
                        shared: false,
                    };
                    self.add(node, anchor, &mut root)?;
                }
                Event::Alias(id) => {
                    let Some((node, count, height)) = self.anchors.get(&id) else {
                        return Err(Diagnostic::error(Code::UnknownAnchor, span, "unknown anchor"));
                    };
                    // An alias can carry a deep anchor into a deep place: bound the sum.
                    if self.stack.len() + height > MAX_DEPTH {
                        return Err(depth_error(span));
                    }
                    self.nodes += count;
                    if self.nodes > MAX_NODES {
                        return Err(Diagnostic::error(
                            Code::AliasBudget,
                            span,
                            format!("aliases expand to more than {MAX_NODES} nodes"),
                        ));
                    }
                    let mut node = node.clone();
                    node.span = span;
                    self.attach(node, &mut root);
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(span)?;
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        start: span,
                        anchor,
                        tag: tag_string(tag.as_deref()),
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(span)?;
                    self.stack.push(Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        start: span,
                        anchor,
                        tag: tag_string(tag.as_deref()),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else { continue };
                    let (node, anchor) = match frame {
                        Frame::Seq { items, start, anchor, tag } => {
                            let span = items.iter().fold(start, |s, n| s.join(n.span));
                            (Node { kind: NodeKind::Seq(items), span, tag, shared: false }, anchor)
                        }
                        Frame::Map { entries, start, anchor, tag, .. } => {
                            let span = entries.iter().fold(start, |s, (k, v)| s.join(k.span).join(v.span));
                            (Node { kind: NodeKind::Map(merge_keys(entries)), span, tag, shared: false }, anchor)
                        }
                    };
                    self.nodes -= 1; // counted at open
                    self.add(node, anchor, &mut root)?;
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        Ok((root, None))
    }

    fn open(&mut self, span: Span) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(depth_error(span));
        }
        self.nodes += 1;
        Ok(())
    }

    fn add(&mut self, mut node: Node, anchor: usize, root: &mut Option<Node>) -> Result<(), Diagnostic> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            // Without aliases this is a plain size limit; with them, the expansion budget.
            let code = if self.anchors.is_empty() { Code::InputTooLarge } else { Code::AliasBudget };
            return Err(Diagnostic::error(code, node.span, format!("the document has more than {MAX_NODES} nodes")));
        }
        if anchor != 0 {
            // Aliases copy it (children keep their spans), so its text is no longer its own.
            node.mark_shared();
            let (count, height) = measure(&node);
            self.anchors.insert(anchor, (node.clone(), count, height));
        }
        self.attach(node, root);
        Ok(())
    }

    fn attach(&mut self, node: Node, root: &mut Option<Node>) {
        match self.stack.last_mut() {
            None => *root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

/// Applies YAML merge keys: `<<: *base` (or a list of them) adds the base mapping's entries
/// whose keys the mapping does not define itself.
fn merge_keys(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge =
        |k: &Node| matches!(&k.kind, NodeKind::Scalar { value, plain: true } if value == "<<") && k.tag.is_none();
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for (k, v) in entries {
        if !is_merge(&k) {
            own.push((k, v));
            continue;
        }
        let sources = match v.kind {
            NodeKind::Map(m) => vec![m],
            NodeKind::Seq(items) => {
                items.into_iter().filter_map(|n| if let NodeKind::Map(m) = n.kind { Some(m) } else { None }).collect()
            }
            NodeKind::Scalar { .. } => Vec::new(),
        };
        for source in sources {
            merged.extend(source);
        }
    }
    let mut result = own;
    for (k, v) in merged {
        let key = k.text().map(str::to_owned);
        if key.is_some() && result.iter().any(|(rk, _)| rk.text() == key.as_deref()) {
            continue;
        }
        result.push((k, v));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> Node {
        let mut d = Vec::new();
        let node = parse(src, &mut d);
        assert!(d.iter().all(|d| d.severity != crate::Severity::Error), "{d:?}");
        node.expect("node")
    }

    fn parse_err(src: &str) -> Diagnostic {
        let mut d = Vec::new();
        assert!(parse(src, &mut d).is_none());
        d.pop().expect("diagnostic")
    }

    #[test]
    fn scalars_resolve_like_yaml_v3() {
        let cases: &[(&str, Resolved<'_>)] = &[
            ("a: 80", Resolved::Int(80)),
            ("a: 0x50", Resolved::Int(80)),
            ("a: 1_000", Resolved::Int(1000)),
            ("a: -1", Resolved::Int(-1)),
            ("a: 1.5", Resolved::Float(1.5)),
            ("a: \"80\"", Resolved::Str("80")),
            ("a: !!str 80", Resolved::Str("80")),
            ("a: yes", Resolved::Str("yes")),
            ("a: True", Resolved::Bool(true)),
            ("a: ~", Resolved::Null),
            ("a:", Resolved::Null),
            ("a: 1.0.0", Resolved::Str("1.0.0")),
        ];
        for (src, want) in cases {
            let root = parse_ok(src);
            let NodeKind::Map(entries) = &root.kind else { panic!("map") };
            assert_eq!(entries[0].1.resolve(), *want, "{src}");
        }
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii() {
        let src = "é: x\nkey: value";
        let root = parse_ok(src);
        let NodeKind::Map(entries) = &root.kind else { panic!("map") };
        let value = &entries[1].1;
        assert_eq!(&src[value.span.start as usize..value.span.end as usize], "value");
    }

    #[test]
    fn aliases_expand_and_merge_keys_apply() {
        let root = parse_ok("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n");
        let NodeKind::Map(entries) = &root.kind else { panic!("map") };
        let NodeKind::Map(c) = &entries[1].1.kind else { panic!("map") };
        let keys: Vec<_> = c.iter().map(|(k, v)| (k.text().expect("k"), v.text().expect("v"))).collect();
        assert_eq!(keys, [("y", "3"), ("x", "1")]);
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert_eq!(parse_err(&src).code, Code::AliasBudget);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_err(&src).code, Code::NestingTooDeep);
        let block: String = (0..100).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        assert_eq!(parse_err(&block).code, Code::NestingTooDeep);
        // Far deeper flow nesting stops in the scanner's own guard; either way, no stack overflow.
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(parse_err(&src).code, Code::NestingTooDeep | Code::YamlSyntax));
    }

    #[test]
    fn size_is_bounded() {
        let src = format!("a: \"{}\"", "x".repeat(MAX_SOURCE_BYTES));
        assert_eq!(parse_err(&src).code, Code::InputTooLarge);
    }

    #[test]
    fn syntax_errors_have_positions() {
        let d = parse_err("a: [1, 2\nb: 3");
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.span.start > 0);
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse_ok("").is_null());
        assert!(parse_ok("# just a comment\n").is_null());
    }
}
