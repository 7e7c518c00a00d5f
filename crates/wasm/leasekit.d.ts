/* tslint:disable */
/* eslint-disable */
/**
 * A 1-based line and column.
 */
export interface Position {
    /**
     * 1-based line.
     */
    line: number;
    /**
     * 1-based column in the requested encoding.
     */
    column: number;
    /**
     * 1-based column in UTF-16 code units.
     */
    columnUtf16: number;
}

/**
 * A decimal number as a string (Go `ResourceValue`).
 */
export interface ResourceValue {
    /**
     * Decimal digits.
     */
    val: string;
}

/**
 * A declared (or released, purged, kept) IP port.
 */
export interface SimDeclaration {
    /**
     * Endpoint.
     */
    endpoint: string;
    /**
     * Target service.
     */
    service: string;
    /**
     * Protocol.
     */
    proto: "TCP" | "UDP";
    /**
     * Port on the IP.
     */
    externalPort: number;
    /**
     * Container port.
     */
    port: number;
    /**
     * `owner/dseq/gseq/oseq` holding it.
     */
    lease: string;
    /**
     * Its address; null while pending.
     */
    ip: string | null;
    /**
     * The lease it came from (migrate).
     */
    from?: string;
    /**
     * The address it had before (migrate).
     */
    previousIp?: string | null;
}

/**
 * A half-open range of offsets into the SDL text.
 */
export interface Span {
    /**
     * First offset.
     */
    start: number;
    /**
     * One past the last.
     */
    end: number;
}

/**
 * A key/value attribute; Go omits empty strings.
 */
export interface Attribute {
    /**
     * Key.
     */
    key?: string;
    /**
     * Value.
     */
    value?: string;
}

/**
 * A lease's order.
 */
export interface OrderId {
    /**
     * Deployment sequence.
     */
    dseq: number;
    /**
     * Group sequence (default 1).
     */
    gseq?: number;
    /**
     * Order sequence (default 1).
     */
    oseq?: number;
}

/**
 * A manifest expose.
 */
export interface Expose {
    /**
     * Container port.
     */
    port: number;
    /**
     * The SDL `as`; 0 = same as `port`.
     */
    externalPort: number;
    /**
     * Protocol.
     */
    proto: "TCP" | "UDP";
    /**
     * Target service, or "".
     */
    service: string;
    /**
     * Reachable from outside.
     */
    global: boolean;
    /**
     * Accepted hostnames.
     */
    hosts: string[] | null;
    /**
     * HTTP options.
     */
    httpOptions: HttpOptions;
    /**
     * IP endpoint name, or "".
     */
    ip: string;
    /**
     * The IP endpoint's sequence number, or 0.
     */
    endpointSequenceNumber: number;
}

/**
 * A manifest group.
 */
export interface Group {
    /**
     * Placement name.
     */
    name: string;
    /**
     * Services.
     */
    services: Service[];
}

/**
 * A manifest service.
 */
export interface Service {
    /**
     * Name.
     */
    name: string;
    /**
     * Image.
     */
    image: string;
    /**
     * Command.
     */
    command: string[] | null;
    /**
     * Args.
     */
    args: string[] | null;
    /**
     * `NAME=value`.
     */
    env: string[] | null;
    /**
     * Resources.
     */
    resources: Resources;
    /**
     * Replicas.
     */
    count: number;
    /**
     * Exposes.
     */
    expose: Expose[];
    /**
     * Params.
     */
    params?: Params;
    /**
     * Credentials.
     */
    credentials: Credentials | null;
}

/**
 * A mount.
 */
export interface StorageParams {
    /**
     * Volume.
     */
    name: string;
    /**
     * Path.
     */
    mount: string;
    /**
     * Read-only.
     */
    readOnly: boolean;
}

/**
 * A port the provider withheld because another lease holds it.
 */
export interface SimWithheld {
    /**
     * Endpoint.
     */
    endpoint: string;
    /**
     * Service.
     */
    service: string;
    /**
     * Protocol.
     */
    proto: "TCP" | "UDP";
    /**
     * Port on the IP.
     */
    externalPort: number;
    /**
     * Container port.
     */
    port: number;
    /**
     * The lease holding it.
     */
    heldBy: string;
}

/**
 * A port the provider would withhold although Akash's SDL check accepts the SDL.
 */
export interface PlanConflict {
    /**
     * Endpoint.
     */
    endpoint: string;
    /**
     * Protocol.
     */
    proto: "TCP" | "UDP";
    /**
     * External port.
     */
    externalPort: number;
    /**
     * The binding that gets the port.
     */
    kept: PlanBinding;
    /**
     * The binding the provider withholds.
     */
    withheld: PlanBinding;
    /**
     * Explanation.
     */
    message: string;
}

/**
 * A price.
 */
export interface DecCoin {
    /**
     * Denomination.
     */
    denom: string;
    /**
     * Decimal with 18 fractional digits.
     */
    amount: string;
}

/**
 * A provider scenario for `simulate()`.
 */
export interface Scenario {
    /**
     * The provider's MetalLB pool, IPv4 addresses.
     */
    pool: string[];
    /**
     * Whether the provider runs an IP operator (default true).
     */
    ipSupport?: boolean;
    /**
     * Reproduce upstream quirks instead of warning about them (default false).
     */
    faithful?: boolean;
    /**
     * Steps, run in order.
     */
    steps: ScenarioStep[];
}

/**
 * A replacement of a span of the SDL text, located like a diagnostic (offsets in the requested
 * encoding: with `"utf16"`, `text.slice(0, span.start) + replacement + text.slice(span.end)`).
 */
export interface TextEdit {
    /**
     * The text replaced (empty for an insertion).
     */
    span: Span;
    /**
     * Where it starts.
     */
    start: Position;
    /**
     * Where it ends.
     */
    end: Position;
    /**
     * What replaces it.
     */
    replacement: string;
}

/**
 * A resource endpoint: `kind` 1 = random port, 2 = leased IP; absent = shared HTTP ingress.
 */
export interface Endpoint {
    /**
     * 1 (RANDOM_PORT) or 2 (LEASED_IP); Go omits 0 (SHARED_HTTP).
     */
    kind?: 1 | 2;
    /**
     * The leased IP's sequence number, else 0.
     */
    sequence_number: number;
}

/**
 * A resource unit of a GroupSpec.
 */
export interface ResourceUnit {
    /**
     * Resources.
     */
    resource: Resources;
    /**
     * Replicas.
     */
    count: number;
    /**
     * Max price per block per replica.
     */
    price: DecCoin;
}

/**
 * A span of an IP plan item, like a diagnostic's.
 */
export interface PlanSpan {
    /**
     * First offset (in the requested encoding).
     */
    start: number;
    /**
     * One past the last.
     */
    end: number;
    /**
     * 1-based line.
     */
    line: number;
    /**
     * 1-based column in the requested encoding.
     */
    column: number;
    /**
     * 1-based column in UTF-16 code units.
     */
    columnUtf16: number;
}

/**
 * A storage volume.
 */
export interface Volume {
    /**
     * Name.
     */
    name: string;
    /**
     * Bytes.
     */
    size: ResourceValue;
    /**
     * `class` and `persistent`.
     */
    attributes?: Attribute[];
}

/**
 * An IP endpoint and what is bound to it.
 */
export interface PlanEndpoint {
    /**
     * Endpoint name.
     */
    name: string;
    /**
     * Go's sequence number (the LEASED_IP endpoint's `sequence_number`).
     */
    sequenceNumber: number;
    /**
     * Bindings, in the order the provider declares them.
     */
    bindings: PlanBinding[];
}

/**
 * An error a step met (with the provider's HTTP status where it has one).
 */
export interface SimError {
    /**
     * Text.
     */
    message: string;
    /**
     * HTTP status.
     */
    status?: number;
}

/**
 * An on-chain GroupSpec.
 */
export interface GroupSpec {
    /**
     * Placement name.
     */
    name: string;
    /**
     * Requirements.
     */
    requirements: Requirements;
    /**
     * Units.
     */
    resources: ResourceUnit[];
}

/**
 * Auditors.
 */
export interface SignedBy {
    /**
     * All of.
     */
    all_of: string[] | null;
    /**
     * Any of.
     */
    any_of: string[] | null;
}

/**
 * CPU in millicores.
 */
export interface Cpu {
    /**
     * Millicores.
     */
    units: ResourceValue;
    /**
     * Attributes.
     */
    attributes?: Attribute[];
}

/**
 * Error or warning.
 */
export type Severity = "error" | "warning";

/**
 * GPUs.
 */
export interface Gpu {
    /**
     * Count.
     */
    units: ResourceValue;
    /**
     * `vendor/nvidia/model/...`.
     */
    attributes?: Attribute[];
}

/**
 * HTTP ingress options.
 */
export interface HttpOptions {
    /**
     * Bytes.
     */
    maxBodySize: number;
    /**
     * Milliseconds.
     */
    readTimeout: number;
    /**
     * Milliseconds.
     */
    sendTimeout: number;
    /**
     * Count.
     */
    nextTries: number;
    /**
     * Milliseconds.
     */
    nextTimeout: number;
    /**
     * Cases.
     */
    nextCases?: string[];
    /**
     * Bytes; absent = the provider's default.
     */
    proxyBufferSize?: number;
}

/**
 * How `span` offsets and `column`s count: UTF-8 bytes (the CLI's default) or UTF-16 code
 * units (JavaScript string indices, what browser editors use).
 */
export type PositionEncoding = "utf8" | "utf16";

/**
 * Log/event read permissions.
 */
export interface Permissions {
    /**
     * What may be read.
     */
    read?: string[];
}

/**
 * Memory in bytes.
 */
export interface Memory {
    /**
     * Bytes.
     */
    size: ResourceValue;
    /**
     * Attributes.
     */
    attributes?: Attribute[];
}

/**
 * One entry of the provider's lease-status `ips` object.
 */
export interface LeaseIp {
    /**
     * Container port.
     */
    Port: number;
    /**
     * Port on the IP.
     */
    ExternalPort: number;
    /**
     * `TCP` or `UDP`.
     */
    Protocol: string;
    /**
     * The address.
     */
    IP: string;
}

/**
 * One expose onto a leased IP.
 */
export interface PlanBinding {
    /**
     * Placement group.
     */
    group: string;
    /**
     * Service.
     */
    service: string;
    /**
     * Container port.
     */
    port: number;
    /**
     * The port opened on the IP (`as`, else `port`).
     */
    externalPort: number;
    /**
     * Protocol.
     */
    proto: "TCP" | "UDP";
    /**
     * The expose in the SDL.
     */
    span: PlanSpan;
}

/**
 * One finding about an SDL.
 */
export interface Diagnostic {
    /**
     * A stable kebab-case identifier, e.g. `"unknown-endpoint"`.
     */
    code: Code;
    /**
     * Error or warning.
     */
    severity: Severity;
    /**
     * What is wrong and what is expected, in plain words.
     */
    message: string;
    /**
     * Akash's Go reference's exact text for this problem, where Go reports it.
     */
    go: string | null;
    /**
     * How to fix it.
     */
    hint: string | null;
    /**
     * True on the one error Akash's Go reference would return.
     */
    reference: boolean;
    /**
     * Where.
     */
    span: Span;
    /**
     * Where it starts.
     */
    start: Position;
    /**
     * Where it ends.
     */
    end: Position;
    /**
     * Edits that resolve it; empty when there is no clean edit.
     */
    fixes: Fix[];
    /**
     * Follow-on errors this one explains (they go away with it), located alike.
     */
    folded: Diagnostic[];
}

/**
 * One step of a scenario; which fields an op reads is in the package README.
 */
export interface ScenarioStep {
    /**
     * What happens.
     */
    op: "bid" | "deploy" | "update" | "close" | "migrate" | "status";
    /**
     * The tenant's address.
     */
    owner?: string;
    /**
     * Deployment sequence.
     */
    dseq?: number;
    /**
     * Group sequence.
     */
    gseq?: number;
    /**
     * Order sequence.
     */
    oseq?: number;
    /**
     * The SDL (bid, deploy, update).
     */
    sdl?: string;
    /**
     * Endpoint names (migrate).
     */
    endpoints?: string[];
    /**
     * Where endpoints migrate to.
     */
    destination?: OrderId;
}

/**
 * One way to resolve a diagnostic by editing the SDL.
 */
export interface Fix {
    /**
     * What it does, e.g. `"Price in uact (same amount)"`.
     */
    label: string;
    /**
     * True when it can be applied without asking; false for a suggestion to review.
     */
    safe: boolean;
    /**
     * Non-overlapping edits, every span into the text that was checked.
     */
    edits: TextEdit[];
}

/**
 * Options of `check` and `build`.
 */
export interface Options {
    /**
     * Default `"utf8"`.
     */
    positionEncoding?: PositionEncoding;
}

/**
 * Provider requirements.
 */
export interface Requirements {
    /**
     * Auditors.
     */
    signed_by: SignedBy;
    /**
     * Attributes.
     */
    attributes: Attribute[] | null;
}

/**
 * Registry credentials.
 */
export interface Credentials {
    /**
     * Host.
     */
    host: string;
    /**
     * Email.
     */
    email: string;
    /**
     * User.
     */
    username: string;
    /**
     * Password.
     */
    password: string;
}

/**
 * Service parameters.
 */
export interface Params {
    /**
     * Mounts.
     */
    storage: StorageParams[] | null;
    /**
     * Permissions.
     */
    permissions?: Permissions;
    /**
     * TEE.
     */
    tee?: Tee;
}

/**
 * Something about the IP setup a tenant should know.
 */
export interface PlanWarning {
    /**
     * Stable identifier.
     */
    code: string;
    /**
     * Explanation.
     */
    message: string;
    /**
     * Where, if it is about one expose.
     */
    span?: PlanSpan;
}

/**
 * TEE settings.
 */
export interface Tee {
    /**
     * `cpu` or `cpu-gpu`.
     */
    type: string;
    /**
     * Always true.
     */
    attestation: boolean;
}

/**
 * The resources of one unit.
 */
export interface Resources {
    /**
     * Unit id within the group.
     */
    id: number;
    /**
     * CPU.
     */
    cpu?: Cpu;
    /**
     * Memory.
     */
    memory?: Memory;
    /**
     * Volumes.
     */
    storage?: Volume[];
    /**
     * GPUs.
     */
    gpu: Gpu;
    /**
     * Endpoints.
     */
    endpoints: Endpoint[];
}

/**
 * The result of `build()`.
 */
export type BuildResult = BuildOk | BuildErr;

/**
 * The result of `planIps()`.
 */
export type PlanResult = PlanOk | BuildErr;

/**
 * The result of one scenario step; which fields appear depends on the op.
 */
export interface SimulationStep {
    /**
     * 1-based step number.
     */
    step: number;
    /**
     * The op.
     */
    op: string;
    /**
     * The step's error, if it failed (nothing changed).
     */
    error?: SimError;
    /**
     * bid: whether the provider bids.
     */
    bid?: boolean;
    /**
     * bid: IPs the order needs.
     */
    ipsNeeded?: number;
    /**
     * bid: IPs the provider has free.
     */
    available?: number;
    /**
     * deploy/update/migrate: new declarations.
     */
    declared?: SimDeclaration[];
    /**
     * deploy/update: declarations kept.
     */
    kept?: SimDeclaration[];
    /**
     * deploy/update: ports withheld.
     */
    withheld?: SimWithheld[];
    /**
     * update: declarations purged.
     */
    purged?: SimDeclaration[];
    /**
     * Pending ports that got a freed address.
     */
    assigned?: SimDeclaration[];
    /**
     * close: declarations released.
     */
    released?: SimDeclaration[];
    /**
     * migrate: endpoints transferred.
     */
    transferred?: string[];
    /**
     * migrate: declarations moved.
     */
    moved?: SimDeclaration[];
    /**
     * status: the lease-status `ips` object (null when not computed, `{}` when empty).
     */
    ips?: Record<string, LeaseIp[]> | null;
    /**
     * Upstream quirks this step ran into.
     */
    warnings?: string[];
    /**
     * Addresses MetalLB counts as used.
     */
    inUse: number;
    /**
     * Address → the declarations on it.
     */
    addresses: Record<string, string[]>;
}

/**
 * What one order asks of a bidder.
 */
export interface PlanGroup {
    /**
     * Placement group.
     */
    name: string;
    /**
     * IPv4 addresses the provider must have free.
     */
    ipsNeeded: number;
}

/**
 * `build()` of an SDL with errors.
 */
export interface BuildErr {
    /**
     * Always `false`.
     */
    ok: false;
    /**
     * Errors; the one Akash's Go reference reports first, marked `reference`.
     */
    errors: Diagnostic[];
    /**
     * Warnings.
     */
    warnings: Diagnostic[];
}

/**
 * `build()` of an SDL without errors.
 */
export interface BuildOk {
    /**
     * Always `true`.
     */
    ok: true;
    /**
     * The manifest version (deployment hash), 64 lowercase hex digits.
     */
    version: string;
    /**
     * The provider manifest.
     */
    manifest: Group[];
    /**
     * The on-chain GroupSpecs.
     */
    groupSpecs: GroupSpec[];
    /**
     * Warnings.
     */
    warnings: Diagnostic[];
    /**
     * The manifest as the provider receives it (compact JSON, Go field order).
     */
    manifestJson: string;
    /**
     * The manifest text the version is the SHA-256 of (sorted keys, compact).
     */
    sortedManifestJson: string;
}

/**
 * `planIps()` of an SDL without errors.
 */
export interface PlanOk {
    /**
     * Always `true`.
     */
    ok: true;
    /**
     * IP endpoints.
     */
    endpoints: PlanEndpoint[];
    /**
     * Per placement group.
     */
    groups: PlanGroup[];
    /**
     * Provider-side collisions.
     */
    conflicts: PlanConflict[];
    /**
     * Warnings.
     */
    warnings: PlanWarning[];
}

/** A diagnostic code. */
export type Code =
| "invalid-encoding"
| "yaml-syntax"
| "input-too-large"
| "nesting-too-deep"
| "alias-budget"
| "unknown-anchor"
| "type-mismatch"
| "duplicate-key"
| "extra-document"
| "missing-version"
| "invalid-version"
| "unexpected-field"
| "ignored-field"
| "unsupported-attribute"
| "invalid-cpu-units"
| "invalid-size"
| "invalid-gpu"
| "invalid-storage"
| "duplicate-volume"
| "invalid-price"
| "unsupported-protocol"
| "invalid-http-option"
| "invalid-hostname"
| "duplicate-hostname"
| "invalid-tee"
| "invalid-reclamation"
| "invalid-endpoint"
| "ip-requires-global"
| "unknown-endpoint"
| "ip-port-in-use"
| "unused-endpoint"
| "missing-compute-profile"
| "missing-placement"
| "missing-pricing"
| "missing-service"
| "missing-credentials"
| "unknown-volume"
| "invalid-mount"
| "duplicate-mount"
| "persistent-without-mount"
| "ram-read-only"
| "resource-limit"
| "group-limit"
| "price-limit"
| "mixed-denoms"
| "chain-price-denom"
| "chain-reclamation-window"
| "no-groups"
| "invalid-service-name"
| "empty-image"
| "invalid-env-name"
| "invalid-port"
| "no-global-expose"
| "undeployed-service"
| "unused-profile"
| "unstable-order";


/**
 * Builds an SDL: `{ok: true, version, manifest, groupSpecs, warnings, manifestJson,
 * sortedManifestJson}`, or `{ok: false, errors, warnings}`.
 */
export function build(yaml: string, options: Options | undefined): BuildResult;

/**
 * Checks an SDL and returns every error and warning (the error Akash would report first,
 * marked `reference`).
 */
export function check(yaml: string, options: Options | undefined): Diagnostic[];

/**
 * Plans an SDL's leased IPs: per endpoint its sequence number and bindings, per placement
 * group the addresses a provider must have free, and the ports a provider would withhold.
 * `{ok: true, endpoints, groups, conflicts, warnings}`, or `{ok: false, errors, warnings}`.
 */
export function planIps(yaml: string, options: Options | undefined): PlanResult;

/**
 * Runs a provider scenario (a `Scenario` object or its JSON text) and returns one result per
 * step. A malformed scenario throws a `TypeError`.
 */
export function simulate(scenario: Scenario | string): SimulationStep[];
