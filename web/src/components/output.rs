//! What a valid SDL produces: the manifest version, the manifest and the GroupSpecs. With
//! errors these panes say so instead of showing the last valid output, which would no longer
//! match the text.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use crate::analysis::{Analysis, IpPlanView, Location, SAMPLE_OWNER, SAMPLE_POOL, count};
use crate::browser;
use crate::components::diagnostics::with_inline_code;

/// The JSON documents, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The provider manifest (what the tenant sends to the provider).
    Manifest,
    /// The GroupSpecs of `MsgCreateDeployment` (what goes on chain).
    GroupSpecs,
    /// The IP plan: endpoints, IPs per group, conflicts, predicted lease status.
    IpPlan,
}

impl Document {
    const ALL: [Document; 3] = [Document::Manifest, Document::GroupSpecs, Document::IpPlan];

    fn title(self) -> &'static str {
        match self {
            Document::Manifest => "Manifest",
            Document::GroupSpecs => "GroupSpecs",
            Document::IpPlan => "IP plan",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Document::Manifest => "manifest",
            Document::GroupSpecs => "groupspecs",
            Document::IpPlan => "ipplan",
        }
    }

    /// The tab a key moves to from this one.
    fn after_key(self, key: &str) -> Self {
        let i = Self::ALL.iter().position(|&d| d == self).unwrap_or(0);
        let n = Self::ALL.len();
        match key {
            "ArrowLeft" => Self::ALL[(i + n - 1) % n],
            "ArrowRight" => Self::ALL[(i + 1) % n],
            "Home" => Self::ALL[0],
            _ => Self::ALL[n - 1],
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
    /// Called when an IP plan entry is activated: select its span in the editor.
    on_locate: Callback<Location>,
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
                Document::IpPlan => String::new(),
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
            let next = shown.get_untracked().after_key(&event.key());
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
        Some(_) if shown.get() == Document::IpPlan => {
            let plan = analysis.with(|a| a.ip_plan.clone());
            plan.map(|plan| ip_plan_view(plan, on_locate)).into_any()
        }
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

/// The IP plan tab: what `leasekit-ipalloc` says about the SDL's leased IPs.
fn ip_plan_view(plan: IpPlanView, on_locate: Callback<Location>) -> impl IntoView {
    let IpPlanView { rows, groups, issues, status } = plan;
    let locate_button = move |location: Location, label: String, text: String| {
        view! {
            <button
                type="button"
                class="link-button"
                aria-label=label
                on:click=move |_| on_locate.run(location)
            >
                {text}
            </button>
        }
    };
    let endpoints = if rows.is_empty() {
        view! {
            <p class="muted" data-testid="ip-plan-empty">
                "No service is exposed on a leased IP (an "
                <code>"ip:"</code>
                " endpoint), so a provider needs no IPv4 address for this SDL."
            </p>
        }
        .into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="plan-table" aria-label="IP endpoints and their bindings">
                    <thead>
                        <tr>
                            <th scope="col">"Endpoint"</th>
                            <th scope="col" title="Go's endpoint sequence number">
                                "Seq"
                            </th>
                            <th scope="col" title="The address it gets on the sample provider below">
                                "Address slot"
                            </th>
                            <th scope="col">"Service"</th>
                            <th scope="col" class="num">
                                "Port"
                            </th>
                            <th scope="col" class="num">
                                "External"
                            </th>
                            <th scope="col">"Proto"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let label = format!(
                                    "Select the expose of {} port {} on endpoint {} (line {})",
                                    row.service,
                                    row.port,
                                    row.endpoint,
                                    row.location.line,
                                );
                                let address = match &row.address {
                                    Ok(address) => view! { <code>{address.clone()}</code> }.into_any(),
                                    Err(why) => view! { <span class="slot-missing">{*why}</span> }.into_any(),
                                };
                                let (endpoint, service) = (row.endpoint.clone(), row.service.clone());
                                view! {
                                    <tr
                                        data-testid="ip-plan-endpoint"
                                        data-endpoint=endpoint
                                        data-sequence=row.sequence_number
                                        data-service=service
                                        data-port=row.port
                                        data-external-port=row.external_port
                                        data-proto=row.proto
                                    >
                                        <th scope="row">
                                            {locate_button(row.location, label, row.endpoint.clone())}
                                        </th>
                                        <td class="num">{row.sequence_number}</td>
                                        <td>{address}</td>
                                        <td>{row.service}</td>
                                        <td class="num">{row.port}</td>
                                        <td class="num">{row.external_port}</td>
                                        <td>{row.proto}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let needs = groups
        .into_iter()
        .map(|(name, needed)| {
            let group = name.clone();
            view! {
                <li data-testid="ips-needed" data-group=group data-count=needed>
                    <span class="group-name">{name}</span>
                    <span class="badge need">{count(needed, "IPv4 address")}</span>
                </li>
            }
        })
        .collect_view();
    let issue_list = (!issues.is_empty()).then(|| {
        view! {
            <ul class="plan-issues" aria-label="IP plan conflicts and warnings">
                {issues
                    .into_iter()
                    .map(|issue| {
                        let class = if issue.kind == "conflict" { "diagnostic error" } else { "diagnostic warning" };
                        let icon = if issue.kind == "conflict" { "✕" } else { "!" };
                        let body = view! {
                            <span class="severity-icon" aria-hidden="true">
                                {icon}
                            </span>
                            <span class="diagnostic-text">
                                <span class="diagnostic-message">{with_inline_code(&issue.message)}</span>
                                <span class="diagnostic-meta">
                                    <code class="code-name">{issue.code}</code>
                                    {issue
                                        .location
                                        .map(|l| {
                                            view! {
                                                <span class="position">
                                                    {format!("line {}, column {}", l.line, l.column)}
                                                </span>
                                            }
                                        })}
                                </span>
                            </span>
                        };
                        let item = match issue.location {
                            Some(location) => view! {
                                <button
                                    type="button"
                                    class=class
                                    data-testid="ip-plan-issue"
                                    data-kind=issue.kind
                                    data-code=issue.code
                                    aria-label=format!(
                                        "{} at line {}: {}",
                                        issue.kind,
                                        location.line,
                                        issue.message,
                                    )
                                    on:click=move |_| on_locate.run(location)
                                >
                                    {body}
                                </button>
                            }
                            .into_any(),
                            None => view! {
                                <div
                                    class=format!("{class} static")
                                    data-testid="ip-plan-issue"
                                    data-kind=issue.kind
                                    data-code=issue.code
                                >
                                    {body}
                                </div>
                            }
                            .into_any(),
                        };
                        view! { <li>{item}</li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let statuses = status
        .into_iter()
        .enumerate()
        .map(|(i, (group, result))| {
            let body = match result {
                Ok(json) => view! {
                    <pre class="json plan-json" data-testid="ip-status" data-group=group.clone() tabindex="0">
                        {json}
                    </pre>
                }
                .into_any(),
                Err(message) => view! {
                    <p class="unavailable" data-testid="ip-status-error" data-group=group.clone()>
                        {format!("Lease status fails: {message}")}
                    </p>
                }
                .into_any(),
            };
            view! {
                <div class="status-group">
                    <p class="muted">
                        "Order " <code>{group}</code> ": " <code>"ips"</code> " of "
                        <code>{format!("GET /lease/1/{}/1/status", i + 1)}</code>
                    </p>
                    {body}
                </div>
            }
        })
        .collect_view();

    view! {
        <div class="ip-plan" data-testid="ip-plan" tabindex="-1">
            <h3>"Endpoints"</h3>
            {endpoints}
            <h3>"IPv4 addresses per order"</h3>
            <ul class="needs">{needs}</ul>
            {issue_list
                .map(|list| {
                    view! {
                        <h3>"Conflicts and warnings"</h3>
                        {list}
                    }
                })}
            <h3>"Predicted lease status"</h3>
            <p class="muted">
                {format!(
                    "A fresh provider with the pool {} deploys each order for {SAMPLE_OWNER}, then answers a status request.",
                    SAMPLE_POOL.join(", "),
                )}
            </p>
            {statuses}
        </div>
    }
}
