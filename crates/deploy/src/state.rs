//! The wizard's state: JSON-persisted and resumable without paying twice.
//!
//! A transaction's hash is the SHA-256 of its signed bytes, so it is known before the
//! broadcast. The flow therefore records the signed transaction (hash, bytes, the sequence it
//! was signed at) in the state and hands the state to the caller's `save` callback *before*
//! broadcasting. After a reload, [`crate::flow::Deployer::resume`] asks the chain what became of
//! that exact transaction (by hash), of the deployment (owner + dseq) and of its leases; if the
//! transaction is nowhere to be seen it re-broadcasts the *same bytes*, which the chain can
//! include at most once (same account sequence). A second create or lease is never signed.
//!
//! The state holds the SDL text, so a reload rebuilds the manifest, the order and the hash.
//! JSON is written and read with `leasekit_sdl::json::Json` (no serde in the Wasm); a saved
//! state that does not read back is a [`StateError`], never a panic.

use std::fmt;

use leasekit_sdl::json::Json;
use leasekit_tx::encoding::{base64_decode, base64_encode};
use leasekit_tx::msgs::BidId;

/// The state format's version, written as `"version"`. Version 1 (one lease, named by the
/// manifest and live steps) is still read: its lease becomes the one entry of `leases`.
pub const STATE_VERSION: u64 = 2;

/// The wizard's stages, as the progress list shows them (`data-step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// MsgCreateDeployment.
    Create,
    /// Waiting for and choosing a bid.
    Bids,
    /// MsgCreateLease.
    Accept,
    /// PUT manifest to the provider.
    Manifest,
    /// The lease runs; its status and IP card.
    Live,
    /// MsgCloseDeployment.
    Close,
}

impl StepKind {
    /// The stages shown in the progress list, in order.
    pub const WIZARD: [StepKind; 5] =
        [StepKind::Create, StepKind::Bids, StepKind::Accept, StepKind::Manifest, StepKind::Live];

    /// `create`, `bids`, `accept`, `manifest`, `live`, `close`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Create => "create",
            StepKind::Bids => "bids",
            StepKind::Accept => "accept",
            StepKind::Manifest => "manifest",
            StepKind::Live => "live",
            StepKind::Close => "close",
        }
    }

    /// Parses [`StepKind::as_str`].
    #[must_use]
    pub fn parse(text: &str) -> Option<StepKind> {
        [StepKind::Create, StepKind::Bids, StepKind::Accept, StepKind::Manifest, StepKind::Live, StepKind::Close]
            .into_iter()
            .find(|k| k.as_str() == text)
    }

    /// A title for the progress list.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            StepKind::Create => "Create deployment",
            StepKind::Bids => "Wait for bids",
            StepKind::Accept => "Accept a bid",
            StepKind::Manifest => "Send manifest",
            StepKind::Live => "Live",
            StepKind::Close => "Close",
        }
    }
}

/// How a stage looks in the progress list (`data-state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// Not reached.
    Pending,
    /// In progress or waiting for the tenant.
    Active,
    /// Finished.
    Done,
    /// Failed here.
    Failed,
}

impl StepStatus {
    /// `pending`, `active`, `done`, `failed`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Active => "active",
            StepStatus::Done => "done",
            StepStatus::Failed => "failed",
        }
    }
}

/// Where the wizard is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The order is shown; nothing signed yet.
    Review,
    /// MsgCreateDeployment signed (hash known), maybe broadcast, not yet seen on chain.
    Creating {
        /// The deployment sequence.
        dseq: u64,
        /// The create transaction's hash.
        tx_hash: String,
    },
    /// The deployment exists; a group without a lease waits for or chooses a bid.
    Bidding {
        /// The deployment sequence.
        dseq: u64,
    },
    /// MsgCreateLease signed for a bid, not yet seen on chain.
    Accepting {
        /// The accepted bid.
        bid: BidId,
        /// The lease transaction's hash.
        tx_hash: String,
    },
    /// Every group has its lease; the manifest is being sent to their providers.
    SendingManifest,
    /// Every lease's provider accepted the manifest; the deployment runs.
    Live,
    /// The deployment was closed.
    Closed {
        /// The deployment sequence.
        dseq: u64,
    },
    /// A stage failed; the state's other fields still say what exists on chain.
    Failed {
        /// The stage.
        step: StepKind,
        /// A sentence for the tenant.
        message: String,
        /// Whether retrying the stage can help.
        retryable: bool,
    },
}

impl Step {
    /// The stage this step belongs to.
    #[must_use]
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Review | Step::Creating { .. } => StepKind::Create,
            Step::Bidding { .. } => StepKind::Bids,
            Step::Accepting { .. } => StepKind::Accept,
            Step::SendingManifest => StepKind::Manifest,
            Step::Live => StepKind::Live,
            Step::Closed { .. } => StepKind::Close,
            Step::Failed { step, .. } => *step,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Step::Review => "review",
            Step::Creating { .. } => "creating",
            Step::Bidding { .. } => "bidding",
            Step::Accepting { .. } => "accepting",
            Step::SendingManifest => "sendingManifest",
            Step::Live => "live",
            Step::Closed { .. } => "closed",
            Step::Failed { .. } => "failed",
        }
    }
}

/// What a signed, possibly broadcast transaction was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxPurpose {
    /// MsgCreateDeployment.
    Create,
    /// MsgCreateLease.
    Lease,
    /// MsgUpdateDeployment.
    Update,
    /// MsgCloseDeployment.
    Close,
}

impl TxPurpose {
    /// `create`, `lease`, `update`, `close`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TxPurpose::Create => "create",
            TxPurpose::Lease => "lease",
            TxPurpose::Update => "update",
            TxPurpose::Close => "close",
        }
    }

    fn parse(text: &str) -> Option<TxPurpose> {
        [TxPurpose::Create, TxPurpose::Lease, TxPurpose::Update, TxPurpose::Close]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// A signed transaction whose fate is not yet known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTx {
    /// What it does.
    pub purpose: TxPurpose,
    /// Upper-case hex hash.
    pub hash: String,
    /// The TxRaw bytes, to re-broadcast unchanged.
    pub tx_bytes: Vec<u8>,
    /// The account sequence it was signed at.
    pub sequence: u64,
    /// For an update: the SDL whose manifest version it carries (becomes the state's SDL once
    /// the update lands).
    pub sdl: Option<String>,
}

/// The whole wizard state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployState {
    /// The network's name.
    pub network: String,
    /// The tenant's address.
    pub owner: String,
    /// The SDL text (the current one: after an env injection, the updated SDL).
    pub sdl: String,
    /// The deposit, e.g. `500000uact`.
    pub deposit: String,
    /// Where the wizard is.
    pub step: Step,
    /// The deployment sequence, once chosen.
    pub dseq: Option<u64>,
    /// The leases created so far, one per placement group, in gseq order.
    pub leases: Vec<BidId>,
    /// A signed transaction not yet confirmed.
    pub pending: Option<PendingTx>,
}

/// A saved state that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StateError {}

fn bad(message: impl Into<String>) -> StateError {
    StateError { message: format!("the saved deployment state is unusable: {}", message.into()) }
}

impl DeployState {
    /// A fresh state at the review step.
    #[must_use]
    pub fn new(network: &str, owner: &str, sdl: &str, deposit: &str) -> Self {
        DeployState {
            network: network.to_owned(),
            owner: owner.to_owned(),
            sdl: sdl.to_owned(),
            deposit: deposit.to_owned(),
            step: Step::Review,
            dseq: None,
            leases: Vec::new(),
            pending: None,
        }
    }

    /// Each wizard stage's status for the progress list.
    #[must_use]
    pub fn progress(&self) -> Vec<(StepKind, StepStatus)> {
        let (current, failed) = match &self.step {
            Step::Failed { step, .. } => (*step, true),
            Step::Review => (StepKind::Create, false),
            Step::Closed { .. } => return StepKind::WIZARD.iter().map(|k| (*k, StepStatus::Done)).collect(),
            other => (other.kind(), false),
        };
        let at = StepKind::WIZARD.iter().position(|k| *k == current).unwrap_or(StepKind::WIZARD.len());
        StepKind::WIZARD
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let status = if i < at {
                    StepStatus::Done
                } else if i > at {
                    StepStatus::Pending
                } else if failed {
                    StepStatus::Failed
                } else if matches!(self.step, Step::Review) {
                    StepStatus::Pending
                } else if matches!(self.step, Step::Live) {
                    StepStatus::Done
                } else {
                    StepStatus::Active
                };
                (*k, status)
            })
            .collect()
    }

    /// The state as JSON text (keys in a fixed order; 64-bit numbers as JSON numbers).
    #[must_use]
    pub fn to_json(&self) -> String {
        let opt = |v: Option<Json>| v.unwrap_or(Json::Null);
        Json::Obj(vec![
            ("version", Json::Num(STATE_VERSION)),
            ("network", Json::Str(self.network.clone())),
            ("owner", Json::Str(self.owner.clone())),
            ("deposit", Json::Str(self.deposit.clone())),
            ("step", step_json(&self.step)),
            ("dseq", opt(self.dseq.map(Json::Num))),
            ("leases", Json::Arr(self.leases.iter().map(bid_json).collect())),
            ("pending", opt(self.pending.as_ref().map(pending_json))),
            ("sdl", Json::Str(self.sdl.clone())),
        ])
        .to_go_indented()
    }

    /// Reads [`DeployState::to_json`]'s output, checking every field and the step's
    /// consistency with the rest.
    ///
    /// # Errors
    /// Not JSON, another version, a missing or mistyped field, or a step that contradicts the
    /// recorded deployment, lease or pending transaction.
    pub fn from_json(text: &str) -> Result<Self, StateError> {
        let json = Json::parse(text).map_err(|e| bad(format!("not JSON ({e})")))?;
        if !matches!(json, Json::Map(_)) {
            return Err(bad("not a JSON object"));
        }
        let version = match json.get("version") {
            Some(Json::Num(v @ (1 | STATE_VERSION))) => *v,
            Some(Json::Num(v)) => return Err(bad(format!("format version {v}; this app reads 1 and {STATE_VERSION}"))),
            _ => return Err(bad("no format version")),
        };
        let leases = if version == 1 {
            optional(&json, "lease", |v| bid_of(v, "lease"))?.into_iter().collect()
        } else {
            match json.get("leases") {
                Some(Json::Arr(items)) => items.iter().map(|v| bid_of(v, "lease")).collect::<Result<Vec<_>, _>>()?,
                _ => return Err(bad("leases is missing or not a list")),
            }
        };
        let state = DeployState {
            network: string(&json, "network")?,
            owner: string(&json, "owner")?,
            sdl: string(&json, "sdl")?,
            deposit: string(&json, "deposit")?,
            step: step_of(json.get("step").ok_or_else(|| bad("no step"))?)?,
            dseq: optional(&json, "dseq", |v| v.as_u64().ok_or_else(|| bad("dseq is not a number")))?,
            leases,
            pending: optional(&json, "pending", pending_of)?,
        };
        state.check()?;
        Ok(state)
    }

    /// The step agrees with the recorded dseq, lease and pending transaction.
    fn check(&self) -> Result<(), StateError> {
        if self.owner.is_empty() {
            return Err(bad("no owner"));
        }
        if self.dseq == Some(0) {
            return Err(bad("dseq 0"));
        }
        let same_dseq = |dseq: u64, what: &str| {
            if self.dseq == Some(dseq) { Ok(()) } else { Err(bad(format!("the {what} step names another deployment"))) }
        };
        let pending = |purpose: TxPurpose, hash: &str| match &self.pending {
            Some(p) if p.purpose == purpose && p.hash == hash => Ok(()),
            _ => Err(bad(format!("the {} transaction {hash} is not recorded", purpose.as_str()))),
        };
        let owned = |id: &BidId, what: &str| {
            if id.owner == self.owner && Some(id.dseq) == self.dseq {
                Ok(())
            } else {
                Err(bad(format!("the {what} belongs to another deployment")))
            }
        };
        match &self.step {
            Step::Review | Step::Failed { .. } => Ok(()),
            Step::Creating { dseq, tx_hash } => {
                same_dseq(*dseq, "creating")?;
                pending(TxPurpose::Create, tx_hash)
            }
            Step::Bidding { dseq } | Step::Closed { dseq } => same_dseq(*dseq, "bidding"),
            Step::Accepting { bid, tx_hash } => {
                owned(bid, "accepted bid")?;
                pending(TxPurpose::Lease, tx_hash)
            }
            Step::SendingManifest | Step::Live => {
                if self.leases.is_empty() {
                    Err(bad("the step needs a lease and none is recorded"))
                } else {
                    Ok(())
                }
            }
        }?;
        for (i, lease) in self.leases.iter().enumerate() {
            owned(lease, "lease")?;
            if self.leases[..i].iter().any(|other| other.gseq == lease.gseq) {
                return Err(bad(format!("two leases for group {}", lease.gseq)));
            }
        }
        Ok(())
    }

    /// The placement groups of the state's SDL, as (gseq, name): the chain numbers the groups
    /// of MsgCreateDeployment from 1 in their GroupSpecs order. Empty when the SDL does not
    /// build.
    #[must_use]
    pub fn groups(&self) -> Vec<(u32, String)> {
        leasekit_sdl::build(&self.sdl)
            .output
            .map(|o| (1u32..).zip(o.group_specs.iter().map(|g| g.name.clone())).collect())
            .unwrap_or_default()
    }

    /// The groups (gseq, name) that have no lease yet.
    #[must_use]
    pub fn unleased_groups(&self) -> Vec<(u32, String)> {
        self.groups().into_iter().filter(|(gseq, _)| !self.leases.iter().any(|l| l.gseq == *gseq)).collect()
    }

    /// Records a lease (replacing one of the same group) and keeps the list in gseq order.
    pub fn add_lease(&mut self, lease: BidId) {
        self.leases.retain(|l| l.gseq != lease.gseq);
        self.leases.push(lease);
        self.leases.sort_by_key(|l| l.gseq);
    }
}

fn string(json: &Json, key: &str) -> Result<String, StateError> {
    match json.get(key) {
        Some(Json::Str(s)) => Ok(s.clone()),
        Some(_) => Err(bad(format!("{key} is not a string"))),
        None => Err(bad(format!("no {key}"))),
    }
}

fn number(json: &Json, key: &str) -> Result<u64, StateError> {
    json.get(key).and_then(Json::as_u64).ok_or_else(|| bad(format!("{key} is missing or not a number")))
}

fn small(json: &Json, key: &str) -> Result<u32, StateError> {
    u32::try_from(number(json, key)?).map_err(|_| bad(format!("{key} is out of range")))
}

fn optional<V>(json: &Json, key: &str, read: impl Fn(&Json) -> Result<V, StateError>) -> Result<Option<V>, StateError> {
    match json.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => read(v).map(Some),
    }
}

fn bid_json(id: &BidId) -> Json {
    Json::Obj(vec![
        ("owner", Json::Str(id.owner.clone())),
        ("dseq", Json::Num(id.dseq)),
        ("gseq", Json::Num(id.gseq.into())),
        ("oseq", Json::Num(id.oseq.into())),
        ("provider", Json::Str(id.provider.clone())),
        ("bseq", Json::Num(id.bseq.into())),
    ])
}

fn bid_of(json: &Json, what: &str) -> Result<BidId, StateError> {
    if !matches!(json, Json::Map(_)) {
        return Err(bad(format!("{what} is not an object")));
    }
    let id = BidId {
        owner: string(json, "owner")?,
        dseq: number(json, "dseq")?,
        gseq: small(json, "gseq")?,
        oseq: small(json, "oseq")?,
        provider: string(json, "provider")?,
        bseq: small(json, "bseq")?,
    };
    if id.dseq == 0 || id.gseq == 0 || id.oseq == 0 || id.provider.is_empty() {
        return Err(bad(format!("{what} has a zero sequence or no provider")));
    }
    Ok(id)
}

fn pending_json(p: &PendingTx) -> Json {
    Json::Obj(vec![
        ("purpose", Json::Str(p.purpose.as_str().to_owned())),
        ("hash", Json::Str(p.hash.clone())),
        ("sequence", Json::Num(p.sequence)),
        ("txBytes", Json::Str(base64_encode(&p.tx_bytes))),
        ("sdl", p.sdl.clone().map_or(Json::Null, Json::Str)),
    ])
}

fn pending_of(json: &Json) -> Result<PendingTx, StateError> {
    let purpose = string(json, "purpose")?;
    let purpose = TxPurpose::parse(&purpose).ok_or_else(|| bad(format!("unknown transaction purpose '{purpose}'")))?;
    let hash = string(json, "hash")?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)) {
        return Err(bad("the pending transaction hash is not 64 upper-case hex digits"));
    }
    let tx_bytes =
        base64_decode(&string(json, "txBytes")?).ok_or_else(|| bad("the pending transaction bytes are not base64"))?;
    // The hash is the SHA-256 of the bytes: a mismatch means the record was edited or mixed up.
    let computed = leasekit_tx::encoding::hex_upper(&sha256(&tx_bytes));
    if computed != hash {
        return Err(bad("the pending transaction's bytes do not hash to its recorded hash"));
    }
    let sdl =
        optional(json, "sdl", |v| v.as_str().map(str::to_owned).ok_or_else(|| bad("the pending SDL is not a string")))?;
    Ok(PendingTx { purpose, hash, tx_bytes, sequence: number(json, "sequence")?, sdl })
}

fn step_json(step: &Step) -> Json {
    let mut fields = vec![("name", Json::Str(step.name().to_owned()))];
    match step {
        Step::Review => {}
        Step::Creating { dseq, tx_hash } => {
            fields.push(("dseq", Json::Num(*dseq)));
            fields.push(("txHash", Json::Str(tx_hash.clone())));
        }
        Step::Bidding { dseq } | Step::Closed { dseq } => fields.push(("dseq", Json::Num(*dseq))),
        Step::Accepting { bid, tx_hash } => {
            fields.push(("bid", bid_json(bid)));
            fields.push(("txHash", Json::Str(tx_hash.clone())));
        }
        Step::SendingManifest | Step::Live => {}
        Step::Failed { step, message, retryable } => {
            fields.push(("step", Json::Str(step.as_str().to_owned())));
            fields.push(("message", Json::Str(message.clone())));
            fields.push(("retryable", Json::Bool(*retryable)));
        }
    }
    Json::Obj(fields)
}

fn step_of(json: &Json) -> Result<Step, StateError> {
    let name = string(json, "name").map_err(|_| bad("the step has no name"))?;
    let dseq = || {
        let d = number(json, "dseq")?;
        if d == 0 { Err(bad("the step's dseq is 0")) } else { Ok(d) }
    };
    Ok(match name.as_str() {
        "review" => Step::Review,
        "creating" => Step::Creating { dseq: dseq()?, tx_hash: string(json, "txHash")? },
        "bidding" => Step::Bidding { dseq: dseq()? },
        "accepting" => Step::Accepting {
            bid: bid_of(json.get("bid").ok_or_else(|| bad("the accepting step has no bid"))?, "bid")?,
            tx_hash: string(json, "txHash")?,
        },
        // Version 1 also named the lease here; `leases` holds it.
        "sendingManifest" => Step::SendingManifest,
        "live" => Step::Live,
        "closed" => Step::Closed { dseq: dseq()? },
        "failed" => {
            let step = string(json, "step")?;
            Step::Failed {
                step: StepKind::parse(&step).ok_or_else(|| bad(format!("unknown stage '{step}'")))?,
                message: string(json, "message")?,
                retryable: json.get("retryable").and_then(Json::as_bool).ok_or_else(|| bad("retryable is missing"))?,
            }
        }
        other => return Err(bad(format!("unknown step '{other}'"))),
    })
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}
