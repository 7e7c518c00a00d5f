// `cargo xtask bench`, browser part: `check` + `build` of a 100-service SDL with the package's
// web build, measured inside headless Chromium (Debian's) with performance.now().
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

// The same generator as the native benchmark (xtask/src/bench.rs): one placement, each service
// with its own compute profile and a global expose.
function generatedSdl(services) {
  const ids = [...Array(services).keys()];
  return [
    'version: "2.0"\nservices:\n',
    ...ids.map((i) => `  svc-${i}:\n    image: nginx:1.25.${i}\n    env:\n      - INDEX=${i}\n    expose:\n      - port: 80\n        as: 80\n        to:\n          - global: true\n`),
    'profiles:\n  compute:\n',
    ...ids.map((i) => `    svc-${i}:\n      resources:\n        cpu:\n          units: 0.1\n        memory:\n          size: 128Mi\n        storage:\n          size: 256Mi\n`),
    '  placement:\n    dc:\n      attributes:\n        region: us-west\n      pricing:\n',
    ...ids.map((i) => `        svc-${i}:\n          denom: uakt\n          amount: 100\n`),
    'deployment:\n',
    ...ids.map((i) => `  svc-${i}:\n    dc:\n      profile: svc-${i}\n      count: 1\n`),
  ].join('');
}

const server = createServer(async (req, res) => {
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>leasekit bench</title>');
  const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!path.startsWith(join(root, 'pkg'))) return res.writeHead(404).end();
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`); // same origin as the module it imports
  const result = await page.evaluate(
    async ({ base, sdl, budgetMs }) => {
      const { default: init, check, build } = await import(`${base}/pkg/web/leasekit.js`);
      await init();
      const once = () => {
        if (check(sdl).some((d) => d.severity === 'error') || !build(sdl).ok) throw new Error('generated SDL rejected');
      };
      for (let i = 0; i < 20; i++) once();
      let iterations = 0;
      const start = performance.now();
      while (performance.now() - start < budgetMs) {
        once();
        iterations++;
      }
      return { ms: (performance.now() - start) / iterations, iterations, agent: navigator.userAgent };
    },
    { base, sdl: generatedSdl(100), budgetMs: Number(process.env.LEASEKIT_BENCH_MS ?? 300) * 3 },
  );
  const version = result.agent.match(/Chrome\/[\d.]+/)?.[0] ?? result.agent;
  console.log(`${version}: check + build of a 100-service SDL: ${result.ms.toFixed(2)} ms (${result.iterations} iterations; goal <= 5 ms)`);
} finally {
  await browser.close();
  server.close();
}
