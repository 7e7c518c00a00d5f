//! The playground's parts: the editor, the diagnostics list and the output panes.

mod diagnostics;
mod editor;
mod output;

pub use diagnostics::DiagnosticList;
pub use editor::Editor;
pub use output::OutputPanel;
