//! The Deployments view: the connected account's deployments, newest first, each with its
//! leases' IP cards and the actions on them — close, migrate an endpoint to another deployment
//! on the same provider, inject the leased IP as an env var (when this browser knows the SDL),
//! and the `provider-services` command of each.
//!
//! Cards of leases still waiting for their IP are polled with back-off (`Deployer::watch_lease`)
//! while the view is open; everything else is read once per visit or on "Refresh". Reads (the
//! list, a card's status) are cancelled with their owner (`spawn_local_scoped_with_cancellation`):
//! leaving the view or refreshing the list never lets a finished read touch a disposed card. A
//! transaction the tenant started runs to its end instead, and only writes what it found.
//! The list is read while a deploy runs too, and Close works on every open deployment at any
//! time (the wizard's own deployment is closed through the wizard, which stops what it was
//! waiting for first).

use leasekit_client::chain::Lease;
use leasekit_deploy::amount;
use leasekit_deploy::commands::{self, CliContext};
use leasekit_deploy::flow::{DeploymentEntry, DeploymentPage};
use leasekit_deploy::lease::{self, IpCard};
use leasekit_deploy::state::{DeployState, Step};
use leasekit_deploy::{FlowError, Hooks};
use leasekit_tx::msgs::BidId;
use leptos::prelude::*;

use crate::browser;
use crate::deploy::{self, DEFAULT_VAR, DeployCtl};
use crate::lease::{Amount, CommandCopy, IpCardView};
use crate::network::NetworkState;
use crate::wallet::WalletState;

/// The SDL this browser deployed as `dseq` on `network`, if it remembers it.
#[must_use]
pub fn known_sdl(network: &str, dseq: u64) -> Option<String> {
    browser::load(&browser::keys::deployment_sdl(network, dseq))
}

/// The Deployments view.
#[component]
pub fn DeploymentsView(
    /// The network.
    network: NetworkState,
    /// The wallet.
    wallet: WalletState,
    /// The wizard (its own deployment's actions go through it).
    ctl: DeployCtl,
    /// The deployment the route points at (`#/deployments/<dseq>`): shown first, marked.
    selected: Signal<Option<u64>>,
    /// For copy results.
    on_notice: Callback<String>,
) -> impl IntoView {
    let tasks = StoredValue::new(Owner::current());
    // Open deployments first, a chain page at a time; closed ones only when asked for, so an
    // account with a long history is never read whole.
    let open = Pages::new();
    let closed = Pages::new();
    let refresh = RwSignal::new(0u64);
    // The deployments whose close was started here. Kept by the view, not the card: a list read
    // while the close is on its way (a deploy step ended meanwhile) still lists the lease as
    // active, and its new card must not start watching a lease that is about to end.
    let closing = RwSignal::new(Vec::<u64>::new());
    // A close through the wizard that failed: its deployment's cards watch again.
    Effect::new(move |was_closing: Option<bool>| {
        let now = ctl.closing.get();
        if was_closing == Some(true) && !now {
            let failed = ctl.state.with_untracked(|s| match s {
                Some(state) if !matches!(state.step, Step::Closed { .. }) => state.dseq,
                _ => None,
            });
            if let Some(dseq) = failed {
                closing.update(|c| c.retain(|d| *d != dseq));
            }
        }
        now
    });
    // Reads a page of open (or closed) deployments: the first (`more` false) replaces the list.
    let read = move |of_closed: bool, more: bool| {
        let pages = if of_closed { closed } else { open };
        let key = if more { pages.next.get_untracked() } else { None };
        if more && key.is_none() {
            return;
        }
        let Some(account) = wallet.wallet.get_untracked() else {
            open.clear();
            closed.clear();
            return;
        };
        // Open deployments shown before, and the wizard's own once it closed it: kept, marked
        // closed, when the new list of open ones no longer has them.
        let mut shown: Vec<u64> = if of_closed || more {
            Vec::new()
        } else {
            pages.entries.with_untracked(|e| match e {
                Some(Ok(list)) => list.iter().map(|e| e.deployment.dseq).collect(),
                _ => Vec::new(),
            })
        };
        if let Some(Step::Closed { dseq }) = ctl.state.with_untracked(|s| s.as_ref().map(|s| s.step.clone())) {
            shown.push(dseq);
        }
        if !more {
            pages.clear();
        }
        // After the clear, which retires the reads before it.
        let generation_now = pages.generation.get_value() + 1;
        pages.generation.set_value(generation_now);
        pages.loading.set(true);
        let deployer = deploy::deployer(&network.current.get_untracked(), &account);
        let owner = wallet.address().unwrap_or_default();
        spawn_in(tasks, async move {
            let mut result = deployer.deployments_page(&owner, of_closed, key.as_deref()).await;
            if let Ok(page) = &mut result {
                shown.retain(|d| !page.entries.iter().any(|e| e.deployment.dseq == *d));
                shown.sort_unstable();
                shown.dedup();
                if !shown.is_empty() {
                    match deployer.closed_among(&owner, &shown).await {
                        Ok(closed) => page.entries.extend(closed),
                        Err(e) => result = Err(e),
                    }
                }
            }
            if pages.generation.get_value() == generation_now {
                pages.add(result);
            }
        });
    };
    let load = move || {
        closed.clear();
        read(false, false);
    };
    // Read on entry and when the network or account changes; a deploy step that ends (a close,
    // a new lease) changes the list too, so it is read again then. A step that starts does not
    // hide the list.
    Effect::new(move |before: Option<(String, Option<String>, bool)>| {
        let now = (network.current.with(|n| n.name.clone()), wallet.address(), ctl.running.get());
        let step_started =
            before.as_ref().is_some_and(|(n, a, running)| (n, a) == (&now.0, &now.1) && !running && now.2);
        if !step_started {
            load();
        }
        now
    });

    let cards = move |entries: Vec<DeploymentEntry>, all: Vec<DeploymentEntry>| {
        let chosen = selected.get();
        let mut entries = entries;
        // The deployment the link points at comes first; the rest keep their order.
        entries.sort_by_key(|e| Some(e.deployment.dseq) != chosen);
        entries
            .into_iter()
            .map(|entry| {
                let is_selected = Some(entry.deployment.dseq) == chosen;
                view! { <DeploymentCard entry=entry all=all.clone() network=network ctl=ctl selected=is_selected refresh=refresh closing=closing on_notice=on_notice /> }
            })
            .collect_view()
    };
    let body = move || {
        if wallet.wallet.with(Option::is_none) {
            return view! { <p class="unavailable">"Connect a wallet to list its deployments."</p> }.into_any();
        }
        match open.entries.get() {
            None if open.loading.get() => {
                view! { <p class="hint" role="status">"Reading the deployments…"</p> }.into_any()
            }
            None => ().into_any(),
            Some(Err(message)) => view! {
                <div class="alert" role="alert">
                    <p>{format!("Could not list the deployments: {message}")}</p>
                    <button type="button" class="button" on:click=move |_| load()>"Retry"</button>
                </div>
            }
            .into_any(),
            Some(Ok(entries)) => {
                let all = entries.clone();
                view! {
                    {entries.is_empty().then(|| view! {
                        <p class="unavailable">"This account has no open deployments on this network."</p>
                    })}
                    {cards(entries, all.clone())}
                    <PageMore pages=open label="Load more deployments" on_more=Callback::new(move |()| read(false, true)) />
                    <section class="closed-deployments" aria-label="Closed deployments">
                        {move || match closed.entries.get() {
                            None => view! {
                                <button type="button" class="button" disabled=move || closed.loading.get() on:click=move |_| read(true, false)>
                                    {move || if closed.loading.get() { "Reading closed deployments…" } else { "Show closed deployments" }}
                                </button>
                            }
                            .into_any(),
                            Some(Err(message)) => view! {
                                <div class="alert" role="alert">
                                    <p>{format!("Could not list the closed deployments: {message}")}</p>
                                    <button type="button" class="button" on:click=move |_| read(true, false)>"Retry"</button>
                                </div>
                            }
                            .into_any(),
                            Some(Ok(list)) => view! {
                                <h3>"Closed deployments"</h3>
                                {list.is_empty().then(|| view! { <p class="unavailable">"None."</p> })}
                                {cards(list, all.clone())}
                                <PageMore pages=closed label="Load more closed deployments" on_more=Callback::new(move |()| read(true, true)) />
                            }
                            .into_any(),
                        }}
                    </section>
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="deployments-view">
            <div class="view-header">
                <h2>"Deployments"</h2>
                <button type="button" class="button" on:click=move |_| load()>"Refresh"</button>
            </div>
            {body}
        </div>
    }
}

#[component]
fn DeploymentCard(
    entry: DeploymentEntry,
    all: Vec<DeploymentEntry>,
    network: NetworkState,
    ctl: DeployCtl,
    selected: bool,
    refresh: RwSignal<u64>,
    closing: RwSignal<Vec<u64>>,
    on_notice: Callback<String>,
) -> impl IntoView {
    let DeploymentEntry { deployment, leases } = entry;
    let dseq = deployment.dseq;
    let net = network.current.get_untracked();
    let ctx = CliContext::for_network(&net);
    let open = deployment.state != "closed";
    let escrow: Vec<(String, String)> = deployment
        .escrow_balance
        .iter()
        .map(|c| (amount::for_people(&c.amount, &c.denom), format!("{}{}", c.amount, c.denom)))
        .collect();
    let groups = deployment.groups.iter().map(|g| format!("{} ({})", g.name, g.state)).collect::<Vec<_>>().join(", ");
    // Live leases (active, or reclaiming until the window ends) have cards; closed deployments
    // are listed without their leases.
    let active: Vec<Lease> = leases.iter().filter(|l| l.is_live()).cloned().collect();
    let lease_summary = if !open {
        String::new()
    } else if leases.is_empty() {
        " · leases: no lease".to_owned()
    } else {
        let each: Vec<String> = leases
            .iter()
            .map(|l| format!("{} with {}{}", lease::lease_state_text(l), l.id.provider, deadline_text(l)))
            .collect();
        format!(" · leases: {}", each.join("; "))
    };
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let closed_here = RwSignal::new(false);
    let chain_state = StoredValue::new(deployment.state.clone());
    let shown_state = move || if closed_here.get() { "closed".to_owned() } else { chain_state.get_value() };
    // Once a close starts, the lease cards stop watching: a closed lease has no status to
    // read (the provider answers 404), and the card would only say so over and over.
    let stop_watching = move |stop: bool| {
        closing.update(|c| {
            c.retain(|d| *d != dseq);
            if stop {
                c.push(dseq);
            }
        });
    };
    let close = move |_| {
        if ctl.state.with_untracked(|s| s.as_ref().and_then(|s| s.dseq) == Some(dseq)) {
            if ctl.close() {
                stop_watching(true);
            }
            return;
        }
        let Some(account) = ctl_wallet(ctl) else { return };
        if !window().confirm_with_message(&format!("Close deployment {dseq}?")).unwrap_or(true) {
            return;
        }
        busy.set(true);
        stop_watching(true);
        error.set(None);
        let deployer = deploy::deployer(&network.current.get_untracked(), &account);
        spawn_action(async move {
            let result = deployer.close_dseq(dseq, &mut Hooks::silent()).await;
            busy.set(false);
            match result {
                Ok(()) => closed_here.set(true),
                Err(e) => {
                    stop_watching(false);
                    error.set(Some(e.message));
                }
            }
        });
    };
    let siblings: Vec<BidId> = active.iter().map(|l| l.id.clone()).collect();
    let cards = move || {
        if closing.with(|c| c.contains(&dseq)) {
            return None;
        }
        Some(active
        .iter()
        .cloned()
        .map(|lease| {
            let others: Vec<(u64, u32)> = all
                .iter()
                .filter(|e| e.deployment.dseq != dseq && e.deployment.state != "closed")
                .filter(|e| e.leases.iter().any(|l| l.state == "active" && l.id.provider == lease.id.provider))
                .map(|e| (e.deployment.dseq, e.deployment.groups.first().map_or(1, |g| g.gseq)))
                .collect();
            view! { <LeaseCard lease=lease siblings=siblings.clone() others=others network=network ctl=ctl refresh=refresh on_notice=on_notice /> }
        })
        .collect_view())
    };
    view! {
        <article class="panel deployment" class:selected=selected data-testid="deployment" data-dseq=dseq data-state=shown_state aria-current=selected.then_some("true")>
            <div class="panel-header">
                <h3><a class="deployment-link" href=format!("#/deployments/{dseq}") title="A link to this deployment">{format!("Deployment {dseq}")}</a></h3>
                <span class=move || if open && !closed_here.get() { "badge ok" } else { "badge closed" }>
                    {shown_state}
                </span>
            </div>
            <div class="panel-body">
                <p class="muted">
                    {format!("Created at block {} · groups: {groups}{lease_summary}", deployment.created_at)}
                    {(!escrow.is_empty()).then(|| view! {
                        " · escrow: "
                        {escrow.into_iter().map(|(human, raw)| view! { <Amount human=human raw=raw /> }).collect_view()}
                    })}
                </p>
                {cards}
                {(open).then(|| view! {
                    <div class="inline-form">
                        <button type="button" class="button danger" disabled=move || busy.get() || closed_here.get() on:click=close>
                            "Close deployment"
                        </button>
                        <CommandCopy command=commands::close_deployment(&ctx, dseq) on_notice=on_notice />
                    </div>
                })}
                {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
        </article>
    }
}

/// Runs a transaction the tenant started (close, inject, migrate) to its end, whatever happens
/// to the card meanwhile: a list read again while it runs re-creates the cards, and cancelling
/// would leave a signed transaction half-handled. The task only writes the card's signals,
/// which a disposed card ignores.
fn spawn_action(task: impl std::future::Future<Output = ()> + 'static) {
    leptos::task::spawn_local(task);
}

/// The deployments of one kind read so far, page by page.
#[derive(Clone, Copy)]
struct Pages {
    /// What the pages held, in order; `None` before the first answer.
    entries: RwSignal<Option<Result<Vec<DeploymentEntry>, String>>>,
    /// The next page's key, while there is one.
    next: RwSignal<Option<String>>,
    /// A page is on its way.
    loading: RwSignal<bool>,
    /// Why the last "more" failed (what was read stays).
    more_error: RwSignal<Option<String>>,
    /// Bumped by every read: an answer to an older one is dropped.
    generation: StoredValue<u64>,
}

impl Pages {
    fn new() -> Self {
        Pages {
            entries: RwSignal::new(None),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            more_error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    fn clear(self) {
        // A read still on its way must not fill the cleared list.
        self.generation.update_value(|g| *g += 1);
        self.entries.set(None);
        self.next.set(None);
        self.loading.set(false);
        self.more_error.set(None);
    }

    /// A page's answer: appended (a failed later page keeps what was read and says why).
    fn add(self, result: Result<DeploymentPage, FlowError>) {
        self.loading.set(false);
        self.more_error.set(None);
        match result {
            Ok(page) => {
                self.next.set(page.next_key);
                self.entries.update(|entries| match entries {
                    Some(Ok(list)) => list.extend(page.entries),
                    other => *other = Some(Ok(page.entries)),
                });
            }
            Err(e) if self.entries.with_untracked(|e| matches!(e, Some(Ok(_)))) => self.more_error.set(Some(e.message)),
            Err(e) => self.entries.set(Some(Err(e.message))),
        }
    }
}

/// "Load more" while the chain has another page.
#[component]
fn PageMore(pages: Pages, label: &'static str, on_more: Callback<()>) -> impl IntoView {
    move || {
        pages.next.with(Option::is_some).then(|| {
            view! {
                <p class="actions">
                    {move || pages.more_error.get().map(|m| view! { <span class="field-error" role="alert">{format!("Could not read the next page: {m} ")}</span> })}
                    <button type="button" class="button" disabled=move || pages.loading.get() on:click=move |_| on_more.run(())>
                        {move || if pages.loading.get() { "Reading…" } else if pages.more_error.with(Option::is_some) { "Retry" } else { label }}
                    </button>
                </p>
            }
        })
    }
}

/// Runs `task` under `owner` (the component that started it, captured when it was built: an
/// event handler runs outside it) until the task ends or that component is disposed.
fn spawn_in(owner: StoredValue<Option<Owner>>, task: impl std::future::Future<Output = ()> + 'static) {
    // A component already disposed starts nothing.
    let _ = owner.try_with_value(|owner| match owner {
        Some(owner) => owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(task)),
        None => leptos::task::spawn_local_scoped_with_cancellation(task),
    });
}

/// When a reclaiming lease's window ends, in the browser's locale (the chain gives Unix time).
fn deadline_text(lease: &Lease) -> String {
    match lease.reclamation.as_ref().map(|r| r.deadline).filter(|d| *d > 0 && lease.state == "reclaiming") {
        #[expect(clippy::cast_precision_loss, reason = "Unix milliseconds stay far below 2^53")]
        Some(deadline) => {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(deadline as f64 * 1000.0));
            format!(", until {}", String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)))
        }
        None => String::new(),
    }
}

fn ctl_wallet(ctl: DeployCtl) -> Option<crate::wallet::AppWallet> {
    ctl.wallet().wallet.get_untracked()
}

/// One active lease: its IP card (polled while it waits for the IP) and its actions.
#[component]
fn LeaseCard(
    lease: Lease,
    /// Every active lease of the deployment (one per group): an env injection updates the
    /// deployment, so every group's provider gets the new manifest.
    siblings: Vec<BidId>,
    others: Vec<(u64, u32)>,
    network: NetworkState,
    ctl: DeployCtl,
    /// Bumped when the cards' statuses changed elsewhere (a migration).
    refresh: RwSignal<u64>,
    on_notice: Callback<String>,
) -> impl IntoView {
    let id = lease.id.clone();
    let net = network.current.get_untracked();
    let sdl = RwSignal::new(known_sdl(&net.name, id.dseq));
    let card = RwSignal::new(None::<Result<IpCard, FlowError>>);
    // The lease's own group of the manifest, when this browser knows the SDL.
    // Read on mount and whenever the view says the cards changed (an endpoint migrated between
    // two of them: both the source and the destination read their status again). The watch
    // runs under the effect, so a new one cancels the last and leaving the view ends it.
    let watched = id.clone();
    Effect::new(move |_| {
        refresh.track();
        let Some(account) = ctl_wallet(ctl) else { return };
        let deployer = deploy::deployer(&network.current.get_untracked(), &account);
        let manifest = sdl
            .get_untracked()
            .and_then(|s| leasekit_sdl::build(&s).output)
            .map(|o| leasekit_deploy::lease::lease_manifest(&o, watched.gseq));
        let lease = watched.clone();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            deployer.watch_lease(&lease, manifest.as_ref(), |result| card.set(Some(result))).await;
        });
    });

    let ctx = CliContext::for_network(&net);
    let var = RwSignal::new(DEFAULT_VAR.to_owned());
    let result = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let inject = {
        let id = id.clone();
        move |_| {
            let Some(text) = sdl.get_untracked() else { return };
            let Some(account) = ctl_wallet(ctl) else { return };
            let network_now = network.current.get_untracked();
            let deployer = deploy::deployer(&network_now, &account);
            let mut state = DeployState::new(&network_now.name, &id.owner, &text, deploy::DEFAULT_DEPOSIT);
            state.dseq = Some(id.dseq);
            state.leases = siblings.clone();
            state.step = Step::Live;
            let name = var.get_untracked();
            busy.set(true);
            result.set(None);
            spawn_action(async move {
                let mut hooks = Hooks::new(|_| {}, |state: &DeployState| deploy::save_sdl(state));
                let outcome = deployer.inject_ip_env(&mut state, &name, &mut hooks).await;
                busy.set(false);
                match outcome {
                    Ok(change) => {
                        sdl.set(Some(change.sdl.clone()));
                        result.set(Some(Ok(change.text())));
                    }
                    Err(e) => result.set(Some(Err(e.message))),
                }
            });
        }
    };
    let dest = RwSignal::new(others.first().map(|(d, g)| format!("{d}/{g}")).unwrap_or_default());
    let endpoint = RwSignal::new(String::new());
    Effect::new(move |_| {
        if endpoint.with_untracked(String::is_empty)
            && let Some(Ok(card)) = card.get()
            && let Some(name) = card.addresses.iter().flat_map(|a| a.ports.iter()).find_map(|p| p.endpoint.clone())
        {
            endpoint.set(name);
        }
    });
    let migrate_result = RwSignal::new(None::<Result<String, String>>);
    let migrate = {
        let provider = id.provider.clone();
        move |_| {
            let Some(account) = ctl_wallet(ctl) else { return };
            let Some((dest_dseq, dest_gseq)) =
                dest.get_untracked().split_once('/').and_then(|(d, g)| Some((d.parse().ok()?, g.parse().ok()?)))
            else {
                migrate_result.set(Some(Err("Pick a destination deployment.".to_owned())));
                return;
            };
            let name = endpoint.get_untracked().trim().to_owned();
            if name.is_empty() {
                migrate_result.set(Some(Err("Name the endpoint to migrate.".to_owned())));
                return;
            }
            let deployer = deploy::deployer(&network.current.get_untracked(), &account);
            let provider = provider.clone();
            busy.set(true);
            spawn_action(async move {
                let outcome = deployer.migrate_endpoint(&provider, &[name.as_str()], dest_dseq, dest_gseq).await;
                busy.set(false);
                let moved_any = matches!(&outcome, Ok(moved) if !moved.is_empty());
                migrate_result.set(Some(match outcome {
                    Ok(moved) if moved.is_empty() => Err("The provider moved no endpoint.".to_owned()),
                    Ok(moved) => Ok(format!("Moved {} to deployment {dest_dseq}.", moved.join(", "))),
                    Err(e) => Err(e.message),
                }));
                if moved_any {
                    refresh.update(|n| *n += 1);
                }
            });
        }
    };
    let has_others = !others.is_empty();
    let options = others
        .iter()
        .map(|(d, g)| {
            let value = format!("{d}/{g}");
            view! { <option value=value.clone()>{format!("Deployment {d} (group {g})")}</option> }
        })
        .collect_view();
    let migrate_command = move || {
        let (d, g) =
            dest.get().split_once('/').and_then(|(d, g)| Some((d.parse::<u64>().ok()?, g.parse::<u32>().ok()?)))?;
        let name = endpoint.get();
        Some(commands::migrate_endpoints(
            &CliContext::for_network(&network.current.get_untracked()),
            &[name.as_str()],
            d,
            g,
            &id.provider,
        ))
    };

    view! {
        <div class="lease">
            {move || match card.get() {
                None => view! { <p class="hint" role="status">"Reading the lease status…"</p> }.into_any(),
                Some(Ok(card)) => view! { <IpCardView card=card on_notice=on_notice /> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error">{format!("Lease status: {}", e.message)}</p> }.into_any(),
            }}
            <CommandCopy command=commands::lease_status(&ctx, &lease.id) on_notice=on_notice />
            <div class="lease-actions">
                {move || match sdl.get() {
                    Some(_) => view! {
                        <div class="inline-form">
                            <label class="field">
                                <span>"Variable name"</span>
                                <input type="text" spellcheck="false" prop:value=move || var.get() on:input=move |event| var.set(event_target_value(&event)) />
                            </label>
                            <button type="button" class="button" disabled=move || busy.get() on:click=inject.clone()>
                                "Inject IP as env var"
                            </button>
                        </div>
                    }.into_any(),
                    None => view! { <p class="hint">"This browser does not have this deployment's SDL, so it cannot inject the IP into it."</p> }.into_any(),
                }}
                {move || result.get().map(|r| match r {
                    Ok(text) => view! { <p class="ip-change" role="status">{text}</p> }.into_any(),
                    Err(m) => view! { <p class="field-error" role="alert">{m}</p> }.into_any(),
                })}
                <div class="inline-form">
                    <label class="field">
                        <span>"Endpoint"</span>
                        <input type="text" spellcheck="false" aria-label="Endpoint" prop:value=move || endpoint.get() on:input=move |event| endpoint.set(event_target_value(&event)) />
                    </label>
                    <label class="field">
                        <span>"Destination deployment"</span>
                        <select aria-label="Destination deployment" prop:value=move || dest.get() on:change=move |event| dest.set(event_target_value(&event)) disabled=!has_others>
                            {options}
                        </select>
                    </label>
                    <button type="button" class="button" disabled=move || busy.get() || !has_others on:click=migrate.clone()>
                        "Migrate endpoint"
                    </button>
                    {move || migrate_command().map(|c| view! { <CommandCopy command=c on_notice=on_notice /> })}
                </div>
                {(!has_others).then(|| view! { <p class="hint">"To migrate an endpoint, you need another active deployment with a lease on the same provider."</p> })}
                {move || migrate_result.get().map(|r| match r {
                    Ok(text) => view! { <p class="ip-change" role="status">{text}</p> }.into_any(),
                    Err(m) => view! { <p class="field-error" role="alert">{m}</p> }.into_any(),
                })}
            </div>
        </div>
    }
}
