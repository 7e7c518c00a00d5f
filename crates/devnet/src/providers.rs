//! Simulated providers, chain side: registered at genesis, they bid on every open order they
//! can serve, once per order, at the start of each block after the order appeared.
//!
//! # Matching (provider.md §4.6, simplified)
//!
//! * Every placement attribute must be among the provider's attributes (same key and value).
//! * `signed_by` with a non-empty `all_of` or `any_of` → no bid: the devnet has no auditors.
//! * IPs needed = the number of distinct `sequence_number`s of `LEASED_IP` endpoints over the
//!   group's resource units (replica counts do not matter). If it is above 0 the provider must
//!   support IPs and have that many free pool addresses; addresses count as used by the
//!   provider's active leases and open bids (the provider reserves them when it bids).
//!
//! # Price
//!
//! Per resource unit `min(unit's max price, provider's price per unit) × count`, summed over
//! the units — the way the chain sums a group's price (price × count), so a bid never exceeds
//! the order's maximum. All in atto-uact (10^18 per uact).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use leasekit_tx::Signer;
use leasekit_tx::proto;

use crate::chain::{Bid, BidState, DeploymentState, GroupState, LeaseId, LeaseState, OrderState, State};
use crate::dec;

/// A simulated provider as configured by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// The provider's address; `None` derives one from [`provider_mnemonic`] of its index.
    pub owner: Option<String>,
    /// `host_uri` on chain, e.g. `https://127.0.0.1:8443` (the gateway's address).
    pub host_uri: String,
    /// Attributes (key, value).
    pub attributes: Vec<(String, String)>,
    /// Price per resource unit per block, atto-uact (uact × [`dec::SCALE`]).
    pub price_per_unit: u128,
    /// Whether it can lease IPs.
    pub ip_support: bool,
    /// Size of its IP pool.
    pub ip_pool: u32,
    /// The certificate PEM its gateway serves, if any.
    pub cert_pem: Option<String>,
}

impl ProviderConfig {
    /// `count` providers at `host_uri` with region attributes, 1 uact per unit per block, IP
    /// support with a pool of 4 addresses.
    #[must_use]
    pub fn default_set(count: usize, host_uri: &str) -> Vec<ProviderConfig> {
        (0..count)
            .map(|i| ProviderConfig {
                owner: None,
                host_uri: host_uri.to_owned(),
                attributes: vec![
                    ("region".to_owned(), "devnet".to_owned()),
                    ("host".to_owned(), "akash".to_owned()),
                    ("provider".to_owned(), format!("p{i}")),
                ],
                price_per_unit: dec::SCALE,
                ip_support: true,
                ip_pool: 4,
                cert_pem: None,
            })
            .collect()
    }
}

/// A provider on chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// Address.
    pub owner: String,
    /// Gateway URI.
    pub host_uri: String,
    /// Attributes.
    pub attributes: Vec<(String, String)>,
    /// Certificate PEM.
    pub cert_pem: Option<String>,
    /// Can lease IPs.
    pub ip_support: bool,
    /// IP pool size.
    pub ip_pool: u32,
    /// Price per unit per block, atto-uact.
    pub price_per_unit: u128,
}

/// The publicly known devnet mnemonic of provider `index` (derived from a fixed string, so a
/// gateway can sign as the provider; never use it outside a devnet).
#[must_use]
pub fn provider_mnemonic(index: usize) -> zeroize::Zeroizing<String> {
    let entropy: [u8; 32] = Sha256::digest(format!("leasekit-devnet provider {index}")).into();
    leasekit_tx::MnemonicSigner::generate_mnemonic(&entropy)
}

impl Provider {
    /// From its configuration; `index` names the derived key when no owner is given.
    #[must_use]
    pub fn from_config(index: usize, config: &ProviderConfig) -> Self {
        let owner = config.owner.clone().unwrap_or_else(|| {
            leasekit_tx::MnemonicSigner::from_mnemonic(&provider_mnemonic(index), 0)
                .map(|s| s.address())
                .unwrap_or_default()
        });
        Provider {
            owner,
            host_uri: config.host_uri.clone(),
            attributes: config.attributes.clone(),
            cert_pem: config.cert_pem.clone(),
            ip_support: config.ip_support,
            ip_pool: config.ip_pool,
            price_per_unit: config.price_per_unit,
        }
    }
}

/// Distinct LEASED_IP sequence numbers over a group's units.
#[must_use]
pub fn ips_needed(spec: &proto::GroupSpec) -> u32 {
    let mut seqs = std::collections::BTreeSet::new();
    for unit in &spec.resources {
        for e in unit.resource.iter().flat_map(|r| &r.endpoints) {
            if e.kind == 2 {
                seqs.insert(e.sequence_number);
            }
        }
    }
    u32::try_from(seqs.len()).unwrap_or(u32::MAX)
}

/// Pool addresses `provider` holds: those of its active leases and those it reserved with its
/// open bids — what a real provider reports as `allocated` in its leased-IP resource pair
/// (in use plus reserved).
#[must_use]
pub fn ips_held(state: &State, provider: &str) -> u32 {
    let group_ips = |owner: &str, dseq: u64, gseq: u32| {
        state
            .deployment(owner, dseq)
            .and_then(|d| d.groups.iter().find(|g| g.gseq == gseq))
            .map_or(0, |g| ips_needed(&g.spec))
    };
    let leases = state
        .leases
        .iter()
        .filter(|l| l.id.provider == provider && l.state == LeaseState::Active)
        .map(|l| group_ips(&l.id.owner, l.id.dseq, l.id.gseq));
    let bids = state
        .bids
        .iter()
        .filter(|b| b.id.provider == provider && b.state == BidState::Open)
        .map(|b| group_ips(&b.id.owner, b.id.dseq, b.id.gseq));
    leases.chain(bids).fold(0, u32::saturating_add)
}

/// The bid `provider` would place on `spec`, or `None` if it cannot serve it.
#[must_use]
pub fn bid_price(provider: &Provider, spec: &proto::GroupSpec, ips_free: u32) -> Option<u128> {
    let requirements = spec.requirements.clone().unwrap_or_default();
    if let Some(signed) = &requirements.signed_by
        && (!signed.all_of.is_empty() || !signed.any_of.is_empty())
    {
        return None;
    }
    let has = |a: &proto::Attribute| provider.attributes.iter().any(|(k, v)| *k == a.key && *v == a.value);
    if !requirements.attributes.iter().all(has) {
        return None;
    }
    let ips = ips_needed(spec);
    if ips > 0 && (!provider.ip_support || ips > ips_free) {
        return None;
    }
    let mut total: u128 = 0;
    for unit in &spec.resources {
        let max = unit.price.as_ref().and_then(|p| dec::parse_wire(&p.amount))?;
        total = total.checked_add(max.min(provider.price_per_unit).checked_mul(u128::from(unit.count))?)?;
    }
    Some(total)
}

/// Every provider bids on the open orders it matches and has not bid on.
pub(crate) fn bid_on_open_orders(state: &mut State) {
    let height = state.height;
    let mut new_bids = Vec::new();
    for provider in &state.providers {
        let mut used = ips_held(state, &provider.owner);
        for d in state.deployments.iter().filter(|d| d.state == DeploymentState::Active) {
            for g in &d.groups {
                // Orders opened in this very block are seen by providers in the next one.
                if g.order_state != OrderState::Open || g.state != GroupState::Open || g.created_at >= height {
                    continue;
                }
                let already = state.bids.iter().any(|b| {
                    b.id.provider == provider.owner
                        && b.id.owner == d.owner
                        && b.id.dseq == d.dseq
                        && b.id.gseq == g.gseq
                });
                if already {
                    continue;
                }
                let Some(price) = bid_price(provider, &g.spec, provider.ip_pool.saturating_sub(used)) else {
                    continue;
                };
                used += ips_needed(&g.spec);
                new_bids.push(Bid {
                    id: LeaseId {
                        owner: d.owner.clone(),
                        dseq: d.dseq,
                        gseq: g.gseq,
                        oseq: 1,
                        provider: provider.owner.clone(),
                        bseq: 1,
                    },
                    state: BidState::Open,
                    price,
                    created_at: height,
                });
            }
        }
    }
    state.bids.extend(new_bids);
}
