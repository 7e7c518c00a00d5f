// `cargo xtask bench`, Node part: the package's `build` against @akashnetwork/chain-sdk's
// `generateManifest` + `generateManifestVersion` (what Console runs) on the same inputs, one
// process, alternating, after warm-up. Prints µs per document and the ratio.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManifest, generateManifestVersion } from '@akashnetwork/chain-sdk';
import yaml from 'js-yaml';

import { build } from '../../pkg/node.mjs';
import { budgetMs, measure } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = process.env.LEASEKIT_CONFORMANCE ?? resolve(root, '../shared/conformance');

const inputs = ['v2.0', 'v2.1'].flatMap((v) =>
  readdirSync(join(suite, 'input', v)).sort().map((n) => [`${v}/${n}`, readFileSync(join(suite, 'input', v, n, 'input.yaml'), 'utf8')]),
);

const ours = (text) => () => {
  if (!build(text).ok) throw new Error('leasekit rejected a fixture');
};
const theirs = (text) => async () => {
  const result = generateManifest(yaml.load(text));
  if (!result.ok) throw new Error('chain-sdk rejected a fixture');
  await generateManifestVersion(result.value.groups);
};

console.log(`Node ${process.version}: µs per document, ${budgetMs} ms per measurement`);
console.log(`${'input'.padEnd(26)} ${'leasekit'.padStart(9)} ${'chain-sdk'.padStart(10)} ${'ratio'.padStart(7)}`);
let sumOurs = 0;
let sumTheirs = 0;
let compared = 0;
for (const [name, text] of inputs) {
  const a = await measure(ours(text));
  if (!generateManifest(yaml.load(text)).ok) {
    // chain-sdk 1.0.0-alpha.25 predates TEE (see tests/node): nothing to compare.
    console.log(`${name.padEnd(26)} ${a.toFixed(1).padStart(9)} ${'rejects'.padStart(10)} ${'-'.padStart(7)}`);
    continue;
  }
  const b = await measure(theirs(text));
  sumOurs += a;
  sumTheirs += b;
  compared++;
  console.log(`${name.padEnd(26)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(10)} ${(b / a).toFixed(1).padStart(6)}x`);
}
const [meanOurs, meanTheirs] = [sumOurs / compared, sumTheirs / compared];
console.log(`${`mean of ${compared}`.padEnd(26)} ${meanOurs.toFixed(1).padStart(9)} ${meanTheirs.toFixed(1).padStart(10)} ${(meanTheirs / meanOurs).toFixed(1).padStart(6)}x   (goal: >= 10x)`);
