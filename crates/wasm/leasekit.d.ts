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
     * The message: Akash's Go text where Go reports this problem.
     */
    message: string;
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
