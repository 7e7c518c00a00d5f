//! A simulated provider's gateway: the provider REST of provider.md §2 over real TLS, with the
//! provider's self-signed certificate registered on the devnet chain (so the proxy can pin it
//! exactly as it pins a real provider's).
//!
//! What it checks, in the provider's order: the bearer JWT (ES256K / ES256KADR36, verified with
//! the issuer's on-chain public key by leasekit-tx; the claims and the validity window; the
//! scope for this provider and lease), then for `PUT /deployment/{dseq}/manifest` that the
//! tenant holds an active lease here, that the manifest's version (SHA-256 of its sorted JSON)
//! equals the deployment's on-chain hash, and that each leased group's services use exactly
//! the resource units of the on-chain order. Leased IPs come from leasekit-ipalloc's provider
//! simulator, so an address appears in lease status, is kept across updates, freed when the
//! lease closes on chain and moved by `POST /endpoint/migrate`.
//!
//! Its `/status` has no `leased_ip`, like a real provider's (that is only in the gRPC
//! `GetStatus` of [`crate::grpc`], served beside this gateway with the same certificate).
//!
//! Status codes and bodies follow provider.md §2.6: auth errors are JSON `{"message"}`, handler
//! errors plain text, a lease status before the manifest is a 404 with an empty body, and while
//! an address is pending the whole status call fails with 500.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use leasekit_ipalloc as sim;
use leasekit_sdl::Manifest;
use leasekit_sdl::json::Json;
use leasekit_sdl::output::{EndpointKind, Group};
use leasekit_tx::ErrorCode;
use leasekit_tx::jwt;
use tokio::task::JoinHandle;

use crate::chain::{Chain, LeaseId, LeaseState};

/// The addresses a simulated provider leases: TEST-NET-3 (RFC 5737), which no real host uses.
fn pool(size: u32, provider_index: usize) -> Vec<String> {
    (0..size).map(|i| format!("203.0.113.{}", 10 + provider_index * 20 + i as usize)).collect()
}

struct Deployed {
    group: Group,
}

struct Inner {
    sim: sim::Provider,
    manifests: BTreeMap<LeaseId, Deployed>,
    journal: Journal,
}

/// What changed the provider's state, in order. Replaying it after a restart rebuilds exactly
/// the same leased-IP assignments (the simulator is deterministic), as a real provider's
/// Kubernetes objects survive its restart.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Op {
    Deploy { lease: LeaseId, manifest: String },
    Close { lease: LeaseId },
    Migrate { owner: String, endpoints: Vec<String>, dseq: u64, gseq: u32 },
}

/// The journal and the file it is kept in (`provider-N.json` in the data dir), if any.
struct Journal {
    path: Option<std::path::PathBuf>,
    ops: Vec<Op>,
}

impl Journal {
    fn record(&mut self, op: Op) {
        self.ops.push(op);
        let Some(path) = &self.path else { return };
        // Written whole and renamed into place, so a crash leaves the old or the new journal.
        let tmp = path.with_extension("json.tmp");
        if let Ok(bytes) = serde_json::to_vec(&self.ops)
            && std::fs::write(&tmp, bytes).is_ok()
        {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

impl Inner {
    fn apply(&mut self, op: &Op) -> Result<(), sim::SimError> {
        match op {
            Op::Deploy { lease, manifest } => {
                let group = Manifest::parse(manifest)
                    .ok()
                    .and_then(|m| m.groups.into_iter().next())
                    .ok_or_else(|| sim::SimError { status: Some(422), message: "unreadable journal entry".into() })?;
                self.sim.deploy(&sim_lease(lease), &group)?;
                self.manifests.insert(lease.clone(), Deployed { group });
            }
            Op::Close { lease } => {
                let _ = self.sim.close(&sim_lease(lease));
                self.manifests.remove(lease);
            }
            Op::Migrate { owner, endpoints, dseq, gseq } => {
                self.sim.migrate(owner, endpoints, *dseq, *gseq)?;
            }
        }
        Ok(())
    }

    /// Applies and, when it succeeds, journals.
    fn run(&mut self, op: Op) -> Result<(), sim::SimError> {
        self.apply(&op)?;
        self.journal.record(op);
        Ok(())
    }
}

/// Shared by the handlers of one gateway.
#[derive(Clone)]
struct Gateway {
    chain: Arc<Mutex<Chain>>,
    provider: String,
    inner: Arc<Mutex<Inner>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn auth_error(status: StatusCode, message: &str) -> Response {
    let body = Json::Obj(vec![("message", Json::Str(message.to_owned()))]).to_go_compact();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn text(status: StatusCode, message: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n")).into_response()
}

fn json(value: &Json) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], value.to_go_compact()).into_response()
}

fn now_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// An auth failure: the provider's status and JSON message (provider.md §2.6).
struct Refusal(StatusCode, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        auth_error(self.0, self.1)
    }
}

/// The lease (or deployment) a request is about, for the scope check.
struct Target {
    scope: Option<&'static str>,
    dseq: u64,
    gseq: Option<u64>,
    oseq: Option<u64>,
}

impl Gateway {
    /// The provider's auth middleware and scope check: the tenant's address, or the response.
    fn authorize(&self, headers: &HeaderMap, target: &Target) -> Result<String, Refusal> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(Refusal(StatusCode::UNAUTHORIZED, "unauthorized access"));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .filter(|t| !t.is_empty() && !t.contains(' '))
            .ok_or(Refusal(StatusCode::BAD_REQUEST, "invalid authorization header"))?;
        let invalid = || Refusal(StatusCode::UNAUTHORIZED, "JWT is invalid");
        let decoded = jwt::decode(token).map_err(|_| invalid())?;
        let issuer = Json::parse(&decoded.payload)
            .ok()
            .and_then(|p| p.get("iss").and_then(Json::as_str).map(str::to_owned))
            .ok_or_else(invalid)?;
        let public_key = lock(&self.chain).account_pubkey(&issuer).ok_or_else(invalid)?;
        let (_, claims) = jwt::verify(token, &public_key, now_seconds()).map_err(|e| match e.code {
            ErrorCode::InvalidClaims => Refusal(StatusCode::BAD_REQUEST, "JWT has invalid claims"),
            _ => invalid(),
        })?;
        if let Some(scope) = target.scope
            && !claims.allows(&self.provider, scope, target.dseq, target.gseq, target.oseq)
        {
            return Err(Refusal(StatusCode::UNAUTHORIZED, "unauthorized access"));
        }
        Ok(claims.iss)
    }

    /// Frees what leases closed on chain held (the provider reacts to lease-closed events).
    fn reconcile(&self) {
        let closed: Vec<LeaseId> = {
            let chain = lock(&self.chain);
            let inner = lock(&self.inner);
            inner
                .manifests
                .keys()
                .filter(|id| chain.lease(id).is_none_or(|l| l.state != LeaseState::Active))
                .cloned()
                .collect()
        };
        let mut inner = lock(&self.inner);
        for lease in closed {
            let _ = inner.run(Op::Close { lease });
        }
    }
}

fn sim_lease(id: &LeaseId) -> sim::LeaseId {
    sim::LeaseId { owner: id.owner.clone(), dseq: id.dseq, gseq: id.gseq, oseq: id.oseq }
}

/// Per resource id: (count, cpu, memory, storage sizes, gpu, endpoint kinds with sequence).
type UnitKey = (u32, u32, u64, Vec<u64>, u32, Vec<(i32, u32)>);

fn value_of(v: Option<&leasekit_tx::proto::ResourceValue>) -> u64 {
    v.and_then(|v| std::str::from_utf8(&v.val).ok()?.parse().ok()).unwrap_or(0)
}

/// Whether a manifest group uses exactly the on-chain order's resource units (provider.md §2.3
/// cross-validation: resources, replica counts and endpoints per unit).
fn cross_validate(spec: &leasekit_tx::proto::GroupSpec, group: &Group) -> Result<(), String> {
    let mut ordered: BTreeMap<u32, UnitKey> = BTreeMap::new();
    for unit in &spec.resources {
        let Some(r) = &unit.resource else { continue };
        let mut endpoints: Vec<(i32, u32)> = r.endpoints.iter().map(|e| (e.kind, e.sequence_number)).collect();
        endpoints.sort_unstable();
        let key = (
            unit.count,
            u32::try_from(value_of(r.cpu.as_ref().and_then(|c| c.units.as_ref()))).unwrap_or(u32::MAX),
            value_of(r.memory.as_ref().and_then(|m| m.quantity.as_ref())),
            r.storage.iter().map(|s| value_of(s.quantity.as_ref())).collect(),
            u32::try_from(value_of(r.gpu.as_ref().and_then(|g| g.units.as_ref()))).unwrap_or(u32::MAX),
            endpoints,
        );
        ordered.insert(r.id, key);
    }
    let mut manifest: BTreeMap<u32, UnitKey> = BTreeMap::new();
    for service in &group.services {
        let r = &service.resources;
        let mut endpoints: Vec<(i32, u32)> = r
            .endpoints
            .iter()
            .map(|e| {
                let kind = match e.kind {
                    EndpointKind::SharedHttp => 0,
                    EndpointKind::RandomPort => 1,
                    EndpointKind::LeasedIp => 2,
                };
                (kind, e.sequence_number)
            })
            .collect();
        endpoints.sort_unstable();
        let entry = manifest.entry(r.id).or_insert_with(|| {
            (
                0,
                r.cpu.as_ref().map_or(0, |c| c.millicores),
                r.memory.as_ref().map_or(0, |m| m.bytes),
                r.storage.iter().map(|v| v.bytes).collect(),
                r.gpu.units,
                Vec::new(),
            )
        });
        entry.0 += service.count;
        entry.5.extend(endpoints);
        entry.5.sort_unstable();
    }
    if ordered == manifest {
        Ok(())
    } else {
        Err(format!(
            "manifest cross-validation failed: group {:?} does not use the resources of its on-chain order",
            spec.name
        ))
    }
}

async fn put_manifest(
    State(gw): State<Gateway>,
    Path(dseq): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(dseq) = dseq.parse::<u64>() else {
        return text(StatusCode::BAD_REQUEST, "invalid dseq");
    };
    let owner = match gw.authorize(&headers, &Target { scope: Some("send-manifest"), dseq, gseq: None, oseq: None }) {
        Ok(owner) => owner,
        Err(refusal) => return refusal.into_response(),
    };
    gw.reconcile();
    let Ok(body) = std::str::from_utf8(&body) else {
        return text(StatusCode::UNPROCESSABLE_ENTITY, "invalid manifest: not UTF-8");
    };
    let manifest = match Manifest::parse(body) {
        Ok(m) => m,
        Err(e) => return text(StatusCode::UNPROCESSABLE_ENTITY, &e),
    };
    // Everything the checks need from the chain, read under one short lock.
    let (leases, hash, specs) = {
        let chain = lock(&gw.chain);
        let leases: Vec<LeaseId> = chain
            .state()
            .leases
            .iter()
            .filter(|l| {
                l.id.owner == owner
                    && l.id.dseq == dseq
                    && l.id.provider == gw.provider
                    && l.state == LeaseState::Active
            })
            .map(|l| l.id.clone())
            .collect();
        let deployment = chain.deployment(&owner, dseq);
        let hash = deployment.map(|d| d.hash.clone()).unwrap_or_default();
        let specs: BTreeMap<u32, leasekit_tx::proto::GroupSpec> =
            deployment.map(|d| d.groups.iter().map(|g| (g.gseq, g.spec.clone())).collect()).unwrap_or_default();
        (leases, hash, specs)
    };
    if leases.is_empty() {
        return text(StatusCode::NOT_FOUND, "no lease for deployment");
    }
    if manifest.version().as_slice() != hash.as_slice() {
        return text(StatusCode::UNPROCESSABLE_ENTITY, "manifest version validation failed");
    }
    let mut plan = Vec::new();
    for lease in &leases {
        let Some(spec) = specs.get(&lease.gseq) else {
            return text(StatusCode::UNPROCESSABLE_ENTITY, "manifest cross-validation failed: unknown group");
        };
        let Some(group) = manifest.groups.iter().find(|g| g.name == spec.name) else {
            return text(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("manifest cross-validation failed: group {:?} is missing", spec.name),
            );
        };
        if let Err(e) = cross_validate(spec, group) {
            return text(StatusCode::UNPROCESSABLE_ENTITY, &e);
        }
        plan.push((lease.clone(), group.clone()));
    }
    let mut inner = lock(&gw.inner);
    for (lease, group) in plan {
        let manifest = Manifest { groups: vec![group] }.to_json_string();
        if let Err(e) = inner.run(Op::Deploy { lease, manifest }) {
            let status =
                e.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return text(status, &e.message);
        }
    }
    StatusCode::OK.into_response()
}

/// A deterministic node port in 30000–32767 for a forwarded expose.
fn node_port(lease: &LeaseId, service: &str, port: u32) -> u64 {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("{}/{}/{}/{service}/{port}", lease.owner, lease.dseq, lease.gseq));
    30_000 + u64::from(u16::from_be_bytes([digest[0], digest[1]]) % 2_768)
}

fn status_json(lease: &LeaseId, group: &Group, ips: Json) -> Json {
    let mut services = Vec::new();
    let mut forwarded = Vec::new();
    let mut any_forwarded = false;
    for s in &group.services {
        // Port 80 of a global expose gets an ingress hostname, leased IP or not (a real
        // provider's recorded status of an IP lease lists one).
        let http = s.expose.iter().any(|e| e.global && e.effective_external_port() == 80);
        let uris = if http {
            Json::Arr(vec![Json::Str(format!("{}-{}.ingress.localhost", s.name, lease.dseq))])
        } else {
            Json::Null
        };
        let count = Json::Num(u64::from(s.count));
        services.push((
            s.name.clone(),
            Json::Obj(vec![
                ("name", Json::Str(s.name.clone())),
                ("available", count.clone()),
                ("total", count.clone()),
                ("uris", uris),
                ("observed_generation", Json::Num(1)),
                ("replicas", count.clone()),
                ("updated_replicas", count.clone()),
                ("ready_replicas", count.clone()),
                ("available_replicas", count),
            ]),
        ));
        let ports: Vec<Json> = s
            .expose
            .iter()
            .filter(|e| e.global && e.external_port != 80 && !(e.ip.is_empty() && e.effective_external_port() == 80))
            .map(|e| {
                Json::Obj(vec![
                    ("host", Json::Str("localhost".to_owned())),
                    ("port", Json::Num(u64::from(e.port))),
                    ("externalPort", Json::Num(node_port(lease, &s.name, e.port))),
                    ("proto", Json::Str(e.proto.as_str().to_owned())),
                    ("name", Json::Str(s.name.clone())),
                ])
            })
            .collect();
        any_forwarded |= s.expose.iter().any(|e| e.global && e.external_port != 80);
        if !ports.is_empty() {
            forwarded.push((s.name.clone(), Json::Arr(ports)));
        }
    }
    Json::Obj(vec![
        ("services", Json::Map(services)),
        ("forwarded_ports", if any_forwarded { Json::Map(forwarded) } else { Json::Null }),
        ("ips", ips),
    ])
}

fn lease_path(parts: &(String, String, String)) -> Option<(u64, u32, u32)> {
    Some((parts.0.parse().ok()?, parts.1.parse().ok()?, parts.2.parse().ok()?))
}

async fn lease_status(
    State(gw): State<Gateway>,
    Path(parts): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some((dseq, gseq, oseq)) = lease_path(&parts) else {
        return text(StatusCode::BAD_REQUEST, "invalid lease id");
    };
    let target = Target { scope: Some("status"), dseq, gseq: Some(gseq.into()), oseq: Some(oseq.into()) };
    let owner = match gw.authorize(&headers, &target) {
        Ok(owner) => owner,
        Err(refusal) => return refusal.into_response(),
    };
    gw.reconcile();
    let inner = lock(&gw.inner);
    let found = inner
        .manifests
        .iter()
        .find(|(id, _)| id.owner == owner && id.dseq == dseq && id.gseq == gseq && id.oseq == oseq);
    let Some((id, deployed)) = found else {
        // Before the manifest arrives the provider has no manifest group: 404, empty body.
        return StatusCode::NOT_FOUND.into_response();
    };
    match inner.sim.status(&sim_lease(id)) {
        Ok(ips) => json(&status_json(id, &deployed.group, ips)),
        Err(e) => {
            let status =
                e.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            text(status, &e.message)
        }
    }
}

async fn migrate(State(gw): State<Gateway>, headers: HeaderMap, body: Bytes) -> Response {
    // The provider checks no scope here (provider.md §2.4).
    let owner = match gw.authorize(&headers, &Target { scope: None, dseq: 0, gseq: None, oseq: None }) {
        Ok(owner) => owner,
        Err(refusal) => return refusal.into_response(),
    };
    gw.reconcile();
    let Some(request) = std::str::from_utf8(&body).ok().and_then(|b| Json::parse(b).ok()) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let names: Vec<String> = request
        .get("endpoints_to_migrate")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if names.is_empty() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let dseq = request.get("destination_dseq").and_then(Json::as_u64).unwrap_or(0);
    let gseq = request.get("destination_gseq").and_then(Json::as_u64).and_then(|g| u32::try_from(g).ok()).unwrap_or(1);
    let mut inner = lock(&gw.inner);
    match inner.run(Op::Migrate { owner, endpoints: names.clone(), dseq, gseq }) {
        Ok(()) => json(&Json::Obj(vec![("transferred", Json::Arr(names.into_iter().map(Json::Str).collect()))])),
        Err(e) => {
            let status =
                e.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            text(status, &e.message)
        }
    }
}

/// The simulated cluster's one node: 64 CPUs, 256 GiB of memory, 2 TiB of ephemeral storage.
const NODE_CPU_MILLICORES: u64 = 64_000;
const NODE_MEMORY_BYTES: u64 = 256 << 30;
const NODE_STORAGE_BYTES: u64 = 2 << 40;

/// `{cpu, memory, storage_ephemeral}` as a provider's status reports resources (millicores,
/// bytes).
fn resources_json(cpu: u64, memory: u64, storage: u64) -> Json {
    Json::Obj(vec![("cpu", Json::Num(cpu)), ("memory", Json::Num(memory)), ("storage_ephemeral", Json::Num(storage))])
}

/// What a deployed group holds: CPU millicores, memory and storage bytes, over its replicas.
fn group_use(group: &Group) -> (u64, u64, u64) {
    group.services.iter().fold((0, 0, 0), |(cpu, memory, storage), s| {
        let count = u64::from(s.count);
        let r = &s.resources;
        (
            cpu.saturating_add(r.cpu.as_ref().map_or(0, |c| u64::from(c.millicores)).saturating_mul(count)),
            memory.saturating_add(r.memory.as_ref().map_or(0, |m| m.bytes).saturating_mul(count)),
            storage.saturating_add(r.storage.iter().map(|v| v.bytes).sum::<u64>().saturating_mul(count)),
        )
    })
}

async fn provider_status(State(gw): State<Gateway>) -> Response {
    gw.reconcile();
    let inner = lock(&gw.inner);
    let leases = inner.manifests.len() as u64;
    // The inventory as a provider reports it: what each lease holds, and what its node has left.
    let used: Vec<(u64, u64, u64)> = inner.manifests.values().map(|d| group_use(&d.group)).collect();
    let active: Vec<Json> = used.iter().map(|&(c, m, s)| resources_json(c, m, s)).collect();
    let total = used
        .iter()
        .fold((0u64, 0u64, 0u64), |t, u| (t.0.saturating_add(u.0), t.1.saturating_add(u.1), t.2.saturating_add(u.2)));
    let node = resources_json(
        NODE_CPU_MILLICORES.saturating_sub(total.0),
        NODE_MEMORY_BYTES.saturating_sub(total.1),
        NODE_STORAGE_BYTES.saturating_sub(total.2),
    );
    let inventory = Json::Obj(vec![
        ("active", Json::Arr(active)),
        ("available", Json::Obj(vec![("nodes", Json::Arr(vec![node]))])),
    ]);
    json(&Json::Obj(vec![
        ("cluster", Json::Obj(vec![("leases", Json::Num(leases)), ("inventory", inventory)])),
        ("bidengine", Json::Obj(vec![("orders", Json::Num(0))])),
        ("manifest", Json::Obj(vec![("deployments", Json::Num(leases))])),
        ("cluster_public_hostname", Json::Str("localhost".to_owned())),
        ("address", Json::Str(gw.provider.clone())),
    ]))
}

async fn address(State(gw): State<Gateway>) -> Response {
    json(&Json::Obj(vec![("address", Json::Str(gw.provider.clone()))]))
}

async fn version() -> Response {
    json(&Json::Obj(vec![(
        "akash",
        Json::Obj(vec![
            ("name", Json::Str("leasekit-devnet".to_owned())),
            ("version", Json::Str(env!("CARGO_PKG_VERSION").to_owned())),
        ]),
    )]))
}

fn router(gateway: Gateway) -> Router {
    Router::new()
        .route("/version", get(version))
        .route("/address", get(address))
        .route("/status", get(provider_status))
        .route("/deployment/{dseq}/manifest", put(put_manifest))
        .route("/lease/{dseq}/{gseq}/{oseq}/status", get(lease_status))
        .route("/endpoint/migrate", post(migrate))
        .with_state(gateway)
}

/// A running gateway.
pub struct GatewayHandle {
    /// The bound address.
    pub addr: SocketAddr,
    /// The provider it serves for.
    pub provider: String,
    /// The certificate it presents (also on chain).
    pub cert_pem: String,
    /// Where the provider's gRPC (`GetStatus`, see [`crate::grpc`]) listens, with the same
    /// certificate: the same IP, a port of its own.
    pub grpc_addr: SocketAddr,
    task: JoinHandle<()>,
    grpc_task: JoinHandle<()>,
}

impl std::fmt::Debug for GatewayHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayHandle")
            .field("addr", &self.addr)
            .field("provider", &self.provider)
            .field("grpc_addr", &self.grpc_addr)
            .finish_non_exhaustive()
    }
}

impl GatewayHandle {
    /// `https://127.0.0.1:PORT`, the provider's host URI.
    #[must_use]
    pub fn host_uri(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Stops serving (REST and gRPC).
    pub fn shutdown(self) {
        self.task.abort();
        self.grpc_task.abort();
    }
}

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Starts the gateway of provider number `index` of the chain on `listen` (port 0 picks one):
/// makes its self-signed certificate (CN = the provider's address, SAN localhost and
/// 127.0.0.1), records it and the host URI on the chain, and serves TLS — the REST on
/// `listen`, the gRPC `GetStatus` on another port of the same IP ([`GatewayHandle::grpc_addr`]).
///
/// With a `data_dir`, what the provider deployed is journaled to `provider-{index}.json` there
/// and replayed at start, so leases keep their manifests and addresses across a restart.
pub async fn start(
    chain: Arc<Mutex<Chain>>,
    index: usize,
    listen: SocketAddr,
    data_dir: Option<&std::path::Path>,
) -> std::io::Result<GatewayHandle> {
    let (provider, ip_support, ip_pool) = {
        let chain = lock(&chain);
        let p = chain
            .state()
            .providers
            .get(index)
            .ok_or_else(|| io(format!("the chain has no provider number {index}")))?;
        (p.owner.clone(), p.ip_support, p.ip_pool)
    };
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).map_err(io)?;
    params.distinguished_name.push(rcgen::DnType::CommonName, provider.clone());
    let key = rcgen::KeyPair::generate().map_err(io)?;
    let cert = params.self_signed(&key).map_err(io)?;
    let cert_pem = cert.pem();
    let tls = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(io)?
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .map_err(io)?;
    // gRPC is HTTP/2 only, negotiated by ALPN; the REST stays HTTP/1.1 without ALPN.
    let mut grpc_tls = tls.clone();
    grpc_tls.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let grpc_listener = tokio::net::TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
    let grpc_addr = grpc_listener.local_addr()?;
    lock(&chain).set_provider_endpoint(&provider, &format!("https://{addr}"), Some(cert_pem.clone()));
    let sim = sim::Provider::new(&pool(ip_pool, index), ip_support, false).map_err(|e| io(e.message))?;
    let path = data_dir.map(|d| d.join(format!("provider-{index}.json")));
    let ops: Vec<Op> = match &path {
        Some(p) if p.exists() => serde_json::from_slice(&std::fs::read(p)?).map_err(io)?,
        _ => Vec::new(),
    };
    let mut inner = Inner { sim, manifests: BTreeMap::new(), journal: Journal { path, ops: Vec::new() } };
    for op in &ops {
        // An op that failed before was never journaled; one failing now is skipped.
        let _ = inner.apply(op);
    }
    inner.journal.ops = ops;
    let grpc_task = crate::grpc::serve(
        grpc_listener,
        tokio_rustls::TlsAcceptor::from(Arc::new(grpc_tls)),
        Arc::clone(&chain),
        provider.clone(),
    );
    let gateway = Gateway { chain, provider: provider.clone(), inner: Arc::new(Mutex::new(inner)) };
    gateway.reconcile();
    let app = router(gateway);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let acceptor = acceptor.clone();
            let app = app.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let service = hyper_util::service::TowerToHyperService::new(app);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    Ok(GatewayHandle { addr, provider, cert_pem, grpc_addr, task, grpc_task })
}
