//! The IP card — a lease's leased addresses with their port maps, copy buttons, URIs and
//! replicas, or the "Waiting for IP" state — and the small pieces the deploy and deployments
//! views share: copy buttons for `provider-services` commands. The card's content is
//! `leasekit-deploy`'s [`IpCard`]; this module only renders it.

use leasekit_deploy::lease::{CardStatus, IpCard};
use leptos::prelude::*;

use crate::browser;

/// Copies `text` and reports what happened through `on_notice`.
pub fn copy(text: String, what: &'static str, on_notice: Callback<String>) {
    leptos::task::spawn_local(async move {
        let message = match browser::copy_text(&text).await {
            Ok(()) => format!("{what} copied to the clipboard."),
            Err(()) => format!("Could not use the clipboard; select the {} and copy it.", what.to_lowercase()),
        };
        on_notice.run(message);
    });
}

/// An amount as a person reads it (whole ACT or AKT, from `leasekit-deploy`'s `amount`); one
/// click shows the chain's own value, another click goes back.
#[component]
pub fn Amount(
    /// What a person reads, e.g. `0.499988 ACT`.
    human: String,
    /// The chain's value, e.g. `499988.000000000000000000uact`.
    raw: String,
) -> impl IntoView {
    let show_raw = RwSignal::new(false);
    let title = format!("On chain: {raw}. Click to switch.");
    let text = move || if show_raw.get() { raw.clone() } else { human.clone() };
    view! {
        <button
            type="button"
            class="amount"
            title=title
            aria-pressed=move || if show_raw.get() { "true" } else { "false" }
            on:click=move |_| show_raw.update(|raw| *raw = !*raw)
        >
            {text}
        </button>
    }
}

/// A "Copy provider-services command" button with the command shown beside it.
#[component]
pub fn CommandCopy(
    /// The command line.
    command: String,
    /// For the notice.
    on_notice: Callback<String>,
) -> impl IntoView {
    let copied = command.clone();
    view! {
        <div class="cli-command">
            <button
                type="button"
                class="button small"
                title=command.clone()
                on:click=move |_| copy(copied.clone(), "Command", on_notice)
            >
                "Copy provider-services command"
            </button>
            <code class="cli-text">{command}</code>
        </div>
    }
}

fn status_id(status: &CardStatus) -> &'static str {
    match status {
        CardStatus::NotDeployed => "not-deployed",
        CardStatus::Deploying { .. } => "deploying",
        CardStatus::WaitingForIp => "waiting",
        CardStatus::Ready => "ready",
    }
}

/// One lease's IP card.
#[component]
pub fn IpCardView(
    /// What the core made of the lease status.
    card: IpCard,
    /// For copy results.
    on_notice: Callback<String>,
) -> impl IntoView {
    let lease = &card.lease;
    let title = format!("Lease {}/{}/{} on {}", lease.dseq, lease.gseq, lease.oseq, lease.provider);
    let waiting = card.status != CardStatus::Ready || card.addresses.is_empty() && !card.missing.is_empty();
    let addresses = card
        .addresses
        .iter()
        .map(|address| {
            let ip = address.ip.clone();
            let copied = ip.clone();
            view! {
                <div class="leased-address">
                    <code class="leased-ip" data-testid="leased-ip">
                        {ip}
                    </code>
                    <button type="button" class="button small" on:click=move |_| copy(copied.clone(), "IP", on_notice)>
                        "Copy IP"
                    </button>
                </div>
            }
        })
        .collect_view();
    let rows = card
        .addresses
        .iter()
        .flat_map(|address| address.ports.iter().map(move |port| (Some(address.ip.clone()), port.clone())))
        .chain(card.missing.iter().map(|port| (None, port.clone())))
        .map(|(ip, port)| {
            let pending = ip.is_none();
            view! {
                <tr class:pending=pending data-proto=port.protocol.clone()>
                    <td class="ip-cell">{ip.unwrap_or_else(|| "waiting".to_owned())}</td>
                    <td class="num">{port.external_port}</td>
                    <td aria-hidden="true">"→"</td>
                    <td class="num">{port.container_port}</td>
                    <td>{port.protocol.clone()}</td>
                    <td>{port.service.clone()}</td>
                    <td class="muted-cell">{port.endpoint.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let has_rows = !card.addresses.iter().all(|a| a.ports.is_empty()) || !card.missing.is_empty();
    let services = card
        .services
        .iter()
        .map(|service| {
            let uris = service
                .uris
                .iter()
                .map(|uri| {
                    let href = format!("http://{uri}");
                    view! {
                        <a href=href target="_blank" rel="noopener">
                            {uri.clone()}
                        </a>
                    }
                })
                .collect_view();
            view! {
                <li>
                    <strong>{service.name.clone()}</strong>
                    {format!(" · {}/{} replicas ready ", service.available, service.total)}
                    {uris}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="ip-card" data-testid="ip-card" data-status=status_id(&card.status)>
            <h3>{title}</h3>
            <p class="card-status" role="status">
                {waiting.then(|| view! { <span class="badge waiting">"Waiting for IP"</span> " " })}
                {card.status_text()}
            </p>
            <div class="addresses">{addresses}</div>
            {has_rows
                .then(|| {
                    view! {
                        <div class="table-scroll">
                            <table class="port-map" aria-label="Port map">
                                <thead>
                                    <tr>
                                        <th scope="col">"Address"</th>
                                        <th scope="col" class="num">
                                            "External"
                                        </th>
                                        <th scope="col">
                                            <span class="visually-hidden">"to"</span>
                                        </th>
                                        <th scope="col" class="num">
                                            "Container"
                                        </th>
                                        <th scope="col">"Protocol"</th>
                                        <th scope="col">"Service"</th>
                                        <th scope="col">"Endpoint"</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                })}
            <ul class="services">{services}</ul>
        </section>
    }
}
