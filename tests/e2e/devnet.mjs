// A local devnet for the end-to-end tests: `leasekit devnet` (chain, simulated TLS providers,
// proxy) as a child process on free ports with a fresh data dir, its banner parsed for the
// endpoints and the funded test account, ready once node_info answers; and the chain REST
// queries the tests use to check what the app did, independently of the app.
//
// The binary is built beforehand (`cargo xtask test` builds leasekit-cli and passes its path in
// LEASEKIT_CLI); a test never runs cargo.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The CLI binary: $LEASEKIT_CLI, else the workspace's debug build. */
export const cli = process.env.LEASEKIT_CLI ?? join(root, 'target/debug/leasekit');

/**
 * Polls `check` (sync or async) every `interval` ms until it returns a truthy value, which is
 * returned; throws after `timeout` ms with `what` and the last value or error. The only way the
 * tests wait for the chain: a condition with a deadline, never a fixed sleep.
 */
export async function until(check, { timeout = 30_000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * The banner of `leasekit devnet` → {chainId, chainRest, proxy, providers: [{address, hostUri}],
 * address, mnemonic}; null until the closing `Ctrl-C stops` line has been seen.
 */
export function parseBanner(text) {
  const lines = text.split('\n');
  if (!lines.some((l) => l.startsWith('Ctrl-C stops'))) return null;
  const field = (label) => {
    const line = lines.find((l) => l.trimStart().startsWith(label));
    if (!line) throw new Error(`devnet banner has no "${label}" line:\n${text}`);
    return line.trimStart().slice(label.length).trim();
  };
  const providers = lines
    .map((l) => /^\s*provider \d+\s+(akash1[0-9a-z]+)\s+(\S+)$/.exec(l))
    .filter(Boolean)
    .map(([, address, hostUri]) => ({ address, hostUri }));
  return {
    chainId: /^leasekit devnet: chain (\S+)$/m.exec(text)?.[1],
    chainRest: field('chain REST'),
    proxy: field('proxy'),
    providers,
    address: field('test account').split(/\s+/)[0],
    mnemonic: field('mnemonic'),
  };
}

/**
 * Starts `leasekit devnet` with a fresh data dir on free ports and waits until its REST answers
 * node_info with the banner's chain id. Returns the parsed banner plus `get(path)` (chain REST
 * JSON), the queries below and `stop()` (Ctrl-C, then the data dir is removed).
 */
export async function startDevnet({ timeout = 60_000 } = {}) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build it with \`cargo build -p leasekit-cli\``);
  const dataDir = await mkdtemp(join(tmpdir(), 'leasekit-e2e-devnet-'));
  const child = spawn(cli, ['devnet', '--data-dir', dataDir, '--rest', '127.0.0.1:0', '--proxy', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the test process dies, the devnet must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  const banner = await new Promise((resolveBanner, reject) => {
    const timer = setTimeout(() => reject(new Error(`no devnet banner after ${timeout} ms:\n${stdout}${stderr}`)), timeout);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      try {
        const parsed = parseBanner(stdout);
        if (parsed) {
          clearTimeout(timer);
          resolveBanner(parsed);
        }
      } catch (error) {
        clearTimeout(timer);
        reject(error);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`leasekit devnet exited (${code ?? signal}) before it was ready:\n${stdout}${stderr}`));
    });
  }).catch(async (error) => {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  async function get(path) {
    const response = await fetch(new URL(path, banner.chainRest));
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${body}`);
    return JSON.parse(body);
  }

  const devnet = {
    ...banner,
    dataDir,
    get,
    log: () => stdout + stderr,
    /** `deployments/info` of (owner, dseq), or null if the chain has none. */
    async deployment(owner, dseq) {
      const response = await fetch(
        new URL(`/akash/deployment/v1beta4/deployments/info?id.owner=${owner}&id.dseq=${dseq}`, banner.chainRest),
      );
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`deployment ${dseq}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** Every deployment of `owner` (`deployments/list` entries). */
    async deployments(owner) {
      return (await get(`/akash/deployment/v1beta4/deployments/list?filters.owner=${owner}`)).deployments;
    },
    /** The leases of (owner, dseq). */
    async leases(owner, dseq) {
      return (await get(`/akash/market/v1beta5/leases/list?filters.owner=${owner}&filters.dseq=${dseq}`)).leases;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // Ctrl-C: the devnet saves its chain and stops
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  try {
    await until(
      async () => (await get('/cosmos/base/tendermint/v1beta1/node_info')).default_node_info?.network === banner.chainId,
      { timeout, what: `node_info of ${banner.chainRest} with network ${banner.chainId}` },
    );
  } catch (error) {
    await devnet.stop();
    throw error;
  }
  return devnet;
}
