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
//! * [`gateway`] — a simulated provider's REST over TLS: JWT auth, manifest checks against the
//!   chain, lease status with leased IPs from leasekit-ipalloc, endpoint migration.
//! * [`grpc`] — a simulated provider's gRPC `GetStatus` (the leased-IP pool), beside its
//!   gateway with the same certificate.
//! * [`node`] — [`node::start`]: data dir, redb persistence, the test account, the block timer
//!   and the HTTP server.
//! * [`stack`] — node, gateways and proxy together.

pub mod chain;
pub mod dec;
pub mod gateway;
pub mod grpc;
pub mod node;
pub mod providers;
pub mod rest;
pub mod stack;
