// Node's ES-module entry: the `nodejs` build is CommonJS and instantiates its Wasm synchronously
// on load, so there is no init call; this file only re-exports it with named exports.
import { createRequire } from 'node:module';

const leasekit = createRequire(import.meta.url)('./nodejs/leasekit.js');

export const { check, build, planIps, simulate } = leasekit;
export default leasekit;
