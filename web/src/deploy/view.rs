//! The Deploy view: the progress list with each stage's `provider-services` command, the
//! review, the bids of each group still to lease, the live deployment's IP cards and actions.

use leasekit_deploy::amount;
use leasekit_deploy::commands::{self, CliContext};
use leasekit_deploy::network::Network;
use leasekit_deploy::state::{DeployState, Step, StepKind, StepStatus};
use leasekit_deploy::{BidOffer, IpCapability};
use leptos::prelude::*;

use super::review::ReviewPanel;
use super::{DEFAULT_VAR, DeployCtl};
use crate::lease::{Amount, CommandCopy, IpCardView};

/// The `provider-services` command(s) of a stage — `leasekit-deploy`'s `commands::for_state`,
/// one line per lease where a stage has one per group; before anything is signed, the create
/// at the current height.
fn step_command(
    kind: StepKind,
    state: Option<&DeployState>,
    network: &Network,
    deposit: &str,
    height: Option<u64>,
) -> Option<String> {
    let ctx = CliContext::for_network(network);
    let Some(state) = state.filter(|s| s.dseq.is_some()) else {
        return (kind == StepKind::Create)
            .then(|| commands::create_deployment(&ctx, "deploy.yaml", height.unwrap_or(0), deposit));
    };
    let lines: Vec<String> = commands::for_state(&ctx, state, "deploy.yaml")
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, c)| c)
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The Deploy view.
#[component]
pub fn DeployView(
    /// The wizard.
    ctl: DeployCtl,
    /// For copy results.
    on_notice: Callback<String>,
) -> impl IntoView {
    let network = ctl.network.current;
    let wallet = ctl.wallet;
    // Re-review when the SDL, deposit, network or account change (debounced by the SDL's own
    // check delay: the review is built from the same text).
    Effect::new(move |_| {
        ctl.sdl.source.track();
        ctl.deposit.track();
        network.track();
        let _ = wallet.address();
        if ctl.state.with_untracked(|s| s.as_ref().is_none_or(|s| matches!(s.step, Step::Review))) {
            ctl.refresh_review();
        }
    });
    let in_review = move || ctl.state.with(|s| s.as_ref().is_none_or(|s| matches!(s.step, Step::Review)));

    let progress = move || {
        let steps = ctl.state.with(|s| match s {
            Some(state) => state.progress(),
            None => StepKind::WIZARD.iter().map(|k| (*k, StepStatus::Pending)).collect(),
        });
        let running = ctl.running.get();
        let message = ctl.progress.get();
        let net = network.get();
        let deposit = ctl.deposit.get();
        let height = ctl.height.get();
        let state = ctl.state.get();
        steps
            .into_iter()
            .map(|(kind, status)| {
                let status =
                    if running && status == StepStatus::Pending && message.as_ref().is_some_and(|m| m.step == kind) {
                        StepStatus::Active
                    } else {
                        status
                    };
                let note = message
                    .as_ref()
                    .filter(|m| m.step == kind && status == StepStatus::Active)
                    .filter(|m| ctl.ip_change.with_untracked(|c| c.as_ref() != Some(&m.message)))
                    .map(|m| m.message.clone());
                let command = (status != StepStatus::Pending || kind == StepKind::Create)
                    .then(|| step_command(kind, state.as_ref(), &net, &deposit, height))
                    .flatten();
                view! {
                    <li class="step" data-step=kind.as_str() data-state=status.as_str()>
                        <span class="step-marker" aria-hidden="true"></span>
                        <span class="step-title">{kind.title()}</span>
                        <span class="visually-hidden">{format!(" ({})", status.as_str())}</span>
                        {note.map(|n| view! { <span class="step-note">{n}</span> })}
                        {command.map(|c| view! { <CommandCopy command=c on_notice=on_notice /> })}
                    </li>
                }
            })
            .collect_view()
    };

    let alert = move || {
        let error = ctl.error.get().map(|e| (e.message, e.detail, e.retryable)).or_else(|| {
            ctl.state.with(|s| match s.as_ref().map(|s| &s.step) {
                Some(Step::Failed { message, retryable, .. }) => Some((message.clone(), None, *retryable)),
                _ => None,
            })
        });
        error.map(|(message, detail, retryable)| {
            view! {
                <div class="alert" role="alert">
                    <p>
                        <strong>"This step failed: "</strong>
                        {message}
                    </p>
                    {detail.map(|d| view! { <pre class="detail">{d}</pre> })}
                    <p class="hint">
                        {if retryable {
                            "Retry continues from the saved state: what was already signed is looked up on chain, not signed again."
                        } else {
                            "Retrying will not help until the cause is fixed; Retry re-reads the chain, Start over drops this deploy."
                        }}
                    </p>
                    <button type="button" class="button primary" disabled=move || ctl.running.get() on:click=move |_| ctl.retry()>
                        "Retry"
                    </button>
                    <button type="button" class="button" disabled=move || ctl.running.get() on:click=move |_| ctl.start_over()>
                        "Start over"
                    </button>
                </div>
            }
        })
    };

    let bids_section = move || {
        let bidding = ctl.state.with(|s| matches!(s.as_ref().map(|s| &s.step), Some(Step::Bidding { .. })));
        if !bidding {
            return None;
        }
        let offers = ctl.bids.get();
        let only_ip = ctl.only_ip.get();
        let body = match offers {
            None => view! { <p class="hint" role="status">"Waiting for providers to bid…"</p> }.into_any(),
            Some(offers) => {
                let total = offers.len();
                let shown: Vec<BidOffer> =
                    offers.into_iter().filter(|o| !only_ip || o.ip_capability.capable()).collect();
                let hidden = total - shown.len();
                let (groups, leases) =
                    ctl.state.with(|s| s.as_ref().map(|s| (s.groups(), s.leases.clone())).unwrap_or_default());
                let several = groups.len() > 1;
                // A table per group still to lease; each group is its own order, with its own bids.
                let tables = groups
                    .iter()
                    .filter(|(gseq, _)| !leases.iter().any(|l| l.gseq == *gseq))
                    .map(|(gseq, name)| {
                        let rows: Vec<BidOffer> = shown.iter().filter(|o| o.bid.id.gseq == *gseq).cloned().collect();
                        let label = if several { format!("Bids for group {gseq} ({name})") } else { "Bids".to_owned() };
                        view! {
                            {several.then(|| view! { <h3 class="group-title">{format!("Group {gseq} · {name}")}</h3> })}
                            {rows.is_empty().then(|| view! { <p class="hint" role="status">"No bid for this group yet."</p> })}
                            <div class="table-scroll">
                                <table class="bids" aria-label=label>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Provider"</th>
                                            <th scope="col">"Price per block"</th>
                                            <th scope="col">"Per month"</th>
                                            <th scope="col">"IP leasing"</th>
                                            <th scope="col" class="num">"Free IPs"</th>
                                            <th scope="col">"Attributes"</th>
                                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {rows.into_iter().map(|offer| bid_row(offer, ctl)).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                    })
                    .collect_view();
                let leased = leases
                    .iter()
                    .map(|l| {
                        let name =
                            groups.iter().find(|(g, _)| *g == l.gseq).map(|(_, n)| n.clone()).unwrap_or_default();
                        view! { <li>{format!("Group {} ({name}) is leased from {}.", l.gseq, l.provider)}</li> }
                    })
                    .collect_view();
                view! {
                    {(hidden > 0).then(|| view! { <p class="hint">{format!("{hidden} bid(s) from providers not known to lease IPs are hidden.")}</p> })}
                    {(!leases.is_empty()).then(|| view! { <ul class="order-lines" data-testid="leased-groups">{leased}</ul> })}
                    {tables}
                }
                .into_any()
            }
        };
        Some(view! {
            <section class="panel deploy-panel" aria-labelledby="bids-heading">
                <div class="panel-header">
                    <h2 id="bids-heading">"Bids"</h2>
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || ctl.only_ip.get()
                            on:change=move |event| ctl.only_ip.set(event_target_checked(&event))
                        />
                        "Only IP-capable providers"
                    </label>
                </div>
                <div class="panel-body">{body}</div>
            </section>
        })
    };

    let live_section = move || {
        let dseq = ctl.state.with(|s| match s.as_ref() {
            Some(state @ DeployState { step: Step::Live, .. }) => state.dseq,
            _ => None,
        })?;
        let var = RwSignal::new(DEFAULT_VAR.to_owned());
        // One card per lease (a group each), titled by its group when there are several.
        let card = move || {
            let cards = ctl.cards.get();
            let several = cards.len() > 1;
            let groups = ctl.state.with(|s| s.as_ref().map(DeployState::groups).unwrap_or_default());
            cards
                .into_iter()
                .map(|card| {
                    let title = several.then(|| {
                        let name = groups.iter().find(|(g, _)| *g == card.lease.gseq).map(|(_, n)| n.clone());
                        format!("Group {} · {}", card.lease.gseq, name.unwrap_or_default())
                    });
                    view! {
                        {title.map(|t| view! { <h3 class="group-title">{t}</h3> })}
                        <IpCardView card=card on_notice=on_notice />
                    }
                })
                .collect_view()
        };
        let net = network.get();
        let ctx = CliContext::for_network(&net);
        Some(view! {
            <section class="panel deploy-panel" aria-labelledby="live-heading">
                <div class="panel-header">
                    <h2 id="live-heading">"Live"</h2>
                </div>
                <div class="panel-body">
                    {move || (ctl.cards.with(Vec::is_empty)).then(|| view! { <p class="hint" role="status">"Reading the lease status…"</p> })}
                    {card}
                    <div class="lease-actions">
                        <div class="inline-form">
                            <label class="field">
                                <span>"Variable name"</span>
                                <input type="text" spellcheck="false" prop:value=move || var.get() on:input=move |event| var.set(event_target_value(&event)) />
                            </label>
                            <button type="button" class="button" disabled=move || ctl.running.get() on:click=move |_| ctl.inject(var.get_untracked())>
                                "Inject IP as env var"
                            </button>
                            <CommandCopy command=commands::update_deployment(&ctx, "deploy.yaml", dseq) on_notice=on_notice />
                        </div>
                        {move || ctl.ip_change.get().map(|text| view! { <p class="ip-change" role="status">{text}</p> })}
                        <div class="inline-form">
                            <button type="button" class="button danger" disabled=move || ctl.closing.get() on:click=move |_| { ctl.close(); }>
                                "Close deployment"
                            </button>
                            <CommandCopy command=commands::close_deployment(&ctx, dseq) on_notice=on_notice />
                        </div>
                        <p class="hint">"Migrate an endpoint to another of your deployments on the same provider in the Deployments view."</p>
                    </div>
                </div>
            </section>
        })
    };

    let finished = move || {
        let closed = ctl.state.with(|s| match s.as_ref().map(|s| &s.step) {
            Some(Step::Closed { dseq }) => Some(*dseq),
            _ => None,
        });
        closed.map(|dseq| {
            view! {
                <section class="panel deploy-panel">
                    <div class="panel-body">
                        <p>{format!("Deployment {dseq} is closed; the rest of its deposit went back to the account.")}</p>
                    </div>
                </section>
            }
        })
    };

    view! {
        <div class="deploy-view">
            <ol class="deploy-progress" aria-label="Deploy progress">
                {progress}
            </ol>
            {move || {
                // The injection's outcome has its own line in the live section.
                ctl.progress
                    .get()
                    .filter(|p| ctl.running.get() && ctl.ip_change.with(|c| c.as_ref() != Some(&p.message)))
                    .map(|p| view! { <p class="progress-line" role="status">{p.message}</p> })
            }}
            {alert}
            <Show when=in_review>
                <ReviewPanel ctl=ctl />
            </Show>
            {bids_section}
            {live_section}
            {finished}
            {move || {
                (!ctl.running.get()
                    && ctl.state.with(|s| {
                        matches!(s.as_ref().map(|s| &s.step), Some(Step::Live | Step::Closed { .. } | Step::Failed { .. }))
                    }))
                    .then(|| {
                        view! {
                            <p class="actions">
                                <button type="button" class="button" on:click=move |_| ctl.start_over()>
                                    "New deployment"
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

fn bid_row(offer: BidOffer, ctl: DeployCtl) -> impl IntoView {
    let id = offer.bid.id.clone();
    let provider = id.provider.clone();
    let capability = match offer.ip_capability {
        IpCapability::Advertised => "yes (advertised)",
        IpCapability::ProvenByBid => "yes (bid on an IP order)",
        IpCapability::Unknown => "unknown",
    };
    let free = offer.free_ips.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let attributes = offer.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    let status = offer.status_error.clone().map(|e| format!(" (status: {e})"));
    let ip_warning = offer.ip_warning();
    let denom = offer.bid.price.denom.as_str();
    view! {
        <tr data-provider=provider.clone()>
            <td>
                <code class="address">{provider.clone()}</code>
                {offer.host_uri.clone().map(|u| view! { <span class="muted-cell">{format!(" {u}")}</span> })}
                {status.map(|s| view! { <span class="muted-cell">{s}</span> })}
                {offer.tls.map(|t| view! { <span class="muted-cell" data-testid="tls-check">{format!(" · {}", t.text())}</span> })}
            </td>
            <td><Amount human=amount::for_people(&offer.price_per_block, denom) raw=format!("{}{denom}", offer.price_per_block) /></td>
            <td><Amount human=amount::estimate_for_people(&offer.price_per_month, denom, 2) raw=format!("{}{denom}", offer.price_per_month) /></td>
            <td>{capability}</td>
            <td class="num" data-testid="free-ips">
                {free}
                {ip_warning.clone().map(|w| view! { <span class="field-warning" role="note" data-testid="ip-warning">{format!(" ⚠ {w}")}</span> })}
            </td>
            <td class="attributes">{attributes}</td>
            <td>
                <button
                    type="button"
                    class="button primary small"
                    aria-label=format!("Accept bid from {provider}")
                    disabled=move || ctl.running.get()
                    on:click=move |_| {
                        // A provider short of free IPs: the tenant decides, knowing it.
                        let go = ip_warning.as_ref().is_none_or(|w| {
                            window().confirm_with_message(&format!("{w}.\n\nAccept this bid anyway?")).unwrap_or(false)
                        });
                        if go {
                            ctl.accept(id.clone());
                        }
                    }
                >
                    "Accept"
                </button>
            </td>
        </tr>
    }
}
