/* tslint:disable */
/* eslint-disable */
/** A message ready for a transaction (`typeUrl` and protobuf bytes), as cosmjs's `EncodeObject`. */
export interface EncodedMessage {
    typeUrl: string;
    value: Uint8Array;
}

/**
 * A message as a review screen shows it before signing: what `@akashnetwork/chain-sdk`'s
 * generated `toJSON` gives for `value`, plus `"@type"`. Proto field names (`signed_by`,
 * `bid_id`), default values left out, 64-bit integers as strings, bytes as base64 (a
 * ResourceValue's digits too), enums by name, DecCoin amounts as decimals (`"10000"`).
 * A type this package does not know, or bytes holding more than this form shows, give
 * `{"@type", value}` with `value` in base64.
 */
export interface MessageJson {
    "@type": string;
    [field: string]: unknown;
}

/** What the `encode*` functions return: the message, and its JSON for a review screen. */
export interface EncodedMessageWithJson extends EncodedMessage {
    json: MessageJson;
}

/** A 64-bit integer: a number, a bigint or a decimal string (the chain's REST uses strings). */
export type Uint64 = number | bigint | string;

/** A coin: `"500000uact"` or `{denom, amount}`. */
export type Coin = string | { denom: string; amount: Uint64 };

export type DepositSource = "balance" | "grant";

export interface DeploymentId {
    owner: string;
    dseq: Uint64;
}

export interface CreateDeploymentParams extends DeploymentId {
    /** SDL text; an SDL with errors throws with `code: "invalid-sdl"` and `diagnostics`. */
    sdl: string;
    /** uact, at least 500000 (0.5 ACT). */
    deposit: Coin;
    /** Default `["balance"]`. */
    depositSources?: DepositSource[];
    /** The chain's `application_version` (e.g. `"v2.1.0"`); needed when the SDL sets `reclamation`. */
    chainVersion?: string;
}

export interface UpdateDeploymentParams extends DeploymentId {
    sdl: string;
}

/** A bid (or lease) id as `/akash/market/v1beta5/bids/list` returns it. */
export interface BidId {
    owner: string;
    dseq: Uint64;
    gseq: number | string;
    oseq: number | string;
    provider: string;
    bseq: number | string;
}

export interface AccountDepositParams extends DeploymentId {
    signer: string;
    amount: Coin;
    sources?: DepositSource[];
}

export interface MintActParams {
    owner: string;
    /** uakt to burn. */
    amount: Coin;
}

export interface Fee {
    amount: Coin[];
    gasLimit: Uint64;
    payer?: string;
    granter?: string;
}

export interface TxParams {
    chainId: string;
    accountNumber: Uint64;
    sequence: Uint64;
    messages: EncodedMessage[];
    fee: Fee;
    memo?: string;
    timeoutHeight?: Uint64;
}

export interface SignTxParams extends TxParams {
    /** Held in Wasm memory for this call only and zeroized after. */
    mnemonic: string;
    accountIndex?: number;
}

export interface MakeSignDocParams extends TxParams {
    /** The wallet's 33-byte compressed public key (`getKey(chainId).pubKey`). */
    publicKey: Uint8Array;
}

/** `TxRaw` bytes for `/cosmos/tx/v1beta1/txs` and the hash the chain will report. */
export interface SignedTx {
    txBytes: Uint8Array;
    /** Upper-case hex SHA-256 of `txBytes`. */
    txHash: string;
}

/** What Keplr's and Leap's `signDirect` take. */
export interface SignDoc {
    bodyBytes: Uint8Array;
    authInfoBytes: Uint8Array;
    chainId: string;
    accountNumber: bigint;
}

/** What `signDirect` returns. */
export interface DirectSignResponse {
    signed: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array };
    signature: { signature: string } | Uint8Array | string;
}

export interface AssembleTxParams {
    bodyBytes: Uint8Array;
    authInfoBytes: Uint8Array;
    /** 64 bytes r‖s, or their base64. */
    signature: Uint8Array | string;
}

export interface Account {
    address: string;
    publicKey: Uint8Array;
}

export type Scope =
| "send-manifest" | "get-manifest" | "logs" | "shell" | "events" | "status" | "restart"
| "hostname-migrate" | "ip-migrate" | "attestation";

export type Leases =
| { access: "full" }
| { access: "scoped"; scope: Scope[] }
| {
    access: "granular";
    permissions: Array<
    | { provider: string; access: "full" }
    | { provider: string; access: "scoped"; scope: Scope[] }
    | {
        provider: string;
        access: "granular";
        deployments: Array<{ dseq: number; gseq?: number; oseq?: number; scope: Scope[]; services: string[] }>;
    }
    >;
};

export interface Claims {
    iss?: string;
    iat: number;
    nbf: number;
    exp: number;
    jti?: string;
    version?: "v1";
    leases: Leases;
}

export interface JwtOptions {
    /** Default `"ES256KADR36"` (what browser wallets sign). */
    alg?: "ES256K" | "ES256KADR36";
    /** Explicit claims; otherwise `now`, `lifetime` and `leases` make them. */
    claims?: Claims;
    /** Unix seconds; default the clock. `iat`/`nbf` are set 60 s earlier for clock skew. */
    now?: number;
    /** Seconds; default 900. */
    lifetime?: number;
    /** Default `{access: "full"}`. */
    leases?: Leases;
}

export interface CreateJwtParams extends JwtOptions {
    mnemonic: string;
    accountIndex?: number;
}

export interface JwtSigningInputParams extends JwtOptions {
    /** The tenant's address (the wallet's `bech32Address`). */
    iss: string;
}

export interface JwtSigningInput {
    /** Pass to `signArbitrary(chainId, iss, signingInput)` (ES256KADR36). */
    signingInput: string;
    /** The ADR-36 document that wallet call signs (ES256KADR36 only). */
    signDoc?: string;
}

export interface VerifyJwtParams {
    token: string;
    publicKey: Uint8Array;
    /** Unix seconds; default the clock. */
    now?: number;
}

export interface VerifiedJwt {
    alg: "ES256K" | "ES256KADR36";
    claims: Claims & { iss: string; version: "v1" };
}

/** What every function throws for a caller's mistake. */
export interface OrdersError extends Error {
    code:
    | "invalid-mnemonic" | "invalid-address" | "invalid-deposit" | "invalid-id" | "invalid-sdl"
    | "unsupported-by-chain" | "invalid-input" | "invalid-signature" | "invalid-token" | "invalid-claims";
    /** For `invalid-sdl`: the SDL's diagnostics, as `check()` of the `leasekit` entry returns them. */
    diagnostics?: unknown[];
}



/**
 * A key derived once from a mnemonic and held in Wasm memory until `free()` (which zeroizes
 * it), for signing many transactions and tokens: BIP-39's key stretching (PBKDF2, 2048
 * rounds) is most of what `signTx({mnemonic})` costs.
 */
export class MnemonicKey {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * `createProviderJwt` without the mnemonic.
     */
    createProviderJwt(params: JwtOptions): string;
    /**
     * Derives account `accountIndex` (default 0) of the mnemonic.
     */
    constructor(mnemonic: string, options: { accountIndex?: number });
    /**
     * `signTx` without the mnemonic.
     */
    signTx(params: TxParams): SignedTx;
    /**
     * The account's `akash1…` address.
     */
    readonly address: string;
    /**
     * The 33-byte compressed public key.
     */
    readonly publicKey: Uint8Array;
}

/**
 * A mnemonic's account: `{address, publicKey}`.
 */
export function accountFromMnemonic(mnemonic: string, options: { accountIndex?: number }): Account;

/**
 * The address of a mnemonic's account (index 0 unless `{accountIndex}` says otherwise).
 */
export function addressFromMnemonic(mnemonic: string, options: { accountIndex?: number }): string;

/**
 * A JWT from its signing input and a wallet's signature (base64, bytes, or `signArbitrary`'s
 * `{signature}` object).
 */
export function assembleJwt(signingInput: string, signature: string | Uint8Array | { signature: string }): string;

/**
 * The TxRaw of a wallet's answer: `signDirect`'s response as is, or `{bodyBytes,
 * authInfoBytes, signature}`.
 */
export function assembleTx(signed: DirectSignResponse | AssembleTxParams): SignedTx;

/**
 * A provider JWT signed with a mnemonic key (ES256KADR36 unless `alg` says ES256K).
 */
export function createProviderJwt(params: CreateJwtParams): string;

/**
 * MsgAccountDeposit: top up a deployment's escrow.
 */
export function encodeAccountDeposit(params: AccountDepositParams): EncodedMessageWithJson;

/**
 * MsgCloseDeployment.
 */
export function encodeCloseDeployment(params: DeploymentId): EncodedMessageWithJson;

/**
 * MsgCloseLease.
 */
export function encodeCloseLease(leaseId: BidId): EncodedMessageWithJson;

/**
 * MsgCreateDeployment for an SDL: `{typeUrl, value, json}` (`json`: the message as a review
 * screen shows it before signing).
 */
export function encodeCreateDeployment(params: CreateDeploymentParams): EncodedMessageWithJson;

/**
 * MsgCreateLease for a bid id (as the chain's REST returns it).
 */
export function encodeCreateLease(bidId: BidId): EncodedMessageWithJson;

/**
 * MsgMintACT: burn uakt for uact.
 */
export function encodeMintAct(params: MintActParams): EncodedMessageWithJson;

/**
 * MsgUpdateDeployment with the SDL's new manifest version.
 */
export function encodeUpdateDeployment(params: UpdateDeploymentParams): EncodedMessageWithJson;

/**
 * A new 24-word mnemonic from the platform's CSPRNG (`crypto.getRandomValues`).
 */
export function generateMnemonic(): string;

/**
 * What a wallet signs for a JWT: pass `signingInput` to `signArbitrary(chainId, iss, …)`.
 */
export function jwtSigningInput(params: JwtSigningInputParams): JwtSigningInput;

/**
 * The SignDoc a wallet's `signDirect` takes.
 */
export function makeSignDoc(params: MakeSignDocParams): SignDoc;

/**
 * The JSON a review screen shows for an encoded message (one of these functions' results, or
 * any `{typeUrl, value}`): chain-sdk's `toJSON` form with `@type`, decoded from `value`; a
 * message this package does not know, or whose bytes hold more than that form shows, is
 * `{"@type", value: base64}`.
 */
export function messageJson(message: EncodedMessage): MessageJson;

/**
 * Signs a transaction with a mnemonic key held only for this call: `{txBytes, txHash}`.
 */
export function signTx(params: SignTxParams): SignedTx;

/**
 * Verifies a token as a provider does (signature by `publicKey`, claims, validity at `now`,
 * default the clock): `{alg, claims}`.
 */
export function verifyProviderJwt(params: VerifyJwtParams): VerifiedJwt;
