//! Minimal-diff editing of SDL YAML: the pure core of the deploy form's two-way binding, where
//! editing the form must change only the affected YAML nodes and keep comments, blank lines,
//! key order, quoting and unknown keys byte-for-byte.
//!
//! # Approach: span splicing and re-parse
//!
//! A [`Document`] holds the source text and the spanned tree from
//! [`leasekit_sdl::syntax::parse_syntax`] (the engine's own YAML layer, so paths resolve
//! exactly as the engine reads the SDL). An edit finds the node at a path, works out the exact
//! bytes that node occupies (saphyr's spans are approximate at the end — see
//! [`leasekit_sdl::syntax::SyntaxNode::span`] — so the extent is re-scanned from the text),
//! splices new text into just those bytes, and re-parses the whole document. Documents are a
//! few KiB, so re-parsing is cheap and keeps every span right without incremental bookkeeping;
//! an edit whose result does not parse is refused and the document is left unchanged.
//!
//! A YAML serialiser (parse to a value, change it, write it back) is the usual alternative,
//! but it would drop comments, blank lines and the author's quoting and flow/block choices, and
//! re-order or re-format everything else: the YAML pane would jump on every keystroke.
//!
//! ```
//! use leasekit_sdl_edit::{Document, PathSegment::Key, ScalarValue};
//!
//! let mut doc = Document::parse("services:\n  web:\n    image: nginx:1.25 # pinned\n")?;
//! doc.set_scalar(&[Key("services"), Key("web"), Key("image")], ScalarValue::Str("nginx:1.27".into()))?;
//! doc.insert(&[Key("services"), Key("web")], "env", "- A=1")?;
//! assert_eq!(doc.text(), "services:\n  web:\n    image: nginx:1.27 # pinned\n    env:\n      - A=1\n");
//! # Ok::<(), leasekit_sdl_edit::EditError>(())
//! ```
//!
//! [`form`] is the deploy form on top of this: [`form::Form::read`] reads what the form shows
//! (services, exposes, endpoints, profiles, pricing, deployment) leniently from any YAML, each
//! piece with its path, and [`form::apply`] turns one [`form::FormEdit`] into the few document
//! edits it needs.
//!
//! The tree is [`leasekit_sdl::syntax`]'s (the engine's `syntax` feature, which this crate
//! turns on).
//!
//! # Limits (kept simple on purpose)
//!
//! - Nodes that come from an alias (`*name`) or a merge key (`<<`) are refused with
//!   [`EditError::Derived`]: their text is elsewhere, and editing it would change every user.
//! - Strings are written plain only when no YAML reader could take them for another type or
//!   misparse them; the test is conservative (`1.0.0` is quoted although yaml.v3 reads it as a
//!   string).
//! - [`Document::insert`] and [`Document::append`] add a line after the line where the
//!   collection's last entry ends; a comment line after that entry stays above the new line.
//! - Multi-line fragments are written in block style; into a flow collection only single-line
//!   fragments can go.
//! - Removing the only entry of a block collection writes `{}` or `[]`.
//! - [`Document::ensure_mapping`] creates missing mappings in flow style (`b: {c: {}}`).
//! - An insert or append must add exactly one entry ([`EditError::NotOneEntry`]): fragments
//!   are YAML, so a string with `, ` going into a flow mapping must be quoted by the caller.
//! - New lines end in `\n`, also in a `\r\n` document.

mod edit;
pub mod form;
mod scalar;
mod text;

pub use edit::{Document, EditError, PathSegment, apply_fix};
pub use scalar::ScalarValue;
