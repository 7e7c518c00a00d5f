//! A read-only view of the YAML syntax tree, for tools that rewrite SDL text (the form ↔ YAML
//! editor in `leasekit-sdl-edit`).
//!
//! [`parse_syntax`] runs the engine's own YAML layer (same limits, same alias expansion and
//! merge keys) and converts its tree into [`SyntaxNode`]s that also say whether a node was
//! written where its span points ([`Origin::Source`]) or copied in by an alias or a merge key
//! ([`Origin::Alias`], [`Origin::Merge`]) — such nodes carry the span of the anchored text, so
//! an editor must not rewrite them in place.
//!
//! The module is behind the `syntax` cargo feature (off by default). Dead-code elimination alone
//! is not enough: a second caller of the YAML layer inside this crate changes how LLVM inlines
//! the engine's own entry point, and the Wasm package grew by ~45 bytes of code. With the
//! feature off, builds of the engine (the npm package) are byte-identical to builds without
//! this module.

use crate::diagnostic::Sink;
use crate::yaml::{self, Node, NodeKind};
use crate::{Diagnostics, Span};

/// Where a node's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The node is written at its span.
    Source,
    /// The node (or an ancestor) is an alias (`*name`): its span is the alias or the anchored
    /// text elsewhere in the document.
    Alias,
    /// The node is an entry a merge key (`<<: *base`) copied from another mapping.
    Merge,
}

/// What a node is.
#[derive(Debug, Clone)]
pub enum SyntaxKind {
    /// A scalar: its value (escapes resolved) and whether it was written plain (unquoted).
    Scalar {
        /// The scalar's value.
        value: String,
        /// True for plain (unquoted, non-block) scalars.
        plain: bool,
    },
    /// A sequence's items.
    Seq(Vec<SyntaxNode>),
    /// A mapping's entries in document order (merged entries last, as the engine sees them).
    Map(Vec<(SyntaxNode, SyntaxNode)>),
}

/// A YAML node with its byte span.
#[derive(Debug, Clone)]
pub struct SyntaxNode {
    /// What the node is.
    pub kind: SyntaxKind,
    /// Where it starts in the source (for an alias, the `*name` text). Spans are saphyr's and
    /// approximate at the end: a collection's ends at its last child (a flow collection's
    /// closing bracket is outside), a quoted scalar's may run past the closing quote up to a
    /// comment, a block scalar's covers its content but not its `|`/`>` header, and a
    /// collection's starts at its anchor or tag when it has one.
    pub span: Span,
    /// The explicit tag, resolved (`tag:yaml.org,2002:str` for `!!str`).
    pub tag: Option<String>,
    /// Whether the text at `span` is this node.
    pub origin: Origin,
}

/// Parses the first YAML document of `source` into a [`SyntaxNode`] tree; an empty document is
/// a null scalar. Errors are the engine's YAML diagnostics (syntax, limits, unknown anchors).
///
/// # Errors
///
/// The diagnostics when `source` is not YAML or breaks a limit.
pub fn parse_syntax(source: &str) -> Result<SyntaxNode, Diagnostics> {
    let mut diagnostics = Vec::new();
    let root = yaml::parse(source, &mut diagnostics);
    match root {
        Some(root) => Ok(convert(source, root, Origin::Source)),
        None => {
            let mut sink = Sink::default();
            for d in diagnostics {
                sink.push(d);
            }
            Err(sink.finish())
        }
    }
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

/// An alias node has the `*name` span; a node copied from an anchor keeps children whose spans
/// lie outside that span (anchors precede their aliases).
fn is_alias(source: &str, node: &Node) -> bool {
    let starts_with_star = source.as_bytes().get(node.span.start as usize) == Some(&b'*');
    if !starts_with_star {
        return false;
    }
    let first_child = match &node.kind {
        NodeKind::Scalar { .. } => return true,
        NodeKind::Seq(items) => items.first().map(|n| n.span),
        NodeKind::Map(entries) => entries.first().map(|(k, _)| k.span),
    };
    first_child.is_none_or(|child| !within(child, node.span))
}

fn convert(source: &str, node: Node, inherited: Origin) -> SyntaxNode {
    let origin = if inherited == Origin::Source && is_alias(source, &node) { Origin::Alias } else { inherited };
    let span = node.span;
    let kind = match node.kind {
        NodeKind::Scalar { value, plain } => SyntaxKind::Scalar { value, plain },
        NodeKind::Seq(items) => SyntaxKind::Seq(items.into_iter().map(|n| convert(source, n, origin)).collect()),
        NodeKind::Map(entries) => SyntaxKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    // Entries copied in by a merge key lie outside the mapping's own text.
                    let entry = if origin == Origin::Source && !within(k.span, span) { Origin::Merge } else { origin };
                    (convert(source, k, entry), convert(source, v, entry))
                })
                .collect(),
        ),
    };
    SyntaxNode { kind, span, tag: node.tag, origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str, node: &SyntaxNode) -> String {
        source[node.span.start as usize..node.span.end as usize].to_owned()
    }

    #[test]
    fn spans_and_origins() {
        let src = "a: &x {p: 1}\nb: *x\nc:\n  <<: *x\n  q: \"two\" # c\nd: |\n  lit\n";
        let root = parse_syntax(src).expect("parses");
        let SyntaxKind::Map(entries) = &root.kind else { panic!("map") };
        let spans: Vec<_> = entries.iter().map(|(k, v)| (text(src, k), text(src, v), v.origin)).collect();
        assert_eq!(spans[0], ("a".into(), "&x {p: 1".into(), Origin::Source));
        assert_eq!(spans[1].2, Origin::Alias);
        let SyntaxKind::Map(c) = &entries[2].1.kind else { panic!("map") };
        assert!(text(src, &c[0].1).starts_with("\"two\""));
        assert_eq!(c[0].1.origin, Origin::Source);
        assert_eq!(c[1].1.origin, Origin::Merge);
        // Block scalars span their content, not the indicator.
        assert_eq!(text(src, &entries[3].1), "lit\n");
    }
}
