//! The `provider-services` command line equivalent of each step, for tenants who script or
//! want to check what the app does.
//!
//! Key, chain id and node are shell variables (`$AKASH_KEY_NAME`, `$AKASH_CHAIN_ID`,
//! `$AKASH_NODE`) as in the Akash CLI guides, because the CLI talks to a node's RPC (port
//! 26657) and signs with a local keyring, neither of which the app knows. The SDL file is
//! `deploy.yaml` unless given.

use leasekit_tx::msgs::BidId;

use crate::network::Network;
use crate::state::{DeployState, Step, StepKind};

/// What every command line needs besides the step's own values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliContext {
    /// `--from`: the keyring key.
    pub from: String,
    /// `--chain-id`.
    pub chain_id: String,
    /// `--node`: the RPC URL.
    pub node: String,
    /// `--gas-prices`, e.g. `0.025uakt`.
    pub gas_prices: String,
    /// `--gas-adjustment`, e.g. `1.5`.
    pub gas_adjustment: String,
}

impl CliContext {
    /// The context for a network: its chain id when fixed, its gas price and adjustment, and
    /// shell variables for key and node.
    #[must_use]
    pub fn for_network(network: &Network) -> Self {
        let adj = network.gas_adjustment_percent;
        CliContext {
            from: "$AKASH_KEY_NAME".to_owned(),
            chain_id: network.chain_id.clone().unwrap_or_else(|| "$AKASH_CHAIN_ID".to_owned()),
            node: "$AKASH_NODE".to_owned(),
            gas_prices: format!("{}{}", network.gas_price, network.fee_denom),
            gas_adjustment: if adj.is_multiple_of(100) {
                format!("{}", adj / 100)
            } else {
                format!("{}.{:02}", adj / 100, adj % 100).trim_end_matches('0').to_owned()
            },
        }
    }

    fn tx_flags(&self) -> String {
        format!(
            "--from {} --chain-id {} --node {} --gas auto --gas-adjustment {} --gas-prices {} -y",
            self.from, self.chain_id, self.node, self.gas_adjustment, self.gas_prices
        )
    }

    fn query_flags(&self) -> String {
        format!("--from {} --node {}", self.from, self.node)
    }
}

/// `provider-services tx deployment create deploy.yaml --dseq N --deposit 500000uact …`.
#[must_use]
pub fn create_deployment(ctx: &CliContext, sdl_file: &str, dseq: u64, deposit: &str) -> String {
    format!("provider-services tx deployment create {sdl_file} --dseq {dseq} --deposit {deposit} {}", ctx.tx_flags())
}

/// `provider-services tx deployment update deploy.yaml --dseq N …`.
#[must_use]
pub fn update_deployment(ctx: &CliContext, sdl_file: &str, dseq: u64) -> String {
    format!("provider-services tx deployment update {sdl_file} --dseq {dseq} {}", ctx.tx_flags())
}

/// `provider-services tx deployment close --dseq N …`.
#[must_use]
pub fn close_deployment(ctx: &CliContext, dseq: u64) -> String {
    format!("provider-services tx deployment close --dseq {dseq} {}", ctx.tx_flags())
}

/// `provider-services query market bid list --owner … --dseq N --state open`.
#[must_use]
pub fn list_bids(ctx: &CliContext, owner: &str, dseq: u64) -> String {
    format!("provider-services query market bid list --owner {owner} --dseq {dseq} --state open --node {}", ctx.node)
}

/// `provider-services tx market lease create --dseq N --gseq G --oseq O --provider P …`.
#[must_use]
pub fn create_lease(ctx: &CliContext, bid: &BidId) -> String {
    format!(
        "provider-services tx market lease create --dseq {} --gseq {} --oseq {} --provider {} {}",
        bid.dseq,
        bid.gseq,
        bid.oseq,
        bid.provider,
        ctx.tx_flags()
    )
}

/// `provider-services send-manifest deploy.yaml --dseq N --provider P --from K`.
#[must_use]
pub fn send_manifest(ctx: &CliContext, sdl_file: &str, lease: &BidId) -> String {
    format!(
        "provider-services send-manifest {sdl_file} --dseq {} --provider {} --auth-type jwt {}",
        lease.dseq,
        lease.provider,
        ctx.query_flags()
    )
}

/// `provider-services lease-status --dseq N --gseq G --oseq O --provider P --from K`.
#[must_use]
pub fn lease_status(ctx: &CliContext, lease: &BidId) -> String {
    format!(
        "provider-services lease-status --dseq {} --gseq {} --oseq {} --provider {} --auth-type jwt {}",
        lease.dseq,
        lease.gseq,
        lease.oseq,
        lease.provider,
        ctx.query_flags()
    )
}

/// `provider-services migrate-endpoints NAME… --dseq DEST --gseq G --provider P --from K
/// --auth-type jwt` (provider.md §2.4).
#[must_use]
pub fn migrate_endpoints(
    ctx: &CliContext,
    endpoints: &[&str],
    dest_dseq: u64,
    dest_gseq: u32,
    provider: &str,
) -> String {
    format!(
        "provider-services migrate-endpoints {} --dseq {dest_dseq} --gseq {dest_gseq} --provider {provider} --auth-type jwt {}",
        endpoints.join(" "),
        ctx.query_flags()
    )
}

/// The command of each stage a state has reached, for "Copy provider-services command": the
/// create (with its dseq once chosen), the bid list, the lease, the manifest, the lease
/// status, and the close.
#[must_use]
pub fn for_state(ctx: &CliContext, state: &DeployState, sdl_file: &str) -> Vec<(StepKind, String)> {
    let mut out = Vec::new();
    let dseq = state.dseq;
    let create = match dseq {
        Some(dseq) => create_deployment(ctx, sdl_file, dseq, &state.deposit),
        // Without --dseq the CLI uses the current block height, as the app does.
        None => create_deployment(ctx, sdl_file, 0, &state.deposit).replace(" --dseq 0", ""),
    };
    out.push((StepKind::Create, create));
    let Some(dseq) = dseq else { return out };
    out.push((StepKind::Bids, list_bids(ctx, &state.owner, dseq)));
    // One command per lease (a group each), and the bid being accepted.
    let mut leases = state.leases.clone();
    if let Step::Accepting { bid, .. } = &state.step
        && !leases.contains(bid)
    {
        leases.push(bid.clone());
    }
    for lease in &leases {
        out.push((StepKind::Accept, create_lease(ctx, lease)));
    }
    for lease in &leases {
        out.push((StepKind::Manifest, send_manifest(ctx, sdl_file, lease)));
    }
    for lease in &leases {
        out.push((StepKind::Live, lease_status(ctx, lease)));
    }
    out.push((StepKind::Close, close_deployment(ctx, dseq)));
    out
}
