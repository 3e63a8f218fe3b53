import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { inflateSync as inflatePage } from '../../src/web/shims/zlib.js';
import { curieInProcess } from '../helpers/cli.js';

// `curie explore`: the built CLI's HTTP server as a child process (`npm test` builds first; its
// refusals in-process), and the page's zlib stand-in against Node's. The page itself is tested in Chromium (interop suite).

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const GRID = join(import.meta.dirname, '../../data/synthetic-anomaly.tif');
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

/** Start `curie explore ARGS` and return the URL it prints first. */
async function explore(...args: string[]): Promise<string> {
  child = spawn(process.execPath, [CLI, 'explore', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return first.value as string;
}

describe('curie explore', () => {
  it('prints its local URL first and serves the page, cross-origin isolated, and nothing outside dist/web', async () => {
    const url = await explore();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await page.text()).toContain('data-testid="anomaly-map"');
    for (const name of ['explorer.js', 'map-worker.js'])
      expect((await fetch(`${url}${name}`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['../package.json', '%2e%2e/package.json', 'cli/main.js', 'nothing.js'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    // Without a file the page's start-up request finds nothing to load: 204, not an error.
    expect((await fetch(`${url}grid`)).status).toBe(204);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('serves the file it was given at /grid, byte for byte, with its name', async () => {
    const url = await explore(GRID);
    const response = await fetch(`${url}grid`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-curie-file')).toBe('synthetic-anomaly.tif');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(GRID))).toBe(true);
  });

  it('ends by the signal that stops it, saying so in one line', async () => {
    await explore();
    const stderr: string[] = [];
    child!.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_, signal) => resolve(signal)));
    child!.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    expect(stderr.join('')).toBe('curie: stopped by SIGTERM; the explorer has stopped\n');
  });

  it('refuses a missing file and a bad port with one line and exit code 1', async () => {
    const cwd = import.meta.dirname;
    const missing = await curieInProcess(['explore', 'no-such-grid.tif', '--port', '0'], { cwd });
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([
      1,
      '',
      "curie: cannot serve 'no-such-grid.tif': not a readable file; give a GeoTIFF or text grid\n",
    ]);
    const port = await curieInProcess(['explore', '--port', 'http'], { cwd });
    expect([port.code, port.stdout, port.stderr]).toEqual([
      1,
      '',
      "curie: --port 'http' must be a whole number from 0 to 65535 (0 picks a free port)\n",
    ]);
  });
});

describe("the page's zlib (pako)", () => {
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 251);
  const packed = deflateSync(data);

  it("inflates as Node's does", () => {
    expect(Buffer.from(inflatePage(packed, { maxOutputLength: data.length })).equals(Buffer.from(data))).toBe(true);
  });

  it('stops at maxOutputLength with ERR_BUFFER_TOO_LARGE, as Node does', () => {
    const bomb = deflateSync(new Uint8Array(10_000_000));
    expect(() => inflatePage(bomb, { maxOutputLength: 1000 })).toThrow(
      expect.objectContaining({ code: 'ERR_BUFFER_TOO_LARGE' }),
    );
  });

  it('yields what a stream cut short holds with Z_SYNC_FLUSH, as Node does', () => {
    const cut = packed.subarray(0, packed.length >> 1);
    const page = inflatePage(cut, { maxOutputLength: data.length, finishFlush: 2 });
    expect(page.length).toBeGreaterThan(0);
    expect(Buffer.from(page).equals(inflateSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }))).toBe(true);
  });
});
