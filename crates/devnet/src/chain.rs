//! The chain as a pure, deterministic state machine: no IO and no clock — the caller passes
//! the block time to [`Chain::deliver_block`].
//!
//! # Flow
//!
//! [`Chain::check_tx`] is CheckTx: it decodes the TxRaw, runs the ante checks (fee, pubkey,
//! sequence, signature) against a *check state* that counts txs already accepted into the
//! mempool (so back-to-back txs with sequence n, n+1 both pass, as on a node), and queues the
//! tx. [`Chain::deliver_block`] is one block: simulated providers bid on orders opened in
//! earlier blocks ([`crate::providers`]), pending ACT mints are credited, the queued txs run in
//! order (ante again — sequence + 1, fee deducted — then the messages, atomically per tx), and
//! escrow pays every active lease for the block.
//!
//! # Error codes
//!
//! SDK errors use codespace `sdk` and the Cosmos SDK's own codes and message forms:
//!
//! | code | when |
//! |---|---|
//! | 2 | tx decode: not a TxRaw/TxBody/AuthInfo, unknown message type URL |
//! | 4 | unauthorized: wrong number of signers, signature verification failed (`signature verification failed; please verify account number (N), sequence (S) and chain-id (C)`) |
//! | 5 | insufficient funds (fee or deposit larger than the spendable balance) |
//! | 8 | invalid pubkey: the tx's key does not hash to the signer or differs from the stored one |
//! | 9 | unknown address: the signer has no account |
//! | 11 | out of gas: gas limit below the devnet's deterministic estimate (at delivery; fee charged) |
//! | 12 | memo too large (> 256 bytes) |
//! | 13 | insufficient fee (below gas limit × 0.0025 uakt, rounded up) |
//! | 18 | invalid request: no messages, not SIGN_MODE_DIRECT, a message signer other than the tx signer |
//! | 32 | `account sequence mismatch, expected X, got Y: incorrect account sequence` |
//!
//! Module errors use the module's codespace. These numbers are the devnet's own (Akash's
//! registered numbers were not available when this was written); they are stable here:
//!
//! | codespace | code | when |
//! |---|---|---|
//! | deployment | 2 | deployment exists (dseq reused by the owner) |
//! | deployment | 3 | deployment not found |
//! | deployment | 4 | deployment closed |
//! | deployment | 5 | invalid deployment id (empty owner, dseq 0) |
//! | deployment | 6 | invalid groups (none, empty/duplicate names, bad resources) |
//! | deployment | 7 | invalid hash (not 32 bytes; update with an unchanged hash) |
//! | deployment | 8 | invalid deposit (not uact, below `min_deposits`, no/duplicate/grant source) |
//! | deployment | 9 | invalid price (not uact — chain.md §1.10 — zero, above 10 000 000, malformed) |
//! | market | 2 | bid not found |
//! | market | 3 | bid not open |
//! | market | 4 | order not open |
//! | market | 5 | lease not found |
//! | market | 6 | lease not active |
//! | market | 7 | invalid id |
//! | escrow | 2 | escrow account not found |
//! | escrow | 3 | escrow account closed |
//! | escrow | 4 | invalid deposit (scope, denom, amount, sources) |
//! | bme | 2 | invalid mint (owner ≠ to, denom not uakt, zero amount) |
//! | bme | 3 | mint below `min_mint` (10 ACT) |
//!
//! # Simplifications (devnet only)
//!
//! * Deposits come from the balance only; a `grant` source is rejected with a clear log.
//! * BME: `MsgMintACT` burns the uakt in the tx and credits uact at the start of the next block
//!   at a fixed price, 1 AKT = 1 ACT, minus the default 0.25 % spread (no oracle, no epochs,
//!   no circuit breaker); `min_mint` (10 ACT of output) is enforced.
//! * Escrow pays each active lease its price every block, straight into the provider's
//!   (never withdrawn) payment; when the escrow cannot pay a whole block the deployment is
//!   closed and its leases become `insufficient_funds`. Sub-uact dust stays in the escrow and is
//!   not refunded on close (the refund is the whole uact of the remaining balance).
//! * Gas: a deterministic estimate (see [`gas_estimate`]), not metered execution.

use std::collections::BTreeMap;

use prost::Message;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use leasekit_tx::proto::{self, TypeUrl};

use crate::dec::{self, SCALE};
use crate::providers::{self, Provider};

/// The minimum gas price in uakt per gas, as a fraction (0.0025 = 1/400).
pub const MIN_GAS_PRICE_DENOMINATOR: u64 = 400;
/// `min_deposits` (uact and uakt), set by the v2.0.0 upgrade.
pub const MIN_DEPOSIT: u128 = 500_000;
/// A unit price may not exceed 10 000 000 of the denom (v1beta4 validation).
pub const MAX_UNIT_PRICE: u128 = 10_000_000 * SCALE;
/// BME spread in basis points (default 25 = 0.25 %).
pub const MINT_SPREAD_BPS: u128 = 25;
/// BME `min_mint`: 10 ACT of output.
pub const MIN_MINT: u128 = 10_000_000;
/// The memo limit in bytes.
pub const MAX_MEMO_BYTES: usize = 256;

/// The outcome of CheckTx or DeliverTx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxResult {
    /// Upper-case hex SHA-256 of the tx bytes.
    pub hash: String,
    /// 0 = success.
    pub code: u32,
    /// `sdk`, a module name, or empty on success.
    pub codespace: String,
    /// The error text, or `[]` on success as the SDK writes it.
    pub raw_log: String,
}

/// One ABCI event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Event type.
    pub kind: String,
    /// Key/value attributes.
    pub attributes: Vec<(String, String)>,
}

/// A delivered tx, as `GET /cosmos/tx/v1beta1/txs/{hash}` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxRecord {
    /// Result.
    pub result: TxResult,
    /// Block height.
    pub height: u64,
    /// Block time, unix milliseconds.
    pub time_ms: u64,
    /// Gas limit.
    pub gas_wanted: u64,
    /// Gas estimate.
    pub gas_used: u64,
    /// Events (minimal: the tx, every message's action and module events).
    pub events: Vec<Event>,
    /// The TxRaw bytes.
    pub tx_bytes: Vec<u8>,
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Bech32 address.
    pub address: String,
    /// Account number.
    pub number: u64,
    /// Sequence (committed txs).
    pub sequence: u64,
    /// Compressed secp256k1 key, once a tx revealed it (or given at genesis).
    pub pubkey: Option<Vec<u8>>,
    /// uakt balance.
    pub uakt: u128,
    /// uact balance.
    pub uact: u128,
}

/// Deployment state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentState {
    /// Running.
    Active,
    /// Closed by the owner or for lack of funds.
    Closed,
}

/// Group state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupState {
    /// Open.
    Open,
    /// The escrow ran dry.
    InsufficientFunds,
    /// Closed.
    Closed,
}

/// Order state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    /// Waiting for bids / a lease.
    Open,
    /// Leased.
    Active,
    /// Closed.
    Closed,
}

/// Bid state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BidState {
    /// Open.
    Open,
    /// Accepted (a lease exists).
    Active,
    /// Another bid was accepted.
    Lost,
    /// Closed.
    Closed,
}

/// Lease state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaseState {
    /// Running and paid.
    Active,
    /// The escrow ran dry.
    InsufficientFunds,
    /// Closed.
    Closed,
}

/// Escrow account state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EscrowState {
    /// Funded.
    Open,
    /// Closed and refunded.
    Closed,
    /// Ran dry.
    Overdrawn,
}

macro_rules! state_names {
    ($($ty:ty { $($variant:ident => $name:literal),* $(,)? })*) => {
        $(impl $ty {
            /// The lowercase name the REST uses.
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
        })*
    };
}

state_names! {
    DeploymentState { Active => "active", Closed => "closed" }
    GroupState { Open => "open", InsufficientFunds => "insufficient_funds", Closed => "closed" }
    OrderState { Open => "open", Active => "active", Closed => "closed" }
    BidState { Open => "open", Active => "active", Lost => "lost", Closed => "closed" }
    LeaseState { Active => "active", InsufficientFunds => "insufficient_funds", Closed => "closed" }
    EscrowState { Open => "open", Closed => "closed", Overdrawn => "overdrawn" }
}

/// Stores a prost message as its encoding (the proto types have no serde).
mod pb {
    use prost::Message;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<M: Message, S: Serializer>(m: &M, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&m.encode_to_vec())
    }

    pub fn deserialize<'de, M: Message + Default, D: Deserializer<'de>>(d: D) -> Result<M, D::Error> {
        let bytes = Vec::<u8>::deserialize(d)?;
        M::decode(bytes.as_slice()).map_err(serde::de::Error::custom)
    }
}

/// A group and its order (one order per group, oseq 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Group sequence, 1-based.
    pub gseq: u32,
    /// Group state.
    pub state: GroupState,
    /// The spec as sent.
    #[serde(with = "pb")]
    pub spec: proto::GroupSpec,
    /// The order's state (oseq 1).
    pub order_state: OrderState,
    /// Height of creation.
    pub created_at: u64,
}

/// A deployment's escrow account (scope deployment, xid `owner/dseq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escrow {
    /// State.
    pub state: EscrowState,
    /// Denomination (uact).
    pub denom: String,
    /// Remaining funds, atto units.
    pub balance: u128,
    /// Paid out to leases so far, atto units.
    pub transferred: u128,
    /// Deposits: (depositor, height, whole amount).
    pub deposits: Vec<(String, u64, u128)>,
    /// Height of the last settlement.
    pub settled_at: u64,
}

/// A deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// Owner.
    pub owner: String,
    /// Deployment sequence.
    pub dseq: u64,
    /// State.
    pub state: DeploymentState,
    /// Manifest version hash (32 bytes).
    pub hash: Vec<u8>,
    /// Height of creation.
    pub created_at: u64,
    /// Groups in gseq order.
    pub groups: Vec<Group>,
    /// Escrow.
    pub escrow: Escrow,
}

/// Identifies a bid or a lease.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LeaseId {
    /// Tenant.
    pub owner: String,
    /// Deployment sequence.
    pub dseq: u64,
    /// Group sequence.
    pub gseq: u32,
    /// Order sequence (always 1 here).
    pub oseq: u32,
    /// Provider.
    pub provider: String,
    /// Bid sequence.
    pub bseq: u32,
}

impl LeaseId {
    fn from_proto(id: &proto::BidId) -> Self {
        LeaseId {
            owner: id.owner.clone(),
            dseq: id.dseq,
            gseq: id.gseq,
            oseq: id.oseq,
            provider: id.provider.clone(),
            bseq: id.bseq,
        }
    }
}

/// A bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bid {
    /// Id.
    pub id: LeaseId,
    /// State.
    pub state: BidState,
    /// Price per block, atto uact.
    pub price: u128,
    /// Height.
    pub created_at: u64,
}

/// A lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// Id.
    pub id: LeaseId,
    /// State.
    pub state: LeaseState,
    /// Price per block, atto uact.
    pub price: u128,
    /// Height.
    pub created_at: u64,
    /// Height of closing, 0 while open.
    pub closed_on: u64,
    /// Paid to the provider so far, atto uact.
    pub paid: u128,
}

/// An ACT mint waiting for the next block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMint {
    /// Recipient.
    pub to: String,
    /// uakt burnt.
    pub burned: u128,
    /// uact to credit.
    pub minted: u128,
    /// Height of the tx.
    pub height: u64,
}

/// Everything a block changes; cloned to make a tx's messages atomic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Chain id.
    pub chain_id: String,
    /// Last block height (0 before the first block).
    pub height: u64,
    /// Last block time, unix milliseconds.
    pub time_ms: u64,
    /// Accounts by address.
    pub accounts: BTreeMap<String, Account>,
    /// Next account number.
    pub next_account_number: u64,
    /// Deployments.
    pub deployments: Vec<Deployment>,
    /// Bids.
    pub bids: Vec<Bid>,
    /// Leases.
    pub leases: Vec<Lease>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// Mints for the next block.
    pub pending_mints: Vec<PendingMint>,
}

/// Genesis of a fresh chain.
#[derive(Debug, Clone, Default)]
pub struct Genesis {
    /// Chain id.
    pub chain_id: String,
    /// Genesis time, unix milliseconds.
    pub time_ms: u64,
    /// Funded accounts: (address, uakt, uact).
    pub accounts: Vec<(String, u128, u128)>,
    /// Simulated providers.
    pub providers: Vec<providers::ProviderConfig>,
}

/// A chain error: code, codespace and log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    /// Code.
    pub code: u32,
    /// Codespace.
    pub codespace: &'static str,
    /// Log.
    pub log: String,
}

fn sdk(code: u32, message: impl Into<String>, kind: &str) -> ChainError {
    ChainError { code, codespace: "sdk", log: format!("{}: {kind}", message.into()) }
}

fn module(codespace: &'static str, code: u32, message: impl Into<String>) -> ChainError {
    ChainError { code, codespace, log: message.into() }
}

fn insufficient_funds(have: u128, want: u128, denom: &str) -> ChainError {
    sdk(5, format!("spendable balance {have}{denom} is smaller than {want}{denom}"), "insufficient funds")
}

/// A tx after CheckTx, waiting for the next block.
#[derive(Debug, Clone)]
struct Queued {
    bytes: Vec<u8>,
    hash: String,
}

/// A decoded and checked tx.
struct Decoded {
    signer: String,
    pubkey: [u8; 33],
    sequence: u64,
    fee: u128,
    gas_limit: u64,
    messages: Vec<proto::Any>,
    signature: Vec<u8>,
    body_bytes: Vec<u8>,
    auth_info_bytes: Vec<u8>,
}

/// The chain.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    state: State,
    txs: BTreeMap<String, TxRecord>,
    mempool: Vec<Queued>,
    /// Sequence per account counting mempool txs (CheckTx state).
    check_sequence: BTreeMap<String, u64>,
}

/// The devnet's gas estimate: a base, the tx size, and a cost per message kind. Deterministic so
/// simulate and delivery agree.
#[must_use]
pub fn gas_estimate(tx_len: usize, messages: &[proto::Any]) -> u64 {
    let per_message: u64 = messages
        .iter()
        .map(|m| match m.type_url.as_str() {
            proto::MsgCreateDeployment::TYPE_URL => 120_000,
            proto::MsgCreateLease::TYPE_URL => 90_000,
            _ => 40_000,
        })
        .sum();
    60_000 + 10 * tx_len as u64 + per_message
}

/// Upper-case hex SHA-256.
#[must_use]
pub fn tx_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02X}")).collect()
}

fn required_fee(gas_limit: u64) -> u128 {
    u128::from(gas_limit.div_ceil(MIN_GAS_PRICE_DENOMINATOR))
}

fn message_signer(any: &proto::Any) -> Result<String, ChainError> {
    let bad = |_| sdk(2, format!("cannot decode {}", any.type_url), "tx parse error");
    let v = any.value.as_slice();
    Ok(match any.type_url.as_str() {
        proto::MsgCreateDeployment::TYPE_URL => {
            proto::MsgCreateDeployment::decode(v).map_err(bad)?.id.map(|i| i.owner).unwrap_or_default()
        }
        proto::MsgUpdateDeployment::TYPE_URL => {
            proto::MsgUpdateDeployment::decode(v).map_err(bad)?.id.map(|i| i.owner).unwrap_or_default()
        }
        proto::MsgCloseDeployment::TYPE_URL => {
            proto::MsgCloseDeployment::decode(v).map_err(bad)?.id.map(|i| i.owner).unwrap_or_default()
        }
        proto::MsgCreateLease::TYPE_URL => {
            proto::MsgCreateLease::decode(v).map_err(bad)?.bid_id.map(|i| i.owner).unwrap_or_default()
        }
        proto::MsgCloseLease::TYPE_URL => {
            proto::MsgCloseLease::decode(v).map_err(bad)?.id.map(|i| i.owner).unwrap_or_default()
        }
        proto::MsgAccountDeposit::TYPE_URL => proto::MsgAccountDeposit::decode(v).map_err(bad)?.signer,
        proto::MsgMintAct::TYPE_URL => proto::MsgMintAct::decode(v).map_err(bad)?.owner,
        other => return Err(sdk(2, format!("unable to resolve type URL {other}"), "tx parse error")),
    })
}

impl Chain {
    /// A fresh chain at height 0.
    #[must_use]
    pub fn genesis(genesis: &Genesis) -> Self {
        let mut state = State {
            chain_id: genesis.chain_id.clone(),
            time_ms: genesis.time_ms,
            next_account_number: 0,
            ..State::default()
        };
        for (address, uakt, uact) in &genesis.accounts {
            let account = state.open_account(address);
            account.uakt += uakt;
            account.uact += uact;
        }
        for (index, config) in genesis.providers.iter().enumerate() {
            let provider = Provider::from_config(index, config);
            state.open_account(&provider.owner);
            state.providers.push(provider);
        }
        Chain { state, ..Chain::default() }
    }

    /// The state (for queries and persistence).
    #[must_use]
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Registers (or replaces) a provider's certificate PEM and host URI — genesis-time setup
    /// for the provider gateway, which serves that certificate at that URI.
    pub fn set_provider_endpoint(&mut self, owner: &str, host_uri: &str, cert_pem: Option<String>) -> bool {
        match self.state.providers.iter_mut().find(|p| p.owner == owner) {
            Some(p) => {
                p.host_uri = host_uri.to_owned();
                p.cert_pem = cert_pem;
                true
            }
            None => false,
        }
    }

    /// Everything to persist: the state and the delivered txs (the mempool is not kept).
    pub fn snapshot(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&(&self.state, &self.txs))
    }

    /// A chain from [`Chain::snapshot`] bytes.
    pub fn restore(bytes: &[u8]) -> serde_json::Result<Self> {
        let (state, txs): (State, BTreeMap<String, TxRecord>) = serde_json::from_slice(bytes)?;
        Ok(Chain { state, txs, ..Chain::default() })
    }

    /// A delivered tx by upper-case hex hash.
    #[must_use]
    pub fn tx(&self, hash: &str) -> Option<&TxRecord> {
        self.txs.get(&hash.to_ascii_uppercase())
    }

    /// A lease.
    #[must_use]
    pub fn lease(&self, id: &LeaseId) -> Option<&Lease> {
        self.state.leases.iter().find(|l| &l.id == id)
    }

    /// A deployment (hash and groups inside).
    #[must_use]
    pub fn deployment(&self, owner: &str, dseq: u64) -> Option<&Deployment> {
        self.state.deployment(owner, dseq)
    }

    /// An account's public key, once known on chain.
    #[must_use]
    pub fn account_pubkey(&self, address: &str) -> Option<[u8; 33]> {
        self.state.accounts.get(address)?.pubkey.as_deref()?.try_into().ok()
    }

    /// A provider.
    #[must_use]
    pub fn provider(&self, address: &str) -> Option<&Provider> {
        self.state.providers.iter().find(|p| p.owner == address)
    }

    /// Decodes and checks a tx as the ante handler does; `check_signature` is off in simulate.
    fn decode(&self, tx_bytes: &[u8], check_signature: bool, expected_sequence: u64) -> Result<Decoded, ChainError> {
        let parse = |what: &str| sdk(2, format!("cannot decode the {what}"), "tx parse error");
        let raw = proto::TxRaw::decode(tx_bytes).map_err(|_| parse("TxRaw"))?;
        let body = proto::TxBody::decode(raw.body_bytes.as_slice()).map_err(|_| parse("TxBody"))?;
        let auth = proto::AuthInfo::decode(raw.auth_info_bytes.as_slice()).map_err(|_| parse("AuthInfo"))?;
        if body.messages.is_empty() {
            return Err(sdk(18, "must contain at least one message", "invalid request"));
        }
        if body.memo.len() > MAX_MEMO_BYTES {
            return Err(sdk(
                12,
                format!("maximum number of characters is {MAX_MEMO_BYTES} but received {} characters", body.memo.len()),
                "memo too large",
            ));
        }
        if auth.signer_infos.len() != 1 || raw.signatures.len() != 1 {
            return Err(sdk(
                4,
                format!(
                    "wrong number of signers; expected 1, got {} (signatures {})",
                    auth.signer_infos.len(),
                    raw.signatures.len()
                ),
                "unauthorized",
            ));
        }
        let info = &auth.signer_infos[0];
        let mode = info.mode_info.and_then(|m| m.single).map(|s| s.mode);
        if mode != Some(proto::SIGN_MODE_DIRECT) {
            return Err(sdk(18, "the devnet accepts only SIGN_MODE_DIRECT with a single signer", "invalid request"));
        }
        let key_any =
            info.public_key.as_ref().ok_or_else(|| sdk(8, "the signer info has no public key", "invalid pubkey"))?;
        if key_any.type_url != proto::PubKey::TYPE_URL {
            return Err(sdk(8, format!("unsupported public key type {}", key_any.type_url), "invalid pubkey"));
        }
        let key = proto::PubKey::decode(key_any.value.as_slice()).map_err(|_| parse("public key"))?;
        let pubkey = leasekit_tx::key::parse_public_key(&key.key).map_err(|e| sdk(8, e.message, "invalid pubkey"))?;
        let signer = leasekit_tx::address::from_public_key(&pubkey);
        for m in &body.messages {
            let s = message_signer(m)?;
            if s != signer {
                return Err(sdk(
                    8,
                    format!("pubKey does not match signer address {s} with signer index: 0 ({})", m.type_url),
                    "invalid pubkey",
                ));
            }
        }
        let fee = auth.fee.clone().unwrap_or_default();
        let mut paid: u128 = 0;
        for c in &fee.amount {
            if c.denom == "uakt" {
                paid += c.amount.parse::<u128>().map_err(|_| parse("fee"))?;
            }
        }
        let required = required_fee(fee.gas_limit);
        if paid < required {
            let got: Vec<String> = fee.amount.iter().map(|c| format!("{}{}", c.amount, c.denom)).collect();
            return Err(sdk(
                13,
                format!("insufficient fees; got: {} required: {required}uakt", got.join(",")),
                "insufficient fee",
            ));
        }
        let account = self
            .state
            .accounts
            .get(&signer)
            .ok_or_else(|| sdk(9, format!("account {signer} not found"), "unknown address"))?;
        if account.uakt < paid {
            return Err(insufficient_funds(account.uakt, paid, "uakt"));
        }
        if let Some(stored) = &account.pubkey
            && stored.as_slice() != pubkey.as_slice()
        {
            return Err(sdk(
                8,
                format!("pubKey does not match signer address {signer} with signer index: 0"),
                "invalid pubkey",
            ));
        }
        if info.sequence != expected_sequence {
            return Err(sdk(
                32,
                format!("account sequence mismatch, expected {expected_sequence}, got {}", info.sequence),
                "incorrect account sequence",
            ));
        }
        if check_signature {
            let doc = proto::SignDoc {
                body_bytes: raw.body_bytes.clone(),
                auth_info_bytes: raw.auth_info_bytes.clone(),
                chain_id: self.state.chain_id.clone(),
                account_number: account.number,
            };
            if leasekit_tx::key::verify(&pubkey, &doc.encode_to_vec(), &raw.signatures[0]).is_err() {
                return Err(sdk(
                    4,
                    format!(
                        "signature verification failed; please verify account number ({}), sequence ({}) and chain-id ({})",
                        account.number, info.sequence, self.state.chain_id
                    ),
                    "unauthorized",
                ));
            }
        }
        Ok(Decoded {
            signer,
            pubkey,
            sequence: info.sequence,
            fee: paid,
            gas_limit: fee.gas_limit,
            messages: body.messages,
            signature: raw.signatures[0].clone(),
            body_bytes: raw.body_bytes,
            auth_info_bytes: raw.auth_info_bytes,
        })
    }

    fn expected_sequence(&self, tx_bytes: &[u8]) -> u64 {
        // The signer is only known after decoding; peek at it to pick the check-state sequence.
        let signer = signer_of(tx_bytes);
        match signer {
            Some(s) => self
                .check_sequence
                .get(&s)
                .copied()
                .or_else(|| self.state.accounts.get(&s).map(|a| a.sequence))
                .unwrap_or(0),
            None => 0,
        }
    }

    /// CheckTx: on success the tx waits in the mempool for the next block.
    pub fn check_tx(&mut self, tx_bytes: &[u8]) -> TxResult {
        let hash = tx_hash(tx_bytes);
        let expected = self.expected_sequence(tx_bytes);
        match self.decode(tx_bytes, true, expected) {
            Ok(d) => {
                self.check_sequence.insert(d.signer, d.sequence + 1);
                self.mempool.push(Queued { bytes: tx_bytes.to_vec(), hash: hash.clone() });
                TxResult { hash, code: 0, codespace: String::new(), raw_log: "[]".to_owned() }
            }
            Err(e) => TxResult { hash, code: e.code, codespace: e.codespace.to_owned(), raw_log: e.log },
        }
    }

    /// Simulate: the ante checks without the signature, and the gas estimate.
    pub fn simulate(&self, tx_bytes: &[u8]) -> Result<u64, ChainError> {
        let d = self.decode(tx_bytes, false, self.expected_sequence(tx_bytes))?;
        Ok(gas_estimate(tx_bytes.len(), &d.messages))
    }

    /// Number of txs waiting for the next block.
    #[must_use]
    pub fn mempool_len(&self) -> usize {
        self.mempool.len()
    }

    /// Produces one block at `time_ms` (unix milliseconds): providers bid, pending mints are
    /// credited, the mempool's txs run in order, escrow pays the leases. Returns the results.
    pub fn deliver_block(&mut self, time_ms: u64) -> Vec<TxResult> {
        self.state.height += 1;
        self.state.time_ms = time_ms.max(self.state.time_ms);
        let height = self.state.height;
        providers::bid_on_open_orders(&mut self.state);
        self.state.credit_mints();
        let queued = std::mem::take(&mut self.mempool);
        self.check_sequence.clear();
        let mut results = Vec::new();
        for q in queued {
            let record = self.deliver_tx(&q);
            results.push(record.result.clone());
            self.txs.insert(q.hash.clone(), record);
        }
        self.state.settle_escrow(height);
        results
    }

    fn deliver_tx(&mut self, q: &Queued) -> TxRecord {
        let height = self.state.height;
        let mut record = TxRecord {
            result: TxResult { hash: q.hash.clone(), code: 0, codespace: String::new(), raw_log: "[]".to_owned() },
            height,
            time_ms: self.state.time_ms,
            gas_wanted: 0,
            gas_used: 0,
            events: Vec::new(),
            tx_bytes: q.bytes.clone(),
        };
        let fail = |mut record: TxRecord, e: ChainError| {
            record.result.code = e.code;
            record.result.codespace = e.codespace.to_owned();
            record.result.raw_log = e.log;
            record
        };
        let sequence =
            self.state.accounts.get(&signer_of(&q.bytes).unwrap_or_default()).map(|a| a.sequence).unwrap_or(0);
        let d = match self.decode(&q.bytes, true, sequence) {
            Ok(d) => d,
            Err(e) => return fail(record, e),
        };
        let _ = (&d.signature, &d.body_bytes, &d.auth_info_bytes);
        record.gas_wanted = d.gas_limit;
        record.gas_used = gas_estimate(q.bytes.len(), &d.messages);
        // Ante effects persist even if the messages fail: fee, sequence, pubkey.
        if let Some(account) = self.state.accounts.get_mut(&d.signer) {
            account.uakt -= d.fee;
            account.sequence += 1;
            account.pubkey = Some(d.pubkey.to_vec());
        }
        record.events.push(Event {
            kind: "tx".to_owned(),
            attributes: vec![
                ("fee".to_owned(), format!("{}uakt", d.fee)),
                ("fee_payer".to_owned(), d.signer.clone()),
                ("acc_seq".to_owned(), format!("{}/{}", d.signer, d.sequence)),
            ],
        });
        if record.gas_used > d.gas_limit {
            record.gas_used = d.gas_limit;
            return fail(
                record,
                sdk(
                    11,
                    format!(
                        "out of gas in location: devnet estimate; gasWanted: {}, gasUsed: {}",
                        d.gas_limit,
                        gas_estimate(q.bytes.len(), &d.messages)
                    ),
                    "out of gas",
                ),
            );
        }
        let mut scratch = self.state.clone();
        let mut events = Vec::new();
        for m in &d.messages {
            events.push(Event {
                kind: "message".to_owned(),
                attributes: vec![
                    ("action".to_owned(), m.type_url.clone()),
                    ("sender".to_owned(), d.signer.clone()),
                    ("msg_index".to_owned(), events.len().to_string()),
                ],
            });
            match scratch.execute(m, &mut events) {
                Ok(()) => {}
                Err(e) => {
                    let index = events.len() - 1;
                    let mut e = e;
                    e.log = format!("failed to execute message; message index: {index}: {}", e.log);
                    return fail(record, e);
                }
            }
        }
        self.state = scratch;
        record.events.extend(events);
        record
    }
}

/// The address of a TxRaw's first signer key, without any checks.
fn signer_of(tx_bytes: &[u8]) -> Option<String> {
    let raw = proto::TxRaw::decode(tx_bytes).ok()?;
    let info = proto::AuthInfo::decode(raw.auth_info_bytes.as_slice()).ok()?.signer_infos.into_iter().next()?;
    let key = proto::PubKey::decode(info.public_key?.value.as_slice()).ok()?;
    Some(leasekit_tx::address::from_public_key(&<[u8; 33]>::try_from(key.key.as_slice()).ok()?))
}

fn resource_value(v: Option<&proto::ResourceValue>) -> Option<u128> {
    std::str::from_utf8(&v?.val).ok()?.parse().ok()
}

fn check_groups(groups: &[proto::GroupSpec]) -> Result<(), ChainError> {
    let bad = |m: String| module("deployment", 6, format!("invalid groups: {m}"));
    if groups.is_empty() {
        return Err(bad("a deployment needs at least one group".to_owned()));
    }
    let mut names = std::collections::BTreeSet::new();
    for g in groups {
        if g.name.is_empty() {
            return Err(bad("a group name is empty".to_owned()));
        }
        if !names.insert(g.name.as_str()) {
            return Err(bad(format!("group name '{}' is used twice", g.name)));
        }
        if g.resources.is_empty() {
            return Err(bad(format!("group '{}' has no resources", g.name)));
        }
        let mut ids = std::collections::BTreeSet::new();
        for unit in &g.resources {
            let Some(r) = &unit.resource else {
                return Err(bad(format!("group '{}': a resource unit has no resources", g.name)));
            };
            if r.id == 0 || !ids.insert(r.id) {
                return Err(bad(format!("group '{}': resource id {} must be > 0 and unique", g.name, r.id)));
            }
            let cpu = resource_value(r.cpu.as_ref().and_then(|c| c.units.as_ref()));
            let memory = resource_value(r.memory.as_ref().and_then(|m| m.quantity.as_ref()));
            let gpu = resource_value(r.gpu.as_ref().and_then(|g| g.units.as_ref()));
            let what = format!("group '{}' resource {}", g.name, r.id);
            match cpu {
                Some(u) if (10..=384_000).contains(&u) => {}
                _ => return Err(bad(format!("{what}: cpu must be present, 10..=384000 millicores"))),
            }
            match memory {
                Some(q) if ((1 << 20)..=(2 << 40)).contains(&q) => {}
                _ => return Err(bad(format!("{what}: memory must be present, 1Mi..=2Ti"))),
            }
            match gpu {
                Some(u) if u <= 24 => {}
                _ => return Err(bad(format!("{what}: gpu must be present (units 0..=24)"))),
            }
            if r.storage.is_empty() {
                return Err(bad(format!("{what}: at least one storage volume is required")));
            }
            for s in &r.storage {
                match resource_value(s.quantity.as_ref()) {
                    Some(q) if ((5 << 20)..=(32 << 40)).contains(&q) => {}
                    _ => return Err(bad(format!("{what}: storage '{}' must be 5Mi..=32Ti", s.name))),
                }
            }
            let price = unit
                .price
                .as_ref()
                .ok_or_else(|| module("deployment", 9, format!("invalid price: {what} has no price")))?;
            if price.denom != "uact" {
                return Err(module(
                    "deployment",
                    9,
                    format!(
                        "invalid price: group '{}' is priced in {}; since the v2.0 (BME) upgrade new deployments must be priced in uact",
                        g.name, price.denom
                    ),
                ));
            }
            match dec::parse_wire(&price.amount) {
                Some(p) if p > 0 && p <= MAX_UNIT_PRICE => {}
                _ => {
                    return Err(module(
                        "deployment",
                        9,
                        format!("invalid price: {what}: the price must be above 0 and at most 10000000uact"),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn deposit_amount(
    deposit: Option<&proto::Deposit>,
    codespace: &'static str,
    code: u32,
) -> Result<(String, u128), ChainError> {
    let bad = |m: String| module(codespace, code, format!("invalid deposit: {m}"));
    let d = deposit.ok_or_else(|| bad("the deposit is missing".to_owned()))?;
    let amount = d.amount.as_ref().ok_or_else(|| bad("the deposit has no amount".to_owned()))?;
    let value: u128 = amount.amount.parse().map_err(|_| bad(format!("'{}' is not an amount", amount.amount)))?;
    if d.sources.is_empty() {
        return Err(bad("a deposit needs a source (balance)".to_owned()));
    }
    let mut seen = Vec::new();
    for s in &d.sources {
        if seen.contains(s) {
            return Err(bad("a deposit source is listed twice".to_owned()));
        }
        seen.push(*s);
        match proto::DepositSource::try_from(*s) {
            Ok(proto::DepositSource::Balance) => {}
            Ok(proto::DepositSource::Grant) => {
                return Err(bad(
                    "deposits from an authz grant are not supported by the devnet; use source balance".to_owned()
                ));
            }
            _ => return Err(bad(format!("unknown deposit source {s}"))),
        }
    }
    Ok((amount.denom.clone(), value))
}

fn decode<M: Message + Default>(any: &proto::Any) -> Result<M, ChainError> {
    M::decode(any.value.as_slice()).map_err(|_| sdk(2, format!("cannot decode {}", any.type_url), "tx parse error"))
}

fn event(kind: &str, attributes: &[(&str, String)]) -> Event {
    Event { kind: kind.to_owned(), attributes: attributes.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect() }
}

impl State {
    fn open_account(&mut self, address: &str) -> &mut Account {
        let next = &mut self.next_account_number;
        self.accounts.entry(address.to_owned()).or_insert_with(|| {
            let number = *next;
            *next += 1;
            Account { address: address.to_owned(), number, sequence: 0, pubkey: None, uakt: 0, uact: 0 }
        })
    }

    /// A deployment by id.
    #[must_use]
    pub fn deployment(&self, owner: &str, dseq: u64) -> Option<&Deployment> {
        self.deployments.iter().find(|d| d.owner == owner && d.dseq == dseq)
    }

    fn deployment_mut(&mut self, owner: &str, dseq: u64) -> Result<&mut Deployment, ChainError> {
        self.deployments
            .iter_mut()
            .find(|d| d.owner == owner && d.dseq == dseq)
            .ok_or_else(|| module("deployment", 3, format!("deployment not found: {owner}/{dseq}")))
    }

    fn spend(&mut self, address: &str, denom: &str, amount: u128) -> Result<(), ChainError> {
        let account = self.accounts.get_mut(address).ok_or_else(|| insufficient_funds(0, amount, denom))?;
        let balance = match denom {
            "uakt" => &mut account.uakt,
            "uact" => &mut account.uact,
            other => return Err(insufficient_funds(0, amount, other)),
        };
        if *balance < amount {
            return Err(insufficient_funds(*balance, amount, denom));
        }
        *balance -= amount;
        Ok(())
    }

    fn execute(&mut self, any: &proto::Any, events: &mut Vec<Event>) -> Result<(), ChainError> {
        match any.type_url.as_str() {
            proto::MsgCreateDeployment::TYPE_URL => self.create_deployment(&decode(any)?, events),
            proto::MsgUpdateDeployment::TYPE_URL => self.update_deployment(&decode(any)?, events),
            proto::MsgCloseDeployment::TYPE_URL => {
                let m: proto::MsgCloseDeployment = decode(any)?;
                let id = m.id.unwrap_or_default();
                let d = self.deployment_mut(&id.owner, id.dseq)?;
                if d.state != DeploymentState::Active {
                    return Err(module("deployment", 4, format!("deployment closed: {}/{}", id.owner, id.dseq)));
                }
                self.close_deployment(&id.owner, id.dseq, false);
                events.push(event(
                    "akash.deployment.v1.EventDeploymentClosed",
                    &[("owner", id.owner), ("dseq", id.dseq.to_string())],
                ));
                Ok(())
            }
            proto::MsgCreateLease::TYPE_URL => self.create_lease(&decode(any)?, events),
            proto::MsgCloseLease::TYPE_URL => {
                let m: proto::MsgCloseLease = decode(any)?;
                let id = LeaseId::from_proto(&m.id.unwrap_or_default());
                let height = self.height;
                let lease = self
                    .leases
                    .iter_mut()
                    .find(|l| l.id == id)
                    .ok_or_else(|| module("market", 5, format!("lease not found: {id:?}")))?;
                if lease.state != LeaseState::Active {
                    return Err(module("market", 6, format!("lease not active: it is {}", lease.state.name())));
                }
                lease.state = LeaseState::Closed;
                lease.closed_on = height;
                for b in self.bids.iter_mut().filter(|b| b.id == id) {
                    b.state = BidState::Closed;
                }
                // The group's order closes with its lease; the group stays open, as on chain the
                // tenant then closes the group or deployment.
                if let Ok(d) = self.deployment_mut(&id.owner, id.dseq)
                    && let Some(g) = d.groups.iter_mut().find(|g| g.gseq == id.gseq)
                {
                    g.order_state = OrderState::Closed;
                }
                events.push(event(
                    "akash.market.v1.EventLeaseClosed",
                    &[("owner", id.owner), ("dseq", id.dseq.to_string())],
                ));
                Ok(())
            }
            proto::MsgAccountDeposit::TYPE_URL => {
                let m: proto::MsgAccountDeposit = decode(any)?;
                let id = m.id.unwrap_or_default();
                if id.scope != 1 {
                    return Err(module(
                        "escrow",
                        4,
                        "invalid deposit: the devnet holds deployment escrow accounts only (scope deployment)",
                    ));
                }
                let (owner, dseq) =
                    id.xid.split_once('/').and_then(|(o, d)| Some((o.to_owned(), d.parse::<u64>().ok()?))).ok_or_else(
                        || module("escrow", 4, format!("invalid deposit: xid '{}' is not owner/dseq", id.xid)),
                    )?;
                let (denom, amount) = deposit_amount(m.deposit.as_ref(), "escrow", 4)?;
                let height = self.height;
                let escrow = &self
                    .deployment(&owner, dseq)
                    .ok_or_else(|| module("escrow", 2, format!("escrow account not found: deployment/{}", id.xid)))?
                    .escrow;
                if escrow.state != EscrowState::Open {
                    return Err(module("escrow", 3, format!("escrow account closed: deployment/{}", id.xid)));
                }
                if denom != escrow.denom || amount == 0 {
                    return Err(module(
                        "escrow",
                        4,
                        format!(
                            "invalid deposit: {amount}{denom}; this escrow account holds {} and needs a positive amount",
                            escrow.denom
                        ),
                    ));
                }
                self.spend(&m.signer, &denom, amount)?;
                let d = self.deployment_mut(&owner, dseq)?;
                d.escrow.balance += amount * SCALE;
                d.escrow.deposits.push((m.signer.clone(), height, amount));
                events.push(event(
                    "akash.escrow.v1.EventAccountDeposit",
                    &[("xid", id.xid), ("amount", format!("{amount}{denom}"))],
                ));
                Ok(())
            }
            proto::MsgMintAct::TYPE_URL => {
                let m: proto::MsgMintAct = decode(any)?;
                if m.owner != m.to {
                    return Err(module("bme", 2, "invalid mint: to must equal owner when minting ACT"));
                }
                let coin = m.coins_to_burn.unwrap_or_default();
                let burned: u128 = coin.amount.parse().unwrap_or(0);
                if coin.denom != "uakt" || burned == 0 {
                    return Err(module(
                        "bme",
                        2,
                        format!(
                            "invalid mint: MsgMintACT burns a positive amount of uakt, not '{}{}'",
                            coin.amount, coin.denom
                        ),
                    ));
                }
                let minted = burned * (10_000 - MINT_SPREAD_BPS) / 10_000;
                if minted < MIN_MINT {
                    return Err(module(
                        "bme",
                        3,
                        format!(
                            "mint below min_mint: {burned}uakt gives {minted}uact; the minimum is {MIN_MINT}uact (10 ACT)"
                        ),
                    ));
                }
                self.spend(&m.owner, "uakt", burned)?;
                let height = self.height;
                self.pending_mints.push(PendingMint { to: m.to.clone(), burned, minted, height });
                events.push(event(
                    "akash.bme.v1.EventMintQueued",
                    &[("to", m.to), ("burned", format!("{burned}uakt")), ("minted", format!("{minted}uact"))],
                ));
                Ok(())
            }
            other => Err(sdk(2, format!("unable to resolve type URL {other}"), "tx parse error")),
        }
    }

    fn create_deployment(&mut self, m: &proto::MsgCreateDeployment, events: &mut Vec<Event>) -> Result<(), ChainError> {
        let id = m.id.clone().unwrap_or_default();
        if id.owner.is_empty() || id.dseq == 0 {
            return Err(module("deployment", 5, "invalid deployment id: owner must be set and dseq non-zero"));
        }
        if self.deployment(&id.owner, id.dseq).is_some() {
            return Err(module("deployment", 2, format!("deployment exists: {}/{}", id.owner, id.dseq)));
        }
        if m.hash.len() != 32 {
            return Err(module("deployment", 7, format!("invalid hash: expected 32 bytes, got {}", m.hash.len())));
        }
        check_groups(&m.groups)?;
        let (denom, amount) = deposit_amount(m.deposit.as_ref(), "deployment", 8)?;
        if denom != "uact" {
            return Err(module(
                "deployment",
                8,
                format!(
                    "invalid deposit: {amount}{denom}; since the v2.0 (BME) upgrade new deployments are funded in uact"
                ),
            ));
        }
        if amount < MIN_DEPOSIT {
            return Err(module(
                "deployment",
                8,
                format!("invalid deposit: {amount}uact is below the minimum deposit of {MIN_DEPOSIT}uact"),
            ));
        }
        self.spend(&id.owner, "uact", amount)?;
        let height = self.height;
        let groups = m
            .groups
            .iter()
            .enumerate()
            .map(|(i, spec)| Group {
                gseq: u32::try_from(i + 1).unwrap_or(u32::MAX),
                state: GroupState::Open,
                spec: spec.clone(),
                order_state: OrderState::Open,
                created_at: height,
            })
            .collect();
        self.deployments.push(Deployment {
            owner: id.owner.clone(),
            dseq: id.dseq,
            state: DeploymentState::Active,
            hash: m.hash.clone(),
            created_at: height,
            groups,
            escrow: Escrow {
                state: EscrowState::Open,
                denom,
                balance: amount * SCALE,
                transferred: 0,
                deposits: vec![(id.owner.clone(), height, amount)],
                settled_at: height,
            },
        });
        events.push(event(
            "akash.deployment.v1.EventDeploymentCreated",
            &[("owner", id.owner), ("dseq", id.dseq.to_string())],
        ));
        Ok(())
    }

    fn update_deployment(&mut self, m: &proto::MsgUpdateDeployment, events: &mut Vec<Event>) -> Result<(), ChainError> {
        let id = m.id.clone().unwrap_or_default();
        let d = self.deployment_mut(&id.owner, id.dseq)?;
        if d.state != DeploymentState::Active {
            return Err(module("deployment", 4, format!("deployment closed: {}/{}", id.owner, id.dseq)));
        }
        if m.hash.len() != 32 {
            return Err(module("deployment", 7, format!("invalid hash: expected 32 bytes, got {}", m.hash.len())));
        }
        if m.hash == d.hash {
            return Err(module(
                "deployment",
                7,
                "invalid hash: the new hash equals the current one (nothing to update)",
            ));
        }
        d.hash = m.hash.clone();
        events.push(event(
            "akash.deployment.v1.EventDeploymentUpdated",
            &[("owner", id.owner), ("dseq", id.dseq.to_string())],
        ));
        Ok(())
    }

    fn create_lease(&mut self, m: &proto::MsgCreateLease, events: &mut Vec<Event>) -> Result<(), ChainError> {
        let id = LeaseId::from_proto(&m.bid_id.clone().unwrap_or_default());
        let bid = self.bids.iter().find(|b| b.id == id).ok_or_else(|| {
            module(
                "market",
                2,
                format!("bid not found: {}/{}/{}/{}/{}/{}", id.owner, id.dseq, id.gseq, id.oseq, id.provider, id.bseq),
            )
        })?;
        if bid.state != BidState::Open {
            return Err(module("market", 3, format!("bid not open: it is {}", bid.state.name())));
        }
        let price = bid.price;
        let height = self.height;
        let d = self.deployment_mut(&id.owner, id.dseq)?;
        let group = d
            .groups
            .iter_mut()
            .find(|g| g.gseq == id.gseq)
            .ok_or_else(|| module("market", 7, format!("invalid id: no group {}", id.gseq)))?;
        if group.order_state != OrderState::Open || group.state != GroupState::Open || id.oseq != 1 {
            return Err(module("market", 4, format!("order not open: it is {}", group.order_state.name())));
        }
        group.order_state = OrderState::Active;
        for b in self.bids.iter_mut() {
            if (&b.id.owner, b.id.dseq, b.id.gseq, b.id.oseq) == (&id.owner, id.dseq, id.gseq, id.oseq) {
                b.state = if b.id == id { BidState::Active } else { BidState::Lost };
            }
        }
        self.leases.push(Lease {
            id: id.clone(),
            state: LeaseState::Active,
            price,
            created_at: height,
            closed_on: 0,
            paid: 0,
        });
        events.push(event(
            "akash.market.v1.EventLeaseCreated",
            &[
                ("owner", id.owner),
                ("dseq", id.dseq.to_string()),
                ("provider", id.provider),
                ("price", dec::format(price)),
            ],
        ));
        Ok(())
    }

    /// Closes a deployment, its orders, bids and leases; refunds the escrow unless it ran dry.
    fn close_deployment(&mut self, owner: &str, dseq: u64, dry: bool) {
        let height = self.height;
        let mut refund = 0;
        if let Some(d) = self.deployments.iter_mut().find(|d| d.owner == owner && d.dseq == dseq) {
            d.state = DeploymentState::Closed;
            for g in &mut d.groups {
                g.state = if dry { GroupState::InsufficientFunds } else { GroupState::Closed };
                g.order_state = OrderState::Closed;
            }
            if dry {
                d.escrow.state = EscrowState::Overdrawn;
            } else {
                refund = d.escrow.balance / SCALE;
                d.escrow.balance -= refund * SCALE;
                d.escrow.state = EscrowState::Closed;
            }
            d.escrow.settled_at = height;
        }
        for b in self.bids.iter_mut().filter(|b| b.id.owner == owner && b.id.dseq == dseq) {
            if matches!(b.state, BidState::Open | BidState::Active) {
                b.state = BidState::Closed;
            }
        }
        for l in self.leases.iter_mut().filter(|l| l.id.owner == owner && l.id.dseq == dseq) {
            if l.state == LeaseState::Active {
                l.state = if dry { LeaseState::InsufficientFunds } else { LeaseState::Closed };
                l.closed_on = height;
            }
        }
        if let Some(a) = self.accounts.get_mut(owner) {
            a.uact += refund;
        }
    }

    fn credit_mints(&mut self) {
        let height = self.height;
        let (due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.pending_mints).into_iter().partition(|m| m.height < height);
        self.pending_mints = later;
        for m in due {
            self.open_account(&m.to).uact += m.minted;
        }
    }

    /// Pays every active lease one block from its deployment's escrow.
    fn settle_escrow(&mut self, height: u64) {
        let mut dry = Vec::new();
        for d in self.deployments.iter_mut().filter(|d| d.state == DeploymentState::Active) {
            let leases: Vec<&mut Lease> = self
                .leases
                .iter_mut()
                .filter(|l| l.id.owner == d.owner && l.id.dseq == d.dseq && l.state == LeaseState::Active)
                .collect();
            let due: u128 = leases.iter().map(|l| l.price).sum();
            if due == 0 {
                continue;
            }
            if d.escrow.balance < due {
                // Whatever is left goes out, then the deployment closes for lack of funds.
                d.escrow.transferred += d.escrow.balance;
                d.escrow.balance = 0;
                dry.push((d.owner.clone(), d.dseq));
                continue;
            }
            d.escrow.balance -= due;
            d.escrow.transferred += due;
            d.escrow.settled_at = height;
            for l in leases {
                l.paid += l.price;
            }
        }
        for (owner, dseq) in dry {
            self.close_deployment(&owner, dseq, true);
        }
    }
}
