// A static file server for the built web app (dist/), on a free port of 127.0.0.1. The tests
// start it themselves so that they need nothing running beforehand and never collide on a port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `dir`; resolves once the server is listening, with its base URL and a `close()`.
 * `files` maps a path (`/config.json`) to the text served there instead of the file in `dir`,
 * so a test can point the app at its own devnet without writing into the shared `dist/`.
 */
export async function serveDirectory(dir, { files = {} } = {}) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (Object.hasOwn(files, path)) {
      response.writeHead(200, {
        'Content-Type': TYPES[extname(path)] ?? 'text/plain; charset=utf-8',
        'Cache-Control': 'no-cache',
      });
      response.end(files[path]);
      return;
    }
    let file = normalize(join(dir, path));
    if (file !== dir && !file.startsWith(dir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
  // Listening is the readiness signal: no polling or sleeping needed.
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
