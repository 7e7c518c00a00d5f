//! The tenant's messages, built from checked inputs: an SDL build becomes MsgCreateDeployment
//! or MsgUpdateDeployment; bid and lease ids, escrow deposits and ACT mints are checked the way
//! the chain checks them, so a mistake is reported before anything is signed.

use leasekit_sdl::Output;
use leasekit_sdl::output::{self, EndpointKind};

use crate::address;
use crate::error::{Error, ErrorCode, Result};
use crate::proto::{self, Any, TypeUrl};

/// The only denomination new deployments are priced and deposited in since the v2.0 (BME)
/// upgrade.
pub const DEPOSIT_DENOM: &str = "uact";

/// The chain's minimum deployment deposit (`min_deposits`, 0.5 ACT).
pub const MIN_DEPOSIT: u128 = 500_000;

/// A coin as `{denom, amount}`, amount an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coin {
    /// Denomination.
    pub denom: String,
    /// Amount in the smallest unit.
    pub amount: u128,
}

impl Coin {
    /// Parses `500000uact`.
    pub fn parse(text: &str) -> Result<Coin> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (amount, denom) = text.split_at(digits);
        Coin::new(denom, amount)
    }

    /// Checks a denom and an integer amount given as text.
    pub fn new(denom: &str, amount: &str) -> Result<Coin> {
        let bad = |why: &str| Error::new(ErrorCode::InvalidDeposit, format!("'{amount}{denom}' is not a coin: {why}"));
        if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the amount must be a whole number of the smallest unit, e.g. 500000uact"));
        }
        let valid_denom = denom.len() >= 3
            && denom.len() <= 128
            && denom.as_bytes()[0].is_ascii_alphabetic()
            && denom.bytes().all(|b| b.is_ascii_alphanumeric() || b"/:._-".contains(&b));
        if !valid_denom {
            return Err(bad("the denomination is missing or malformed"));
        }
        let amount = amount.parse::<u128>().map_err(|_| bad("the amount is too large"))?;
        Ok(Coin { denom: denom.to_owned(), amount })
    }

    fn to_proto(&self) -> proto::Coin {
        proto::Coin { denom: self.denom.clone(), amount: self.amount.to_string() }
    }
}

/// Where a deposit is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepositSource {
    /// The signer's balance.
    Balance,
    /// An authz deposit grant to the signer.
    Grant,
}

impl DepositSource {
    /// `balance` or `grant`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "balance" => Ok(DepositSource::Balance),
            "grant" => Ok(DepositSource::Grant),
            other => Err(Error::new(
                ErrorCode::InvalidDeposit,
                format!("deposit source '{other}' is unknown: use \"balance\" or \"grant\""),
            )),
        }
    }
}

/// A deposit: amount and sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
    /// Amount.
    pub amount: Coin,
    /// Sources, non-empty and without duplicates.
    pub sources: Vec<DepositSource>,
}

impl Deposit {
    /// A deposit from the signer's balance.
    #[must_use]
    pub fn from_balance(amount: Coin) -> Self {
        Deposit { amount, sources: vec![DepositSource::Balance] }
    }

    fn to_proto(&self) -> Result<proto::Deposit> {
        if self.sources.is_empty() {
            return Err(Error::new(ErrorCode::InvalidDeposit, "a deposit needs a source: \"balance\" or \"grant\""));
        }
        let mut sources = Vec::new();
        for source in &self.sources {
            let value = match source {
                DepositSource::Balance => proto::DepositSource::Balance,
                DepositSource::Grant => proto::DepositSource::Grant,
            } as i32;
            if sources.contains(&value) {
                return Err(Error::new(ErrorCode::InvalidDeposit, "a deposit source is listed twice"));
            }
            sources.push(value);
        }
        Ok(proto::Deposit { amount: Some(self.amount.to_proto()), sources })
    }
}

/// A chain's version as `major.minor`, from `node_info`'s `application_version.version`
/// (`v2.0.1`, `2.1.0-rc12`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChainVersion {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
}

impl ChainVersion {
    /// Parses `v2.1.0`, `2.1.0-rc12` and the like; only major and minor matter here.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::input(format!("chain version '{text}' is not of the form v2.1.0"));
        let body = text.strip_prefix('v').unwrap_or(text);
        let mut parts = body.splitn(3, ['.', '-', '+']);
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        Ok(ChainVersion { major, minor })
    }

    /// Whether MsgCreateDeployment may carry `reclamation` (field 5): v2.1 and later, release
    /// candidates included, since they already run the v2.1 message.
    #[must_use]
    pub fn has_reclamation(self) -> bool {
        self >= ChainVersion { major: 2, minor: 1 }
    }
}

fn deployment_id(owner: &str, dseq: u64) -> Result<proto::DeploymentId> {
    address::parse(owner, "owner")?;
    if dseq == 0 {
        return Err(Error::new(
            ErrorCode::InvalidId,
            "dseq must not be 0: use any number unique for this owner, e.g. the current time in milliseconds",
        ));
    }
    Ok(proto::DeploymentId { owner: owner.to_owned(), dseq })
}

fn attributes(list: &[output::Attribute]) -> Vec<proto::Attribute> {
    list.iter().map(|a| proto::Attribute { key: a.key.clone(), value: a.value.clone() }).collect()
}

fn resources(r: &output::Resources) -> proto::Resources {
    proto::Resources {
        id: r.id,
        cpu: r.cpu.as_ref().map(|c| proto::Cpu {
            units: Some(proto::ResourceValue::of(c.millicores)),
            attributes: attributes(&c.attributes),
        }),
        memory: r
            .memory
            .as_ref()
            .map(|m| proto::Memory { quantity: Some(proto::ResourceValue::of(m.bytes)), attributes: Vec::new() }),
        storage: r
            .storage
            .iter()
            .map(|v| proto::Storage {
                name: v.name.clone(),
                quantity: Some(proto::ResourceValue::of(v.bytes)),
                attributes: v.attributes.as_deref().map(attributes).unwrap_or_default(),
            })
            .collect(),
        gpu: Some(proto::Gpu {
            units: Some(proto::ResourceValue::of(r.gpu.units)),
            attributes: attributes(&r.gpu.attributes),
        }),
        endpoints: r
            .endpoints
            .iter()
            .map(|e| proto::Endpoint {
                kind: match e.kind {
                    EndpointKind::SharedHttp => 0,
                    EndpointKind::RandomPort => 1,
                    EndpointKind::LeasedIp => 2,
                },
                sequence_number: e.sequence_number,
            })
            .collect(),
    }
}

/// The on-chain GroupSpecs of an SDL build.
#[must_use]
pub fn group_specs(output: &Output) -> Vec<proto::GroupSpec> {
    output
        .group_specs
        .iter()
        .map(|g| proto::GroupSpec {
            name: g.name.clone(),
            requirements: Some(proto::PlacementRequirements {
                signed_by: Some(proto::SignedBy {
                    all_of: g.signed_by.all_of.clone().unwrap_or_default(),
                    any_of: g.signed_by.any_of.clone().unwrap_or_default(),
                }),
                attributes: g.attributes.as_deref().map(attributes).unwrap_or_default(),
            }),
            resources: g
                .resources
                .iter()
                .map(|u| proto::ResourceUnit {
                    resource: Some(resources(&u.resource)),
                    count: u.count,
                    price: Some(proto::DecCoin {
                        denom: u.price.denom.clone(),
                        amount: u.price.amount.scaled_digits().to_owned(),
                    }),
                })
                .collect(),
        })
        .collect()
}

/// What MsgCreateDeployment needs besides the SDL.
#[derive(Debug, Clone)]
pub struct CreateDeployment<'a> {
    /// The tenant.
    pub owner: &'a str,
    /// Deployment sequence, non-zero and unique for the owner.
    pub dseq: u64,
    /// Escrow deposit: uact, at least [`MIN_DEPOSIT`].
    pub deposit: Deposit,
    /// The chain's version, when known: `reclamation` is sent only to v2.1 and later.
    pub chain_version: Option<ChainVersion>,
}

/// MsgCreateDeployment for an SDL build, checked as the v2.x chain checks it.
pub fn create_deployment(output: &Output, params: &CreateDeployment<'_>) -> Result<proto::MsgCreateDeployment> {
    let id = deployment_id(params.owner, params.dseq)?;
    let deposit = &params.deposit;
    if deposit.amount.denom != DEPOSIT_DENOM {
        return Err(Error::new(
            ErrorCode::InvalidDeposit,
            format!(
                "the deposit is in {}; since the v2.0 (BME) upgrade new deployments are paid in uact (mint ACT from AKT first)",
                deposit.amount.denom
            ),
        ));
    }
    if deposit.amount.amount < MIN_DEPOSIT {
        return Err(Error::new(
            ErrorCode::InvalidDeposit,
            format!(
                "the deposit of {}uact is below the chain's minimum of {MIN_DEPOSIT}uact (0.5 ACT)",
                deposit.amount.amount
            ),
        ));
    }
    for group in &output.group_specs {
        for unit in &group.resources {
            if unit.price.denom != DEPOSIT_DENOM {
                return Err(Error::new(
                    ErrorCode::UnsupportedByChain,
                    format!(
                        "placement '{}' is priced in {}; since the v2.0 (BME) upgrade the chain accepts only uact prices for new deployments",
                        group.name, unit.price.denom
                    ),
                ));
            }
        }
    }
    let (min, max) = leasekit_sdl::limits::RECLAMATION_WINDOW;
    if let Some(d) = output.reclamation
        && (d.seconds < min || d.seconds > max || (d.seconds == max && d.nanos > 0))
    {
        return Err(Error::new(
            ErrorCode::UnsupportedByChain,
            "the SDL's reclamation window is outside the chain's bounds of 1h to 720h (market params min/max_reclamation_window)",
        ));
    }
    let reclamation = match (output.reclamation, params.chain_version) {
        (None, _) => None,
        (Some(d), Some(v)) if v.has_reclamation() => Some(proto::DeploymentReclamation {
            min_window: Some(proto::Duration { seconds: d.seconds, nanos: d.nanos }),
        }),
        (Some(_), Some(v)) => {
            return Err(Error::new(
                ErrorCode::UnsupportedByChain,
                format!(
                    "the SDL sets reclamation, which the chain accepts from v2.1.0; this chain is v{}.{} — remove reclamation",
                    v.major, v.minor
                ),
            ));
        }
        (Some(_), None) => {
            return Err(Error::new(
                ErrorCode::UnsupportedByChain,
                "the SDL sets reclamation, which only chains from v2.1.0 accept: pass the chain's version (node_info application_version) so it can be checked",
            ));
        }
    };
    Ok(proto::MsgCreateDeployment {
        id: Some(id),
        groups: group_specs(output),
        hash: output.version.to_vec(),
        deposit: Some(deposit.to_proto()?),
        reclamation,
    })
}

/// MsgUpdateDeployment carrying the SDL's new manifest version.
pub fn update_deployment(output: &Output, owner: &str, dseq: u64) -> Result<proto::MsgUpdateDeployment> {
    Ok(proto::MsgUpdateDeployment { id: Some(deployment_id(owner, dseq)?), hash: output.version.to_vec() })
}

/// MsgCloseDeployment.
pub fn close_deployment(owner: &str, dseq: u64) -> Result<proto::MsgCloseDeployment> {
    Ok(proto::MsgCloseDeployment { id: Some(deployment_id(owner, dseq)?) })
}

/// A bid or lease id as the chain's REST returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidId {
    /// Tenant.
    pub owner: String,
    /// Deployment sequence.
    pub dseq: u64,
    /// Group sequence (1-based).
    pub gseq: u32,
    /// Order sequence (1-based).
    pub oseq: u32,
    /// Provider.
    pub provider: String,
    /// Bid sequence.
    pub bseq: u32,
}

impl BidId {
    fn to_proto(&self) -> Result<proto::BidId> {
        let id = deployment_id(&self.owner, self.dseq)?;
        address::parse(&self.provider, "provider")?;
        if self.gseq == 0 || self.oseq == 0 {
            return Err(Error::new(ErrorCode::InvalidId, "gseq and oseq start at 1: copy them from the bid"));
        }
        Ok(proto::BidId {
            owner: id.owner,
            dseq: id.dseq,
            gseq: self.gseq,
            oseq: self.oseq,
            provider: self.provider.clone(),
            bseq: self.bseq,
        })
    }
}

/// MsgCreateLease: accept a bid.
pub fn create_lease(bid: &BidId) -> Result<proto::MsgCreateLease> {
    Ok(proto::MsgCreateLease { bid_id: Some(bid.to_proto()?) })
}

/// MsgCloseLease (reason "owner").
pub fn close_lease(lease: &BidId) -> Result<proto::MsgCloseLease> {
    Ok(proto::MsgCloseLease { id: Some(lease.to_proto()?), reason: 1 })
}

/// MsgAccountDeposit: top up a deployment's escrow (any denom the chain accepts for existing
/// deployments; the chain checks it against the escrow).
pub fn deposit_deployment(signer: &str, owner: &str, dseq: u64, deposit: &Deposit) -> Result<proto::MsgAccountDeposit> {
    address::parse(signer, "signer")?;
    let id = deployment_id(owner, dseq)?;
    if deposit.amount.amount == 0 {
        return Err(Error::new(ErrorCode::InvalidDeposit, "the deposit amount must be above 0"));
    }
    Ok(proto::MsgAccountDeposit {
        signer: signer.to_owned(),
        id: Some(proto::EscrowAccount { scope: 1, xid: format!("{}/{}", id.owner, id.dseq) }),
        deposit: Some(deposit.to_proto()?),
    })
}

/// MsgMintACT: burn `uakt` to receive `uact` at the next BME epoch.
pub fn mint_act(owner: &str, burn: &Coin) -> Result<proto::MsgMintAct> {
    address::parse(owner, "owner")?;
    if burn.denom != "uakt" {
        return Err(Error::new(ErrorCode::InvalidDeposit, format!("MsgMintACT burns uakt, not {}", burn.denom)));
    }
    if burn.amount == 0 {
        return Err(Error::new(ErrorCode::InvalidDeposit, "the amount to burn must be above 0"));
    }
    Ok(proto::MsgMintAct { owner: owner.to_owned(), to: owner.to_owned(), coins_to_burn: Some(burn.to_proto()) })
}

/// A message ready for a transaction.
pub fn any<M: TypeUrl>(message: &M) -> Any {
    message.to_any()
}
