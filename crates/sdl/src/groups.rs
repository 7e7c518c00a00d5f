//! Go phase 4 (`buildGroups`): IP endpoint sequence numbers, TEE, protocols, HTTP options,
//! and the GroupSpecs and manifest groups, unit by unit.

use crate::map::{HashMap, SortedMap};

use crate::diagnostic::{Code, Diagnostic, Sink};
use crate::model::{ExposeIn, Sdl, SdlVersion, Service as ServiceIn, Spanned};
use crate::output::{
    Attribute, Credentials, Endpoint, EndpointKind, Expose, Group, GroupSpec, HttpOptions, Manifest, Protocol,
    ResourceUnit, Resources, Service, ServiceParams, StorageParams, Tee,
};
use crate::sort::{go_sort, go_stable_sort};
use crate::span::Span;
use crate::units::go_quote;

/// HTTP option defaults and maxima (Akash `manifest/v2beta3`).
pub(crate) mod http {
    pub const DEFAULT_MAX_BODY_SIZE: u32 = 1_048_576;
    pub const MAX_BODY_SIZE: u32 = 104_857_600;
    pub const MAX_PROXY_BUFFER_SIZE: u32 = 1_048_576;
    pub const DEFAULT_TIMEOUT: u32 = 60_000;
    pub const MAX_TIMEOUT: u32 = 60_000;
    pub const DEFAULT_NEXT_TRIES: u32 = 3;
    pub const NEXT_CASES: &[&str] = &["error", "timeout", "500", "502", "503", "504", "403", "404", "429", "off"];
}

/// Where a unit of a GroupSpec came from, for the limit checks of phase 6.
#[derive(Debug, Clone)]
pub(crate) struct UnitOrigin {
    /// The compute profile's `resources` span.
    pub span: Span,
    /// The price's span.
    pub price_span: Span,
    /// The deployment `count`'s span.
    pub count_span: Span,
    /// The compute profile failed to decode; its errors are already reported.
    pub broken: bool,
}

/// The result of phase 4.
#[derive(Debug, Default)]
pub(crate) struct Built {
    pub groups: Vec<GroupSpec>,
    /// Per group, per unit.
    pub origins: Vec<Vec<UnitOrigin>>,
    pub manifest: Manifest,
    /// Per manifest group, per service, the SDL expose each manifest expose came from.
    pub expose_origins: Vec<Vec<Vec<usize>>>,
}

/// `seq(name)` = the 1-based position of the last occurrence of `name` in the sorted list of
/// every deployed `to` entry's `ip` (non-global entries contribute `""`; global entries without
/// an ip contribute nothing). The gaps this leaves are Go's, and the provider expects them.
pub(crate) fn ip_sequence_numbers(sdl: &Sdl) -> SortedMap<String, u32> {
    let mut names: Vec<&str> = Vec::new();
    for name in sdl.deployment.keys() {
        let Some(service) = sdl.services.get(name) else { continue };
        for expose in &service.expose {
            for to in &expose.to {
                if !(to.global && to.ip.value.is_empty()) {
                    names.push(&to.ip.value);
                }
            }
        }
    }
    go_stable_sort(&mut names, |a, b| a < b);
    names.iter().enumerate().map(|(i, name)| ((*name).to_owned(), u32::try_from(i + 1).unwrap_or(u32::MAX))).collect()
}

/// The leased-IP exposes of a valid SDL, by service, placement and SDL order.
pub(crate) fn ip_bindings(sdl: &Sdl) -> Vec<crate::IpBinding> {
    let sequence = ip_sequence_numbers(sdl);
    let mut out = Vec::new();
    for (name, deployed) in &sdl.deployment {
        let Some(service) = sdl.services.get(name) else { continue };
        for group in deployed.placements.keys() {
            for expose in &service.expose {
                let Some(proto) = parse_protocol(&expose.proto.value) else { continue };
                for to in expose.to.iter().filter(|t| t.global && !t.ip.value.is_empty()) {
                    out.push(crate::IpBinding {
                        group: group.clone(),
                        service: name.clone(),
                        endpoint: to.ip.value.clone(),
                        sequence_number: sequence.get(&to.ip.value).copied().unwrap_or(0),
                        port: expose.port.value,
                        external_port: expose.as_port,
                        proto,
                        proto_text: expose.proto.value.clone(),
                        span: expose.span,
                    });
                }
            }
        }
    }
    out
}

struct GroupState {
    spec: GroupSpec,
    origins: Vec<UnitOrigin>,
    services: Vec<(Service, Vec<usize>)>,
    /// v2.1: unit index by compute profile.
    by_profile: HashMap<String, usize>,
    tee: Option<String>,
}

pub(crate) fn build(version: SdlVersion, sdl: &Sdl, sink: &mut Sink) -> Built {
    let sequence = ip_sequence_numbers(sdl);
    let mut groups: HashMap<String, GroupState> = HashMap::default();
    for (name, deployed) in &sdl.deployment {
        let Some(service) = sdl.services.get(name) else { continue };
        for (placement_name, deployment) in &deployed.placements {
            let profile_name = &deployment.profile.value;
            let Some(compute) = sdl.compute.get(profile_name) else { continue };
            let Some(resources) = &compute.resources else { continue };
            let Some(placement) = sdl.placement.get(placement_name) else { continue };
            let Some(price) = placement.pricing.get(profile_name) else { continue };

            let group = groups.entry(placement_name.clone()).or_insert_with(|| GroupState {
                spec: GroupSpec {
                    name: placement_name.clone(),
                    signed_by: placement.signed_by.clone(),
                    attributes: placement.attributes.clone(),
                    resources: Vec::new(),
                },
                origins: Vec::new(),
                services: Vec::new(),
                by_profile: HashMap::default(),
                tee: None,
            });

            if let Some(tee) = &service.params.as_ref().and_then(|p| p.tee.as_ref()) {
                check_tee(tee, resources.gpu.units, group, sink);
            }

            let (exposes, origins) = build_exposes(name, service, &sequence, sink);
            let endpoints: Vec<Endpoint> = exposes.iter().flat_map(expose_endpoints).collect();

            let own = Resources {
                id: 0,
                cpu: resources.cpu.clone(),
                memory: resources.memory.clone(),
                storage: resources.storage.clone(),
                gpu: resources.gpu.clone(),
                endpoints: endpoints.clone(),
            };
            let existing = match version {
                SdlVersion::V2_0 => None,
                SdlVersion::V2_1 => group.by_profile.get(profile_name).copied(),
            };
            let id = if let Some(index) = existing {
                let unit = &mut group.spec.resources[index];
                unit.count = unit.count.saturating_add(deployment.count.value);
                unit.resource.endpoints.extend(endpoints);
                if !go_sort(&mut unit.resource.endpoints, |a, b| a.sequence_number < b.sequence_number) {
                    sink.warning(
                        Code::UnstableOrder,
                        service.key,
                        format!("group {}: the order of this unit's {} endpoints may differ from Akash's (Go sorts more than 12 with an unstable sort); the manifest and its hash are not affected", go_quote(placement_name), unit.resource.endpoints.len()),
                    );
                }
                unit.resource.id
            } else {
                let id = u32::try_from(group.spec.resources.len() + 1).unwrap_or(u32::MAX);
                group.spec.resources.push(ResourceUnit {
                    resource: Resources { id, ..own.clone() },
                    count: deployment.count.value,
                    price: price.value.clone(),
                });
                group.origins.push(UnitOrigin {
                    span: resources.span,
                    price_span: price.span,
                    count_span: deployment.count.span,
                    broken: compute.broken || sdl.broken.contains(&deployment.count.span),
                });
                group.by_profile.insert(profile_name.clone(), group.spec.resources.len() - 1);
                id
            };

            group.services.push((
                Service {
                    name: name.clone(),
                    image: service.image.value.clone(),
                    command: service.command.clone(),
                    args: service.args.clone(),
                    env: service.env.as_ref().map(|env| env.iter().map(|e| e.value.clone()).collect()),
                    resources: Resources { id, ..own },
                    count: deployment.count.value,
                    expose: exposes,
                    params: service_params(service),
                    credentials: credentials(version, service),
                },
                origins,
            ));
        }
    }

    let mut built = Built::default();
    // Go orders groups by name.
    let mut groups: Vec<(String, GroupState)> = groups.into_iter().collect();
    go_stable_sort(&mut groups, |a, b| a.0 < b.0);
    for (name, state) in groups {
        built.groups.push(state.spec);
        built.origins.push(state.origins);
        let (services, origins): (Vec<_>, Vec<_>) = state.services.into_iter().unzip();
        built.manifest.groups.push(Group { name, services });
        built.expose_origins.push(origins);
    }
    built
}

fn check_tee(tee: &Spanned<String>, gpu_units: u32, group: &mut GroupState, sink: &mut Sink) {
    let kind = tee.value.as_str();
    if kind != "cpu" && kind != "cpu-gpu" {
        sink.push(
            Diagnostic::error(
                Code::InvalidTee,
                tee.span,
                format!("TEE type {} is neither `cpu` nor `cpu-gpu`", go_quote(kind)),
            )
            .with_go(format!("sdl: unsupported tee type: {} (allowed: cpu, cpu-gpu)", go_quote(kind))),
        );
        return;
    }
    if kind == "cpu-gpu" && gpu_units == 0 {
        sink.push(
            Diagnostic::error(
                Code::InvalidTee,
                tee.span,
                "TEE type `cpu-gpu` needs GPUs, and this service's profile has none: use `cpu` or add a GPU",
            )
            .with_go("sdl: tee type requires gpu resources: \"cpu-gpu\" specified but no gpu resources defined"),
        );
        return;
    }
    match &group.tee {
        Some(first) if first != kind => sink.push(
            Diagnostic::error(
                Code::InvalidTee,
                tee.span,
                format!(
                    "placement {} already has TEE type {}: the services of one placement share one TEE type",
                    go_quote(&group.spec.name),
                    go_quote(first)
                ),
            )
            .with_go(format!(
                "sdl: conflicting tee types in the same placement group: group {} has {} and {}",
                go_quote(&group.spec.name),
                go_quote(first),
                go_quote(kind)
            )),
        ),
        Some(_) => {}
        None => {
            group.tee = Some(kind.to_owned());
            let attrs = group.spec.attributes.get_or_insert_with(Vec::new);
            attrs.push(Attribute { key: "tee/type".to_owned(), value: kind.to_owned() });
            go_stable_sort(attrs, |a, b| a.key < b.key);
        }
    }
}

fn parse_protocol(proto: &str) -> Option<Protocol> {
    match proto.to_ascii_uppercase().as_str() {
        "" | "TCP" => Some(Protocol::Tcp),
        "UDP" => Some(Protocol::Udp),
        _ => None,
    }
}

fn http_options(expose: &ExposeIn) -> Result<HttpOptions, Diagnostic> {
    use http::*;
    let h = &expose.http;
    let or = |v: u32, default: u32| if v == 0 { default } else { v };
    let too_big = |span: Span, what: &str| {
        Diagnostic::error(Code::InvalidHttpOption, span, format!("the {what}"))
            .with_go(format!("http option not allowed: {what}"))
    };
    if h.max_body_size.value > MAX_BODY_SIZE {
        return Err(too_big(h.max_body_size.span, &format!("body size cannot be greater than {MAX_BODY_SIZE} bytes")));
    }
    if h.proxy_buffer_size.value > MAX_PROXY_BUFFER_SIZE {
        return Err(too_big(
            h.proxy_buffer_size.span,
            &format!("proxy buffer size cannot be greater than {MAX_PROXY_BUFFER_SIZE} bytes"),
        ));
    }
    if h.read_timeout.value > MAX_TIMEOUT {
        return Err(too_big(h.read_timeout.span, &format!("read timeout cannot be greater than {MAX_TIMEOUT} ms")));
    }
    if h.send_timeout.value > MAX_TIMEOUT {
        return Err(too_big(h.send_timeout.span, &format!("send timeout cannot be greater than {MAX_TIMEOUT} ms")));
    }
    let cases = h.next_cases.as_deref().unwrap_or_default();
    for case in cases {
        if !NEXT_CASES.contains(&case.value.as_str()) {
            return Err(Diagnostic::error(
                Code::InvalidHttpOption,
                case.span,
                format!("{} is not a next case: they are {}", go_quote(&case.value), NEXT_CASES.join(", ")),
            )
            .with_go(format!("next case is unknown: {}", go_quote(&case.value))));
        }
    }
    if cases.len() > 1
        && let Some(off) = cases.iter().find(|c| c.value == "off")
    {
        return Err(Diagnostic::error(
            Code::InvalidHttpOption,
            off.span,
            "`off` turns retries off, so it must be the only next case",
        )
        .with_go("if 'off' is specified, no other cases may be specified"));
    }
    let next_cases = if cases.is_empty() {
        vec!["error".to_owned(), "timeout".to_owned()]
    } else {
        cases.iter().map(|c| c.value.clone()).collect()
    };
    Ok(HttpOptions {
        max_body_size: or(h.max_body_size.value, DEFAULT_MAX_BODY_SIZE),
        read_timeout: or(h.read_timeout.value, DEFAULT_TIMEOUT),
        send_timeout: or(h.send_timeout.value, DEFAULT_TIMEOUT),
        next_tries: or(h.next_tries, DEFAULT_NEXT_TRIES),
        next_timeout: h.next_timeout,
        next_cases,
        proxy_buffer_size: h.proxy_buffer_size.value,
    })
}

/// Go's `url.Parse("http://" + host)` failures that an `accept` entry can trigger.
fn accept_parse_error(host: &str) -> Option<String> {
    let url = format!("http://{host}");
    if host.chars().any(|c| c.is_ascii_control()) {
        return Some(format!("parse {}: net/url: invalid control character in URL", go_quote(&url)));
    }
    let authority = host.split(['/', '?', '#']).next().unwrap_or_default();
    let hostname = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(c) = hostname.chars().find(|c| matches!(c, ' ' | '"' | '{' | '}' | '|' | '\\' | '^' | '`' | '<' | '>'))
    {
        return Some(format!("parse {}: invalid character {} in host name", go_quote(&url), go_quote(&c.to_string())));
    }
    None
}

fn build_exposes(
    name: &str,
    service: &ServiceIn,
    sequence: &SortedMap<String, u32>,
    sink: &mut Sink,
) -> (Vec<Expose>, Vec<usize>) {
    let mut out: Vec<(Expose, usize)> = Vec::new();
    for (index, expose) in service.expose.iter().enumerate() {
        let Some(proto) = parse_protocol(&expose.proto.value) else {
            sink.push(
                Diagnostic::error(
                    Code::UnsupportedProtocol,
                    expose.proto.span,
                    format!("protocol {} is neither TCP nor UDP", go_quote(&expose.proto.value)),
                )
                .with_go("unsupported service protocol")
                .with_hint("HTTP and HTTPS are TCP: write `proto: tcp` (or leave it out)"),
            );
            continue;
        };
        let http_options = match http_options(expose) {
            Ok(o) => o,
            Err(d) => {
                sink.push(d);
                continue;
            }
        };
        let hosts = expose.accept.as_ref().map(|hosts| hosts.iter().map(|h| h.value.clone()).collect::<Vec<_>>());
        for host in expose.accept.iter().flatten() {
            if let Some(e) = accept_parse_error(&host.value) {
                sink.push(
                    Diagnostic::error(
                        Code::InvalidHostname,
                        host.span,
                        format!("{} is not a host name: write the name alone, e.g. example.com (no spaces, quotes or brackets)", go_quote(&host.value)),
                    )
                    .with_go(e),
                );
            }
        }
        let base = Expose {
            port: expose.port.value,
            external_port: expose.as_port,
            proto,
            service: String::new(),
            global: false,
            hosts,
            http_options,
            ip: String::new(),
            endpoint_sequence_number: 0,
        };
        if expose.to.is_empty() {
            out.push((base, index));
            continue;
        }
        for to in &expose.to {
            let seq =
                if to.global && !to.ip.value.is_empty() { sequence.get(&to.ip.value).copied().unwrap_or(0) } else { 0 };
            out.push((
                Expose {
                    service: to.service.clone(),
                    global: to.global,
                    ip: to.ip.value.clone(),
                    endpoint_sequence_number: seq,
                    ..base.clone()
                },
                index,
            ));
        }
    }
    let less = |a: &(Expose, usize), b: &(Expose, usize)| {
        let (a, b) = (&a.0, &b.0);
        if a.service != b.service {
            return a.service < b.service;
        }
        if a.port != b.port {
            return a.port < b.port;
        }
        if a.proto != b.proto {
            return a.proto < b.proto;
        }
        a.global && !b.global
    };
    if !go_sort(&mut out, less) {
        sink.warning(
            Code::UnstableOrder,
            service.key,
            format!("service {} has {} exposes, some alike in service, port, protocol and global: Akash orders those with an unstable sort, so its manifest may order them differently", go_quote(name), out.len()),
        );
    }
    out.into_iter().unzip()
}

/// The endpoints one manifest expose needs: none unless global; the ingress or a random port;
/// and the leased IP.
pub(crate) fn expose_endpoints(expose: &Expose) -> Vec<Endpoint> {
    if !expose.global {
        return Vec::new();
    }
    let kind = if expose.proto == Protocol::Tcp && expose.effective_external_port() == 80 {
        EndpointKind::SharedHttp
    } else {
        EndpointKind::RandomPort
    };
    let mut endpoints = vec![Endpoint { kind, sequence_number: 0 }];
    if !expose.ip.is_empty() {
        endpoints.push(Endpoint { kind: EndpointKind::LeasedIp, sequence_number: expose.endpoint_sequence_number });
    }
    endpoints
}

fn service_params(service: &ServiceIn) -> Option<ServiceParams> {
    let params = service.params.as_ref()?;
    let storage: Vec<StorageParams> = params
        .storage
        .iter()
        .map(|(name, p)| StorageParams {
            name: name.clone(),
            mount: p.mount.value.clone(),
            read_only: p.read_only.value,
        })
        .collect();
    Some(ServiceParams {
        storage: (!storage.is_empty()).then_some(storage),
        permissions: params.permissions.clone(),
        tee: params.tee.as_ref().map(|t| Tee { kind: t.value.clone() }),
    })
}

fn credentials(version: SdlVersion, service: &ServiceIn) -> Option<Credentials> {
    let c = service.credentials.as_ref()?;
    Some(match version {
        SdlVersion::V2_0 => Credentials {
            host: c.host.clone(),
            email: String::new(),
            username: c.username.clone(),
            password: c.password.clone(),
        },
        SdlVersion::V2_1 => Credentials {
            host: c.host.trim().to_owned(),
            email: c.email.trim().to_owned(),
            username: c.username.trim().to_owned(),
            password: c.password.trim().to_owned(),
        },
    })
}
