// `cargo xtask bench`, orders part: signing a transaction through the package in Node (goal:
// <= 5 ms per tx), with the key derived per call (`signTx({mnemonic})`) and held
// (`MnemonicKey`), beside cosmjs's DirectSecp256k1HdWallet for scale. Prints µs per operation.
import { DirectSecp256k1HdWallet, makeAuthInfoBytes, makeSignDoc, encodePubkey } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx.js';

import { MnemonicKey, encodeCreateDeployment, signTx, createProviderJwt } from '../../pkg/orders.mjs';
import { budgetMs, measure } from './measure.mjs';

// chain.md §6.1's public test mnemonic (never funded).
const mnemonic =
  'addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien';

const key = new MnemonicKey(mnemonic);
const sdl = `version: "2.0"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources: {cpu: {units: 0.5}, memory: {size: 512Mi}, storage: {size: 1Gi}}
  placement:
    dc:
      pricing: {web: {denom: uact, amount: 1000}}
deployment:
  web: {dc: {profile: web, count: 1}}
`;
const message = encodeCreateDeployment({ sdl, owner: key.address, dseq: 1_000_000n, deposit: '500000uact' });
const tx = { chainId: 'akashnet-2', accountNumber: 1, sequence: 1, messages: [message], fee: { amount: ['5000uakt'], gasLimit: 200000 } };

const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'akash' });
const [account] = await wallet.getAccounts();
const cosmjs = async () => {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [message], memo: '' })).finish();
  const authInfoBytes = makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: 1 }], [{ denom: 'uakt', amount: '5000' }], 200000, undefined, undefined);
  const { signed, signature } = await wallet.signDirect(account.address, makeSignDoc(bodyBytes, authInfoBytes, 'akashnet-2', 1));
  return TxRaw.encode({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [Buffer.from(signature.signature, 'base64')] }).finish();
};
const ours = Buffer.from(key.signTx(tx).txBytes).toString('hex');
if (Buffer.from(await cosmjs()).toString('hex') !== ours) throw new Error('leasekit and cosmjs sign different bytes');

console.log(`Node ${process.version}: signing one MsgCreateDeployment, µs per operation, ${budgetMs} ms per measurement (goal: <= 5000 µs per tx)`);
const rows = [
  ['signTx({mnemonic}) — derive + sign', () => signTx({ ...tx, mnemonic })],
  ['MnemonicKey.signTx — key held', () => key.signTx(tx)],
  ['cosmjs signDirect — key held', cosmjs],
  ['createProviderJwt({mnemonic})', () => createProviderJwt({ mnemonic })],
  ['MnemonicKey.createProviderJwt', () => key.createProviderJwt()],
];
for (const [name, fn] of rows) {
  console.log(`${name.padEnd(40)} ${(await measure(fn, 20)).toFixed(1).padStart(10)}`);
}
key.free();
