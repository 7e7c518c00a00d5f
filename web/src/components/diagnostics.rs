//! The list of problems. Each entry is a real `<button>`, so Tab reaches it and Enter or Space
//! selects its span in the editor.

use std::sync::Arc;

use leasekit_sdl::Severity;
use leptos::prelude::*;

use crate::analysis::{Analysis, DiagnosticView};

/// Errors and warnings of the last check.
#[component]
pub fn DiagnosticList(
    /// The last check.
    #[prop(into)]
    analysis: Signal<Arc<Analysis>>,
    /// Called when a diagnostic is activated.
    on_select: Callback<DiagnosticView>,
    /// Called with the fixed text when one of a diagnostic's fix buttons is pressed (no buttons
    /// without it).
    #[prop(optional)]
    on_fix: Option<Callback<String>>,
) -> impl IntoView {
    let list = move || {
        let analysis = analysis.get();
        if analysis.diagnostics.is_empty() {
            return view! {
                <p class="empty-state" data-testid="no-diagnostics">
                    <span class="check" aria-hidden="true">
                        "✓"
                    </span>
                    "No errors or warnings. Akash’s Go reference would accept this SDL."
                </p>
            }
            .into_any();
        }
        view! {
            <ul class="diagnostics" data-testid="diagnostics" aria-label="Problems">
                {analysis
                    .diagnostics
                    .iter()
                    .map(|diagnostic| view! { <DiagnosticItem diagnostic=diagnostic.clone() on_select=on_select on_fix=on_fix /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let count = move || {
        analysis.with(|analysis| {
            let total = analysis.diagnostics.len();
            let worst = if analysis.error_count > 0 { "badge error" } else { "badge warning" };
            (total > 0).then(|| view! { <span class=worst data-testid="diagnostics-count">{total}</span> })
        })
    };

    view! {
        <section class="panel diagnostics-panel" aria-labelledby="problems-heading">
            <div class="panel-header">
                <h2 id="problems-heading">"Problems " {count}</h2>
            </div>
            <div class="panel-body">{list}</div>
        </section>
    }
}

#[component]
fn DiagnosticItem(
    diagnostic: DiagnosticView,
    on_select: Callback<DiagnosticView>,
    on_fix: Option<Callback<String>>,
) -> impl IntoView {
    let severity = diagnostic.severity.as_str();
    let severity_label = match diagnostic.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    let position = format!("line {}, column {}", diagnostic.line, diagnostic.column);
    let mut label = format!("{severity_label} at {position}: {} ({})", diagnostic.message, diagnostic.code);
    if diagnostic.reference {
        label.push_str(". This is the error Akash’s Go reference reports");
    }
    if let Some(hint) = &diagnostic.hint {
        label.push_str(". Hint: ");
        label.push_str(hint);
    }
    if !diagnostic.folded.is_empty() {
        label.push_str(". It also explains ");
        label.push_str(&diagnostic.folded.len().to_string());
        label.push_str(" more");
    }
    let DiagnosticView { code, message, go, hint, reference, line, column, fixes, folded, .. } = diagnostic.clone();
    // Go's own words, for searching and for comparing with the Akash CLI's output.
    let go = go.filter(|go| *go != message).map(|go| {
        view! {
            <span class="diagnostic-go" data-testid="diagnostic-go" title="What Akash’s Go reference (and so the Akash CLI) says">
                <span class="diagnostic-go-label">"Akash says: "</span>
                <code>{go}</code>
            </span>
        }
    });
    let folded = (!folded.is_empty()).then(|| {
        view! {
            <div class="diagnostic-folded" data-testid="diagnostic-folded">
                <span class="diagnostic-folded-label">"This also explains:"</span>
                <ul>
                    {folded
                        .into_iter()
                        .map(|f| {
                            view! {
                                <li data-testid="diagnostic-folded-item" data-code=f.code>
                                    {with_inline_code(&f.message)}
                                    <span class="position">{format!(" (line {}, column {})", f.line, f.column)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let fixes = on_fix.map(|on_fix| {
        fixes
            .into_iter()
            .map(|fix| {
                let label = if fix.safe { fix.label } else { format!("Suggestion: {}", fix.label) };
                let fixed = fix.fixed;
                view! {
                    <button
                        type="button"
                        class="button small fix"
                        data-testid="diagnostic-fix"
                        on:click=move |_| on_fix.run(fixed.clone())
                    >
                        {with_inline_code(&label)}
                    </button>
                }
            })
            .collect_view()
    });

    view! {
        <li>
            <button
                type="button"
                class=format!("diagnostic {severity}")
                data-testid="diagnostic"
                data-severity=severity
                data-code=code
                data-line=line
                data-column=column
                aria-label=label
                on:click=move |_| on_select.run(diagnostic.clone())
            >
                <span class="severity-icon" aria-hidden="true">
                    {if severity == "error" { "✕" } else { "!" }}
                </span>
                <span class="diagnostic-text">
                    <span class="diagnostic-message" data-testid="diagnostic-message">
                        {with_inline_code(&message)}
                    </span>
                    <span class="diagnostic-meta">
                        <code class="code-name" data-testid="diagnostic-code">
                            {code}
                        </code>
                        <span class="position" data-testid="diagnostic-position">
                            {position}
                        </span>
                        {reference
                            .then(|| {
                                view! {
                                    <span
                                        class="reference-badge"
                                        data-testid="diagnostic-reference"
                                        title="The error Akash’s Go reference (pkg.akt.dev/go/sdl) reports for this SDL"
                                    >
                                        "Go reference"
                                    </span>
                                }
                            })}
                    </span>
                    {hint
                        .map(|hint| {
                            view! {
                                <span class="diagnostic-hint" data-testid="diagnostic-hint">
                                    {with_inline_code(&hint)}
                                </span>
                            }
                        })}
                    {go}
                </span>
            </button>
            {fixes}
            {folded}
        </li>
    }
}

/// Hints quote SDL in backticks, as Markdown does; those parts are shown as code.
pub(crate) fn with_inline_code(text: &str) -> impl IntoView + use<> {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_owned();
            if i % 2 == 1 { view! { <code>{part}</code> }.into_any() } else { part.into_any() }
        })
        .collect_view()
}
