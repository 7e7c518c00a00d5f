//! The deploy wizard: review the order → create the deployment → bids → accept → manifest →
//! live, over `leasekit-deploy`'s [`Deployer`].
//!
//! [`DeployCtl`] lives for the whole page (the Deploy view can be left and re-entered while a
//! step runs). It keeps the [`DeployState`] in a signal and in `localStorage` at every
//! checkpoint the flow hands to its `save` hook — notably right after a transaction is signed
//! and before it is broadcast — so a reload resumes with [`Deployer::resume`], which asks the
//! chain what happened instead of signing again. Every failure is shown with the flow's
//! sentence and a "Retry" that resumes from the saved state.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::AbortHandle;
use leasekit_client::ChainClient;
use leasekit_client::browser::BrowserTransport;
use leasekit_deploy::amount;
use leasekit_deploy::commands::{self, CliContext};
use leasekit_deploy::lease::IpCard;
use leasekit_deploy::network::Network;
use leasekit_deploy::order::OrderSummary;
use leasekit_deploy::state::{DeployState, Step, StepKind, StepStatus};
use leasekit_deploy::{BidOffer, Deployer, FlowError, Hooks, IpCapability, Progress};
use leasekit_tx::msgs::{BidId, Coin};
use leptos::prelude::*;

use crate::browser;
use crate::lease::{Amount, CommandCopy, IpCardView};
use crate::network::NetworkState;
use crate::playground::SdlText;
use crate::wallet::{AppWallet, WalletState};

/// Where the wizard state is kept between visits.
pub const STATE_KEY: &str = browser::keys::DEPLOY_STATE;
const DEPOSIT_KEY: &str = browser::keys::DEPOSIT;
const ONLY_IP_KEY: &str = browser::keys::ONLY_IP_BIDS;
/// The chain's minimum deposit, the default.
pub const DEFAULT_DEPOSIT: &str = "500000uact";
/// Default name of the injected variable.
pub const DEFAULT_VAR: &str = "LEASED_IP";

/// The flow for the connected wallet on the current network.
pub type AppDeployer = Deployer<BrowserTransport, AppWallet>;

thread_local! {
    // One deployer per (network, account): it caches the chain id and the provider token, so
    // the wallet is asked for a token signature once, not on every status poll.
    static DEPLOYER: RefCell<Option<(Network, String, Rc<AppDeployer>)>> = const { RefCell::new(None) };
}

/// The deployer for `network` and `wallet`, reused while both stay the same.
#[must_use]
pub fn deployer(network: &Network, wallet: &AppWallet) -> Rc<AppDeployer> {
    let address = leasekit_deploy::wallet::Wallet::address(wallet);
    DEPLOYER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some((n, a, d)) = cell.as_ref()
            && n == network
            && *a == address
        {
            return d.clone();
        }
        let fresh = Rc::new(Deployer::new(network.clone(), BrowserTransport::new(), wallet.clone()));
        *cell = Some((network.clone(), address, fresh.clone()));
        fresh
    })
}

/// What the user asked the wizard to do.
#[derive(Debug, Clone)]
enum Action {
    Create,
    Resume,
    Accept(BidId),
    Inject(String),
    Close,
}

/// What a review was made of. A review is shown only for the inputs it was made from, so the
/// page never shows one order and signs another (after "New deployment", an edit, a network or
/// account switch, an older simulation's answer is simply not used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInputs {
    /// The SDL text.
    pub sdl: String,
    /// The deposit field.
    pub deposit: String,
    /// The network, with its URLs.
    pub network: Network,
    /// The signer's address, once a wallet is connected.
    pub owner: Option<String>,
}

/// The review screen's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// What it was made of.
    pub inputs: ReviewInputs,
    /// The order in words.
    pub lines: Vec<String>,
    /// The exact message, as JSON.
    pub message_json: Option<String>,
    /// The manifest version hash (hex) the message carries: what the tenant signs.
    pub version: String,
    /// Why the chain would refuse the message (signing is disabled with this beside it).
    pub refusal: Option<String>,
    /// The SDL with every safe fix of the engine's chain warnings (`chain-…`) applied, when it
    /// has any: the review's one-click way past the refusal.
    pub chain_fix: Option<String>,
    /// Whether the fee comes from a simulation (else it is the fallback gas's).
    pub simulated: bool,
}

/// The review of `sdl` with `deposit` on `network`: the order in words (fee for the fallback gas
/// until a wallet can simulate) and, for an owner, the message it will sign at height `dseq`.
///
/// # Errors
/// The SDL has errors, or the deposit is not a coin.
pub fn local_review(inputs: &ReviewInputs, dseq: u64) -> Result<Review, String> {
    let built = leasekit_sdl::build(&inputs.sdl);
    let Some(output) = built.output else {
        return Err("The SDL has errors: fix them in the Build view, then review the order here.".to_owned());
    };
    let deposit = Coin::parse(inputs.deposit.trim()).map_err(|e| format!("Deposit: {}", e.message))?;
    let network = &inputs.network;
    let summary = OrderSummary::new(&output, &deposit, &network.fee(network.fallback_gas), network.block_time_ms);
    let mut review = review_of(inputs.clone(), &summary, dseq, false);
    let edits: Vec<leasekit_sdl::TextEdit> = built
        .diagnostics
        .all()
        .iter()
        .filter(|d| d.code.as_str().starts_with("chain-"))
        .flat_map(|d| d.fixes.iter().filter(|f| f.safe).flat_map(|f| f.edits.iter().cloned()))
        .collect();
    review.chain_fix = (!edits.is_empty()).then(|| leasekit_sdl::apply_fixes(&inputs.sdl, &edits).ok()).flatten();
    Ok(review)
}

/// The review of `summary`, made from `inputs`.
fn review_of(inputs: ReviewInputs, summary: &OrderSummary, dseq: u64, simulated: bool) -> Review {
    let message_json = inputs.owner.as_deref().map(|owner| message_json(summary, owner, dseq));
    Review {
        lines: summary.lines(),
        message_json,
        version: summary.version_hex.clone(),
        refusal: summary.refusal(),
        chain_fix: None,
        simulated,
        inputs,
    }
}

fn message_json(summary: &OrderSummary, owner: &str, dseq: u64) -> String {
    // The message decoded field by field (leasekit_tx::json), so the tenant sees the hash, the
    // resources and the prices they sign, not protobuf bytes.
    match summary.create_message(owner, dseq) {
        Ok(any) => leasekit_tx::json::message_json(&any).to_go_indented(),
        Err(e) => format!("The chain would refuse this message: {}", e.message),
    }
}

/// The wizard's state and its runner, shared by the views.
#[derive(Clone, Copy)]
pub struct DeployCtl {
    /// The wizard state (`None`: nothing started).
    pub state: RwSignal<Option<DeployState>>,
    /// The deposit field.
    pub deposit: RwSignal<String>,
    /// A step is running.
    pub running: RwSignal<bool>,
    /// The last progress sentence.
    pub progress: RwSignal<Option<Progress>>,
    /// The last failure.
    pub error: RwSignal<Option<FlowError>>,
    /// The bids, once listed.
    pub bids: RwSignal<Option<Vec<BidOffer>>>,
    /// Only IP-capable providers.
    pub only_ip: RwSignal<bool>,
    /// The live lease's card.
    pub card: RwSignal<Option<IpCard>>,
    /// "IP kept: …" after an injection.
    pub ip_change: RwSignal<Option<String>>,
    /// The reviewed order with a simulated fee, when a wallet is connected.
    pub review: RwSignal<Option<Result<Review, String>>>,
    /// The latest block height (the dseq the message JSON shows).
    pub height: RwSignal<Option<u64>>,
    /// A close is running (Close stays available through every other step).
    pub closing: RwSignal<bool>,
    network: NetworkState,
    wallet: WalletState,
    sdl: SdlText,
    resumed: StoredValue<bool>,
    review_generation: StoredValue<u64>,
    /// Stops the running step (a close interrupts a wait for bids or for the IP).
    task: StoredValue<Option<AbortHandle>>,
}

/// Where the SDL of deployment `dseq` on `network` is kept, for its card and env injection in
/// the Deployments view.
#[must_use]
pub fn sdl_key(network: &str, dseq: u64) -> String {
    browser::keys::deployment_sdl(network, dseq)
}

/// Remembers the state's SDL under its dseq.
pub fn save_sdl(state: &DeployState) {
    if let Some(dseq) = state.dseq {
        browser::save(&sdl_key(&state.network, dseq), &state.sdl);
    }
}

fn save_state(state: &DeployState) {
    browser::save(STATE_KEY, &state.to_json());
    save_sdl(state);
}

impl DeployCtl {
    /// The wizard, with the state saved by the last visit.
    #[must_use]
    pub fn new(network: NetworkState, wallet: WalletState, sdl: SdlText) -> Self {
        let saved = browser::load(STATE_KEY).and_then(|json| DeployState::from_json(&json).ok());
        let ctl = Self {
            state: RwSignal::new(saved),
            deposit: RwSignal::new(browser::load(DEPOSIT_KEY).unwrap_or_else(|| DEFAULT_DEPOSIT.to_owned())),
            running: RwSignal::new(false),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            bids: RwSignal::new(None),
            only_ip: RwSignal::new(browser::load(ONLY_IP_KEY).is_none_or(|v| v != "false")),
            card: RwSignal::new(None),
            ip_change: RwSignal::new(None),
            review: RwSignal::new(None),
            height: RwSignal::new(None),
            closing: RwSignal::new(false),
            network,
            wallet,
            sdl,
            resumed: StoredValue::new(false),
            review_generation: StoredValue::new(0),
            task: StoredValue::new(None),
        };
        Effect::new(move |_| browser::save(DEPOSIT_KEY, &ctl.deposit.get()));
        Effect::new(move |_| browser::save(ONLY_IP_KEY, if ctl.only_ip.get() { "true" } else { "false" }));
        // An unfinished deploy continues as soon as its owner's wallet is back.
        Effect::new(move |_| {
            let address = ctl.wallet.address();
            if ctl.resumed.get_value() {
                return;
            }
            let Some(address) = address else { return };
            let resumable = ctl.state.with_untracked(|s| {
                s.as_ref().is_some_and(|s| {
                    s.owner == address && !matches!(s.step, Step::Review | Step::Closed { .. } | Step::Failed { .. })
                })
            });
            if resumable {
                ctl.resumed.set_value(true);
                ctl.run(Action::Resume);
            }
        });
        ctl
    }

    /// The wallet state.
    #[must_use]
    pub fn wallet(self) -> WalletState {
        self.wallet
    }

    fn current_deployer(self) -> Option<Rc<AppDeployer>> {
        let wallet = self.wallet.wallet.get_untracked()?;
        Some(deployer(&self.network.current.get_untracked(), &wallet))
    }

    fn hooks(self) -> Hooks<'static> {
        Hooks::new(
            move |progress| self.progress.set(Some(progress)),
            move |state: &DeployState| {
                save_state(state);
                self.state.set(Some(state.clone()));
            },
        )
    }

    /// Signs and creates the deployment for the current SDL and deposit.
    pub fn create(self) {
        self.run(Action::Create);
    }

    /// Resumes from the saved state (the Retry button).
    pub fn retry(self) {
        self.run(Action::Resume);
    }

    /// Accepts a bid.
    pub fn accept(self, bid: BidId) {
        self.run(Action::Accept(bid));
    }

    /// Injects the leased IP as `var`.
    pub fn inject(self, var: String) {
        self.run(Action::Inject(var));
    }

    /// Closes the deployment, after the tenant confirms. A step still running (waiting for bids,
    /// for the IP) is stopped first: the saved checkpoint names the deployment, and closing it
    /// ends whatever that step was waiting for.
    pub fn close(self) {
        if self.closing.get_untracked() {
            return;
        }
        let confirmed = window()
            .confirm_with_message("Close this deployment? Its leases end and the rest of the deposit is refunded.")
            .unwrap_or(true);
        if !confirmed {
            return;
        }
        if self.running.get_untracked() {
            if let Some(task) = self.task.get_value() {
                task.abort();
            }
            self.running.set(false);
        }
        self.run(Action::Close);
    }

    /// Drops the wizard state (after a deploy is live or closed) to start a new one.
    pub fn start_over(self) {
        if self.running.get_untracked() {
            return;
        }
        browser::remove(STATE_KEY);
        self.state.set(None);
        self.error.set(None);
        self.progress.set(None);
        self.bids.set(None);
        self.card.set(None);
        self.ip_change.set(None);
        // The next review is of the SDL in the editor now, not of the deployment just finished.
        self.review.set(None);
        self.refresh_review();
    }

    fn run(self, action: Action) {
        if self.running.get_untracked() {
            return;
        }
        let Some(deployer) = self.current_deployer() else {
            self.error.set(Some(FlowError::new(
                StepKind::Create,
                "Connect a wallet (Keplr, Leap or a dev key) to sign.",
                false,
            )));
            return;
        };
        let mut state = match (&action, self.state.get_untracked()) {
            (Action::Create, None | Some(DeployState { step: Step::Review, .. })) => {
                deployer.new_state(&self.sdl.source.get_untracked(), &self.deposit.get_untracked())
            }
            (_, Some(state)) => state,
            (_, None) => return,
        };
        self.running.set(true);
        self.closing.set(matches!(action, Action::Close));
        self.error.set(None);
        if matches!(action, Action::Inject(_)) {
            self.ip_change.set(None);
        }
        let (step, task) = futures_util::future::abortable(async move {
            let mut hooks = self.hooks();
            let result = self.act(&deployer, &mut state, action, &mut hooks).await;
            let result = match result {
                Ok(()) => self.drive(&deployer, &mut state, &mut hooks).await,
                Err(e) => Err(e),
            };
            if let Err(error) = result {
                if !matches!(state.step, Step::Failed { .. }) {
                    state.step =
                        Step::Failed { step: error.step, message: error.message.clone(), retryable: error.retryable };
                }
                save_state(&state);
                self.state.set(Some(state));
                self.error.set(Some(error));
            } else {
                save_state(&state);
                self.state.set(Some(state));
            }
            self.running.set(false);
            self.closing.set(false);
        });
        self.task.set_value(Some(task));
        leptos::task::spawn_local(async move {
            // An aborted step ends here; whoever aborted it took over.
            let _ = step.await;
        });
    }

    async fn act(
        self,
        deployer: &AppDeployer,
        state: &mut DeployState,
        action: Action,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        match action {
            Action::Create => {
                save_state(state);
                self.state.set(Some(state.clone()));
                deployer.create_deployment(state, hooks).await
            }
            Action::Resume => deployer.resume(state, hooks).await,
            Action::Accept(bid) => deployer.accept_bid(state, &bid, hooks).await,
            Action::Inject(var) => {
                let change = deployer.inject_ip_env(state, &var, hooks).await?;
                // The SDL now carries the variable: the editor shows what was deployed.
                self.sdl.editor_text.set(change.sdl.clone());
                self.sdl.source.set(change.sdl.clone());
                browser::store_source(&change.sdl);
                self.ip_change.set(Some(change.text()));
                Ok(())
            }
            Action::Close => {
                deployer.close(state, hooks).await?;
                self.card.set(None);
                Ok(())
            }
        }
    }

    /// Moves on from where `state` is as far as the flow can without the tenant: confirms
    /// pending transactions, lists bids, sends the manifest, waits for the IP.
    async fn drive(
        self,
        deployer: &AppDeployer,
        state: &mut DeployState,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        // Each pass makes progress or stops; the bound only guards against a state that loops.
        for _ in 0..8 {
            match state.step {
                Step::Creating { .. } | Step::Accepting { .. } => deployer.resume(state, hooks).await?,
                Step::Bidding { .. } => {
                    self.bids.set(None);
                    let offers = deployer.wait_for_bids(state, hooks).await?;
                    self.bids.set(Some(offers));
                    return Ok(());
                }
                Step::SendingManifest { .. } => deployer.send_manifest(state, hooks).await?,
                Step::Live { .. } => {
                    save_state(state);
                    self.state.set(Some(state.clone()));
                    self.bids.set(None);
                    let card = deployer.wait_for_ip(state, hooks).await?;
                    self.card.set(Some(card));
                    return Ok(());
                }
                Step::Review | Step::Closed { .. } | Step::Failed { .. } => return Ok(()),
            }
        }
        Ok(())
    }

    /// Replaces the SDL (a fix from the review): the editor, the saved text and the review follow.
    pub fn replace_sdl(self, text: String) {
        browser::store_source(&text);
        self.sdl.editor_text.set(text.clone());
        self.sdl.source.set(text);
    }

    /// What a review made now would be made of.
    #[must_use]
    pub fn review_inputs(self) -> ReviewInputs {
        ReviewInputs {
            sdl: self.sdl.source.get(),
            deposit: self.deposit.get(),
            network: self.network.current.get(),
            owner: self.wallet.address(),
        }
    }

    fn review_inputs_untracked(self) -> ReviewInputs {
        untrack(|| self.review_inputs())
    }

    /// Refreshes the review with a simulated fee and the exact message (needs a wallet: the
    /// owner is part of the message). Results of older calls are dropped.
    pub fn refresh_review(self) {
        let generation = self.review_generation.get_value() + 1;
        self.review_generation.set_value(generation);
        let Some(wallet) = self.wallet.wallet.get_untracked() else {
            self.review.set(None);
            return;
        };
        let inputs = self.review_inputs_untracked();
        leptos::task::spawn_local(async move {
            let network = inputs.network.clone();
            let height = ChainClient::new(BrowserTransport::new(), &network.chain_rest).latest_height().await.ok();
            let deployer = deployer(&network, &wallet);
            let state = deployer.new_state(&inputs.sdl, &inputs.deposit);
            let result = match deployer.review(&state).await {
                // The flow falls back to the fixed gas when the node cannot simulate.
                Ok(summary) => {
                    let simulated = summary.fee.gas_limit != network.fallback_gas;
                    Ok(review_of(inputs, &summary, height.unwrap_or(1), simulated))
                }
                Err(e) => Err(e.message),
            };
            if self.review_generation.get_value() == generation {
                self.height.set(height);
                self.review.set(Some(result));
            }
        });
    }
}

fn step_command(
    kind: StepKind,
    state: Option<&DeployState>,
    network: &Network,
    deposit: &str,
    owner: Option<&str>,
    height: Option<u64>,
) -> Option<String> {
    let ctx = CliContext::for_network(network);
    let dseq = state.and_then(|s| s.dseq).or(height);
    let lease = state.and_then(|s| s.lease.clone());
    match kind {
        StepKind::Create => Some(commands::create_deployment(&ctx, "deploy.yaml", dseq.unwrap_or(0), deposit)),
        StepKind::Bids => Some(commands::list_bids(&ctx, owner?, dseq?)),
        StepKind::Accept => {
            let bid = lease.or_else(|| match state.map(|s| &s.step) {
                Some(Step::Accepting { bid, .. }) => Some(bid.clone()),
                _ => None,
            })?;
            Some(commands::create_lease(&ctx, &bid))
        }
        StepKind::Manifest => Some(commands::send_manifest(&ctx, "deploy.yaml", &lease?)),
        StepKind::Live => Some(commands::lease_status(&ctx, &lease?)),
        StepKind::Close => Some(commands::close_deployment(&ctx, dseq?)),
    }
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
        let owner = wallet.address();
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
                    .then(|| step_command(kind, state.as_ref(), &net, &deposit, owner.as_deref(), height))
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

    // The review: the local one at once, replaced by the simulated one when it arrives. The
    // section itself is built once, so an open "Message JSON" stays open when the fee arrives.
    // A simulated review is used only while its inputs are the current ones.
    let review = Memo::new(move |_| {
        let inputs = ctl.review_inputs();
        let local = local_review(&inputs, ctl.height.get().unwrap_or(1));
        let simulated = ctl.review.get().filter(|r| r.as_ref().map_or(true, |r| r.inputs == inputs));
        match (simulated, local) {
            (Some(Ok(simulated)), Ok(local)) => (Ok(Review { chain_fix: local.chain_fix, ..simulated }), None),
            (Some(Err(message)), Ok(local)) => (Ok(local), Some(message)),
            (_, local) => (local, None),
        }
    });
    let refusal = move || review.with(|(r, _)| r.as_ref().ok().and_then(|r| r.refusal.clone()));
    let can_sign = move || {
        review.with(|(r, _)| r.as_ref().is_ok_and(|r| r.refusal.is_none())) && wallet.wallet.with(Option::is_some)
    };
    let review_section = move || {
        let lines = move || match review.get().0 {
            Ok(review) => view! {
                <ul class="order-lines">
                    {review.lines.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                </ul>
                <p class="review-version">
                    "Manifest version (what you sign): "
                    <code data-testid="review-version">{review.version.clone()}</code>
                </p>
                <p class="hint">
                    {if review.simulated {
                        "The fee is the simulated gas × 1.5 at the network's gas price; the wallet may change it."
                    } else {
                        "The fee shown is for the fallback gas limit; with a wallet connected it is simulated."
                    }}
                </p>
            }
            .into_any(),
            Err(message) => view! { <p class="unavailable">{message}</p> }.into_any(),
        };
        let simulate_error = move || {
            review.get().1.map(|m| view! { <p class="hint">{format!("Could not simulate the transaction: {m}")}</p> })
        };
        let json = move || match review.get().0.ok().and_then(|r| r.message_json) {
            Some(json) => view! {
                <pre class="json" data-testid="message-json" tabindex="0">{json}</pre>
                <p class="hint">"The deployment sequence (dseq) is the chain's block height when you sign."</p>
            }
            .into_any(),
            None => view! {
                <p class="hint" data-testid="message-json-unavailable">
                    "Connect a wallet and write a valid SDL: the message names the wallet's account as the owner."
                </p>
            }
            .into_any(),
        };
        view! {
            <section class="panel deploy-panel" aria-labelledby="review-heading">
                <div class="panel-header">
                    <h2 id="review-heading">"Review the order"</h2>
                </div>
                <div class="panel-body">
                    <label class="field">
                        <span>"Deposit"</span>
                        <input
                            type="text"
                            spellcheck="false"
                            prop:value=move || ctl.deposit.get()
                            on:change=move |event| ctl.deposit.set(event_target_value(&event).trim().to_owned())
                        />
                    </label>
                    {lines}
                    {simulate_error}
                    <details class="message-json">
                        <summary>"Message JSON"</summary>
                        {json}
                    </details>
                    <div class="actions">
                        <button
                            type="button"
                            class="button primary"
                            disabled=move || !can_sign() || ctl.running.get()
                            on:click=move |_| ctl.create()
                        >
                            "Sign and create deployment"
                        </button>
                        {move || match refusal() {
                            Some(reason) => {
                                let fix = review.with(|(r, _)| r.as_ref().ok().and_then(|r| r.chain_fix.clone()));
                                Some(view! {
                                    <span class="field-error" data-testid="sign-refusal">
                                        {format!("The chain would refuse this order: {reason}.")}
                                    </span>
                                    {fix.map(|fixed| view! {
                                        <button type="button" class="button small" data-testid="review-fix"
                                            on:click=move |_| ctl.replace_sdl(fixed.clone())>
                                            "Price in uact (same amount)"
                                        </button>
                                    })}
                                }.into_any())
                            }
                            None => wallet
                                .wallet
                                .with(Option::is_none)
                                .then(|| view! { <span class="hint">"Connect a wallet above to sign."</span> }.into_any()),
                        }}
                    </div>
                </div>
            </section>
        }
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
                view! {
                    {(hidden > 0).then(|| view! { <p class="hint">{format!("{hidden} bid(s) from providers not known to lease IPs are hidden.")}</p> })}
                    <div class="table-scroll">
                        <table class="bids" aria-label="Bids">
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
                                {shown.into_iter().map(|offer| bid_row(offer, ctl)).collect_view()}
                            </tbody>
                        </table>
                    </div>
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
        let lease = ctl.state.with(|s| match s.as_ref().map(|s| &s.step) {
            Some(Step::Live { lease }) => Some(lease.clone()),
            _ => None,
        })?;
        let var = RwSignal::new(DEFAULT_VAR.to_owned());
        let card = move || ctl.card.get().map(|card| view! { <IpCardView card=card on_notice=on_notice /> });
        let net = network.get();
        let ctx = CliContext::for_network(&net);
        let dseq = lease.dseq;
        Some(view! {
            <section class="panel deploy-panel" aria-labelledby="live-heading">
                <div class="panel-header">
                    <h2 id="live-heading">"Live"</h2>
                </div>
                <div class="panel-body">
                    {move || (ctl.card.with(Option::is_none)).then(|| view! { <p class="hint" role="status">"Reading the lease status…"</p> })}
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
                            <button type="button" class="button danger" disabled=move || ctl.closing.get() on:click=move |_| ctl.close()>
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
            <Show when=in_review>{review_section}</Show>
            {bids_section}
            {live_section}
            {finished}
            {move || {
                (!ctl.running.get()
                    && ctl.state.with(|s| {
                        matches!(s.as_ref().map(|s| &s.step), Some(Step::Live { .. } | Step::Closed { .. } | Step::Failed { .. }))
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
    let denom = offer.bid.price.denom.as_str();
    view! {
        <tr data-provider=provider.clone()>
            <td>
                <code class="address">{provider.clone()}</code>
                {offer.host_uri.clone().map(|u| view! { <span class="muted-cell">{format!(" {u}")}</span> })}
                {status.map(|s| view! { <span class="muted-cell">{s}</span> })}
            </td>
            <td><Amount human=amount::for_people(&offer.price_per_block, denom) raw=format!("{}{denom}", offer.price_per_block) /></td>
            <td><Amount human=amount::estimate_for_people(&offer.price_per_month, denom, 2) raw=format!("{}{denom}", offer.price_per_month) /></td>
            <td>{capability}</td>
            <td class="num">{free}</td>
            <td class="attributes">{attributes}</td>
            <td>
                <button
                    type="button"
                    class="button primary small"
                    aria-label=format!("Accept bid from {provider}")
                    disabled=move || ctl.running.get()
                    on:click=move |_| ctl.accept(id.clone())
                >
                    "Accept"
                </button>
            </td>
        </tr>
    }
}
