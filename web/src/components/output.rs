//! What a valid SDL produces: the manifest version, the manifest and the GroupSpecs. With
//! errors these panes say so instead of showing the last valid output, which would no longer
//! match the text.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use crate::analysis::Analysis;
use crate::browser;

/// The JSON documents, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The provider manifest (what the tenant sends to the provider).
    Manifest,
    /// The GroupSpecs of `MsgCreateDeployment` (what goes on chain).
    GroupSpecs,
}

impl Document {
    const ALL: [Document; 2] = [Document::Manifest, Document::GroupSpecs];

    fn title(self) -> &'static str {
        match self {
            Document::Manifest => "Manifest",
            Document::GroupSpecs => "GroupSpecs",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Document::Manifest => "manifest",
            Document::GroupSpecs => "groupspecs",
        }
    }

    fn next(self) -> Self {
        match self {
            Document::Manifest => Document::GroupSpecs,
            Document::GroupSpecs => Document::Manifest,
        }
    }
}

/// The version card and the JSON tabs.
#[component]
pub fn OutputPanel(
    /// The last check.
    #[prop(into)]
    analysis: Signal<Arc<Analysis>>,
    /// Called with a message for the status line (copy results).
    on_notice: Callback<String>,
) -> impl IntoView {
    let shown = RwSignal::new(Document::Manifest);
    // Only the visible document is serialised: for a 100-service SDL the other one would be
    // tens of kilobytes of JSON nobody looks at, rebuilt on every check.
    let json = Memo::new(move |_| {
        let document = shown.get();
        analysis.with(|analysis| {
            analysis.output.as_ref().map(|output| match document {
                Document::Manifest => output.manifest.to_json().to_go_indented(),
                Document::GroupSpecs => output.group_specs_json().to_go_indented(),
            })
        })
    });
    let copy = move |text: String, what: &'static str| {
        leptos::task::spawn_local(async move {
            let message = match browser::copy_text(&text).await {
                Ok(()) => format!("{what} copied to the clipboard."),
                Err(()) => format!("Could not use the clipboard; select the {} and copy it.", what.to_lowercase()),
            };
            on_notice.run(message);
        });
    };

    let version = move || {
        let analysis = analysis.get();
        match (analysis.output.as_ref(), analysis.output_summary()) {
            (Some(output), Some(summary)) => {
                let hex = output.version_hex();
                let copied = hex.clone();
                view! {
                    <div class="version-row">
                        <code class="version-hash" data-testid="version-hash">
                            {hex}
                        </code>
                        <button
                            type="button"
                            class="button"
                            data-testid="copy-version"
                            aria-label="Copy the manifest version"
                            on:click=move |_| copy(copied.clone(), "Version")
                        >
                            "Copy"
                        </button>
                    </div>
                    <p class="muted" data-testid="output-summary">
                        {summary.describe()}
                        " · SHA-256 of the sorted manifest JSON, sent on chain as "
                        <code>"MsgCreateDeployment.hash"</code>
                    </p>
                }
                .into_any()
            }
            _ => view! {
                <p class="unavailable" data-testid="version-unavailable">
                    "The SDL has errors, so it has no version yet. Fix the problems above and it appears here."
                </p>
            }
            .into_any(),
        }
    };

    let on_tab_key = move |event: ev::KeyboardEvent| {
        // The WAI-ARIA tabs pattern: arrow keys move between tabs, Tab leaves the tab list.
        if matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
            event.prevent_default();
            let next = shown.get_untracked().next();
            shown.set(next);
            if let Some(tab) = document().get_element_by_id(&format!("tab-{}", next.id()))
                && let Ok(tab) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(tab)
            {
                let _ = tab.focus();
            }
        }
    };

    let tabs = Document::ALL
        .into_iter()
        .map(|tab| {
            let selected = move || shown.get() == tab;
            view! {
                <button
                    type="button"
                    role="tab"
                    id=format!("tab-{}", tab.id())
                    class="tab"
                    data-testid=format!("tab-{}", tab.id())
                    aria-controls="output-document"
                    aria-selected=move || selected().to_string()
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| shown.set(tab)
                    on:keydown=on_tab_key
                >
                    {tab.title()}
                </button>
            }
        })
        .collect_view();

    let document_view = move || match json.get() {
        Some(text) => {
            let copied = text.clone();
            let title = shown.get().title();
            view! {
                <button
                    type="button"
                    class="button copy-json"
                    data-testid="copy-json"
                    aria-label=format!("Copy the {title} JSON")
                    on:click=move |_| copy(copied.clone(), "JSON")
                >
                    "Copy JSON"
                </button>
                <pre class="json" data-testid=format!("{}-json", shown.get().id()) tabindex="0">
                    {text}
                </pre>
            }
            .into_any()
        }
        None => view! {
            <p class="unavailable" data-testid="output-unavailable">
                {format!("The SDL has errors, so there is no {} to show.", shown.get().title())}
            </p>
        }
        .into_any(),
    };

    view! {
        <section class="panel version-panel" aria-labelledby="version-heading">
            <div class="panel-header">
                <h2 id="version-heading">"Manifest version"</h2>
            </div>
            <div class="panel-body">{version}</div>
        </section>
        <section class="panel output-panel" aria-label="Output documents">
            <div class="panel-header tabs" role="tablist" aria-label="Output documents">
                {tabs}
            </div>
            <div
                class="panel-body document"
                id="output-document"
                role="tabpanel"
                aria-labelledby=move || format!("tab-{}", shown.get().id())
            >
                {document_view}
            </div>
        </section>
    }
}
