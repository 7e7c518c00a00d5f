//! The IP card: a lease's status turned into what a tenant came for — each leased address with
//! its port map (external → container, protocol, service; UDP included), the service URIs and
//! replicas, or why there is no address yet.
//!
//! Provider quirks handled here (provider.md §2.2): `ips` is `null` when not computed and `{}`
//! when computed but empty; a 500 while IPs are pending is [`LeaseStatusState::IpPending`]; a
//! withheld endpoint (another lease of the owner holds the same endpoint+port, §4.4) simply
//! has no entry — with the manifest at hand the card lists it as withheld.

use leasekit_client::provider::{LeaseStatus, LeaseStatusState};
use leasekit_sdl::Manifest;
use leasekit_tx::msgs::BidId;

/// One port on a leased address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    /// The port on the IP.
    pub external_port: u32,
    /// The container port.
    pub container_port: u32,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// The SDL service.
    pub service: String,
    /// The SDL endpoint name, when the manifest is known.
    pub endpoint: Option<String>,
}

impl PortMapping {
    /// `80 → 80 TCP game` (the port map's row).
    #[must_use]
    pub fn row(&self) -> String {
        format!("{} → {} {} {}", self.external_port, self.container_port, self.protocol, self.service)
    }
}

/// One leased address and its ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedAddress {
    /// The IPv4 address.
    pub ip: String,
    /// Its ports, by external port then protocol.
    pub ports: Vec<PortMapping>,
}

/// One service's replicas and hostnames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    /// The SDL service name.
    pub name: String,
    /// Replicas available.
    pub available: u32,
    /// Replicas wanted.
    pub total: u32,
    /// Ingress hostnames.
    pub uris: Vec<String>,
}

/// Where the lease stands for the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardStatus {
    /// The provider has no manifest for the lease (404, empty body).
    NotDeployed,
    /// Workloads are being created (404 with the provider's text).
    Deploying {
        /// The provider's words.
        message: String,
    },
    /// The lease should have an address but has none yet (500 while pending, or `ips` empty).
    WaitingForIp,
    /// Running with every expected address.
    Ready,
}

/// A lease's IP card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpCard {
    /// The lease.
    pub lease: BidId,
    /// Where it stands.
    pub status: CardStatus,
    /// Leased addresses, in address order.
    pub addresses: Vec<LeasedAddress>,
    /// IP exposes of the manifest without an entry (withheld or pending), when the manifest is
    /// known.
    pub missing: Vec<PortMapping>,
    /// Services, by name.
    pub services: Vec<ServiceLine>,
}

impl IpCard {
    /// The card of a lease status. `manifest`: the deployed manifest, when known — it says
    /// whether addresses are expected and names each port's endpoint.
    #[must_use]
    pub fn from_status(lease: &BidId, state: &LeaseStatusState, manifest: Option<&Manifest>) -> IpCard {
        let expected = manifest.map(ip_exposes).unwrap_or_default();
        let mut card = IpCard {
            lease: lease.clone(),
            status: CardStatus::Ready,
            addresses: Vec::new(),
            missing: Vec::new(),
            services: Vec::new(),
        };
        match state {
            LeaseStatusState::NotDeployed => card.status = CardStatus::NotDeployed,
            LeaseStatusState::Deploying { message } => card.status = CardStatus::Deploying { message: message.clone() },
            LeaseStatusState::IpPending => {
                card.status = CardStatus::WaitingForIp;
                card.missing = expected;
            }
            LeaseStatusState::Ready(status) => card.fill(status, expected),
        }
        card
    }

    fn fill(&mut self, status: &LeaseStatus, expected: Vec<PortMapping>) {
        let expects_ip = !expected.is_empty();
        self.services = status
            .services
            .iter()
            .map(|(name, s)| ServiceLine {
                name: name.clone(),
                available: s.available,
                total: s.total,
                uris: s.uris.clone(),
            })
            .collect();
        let mut found: Vec<(String, PortMapping)> = Vec::new();
        for (service, entries) in status.ips.iter().flatten() {
            for e in entries {
                let endpoint = expected
                    .iter()
                    .find(|x| {
                        x.service == *service
                            && x.external_port == e.external_port
                            && x.protocol.eq_ignore_ascii_case(&e.protocol)
                    })
                    .and_then(|x| x.endpoint.clone());
                found.push((
                    e.ip.clone(),
                    PortMapping {
                        external_port: e.external_port,
                        container_port: e.port,
                        protocol: e.protocol.to_ascii_uppercase(),
                        service: service.clone(),
                        endpoint,
                    },
                ));
            }
        }
        found.sort_by(|a, b| {
            (ip_key(&a.0), a.1.external_port, &a.1.protocol, &a.1.service).cmp(&(
                ip_key(&b.0),
                b.1.external_port,
                &b.1.protocol,
                &b.1.service,
            ))
        });
        for (ip, port) in found {
            match self.addresses.iter_mut().find(|a| a.ip == ip) {
                Some(a) => a.ports.push(port),
                None => self.addresses.push(LeasedAddress { ip, ports: vec![port] }),
            }
        }
        self.missing =
            expected
                .into_iter()
                .filter(|x| {
                    !self.addresses.iter().flat_map(|a| &a.ports).any(|p| {
                        p.service == x.service && p.external_port == x.external_port && p.protocol == x.protocol
                    })
                })
                .collect();
        // No address while the manifest asks for some, or `ips` computed but empty (the IP
        // operator answered 204: nothing assigned yet): waiting. `ips: null` without a known
        // manifest means the lease has no IP exposes.
        let computed_empty = status.ips.as_ref().is_some_and(|m| m.values().all(Vec::is_empty));
        if self.addresses.is_empty() && (expects_ip || computed_empty) {
            self.status = CardStatus::WaitingForIp;
        }
    }

    /// The leased addresses' texts.
    #[must_use]
    pub fn ips(&self) -> Vec<String> {
        self.addresses.iter().map(|a| a.ip.clone()).collect()
    }

    /// True while an expected address is not there.
    #[must_use]
    pub fn waiting_for_ip(&self) -> bool {
        self.status == CardStatus::WaitingForIp
    }

    /// Ready with every expected address: nothing left to wait for.
    #[must_use]
    pub fn complete(&self) -> bool {
        self.status == CardStatus::Ready && self.missing.is_empty()
    }

    /// A sentence for the card's status line.
    #[must_use]
    pub fn status_text(&self) -> String {
        match &self.status {
            CardStatus::NotDeployed => "The provider has no manifest for this lease yet.".to_owned(),
            CardStatus::Deploying { message } => format!("The provider is starting the workloads ({message})."),
            CardStatus::WaitingForIp => "Waiting for IP: the provider has not assigned the address yet.".to_owned(),
            CardStatus::Ready if self.addresses.is_empty() => "Running; this lease has no leased IP.".to_owned(),
            CardStatus::Ready => {
                let n = self.addresses.len();
                format!("Running on {n} leased {}.", if n == 1 { "address" } else { "addresses" })
            }
        }
    }
}

/// Sort key of an IPv4 address (numeric), other text after.
fn ip_key(ip: &str) -> (u8, u32, String) {
    let parts: Vec<u32> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() == 4 && parts.iter().all(|p| *p < 256) {
        (0, parts.iter().fold(0, |acc, p| acc << 8 | p), String::new())
    } else {
        (1, 0, ip.to_owned())
    }
}

/// The part of `manifest` that lease of group `group` runs: a lease is one placement group's
/// order and its provider deploys that group alone, so its card expects only that group's
/// addresses (the whole manifest would leave a two-group card waiting for the other's IPs).
#[must_use]
pub fn group_manifest(manifest: &Manifest, group: &str) -> Manifest {
    Manifest { groups: manifest.groups.iter().filter(|g| g.name == group).cloned().collect() }
}

/// The manifest part of the lease of group `gseq` of `output`'s deployment: the chain numbers
/// MsgCreateDeployment's groups from 1 in GroupSpecs order. The whole manifest for a gseq the
/// SDL does not have (a deployment made from another SDL).
#[must_use]
pub fn lease_manifest(output: &leasekit_sdl::Output, gseq: u32) -> Manifest {
    let spec = usize::try_from(gseq).ok().and_then(|g| g.checked_sub(1)).and_then(|i| output.group_specs.get(i));
    match spec {
        Some(spec) => group_manifest(&output.manifest, &spec.name),
        None => output.manifest.clone(),
    }
}

/// The global IP exposes of a manifest, as the provider declares them (effective external
/// port, upper-case protocol).
#[must_use]
pub fn ip_exposes(manifest: &Manifest) -> Vec<PortMapping> {
    let mut out = Vec::new();
    for group in &manifest.groups {
        for service in &group.services {
            for e in service.expose.iter().filter(|e| e.global && !e.ip.is_empty()) {
                out.push(PortMapping {
                    external_port: e.effective_external_port(),
                    container_port: e.port,
                    protocol: e.proto.as_str().to_ascii_uppercase(),
                    service: service.name.clone(),
                    endpoint: Some(e.ip.clone()),
                });
            }
        }
    }
    out
}

/// What a lease's chain state means to its tenant, in words: `active`, or for chain v2.1's
/// `reclaiming` the provider's reclamation with its window and reason (the workload and its IP
/// run until the window ends; chain-sdk `proto/node/akash/market/v1/reclamation.proto`).
#[must_use]
pub fn lease_state_text(lease: &leasekit_client::chain::Lease) -> String {
    let Some(r) = lease.reclamation.as_ref().filter(|_| lease.state == "reclaiming") else {
        return lease.state.replace('_', " ");
    };
    let mut text = "reclaiming: the provider is taking this lease back".to_owned();
    if let Some(seconds) = r.window_seconds {
        text.push_str(&format!("; it runs until its {} window ends", duration_words(seconds)));
    }
    if r.started_at > 0 {
        text.push_str(&format!(" (started at block {})", r.started_at));
    }
    let reason = r.reason.strip_prefix("lease_closed_reason_").unwrap_or(&r.reason);
    if !reason.is_empty() {
        text.push_str(&format!("; reason: {}", reason.replace('_', " ")));
    }
    text
}

/// `90 s`, `45 min`, `6 h`, `3 d` — the largest unit that divides the duration, else seconds.
fn duration_words(seconds: u64) -> String {
    match seconds {
        0 => "0 s".to_owned(),
        s if s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}
