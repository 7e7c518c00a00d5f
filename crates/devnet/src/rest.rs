//! The chain REST (chain.md §3) as an axum router, with grpc-gateway's JSON conventions:
//! proto field names in snake_case, 64-bit integers as strings (32-bit ones as numbers),
//! enums as their names (`"open"`, `"LEASED_IP"`), bytes as base64, DecCoin amounts with 18
//! decimals, `pagination` objects present, and errors as `{"code", "message", "details"}` with
//! gRPC codes (5 NotFound → HTTP 404, 3 InvalidArgument → 400, 12 Unimplemented → 404 for unknown
//! paths, 2 Unknown → 500 for a failed simulation, as the SDK's gateway answers).
//!
//! CORS is what public nodes offer a page: every answer carries `Access-Control-Allow-Origin: *`,
//! but a preflight (`OPTIONS`) is refused with 405 and no CORS header, as from a node whose
//! operator did not enable CORS in the Cosmos SDK (only a proxy in front adds the origin header).
//! The app must therefore send only CORS simple requests (leasekit-client labels its JSON bodies
//! `text/plain`), and the devnet proves it: a preflighted request fails here as on mainnet, and
//! the refused preflights are counted (`GET /leasekit/devnet/preflights`) for the browser tests.
//! POST bodies are read as JSON whatever their content type, as the SDK's gateway reads them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, Request, State as AxumState};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use leasekit_tx::proto;

use crate::chain::{Chain, Deployment, Escrow, Group, Lease, LeaseId, LeaseState, TxRecord, TxResult};
use crate::dec;
use crate::providers::Provider;

/// What the handlers share.
#[derive(Clone)]
pub struct RestState {
    /// The chain.
    pub chain: Arc<Mutex<Chain>>,
    /// `application_version.version` reported by node_info (e.g. `v2.0.1`).
    pub app_version: String,
    /// CORS preflights refused so far.
    pub preflights: Arc<std::sync::atomic::AtomicU64>,
}

type Params = Query<HashMap<String, String>>;
type Reply = Result<Json<Value>, ApiError>;

/// A grpc-gateway error.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: u32,
    message: String,
}

impl ApiError {
    fn not_found(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::NOT_FOUND, code: 5, message: message.into() }
    }
    fn invalid(message: impl Into<String>) -> Self {
        ApiError { status: StatusCode::BAD_REQUEST, code: 3, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"code": self.code, "message": self.message, "details": []}))).into_response()
    }
}

fn lock(state: &RestState) -> MutexGuard<'_, Chain> {
    // A panic while holding the lock cannot leave the chain half-updated (blocks and txs
    // replace state wholesale), so a poisoned lock is still safe to read.
    state.chain.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The router.
pub fn router(state: RestState) -> Router {
    Router::new()
        .route("/cosmos/auth/v1beta1/account_info/{address}", get(account_info))
        .route("/cosmos/auth/v1beta1/accounts/{address}", get(account))
        .route("/cosmos/bank/v1beta1/balances/{address}", get(balances))
        .route("/cosmos/bank/v1beta1/balances/{address}/by_denom", get(balance_by_denom))
        .route("/cosmos/base/tendermint/v1beta1/node_info", get(node_info))
        .route("/cosmos/base/tendermint/v1beta1/blocks/latest", get(latest_block))
        .route("/cosmos/tx/v1beta1/simulate", post(simulate))
        .route("/cosmos/tx/v1beta1/txs", post(broadcast))
        .route("/cosmos/tx/v1beta1/txs/{hash}", get(get_tx))
        .route("/akash/deployment/v1beta4/deployments/info", get(deployment_info))
        .route("/akash/deployment/v1beta4/deployments/list", get(deployment_list))
        .route("/akash/deployment/v1beta4/groups/info", get(group_info))
        .route("/akash/deployment/v1beta4/params", get(deployment_params))
        .route("/akash/market/v1beta5/orders/list", get(order_list))
        .route("/akash/market/v1beta5/orders/info", get(order_info))
        .route("/akash/market/v1beta5/bids/list", get(bid_list))
        .route("/akash/market/v1beta5/bids/info", get(bid_info))
        .route("/akash/market/v1beta5/leases/list", get(lease_list))
        .route("/akash/market/v1beta5/leases/info", get(lease_info))
        .route("/akash/market/v1beta5/params", get(market_params))
        .route("/akash/provider/v1beta4/providers", get(provider_list))
        .route("/akash/provider/v1beta4/providers/{owner}", get(provider_info))
        .route("/akash/cert/v1/certificates/list", get(certificates))
        .route("/akash/escrow/v1/types/accounts", get(escrow_accounts))
        .route("/akash/escrow/v1/types/payments", get(escrow_payments))
        .route("/akash/bme/v1/params", get(bme_params))
        .route("/akash/bme/v1/status", get(bme_status))
        .route("/leasekit/devnet/preflights", get(preflights))
        .fallback(|| async {
            (StatusCode::NOT_FOUND, Json(json!({"code": 12, "message": "Not Implemented", "details": []})))
        })
        .layer(axum::middleware::from_fn_with_state(state.clone(), cors))
        .with_state(state)
}

async fn cors(AxumState(s): AxumState<RestState>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        s.preflights.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return (StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response();
    }
    let mut response = next.run(request).await;
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

async fn preflights(AxumState(s): AxumState<RestState>) -> Reply {
    Ok(Json(json!({"refused": s.preflights.load(std::sync::atomic::Ordering::Relaxed)})))
}

/// A POST body as JSON, whatever its `Content-Type` (the SDK gateway's wildcard marshaler).
fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("invalid request body: {e}")))
}

// --- JSON helpers --------------------------------------------------------------------------

fn pagination(total: usize) -> Value {
    json!({"next_key": null, "total": total.to_string()})
}

/// Entries per page when the request sets no `pagination.limit` (the SDK's default).
const DEFAULT_PAGE_LIMIT: usize = 100;

/// One page of a list, as the SDK pages it: `pagination.key` (the previous page's `next_key`,
/// here the base64 of the next entry's index) and `pagination.limit`; `next_key` is `null` on the
/// last page and `total` counts every entry that matched.
fn paged_reply(key: &str, items: Vec<Value>, q: &HashMap<String, String>) -> Reply {
    let start = match param(q, "pagination.key") {
        None => 0,
        Some(k) => B64
            .decode(k)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::invalid("invalid pagination key"))?,
    };
    let limit = param_num::<usize>(q, "pagination.limit")?.filter(|n| *n > 0).unwrap_or(DEFAULT_PAGE_LIMIT);
    let total = items.len();
    let end = start.saturating_add(limit).min(total);
    let page: Vec<Value> = items.into_iter().skip(start).take(end.saturating_sub(start)).collect();
    let next_key = if end < total { Value::String(B64.encode(end.to_string())) } else { Value::Null };
    let mut out = serde_json::Map::new();
    out.insert(key.to_owned(), Value::Array(page));
    out.insert("pagination".to_owned(), json!({"next_key": next_key, "total": total.to_string()}));
    Ok(Json(Value::Object(out)))
}

/// A list response: `{key: items, "pagination": …}`.
fn list_reply(key: &str, items: Vec<Value>) -> Reply {
    let total = items.len();
    let mut out = serde_json::Map::new();
    out.insert(key.to_owned(), Value::Array(items));
    out.insert("pagination".to_owned(), pagination(total));
    Ok(Json(Value::Object(out)))
}

fn dec_coin(denom: &str, scaled: u128) -> Value {
    json!({"denom": denom, "amount": dec::format(scaled)})
}

fn coin(denom: &str, amount: u128) -> Value {
    json!({"denom": denom, "amount": amount.to_string()})
}

/// RFC 3339 UTC time of unix milliseconds.
#[must_use]
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

fn attributes(list: &[proto::Attribute]) -> Value {
    list.iter().map(|a| json!({"key": a.key, "value": a.value})).collect()
}

fn resource_value(v: Option<&proto::ResourceValue>) -> Value {
    json!({"val": v.map(|v| String::from_utf8_lossy(&v.val).into_owned()).unwrap_or_default()})
}

fn group_spec(spec: &proto::GroupSpec) -> Value {
    let req = spec.requirements.clone().unwrap_or_default();
    let signed = req.signed_by.clone().unwrap_or_default();
    let resources: Vec<Value> = spec
        .resources
        .iter()
        .map(|u| {
            let r = u.resource.clone().unwrap_or_default();
            let cpu = r.cpu.clone().unwrap_or_default();
            let memory = r.memory.clone().unwrap_or_default();
            let gpu = r.gpu.clone().unwrap_or_default();
            let price = u.price.clone().unwrap_or_default();
            json!({
                "resource": {
                    "id": r.id,
                    "cpu": {"units": resource_value(cpu.units.as_ref()), "attributes": attributes(&cpu.attributes)},
                    "memory": {"quantity": resource_value(memory.quantity.as_ref()), "attributes": attributes(&memory.attributes)},
                    "storage": r.storage.iter().map(|s| json!({
                        "name": s.name,
                        "quantity": resource_value(s.quantity.as_ref()),
                        "attributes": attributes(&s.attributes),
                    })).collect::<Vec<_>>(),
                    "gpu": {"units": resource_value(gpu.units.as_ref()), "attributes": attributes(&gpu.attributes)},
                    "endpoints": r.endpoints.iter().map(|e| json!({
                        "kind": match e.kind { 1 => "RANDOM_PORT", 2 => "LEASED_IP", _ => "SHARED_HTTP" },
                        "sequence_number": e.sequence_number,
                    })).collect::<Vec<_>>(),
                },
                "count": u.count,
                "price": dec_coin(&price.denom, dec::parse_wire(&price.amount).unwrap_or(0)),
            })
        })
        .collect();
    json!({
        "name": spec.name,
        "requirements": {
            "signed_by": {"all_of": signed.all_of, "any_of": signed.any_of},
            "attributes": attributes(&req.attributes),
        },
        "resources": resources,
    })
}

fn group_json(d: &Deployment, g: &Group) -> Value {
    json!({
        "id": {"owner": d.owner, "dseq": d.dseq.to_string(), "gseq": g.gseq},
        "state": g.state.name(),
        "group_spec": group_spec(&g.spec),
        "created_at": g.created_at.to_string(),
    })
}

fn escrow_json(d: &Deployment) -> Value {
    let e: &Escrow = &d.escrow;
    json!({
        "id": {"scope": "deployment", "xid": format!("{}/{}", d.owner, d.dseq)},
        "state": {
            "owner": d.owner,
            "state": e.state.name(),
            "transferred": [dec_coin(&e.denom, e.transferred)],
            "settled_at": e.settled_at.to_string(),
            "funds": [dec_coin(&e.denom, e.balance)],
            "deposits": e.deposits.iter().map(|(owner, height, amount)| json!({
                "owner": owner,
                "height": height.to_string(),
                "source": "balance",
                "balance": dec_coin(&e.denom, amount * dec::SCALE),
            })).collect::<Vec<_>>(),
        },
    })
}

fn deployment_json(d: &Deployment) -> Value {
    json!({
        "deployment": {
            "id": {"owner": d.owner, "dseq": d.dseq.to_string()},
            "state": d.state.name(),
            "hash": B64.encode(&d.hash),
            "created_at": d.created_at.to_string(),
            // v2.1's DeploymentReclamation; the devnet's providers offer no reclamation window.
            "reclamation": null,
        },
        "groups": d.groups.iter().map(|g| group_json(d, g)).collect::<Vec<_>>(),
        "escrow_account": escrow_json(d),
    })
}

fn order_json(d: &Deployment, g: &Group) -> Value {
    json!({
        "id": {"owner": d.owner, "dseq": d.dseq.to_string(), "gseq": g.gseq, "oseq": 1},
        "state": g.order_state.name(),
        "spec": group_spec(&g.spec),
        "created_at": g.created_at.to_string(),
    })
}

fn id_json(id: &LeaseId) -> Value {
    json!({
        "owner": id.owner, "dseq": id.dseq.to_string(), "gseq": id.gseq, "oseq": id.oseq,
        "provider": id.provider, "bseq": id.bseq,
    })
}

fn payment_json(lease: &Lease, escrow_state: &str) -> Value {
    let id = &lease.id;
    json!({
        "id": {
            "aid": {"scope": "deployment", "xid": format!("{}/{}", id.owner, id.dseq)},
            "xid": format!("{}/{}/{}/{}", id.gseq, id.oseq, id.provider, id.bseq),
        },
        "state": {
            "owner": id.provider,
            "state": if lease.state == LeaseState::Active { "open" } else { escrow_state },
            "rate": dec_coin("uact", lease.price),
            "balance": dec_coin("uact", lease.paid),
            "unsettled": dec_coin("uact", 0),
            "withdrawn": coin("uact", 0),
        },
    })
}

fn provider_json(p: &Provider) -> Value {
    json!({
        "owner": p.owner,
        "host_uri": p.host_uri,
        "attributes": p.attributes.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
        "info": {"email": "", "website": ""},
    })
}

fn param<'a>(q: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    q.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

fn param_num<T: std::str::FromStr>(q: &HashMap<String, String>, key: &str) -> Result<Option<T>, ApiError> {
    param(q, key).map(|v| v.parse().map_err(|_| ApiError::invalid(format!("{key}: '{v}' is not a number")))).transpose()
}

/// Filters shared by the market lists (`filters.*`).
struct Filter {
    owner: Option<String>,
    dseq: Option<u64>,
    gseq: Option<u32>,
    oseq: Option<u32>,
    provider: Option<String>,
    bseq: Option<u32>,
    state: Option<String>,
}

impl Filter {
    fn parse(q: &HashMap<String, String>, prefix: &str) -> Result<Self, ApiError> {
        let key = |k: &str| format!("{prefix}.{k}");
        Ok(Filter {
            owner: param(q, &key("owner")).map(str::to_owned),
            dseq: param_num(q, &key("dseq"))?,
            gseq: param_num(q, &key("gseq"))?,
            oseq: param_num(q, &key("oseq"))?,
            provider: param(q, &key("provider")).map(str::to_owned),
            bseq: param_num(q, &key("bseq"))?,
            state: param(q, &key("state")).map(str::to_owned),
        })
    }

    fn matches_id(&self, id: &LeaseId, state: &str) -> bool {
        self.matches(&id.owner, id.dseq, id.gseq, Some(&id.provider), Some(id.bseq), state)
    }

    fn matches(
        &self,
        owner: &str,
        dseq: u64,
        gseq: u32,
        provider: Option<&str>,
        bseq: Option<u32>,
        state: &str,
    ) -> bool {
        self.owner.as_deref().is_none_or(|o| o == owner)
            && self.dseq.is_none_or(|d| d == dseq)
            && self.gseq.is_none_or(|g| g == gseq)
            && self.oseq.is_none_or(|o| o == 1)
            && self.provider.as_deref().is_none_or(|p| Some(p) == provider)
            && self.bseq.is_none_or(|b| Some(b) == bseq)
            && self.state.as_deref().is_none_or(|s| s == state)
    }
}

fn lease_id_param(q: &HashMap<String, String>) -> Result<LeaseId, ApiError> {
    let need = |k: &str| param(q, k).ok_or_else(|| ApiError::invalid(format!("{k} is required")));
    let num = |k: &str| -> Result<u64, ApiError> {
        need(k)?.parse().map_err(|_| ApiError::invalid(format!("{k} is not a number")))
    };
    let small = |k: &str| -> Result<u32, ApiError> {
        u32::try_from(num(k)?).map_err(|_| ApiError::invalid(format!("{k} is out of range")))
    };
    Ok(LeaseId {
        owner: need("id.owner")?.to_owned(),
        dseq: num("id.dseq")?,
        gseq: small("id.gseq")?,
        oseq: small("id.oseq")?,
        provider: need("id.provider")?.to_owned(),
        bseq: param_num(q, "id.bseq")?.unwrap_or(0),
    })
}

// --- cosmos --------------------------------------------------------------------------------

fn pub_key_json(key: Option<&Vec<u8>>) -> Value {
    match key {
        Some(k) => json!({"@type": "/cosmos.crypto.secp256k1.PubKey", "key": B64.encode(k)}),
        None => Value::Null,
    }
}

async fn account_info(AxumState(s): AxumState<RestState>, Path(address): Path<String>) -> Reply {
    let chain = lock(&s);
    let a = chain
        .state()
        .accounts
        .get(&address)
        .ok_or_else(|| ApiError::not_found(format!("account {address} not found")))?;
    Ok(Json(json!({"info": {
        "address": a.address,
        "pub_key": pub_key_json(a.pubkey.as_ref()),
        "account_number": a.number.to_string(),
        "sequence": a.sequence.to_string(),
    }})))
}

async fn account(AxumState(s): AxumState<RestState>, Path(address): Path<String>) -> Reply {
    let chain = lock(&s);
    let a = chain
        .state()
        .accounts
        .get(&address)
        .ok_or_else(|| ApiError::not_found(format!("account {address} not found")))?;
    Ok(Json(json!({"account": {
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        "address": a.address,
        "pub_key": pub_key_json(a.pubkey.as_ref()),
        "account_number": a.number.to_string(),
        "sequence": a.sequence.to_string(),
    }})))
}

fn balance_of(chain: &Chain, address: &str, denom: &str) -> u128 {
    chain.state().accounts.get(address).map_or(0, |a| match denom {
        "uakt" => a.uakt,
        "uact" => a.uact,
        _ => 0,
    })
}

async fn balances(AxumState(s): AxumState<RestState>, Path(address): Path<String>) -> Reply {
    let chain = lock(&s);
    let list: Vec<Value> = ["uact", "uakt"]
        .into_iter()
        .map(|d| (d, balance_of(&chain, &address, d)))
        .filter(|(_, a)| *a > 0)
        .map(|(d, a)| coin(d, a))
        .collect();
    list_reply("balances", list)
}

async fn balance_by_denom(AxumState(s): AxumState<RestState>, Path(address): Path<String>, Query(q): Params) -> Reply {
    let denom = param(&q, "denom").ok_or_else(|| ApiError::invalid("invalid denom"))?;
    let chain = lock(&s);
    Ok(Json(json!({"balance": coin(denom, balance_of(&chain, &address, denom))})))
}

async fn node_info(AxumState(s): AxumState<RestState>) -> Reply {
    let chain_id = lock(&s).state().chain_id.clone();
    Ok(Json(json!({
        "default_node_info": {
            "protocol_version": {"p2p": "8", "block": "11", "app": "0"},
            "default_node_id": "0000000000000000000000000000000000000000",
            "listen_addr": "tcp://127.0.0.1:26656",
            "network": chain_id,
            "version": "0.38.17",
            "channels": "",
            "moniker": "leasekit-devnet",
            "other": {"tx_index": "on", "rpc_address": ""},
        },
        "application_version": {
            "name": "akash",
            "app_name": "akash",
            "version": s.app_version,
            "git_commit": "",
            "build_tags": "leasekit-devnet",
            "go_version": "",
            "build_deps": [],
            "cosmos_sdk_version": "v0.53.0",
        },
    })))
}

/// A 32-byte stand-in hash (base64) for consensus fields the devnet does not have: it runs no
/// CometBFT, so block, commit and state hashes are derived from the height to keep their shape.
fn stand_in_hash(kind: &str, height: u64) -> String {
    use sha2::Digest as _;
    B64.encode(sha2::Sha256::digest(format!("leasekit-devnet/{kind}/{height}")))
}

fn block_id(height: u64) -> Value {
    json!({"hash": stand_in_hash("block", height), "part_set_header": {"total": 1, "hash": stand_in_hash("parts", height)}})
}

async fn latest_block(AxumState(s): AxumState<RestState>) -> Reply {
    let chain = lock(&s);
    let st = chain.state();
    let height = st.height;
    let previous = height.saturating_sub(1);
    let time = rfc3339(st.time_ms);
    // The one simulated validator (20 bytes, as CometBFT addresses are).
    let validator = B64.encode([0u8; 20]);
    let block = |proposer: &str| {
        json!({
            "header": {
                "version": {"block": "11", "app": "0"},
                "chain_id": st.chain_id,
                "height": height.to_string(),
                "time": time,
                "last_block_id": block_id(previous),
                "last_commit_hash": stand_in_hash("last_commit", height),
                "data_hash": stand_in_hash("data", height),
                "validators_hash": stand_in_hash("validators", 0),
                "next_validators_hash": stand_in_hash("validators", 0),
                "consensus_hash": stand_in_hash("consensus", 0),
                "app_hash": stand_in_hash("app", height),
                "last_results_hash": stand_in_hash("results", previous),
                "evidence_hash": stand_in_hash("evidence", 0),
                "proposer_address": proposer,
            },
            "data": {"txs": []},
            "evidence": {"evidence": []},
            "last_commit": {
                "height": previous.to_string(),
                "round": 0,
                "block_id": block_id(previous),
                "signatures": [{
                    "block_id_flag": "BLOCK_ID_FLAG_COMMIT",
                    "validator_address": validator,
                    "timestamp": time,
                    "signature": B64.encode([0u8; 64]),
                }],
            },
        })
    };
    // `sdk_block` names the proposer by its bech32 consensus address; the devnet has none.
    Ok(Json(
        json!({"block_id": block_id(height), "block": block(&validator), "sdk_block": block("akashvalcons1devnet")}),
    ))
}

/// `cosmos.tx.v1beta1.Tx` as the gateway writes it, from the TxRaw bytes the chain accepted.
/// Messages the devnet's proto module knows are written field by field; others as base64.
fn tx_json(tx_bytes: &[u8]) -> Value {
    use prost::Message as _;
    let Ok(raw) = proto::TxRaw::decode(tx_bytes) else { return Value::Null };
    let body = proto::TxBody::decode(raw.body_bytes.as_slice()).unwrap_or_default();
    let auth = proto::AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap_or_default();
    let messages: Vec<Value> = body
        .messages
        .iter()
        .map(|m| serde_json::from_str(&leasekit_tx::json::message_json(m).to_go_compact()).unwrap_or(Value::Null))
        .collect();
    let fee = auth.fee.unwrap_or_default();
    json!({
        "body": {
            "messages": messages,
            "memo": body.memo,
            "timeout_height": body.timeout_height.to_string(),
            "unordered": false,
            "timeout_timestamp": null,
            "extension_options": [],
            "non_critical_extension_options": [],
        },
        "auth_info": {
            "signer_infos": auth.signer_infos.iter().map(|si| json!({
                "public_key": si.public_key.as_ref().map_or(Value::Null, |k| {
                    let key = proto::PubKey::decode(k.value.as_slice()).map(|p| B64.encode(p.key)).unwrap_or_default();
                    json!({"@type": k.type_url, "key": key})
                }),
                "mode_info": {"single": {"mode": if si.mode_info.and_then(|m| m.single).is_some_and(|s| s.mode == proto::SIGN_MODE_DIRECT) { "SIGN_MODE_DIRECT" } else { "SIGN_MODE_UNSPECIFIED" }}},
                "sequence": si.sequence.to_string(),
            })).collect::<Vec<_>>(),
            "fee": {
                "amount": fee.amount.iter().map(|c| json!({"denom": c.denom, "amount": c.amount})).collect::<Vec<_>>(),
                "gas_limit": fee.gas_limit.to_string(),
                "payer": fee.payer,
                "granter": fee.granter,
            },
            "tip": null,
        },
        "signatures": raw.signatures.iter().map(|s| B64.encode(s)).collect::<Vec<_>>(),
    })
}

fn tx_bytes_of(body: &Value) -> Result<Vec<u8>, ApiError> {
    let text = body.get("tx_bytes").and_then(Value::as_str).ok_or_else(|| ApiError::invalid("tx_bytes is required"))?;
    B64.decode(text).map_err(|_| ApiError::invalid("tx_bytes is not base64"))
}

async fn simulate(AxumState(s): AxumState<RestState>, body: axum::body::Bytes) -> Reply {
    let bytes = tx_bytes_of(&json_body(&body)?)?;
    let gas = lock(&s).simulate(&bytes).map_err(|e| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: 2,
        message: format!("{} [codespace {} code {}]", e.log, e.codespace, e.code),
    })?;
    Ok(Json(json!({
        "gas_info": {"gas_wanted": "0", "gas_used": gas.to_string()},
        "result": {"data": "", "log": "", "events": [], "msg_responses": []},
    })))
}

fn tx_response(result: &TxResult, record: Option<&TxRecord>) -> Value {
    let events: Vec<Value> = record
        .map(|r| {
            r.events
                .iter()
                .map(|e| {
                    json!({
                        "type": e.kind,
                        "attributes": e.attributes.iter().map(|(k, v)| json!({"key": k, "value": v, "index": true})).collect::<Vec<_>>(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "height": record.map_or(0, |r| r.height).to_string(),
        "txhash": result.hash,
        "codespace": result.codespace,
        "code": result.code,
        "data": "",
        "raw_log": result.raw_log,
        "logs": [],
        "info": "",
        "gas_wanted": record.map_or(0, |r| r.gas_wanted).to_string(),
        "gas_used": record.map_or(0, |r| r.gas_used).to_string(),
        "tx": record.map_or(Value::Null, |r| {
            let mut tx = tx_json(&r.tx_bytes);
            if let Value::Object(map) = &mut tx {
                map.insert("@type".to_owned(), json!("/cosmos.tx.v1beta1.Tx"));
            }
            tx
        }),
        "timestamp": record.map(|r| rfc3339(r.time_ms)).unwrap_or_default(),
        "events": events,
    })
}

async fn broadcast(AxumState(s): AxumState<RestState>, body: axum::body::Bytes) -> Reply {
    let body = json_body(&body)?;
    let mode = body.get("mode").and_then(Value::as_str).unwrap_or("BROADCAST_MODE_SYNC");
    match mode {
        "BROADCAST_MODE_SYNC" | "BROADCAST_MODE_ASYNC" => {}
        "BROADCAST_MODE_BLOCK" => {
            return Err(ApiError::invalid(
                "invalid request: BROADCAST_MODE_BLOCK is not supported since Cosmos SDK 0.47; broadcast with BROADCAST_MODE_SYNC and poll GET /cosmos/tx/v1beta1/txs/{hash}",
            ));
        }
        other => return Err(ApiError::invalid(format!("invalid broadcast mode {other}"))),
    }
    let bytes = tx_bytes_of(&body)?;
    let result = lock(&s).check_tx(&bytes);
    Ok(Json(json!({"tx_response": tx_response(&result, None)})))
}

async fn get_tx(AxumState(s): AxumState<RestState>, Path(hash): Path<String>) -> Reply {
    let chain = lock(&s);
    let record = chain.tx(&hash).ok_or_else(|| ApiError::not_found(format!("tx not found: {hash}")))?;
    Ok(Json(json!({"tx": tx_json(&record.tx_bytes), "tx_response": tx_response(&record.result, Some(record))})))
}

// --- akash ---------------------------------------------------------------------------------

async fn deployment_info(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let owner = param(&q, "id.owner").ok_or_else(|| ApiError::invalid("id.owner is required"))?;
    let dseq: u64 = param_num(&q, "id.dseq")?.ok_or_else(|| ApiError::invalid("id.dseq is required"))?;
    let chain = lock(&s);
    let d = chain.deployment(owner, dseq).ok_or_else(|| ApiError::not_found("deployment not found"))?;
    Ok(Json(deployment_json(d)))
}

async fn deployment_list(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let owner = param(&q, "filters.owner");
    let dseq: Option<u64> = param_num(&q, "filters.dseq")?;
    let state = param(&q, "filters.state");
    let chain = lock(&s);
    let list: Vec<Value> = chain
        .state()
        .deployments
        .iter()
        .filter(|d| owner.is_none_or(|o| o == d.owner) && dseq.is_none_or(|n| n == d.dseq))
        .filter(|d| state.is_none_or(|st| st == d.state.name()))
        .map(deployment_json)
        .collect();
    paged_reply("deployments", list, &q)
}

async fn group_info(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let owner = param(&q, "id.owner").ok_or_else(|| ApiError::invalid("id.owner is required"))?;
    let dseq: u64 = param_num(&q, "id.dseq")?.ok_or_else(|| ApiError::invalid("id.dseq is required"))?;
    let gseq: u32 = param_num(&q, "id.gseq")?.ok_or_else(|| ApiError::invalid("id.gseq is required"))?;
    let chain = lock(&s);
    let d = chain.deployment(owner, dseq).ok_or_else(|| ApiError::not_found("group not found"))?;
    let g = d.groups.iter().find(|g| g.gseq == gseq).ok_or_else(|| ApiError::not_found("group not found"))?;
    Ok(Json(json!({"group": group_json(d, g)})))
}

async fn deployment_params() -> Reply {
    Ok(Json(json!({"params": {"min_deposits": [
        coin("uact", crate::chain::MIN_DEPOSIT),
        coin("uakt", crate::chain::MIN_DEPOSIT),
    ]}})))
}

async fn order_list(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let f = Filter::parse(&q, "filters")?;
    let chain = lock(&s);
    let list: Vec<Value> = chain
        .state()
        .deployments
        .iter()
        .flat_map(|d| d.groups.iter().map(move |g| (d, g)))
        .filter(|(d, g)| f.matches(&d.owner, d.dseq, g.gseq, None, None, g.order_state.name()) && f.provider.is_none())
        .map(|(d, g)| order_json(d, g))
        .collect();
    list_reply("orders", list)
}

async fn order_info(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let owner = param(&q, "id.owner").ok_or_else(|| ApiError::invalid("id.owner is required"))?;
    let dseq: u64 = param_num(&q, "id.dseq")?.ok_or_else(|| ApiError::invalid("id.dseq is required"))?;
    let gseq: u32 = param_num(&q, "id.gseq")?.ok_or_else(|| ApiError::invalid("id.gseq is required"))?;
    let oseq: u32 = param_num(&q, "id.oseq")?.unwrap_or(1);
    let chain = lock(&s);
    let d = chain.deployment(owner, dseq).ok_or_else(|| ApiError::not_found("order not found"))?;
    let g =
        d.groups.iter().find(|g| g.gseq == gseq && oseq == 1).ok_or_else(|| ApiError::not_found("order not found"))?;
    Ok(Json(json!({"order": order_json(d, g)})))
}

fn bid_entry(chain: &Chain, b: &crate::chain::Bid) -> Value {
    json!({
        "bid": {
            "id": id_json(&b.id),
            "state": b.state.name(),
            "price": dec_coin("uact", b.price),
            "created_at": b.created_at.to_string(),
            "resources_offer": [],
            "reclamation_window": null,
        },
        "escrow_account": {
            "id": {"scope": "bid", "xid": format!("{}/{}/{}/{}/{}/{}", b.id.owner, b.id.dseq, b.id.gseq, b.id.oseq, b.id.provider, b.id.bseq)},
            "state": {
                "owner": b.id.provider,
                "state": "open",
                "transferred": [dec_coin("uact", 0)],
                "settled_at": chain.state().height.to_string(),
                "funds": [dec_coin("uact", 0)],
                "deposits": [],
            },
        },
    })
}

async fn bid_list(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let f = Filter::parse(&q, "filters")?;
    let chain = lock(&s);
    let bids = chain.state().bids.iter().filter(|b| f.matches_id(&b.id, b.state.name()));
    paged_reply("bids", bids.map(|b| bid_entry(&chain, b)).collect(), &q)
}

async fn bid_info(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let id = lease_id_param(&q)?;
    let chain = lock(&s);
    let b = chain.state().bids.iter().find(|b| b.id == id).ok_or_else(|| ApiError::not_found("bid not found"))?;
    Ok(Json(bid_entry(&chain, b)))
}

fn lease_entry(chain: &Chain, l: &Lease) -> Value {
    let escrow_state = chain.deployment(&l.id.owner, l.id.dseq).map_or("closed", |d| d.escrow.state.name());
    json!({
        "lease": {
            "id": id_json(&l.id),
            "state": l.state.name(),
            "price": dec_coin("uact", l.price),
            "created_at": l.created_at.to_string(),
            "closed_on": l.closed_on.to_string(),
            "reason": match l.state {
                LeaseState::Active => "lease_closed_invalid",
                LeaseState::InsufficientFunds => "lease_closed_reason_insufficient_funds",
                LeaseState::Closed => "lease_closed_owner",
            },
            "reclamation": null,
        },
        "escrow_payment": payment_json(l, escrow_state),
    })
}

async fn lease_list(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let f = Filter::parse(&q, "filters")?;
    let chain = lock(&s);
    let leases = chain.state().leases.iter().filter(|l| f.matches_id(&l.id, l.state.name()));
    paged_reply("leases", leases.map(|l| lease_entry(&chain, l)).collect(), &q)
}

async fn lease_info(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let id = lease_id_param(&q)?;
    let chain = lock(&s);
    let l = chain.lease(&id).ok_or_else(|| ApiError::not_found("lease not found"))?;
    Ok(Json(lease_entry(&chain, l)))
}

async fn market_params() -> Reply {
    Ok(Json(json!({"params": {
        "bid_min_deposit": coin("uact", 500_000),
        "bid_min_deposits": [coin("uact", 500_000)],
        "order_max_bids": 20,
    }})))
}

async fn provider_list(AxumState(s): AxumState<RestState>) -> Reply {
    let chain = lock(&s);
    let list: Vec<Value> = chain.state().providers.iter().map(provider_json).collect();
    list_reply("providers", list)
}

async fn provider_info(AxumState(s): AxumState<RestState>, Path(owner): Path<String>) -> Reply {
    let chain = lock(&s);
    let p = chain.provider(&owner).ok_or_else(|| ApiError::not_found(format!("provider not found: {owner}")))?;
    Ok(Json(json!({"provider": provider_json(p)})))
}

async fn certificates(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let owner = param(&q, "filter.owner");
    let state = param(&q, "filter.state");
    let chain = lock(&s);
    let list: Vec<Value> = chain
        .state()
        .providers
        .iter()
        .filter(|p| owner.is_none_or(|o| o == p.owner) && state.is_none_or(|st| st == "valid"))
        .filter_map(|p| {
            let pem = p.cert_pem.as_ref()?;
            Some(json!({
                "certificate": {"state": "valid", "cert": B64.encode(pem.as_bytes()), "pubkey": ""},
                "serial": "1",
            }))
        })
        .collect();
    paged_reply("certificates", list, &q)
}

async fn escrow_accounts(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let state = param(&q, "state");
    let xid = param(&q, "xid");
    let chain = lock(&s);
    let list: Vec<Value> = chain
        .state()
        .deployments
        .iter()
        .filter(|d| state.is_none_or(|st| st == d.escrow.state.name()))
        .filter(|d| xid.is_none_or(|x| x == format!("{}/{}", d.owner, d.dseq)))
        .map(escrow_json)
        .collect();
    list_reply("accounts", list)
}

async fn escrow_payments(AxumState(s): AxumState<RestState>, Query(q): Params) -> Reply {
    let state = param(&q, "state");
    let xid = param(&q, "xid");
    let chain = lock(&s);
    let list: Vec<Value> = chain
        .state()
        .leases
        .iter()
        .filter(|l| xid.is_none_or(|x| x == format!("{}/{}", l.id.owner, l.id.dseq)))
        .map(|l| lease_entry(&chain, l)["escrow_payment"].clone())
        .filter(|p| state.is_none_or(|st| p["state"]["state"] == st))
        .collect();
    list_reply("payments", list)
}

async fn bme_params() -> Reply {
    Ok(Json(json!({"params": {
        "mint_spread_bps": crate::chain::MINT_SPREAD_BPS,
        "min_epoch_blocks": "1",
        "min_mint": [coin("uact", crate::chain::MIN_MINT)],
    }})))
}

async fn bme_status() -> Reply {
    Ok(Json(json!({"status": "mint_status_healthy", "mints_allowed": true, "refunds_allowed": true})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_time() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
