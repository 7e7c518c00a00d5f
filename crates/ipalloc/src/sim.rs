//! The provider simulator: declarations (the `ProviderLeasedIP` CRDs), their LoadBalancer
//! Services' addresses, leases, reservations.

use leasekit_sdl::map::{SortedMap, SortedSet};
use std::fmt;

use leasekit_sdl::output::{Group, Protocol};

use crate::json::{J, JsonExt};
use crate::sharing_key;

/// A lease: owner and order id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LeaseId {
    /// Tenant address.
    pub owner: String,
    /// Deployment sequence.
    pub dseq: u64,
    /// Group sequence (1-based index of the placement group in GroupSpec order).
    pub gseq: u32,
    /// Order sequence.
    pub oseq: u32,
}

impl fmt::Display for LeaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}/{}", self.owner, self.dseq, self.gseq, self.oseq)
    }
}

/// The unit of uniqueness on a provider (the CRD name): the sharing key holds the owner, so
/// this is (owner, endpoint, protocol, effective external port).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeclKey {
    /// `<owner>-ip-<name or hash>`.
    pub sharing_key: String,
    /// Protocol.
    pub proto: Protocol,
    /// Effective external port.
    pub external_port: u32,
}

/// One declaration and its LoadBalancer Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The lease it is labelled with.
    pub lease: LeaseId,
    /// Endpoint name.
    pub endpoint: String,
    /// Target service.
    pub service: String,
    /// Target (container) port.
    pub port: u32,
    /// Index into the pool; None while pending.
    pub address: Option<usize>,
}

/// One global IP expose of a manifest group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpExpose {
    /// Endpoint name.
    pub endpoint: String,
    /// Service.
    pub service: String,
    /// Container port.
    pub port: u32,
    /// Effective external port.
    pub external_port: u32,
    /// Protocol.
    pub proto: Protocol,
}

/// The IP exposes of a group in manifest order: the order the provider declares them in.
#[must_use]
pub fn ip_exposes(group: &Group) -> Vec<IpExpose> {
    group
        .services
        .iter()
        .flat_map(|s| {
            s.expose.iter().filter(|e| e.global && !e.ip.is_empty()).map(|e| IpExpose {
                endpoint: e.ip.clone(),
                service: s.name.clone(),
                port: e.port,
                external_port: e.effective_external_port(),
                proto: e.proto,
            })
        })
        .collect()
}

/// Endpoints per kind (shared HTTP, random port, leased IP) over the group's services: what
/// the provider's cross-validation counts.
fn endpoint_kinds(group: &Group) -> [usize; 3] {
    let mut counts = [0; 3];
    for e in group.services.iter().flat_map(|s| &s.resources.endpoints) {
        counts[e.kind as usize] += 1;
    }
    counts
}

/// A refusal, as the provider would answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimError {
    /// HTTP status where the provider answers over REST.
    pub status: Option<u16>,
    /// Text (the provider's where it has one).
    pub message: String,
}

impl SimError {
    fn new(status: Option<u16>, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }
}

#[derive(Debug, Clone)]
struct Reservation {
    ips: usize,
    confirmed: bool,
}

/// A provider with one MetalLB pool.
#[derive(Debug, Clone)]
pub struct Provider {
    pool: Vec<String>,
    ip_support: bool,
    faithful: bool,
    decls: SortedMap<DeclKey, Declaration>,
    leases: SortedMap<LeaseId, Group>,
    reservations: SortedMap<LeaseId, Reservation>,
}

/// What a step did, for the report.
#[derive(Debug, Default)]
pub struct Report {
    /// Named lists of declarations (`declared`, `kept`, `withheld`, ...).
    pub lists: Vec<(&'static str, Vec<J>)>,
    /// Extra fields.
    pub fields: Vec<(&'static str, J)>,
    /// Warnings (quirks and side effects).
    pub warnings: Vec<String>,
}

impl Report {
    fn list(&mut self, name: &'static str) -> &mut Vec<J> {
        if let Some(i) = self.lists.iter().position(|(n, _)| *n == name) {
            return &mut self.lists[i].1;
        }
        self.lists.push((name, Vec::new()));
        let last = self.lists.len() - 1;
        &mut self.lists[last].1
    }
}

/// Parses dotted-quad IPv4.
#[must_use]
pub fn parse_ipv4(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out = (out << 8) | p.parse::<u8>().ok().map(u32::from)?;
    }
    Some(out)
}

impl Provider {
    /// A provider; the pool is sorted by numeric address, as MetalLB scans it.
    ///
    /// # Errors
    /// An address that is not dotted-quad IPv4, or given twice.
    pub fn new(pool: &[String], ip_support: bool, faithful: bool) -> Result<Self, SimError> {
        let mut parsed = Vec::new();
        for a in pool {
            let n = parse_ipv4(a).ok_or_else(|| SimError::new(None, format!("not an IPv4 address: {a}")))?;
            parsed.push((n, a.clone()));
        }
        leasekit_sdl::sort::go_stable_sort(&mut parsed, |a, b| a < b);
        if parsed.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(SimError::new(None, "an address appears twice in the pool"));
        }
        Ok(Self {
            pool: parsed.into_iter().map(|(_, a)| a).collect(),
            ip_support,
            faithful,
            decls: SortedMap::default(),
            leases: SortedMap::default(),
            reservations: SortedMap::default(),
        })
    }

    /// Addresses used by at least one LoadBalancer Service (MetalLB's in-use metric).
    #[must_use]
    pub fn in_use(&self) -> usize {
        self.decls.values().filter_map(|d| d.address).collect::<SortedSet<_>>().len()
    }

    /// IPs of bids not yet confirmed.
    #[must_use]
    pub fn reserved_unconfirmed(&self) -> usize {
        self.reservations.values().filter(|r| !r.confirmed).map(|r| r.ips).sum()
    }

    /// `max(0, total - inUse - reservedUnconfirmed)`.
    #[must_use]
    pub fn available(&self) -> usize {
        self.pool.len().saturating_sub(self.in_use()).saturating_sub(self.reserved_unconfirmed())
    }

    fn address(&self, index: Option<usize>) -> J {
        index.and_then(|i| self.pool.get(i)).map_or(J::Null, J::s)
    }

    fn decl_json(&self, key: &DeclKey, d: &Declaration) -> J {
        J::obj(vec![
            ("endpoint", J::s(&d.endpoint)),
            ("service", J::s(&d.service)),
            ("proto", J::s(key.proto.as_str())),
            ("externalPort", J::Num(u64::from(key.external_port))),
            ("port", J::Num(u64::from(d.port))),
            ("lease", J::Str(d.lease.to_string())),
            ("ip", self.address(d.address)),
        ])
    }

    /// MetalLB's test: the address is unused, or used only by this sharing key and not on
    /// this (protocol, port).
    fn fits(&self, address: usize, key: &DeclKey) -> bool {
        self.decls.iter().filter(|(k, d)| d.address == Some(address) && *k != key).all(|(k, _)| {
            k.sharing_key == key.sharing_key && (k.proto, k.external_port) != (key.proto, key.external_port)
        })
    }

    /// Picks the address for a (re)created LoadBalancer Service. Upstream MetalLB takes the
    /// first fit in address order (Q8); the intended model keeps the endpoint together: the
    /// address it had, else one its sharing key already uses, else the first fit.
    fn allocate(&mut self, key: &DeclKey, previous: Option<usize>, report: &mut Report) {
        let first_fit = (0..self.pool.len()).find(|&a| self.fits(a, key));
        let same_key = (0..self.pool.len()).find(|&a| {
            self.decls.iter().any(|(k, d)| k != key && d.address == Some(a) && k.sharing_key == key.sharing_key)
                && self.fits(a, key)
        });
        let intended = previous.filter(|&a| self.fits(a, key)).or(same_key).or(first_fit);
        let chosen = if self.faithful { first_fit } else { intended };
        if intended != first_fit {
            let name = |a: Option<usize>| a.and_then(|a| self.pool.get(a)).map_or("no address", String::as_str);
            report.warnings.push(format!(
                "Q8: upstream MetalLB takes the first fitting address, so {} {}/{} lands on {} rather than {}, \
                 where the endpoint already is",
                key.sharing_key,
                key.proto.as_str(),
                key.external_port,
                name(first_fit),
                name(intended),
            ));
        }
        if chosen.is_none() {
            report.warnings.push(format!(
                "{} {}/{}: no address fits; its LoadBalancer Service stays pending and lease status fails with 500 (Q7)",
                key.sharing_key,
                key.proto.as_str(),
                key.external_port
            ));
        }
        if let Some(d) = self.decls.get_mut(key) {
            d.address = chosen;
        }
    }

    /// MetalLB retries pending Services whenever addresses free up.
    fn retry_pending(&mut self, report: &mut Report) {
        let pending: Vec<DeclKey> =
            self.decls.iter().filter(|(_, d)| d.address.is_none()).map(|(k, _)| k.clone()).collect();
        for key in pending {
            let mut quiet = Report::default();
            self.allocate(&key, None, &mut quiet);
            if self.decls.get(&key).is_some_and(|d| d.address.is_some()) {
                report.warnings.extend(quiet.warnings);
                let j = self.decl_json(&key, &self.decls[&key]);
                report.list("assigned").push(j);
            }
        }
    }

    /// The bid check (inventory reservation, provider.md §4.6); reserves on success.
    ///
    /// # Errors
    /// The provider's inventory error texts.
    pub fn bid(&mut self, lease: &LeaseId, ips_needed: usize) -> Result<Report, SimError> {
        let mut report = Report::default();
        let available = self.available();
        report.fields.push(("ipsNeeded", J::Num(ips_needed as u64)));
        report.fields.push(("available", J::Num(available as u64)));
        if ips_needed > 0 && !self.ip_support {
            return Err(SimError::new(None, "inventory error: no leased IPs available"));
        }
        if ips_needed > available {
            return Err(SimError::new(
                None,
                format!("inventory error: insufficient number of IPs: unable to reserve {ips_needed}"),
            ));
        }
        self.reservations.insert(lease.clone(), Reservation { ips: ips_needed, confirmed: ips_needed == 0 });
        Ok(report)
    }

    /// Deploy or update (the deployment manager's `doDeploy`, provider.md §4.2).
    ///
    /// # Errors
    /// An update whose endpoints no longer match the lease's order: an update changes only the
    /// deployment's hash, never its groups, and the provider cross-validates each manifest
    /// against the on-chain group (§2.3), so the number of IP endpoints is fixed at creation.
    pub fn deploy(&mut self, lease: &LeaseId, group: &Group) -> Result<Report, SimError> {
        let mut report = Report::default();
        if let Some(old) = self.leases.get(lease)
            && endpoint_kinds(old) != endpoint_kinds(group)
        {
            let [http, port, ip] = endpoint_kinds(old);
            return Err(SimError::new(
                Some(422),
                format!(
                    "manifest cross-validation failed: the order has {http} shared-HTTP, {port} random-port and \
                     {ip} leased-IP endpoints; an update cannot change them"
                ),
            ));
        }
        let exposes = ip_exposes(group);
        self.leases.insert(lease.clone(), group.clone());
        if !self.ip_support {
            if !exposes.is_empty() {
                report.warnings.push("the provider runs no IP operator: nothing is declared".to_owned());
            }
            return Ok(report);
        }
        let keys_in_use: SortedSet<String> = exposes.iter().map(|e| sharing_key(&lease.owner, &e.endpoint)).collect();
        let cleanup: Vec<DeclKey> = self
            .decls
            .iter()
            .filter(|(k, d)| d.lease == *lease && !keys_in_use.contains(&k.sharing_key))
            .map(|(k, _)| k.clone())
            .collect();
        let mut this_deploy: SortedSet<DeclKey> = SortedSet::default();
        for e in &exposes {
            let key = DeclKey {
                sharing_key: sharing_key(&lease.owner, &e.endpoint),
                proto: e.proto,
                external_port: e.external_port,
            };
            let fresh = Declaration {
                lease: lease.clone(),
                endpoint: e.endpoint.clone(),
                service: e.service.clone(),
                port: e.port,
                address: None,
            };
            if this_deploy.contains(&key) {
                report.list("withheld").push(self.withheld_json(&key, &fresh, lease));
                continue;
            }
            match self.decls.get(&key).cloned() {
                None => {
                    self.decls.insert(key.clone(), fresh);
                    self.allocate(&key, None, &mut report);
                    let j = self.decl_json(&key, &self.decls[&key]);
                    report.list("declared").push(j);
                }
                Some(held) if held.lease == *lease => {
                    if held.service != e.service || held.port != e.port {
                        report.warnings.push(format!(
                            "Q3: {} {}/{} now targets {}:{}; upstream never updates an existing declaration, so it \
                             keeps sending traffic to {}:{}",
                            e.endpoint,
                            e.proto.as_str(),
                            e.external_port,
                            e.service,
                            e.port,
                            held.service,
                            held.port
                        ));
                        if !self.faithful
                            && let Some(d) = self.decls.get_mut(&key)
                        {
                            d.service = e.service.clone();
                            d.port = e.port;
                        }
                    }
                    let j = self.decl_json(&key, &self.decls[&key]);
                    report.list("kept").push(j);
                }
                Some(held) => {
                    report.list("withheld").push(self.withheld_json(&key, &fresh, &held.lease));
                }
            }
            this_deploy.insert(key);
        }
        let exposed: SortedSet<(String, Protocol, u32)> =
            exposes.iter().map(|e| (sharing_key(&lease.owner, &e.endpoint), e.proto, e.external_port)).collect();
        for (k, d) in self.decls.iter().filter(|(_, d)| d.lease == *lease) {
            if keys_in_use.contains(&k.sharing_key)
                && !exposed.contains(&(k.sharing_key.clone(), k.proto, k.external_port))
            {
                report.warnings.push(format!(
                    "Q4: {} {}/{} is no longer exposed but stays declared (upstream cleans up whole endpoints only)",
                    d.endpoint,
                    k.proto.as_str(),
                    k.external_port
                ));
            }
        }
        if !cleanup.is_empty() {
            report.warnings.push(
                "Q1: upstream's purge deletes every IP declaration on the provider (all tenants, including the ones \
                 this deploy just made), not only the removed endpoint's"
                    .to_owned(),
            );
            let purged: Vec<DeclKey> = if self.faithful { self.decls.keys().cloned().collect() } else { cleanup };
            for k in purged {
                if let Some(d) = self.decls.remove(&k) {
                    let j = self.decl_json(&k, &d);
                    report.list("purged").push(j);
                }
            }
        }
        self.retry_pending(&mut report);
        self.confirm(lease, &mut report);
        Ok(report)
    }

    fn withheld_json(&self, key: &DeclKey, d: &Declaration, held_by: &LeaseId) -> J {
        let mut j = self.decl_json(key, d);
        if let J::Map(f) = &mut j {
            f.retain(|(k, _)| k != "ip" && k != "lease");
            f.push(("heldBy".to_owned(), J::Str(held_by.to_string())));
        }
        j
    }

    /// Upstream confirms a reservation only when the operator lists exactly as many entries
    /// (one per port) as IPs reserved (Q5); the intended model confirms once deployed.
    fn confirm(&mut self, lease: &LeaseId, report: &mut Report) {
        let entries = self.decls.values().filter(|d| d.lease == *lease && d.address.is_some()).count();
        let faithful = self.faithful;
        if let Some(r) = self.reservations.get_mut(lease).filter(|r| !r.confirmed) {
            let upstream = entries == r.ips;
            if !upstream {
                report.warnings.push(format!(
                    "Q5: upstream compares {entries} status entries with {} reserved IPs, never confirms this \
                     reservation and keeps counting its IPs as reserved",
                    r.ips
                ));
            }
            r.confirmed = upstream || !faithful;
        }
    }

    /// Lease close: its declarations go, their addresses free up.
    ///
    /// # Errors
    /// The lease is not active here.
    pub fn close(&mut self, lease: &LeaseId) -> Result<Report, SimError> {
        let mut report = Report::default();
        if self.leases.remove(lease).is_none() {
            self.reservations.remove(lease);
            return Err(SimError::new(Some(404), "lease not found"));
        }
        self.reservations.remove(lease);
        let gone: Vec<DeclKey> = self.decls.iter().filter(|(_, d)| d.lease == *lease).map(|(k, _)| k.clone()).collect();
        for k in gone {
            if let Some(d) = self.decls.remove(&k) {
                let j = self.decl_json(&k, &d);
                report.list("released").push(j);
            }
        }
        self.retry_pending(&mut report);
        Ok(report)
    }

    /// `POST /endpoint/migrate` (provider.md §2.4, §4.5).
    ///
    /// # Errors
    /// The provider's 400 answers.
    pub fn migrate(&mut self, owner: &str, endpoints: &[String], dseq: u64, gseq: u32) -> Result<Report, SimError> {
        let mut report = Report::default();
        if endpoints.is_empty() {
            return Err(SimError::new(Some(400), ""));
        }
        let Some((dest, group)) =
            self.leases.iter().find(|(l, _)| l.owner == owner && l.dseq == dseq && l.gseq == gseq)
        else {
            return Err(SimError::new(Some(400), "destination deployment does not exist"));
        };
        let dest = dest.clone();
        let exposes = ip_exposes(group);
        for name in endpoints {
            if !exposes.iter().any(|e| e.endpoint == *name) {
                return Err(SimError::new(
                    Some(400),
                    format!("the endpoint \"{name}\" does not exist in the destination deployment"),
                ));
            }
        }
        let others: SortedSet<&str> =
            exposes.iter().map(|e| e.endpoint.as_str()).filter(|n| !endpoints.iter().any(|r| r == n)).collect();
        if !others.is_empty() {
            report.warnings.push(format!(
                "Q2: upstream re-declares every IP expose of the destination, also {}",
                others.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        let faithful = self.faithful;
        // Without an IP operator the provider's declare call fails; nothing changes here.
        let targets = exposes.iter().filter(|e| self.ip_support && (faithful || endpoints.contains(&e.endpoint)));
        for e in targets.cloned().collect::<Vec<_>>() {
            let key = DeclKey {
                sharing_key: sharing_key(owner, &e.endpoint),
                proto: e.proto,
                external_port: e.external_port,
            };
            match self.decls.get(&key).cloned() {
                None => {
                    self.decls.insert(
                        key.clone(),
                        Declaration {
                            lease: dest.clone(),
                            endpoint: e.endpoint.clone(),
                            service: e.service.clone(),
                            port: e.port,
                            address: None,
                        },
                    );
                    self.allocate(&key, None, &mut report);
                    let j = self.decl_json(&key, &self.decls[&key]);
                    report.list("declared").push(j);
                }
                Some(held) => {
                    if held.lease == dest && held.service == e.service && held.port == e.port {
                        continue;
                    }
                    if let Some(d) = self.decls.get_mut(&key) {
                        d.lease = dest.clone();
                        d.service = e.service.clone();
                        d.port = e.port;
                    }
                    if held.lease != dest {
                        // The operator deletes the source's Service before creating the new one.
                        if let Some(d) = self.decls.get_mut(&key) {
                            d.address = None;
                        }
                        self.allocate(&key, held.address, &mut report);
                    }
                    let mut j = self.decl_json(&key, &self.decls[&key]);
                    if let J::Map(f) = &mut j {
                        f.push(("from".to_owned(), J::Str(held.lease.to_string())));
                        f.push(("previousIp".to_owned(), self.address(held.address)));
                    }
                    report.list("moved").push(j);
                }
            }
        }
        self.retry_pending(&mut report);
        report.fields.push(("transferred", J::Arr(endpoints.iter().map(J::s).collect())));
        Ok(report)
    }

    /// The `ips` member of the provider's REST lease status (provider.md §2.2).
    ///
    /// # Errors
    /// 404 for a lease not deployed here; 500 while an address is pending (Q7).
    pub fn status(&self, lease: &LeaseId) -> Result<J, SimError> {
        let Some(group) = self.leases.get(lease) else {
            return Err(SimError::new(Some(404), ""));
        };
        if !self.ip_support || ip_exposes(group).is_empty() {
            return Ok(J::Null);
        }
        let mine: Vec<(&DeclKey, &Declaration)> = self.decls.iter().filter(|(_, d)| d.lease == *lease).collect();
        if mine.iter().any(|(_, d)| d.address.is_none()) {
            return Err(SimError::new(Some(500), "ip operator remote error: http status 500 - unspecified error"));
        }
        // Kubernetes lists the Services by name, `<svc>-ip-<port>-<proto>`.
        let mut by_service: SortedMap<&str, Vec<(String, J)>> = SortedMap::default();
        for (k, d) in mine {
            let name = format!("{}-ip-{}-{}", d.service, k.external_port, k.proto.as_str()).to_ascii_lowercase();
            let entry = J::obj(vec![
                ("Port", J::Num(u64::from(d.port))),
                ("ExternalPort", J::Num(u64::from(k.external_port))),
                ("Protocol", J::s(k.proto.as_str())),
                ("IP", self.address(d.address)),
            ]);
            by_service.get_or_insert_with(&d.service, Default::default).push((name, entry));
        }
        Ok(J::Map(
            by_service
                .into_iter()
                .map(|(svc, mut entries)| {
                    leasekit_sdl::sort::go_stable_sort(&mut entries, |a, b| a.0 < b.0);
                    (svc.to_owned(), J::Arr(entries.into_iter().map(|(_, e)| e).collect()))
                })
                .collect(),
        ))
    }

    /// Each address in use and what it carries, in pool order.
    #[must_use]
    pub fn addresses_json(&self) -> J {
        J::Map(
            self.pool
                .iter()
                .enumerate()
                .filter_map(|(i, a)| {
                    let users: Vec<J> = self
                        .decls
                        .iter()
                        .filter(|(_, d)| d.address == Some(i))
                        .map(|(k, _)| J::Str(format!("{} {}/{}", k.sharing_key, k.proto.as_str(), k.external_port)))
                        .collect();
                    (!users.is_empty()).then(|| (a.clone(), J::Arr(users)))
                })
                .collect(),
        )
    }
}
