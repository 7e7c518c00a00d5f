//! Which chain and proxy the app talks to, and what a transaction costs there.
//!
//! Three presets: `devnet` (the in-process chain of `leasekit devnet` / `cargo xtask serve`,
//! whose URLs come from `dist/config.json`), `sandbox` and `mainnet`. Every URL is editable by
//! the tenant; a proxy (provider.md §3.4: providers send no CORS headers and serve self-signed
//! certificates) is a user setting on the public networks, because no public Leasekit proxy
//! exists.
//!
//! Fees (chain.md §2.3): paid in `uakt`; the gas limit is the simulated gas × 1.5 (the official
//! TS SDK uses × 1.3; the margin is wider here because a wallet may add a memo or change the
//! fee after simulation); a fixed fallback only prices the review of an account that does not
//! exist yet (nothing is ever signed with it: a failed simulation is an error); the price is Keplr's and
//! Console's "average" 0.025 uakt per gas, ten times the node default minimum of 0.0025.

use leasekit_sdl::json::Json;
use leasekit_tx::msgs::Coin;
use leasekit_tx::tx::Fee;

use crate::amount;

/// A network's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// `devnet`, `sandbox`, `mainnet` (or any name from a config file).
    pub name: String,
    /// The chain id, when fixed; `None`: read it from the node (`node_info`) before signing.
    pub chain_id: Option<String>,
    /// The chain's REST (gRPC-gateway) base URL, e.g. `https://api.sandbox-2.aksh.pw`.
    pub chain_rest: String,
    /// Well-known public REST endpoints of the network, the default first: what the tenant
    /// picks from when one is down or lagging (they may type any other).
    pub rest_endpoints: Vec<String>,
    /// The Leasekit proxy's base URL (empty until the tenant sets one).
    pub proxy: String,
    /// The fee denomination (`uakt` on every Akash network).
    pub fee_denom: String,
    /// Fee per gas unit in `fee_denom`, decimal text (`0.025`).
    pub gas_price: String,
    /// Gas limit = simulated gas × this / 100.
    pub gas_adjustment_percent: u64,
    /// Gas limit the review prices an order with while the account does not exist on chain
    /// (it cannot be simulated); never signed with.
    pub fallback_gas: u64,
    /// Average block time in milliseconds, for the price per month (see [`crate::order`]).
    pub block_time_ms: u64,
}

/// The preset names, in the order the network picker lists them.
pub const NETWORK_NAMES: [&str; 3] = ["devnet", "sandbox", "mainnet"];

/// Mainnet's public REST endpoints, the default first.
pub const MAINNET_REST: [&str; 4] = [
    "https://api.akashnet.net",
    "https://akash-rest.publicnode.com",
    "https://akash-api.polkachu.com",
    "https://rest-akash.ecostake.com",
];

/// The sandbox's public REST endpoint.
pub const SANDBOX_REST: [&str; 1] = ["https://api.sandbox-2.aksh.pw"];

/// Average Akash block time used for monthly prices: 6 s, Akash Console's
/// `averageBlockTime` (`apps/api/src/utils/constants.ts`); chain.md states none.
pub const AKASH_BLOCK_TIME_MS: u64 = 6_000;

/// The devnet's block time (`leasekit devnet`: 1 s blocks).
pub const DEVNET_BLOCK_TIME_MS: u64 = 1_000;

/// Gas limit the review prices an order with before the account exists: what akashjs
/// hard-coded for MsgCreateDeployment — generous for every message of the flow.
pub const FALLBACK_GAS: u64 = 800_000;

impl Network {
    /// The chain id to sign for: the preset's, else what the node says (`node_info`), so a
    /// devnet or a custom node needs no id typed in.
    ///
    /// # Errors
    /// The node could not be reached or read.
    pub async fn chain_id<T: leasekit_client::Transport>(&self, transport: T) -> Result<String, String> {
        if let Some(id) = &self.chain_id {
            return Ok(id.clone());
        }
        leasekit_client::ChainClient::new(transport, &self.chain_rest)
            .node_info()
            .await
            .map(|info| info.chain_id)
            .map_err(|e| format!("Cannot reach the chain at {} to read its id: {}", self.chain_rest, e.message))
    }

    /// The three presets. Public REST URLs: sandbox from the chain-sdk examples
    /// (`api.sandbox-2.aksh.pw`); mainnet first Akash Console's default node
    /// (`https://api.akashnet.net`), then public endpoints of the Cosmos chain registry's
    /// `akash/chain.json` (`apis.rest`) run by known operators.
    #[must_use]
    pub fn presets() -> Vec<Network> {
        NETWORK_NAMES.iter().filter_map(|n| Network::preset(n)).collect()
    }

    /// One preset by name.
    #[must_use]
    pub fn preset(name: &str) -> Option<Network> {
        match name {
            "devnet" => Some(Network::with(
                name,
                Some("leasekit-devnet-1"),
                "http://127.0.0.1:1317",
                "http://127.0.0.1:8787",
                DEVNET_BLOCK_TIME_MS,
            )),
            // The sandbox id has changed before (sandbox-01 → sandbox-2): ask the node.
            "sandbox" => {
                Some(Network::with(name, None, SANDBOX_REST[0], "", AKASH_BLOCK_TIME_MS).endpoints(&SANDBOX_REST))
            }
            "mainnet" => Some(
                Network::with(name, Some("akashnet-2"), MAINNET_REST[0], "", AKASH_BLOCK_TIME_MS)
                    .endpoints(&MAINNET_REST),
            ),
            _ => None,
        }
    }

    fn endpoints(mut self, list: &[&str]) -> Network {
        self.rest_endpoints = list.iter().map(|u| (*u).to_owned()).collect();
        self
    }

    fn with(name: &str, chain_id: Option<&str>, chain_rest: &str, proxy: &str, block_time_ms: u64) -> Network {
        Network {
            name: name.to_owned(),
            chain_id: chain_id.map(str::to_owned),
            chain_rest: chain_rest.to_owned(),
            rest_endpoints: vec![chain_rest.to_owned()],
            proxy: proxy.to_owned(),
            fee_denom: "uakt".to_owned(),
            gas_price: "0.025".to_owned(),
            gas_adjustment_percent: 150,
            fallback_gas: FALLBACK_GAS,
            block_time_ms,
        }
    }

    /// Reads `dist/config.json`: `{"network": "devnet", "chainRest": URL, "proxy": URL}`; the
    /// named preset (or devnet's settings under another name) with those URLs.
    ///
    /// # Errors
    /// Not JSON, not an object, or a field of the wrong type (a sentence naming it).
    pub fn from_config_json(text: &str) -> Result<Network, String> {
        let json = Json::parse(text).map_err(|e| format!("the network config is not JSON: {e}"))?;
        if !matches!(json, Json::Map(_) | Json::Obj(_)) {
            return Err("the network config must be a JSON object".to_owned());
        }
        let field = |key: &str| -> Result<Option<String>, String> {
            match json.get(key) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::Str(s)) => Ok(Some(s.trim().to_owned())),
                Some(_) => Err(format!("the network config's \"{key}\" must be a string")),
            }
        };
        let name = field("network")?.unwrap_or_else(|| "devnet".to_owned());
        // Another name: a chain like the devnet (1 s blocks) whose id is read from the node.
        let mut network =
            Network::preset(&name).unwrap_or_else(|| Network::with(&name, None, "", "", DEVNET_BLOCK_TIME_MS));
        if let Some(rest) = field("chainRest")?.filter(|s| !s.is_empty()) {
            network.chain_rest = rest.trim_end_matches('/').to_owned();
        }
        if let Some(proxy) = field("proxy")?.filter(|s| !s.is_empty()) {
            network.proxy = proxy.trim_end_matches('/').to_owned();
        }
        if let Some(id) = field("chainId")?.filter(|s| !s.is_empty()) {
            network.chain_id = Some(id);
        }
        Ok(network)
    }

    /// The gas limit for a simulated `gas_used` (× the adjustment), or the fallback.
    #[must_use]
    pub fn gas_limit(&self, gas_used: Option<u64>) -> u64 {
        match gas_used {
            Some(used) => used.saturating_mul(self.gas_adjustment_percent).div_ceil(100).max(1),
            None => self.fallback_gas,
        }
    }

    /// What the network's settings mean, in words: its chain id, what fees are paid in and at
    /// what price, and the block time prices per month are estimated with.
    #[must_use]
    pub fn summary(&self) -> String {
        let chain = self
            .chain_id
            .as_deref()
            .map_or_else(|| "chain id read from the node".to_owned(), |id| format!("chain {id}"));
        let unit = self.fee_denom.strip_prefix('u').map_or_else(|| self.fee_denom.clone(), str::to_uppercase);
        let seconds = self.block_time_ms / 1000;
        let tenths = self.block_time_ms % 1000 / 100;
        let block = if tenths == 0 { format!("{seconds} s") } else { format!("{seconds}.{tenths} s") };
        format!(
            "{chain} · fees in {unit} ({}) at {} {} per gas · prices per month at one block every {block}",
            self.fee_denom, self.gas_price, self.fee_denom
        )
    }

    /// The command that runs a proxy for this network, for a page served from `origin`.
    #[must_use]
    pub fn proxy_command(&self, origin: &str) -> String {
        format!("leasekit proxy --network {} --origin {origin}", self.name)
    }

    /// The fee for a gas limit: `ceil(gas_limit × gas_price)` in the fee denom.
    #[must_use]
    pub fn fee(&self, gas_limit: u64) -> Fee {
        // An unreadable price (a hand-edited config) falls back to the preset's 0.025.
        let price = amount::parse_dec(&self.gas_price).unwrap_or(25 * amount::SCALE / 1000);
        let fee = u128::from(gas_limit).saturating_mul(price).div_ceil(amount::SCALE);
        Fee {
            amount: vec![Coin { denom: self.fee_denom.clone(), amount: fee }],
            gas_limit,
            payer: String::new(),
            granter: String::new(),
        }
    }
}
