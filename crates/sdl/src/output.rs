//! What an SDL becomes: the provider manifest, the on-chain GroupSpecs and the manifest version.
//!
//! The JSON forms follow Go `encoding/json` of Akash's `manifest/v2beta3` and
//! `deployment/v1beta4` types: struct field order, `null` for absent lists, omitted empty
//! fields exactly where Go's `omitempty` omits them, resource values as decimal strings.

use sha2::{Digest, Sha256};

use crate::json::Json;
use crate::units::Dec;

/// A key/value attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribute {
    /// Key.
    pub key: String,
    /// Value.
    pub value: String,
}

/// Kind of a resource endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointKind {
    /// Served through the provider's HTTP ingress (global TCP on external port 80).
    SharedHttp = 0,
    /// A random node port.
    RandomPort = 1,
    /// A leased IP address.
    LeasedIp = 2,
}

/// One endpoint a resource unit needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// What kind.
    pub kind: EndpointKind,
    /// For `LeasedIp`, the IP endpoint's sequence number; 0 otherwise.
    pub sequence_number: u32,
}

/// CPU, in millicores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpu {
    /// Millicores.
    pub millicores: u32,
    /// Attributes (only `arch` from SDL).
    pub attributes: Vec<Attribute>,
}

/// Memory, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memory {
    /// Bytes.
    pub bytes: u64,
}

/// A storage volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// Name (`default` unless the SDL names it in list form).
    pub name: String,
    /// Bytes.
    pub bytes: u64,
    /// `class`/`persistent` attributes; None when the SDL gives no `attributes` map.
    pub attributes: Option<Vec<Attribute>>,
}

/// GPUs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gpu {
    /// Count.
    pub units: u32,
    /// `vendor/nvidia/model/...` attributes.
    pub attributes: Vec<Attribute>,
}

/// The resources of one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    /// Unit id within its group (1-based).
    pub id: u32,
    /// CPU; None when the profile has no `cpu` block.
    pub cpu: Option<Cpu>,
    /// Memory; None when the profile has no `memory` block.
    pub memory: Option<Memory>,
    /// Volumes.
    pub storage: Vec<Volume>,
    /// GPUs (always present).
    pub gpu: Gpu,
    /// Endpoints.
    pub endpoints: Vec<Endpoint>,
}

/// Transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    /// `"TCP"` / `"UDP"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
        }
    }
}

/// HTTP ingress options, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// Bytes.
    pub max_body_size: u32,
    /// Milliseconds.
    pub read_timeout: u32,
    /// Milliseconds.
    pub send_timeout: u32,
    /// Count.
    pub next_tries: u32,
    /// Milliseconds.
    pub next_timeout: u32,
    /// When to try the next upstream.
    pub next_cases: Vec<String>,
    /// Bytes; 0 = the provider's default (and omitted from JSON).
    pub proxy_buffer_size: u32,
}

/// One manifest expose entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expose {
    /// Container port.
    pub port: u32,
    /// The SDL `as`, 0 when absent (meaning: same as `port`).
    pub external_port: u32,
    /// Protocol.
    pub proto: Protocol,
    /// Target service for service-to-service exposes, else empty.
    pub service: String,
    /// Reachable from outside the provider.
    pub global: bool,
    /// `accept` hostnames.
    pub hosts: Option<Vec<String>>,
    /// HTTP options.
    pub http_options: HttpOptions,
    /// IP endpoint name, or empty.
    pub ip: String,
    /// The IP endpoint's sequence number, or 0.
    pub endpoint_sequence_number: u32,
}

impl Expose {
    /// The port the outside world sees: `as` if set, else `port`.
    #[must_use]
    pub fn effective_external_port(&self) -> u32 {
        if self.external_port != 0 { self.external_port } else { self.port }
    }
}

/// A mounted volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageParams {
    /// Volume name.
    pub name: String,
    /// Absolute mount path.
    pub mount: String,
    /// Read-only mount.
    pub read_only: bool,
}

/// TEE settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tee {
    /// `cpu` or `cpu-gpu`.
    pub kind: String,
}

/// Service parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceParams {
    /// Mounts, by volume name.
    pub storage: Option<Vec<StorageParams>>,
    /// `permissions.read`; None when the SDL has no `permissions`.
    pub permissions: Option<Vec<String>>,
    /// TEE; None when absent.
    pub tee: Option<Tee>,
}

/// Private registry credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Registry host.
    pub host: String,
    /// Email (empty in SDL 2.0).
    pub email: String,
    /// User.
    pub username: String,
    /// Password.
    pub password: String,
}

/// One service of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Name.
    pub name: String,
    /// Image.
    pub image: String,
    /// Command.
    pub command: Option<Vec<String>>,
    /// Args.
    pub args: Option<Vec<String>>,
    /// `NAME=value` entries.
    pub env: Option<Vec<String>>,
    /// Resources (with this service's endpoints only).
    pub resources: Resources,
    /// Replicas.
    pub count: u32,
    /// Exposes, in Go's order.
    pub expose: Vec<Expose>,
    /// Params; None when the SDL service has none.
    pub params: Option<ServiceParams>,
    /// Credentials.
    pub credentials: Option<Credentials>,
}

/// One manifest group (one per placement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Placement name.
    pub name: String,
    /// Services, by name.
    pub services: Vec<Service>,
}

/// The provider manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    /// Groups, by name.
    pub groups: Vec<Group>,
}

/// A coin with a decimal amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecCoin {
    /// Denomination.
    pub denom: String,
    /// Amount.
    pub amount: Dec,
}

/// One resource unit of a GroupSpec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceUnit {
    /// Resources.
    pub resource: Resources,
    /// Replicas.
    pub count: u32,
    /// Maximum price per block per replica.
    pub price: DecCoin,
}

/// Who must have signed a provider's attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignedBy {
    /// All of these.
    pub all_of: Option<Vec<String>>,
    /// Any of these.
    pub any_of: Option<Vec<String>>,
}

/// The on-chain order for one placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSpec {
    /// Placement name.
    pub name: String,
    /// Auditor requirements.
    pub signed_by: SignedBy,
    /// Provider attributes required.
    pub attributes: Option<Vec<Attribute>>,
    /// Resource units.
    pub resources: Vec<ResourceUnit>,
}

fn strings(list: &[String]) -> Json {
    Json::Arr(list.iter().map(|s| Json::Str(s.clone())).collect())
}

fn opt_strings(list: Option<&Vec<String>>) -> Json {
    list.map_or(Json::Null, |l| strings(l))
}

fn attributes(list: &[Attribute]) -> Json {
    Json::Arr(
        list.iter()
            .map(|a| {
                let mut fields = Vec::new();
                if !a.key.is_empty() {
                    fields.push(("key", Json::Str(a.key.clone())));
                }
                if !a.value.is_empty() {
                    fields.push(("value", Json::Str(a.value.clone())));
                }
                Json::Obj(fields)
            })
            .collect(),
    )
}

fn value(n: impl ToString) -> Json {
    Json::Obj(vec![("val", Json::Str(n.to_string()))])
}

impl Resources {
    /// Go JSON of `resources.v1beta4.Resources`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        let mut fields = vec![("id", Json::Num(u64::from(self.id)))];
        if let Some(cpu) = &self.cpu {
            let mut c = vec![("units", value(cpu.millicores))];
            if !cpu.attributes.is_empty() {
                c.push(("attributes", attributes(&cpu.attributes)));
            }
            fields.push(("cpu", Json::Obj(c)));
        }
        if let Some(memory) = &self.memory {
            fields.push(("memory", Json::Obj(vec![("size", value(memory.bytes))])));
        }
        if !self.storage.is_empty() {
            let volumes = self
                .storage
                .iter()
                .map(|v| {
                    let mut f = vec![("name", Json::Str(v.name.clone())), ("size", value(v.bytes))];
                    if let Some(attrs) = v.attributes.as_ref().filter(|a| !a.is_empty()) {
                        f.push(("attributes", attributes(attrs)));
                    }
                    Json::Obj(f)
                })
                .collect();
            fields.push(("storage", Json::Arr(volumes)));
        }
        let mut gpu = vec![("units", value(self.gpu.units))];
        if !self.gpu.attributes.is_empty() {
            gpu.push(("attributes", attributes(&self.gpu.attributes)));
        }
        fields.push(("gpu", Json::Obj(gpu)));
        let endpoints = self
            .endpoints
            .iter()
            .map(|e| {
                let mut f = Vec::new();
                if e.kind != EndpointKind::SharedHttp {
                    f.push(("kind", Json::Num(e.kind as u64)));
                }
                f.push(("sequence_number", Json::Num(u64::from(e.sequence_number))));
                Json::Obj(f)
            })
            .collect();
        fields.push(("endpoints", Json::Arr(endpoints)));
        Json::Obj(fields)
    }
}

impl Expose {
    fn to_json(&self) -> Json {
        let o = &self.http_options;
        let mut http = vec![
            ("maxBodySize", Json::Num(u64::from(o.max_body_size))),
            ("readTimeout", Json::Num(u64::from(o.read_timeout))),
            ("sendTimeout", Json::Num(u64::from(o.send_timeout))),
            ("nextTries", Json::Num(u64::from(o.next_tries))),
            ("nextTimeout", Json::Num(u64::from(o.next_timeout))),
        ];
        if !o.next_cases.is_empty() {
            http.push(("nextCases", strings(&o.next_cases)));
        }
        if o.proxy_buffer_size != 0 {
            http.push(("proxyBufferSize", Json::Num(u64::from(o.proxy_buffer_size))));
        }
        Json::Obj(vec![
            ("port", Json::Num(u64::from(self.port))),
            ("externalPort", Json::Num(u64::from(self.external_port))),
            ("proto", Json::Str(self.proto.as_str().to_owned())),
            ("service", Json::Str(self.service.clone())),
            ("global", Json::Bool(self.global)),
            ("hosts", opt_strings(self.hosts.as_ref())),
            ("httpOptions", Json::Obj(http)),
            ("ip", Json::Str(self.ip.clone())),
            ("endpointSequenceNumber", Json::Num(u64::from(self.endpoint_sequence_number))),
        ])
    }
}

impl Service {
    fn to_json(&self) -> Json {
        let mut fields = vec![
            ("name", Json::Str(self.name.clone())),
            ("image", Json::Str(self.image.clone())),
            ("command", opt_strings(self.command.as_ref())),
            ("args", opt_strings(self.args.as_ref())),
            ("env", opt_strings(self.env.as_ref())),
            ("resources", self.resources.to_json()),
            ("count", Json::Num(u64::from(self.count))),
            ("expose", Json::Arr(self.expose.iter().map(Expose::to_json).collect())),
        ];
        if let Some(params) = &self.params {
            let storage = params.storage.as_ref().map_or(Json::Null, |s| {
                Json::Arr(
                    s.iter()
                        .map(|p| {
                            Json::Obj(vec![
                                ("name", Json::Str(p.name.clone())),
                                ("mount", Json::Str(p.mount.clone())),
                                ("readOnly", Json::Bool(p.read_only)),
                            ])
                        })
                        .collect(),
                )
            });
            let mut p = vec![("storage", storage)];
            if let Some(read) = &params.permissions {
                let mut perm = Vec::new();
                if !read.is_empty() {
                    perm.push(("read", strings(read)));
                }
                p.push(("permissions", Json::Obj(perm)));
            }
            if let Some(tee) = &params.tee {
                p.push((
                    "tee",
                    Json::Obj(vec![("type", Json::Str(tee.kind.clone())), ("attestation", Json::Bool(true))]),
                ));
            }
            fields.push(("params", Json::Obj(p)));
        }
        let credentials = self.credentials.as_ref().map_or(Json::Null, |c| {
            Json::Obj(vec![
                ("host", Json::Str(c.host.clone())),
                ("email", Json::Str(c.email.clone())),
                ("username", Json::Str(c.username.clone())),
                ("password", Json::Str(c.password.clone())),
            ])
        });
        fields.push(("credentials", credentials));
        Json::Obj(fields)
    }
}

impl Manifest {
    /// Go JSON of `manifest.v2beta3.Manifest`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        Json::Arr(
            self.groups
                .iter()
                .map(|g| {
                    Json::Obj(vec![
                        ("name", Json::Str(g.name.clone())),
                        ("services", Json::Arr(g.services.iter().map(Service::to_json).collect())),
                    ])
                })
                .collect(),
        )
    }

    /// The bytes a tenant sends to the provider (Go `json.Marshal`; the provider re-decodes it).
    #[must_use]
    pub fn to_json_string(&self) -> String {
        self.to_json().to_go_compact()
    }

    /// The canonical bytes the version hash is taken over (sorted keys, compact, Go escaping).
    #[must_use]
    pub fn to_sorted_json(&self) -> String {
        self.to_json().to_go_sorted_compact()
    }

    /// The manifest version: SHA-256 of [`Manifest::to_sorted_json`].
    #[must_use]
    pub fn version(&self) -> [u8; 32] {
        Sha256::digest(self.to_sorted_json().as_bytes()).into()
    }
}

impl GroupSpec {
    /// Go JSON of `deployment.v1beta4.GroupSpec`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        let units = self
            .resources
            .iter()
            .map(|u| {
                Json::Obj(vec![
                    ("resource", u.resource.to_json()),
                    ("count", Json::Num(u64::from(u.count))),
                    (
                        "price",
                        Json::Obj(vec![
                            ("denom", Json::Str(u.price.denom.clone())),
                            ("amount", Json::Str(u.price.amount.to_string())),
                        ]),
                    ),
                ])
            })
            .collect();
        Json::Obj(vec![
            ("name", Json::Str(self.name.clone())),
            (
                "requirements",
                Json::Obj(vec![
                    (
                        "signed_by",
                        Json::Obj(vec![
                            ("all_of", opt_strings(self.signed_by.all_of.as_ref())),
                            ("any_of", opt_strings(self.signed_by.any_of.as_ref())),
                        ]),
                    ),
                    ("attributes", self.attributes.as_ref().map_or(Json::Null, |a| attributes(a))),
                ]),
            ),
            ("resources", Json::Arr(units)),
        ])
    }
}

/// The JSON of a GroupSpec list.
#[must_use]
pub fn group_specs_json(groups: &[GroupSpec]) -> Json {
    Json::Arr(groups.iter().map(GroupSpec::to_json).collect())
}
