// The deploy app end to end, in headless Chromium against a real local devnet (`leasekit devnet`:
// chain, simulated TLS providers, proxy — see devnet.mjs): build an SDL with a leased IP and a
// UDP port in the form, review, sign, accept a bid, watch the IP come up, inject it as an env
// var, close. Signing goes through a Keplr-compatible wallet injected into the page and backed
// by @cosmjs in Node (wallet.mjs), or through the app's own dev key. What the app did is checked
// from outside it: the wallet's record of what was signed, the chain REST, the providers'
// journals, and the CLI's version hash of the YAML the app shows.
//
// The app is dist/ (LEASEKIT_DIST), served with a config.json pointing at this test's devnet;
// the UI is found by the accessible names and test ids of the UI contract (README: Tests).
// Every page fails its test on an uncaught exception or a console error. Screenshots of each
// step: artifacts/e2e/deploy-<scenario>-<nn>-<step>.png.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { cli, startDevnet, until } from './devnet.mjs';
import { serveDirectory } from './static-server.mjs';
import { installWallet } from './wallet.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = resolve(process.env.LEASEKIT_DIST ?? join(root, 'dist'));
const screenshots = join(root, 'artifacts/e2e');

/** Chain steps (a block is 1 s; bids come a block after the order) get this long. */
const CHAIN_TIMEOUT = 90_000;
/** Each scenario as a whole. */
const SCENARIO_TIMEOUT = 300_000;
const MSG_CREATE = 'MsgCreateDeployment';
/** What a first visit shows in the editor (web/src/examples.rs's default). */
const DEFAULT_EXAMPLE = join(root, 'web/examples/ip-lease-hello-world.yaml');
/** Two placement groups, a service with an IP endpoint of its own in each. */
const TWO_GROUPS = join(root, 'crates/deploy/tests/fixtures/two-groups.yaml');
const TEST_NET = /^203\.0\.113\.\d{1,3}$/; // the devnet providers' pool (RFC 5737 TEST-NET-3)

let devnet;
let server;
let browser;
let pageErrors = [];
const timings = [];

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), `${dist}/index.html is missing: run \`cargo xtask serve\` first`);
  mkdirSync(screenshots, { recursive: true });
  devnet = await startDevnet();
  const config = { network: 'devnet', chainRest: devnet.chainRest, proxy: devnet.proxy };
  server = await serveDirectory(dist, { files: { '/config.json': `${JSON.stringify(config)}\n` } });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await devnet?.stop();
  for (const { scenario, seconds } of timings) console.log(`timing: deploy ${scenario}: ${seconds.toFixed(1)} s`);
});

afterEach(async () => {
  // A public node answers no CORS preflight, nor does the devnet: every request the page
  // made to the chain REST was a simple request, or this count would have moved.
  const preflights = await (await fetch(new URL('/leasekit/devnet/preflights', devnet.chainRest))).json();
  assert.equal(preflights.refused, 0, 'the page sent a CORS preflight to the chain REST');
  const errors = pageErrors;
  pageErrors = [];
  assert.deepEqual(errors, [], 'the page logged errors');
});

/**
 * Chromium logs every 4xx answer to a fetch as a console error, and the chain REST answers "not
 * yet" with 404: a tx looked up by hash before its block, a deployment looked up (on resume)
 * before its create is included. Those two lookups, on this devnet's REST, are the app working
 * as intended; any other 404 — or any error the app itself logs — fails the test.
 */
function expectedNotFound(message) {
  if (!message.text().startsWith('Failed to load resource: the server responded with a status of 404')) return false;
  const url = new URL(message.location().url);
  return (
    url.origin === devnet.chainRest &&
    (/^\/cosmos\/tx\/v1beta1\/txs\/[0-9A-F]{64}$/.test(url.pathname) || url.pathname === '/akash/deployment/v1beta4/deployments/info')
  );
}

/** One scenario's browser context, page, screenshot counter and clock. */
class Run {
  constructor(scenario) {
    this.scenario = scenario;
    this.shots = 0;
    this.started = performance.now();
  }

  /** A fresh profile (empty storage), with the test Keplr injected if `wallet`. */
  async open({ wallet = false } = {}) {
    this.context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    this.context.setDefaultTimeout(30_000);
    if (wallet) this.wallet = await installWallet(this.context, { mnemonic: devnet.mnemonic });
    this.page = await this.context.newPage();
    this.page.on('pageerror', (error) => pageErrors.push(`${this.scenario}: pageerror: ${error.message}`));
    this.page.on('console', (message) => {
      if (message.type() === 'error' && !expectedNotFound(message) && !this.allowedError?.(message)) {
        pageErrors.push(`${this.scenario}: console.error: ${message.text()} (${message.location().url})`);
      }
    });
    // A confirmation ("close this deployment?") is answered yes, as the user would.
    this.page.on('dialog', (dialog) => dialog.accept());
    await this.page.goto(server.url);
    await views(this.page).waitFor();
    return this.page;
  }

  async shot(step) {
    this.shots += 1;
    const name = `deploy-${this.scenario}-${String(this.shots).padStart(2, '0')}-${step}.png`;
    await this.page.screenshot({ path: join(screenshots, name), fullPage: true });
    console.log(`screenshot: artifacts/e2e/${name}`);
  }

  /** Keeps a screenshot of where a scenario failed (`…-failed.png`), then fails it. */
  async failed(error) {
    if (this.page && !this.page.isClosed()) await this.shot('failed').catch(() => {});
    throw error;
  }

  async close() {
    timings.push({ scenario: this.scenario, seconds: (performance.now() - this.started) / 1000 });
    await this.context?.close();
  }
}

/** Runs one scenario in its own browser context; a failure keeps a screenshot of where it was. */
async function scenario(name, body) {
  const run = new Run(name);
  try {
    await body(run);
  } catch (error) {
    await run.failed(error);
  } finally {
    await run.close();
  }
}

// --- the UI contract -----------------------------------------------------------------------

const views = (page) => page.getByRole('navigation', { name: 'Views' });
const button = (scope, name) => scope.getByRole('button', { name, exact: true });
const editor = (page) => page.getByTestId('editor');
const progress = (page) => page.getByRole('list', { name: 'Deploy progress' });
const acceptButtons = (page) => page.getByRole('button', { name: /^Accept bid from akash1[0-9a-z]+$/ });

/** A view's tab is a link to its route (`#/build`, `#/deploy`, `#/deployments`). */
async function showView(page, name) {
  const tab = views(page).getByRole('link', { name, exact: true });
  await tab.click();
  await until(async () => (await tab.getAttribute('aria-current')) === 'page', { what: `the ${name} view` });
}

/** Waits until progress step `step` has a `data-state` matching `states`; a failed step fails at once. */
async function stepState(page, step, states, timeout = CHAIN_TIMEOUT) {
  const item = progress(page).locator(`[data-step=${step}]`);
  const seen = await until(
    async () => {
      const state = await item.getAttribute('data-state', { timeout: 1000 });
      if (state === 'failed') return { failed: await page.getByRole('alert').allInnerTexts() };
      return states.test(state ?? '') && { state };
    },
    { timeout, interval: 250, what: `deploy step ${step} ${states}` },
  );
  if (seen.failed) throw new Error(`deploy step ${step} failed: ${JSON.stringify(seen.failed)}`);
  return seen.state;
}

/** Waits until the editor's YAML matches `pattern`; returns the text. */
async function yamlMatching(page, pattern, what) {
  return until(
    async () => {
      const text = await editor(page).inputValue();
      return pattern.test(text) && text;
    },
    { timeout: 10_000, what: `YAML with ${what}` },
  );
}

/** Fills a form field and leaves it, so its change applies. */
async function setField(field, value) {
  await field.fill(value);
  await field.press('Tab');
}

async function connectKeplr(run) {
  await button(run.page, 'Connect Keplr').click();
  await addressShown(run.page);
}

async function addressShown(page) {
  const address = page.getByTestId('wallet-address');
  await until(async () => (await address.textContent({ timeout: 1000 }))?.trim() === devnet.address, {
    timeout: 30_000,
    what: `wallet-address ${devnet.address}`,
  });
}

/**
 * Build view → "New SDL" → an IP endpoint (`endpoint`) for Port 1 (80/TCP) and, if `udp`, a second
 * port 27015/UDP, global, on the same endpoint. Returns the YAML. Each scenario names its own
 * endpoint: a provider withholds an address an owner's other deployment holds under the same
 * name, so one scenario's leftover lease would otherwise starve the next.
 */
async function buildIpSdl(run, { udp, endpoint = 'public' }) {
  const { page } = run;
  await showView(page, 'Build');
  await button(page, 'New SDL').click();
  await yamlMatching(page, /^services:\n {2}web:$/m, 'the one-service template');
  assert.doesNotMatch(await editor(page).inputValue(), /kind: ip/, 'the template has no IP endpoint');

  await setField(page.getByLabel('New endpoint name', { exact: true }), endpoint);
  await button(page, 'Add endpoint').click();
  await yamlMatching(page, new RegExp(`^endpoints:\n {2}${endpoint}:\n {4}kind: ip$`, 'm'), `endpoint ${endpoint}`);

  const service = page.getByRole('group', { name: 'Service web', exact: true });
  const port1 = service.getByRole('group', { name: 'Port 1', exact: true });
  await port1.getByLabel('IP endpoint', { exact: true }).selectOption(endpoint);
  await yamlMatching(page, new RegExp(`^ +ip: ${endpoint}$`, 'm'), `ip: ${endpoint} on port 1`);
  if (!udp) return editor(page).inputValue();

  await button(service, 'Add port').click();
  const port2 = service.getByRole('group', { name: 'Port 2', exact: true });
  await setField(port2.getByLabel('Port', { exact: true }), '27015');
  await yamlMatching(page, /port: 27015/, 'port 27015');
  await setField(port2.getByLabel('As', { exact: true }), '27015');
  await yamlMatching(page, /as: 27015/, 'as 27015');
  await port2.getByLabel('Protocol', { exact: true }).selectOption('UDP');
  await yamlMatching(page, /proto: udp/i, 'proto: udp');
  await port2.getByLabel('Global', { exact: true }).check();
  await port2.getByLabel('IP endpoint', { exact: true }).selectOption(endpoint);
  return yamlMatching(page, new RegExp(`port: 27015[\\s\\S]*ip: ${endpoint}`), `port 27015 on ip ${endpoint}`);
}

/** Deploy view: the review, the message JSON; returns the JSON text. */
async function review(run) {
  const { page } = run;
  await showView(page, 'Deploy');
  await page.getByRole('heading', { name: 'Review the order' }).waitFor();
  assert.equal(await page.getByLabel('Deposit', { exact: true }).inputValue(), '500000uact');
  await page.getByText('IPs to lease').first().waitFor();
  await page.locator('summary', { hasText: 'Message JSON' }).click();
  // Readable first (hash in hex, coins in ACT), the exact signed JSON one click further.
  await page.getByTestId('message-json-readable').waitFor();
  await page.locator('summary', { hasText: 'Exact JSON (as signed)' }).click();
  const json = page.getByTestId('message-json');
  await json.waitFor();
  return json.textContent();
}

/** Clicks "Sign and create deployment" and waits for bids. */
async function signAndWaitForBids(run) {
  const { page } = run;
  await button(page, 'Sign and create deployment').click();
  await stepState(page, 'create', /^done$/);
  await stepState(page, 'bids', /^(active|done)$/);
  await acceptButtons(page).first().waitFor({ timeout: CHAIN_TIMEOUT });
}

/** Accepts the first bid; waits for live and the leased IP. Returns {provider, ip}. */
async function acceptAndWaitForIp(run) {
  const { page } = run;
  assert.equal(await page.getByLabel('Only IP-capable providers', { exact: true }).isChecked(), true);
  const accept = acceptButtons(page).first();
  const name = await accept.evaluate((e) => e.getAttribute('aria-label') ?? e.textContent);
  const provider = /akash1[0-9a-z]+/.exec(name)[0];
  assert.ok(devnet.providers.some((p) => p.address === provider), `${provider} is a devnet provider`);
  // The free-IP column is the provider's gRPC status, as the proxy reads it (no cache in the
  // devnet), not the REST /status, which has no leased-IP pool.
  const grpc = await (await fetch(new URL(`/grpc-status/${provider}`, devnet.proxy))).json();
  assert.equal(typeof grpc.free, 'number', JSON.stringify(grpc));
  const cell = page.locator(`tr[data-provider="${provider}"] [data-testid=free-ips]`);
  assert.equal(/^\s*(\d+)/.exec(await cell.innerText())?.[1], String(grpc.free), 'free IPs shown = the gRPC status');
  await accept.click();
  await stepState(page, 'accept', /^done$/);
  await stepState(page, 'manifest', /^done$/);
  await stepState(page, 'live', /^(active|done)$/);
  const leased = page.getByTestId('ip-card').getByTestId('leased-ip').first();
  await leased.waitFor({ timeout: CHAIN_TIMEOUT });
  const ip = (await leased.textContent()).trim();
  assert.match(ip, TEST_NET);
  return { provider, ip };
}

/** The port map rows of the IP card, whitespace-normalised. */
async function portMapRows(page) {
  const table = page.getByTestId('ip-card').getByRole('table', { name: 'Port map' });
  await table.waitFor();
  return (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** "Close deployment", then the chain shows it closed. */
async function closeDeployment(run, dseq) {
  const { page } = run;
  await button(page, 'Close deployment').click();
  const closed = await until(async () => (await devnet.deployment(devnet.address, dseq))?.deployment.state === 'closed', {
    timeout: CHAIN_TIMEOUT,
    what: `deployment ${dseq} closed on chain`,
  });
  assert.ok(closed);
  const leases = await devnet.leases(devnet.address, dseq);
  assert.ok(leases.length > 0 && leases.every((l) => l.lease.state === 'closed'), JSON.stringify(leases));
  // The Deployments view lists it as closed.
  await showView(page, 'Deployments');
  const article = page.locator(`article[data-testid=deployment][data-dseq="${dseq}"]`);
  await until(async () => /closed/i.test(await article.innerText({ timeout: 1000 })), {
    timeout: CHAIN_TIMEOUT,
    what: `deployment ${dseq} shown closed`,
  });
}

// --- independent checks --------------------------------------------------------------------

/** `leasekit sdl build` of `yaml`: {version (hex), manifest}. */
async function cliBuild(yaml) {
  const dir = await mkdtemp(join(tmpdir(), 'leasekit-e2e-sdl-'));
  try {
    await writeFile(join(dir, 'deploy.yaml'), yaml);
    const { stdout } = await promisify(execFile)(cli, ['sdl', 'build', join(dir, 'deploy.yaml')]);
    const report = JSON.parse(stdout);
    const version = /^[0-9a-f]{64}$/.test(report.version) ? report.version : Buffer.from(report.version, 'base64').toString('hex');
    return { version, manifest: report.manifest };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The on-chain version hash of (test account, dseq), hex. */
async function chainHash(dseq) {
  const entry = await devnet.deployment(devnet.address, dseq);
  assert.ok(entry, `deployment ${dseq} on chain`);
  return Buffer.from(entry.deployment.hash, 'base64').toString('hex');
}

/** The manifests the devnet providers were sent for `dseq`, oldest first (their journals). */
async function manifestsSent(dseq) {
  const sent = [];
  for (const file of (await readdir(devnet.dataDir)).filter((f) => /^provider-\d+\.json$/.test(f)).sort()) {
    for (const op of JSON.parse(await readFile(join(devnet.dataDir, file), 'utf8'))) {
      if (op.Deploy && String(op.Deploy.lease.dseq) === String(dseq)) sent.push(JSON.parse(op.Deploy.manifest));
    }
  }
  return sent;
}

const dseqs = async () => new Set((await devnet.deployments(devnet.address)).map((d) => d.deployment.id.dseq));

// --- the scenarios -------------------------------------------------------------------------

describe('deploy app against a local devnet', () => {
  test('Keplr: build an IP + UDP SDL in the form, deploy, lease, inject the IP, close', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('keplr', async (run) => {
      const page = await run.open({ wallet: true });
      const { wallet } = run;
      await run.shot('opened');
      // A tenant's path: the SDL first, in the Build view (a first visit loads only its half of
      // the app), then the Deploy view with the network and the wallet.
      const yaml = await buildIpSdl(run, { udp: true });
      assert.match(yaml, /proto: udp/i);
      await page.getByRole('table', { name: 'Port × endpoint matrix' }).waitFor();
      await run.shot('built');
      // The YAML as the CLI reads it: 80/TCP and 27015/UDP, global, both on endpoint public.
      const built = await cliBuild(yaml);
      const exposes = built.manifest[0].services.find((s) => s.name === 'web').expose;
      const onIp = exposes.filter((e) => e.ip === 'public' && e.global).map((e) => `${e.externalPort || e.port}/${e.proto}`);
      assert.deepEqual(onIp.sort(), ['27015/UDP', '80/TCP'], JSON.stringify(exposes));

      await showView(page, 'Deploy');
      // The network comes from config.json: this devnet.
      assert.equal(await page.getByLabel('Network', { exact: true }).inputValue(), 'devnet');
      assert.equal(await page.getByLabel('Chain REST URL', { exact: true }).inputValue(), devnet.chainRest);
      assert.equal(await page.getByLabel('Proxy URL', { exact: true }).inputValue(), devnet.proxy);
      await connectKeplr(run);
      // The devnet is unknown to Keplr: the app suggests it (with this REST) and enables it.
      const suggestion = wallet.suggested.find((s) => s.chainId === devnet.chainId);
      assert.ok(suggestion, `experimentalSuggestChain(${devnet.chainId}): ${JSON.stringify(wallet.suggested)}`);
      assert.equal(suggestion.rest.replace(/\/$/, ''), devnet.chainRest);
      assert.ok(wallet.calls.some((c) => c.method === 'enable' && c.ok && c.chainIds.includes(devnet.chainId)));
      await run.shot('keplr-connected');

      const messageJson = await review(run);
      assert.match(messageJson, /MsgCreateDeployment/);
      const hash = Buffer.from(built.version, 'hex');
      // …of the SDL built before, which came along to the Deploy view.
      assert.ok(
        messageJson.includes(built.version) || messageJson.includes(hash.toString('base64')),
        `the message JSON carries the version hash ${built.version}`,
      );
      await run.shot('review');

      await signAndWaitForBids(run);
      const creates = wallet.signedMessages(MSG_CREATE);
      assert.equal(creates.length, 1, 'exactly one MsgCreateDeployment signed');
      const signedCreate = wallet.calls.find((c) => c.method === 'signDirect' && c.ok);
      assert.equal(signedCreate.messages.length, 1, 'the create tx has that one message');
      const dseq = creates[0].value.id.dseq.toString();
      // On chain: the version hash is the CLI's hash of the YAML the app showed.
      assert.equal(Buffer.from(creates[0].value.hash).toString('hex'), built.version);
      assert.equal(await chainHash(dseq), built.version);
      await run.shot('bids');

      const { provider, ip } = await acceptAndWaitForIp(run);
      const leases = wallet.signedMessages('MsgCreateLease');
      assert.equal(leases.length, 1);
      assert.equal(leases[0].value.bidId.provider, provider);
      assert.equal(leases[0].value.bidId.dseq.toString(), dseq);
      const active = await devnet.leases(devnet.address, dseq);
      assert.deepEqual(active.map((l) => [l.lease.id.provider, l.lease.state]), [[provider, 'active']]);
      const rows = await portMapRows(page);
      assert.ok(rows.some((r) => /(^|\D)80 → 80(\D|$).*TCP.*web/.test(r)), `80 → 80 TCP web in ${JSON.stringify(rows)}`);
      assert.ok(rows.some((r) => /(^|\D)27015 → 27015(\D|$).*UDP.*web/.test(r)), `27015 → 27015 UDP web in ${JSON.stringify(rows)}`);
      assert.equal((await manifestsSent(dseq)).length, 1, 'one manifest sent');
      await run.shot('live');
      // The provider JWT was signed by the wallet (ADR-36), for this account, short-lived.
      const jwts = wallet.calls.filter((c) => c.method === 'signArbitrary' && c.ok).map((c) => c.data.split('.'));
      assert.ok(jwts.length >= 1, 'a provider token signed with signArbitrary');
      for (const [header, payload] of jwts) {
        assert.equal(JSON.parse(Buffer.from(header, 'base64url')).alg, 'ES256KADR36');
        const claims = JSON.parse(Buffer.from(payload, 'base64url'));
        assert.equal(claims.iss, devnet.address);
        assert.ok(claims.exp - claims.iat <= 3600, `token lifetime ${claims.exp - claims.iat} s`);
      }
      // Readable at 360 px: no sideways scrolling of the page (checked at the end, so that the
      // rest of the flow still runs if this fails).
      await page.setViewportSize({ width: 360, height: 800 });
      const { overflow, widest } = await page.evaluate(() => {
        // The innermost elements sticking out on the right, to name the culprit in the message.
        const out = [...document.querySelectorAll('body *')].filter(
          (e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1),
        );
        const describe = (e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).trim().split(/\s+/).join('.')}` : ''} (right ${Math.round(e.getBoundingClientRect().right)})`;
        return { overflow: document.documentElement.scrollWidth - window.innerWidth, widest: out.slice(0, 5).map(describe) };
      });
      await run.shot('live-360px');
      await page.setViewportSize({ width: 1400, height: 900 });

      // Inject the IP as an env var: an update (new hash), the manifest re-sent, the IP kept.
      assert.equal(await page.getByLabel('Variable name', { exact: true }).inputValue(), 'LEASED_IP');
      await button(page, 'Inject IP as env var').click();
      await page.getByText(`IP kept: ${ip}`).first().waitFor({ timeout: CHAIN_TIMEOUT });
      const updates = wallet.signedMessages('MsgUpdateDeployment');
      assert.equal(updates.length, 1);
      assert.equal(updates[0].value.id.dseq.toString(), dseq);
      const updatedHash = Buffer.from(updates[0].value.hash).toString('hex');
      assert.notEqual(updatedHash, built.version);
      await until(async () => (await chainHash(dseq)) === updatedHash, { timeout: CHAIN_TIMEOUT, what: 'the updated hash on chain' });
      const manifests = await manifestsSent(dseq);
      assert.equal(manifests.length, 2, 'the manifest was re-sent once');
      const env = manifests[1][0].services.find((s) => s.name === 'web').env ?? [];
      assert.ok(env.includes(`LEASED_IP=${ip}`), `LEASED_IP=${ip} in ${JSON.stringify(env)}`);
      assert.equal((await page.getByTestId('ip-card').getByTestId('leased-ip').first().textContent()).trim(), ip);
      await run.shot('ip-injected');
      // The injected SDL is the one Build shows, after a reload too (not the text of a stale
      // share link in the address bar).
      await page.reload();
      await views(page).waitFor();
      await showView(page, 'Build');
      assert.match(await editor(page).inputValue(), new RegExp(`LEASED_IP=${ip.replaceAll('.', '\\.')}`));
      await showView(page, 'Deploy');
      await addressShown(page); // Keplr, reconnected by itself after the reload

      await closeDeployment(run, dseq);
      assert.equal(wallet.signedMessages('MsgCloseDeployment').length, 1);
      assert.equal(wallet.signedMessages(MSG_CREATE).length, 1, 'still one create');
      await run.shot('closed');

      // "New deployment", then another SDL: the review (and the message it would sign) is of
      // the new text, not of the deployment just closed.
      await showView(page, 'Deploy');
      await button(page, 'New deployment').click();
      await showView(page, 'Build');
      const next = (await editor(page).inputValue()).replace(/image: [^\n]+/, 'image: nginx:1.27.4');
      assert.notEqual(next, await editor(page).inputValue(), 'the SDL changed');
      await editor(page).fill(next);
      await review(run);
      const nextVersion = (await cliBuild(next)).version;
      await until(async () => (await page.getByTestId('review-version').textContent()).trim() === nextVersion, {
        what: `the review of the new SDL (${nextVersion})`,
      });
      const nextJson = await page.getByTestId('message-json').textContent();
      assert.ok(nextJson.includes(nextVersion) || nextJson.includes(Buffer.from(nextVersion, 'hex').toString('base64')), 'the message carries the new hash');
      await run.shot('new-deployment-review');
      assert.ok(overflow <= 0, `the live view scrolls sideways by ${overflow}px at 360 px: ${widest.join(', ')}`);
    }));

  test('one page: an SDL pasted and Deploy opened at once is the one reviewed; the deploy half loads without a reload', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('paste', async (run) => {
      const page = await run.open();
      const chunks = [];
      page.on('request', (request) => {
        if (/\/assets\/(split|chunk)_[^/]*\.wasm$/.test(new URL(request.url()).pathname)) chunks.push(request.url());
      });
      // Anything on `window` survives a view switch, and nothing survives a reload.
      await page.evaluate(() => { window.leasekitTestMarker = 'same page'; });
      const sameDocument = () => page.evaluate(() => window.leasekitTestMarker === 'same page');
      assert.deepEqual(chunks, [], 'the first visit fetched no chunk of the deploy half');
      const example = await readFile(DEFAULT_EXAMPLE, 'utf8');
      const pasted = example.replace('amount: 1000', 'amount: 1234').replace(/image: [^\n]+/, 'image: nginx:1.27.3');
      assert.notEqual(pasted, example);
      await editor(page).fill(pasted);
      // At once: no wait for the editor's check timer.
      await showView(page, 'Deploy');
      await page.getByRole('heading', { name: 'Review the order' }).waitFor();
      const { version } = await cliBuild(pasted);
      await until(async () => (await page.getByTestId('review-version').textContent()).trim() === version, {
        what: `the review of the pasted SDL (${version})`,
      });
      assert.ok(await sameDocument(), 'no reload on the way to Deploy');
      assert.ok(chunks.length > 0, 'the deploy half was fetched when Deploy opened');
      assert.equal(new URL(page.url()).hash, '#/deploy');
      await run.shot('pasted-reviewed');

      // Back: Build again, the same text, the same page.
      await page.goBack();
      await until(async () => (await views(page).getByRole('link', { name: 'Build', exact: true }).getAttribute('aria-current')) === 'page', { what: 'Build after Back' });
      assert.equal(await editor(page).inputValue(), pasted);
      assert.ok(await sameDocument(), 'no reload on Back');

      // Priced in uakt: Build warns, the review names the reason and signing is off.
      const uakt = pasted.replace('denom: uact', 'denom: uakt');
      await editor(page).fill(uakt);
      await showView(page, 'Deploy');
      const refusal = page.getByTestId('sign-refusal');
      await refusal.waitFor();
      assert.match(await refusal.textContent(), /uact/);
      assert.equal(await button(page, 'Sign and create deployment').isDisabled(), true);
      await run.shot('uakt-refused');

      // A reload on #/deploy comes back to Deploy with the last text, saved without waiting.
      await page.reload();
      await views(page).waitFor();
      await page.getByRole('heading', { name: 'Review the order' }).waitFor();
      await page.getByTestId('sign-refusal').waitFor();
      // The review's one-click fix (the engine's): the same amount in uact.
      await page.getByTestId('review-fix').click();
      await until(async () => (await page.getByTestId('sign-refusal').count()) === 0, { what: 'no refusal after the fix' });
      // A deposit below the chain's minimum: refused, with the minimum one click away.
      const deposit = page.getByLabel('Deposit', { exact: true });
      await setField(deposit, '1000uact');
      await page.getByTestId('sign-refusal').waitFor();
      await page.getByTestId('deposit-fix').click();
      await until(async () => (await deposit.inputValue()) === '500000uact', { what: 'the minimum deposit' });
      await until(async () => (await page.getByTestId('sign-refusal').count()) === 0, { what: 'no refusal with the minimum' });
      await showView(page, 'Build');
      assert.equal(await editor(page).inputValue(), pasted, 'the fix changed only the denom');
      // Build offers the same fix on the engine's warning.
      await editor(page).fill(uakt);
      const fix = page.getByTestId('diagnostic-fix').first();
      await fix.waitFor();
      await run.shot('uakt-warning-fix');
      await fix.click();
      await until(async () => (await editor(page).inputValue()) === pasted, { what: 'the Build fix applied' });
    }));

  test('two placement groups: a bid, a lease and an IP card for each; live only when both are', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('groups', async (run) => {
      const page = await run.open({ wallet: true });
      const { wallet } = run;
      await showView(page, 'Deploy');
      await connectKeplr(run);
      await showView(page, 'Build');
      const yaml = await readFile(TWO_GROUPS, 'utf8');
      await editor(page).fill(yaml);
      const built = await cliBuild(yaml);
      assert.deepEqual(built.manifest.map((g) => g.name), ['east', 'west']);
      await review(run);
      assert.equal((await page.getByTestId('review-version').textContent()).trim(), built.version);
      await button(page, 'Sign and create deployment').click();
      await stepState(page, 'create', /^done$/);
      const [create] = wallet.signedMessages(MSG_CREATE);
      const dseq = create.value.id.dseq.toString();
      assert.equal(create.value.groups.length, 2, 'one order per group');

      // Each group has its own table of bids; accept group 1's first.
      const group1 = page.getByRole('table', { name: 'Bids for group 1 (east)' });
      const group2 = page.getByRole('table', { name: 'Bids for group 2 (west)' });
      await acceptButtons(group1).first().waitFor({ timeout: CHAIN_TIMEOUT });
      await acceptButtons(group2).first().waitFor({ timeout: CHAIN_TIMEOUT });
      await run.shot('bids-per-group');
      await acceptButtons(group1).first().click();
      await page.getByTestId('leased-groups').getByText(/^Group 1 \(east\) is leased from akash1/).waitFor({ timeout: CHAIN_TIMEOUT });
      assert.equal(await group1.count(), 0, 'a leased group has no bids table');
      assert.notEqual(await stepState(page, 'live', /.*/), 'done', 'not live with one group of two leased');
      await run.shot('one-group-leased');
      await acceptButtons(group2).first().click();
      await stepState(page, 'manifest', /^done$/);
      await stepState(page, 'live', /^(active|done)$/);

      // Two leases on chain, two signed; an IP card per group, each with its own ports.
      const leases = await until(async () => {
        const active = (await devnet.leases(devnet.address, dseq)).filter((l) => l.lease.state === 'active');
        return active.length === 2 && active;
      }, { timeout: CHAIN_TIMEOUT, what: 'two active leases' });
      assert.deepEqual(leases.map((l) => Number(l.lease.id.gseq)).sort(), [1, 2]);
      assert.equal(wallet.signedMessages('MsgCreateLease').length, 2);
      const cards = page.getByTestId('ip-card');
      await until(async () => (await cards.count()) === 2 && (await cards.getByTestId('leased-ip').count()) === 2, {
        timeout: CHAIN_TIMEOUT,
        what: 'two IP cards with their addresses',
      });
      const text = await cards.allInnerTexts();
      assert.match(text[0], /\b80\s+→\s+80\s+TCP\s+web\b/, text[0]);
      assert.match(text[1], /\b27015\s+→\s+27015\s+UDP\s+game\b/, text[1]);
      assert.doesNotMatch(text[0], /27015/, 'group 1\'s card shows only its own ports');
      const ips = await cards.getByTestId('leased-ip').allTextContents();
      assert.ok(ips.every((ip) => TEST_NET.test(ip.trim())) && ips[0] !== ips[1], JSON.stringify(ips));
      // A provider's journal records the manifest once per lease it deploys: both groups ran.
      assert.equal((await manifestsSent(dseq)).length, 2, 'both leases deployed the manifest');
      await run.shot('live-two-groups');
      await closeDeployment(run, dseq);
    }));

  test('AEP-17 migration: a second deployment on the same provider takes the endpoint, both cards follow', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('migrate', async (run) => {
      const page = await run.open({ wallet: true });
      const { wallet } = run;
      await showView(page, 'Deploy');
      await connectKeplr(run);
      await showView(page, 'Build');
      const yaml = (await readFile(DEFAULT_EXAMPLE, 'utf8')).replaceAll('myendpoint', 'migrating');
      await editor(page).fill(yaml);
      await review(run);
      await signAndWaitForBids(run);
      const first = wallet.signedMessages(MSG_CREATE)[0].value.id.dseq.toString();
      const { provider, ip } = await acceptAndWaitForIp(run);
      await run.shot('first-live');

      // The same SDL again, leased from the same provider: it withholds the endpoint name
      // that the first deployment holds, so the second waits for its IP.
      await button(page, 'New deployment').click();
      await page.getByRole('heading', { name: 'Review the order' }).waitFor();
      await signAndWaitForBids(run);
      const second = wallet.signedMessages(MSG_CREATE)[1].value.id.dseq.toString();
      assert.notEqual(second, first);
      await button(page, `Accept bid from ${provider}`).click();
      await stepState(page, 'manifest', /^done$/);
      await page.getByTestId('ip-card').first().waitFor({ timeout: CHAIN_TIMEOUT });
      await until(async () => (await page.getByTestId('ip-card').first().getAttribute('data-status')) !== 'ready', {
        what: 'the second deployment waiting for its IP',
      });

      // Deployments: migrate the endpoint from the first to the second.
      await showView(page, 'Deployments');
      const source = page.locator(`article[data-testid=deployment][data-dseq="${first}"]`);
      const target = page.locator(`article[data-testid=deployment][data-dseq="${second}"]`);
      await source.getByTestId('leased-ip').first().waitFor({ timeout: CHAIN_TIMEOUT });
      assert.equal((await source.getByTestId('leased-ip').first().textContent()).trim(), ip);
      assert.equal(await target.getByTestId('leased-ip').count(), 0, 'withheld while the first holds it');
      await run.shot('before-migration');
      await source.getByLabel('Endpoint', { exact: true }).fill('migrating');
      await source.getByLabel('Destination deployment', { exact: true }).selectOption(`${second}/1`);
      await button(source, 'Migrate endpoint').click();
      await source.getByText(`Moved migrating to deployment ${second}.`).waitFor({ timeout: CHAIN_TIMEOUT });
      // Without "Refresh": the destination shows the address, the source no longer does.
      await until(async () => (await target.getByTestId('leased-ip').count()) === 1, { timeout: CHAIN_TIMEOUT, what: 'the destination card with the IP' });
      assert.equal((await target.getByTestId('leased-ip').first().textContent()).trim(), ip, 'the same address moved');
      await until(async () => (await source.getByTestId('leased-ip').count()) === 0, { timeout: CHAIN_TIMEOUT, what: 'the source card without it' });
      await run.shot('after-migration');

      // Leaving a card that waits (the source now does) and coming back must not break anything.
      await showView(page, 'Build');
      await showView(page, 'Deployments');
      await source.waitFor();

      // Close both from Deployments (the wizard may still be reading the second's status).
      for (const dseq of [first, second]) {
        const article = page.locator(`article[data-testid=deployment][data-dseq="${dseq}"]`);
        await button(article, 'Close deployment').click();
        await until(async () => (await devnet.deployment(devnet.address, dseq))?.deployment.state === 'closed', {
          timeout: CHAIN_TIMEOUT,
          what: `deployment ${dseq} closed`,
        });
      }
      await run.shot('closed');
    }));

  test('the deploy half fails to download: the page says so and Retry loads it, without a reload', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('offline', async (run) => {
      const page = await run.open();
      const chunk = /\/assets\/(split|chunk)_[^/]*\.wasm$/;
      let blocked = true;
      // While the chunk is blocked, Chromium and the split loader report the failed fetch.
      run.allowedError = () => blocked;
      await page.route((url) => chunk.test(url.pathname), (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
      await page.evaluate(() => { window.leasekitTestMarker = 'same page'; });
      await showView(page, 'Deploy');
      const alert = page.getByRole('alert');
      await alert.getByText(/could not be downloaded/).waitFor();
      await run.shot('half-failed');
      blocked = false;
      await button(alert, 'Retry').click();
      await page.getByRole('heading', { name: 'Review the order' }).waitFor();
      assert.ok(await page.evaluate(() => window.leasekitTestMarker === 'same page'), 'no reload');
      await run.shot('half-loaded');
    }));

  test('closing from Deployments while the deploy waits for bids stops the wait and closes it', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('waiting', async (run) => {
      const page = await run.open({ wallet: true });
      const { wallet } = run;
      await showView(page, 'Deploy');
      await connectKeplr(run);
      await showView(page, 'Build');
      // No devnet provider is in region "mars": nobody bids, and the wizard keeps waiting.
      const yaml = (await readFile(DEFAULT_EXAMPLE, 'utf8')).replace('    dcloud:\n      pricing:', '    dcloud:\n      attributes:\n        region: mars\n      pricing:');
      assert.match(yaml, /region: mars/);
      await editor(page).fill(yaml);
      await review(run);
      await button(page, 'Sign and create deployment').click();
      await stepState(page, 'bids', /^active$/);
      await page.getByText('Waiting for providers to bid…').waitFor();
      const dseq = wallet.signedMessages(MSG_CREATE)[0].value.id.dseq.toString();

      await showView(page, 'Deployments');
      const article = page.locator(`article[data-testid=deployment][data-dseq="${dseq}"]`);
      await article.waitFor({ timeout: CHAIN_TIMEOUT });
      await run.shot('listed-while-waiting');
      await button(article, 'Close deployment').click();
      await until(async () => (await devnet.deployment(devnet.address, dseq))?.deployment.state === 'closed', {
        timeout: CHAIN_TIMEOUT,
        what: `deployment ${dseq} closed on chain`,
      });
      assert.equal(wallet.signedMessages('MsgCloseDeployment').length, 1);
      await showView(page, 'Deploy');
      await page.getByText(`Deployment ${dseq} is closed`).waitFor({ timeout: CHAIN_TIMEOUT });
      assert.equal(await page.getByRole('alert').count(), 0, 'the interrupted wait is no failure');
      // Its own address shows the same view (a link to the deployment).
      await page.evaluate((d) => { location.hash = `#/deployments/${d}`; }, dseq);
      await until(async () => (await article.getAttribute('aria-current')) === 'true', { what: 'the linked deployment marked' });
      await run.shot('closed');
    }));

  test('dev key: remembered encrypted, unlocked after a reload, deploys and closes', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('devkey', async (run) => {
      const page = await run.open();
      const known = await dseqs();
      await showView(page, 'Deploy'); // the wallet panel is part of the Deploy views
      const storedBefore = await page.evaluate(() => Object.keys(localStorage));
      await button(page, 'Use a dev key').click();
      await page.getByLabel('Mnemonic', { exact: true }).fill(devnet.mnemonic);
      const passphrase = 'correct horse battery staple';
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await page.getByLabel('Remember on this device (encrypted)', { exact: true }).check();
      await run.shot('dev-key-form');
      await button(page, 'Use this key').click();
      await addressShown(page);
      await run.shot('dev-key-connected');

      // Stored, but neither the mnemonic (nor a run of its words) nor the passphrase in clear.
      const stored = await page.evaluate(() => ({ local: Object.entries(localStorage), session: Object.entries(sessionStorage) }));
      const text = JSON.stringify(stored);
      const words = devnet.mnemonic.split(' ');
      assert.ok(stored.local.some(([k]) => !storedBefore.includes(k)), 'the key was stored');
      assert.ok(!text.includes(words.slice(0, 3).join(' ')) && !text.includes(words.slice(-3).join(' ')), 'no mnemonic in storage');
      assert.ok(!text.includes(passphrase), 'no passphrase in storage');

      await page.reload();
      await views(page).waitFor();
      assert.equal(await page.getByTestId('wallet-address').count(), 0, 'locked after a reload');
      // The stored key is offered for unlocking, at once or behind "Use a dev key".
      await button(page, 'Unlock').or(button(page, 'Use a dev key')).first().waitFor();
      if ((await button(page, 'Unlock').count()) === 0) await button(page, 'Use a dev key').click();
      await button(page, 'Forget key').waitFor();
      // A wrong passphrase does not unlock it.
      await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase');
      await button(page, 'Unlock').click();
      await page.getByRole('alert').first().waitFor();
      assert.equal(await page.getByTestId('wallet-address').count(), 0, 'still locked');
      await run.shot('wrong-passphrase');
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await button(page, 'Unlock').click();
      await addressShown(page);
      await run.shot('unlocked');

      // A new tenant's first deploy: the example a first visit shows, not edited at all.
      await showView(page, 'Build');
      assert.equal(await editor(page).inputValue(), await readFile(DEFAULT_EXAMPLE, 'utf8'), 'the default example, unedited');
      await review(run);
      await signAndWaitForBids(run);
      const created = [...(await dseqs())].filter((d) => !known.has(d));
      assert.equal(created.length, 1, `one new deployment: ${created}`);
      const [dseq] = created;
      await run.shot('bids');
      await acceptAndWaitForIp(run);
      const rows = await portMapRows(page);
      // The example: container port 3000 served as 80 on the leased IP.
      assert.ok(rows.some((r) => /(^|\D)80 → 3000(\D|$).*TCP.*web.*myendpoint/.test(r)), JSON.stringify(rows));
      await run.shot('live');
      await closeDeployment(run, dseq);
      await run.shot('closed');
    }));

  test('reload mid-deploy resumes at the bids of the same deployment, without a second create', { timeout: SCENARIO_TIMEOUT }, () =>
    scenario('reload', async (run) => {
      const page = await run.open({ wallet: true });
      const { wallet } = run;
      const known = await dseqs();
      await showView(page, 'Deploy');
      await connectKeplr(run);
      await buildIpSdl(run, { udp: false, endpoint: 'resumed' });
      await review(run);
      await signAndWaitForBids(run);
      const [create] = wallet.signedMessages(MSG_CREATE);
      const dseq = create.value.id.dseq.toString();
      await run.shot('bids-before-reload');

      await page.reload();
      await views(page).waitFor();
      // Keplr stays authorised across a reload: the app reconnects by itself ("Reconnecting to
      // Keplr…" meanwhile) or, if it cannot, offers the button again.
      const address = page.getByTestId('wallet-address');
      const connect = button(page, 'Connect Keplr');
      await until(async () => (await address.count()) > 0 || ((await connect.count()) > 0 && (await connect.isEnabled())), {
        timeout: 30_000,
        what: 'the wallet reconnected, or offered again',
      });
      if ((await address.count()) === 0) await connectKeplr(run);
      await showView(page, 'Deploy');
      await stepState(page, 'create', /^done$/);
      await stepState(page, 'bids', /^(active|done)$/);
      await acceptButtons(page).first().waitFor({ timeout: CHAIN_TIMEOUT });
      await run.shot('bids-after-reload');
      assert.equal(wallet.signedMessages(MSG_CREATE).length, 1, 'no second MsgCreateDeployment signed');
      const created = [...(await dseqs())].filter((d) => !known.has(d));
      assert.deepEqual(created, [dseq], 'one new deployment on chain, the same dseq');

      await acceptAndWaitForIp(run);
      assert.equal(wallet.signedMessages('MsgCreateLease').length, 1);
      await run.shot('live');
      await closeDeployment(run, dseq);
      await run.shot('closed');
    }));
});
