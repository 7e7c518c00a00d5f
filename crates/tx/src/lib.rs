//! Akash orders signed with the tenant's own key: the messages of the deployment flow, the
//! SIGN_MODE_DIRECT transaction around them, and the JWTs a provider's gateway accepts.
//!
//! # Pipeline
//!
//! 1. [`msgs`] — checked inputs become messages. An SDL build (leasekit-sdl) gives
//!    MsgCreateDeployment: its GroupSpecs (resource values as ASCII digits, prices as `DecCoin`
//!    scaled by 10^18), the 32-byte manifest version as `hash`, the deposit (uact, at least
//!    0.5 ACT, from balance and/or grant) and `reclamation` only for chains from v2.1.0.
//!    Bids become MsgCreateLease; escrow top-ups, closes and ACT mints likewise.
//! 2. [`proto`] — hand-written protobuf types with chain.md's field numbers, encoded by prost
//!    and wrapped in `Any` under `/<full.name>` type URLs. [`json`] shows an `Any` as the
//!    JSON a review screen displays before signing (chain-sdk's `toJSON` form plus `@type`),
//!    decoded from the very bytes that get signed.
//! 3. [`tx`] — TxBody and AuthInfo (secp256k1 public key, SIGN_MODE_DIRECT, sequence, fee)
//!    encoded once, the SignDoc signed by a [`key::Signer`], and the TxRaw assembled from the
//!    signed bytes; the tx hash is the upper-case hex SHA-256 of the TxRaw. A wallet signs the
//!    SignDoc itself ([`tx::sign_doc`] → wallet → [`tx::assemble`]).
//! 4. [`jwt`] — provider tokens (ES256K, ES256KADR36) from checked claims, and their
//!    verification.
//!
//! Keys: [`key::MnemonicSigner`] derives `m/44'/118'/0'/0/n` from a BIP-39 phrase and zeroizes
//! every copy of the secret; signing is deterministic (RFC 6979, low-S), so the crate needs no
//! randomness and its bytes equal cosmjs's for the same inputs.
//!
//! Like the other core crates this one is pure — no IO, clock or randomness: callers pass the
//! time (for JWTs) and entropy (for a new mnemonic).
//!
//! # Dependencies
//!
//! prost's derive, RustCrypto's `k256` (ECDSA), `bip32`, `bip39` (no `std`: English only, so no
//! Unicode tables), `ripemd`, `bech32` and `zeroize`. Not cosmrs: it would bring tendermint's
//! types and a second copy of the Cosmos protobufs for the dozen envelope fields written here.

pub mod address;
pub mod encoding;
pub mod error;
pub mod json;
pub mod jwt;
pub mod key;
pub mod msgs;
pub mod proto;
pub mod request;
pub mod tx;

pub use error::{Error, ErrorCode, Result};
pub use key::{MnemonicSigner, Signer};
