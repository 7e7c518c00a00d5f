//! The shapes of `planIps()` and `simulate()` results (feature `ip`), generated into the
//! TypeScript declarations like [`crate::types`].

use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::types::BuildErr;

/// A span of an IP plan item, like a diagnostic's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanSpan {
    /// First offset (in the requested encoding).
    pub start: u32,
    /// One past the last.
    pub end: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column in the requested encoding.
    pub column: u32,
    /// 1-based column in UTF-16 code units.
    pub column_utf16: u32,
}

/// One expose onto a leased IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanBinding {
    /// Placement group.
    pub group: String,
    /// Service.
    pub service: String,
    /// Container port.
    pub port: u32,
    /// The port opened on the IP (`as`, else `port`).
    pub external_port: u32,
    /// Protocol.
    #[tsify(type = "\"TCP\" | \"UDP\"")]
    pub proto: String,
    /// The expose in the SDL.
    pub span: PlanSpan,
}

/// An IP endpoint and what is bound to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanEndpoint {
    /// Endpoint name.
    pub name: String,
    /// Go's sequence number (the LEASED_IP endpoint's `sequence_number`).
    pub sequence_number: u32,
    /// Bindings, in the order the provider declares them.
    pub bindings: Vec<PlanBinding>,
}

/// What one order asks of a bidder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanGroup {
    /// Placement group.
    pub name: String,
    /// IPv4 addresses the provider must have free.
    pub ips_needed: u32,
}

/// A port the provider would withhold although Akash's SDL check accepts the SDL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanConflict {
    /// Endpoint.
    pub endpoint: String,
    /// Protocol.
    #[tsify(type = "\"TCP\" | \"UDP\"")]
    pub proto: String,
    /// External port.
    pub external_port: u32,
    /// The binding that gets the port.
    pub kept: PlanBinding,
    /// The binding the provider withholds.
    pub withheld: PlanBinding,
    /// Explanation.
    pub message: String,
}

/// Something about the IP setup a tenant should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct PlanWarning {
    /// Stable identifier.
    pub code: String,
    /// Explanation.
    pub message: String,
    /// Where, if it is about one expose.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<PlanSpan>,
}

/// `planIps()` of an SDL without errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct PlanOk {
    /// Always `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// IP endpoints.
    pub endpoints: Vec<PlanEndpoint>,
    /// Per placement group.
    pub groups: Vec<PlanGroup>,
    /// Provider-side collisions.
    pub conflicts: Vec<PlanConflict>,
    /// Warnings.
    pub warnings: Vec<PlanWarning>,
}

/// The result of `planIps()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(untagged)]
pub enum PlanResult {
    /// The plan.
    Ok(PlanOk),
    /// The SDL's errors.
    Err(BuildErr),
}

/// A provider scenario for `simulate()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    /// The provider's MetalLB pool, IPv4 addresses.
    pub pool: Vec<String>,
    /// Whether the provider runs an IP operator (default true).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_support: Option<bool>,
    /// Reproduce upstream quirks instead of warning about them (default false).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faithful: Option<bool>,
    /// Steps, run in order.
    pub steps: Vec<ScenarioStep>,
}

/// A lease's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
pub struct OrderId {
    /// Deployment sequence.
    pub dseq: u64,
    /// Group sequence (default 1).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gseq: Option<u32>,
    /// Order sequence (default 1).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oseq: Option<u32>,
}

/// One step of a scenario; which fields an op reads is in the package README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
pub struct ScenarioStep {
    /// What happens.
    #[tsify(type = "\"bid\" | \"deploy\" | \"update\" | \"close\" | \"migrate\" | \"status\"")]
    pub op: String,
    /// The tenant's address.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Deployment sequence.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dseq: Option<u64>,
    /// Group sequence.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gseq: Option<u32>,
    /// Order sequence.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oseq: Option<u32>,
    /// The SDL (bid, deploy, update).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdl: Option<String>,
    /// Endpoint names (migrate).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<String>>,
    /// Where endpoints migrate to.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<OrderId>,
}

/// A declared (or released, purged, kept) IP port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimDeclaration {
    /// Endpoint.
    pub endpoint: String,
    /// Target service.
    pub service: String,
    /// Protocol.
    #[tsify(type = "\"TCP\" | \"UDP\"")]
    pub proto: String,
    /// Port on the IP.
    pub external_port: u32,
    /// Container port.
    pub port: u32,
    /// `owner/dseq/gseq/oseq` holding it.
    pub lease: String,
    /// Its address; null while pending.
    pub ip: Option<String>,
    /// The lease it came from (migrate).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The address it had before (migrate).
    #[tsify(optional, type = "string | null")]
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub previous_ip: Option<Option<String>>,
}

/// A port the provider withheld because another lease holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimWithheld {
    /// Endpoint.
    pub endpoint: String,
    /// Service.
    pub service: String,
    /// Protocol.
    #[tsify(type = "\"TCP\" | \"UDP\"")]
    pub proto: String,
    /// Port on the IP.
    pub external_port: u32,
    /// Container port.
    pub port: u32,
    /// The lease holding it.
    pub held_by: String,
}

/// One entry of the provider's lease-status `ips` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LeaseIp {
    /// Container port.
    pub port: u32,
    /// Port on the IP.
    pub external_port: u32,
    /// `TCP` or `UDP`.
    pub protocol: String,
    /// The address.
    #[serde(rename = "IP")]
    pub ip: String,
}

/// An error a step met (with the provider's HTTP status where it has one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct SimError {
    /// Text.
    pub message: String,
    /// HTTP status.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

/// The result of one scenario step; which fields appear depends on the op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulationStep {
    /// 1-based step number.
    pub step: u32,
    /// The op.
    pub op: String,
    /// The step's error, if it failed (nothing changed).
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<SimError>,
    /// bid: whether the provider bids.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bid: Option<bool>,
    /// bid: IPs the order needs.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ips_needed: Option<u32>,
    /// bid: IPs the provider has free.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// deploy/update/migrate: new declarations.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<Vec<SimDeclaration>>,
    /// deploy/update: declarations kept.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<Vec<SimDeclaration>>,
    /// deploy/update: ports withheld.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Vec<SimWithheld>>,
    /// update: declarations purged.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged: Option<Vec<SimDeclaration>>,
    /// Pending ports that got a freed address.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<Vec<SimDeclaration>>,
    /// close: declarations released.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<Vec<SimDeclaration>>,
    /// migrate: endpoints transferred.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferred: Option<Vec<String>>,
    /// migrate: declarations moved.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<Vec<SimDeclaration>>,
    /// status: the lease-status `ips` object (null when not computed, `{}` when empty).
    #[tsify(optional, type = "Record<string, LeaseIp[]> | null")]
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub ips: Option<Option<std::collections::BTreeMap<String, Vec<LeaseIp>>>>,
    /// Upstream quirks this step ran into.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
    /// Addresses MetalLB counts as used.
    pub in_use: u32,
    /// Address → the declarations on it.
    #[tsify(type = "Record<string, string[]>")]
    pub addresses: std::collections::BTreeMap<String, Vec<String>>,
}

/// Keeps "present but null" apart from "absent" for `Option<Option<T>>` fields.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
