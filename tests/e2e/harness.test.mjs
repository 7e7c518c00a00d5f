// The end-to-end harness itself, checked against independent references before any deploy test
// relies on it: the injected Keplr's signatures verify with other code than the one that made
// them (a hand-encoded SignDoc and @noble/curves for signDirect; a hand-written sorted JSON and
// @cosmjs/crypto for ADR-36), its address is the published one of a known mnemonic, it refuses
// what Keplr refuses; and the devnet helper starts, parses and stops `leasekit devnet`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secp256k1, Secp256k1Signature } from '@cosmjs/crypto';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { MsgCreateDeployment } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { secp256k1 } from '@noble/curves/secp256k1';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx.js';
import { chromium } from 'playwright-core';

import { parseBanner, startDevnet } from './devnet.mjs';
import { serveDirectory } from './static-server.mjs';
import { installWallet } from './wallet.mjs';

// BIP-39's all-zero-entropy phrase; toolchain.md §4 and cosmjs's docs give its first Cosmos
// account (m/44'/118'/0'/0/0) as cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4.
const ABANDON = `${'abandon '.repeat(11)}about`;
const ABANDON_COSMOS = 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4';
const CHAIN_ID = 'leasekit-devnet-1';

const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

/** Protobuf varint. */
function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** cosmos.tx.v1beta1.SignDoc encoded by hand: fields 1–3 length-delimited, 4 a varint. */
function signDocBytes({ bodyBytes, authInfoBytes, chainId, accountNumber }) {
  const field = (number, bytes) => [(number << 3) | 2, ...varint(bytes.length), ...bytes];
  return Uint8Array.from([
    ...field(1, bodyBytes),
    ...field(2, authInfoBytes),
    ...field(3, Buffer.from(chainId, 'utf8')),
    ...(BigInt(accountNumber) === 0n ? [] : [4 << 3, ...varint(accountNumber)]),
  ]);
}

/** Amino's canonical JSON: keys sorted at every level, no spaces. */
function sortedJson(value) {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('injected test wallet (window.keplr, signed by @cosmjs in Node)', () => {
  let browser;
  let server;
  let emptyDir;

  before(async () => {
    emptyDir = await mkdtemp(join(tmpdir(), 'leasekit-e2e-empty-'));
    server = await serveDirectory(emptyDir, { files: { '/index.html': '<!doctype html><title>wallet</title>' } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(emptyDir, { recursive: true, force: true });
  });

  test('keys, signDirect, signArbitrary (ADR-36) and refusals', async () => {
    const context = await browser.newContext();
    const wallet = await installWallet(context, { mnemonic: ABANDON });
    assert.equal(wallet.address, toBech32('akash', fromBech32(ABANDON_COSMOS).data));
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);

    // A fresh Keplr knows mainnet only: the devnet must be suggested before enable.
    const refused = await page.evaluate((id) => window.keplr.enable(id).then(() => 'enabled', (e) => e.message), CHAIN_ID);
    assert.match(refused, /no chain info/);
    await page.evaluate(
      (id) => window.keplr.experimentalSuggestChain({ chainId: id, chainName: 'devnet', rest: 'http://127.0.0.1:1', rpc: 'http://127.0.0.1:1', bech32Config: { bech32PrefixAccAddr: 'akash' } }),
      CHAIN_ID,
    );
    await page.evaluate((id) => window.keplr.enable(id), CHAIN_ID);
    const key = await page.evaluate(async (id) => {
      const k = await window.keplr.getKey(id);
      return { ...k, pubKey: Array.from(k.pubKey), address: Array.from(k.address), pubKeyType: k.pubKey.constructor.name };
    }, CHAIN_ID);
    assert.equal(key.bech32Address, wallet.address);
    assert.equal(key.pubKeyType, 'Uint8Array');
    assert.equal(key.pubKey.length, 33);
    assert.deepEqual(key.address, Array.from(fromBech32(wallet.address).data));
    assert.equal(key.isNanoLedger, false);
    // The public key is the one whose hash is the address (ripemd160(sha256(pk))), checked by
    // deriving it with cosmjs's other wallet class.
    const [direct] = await (await DirectSecp256k1HdWallet.fromMnemonic(ABANDON, { prefix: 'akash' })).getAccounts();
    assert.deepEqual(key.pubKey, Array.from(direct.pubkey));

    // signDirect over a real create-deployment body; the signature checks against a SignDoc
    // encoded here by hand and @noble/curves.
    const create = MsgCreateDeployment.fromPartial({ id: { owner: wallet.address, dseq: 77n }, hash: new Uint8Array(32).fill(7) });
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: [{ typeUrl: '/akash.deployment.v1beta4.MsgCreateDeployment', value: MsgCreateDeployment.encode(create).finish() }], memo: 'e2e' }),
    ).finish();
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({ fee: { amount: [{ denom: 'uakt', amount: '5000' }], gasLimit: 400000n }, signerInfos: [{ sequence: 3n }] }),
    ).finish();
    const signed = await page.evaluate(
      async ({ id, signer, body, authInfo }) => {
        const r = await window.keplr.signDirect(id, signer, { bodyBytes: Uint8Array.from(body), authInfoBytes: Uint8Array.from(authInfo), chainId: id, accountNumber: 12n });
        return { body: Array.from(r.signed.bodyBytes), accountNumber: String(r.signed.accountNumber), signature: r.signature };
      },
      { id: CHAIN_ID, signer: wallet.address, body: Array.from(bodyBytes), authInfo: Array.from(authInfoBytes) },
    );
    assert.deepEqual(signed.body, Array.from(bodyBytes));
    assert.equal(signed.accountNumber, '12');
    assert.equal(signed.signature.pub_key.type, 'tendermint/PubKeySecp256k1');
    assert.equal(signed.signature.pub_key.value, Buffer.from(key.pubKey).toString('base64'));
    const signature = Buffer.from(signed.signature.signature, 'base64');
    assert.equal(signature.length, 64);
    const digest = sha256(signDocBytes({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: 12n }));
    assert.ok(secp256k1.verify(signature, digest, Uint8Array.from(key.pubKey)), 'signDirect signature verifies');
    const otherDigest = sha256(signDocBytes({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: 13n }));
    assert.ok(!secp256k1.verify(signature, otherDigest, Uint8Array.from(key.pubKey)), 'and only for its doc');
    // Keplr's own types give the account number as a Long: the same doc, the same signature.
    const withLong = await page.evaluate(
      async ({ id, signer, body, authInfo }) => {
        const r = await window.keplr.signDirect(id, signer, { bodyBytes: Uint8Array.from(body), authInfoBytes: Uint8Array.from(authInfo), chainId: id, accountNumber: { low: 12, high: 0, unsigned: true } });
        return r.signature.signature;
      },
      { id: CHAIN_ID, signer: wallet.address, body: Array.from(bodyBytes), authInfo: Array.from(authInfoBytes) },
    );
    assert.equal(withLong, signed.signature.signature);
    // The recording decodes what was signed.
    const [message] = wallet.signedMessages('MsgCreateDeployment');
    assert.equal(wallet.signedMessages('MsgCreateDeployment').length, 2);
    assert.equal(message.value.id.dseq.toString(), '77');
    assert.equal(wallet.calls.at(-1).fee, '5000uakt');
    assert.equal(wallet.calls.at(-1).sequence, '3');

    // signArbitrary: ADR-36 over a JWT-like string, checked with a sorted JSON written here.
    const data = 'eyJhbGciOiJFUzI1NktBRFIzNiJ9.eyJpc3MiOiJ0ZXN0In0';
    const arbitrary = await page.evaluate(({ id, signer, text }) => window.keplr.signArbitrary(id, signer, text), {
      id: CHAIN_ID,
      signer: wallet.address,
      text: data,
    });
    assert.equal(arbitrary.pub_key.value, Buffer.from(key.pubKey).toString('base64'));
    const doc = sortedJson({
      account_number: '0',
      chain_id: '',
      fee: { amount: [], gas: '0' },
      memo: '',
      msgs: [{ type: 'sign/MsgSignData', value: { data: Buffer.from(data).toString('base64'), signer: wallet.address } }],
      sequence: '0',
    });
    const adr36 = Secp256k1Signature.fromFixedLength(Buffer.from(arbitrary.signature, 'base64'));
    assert.ok(await Secp256k1.verifySignature(adr36, sha256(Buffer.from(doc, 'utf8')), Uint8Array.from(key.pubKey)), 'ADR-36 verifies');
    // Bytes are signed as bytes: the same data given as a Uint8Array signs the same doc.
    const fromBytes = await page.evaluate(({ id, signer, text }) => window.keplr.signArbitrary(id, signer, new TextEncoder().encode(text)), {
      id: CHAIN_ID,
      signer: wallet.address,
      text: data,
    });
    assert.equal(fromBytes.signature, arbitrary.signature);

    // Refusals: another signer; a user's "Reject".
    const stranger = toBech32('akash', new Uint8Array(20));
    const wrongSigner = await page.evaluate(({ id, signer }) => window.keplr.signArbitrary(id, signer, 'x').then(() => 'signed', (e) => e.message), { id: CHAIN_ID, signer: stranger });
    assert.match(wrongSigner, /Unknown signer/);
    wallet.rejectNext = true;
    const rejected = await page.evaluate(({ id, signer }) => window.keplr.signArbitrary(id, signer, 'x').then(() => 'signed', (e) => e.message), { id: CHAIN_ID, signer: wallet.address });
    assert.match(rejected, /Request rejected/);
    assert.deepEqual(
      wallet.calls.map((c) => `${c.method}:${c.ok}`),
      ['enable:false', 'experimentalSuggestChain:true', 'enable:true', 'getKey:true', 'signDirect:true', 'signDirect:true', 'signArbitrary:true', 'signArbitrary:true', 'signArbitrary:false', 'signArbitrary:false'],
    );

    // The offline signer view of the same key.
    const accounts = await page.evaluate(async (id) => (await window.keplr.getOfflineSigner(id).getAccounts()).map((a) => a.address), CHAIN_ID);
    assert.deepEqual(accounts, [wallet.address]);
    await context.close();
  });
});

describe('devnet helper', () => {
  test('parses the banner', () => {
    const text = `leasekit devnet: chain leasekit-devnet-1
  chain REST    http://127.0.0.1:41000
  proxy         http://127.0.0.1:41001
  provider 1    akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq https://127.0.0.1:41002
  test account  akash1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz (funded with AKT and ACT)
  mnemonic      word1 word2 word3
                (a devnet key: never use it on a real network)
Ctrl-C stops; the chain is kept in the data dir.
`;
    assert.equal(parseBanner(text.split('Ctrl-C')[0]), null, 'not ready before the last line');
    assert.deepEqual(parseBanner(text), {
      chainId: 'leasekit-devnet-1',
      chainRest: 'http://127.0.0.1:41000',
      proxy: 'http://127.0.0.1:41001',
      providers: [{ address: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', hostUri: 'https://127.0.0.1:41002' }],
      address: 'akash1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
      mnemonic: 'word1 word2 word3',
    });
  });

  test('starts leasekit devnet on free ports, funds the printed account, stops', async () => {
    const devnet = await startDevnet();
    try {
      assert.equal(devnet.chainId, CHAIN_ID);
      assert.match(devnet.chainRest, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(devnet.proxy, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(devnet.providers.length >= 1, devnet.log());
      assert.equal(devnet.mnemonic.split(' ').length, 24);
      // The printed account is the mnemonic's first account, derived by cosmjs.
      const [account] = await (await DirectSecp256k1HdWallet.fromMnemonic(devnet.mnemonic, { prefix: 'akash' })).getAccounts();
      assert.equal(devnet.address, account.address);
      const { balances } = await devnet.get(`/cosmos/bank/v1beta1/balances/${devnet.address}`);
      const denoms = Object.fromEntries(balances.map((b) => [b.denom, BigInt(b.amount)]));
      assert.ok(denoms.uakt > 0n && denoms.uact > 0n, JSON.stringify(balances));
      const providers = (await devnet.get('/akash/provider/v1beta4/providers')).providers.map((p) => p.owner);
      assert.deepEqual(providers, devnet.providers.map((p) => p.address));
      assert.deepEqual(await devnet.deployments(devnet.address), []);
      // The proxy answers (its CORS preflight, without a provider).
      const preflight = await fetch(devnet.proxy, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'GET' } });
      assert.ok(preflight.status < 500, `proxy preflight: ${preflight.status}`);
    } finally {
      await devnet.stop();
    }
    await assert.rejects(fetch(`${devnet.chainRest}/cosmos/base/tendermint/v1beta1/node_info`), 'stopped');
  });
});
