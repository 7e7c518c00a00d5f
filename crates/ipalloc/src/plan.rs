//! Planning one SDL: endpoints, bindings, IPs per order, provider-rule conflicts, warnings.

use leasekit_sdl::map::{SortedMap, SortedSet};

use leasekit_sdl::output::{EndpointKind, Protocol};
use leasekit_sdl::{Diagnostics, LineIndex, Output, PositionEncoding, Span};

use crate::json::{J, JsonExt};

/// One expose onto an IP endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Placement group.
    pub group: String,
    /// Service.
    pub service: String,
    /// Container port.
    pub port: u32,
    /// The port opened on the IP (`as`, else `port`).
    pub external_port: u32,
    /// Protocol.
    pub proto: Protocol,
    /// The expose in the source.
    pub span: Span,
}

/// One IP endpoint of the SDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpEndpoint {
    /// Name.
    pub name: String,
    /// Go's sequence number (sdl.md §5.5).
    pub sequence_number: u32,
    /// The exposes on it, in manifest order.
    pub bindings: Vec<Binding>,
}

/// What one placement group (one order) needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNeed {
    /// Placement name.
    pub name: String,
    /// IPv4 addresses a bidder must have free.
    pub ips_needed: usize,
}

/// Two bindings the provider treats as the same declaration although the SDL check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Endpoint.
    pub endpoint: String,
    /// Protocol.
    pub proto: Protocol,
    /// Effective external port.
    pub external_port: u32,
    /// Declared first (manifest order), keeps the port.
    pub kept: Binding,
    /// Left without the port on the IP.
    pub withheld: Binding,
}

/// Something a tenant should know that is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable identifier.
    pub code: &'static str,
    /// Text.
    pub message: String,
    /// Where, if it is about one expose.
    pub span: Option<Span>,
}

/// The IP plan of one SDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// IP endpoints, by name.
    pub endpoints: Vec<IpEndpoint>,
    /// Per placement group, in GroupSpec order (= gseq order).
    pub groups: Vec<GroupNeed>,
    /// Provider-rule collisions.
    pub conflicts: Vec<Conflict>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// Plans an SDL; its diagnostics when it is invalid.
///
/// # Errors
/// The SDL's diagnostics when it has errors.
pub fn plan(yaml: &str) -> Result<Plan, Diagnostics> {
    let build = leasekit_sdl::build(yaml);
    match build.output {
        Some(output) => Ok(plan_output(&output)),
        None => Err(build.diagnostics),
    }
}

/// Distinct LEASED_IP sequence numbers in a group: the provider's `GetEndpointQuantityOfResourceGroup`.
#[must_use]
pub fn ips_needed(spec: &leasekit_sdl::GroupSpec) -> usize {
    spec.resources
        .iter()
        .flat_map(|u| &u.resource.endpoints)
        .filter(|e| e.kind == EndpointKind::LeasedIp)
        .map(|e| e.sequence_number)
        .collect::<SortedSet<_>>()
        .len()
}

/// Plans a built SDL.
#[must_use]
pub fn plan_output(output: &Output) -> Plan {
    // Manifest order is the provider's declaration order; the bindings carry the spans.
    let mut unused: Vec<bool> = vec![true; output.ip_bindings.len()];
    let mut ordered: Vec<(String, u32, Binding)> = Vec::new();
    for group in &output.manifest.groups {
        for service in &group.services {
            for e in service.expose.iter().filter(|e| e.global && !e.ip.is_empty()) {
                let found = output.ip_bindings.iter().enumerate().position(|(i, b)| {
                    unused[i]
                        && b.group == group.name
                        && b.service == service.name
                        && b.endpoint == e.ip
                        && b.port == e.port
                        && b.external_port == e.external_port
                        && b.proto == e.proto
                });
                let span = found.map_or(Span::new(0, 0), |i| {
                    unused[i] = false;
                    output.ip_bindings[i].span
                });
                let binding = Binding {
                    group: group.name.clone(),
                    service: service.name.clone(),
                    port: e.port,
                    external_port: e.effective_external_port(),
                    proto: e.proto,
                    span,
                };
                ordered.push((e.ip.clone(), e.endpoint_sequence_number, binding));
            }
        }
    }

    let mut endpoints: SortedMap<String, IpEndpoint> = SortedMap::default();
    let mut conflicts = Vec::new();
    let mut warnings = Vec::new();
    let mut declared: SortedMap<(String, Protocol, u32), Binding> = SortedMap::default();
    for (name, sequence_number, binding) in ordered {
        let key = (name.clone(), binding.proto, binding.external_port);
        if let Some(kept) = declared.get(&key) {
            conflicts.push(Conflict {
                endpoint: name.clone(),
                proto: binding.proto,
                external_port: binding.external_port,
                kept: kept.clone(),
                withheld: binding.clone(),
            });
        } else {
            declared.insert(key, binding.clone());
        }
        if binding.proto == Protocol::Tcp && binding.external_port == 80 {
            warnings.push(Warning {
                code: "ip-port-80-is-ingress",
                message: format!(
                    "{}: 80/TCP on IP endpoint `{name}` is also an ingress expose: it gets a provider hostname in `uris` \
                     and uses a shared-HTTP endpoint",
                    binding.service
                ),
                span: Some(binding.span),
            });
        }
        let lb_name = format!("{}-ip-{}-{}", binding.service, binding.external_port, binding.proto.as_str());
        if lb_name.len() > 63 {
            warnings.push(Warning {
                code: "lb-service-name-too-long",
                message: format!(
                    "the provider's LoadBalancer Service `{}` is longer than Kubernetes' 63 characters: the IP would never be assigned",
                    lb_name.to_ascii_lowercase()
                ),
                span: Some(binding.span),
            });
        }
        endpoints
            .get_or_insert_with(name.clone(), || IpEndpoint { name, sequence_number, bindings: Vec::new() })
            .bindings
            .push(binding);
    }

    // The NodePort Service of a service de-duplicates by port only, so TCP and UDP on one port
    // share one forwarded port (80/TCP is ingress and takes no NodePort).
    let mut by_port: SortedMap<(&str, &str, u32), SortedSet<Protocol>> = SortedMap::default();
    for b in endpoints.values().flat_map(|e| &e.bindings) {
        by_port.get_or_insert_with((&b.group, &b.service, b.external_port), Default::default).insert(b.proto);
    }
    for ((_, service, port), protos) in &by_port {
        if protos.len() == 2 && *port != 80 {
            warnings.push(Warning {
                code: "tcp-udp-one-nodeport",
                message: format!(
                    "{service}: TCP and UDP on port {port} both get the leased IP, but only one NodePort \
                     (`forwarded_ports` lists the first protocol only)"
                ),
                span: None,
            });
        }
    }

    let groups =
        output.group_specs.iter().map(|g| GroupNeed { name: g.name.clone(), ips_needed: ips_needed(g) }).collect();
    Plan { endpoints: endpoints.into_iter().map(|(_, e)| e).collect(), groups, conflicts, warnings }
}

/// How spans are rendered: offsets and `column` in the caller's encoding, as diagnostics are.
pub(crate) struct Positions<'a> {
    index: LineIndex<'a>,
    encoding: PositionEncoding,
}

fn span_json(span: Span, index: Option<&Positions<'_>>) -> J {
    let Some(Positions { index, encoding }) = index else {
        return J::obj(vec![("start", J::Num(u64::from(span.start))), ("end", J::Num(u64::from(span.end)))]);
    };
    let p = index.position(span.start);
    let column = if *encoding == PositionEncoding::Utf16 { p.column_utf16 } else { p.column_utf8 };
    J::obj(vec![
        ("start", J::Num(u64::from(index.offset(span.start, *encoding)))),
        ("end", J::Num(u64::from(index.offset(span.end, *encoding)))),
        ("line", J::Num(u64::from(p.line))),
        ("column", J::Num(u64::from(column))),
        ("columnUtf16", J::Num(u64::from(p.column_utf16))),
    ])
}

fn binding_json(b: &Binding, index: Option<&Positions<'_>>) -> J {
    J::obj(vec![
        ("group", J::s(&b.group)),
        ("service", J::s(&b.service)),
        ("port", J::Num(u64::from(b.port))),
        ("externalPort", J::Num(u64::from(b.external_port))),
        ("proto", J::s(b.proto.as_str())),
        ("span", span_json(b.span, index)),
    ])
}

impl Plan {
    /// The plan as JSON. Without the source, spans are UTF-8 byte offsets; with it, spans also
    /// carry `line`, `column` and `columnUtf16`, like diagnostics (offsets and `column` in UTF-8).
    #[must_use]
    pub fn to_json(&self, source: Option<&str>) -> J {
        match source {
            Some(source) => self.to_json_with(source, PositionEncoding::Utf8),
            None => self.render(None),
        }
    }

    /// The plan as JSON with spans' offsets and `column` counted in `encoding`.
    #[must_use]
    pub fn to_json_with(&self, source: &str, encoding: PositionEncoding) -> J {
        self.render(Some(&Positions { index: LineIndex::new(source), encoding }))
    }

    fn render(&self, index: Option<&Positions<'_>>) -> J {
        J::obj(self.fields(index))
    }

    fn fields(&self, index: Option<&Positions<'_>>) -> Vec<(&'static str, J)> {
        vec![
            (
                "endpoints",
                J::Arr(
                    self.endpoints
                        .iter()
                        .map(|e| {
                            J::obj(vec![
                                ("name", J::s(&e.name)),
                                ("sequenceNumber", J::Num(u64::from(e.sequence_number))),
                                ("bindings", J::Arr(e.bindings.iter().map(|b| binding_json(b, index)).collect())),
                            ])
                        })
                        .collect(),
                ),
            ),
            (
                "groups",
                J::Arr(
                    self.groups
                        .iter()
                        .map(|g| J::obj(vec![("name", J::s(&g.name)), ("ipsNeeded", J::Num(g.ips_needed as u64))]))
                        .collect(),
                ),
            ),
            (
                "conflicts",
                J::Arr(
                    self.conflicts
                        .iter()
                        .map(|c| {
                            J::obj(vec![
                                ("endpoint", J::s(&c.endpoint)),
                                ("proto", J::s(c.proto.as_str())),
                                ("externalPort", J::Num(u64::from(c.external_port))),
                                ("kept", binding_json(&c.kept, index)),
                                ("withheld", binding_json(&c.withheld, index)),
                                (
                                    "message",
                                    J::Str(format!(
                                        "`{}` {}/{} is declared twice: the provider keeps the first and withholds the second \
                                         (its external port is `as`, else `port`)",
                                        c.endpoint,
                                        c.proto.as_str(),
                                        c.external_port
                                    )),
                                ),
                            ])
                        })
                        .collect(),
                ),
            ),
            ("warnings", warnings_json(&self.warnings, index)),
        ]
    }
}

/// The npm package's `planIps()` result: `{ok: true, endpoints, groups, conflicts, warnings}`,
/// or the SDL's `{ok: false, errors, warnings}` (as `build()` reports them).
#[must_use]
pub fn plan_js_json(source: &str, encoding: PositionEncoding) -> J {
    let result = leasekit_sdl::build(source);
    let Some(output) = &result.output else { return result.to_js_json(source, encoding) };
    let plan = plan_output(output);
    let mut fields = vec![("ok", J::Bool(true))];
    fields.extend(plan.fields(Some(&Positions { index: LineIndex::new(source), encoding })));
    J::obj(fields)
}

pub(crate) fn warnings_json(warnings: &[Warning], index: Option<&Positions<'_>>) -> J {
    J::Arr(
        warnings
            .iter()
            .map(|w| {
                let mut f = vec![("code", J::s(w.code)), ("message", J::s(&w.message))];
                if let Some(span) = w.span {
                    f.push(("span", span_json(span, index)));
                }
                J::obj(f)
            })
            .collect(),
    )
}
