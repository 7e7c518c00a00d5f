//! A local Akash chain for development and tests (native only): the chain REST of chain.md §3,
//! SIGN_MODE_DIRECT transactions checked as the chain checks them, blocks on a timer, simulated
//! providers that bid, and state kept in an embedded database between restarts.
//!
//! * [`chain`] — the pure, deterministic state machine (no IO, no clock): CheckTx, blocks,
//!   deployments, orders, bids, leases, escrow, simplified BME; its module doc lists the error
//!   codes.
//! * [`providers`] — simulated providers (matching, IP pools, bid prices) and the genesis
//!   configuration the provider gateway shares.
//! * [`rest`] — the axum router serving the chain REST with grpc-gateway's JSON conventions.
//! * [`node`] — [`node::start`]: data dir, redb persistence, the test account, the block timer
//!   and the HTTP server.

pub mod chain;
pub mod dec;
pub mod node;
pub mod providers;
pub mod rest;
