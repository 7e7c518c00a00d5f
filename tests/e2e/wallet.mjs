// A Keplr-compatible wallet for the end-to-end tests: `window.keplr` in the page (enable,
// experimentalSuggestChain, getKey, signDirect, signArbitrary, getOfflineSigner), whose keys
// live in Node and whose signatures come from @cosmjs — a signer independent of the Rust
// signing code the app uses for dev keys. The page side only moves bytes (base64) across
// `exposeFunction`; every call is recorded, decoded, so tests can assert what was signed.
//
// ADR-36 (signArbitrary) is built here from the spec, not taken from a library helper: an amino
// StdSignDoc with chain_id "", account_number "0", sequence "0", fee {gas "0", amount []},
// memo "" and one msg {type "sign/MsgSignData", value {signer, data: base64(data)}}, signed
// over sha256 of its sorted JSON (what Keplr and Leap do).
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { fromBech32, toBase64 } from '@cosmjs/encoding';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { MsgCloseDeployment, MsgCreateDeployment, MsgUpdateDeployment } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgCloseLease, MsgCreateLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx.js';

/** Chains a fresh Keplr knows without a suggestion; any other must be suggested first. */
const BUILT_IN_CHAINS = ['akashnet-2'];
const BRIDGE = '__leasekitTestWallet';

/** Decoders for the messages the app signs, to record them readably. */
const DECODERS = {
  '/akash.deployment.v1beta4.MsgCreateDeployment': MsgCreateDeployment,
  '/akash.deployment.v1beta4.MsgUpdateDeployment': MsgUpdateDeployment,
  '/akash.deployment.v1beta4.MsgCloseDeployment': MsgCloseDeployment,
  '/akash.market.v1beta5.MsgCreateLease': MsgCreateLease,
  '/akash.market.v1beta5.MsgCloseLease': MsgCloseLease,
};

/** The ADR-36 amino sign doc for `data` (bytes) signed by `signer`. */
export function adr36SignDoc(signer, data) {
  return {
    chain_id: '',
    account_number: '0',
    sequence: '0',
    fee: { gas: '0', amount: [] },
    msgs: [{ type: 'sign/MsgSignData', value: { signer, data: Buffer.from(data).toString('base64') } }],
    memo: '',
  };
}

/**
 * Installs the wallet of `mnemonic` into every page of the Playwright `context` (before any
 * page script runs). Returns the recorder: `address`, `publicKey` (33 bytes), `calls` (every
 * call in order), `signedMessages(typeUrl?)`, and `rejectNext` (set to make the next signing
 * request fail as a user's "Reject" does).
 */
export async function installWallet(context, { mnemonic, prefix = 'akash', name = 'leasekit-e2e' }) {
  const direct = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
  const amino = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
  const [account] = await direct.getAccounts();
  const known = new Set(BUILT_IN_CHAINS);
  const enabled = new Set();
  const wallet = {
    address: account.address,
    publicKey: account.pubkey,
    calls: [],
    suggested: [],
    rejectNext: false,
    /** Every message signed with signDirect, decoded, optionally only those of `typeUrl`. */
    signedMessages(typeUrl) {
      const all = this.calls.filter((c) => c.method === 'signDirect' && c.ok).flatMap((c) => c.messages);
      return typeUrl ? all.filter((m) => m.typeUrl === typeUrl || m.typeUrl.endsWith(`.${typeUrl}`)) : all;
    },
  };

  const requireKnown = (chainId) => {
    if (!known.has(chainId)) throw new Error(`There is no chain info for ${chainId}`);
  };
  const requireSigner = (chainId, signer) => {
    requireKnown(chainId);
    if (!enabled.has(chainId)) throw new Error(`${chainId} is not enabled`);
    if (signer !== wallet.address) throw new Error(`Unknown signer address: ${signer}`);
    if (wallet.rejectNext) {
      wallet.rejectNext = false;
      throw new Error('Request rejected');
    }
  };

  const methods = {
    async enable({ chainIds }) {
      chainIds.forEach(requireKnown);
      chainIds.forEach((id) => enabled.add(id));
      return null;
    },
    async experimentalSuggestChain({ info }) {
      if (typeof info?.chainId !== 'string' || typeof info?.rest !== 'string') {
        throw new Error('chain info needs chainId and rest');
      }
      wallet.suggested.push(info);
      known.add(info.chainId);
      return null;
    },
    async getKey({ chainId }) {
      requireKnown(chainId);
      return {
        name,
        algo: 'secp256k1',
        pubKey: toBase64(account.pubkey),
        address: toBase64(fromBech32(account.address).data),
        bech32Address: account.address,
        isNanoLedger: false,
        isKeystone: false,
      };
    },
    async signDirect({ chainId, signer, bodyBytes, authInfoBytes, docChainId, accountNumber }) {
      if (docChainId !== chainId) throw new Error(`sign doc is for ${docChainId}, not ${chainId}`);
      const doc = {
        bodyBytes: Buffer.from(bodyBytes, 'base64'),
        authInfoBytes: Buffer.from(authInfoBytes, 'base64'),
        chainId: docChainId,
        accountNumber: BigInt(accountNumber),
      };
      const record = { method: 'signDirect', chainId, signer, accountNumber, ok: false, ...decodeTx(doc) };
      wallet.calls.push(record);
      requireSigner(chainId, signer);
      const { signature } = await direct.signDirect(signer, doc);
      record.ok = true;
      record.signature = signature.signature;
      return { signature };
    },
    async signArbitrary({ chainId, signer, data, encoding }) {
      const bytes = Buffer.from(data, encoding === 'utf8' ? 'utf8' : 'base64');
      const record = { method: 'signArbitrary', chainId, signer, data: bytes.toString('utf8'), ok: false };
      wallet.calls.push(record);
      requireSigner(chainId, signer);
      const { signature } = await amino.signAmino(signer, adr36SignDoc(signer, bytes));
      record.ok = true;
      record.signature = signature.signature;
      return signature;
    },
  };

  await context.exposeFunction(BRIDGE, async (method, argsJson) => {
    const handler = methods[method];
    if (!handler) throw new Error(`test wallet: no method ${method}`);
    const args = JSON.parse(argsJson);
    // The signing methods record themselves, decoded; the others as called.
    const record = method.startsWith('sign') ? null : { method, ...args, ok: false };
    if (record) wallet.calls.push(record);
    const result = await handler(args);
    if (record) record.ok = true;
    return JSON.stringify(result);
  });
  await context.addInitScript(pageWallet, { bridge: BRIDGE });
  return wallet;
}

/** The body's messages (decoded where we know the type) and the fee of a SignDoc. */
function decodeTx(doc) {
  const body = TxBody.decode(doc.bodyBytes);
  const authInfo = AuthInfo.decode(doc.authInfoBytes);
  const messages = body.messages.map(({ typeUrl, value }) => {
    const decoder = DECODERS[typeUrl];
    return { typeUrl, value: decoder ? decoder.decode(value) : null };
  });
  return {
    messages,
    memo: body.memo,
    fee: authInfo.fee?.amount.map((c) => `${c.amount}${c.denom}`).join(',') ?? '',
    gas: String(authInfo.fee?.gasLimit ?? ''),
    sequence: String(authInfo.signerInfos[0]?.sequence ?? ''),
  };
}

/** Runs in the page before its scripts: `window.keplr`, moving bytes as base64. */
function pageWallet({ bridge }) {
  const toB64 = (bytes) => {
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  };
  const fromB64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const asBytes = (value) => {
    if (value instanceof Uint8Array) return value;
    if (value == null) return new Uint8Array();
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return Uint8Array.from(value);
  };
  // A Long ({low, high}) as cosmjs-types < 0.9 and Keplr's own types use, a bigint, or a number.
  const decimal = (value) => {
    if (value == null) return '0';
    if (typeof value === 'object' && 'low' in value && 'high' in value) {
      return ((BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)).toString();
    }
    return String(value);
  };
  const call = async (method, args) => JSON.parse(await window[bridge](method, JSON.stringify(args)));

  const keplr = {
    version: '0.12.0-leasekit-e2e',
    mode: 'extension',
    defaultOptions: {},
    async enable(chainIds) {
      await call('enable', { chainIds: [].concat(chainIds) });
    },
    async experimentalSuggestChain(info) {
      await call('experimentalSuggestChain', { info });
    },
    async getKey(chainId) {
      const key = await call('getKey', { chainId });
      return { ...key, pubKey: fromB64(key.pubKey), address: fromB64(key.address) };
    },
    async signDirect(chainId, signer, signDoc) {
      const bodyBytes = asBytes(signDoc.bodyBytes);
      const authInfoBytes = asBytes(signDoc.authInfoBytes);
      const { signature } = await call('signDirect', {
        chainId,
        signer,
        bodyBytes: toB64(bodyBytes),
        authInfoBytes: toB64(authInfoBytes),
        docChainId: signDoc.chainId,
        accountNumber: decimal(signDoc.accountNumber),
      });
      // Keplr answers with the doc it signed (unchanged here: no fee override) and the signature.
      return {
        signed: { bodyBytes, authInfoBytes, chainId: signDoc.chainId, accountNumber: signDoc.accountNumber },
        signature,
      };
    },
    async signArbitrary(chainId, signer, data) {
      const utf8 = typeof data === 'string';
      return call('signArbitrary', { chainId, signer, data: utf8 ? data : toB64(asBytes(data)), encoding: utf8 ? 'utf8' : 'base64' });
    },
    getOfflineSigner(chainId) {
      return {
        getAccounts: async () => {
          const key = await keplr.getKey(chainId);
          return [{ address: key.bech32Address, algo: key.algo, pubkey: key.pubKey }];
        },
        signDirect: (signer, signDoc) => keplr.signDirect(chainId, signer, signDoc),
      };
    },
  };
  keplr.getOfflineSignerAuto = async (chainId) => keplr.getOfflineSigner(chainId);
  window.keplr = keplr;
}
