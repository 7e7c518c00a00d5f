//! The deploy form's view of an SDL and its edits: [`Form::read`] reads what the form shows
//! from the syntax tree, [`apply`] turns one form change ([`FormEdit`]) into the smallest
//! [`Document`] edits (set a scalar, insert a key, append an item, remove an entry).
//!
//! Reading is lenient on purpose: the form must open any YAML mapping, also an SDL the engine
//! rejects, and show what it can. A value that is missing or not a scalar reads as `None`;
//! keys the form does not know are not shown, and because edits only touch the nodes they
//! name, they stay in the text as they were. Every piece carries its [`YamlPath`], so the UI
//! can point at the YAML, and a field re-applied with the value it shows changes nothing
//! (the lossless round-trip test over the conformance inputs checks exactly that).
//!
//! No SDL rule is decided here: whether a port collides or an endpoint is unused is for
//! `leasekit_sdl::build` and `leasekit_ipalloc` to say. The only policy is in the structural
//! edits, which keep the references of an SDL consistent: adding a service adds its compute
//! profile, pricing and deployment entries; removing one removes those that nothing else uses
//! and the endpoints only it used; removing an endpoint removes the `ip:` references to it.

use leasekit_sdl::Span;
use leasekit_sdl::syntax::{SyntaxKind, SyntaxNode};

use crate::scalar::{double_quoted, plain_ok};
use crate::text::is_flow;
use crate::{Document, EditError, PathSegment, ScalarValue};

/// One step of a [`YamlPath`] (an owned [`PathSegment`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index (0-based).
    Index(usize),
}

/// Where a piece of the form is in the YAML: keys and indices from the root.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct YamlPath(pub Vec<Step>);

impl YamlPath {
    /// The path as [`Document`] path segments.
    #[must_use]
    pub fn segments(&self) -> Vec<PathSegment<'_>> {
        self.0
            .iter()
            .map(|s| match s {
                Step::Key(k) => PathSegment::Key(k),
                Step::Index(i) => PathSegment::Index(*i),
            })
            .collect()
    }

    /// This path and one key more.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        Self(steps)
    }

    /// This path and one index more.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        Self(steps)
    }

    fn of(keys: &[&str]) -> Self {
        Self(keys.iter().map(|k| Step::Key((*k).to_owned())).collect())
    }

    fn parent(&self) -> Option<(Self, &Step)> {
        let (last, rest) = self.0.split_last()?;
        Some((Self(rest.to_vec()), last))
    }
}

impl std::fmt::Display for YamlPath {
    /// `services.web.expose.0.port`; the root is `.`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match step {
                Step::Key(k) => f.write_str(k)?,
                Step::Index(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

/// A scalar the form shows: its text (`None` when the key is missing or not a scalar) and
/// where it is or would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The scalar's value (escapes resolved), as the YAML reads it.
    pub value: Option<String>,
    /// The node's path.
    pub path: YamlPath,
}

impl Field {
    /// The value, or `""`.
    #[must_use]
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }
}

/// A list of strings the form shows (env, command, args, accept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListField {
    /// The scalar items; empty when the key is missing.
    pub items: Vec<String>,
    /// False when the value is something the form cannot show as a list of strings (a
    /// mapping, or items that are not scalars); such a list is left alone.
    pub editable: bool,
    /// The list's path.
    pub path: YamlPath,
}

/// One entry of `services.<name>.expose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposeForm {
    /// The expose's path (`services.<name>.expose.<i>`).
    pub path: YamlPath,
    /// The expose mapping's span (as `leasekit_sdl` reports it for this expose).
    pub span: Span,
    /// Container port.
    pub port: Field,
    /// External port (`as`).
    pub as_port: Field,
    /// `proto` as written.
    pub proto: Field,
    /// `global` of the global `to` entry.
    pub global: Field,
    /// `ip` of the global `to` entry (the IP endpoint).
    pub ip: Field,
    /// Accepted hosts.
    pub accept: ListField,
    /// Which `to` entry holds `global`/`ip`: the first with a `global` or `ip` key, else the
    /// first without `service`.
    pub to_index: Option<usize>,
}

impl ExposeForm {
    /// True when `global` reads as a YAML true (`true`, and the YAML 1.1 words Go accepts).
    #[must_use]
    pub fn is_global(&self) -> bool {
        self.global.value.as_deref().is_some_and(is_true)
    }
}

/// One entry of `services`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceForm {
    /// The service name (its key).
    pub name: String,
    /// `services.<name>`.
    pub path: YamlPath,
    /// `image`.
    pub image: Field,
    /// `command`.
    pub command: ListField,
    /// `args`.
    pub args: ListField,
    /// `env`, `NAME=value` each.
    pub env: ListField,
    /// `expose` entries in order (entries that are not mappings are skipped; the indices in
    /// their paths stay the YAML's).
    pub exposes: Vec<ExposeForm>,
}

/// One entry of `endpoints`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointForm {
    /// The endpoint name.
    pub name: String,
    /// `kind` (`ip`).
    pub kind: Field,
    /// `endpoints.<name>`.
    pub path: YamlPath,
}

/// One entry of `profiles.compute`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeForm {
    /// The profile name.
    pub name: String,
    /// `resources.cpu.units`.
    pub cpu: Field,
    /// `resources.memory.size`.
    pub memory: Field,
    /// `resources.storage.size`, or the first volume's when `storage` is a list.
    pub storage: Field,
    /// `profiles.compute.<name>`.
    pub path: YamlPath,
}

/// A price: `profiles.placement.<placement>.pricing.<profile>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceForm {
    /// The compute profile it prices.
    pub profile: String,
    /// `denom`.
    pub denom: Field,
    /// `amount`.
    pub amount: Field,
    /// The pricing entry's path.
    pub path: YamlPath,
}

/// One entry of `profiles.placement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementForm {
    /// The placement name.
    pub name: String,
    /// `attributes`: key and value.
    pub attributes: Vec<(String, Field)>,
    /// `pricing` entries.
    pub pricing: Vec<PriceForm>,
    /// `profiles.placement.<name>`.
    pub path: YamlPath,
}

/// One `deployment.<service>.<placement>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentForm {
    /// The service.
    pub service: String,
    /// The placement.
    pub placement: String,
    /// `profile`.
    pub profile: Field,
    /// `count`.
    pub count: Field,
    /// The entry's path.
    pub path: YamlPath,
}

/// What the form shows of an SDL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    /// `version`.
    pub version: Option<String>,
    /// Services in document order.
    pub services: Vec<ServiceForm>,
    /// Endpoints in document order.
    pub endpoints: Vec<EndpointForm>,
    /// Compute profiles in document order.
    pub compute: Vec<ComputeForm>,
    /// Placement profiles in document order.
    pub placements: Vec<PlacementForm>,
    /// Deployment entries in document order.
    pub deployments: Vec<DeploymentForm>,
}

/// Mapping entries reachable by key: scalar keys, the first of duplicates.
fn entries(node: Option<&SyntaxNode>) -> Vec<(&str, &SyntaxNode)> {
    let mut out: Vec<(&str, &SyntaxNode)> = Vec::new();
    if let Some(SyntaxNode { kind: SyntaxKind::Map(map), .. }) = node {
        for (k, v) in map {
            if let SyntaxKind::Scalar { value, .. } = &k.kind
                && value != "<<"
                && !out.iter().any(|(seen, _)| seen == value)
            {
                out.push((value, v));
            }
        }
    }
    out
}

fn child<'n>(node: Option<&'n SyntaxNode>, key: &str) -> Option<&'n SyntaxNode> {
    entries(node).into_iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

fn scalar(node: Option<&SyntaxNode>) -> Option<String> {
    match node {
        Some(SyntaxNode { kind: SyntaxKind::Scalar { value, .. }, .. }) => Some(value.clone()),
        _ => None,
    }
}

fn field(node: Option<&SyntaxNode>, path: YamlPath) -> Field {
    Field { value: scalar(node), path }
}

fn list_field(node: Option<&SyntaxNode>, path: YamlPath) -> ListField {
    match node {
        None => ListField { items: Vec::new(), editable: true, path },
        Some(SyntaxNode { kind: SyntaxKind::Seq(items), .. }) => {
            let scalars: Vec<String> = items.iter().filter_map(|i| scalar(Some(i))).collect();
            ListField { editable: scalars.len() == items.len(), items: scalars, path }
        }
        Some(n) if is_null(n) => ListField { items: Vec::new(), editable: true, path },
        Some(_) => ListField { items: Vec::new(), editable: false, path },
    }
}

fn is_null(node: &SyntaxNode) -> bool {
    matches!(&node.kind, SyntaxKind::Scalar { value, plain: true } if value.is_empty() || value == "~" || value == "null")
}

/// A YAML boolean word, including the YAML 1.1 ones Go's decoder accepts.
fn is_bool_word(value: &str) -> bool {
    is_true(value)
        || matches!(value, "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N")
}

/// YAML true, including the YAML 1.1 words Go's decoder accepts for booleans.
fn is_true(value: &str) -> bool {
    matches!(value, "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y")
}

impl Form {
    /// Reads the form from a parsed document.
    #[must_use]
    pub fn read(doc: &Document) -> Self {
        let root = Some(doc.root());
        let profiles = child(root, "profiles");
        Self {
            version: scalar(child(root, "version")),
            services: entries(child(root, "services"))
                .into_iter()
                .map(|(name, node)| read_service(name, node))
                .collect(),
            endpoints: entries(child(root, "endpoints"))
                .into_iter()
                .map(|(name, node)| {
                    let path = YamlPath::of(&["endpoints", name]);
                    EndpointForm {
                        name: name.to_owned(),
                        kind: field(child(Some(node), "kind"), path.key("kind")),
                        path,
                    }
                })
                .collect(),
            compute: entries(child(profiles, "compute"))
                .into_iter()
                .map(|(name, node)| read_compute(name, node))
                .collect(),
            placements: entries(child(profiles, "placement"))
                .into_iter()
                .map(|(name, node)| read_placement(name, node))
                .collect(),
            deployments: entries(child(root, "deployment"))
                .into_iter()
                .flat_map(|(service, node)| {
                    entries(Some(node)).into_iter().map(move |(placement, entry)| {
                        let path = YamlPath::of(&["deployment", service, placement]);
                        DeploymentForm {
                            service: service.to_owned(),
                            placement: placement.to_owned(),
                            profile: field(child(Some(entry), "profile"), path.key("profile")),
                            count: field(child(Some(entry), "count"), path.key("count")),
                            path,
                        }
                    })
                })
                .collect(),
        }
    }

    /// Parses `text` and reads its form.
    ///
    /// # Errors
    ///
    /// [`EditError::Parse`] when the text is not YAML.
    pub fn parse(text: &str) -> Result<Self, EditError> {
        Document::parse(text).map(|doc| Self::read(&doc))
    }

    /// The service named `name`.
    #[must_use]
    pub fn service(&self, name: &str) -> Option<&ServiceForm> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The price of `profile` in `placement`, when written.
    #[must_use]
    pub fn price(&self, placement: &str, profile: &str) -> Option<&PriceForm> {
        self.placements.iter().find(|p| p.name == placement)?.pricing.iter().find(|p| p.profile == profile)
    }

    /// The compute profile named `name`.
    #[must_use]
    pub fn compute_profile(&self, name: &str) -> Option<&ComputeForm> {
        self.compute.iter().find(|c| c.name == name)
    }

    /// A service name not in use yet: `web`, else `web-2`, `web-3`, ...
    #[must_use]
    pub fn unused_service_name(&self) -> String {
        let taken = |n: &str| {
            self.services.iter().any(|s| s.name == n)
                || self.compute.iter().any(|c| c.name == n)
                || self.deployments.iter().any(|d| d.service == n)
        };
        if !taken("web") {
            return "web".to_owned();
        }
        (2..).map(|i| format!("web-{i}")).find(|n| !taken(n)).unwrap_or_default()
    }
}

fn read_service(name: &str, node: &SyntaxNode) -> ServiceForm {
    let path = YamlPath::of(&["services", name]);
    let svc = Some(node);
    let mut exposes = Vec::new();
    if let Some(SyntaxNode { kind: SyntaxKind::Seq(items), .. }) = child(svc, "expose") {
        for (i, item) in items.iter().enumerate() {
            if matches!(item.kind, SyntaxKind::Map(_)) {
                exposes.push(read_expose(path.key("expose").index(i), item));
            }
        }
    }
    ServiceForm {
        name: name.to_owned(),
        image: field(child(svc, "image"), path.key("image")),
        command: list_field(child(svc, "command"), path.key("command")),
        args: list_field(child(svc, "args"), path.key("args")),
        env: list_field(child(svc, "env"), path.key("env")),
        exposes,
        path,
    }
}

fn read_expose(path: YamlPath, node: &SyntaxNode) -> ExposeForm {
    let e = Some(node);
    let to = child(e, "to");
    let to_items: &[SyntaxNode] = match to {
        Some(SyntaxNode { kind: SyntaxKind::Seq(items), .. }) => items,
        _ => &[],
    };
    let is_map = |n: &SyntaxNode| matches!(n.kind, SyntaxKind::Map(_));
    let has = |n: &SyntaxNode, k: &str| child(Some(n), k).is_some();
    let to_index = to_items
        .iter()
        .position(|n| is_map(n) && (has(n, "global") || has(n, "ip")))
        .or_else(|| to_items.iter().position(|n| is_map(n) && !has(n, "service")));
    let entry = to_index.map(|i| &to_items[i]);
    let entry_path = path.key("to").index(to_index.unwrap_or(to_items.len()));
    ExposeForm {
        span: node.span,
        port: field(child(e, "port"), path.key("port")),
        as_port: field(child(e, "as"), path.key("as")),
        proto: field(child(e, "proto"), path.key("proto")),
        global: field(entry.and_then(|n| child(Some(n), "global")), entry_path.key("global")),
        ip: field(entry.and_then(|n| child(Some(n), "ip")), entry_path.key("ip")),
        accept: list_field(child(e, "accept"), path.key("accept")),
        to_index,
        path,
    }
}

fn read_compute(name: &str, node: &SyntaxNode) -> ComputeForm {
    let path = YamlPath::of(&["profiles", "compute", name]);
    let resources = child(Some(node), "resources");
    let res = path.key("resources");
    let storage = child(resources, "storage");
    let storage = match storage {
        Some(SyntaxNode { kind: SyntaxKind::Seq(items), .. }) => {
            field(items.first().and_then(|v| child(Some(v), "size")), res.key("storage").index(0).key("size"))
        }
        _ => field(child(storage, "size"), res.key("storage").key("size")),
    };
    ComputeForm {
        name: name.to_owned(),
        cpu: field(child(child(resources, "cpu"), "units"), res.key("cpu").key("units")),
        memory: field(child(child(resources, "memory"), "size"), res.key("memory").key("size")),
        storage,
        path,
    }
}

fn read_placement(name: &str, node: &SyntaxNode) -> PlacementForm {
    let path = YamlPath::of(&["profiles", "placement", name]);
    let attributes = entries(child(Some(node), "attributes"))
        .into_iter()
        .map(|(k, v)| (k.to_owned(), field(Some(v), path.key("attributes").key(k))))
        .collect();
    let pricing = entries(child(Some(node), "pricing"))
        .into_iter()
        .map(|(profile, v)| {
            let p = path.key("pricing").key(profile);
            PriceForm {
                profile: profile.to_owned(),
                denom: field(child(Some(v), "denom"), p.key("denom")),
                amount: field(child(Some(v), "amount"), p.key("amount")),
                path: p,
            }
        })
        .collect();
    PlacementForm { name: name.to_owned(), attributes, pricing, path }
}

/// Which expose field a [`FormEdit::SetExpose`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposeField {
    /// `port`.
    Port,
    /// `as`.
    As,
    /// `proto`.
    Proto,
}

/// One change made in the form.
///
/// Values are the text the user typed; numbers are written plain when they are numbers, and
/// strings plain when that reads back as the same string (else double-quoted). `None` or an
/// empty list removes an optional key. Setting a field to the value it has changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEdit {
    /// `services.<service>.image`.
    SetImage {
        /// Service.
        service: String,
        /// Image.
        image: String,
    },
    /// `services.<service>.command` (empty: removed).
    SetCommand {
        /// Service.
        service: String,
        /// Items.
        items: Vec<String>,
    },
    /// `services.<service>.args` (empty: removed).
    SetArgs {
        /// Service.
        service: String,
        /// Items.
        items: Vec<String>,
    },
    /// `services.<service>.env` (empty: removed).
    SetEnv {
        /// Service.
        service: String,
        /// `NAME=value` items.
        items: Vec<String>,
    },
    /// A new service from the template (nginx, port 80 as 80, global), with a compute profile
    /// of its name, a price in the first placement (in the denom already used there, else
    /// `uact`) and a deployment entry of count 1.
    AddService {
        /// The name.
        name: String,
    },
    /// Removes a service, its deployment entries, the pricing and compute profiles only it
    /// used, and the endpoints only it referenced.
    RemoveService {
        /// The name.
        name: String,
    },
    /// Appends an expose: the next port after the service's highest (80 for the first), `as`
    /// the same, global.
    AddExpose {
        /// Service.
        service: String,
    },
    /// Removes `services.<service>.expose.<index>`.
    RemoveExpose {
        /// Service.
        service: String,
        /// YAML index of the expose.
        index: usize,
    },
    /// Sets (or with `None` removes) `port`, `as` or `proto` of an expose.
    SetExpose {
        /// Service.
        service: String,
        /// YAML index of the expose.
        index: usize,
        /// Which field.
        field: ExposeField,
        /// New text.
        value: Option<String>,
    },
    /// Sets `global` on the expose's global `to` entry (creating `to` and the entry when true).
    SetGlobal {
        /// Service.
        service: String,
        /// YAML index of the expose.
        index: usize,
        /// The value.
        global: bool,
    },
    /// Sets (or removes) `ip` on the expose's global `to` entry, creating `to` and the entry as
    /// needed; an entry without `global` gets `global: true`.
    SetExposeIp {
        /// Service.
        service: String,
        /// YAML index of the expose.
        index: usize,
        /// Endpoint name, `None` for no IP.
        endpoint: Option<String>,
    },
    /// `accept` of an expose (empty: removed).
    SetAccept {
        /// Service.
        service: String,
        /// YAML index of the expose.
        index: usize,
        /// Hosts.
        hosts: Vec<String>,
    },
    /// Adds `endpoints.<name>: {kind: ip}`.
    AddEndpoint {
        /// The name.
        name: String,
    },
    /// Removes an endpoint and every `ip:` naming it.
    RemoveEndpoint {
        /// The name.
        name: String,
    },
    /// `deployment.<service>.<placement>.count`.
    SetCount {
        /// Service.
        service: String,
        /// Placement.
        placement: String,
        /// Count.
        count: String,
    },
    /// `profiles.placement.<placement>.pricing.<profile>.amount` (created if missing).
    SetPrice {
        /// Placement.
        placement: String,
        /// Compute profile.
        profile: String,
        /// Amount.
        amount: String,
    },
    /// `profiles.placement.<placement>.pricing.<profile>.denom` (created if missing).
    SetDenom {
        /// Placement.
        placement: String,
        /// Compute profile.
        profile: String,
        /// Denom.
        denom: String,
    },
    /// `profiles.compute.<profile>.resources.cpu.units`.
    SetCpu {
        /// Compute profile.
        profile: String,
        /// Units.
        units: String,
    },
    /// `profiles.compute.<profile>.resources.memory.size`.
    SetMemory {
        /// Compute profile.
        profile: String,
        /// Size.
        size: String,
    },
    /// `profiles.compute.<profile>.resources.storage.size` (the first volume's in a list).
    SetStorage {
        /// Compute profile.
        profile: String,
        /// Size.
        size: String,
    },
    /// `profiles.placement.<placement>.attributes.<key>` (`None`: removed).
    SetAttribute {
        /// Placement.
        placement: String,
        /// Attribute key.
        key: String,
        /// Value.
        value: Option<String>,
    },
}

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string.
    Str,
    /// A number when it is one (`80`, `0.5`), else a string (`512Mi`).
    Number,
    /// A boolean (`true`/`false`).
    Bool,
}

/// A YAML fragment built by the form, written in block or flow style to fit where it goes.
#[derive(Debug, Clone)]
enum Frag {
    /// Scalar text, already rendered.
    Scalar(String),
    /// A mapping.
    Map(Vec<(String, Frag)>),
    /// A sequence.
    Seq(Vec<Frag>),
}

fn render(value: &str, kind: Kind) -> String {
    match kind {
        Kind::Bool => is_true(value).to_string(),
        Kind::Number if is_number(value) => value.to_owned(),
        _ if plain_ok(value) => value.to_owned(),
        _ => double_quoted(value),
    }
}

/// Plain decimal numbers (`80`, `-1`, `0.5`): what a number field writes without quotes.
fn is_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

fn key_text(key: &str) -> String {
    if plain_ok(key) { key.to_owned() } else { double_quoted(key) }
}

impl Frag {
    fn str(value: &str, kind: Kind) -> Self {
        Self::Scalar(render(value, kind))
    }

    fn map(entries: Vec<(&str, Frag)>) -> Self {
        Self::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// Block style: `k: v` lines, `- item` lines, nested by two spaces.
    fn block(&self) -> String {
        match self {
            Self::Scalar(s) => s.clone(),
            Self::Map(entries) if entries.is_empty() => "{}".to_owned(),
            Self::Seq(items) if items.is_empty() => "[]".to_owned(),
            Self::Map(entries) => entries
                .iter()
                .map(|(k, v)| match v {
                    Self::Scalar(_) => format!("{}: {}", key_text(k), v.block()),
                    Self::Map(e) if e.is_empty() => format!("{}: {{}}", key_text(k)),
                    Self::Seq(i) if i.is_empty() => format!("{}: []", key_text(k)),
                    _ => format!("{}:\n{}", key_text(k), indent(&v.block(), "  ", "  ")),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Seq(items) => {
                items.iter().map(|v| format!("- {}", indent(&v.block(), "", "  "))).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// Flow style: `{k: v}`, `[a, b]`.
    fn flow(&self) -> String {
        match self {
            Self::Scalar(s) => s.clone(),
            Self::Map(entries) => format!(
                "{{{}}}",
                entries.iter().map(|(k, v)| format!("{}: {}", key_text(k), v.flow())).collect::<Vec<_>>().join(", ")
            ),
            Self::Seq(items) => format!("[{}]", items.iter().map(Self::flow).collect::<Vec<_>>().join(", ")),
        }
    }
}

fn indent(text: &str, first: &str, rest: &str) -> String {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| format!("{}{line}", if i == 0 { first } else { rest }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error for a path that does not resolve: how far it got.
fn not_found(doc: &Document, path: &YamlPath) -> EditError {
    let steps = path.segments();
    let mut depth = 0;
    let mut span = doc.root().span;
    for d in 0..=steps.len() {
        match doc.get(&steps[..d]) {
            Some(node) => {
                depth = d;
                span = node.span;
            }
            None => break,
        }
    }
    EditError::NotFound { depth, span }
}

fn require(doc: &Document, path: &YamlPath) -> Result<(), EditError> {
    match doc.get(&path.segments()) {
        Some(_) => Ok(()),
        None => Err(not_found(doc, path)),
    }
}

fn flow_at(doc: &Document, node: &SyntaxNode) -> bool {
    is_flow(doc.text(), node)
}

/// Adds `key: frag` to the mapping at `parent`, creating missing mappings on the way (as
/// block entries of their parents); an empty mapping gets the entry in block style.
fn put(doc: &mut Document, parent: &YamlPath, key: &str, frag: Frag) -> Result<(), EditError> {
    let Some(node) = doc.get(&parent.segments()) else {
        return match parent.parent() {
            Some((up, Step::Key(k))) => {
                let k = k.clone();
                put(doc, &up, &k, Frag::Map(vec![(key.to_owned(), frag)]))
            }
            _ => Err(not_found(doc, parent)),
        };
    };
    let empty = match &node.kind {
        SyntaxKind::Map(entries) => entries.is_empty(),
        _ => is_null(node),
    };
    let flow = flow_at(doc, node);
    let whole = Frag::Map(vec![(key.to_owned(), frag.clone())]);
    if empty {
        // `key: {}` / `key:` → the entry on the lines below, in block style.
        return doc.set_block(&parent.segments(), &whole.block());
    }
    let text = if flow { frag.flow() } else { frag.block() };
    doc.insert(&parent.segments(), key, &text)
}

/// Appends `frag` to the sequence at `path` (an empty or null one is replaced by a block
/// sequence).
fn push(doc: &mut Document, path: &YamlPath, frag: Frag) -> Result<(), EditError> {
    let Some(node) = doc.get(&path.segments()) else {
        return Err(not_found(doc, path));
    };
    let empty = match &node.kind {
        SyntaxKind::Seq(items) => items.is_empty(),
        _ => is_null(node),
    };
    if empty {
        return doc.set_block(&path.segments(), &Frag::Seq(vec![frag]).block());
    }
    let text = if flow_at(doc, node) { frag.flow() } else { frag.block() };
    doc.append(&path.segments(), &text)
}

/// Sets the scalar at `path` (whose parent mapping is created if missing) to `value`; `None`
/// removes the key. The same value changes nothing.
fn set_field(doc: &mut Document, path: &YamlPath, value: Option<&str>, kind: Kind) -> Result<(), EditError> {
    let Some((parent, Step::Key(key))) = path.parent() else {
        return Err(not_found(doc, path));
    };
    let current = doc.get(&path.segments()).cloned();
    match (current, value) {
        (None, None) => Ok(()),
        (Some(_), None) => doc.remove(&path.segments()),
        (None, Some(v)) => {
            let key = key.clone();
            put(doc, &parent, &key, Frag::str(v, kind))
        }
        (Some(node), Some(v)) => {
            if let SyntaxKind::Scalar { value: now, plain } = &node.kind {
                let same = match kind {
                    Kind::Bool => *plain && is_bool_word(now) && is_true(now) == is_true(v),
                    _ => now == v,
                };
                if same {
                    return Ok(());
                }
                // A quoted number stays quoted; anything else is written by kind.
                let value = match kind {
                    Kind::Bool => ScalarValue::Bool(is_true(v)),
                    Kind::Number if *plain => {
                        if let Ok(i) = v.parse::<i64>() {
                            ScalarValue::Int(i)
                        } else if is_number(v) {
                            return doc.set_block(&path.segments(), v);
                        } else {
                            ScalarValue::Str(v.to_owned())
                        }
                    }
                    _ => ScalarValue::Str(v.to_owned()),
                };
                return doc.set_scalar(&path.segments(), value);
            }
            doc.set_block(&path.segments(), &render(v, kind))
        }
    }
}

/// Makes the sequence at `path` hold `items`: changed items set in place, new ones appended,
/// surplus ones removed from the end; an empty list removes the key.
fn set_list(doc: &mut Document, path: &YamlPath, items: &[String]) -> Result<(), EditError> {
    let Some((parent, Step::Key(key))) = path.parent() else {
        return Err(not_found(doc, path));
    };
    let Some(node) = doc.get(&path.segments()).cloned() else {
        if items.is_empty() {
            return Ok(());
        }
        let key = key.clone();
        return put(doc, &parent, &key, Frag::Seq(items.iter().map(|i| Frag::str(i, Kind::Str)).collect()));
    };
    if items.is_empty() {
        return doc.remove(&path.segments());
    }
    let SyntaxKind::Seq(current) = &node.kind else {
        let frag = Frag::Seq(items.iter().map(|i| Frag::str(i, Kind::Str)).collect());
        return doc.set_block(&path.segments(), &frag.block());
    };
    for (i, item) in items.iter().enumerate().take(current.len()) {
        if scalar(Some(&current[i])).as_deref() != Some(item.as_str()) {
            doc.set_scalar(&path.index(i).segments(), ScalarValue::Str(item.clone()))?;
        }
    }
    for item in items.iter().skip(current.len()) {
        push(doc, path, Frag::str(item, Kind::Str))?;
    }
    for i in (items.len()..current.len()).rev() {
        doc.remove(&path.index(i).segments())?;
    }
    Ok(())
}

/// The expose `index` of `service`, as the form reads it now.
fn expose(doc: &Document, service: &str, index: usize) -> Result<ExposeForm, EditError> {
    let path = YamlPath::of(&["services", service, "expose"]).index(index);
    let node = doc.get(&path.segments()).ok_or_else(|| not_found(doc, &path))?;
    Ok(read_expose(path, node))
}

/// The expose's global `to` entry, created (with `global: true` and `extra`) when missing.
/// Returns true when it created the entry.
fn global_entry(doc: &mut Document, e: &ExposeForm, extra: Option<(&str, Frag)>) -> Result<bool, EditError> {
    if e.to_index.is_some() {
        return Ok(false);
    }
    let mut entry = vec![("global", Frag::Scalar("true".to_owned()))];
    entry.extend(extra);
    let entry = Frag::map(entry);
    let to = e.path.key("to");
    match doc.get(&to.segments()) {
        None => put(doc, &e.path, "to", Frag::Seq(vec![entry]))?,
        Some(SyntaxNode { kind: SyntaxKind::Seq(_), .. }) => push(doc, &to, entry)?,
        Some(n) if is_null(n) => push(doc, &to, entry)?,
        Some(_) => doc.set_block(&to.segments(), &Frag::Seq(vec![entry]).block())?,
    }
    Ok(true)
}

const TEMPLATE_IMAGE: &str = "nginx:1.27";
const TEMPLATE_PLACEMENT: &str = "dcloud";
const TEMPLATE_DENOM: &str = "uact";

fn template_service(port: u32) -> Frag {
    Frag::map(vec![("image", Frag::str(TEMPLATE_IMAGE, Kind::Str)), ("expose", Frag::Seq(vec![template_expose(port)]))])
}

fn template_expose(port: u32) -> Frag {
    Frag::map(vec![
        ("port", Frag::Scalar(port.to_string())),
        ("as", Frag::Scalar(port.to_string())),
        ("to", Frag::Seq(vec![Frag::map(vec![("global", Frag::Scalar("true".to_owned()))])])),
    ])
}

fn template_resources() -> Frag {
    Frag::map(vec![(
        "resources",
        Frag::map(vec![
            ("cpu", Frag::map(vec![("units", Frag::Scalar("0.5".to_owned()))])),
            ("memory", Frag::map(vec![("size", Frag::Scalar("512Mi".to_owned()))])),
            ("storage", Frag::map(vec![("size", Frag::Scalar("1Gi".to_owned()))])),
        ]),
    )])
}

fn template_price(denom: &str) -> Frag {
    Frag::map(vec![("denom", Frag::str(denom, Kind::Str)), ("amount", Frag::Scalar("1000".to_owned()))])
}

fn template_deployment(profile: &str) -> Frag {
    Frag::map(vec![("profile", Frag::str(profile, Kind::Str)), ("count", Frag::Scalar("1".to_owned()))])
}

/// A minimal valid SDL: one service `web` (nginx, port 80 as 80, global, no IP endpoint),
/// priced in `uact`.
#[must_use]
pub fn new_sdl_template() -> String {
    let root = Frag::map(vec![
        ("services", Frag::map(vec![("web", template_service(80))])),
        (
            "profiles",
            Frag::map(vec![
                ("compute", Frag::map(vec![("web", template_resources())])),
                (
                    "placement",
                    Frag::map(vec![(
                        TEMPLATE_PLACEMENT,
                        Frag::map(vec![("pricing", Frag::map(vec![("web", template_price(TEMPLATE_DENOM))]))]),
                    )]),
                ),
            ]),
        ),
        ("deployment", Frag::map(vec![("web", Frag::map(vec![(TEMPLATE_PLACEMENT, template_deployment("web"))]))])),
    ]);
    let Frag::Map(sections) = root else { return String::new() };
    let mut out = String::from("version: \"2.0\"\n");
    for (key, value) in sections {
        out.push('\n');
        out.push_str(&Frag::Map(vec![(key, value)]).block());
        out.push('\n');
    }
    out
}

/// Applies one form change to `doc`. On an error, edits already made by this change stay (each
/// is a valid document); callers that want all-or-nothing apply to a clone.
///
/// # Errors
///
/// The [`EditError`] of the first document edit that failed: a name or index that does not
/// exist, a node from an alias or merge key, a result that does not parse.
pub fn apply(doc: &mut Document, edit: &FormEdit) -> Result<(), EditError> {
    let svc = |name: &str| YamlPath::of(&["services", name]);
    match edit {
        FormEdit::SetImage { service, image } => {
            require(doc, &svc(service))?;
            set_field(doc, &svc(service).key("image"), Some(image), Kind::Str)
        }
        FormEdit::SetCommand { service, items } => list_edit(doc, &svc(service), "command", items),
        FormEdit::SetArgs { service, items } => list_edit(doc, &svc(service), "args", items),
        FormEdit::SetEnv { service, items } => list_edit(doc, &svc(service), "env", items),
        FormEdit::AddService { name } => add_service(doc, name),
        FormEdit::RemoveService { name } => remove_service(doc, name),
        FormEdit::AddExpose { service } => {
            let path = svc(service);
            require(doc, &path)?;
            let form = read_service(service, doc.get(&path.segments()).ok_or_else(|| not_found(doc, &path))?);
            let port = form
                .exposes
                .iter()
                .filter_map(|e| e.port.value.as_deref()?.parse::<u32>().ok())
                .max()
                .map_or(80, |p| p.saturating_add(1).min(65535));
            let list = path.key("expose");
            if doc.get(&list.segments()).is_none() {
                put(doc, &path, "expose", Frag::Seq(vec![template_expose(port)]))
            } else {
                push(doc, &list, template_expose(port))
            }
        }
        FormEdit::RemoveExpose { service, index } => {
            let path = svc(service).key("expose").index(*index);
            require(doc, &path)?;
            doc.remove(&path.segments())
        }
        FormEdit::SetExpose { service, index, field, value } => {
            let e = expose(doc, service, *index)?;
            let (f, kind) = match field {
                ExposeField::Port => (&e.port, Kind::Number),
                ExposeField::As => (&e.as_port, Kind::Number),
                ExposeField::Proto => (&e.proto, Kind::Str),
            };
            set_field(doc, &f.path, value.as_deref(), kind)
        }
        FormEdit::SetGlobal { service, index, global } => {
            let e = expose(doc, service, *index)?;
            if e.to_index.is_none() && !global {
                return Ok(());
            }
            if global_entry(doc, &e, None)? {
                return Ok(());
            }
            set_field(doc, &e.global.path, Some(if *global { "true" } else { "false" }), Kind::Bool)
        }
        FormEdit::SetExposeIp { service, index, endpoint } => {
            let e = expose(doc, service, *index)?;
            if e.ip.value == *endpoint {
                return Ok(());
            }
            let Some(endpoint) = endpoint else {
                return set_field(doc, &e.ip.path, None, Kind::Str);
            };
            if global_entry(doc, &e, Some(("ip", Frag::str(endpoint, Kind::Str))))? {
                return Ok(());
            }
            if e.global.value.is_none() {
                set_field(doc, &e.global.path, Some("true"), Kind::Bool)?;
            }
            set_field(doc, &e.ip.path, Some(endpoint), Kind::Str)
        }
        FormEdit::SetAccept { service, index, hosts } => {
            let e = expose(doc, service, *index)?;
            set_list(doc, &e.accept.path, hosts)
        }
        FormEdit::AddEndpoint { name } => {
            put(doc, &YamlPath::of(&["endpoints"]), name, Frag::map(vec![("kind", Frag::Scalar("ip".to_owned()))]))
        }
        FormEdit::RemoveEndpoint { name } => {
            let path = YamlPath::of(&["endpoints", name]);
            require(doc, &path)?;
            for (_, ip_path, _) in ip_refs(doc).into_iter().filter(|(_, _, ip)| ip == name) {
                doc.remove(&ip_path.segments())?;
            }
            doc.remove(&path.segments())
        }
        FormEdit::SetCount { service, placement, count } => {
            let path = YamlPath::of(&["deployment", service, placement]);
            require(doc, &path)?;
            set_field(doc, &path.key("count"), Some(count), Kind::Number)
        }
        FormEdit::SetPrice { placement, profile, amount } => {
            price_edit(doc, placement, profile, "amount", amount, Kind::Number)
        }
        FormEdit::SetDenom { placement, profile, denom } => {
            price_edit(doc, placement, profile, "denom", denom, Kind::Str)
        }
        FormEdit::SetCpu { profile, units } => compute_edit(doc, profile, |c| &c.cpu, units),
        FormEdit::SetMemory { profile, size } => compute_edit(doc, profile, |c| &c.memory, size),
        FormEdit::SetStorage { profile, size } => compute_edit(doc, profile, |c| &c.storage, size),
        FormEdit::SetAttribute { placement, key, value } => {
            let path = YamlPath::of(&["profiles", "placement", placement]);
            require(doc, &path)?;
            set_field(doc, &path.key("attributes").key(key), value.as_deref(), Kind::Str)
        }
    }
}

fn list_edit(doc: &mut Document, service: &YamlPath, key: &str, items: &[String]) -> Result<(), EditError> {
    require(doc, service)?;
    set_list(doc, &service.key(key), items)
}

fn price_edit(
    doc: &mut Document,
    placement: &str,
    profile: &str,
    key: &str,
    value: &str,
    kind: Kind,
) -> Result<(), EditError> {
    let path = YamlPath::of(&["profiles", "placement", placement]);
    require(doc, &path)?;
    set_field(doc, &path.key("pricing").key(profile).key(key), Some(value), kind)
}

fn compute_edit(
    doc: &mut Document,
    profile: &str,
    pick: impl Fn(&ComputeForm) -> &Field,
    value: &str,
) -> Result<(), EditError> {
    let path = YamlPath::of(&["profiles", "compute", profile]);
    let node = doc.get(&path.segments()).ok_or_else(|| not_found(doc, &path))?;
    let form = read_compute(profile, node);
    set_field(doc, &pick(&form).path, Some(value), Kind::Number)
}

fn add_service(doc: &mut Document, name: &str) -> Result<(), EditError> {
    let form = Form::read(doc);
    if let Some(existing) = doc.get(&YamlPath::of(&["services", name]).segments()) {
        return Err(EditError::KeyExists { span: existing.span });
    }
    put(doc, &YamlPath::of(&["services"]), name, template_service(80))?;
    if form.compute_profile(name).is_none() {
        put(doc, &YamlPath::of(&["profiles", "compute"]), name, template_resources())?;
    }
    let placement = form.placements.first();
    let placement_name = placement.map_or(TEMPLATE_PLACEMENT, |p| p.name.as_str());
    if form.price(placement_name, name).is_none() {
        let denom = placement
            .and_then(|p| p.pricing.iter().find_map(|price| price.denom.value.clone()))
            .unwrap_or_else(|| TEMPLATE_DENOM.to_owned());
        put(doc, &YamlPath::of(&["profiles", "placement", placement_name, "pricing"]), name, template_price(&denom))?;
    }
    let deployment = YamlPath::of(&["deployment", name]);
    if doc.get(&deployment.segments()).is_none() {
        put(doc, &YamlPath::of(&["deployment"]), name, Frag::map(vec![(placement_name, template_deployment(name))]))?;
    }
    Ok(())
}

/// Every `services.<s>.expose.<i>.to.<j>.ip`: service, path and endpoint name.
fn ip_refs(doc: &Document) -> Vec<(String, YamlPath, String)> {
    let mut out = Vec::new();
    for (service, node) in entries(child(Some(doc.root()), "services")) {
        let Some(SyntaxNode { kind: SyntaxKind::Seq(exposes), .. }) = child(Some(node), "expose") else { continue };
        for (i, e) in exposes.iter().enumerate() {
            let Some(SyntaxNode { kind: SyntaxKind::Seq(to), .. }) = child(Some(e), "to") else { continue };
            for (j, entry) in to.iter().enumerate() {
                if let Some(ip) = scalar(child(Some(entry), "ip")) {
                    let path = YamlPath::of(&["services", service, "expose"]).index(i).key("to").index(j).key("ip");
                    out.push((service.to_owned(), path, ip));
                }
            }
        }
    }
    out
}

fn remove_service(doc: &mut Document, name: &str) -> Result<(), EditError> {
    let form = Form::read(doc);
    let path = YamlPath::of(&["services", name]);
    require(doc, &path)?;
    let (mine, others): (Vec<&DeploymentForm>, Vec<&DeploymentForm>) =
        form.deployments.iter().partition(|d| d.service == name);
    let refs = ip_refs(doc);
    let orphans: Vec<&EndpointForm> = form
        .endpoints
        .iter()
        .filter(|ep| {
            let users = |mine: bool| refs.iter().any(|(s, _, ip)| (s == name) == mine && *ip == ep.name);
            users(true) && !users(false)
        })
        .collect();
    doc.remove(&path.segments())?;
    let deployment = YamlPath::of(&["deployment", name]);
    if doc.get(&deployment.segments()).is_some() {
        doc.remove(&deployment.segments())?;
    }
    for d in &mine {
        let Some(profile) = d.profile.value.as_deref() else { continue };
        let shared = others.iter().any(|o| o.placement == d.placement && o.profile.value.as_deref() == Some(profile));
        if let Some(price) = form.price(&d.placement, profile)
            && !shared
            && doc.get(&price.path.segments()).is_some()
        {
            doc.remove(&price.path.segments())?;
        }
        let used = others.iter().any(|o| o.profile.value.as_deref() == Some(profile));
        if let Some(compute) = form.compute_profile(profile)
            && !used
            && doc.get(&compute.path.segments()).is_some()
        {
            doc.remove(&compute.path.segments())?;
        }
    }
    for ep in orphans {
        doc.remove(&ep.path.segments())?;
    }
    Ok(())
}
