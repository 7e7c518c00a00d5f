//! The tenant's deploy flow as pure logic, for the web app (and any other front end): the
//! order in words, the resumable wizard state, the steps over `leasekit-client` with any
//! wallet, the lease's IP card and the equivalent `provider-services` commands.
//!
//! # Pipeline
//!
//! 1. [`network`] — which chain REST and proxy, chain id, fee denom and gas price
//!    ([`network::Network::presets`], or `dist/config.json` via
//!    [`network::Network::from_config_json`]).
//! 2. [`order`] — the SDL (built by `leasekit-sdl`) as the review screen shows it: services,
//!    IPs to lease with their ports (`leasekit-ipalloc`'s plan), the maximum price per block and
//!    per month, deposit and fee, and the exact message JSON — before anything is signed.
//! 3. [`flow`] — [`flow::Deployer`] walks create deployment (dseq = latest height) → bids
//!    (provider attributes, IP capability, free IPs) → accept (MsgCreateLease), once per
//!    placement group → manifest (PUT through the proxy, once per provider, with an ES256KADR36
//!    token the wallet signs) → live status, an IP card per lease
//!    ([`flow::Deployer::continue_deploy`] is that loop, for any front end);
//!    then inject the leased IP as an env var (minimal YAML edit via `leasekit-sdl-edit`, new
//!    hash, MsgUpdateDeployment, manifest re-sent, IP kept), migrate an endpoint, close.
//!    Transactions are signed by a [`wallet::Wallet`] (a browser wallet or [`wallet::KeyWallet`]).
//! 4. [`state`] — every step reads and writes a [`state::DeployState`], saved as JSON through
//!    the caller's callback *before* each broadcast (the hash is known from the signed bytes),
//!    so a reload resumes by asking the chain instead of signing again: never paying twice. It
//!    keeps a lease per group; the deployment is live only when every group's lease is.
//! 5. [`lease`] — a lease status becomes an [`lease::IpCard`]: each leased IP with its port
//!    map (external → container, protocol, service, UDP too), URIs, replicas, or "waiting for
//!    IP".
//! 6. [`commands`] — the `provider-services` command line of each step
//!    ([`commands::for_state`]: every command a state has reached, one per lease).
//! 7. [`amount`] — the chain's micro-unit and 18-decimal amounts as people read them (ACT,
//!    AKT), and [`order::readable_json`], the message JSON with the hash in hex and coins in ACT.
//!
//! Like the other core crates this one does no IO of its own: HTTP and sleeping go through
//! `leasekit_client::Transport`, signing through the wallet, time through the caller's clock (or
//! the chain's latest block time). It compiles for native targets and `wasm32-unknown-unknown`.

pub mod amount;
pub mod commands;
pub mod flow;
pub mod lease;
pub mod network;
pub mod order;
pub mod state;
pub mod wallet;

pub use flow::{BidOffer, Deployer, FlowError, Hooks, IpCapability, IpChange, Polling, Progress};
pub use lease::IpCard;
pub use network::Network;
pub use order::OrderSummary;
pub use state::{DeployState, Step, StepKind, StepStatus};
pub use wallet::{DirectSigned, KeyWallet, Wallet, WalletError};
