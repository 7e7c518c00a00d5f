//! The order in words, before anything is signed: what runs, which IPs are leased on which
//! ports, what it may cost, and the exact message the wallet will be asked to sign.
//!
//! # Prices
//!
//! An SDL prices each service per block per replica as a `LegacyDec` (18 decimals); the
//! group's maximum is the sum of price × count (chain.md §4.4). Amounts are kept as integers
//! scaled by 10^18, so `0.000001uact` per block stays exact.
//!
//! A month is 30.437 days (Akash Console's `averageDaysInMonth`), and blocks per month follow
//! from the network's average block time ([`crate::network::Network::block_time_ms`]): 6 s on
//! Akash (Console's `averageBlockTime` in `apps/api/src/utils/constants.ts`; chain.md gives no
//! block time) → 438,292.8 blocks per month; 1 s on the devnet. This is an estimate: escrow is
//! settled per actual block, and block times drift.

use leasekit_sdl::Output;
use leasekit_sdl::json::Json;
use leasekit_tx::msgs::{self, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::{Any, TypeUrl};
use leasekit_tx::tx::Fee;

use crate::amount::{self, SCALE};

/// Milliseconds in a month of 30.437 days (Akash Console's `averageDaysInMonth`).
pub const MONTH_MS: u128 = 30_437 * 86_400;

/// One service of the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// The SDL service name.
    pub name: String,
    /// The placement (group) it is deployed in.
    pub group: String,
    /// Container image.
    pub image: String,
    /// Replicas.
    pub count: u32,
    /// CPU per replica, thousandths of a core.
    pub cpu_millicores: u32,
    /// Memory per replica, bytes.
    pub memory_bytes: u64,
    /// Storage per replica (all volumes), bytes.
    pub storage_bytes: u64,
    /// GPUs per replica.
    pub gpu_units: u32,
}

impl ServiceLine {
    /// `web: 2 × nginx:1.27, 0.5 CPU, 512 MiB memory, 1 GiB storage`.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {} × {}, {} CPU, {} memory, {} storage",
            self.name,
            self.count,
            self.image,
            cpu_text(self.cpu_millicores),
            bytes_text(self.memory_bytes),
            bytes_text(self.storage_bytes)
        );
        if self.gpu_units > 0 {
            out.push_str(&format!(", {} GPU", self.gpu_units));
        }
        out
    }
}

/// One port opened on a leased IP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpPort {
    /// The port on the IP (`as`, else `port`).
    pub external_port: u32,
    /// The container port.
    pub container_port: u32,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// The service behind it.
    pub service: String,
}

/// One IP endpoint to lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpLine {
    /// The SDL endpoint name.
    pub endpoint: String,
    /// Its ports, in manifest order.
    pub ports: Vec<IpPort>,
}

impl IpLine {
    /// `public: 80/TCP → game:80, 27015/UDP → game:27015`.
    #[must_use]
    pub fn text(&self) -> String {
        let ports: Vec<String> = self
            .ports
            .iter()
            .map(|p| format!("{}/{} → {}:{}", p.external_port, p.protocol, p.service, p.container_port))
            .collect();
        format!("{}: {}", self.endpoint, ports.join(", "))
    }
}

/// The maximum price of the order in one denomination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    /// `uact`.
    pub denom: String,
    /// Per block, × 10^18.
    pub per_block_scaled: u128,
    /// Per block, exact decimal text (`1000`, `0.5`).
    pub per_block: String,
    /// Per month estimate, rounded to whole units of the denom.
    pub per_month: String,
}

impl PriceLine {
    /// `at most 1000 uact per block (≈ 438292.8 uact ≈ 0.44 ACT per month)`.
    #[must_use]
    pub fn text(&self, blocks_per_month: &str) -> String {
        let mut out = format!("at most {} {} per block", self.per_block, self.denom);
        out.push_str(&format!(" (≈ {} {} per month of {blocks_per_month} blocks", self.per_month, self.denom));
        if let Some(whole) = amount::whole_denom(&self.denom) {
            let month = amount::parse_dec(&self.per_month).unwrap_or_default();
            out.push_str(&format!(", ≈ {} {whole}", amount::format_rounded(month / 1_000_000, 2)));
        }
        out.push(')');
        out
    }
}

/// The order in words, and the message behind it.
#[derive(Debug, Clone)]
pub struct OrderSummary {
    /// Services, by group then manifest order.
    pub services: Vec<ServiceLine>,
    /// IP endpoints to lease and their ports.
    pub ips: Vec<IpLine>,
    /// Addresses a provider must have free, summed over the orders (provider.md §4.6).
    pub ips_needed: usize,
    /// The maximum price, per denomination.
    pub prices: Vec<PriceLine>,
    /// Estimated blocks per month, decimal text (`438292.8`).
    pub blocks_per_month: String,
    /// The escrow deposit.
    pub deposit: Coin,
    /// The transaction fee (estimated until the wallet signs).
    pub fee: Fee,
    /// The manifest version (hex): the `hash` the chain will hold.
    pub version_hex: String,
    output: Output,
}

impl OrderSummary {
    /// Summarises a built SDL for a deposit, a fee and the network's block time.
    #[must_use]
    pub fn new(output: &Output, deposit: &Coin, fee: &Fee, block_time_ms: u64) -> Self {
        let mut services = Vec::new();
        for group in &output.manifest.groups {
            for s in &group.services {
                services.push(ServiceLine {
                    name: s.name.clone(),
                    group: group.name.clone(),
                    image: s.image.clone(),
                    count: s.count,
                    cpu_millicores: s.resources.cpu.as_ref().map_or(0, |c| c.millicores),
                    memory_bytes: s.resources.memory.as_ref().map_or(0, |m| m.bytes),
                    storage_bytes: s.resources.storage.iter().map(|v| v.bytes).sum(),
                    gpu_units: s.resources.gpu.units,
                });
            }
        }
        let plan = leasekit_ipalloc::plan_output(output);
        let ips = plan
            .endpoints
            .iter()
            .map(|e| IpLine {
                endpoint: e.name.clone(),
                ports: e
                    .bindings
                    .iter()
                    .map(|b| IpPort {
                        external_port: b.external_port,
                        container_port: b.port,
                        protocol: b.proto.as_str().to_owned(),
                        service: b.service.clone(),
                    })
                    .collect(),
            })
            .collect();
        let ips_needed = plan.groups.iter().map(|g| g.ips_needed).sum();
        let block_time_ms = u128::from(block_time_ms.max(1));
        let mut prices: Vec<PriceLine> = Vec::new();
        for unit in output.group_specs.iter().flat_map(|g| &g.resources) {
            let price: u128 = unit.price.amount.scaled_digits().parse().unwrap_or(u128::MAX);
            let total = price.saturating_mul(u128::from(unit.count));
            match prices.iter_mut().find(|p| p.denom == unit.price.denom) {
                Some(line) => line.per_block_scaled = line.per_block_scaled.saturating_add(total),
                None => prices.push(PriceLine {
                    denom: unit.price.denom.clone(),
                    per_block_scaled: total,
                    per_block: String::new(),
                    per_month: String::new(),
                }),
            }
        }
        for line in &mut prices {
            line.per_block = amount::format_dec(line.per_block_scaled);
            let month = line.per_block_scaled.saturating_mul(MONTH_MS) / block_time_ms;
            line.per_month = amount::format_rounded(month, 0);
        }
        // 10 fractional digits of blocks per month, as a LegacyDec-scaled integer.
        let blocks_per_month = amount::format_rounded(MONTH_MS * SCALE / block_time_ms, 1);
        OrderSummary {
            services,
            ips,
            ips_needed,
            prices,
            blocks_per_month,
            deposit: deposit.clone(),
            fee: fee.clone(),
            version_hex: output.version_hex(),
            output: output.clone(),
        }
    }

    /// The SDL build this summarises.
    #[must_use]
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// The order as sentences, one per line of the review screen.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.services.iter().map(ServiceLine::text).collect();
        if self.ips.is_empty() {
            out.push("No IP endpoints: nothing to lease beyond the provider's shared ingress.".to_owned());
        } else {
            let noun = if self.ips_needed == 1 { "address" } else { "addresses" };
            out.push(format!("IPs to lease: {} {noun}", self.ips_needed));
            out.extend(self.ips.iter().map(IpLine::text));
        }
        out.extend(self.prices.iter().map(|p| format!("Price: {}", p.text(&self.blocks_per_month))));
        out.push(format!(
            "Deposit: {} ({}{}; refunded, less what the lease used, on close)",
            amount::for_people(&self.deposit.amount.to_string(), &self.deposit.denom),
            self.deposit.amount,
            self.deposit.denom
        ));
        let fee_people: Vec<String> =
            self.fee.amount.iter().map(|c| amount::for_people(&c.amount.to_string(), &c.denom)).collect();
        out.push(format!("Fee: {} ({})", fee_people.join(" + "), fee_text(&self.fee)));
        out
    }

    /// MsgCreateDeployment for `owner` and `dseq`.
    ///
    /// # Errors
    /// The chain would refuse it (deposit denom or minimum, prices not in uact, a bad owner).
    pub fn create_message(&self, owner: &str, dseq: u64) -> Result<Any, leasekit_tx::Error> {
        let deposit = Deposit::from_balance(self.deposit.clone());
        let params = CreateDeployment { owner, dseq, deposit, chain_version: None };
        msgs::create_deployment(&self.output, &params).map(|m| m.to_any())
    }

    /// Why the chain would refuse this order's MsgCreateDeployment whoever signs it — a deposit
    /// not in uact or below the minimum, prices not in uact (Akash v2.0, BME) — or `None`. The
    /// review disables signing with this reason beside the button, before a wallet is asked.
    #[must_use]
    pub fn refusal(&self) -> Option<String> {
        // Every rule but the owner's address is about the order itself, so a well-formed
        // stand-in owner checks them before the tenant has connected a wallet.
        const STAND_IN_OWNER: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
        self.create_message(STAND_IN_OWNER, 1).err().map(|e| e.message)
    }

    /// The message the wallet will sign, as the review shows it: the exact JSON and its
    /// [`readable_json`] form; when the chain would refuse the message, both say why.
    #[must_use]
    pub fn message_texts(&self, owner: &str, dseq: u64) -> MessageTexts {
        match self.create_message(owner, dseq) {
            Ok(any) => {
                let exact = leasekit_tx::json::message_json(&any);
                MessageTexts { readable: readable_json(&exact).to_go_indented(), exact: exact.to_go_indented() }
            }
            Err(e) => {
                let refused = format!("The chain would refuse this message: {}", e.message);
                MessageTexts { exact: refused.clone(), readable: refused }
            }
        }
    }

    /// The message(s) the wallet will sign, as indented JSON: `leasekit_tx::json`'s rendering of
    /// the very bytes that get signed (`{"@type": …, fields…}`).
    #[must_use]
    pub fn messages_json(&self, owner: &str, dseq: u64) -> String {
        match self.create_message(owner, dseq) {
            Ok(any) => messages_json(&[any]),
            Err(e) => Json::Obj(vec![("error", Json::Str(e.message))]).to_go_indented(),
        }
    }
}

/// A message as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTexts {
    /// Indented JSON of the very bytes that get signed (chain-sdk's `toJSON` form).
    pub exact: String,
    /// The same with the hash in hex and coins in ACT/AKT ([`readable_json`]).
    pub readable: String,
}

/// The SDL with every safe fix of the engine's chain rules (`chain-…` warnings, which Go accepts
/// and today's chain refuses) applied, and the fixes' labels: the review's one click past a
/// refusal. `None` when there is nothing to fix that way.
#[must_use]
pub fn chain_fix(sdl: &str, diagnostics: &leasekit_sdl::Diagnostics) -> Option<(String, String)> {
    let fixes: Vec<&leasekit_sdl::Fix> = diagnostics
        .all()
        .iter()
        .filter(|d| d.code.is_chain_rule())
        .flat_map(|d| d.fixes.iter().filter(|f| f.safe))
        .collect();
    let edits: Vec<leasekit_sdl::TextEdit> = fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect();
    if edits.is_empty() {
        return None;
    }
    let fixed = leasekit_sdl::apply_fixes(sdl, &edits).ok()?;
    let mut labels: Vec<&str> = fixes.iter().map(|f| f.label.as_str()).collect();
    labels.dedup();
    Some((labels.join("; "), fixed))
}

/// The deposit the chain takes where it would refuse `text`, with a label for the button: the
/// same amount in uact for a deposit in uakt (since v2.0, BME, deployments are paid in ACT), the
/// chain's minimum for one below it. `None` when the chain takes `text`, or it is no coin at all
/// (the review says why; there is no one obvious fix).
#[must_use]
pub fn deposit_fix(text: &str) -> Option<(String, String)> {
    let coin = Coin::parse(text.trim()).ok()?;
    if coin.denom != msgs::DEPOSIT_DENOM && coin.denom != "uakt" {
        return None;
    }
    if coin.amount < msgs::MIN_DEPOSIT {
        let minimum = amount::for_people(&msgs::MIN_DEPOSIT.to_string(), msgs::DEPOSIT_DENOM);
        return Some((
            format!("Deposit the minimum, {minimum}"),
            format!("{}{}", msgs::MIN_DEPOSIT, msgs::DEPOSIT_DENOM),
        ));
    }
    (coin.denom != msgs::DEPOSIT_DENOM)
        .then(|| ("Deposit in uact (same amount)".to_owned(), format!("{}{}", coin.amount, msgs::DEPOSIT_DENOM)))
}

/// A message's JSON (chain-sdk's `toJSON` form, as [`leasekit_tx::json`] renders it) the way a
/// person reads it: the manifest version in hex, as the CLI and the app print it (the JSON has
/// its bytes in base64), and each coin as its amount in ACT/AKT beside the chain's value. The
/// exact JSON stays what is signed; this is its reading aid.
#[must_use]
pub fn readable_json(json: &Json) -> Json {
    let coin = |fields: &[(&str, &Json)]| -> Option<String> {
        let [(a, Json::Str(x)), (b, Json::Str(y))] = fields else { return None };
        let (amount, denom) = match (*a, *b) {
            ("denom", "amount") => (y, x),
            ("amount", "denom") => (x, y),
            _ => return None,
        };
        Some(format!(
            "{} ({}{denom})",
            amount::for_people(amount, denom),
            amount::format_dec(amount::parse_dec(amount)?)
        ))
    };
    let field = |key: &str, value: &Json| -> Json {
        if let (true, Json::Str(text)) = (key == "hash", value)
            && let Some(bytes) = leasekit_tx::encoding::base64_decode(text)
        {
            return Json::Str(leasekit_tx::encoding::hex_lower(&bytes));
        }
        readable_json(value)
    };
    match json {
        Json::Obj(entries) => {
            let pairs: Vec<(&str, &Json)> = entries.iter().map(|(k, v)| (*k, v)).collect();
            match coin(&pairs) {
                Some(text) => Json::Str(text),
                None => Json::Obj(entries.iter().map(|(k, v)| (*k, field(k, v))).collect()),
            }
        }
        Json::Map(entries) => {
            let pairs: Vec<(&str, &Json)> = entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
            match coin(&pairs) {
                Some(text) => Json::Str(text),
                None => Json::Map(entries.iter().map(|(k, v)| (k.clone(), field(k, v))).collect()),
            }
        }
        Json::Arr(items) => Json::Arr(items.iter().map(readable_json).collect()),
        other => other.clone(),
    }
}

/// Messages as indented JSON (see [`OrderSummary::messages_json`]).
#[must_use]
pub fn messages_json(messages: &[Any]) -> String {
    Json::Arr(messages.iter().map(message_json).collect()).to_go_indented()
}

fn message_json(any: &Any) -> Json {
    leasekit_tx::json::message_json(any)
}

/// `5000uakt for 400000 gas`.
#[must_use]
pub fn fee_text(fee: &Fee) -> String {
    let coins: Vec<String> = fee.amount.iter().map(|c| format!("{}{}", c.amount, c.denom)).collect();
    format!("{} for {} gas", if coins.is_empty() { "0".to_owned() } else { coins.join(" + ") }, fee.gas_limit)
}

fn cpu_text(millicores: u32) -> String {
    amount::format_dec(u128::from(millicores) * SCALE / 1000)
}

/// Binary units, as the SDL writes sizes (`512Mi` → `512 MiB`).
fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut unit = 0;
    let mut value = u128::from(bytes) * SCALE;
    while unit + 1 < UNITS.len() && value >= 1024 * SCALE {
        value /= 1024;
        unit += 1;
    }
    format!("{} {}", amount::format_rounded(value, 2), UNITS[unit])
}
