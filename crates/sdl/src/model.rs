//! The typed SDL, as decoded (Go phase 3), with spans for diagnostics.

use crate::map::{HashSet, SortedMap, SortedSet};

use crate::output::{Attribute, Cpu, DecCoin, Gpu, Memory, SignedBy, Volume};
use crate::span::Span;

/// A value with the span of the YAML node it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Which rules apply (see the crate doc for the differences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdlVersion {
    /// `version: "2.0"`.
    V2_0,
    /// `version: "2.1"` or any later version.
    V2_1,
}

#[derive(Debug, Default)]
pub(crate) struct Sdl {
    pub services: SortedMap<String, Service>,
    pub compute: SortedMap<String, ComputeProfile>,
    pub placement: SortedMap<String, PlacementProfile>,
    pub deployment: SortedMap<String, DeployedService>,
    pub endpoints: SortedMap<String, EndpointDecl>,
    pub reclamation: Option<Spanned<String>>,
    /// The bytes that spell `reclamation.min_window`'s value, where an edit of them is clean.
    pub reclamation_text: Option<Span>,
    /// The `deployment` key, for document-level diagnostics.
    pub deployment_span: Span,
    /// Values that failed to decode (already reported): later checks skip them rather than
    /// report what the decode error already says.
    pub broken: HashSet<Span>,
}

#[derive(Debug, Default)]
pub(crate) struct Service {
    pub key: Span,
    pub image: Spanned<String>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub env: Option<Vec<Spanned<String>>>,
    pub expose: Vec<ExposeIn>,
    pub params: Option<ParamsIn>,
    pub credentials: Option<CredentialsIn>,
}

#[derive(Debug, Default)]
pub(crate) struct ExposeIn {
    pub span: Span,
    pub port: Spanned<u32>,
    pub as_port: u32,
    pub proto: Spanned<String>,
    pub to: Vec<ToIn>,
    pub accept: Option<Vec<Spanned<String>>>,
    pub http: HttpIn,
}

#[derive(Debug, Default)]
pub(crate) struct ToIn {
    pub service: String,
    pub global: bool,
    pub ip: Spanned<String>,
    /// The edit that makes this target global (`global: false` → `true`, or `global: true`
    /// added beside `ip:`), where one is clean.
    pub global_fix: Option<crate::fix::Fix>,
}

#[derive(Debug, Default)]
pub(crate) struct HttpIn {
    pub max_body_size: Spanned<u32>,
    pub read_timeout: Spanned<u32>,
    pub send_timeout: Spanned<u32>,
    pub next_tries: u32,
    pub next_timeout: u32,
    pub proxy_buffer_size: Spanned<u32>,
    pub next_cases: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Default)]
pub(crate) struct ParamsIn {
    pub storage: SortedMap<String, StorageParamIn>,
    pub permissions: Option<Vec<String>>,
    pub tee: Option<Spanned<String>>,
}

#[derive(Debug, Default)]
pub(crate) struct StorageParamIn {
    pub key: Span,
    pub mount: Spanned<String>,
    pub read_only: Spanned<bool>,
}

#[derive(Debug, Default)]
pub(crate) struct CredentialsIn {
    pub span: Span,
    pub host: String,
    pub email: String,
    pub username: String,
    pub password: String,
}

#[derive(Debug, Default)]
pub(crate) struct ComputeProfile {
    pub key: Span,
    /// None when the profile has no `resources` (Go crashes on that; we report it).
    pub resources: Option<ResourcesIn>,
    /// A part failed to decode: limit checks would only repeat that error.
    pub broken: bool,
}

#[derive(Debug, Default)]
pub(crate) struct ResourcesIn {
    pub span: Span,
    pub cpu: Option<Cpu>,
    pub memory: Option<Memory>,
    pub storage: Vec<Volume>,
    /// The `name:` of a `storage:` written as one mapping, which Go ignores (that volume is
    /// always `default`): a mount of that name fails, and its hint should say why.
    pub ignored_storage_name: Option<String>,
    pub gpu: Gpu,
}

#[derive(Debug, Default)]
pub(crate) struct PlacementProfile {
    pub key: Span,
    pub attributes: Option<Vec<Attribute>>,
    pub signed_by: SignedBy,
    pub pricing: SortedMap<String, Spanned<DecCoin>>,
    /// Prices that failed to decode (already reported).
    pub broken_pricing: SortedSet<String>,
}

#[derive(Debug, Default)]
pub(crate) struct DeployedService {
    pub key: Span,
    pub placements: SortedMap<String, DeploymentIn>,
}

#[derive(Debug, Default)]
pub(crate) struct DeploymentIn {
    pub key: Span,
    pub profile: Spanned<String>,
    pub count: Spanned<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct EndpointDecl {
    pub key: Span,
    pub kind: Spanned<String>,
}
