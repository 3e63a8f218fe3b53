/**
 * `curie explore [file]`: serve the explorer page (dist/web/) on this machine, and the file if
 * given, which the page loads on start. Prints the page's URL as the first line of standard output
 * once listening, then serves until stopped. Nothing is fetched from or sent anywhere else: the
 * page, its workers and its charts are all in dist/web/.
 */
import { createServer, type ServerResponse } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CurieError } from '../errors.js';
import type { CommandContext } from './context.js';

/** Options of `curie explore` as commander gives them. */
export interface ExploreCommandOptions {
  port: string;
  host: string;
}

/** Where the page fetches the file given on the command line (see src/web/main.ts). */
const GRID_PATH = '/grid';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
/**
 * Cross-origin isolation: the page may then use SharedArrayBuffer (the grid readers allocate grids
 * there, as in Node), and it can load nothing from other origins.
 */
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** The port of `--port`: a whole number 0–65535 (0 = any free port). */
function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535)
    throw new CurieError('E_ARGUMENT', `--port '${text}' must be a whole number from 0 to 65535 (0 picks a free port)`);
  return port;
}

function send(
  response: ServerResponse,
  status: number,
  body: string | Uint8Array,
  type: string,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...HEADERS,
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    ...extra,
  });
  response.end(body);
}

/** Run `curie explore`: prints the URL on `context.io.stdout`; resolves when `context.signal` aborts and the server has closed. */
export async function runExplore(
  file: string | undefined,
  options: ExploreCommandOptions,
  context: CommandContext,
): Promise<void> {
  const { signal } = context;
  const port = parsePort(options.port);
  const webDir = fileURLToPath(new URL('../web/', import.meta.url));
  const pages = new Set(
    await readdir(webDir).catch(() => {
      throw new CurieError('E_NOT_FOUND', `the explorer page is not built (no ${webDir}); run npm run build`);
    }),
  );
  if (file !== undefined) {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile())
      throw new CurieError('E_NOT_FOUND', `cannot serve '${file}': not a readable file; give a GeoTIFF or text grid`);
  }
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, 'GET only\n', 'text/plain; charset=utf-8');
      if (url.pathname === GRID_PATH) {
        // No file given: nothing to load (not an error: the page asks on every start).
        if (file === undefined) return send(response, 204, '', 'text/plain; charset=utf-8');
        // Read on each request, so that a file rewritten meanwhile is served as it is now.
        return send(response, 200, await readFile(file), 'application/octet-stream', {
          'X-Curie-File': encodeURIComponent(path.basename(file)),
        });
      }
      const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      // Only the page's own files, by name: no path leads out of dist/web/.
      if (!pages.has(name)) return send(response, 404, 'not found\n', 'text/plain; charset=utf-8');
      send(
        response,
        200,
        await readFile(path.join(webDir, name)),
        TYPES[path.extname(name)] ?? 'application/octet-stream',
      );
    })().catch((error: unknown) => {
      if (!response.headersSent)
        send(
          response,
          500,
          `${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
          'text/plain; charset=utf-8',
        );
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CurieError(
              'E_ARGUMENT',
              `--port ${port} on ${options.host} is in use; choose another or --port 0 for a free one`,
            )
          : new CurieError('E_ARGUMENT', `cannot listen on ${options.host}:${port}: ${error.message}`),
      ),
    );
    server.listen(port, options.host, resolve);
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  context.io.stdout.write(`http://${host}:${actual}/\n`);
  await new Promise<void>((resolve) => {
    const close = () => server.close(() => resolve());
    if (signal.aborted) close();
    else signal.addEventListener('abort', close, { once: true });
  });
}
