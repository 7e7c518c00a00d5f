//! Providers, reached through the Leasekit proxy: provider `P`'s path `/x` is requested as
//! `{proxy}/provider/P/x`, same method and body, with the tenant's JWT. The proxy looks up the
//! provider's `host_uri` and certificate on chain, so the browser never needs either
//! (provider.md §2). The leased-IP pool, which only the provider's gRPC reports, is the proxy's
//! `{proxy}/grpc-status/P` ([`ProviderClient::ip_capacity`]).

use std::collections::BTreeMap;

use leasekit_sdl::json::Json;

use crate::chain::LeaseId;
use crate::error::ClientError;
use crate::read::{self, entries, items, str_at, u64_at};
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// One service of a lease (Go `ServiceStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceStatus {
    /// Replicas available.
    pub available: u32,
    /// Replicas wanted.
    pub total: u32,
    /// Ingress hostnames (`null` reads as empty).
    pub uris: Vec<String>,
    /// Kubernetes `replicas`.
    pub replicas: u32,
    /// Kubernetes `ready_replicas`.
    pub ready_replicas: u32,
    /// Kubernetes `available_replicas`.
    pub available_replicas: u32,
}

/// A NodePort forward (`forwarded_ports[svc][]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedPort {
    /// The provider's hostname; omitted by the provider when empty.
    pub host: Option<String>,
    /// The container port.
    pub port: u32,
    /// The public NodePort.
    pub external_port: u32,
    /// `TCP` or `UDP`.
    pub proto: String,
    /// The service name.
    pub name: String,
}

/// A leased IP binding (`ips[svc][]`; the provider writes Go field names: `Port`, `IP`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedIp {
    /// The container (target) port (`Port`).
    pub port: u32,
    /// The public port on the leased IP (`ExternalPort`).
    pub external_port: u32,
    /// `TCP` or `UDP` (`Protocol`).
    pub protocol: String,
    /// The address (`IP`).
    pub ip: String,
}

/// A deployed lease's status. The provider sends `null` for `forwarded_ports` and `ips` it did
/// not compute and `{}` for computed-but-empty ones; `None` and an empty map keep that apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeaseStatus {
    /// Services by SDL name.
    pub services: BTreeMap<String, ServiceStatus>,
    /// NodePort forwards by service; `None` when the provider did not compute them.
    pub forwarded_ports: Option<BTreeMap<String, Vec<ForwardedPort>>>,
    /// Leased IPs by service; `None` without IP exposes or without an IP operator. Treat each
    /// list as unordered.
    pub ips: Option<BTreeMap<String, Vec<LeasedIp>>>,
}

/// Where a lease stands, as far as its provider can tell (provider.md §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseStatusState {
    /// 404 with an empty body: the manifest was not sent, or the lease is not on this provider.
    NotDeployed,
    /// 404 with a message: the manifest is there but the workloads are not created yet.
    Deploying {
        /// The provider's text, e.g. `kube: no deployments for lease`.
        message: String,
    },
    /// The provider's own "IP pending" answer: 500 with `ip operator remote error: …` while the
    /// manifest has IP exposes, because its IP operator refuses to report a lease while any of
    /// its load-balancer services has no address yet (or the pool is exhausted). Retry with
    /// back-off; it is not a lease failure. Any other 500 (a JWT the provider could not process,
    /// a Kubernetes error) is an error, as it says.
    IpPending,
    /// 200: the status.
    Ready(LeaseStatus),
}

/// `GET /status` of a provider (the fields a tenant looks at, and the whole document).
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderStatus {
    /// The provider's address.
    pub address: String,
    /// The cluster's public hostname.
    pub cluster_public_hostname: String,
    /// Active leases (`cluster.leases`, a number or `{"active": n}` depending on the version).
    pub leases: u64,
    /// Orders the bid engine is working on.
    pub bid_engine_orders: u64,
    /// Deployments the manifest service holds.
    pub manifest_deployments: u64,
    /// How the proxy trusted the provider's TLS certificate (its `Leasekit-Tls` header).
    pub tls: Option<TlsCheck>,
    /// The whole response.
    pub raw: Json,
}

/// Which check the proxy's TLS connection to the provider passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsCheck {
    /// The certificate is byte-for-byte one the provider registered on chain.
    Pinned,
    /// Not on chain, but valid in the Web PKI for the provider's host name (a provider behind a
    /// TLS-terminating load balancer, or serving a CA certificate).
    WebPki,
}

impl TlsCheck {
    /// From the proxy's `Leasekit-Tls` header.
    #[must_use]
    pub fn of(resp: &HttpResponse) -> Option<TlsCheck> {
        match resp.header("Leasekit-Tls")? {
            "pinned" => Some(TlsCheck::Pinned),
            "webpki" => Some(TlsCheck::WebPki),
            _ => None,
        }
    }

    /// For the tenant.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            TlsCheck::Pinned => "TLS: the provider's on-chain certificate",
            TlsCheck::WebPki => "TLS: a Web PKI certificate for the provider's host (not the on-chain one)",
        }
    }
}

/// A provider's leased-IP pool (`cluster.inventory.leased_ip` of its gRPC `GetStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpCapacity {
    /// Addresses the provider may lease.
    pub allocatable: u64,
    /// Addresses in use or reserved by bids not yet confirmed.
    pub allocated: u64,
    /// The pool's size.
    pub capacity: u64,
}

impl IpCapacity {
    /// Addresses a new bid can still reserve: `allocatable − allocated`, at least 0 (the
    /// provider's own rule, and what it checks before bidding).
    #[must_use]
    pub fn free(&self) -> u64 {
        self.allocatable.saturating_sub(self.allocated)
    }
}

/// A Kubernetes quantity that is a whole non-negative number — digits with an optional
/// fraction, then an optional decimal (`k` … `E`, `e<n>`) or binary (`Ki` … `Ei`) suffix, as
/// apimachinery reads them (a pool of 1000 is written `1k`). `None` for anything else.
#[must_use]
pub fn parse_quantity(text: &str) -> Option<u64> {
    let text = text.strip_prefix('+').unwrap_or(text);
    let number_end = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') || whole.len() + fraction.len() > 38 {
        return None;
    }
    let mantissa: u128 = format!("{whole}{fraction}").parse().ok()?;
    let (power_of_ten, binary): (i64, u32) = match suffix {
        "" => (0, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ => (suffix.strip_prefix(['e', 'E'])?.parse::<i64>().ok().filter(|e| e.abs() <= 40)?, 0),
    };
    let value = mantissa.checked_mul(1u128 << binary)?;
    let exponent = power_of_ten - i64::try_from(fraction.len()).ok()?;
    let value = if exponent >= 0 {
        value.checked_mul(10u128.checked_pow(u32::try_from(exponent).ok()?)?)?
    } else {
        let divisor = 10u128.checked_pow(u32::try_from(-exponent).ok()?)?;
        if value % divisor != 0 {
            return None;
        }
        value / divisor
    };
    u64::try_from(value).ok()
}

/// A client of providers through a Leasekit proxy at `proxy_base` (`https://proxy.example.com`).
#[derive(Debug, Clone)]
pub struct ProviderClient<T> {
    transport: T,
    base: String,
}

impl<T: Transport> ProviderClient<T> {
    /// A client of the proxy at `proxy_base`.
    pub fn new(transport: T, proxy_base: &str) -> Self {
        ProviderClient { transport, base: proxy_base.trim_end_matches('/').to_owned() }
    }

    /// Sends the manifest (the same sorted JSON whose hash is on chain). The provider may not
    /// have seen the lease yet right after MsgCreateLease: a 404 is worth a retry.
    pub async fn send_manifest(
        &self,
        provider: &str,
        dseq: u64,
        manifest_json: &str,
        jwt: &str,
    ) -> Result<(), ClientError> {
        let req = self
            .request("PUT", provider, &format!("/deployment/{dseq}/manifest"), Some(jwt))
            .json_body(manifest_json.to_owned());
        let resp = self.transport.send(req).await?;
        if is_success(&resp) {
            return Ok(());
        }
        Err(ClientError::provider_http("accepting the manifest", &resp))
    }

    /// The lease's status. `has_ip_endpoints`: the manifest leases IPs, so the IP operator's
    /// 500 means "IP pending" rather than a failure.
    pub async fn lease_status(
        &self,
        provider: &str,
        lease: &LeaseId,
        jwt: &str,
        has_ip_endpoints: bool,
    ) -> Result<LeaseStatusState, ClientError> {
        let path = format!("/lease/{}/{}/{}/status", lease.dseq, lease.gseq, lease.oseq);
        let resp = self.transport.send(self.request("GET", provider, &path, Some(jwt))).await?;
        let proxy_error = is_proxy_error(&resp);
        match resp.status {
            200 => parse_lease_status(&resp.body).map(LeaseStatusState::Ready),
            404 if !proxy_error => {
                let message = resp.text().trim().to_owned();
                Ok(if message.is_empty() {
                    LeaseStatusState::NotDeployed
                } else {
                    LeaseStatusState::Deploying { message }
                })
            }
            500 if has_ip_endpoints && !proxy_error && is_ip_pending(&resp) => Ok(LeaseStatusState::IpPending),
            _ => Err(ClientError::provider_http("reporting the lease status", &resp)),
        }
    }

    /// Moves leased IP endpoints to another deployment of the same owner (its group `dest_gseq`);
    /// the names the provider transferred.
    pub async fn migrate_endpoints(
        &self,
        provider: &str,
        names: &[&str],
        dest_dseq: u64,
        dest_gseq: u32,
        jwt: &str,
    ) -> Result<Vec<String>, ClientError> {
        let body = Json::Obj(vec![
            ("endpoints_to_migrate", Json::Arr(names.iter().map(|n| Json::Str((*n).to_owned())).collect())),
            ("destination_dseq", Json::Num(dest_dseq)),
            ("destination_gseq", Json::Num(u64::from(dest_gseq))),
        ]);
        let req = self.request("POST", provider, "/endpoint/migrate", Some(jwt)).json_body(body.to_go_compact());
        let resp = self.transport.send(req).await?;
        if !is_success(&resp) {
            return Err(ClientError::provider_http("migrating the endpoints", &resp));
        }
        let what = "the provider's migration";
        let json = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        Ok(items(&json, &["transferred"]).iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
    }

    /// The provider's public status (no token: the provider rejects any token it cannot
    /// verify, even on public routes).
    pub async fn provider_status(&self, provider: &str) -> Result<ProviderStatus, ClientError> {
        let resp = self.transport.send(self.request("GET", provider, "/status", None)).await?;
        if !is_success(&resp) {
            return Err(ClientError::provider_http("reporting its status", &resp));
        }
        let what = "the provider's status";
        let raw = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        let leases = raw.get("cluster").and_then(|c| c.get("leases"));
        Ok(ProviderStatus {
            address: str_at(&raw, &["address"]).unwrap_or_default(),
            cluster_public_hostname: str_at(&raw, &["cluster_public_hostname"]).unwrap_or_default(),
            leases: leases.and_then(|l| read::u64_of(l).or_else(|| u64_at(l, &["active"]))).unwrap_or_default(),
            bid_engine_orders: u64_at(&raw, &["bidengine", "orders"]).unwrap_or_default(),
            manifest_deployments: u64_at(&raw, &["manifest", "deployments"]).unwrap_or_default(),
            tls: TlsCheck::of(&resp),
            raw,
        })
    }

    /// The provider's leased-IP pool, from its gRPC status through the proxy's
    /// `/grpc-status/{provider}` (no token: `GetStatus` is public). `None` when the provider
    /// reports no leased-IP pair. Bid screening: a bid needing `n` IPs can only be served while
    /// `free() >= n`.
    pub async fn ip_capacity(&self, provider: &str) -> Result<Option<IpCapacity>, ClientError> {
        let url = format!("{}/grpc-status/{}", self.base, read::escape(provider));
        let resp = self.transport.send(HttpRequest::new("GET", url)).await?;
        if !is_success(&resp) {
            return Err(ClientError::provider_http("reporting its leased-IP pool", &resp));
        }
        let what = "the provider's leased-IP pool";
        let json = read::parse(&resp.body).map_err(|e| ClientError::decode(what, &e))?;
        let pair = match json.get("leased_ip") {
            Some(Json::Null) => return Ok(None),
            Some(pair @ (Json::Obj(_) | Json::Map(_))) => pair,
            _ => return Err(ClientError::decode(what, "no `leased_ip` object")),
        };
        let number = |key: &str| {
            let text =
                str_at(pair, &[key]).ok_or_else(|| ClientError::decode(what, &format!("no `{key}` quantity")))?;
            parse_quantity(&text)
                .ok_or_else(|| ClientError::decode(what, &format!("`{key}` is {text:?}, not a whole number")))
        };
        Ok(Some(IpCapacity {
            allocatable: number("allocatable")?,
            allocated: number("allocated")?,
            capacity: number("capacity")?,
        }))
    }

    fn request(&self, method: &str, provider: &str, path: &str, jwt: Option<&str>) -> HttpRequest {
        let req = HttpRequest::new(method, format!("{}/provider/{}{path}", self.base, read::escape(provider)));
        match jwt {
            Some(jwt) => req.header("Authorization", &format!("Bearer {jwt}")),
            None => req,
        }
    }
}

fn is_success(resp: &HttpResponse) -> bool {
    (200..300).contains(&resp.status)
}

/// The provider's IP operator could not report every address (provider: `cluster/kube/operators/
/// clients/ip`, whose errors reach the gateway as `ip operator remote error: http status …`).
fn is_ip_pending(resp: &HttpResponse) -> bool {
    resp.text().contains("ip operator remote error")
}

/// The proxy's own errors are JSON with an `error` code; providers never send that key.
fn is_proxy_error(resp: &HttpResponse) -> bool {
    read::parse(&resp.body).is_ok_and(|b| b.get("error").is_some())
}

fn parse_lease_status(body: &[u8]) -> Result<LeaseStatus, ClientError> {
    let what = "the provider's lease status";
    let json = read::parse(body).map_err(|e| ClientError::decode(what, &e))?;
    let services = json
        .get("services")
        .and_then(entries)
        .unwrap_or_default()
        .iter()
        .map(|(name, s)| {
            let status = ServiceStatus {
                available: small(s, "available"),
                total: small(s, "total"),
                uris: items(s, &["uris"]).iter().filter_map(|u| u.as_str().map(str::to_owned)).collect(),
                replicas: small(s, "replicas"),
                ready_replicas: small(s, "ready_replicas"),
                available_replicas: small(s, "available_replicas"),
            };
            (name.clone(), status)
        })
        .collect();
    let forwarded_ports = per_service(&json, "forwarded_ports", |p| ForwardedPort {
        host: str_at(p, &["host"]).filter(|h| !h.is_empty()),
        port: small(p, "port"),
        external_port: small(p, "externalPort"),
        proto: str_at(p, &["proto"]).unwrap_or_default(),
        name: str_at(p, &["name"]).unwrap_or_default(),
    });
    let ips = per_service(&json, "ips", |e| LeasedIp {
        port: small(e, "Port"),
        external_port: small(e, "ExternalPort"),
        protocol: str_at(e, &["Protocol"]).unwrap_or_default(),
        ip: str_at(e, &["IP"]).unwrap_or_default(),
    });
    Ok(LeaseStatus { services, forwarded_ports, ips })
}

/// A 32-bit field, 0 when absent.
fn small(json: &Json, key: &str) -> u32 {
    u64_at(json, &[key]).and_then(|n| u32::try_from(n).ok()).unwrap_or_default()
}

/// A `{service: [entry]}` map: `None` for `null` (not computed), each entry read by `entry`.
fn per_service<E>(json: &Json, key: &str, entry: impl Fn(&Json) -> E) -> Option<BTreeMap<String, Vec<E>>> {
    let services = json.get(key).and_then(entries)?;
    Some(services.iter().map(|(name, list)| (name.clone(), items(list, &[]).iter().map(&entry).collect())).collect())
}
