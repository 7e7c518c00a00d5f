//! The shapes of the package's results, as Rust types so that the TypeScript declarations are
//! generated (tsify) rather than written by hand. The values themselves are produced by
//! `leasekit_sdl::report`; `tests/types.rs` proves every report the engine emits round-trips
//! through these types unchanged, so the declarations cannot drift from the JSON.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// How `span` offsets and `column`s count: UTF-8 bytes (the CLI's default) or UTF-16 code
/// units (JavaScript string indices, what browser editors use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "lowercase")]
pub enum PositionEncoding {
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units.
    Utf16,
}

/// Options of `check` and `build`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// Default `"utf8"`.
    #[tsify(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position_encoding: Option<PositionEncoding>,
}

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The SDL is rejected.
    Error,
    /// Accepted, but probably not what was meant.
    Warning,
}

/// A half-open range of offsets into the SDL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// First offset.
    pub start: u32,
    /// One past the last.
    pub end: u32,
}

/// A 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in the requested encoding.
    pub column: u32,
    /// 1-based column in UTF-16 code units.
    pub column_utf16: u32,
}

/// One finding about an SDL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    /// A stable kebab-case identifier, e.g. `"unknown-endpoint"`.
    #[tsify(type = "Code")]
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what is expected, in plain words.
    pub message: String,
    /// Akash's Go reference's exact text for this problem, where Go reports it.
    pub go: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// True on the one error Akash's Go reference would return.
    pub reference: bool,
    /// Where.
    pub span: Span,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// Edits that resolve it; empty when there is no clean edit.
    pub fixes: Vec<Fix>,
    /// Follow-on errors this one explains (they go away with it), located alike.
    pub folded: Vec<Diagnostic>,
}

/// One way to resolve a diagnostic by editing the SDL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// What it does, e.g. `"Price in uact (same amount)"`.
    pub label: String,
    /// True when it can be applied without asking; false for a suggestion to review.
    pub safe: bool,
    /// Non-overlapping edits, every span into the text that was checked.
    pub edits: Vec<TextEdit>,
}

/// A replacement of a span of the SDL text, located like a diagnostic (offsets in the requested
/// encoding: with `"utf16"`, `text.slice(0, span.start) + replacement + text.slice(span.end)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct TextEdit {
    /// The text replaced (empty for an insertion).
    pub span: Span,
    /// Where it starts.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
    /// What replaces it.
    pub replacement: String,
}

/// `build()` of an SDL without errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuildOk {
    /// Always `true`.
    #[tsify(type = "true")]
    pub ok: bool,
    /// The manifest version (deployment hash), 64 lowercase hex digits.
    pub version: String,
    /// The provider manifest.
    pub manifest: Vec<Group>,
    /// The on-chain GroupSpecs.
    pub group_specs: Vec<GroupSpec>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// The manifest as the provider receives it (compact JSON, Go field order).
    pub manifest_json: String,
    /// The manifest text the version is the SHA-256 of (sorted keys, compact).
    pub sorted_manifest_json: String,
}

/// `build()` of an SDL with errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct BuildErr {
    /// Always `false`.
    #[tsify(type = "false")]
    pub ok: bool,
    /// Errors; the one Akash's Go reference reports first, marked `reference`.
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// The result of `build()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(untagged)]
pub enum BuildResult {
    /// No errors.
    Ok(BuildOk),
    /// Errors.
    Err(BuildErr),
}

/// A decimal number as a string (Go `ResourceValue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct ResourceValue {
    /// Decimal digits.
    pub val: String,
}

/// A key/value attribute; Go omits empty strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// Key.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Value.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// CPU in millicores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Cpu {
    /// Millicores.
    pub units: ResourceValue,
    /// Attributes.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// Memory in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Memory {
    /// Bytes.
    pub size: ResourceValue,
    /// Attributes.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// A storage volume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// Name.
    pub name: String,
    /// Bytes.
    pub size: ResourceValue,
    /// `class` and `persistent`.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// GPUs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Gpu {
    /// Count.
    pub units: ResourceValue,
    /// `vendor/nvidia/model/...`.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
}

/// A resource endpoint: `kind` 1 = random port, 2 = leased IP; absent = shared HTTP ingress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// 1 (RANDOM_PORT) or 2 (LEASED_IP); Go omits 0 (SHARED_HTTP).
    #[tsify(optional, type = "1 | 2")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<u8>,
    /// The leased IP's sequence number, else 0.
    pub sequence_number: u32,
}

/// The resources of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// Unit id within the group.
    pub id: u32,
    /// CPU.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Cpu>,
    /// Memory.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    /// Volumes.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Vec<Volume>>,
    /// GPUs.
    pub gpu: Gpu,
    /// Endpoints.
    pub endpoints: Vec<Endpoint>,
}

/// HTTP ingress options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
    /// Cases.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cases: Option<Vec<String>>,
    /// Bytes; absent = the provider's default.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_buffer_size: Option<u32>,
}

/// A manifest expose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expose {
    /// Container port.
    pub port: u32,
    /// The SDL `as`; 0 = same as `port`.
    pub external_port: u32,
    /// Protocol.
    #[tsify(type = "\"TCP\" | \"UDP\"")]
    pub proto: String,
    /// Target service, or "".
    pub service: String,
    /// Reachable from outside.
    pub global: bool,
    /// Accepted hostnames.
    pub hosts: Option<Vec<String>>,
    /// HTTP options.
    pub http_options: HttpOptions,
    /// IP endpoint name, or "".
    pub ip: String,
    /// The IP endpoint's sequence number, or 0.
    pub endpoint_sequence_number: u32,
}

/// A mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageParams {
    /// Volume.
    pub name: String,
    /// Path.
    pub mount: String,
    /// Read-only.
    pub read_only: bool,
}

/// Log/event read permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// What may be read.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Vec<String>>,
}

/// TEE settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Tee {
    /// `cpu` or `cpu-gpu`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Always true.
    pub attestation: bool,
}

/// Service parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Mounts.
    pub storage: Option<Vec<StorageParams>>,
    /// Permissions.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    /// TEE.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tee: Option<Tee>,
}

/// Registry credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Host.
    pub host: String,
    /// Email.
    pub email: String,
    /// User.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A manifest service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name.
    pub name: String,
    /// Image.
    pub image: String,
    /// Command.
    pub command: Option<Vec<String>>,
    /// Args.
    pub args: Option<Vec<String>>,
    /// `NAME=value`.
    pub env: Option<Vec<String>>,
    /// Resources.
    pub resources: Resources,
    /// Replicas.
    pub count: u32,
    /// Exposes.
    pub expose: Vec<Expose>,
    /// Params.
    #[tsify(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Params>,
    /// Credentials.
    pub credentials: Option<Credentials>,
}

/// A manifest group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Placement name.
    pub name: String,
    /// Services.
    pub services: Vec<Service>,
}

/// A price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct DecCoin {
    /// Denomination.
    pub denom: String,
    /// Decimal with 18 fractional digits.
    pub amount: String,
}

/// Auditors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct SignedBy {
    /// All of.
    pub all_of: Option<Vec<String>>,
    /// Any of.
    pub any_of: Option<Vec<String>>,
}

/// Provider requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Auditors.
    pub signed_by: SignedBy,
    /// Attributes.
    pub attributes: Option<Vec<Attribute>>,
}

/// A resource unit of a GroupSpec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct ResourceUnit {
    /// Resources.
    pub resource: Resources,
    /// Replicas.
    pub count: u32,
    /// Max price per block per replica.
    pub price: DecCoin,
}

/// An on-chain GroupSpec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Placement name.
    pub name: String,
    /// Requirements.
    pub requirements: Requirements,
    /// Units.
    pub resources: Vec<ResourceUnit>,
}
