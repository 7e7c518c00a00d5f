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
}

impl std::fmt::Debug for Hooks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").finish_non_exhaustive()
    }
}

impl<'a> Hooks<'a> {
    /// Hooks calling `progress` with each sentence and `save` with each new state.
    pub fn new(progress: impl FnMut(Progress) + 'a, save: impl FnMut(&DeployState) + 'a) -> Self {
        Hooks { progress: Box::new(progress), save: Box::new(save) }
    }

    /// Hooks that drop everything.
    #[must_use]
    pub fn silent() -> Hooks<'static> {
        Hooks { progress: Box::new(|_| {}), save: Box::new(|_| {}) }
    }

    fn say(&mut self, step: StepKind, message: impl Into<String>) {
        (self.progress)(Progress { step, message: message.into() });
    }

    fn save(&mut self, state: &DeployState) {
        (self.save)(state);
    }
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
        }
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
    /// Free leased-IP addresses, when the provider's status tells (the REST `/status` of
    /// current providers does not, provider.md §2.5).
    pub free_ips: Option<u64>,
    /// `/status` answered through the proxy.
    pub reachable: bool,
    /// Why `/status` failed, when it did.
    pub status_error: Option<String>,
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

    /// The order of a state's SDL in words, with the fee estimated by simulating the create
    /// transaction (the fallback gas when the account cannot simulate yet).
    ///
    /// # Errors
    /// The SDL has errors or the deposit is malformed.
    pub async fn review(&self, state: &DeployState) -> Result<order::OrderSummary, FlowError> {
        let output = build(&state.sdl, StepKind::Create)?;
        let deposit = deposit_of(&state.deposit)?;
        let placeholder = order::OrderSummary::new(&output, &deposit, &self.network.fee(1), self.network.block_time_ms);
        let dseq = self.chain.latest_height().await.unwrap_or(1).max(1);
        let gas = match placeholder.create_message(&state.owner, dseq) {
            Ok(message) => self.simulate(vec![message], StepKind::Create).await.ok().flatten(),
            Err(e) => return Err(FlowError::tx(StepKind::Create, &e)),
        };
        let fee = self.network.fee(self.network.gas_limit(gas));
        Ok(order::OrderSummary::new(&output, &deposit, &fee, self.network.block_time_ms))
    }

    /// Signs and broadcasts MsgCreateDeployment (dseq = the latest block height), then waits
    /// for it. The state is saved with the signed transaction before the broadcast.
    ///
    /// # Errors
    /// A failure at any point; when the transaction's fate is unknown the state keeps it and
    /// [`Deployer::resume`] finds out.
    pub async fn create_deployment(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Create;
        if state.pending.is_some() || !matches!(state.step, Step::Review | Step::Failed { step: StepKind::Create, .. })
        {
            // Something was signed or exists already: find out what instead of signing again.
            return self.resume(state, hooks).await;
        }
        self.check_owner(state, step)?;
        let output = build(&state.sdl, step)?;
        let deposit = deposit_of(&state.deposit)?;
        hooks.say(step, "Reading the chain's latest block height for the deployment sequence.");
        let (_, version) = self.node_info(step).await?;
        let height =
            self.chain.latest_height().await.map_err(|e| FlowError::client(step, "reading the latest block", &e))?;
        // The height is unique per block (a chain at genesis is at 0, and dseq 0 is invalid); a
        // deployment created at this height by another tab would already hold it.
        let mut dseq = height.max(1);
        while self
            .chain
            .deployment(&state.owner, dseq)
            .await
            .map_err(|e| FlowError::client(step, "checking the dseq", &e))?
            .is_some()
        {
            dseq += 1;
        }
        let params = CreateDeployment {
            owner: &state.owner,
            dseq,
            deposit: Deposit::from_balance(deposit),
            chain_version: version,
        };
        let message = msgs::create_deployment(&output, &params).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCreateDeployment (dseq {dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Create, step).await?;
        state.dseq = Some(dseq);
        state.step = Step::Creating { dseq, tx_hash: pending.hash.clone() };
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }

    /// Reconciles a saved state with the chain and continues as far as it can without signing
    /// anything new: a recorded transaction is looked up by hash (and the deployment or lease
    /// it creates by id) and, if the chain never saw it, re-broadcast with the same bytes; a
    /// lease whose manifest was not accepted gets the manifest.
    ///
    /// # Errors
    /// What the reconciliation ran into.
    pub async fn resume(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        if state.pending.is_some() {
            self.settle(state, hooks).await?;
        }
        match state.step.clone() {
            Step::Failed { .. } => {
                self.reposition(state, hooks).await?;
                if matches!(state.step, Step::SendingManifest { .. }) {
                    self.send_manifest(state, hooks).await?;
                }
                Ok(())
            }
            Step::SendingManifest { .. } => self.send_manifest(state, hooks).await,
            Step::Bidding { dseq } => {
                let step = StepKind::Bids;
                match self
                    .chain
                    .deployment(&state.owner, dseq)
                    .await
                    .map_err(|e| FlowError::client(step, "reading the deployment", &e))?
                {
                    Some(d) if d.state == "closed" => {
                        state.step = Step::Closed { dseq };
                        hooks.save(state);
                        hooks.say(step, format!("Deployment {dseq} was closed."));
                    }
                    Some(_) => hooks.say(step, format!("Deployment {dseq} is open; waiting for bids.")),
                    None => {
                        return Err(FlowError::new(
                            step,
                            format!("the chain has no deployment {dseq} of this account"),
                            false,
                        ));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// After a failure without a pending transaction: place the state where the chain says.
    async fn reposition(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = state.step.kind();
        let Some(dseq) = state.dseq else {
            state.step = Step::Review;
            hooks.save(state);
            return Ok(());
        };
        let deployment = self
            .chain
            .deployment(&state.owner, dseq)
            .await
            .map_err(|e| FlowError::client(step, "reading the deployment", &e))?;
        match deployment {
            None => {
                state.dseq = None;
                state.lease = None;
                state.step = Step::Review;
            }
            Some(d) if d.state == "closed" => state.step = Step::Closed { dseq },
            Some(_) => {
                let leases = self
                    .chain
                    .leases(&state.owner, Some(dseq))
                    .await
                    .map_err(|e| FlowError::client(step, "listing the leases", &e))?;
                match leases.into_iter().find(|l| l.state == "active") {
                    Some(lease) => {
                        state.lease = Some(lease.id.clone());
                        state.step = Step::SendingManifest { lease: lease.id };
                    }
                    None => state.step = Step::Bidding { dseq },
                }
            }
        }
        hooks.save(state);
        Ok(())
    }

    /// Settles the pending transaction: looks it up, re-broadcasts the same bytes if the chain
    /// never saw it, waits, and moves the state on.
    async fn settle(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let Some(pending) = state.pending.clone() else { return Ok(()) };
        let step = match pending.purpose {
            TxPurpose::Create => StepKind::Create,
            TxPurpose::Lease => StepKind::Accept,
            TxPurpose::Update => StepKind::Live,
            TxPurpose::Close => StepKind::Close,
        };
        let landed = match self.look_up(state, &pending, step).await {
            Ok(Some(result)) => Ok(result),
            Err(unsettled) => Err(unsettled),
            Ok(None) => {
                hooks.say(step, format!("Broadcasting transaction {}.", short_hash(&pending.hash)));
                self.broadcast_and_wait(&pending, step, hooks).await
            }
        };
        match landed {
            Ok(result) => {
                self.advance(state, &pending, result.height, hooks);
                Ok(())
            }
            Err(Unsettled { error, definite }) => {
                // A definite outcome (rejected, or included and failed) clears the record so the
                // tenant can sign again; an unknown one keeps it for `resume`.
                if definite {
                    state.pending = None;
                    state.step = Step::Failed { step, message: error.message.clone(), retryable: error.retryable };
                    if pending.purpose == TxPurpose::Create {
                        state.dseq = None;
                    }
                    hooks.save(state);
                }
                Err(error)
            }
        }
    }

    /// What the chain knows of a pending transaction: its result by hash, or the object it
    /// creates (a deployment, a lease) standing in for it. `None`: never seen.
    async fn look_up(
        &self,
        state: &DeployState,
        pending: &PendingTx,
        step: StepKind,
    ) -> Result<Option<TxResult>, Unsettled> {
        let unknown =
            |doing: &str, e: &ClientError| Unsettled { error: FlowError::client(step, doing, e), definite: false };
        if let Some(result) =
            self.chain.tx(&pending.hash).await.map_err(|e| unknown("looking up the transaction", &e))?
        {
            if result.code != 0 {
                let message = format!(
                    "the transaction was included but failed: {} (code {})",
                    short(&result.raw_log),
                    result.code
                );
                let error = FlowError { step, message, retryable: true, detail: Some(result.raw_log), rejected: false };
                return Err(Unsettled { error, definite: true });
            }
            return Ok(Some(result));
        }
        // Nodes that do not index transactions never find one by hash: what it created or
        // changed stands in for it.
        let dseq = state.dseq.unwrap_or_default();
        let deployment = || async {
            self.chain.deployment(&state.owner, dseq).await.map_err(|e| unknown("reading the deployment", &e))
        };
        let exists = match pending.purpose {
            TxPurpose::Create => deployment().await?.is_some(),
            TxPurpose::Lease => self
                .chain
                .leases(&state.owner, Some(dseq))
                .await
                .map_err(|e| unknown("listing the leases", &e))?
                .iter()
                .any(|l| l.state == "active"),
            TxPurpose::Update => {
                let version = pending.sdl.as_deref().and_then(|sdl| leasekit_sdl::build(sdl).output).map(|o| o.version);
                deployment().await?.is_some_and(|d| version.is_some_and(|v| d.hash == v))
            }
            TxPurpose::Close => deployment().await?.is_some_and(|d| d.state == "closed"),
        };
        Ok(exists.then(|| TxResult { height: 0, code: 0, codespace: String::new(), raw_log: String::new() }))
    }

    async fn broadcast_and_wait(
        &self,
        pending: &PendingTx,
        step: StepKind,
        hooks: &mut Hooks<'_>,
    ) -> Result<TxResult, Unsettled> {
        if let Err(err) = self.chain.broadcast(&pending.tx_bytes).await {
            let code = if err.kind == ErrorKind::TxRejected { err.chain_code } else { None };
            match code {
                // Already in the mempool: wait for it.
                Some(19) => {}
                // Sequence mismatch: this very transaction may have been included meanwhile;
                // if not, another one took its sequence and this one can never land.
                Some(32) => {
                    return match self.chain.tx(&pending.hash).await {
                        Ok(Some(result)) if result.code == 0 => Ok(result),
                        Ok(_) => Err(Unsettled {
                            error: FlowError::new(
                                step,
                                "another transaction of this account used the same sequence, so this one was not \
                                 included and nothing was paid for it; sign again",
                                true,
                            ),
                            definite: true,
                        }),
                        Err(e) => Err(Unsettled {
                            error: FlowError::client(step, "looking up the transaction", &e),
                            definite: false,
                        }),
                    };
                }
                // Rejected in CheckTx: nothing was included, nothing paid; signing again may
                // help once the cause (funds, fee) is fixed.
                Some(_) => {
                    let mut error = FlowError::client(step, "broadcasting the transaction", &err);
                    error.retryable = true;
                    return Err(Unsettled { error, definite: true });
                }
                // No answer: the transaction may or may not have reached a node.
                None => {
                    let error = FlowError::client(step, "broadcasting the transaction", &err);
                    return Err(Unsettled { error, definite: false });
                }
            }
        }
        hooks.say(step, format!("Waiting for transaction {} to be included in a block.", short_hash(&pending.hash)));
        let interval = self.polling.first_ms.max(1);
        match self.chain.wait_for_tx(&pending.hash, self.polling.tx_timeout_ms, interval).await {
            Ok(result) => Ok(result),
            Err(err) if err.kind == ErrorKind::TxFailed => {
                let mut error = FlowError::client(step, "the transaction failed", &err);
                error.retryable = true;
                error.message = format!(
                    "the transaction was included but failed: {}",
                    err.detail.clone().unwrap_or(err.message.clone())
                );
                Err(Unsettled { error, definite: true })
            }
            Err(err) => {
                Err(Unsettled { error: FlowError::client(step, "waiting for the transaction", &err), definite: false })
            }
        }
    }

    /// The state after a pending transaction landed.
    fn advance(&self, state: &mut DeployState, pending: &PendingTx, height: u64, hooks: &mut Hooks<'_>) {
        state.pending = None;
        let at = if height > 0 { format!(" at height {height}") } else { String::new() };
        let dseq = state.dseq.unwrap_or_default();
        match pending.purpose {
            TxPurpose::Create => {
                state.step = Step::Bidding { dseq };
                hooks.say(StepKind::Create, format!("Deployment {dseq} created{at}."));
            }
            TxPurpose::Lease => {
                let lease = match &state.step {
                    Step::Accepting { bid, .. } => Some(bid.clone()),
                    _ => state.lease.clone(),
                };
                if let Some(lease) = lease {
                    hooks.say(StepKind::Accept, format!("Lease created with {}{at}.", lease.provider));
                    state.lease = Some(lease.clone());
                    state.step = Step::SendingManifest { lease };
                }
            }
            TxPurpose::Update => {
                if let Some(sdl) = &pending.sdl {
                    state.sdl.clone_from(sdl);
                }
                // The provider still runs the old manifest: until the new one is accepted the
                // state says so, and a reload re-sends it.
                if let Some(lease) = state.lease.clone() {
                    state.step = Step::SendingManifest { lease };
                }
                hooks.say(StepKind::Live, format!("Deployment {dseq} updated{at}."));
            }
            TxPurpose::Close => {
                state.step = Step::Closed { dseq };
                hooks.say(StepKind::Close, format!("Deployment {dseq} closed{at}; the remaining deposit is refunded."));
            }
        }
        hooks.save(state);
    }

    /// The open bids on the state's deployment, with provider details.
    ///
    /// # Errors
    /// No deployment yet, or the chain could not be read.
    pub async fn bids(&self, state: &DeployState) -> Result<Vec<BidOffer>, FlowError> {
        let step = StepKind::Bids;
        let dseq =
            state.dseq.ok_or_else(|| FlowError::new(step, "there is no deployment yet: create it first", false))?;
        let bids = self
            .chain
            .bids(&state.owner, dseq, Some("open"))
            .await
            .map_err(|e| FlowError::client(step, "listing the bids", &e))?;
        let needs_ip = leasekit_sdl::build(&state.sdl).output.is_some_and(|o| !o.ip_bindings.is_empty());
        let mut offers = Vec::new();
        for bid in bids {
            offers.push(self.offer(bid, needs_ip).await);
        }
        Ok(offers)
    }

    async fn offer(&self, bid: Bid, needs_ip: bool) -> BidOffer {
        let provider = self.chain.provider(&bid.id.provider).await.ok().flatten();
        let attributes = provider.as_ref().map(|p| p.attributes.clone()).unwrap_or_default();
        let advertised = attributes
            .iter()
            .any(|(k, v)| (k == "feat-endpoint-ip" || k == "ip-lease") && v.eq_ignore_ascii_case("true"));
        let ip_capability = if advertised {
            IpCapability::Advertised
        } else if needs_ip {
            IpCapability::ProvenByBid
        } else {
            IpCapability::Unknown
        };
        let (reachable, status_error, free_ips) = match self.providers.provider_status(&bid.id.provider).await {
            Ok(status) => (true, None, free_ips(&status.raw)),
            Err(e) => (false, Some(e.message), None),
        };
        let price = amount::parse_dec(&bid.price.amount).unwrap_or_default();
        let month = price.saturating_mul(order::MONTH_MS) / u128::from(self.network.block_time_ms.max(1));
        BidOffer {
            price_per_block: amount::format_dec(price),
            price_per_month: amount::format_rounded(month, 0),
            host_uri: provider.map(|p| p.host_uri),
            attributes,
            ip_capability,
            free_ips,
            reachable,
            status_error,
            bid,
        }
    }

    /// Polls [`Deployer::bids`] with back-off until there is at least one bid.
    ///
    /// # Errors
    /// No bid within the polling timeout (the price may be too low or the requirements unmet).
    pub async fn wait_for_bids(&self, state: &DeployState, hooks: &mut Hooks<'_>) -> Result<Vec<BidOffer>, FlowError> {
        let step = StepKind::Bids;
        let mut waited = 0;
        let mut interval = self.polling.first_ms.max(1);
        hooks.say(step, "Waiting for providers to bid.");
        loop {
            let offers = self.bids(state).await?;
            if !offers.is_empty() {
                let n = offers.len();
                hooks.say(step, format!("{n} {} received.", if n == 1 { "bid" } else { "bids" }));
                return Ok(offers);
            }
            if waited >= self.polling.bids_timeout_ms {
                return Err(FlowError::new(
                    step,
                    format!(
                        "no provider bid within {} s: the price may be too low, or no provider matches the attributes or has free IPs",
                        waited / 1000
                    ),
                    true,
                ));
            }
            self.transport.sleep(interval).await;
            waited += interval;
            interval = (interval * 2).min(self.polling.max_ms.max(1));
        }
    }

    /// Signs and broadcasts MsgCreateLease for a bid and waits for it; the state is saved with
    /// the signed transaction before the broadcast.
    ///
    /// # Errors
    /// Not at the bidding step, or the lease transaction failed.
    pub async fn accept_bid(
        &self,
        state: &mut DeployState,
        bid: &BidId,
        hooks: &mut Hooks<'_>,
    ) -> Result<(), FlowError> {
        let step = StepKind::Accept;
        if state.pending.is_some() {
            return self.resume(state, hooks).await;
        }
        let dseq = match state.step {
            Step::Bidding { .. } | Step::Failed { step: StepKind::Accept | StepKind::Bids, .. } => {
                state.dseq.unwrap_or_else(|| dseq_of(&state.step))
            }
            _ => {
                return Err(FlowError::new(
                    step,
                    "a bid can be accepted only while the deployment waits for bids",
                    false,
                ));
            }
        };
        if bid.owner != state.owner || bid.dseq != dseq {
            return Err(FlowError::new(step, "this bid is for another deployment", false));
        }
        let message = msgs::create_lease(bid).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCreateLease with {}.", bid.provider));
        let pending = self.sign(vec![message], TxPurpose::Lease, step).await?;
        state.step = Step::Accepting { bid: bid.clone(), tx_hash: pending.hash.clone() };
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }

    /// Sends the manifest to the lease's provider (retrying while the provider has not seen
    /// the lease yet); the state moves to Live.
    ///
    /// # Errors
    /// No lease, the SDL does not build, or the provider refused the manifest.
    pub async fn send_manifest(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Manifest;
        let lease = state
            .lease
            .clone()
            .ok_or_else(|| FlowError::new(step, "there is no lease yet: accept a bid first", false))?;
        let output = build(&state.sdl, step)?;
        self.put_manifest(&lease, &output, hooks).await?;
        state.step = Step::Live { lease };
        hooks.save(state);
        Ok(())
    }

    async fn put_manifest(&self, lease: &BidId, output: &Output, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Manifest;
        let manifest = output.manifest.to_json_string();
        hooks.say(
            step,
            format!("Sending the manifest (version {}) to {}.", &output.version_hex()[..12], lease.provider),
        );
        let mut waited = 0;
        let mut interval = self.polling.first_ms.max(1);
        loop {
            let token = self.token(step).await?;
            match self.providers.send_manifest(&lease.provider, lease.dseq, &manifest, &token).await {
                Ok(()) => {
                    hooks.say(step, "The provider accepted the manifest.");
                    return Ok(());
                }
                Err(err) => {
                    if err.kind == ErrorKind::Unauthorized {
                        self.token.replace(None);
                    }
                    let flow = FlowError::client(step, "sending the manifest", &err);
                    if !flow.retryable || waited >= self.polling.manifest_timeout_ms {
                        return Err(flow);
                    }
                    hooks.say(
                        step,
                        format!("The provider is not ready for the manifest yet ({}); retrying.", err.message),
                    );
                }
            }
            self.transport.sleep(interval).await;
            waited += interval;
            interval = (interval * 2).min(self.polling.max_ms.max(1));
        }
    }

    /// The state's lease as an IP card.
    ///
    /// # Errors
    /// No lease, or the provider could not be asked.
    pub async fn lease_status(&self, state: &DeployState) -> Result<IpCard, FlowError> {
        let lease =
            state.lease.clone().ok_or_else(|| FlowError::new(StepKind::Live, "there is no lease yet", false))?;
        let output = leasekit_sdl::build(&state.sdl).output;
        self.lease_status_of(&lease, output.as_ref().map(|o| &o.manifest)).await
    }

    /// Any lease of the wallet's account as an IP card; `manifest`, when known, says which
    /// addresses to expect.
    ///
    /// # Errors
    /// The provider could not be asked.
    pub async fn lease_status_of(&self, lease: &BidId, manifest: Option<&Manifest>) -> Result<IpCard, FlowError> {
        let step = StepKind::Live;
        let has_ip = manifest.is_none_or(|m| !lease::ip_exposes(m).is_empty());
        let token = self.token(step).await?;
        let status = match self.providers.lease_status(&lease.provider, lease, &token, has_ip).await {
            Err(err) if err.kind == ErrorKind::Unauthorized => {
                self.token.replace(None);
                let token = self.token(step).await?;
                self.providers.lease_status(&lease.provider, lease, &token, has_ip).await
            }
            other => other,
        }
        .map_err(|e| FlowError::client(step, "reading the lease status", &e))?;
        Ok(IpCard::from_status(lease, &status, manifest))
    }

    /// Polls the lease status with back-off until every expected address is there (or the
    /// timeout); the last card either way.
    ///
    /// # Errors
    /// The provider could not be asked.
    pub async fn wait_for_ip(&self, state: &DeployState, hooks: &mut Hooks<'_>) -> Result<IpCard, FlowError> {
        let step = StepKind::Live;
        let mut waited = 0;
        let mut interval = self.polling.first_ms.max(1);
        loop {
            let card = self.lease_status(state).await?;
            let done = card.status == lease::CardStatus::Ready && card.missing.is_empty();
            if done || waited >= self.polling.ip_timeout_ms {
                hooks.say(step, card.status_text());
                return Ok(card);
            }
            hooks.say(step, card.status_text());
            self.transport.sleep(interval).await;
            waited += interval;
            interval = (interval * 2).min(self.polling.max_ms.max(1));
        }
    }

    /// An owner's deployments, newest first, each with its leases.
    ///
    /// # Errors
    /// The chain could not be read.
    pub async fn deployments(&self, owner: &str) -> Result<Vec<DeploymentEntry>, FlowError> {
        let step = StepKind::Live;
        let deployments =
            self.chain.deployments(owner).await.map_err(|e| FlowError::client(step, "listing the deployments", &e))?;
        let leases =
            self.chain.leases(owner, None).await.map_err(|e| FlowError::client(step, "listing the leases", &e))?;
        let mut out: Vec<DeploymentEntry> = deployments
            .into_iter()
            .map(|d| {
                let leases = leases.iter().filter(|l| l.id.dseq == d.dseq).cloned().collect();
                DeploymentEntry { deployment: d, leases }
            })
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.deployment.dseq));
        Ok(out)
    }

    /// Injects each service's leased IP as `VAR=ip` into its `env` (added, or the existing
    /// `VAR=` entry updated) with minimal YAML edits, signs MsgUpdateDeployment with the new
    /// manifest version, re-sends the manifest and reads the addresses again.
    ///
    /// # Errors
    /// No live lease or no address yet, a bad variable name, an SDL the editor cannot change,
    /// or a failed update.
    pub async fn inject_ip_env(
        &self,
        state: &mut DeployState,
        var: &str,
        hooks: &mut Hooks<'_>,
    ) -> Result<IpChange, FlowError> {
        let step = StepKind::Live;
        if state.pending.is_some() {
            self.resume(state, hooks).await?;
        }
        if !valid_env_name(var) {
            return Err(FlowError::new(
                step,
                format!("'{var}' is not a variable name (letters, digits and _, not starting with a digit)"),
                false,
            ));
        }
        let Some(lease) = state.lease.clone() else {
            return Err(FlowError::new(step, "there is no lease yet", false));
        };
        let before = self.lease_status(state).await?;
        if before.addresses.is_empty() {
            return Err(FlowError::new(step, "the lease has no IP yet: wait for it, then inject it", true));
        }
        let per_service: Vec<(String, String)> = before
            .addresses
            .iter()
            .flat_map(|a| a.ports.iter().map(move |p| (p.service.clone(), a.ip.clone())))
            .fold(Vec::new(), |mut acc, (svc, ip)| {
                if !acc.iter().any(|(s, _)| *s == svc) {
                    acc.push((svc, ip));
                }
                acc
            });
        let sdl = inject_env(&state.sdl, var, &per_service).map_err(|m| FlowError::new(step, m, false))?;
        let output = build(&sdl, step)?;
        let current = build(&state.sdl, step)?;
        if output.version != current.version {
            let message = msgs::update_deployment(&output, &state.owner, lease.dseq)
                .map_err(|e| FlowError::tx(step, &e))?
                .to_any();
            hooks.say(step, format!("Waiting for the wallet to sign MsgUpdateDeployment ({var} in the environment)."));
            let mut pending = self.sign(vec![message], TxPurpose::Update, step).await?;
            pending.sdl = Some(sdl.clone());
            state.pending = Some(pending);
            hooks.save(state);
            self.settle(state, hooks).await?;
        }
        self.send_manifest(state, hooks).await?;
        let after = self.wait_for_ip(state, hooks).await?;
        let (mut b, mut a) = (before.ips(), after.ips());
        b.sort();
        a.sort();
        let change = IpChange {
            kept: a == b && !a.is_empty(),
            before: before.ips(),
            after: after.ips(),
            sdl: state.sdl.clone(),
        };
        hooks.say(step, change.text());
        Ok(change)
    }

    /// Closes the state's deployment (MsgCloseDeployment): its leases end and the remaining
    /// deposit is refunded.
    ///
    /// # Errors
    /// No deployment, or the close transaction failed.
    pub async fn close(&self, state: &mut DeployState, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Close;
        if state.pending.is_some() {
            self.resume(state, hooks).await?;
        }
        if matches!(state.step, Step::Closed { .. }) {
            return Ok(());
        }
        let dseq = state.dseq.ok_or_else(|| FlowError::new(step, "there is no deployment to close", false))?;
        let message = msgs::close_deployment(&state.owner, dseq).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCloseDeployment ({dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Close, step).await?;
        state.pending = Some(pending);
        hooks.save(state);
        self.settle(state, hooks).await
    }

    /// Closes any deployment of the wallet's account by dseq (the deployments view).
    ///
    /// # Errors
    /// The close transaction failed.
    pub async fn close_dseq(&self, dseq: u64, hooks: &mut Hooks<'_>) -> Result<(), FlowError> {
        let step = StepKind::Close;
        let owner = self.wallet.address();
        let message = msgs::close_deployment(&owner, dseq).map_err(|e| FlowError::tx(step, &e))?.to_any();
        hooks.say(step, format!("Waiting for the wallet to sign MsgCloseDeployment ({dseq})."));
        let pending = self.sign(vec![message], TxPurpose::Close, step).await?;
        self.broadcast_and_wait(&pending, step, hooks).await.map_err(|u| u.error)?;
        hooks.say(step, format!("Deployment {dseq} closed."));
        Ok(())
    }

    /// Moves leased IP endpoints to another deployment of the account at the same provider
    /// (`POST /endpoint/migrate`, provider.md §2.4); the names the provider transferred.
    ///
    /// # Errors
    /// The provider refused (the destination lacks the endpoint, is not active there, …).
    pub async fn migrate_endpoint(
        &self,
        provider: &str,
        endpoints: &[&str],
        dest_dseq: u64,
        dest_gseq: u32,
    ) -> Result<Vec<String>, FlowError> {
        let step = StepKind::Live;
        let token = self.token(step).await?;
        self.providers
            .migrate_endpoints(provider, endpoints, dest_dseq, dest_gseq, &token)
            .await
            .map_err(|e| FlowError::client(step, "migrating the endpoint", &e))
    }

    // --- signing -------------------------------------------------------------------------

    fn check_owner(&self, state: &DeployState, step: StepKind) -> Result<(), FlowError> {
        let address = self.wallet.address();
        if state.owner != address {
            return Err(FlowError::new(
                step,
                format!(
                    "this deployment belongs to {}, but the wallet is {address}: connect that account",
                    state.owner
                ),
                false,
            ));
        }
        Ok(())
    }

    /// Chain id (the network's, else the node's) and version.
    async fn node_info(&self, step: StepKind) -> Result<(String, Option<ChainVersion>), FlowError> {
        if let Some(known) = self.node.borrow().clone() {
            return Ok(known);
        }
        let info = self
            .chain
            .node_info()
            .await
            .map_err(|e| FlowError::client(step, "asking the node for its chain id", &e))?;
        if let Some(expected) = &self.network.chain_id
            && *expected != info.chain_id
        {
            return Err(FlowError::new(
                step,
                format!(
                    "the node at {} serves chain {}, not {expected}: check the REST URL",
                    self.network.chain_rest, info.chain_id
                ),
                false,
            ));
        }
        let known = (info.chain_id, ChainVersion::parse(&info.app_version).ok());
        self.node.replace(Some(known.clone()));
        Ok(known)
    }

    /// The gas the messages use, by simulation; `None` when the node cannot simulate.
    async fn simulate(&self, messages: Vec<Any>, step: StepKind) -> Result<Option<u64>, FlowError> {
        let owner = self.wallet.address();
        let Some(account) =
            self.chain.account(&owner).await.map_err(|e| FlowError::client(step, "reading the account", &e))?
        else {
            return Ok(None);
        };
        let doc = self.sign_doc(messages, self.network.fallback_gas, &account, step).await?;
        // Simulation skips signature checks (chain.md §2.3): 64 zero bytes stand in.
        let probe =
            tx::assemble(doc.body_bytes, doc.auth_info_bytes, &[0u8; 64]).map_err(|e| FlowError::tx(step, &e))?;
        match self.chain.simulate(&probe.tx_bytes).await {
            Ok(gas) => Ok(Some(gas)),
            // Insufficient funds will not go away by guessing the gas: say so before signing.
            Err(e) if e.kind == ErrorKind::TxRejected && e.chain_code == Some(5) => {
                Err(FlowError::client(step, "simulating the transaction", &e))
            }
            Err(_) => Ok(None),
        }
    }

    /// The sign doc of `messages` for the account at its current sequence.
    async fn sign_doc(
        &self,
        messages: Vec<Any>,
        gas_limit: u64,
        account: &leasekit_client::chain::Account,
        step: StepKind,
    ) -> Result<tx::SignDoc, FlowError> {
        let (chain_id, _) = self.node_info(step).await?;
        let draft = Draft { messages, memo: String::new(), fee: self.network.fee(gas_limit), timeout_height: 0 };
        let signer = tx::Account {
            chain_id: &chain_id,
            account_number: account.account_number,
            sequence: account.sequence,
            public_key: self.public_key(step)?,
        };
        tx::sign_doc(&draft, &signer).map_err(|e| FlowError::tx(step, &e))
    }

    fn public_key(&self, step: StepKind) -> Result<[u8; 33], FlowError> {
        self.wallet.public_key().try_into().map_err(|_| {
            FlowError::new(step, "the wallet's public key is not a 33-byte compressed secp256k1 key", false)
        })
    }

    /// Signs messages: simulate for gas, build the sign doc, let the wallet sign, assemble.
    async fn sign(&self, messages: Vec<Any>, purpose: TxPurpose, step: StepKind) -> Result<PendingTx, FlowError> {
        let owner = self.wallet.address();
        let account = self
            .chain
            .account(&owner)
            .await
            .map_err(|e| FlowError::client(step, "reading the account", &e))?
            .ok_or_else(|| {
                FlowError::new(
                    step,
                    format!("the chain has never seen {owner}: send it some uakt for fees first"),
                    false,
                )
            })?;
        let gas = self.simulate(messages.clone(), step).await?;
        let doc = self.sign_doc(messages, self.network.gas_limit(gas), &account, step).await?;
        let signed = self.wallet.sign_direct(&doc).await.map_err(|e| FlowError::wallet(step, &e))?;
        let tx = tx::assemble(signed.body_bytes, signed.auth_info_bytes, &signed.signature)
            .map_err(|e| FlowError::tx(step, &e))?;
        Ok(PendingTx { purpose, hash: tx.tx_hash, tx_bytes: tx.tx_bytes, sequence: account.sequence, sdl: None })
    }

    /// A provider token (ES256KADR36, signed by the wallet), cached in memory until a minute
    /// before it expires.
    async fn token(&self, step: StepKind) -> Result<String, FlowError> {
        let now = self.now(step).await?;
        if let Some((token, exp)) = self.token.borrow().clone()
            && exp > now + 60
        {
            return Ok(token);
        }
        let claims = Claims::starting_at(&self.wallet.address(), now, TOKEN_LIFETIME_SECONDS, Leases::Full);
        let input = jwt::signing_input(Alg::Es256kAdr36, &claims);
        let signature = self.wallet.sign_arbitrary(&input).await.map_err(|e| FlowError::wallet(step, &e))?;
        let token = jwt::assemble(&input, &signature).map_err(|e| FlowError::tx(step, &e))?;
        self.token.replace(Some((token.clone(), claims.exp)));
        Ok(token)
    }

    /// Unix seconds: the caller's clock, else the chain's latest block time.
    async fn now(&self, step: StepKind) -> Result<u64, FlowError> {
        if let Some(clock) = &self.clock {
            return Ok(clock());
        }
        let url =
            format!("{}/cosmos/base/tendermint/v1beta1/blocks/latest", self.network.chain_rest.trim_end_matches('/'));
        let resp = self
            .transport
            .send(HttpRequest::new("GET", url).header("Accept", "application/json"))
            .await
            .map_err(|e| FlowError::new(step, format!("reading the chain's time: {e}"), true))?;
        let text = resp.text();
        let time = Json::parse(&text)
            .ok()
            .and_then(|j| {
                let header = j.get("block").or_else(|| j.get("sdk_block"))?.get("header")?;
                header.get("time")?.as_str().map(str::to_owned)
            })
            // The JSON reader takes only non-negative integers; a node's block may hold other
            // numbers. The header's `time` is the body's first `"time"` key either way.
            .or_else(|| first_time_field(&text))
            .and_then(|t| rfc3339_seconds(&t));
        time.ok_or_else(|| FlowError::new(step, "the chain's latest block has no readable time; set a clock", true))
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
        Step::SendingManifest { lease } | Step::Live { lease } => lease.dseq,
        Step::Review | Step::Failed { .. } => 0,
    }
}

fn short_hash(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    line.chars().take(200).collect()
}

/// Free leased-IP addresses in a provider status, when present: the gRPC status's
/// `cluster.inventory.leased_ip` resource pair (allocatable − allocated, provider.md §2.5),
/// which the REST `/status` of current providers does not carry.
fn free_ips(raw: &Json) -> Option<u64> {
    let pair = raw.get("cluster")?.get("inventory")?.get("leased_ip")?;
    let number = |key: &str| -> Option<u64> {
        match pair.get(key)? {
            Json::Num(n) => Some(*n),
            Json::Str(s) => s.parse().ok(),
            _ => None,
        }
    };
    Some(number("allocatable")?.saturating_sub(number("allocated").unwrap_or(0)))
}

fn valid_env_name(var: &str) -> bool {
    let mut chars = var.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The SDL with `VAR=ip` in the `env` of each listed service: the existing `VAR=` entry is
/// updated, else one is appended (or an `env` list created).
///
/// # Errors
/// A sentence when the editor cannot make the change.
pub fn inject_env(sdl: &str, var: &str, per_service: &[(String, String)]) -> Result<String, String> {
    use PathSegment::{Index, Key};
    let mut doc = Document::parse(sdl).map_err(|e| format!("the SDL cannot be edited: {e}"))?;
    let prefix = format!("{var}=");
    for (service, ip) in per_service {
        let entry = format!("{var}={ip}");
        let env_path = [Key("services"), Key(service.as_str()), Key("env")];
        let existing = doc.get(&env_path).map(|n| match &n.kind {
            leasekit_sdl::syntax::SyntaxKind::Seq(items) => items
                .iter()
                .position(|i| matches!(&i.kind, leasekit_sdl::syntax::SyntaxKind::Scalar { value, .. } if value.starts_with(&prefix))),
            _ => None,
        });
        let fail = |e: leasekit_sdl_edit::EditError| format!("cannot set {var} for service {service}: {e}");
        match existing {
            Some(Some(i)) => {
                let path = [Key("services"), Key(service.as_str()), Key("env"), Index(i)];
                doc.set_scalar(&path, ScalarValue::Str(entry)).map_err(fail)?;
            }
            Some(None) => doc.append(&env_path, &entry).map_err(fail)?,
            None => {
                let service_path = [Key("services"), Key(service.as_str())];
                if doc.insert(&service_path, "env", &format!("- {entry}")).is_err() {
                    doc.insert(&service_path, "env", &format!("[{entry}]")).map_err(fail)?;
                }
            }
        }
    }
    Ok(doc.text().to_owned())
}

/// The value of the first `"time": "…"` in JSON text.
fn first_time_field(text: &str) -> Option<String> {
    let after = &text[text.find("\"time\"")? + 6..];
    let value = after.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(value[..value.find('"')?].to_owned())
}

/// Unix seconds of an RFC 3339 time (`2026-12-02T23:30:13.123456Z`, offsets allowed).
fn rfc3339_seconds(text: &str) -> Option<u64> {
    let (date, rest) = text.split_once('T')?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let hms = rest.get(..8)?;
    let mut t = hms.split(':');
    let (h, min, s): (i64, i64, i64) = (t.next()?.parse().ok()?, t.next()?.parse().ok()?, t.next()?.parse().ok()?);
    let tail = &rest[8..];
    let tail = tail.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match tail {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = if tail.starts_with('-') { -1 } else { 1 };
            let (oh, om) = tail.get(1..)?.split_once(':')?;
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + min * 60 + s - offset).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_read_as_unix_seconds() {
        // `date -u -d 2026-12-02T23:30:13Z +%s` = 1796254213.
        assert_eq!(rfc3339_seconds("2026-12-02T23:30:13Z"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("2026-12-02T23:30:13.123456789Z"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("2026-12-03T01:30:13+02:00"), Some(1_796_254_213));
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("yesterday"), None);
        let body = r#"{"block_id":{"hash":"x"},"block":{"header":{"height":"5","time": "2026-12-02T23:30:13.5Z"},"last_commit":{"round":-1}}}"#;
        assert!(Json::parse(body).is_err(), "a negative number the JSON reader refuses");
        assert_eq!(first_time_field(body).as_deref(), Some("2026-12-02T23:30:13.5Z"));
    }
}
