// The `leasekit/orders` entry of the npm package (messages, transactions, provider JWTs), tested
// from Node against independent implementations only: Akash's TypeScript SDK for the message
// encodings, SDL groups and JWTs, cosmjs for keys, SIGN_MODE_DIRECT transactions and ADR-36
// amino signing, @noble/curves for signature checks, and the Go fixtures for GroupSpecs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JwtTokenManager, JwtValidator, SDL, generateManifest, generateManifestVersion } from '@akashnetwork/chain-sdk';
import { MsgAccountDeposit, MsgMintACT, Scope, Source } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { MsgCloseDeployment, MsgCloseGroup, MsgCreateDeployment, MsgUpdateDeployment } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgCloseLease, MsgCreateLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { AuthInfo, Fee, SignDoc, TxBody, TxRaw as ChainSdkTxRaw } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { PubKey } from '@akashnetwork/chain-sdk/private-types/cosmos.secp256k1';
import { Secp256k1HdWallet, encodeSecp256k1Pubkey, serializeSignDoc } from '@cosmjs/amino';
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from '@cosmjs/crypto';
import {
  DirectSecp256k1HdWallet,
  Registry,
  encodePubkey,
  makeAuthInfoBytes,
  makeCosmoshubPath,
  makeSignDoc,
} from '@cosmjs/proto-signing';
import { secp256k1 } from '@noble/curves/secp256k1';
import { Fee as CosmjsFee, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx.js';
import yaml from 'js-yaml';

import * as orders from '../../pkg/orders.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = process.env.LEASEKIT_CONFORMANCE ?? resolve(root, '../shared/conformance');

// chain.md §6.1: a public TEST-ONLY mnemonic (chain-sdk testdata/jwt/mnemonic) and its account 0.
const MNEMONIC =
  'addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien';
const ADDRESS = 'akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh';
const ACCOUNTS = 4;

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest();
const b64url = (text) => Buffer.from(text).toString('base64url');

// cosmjs wallets at account indexes 0..3 (m/44'/118'/0'/0/i): direct for transactions, amino for ADR-36.
const wallets = await Promise.all(
  Array.from({ length: ACCOUNTS }, async (_, i) => {
    const options = { prefix: 'akash', hdPaths: [makeCosmoshubPath(i)] };
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, options);
    const amino = await Secp256k1HdWallet.fromMnemonic(MNEMONIC, options);
    const [{ address, pubkey }] = await direct.getAccounts();
    return { index: i, address, pubkey, direct, amino };
  }),
);

// A private key derived by cosmjs's own BIP-39/SLIP-10, for independent signatures (noble).
const privateKey = Slip10.derivePath(Slip10Curve.Secp256k1, await Bip39.mnemonicToSeed(new EnglishMnemonic(MNEMONIC)), makeCosmoshubPath(0)).privkey;

// ---------------------------------------------------------------------------------------------
// Deterministic inputs: splitmix64.

function prng(seed) {
  let state = BigInt(seed);
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  const int = (n) => Number(next() % BigInt(n)); // 0 ≤ int(n) < n
  return {
    u64: next,
    int,
    pick: (list) => list[int(list.length)],
    bool: () => int(2) === 1,
  };
}

// A 64-bit value of every magnitude, incl. the edges and values above 2^53.
function u64(r, min = 0n) {
  const edges = [1n, 2n ** 32n - 1n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
  const value = r.pick([() => r.pick(edges), () => BigInt(r.int(1000)), () => BigInt(r.int(2 ** 31)) * 1000n, () => r.u64(), () => r.u64() >> BigInt(r.int(64))])();
  return value < min ? min : value;
}

// leasekit takes a number, a bigint or a decimal string.
function asUint64(r, value) {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER) && r.bool()) return Number(value);
  return r.bool() ? value : value.toString();
}

// chain-sdk's uint64 fields are `long` values: unsigned, from their two 32-bit halves.
const long = (value) => ({ low: Number(value & 0xffffffffn) | 0, high: Number(value >> 32n) | 0, unsigned: true });

const u32 = (r, min) => r.pick([min, min + 1, r.int(100) + min, 2 ** 32 - 1, r.int(2 ** 32 - min) + min]);

const MEMOS = ['', 'akash: CreateDeployment', 'ünïcødé ✓ 😀 漢字', 'x'.repeat(256), '<&>"\\\n\t', 'é'.repeat(128)];

function coinAmount(r) {
  return u64(r, 1n).toString();
}

// ---------------------------------------------------------------------------------------------
// Messages built twice: by leasekit and by chain-sdk's generated types (the ones Console uses,
// chain.md §5.1), with the type URLs of chain.md §1.1.

const TYPES = {
  '/akash.deployment.v1beta4.MsgCreateDeployment': MsgCreateDeployment,
  '/akash.deployment.v1beta4.MsgCloseDeployment': MsgCloseDeployment,
  '/akash.market.v1beta5.MsgCreateLease': MsgCreateLease,
  '/akash.market.v1beta5.MsgCloseLease': MsgCloseLease,
  '/akash.escrow.v1.MsgAccountDeposit': MsgAccountDeposit,
  '/akash.bme.v1.MsgMintACT': MsgMintACT,
};
const registry = new Registry(Object.entries(TYPES));

const TX_SDL = `version: "2.0"
services:
  api:
    image: ghcr.io/example/api:2
    env: [MODE=prod]
    expose:
      - {port: 8080, as: 80, to: [{global: true}]}
profiles:
  compute:
    api:
      resources:
        cpu: {units: 1}
        memory: {size: 1Gi}
        storage: [{size: 2Gi}]
  placement:
    westcoast:
      attributes: {region: us-west}
      pricing:
        api: {denom: uact, amount: 25000}
deployment:
  api:
    westcoast: {profile: api, count: 2}
`;

async function chainSdkDeployment(text) {
  const result = generateManifest(yaml.load(text));
  assert.ok(result.ok, JSON.stringify(result.value));
  return { groups: result.value.groupSpecs, hash: await generateManifestVersion(result.value.groups) };
}
const txDeployment = await chainSdkDeployment(TX_SDL);

const SOURCES = { balance: Source.balance, grant: Source.grant };

function sources(r) {
  return r.pick([['balance'], ['grant'], ['balance', 'grant'], ['grant', 'balance']]);
}

// One random message: `{typeUrl, theirs (a chain-sdk partial), ours (leasekit's encoder)}`.
function randomMessage(r) {
  const owner = r.pick(wallets).address;
  const provider = r.pick(wallets).address;
  const dseq = u64(r, 1n);
  const id = { owner, dseq: long(dseq) };
  const bid = { owner, dseq: asUint64(r, dseq), gseq: u32(r, 1), oseq: u32(r, 1), provider, bseq: u32(r, 0) };
  const bidId = { ...bid, dseq: long(dseq), gseq: bid.gseq, oseq: bid.oseq, bseq: bid.bseq };
  for (const key of ['gseq', 'oseq', 'bseq']) if (r.bool()) bid[key] = String(bid[key]);
  switch (r.int(6)) {
    case 0: {
      const amount = (500000n + u64(r) % 10n ** 12n).toString();
      const src = sources(r);
      const deposit = r.bool() ? `${amount}uact` : { denom: 'uact', amount: asUint64(r, BigInt(amount)) };
      return {
        typeUrl: '/akash.deployment.v1beta4.MsgCreateDeployment',
        theirs: { id, groups: txDeployment.groups, hash: txDeployment.hash, deposit: { amount: { denom: 'uact', amount }, sources: src.map((s) => SOURCES[s]) } },
        ours: () => orders.encodeCreateDeployment({ sdl: TX_SDL, owner, dseq: asUint64(r, dseq), deposit, depositSources: src }),
      };
    }
    case 1:
      return {
        typeUrl: '/akash.deployment.v1beta4.MsgCloseDeployment',
        theirs: { id },
        ours: () => orders.encodeCloseDeployment({ owner, dseq: asUint64(r, dseq) }),
      };
    case 2:
      return { typeUrl: '/akash.market.v1beta5.MsgCreateLease', theirs: { bidId }, ours: () => orders.encodeCreateLease(bid) };
    case 3:
      // The tenant closes as owner (LeaseClosedReason lease_closed_owner = 1, chain.md §1.5).
      return { typeUrl: '/akash.market.v1beta5.MsgCloseLease', theirs: { id: bidId, reason: 1 }, ours: () => orders.encodeCloseLease(bid) };
    case 4: {
      const signer = r.pick(wallets).address;
      const denom = r.pick(['uact', 'uakt']);
      const amount = coinAmount(r);
      const src = sources(r);
      const explicit = r.bool();
      return {
        typeUrl: '/akash.escrow.v1.MsgAccountDeposit',
        theirs: {
          signer,
          id: { scope: Scope.deployment, xid: `${owner}/${dseq}` },
          deposit: { amount: { denom, amount }, sources: explicit ? src.map((s) => SOURCES[s]) : [Source.balance] },
        },
        ours: () => orders.encodeAccountDeposit({ signer, owner, dseq: asUint64(r, dseq), amount: `${amount}${denom}`, ...(explicit ? { sources: src } : {}) }),
      };
    }
    default: {
      const amount = coinAmount(r);
      return {
        typeUrl: '/akash.bme.v1.MsgMintACT',
        theirs: { owner, to: owner, coinsToBurn: { denom: 'uakt', amount } },
        ours: () => orders.encodeMintAct({ owner, amount: r.bool() ? `${amount}uakt` : { denom: 'uakt', amount } }),
      };
    }
  }
}

// cosmjs-types 0.10.1 (what cosmjs 0.36 encodes TxBody, AuthInfo and SignDoc with) writes a
// uint64 in [2^31, 2^32) as a malformed varint (2^32-1 → ff 00 00 00 00); see the pinned test
// below. So envelope values here avoid that range, which a test of its own covers.
const COSMJS_BAD = [2n ** 31n, 2n ** 32n];
const envelope = (value) => (value >= COSMJS_BAD[0] && value < COSMJS_BAD[1] ? value - COSMJS_BAD[0] : value);

function randomTx(r) {
  const signer = r.pick(wallets);
  const messages = Array.from({ length: 1 + r.int(4) }, () => randomMessage(r));
  const fee = Array.from({ length: 1 + r.int(2) }, (_, i) => ({ denom: ['uakt', 'uact'][i], amount: r.pick(['0', '5000', coinAmount(r)]) }));
  const gasLimit = envelope(u64(r));
  const payer = r.int(5) === 0 ? r.pick(wallets).address : '';
  const granter = r.int(5) === 0 ? r.pick(wallets).address : '';
  const timeoutHeight = r.int(4) === 0 ? envelope(u64(r, 1n)) : 0n;
  return {
    signer,
    messages,
    memo: r.pick(MEMOS),
    fee,
    gasLimit,
    payer,
    granter,
    timeoutHeight,
    chainId: r.pick(['akashnet-2', 'sandbox-2', 'testnet-02', 'x', 'ünï-1']),
    accountNumber: r.pick([0n, 1n, 12345n, envelope(u64(r))]),
    sequence: r.pick([0n, 0n, 7n, envelope(u64(r))]),
  };
}

// The transaction as cosmjs signs it (DIRECT, one signer): `{bodyBytes, authInfoBytes, signDoc}`.
function cosmjsDraft(tx) {
  const bodyBytes = registry.encodeTxBody({
    messages: tx.messages.map((m) => ({ typeUrl: m.typeUrl, value: m.theirs })),
    memo: tx.memo,
    timeoutHeight: tx.timeoutHeight,
  });
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(tx.signer.pubkey));
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: tx.sequence }], tx.fee, tx.gasLimit, tx.granter, tx.payer);
  return { bodyBytes, authInfoBytes, signDoc: makeSignDoc(bodyBytes, authInfoBytes, tx.chainId, tx.accountNumber) };
}

async function cosmjsTxRaw(tx) {
  const { signDoc } = cosmjsDraft(tx);
  const { signed, signature } = await tx.signer.direct.signDirect(tx.signer.address, signDoc);
  const txRaw = TxRaw.encode(
    TxRaw.fromPartial({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }),
  ).finish();
  return { txBytes: txRaw, txHash: sha256(txRaw).toString('hex').toUpperCase() };
}

// The request leasekit takes for the same transaction; number/bigint/string forms vary.
function leasekitParams(r, tx, messages) {
  const fee = { amount: tx.fee.map((c) => (r.bool() ? `${c.amount}${c.denom}` : c)), gasLimit: asUint64(r, tx.gasLimit) };
  if (tx.payer) fee.payer = tx.payer;
  if (tx.granter) fee.granter = tx.granter;
  const params = { chainId: tx.chainId, accountNumber: asUint64(r, tx.accountNumber), sequence: asUint64(r, tx.sequence), messages, fee };
  if (tx.memo || r.bool()) params.memo = tx.memo;
  if (tx.timeoutHeight) params.timeoutHeight = asUint64(r, tx.timeoutHeight);
  return params;
}

test('known vectors: chain.md §6.1 addresses, §6.2 signed transaction, §6.3 encodings', () => {
  assert.equal(wallets[0].address, ADDRESS);
  for (const w of wallets) {
    assert.equal(orders.addressFromMnemonic(MNEMONIC, { accountIndex: w.index }), w.address);
    const account = orders.accountFromMnemonic(MNEMONIC, { accountIndex: w.index });
    assert.deepEqual([account.address, hex(account.publicKey)], [w.address, hex(w.pubkey)]);
  }
  // §6.2: its MsgCreateDeployment by chain-sdk's types, signed by leasekit.
  const value = (v) => ({ val: new TextEncoder().encode(v) });
  const resource = { id: 1, cpu: { units: value('500') }, memory: { quantity: value('536870912') }, storage: [{ name: 'default', quantity: value('536870912') }], gpu: { units: value('0') }, endpoints: [{ kind: 0, sequenceNumber: 0 }] };
  const groups = [{ name: 'dcloud', requirements: { signedBy: {}, attributes: [] }, resources: [{ resource, count: 1, price: { denom: 'uact', amount: '10000' } }] }];
  const message = createDeployment(ADDRESS, 1000000n, groups, sha256('akash-rust-wasm-test-vector'));
  assert.ok(hex(message).endsWith('1a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801'));
  const signed = orders.signTx({
    mnemonic: MNEMONIC,
    chainId: 'akashnet-2',
    accountNumber: 12345,
    sequence: 7,
    messages: [{ typeUrl: '/akash.deployment.v1beta4.MsgCreateDeployment', value: message }],
    fee: { amount: ['5000uakt'], gasLimit: 200000 },
  });
  assert.equal(signed.txHash, 'C16E868DD6950226A23C87F7848C23077C72AF582C6599FCA9A77FB718DBA03E');
  assert.ok(Buffer.from(signed.txBytes).toString('base64').endsWith('GkBSatqGGiLUH45k3hclYL1CzZI5tQVlhEeELxgUOfdtTHQ02atxxAkQFAEFMtpsb/RtNDW553NB861TjnVG4Nfu'));
  // §6.3.
  const bid = { owner: ADDRESS, dseq: 1000000, gseq: 1, oseq: 1, provider: ADDRESS, bseq: 0 };
  assert.equal(
    hex(orders.encodeCreateLease(bid).value),
    '0a640a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d180120012a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d68',
  );
  assert.equal(
    hex(orders.encodeCloseDeployment({ owner: ADDRESS, dseq: '1000000' }).value),
    '0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d',
  );
});

test('signTx, and makeSignDoc + cosmjs signDirect + assembleTx, give cosmjs TxRaw bytes (200 random transactions)', async () => {
  const r = prng(20260702);
  const counts = {};
  for (let i = 0; i < 200; i += 1) {
    const tx = randomTx(r);
    const label = `case ${i}: ${tx.messages.map((m) => m.typeUrl.split('.').pop()).join(',')}`;
    const expected = await cosmjsTxRaw(tx);
    // leasekit's encoders give chain-sdk's bytes for each message…
    const ours = tx.messages.map((m) => m.ours());
    const theirs = tx.messages.map((m) => ({ typeUrl: m.typeUrl, value: TYPES[m.typeUrl].encode(TYPES[m.typeUrl].fromPartial(m.theirs)).finish() }));
    for (const [k, m] of ours.entries()) {
      assert.equal(m.typeUrl, theirs[k].typeUrl, label);
      assert.equal(hex(m.value), hex(theirs[k].value), `${label}, message ${k}`);
      counts[m.typeUrl] = (counts[m.typeUrl] ?? 0) + 1;
    }
    // …and signing either form gives the TxRaw and hash cosmjs gives.
    for (const messages of [ours, theirs]) {
      const signed = orders.signTx({ mnemonic: MNEMONIC, accountIndex: tx.signer.index, ...leasekitParams(r, tx, messages) });
      assert.equal(hex(signed.txBytes), hex(expected.txBytes), label);
      assert.equal(signed.txHash, expected.txHash, label);
    }
    // The wallet path: leasekit's SignDoc, signed by cosmjs as Keplr would, assembled by leasekit.
    const doc = orders.makeSignDoc({ publicKey: tx.signer.pubkey, ...leasekitParams(r, tx, ours) });
    const draft = cosmjsDraft(tx);
    assert.deepEqual([hex(doc.bodyBytes), hex(doc.authInfoBytes), doc.chainId, doc.accountNumber], [hex(draft.bodyBytes), hex(draft.authInfoBytes), tx.chainId, tx.accountNumber], label);
    const response = await tx.signer.direct.signDirect(tx.signer.address, doc);
    const assembled = orders.assembleTx(response);
    assert.equal(hex(assembled.txBytes), hex(expected.txBytes), label);
    assert.equal(assembled.txHash, expected.txHash, label);
  }
  assert.deepEqual(Object.keys(counts).sort(), Object.keys(TYPES).sort());
  for (const n of Object.values(counts)) assert.ok(n >= 40, JSON.stringify(counts));
});

// The same transaction built with chain-sdk's cosmos.tx types (@bufbuild/protobuf's writer) and
// signed by @noble/curves: the reference where cosmjs-types mis-encodes. Account 0 only.
function chainSdkTxRaw(tx) {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: tx.messages.map((m) => ({ typeUrl: m.typeUrl, value: TYPES[m.typeUrl].encode(TYPES[m.typeUrl].fromPartial(m.theirs)).finish() })), memo: tx.memo, timeoutHeight: long(tx.timeoutHeight) }),
  ).finish();
  const publicKey = { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: wallets[0].pubkey }).finish() };
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey, modeInfo: { single: { mode: 1 } }, sequence: long(tx.sequence) }],
      fee: { amount: tx.fee, gasLimit: long(tx.gasLimit), payer: tx.payer, granter: tx.granter },
    }),
  ).finish();
  const signDoc = SignDoc.encode(SignDoc.fromPartial({ bodyBytes, authInfoBytes, chainId: tx.chainId, accountNumber: long(tx.accountNumber) })).finish();
  const signature = secp256k1.sign(sha256(signDoc), privateKey, { lowS: true }).toCompactRawBytes();
  return ChainSdkTxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

test('uint64s in [2^31, 2^32), which cosmjs-types mis-encodes, give chain-sdk cosmos.tx bytes', async () => {
  // Pinned: when cosmjs-types encodes these right, drop `envelope` and let the random test cover them.
  assert.equal(hex(CosmjsFee.encode(CosmjsFee.fromPartial({ gasLimit: 2n ** 32n - 1n })).finish()), '10ff00000000');
  assert.equal(hex(Fee.encode(Fee.fromPartial({ gasLimit: long(2n ** 32n - 1n) })).finish()), '10ffffffff0f');
  const r = prng(31);
  const tx = { ...randomTx(r), signer: wallets[0], payer: wallets[1].address, granter: '' };
  // The reference agrees with cosmjs away from the bad range…
  assert.equal(hex(chainSdkTxRaw(tx)), hex((await cosmjsTxRaw(tx)).txBytes));
  // …and with leasekit inside it, field by field and all at once.
  const edges = [2n ** 31n, 2n ** 31n + 1n, 3000000000n, 2n ** 32n - 1n];
  const cases = ['gasLimit', 'sequence', 'accountNumber', 'timeoutHeight'].flatMap((field) => edges.map((v) => ({ ...tx, [field]: v })));
  cases.push({ ...tx, gasLimit: edges[3], sequence: edges[2], accountNumber: edges[1], timeoutHeight: edges[0] });
  for (const c of cases) {
    const expected = chainSdkTxRaw(c);
    const signed = orders.signTx({ mnemonic: MNEMONIC, ...leasekitParams(r, c, c.messages.map((m) => m.ours())) });
    assert.equal(hex(signed.txBytes), hex(expected), JSON.stringify(c, (k, v) => (typeof v === 'bigint' ? String(v) : k === 'signer' || k === 'messages' ? undefined : v)));
    assert.equal(signed.txHash, sha256(expected).toString('hex').toUpperCase());
  }
});

// ---------------------------------------------------------------------------------------------
// MsgCreateDeployment from the conformance SDLs.

function conformanceFound(t) {
  if (existsSync(join(suite, 'input'))) return true;
  assert.notEqual(process.env.CI, 'true', `conformance suite missing at ${suite}`);
  t.skip(`conformance suite not found at ${suite}`);
  return false;
}

// As package.test.mjs: chain-sdk 1.0.0-alpha.25 rejects the two TEE fixtures (no TEE in its schema).
const CHAIN_SDK_REJECTS = ['v2.1/tee-cpu', 'v2.1/tee-cpu-gpu'];
// On the three fixtures with IP endpoints chain-sdk's GroupSpecs differ from Go's: its SDL class
// leaves every LEASED_IP sequence_number 0 and generateManifest orders the endpoints otherwise.
// There the Go fixture (group-specs.json, encoded by chain-sdk's types) is the reference.
const CHAIN_SDK_GROUPS_DIFFER = ['v2.0/ip-endpoint', 'v2.1/ip-endpoint', 'v2.1/shared-ip'];

// Go's GroupSpec JSON (output-fixtures/*/group-specs.json) as a chain-sdk partial.
function fromGo(spec) {
  const attrs = (list) => list ?? [];
  const value = (v) => ({ val: new TextEncoder().encode(v.val) });
  return {
    name: spec.name,
    requirements: {
      signedBy: { allOf: attrs(spec.requirements.signed_by.all_of), anyOf: attrs(spec.requirements.signed_by.any_of) },
      attributes: attrs(spec.requirements.attributes),
    },
    resources: spec.resources.map(({ resource: res, count, price }) => ({
      resource: {
        id: res.id,
        cpu: { units: value(res.cpu.units), attributes: attrs(res.cpu.attributes) },
        memory: { quantity: value(res.memory.size), attributes: attrs(res.memory.attributes) },
        storage: res.storage.map((s) => ({ name: s.name, quantity: value(s.size), attributes: attrs(s.attributes) })),
        gpu: { units: value(res.gpu.units), attributes: attrs(res.gpu.attributes) },
        endpoints: attrs(res.endpoints).map((e) => ({ kind: e.kind ?? 0, sequenceNumber: e.sequence_number ?? 0 })),
      },
      count,
      // Go writes the LegacyDec with 18 decimals; chain-sdk's DecCoin takes the plain decimal.
      price: { denom: price.denom, amount: price.amount.replace(/\.?0+$/, '') },
    })),
  };
}

function createDeployment(owner, dseq, groups, hash) {
  const message = { id: { owner, dseq: long(dseq) }, groups, hash, deposit: { amount: { denom: 'uact', amount: '500000' }, sources: [Source.balance] } };
  return MsgCreateDeployment.encode(MsgCreateDeployment.fromPartial(message)).finish();
}

test('encodeCreateDeployment of the conformance SDLs equals chain-sdk (SDL class and generateManifest) and Go GroupSpecs', async (t) => {
  if (!conformanceFound(t)) return;
  const inputs = ['v2.0', 'v2.1'].flatMap((v) => readdirSync(join(suite, 'input', v)).sort().map((name) => `${v}/${name}`));
  assert.equal(inputs.length, 15);
  const seen = { chainSdk: 0, go: 0, uakt: 0 };
  const r = prng(7);
  for (const name of inputs) {
    if (CHAIN_SDK_REJECTS.includes(name)) continue;
    const original = readFileSync(join(suite, 'input', name, 'input.yaml'), 'utf8');
    assert.doesNotMatch(original, /^reclamation:/m, `${name}: pass chainVersion and compare field 5`);
    // Since v2.0 the chain rejects uakt prices (chain.md §1.10): leasekit refuses, so both sides get uact.
    if (/denom: *uakt/.test(original)) {
      seen.uakt += 1;
      assert.throws(() => orders.encodeCreateDeployment({ sdl: original, owner: ADDRESS, dseq: 1, deposit: '500000uact' }), { code: 'unsupported-by-chain' }, name);
    }
    const text = original.replace(/denom: *uakt/g, 'denom: uact');
    const owner = r.pick(wallets).address;
    const dseq = u64(r, 1n);
    const ours = hex(orders.encodeCreateDeployment({ sdl: text, owner, dseq: asUint64(r, dseq), deposit: '500000uact' }).value);
    const { groups, hash } = await chainSdkDeployment(text);
    const goSpecs = JSON.parse(readFileSync(join(suite, 'output-fixtures', name, 'group-specs.json'), 'utf8')).map(fromGo);
    for (const g of goSpecs) for (const u of g.resources) u.price.denom = u.price.denom.replace('uakt', 'uact');
    assert.equal(ours, hex(createDeployment(owner, dseq, goSpecs, hash)), `${name} vs Go GroupSpecs`);
    seen.go += 1;
    const sdlClass = createDeployment(owner, dseq, SDL.fromString(text, 'beta3').v3Groups(), hash);
    const generated = createDeployment(owner, dseq, groups, hash);
    if (CHAIN_SDK_GROUPS_DIFFER.includes(name)) {
      assert.notEqual(hex(sdlClass), ours, `${name}: chain-sdk's SDL class agrees with Go now; compare it`);
      assert.notEqual(hex(generated), ours, `${name}: chain-sdk's generateManifest agrees with Go now; compare it`);
      continue;
    }
    assert.equal(ours, hex(sdlClass), `${name} vs chain-sdk SDL.v3Groups`);
    assert.equal(ours, hex(generated), `${name} vs chain-sdk generateManifest`);
    seen.chainSdk += 1;
  }
  assert.deepEqual(seen, { chainSdk: 10, go: 13, uakt: 13 });
});

test('reclamation is MsgCreateDeployment field 5, only for chains from v2.1.0', async () => {
  const sdl = `${TX_SDL}reclamation:\n  min_window: "24h"\n`;
  assert.throws(() => orders.encodeCreateDeployment({ sdl, owner: ADDRESS, dseq: 9, deposit: '500000uact' }), { code: 'unsupported-by-chain' });
  assert.throws(() => orders.encodeCreateDeployment({ sdl, owner: ADDRESS, dseq: 9, deposit: '500000uact', chainVersion: 'v2.0.1' }), { code: 'unsupported-by-chain' });
  const ours = orders.encodeCreateDeployment({ sdl, owner: ADDRESS, dseq: 9, deposit: '500000uact', chainVersion: 'v2.1.0' });
  // chain-sdk 1.0.0-alpha.25 predates reclamation (no field 5, and its SDL schema rejects the
  // key): its message for the SDL without it, plus field 5 = DeploymentReclamation{min_window:
  // Duration{seconds: 86400}} appended by hand (tag 5, length-delimited).
  const duration = [0x08, ...[0x80, 0xa3, 0x05]]; // seconds = 86400 as a varint
  const reclamation = [0x0a, duration.length, ...duration];
  const { groups, hash } = await chainSdkDeployment(TX_SDL);
  const theirs = Buffer.concat([createDeployment(ADDRESS, 9n, groups, hash), Buffer.from([0x2a, reclamation.length, ...reclamation])]);
  assert.equal(hex(ours.value), hex(theirs));
  assert.equal(ours.typeUrl, '/akash.deployment.v1beta4.MsgCreateDeployment');
});

// ---------------------------------------------------------------------------------------------
// Provider JWTs (provider.md §3.3).

const SCOPES = ['send-manifest', 'get-manifest', 'logs', 'shell', 'events', 'status', 'restart', 'hostname-migrate', 'ip-migrate'];
const LEASES = {
  full: { access: 'full' },
  scoped: { access: 'scoped', scope: ['send-manifest', 'status', 'logs'] },
  everyScope: { access: 'scoped', scope: SCOPES },
  granular: {
    access: 'granular',
    permissions: [
      { provider: wallets[1].address, access: 'full' },
      { provider: wallets[2].address, access: 'scoped', scope: ['shell', 'events'] },
      {
        provider: wallets[3].address,
        access: 'granular',
        deployments: [
          { dseq: 1234567, scope: ['send-manifest'], services: ['web'] },
          { dseq: 42, gseq: 1, oseq: 2, scope: ['logs', 'status'], services: ['web', 'db'] },
        ],
      },
    ],
  },
};

function decodeJwt(token) {
  const [header, payload, signature] = token.split('.');
  const json = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header), payload: json(payload), signingInput: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
}

// The ADR-36 amino document Keplr's signArbitrary signs, written out with sorted keys.
function adr36(signer, data) {
  return JSON.stringify({
    account_number: '0',
    chain_id: '',
    fee: { amount: [], gas: '0' },
    memo: '',
    msgs: [{ type: 'sign/MsgSignData', value: { data: Buffer.from(data).toString('base64'), signer } }],
    sequence: '0',
  });
}

// The message a provider hashes for each alg.
const signedMessage = (alg, iss, signingInput) => (alg === 'ES256K' ? signingInput : adr36(iss, signingInput));

test('createProviderJwt tokens verify with @noble/curves and pass chain-sdk JwtValidator', () => {
  const now = 1767225600;
  for (const [kind, leases] of Object.entries(LEASES)) {
    for (const alg of ['ES256K', 'ES256KADR36']) {
      const label = `${kind} ${alg}`;
      const claims = { iat: now - 60, nbf: now - 60, exp: now + 900, leases };
      const token = orders.createProviderJwt({ mnemonic: MNEMONIC, alg, claims });
      const { header, payload, signingInput, signature } = decodeJwt(token);
      assert.deepEqual(header, { alg, typ: 'JWT' }, label);
      assert.deepEqual(payload, { ...claims, iss: ADDRESS, version: 'v1' }, label);
      // Both parts are sorted-key compact JSON, as chain-sdk writes them.
      assert.equal(signingInput, `${b64url('{"alg":"' + alg + '","typ":"JWT"}')}.${b64url(sortedJson(payload))}`, label);
      assert.equal(signature.length, 64, label);
      const digest = sha256(signedMessage(alg, ADDRESS, signingInput));
      assert.ok(secp256k1.verify(secp256k1.Signature.fromCompact(signature), digest, wallets[0].pubkey, { lowS: true }), label);
      // A signature over anything else fails.
      assert.ok(!secp256k1.verify(secp256k1.Signature.fromCompact(signature), sha256(signedMessage(alg, ADDRESS, `${signingInput}x`)), wallets[0].pubkey), label);
      if (alg === 'ES256K') assert.equal(hex(signature), hex(secp256k1.sign(digest, privateKey, { lowS: true }).toCompactRawBytes()), label);
      const validation = new JwtValidator().validateToken(token);
      assert.ok(validation.isValid, `${label}: ${validation.errors}`);
    }
  }
});

function sortedJson(value) {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

test('chain-sdk JwtTokenManager tokens equal createProviderJwt, verify with leasekit, and match the wallet path', async () => {
  // JwtTokenManager checks exp/nbf against the clock, so these claims are around now.
  const now = Math.floor(Date.now() / 1000);
  const manager = new JwtTokenManager(wallets[0].amino);
  let compared = 0;
  for (const [kind, leases] of Object.entries(LEASES)) {
    for (const jti of [undefined, `jti-${kind}`]) {
      const claims = { iat: now - 60, nbf: now - 60, exp: now + 900, leases, ...(jti ? { jti } : {}) };
      const theirs = await manager.generateToken({ version: 'v1', iss: ADDRESS, ...claims });
      // (b) byte equality: ADR-36 signatures are deterministic.
      assert.equal(orders.createProviderJwt({ mnemonic: MNEMONIC, alg: 'ES256KADR36', claims }), theirs, kind);
      // (c) leasekit verifies chain-sdk's token.
      const verified = orders.verifyProviderJwt({ token: theirs, publicKey: wallets[0].pubkey, now });
      assert.equal(verified.alg, 'ES256KADR36');
      assert.deepEqual(verified.claims, decodeJwt(theirs).payload, kind);
      assert.throws(() => orders.verifyProviderJwt({ token: theirs, publicKey: wallets[1].pubkey, now }), { code: 'invalid-token' }, kind);
      assert.throws(() => orders.verifyProviderJwt({ token: theirs, publicKey: wallets[0].pubkey, now: now + 901 }), { code: 'invalid-claims' }, kind);
      // (d) the wallet path: leasekit's signing input, the ADR-36 doc signed by cosmjs's amino
      // wallet as chain-sdk's createOfflineDataSigner does, assembled by leasekit.
      const { signingInput, signDoc } = orders.jwtSigningInput({ iss: ADDRESS, claims });
      const doc = {
        chain_id: '',
        account_number: '0',
        sequence: '0',
        fee: { gas: '0', amount: [] },
        msgs: [{ type: 'sign/MsgSignData', value: { signer: ADDRESS, data: Buffer.from(signingInput).toString('base64') } }],
        memo: '',
      };
      assert.equal(signDoc, Buffer.from(serializeSignDoc(doc)).toString('utf8'), kind);
      const { signature } = await wallets[0].amino.signAmino(ADDRESS, doc);
      assert.equal(orders.assembleJwt(signingInput, signature), theirs, kind);
      assert.equal(orders.assembleJwt(signingInput, signature.signature), theirs, kind);
      compared += 1;
    }
  }
  assert.equal(compared, 8);
});

// ---------------------------------------------------------------------------------------------
// Mistakes through the package.

test('mistakes throw coded errors; API misuse throws TypeError', () => {
  const words = MNEMONIC.split(' ');
  const wrong = [...words.slice(0, 5), 'zebraa', ...words.slice(6)].join(' ');
  let error;
  try {
    orders.signTx({ mnemonic: wrong, chainId: 'akashnet-2', accountNumber: 1, sequence: 0, messages: [], fee: { amount: ['5000uakt'], gasLimit: 200000 } });
  } catch (e) {
    error = e;
  }
  assert.equal(error?.code, 'invalid-mnemonic');
  for (const word of new Set([...words, 'zebraa'])) assert.ok(!new RegExp(`\\b${word}\\b`).test(error.message), `the message names "${word}"`);
  assert.throws(() => orders.addressFromMnemonic(wrong, {}), { code: 'invalid-mnemonic' });
  const cosmos = 'cosmos1qufa3xzrf34qvwyejkhvnc4psf49fftaypkvht';
  assert.throws(() => orders.encodeCloseDeployment({ owner: cosmos, dseq: 1 }), { code: 'invalid-address' });
  assert.throws(() => orders.encodeCreateDeployment({ sdl: TX_SDL, owner: ADDRESS, dseq: 1, deposit: '499999uact' }), { code: 'invalid-deposit' });
  assert.doesNotThrow(() => orders.encodeCreateDeployment({ sdl: TX_SDL, owner: ADDRESS, dseq: 1, deposit: '500000uact' }));
  assert.throws(() => orders.encodeCloseDeployment({ owner: ADDRESS, dseq: 0 }), { code: 'invalid-id' });
  assert.throws(() => orders.encodeCreateLease({ owner: ADDRESS, dseq: '0', gseq: 1, oseq: 1, provider: ADDRESS, bseq: 0 }), { code: 'invalid-id' });
  const bad = TX_SDL.replace('count: 2', 'count: 2, bogus: 3').replace('image: ghcr.io/example/api:2', 'image: ""');
  try {
    orders.encodeCreateDeployment({ sdl: bad, owner: ADDRESS, dseq: 1, deposit: '500000uact' });
    assert.fail('an SDL with errors was accepted');
  } catch (e) {
    assert.equal(e.code, 'invalid-sdl');
    assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length > 0, JSON.stringify(e.diagnostics));
    for (const d of e.diagnostics) assert.ok(Number.isInteger(d.start?.line) && Number.isInteger(d.start?.column), JSON.stringify(d));
  }
  for (const fn of ['encodeCloseDeployment', 'encodeCreateLease', 'signTx', 'createProviderJwt', 'verifyProviderJwt']) {
    for (const arg of [undefined, 'x', 5]) assert.throws(() => orders[fn](arg), TypeError, `${fn}(${arg})`);
  }
});

// ---------------------------------------------------------------------------------------------
// The message JSON a review screen shows (`json` of every encode*, and messageJson): chain-sdk's
// generated toJSON of the same bytes, with "@type" first — keys, order and values.

const JSON_TYPES = {
  ...TYPES,
  '/akash.deployment.v1beta4.MsgUpdateDeployment': MsgUpdateDeployment,
  '/akash.deployment.v1beta4.MsgCloseGroup': MsgCloseGroup,
};

function chainSdkJson(typeUrl, value) {
  const type = JSON_TYPES[typeUrl];
  return { '@type': typeUrl, ...type.toJSON(type.decode(value)) };
}

// Deep equality, and the same text (so the same key order) as chain-sdk's.
function assertJson(ours, theirs, label) {
  assert.deepEqual(ours, theirs, label);
  assert.equal(JSON.stringify(ours), JSON.stringify(theirs), label);
}

test('encode* json (and messageJson) is chain-sdk toJSON of the encoded bytes, every message kind', () => {
  const r = prng(20261203);
  const counts = {};
  const check = (encoded, label) => {
    assert.deepEqual(Object.keys(encoded), ['typeUrl', 'value', 'json'], label);
    assertJson(encoded.json, chainSdkJson(encoded.typeUrl, encoded.value), label);
    assertJson(orders.messageJson({ typeUrl: encoded.typeUrl, value: encoded.value }), encoded.json, `${label}: messageJson`);
    counts[encoded.typeUrl] = (counts[encoded.typeUrl] ?? 0) + 1;
  };
  for (let i = 0; i < 300; i += 1) {
    const m = randomMessage(r);
    check(m.ours(), `case ${i}: ${m.typeUrl}`);
  }
  // MsgUpdateDeployment, and a fractional price (DecCoin atomics back to "1234.5678").
  const fractional = TX_SDL.replace('amount: 25000', 'amount: 1234.5678');
  for (let i = 0; i < 20; i += 1) {
    const owner = r.pick(wallets).address;
    const dseq = asUint64(r, u64(r, 1n));
    check(orders.encodeUpdateDeployment({ sdl: r.bool() ? TX_SDL : fractional, owner, dseq }), `update ${i}`);
    check(orders.encodeCreateDeployment({ sdl: fractional, owner, dseq, deposit: '500000uact', depositSources: sources(r) }), `fractional ${i}`);
  }
  const price = orders.encodeCreateDeployment({ sdl: fractional, owner: ADDRESS, dseq: 1, deposit: '500000uact' }).json.groups[0].resources[0].price;
  assert.deepEqual(price, { denom: 'uact', amount: '1234.5678' });
  // MsgCloseGroup has no encoder here: chain-sdk's bytes through messageJson.
  for (let i = 0; i < 20; i += 1) {
    const typeUrl = '/akash.deployment.v1beta4.MsgCloseGroup';
    const value = MsgCloseGroup.encode(MsgCloseGroup.fromPartial({ id: { owner: r.pick(wallets).address, dseq: long(u64(r, 1n)), gseq: u32(r, 1) } })).finish();
    assertJson(orders.messageJson({ typeUrl, value }), chainSdkJson(typeUrl, value), `close group ${i}`);
  }
  assert.deepEqual(Object.keys(counts).sort(), Object.keys(JSON_TYPES).filter((t) => !t.endsWith('MsgCloseGroup')).sort());
  for (const [typeUrl, n] of Object.entries(counts)) assert.ok(n >= 20, `${typeUrl}: ${n}`);
});

test('encodeCreateDeployment json of every conformance SDL is chain-sdk toJSON of its bytes', (t) => {
  if (!conformanceFound(t)) return;
  const inputs = ['v2.0', 'v2.1'].flatMap((v) => readdirSync(join(suite, 'input', v)).sort().map((name) => `${v}/${name}`));
  assert.equal(inputs.length, 15);
  const r = prng(8);
  let endpoints = 0;
  for (const name of inputs) {
    const text = readFileSync(join(suite, 'input', name, 'input.yaml'), 'utf8').replace(/denom: *uakt/g, 'denom: uact');
    const encoded = orders.encodeCreateDeployment({ sdl: text, owner: r.pick(wallets).address, dseq: asUint64(r, u64(r, 1n)), deposit: '500000uact', depositSources: sources(r) });
    assertJson(encoded.json, chainSdkJson(encoded.typeUrl, encoded.value), name);
    endpoints += JSON.stringify(encoded.json).includes('"LEASED_IP"') ? 1 : 0;
  }
  assert.equal(endpoints, 3, 'the three IP-endpoint fixtures show LEASED_IP endpoints');
});

test('message json: reclamation (newer than chain-sdk), unknown types and bytes the JSON cannot show', () => {
  const sdl = `${TX_SDL}reclamation:\n  min_window: "24h"\n`;
  const ours = orders.encodeCreateDeployment({ sdl, owner: ADDRESS, dseq: 9, deposit: '500000uact', chainVersion: 'v2.1.0' });
  // chain-sdk 1.0.0-alpha.25 skips field 5; its generated google.protobuf.Duration writes
  // {seconds: "<int64>"}: 24 h = 86400 s.
  const { reclamation, ...rest } = ours.json;
  assertJson(rest, chainSdkJson(ours.typeUrl, ours.value));
  assert.deepEqual(reclamation, { min_window: { seconds: '86400' } });
  assert.deepEqual(Object.keys(ours.json).at(-1), 'reclamation');
  // A type this package does not know: its bytes, base64.
  const bytes = Uint8Array.from([0x0a, 0x03, 0x61, 0x62, 0x63, 0xff]);
  assert.deepEqual(orders.messageJson({ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: bytes }), { '@type': '/cosmos.bank.v1beta1.MsgSend', value: Buffer.from(bytes).toString('base64') });
  // A known type with a field chain-sdk's schema lacks (9 = 1): the JSON would hide it, so bytes.
  const close = orders.encodeCloseDeployment({ owner: ADDRESS, dseq: 5 });
  const extra = Buffer.concat([close.value, Buffer.from([0x48, 0x01])]);
  assert.deepEqual(chainSdkJson(close.typeUrl, extra), close.json, 'chain-sdk drops the unknown field');
  assert.deepEqual(orders.messageJson({ typeUrl: close.typeUrl, value: extra }), { '@type': close.typeUrl, value: extra.toString('base64') });
  // Bytes that do not decode.
  assert.deepEqual(orders.messageJson({ typeUrl: close.typeUrl, value: Uint8Array.from([0x0a, 0xff]) }), { '@type': close.typeUrl, value: 'Cv8=' });
  assert.throws(() => orders.messageJson({ typeUrl: 'no-slash', value: bytes }), { code: 'invalid-input' });
  assert.throws(() => orders.messageJson('x'), TypeError);
  // The result signs like the plain message (`json` is ignored on the way in).
  const params = { mnemonic: MNEMONIC, chainId: 'akashnet-2', accountNumber: 1, sequence: 0, fee: { amount: ['5000uakt'], gasLimit: 200000 } };
  assert.equal(orders.signTx({ ...params, messages: [ours] }).txHash, orders.signTx({ ...params, messages: [{ typeUrl: ours.typeUrl, value: ours.value }] }).txHash);
});
