//! Protobuf messages of the tenant flow, written by hand with field numbers from chain.md §1–2
//! (Akash `deployment/v1beta4`, `market/v1beta5`, `escrow/v1`, `bme/v1`; Cosmos `tx/v1beta1`).
//!
//! Only what a tenant signs or assembles is here. Encodings follow cosmjs/chain-sdk where
//! proto3 leaves a choice: `Deposit.sources` is written unpacked (`28 01`), as chain-sdk does,
//! so that our bytes equal theirs; the chain decodes both forms.

use prost::Message;

/// A message that can travel inside a `google.protobuf.Any`.
pub trait TypeUrl: Message + Sized {
    /// `/` + the full protobuf name: what the chain routes on.
    const TYPE_URL: &'static str;

    /// Wraps the encoded message.
    fn to_any(&self) -> Any {
        Any { type_url: Self::TYPE_URL.to_owned(), value: self.encode_to_vec() }
    }
}

macro_rules! type_url {
    ($($ty:ty => $url:literal),* $(,)?) => {
        $(impl TypeUrl for $ty {
            const TYPE_URL: &'static str = $url;
        })*
    };
}

/// `google.protobuf.Any`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Any {
    /// `/` + full message name.
    #[prost(string, tag = "1")]
    pub type_url: String,
    /// The encoded message.
    #[prost(bytes = "vec", tag = "2")]
    pub value: Vec<u8>,
}

/// `google.protobuf.Duration`.
#[derive(Clone, Copy, PartialEq, Eq, Message)]
pub struct Duration {
    /// Whole seconds.
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    /// Nanoseconds.
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

/// `cosmos.base.v1beta1.Coin`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Coin {
    /// Denomination, e.g. `uact`.
    #[prost(string, tag = "1")]
    pub denom: String,
    /// Integer amount as decimal text.
    #[prost(string, tag = "2")]
    pub amount: String,
}

/// `cosmos.base.v1beta1.DecCoin`; on the wire the amount is the `LegacyDec` scaled by 10^18.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct DecCoin {
    /// Denomination.
    #[prost(string, tag = "1")]
    pub denom: String,
    /// The amount × 10^18 as decimal digits.
    #[prost(string, tag = "2")]
    pub amount: String,
}

// --- identifiers ---------------------------------------------------------------------------

/// `akash.deployment.v1.DeploymentID`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct DeploymentId {
    /// Owner address.
    #[prost(string, tag = "1")]
    pub owner: String,
    /// Deployment sequence, unique per owner.
    #[prost(uint64, tag = "2")]
    pub dseq: u64,
}

/// `akash.deployment.v1.GroupID`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct GroupId {
    /// Owner address.
    #[prost(string, tag = "1")]
    pub owner: String,
    /// Deployment sequence.
    #[prost(uint64, tag = "2")]
    pub dseq: u64,
    /// Group sequence (1-based, order of the groups in MsgCreateDeployment).
    #[prost(uint32, tag = "3")]
    pub gseq: u32,
}

/// `akash.market.v1.BidID`, which has the layout of `akash.market.v1.LeaseID`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct BidId {
    /// Tenant address.
    #[prost(string, tag = "1")]
    pub owner: String,
    /// Deployment sequence.
    #[prost(uint64, tag = "2")]
    pub dseq: u64,
    /// Group sequence.
    #[prost(uint32, tag = "3")]
    pub gseq: u32,
    /// Order sequence.
    #[prost(uint32, tag = "4")]
    pub oseq: u32,
    /// Provider address.
    #[prost(string, tag = "5")]
    pub provider: String,
    /// Bid sequence (copied from the bid).
    #[prost(uint32, tag = "6")]
    pub bseq: u32,
}

/// `akash.market.v1.LeaseID`: the same fields as [`BidId`].
pub type LeaseId = BidId;

/// `akash.deployment.v1.DeploymentReclamation` (chain v2.1.0 and later).
#[derive(Clone, Copy, PartialEq, Eq, Message)]
pub struct DeploymentReclamation {
    /// The shortest reclamation window the tenant accepts.
    #[prost(message, optional, tag = "1")]
    pub min_window: Option<Duration>,
}

// --- GroupSpec -----------------------------------------------------------------------------

/// `akash.base.attributes.v1.Attribute`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Attribute {
    /// Key.
    #[prost(string, tag = "1")]
    pub key: String,
    /// Value.
    #[prost(string, tag = "2")]
    pub value: String,
}

/// `akash.base.attributes.v1.SignedBy`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct SignedBy {
    /// Every one of these auditors.
    #[prost(string, repeated, tag = "1")]
    pub all_of: Vec<String>,
    /// At least one of these auditors.
    #[prost(string, repeated, tag = "2")]
    pub any_of: Vec<String>,
}

/// `akash.base.attributes.v1.PlacementRequirements`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct PlacementRequirements {
    /// Auditors.
    #[prost(message, optional, tag = "1")]
    pub signed_by: Option<SignedBy>,
    /// Provider attributes.
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<Attribute>,
}

/// `akash.base.resources.v1beta4.ResourceValue`: the integer as ASCII decimal bytes.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct ResourceValue {
    /// ASCII digits.
    #[prost(bytes = "vec", tag = "1")]
    pub val: Vec<u8>,
}

impl ResourceValue {
    /// The value of `n`.
    #[must_use]
    pub fn of(n: impl ToString) -> Self {
        ResourceValue { val: n.to_string().into_bytes() }
    }
}

/// `akash.base.resources.v1beta4.CPU`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Cpu {
    /// Millicores.
    #[prost(message, optional, tag = "1")]
    pub units: Option<ResourceValue>,
    /// Attributes.
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<Attribute>,
}

/// `akash.base.resources.v1beta4.Memory`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Memory {
    /// Bytes.
    #[prost(message, optional, tag = "1")]
    pub quantity: Option<ResourceValue>,
    /// Attributes.
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<Attribute>,
}

/// `akash.base.resources.v1beta4.Storage`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Storage {
    /// `default` or the volume name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Bytes.
    #[prost(message, optional, tag = "2")]
    pub quantity: Option<ResourceValue>,
    /// `persistent`, `class`.
    #[prost(message, repeated, tag = "3")]
    pub attributes: Vec<Attribute>,
}

/// `akash.base.resources.v1beta4.GPU`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Gpu {
    /// Units (0 allowed).
    #[prost(message, optional, tag = "1")]
    pub units: Option<ResourceValue>,
    /// `vendor/...` attributes.
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<Attribute>,
}

/// `akash.base.resources.v1beta4.Endpoint`.
#[derive(Clone, Copy, PartialEq, Eq, Message)]
pub struct Endpoint {
    /// SHARED_HTTP 0, RANDOM_PORT 1, LEASED_IP 2.
    #[prost(int32, tag = "1")]
    pub kind: i32,
    /// For LEASED_IP: the endpoint's 1-based index in name order.
    #[prost(uint32, tag = "2")]
    pub sequence_number: u32,
}

/// `akash.base.resources.v1beta4.Resources`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Resources {
    /// Compute profile number, ≥ 1.
    #[prost(uint32, tag = "1")]
    pub id: u32,
    /// CPU.
    #[prost(message, optional, tag = "2")]
    pub cpu: Option<Cpu>,
    /// Memory.
    #[prost(message, optional, tag = "3")]
    pub memory: Option<Memory>,
    /// Volumes.
    #[prost(message, repeated, tag = "4")]
    pub storage: Vec<Storage>,
    /// GPU.
    #[prost(message, optional, tag = "5")]
    pub gpu: Option<Gpu>,
    /// Global endpoints.
    #[prost(message, repeated, tag = "6")]
    pub endpoints: Vec<Endpoint>,
}

/// `akash.deployment.v1beta4.ResourceUnit`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct ResourceUnit {
    /// Resources of one replica.
    #[prost(message, optional, tag = "1")]
    pub resource: Option<Resources>,
    /// Replicas.
    #[prost(uint32, tag = "2")]
    pub count: u32,
    /// Maximum price per block per replica.
    #[prost(message, optional, tag = "3")]
    pub price: Option<DecCoin>,
}

/// `akash.deployment.v1beta4.GroupSpec`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct GroupSpec {
    /// Placement name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Provider requirements.
    #[prost(message, optional, tag = "2")]
    pub requirements: Option<PlacementRequirements>,
    /// Resource units.
    #[prost(message, repeated, tag = "3")]
    pub resources: Vec<ResourceUnit>,
}

/// `akash.base.deposit.v1.Source`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum DepositSource {
    /// Not a source.
    Invalid = 0,
    /// The signer's balance.
    Balance = 1,
    /// An authz deposit grant.
    Grant = 2,
}

/// `akash.base.deposit.v1.Deposit`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Deposit {
    /// Amount.
    #[prost(message, optional, tag = "1")]
    pub amount: Option<Coin>,
    /// Where the funds come from; written unpacked as chain-sdk does.
    #[prost(enumeration = "DepositSource", repeated, packed = "false", tag = "5")]
    pub sources: Vec<i32>,
}

// --- deployment v1beta4 --------------------------------------------------------------------

/// `akash.deployment.v1beta4.MsgCreateDeployment`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgCreateDeployment {
    /// Deployment id.
    #[prost(message, optional, tag = "1")]
    pub id: Option<DeploymentId>,
    /// One per placement.
    #[prost(message, repeated, tag = "2")]
    pub groups: Vec<GroupSpec>,
    /// SHA-256 of the sorted manifest JSON.
    #[prost(bytes = "vec", tag = "3")]
    pub hash: Vec<u8>,
    /// Escrow deposit.
    #[prost(message, optional, tag = "4")]
    pub deposit: Option<Deposit>,
    /// Chain v2.1.0 and later only: an older chain rejects the unknown field.
    #[prost(message, optional, tag = "5")]
    pub reclamation: Option<DeploymentReclamation>,
}

/// `akash.deployment.v1beta4.MsgUpdateDeployment` (field 2 does not exist).
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgUpdateDeployment {
    /// Deployment id.
    #[prost(message, optional, tag = "1")]
    pub id: Option<DeploymentId>,
    /// The new manifest version.
    #[prost(bytes = "vec", tag = "3")]
    pub hash: Vec<u8>,
}

/// `akash.deployment.v1beta4.MsgCloseDeployment`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgCloseDeployment {
    /// Deployment id.
    #[prost(message, optional, tag = "1")]
    pub id: Option<DeploymentId>,
}

/// `akash.deployment.v1beta4.MsgCloseGroup`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgCloseGroup {
    /// Group id.
    #[prost(message, optional, tag = "1")]
    pub id: Option<GroupId>,
}

// --- market v1beta5 ------------------------------------------------------------------------

/// `akash.market.v1beta5.MsgCreateLease`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgCreateLease {
    /// The accepted bid.
    #[prost(message, optional, tag = "1")]
    pub bid_id: Option<BidId>,
}

/// `akash.market.v1beta5.MsgCloseLease`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgCloseLease {
    /// The lease.
    #[prost(message, optional, tag = "1")]
    pub id: Option<LeaseId>,
    /// `akash.market.v1.LeaseClosedReason`; the chain records "owner" whatever is sent.
    #[prost(int32, tag = "2")]
    pub reason: i32,
}

// --- escrow v1, bme v1 ---------------------------------------------------------------------

/// `akash.escrow.id.v1.Account`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct EscrowAccount {
    /// deployment 1, bid 2.
    #[prost(int32, tag = "1")]
    pub scope: i32,
    /// For a deployment: `owner/dseq`.
    #[prost(string, tag = "2")]
    pub xid: String,
}

/// `akash.escrow.v1.MsgAccountDeposit`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgAccountDeposit {
    /// Who pays.
    #[prost(string, tag = "1")]
    pub signer: String,
    /// The escrow account.
    #[prost(message, optional, tag = "2")]
    pub id: Option<EscrowAccount>,
    /// Amount and sources.
    #[prost(message, optional, tag = "3")]
    pub deposit: Option<Deposit>,
}

/// `akash.bme.v1.MsgMintACT`: burn uakt, later receive uact (queued to the BME epoch).
#[derive(Clone, PartialEq, Eq, Message)]
pub struct MsgMintAct {
    /// Owner.
    #[prost(string, tag = "1")]
    pub owner: String,
    /// Recipient; must equal the owner.
    #[prost(string, tag = "2")]
    pub to: String,
    /// uakt to burn.
    #[prost(message, optional, tag = "3")]
    pub coins_to_burn: Option<Coin>,
}

// --- cosmos tx v1beta1 ---------------------------------------------------------------------

/// `cosmos.crypto.secp256k1.PubKey`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct PubKey {
    /// 33-byte compressed SEC1 point.
    #[prost(bytes = "vec", tag = "1")]
    pub key: Vec<u8>,
}

/// `cosmos.tx.v1beta1.TxBody`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct TxBody {
    /// The messages.
    #[prost(message, repeated, tag = "1")]
    pub messages: Vec<Any>,
    /// Memo (≤ 256 characters on Akash).
    #[prost(string, tag = "2")]
    pub memo: String,
    /// Block height after which the tx is invalid; 0 for none.
    #[prost(uint64, tag = "3")]
    pub timeout_height: u64,
}

/// `cosmos.tx.v1beta1.ModeInfo.Single`.
#[derive(Clone, Copy, PartialEq, Eq, Message)]
pub struct ModeInfoSingle {
    /// `SignMode`: DIRECT = 1.
    #[prost(int32, tag = "1")]
    pub mode: i32,
}

/// `cosmos.tx.v1beta1.ModeInfo` (single signer only).
#[derive(Clone, Copy, PartialEq, Eq, Message)]
pub struct ModeInfo {
    /// One signer.
    #[prost(message, optional, tag = "1")]
    pub single: Option<ModeInfoSingle>,
}

/// `SIGN_MODE_DIRECT`.
pub const SIGN_MODE_DIRECT: i32 = 1;

/// `cosmos.tx.v1beta1.SignerInfo`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct SignerInfo {
    /// `/cosmos.crypto.secp256k1.PubKey`.
    #[prost(message, optional, tag = "1")]
    pub public_key: Option<Any>,
    /// How it signs.
    #[prost(message, optional, tag = "2")]
    pub mode_info: Option<ModeInfo>,
    /// The account sequence.
    #[prost(uint64, tag = "3")]
    pub sequence: u64,
}

/// `cosmos.tx.v1beta1.Fee`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Fee {
    /// Fee coins (uakt on Akash).
    #[prost(message, repeated, tag = "1")]
    pub amount: Vec<Coin>,
    /// Gas limit.
    #[prost(uint64, tag = "2")]
    pub gas_limit: u64,
    /// Who pays instead of the first signer (rare).
    #[prost(string, tag = "3")]
    pub payer: String,
    /// Fee-grant granter.
    #[prost(string, tag = "4")]
    pub granter: String,
}

/// `cosmos.tx.v1beta1.AuthInfo`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct AuthInfo {
    /// Signers.
    #[prost(message, repeated, tag = "1")]
    pub signer_infos: Vec<SignerInfo>,
    /// Fee.
    #[prost(message, optional, tag = "2")]
    pub fee: Option<Fee>,
}

/// `cosmos.tx.v1beta1.SignDoc`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct SignDoc {
    /// Encoded TxBody.
    #[prost(bytes = "vec", tag = "1")]
    pub body_bytes: Vec<u8>,
    /// Encoded AuthInfo.
    #[prost(bytes = "vec", tag = "2")]
    pub auth_info_bytes: Vec<u8>,
    /// Chain id.
    #[prost(string, tag = "3")]
    pub chain_id: String,
    /// Account number.
    #[prost(uint64, tag = "4")]
    pub account_number: u64,
}

/// `cosmos.tx.v1beta1.TxRaw`.
#[derive(Clone, PartialEq, Eq, Message)]
pub struct TxRaw {
    /// Encoded TxBody, exactly as signed.
    #[prost(bytes = "vec", tag = "1")]
    pub body_bytes: Vec<u8>,
    /// Encoded AuthInfo, exactly as signed.
    #[prost(bytes = "vec", tag = "2")]
    pub auth_info_bytes: Vec<u8>,
    /// One 64-byte r‖s signature per signer.
    #[prost(bytes = "vec", repeated, tag = "3")]
    pub signatures: Vec<Vec<u8>>,
}

type_url! {
    MsgCreateDeployment => "/akash.deployment.v1beta4.MsgCreateDeployment",
    MsgUpdateDeployment => "/akash.deployment.v1beta4.MsgUpdateDeployment",
    MsgCloseDeployment => "/akash.deployment.v1beta4.MsgCloseDeployment",
    MsgCloseGroup => "/akash.deployment.v1beta4.MsgCloseGroup",
    MsgCreateLease => "/akash.market.v1beta5.MsgCreateLease",
    MsgCloseLease => "/akash.market.v1beta5.MsgCloseLease",
    MsgAccountDeposit => "/akash.escrow.v1.MsgAccountDeposit",
    MsgMintAct => "/akash.bme.v1.MsgMintACT",
    PubKey => "/cosmos.crypto.secp256k1.PubKey",
}
