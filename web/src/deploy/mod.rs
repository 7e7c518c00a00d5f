//! The deploy wizard: review the order → create the deployment → bids → accept → manifest →
//! live, over `leasekit-deploy`'s [`Deployer`].
//!
//! [`DeployCtl`] lives for the whole page (the Deploy view can be left and re-entered while a
//! step runs). It keeps the [`DeployState`] in a signal and in `localStorage` at every
//! checkpoint the flow hands to its `save` hook — notably right after a transaction is signed
//! and before it is broadcast — so a reload resumes with [`Deployer::resume`], which asks the
//! chain what happened instead of signing again. Every failure is shown with the flow's
//! sentence and a "Retry" that resumes from the saved state.

mod review;
mod view;

use review::review_of;
pub use review::{Review, ReviewInputs, local_review};
pub use view::DeployView;

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::AbortHandle;
use leasekit_client::ChainClient;
use leasekit_client::browser::BrowserTransport;
use leasekit_deploy::flow::Next;
use leasekit_deploy::lease::IpCard;
use leasekit_deploy::network::Network;
use leasekit_deploy::state::{DeployState, Step, StepKind};
use leasekit_deploy::{BidOffer, Deployer, FlowError, Hooks, Progress};
use leasekit_tx::msgs::BidId;
use leptos::prelude::*;

use crate::browser;
use crate::network::NetworkState;
use crate::playground::SdlText;
use crate::wallet::{AppWallet, WalletState};

/// Where the wizard state is kept between visits.
pub const STATE_KEY: &str = browser::keys::DEPLOY_STATE;
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
    /// The live leases' cards, one per group (empty until read).
    pub cards: RwSignal<Vec<IpCard>>,
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

/// Remembers the state's SDL under its dseq.
pub fn save_sdl(state: &DeployState) {
    if let Some(dseq) = state.dseq {
        browser::save(&browser::keys::deployment_sdl(&state.network, dseq), &state.sdl);
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
            deposit: RwSignal::new(browser::load(browser::keys::DEPOSIT).unwrap_or_else(|| DEFAULT_DEPOSIT.to_owned())),
            running: RwSignal::new(false),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            bids: RwSignal::new(None),
            only_ip: RwSignal::new(browser::load(browser::keys::ONLY_IP_BIDS).is_none_or(|v| v != "false")),
            cards: RwSignal::new(Vec::new()),
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
        Effect::new(move |_| browser::save(browser::keys::DEPOSIT, &ctl.deposit.get()));
        Effect::new(move |_| {
            browser::save(browser::keys::ONLY_IP_BIDS, if ctl.only_ip.get() { "true" } else { "false" })
        });
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
        .with_cards(move |cards| self.cards.set(cards.to_vec()))
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
    ///
    /// Returns whether the close was started (the tenant confirmed it).
    pub fn close(self) -> bool {
        if self.closing.get_untracked() {
            return false;
        }
        let confirmed = window()
            .confirm_with_message("Close this deployment? Its leases end and the rest of the deposit is refunded.")
            .unwrap_or(true);
        if !confirmed {
            return false;
        }
        if self.running.get_untracked() {
            if let Some(task) = self.task.get_value() {
                task.abort();
            }
            self.running.set(false);
        }
        self.run(Action::Close);
        true
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
        self.cards.set(Vec::new());
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
                self.sdl.replace(change.sdl.clone());
                self.ip_change.set(Some(change.text()));
                Ok(())
            }
            Action::Close => {
                deployer.close(state, hooks).await?;
                self.cards.set(Vec::new());
                Ok(())
            }
        }
    }

    /// Moves on as far as the flow can without the tenant (`Deployer::continue_deploy`) and
    /// shows what it stopped at: bids to pick from, or the IP cards.
    async fn drive(
        self,
        deployer: &AppDeployer,
        state: &mut DeployState,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        self.bids.set(None);
        match deployer.continue_deploy(state, hooks).await? {
            Next::Bids(offers) => self.bids.set(Some(offers)),
            Next::Live(cards) => self.cards.set(cards),
            Next::Nothing => {}
        }
        Ok(())
    }

    /// Replaces the SDL (a fix from the review): the editor, the saved text and the review follow.
    pub fn replace_sdl(self, text: String) {
        self.sdl.replace(text);
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
