// Node's ES-module entry of `leasekit/orders`: the `nodejs` build is CommonJS and instantiates
// its Wasm synchronously on load, so there is no init call; this file only re-exports it.
import { createRequire } from 'node:module';

const orders = createRequire(import.meta.url)('./orders/nodejs/leasekit_orders.js');

export const {
  encodeCreateDeployment,
  encodeUpdateDeployment,
  encodeCloseDeployment,
  encodeCreateLease,
  encodeCloseLease,
  encodeAccountDeposit,
  encodeMintAct,
  messageJson,
  signTx,
  makeSignDoc,
  assembleTx,
  addressFromMnemonic,
  accountFromMnemonic,
  generateMnemonic,
  createProviderJwt,
  jwtSigningInput,
  assembleJwt,
  verifyProviderJwt,
  MnemonicKey,
} = orders;
export default orders;
