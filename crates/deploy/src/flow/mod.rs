//! The deploy steps over the chain REST and the proxy, with any [`Wallet`].
//!
//! Every step takes the wizard's [`DeployState`] and [`Hooks`]: a sentence per stage goes to
//! `progress`, and the state goes to `save` whenever it changes — in particular right after a
//! transaction is signed and *before* it is broadcast (see [`crate::state`]). Failures are a
//! [`FlowError`]: a tenant-facing sentence, the stage, and whether retrying can help.
//!
//! Waiting (transactions, bids, the manifest's 404 right after the lease, the IP) polls with
//! exponential back-off through [`Transport::sleep`], so the same code runs in a browser and
//! natively and never blocks a thread.
//!
//! [`Deployer::continue_deploy`] is the wizard's loop over the steps, one file each:
//! `create` (the review and MsgCreateDeployment), `signing` (sign, broadcast, settle by hash),
//! `resume` (a saved state reconciled with the chain), `bids` (each group's bids, MsgCreateLease),
//! `provider` (the manifest, lease status, migration, the provider JWT) and `live` (the leased
//! addresses, env injection, close). A deployment has one order per placement group: each gets
//! its own lease, and the deployment is live when every group is.

mod bids;
mod create;
mod live;
mod provider;
mod resume;
mod signing;

pub use live::inject_env;

use std::cell::RefCell;

use leasekit_client::chain::{Bid, Deployment, Lease, TxResult};
use leasekit_client::{ChainClient, ClientError, ErrorKind, HttpRequest, ProviderClient, Transport};
use leasekit_sdl::json::Json;
use leasekit_sdl::{Manifest, Output};
use leasekit_sdl_edit::{Document, PathSegment, ScalarValue};
use leasekit_tx::jwt::{self, Alg, Claims, Leases};
use leasekit_tx::msgs::{self, BidId, ChainVersion, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::{Any, TypeUrl};
use leasekit_tx::tx::{self, Draft};

use crate::lease::{self, IpCard};
use crate::network::Network;
use crate::state::{DeployState, PendingTx, Step, StepKind, TxPurpose};
use crate::wallet::{Wallet, WalletError};
use crate::{amount, order};

/// A stage's progress, as a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub step: StepKind,
    /// What is happening, for the tenant.
    pub message: String,
}

/// A step that did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    /// The stage.
    pub step: StepKind,
    /// One sentence for the tenant: what failed and what to do.
    pub message: String,
    /// Whether retrying the stage can help.
    pub retryable: bool,
    /// The other side's own words, when there are any (a chain log, a provider body).
    pub detail: Option<String>,
    /// The user declined in the wallet.
    pub rejected: bool,
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FlowError {}

impl FlowError {
    /// An error of a stage.
    #[must_use]
    pub fn new(step: StepKind, message: impl Into<String>, retryable: bool) -> Self {
        FlowError { step, message: message.into(), retryable, detail: None, rejected: false }
    }

    /// A client error while `doing` something in a stage.
    #[must_use]
    pub fn client(step: StepKind, doing: &str, err: &ClientError) -> Self {
        let retryable = match err.kind {
            ErrorKind::Transport
            | ErrorKind::Timeout
            | ErrorKind::ProviderUnreachable
            | ErrorKind::Proxy
            | ErrorKind::Unauthorized => true,
            ErrorKind::Http | ErrorKind::Provider => err.http_status.is_none_or(|s| s == 404 || s >= 500),
            // A sequence mismatch, a full mempool, a transaction already in the mempool.
            ErrorKind::TxRejected => matches!(err.chain_code, Some(19 | 20 | 32)),
            ErrorKind::TxFailed | ErrorKind::Decode | ErrorKind::CertificateMismatch => false,
            ErrorKind::TargetRefused | ErrorKind::UnknownProvider => false,
        };
        FlowError {
            step,
            message: format!("{doing}: {}", err.message),
            retryable,
            detail: err.detail.clone(),
            rejected: false,
        }
    }

    fn wallet(step: StepKind, err: &WalletError) -> Self {
        let message = if err.rejected {
            format!("the wallet did not sign ({}); nothing was sent", err.message)
        } else {
            format!("the wallet could not sign: {}", err.message)
        };
        FlowError { step, message, retryable: true, detail: None, rejected: err.rejected }
    }

    fn tx(step: StepKind, err: &leasekit_tx::Error) -> Self {
        FlowError::new(step, err.message.clone(), false)
    }
}

/// Where the flow reports progress and saves the state.
pub struct Hooks<'a> {
    progress: Box<dyn FnMut(Progress) + 'a>,
    save: Box<dyn FnMut(&DeployState) + 'a>,
    cards: Box<CardsHook<'a>>,
}

/// What [`Hooks::with_cards`] calls.
type CardsHook<'a> = dyn FnMut(&[IpCard]) + 'a;

impl std::fmt::Debug for Hooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").finish_non_exhaustive()
    }
}

impl<'a> Hooks<'a> {
    /// Hooks calling `progress` with each sentence and `save` with each new state.
    pub fn new(progress: impl FnMut(Progress) + 'a, save: impl FnMut(&DeployState) + 'a) -> Self {
        Hooks { progress: Box::new(progress), save: Box::new(save), cards: Box::new(|_| {}) }
    }

    /// Also calls `cards` with the IP cards each time the flow reads them while it waits for
    /// the addresses, so a page shows a card that waits for its IP as it waits.
    #[must_use]
    pub fn with_cards(mut self, cards: impl FnMut(&[IpCard]) + 'a) -> Self {
        self.cards = Box::new(cards);
        self
    }

    /// Hooks that drop everything.
    #[must_use]
    pub fn silent() -> Hooks<'static> {
        Hooks { progress: Box::new(|_| {}), save: Box::new(|_| {}), cards: Box::new(|_| {}) }
    }

    fn say(&mut self, step: StepKind, message: impl Into<String>) {
        (self.progress)(Progress { step, message: message.into() });
    }

    fn save(&mut self, state: &DeployState) {
        (self.save)(state);
    }

    fn cards(&mut self, cards: &[IpCard]) {
        (self.cards)(cards);
    }
}

/// What [`Deployer::continue_deploy`] stopped at.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Bids for the groups still to lease: the tenant picks one.
    Bids(Vec<BidOffer>),
    /// Every group is live: its IP cards, one per lease.
    Live(Vec<IpCard>),
    /// Nothing to wait for (not started, closed, or failed).
    Nothing,
}

/// How long and how often the flow polls. Intervals start at `first_ms` and double up to
/// `max_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Polling {
    /// First interval.
    pub first_ms: u64,
    /// Longest interval.
    pub max_ms: u64,
    /// Waiting for a transaction to be included.
    pub tx_timeout_ms: u64,
    /// Waiting for the first bid.
    pub bids_timeout_ms: u64,
    /// Waiting for the manifest to be accepted (the provider may not know the lease yet).
    pub manifest_timeout_ms: u64,
    /// Waiting for a leased IP.
    pub ip_timeout_ms: u64,
    /// Waiting for the node to report an account's new sequence after a transaction landed (a
    /// load-balanced REST endpoint may answer from a node a block behind).
    pub sequence_timeout_ms: u64,
}

impl Default for Polling {
    /// Akash has ~6 s blocks: a transaction lands within a minute, providers bid within a few
    /// blocks (the TS example waits up to 3 min), the provider learns of a lease within a
    /// block or two, MetalLB assigns an address within seconds to minutes.
    fn default() -> Self {
        Polling {
            first_ms: 1_000,
            max_ms: 10_000,
            tx_timeout_ms: 90_000,
            bids_timeout_ms: 180_000,
            manifest_timeout_ms: 60_000,
            ip_timeout_ms: 300_000,
            sequence_timeout_ms: 30_000,
        }
    }
}

/// The waits between two polls of one loop: intervals from [`Polling::first_ms`] doubling to
/// [`Polling::max_ms`], until `timeout_ms` have been waited in all.
struct Backoff {
    waited_ms: u64,
    interval_ms: u64,
    max_ms: u64,
    timeout_ms: u64,
}

impl Backoff {
    fn new(polling: &Polling, timeout_ms: u64) -> Self {
        Backoff { waited_ms: 0, interval_ms: polling.first_ms.max(1), max_ms: polling.max_ms.max(1), timeout_ms }
    }

    /// The whole wait is used up: the loop gives its last answer.
    fn expired(&self) -> bool {
        self.waited_ms >= self.timeout_ms
    }

    async fn sleep<T: Transport>(&mut self, transport: &T) {
        transport.sleep(self.interval_ms).await;
        self.waited_ms += self.interval_ms;
        self.interval_ms = (self.interval_ms * 2).min(self.max_ms);
    }
}

/// Whether a provider can lease IPs, and how we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpCapability {
    /// It advertises `feat-endpoint-ip: true` (Akash Console's attribute) or `ip-lease: true`.
    Advertised,
    /// It bid on an order that needs IPs: providers without an IP operator or free addresses do
    /// not bid on those (provider.md §4.6).
    ProvenByBid,
    /// Neither: the order needs no IP and the provider advertises nothing.
    Unknown,
}

impl IpCapability {
    /// Advertised or proven.
    #[must_use]
    pub fn capable(self) -> bool {
        self != IpCapability::Unknown
    }
}

/// A bid with what the tenant needs to choose it.
#[derive(Debug, Clone, PartialEq)]
pub struct BidOffer {
    /// The bid (its id goes into [`Deployer::accept_bid`]).
    pub bid: Bid,
    /// Price per block, exact decimal text in the bid's denom.
    pub price_per_block: String,
    /// Estimated price per month, rounded to whole units.
    pub price_per_month: String,
    /// The provider's `host_uri`, when registered.
    pub host_uri: Option<String>,
    /// The provider's attributes.
    pub attributes: Vec<(String, String)>,
    /// IP leasing.
    pub ip_capability: IpCapability,
    /// Free leased-IP addresses, from the provider's gRPC status (`None` when it could not be
    /// read, or the provider has no leased-IP pool).
    pub free_ips: Option<u64>,
    /// Addresses the bid's group needs.
    pub ips_needed: usize,
    /// `/status` answered through the proxy.
    pub reachable: bool,
    /// Which TLS check the proxy's connection to the provider passed.
    pub tls: Option<leasekit_client::provider::TlsCheck>,
    /// Why `/status` failed, when it did.
    pub status_error: Option<String>,
}

impl BidOffer {
    /// Why accepting this bid may leave the group without its addresses: the provider reports
    /// fewer free leased IPs than the group needs (they may have gone to others since it bid).
    /// `None` when it reports enough, or does not say.
    #[must_use]
    pub fn ip_warning(&self) -> Option<String> {
        let free = self.free_ips?;
        let needed = u64::try_from(self.ips_needed).unwrap_or(u64::MAX);
        (free < needed).then(|| {
            let noun = if needed == 1 { "address" } else { "addresses" };
            format!(
                "{} reports {free} free leased IP {} but this group needs {needed} {noun}: the lease may wait for an \
                 IP that never comes",
                self.bid.id.provider,
                if free == 1 { "address" } else { "addresses" }
            )
        })
    }
}

/// The IPs before and after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpChange {
    /// Leased addresses before.
    pub before: Vec<String>,
    /// Leased addresses after.
    pub after: Vec<String>,
    /// The same addresses.
    pub kept: bool,
    /// The updated SDL text.
    pub sdl: String,
}

impl IpChange {
    /// `IP kept: 203.0.113.1` or `IP changed: … → …`.
    #[must_use]
    pub fn text(&self) -> String {
        if self.kept {
            format!("IP kept: {}", self.after.join(", "))
        } else {
            format!("IP changed: {} → {}", self.before.join(", "), self.after.join(", "))
        }
    }
}

/// One deployment of the owner with its leases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentEntry {
    /// The deployment.
    pub deployment: Deployment,
    /// Its leases (any state).
    pub leases: Vec<Lease>,
}

/// One page of the Deployments list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentPage {
    /// The page's deployments, newest first.
    pub entries: Vec<DeploymentEntry>,
    /// The key of the next page; `None` on the last.
    pub next_key: Option<String>,
}

/// A transaction that did not land, and whether its fate is known.
struct Unsettled {
    error: FlowError,
    /// True: it will never land (rejected, or included and failed); false: it may still.
    definite: bool,
}

/// Seconds a provider token is valid (the Go client uses 15 min; short keeps a leaked token
/// of little use).
pub const TOKEN_LIFETIME_SECONDS: u64 = 600;

/// The deploy flow for one tenant on one network.
pub struct Deployer<T, W> {
    network: Network,
    transport: T,
    chain: ChainClient<T>,
    providers: ProviderClient<T>,
    wallet: W,
    clock: Option<Box<dyn Fn() -> u64>>,
    polling: Polling,
    node: RefCell<Option<(String, Option<ChainVersion>)>>,
    token: RefCell<Option<(String, u64)>>,
    /// The account sequence of the last transaction seen landing: the next one must be signed
    /// at a later sequence, whatever a lagging node says.
    landed_sequence: std::cell::Cell<Option<u64>>,
}

impl<T, W> std::fmt::Debug for Deployer<T, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deployer").field("network", &self.network).finish_non_exhaustive()
    }
}

impl<T: Transport + Clone, W: Wallet> Deployer<T, W> {
    /// A flow on `network` through `transport`, signing with `wallet`. Provider tokens are
    /// dated by the chain's latest block time unless [`Deployer::with_clock`] gives a clock.
    pub fn new(network: Network, transport: T, wallet: W) -> Self {
        Deployer {
            chain: ChainClient::new(transport.clone(), &network.chain_rest),
            providers: ProviderClient::new(transport.clone(), &network.proxy),
            transport,
            network,
            wallet,
            clock: None,
            polling: Polling::default(),
            node: RefCell::new(None),
            token: RefCell::new(None),
            landed_sequence: std::cell::Cell::new(None),
        }
    }

    /// Uses `now` (Unix seconds) to date provider tokens.
    #[must_use]
    pub fn with_clock(mut self, now: impl Fn() -> u64 + 'static) -> Self {
        self.clock = Some(Box::new(now));
        self
    }

    /// Uses other polling intervals and timeouts.
    #[must_use]
    pub fn with_polling(mut self, polling: Polling) -> Self {
        self.polling = polling;
        self
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The wallet.
    pub fn wallet(&self) -> &W {
        &self.wallet
    }

    /// The chain client.
    pub fn chain(&self) -> &ChainClient<T> {
        &self.chain
    }

    /// The provider client (through the proxy).
    pub fn providers(&self) -> &ProviderClient<T> {
        &self.providers
    }

    /// A fresh state for an SDL and a deposit, owned by the wallet's account.
    pub fn new_state(&self, sdl: &str, deposit: &str) -> DeployState {
        DeployState::new(&self.network.name, &self.wallet.address(), sdl, deposit)
    }

    /// Moves the deploy on from where `state` is as far as it can go without the tenant:
    /// confirms pending transactions, sends the manifest once every group is leased, and waits
    /// for what the tenant acts on next — the bids of a group still to lease, or the IP cards of
    /// a live deployment. This is the wizard's loop; a UI renders what it returns.
    ///
    /// # Errors
    /// What the step it was at ran into (the state is saved as far as it got).
    pub async fn continue_deploy(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<Next, FlowError> {
        // Each pass makes progress or returns; the bound only guards against a state that loops.
        for _ in 0..8 {
            match state.step {
                Step::Creating { .. } | Step::Accepting { .. } => self.resume(state, hooks).await?,
                Step::Bidding { .. } => return self.wait_for_bids(state, hooks).await.map(Next::Bids),
                Step::SendingManifest => self.send_manifest(state, hooks).await?,
                Step::Live => {
                    // Shown as live while the addresses come.
                    hooks.save(state);
                    return self.wait_for_ip(state, hooks).await.map(Next::Live);
                }
                Step::Review | Step::Closed { .. } | Step::Failed { .. } => return Ok(Next::Nothing),
            }
        }
        Ok(Next::Nothing)
    }
}

fn build(sdl: &str, step: StepKind) -> Result<Output, FlowError> {
    let built = leasekit_sdl::build(sdl);
    built.output.ok_or_else(|| {
        let first = built.diagnostics.all().first().map(|d| d.message.clone()).unwrap_or_default();
        FlowError::new(step, format!("the SDL has errors: {first}"), false)
    })
}

fn deposit_of(text: &str) -> Result<Coin, FlowError> {
    Coin::parse(text.trim()).map_err(|e| FlowError::new(StepKind::Create, e.message, false))
}

fn dseq_of(step: &Step) -> u64 {
    match step {
        Step::Creating { dseq, .. } | Step::Bidding { dseq } | Step::Closed { dseq } => *dseq,
        Step::Accepting { bid, .. } => bid.dseq,
        Step::SendingManifest | Step::Live | Step::Review | Step::Failed { .. } => 0,
    }
}

fn short_hash(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.chars().take(200).collect()
}
