//! The chain: Cosmos SDK and Akash module queries over REST (gRPC-gateway), simulate and
//! broadcast (chain.md §2.4, §3).

use leasekit_sdl::json::Json;
use leasekit_tx::encoding::{base64_decode, base64_encode, hex_lower};

use crate::error::{ClientError, ErrorKind};
use crate::read::{self, at, items, str_at, u64_at, u64_of};
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// What `/cosmos/base/tendermint/v1beta1/node_info` says about the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// `default_node_info.network`, e.g. `akashnet-2`.
    pub chain_id: String,
    /// `application_version.version`, e.g. `v2.0.1`.
    pub app_version: String,
}

/// An account's signing state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account number (fixed at creation).
    pub account_number: u64,
    /// The next sequence to sign with.
    pub sequence: u64,
    /// The compressed secp256k1 public key; `None` until the account has sent a transaction.
    pub pub_key: Option<Vec<u8>>,
}

/// An amount of a denomination. `amount` is the chain's decimal text, kept as text: DecCoins
/// have 18 decimals, which no float holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coin {
    /// `uakt`, `uact`, …
    pub denom: String,
    /// Decimal text: `"500000"` or `"1.000000000000000000"`.
    pub amount: String,
}

/// One group of a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Group sequence, 1..N.
    pub gseq: u32,
    /// `open`, `paused`, `insufficient_funds`, `closed`, …
    pub state: String,
    /// The SDL placement name (`group_spec.name`).
    pub name: String,
}

/// A deployment with its groups and escrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The owner's address.
    pub owner: String,
    /// Deployment sequence.
    pub dseq: u64,
    /// `active` or `closed`.
    pub state: String,
    /// The manifest version hash (32 bytes).
    pub hash: Vec<u8>,
    /// Block height at creation.
    pub created_at: u64,
    /// The groups, in gseq order as the chain lists them.
    pub groups: Vec<Group>,
    /// What the escrow account holds (`escrow_account.state.funds`, or the older `balance`).
    pub escrow_balance: Vec<Coin>,
}

impl Deployment {
    /// The hash as lower-case hex (how Leasekit prints manifest versions).
    #[must_use]
    pub fn hash_hex(&self) -> String {
        hex_lower(&self.hash)
    }
}

/// A bid's identity: `leasekit_tx`'s own, so a bid read here goes straight into
/// `leasekit_tx::msgs::create_lease`.
pub use leasekit_tx::msgs::BidId;

/// A lease's identity (`akash.market.v1.LeaseID` has the fields of `BidID`).
pub type LeaseId = BidId;

/// A provider's bid on an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bid {
    /// Its identity.
    pub id: BidId,
    /// `open`, `active`, `lost`, `closed`.
    pub state: String,
    /// Price per block.
    pub price: Coin,
}

/// A lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Its identity.
    pub id: LeaseId,
    /// `active`, `insufficient_funds`, `closed`, `reclaiming` (chain v2.1+).
    pub state: String,
    /// Price per block.
    pub price: Coin,
    /// The reclamation terms and, once the provider started it, its progress (chain v2.1+;
    /// `reclamation: null` before, and on leases without a window).
    pub reclamation: Option<Reclamation>,
}

impl Lease {
    /// Whether the lease still runs: `active`, or `reclaiming` (the provider asked for it back
    /// but the window has not ended, so the workload and its IP are still there).
    #[must_use]
    pub fn is_live(&self) -> bool {
        matches!(self.state.as_str(), "active" | "reclaiming")
    }
}

/// `akash.market.v1.Reclamation` (chain-sdk `proto/node/akash/market/v1/reclamation.proto`):
/// the window negotiated from the winning bid; `started_at`/`deadline` stay 0 until the provider
/// sends MsgLeaseStartReclaim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reclamation {
    /// The window in seconds (`window`, a protobuf Duration: `"86400s"` in JSON).
    pub window_seconds: Option<u64>,
    /// Block height the reclamation started at; 0: not started.
    pub started_at: u64,
    /// Unix time (seconds) the window ends; 0: not started.
    pub deadline: u64,
    /// The provider's reason (`LeaseClosedReason` name), empty when none.
    pub reason: String,
}

/// One page of a list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<I> {
    /// The page's items, in the chain's order.
    pub items: Vec<I>,
    /// The key of the next page (`pagination.next_key`); `None` on the last page.
    pub next_key: Option<String>,
}

/// A provider as registered on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The provider's address.
    pub owner: String,
    /// Its gateway, e.g. `https://provider.example.com:8443`.
    pub host_uri: String,
    /// Attributes, key and value, in chain order.
    pub attributes: Vec<(String, String)>,
}

/// A certificate published with MsgCreateCertificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Serial number (decimal text).
    pub serial: String,
    /// `valid` or `revoked`.
    pub state: String,
    /// The certificate's PEM text.
    pub cert_pem: String,
}

/// What BROADCAST_MODE_SYNC returned for an accepted transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastResult {
    /// Upper-case hex hash.
    pub tx_hash: String,
    /// 0: accepted into the mempool.
    pub code: u32,
    /// Empty when accepted.
    pub codespace: String,
    /// The node's log.
    pub raw_log: String,
}

/// An included transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxResult {
    /// Block height.
    pub height: u64,
    /// 0: success.
    pub code: u32,
    /// The failing module, when `code != 0`.
    pub codespace: String,
    /// The log (the failure reason when `code != 0`).
    pub raw_log: String,
}

/// A client of one node's REST endpoint (`https://api.example.com`, no trailing path).
#[derive(Debug, Clone)]
pub struct ChainClient<T> {
    transport: T,
    base: String,
}

/// How many pages a list call follows before giving up (the chain's default page is 100 items).
const MAX_PAGES: usize = 50;

impl<T: Transport> ChainClient<T> {
    /// A client of the REST endpoint at `base_url`.
    pub fn new(transport: T, base_url: &str) -> Self {
        ChainClient { transport, base: base_url.trim_end_matches('/').to_owned() }
    }

    /// The transport (to sleep between polls of the caller's own with the same clock).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Chain id and node software version.
    pub async fn node_info(&self) -> Result<NodeInfo, ClientError> {
        let what = "the node info query";
        let json = self.get_found(what, "/cosmos/base/tendermint/v1beta1/node_info").await?;
        Ok(NodeInfo {
            chain_id: str_at(&json, &["default_node_info", "network"])
                .ok_or_else(|| ClientError::decode(what, "no default_node_info.network"))?,
            app_version: str_at(&json, &["application_version", "version"]).unwrap_or_default(),
        })
    }

    /// Account number, sequence and public key; `None` for an address the chain has never seen
    /// (it must receive uakt first).
    pub async fn account(&self, address: &str) -> Result<Option<Account>, ClientError> {
        let what = "the account query";
        let path = format!("/cosmos/auth/v1beta1/account_info/{}", read::escape(address));
        let Some(json) = self.get(what, &path).await? else { return Ok(None) };
        let info = json.get("info").ok_or_else(|| ClientError::decode(what, "no info"))?;
        let pub_key = match str_at(info, &["pub_key", "key"]) {
            Some(key) => Some(base64_decode(&key).ok_or_else(|| ClientError::decode(what, "pub_key is not base64"))?),
            None => None,
        };
        Ok(Some(Account {
            account_number: u64_at(info, &["account_number"])
                .ok_or_else(|| ClientError::decode(what, "no account_number"))?,
            sequence: u64_at(info, &["sequence"]).ok_or_else(|| ClientError::decode(what, "no sequence"))?,
            pub_key,
        }))
    }

    /// Every balance of an address (empty for an unknown one).
    pub async fn balances(&self, address: &str) -> Result<Vec<Coin>, ClientError> {
        let path = format!("/cosmos/bank/v1beta1/balances/{}", read::escape(address));
        let pages = self.list("the balance query", &path, &[]).await?;
        Ok(pages.iter().flat_map(|page| items(page, &["balances"])).filter_map(coin).collect())
    }

    /// The latest block height.
    pub async fn latest_height(&self) -> Result<u64, ClientError> {
        let what = "the latest block query";
        let json = self.get_found(what, "/cosmos/base/tendermint/v1beta1/blocks/latest").await?;
        u64_at(&json, &["block", "header", "height"])
            .or_else(|| u64_at(&json, &["sdk_block", "header", "height"]))
            .ok_or_else(|| ClientError::decode(what, "no block.header.height"))
    }

    /// One deployment; `None` when the chain has none with this owner and dseq.
    pub async fn deployment(&self, owner: &str, dseq: u64) -> Result<Option<Deployment>, ClientError> {
        let what = "the deployment query";
        let dseq = dseq.to_string();
        let path =
            read::with_query("/akash/deployment/v1beta4/deployments/info", &[("id.owner", owner), ("id.dseq", &dseq)]);
        match self.get(what, &path).await? {
            Some(json) => deployment(&json).map(Some).ok_or_else(|| ClientError::decode(what, "no deployment.id")),
            None => Ok(None),
        }
    }

    /// Every deployment of an owner, active and closed.
    pub async fn deployments(&self, owner: &str) -> Result<Vec<Deployment>, ClientError> {
        let what = "the deployment list";
        let (path, params) = ("/akash/deployment/v1beta4/deployments/list", [("filters.owner", owner)]);
        self.list_of(what, path, &params, "deployments", "an entry has no deployment.id", deployment).await
    }

    /// One page of an owner's deployments, only those in `state` (`active`, `closed`) when
    /// given, starting at `page_key` (a previous page's `next_key`). An account with a long
    /// history is read a page (the chain's default, 100 entries) at a time, on demand.
    pub async fn deployments_page(
        &self,
        owner: &str,
        state: Option<&str>,
        page_key: Option<&str>,
    ) -> Result<Page<Deployment>, ClientError> {
        let what = "the deployment list";
        let mut params = vec![("filters.owner", owner)];
        if let Some(state) = state {
            params.push(("filters.state", state));
        }
        if let Some(key) = page_key {
            params.push(("pagination.key", key));
        }
        let page =
            self.get_found(what, &read::with_query("/akash/deployment/v1beta4/deployments/list", &params)).await?;
        let items = items(&page, &["deployments"])
            .iter()
            .map(|entry| deployment(entry).ok_or_else(|| ClientError::decode(what, "an entry has no deployment.id")))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, next_key: next_key(&page) })
    }

    /// The bids on a deployment's orders, optionally only those in `state` (`open`, …).
    pub async fn bids(&self, owner: &str, dseq: u64, state: Option<&str>) -> Result<Vec<Bid>, ClientError> {
        let what = "the bid list";
        let dseq = dseq.to_string();
        let mut params = vec![("filters.owner", owner), ("filters.dseq", dseq.as_str())];
        if let Some(state) = state {
            params.push(("filters.state", state));
        }
        let path = "/akash/market/v1beta5/bids/list";
        self.list_of(what, path, &params, "bids", "a bid lacks id, state or price", |entry| {
            let (id, state, price) = market_entry(entry.get("bid")?)?;
            Some(Bid { id, state, price })
        })
        .await
    }

    /// An owner's leases, of one deployment or all.
    pub async fn leases(&self, owner: &str, dseq: Option<u64>) -> Result<Vec<Lease>, ClientError> {
        self.leases_in(owner, dseq, None).await
    }

    /// An owner's leases in `state` (`active`, `reclaiming`, `closed`, …) when given, of one
    /// deployment or all.
    pub async fn leases_in(
        &self,
        owner: &str,
        dseq: Option<u64>,
        state: Option<&str>,
    ) -> Result<Vec<Lease>, ClientError> {
        let what = "the lease list";
        let dseq = dseq.map(|d| d.to_string());
        let mut params = vec![("filters.owner", owner)];
        if let Some(dseq) = &dseq {
            params.push(("filters.dseq", dseq.as_str()));
        }
        if let Some(state) = state {
            params.push(("filters.state", state));
        }
        let path = "/akash/market/v1beta5/leases/list";
        self.list_of(what, path, &params, "leases", "a lease lacks id, state or price", |entry| {
            let lease = entry.get("lease")?;
            let (id, state, price) = market_entry(lease)?;
            Some(Lease { id, state, price, reclamation: lease.get("reclamation").and_then(reclamation) })
        })
        .await
    }

    /// A provider's registration; `None` for an address that is not a provider.
    pub async fn provider(&self, address: &str) -> Result<Option<Provider>, ClientError> {
        let what = "the provider query";
        let path = format!("/akash/provider/v1beta4/providers/{}", read::escape(address));
        let Some(json) = self.get(what, &path).await? else { return Ok(None) };
        let provider = json.get("provider").ok_or_else(|| ClientError::decode(what, "no provider"))?;
        Ok(Some(Provider {
            owner: str_at(provider, &["owner"]).unwrap_or_else(|| address.to_owned()),
            host_uri: str_at(provider, &["host_uri"]).ok_or_else(|| ClientError::decode(what, "no host_uri"))?,
            attributes: items(provider, &["attributes"])
                .iter()
                .filter_map(|a| Some((str_at(a, &["key"])?, str_at(a, &["value"]).unwrap_or_default())))
                .collect(),
        }))
    }

    /// An owner's certificates (the REST path uses the singular `filter.`). Anyone can publish
    /// any bytes as a certificate, so an entry that is not base64 of PEM text is left out rather
    /// than failing the list.
    pub async fn certificates(&self, owner: &str) -> Result<Vec<Certificate>, ClientError> {
        let what = "the certificate list";
        let pages = self.list(what, "/akash/cert/v1/certificates/list", &[("filter.owner", owner)]).await?;
        let certificate = |entry: &Json| {
            let pem = base64_decode(&str_at(entry, &["certificate", "cert"])?)?;
            Some(Certificate {
                serial: at(entry, &["serial"])
                    .and_then(|s| s.as_str().map(str::to_owned).or_else(|| u64_of(s).map(|n| n.to_string())))?,
                state: str_at(entry, &["certificate", "state"]).unwrap_or_default(),
                cert_pem: String::from_utf8(pem).ok().filter(|pem| pem.contains("-----BEGIN "))?,
            })
        };
        Ok(pages.iter().flat_map(|page| items(page, &["certificates"])).filter_map(certificate).collect())
    }

    /// Simulates a signed transaction; the gas it used.
    pub async fn simulate(&self, tx_bytes: &[u8]) -> Result<u64, ClientError> {
        let what = "the simulation";
        let body = format!("{{\"tx_bytes\":\"{}\"}}", base64_encode(tx_bytes));
        let resp =
            self.send(HttpRequest::new("POST", self.url("/cosmos/tx/v1beta1/simulate")).simple_json_body(body)).await?;
        if resp.status != 200 {
            return Err(simulation_error(&resp));
        }
        let json = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        u64_at(&json, &["gas_info", "gas_used"]).ok_or_else(|| ClientError::decode(what, "no gas_info.gas_used"))
    }

    /// Broadcasts a signed transaction (BROADCAST_MODE_SYNC: returns once CheckTx ran). A
    /// non-zero code is an `Err` carrying the chain's code, codespace and log.
    pub async fn broadcast(&self, tx_bytes: &[u8]) -> Result<BroadcastResult, ClientError> {
        let what = "the broadcast";
        let body = format!("{{\"tx_bytes\":\"{}\",\"mode\":\"BROADCAST_MODE_SYNC\"}}", base64_encode(tx_bytes));
        let resp =
            self.send(HttpRequest::new("POST", self.url("/cosmos/tx/v1beta1/txs")).simple_json_body(body)).await?;
        if resp.status != 200 {
            return Err(ClientError::chain_http(what, &resp));
        }
        let json = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        let tx = json.get("tx_response").ok_or_else(|| ClientError::decode(what, "no tx_response"))?;
        let result = BroadcastResult {
            tx_hash: str_at(tx, &["txhash"]).unwrap_or_default(),
            code: code_of(tx),
            codespace: str_at(tx, &["codespace"]).unwrap_or_default(),
            raw_log: str_at(tx, &["raw_log"]).unwrap_or_default(),
        };
        if result.code != 0 {
            return Err(ClientError::chain_tx(false, result.code, &result.codespace, &result.raw_log));
        }
        Ok(result)
    }

    /// An included transaction by hash; `None` while it is not in a block.
    pub async fn tx(&self, hash: &str) -> Result<Option<TxResult>, ClientError> {
        let what = "the transaction query";
        let resp = self
            .send(HttpRequest::new("GET", self.url(&format!("/cosmos/tx/v1beta1/txs/{}", read::escape(hash)))))
            .await?;
        if resp.status != 200 {
            // Nodes answer 404 (gRPC NotFound); some older ones 400/500 with "tx not found".
            if is_not_found(&resp) || resp.text().contains("not found") {
                return Ok(None);
            }
            return Err(ClientError::chain_http(what, &resp));
        }
        let json = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        let tx = json.get("tx_response").ok_or_else(|| ClientError::decode(what, "no tx_response"))?;
        Ok(Some(TxResult {
            height: u64_at(tx, &["height"]).unwrap_or_default(),
            code: code_of(tx),
            codespace: str_at(tx, &["codespace"]).unwrap_or_default(),
            raw_log: str_at(tx, &["raw_log"]).unwrap_or_default(),
        }))
    }

    /// Polls [`Self::tx`] every `interval_ms` until the transaction is in a block. A failed
    /// transaction is an `Err` ([`ErrorKind::TxFailed`]); so is not seeing it within
    /// `timeout_ms` ([`ErrorKind::Timeout`]). Time is counted in the transport's sleeps, so
    /// request latency makes the real wait somewhat longer.
    pub async fn wait_for_tx(&self, hash: &str, timeout_ms: u64, interval_ms: u64) -> Result<TxResult, ClientError> {
        let mut waited = 0;
        loop {
            if let Some(result) = self.tx(hash).await? {
                if result.code != 0 {
                    return Err(ClientError::chain_tx(true, result.code, &result.codespace, &result.raw_log));
                }
                return Ok(result);
            }
            if waited >= timeout_ms {
                return Err(ClientError::new(
                    ErrorKind::Timeout,
                    format!(
                        "the transaction {hash} was not included within {} s; it may still land — check again before resending",
                        timeout_ms / 1000
                    ),
                ));
            }
            let step = interval_ms.max(1).min(timeout_ms - waited);
            self.transport.sleep(step).await;
            waited += step;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, ClientError> {
        Ok(self.transport.send(req.header("Accept", "application/json")).await?)
    }

    /// GET a JSON document; `None` on NotFound.
    async fn get(&self, what: &str, path: &str) -> Result<Option<Json>, ClientError> {
        let resp = self.send(HttpRequest::new("GET", self.url(path))).await?;
        if resp.status != 200 {
            if is_not_found(&resp) {
                return Ok(None);
            }
            return Err(ClientError::chain_http(what, &resp));
        }
        read::parse(&resp.body).map(Some).map_err(|e| ClientError::decode(what, &e))
    }

    async fn get_found(&self, what: &str, path: &str) -> Result<Json, ClientError> {
        self.get(what, path).await?.ok_or_else(|| {
            ClientError::new(ErrorKind::Http, format!("the chain node does not serve {what} (404)")).status(404)
        })
    }

    /// Every item of a list query (the array `key` of each page), each read by `parse`; an item
    /// it cannot read is a decode error naming `missing`.
    async fn list_of<I>(
        &self,
        what: &str,
        path: &str,
        params: &[(&str, &str)],
        key: &str,
        missing: &str,
        parse: impl Fn(&Json) -> Option<I>,
    ) -> Result<Vec<I>, ClientError> {
        let pages = self.list(what, path, params).await?;
        let entries = pages.iter().flat_map(|page| items(page, &[key]));
        entries.map(|entry| parse(entry).ok_or_else(|| ClientError::decode(what, missing))).collect()
    }

    /// Every page of a list query, following `pagination.next_key`.
    async fn list(&self, what: &str, path: &str, params: &[(&str, &str)]) -> Result<Vec<Json>, ClientError> {
        let mut pages = Vec::new();
        let mut key: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = params.to_vec();
            if let Some(key) = &key {
                query.push(("pagination.key", key));
            }
            let page = self.get_found(what, &read::with_query(path, &query)).await?;
            key = next_key(&page);
            pages.push(page);
            if key.is_none() {
                return Ok(pages);
            }
        }
        Err(ClientError::decode(what, "more than 50 pages"))
    }
}

/// gRPC-gateway's NotFound: HTTP 404 or body code 5.
fn is_not_found(resp: &HttpResponse) -> bool {
    resp.status == 404 || read::parse(&resp.body).ok().and_then(|b| u64_at(&b, &["code"])) == Some(5)
}

/// `pagination.next_key` when there is a next page (`null` or `""` on the last).
fn next_key(page: &Json) -> Option<String> {
    str_at(page, &["pagination", "next_key"]).filter(|k| !k.is_empty())
}

/// A lease's `reclamation` object (`null` reads as none).
fn reclamation(json: &Json) -> Option<Reclamation> {
    if matches!(json, Json::Null) {
        return None;
    }
    // A protobuf Duration in JSON: decimal seconds with an `s` suffix (`"86400s"`, `"1.5s"`).
    let window_seconds = str_at(json, &["window"])
        .and_then(|w| w.strip_suffix('s').map(|n| n.split('.').next().unwrap_or_default().to_owned()))
        .and_then(|n| n.parse().ok());
    Some(Reclamation {
        window_seconds,
        started_at: u64_at(json, &["started_at"]).unwrap_or_default(),
        deadline: u64_at(json, &["deadline"]).unwrap_or_default(),
        reason: str_at(json, &["reason"]).filter(|r| r != "lease_closed_invalid").unwrap_or_default(),
    })
}

fn code_of(tx: &Json) -> u32 {
    u64_at(tx, &["code"]).and_then(|c| u32::try_from(c).ok()).unwrap_or_default()
}

/// A failed simulation is a gRPC error whose message holds the ABCI log; recognise the common
/// codes so the tenant reads the same sentence as for a rejected broadcast.
fn simulation_error(resp: &HttpResponse) -> ClientError {
    let http = ClientError::chain_http("the simulation", resp);
    let log = http.detail.clone().unwrap_or_default();
    let code = if log.contains("account sequence mismatch") {
        32
    } else if log.contains("insufficient funds") {
        5
    } else if log.contains("out of gas") {
        11
    } else if log.contains("tx parse error") || log.contains("unable to decode") {
        2
    } else {
        return http;
    };
    let mut err = ClientError::chain_tx(false, code, "sdk", &log);
    err.http_status = Some(resp.status);
    err
}

fn coin(json: &Json) -> Option<Coin> {
    Some(Coin { denom: str_at(json, &["denom"])?, amount: str_at(json, &["amount"])? })
}

fn deployment(entry: &Json) -> Option<Deployment> {
    let d = entry.get("deployment")?;
    let escrow = entry.get("escrow_account");
    let funds = escrow.map(|e| items(e, &["state", "funds"])).unwrap_or_default();
    let escrow_balance = if funds.is_empty() {
        escrow.and_then(|e| e.get("balance")).and_then(coin).into_iter().collect()
    } else {
        funds.iter().filter_map(coin).collect()
    };
    Some(Deployment {
        owner: str_at(d, &["id", "owner"])?,
        dseq: u64_at(d, &["id", "dseq"])?,
        state: str_at(d, &["state"]).unwrap_or_default(),
        hash: str_at(d, &["hash"]).and_then(|h| base64_decode(&h)).unwrap_or_default(),
        created_at: u64_at(d, &["created_at"]).unwrap_or_default(),
        groups: items(entry, &["groups"])
            .iter()
            .filter_map(|g| {
                Some(Group {
                    gseq: u32::try_from(u64_at(g, &["id", "gseq"])?).ok()?,
                    state: str_at(g, &["state"]).unwrap_or_default(),
                    name: str_at(g, &["group_spec", "name"]).unwrap_or_default(),
                })
            })
            .collect(),
        escrow_balance,
    })
}

/// The id, state and price of a bid or lease.
fn market_entry(json: &Json) -> Option<(LeaseId, String, Coin)> {
    let id = json.get("id")?;
    let small = |key: &str| u64_at(id, &[key]).and_then(|n| u32::try_from(n).ok());
    let id = LeaseId {
        owner: str_at(id, &["owner"])?,
        dseq: u64_at(id, &["dseq"])?,
        gseq: small("gseq")?,
        oseq: small("oseq")?,
        provider: str_at(id, &["provider"])?,
        bseq: small("bseq").unwrap_or_default(),
    };
    Some((id, str_at(json, &["state"])?, coin(json.get("price")?)?))
}
