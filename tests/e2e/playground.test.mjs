// The SDL playground in headless Chromium: the built dist/ (from `cargo xtask serve` or the
// `browser e2e` tier of `cargo xtask test`), served on a free port, driven with real keyboard
// input. Every page fails its test on an uncaught exception or a console error.
//
// Screenshots go to artifacts/e2e/ at the repository root.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { serveDirectory } from './static-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = resolve(process.env.LEASEKIT_DIST ?? join(root, 'dist'));
const screenshots = join(root, 'artifacts/e2e');
const HASH = /^[0-9a-f]{64}$/;

// Typed key by key, so it stays short. The emoji line makes UTF-8 and UTF-16 offsets differ
// before the error: a selection computed in bytes would miss `nope` by two.
const UNDECLARED_ENDPOINT_SDL = `version: "2.0"
# Déjà vu 😀 — the IP endpoint below is not declared
services:
  web:
    image: nginx:1.27
    expose:
      - port: 3000
        as: 80
        to:
          - global: true
            ip: nope
profiles:
  compute:
    web:
      resources:
        cpu:
          units: 0.5
        memory:
          size: 512Mi
        storage:
          size: 512Mi
  placement:
    dcloud:
      pricing:
        web:
          denom: uact
          amount: 1000
deployment:
  web:
    dcloud:
      profile: web
      count: 1
`;
const ENDPOINT_DECLARATION = 'endpoints:\n  nope:\n    kind: ip\n';

let server;
let browser;
let pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), `${dist}/index.html is missing: run \`cargo xtask serve\` first`);
  mkdirSync(screenshots, { recursive: true });
  server = await serveDirectory(dist);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  assert.deepEqual(errors, [], 'the page logged errors');
});

/** A page in `context` (a fresh one by default) whose errors fail the test. */
async function openPage(path = '', { context, colorScheme = 'light', viewport } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: viewport ?? { width: 1400, height: 860 }, colorScheme }));
  const page = await ctx.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
  if (path !== null) await page.goto(server.url + path);
  return page;
}

async function screenshot(page, name) {
  const path = join(screenshots, `${name}.png`);
  await page.screenshot({ path });
  console.log(`screenshot: ${path}`);
}

function editor(page) {
  return page.getByTestId('editor');
}

async function versionHash(page) {
  const hash = page.getByTestId('version-hash');
  await hash.waitFor();
  return (await hash.textContent()).trim();
}

/** Waits until the shown version differs from `previous` (a check has run on new text). */
async function nextVersionHash(page, previous) {
  await page.waitForFunction(
    (old) => {
      const text = document.querySelector('[data-testid=version-hash]')?.textContent.trim();
      return text && text !== old;
    },
    previous,
  );
  return versionHash(page);
}

/** Replaces the editor text by typing it, as a user would. */
async function typeReplacing(page, text) {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
  assert.equal(await editor(page).inputValue(), text);
}

/** The URL fragment of a share link for `text`: base64url of its UTF-8 bytes. */
function shareFragment(text) {
  return `#sdl=${Buffer.from(text, 'utf8').toString('base64url')}`;
}

/** 1-based line and UTF-16 column of `offset` (a JS string index) in `text`. */
function lineAndColumn(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

async function selection(page) {
  return editor(page).evaluate((element) => ({
    start: element.selectionStart,
    end: element.selectionEnd,
    text: element.value.slice(element.selectionStart, element.selectionEnd),
    focused: document.activeElement === element,
  }));
}

describe('SDL playground', () => {
  test('shows the AEP-17 hello-world example with its version hash', async () => {
    const page = await openPage();
    assert.match(await versionHash(page), HASH);
    assert.match(await editor(page).inputValue(), /ip: myendpoint[\s\S]*endpoints:\n {2}myendpoint:\n {4}kind: ip/);
    await page.getByTestId('no-diagnostics').waitFor();
    assert.match(await page.getByTestId('output-summary').textContent(), /1 group · 1 service · 1 leased IP/);
    assert.match(await page.getByTestId('manifest-json').textContent(), /"name": "web"/);
    await page.getByTestId('tab-groupspecs').click();
    assert.match(await page.getByTestId('groupspecs-json').textContent(), /"denom": "uact"/);
    await screenshot(page, 'default-example');
    await page.context().close();
  });

  test('the IP plan of the default example: endpoint, IPs per order, predicted lease status', async () => {
    const page = await openPage();
    await versionHash(page);
    const sdl = await editor(page).inputValue();
    // Expectations from the SDL itself: one global expose onto an `ip:` endpoint, no `proto`
    // (TCP by default), `as` is the external port; one placement group, so the order needs one
    // address per distinct IP endpoint. provider.md §4.3: MetalLB takes the first fitting
    // address of the pool in address order, so on a fresh pool that is its first address.
    const endpoint = /^\s+ip: (\S+)$/m.exec(sdl)[1];
    const port = Number(/^\s+- port: (\d+)$/m.exec(sdl)[1]);
    const externalPort = Number(/^\s+as: (\d+)$/m.exec(sdl)[1]);
    assert.doesNotMatch(sdl, /proto:/);
    const service = /^services:\n {2}(\S+):$/m.exec(sdl)[1];
    const group = /^ {2}placement:\n {4}(\S+):$/m.exec(sdl)[1];
    assert.deepEqual([endpoint, port, externalPort, service, group], ['myendpoint', 3000, 80, 'web', 'dcloud']);
    const firstPoolAddress = '203.0.113.10';

    await page.getByTestId('tab-ipplan').click();
    const plan = page.getByTestId('ip-plan');
    await plan.waitFor();
    const rows = plan.getByTestId('ip-plan-endpoint');
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    assert.equal(await row.getAttribute('data-endpoint'), endpoint);
    assert.equal(await row.getAttribute('data-service'), service);
    assert.equal(Number(await row.getAttribute('data-port')), port);
    assert.equal(Number(await row.getAttribute('data-external-port')), externalPort);
    assert.equal(await row.getAttribute('data-proto'), 'TCP');
    assert.match(await row.textContent(), new RegExp(firstPoolAddress.replaceAll('.', '\\.')));

    const needed = plan.locator(`[data-testid=ips-needed][data-group="${group}"]`);
    assert.equal(Number(await needed.getAttribute('data-count')), 1);
    assert.match(await needed.textContent(), /1 IPv4 address/);

    // §2.2: `ips` maps service name -> entries with Go's capitalised field names.
    const ips = JSON.parse(await plan.getByTestId('ip-status').textContent());
    assert.deepEqual(ips, { [service]: [{ Port: port, ExternalPort: externalPort, Protocol: 'TCP', IP: firstPoolAddress }] });

    // 80/TCP on an IP is also ingress: a warning that, like a diagnostic, selects its expose.
    const warning = plan.locator('[data-testid=ip-plan-issue][data-code=ip-port-80-is-ingress]');
    await warning.click();
    let selected = await selection(page);
    assert.ok(selected.focused && selected.text.includes(`port: ${port}`), JSON.stringify(selected));

    // The endpoint cell is a button too.
    await page.keyboard.press('ArrowRight');
    await row.getByRole('button').click();
    selected = await selection(page);
    assert.ok(selected.focused && selected.text.includes(`port: ${port}`), JSON.stringify(selected));

    // The whole pane, down to the predicted status, in the screenshot.
    await page.setViewportSize({ width: 1400, height: 1060 });
    await page.getByTestId('tab-ipplan').click();
    await screenshot(page, 'ip-plan');
    await page.context().close();
  });

  test('an undeclared IP endpoint is listed at its line and column, selected on click, and fixed', async () => {
    const page = await openPage();
    const validHash = await versionHash(page);
    await typeReplacing(page, UNDECLARED_ENDPOINT_SDL);

    const item = page.locator('[data-testid=diagnostic][data-code=unknown-endpoint]');
    await item.waitFor();
    assert.equal(
      (await item.getByTestId('diagnostic-message').textContent()).trim(),
      'service "web" uses IP endpoint "nope", which endpoints does not declare',
    );
    // Go's own words stay on the diagnostic, as the Akash CLI would print them.
    assert.equal(
      (await item.getByTestId('diagnostic-go').textContent()).trim(),
      'Akash says: SDL invalid: error on service "web" no endpoint named "nope" exists',
    );
    const offset = UNDECLARED_ENDPOINT_SDL.indexOf('nope');
    const { line, column } = lineAndColumn(UNDECLARED_ENDPOINT_SDL, offset);
    assert.equal((await item.getByTestId('diagnostic-position').textContent()).trim(), `line ${line}, column ${column}`);
    assert.equal(await item.getAttribute('data-severity'), 'error');
    await item.getByTestId('diagnostic-reference').waitFor(); // Go reports this one
    await page.locator(`[data-testid=gutter-mark][data-line="${line}"][data-severity=error]`).waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('version-hash').count(), 0, 'no stale version next to errors');
    await page.getByTestId('version-unavailable').waitFor();
    await page.getByTestId('output-unavailable').waitFor();

    await item.click();
    assert.deepEqual(await selection(page), { start: offset, end: offset + 4, text: 'nope', focused: true });
    await screenshot(page, 'undeclared-endpoint');

    // The keyboard path: Tab from the editor reaches the list, Enter selects again.
    await page.keyboard.press('ArrowRight'); // collapse the selection first
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'diagnostic');
    await page.keyboard.press('Enter');
    assert.deepEqual(await selection(page), { start: offset, end: offset + 4, text: 'nope', focused: true });

    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(ENDPOINT_DECLARATION);
    const fixedHash = await versionHash(page);
    assert.match(fixedHash, HASH);
    assert.notEqual(fixedHash, validHash, 'a different SDL than the default example');
    await page.getByTestId('no-diagnostics').waitFor();
    await screenshot(page, 'fixed');
    await page.context().close();
  });

  test('a size in the wrong case says what sizes are and is fixed with one click', async () => {
    const page = await openPage();
    await versionHash(page);
    const valid = await editor(page).inputValue();
    const size = /size: (\d+)Mi\b/.exec(valid);
    assert.ok(size, 'the default example has a size in Mi');
    const broken = valid.replace(size[0], `size: ${size[1]}mi`);
    await typeReplacing(page, broken);
    const item = page.locator('[data-testid=diagnostic][data-code=invalid-size]');
    await item.waitFor();
    // Plain words: what sizes are, the one reading of this text, and Go's words as a note.
    assert.match(
      await item.getByTestId('diagnostic-message').textContent(),
      new RegExp(`"${size[1]}mi" is not a size: a size is a number and one of the suffixes k, M, G`),
    );
    assert.equal((await item.getByTestId('diagnostic-hint').textContent()).trim(), `write ${size[1]}Mi`);
    assert.equal((await item.getByTestId('diagnostic-go').textContent()).trim(), `Akash says: strconv.ParseFloat: parsing "${size[1]}mi": invalid syntax`);
    await screenshot(page, 'size-wrong-case');
    // The fix is a button beside the diagnostic, labelled with its edit.
    await page.getByTestId('diagnostic-fix').filter({ hasText: `Write ${size[1]}Mi` }).click();
    await page.getByTestId('no-diagnostics').waitFor();
    assert.equal(await editor(page).inputValue(), valid, 'the fix restores exactly the valid text');
    await page.context().close();
  });

  test('a `to:` written as a mapping explains its follow-on errors and is fixed with one click', async () => {
    const page = await openPage();
    await versionHash(page);
    const valid = await editor(page).inputValue();
    // The default example's IP target, written as a mapping instead of a one-item list.
    const target = /( *)- global: true\n\1  ip: (\w+)\n/.exec(valid);
    assert.ok(target, 'the default example has a block-style IP target');
    const indent = target[1];
    const broken = valid.replace(target[0], `${indent}global: true\n${indent}ip: ${target[2]}\n`);
    await typeReplacing(page, broken);
    const item = page.locator('[data-testid=diagnostic][data-code=type-mismatch]');
    await item.waitFor();
    assert.match(await item.getByTestId('diagnostic-message').textContent(), /^expected a list of targets, e\.g\. to: \[\{global: true\}\] here, found a mapping$/);
    // The endpoint it used now looks unused: that error is folded under this one, not listed apart.
    await page.locator('[data-testid=diagnostic-folded-item][data-code=unused-endpoint]').waitFor();
    assert.equal(await page.locator('[data-testid=diagnostic][data-code=unused-endpoint]').count(), 0);
    await screenshot(page, 'to-as-mapping');
    await page.getByTestId('diagnostic-fix').filter({ hasText: 'Make to a list' }).click();
    await page.getByTestId('no-diagnostics').waitFor();
    assert.equal(await editor(page).inputValue(), valid, 'the fix restores exactly the valid text');
    await page.context().close();
  });

  test('a reload keeps the text, and so does a visit without a link', async () => {
    const page = await openPage();
    await versionHash(page);
    await editor(page).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('# édité: kept across reloads\n');
    const text = await editor(page).inputValue();
    // The check after the typing pause saves the text; the address bar then holds it.
    await page.waitForFunction((fragment) => location.hash === fragment, shareFragment(text));

    await page.reload();
    await versionHash(page);
    assert.equal(await editor(page).inputValue(), text);

    // Same browser profile, no fragment: localStorage restores it.
    const bare = await openPage('', { context: page.context() });
    await versionHash(bare);
    assert.equal(await editor(bare).inputValue(), text);
    await page.context().close();
  });

  test('a share link restores the text in a fresh browser profile', async () => {
    const page = await openPage();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByTestId('examples').selectOption('udp-game-server');
    await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('proto: udp'));
    const text = await editor(page).inputValue();
    await page.getByTestId('share').click();
    await page.getByTestId('notice').filter({ hasText: 'Share link copied' }).waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#sdl=[A-Za-z0-9_-]+$/);
    await page.context().close();

    const fresh = await openPage(null);
    await fresh.goto(link);
    await versionHash(fresh);
    assert.equal(await editor(fresh).inputValue(), text);
    await fresh.context().close();
  });

  test('?embed=1 shows only the editor and the results, and fits an iframe', async () => {
    const text = 'version: "2.0"\nservices: {}\n';
    const fragment = shareFragment(text);
    const page = await openPage(`?embed=1${fragment}`);
    await page.getByTestId('diagnostic').first().waitFor();
    assert.equal(await editor(page).inputValue(), text);
    assert.equal(await page.getByTestId('page-header').count(), 0);
    assert.equal(await page.getByTestId('examples').count(), 0);
    assert.equal(await page.getByTestId('share').count(), 0);
    await page.getByTestId('version-unavailable').waitFor();
    await page.context().close();

    // As docs embed it: the app fills the iframe without a page scrollbar.
    const host = await openPage(null, { viewport: { width: 1000, height: 560 } });
    await host.setContent(`<!doctype html><body style="margin:24px;background:#eef0f4">
      <iframe src="${server.url}?embed=1" title="Leasekit SDL playground"
        style="width:100%;height:500px;border:1px solid #cfd4dc;border-radius:10px"></iframe></body>`);
    const frame = host.frameLocator('iframe');
    await frame.getByTestId('version-hash').waitFor();
    const overflow = await host.frames()[1].evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 0, `the embedded page scrolls by ${overflow}px`);
    await screenshot(host, 'embed-iframe');
    await host.context().close();
  });

  test('stays responsive on a 100-service SDL', async () => {
    const page = await openPage();
    const before = await versionHash(page);
    const sdl = serviceSdl(100);
    // Pasted, not typed: Chromium's own text insertion takes ~25 s for 40 KB, with or without
    // the app (measured on a bare textarea), and would only test Chromium.
    await editor(page).evaluate((element, text) => {
      element.focus();
      element.value = text;
      element.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, sdl);
    await nextVersionHash(page, before);
    assert.equal(await page.locator('[data-testid=gutter] .line-numbers').evaluate((e) => e.textContent.split('\n').length), sdl.split('\n').length);
    const checkTime = await page.getByTestId('check-time').textContent();

    // Typing at the end of a long text: every key re-counts lines, the check waits for a pause.
    await editor(page).click();
    await page.keyboard.press('ControlOrMeta+End');
    const keys = '# typed at the end of 100 services';
    const started = performance.now();
    await page.keyboard.type(keys);
    const perKey = (performance.now() - started) / keys.length;
    await page.waitForFunction((n) => document.querySelector('[data-testid=editor]').value.endsWith('100 services'), keys.length);
    console.log(`100 services (${sdl.length} chars): ${checkTime.trim()}; ${perKey.toFixed(1)} ms per typed key`);
    // Loose bounds: they catch a quadratic slip (seconds), not noise from a busy CI machine.
    // Measured on 2 cores: 36–160 ms per check (160 with a parallel build), 18–25 ms per key,
    // of which Chromium alone takes ~12 ms on a bare textarea of the same text.
    const checkMs = Number(/([\d.]+) ms/.exec(checkTime)[1]);
    assert.ok(checkMs < 500, `checking 100 services took ${checkMs} ms`);
    assert.ok(perKey < 100, `typing took ${perKey.toFixed(1)} ms per key`);
    await page.getByTestId('no-diagnostics').waitFor();
    await page.context().close();
  });

  test('dark colour scheme', async () => {
    const page = await openPage('', { colorScheme: 'dark' });
    await page.getByTestId('examples').selectOption('shared-ip-two-services');
    await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('ip: shared'));
    await versionHash(page);
    await screenshot(page, 'dark');
    await page.context().close();
  });
});

/** A valid SDL with `n` services behind one leased IP, each on its own port. */
function serviceSdl(n) {
  const ids = Array.from({ length: n }, (_, i) => `svc${i}`);
  const services = ids.map(
    (id, i) =>
      `  ${id}:\n    image: nginx:1.27\n    expose:\n      - port: 80\n        as: ${8000 + i}\n        to:\n          - global: true\n            ip: shared\n`,
  );
  const compute = ids.map(
    (id) => `    ${id}:\n      resources:\n        cpu:\n          units: 0.1\n        memory:\n          size: 128Mi\n        storage:\n          size: 256Mi\n`,
  );
  const pricing = ids.map((id) => `        ${id}:\n          denom: uact\n          amount: 100\n`);
  const deployment = ids.map((id) => `  ${id}:\n    dcloud:\n      profile: ${id}\n      count: 1\n`);
  return [
    'version: "2.0"\nservices:\n',
    ...services,
    'profiles:\n  compute:\n',
    ...compute,
    '  placement:\n    dcloud:\n      pricing:\n',
    ...pricing,
    'deployment:\n',
    ...deployment,
    'endpoints:\n  shared:\n    kind: ip\n',
  ].join('');
}
