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
